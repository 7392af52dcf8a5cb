"""Reading spreadsheet exports: xlsx (calamine), csv variants, broken files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from asaqda.errors import InputError
from asaqda.io.officefiles import write_xlsx
from asaqda.io.tables import read_table


def test_tables_xlsx_reads_first_sheet_with_excel_row_numbers(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "a.xlsx", {"Blatt": pd.DataFrame({"Code": ["x", "y"]})})
    table = read_table(path, "2023-1/a.xlsx")
    assert table.header == ["Code"]
    assert table.sheet == "Blatt"
    assert [r[0] for r in table.rows] == ["x", "y"]
    assert table.location(1, "Code").row == 3


@pytest.mark.parametrize(
    ("content", "encoding"),
    [
        ("Dokumentname;Code\nA;Freistellung > keine\n", "utf-8"),
        ("Dokumentname;Code\nA;Freistellung > keine\n", "utf-8-sig"),
        ("Document name,Code\nA,Freistellung > keine\n", "utf-8-sig"),
        ("Dokumentname;Code\r\nA;Freistellung > keine\r\n", "utf-8"),
    ],
)
def test_tables_csv_delimiters_and_bom(tmp_path: Path, content: str, encoding: str) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(content.encode(encoding))
    table = read_table(path)
    assert table.header[1] == "Code"
    assert table.rows == [["A", "Freistellung > keine"]]


def test_tables_csv_windows_1252_is_read_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes("Dokumentname;Code\nA;Freistellung > Gründe\n".encode("cp1252"))
    table = read_table(path)
    assert table.rows[0][1] == "Freistellung > Gründe"
    assert "Windows-1252" in (table.encoding_note or "")


def test_tables_csv_quoted_multiline_segment(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        'Dokumentname;Segment\nA;"Zeile eins\nZeile zwei; mit Semikolon"\n', encoding="utf-8"
    )
    assert read_table(path).rows[0][1] == "Zeile eins\nZeile zwei; mit Semikolon"


def test_tables_empty_file_is_E004(tmp_path: Path) -> None:
    path = tmp_path / "leer.xlsx"
    path.write_bytes(b"")
    with pytest.raises(InputError) as err:
        read_table(path, "2023-1/leer.xlsx")
    assert err.value.code == "E004"
    assert "2023-1/leer.xlsx" in str(err.value)


def test_tables_header_only_is_E004(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Dokumentname;Code\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E004.*keine Datenzeilen"):
        read_table(path)


def test_tables_password_protected_workbook_is_E003(tmp_path: Path) -> None:
    # Excel stores an encrypted .xlsx as an OLE compound file, not as a ZIP
    path = tmp_path / "geschuetzt.xlsx"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504)
    with pytest.raises(InputError) as err:
        read_table(path, "geschuetzt.xlsx")
    assert err.value.code == "E003"
    assert "Passwort" in str(err.value)
    assert "Fix:" in str(err.value)


def test_tables_corrupt_workbook_is_E002(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("nothing.txt", "not a workbook")
    with pytest.raises(InputError) as err:
        read_table(path, "kaputt.xlsx")
    assert err.value.code == "E002"
    assert "'kaputt.xlsx'" in str(err.value)
