"""Review sheets: written for coders, filled in Excel, read back and validated."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from python_calamine import CalamineWorkbook

from asaqda.codebook import load_codebook
from asaqda.errors import InputError
from asaqda.review.decisions import accepted_codings, decided_keys, suggestion_id
from asaqda.review.sheets import (
    HEADERS,
    RANK_HEADERS,
    assign_coders,
    evidence_terms,
    highlight,
    order_suggestions,
    write_review_sheets,
)
from asaqda.stages import (
    checks_step,
    import_step,
    precode_acceptance_step,
    review_read_step,
    reviewed_codings_step,
)

from .conftest import REPO, make_wave

WAVE = "2025-2"
U01 = [
    "Interview U01",
    "I: Stellen Sie frei?",
    "B: Nein, wir stellen nicht frei. Das muss nach Feierabend laufen.",
    "I: Warum nicht?",
    "B: Jede Stunde kostet uns Geld.",
    "=SUMME(A1) und +49 sind nur Text.",
]
U02 = [
    "Interview U02",
    "I: Wie ist das bei Ihnen?",
    "B: Die Azubis sind für den Kurs vollständig freigestellt.",
]
CODEBOOK = load_codebook(REPO / "codebook")


def suggestion(
    doc_id: str, name: str, paragraph: int, code: str, score: float, evidence: str
) -> dict[str, object]:
    return {
        "suggestion_id": suggestion_id(doc_id, paragraph, code),
        "wave": WAVE,
        "doc_id": doc_id,
        "document_name": name,
        "paragraph": paragraph,
        "code": code,
        "score": score,
        "method": "regel",
        "evidence": evidence,
        "model_version": "m1",
        "codebook_version": CODEBOOK.meta.version,
    }


@pytest.fixture
def review_env(tmp_path: Path) -> dict[str, object]:
    """An uncoded wave with two documents, imported, and three suggestions."""
    inp, out = tmp_path / "input", tmp_path / "output"
    variables = [
        {
            "Dokumentgruppe": "Betriebe",
            "Dokumentname": name,
            "Welle": WAVE,
            "Person": name[:3],
            "Rolle": "Ausbildungsbetrieb",
            "Betrieb": name[:3],
        }
        for name in ("U01_2025-2", "U02_2025-2")
    ]
    make_wave(
        inp,
        WAVE,
        rows=[],
        variables=variables,
        transcripts={"U01_2025-2": U01, "U02_2025-2": U02},
    )
    wave_dir = out / "interim" / WAVE
    import_step(inp, WAVE, wave_dir)
    docs = pd.read_parquet(wave_dir / "documents.parquet")
    ids = dict(zip(docs["document_name"], docs["doc_id"], strict=True))
    suggestions = pd.DataFrame(
        [
            suggestion(
                ids["U01_2025-2"],
                "U01_2025-2",
                3,
                "Freistellung > keine",
                0.97,
                "Regel: stellen nicht frei | Feierabend",
            ),
            suggestion(
                ids["U01_2025-2"],
                "U01_2025-2",
                5,
                "Freistellung > Gründe > Kosten",
                0.55,
                "Modell: kostet, geld",
            ),
            suggestion(
                ids["U01_2025-2"],
                "U01_2025-2",
                6,
                "Freistellung > Gründe > Kosten",
                0.51,
                "Modell: text",
            ),
            suggestion(
                ids["U02_2025-2"],
                "U02_2025-2",
                3,
                "Freistellung > vollständig",
                0.9,
                "Regel: vollständig freigestellt",
            ),
        ]
    )
    return {"inp": inp, "out": out, "wave_dir": wave_dir, "ids": ids, "sugg": suggestions}


def write_sheets(env: dict[str, object], coders: list[str], overlap: float) -> dict[str, Path]:
    wave_dir = env["wave_dir"]
    assert isinstance(wave_dir, Path)
    out = env["out"]
    assert isinstance(out, Path)
    return write_review_sheets(
        out / "review" / WAVE,
        env["sugg"],  # type: ignore[arg-type]
        pd.read_parquet(wave_dir / "paragraphs.parquet"),
        wave=WAVE,
        coders=coders,
        overlap=overlap,
        examples={"Freistellung > keine": 40, "Freistellung > Gründe > Kosten": 9},
        codes=sorted(CODEBOOK.paths),
        codebook_version=CODEBOOK.meta.version,
        model_version="m1",
    )


def fill(
    sheet: Path, target: Path, decisions: dict[int, tuple[str, str, str]], **edit: str
) -> Path:
    """Fill a review sheet as a coder would in Excel: decisions by 'Nr.' ->
    (Entscheidung, Anderer Code, Kommentar); ``edit`` overwrites other cells ('D3': 'x')."""
    wb = load_workbook(sheet)
    ws = wb["Vorschläge"]
    for row in ws.iter_rows(min_row=2):
        nr = row[0].value
        if nr in decisions:
            decision, other, comment = decisions[nr]
            row[8].value, row[9].value, row[10].value = decision, other or None, comment or None
    for cell, value in edit.items():
        ws[cell] = value
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)
    return target


def read_back(env: dict[str, object]) -> tuple[pd.DataFrame, pd.DataFrame]:
    inp, wave_dir = env["inp"], env["wave_dir"]
    assert isinstance(inp, Path) and isinstance(wave_dir, Path)
    sheets = sorted((inp / WAVE / "review").glob("*"))
    return review_read_step(
        sheets,
        inp,
        wave_dir,
        write_codebook_json(env),
        wave_dir / "decisions.parquet",
        wave_dir / "review_problems.parquet",
    )


def write_codebook_json(env: dict[str, object]) -> Path:
    out = env["out"]
    assert isinstance(out, Path)
    path = out / "interim" / "codebook.json"
    if not path.exists():
        path.write_text(CODEBOOK.model_dump_json(), encoding="utf-8")
    return path


def rows_by_nr(path: Path) -> dict[int, list[object]]:
    data = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Vorschläge").to_python()
    return {int(r[0]): r for r in data[1:]}


# --- writing ------------------------------------------------------------------------------


def test_review_sheet_has_the_columns_drop_downs_protection_and_highlight(
    review_env: dict[str, object],
) -> None:
    paths = write_sheets(review_env, ["JS"], 0.0)
    wb = load_workbook(paths["JS"], rich_text=True)
    ws = wb["Vorschläge"]
    assert [c.value for c in ws[1]] == list(HEADERS.values()) + list(RANK_HEADERS.values())
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref == "A1:Q5"
    # Excel refuses to sort a protected sheet with locked cells: the sheet stays unprotected
    assert not ws.protection.sheet and wb["Info"].protection.sheet
    yellow = [c.column_letter for c in ws[2] if c.fill.fgColor.rgb == "00FFF2CC"]
    assert yellow == ["I", "J", "K"]  # decision, code, comment
    lists = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert lists["I2:I5"] == '"übernehmen,ablehnen,anderer Code"'
    assert lists["J2:J5"] == f"'Codes'!$A$2:$A${len(CODEBOOK.paths) + 1}"
    assert wb["Codes"].sheet_state == "hidden"
    info = dict(wb["Info"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert info["Welle"] == WAVE and info["Kodierer/in"] == "JS" and info["Modellversion"] == "m1"
    rich = next(r[3].value for r in ws.iter_rows(min_row=2) if r[4].value.endswith("keine"))
    assert isinstance(rich, CellRichText)
    bold = [b.text for b in rich if isinstance(b, TextBlock) and b.font.b]
    assert bold == ["stellen nicht frei", "Feierabend"]
    assert str(rich) == U01[2]


def test_review_sheet_shows_the_runner_up_codes_after_the_checked_columns(
    review_env: dict[str, object],
) -> None:
    # the pre-coder's ranking of paragraph 3 of U01: 'keine' first (0.97), then two codes
    # below their thresholds; the other rows carry no ranking (older suggestions): empty cells
    sugg = review_env["sugg"]
    assert isinstance(sugg, pd.DataFrame)
    first = sugg["code"].eq("Freistellung > keine")
    review_env["sugg"] = sugg.assign(
        rank=first.map({True: 1, False: None}),
        code_2=first.map({True: "Freistellung > teilweise", False: None}),
        score_2=first.map({True: 0.41, False: None}),
        code_3=first.map({True: "Freistellung > Wegezeiten", False: None}),
        score_3=first.map({True: 0.12, False: None}),
    )
    path = write_sheets(review_env, ["JS"], 0.0)["JS"]
    rows = rows_by_nr(path)
    keine = next(r for r in rows.values() if r[4] == "Freistellung > keine")
    assert keine[11] == suggestion_id(review_env["ids"]["U01_2025-2"], 3, keine[4])  # type: ignore[index]
    assert keine[12:] == [1, "Freistellung > teilweise", 0.41, "Freistellung > Wegezeiten", 0.12]
    other = next(r for r in rows.values() if r[4] == "Freistellung > vollständig")
    assert other[12:] == ["", "", "", "", ""]


def test_review_sheet_print_setup_and_row_heights(review_env: dict[str, object]) -> None:
    wb = load_workbook(write_sheets(review_env, ["JS"], 0.0)["JS"])
    ws = wb["Vorschläge"]
    setup = ws.page_setup
    assert (setup.orientation, setup.paperSize, setup.fitToWidth, setup.fitToHeight) == (
        "landscape",
        9,
        1,
        0,
    )
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    # every paragraph of the planted wave is shorter than one line of the 80-wide column
    assert [ws.row_dimensions[r].height for r in range(1, 6)] == [30, 15, 15, 15, 15]


def test_review_sheet_explains_the_score_and_marks_far_low_scores(
    review_env: dict[str, object],
) -> None:
    env = dict(review_env)
    sugg = env["sugg"].copy()  # type: ignore[union-attr]
    sugg.loc[sugg["score"] == 0.51, "score"] = 0.12  # far below the threshold 0.5
    env["sugg"] = sugg
    path = write_sheets(env, ["JS"], 0.0)["JS"]
    wb = load_workbook(path)
    info = dict(wb["Info"].iter_rows(min_row=2, max_col=2, values_only=True))
    assert "Schwelle 0,50" in info["Score"] and "unter 0,30" in info["Score"]
    notes = {r[5].value: r[7].value for r in wb["Vorschläge"].iter_rows(min_row=2) if r[5].value}
    assert notes[0.12] == (
        "Score weit unter der Schwelle 0,50: solche Vorschläge trafen an den zurückgehaltenen "
        "Dokumenten selten zu, bitte kritisch prüfen. Modell: text"
    )
    assert notes[0.55] == "Modell: kostet, geld"  # 0.05 below: no note


def test_review_sheet_text_that_looks_like_a_formula_stays_text(
    review_env: dict[str, object],
) -> None:
    path = write_sheets(review_env, ["JS"], 0.0)["JS"]
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    texts = [r[3] for r in rows_by_nr(path).values()]
    assert U01[5] in texts


def test_rows_are_ordered_by_uncertainty_then_rarity_then_document() -> None:
    frame = pd.DataFrame(
        {
            "document_name": ["B", "A", "A", "C", "A"],
            "paragraph": [1, 9, 2, 1, 1],
            "code": ["x", "x", "y", "y", "x"],
            "score": [0.99, 0.52, 0.58, 0.55, 0.99],
        }
    )
    ordered = order_suggestions(frame, {"x": 50, "y": 10})
    # 0.5-0.6 band first, rare code y before x; then the confident band in document order
    assert list(zip(ordered["document_name"], ordered["paragraph"], strict=True)) == [
        ("A", 2),
        ("C", 1),
        ("A", 9),
        ("A", 1),
        ("B", 1),
    ]
    assert list(ordered["nr"]) == [1, 2, 3, 4, 5]


def test_documents_are_shared_out_evenly_and_overlap_documents_go_to_everyone() -> None:
    frame = pd.DataFrame({"doc_id": list("aaaabbccde"), "code": ["k"] * 10})
    assigned = assign_coders(frame, ["A", "B"], overlap=0.0)
    assert assigned.groupby("doc_id")["coder"].nunique().max() == 1
    assert assigned.groupby("coder").size().to_dict() == {"A": 5, "B": 5}
    shared = assign_coders(frame, ["A", "B"], overlap=0.2)  # 1 of 5 documents
    assert shared.groupby("doc_id")["coder"].nunique().sum() == 6
    with pytest.raises(ValueError, match="review.coders"):
        assign_coders(frame, [], 0.0)


def test_evidence_terms_and_highlight_are_case_insensitive_whole_words() -> None:
    assert evidence_terms("Regel: Freizeit | nach Feierabend; Modell: feierabend, x") == [
        "nach Feierabend",
        "feierabend",
        "Freizeit",
    ]
    rich = highlight("Nach Feierabend, in der Freizeitgestaltung", ["nach feierabend", "Freizeit"])
    assert isinstance(rich, CellRichText)
    assert [b.text for b in rich if isinstance(b, TextBlock)] == ["Nach Feierabend"]
    assert highlight("nichts", ["x"]) == "nichts"


# --- reading back -------------------------------------------------------------------------


def test_filled_sheet_is_read_back_with_coder_date_and_versions(
    review_env: dict[str, object],
) -> None:
    path = write_sheets(review_env, ["JS"], 0.0)["JS"]
    inp = review_env["inp"]
    assert isinstance(inp, Path)
    rows = rows_by_nr(path)
    by_code = {r[4]: nr for nr, r in rows.items() if r[2] != 6}
    fill(
        path,
        inp / WAVE / "review" / "JS.xlsx",
        {
            by_code["Freistellung > keine"]: ("übernehmen", "", "klarer Fall"),
            by_code["Freistellung > Gründe > Kosten"]: ("ablehnen", "", ""),
            by_code["Freistellung > vollständig"]: (
                "anderer Code",
                "Freistellung > Wegezeiten",
                "",
            ),
        },
    )
    decisions, problems = read_back(review_env)
    assert problems.empty
    assert sorted(decisions["decision"]) == ["ablehnen", "anderer Code", "übernehmen"]
    assert set(decisions["coder"]) == {"JS"}
    assert set(decisions["model_version"]) == {"m1"}
    assert set(decisions["codebook_version"]) == {CODEBOOK.meta.version}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in decisions["date"])
    assert set(decisions["source_file"]) == {f"{WAVE}/review/JS.xlsx"}
    wave_dir = review_env["wave_dir"]
    assert isinstance(wave_dir, Path)
    paragraphs = pd.read_parquet(wave_dir / "paragraphs.parquet")
    acc = accepted_codings(decisions, paragraphs)
    assert sorted(acc["code"]) == ["Freistellung > Wegezeiten", "Freistellung > keine"]
    assert set(acc["quelle"]) == {"Prüfbogen"}
    assert acc.loc[acc["code"] == "Freistellung > keine", "comment"].item() == "klarer Fall"
    ids = review_env["ids"]
    assert isinstance(ids, dict)
    keys = decided_keys(decisions)
    assert (ids["U02_2025-2"], 3, "Freistellung > Wegezeiten") in keys  # not proposed either
    assert (ids["U01_2025-2"], 5, "Freistellung > Gründe > Kosten") in keys


def test_reading_the_same_sheets_twice_changes_nothing(review_env: dict[str, object]) -> None:
    path = write_sheets(review_env, ["JS"], 0.0)["JS"]
    inp, wave_dir = review_env["inp"], review_env["wave_dir"]
    assert isinstance(inp, Path) and isinstance(wave_dir, Path)
    target = fill(path, inp / WAVE / "review" / "JS.xlsx", {1: ("ablehnen", "", "")})
    read_back(review_env)
    first = (wave_dir / "decisions.parquet").read_bytes()
    shutil.copy(target, inp / WAVE / "review" / "JS (Kopie).xlsx")  # the same sheet again
    decisions, problems = read_back(review_env)
    assert problems.empty and len(decisions) == 1
    read_back(review_env)
    shutil.os.remove(inp / WAVE / "review" / "JS (Kopie).xlsx")
    read_back(review_env)
    assert (wave_dir / "decisions.parquet").read_bytes() == first


def test_bad_rows_are_listed_and_not_applied(review_env: dict[str, object]) -> None:
    path = write_sheets(review_env, ["JS"], 0.0)["JS"]
    inp = review_env["inp"]
    assert isinstance(inp, Path)
    fill(
        path,
        inp / WAVE / "review" / "JS.xlsx",
        {
            1: ("vielleicht", "", ""),
            2: ("übernehmen", "", ""),
            3: ("anderer Code", "Freistellung > Keine Ahnung", ""),
            4: ("übernehmen", "", ""),
        },
        D3="geänderter Text",  # row of Nr. 2
        E5="Entlastung",  # the code of Nr. 4
    )
    decisions, problems = read_back(review_env)
    assert decisions.empty
    assert list(problems["zeile"]) == [2, 3, 4, 5]
    assert list(problems["spalte"]) == [
        "Entscheidung",
        "Text",
        "Anderer Code",
        "Vorgeschlagener Code",
    ]
    assert problems["problem"].str.contains("unbekannte Entscheidung 'vielleicht'").iloc[0]
    assert problems["hinweis"].str.contains("meinten Sie 'Freistellung > keine'").iloc[2]
    assert set(problems["datei"]) == {f"{WAVE}/review/JS.xlsx"}


def test_two_coders_who_disagree_land_in_the_conflict_table(review_env: dict[str, object]) -> None:
    paths = write_sheets(review_env, ["JS", "MK"], 1.0)  # every document to both coders
    inp = review_env["inp"]
    assert isinstance(inp, Path)
    fill(
        paths["JS"],
        inp / WAVE / "review" / "JS.xlsx",
        {1: ("übernehmen", "", ""), 2: ("ablehnen", "", "")},
    )
    fill(
        paths["MK"],
        inp / WAVE / "review" / "MK.xlsx",
        {1: ("ablehnen", "", ""), 2: ("ablehnen", "", "")},
    )
    decisions, problems = read_back(review_env)
    assert len(decisions) == 1 and decisions["coder"].item() == "JS, MK"
    assert len(problems) == 2
    assert problems["problem"].str.startswith("Kodierende uneinig").all()
    assert set(problems["kodierende"]) == {"JS", "MK"}


def test_one_coder_deciding_a_suggestion_twice_differently_is_a_conflict(
    review_env: dict[str, object],
) -> None:
    path = write_sheets(review_env, ["JS"], 0.0)["JS"]
    inp = review_env["inp"]
    assert isinstance(inp, Path)
    fill(path, inp / WAVE / "review" / "JS.xlsx", {1: ("übernehmen", "", "")})
    fill(path, inp / WAVE / "review" / "JS_alt.xlsx", {1: ("ablehnen", "", "")})
    decisions, problems = read_back(review_env)
    assert decisions.empty
    assert problems["problem"].str.startswith("doppelt entschieden").all() and len(problems) == 2


@pytest.mark.parametrize(
    ("name", "damage", "code", "needle"),
    [
        ("JS.xlsx", "garbage", "E015", "kann nicht gelesen werden"),
        ("JS.xls", "copy", "E015", ".xlsx"),
        ("JS.xlsx", "column", "E016", "Spalte 5 des Prüfbogens ist 'Code'"),
        ("JS.xlsx", "wave", "E016", "gehört zur Welle 2024-1"),
        ("JS.xlsx", "no_info", "E016", "kein Tabellenblatt 'Info'"),
    ],
)
def test_a_sheet_that_cannot_be_read_is_rejected_whole(
    review_env: dict[str, object], name: str, damage: str, code: str, needle: str
) -> None:
    path = write_sheets(review_env, ["JS"], 0.0)["JS"]
    inp, wave_dir = review_env["inp"], review_env["wave_dir"]
    assert isinstance(inp, Path) and isinstance(wave_dir, Path)
    target = inp / WAVE / "review" / name
    target.parent.mkdir(parents=True)
    if damage == "garbage":
        target.write_bytes(b"PK\x03\x04 not really a workbook")
    elif damage == "copy":
        shutil.copy(path, target)
    else:
        wb = load_workbook(path)
        if damage == "column":
            wb["Vorschläge"]["E1"] = "Code"
        elif damage == "wave":
            wb["Info"]["B2"] = "2024-1"
        else:
            del wb["Info"]
        wb.save(target)
    with pytest.raises(InputError) as err:
        read_back(review_env)
    assert err.value.code == code and needle in str(err.value)
    assert f"{WAVE}/review/{name}" in str(err.value)
    assert not (wave_dir / "decisions.parquet").exists()


def test_accepted_suggestions_join_the_corpus_codings_once(review_env: dict[str, object]) -> None:
    path = write_sheets(review_env, ["JS"], 0.0)["JS"]
    inp, out, wave_dir = review_env["inp"], review_env["out"], review_env["wave_dir"]
    assert isinstance(inp, Path) and isinstance(out, Path) and isinstance(wave_dir, Path)
    fill(path, inp / WAVE / "review" / "JS.xlsx", {n: ("übernehmen", "", "") for n in (1, 2, 3, 4)})
    read_back(review_env)
    codebook_json = write_codebook_json(review_env)
    reviewed_codings_step(
        wave_dir,
        codebook_json,
        wave_dir / "codings_reviewed.parquet",
        wave_dir / "documents_checked.parquet",
    )
    checks_step([wave_dir], codebook_json, out / "corpus", out / "qualitaet")
    codings = pd.read_parquet(out / "corpus" / "codings.parquet")
    assert len(codings) == 4 and set(codings["quelle"]) == {"Prüfbogen"}
    assert set(codings["coder"]) == {"JS"} and codings["document_group"].notna().all()
    assert codings["in_codebook"].all()


def test_reviewed_paragraphs_of_uncoded_documents_join_the_training_material() -> None:
    from asaqda.precode.model import paragraph_table

    paragraphs = pd.DataFrame(
        {
            "doc_id": ["c", "c", "u", "u"],
            "paragraph": [1, 2, 1, 2],
            "speaker": ["B"] * 4,
            "content": ["a", "b", "x", "y"],
        }
    )
    documents = pd.DataFrame({"doc_id": ["c", "u"], "n_codings": [1, 0]})
    codings = pd.DataFrame(
        {"doc_id": ["c", "u"], "code": ["K", "K"], "begin": [1, 2], "end": [1, 2]}
    )
    plain = paragraph_table(paragraphs, codings, documents, ["K"])
    assert list(plain["doc_id"]) == ["c", "c"]
    # u/2 accepted (a coding by now), u/1 rejected: a negative example
    table = paragraph_table(paragraphs, codings, documents, ["K"], {("u", 1), ("u", 2)})
    assert list(zip(table["doc_id"], table["paragraph"], table["labels"], strict=True)) == [
        ("c", 1, ("K",)),
        ("c", 2, ()),
        ("u", 1, ()),
        ("u", 2, ("K",)),
    ]


def test_review_read_back_keeps_the_score_the_sheet_showed(review_env: dict[str, object]) -> None:
    path = write_sheets(review_env, ["JS"], 0.0)["JS"]
    inp = review_env["inp"]
    assert isinstance(inp, Path)
    rows = rows_by_nr(path)
    nr = {(r[4], int(r[2])): n for n, r in rows.items()}
    kosten, text_row = (
        nr[("Freistellung > Gründe > Kosten", 5)],
        nr[("Freistellung > Gründe > Kosten", 6)],
    )
    fill(
        path,
        inp / WAVE / "review" / "JS.xlsx",
        {n: ("ablehnen", "", "") for n in rows},
        # a coder retyped one score in German Excel and emptied another
        **{f"F{kosten + 1}": "0,55", f"F{text_row + 1}": None},
    )
    decisions, problems = read_back(review_env)
    assert problems.empty
    shown = {(r.code, r.paragraph): r.score for r in decisions.itertuples()}
    assert shown[("Freistellung > keine", 3)] == 0.97
    assert shown[("Freistellung > vollständig", 3)] == 0.9
    assert shown[("Freistellung > Gründe > Kosten", 5)] == 0.55
    assert pd.isna(shown[("Freistellung > Gründe > Kosten", 6)])
    assert decisions["score"].dtype == "float64"
    # the acceptance table reads the same decisions: all four rejected
    wave_dir = review_env["wave_dir"]
    assert isinstance(wave_dir, Path)
    table = precode_acceptance_step([wave_dir], wave_dir.parent / "vorcodierung")
    overall = table[table["code"] == "alle"]
    assert overall[["band", "n_entscheidungen", "n_angenommen"]].values.tolist() == [
        ["0.5-0.6", 1, 0],
        ["0.9-1.0", 2, 0],
        ["ohne Score", 1, 0],
        ["alle", 4, 0],
    ]
