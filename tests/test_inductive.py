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
from asaqda.inductive.embeddings import embed
from asaqda.inductive.material import segment_content, select_material
from asaqda.inductive.preprocess import lemma_texts
from asaqda.inductive.sheets import read_candidate_sheet
from asaqda.inductive.topics import TopicParams, fit_topics

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
    # stability per topic in [0, 1]; planted themes are robust
    assert first.topics["stabilitaet"].between(0, 1).all()
    assert (first.topics["einschaetzung"] == "robust").all()
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
        ({2: {"Übernehmen": "übernehmen"}}, "has no name"),
        ({2: {"Übernehmen": "ja"}}, "Übernehmen is 'ja'"),
        (
            {
                2: {
                    "Name der Kategorie": "X",
                    "Übernehmen": "übernehmen",
                    "Oberkategorie": "Belastng",
                }
            },
            "closest code: 'Belastung'",
        ),
        ({2: {"Name der Kategorie": "Entlastung", "Übernehmen": "übernehmen"}}, "exists already"),
        (
            {
                2: {"Name der Kategorie": "Mobilität", "Übernehmen": "übernehmen"},
                3: {"Name der Kategorie": "Mobilität", "Übernehmen": "übernehmen"},
            },
            "both named 'Mobilität'",
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
    assert "Zeile 2" in message or "row 2" in message
    assert _digest(codebook_copy) == state


def test_a_changed_or_broken_candidate_sheet_is_refused(step, tmp_path: Path) -> None:
    src = step["out"] / "induktiv" / "gesamt_kandidaten.xlsx"
    wb = load_workbook(src)
    wb["Kandidaten"].insert_cols(3)
    moved = tmp_path / "verschoben.xlsx"
    wb.save(moved)
    with pytest.raises(InputError, match="E018.*column 3"):
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
    assert "E106" in result.output and "has no name" in result.output
    none = runner.invoke(
        app, ["codebook", "add-inductive", str(src), "--codebook", str(codebook_copy)]
    )
    assert none.exit_code == 0 and "unchanged" in none.output
    good = _mark(
        src, tmp_path / "gut.xlsx", {2: {"Name der Kategorie": "Neu", "Übernehmen": "übernehmen"}}
    )
    args = ["codebook", "add-inductive", str(good), "--codebook", str(codebook_copy)]
    result = runner.invoke(app, [*args, "--datum", "2026-11-21"])
    assert result.exit_code == 0, result.output
    assert "Neu" in result.output and "1.2.0" in result.output
    assert runner.invoke(app, [*args, "--datum", "21.11.2026"]).exit_code == 1


def test_no_group_large_enough_or_a_failed_umap_gives_a_message(planted) -> None:
    units, _, lemmas, vectors = planted
    n = len(units)
    reduced = np.zeros((n, 5), dtype=np.float32)
    none = fit_topics(units, lemmas, vectors, FAST, runs=[(reduced, np.full(n, -1))])
    assert none.message is not None and none.message.startswith("Keine Themen gefunden")
    assert none.topics.empty
    failed = fit_topics(units, lemmas, vectors, FAST, runs=["ValueError: k >= N"])
    assert failed.message is not None
    assert "ließ sich auf diesem Material nicht schätzen (ValueError)" in failed.message
