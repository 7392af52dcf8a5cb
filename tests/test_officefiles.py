"""Office files we write: never a formula, byte-identical on rerun."""

from __future__ import annotations

import time
from pathlib import Path

import docx
import openpyxl
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from asaqda.io.officefiles import clean_text, save_docx, write_xlsx

DANGEROUS = [
    '=HYPERLINK("http://x")',
    "=1+1",
    "+49 621 123",
    "-3 Punkte",
    "@SUM(A1)",
    "\tTab",
    "=cmd|' /C calc'!A0",
]


def test_officefiles_text_starting_like_a_formula_stays_text(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"T": pd.DataFrame({"Segment": DANGEROUS})})
    ws = openpyxl.load_workbook(path)["T"]
    cells = [c for c in ws["A"][1:]]
    assert [c.value for c in cells] == DANGEROUS
    assert {c.data_type for c in cells} == {"s"}


@settings(max_examples=25, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=20).map(lambda s: "=" + s), min_size=1, max_size=5))
def test_officefiles_no_cell_ever_becomes_a_formula(tmp_path_factory, texts: list[str]) -> None:
    path = write_xlsx(tmp_path_factory.mktemp("x") / "t.xlsx", {"T": pd.DataFrame({"x": texts})})
    ws = openpyxl.load_workbook(path)["T"]
    assert all(c.data_type != "f" for c in ws["A"])
    assert [c.value for c in ws["A"][1:]] == [clean_text(t) for t in texts]


def test_officefiles_word_line_breaks_and_control_characters(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"T": pd.DataFrame({"x": ["a\x0bb\x01c"]})})
    assert openpyxl.load_workbook(path)["T"]["A2"].value == "a\nbc"


def test_officefiles_xlsx_and_docx_are_byte_identical_on_rerun(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    first = write_xlsx(tmp_path / "a.xlsx", {"S": frame}).read_bytes()
    document = docx.Document()
    document.add_paragraph("Text")
    doc_first = save_docx(document, tmp_path / "a.docx").read_bytes()
    time.sleep(1.1)
    assert write_xlsx(tmp_path / "a.xlsx", {"S": frame}).read_bytes() == first
    document = docx.Document()
    document.add_paragraph("Text")
    assert save_docx(document, tmp_path / "a.docx").read_bytes() == doc_first


def test_officefiles_row_height_fits_the_longest_wrapped_cell() -> None:
    from asaqda.io.officefiles import row_height

    # 80-wide column holds 79 characters a line: 200 characters are 3 lines; a line break
    # starts a new line; 40 lines are capped at 12
    assert row_height({80: "x" * 200, 40: "kurz"}) == 45.0
    assert row_height({80: "a\nb\nc\nd"}) == 60.0
    assert row_height({10: "y" * 400}) == 180.0
