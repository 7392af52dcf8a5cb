"""Reading spreadsheet exports: xlsx (calamine), csv variants, broken files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest

from asaqda.errors import InputError
from asaqda.io.officefiles import write_xlsx
from asaqda.io.tables import read_table, read_tables


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
    assert "So beheben:" in str(err.value)


def test_tables_corrupt_workbook_is_E002(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("nothing.txt", "not a workbook")
    with pytest.raises(InputError) as err:
        read_table(path, "kaputt.xlsx")
    assert err.value.code == "E002"
    assert "'kaputt.xlsx'" in str(err.value)


UNICODE_TEXT = 'Dokumentname\tCode\tSegment\nU01\tFreistellung > keine\tGrüße, "ja"; nein\n'


@pytest.mark.parametrize(
    ("encoded", "note"),
    [
        # Excel "Unicode-Text": UTF-16 little endian with BOM, tab-separated
        (b"\xff\xfe" + UNICODE_TEXT.encode("utf-16-le"), "UTF-16 (Little Endian)"),
        (b"\xfe\xff" + UNICODE_TEXT.encode("utf-16-be"), "UTF-16 (Big Endian)"),
        (UNICODE_TEXT.encode("utf-16-le"), "UTF-16 (Little Endian, ohne BOM)"),
    ],
)
def test_tables_utf16_csv_is_read_with_the_right_note(
    tmp_path: Path, encoded: bytes, note: str
) -> None:
    path = tmp_path / "segmente.csv"
    path.write_bytes(encoded)
    table = read_table(path)
    assert table.header == ["Dokumentname", "Code", "Segment"]
    assert table.rows == [["U01", "Freistellung > keine", 'Grüße, "ja"; nein']]
    assert table.encoding_note is not None and note in table.encoding_note
    assert "Windows-1252" not in table.encoding_note


def test_tables_plain_utf8_has_no_encoding_note(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("Dokumentname;Code\nA;B\n", encoding="utf-8")
    assert read_table(path).encoding_note is None


def test_tables_xlsx_renamed_csv_is_read_as_workbook(tmp_path: Path) -> None:
    real = write_xlsx(tmp_path / "a.xlsx", {"Liste": pd.DataFrame({"Code": ["x"], "Anfang": [1]})})
    path = tmp_path / "segmente.csv"
    path.write_bytes(real.read_bytes())
    [table] = read_tables(path, "2023-1/segmente.csv")
    assert (table.sheet, table.header, table.rows) == ("Liste", ["Code", "Anfang"], [["x", 1.0]])
    assert table.encoding_note == (
        "Die Datei ist eine Excel-Arbeitsmappe (xlsx) mit der Endung .csv; sie wurde als "
        "Arbeitsmappe gelesen."
    )


def test_tables_csv_renamed_xlsx_is_read_as_csv(tmp_path: Path) -> None:
    path = tmp_path / "segmente.xlsx"
    path.write_text("Dokumentname;Code\nA;B\n", encoding="utf-8")
    table = read_table(path)
    assert (table.sheet, table.rows) == (None, [["A", "B"]])
    assert "Textdatei (CSV) mit der Endung .xlsx" in (table.encoding_note or "")


def test_tables_binary_csv_is_named_without_its_bytes(tmp_path: Path) -> None:
    path = tmp_path / "bild.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01\x02\x03\xff\xfe\x00")
    with pytest.raises(InputError) as err:
        read_table(path, "2023-1/bild.csv")
    assert err.value.code == "E002"
    assert "keine Textdatei (CSV), sondern binär" in str(err.value)
    assert "PNG" not in str(err.value) and "\x00" not in str(err.value)


def test_tables_old_xls_renamed_csv_is_E003(tmp_path: Path) -> None:
    path = tmp_path / "alt.csv"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504)
    with pytest.raises(InputError) as err:
        read_table(path, "alt.csv")
    assert err.value.code == "E003"
    assert "alte .xls-Datei (mit der Endung .csv)" in str(err.value)


def test_tables_read_tables_returns_every_sheet_but_empty_ones(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "mappe.xlsx",
        {
            "Pivot": pd.DataFrame({"Zeilenbeschriftungen": ["U01"], "Anzahl": [3]}),
            "Leer": pd.DataFrame(),
            "Codierte Segmente": pd.DataFrame({"Code": ["x"]}),
        },
    )
    tables = read_tables(path)
    assert [t.sheet for t in tables] == ["Pivot", "Codierte Segmente"]
    assert read_table(path).sheet == "Pivot"


def test_tables_binary_without_null_bytes_is_not_read_as_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(bytes(range(1, 32)) * 8 + b"\x81\x8d\x8f\x90\x9d" * 20)
    with pytest.raises(InputError) as err:
        read_table(path, "export.csv")
    assert err.value.code == "E002"
    assert "sondern binär (sie enthält Steuerzeichen)" in str(err.value)


def test_tables_excel_sep_line_names_the_delimiter_and_shifts_rows(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text("sep=,\nDokumentname,Code\nA;1,B\n", encoding="utf-8")
    table = read_table(path)
    assert (table.header, table.rows) == (["Dokumentname", "Code"], [["A;1", "B"]])
    assert table.location(0).row == 3  # the row Excel shows


def test_tables_csv_segment_longer_than_128_kib_is_read(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    long = "Wort " * 60000  # 300,000 characters: a whole interview coded
    path.write_text(f'Dokumentname;Segment\nA;"{long}"\n', encoding="utf-8")
    assert len(read_table(path).rows[0][1]) == 300000
