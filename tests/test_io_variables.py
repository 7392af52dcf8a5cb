"""Document variables: documents without a group take the group the other export names."""

from __future__ import annotations

import pandas as pd
import pytest

from asaqda.errors import InputError
from asaqda.io.tables import RawTable
from asaqda.io.variables import fill_missing_groups, parse_variables


def codings(*docs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "document_group": [g for g, _ in docs],
            "document_name": [n for _, n in docs],
            "source_file": "2023-1/segmente.csv",
        }
    )


def variables(*docs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "document_group": [g for g, _ in docs],
            "document_name": [n for _, n in docs],
            "variables_file": "2023-1/variablen.xlsx",
        }
    )


def test_variables_segments_without_group_take_the_group_of_the_variables() -> None:
    cods, var, notes = fill_missing_groups(
        codings(("", "U01"), ("", "U01"), ("", "A01"), ("", "X9")),
        variables(("Betriebe", "U01"), ("Azubis", "A01")),
    )
    assert cods["document_group"].tolist() == ["Betriebe", "Betriebe", "Azubis", ""]
    assert var["document_group"].tolist() == ["Betriebe", "Azubis"]
    assert notes == [
        "2023-1/segmente.csv: ohne Dokumentgruppe; die Gruppe von 2 Dokument(en) wurde über den "
        "Dokumentnamen aus dem anderen Export übernommen ('A01', 'U01')."
    ]


def test_variables_without_group_take_the_group_of_the_segments() -> None:
    cods, var, notes = fill_missing_groups(
        codings(("Betriebe", "U01")), variables(("", "U01"), ("", "U02"))
    )
    assert var["document_group"].tolist() == ["Betriebe", ""]
    assert cods["document_group"].tolist() == ["Betriebe"]
    assert len(notes) == 1 and notes[0].startswith("2023-1/variablen.xlsx: ohne Dokumentgruppe")


def test_variables_ambiguous_or_existing_empty_group_is_left_alone() -> None:
    cods, _, notes = fill_missing_groups(
        codings(("", "U01"), ("", "U02")),
        variables(("Betriebe", "U01"), ("Azubis", "U01"), ("", "U02"), ("Betriebe", "U02")),
    )
    assert cods["document_group"].tolist() == ["", ""]
    assert notes == []


def test_variables_document_twice_with_different_values_is_E012() -> None:
    table = RawTable(
        "2023-1/v.xlsx",
        "Variablen",
        ["Dokumentgruppe", "Dokumentname", "Rolle"],
        [["G", "U01", "Jobcenter"], ["G", "U01", "Jobcenter"], ["G", "U01", "Berufsschule"]],
    )
    with pytest.raises(InputError) as err:
        parse_variables(table)
    assert str(err.value) == (
        "[E012] '2023-1/v.xlsx', Blatt 'Variablen', Zeile 4: das Dokument 'G/U01' ist zweimal mit "
        "verschiedenen Werten aufgeführt (auch in Zeile 2). So beheben: im Export der "
        "Dokumentvariablen eine Zeile je Dokument behalten"
    )


def test_variables_short_csv_rows_are_empty_cells() -> None:
    table = RawTable(
        "v.csv", None, ["Dokumentname", "Rolle", "WAS"], [["U01"], ["U02", "Jobcenter"]]
    )
    frame = parse_variables(table)
    assert frame["document_name"].tolist() == ["U01", "U02"]
    assert frame["Rolle"].isna().tolist() == [True, False]
