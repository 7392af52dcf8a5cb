"""Inductive category formation: material, preprocessing, topics, candidate sheets, codebook."""

from __future__ import annotations

import hashlib
import random
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from sklearn.metrics import adjusted_rand_score

from asaqda.codebook import load_codebook
from asaqda.codebook_edit import add_inductive, candidates_from_sheet
from asaqda.demo.sentences import THEMES, fill
from asaqda.errors import AsaqdaError, ConfigError, InputError
from asaqda.inductive.analysis import InductiveParams, run_inductive
from asaqda.inductive.boilerplate import assess_repetition, repeated_sentence
from asaqda.inductive.embeddings import embed, fit_embedder
from asaqda.inductive.material import segment_content, select_material
from asaqda.inductive.preprocess import lemma_texts
from asaqda.inductive.sheets import read_candidate_sheet
from asaqda.inductive.topics import (
    CHECK_COLUMNS,
    TOPIC_COLUMNS,
    TopicParams,
    fit_topics,
    rating,
    subsample_indices,
)

from .conftest import REPO

CODEBOOK = load_codebook(REPO / "codebook")
FAST = TopicParams(embedding="tfidf_svd", seeds=(0, 1, 2))


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# --- material ------------------------------------------------------------------------------


def _corpus() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Three documents: coded (D1), uncoded (D2), an intercoder copy of D1 (D3)."""
    long = "Die Miete frisst fast meine ganze Ausbildungsvergütung jeden Monat auf."
    paragraphs = pd.DataFrame(
        [
            ("D1", "2024-1", 1, "I", "Wie geht es Ihnen mit der Ausbildung im Moment so?"),
            ("D1", "2024-1", 2, "B", long),
            ("D1", "2024-1", 3, "B", "Wir stellen ihn für den Förderunterricht komplett frei."),
            ("D1", "2024-1", 4, "B", "Ja, genau."),
            ("D1", "2024-1", 5, "B", "Der Bus fährt nur stündlich, deshalb komme ich oft zu spät."),
            ("D2", "2024-1", 1, "B", long),
            ("D3", "2024-1", 2, "B", long),
        ],
        columns=["doc_id", "wave", "paragraph", "speaker", "content"],
    )
    documents = pd.DataFrame(
        {
            "doc_id": ["D1", "D2", "D3"],
            "document_name": ["A001_2024-1", "A002_2024-1", "A001_2024-1"],
            "Rolle": ["Auszubildende"] * 3,
            "n_codings": [2, 0, 1],
            "intercoder_copy": [False, False, True],
        }
    )
    codings = pd.DataFrame(
        {
            "coding_id": ["c1", "c2"],
            "doc_id": ["D1", "D1"],
            "wave": ["2024-1", "2024-1"],
            "code": ["Freistellung > vollständig", "Belastung"],
            "begin": pd.array([3, 5], dtype="Int64"),
            "end": pd.array([3, 5], dtype="Int64"),
            "segment": [
                "B: Wir stellen ihn für den Förderunterricht komplett frei.",
                "B: [00:03:12] Der Bus fährt nur stündlich, deshalb komme ich oft zu spät.",
            ],
        }
    )
    return paragraphs, codings, documents


def test_material_is_what_no_code_covers_in_coded_documents() -> None:
    paragraphs, codings, documents = _corpus()
    units = select_material(paragraphs, codings, documents, CODEBOOK.paths)
    # interviewer (1), coded (3, 5), too short (4), uncoded document, intercoder copy: out
    assert units["unit_id"].tolist() == ["D1-0002"]
    assert units.loc[0, "document_name"] == "A001_2024-1"
    assert units.loc[0, "Rolle"] == "Auszubildende"


def test_material_without_rolle_or_transcripts_is_selected_without_error() -> None:
    paragraphs, codings, documents = _corpus()
    units = select_material(paragraphs, codings, documents.drop(columns="Rolle"), CODEBOOK.paths)
    assert units["unit_id"].tolist() == ["D1-0002"]
    assert units.loc[0, "Rolle"] == ""
    none = select_material(paragraphs.iloc[0:0], codings, documents, CODEBOOK.paths)
    assert len(none) == 0 and list(none.columns) == list(units.columns)


def test_material_of_a_code_is_its_segments_without_speaker_and_timestamp() -> None:
    paragraphs, codings, documents = _corpus()
    units = select_material(paragraphs, codings, documents, CODEBOOK.paths, material="Belastung")
    assert units["text"].tolist() == ["Der Bus fährt nur stündlich, deshalb komme ich oft zu spät."]
    assert segment_content("I: Und dann?\nB: [00:01:02] Dann ging es.") == "Dann ging es."


def test_an_unknown_material_code_is_a_config_error_naming_the_closest_code(
    tmp_path: Path,
) -> None:
    paragraphs, codings, documents = _corpus()
    with pytest.raises(ConfigError) as err:
        run_inductive(
            paragraphs,
            codings,
            documents,
            CODEBOOK,
            ["2024-1"],
            tmp_path,
            InductiveParams(material="Entlastng"),
        )
    assert "E201" in str(err.value) and "'Entlastung'" in str(err.value)


# --- preprocessing -------------------------------------------------------------------------


def test_lemmas_drop_stop_words_and_spoken_fillers_and_unify_inflection() -> None:
    a, b = lemma_texts(
        ["Also, ehrlich gesagt, die Wohnungen sind eigentlich viel zu teuer.", "Eine Wohnung."]
    )
    assert "Wohnung" in a.split() and b == "Wohnung"
    assert not {"also", "ehrlich", "eigentlich", "die", "sind"} & set(a.lower().split())


# --- topics --------------------------------------------------------------------------------


def _planted(n_per_theme: int = 40, seed: int = 3) -> tuple[pd.DataFrame, list[str]]:
    rng = random.Random(seed)
    rows, truth = [], []
    for t, (theme, sentences) in enumerate(sorted(THEMES.items())):
        for i in range(n_per_theme):
            text = " ".join(fill(s, rng) for s in rng.sample(sentences, 2))
            rows.append(
                {
                    "unit_id": f"{t}-{i:03d}",
                    "wave": "2024-1",
                    "doc_id": f"D{t}{i % 10}",
                    "document_name": f"A{t}{i % 10:02d}_2024-1",
                    "Rolle": "Auszubildende" if i % 3 else "Ausbildungsbetrieb",
                    "paragraph": i + 1,
                    "paragraph_end": i + 1,
                    "text": text,
                }
            )
            truth.append(theme)
    return pd.DataFrame(rows), truth


@pytest.fixture(scope="module")
def planted() -> tuple[pd.DataFrame, list[str], list[str], np.ndarray]:
    units, truth = _planted()
    lemmas = lemma_texts(units["text"].tolist())
    return units, truth, lemmas, embed(units["text"].tolist(), lemmas, "use")


def test_topics_recover_planted_themes_and_are_identical_on_rerun(planted) -> None:
    units, truth, lemmas, vectors = planted
    params = TopicParams(seeds=(0, 1, 2), min_topic_size=8)
    first = fit_topics(units, lemmas, vectors, params)
    second = fit_topics(units, lemmas, vectors, params)
    assert first.message is None
    assert adjusted_rand_score(truth, first.units["thema"]) > 0.9
    pd.testing.assert_frame_equal(first.topics, second.topics)
    assert first.units["thema"].tolist() == second.units["thema"].tolist()
    # stability per topic in [0, 1]; the planted themes are robust, except a theme's split-off
    # part of 11 units: every seed finds it (1.0), the subsamples less (0.74)
    assert first.topics["stabilitaet"].between(0, 1).all()
    assert first.topics["einschaetzung"].tolist() == ["robust"] * 5 + ["mittel"]
    assert first.topics["stabilitaet_teilproben"].tolist() == [1.0, 1.0, 1.0, 1.0, 0.92, 0.74]
    assert (first.topics["textbaustein"] == "nein").all()
    assert len(first.seed_ari) == 2
    # topic words are lemmas of the theme, with German umlauts intact
    words = " ".join(first.topics["begriffe"])
    assert "Führerschein" in words or "Fachkräfte" in words
    # representative examples come from the topic, from different documents
    for rec in first.topics.itertuples():
        members = first.units.loc[list(rec.beispiele)]
        assert (members["thema"] == rec.thema).all()
        assert members["doc_id"].is_unique


def test_the_scikit_learn_embedding_also_separates_the_planted_themes(planted) -> None:
    units, truth, lemmas, _ = planted
    vectors = embed(units["text"].tolist(), lemmas, "tfidf_svd")
    result = fit_topics(units, lemmas, vectors, FAST)
    assert result.message is None
    assert adjusted_rand_score(truth, result.units["thema"]) > 0.5


@pytest.mark.parametrize(
    ("texts", "expected"),
    [
        ([], "Kein Material"),
        (["Die Miete frisst fast meine ganze Vergütung auf."] * 7, "Zu wenig Material"),
        (
            ["Die Miete frisst fast meine ganze Vergütung auf."] * 60,
            "Alle 60 Einheiten sind gleich",
        ),
        (["Also ja, das ist so, und wir sind da."] * 30, "Füll- und Stoppwörter"),
        (
            [
                f"Die Miete frisst meine Vergütung auf, {('Bus', 'Zug', 'Auto')[i % 3]}."
                for i in range(40)
            ],
            "Zu wenig verschiedene Einheiten",
        ),
    ],
)
def test_bad_material_gives_a_message_not_an_exception(texts: list[str], expected: str) -> None:
    units = pd.DataFrame(
        {
            "unit_id": [f"u{i}" for i in range(len(texts))],
            "wave": "2024-1",
            "doc_id": "D1",
            "document_name": "A001_2024-1",
            "Rolle": "Auszubildende",
            "paragraph": range(1, len(texts) + 1),
            "paragraph_end": range(1, len(texts) + 1),
            "text": texts,
        }
    )
    lemmas = lemma_texts(texts)
    vectors = np.ones((len(texts), 4), dtype=np.float32)
    result = fit_topics(units, lemmas, vectors, FAST)
    assert result.message is not None and expected in result.message
    assert result.topics.empty


# --- the step: sheets, pages, tables -------------------------------------------------------


def _step_corpus() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    units, _ = _planted(n_per_theme=12)
    units.loc[0, "text"] = "=HYPERLINK(1) " + units.loc[0, "text"]  # text, never a formula
    paragraphs = units.rename(columns={"text": "content"}).assign(speaker="B")
    paragraphs["wave"] = np.where(np.arange(len(units)) % 2, "2024-1", "2024-2")
    documents = (
        paragraphs.drop_duplicates("doc_id")[["doc_id", "wave", "document_name", "Rolle"]]
        .assign(n_codings=1, intercoder_copy=False)
        .reset_index(drop=True)
    )
    documents = pd.concat(
        [
            documents,
            pd.DataFrame(
                {
                    "doc_id": ["U1"],
                    "wave": ["2025-1"],
                    "document_name": ["A999_2025-1"],
                    "Rolle": ["Auszubildende"],
                    "n_codings": [0],
                    "intercoder_copy": [False],
                }
            ),
        ],
        ignore_index=True,
    )
    codings = pd.DataFrame(
        columns=["coding_id", "doc_id", "wave", "code", "begin", "end", "segment"]
    )
    return paragraphs, codings, documents


@pytest.fixture(scope="module")
def step(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    paragraphs, codings, documents = _step_corpus()
    waves = ["2024-1", "2024-2", "2025-1"]
    params = InductiveParams(topics=TopicParams(embedding="tfidf_svd", seeds=(0, 1)))
    outs = []
    for name in ("a", "b"):
        out = tmp_path_factory.mktemp(name)
        overview = run_inductive(paragraphs, codings, documents, CODEBOOK, waves, out, params)
        outs.append(out)
    return {"out": outs[0], "again": outs[1], "overview": overview}


def test_step_writes_sheets_pages_and_tables_for_every_wave_and_all(step) -> None:
    folder = step["out"] / "induktiv"
    names = {p.name for p in folder.iterdir()}
    for scope in ("2024-1", "2024-2", "2025-1", "gesamt"):
        assert {f"{scope}_kandidaten.xlsx", f"{scope}_themen.html"} <= names
    assert {"kandidaten.csv", "uebersicht.csv", "plotly.min.js"} <= names
    overview = pd.read_csv(folder / "uebersicht.csv", dtype={"bereich": str})
    assert overview["bereich"].tolist() == ["2024-1", "2024-2", "2025-1", "gesamt"]
    gesamt = overview.set_index("bereich").loc["gesamt"]
    assert gesamt["einheiten"] == 60 and gesamt["themen"] >= 3
    # a wave nobody has coded yet: a message, in the table, the sheet and the page
    note = overview.set_index("bereich").loc["2025-1", "hinweis"]
    assert "noch keine kodierten Dokumente" in note
    wb = load_workbook(folder / "2025-1_kandidaten.xlsx")
    assert wb["Kandidaten"]["A2"].value == note
    assert "noch keine kodierten Dokumente" in (folder / "2025-1_themen.html").read_text()


def test_step_outputs_are_byte_identical_on_rerun(step) -> None:
    assert _digest(step["out"] / "induktiv") == _digest(step["again"] / "induktiv")


def test_candidate_sheet_has_the_columns_drop_downs_and_no_formulas(step) -> None:
    folder = step["out"] / "induktiv"
    candidates = pd.read_csv(folder / "kandidaten.csv", dtype={"bereich": str})
    wb = load_workbook(folder / "gesamt_kandidaten.xlsx")
    ws = wb["Kandidaten"]
    header = [c.value for c in ws[1]]
    assert header[:7] == [
        "Nr.",
        "Thema",
        "Größe",
        "Anteil %",
        "Einschätzung",
        "Stabilität",
        "Begriffe (c-TF-IDF)",
    ]
    assert {"Name der Kategorie", "Übernehmen", "Oberkategorie", "Definition (Entwurf)"} <= set(
        header
    )
    assert {"Beispiel 1", "Quelle 1", "Rollen (Dokumente)", "Dokumentliste"} <= set(header)
    assert ws.max_row - 1 == (candidates["bereich"] == "gesamt").sum()
    assert ws.protection.sheet
    assert (ws.page_setup.orientation, ws.page_setup.fitToWidth, ws.print_title_rows) == (
        "landscape",
        1,
        "$1:$1",
    )
    formulas = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert '"übernehmen,verwerfen"' in formulas
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
    units = wb["Einheiten"]
    texts = [r[6].value for r in units.iter_rows(min_row=2)]
    assert any(t.startswith("=HYPERLINK(1)") for t in texts)
    assert len(texts) == 60
    page = (folder / "gesamt_themen.html").read_text(encoding="utf-8")
    assert '<script src="plotly.min.js"></script>' in page
    assert 'id="karte"' in page and 'id="begriffe"' in page
    assert "Other documents" not in page and "Begriffe je Thema" in page


# --- reading marked sheets and adding to the codebook ---------------------------------------


def _mark(src: Path, dst: Path, marks: dict[int, dict[str, str]]) -> Path:
    wb = load_workbook(src)
    ws = wb["Kandidaten"]
    col = {c.value: c.column for c in ws[1]}
    for row, values in marks.items():
        for header, value in values.items():
            ws.cell(row, col[header], value)
    dst.parent.mkdir(parents=True, exist_ok=True)
    wb.save(dst)
    return dst


@pytest.fixture
def codebook_copy(tmp_path: Path) -> Path:
    target = tmp_path / "codebook"
    shutil.copytree(REPO / "codebook", target)
    return target


def test_marked_candidates_become_valid_inductive_codes_once(
    step, tmp_path: Path, codebook_copy: Path
) -> None:
    sheet = _mark(
        step["out"] / "induktiv" / "gesamt_kandidaten.xlsx",
        tmp_path / "markiert.xlsx",
        {
            2: {"Name der Kategorie": "Mobilität", "Übernehmen": "übernehmen"},
            3: {
                "Name der Kategorie": "Wohnkosten",
                "Übernehmen": "übernehmen",
                "Oberkategorie": "Belastung",
                "Definition (Entwurf)": "Kosten des Wohnens belasten die Ausbildung.",
            },
            4: {"Name der Kategorie": "Verworfen", "Übernehmen": "verwerfen"},
        },
    )
    before = load_codebook(codebook_copy)
    read = read_candidate_sheet(sheet)
    added = add_inductive(
        codebook_copy, candidates_from_sheet(read, before, "2026-11-21"), "2026-11-21"
    )
    assert [(a.code, a.status) for a in added] == [
        ("Mobilität", "neu"),
        ("Belastung > Wohnkosten", "neu"),
    ]
    after = load_codebook(codebook_copy)
    assert after.meta.version == "1.2.0" and after.meta.stand == "2026-11-21"
    assert after.meta.reihenfolge[-1] == "Mobilität"
    new = after.get("Mobilität")
    assert new is not None and new.art == "induktiv"
    assert new.herkunft is not None
    assert new.herkunft["lauf"] == read.info["Lauf"] and new.herkunft["bereich"] == "gesamt"
    assert new.herkunft["thema"] == read.rows.iloc[0]["thema"]
    assert new.ankerbeispiele and new.ankerbeispiele[0].quelle.startswith("(A")
    assert new.definition.startswith("ENTWURF")
    sub = after.get("Belastung > Wohnkosten")
    assert sub is not None and sub.definition == "Kosten des Wohnens belasten die Ausbildung."
    assert len(after.codes) == len(before.codes) + 2
    assert after.paths.index("Belastung > Wohnkosten") > after.paths.index("Belastung")
    # untouched files stay byte-identical; reading the sheet again changes nothing
    assert (codebook_copy / "freistellung.yaml").read_bytes() == (
        REPO / "codebook" / "freistellung.yaml"
    ).read_bytes()
    state = _digest(codebook_copy)
    again = add_inductive(
        codebook_copy, candidates_from_sheet(read, after, "2026-12-01"), "2026-12-01"
    )
    assert {a.status for a in again} == {"schon im Codebuch"}
    assert _digest(codebook_copy) == state


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ({2: {"Übernehmen": "übernehmen"}}, "hat aber keinen Namen"),
        ({2: {"Übernehmen": "ja"}}, "Übernehmen ist 'ja'"),
        (
            {
                2: {
                    "Name der Kategorie": "X",
                    "Übernehmen": "übernehmen",
                    "Oberkategorie": "Belastng",
                }
            },
            "ähnlichster Code: 'Belastung'",
        ),
        (
            {2: {"Name der Kategorie": "Entlastung", "Übernehmen": "übernehmen"}},
            "steht schon im Kodierleitfaden",
        ),
        (
            {
                2: {"Name der Kategorie": "Mobilität", "Übernehmen": "übernehmen"},
                3: {"Name der Kategorie": "Mobilität", "Übernehmen": "übernehmen"},
            },
            "heißen beide 'Mobilität'",
        ),
        ({2: {"Name der Kategorie": "A > B", "Übernehmen": "übernehmen"}}, "E106"),
    ],
)
def test_bad_marks_name_the_row_and_change_nothing(
    step, tmp_path: Path, codebook_copy: Path, marks: dict, expected: str
) -> None:
    sheet = _mark(
        step["out"] / "induktiv" / "gesamt_kandidaten.xlsx", tmp_path / "markiert.xlsx", marks
    )
    state = _digest(codebook_copy)
    with pytest.raises(AsaqdaError) as err:
        codebook = load_codebook(codebook_copy)
        found = candidates_from_sheet(read_candidate_sheet(sheet), codebook, "2026-11-21")
        add_inductive(codebook_copy, found, "2026-11-21")
    message = str(err.value)
    assert expected in message and "markiert.xlsx" in message
    assert "Zeile 2" in message
    assert _digest(codebook_copy) == state


def test_a_changed_or_broken_candidate_sheet_is_refused(step, tmp_path: Path) -> None:
    src = step["out"] / "induktiv" / "gesamt_kandidaten.xlsx"
    wb = load_workbook(src)
    wb["Kandidaten"].insert_cols(3)
    moved = tmp_path / "verschoben.xlsx"
    wb.save(moved)
    with pytest.raises(InputError, match="E018.*Spalte 3 ist '', erwartet wird 'Größe'"):
        read_candidate_sheet(moved)
    broken = tmp_path / "kaputt.xlsx"
    broken.write_bytes(src.read_bytes()[:500])
    with pytest.raises(InputError, match="E018"):
        read_candidate_sheet(broken)
    wb = load_workbook(src)
    del wb["Info"]
    no_info = tmp_path / "ohne_info.xlsx"
    wb.save(no_info)
    with pytest.raises(InputError, match="E018.*Info"):
        read_candidate_sheet(no_info)


def test_cli_add_inductive_reports_what_it_did_and_refuses_bad_marks(
    step, tmp_path: Path, codebook_copy: Path
) -> None:
    from typer.testing import CliRunner

    from asaqda.cli import app

    runner = CliRunner()
    src = step["out"] / "induktiv" / "gesamt_kandidaten.xlsx"
    bad = _mark(src, tmp_path / "ohne_name.xlsx", {2: {"Übernehmen": "übernehmen"}})
    result = runner.invoke(
        app, ["codebook", "add-inductive", str(bad), "--codebook", str(codebook_copy)]
    )
    assert result.exit_code == 1
    assert "E106" in result.output and "hat aber keinen Namen" in result.output
    none = runner.invoke(
        app, ["codebook", "add-inductive", str(src), "--codebook", str(codebook_copy)]
    )
    assert none.exit_code == 0 and "unverändert" in none.output
    good = _mark(
        src, tmp_path / "gut.xlsx", {2: {"Name der Kategorie": "Neu", "Übernehmen": "übernehmen"}}
    )
    args = ["codebook", "add-inductive", str(good), "--codebook", str(codebook_copy)]
    result = runner.invoke(app, [*args, "--datum", "2026-11-21"])
    assert result.exit_code == 0, result.output
    assert "Neu" in result.output and "1.2.0" in result.output
    assert runner.invoke(app, [*args, "--datum", "21.11.2026"]).exit_code == 1


def test_no_group_large_enough_or_a_failed_umap_gives_a_message(
    planted, caplog: pytest.LogCaptureFixture
) -> None:
    units, _, lemmas, vectors = planted
    n = len(units)
    reduced = np.zeros((n, 5), dtype=np.float32)
    none = fit_topics(units, lemmas, vectors, FAST, runs=[(reduced, np.full(n, -1))])
    assert none.message is not None and none.message.startswith("Keine Themen gefunden")
    assert none.topics.empty
    with caplog.at_level("WARNING"):
        failed = fit_topics(units, lemmas, vectors, FAST, runs=["ValueError: k >= N"])
    assert "Themenmodell fehlgeschlagen: ValueError: k >= N" in caplog.text
    assert failed.message is not None
    assert "ließ sich auf diesem Material nicht schätzen (ValueError)" in failed.message


# --- subsample stability and repeated text ---------------------------------------------------

RENT = [
    "Die Miete für mein Zimmer frisst fast die ganze Ausbildungsvergütung auf.",
    "Am Monatsende bleibt nach der Miete kaum Geld für Essen übrig.",
    "Ich suche seit einem halben Jahr eine bezahlbare Wohnung in der Stadt.",
    "Für die Kaution musste ich mir Geld bei meinen Eltern leihen.",
    "Die Nebenkosten sind dieses Jahr so gestiegen, dass ich nachzahlen musste.",
    "Eine eigene Wohnung kann ich mir von der Vergütung nicht leisten.",
    "Im Wohnheim für Azubis war kein Zimmer mehr frei, deshalb wohne ich teuer zur Untermiete.",
    "Vom Lohn gehen fast sechshundert Euro für die Wohnung weg.",
    "Ich wohne noch bei meinen Eltern, weil die Mieten hier viel zu hoch sind.",
    "Die Wohnungssuche ist schwierig, Vermieter wollen keine Auszubildenden.",
    "Mit dem Geld komme ich nur über die Runden, weil ich am Wochenende kellnere.",
    "Das Wohngeld hat lange gedauert, bis dahin war mein Konto im Minus.",
]
TRAVEL = [
    "Morgens fährt der erste Bus erst um sieben, da komme ich zu spät zur Arbeit.",
    "Wenn die Bahn ausfällt, muss mich meine Mutter mit dem Auto zum Betrieb bringen.",
    "Ohne Führerschein ist der Weg zur Berufsschule eine halbe Weltreise.",
    "Im Winter bei Glatteis schaffe ich es mit dem Roller kaum zur Arbeit.",
    "Das Deutschlandticket hat mir die Fahrt zum Betrieb viel billiger gemacht.",
    "Ich pendle jeden Tag eine Stunde mit dem Zug und zweimal muss ich umsteigen.",
    "Auf dem Land fährt abends kein Bus mehr, nach der Spätschicht laufe ich nach Hause.",
    "Mit dem Fahrrad brauche ich zur Berufsschule vierzig Minuten bei jedem Wetter.",
    "Der Zug hat ständig Verspätung, dann verpasse ich den Anschlussbus zur Firma.",
    "Meine Fahrstunden für den Führerschein kann ich mir kaum leisten.",
    "Zur überbetrieblichen Ausbildung muss ich jedes Mal in eine andere Stadt fahren.",
    "Ein Kollege nimmt mich morgens im Auto mit, sonst käme ich gar nicht hin.",
]
SMALL_TALK = "Das Gespräch heute passt gut, ich habe gerade Mittagspause."
OTHER_TALK = [
    "Das Wetter war an dem Tag furchtbar, aber das ist eine andere Geschichte.",
    "Mein Bruder macht auch eine Ausbildung, allerdings in einem ganz anderen Beruf.",
    "Der Betrieb hat letztes Jahr eine neue Halle gebaut.",
    "Das kann ich Ihnen gern später noch schicken.",
    "Gute Frage, da gibt es verschiedene Sichtweisen, muss ich sagen.",
    "Die Berufsschule hat nach den Ferien den Stundenplan umgestellt.",
]


def _units(texts: list[str]) -> pd.DataFrame:
    n = len(texts)
    return pd.DataFrame(
        {
            "unit_id": [f"u{i:02d}" for i in range(n)],
            "wave": "2024-1",
            "doc_id": [f"D{i % 12:02d}" for i in range(n)],
            "document_name": [f"A{i % 12:02d}_2024-1" for i in range(n)],
            "Rolle": "Auszubildende",
            "paragraph": [i + 1 for i in range(n)],
            "paragraph_end": [i + 1 for i in range(n)],
            "text": texts,
        }
    )


def test_inductive_repeated_sentence_is_found_whatever_case_and_punctuation() -> None:
    texts = [
        "Das Gespräch passt gut. Die Miete ist hoch.",
        "das Gespräch passt gut! Der Bus kommt spät.",
        "Ja. Die Bahn fällt aus, sagt sie.",
        "Ja. Mein Bruder lernt Koch.",
    ]
    # "Ja." is too short to count; the sentence in 2 of 4 texts does
    assert repeated_sentence(texts) == ("das gespräch passt gut", "Das Gespräch passt gut.", 0.5)
    assert repeated_sentence(["Die Miete ist hoch.", "Der Bus kommt spät."]) == ("", "", 0.0)


def test_inductive_repetition_flags_a_sentence_that_carries_the_topic_alone() -> None:
    # stub embedding: the sentence and the themed rest share axis 0, the small talk does not
    axes = {
        "Stock satz hier.": [1.0, 0.0, 0.0],
        "Thema eins dazu.": [0.6, 0.8, 0.0],
        "Thema zwei dazu.": [0.6, 0.8, 0.0],
    }

    def embed_stub(texts: list[str]) -> np.ndarray:
        return np.array([axes.get(t, [0.0, 0.0, 1.0]) for t in texts])

    scope = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
    themed = [
        "Stock satz hier. Thema eins dazu.",
        "Stock satz hier. Thema zwei dazu.",
        "Ganz anderer Satz hier.",
    ]
    theme = assess_repetition(themed, scope, embed_stub)
    # rest: 0.6 to the sentence against 0.25 for the scope -> 0.35, a theme
    assert (theme.share, theme.relation, theme.boilerplate) == (0.67, 0.35, False)
    talk = ["Stock satz hier. Was anderes eins.", "Stock satz hier. Was anderes zwei."]
    stock = assess_repetition(talk, scope, embed_stub)
    assert (stock.share, stock.relation, stock.boilerplate) == (1.0, -0.25, True)
    alone = assess_repetition(["Stock satz hier."] * 3, scope, None)
    assert alone.boilerplate and np.isnan(alone.relation)
    block = assess_repetition(["Stock satz hier. Noch ein Satz."] * 3, scope, embed_stub)
    assert block.boilerplate  # the same two sentences copied as a whole
    rare = assess_repetition(["Stock satz hier. A b c.", "X y z w.", "U v w x."], scope, None)
    assert (rare.share, rare.boilerplate) == (0.0, False)  # no sentence occurs twice


@pytest.mark.parametrize(
    ("seed", "subsample", "boilerplate", "expected"),
    [
        (0.9, 0.8, False, "robust"),
        (0.9, 0.6, False, "mittel"),
        (0.6, float("nan"), False, "mittel"),
        (float("nan"), float("nan"), False, "nicht gemessen"),
        (1.0, 1.0, True, "Textbaustein"),
        (0.4, 0.9, False, "instabil"),
    ],
)
def test_inductive_rating_takes_the_lower_stability_and_never_rates_boilerplate_robust(
    seed: float, subsample: float, boilerplate: bool, expected: str
) -> None:
    assert rating(seed, subsample, boilerplate) == expected


def test_inductive_subsamples_are_fixed_and_sized() -> None:
    params = TopicParams(seeds=(7, 1), subsamples=3, subsample_share=0.8)
    first = subsample_indices(50, params)
    assert [len(i) for i in first] == [40, 40, 40]
    assert all((np.diff(i) > 0).all() for i in first)
    assert [i.tolist() for i in first] == [i.tolist() for i in subsample_indices(50, params)]
    assert first[0].tolist() != first[1].tolist()
    assert subsample_indices(50, TopicParams(subsamples=0)) == []


@pytest.fixture(scope="module")
def two_themes_and_a_block():
    texts = [f"{t[i % 12]} {t[(i + 5 + i // 12) % 12]}" for t in (RENT, TRAVEL) for i in range(20)]
    texts += [SMALL_TALK] * 12
    units = _units(texts)
    lemmas = lemma_texts(texts)
    vectors, more = fit_embedder(texts, lemmas, "use", 0, lemma_texts)
    params = TopicParams(seeds=(0, 1, 2), min_topic_size=5)
    return units, lemmas, vectors, more, params


def test_inductive_two_themes_and_a_small_talk_block_are_rated_exactly(
    two_themes_and_a_block,
) -> None:
    units, lemmas, vectors, more, params = two_themes_and_a_block
    result = fit_topics(units, lemmas, vectors, params, embed_texts=more)
    topics = result.topics
    assert list(topics.columns) == [*TOPIC_COLUMNS, *CHECK_COLUMNS, "beispiele"]
    # topic 0: rent (units 0-19), 1: travel (20-39), 2: the identical small talk (40-51)
    groups = result.units.groupby("thema")["unit_id"].apply(lambda s: (s.min(), s.max()))
    assert groups.to_dict() == {0: ("u00", "u19"), 1: ("u20", "u39"), 2: ("u40", "u51")}
    assert topics["textbaustein"].tolist() == ["nein", "nein", "ja"]
    assert topics["einschaetzung"].tolist() == ["robust", "robust", "Textbaustein"]
    assert topics["stabilitaet"].tolist() == [1.0, 1.0, 1.0]  # seeds alone cannot tell
    assert topics["stabilitaet_teilproben"].tolist() == [1.0, 1.0, 1.0]
    assert topics["anteil_wiederholt"].tolist() == [0.2, 0.2, 1.0]
    again = fit_topics(units, lemmas, vectors, params, embed_texts=more)
    pd.testing.assert_frame_equal(topics, again.topics)


CLUB = [
    "Bei der freiwilligen Feuerwehr haben wir jeden Dienstag Übung.",
    "Im Sportverein trainiere ich am Wochenende die Jugendmannschaft.",
    "Samstags helfe ich bei der Tafel, Lebensmittel zu sortieren.",
    "Im Jugendzentrum mache ich ehrenamtlich Hausaufgabenhilfe.",
    "Im Verein habe ich gelernt, für eine Gruppe Verantwortung zu übernehmen.",
    "Für das Ehrenamt bleibt neben der Ausbildung kaum noch Zeit.",
]


def test_inductive_stock_sentence_with_unrelated_rest_is_boilerplate_a_theme_sentence_not() -> None:
    # the scope: three themes and small talk, one sentence each
    scope = RENT + TRAVEL + CLUB + OTHER_TALK + [SMALL_TALK]
    vectors, more = fit_embedder(scope, lemma_texts(scope), "use", 0, lemma_texts)
    # every unit: the same small-talk sentence plus other small talk (as the demo's)
    talk = [f"{SMALL_TALK} {OTHER_TALK[i % 6]}" for i in range(12)]
    # every unit: the same sentence on rent plus another one on rent and money
    rent = [f"{RENT[0]} {t}" for t in RENT[1:]]
    stock, themed = (assess_repetition(t, vectors, more) for t in (talk, rent))
    assert (stock.share, stock.boilerplate) == (1.0, True)
    assert (themed.share, themed.boilerplate) == (1.0, False)
    assert stock.relation < 0.0 and themed.relation > 0.06


def test_inductive_candidate_sheet_written_before_the_checks_is_still_read(
    step, tmp_path: Path
) -> None:
    src = step["out"] / "induktiv" / "gesamt_kandidaten.xlsx"
    wb = load_workbook(src)
    ws = wb["Kandidaten"]
    header = [c.value for c in ws[1]]
    first = header.index("Stabilität (Teilproben)") + 1
    assert header[first - 1 :] == [
        "Stabilität (Teilproben)",
        "Anteil wiederholter Satz",
        "Bezug des übrigen Texts",
        "Textbaustein",
    ]
    ws.delete_cols(first, 4)
    ws.cell(2, header.index("Name der Kategorie") + 1, "Alt")
    old = tmp_path / "alt.xlsx"
    wb.save(old)
    sheet = read_candidate_sheet(old)
    assert sheet.rows.loc[0, "name"] == "Alt"
    assert "textbaustein" not in sheet.rows.columns


# --- scopes: a wave's candidates come from that wave alone ----------------------------------


def _wave_tables(wave: str, texts: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Paragraphs and documents of one wave: four coded documents, no code covering a turn."""
    n = len(texts)
    paragraphs = pd.DataFrame(
        {
            "doc_id": [f"{wave}-D{i % 4}" for i in range(n)],
            "wave": wave,
            "paragraph": [i // 4 + 1 for i in range(n)],
            "speaker": "B",
            "content": texts,
        }
    )
    documents = pd.DataFrame(
        {
            "doc_id": [f"{wave}-D{i}" for i in range(4)],
            "wave": wave,
            "document_name": [f"A0{i}_{wave}" for i in range(4)],
            "Rolle": "Auszubildende",
            "n_codings": 1,
            "intercoder_copy": False,
        }
    )
    return paragraphs, documents


@pytest.fixture(scope="module")
def two_waves(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    # wave 2024-1: rent and travel; wave 2024-2: clubs, small talk and some rent again
    a = [f"{t[i % 12]} {t[(i + 5 + i // 12) % 12]}" for t in (RENT, TRAVEL) for i in range(20)]
    b = [f"{t[i % 6]} {t[(i + 2 + i // 6) % 6]}" for t in (CLUB, OTHER_TALK) for i in range(15)]
    b += a[:10]
    (pa, da), (pb, db) = _wave_tables("2024-1", a), _wave_tables("2024-2", b)
    codings = pd.DataFrame(
        columns=["coding_id", "doc_id", "wave", "code", "begin", "end", "segment"]
    )
    # tfidf_svd is fitted on the material: before, one fit over all waves fed every wave
    params = InductiveParams(topics=TopicParams(embedding="tfidf_svd", seeds=(0, 1)))
    alone, both = tmp_path_factory.mktemp("alone"), tmp_path_factory.mktemp("both")
    run_inductive(pa, codings, da, CODEBOOK, ["2024-1"], alone, params)
    run_inductive(
        pd.concat([pa, pb]),
        codings,
        pd.concat([da, db]),
        CODEBOOK,
        ["2024-1", "2024-2"],
        both,
        params,
    )
    return {"alone": alone / "induktiv", "both": both / "induktiv"}


def test_inductive_a_waves_candidates_do_not_depend_on_another_wave(two_waves) -> None:
    alone, both = two_waves["alone"], two_waves["both"]
    read = {k: pd.read_csv(v / "kandidaten.csv", dtype=str) for k, v in two_waves.items()}
    first = {k: c[c["bereich"] == "2024-1"].reset_index(drop=True) for k, c in read.items()}
    pd.testing.assert_frame_equal(first["alone"], first["both"])
    assert first["alone"]["groesse"].tolist() == ["20", "20"]
    assert [b.split(", ")[0] for b in first["alone"]["begriffe"]] == ["Miete", "fahren"]
    # the run id is that of the wave's own material
    assert first["both"]["lauf"].unique().tolist() == ["I-4ad60e5564"]
    assert set(read["both"].loc[read["both"]["bereich"] == "2024-2", "lauf"]) != {"I-4ad60e5564"}
    for name in ("2024-1_kandidaten.xlsx", "2024-1_themen.html"):
        assert (alone / name).read_bytes() == (both / name).read_bytes()
    # gesamt stacks both waves' material
    overview = pd.read_csv(both / "uebersicht.csv", dtype={"bereich": str}).set_index("bereich")
    assert overview["einheiten"].to_dict() == {"2024-1": 40, "2024-2": 40, "gesamt": 80}


def test_inductive_scope_topics_are_fitted_on_one_blas_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # multi-threaded BLAS changed the demo's topics with the job's threads (--cores)
    from threadpoolctl import threadpool_info, threadpool_limits

    import asaqda.inductive.analysis as analysis

    seen: list[list[int]] = []
    fit = analysis.fit_topics

    def spy(*args: object, **kwargs: object) -> object:
        seen.append(
            sorted({i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"})
        )
        return fit(*args, **kwargs)

    monkeypatch.setattr(analysis, "fit_topics", spy)
    units = _units(RENT[:5]).assign(lemmas=lemma_texts(RENT[:5]))
    documents = pd.DataFrame(
        {
            "doc_id": pd.Series([], dtype=object),
            "wave": pd.Series([], dtype=object),
            "n_codings": pd.Series([], dtype="int64"),
            "intercoder_copy": pd.Series([], dtype=bool),
        }
    )
    params = InductiveParams(topics=FAST)
    with threadpool_limits(limits=2):
        result = analysis.scope_topics(
            "2024-1", units, np.zeros((5, 0), np.float32), documents, CODEBOOK, params
        )
        outside = {i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"}
    assert seen == [[1]] and outside == {2}
    assert result.result.message is not None and "Zu wenig Material" in result.result.message
