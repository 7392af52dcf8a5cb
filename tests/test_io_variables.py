"""Document variables: documents without a group take the group the other export names."""

from __future__ import annotations

import pandas as pd

from asaqda.io.variables import fill_missing_groups


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
