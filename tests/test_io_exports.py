"""Recognising the export sheets of a table file: several sheets, project workbooks, notes."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from asaqda.errors import InputError
from asaqda.io.exports import recognise_tables
from asaqda.io.segments import parse_segments
from asaqda.io.variables import parse_variables

SEGMENT_HEADER = ["Dokumentname", "Code", "Anfang", "Ende", "Segment"]


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def test_exports_every_segment_sheet_is_read_with_its_name(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "mappe.xlsx",
        {
            "Pivot": [["Zeilenbeschriftungen", "Anzahl"], ["U01", 2]],
            "MK": [SEGMENT_HEADER, ["U01", "A", 1, 1, "x"]],
            "JS": [SEGMENT_HEADER, ["U01", "B", 2, 2, "y"], ["U02", "B", 1, 1, "z"]],
        },
    )
    found = recognise_tables(path, "2023-1/mappe.xlsx")
    assert [(k, t.sheet, len(t.rows)) for k, t in found.tables] == [
        ("segments", "MK", 1),
        ("segments", "JS", 2),
    ]
    assert parse_segments(found.tables[1][1])["source_sheet"].tolist() == ["JS", "JS"]
    assert found.notes == [
        "2023-1/mappe.xlsx: gelesen wurden die Tabellenblätter 'MK', 'JS'; übersprungen (kein "
        "Export der codierten Segmente oder Dokumentvariablen): 'Pivot'."
    ]


def test_exports_variables_sheet_wins_over_a_document_list(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "projekt.mx24.xlsx",
        {
            "Dokumente": [["Dokumentgruppe", "Dokumentname", "Codings"], ["G", "U01", 3]],
            "Dateneditor (Dokumentvariablen)": [
                ["Dokumentgruppe", "Dokumentname", "Rolle"],
                ["G", "U01", "Jobcenter"],
            ],
        },
    )
    [(kind, table)] = recognise_tables(path).tables
    assert (kind, table.sheet) == ("variables", "Dateneditor (Dokumentvariablen)")
    assert parse_variables(table)["Rolle"].tolist() == ["Jobcenter"]


def test_exports_workbook_without_export_lists_its_sheets(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "auswertung.xlsx",
        {
            "Pivot": [["Zeilenbeschriftungen", "Anzahl"], ["U01", 2]],
            "Codesystem": [["Code", "Farbe", "Codings"], ["A", "#FF0000", 1]],
        },
    )
    with pytest.raises(InputError) as err:
        recognise_tables(path, "2023-1/auswertung.xlsx")
    assert err.value.code == "E005"
    assert str(err.value).startswith(
        "[E005] '2023-1/auswertung.xlsx': keines der 2 Tabellenblätter ist ein Export der "
        "codierten Segmente oder der Dokumentvariablen. Die Arbeitsmappe enthält: 'Pivot' "
        "(Kopfzeile: 'Zeilenbeschriftungen', 'Anzahl'); 'Codesystem' (Kopfzeile: 'Code', "
        "'Farbe', 'Codings')."
    )


def test_exports_single_unknown_table_is_E005_with_its_header(tmp_path: Path) -> None:
    path = tmp_path / "notizen.csv"
    path.write_text("Name;Vorname\nA;B\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        recognise_tables(path, "2023-1/notizen.csv")
    assert "diese Tabelle ist weder ein Export der codierten Segmente noch der " in str(err.value)
    assert "(Kopfzeile: 'Name', 'Vorname')" in str(err.value)


def test_exports_empty_export_sheet_beside_a_full_one_is_skipped_with_a_note(
    tmp_path: Path,
) -> None:
    path = workbook(
        tmp_path / "m.xlsx",
        {"Alt": [SEGMENT_HEADER], "Neu": [SEGMENT_HEADER, ["U01", "A", 1, 1, "x"]]},
    )
    found = recognise_tables(path, "m.xlsx")
    assert [t.sheet for _, t in found.tables] == ["Neu"]
    assert found.notes == [
        "m.xlsx: Tabellenblatt 'Alt' hat keine Datenzeilen und wird übersprungen."
    ]


def test_exports_duplicate_columns_are_noted_and_the_first_is_used(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(
        "Dokumentname;Code;Anfang;Ende;Segment;Code;Document name;Notiz;notiz\n"
        "U01;A;1;1;x;B;U99;n1;n2\n",
        encoding="utf-8",
    )
    found = recognise_tables(path, "s.csv")
    assert found.notes == [
        "s.csv: Spalte 'Dokumentname' kommt mehrfach vor (Spalten A, G): verwendet wird Spalte "
        "A; die übrigen bleiben als Zusatzspalten 'Document name (Spalte G)' erhalten.",
        "s.csv: Spalte 'Code' kommt mehrfach vor (Spalten B, F): verwendet wird Spalte B; die "
        "übrigen bleiben als Zusatzspalten 'Code (Spalte F)' erhalten.",
        "s.csv: Spalte 'Notiz' kommt mehrfach vor (Spalten H, I): verwendet wird Spalte H; die "
        "übrigen bleiben als Zusatzspalten 'notiz (Spalte I)' erhalten.",
    ]
    row = parse_segments(found.tables[0][1]).iloc[0]
    assert (row["document_name"], row["code"]) == ("U01", "A")
    assert json.loads(row["extra"]) == {
        "Code (Spalte F)": "B",
        "Document name (Spalte G)": "U99",
        "Notiz": "n1",
        "notiz (Spalte I)": "n2",
    }


def test_exports_missing_document_group_means_empty_group(tmp_path: Path) -> None:
    seg = tmp_path / "s.csv"
    seg.write_text("Document name,Code,Beginning,End,Segment\nU01,A,1,2,x\n", encoding="utf-8")
    var = tmp_path / "v.csv"
    var.write_text("Document name,Rolle\nU01,Jobcenter\nU02\n", encoding="utf-8")
    [(kind, table)] = recognise_tables(seg).tables
    assert kind == "segments"
    assert parse_segments(table)["document_group"].tolist() == [""]
    [(kind, table)] = recognise_tables(var).tables
    frame = parse_variables(table)
    assert kind == "variables"
    assert frame["document_group"].tolist() == ["", ""]
    assert frame["document_name"].tolist() == ["U01", "U02"]
    assert frame["Rolle"].iloc[0] == "Jobcenter" and pd.isna(frame["Rolle"].iloc[1])


def test_exports_title_lines_above_the_header_are_looked_past(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "m.xlsx",
        {
            "Segmente": [
                ["AsA flex – codierte Segmente Welle 2023-1"],
                ["Stand:", "06.05.2024"],
                [],
                SEGMENT_HEADER,
                ["U01", "A", 1, 1, "x"],
            ]
        },
    )
    found = recognise_tables(path, "m.xlsx")
    [(kind, table)] = found.tables
    assert (kind, table.header, table.first_row) == ("segments", SEGMENT_HEADER, 5)
    assert parse_segments(table)["source_row"].tolist() == [5]
    assert found.notes == [
        "m.xlsx: Tabellenblatt 'Segmente' hat über der Kopfzeile Titelzeilen; gelesen ab der "
        "Kopfzeile in Zeile 4."
    ]


def test_exports_a_table_row_is_not_taken_for_a_title(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "m.xlsx",
        {"Pivot": [["Anzahl", "Spalte", "Zeile"], SEGMENT_HEADER, ["U01", "A", 1, 1, "x"]]},
    )
    with pytest.raises(InputError) as err:
        recognise_tables(path, "m.xlsx")
    assert err.value.code == "E005"


def test_exports_header_below_empty_first_row_of_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(";;\nDokumentname;Code;Anfang;Ende;Segment\nU01;A;1;1;x\n", encoding="utf-8")
    [(kind, table)] = recognise_tables(path, "s.csv").tables
    assert (kind, table.first_row, len(table.rows)) == ("segments", 3, 1)


def test_exports_two_spellings_of_a_variable_are_noted_and_both_kept(tmp_path: Path) -> None:
    path = tmp_path / "v.csv"
    path.write_text(
        "Dokumentname;Betriebsgröße;Betriebsgroesse\nU01;Kleinbetrieb;klein\n", encoding="utf-8"
    )
    found = recognise_tables(path, "v.csv")
    assert found.notes == [
        "v.csv: Spalte 'Betriebsgröße' kommt mehrfach vor (Spalten B, C): verwendet wird Spalte "
        "B; die übrigen bleiben als Zusatzspalten 'Betriebsgroesse (Spalte C)' erhalten."
    ]
    row = parse_variables(found.tables[0][1]).iloc[0]
    assert (row["Betriebsgröße"], row["Betriebsgroesse (Spalte C)"]) == ("Kleinbetrieb", "klein")
