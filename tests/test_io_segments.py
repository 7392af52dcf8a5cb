"""Coded-segments exports: values, code paths, dates, row-level errors."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from asaqda.errors import InputError
from asaqda.io.segments import parse_segments
from asaqda.io.tables import RawTable
from asaqda.io.values import normalise_code_path, parse_datetime

HEADER = [
    "Dokumentgruppe",
    "Dokumentname",
    "Code",
    "Anfang",
    "Ende",
    "Gewicht",
    "Segment",
    "Erstellt von",
    "Erstellt am",
    "Kommentar",
    "Other codes assigned to segment",
]


def table(*rows: list[object]) -> RawTable:
    return RawTable("2023-1/s.xlsx", "Liste", HEADER, [list(r) for r in rows])


def test_segments_row_is_parsed_with_provenance() -> None:
    frame = parse_segments(
        table(
            [
                "Betriebe",
                "U01",
                "Freistellung\\Gründe\\Kosten",
                3.0,
                4.0,
                30.0,
                "Text",
                "MK",
                "21.11.2026 14:03",
                "Ankerzitat",
                "Entlastung > keine Entlastung",
            ]
        )
    )
    row = frame.iloc[0]
    assert row["code"] == "Freistellung > Gründe > Kosten"
    assert row["code_raw"] == "Freistellung\\Gründe\\Kosten"
    assert (row["begin"], row["end"], row["weight"]) == (3, 4, 30)
    assert row["created"] == dt.datetime(2026, 11, 21, 14, 3)
    assert row["coder"] == "MK"
    assert row["comment"] == "Ankerzitat"
    assert json.loads(row["extra"]) == {
        "Other codes assigned to segment": "Entlastung > keine Entlastung"
    }
    assert (row["source_file"], row["source_sheet"], row["source_row"]) == (
        "2023-1/s.xlsx",
        "Liste",
        2,
    )


def test_segments_empty_weight_counts_as_maxqda_default_zero() -> None:
    frame = parse_segments(table(["G", "D", "C", 1, 1, None, "T", "MK", None, None, None]))
    assert frame.iloc[0]["weight"] == 0


def test_segments_all_bad_cells_reported_at_once_with_row_and_column() -> None:
    with pytest.raises(InputError) as err:
        parse_segments(
            table(
                ["G", "D", "C", "drei", 1, 0, "T", "MK", None, None, None],
                ["G", "D", "C", 5, 2, 0, "T", "MK", None, None, None],
                ["G", "D", "C", 1, 1, 150, "T", "MK", None, None, None],
                ["G", "D", "C", 1, 1, 0, "T", "MK", "gestern", None, None],
            )
        )
    problems = err.value.problems
    assert [p.code for p in problems] == ["E011"] * 4
    where = [(p.location.row, p.location.column) for p in problems]
    assert where == [(2, "Anfang"), (3, "Ende"), (4, "Gewicht"), (5, "Erstellt am")]
    assert "Ende (2) liegt vor Anfang (5)" in str(err.value)


def test_segments_pdf_positions_are_kept_raw() -> None:
    frame = parse_segments(
        table(["G", "D", "C", "3: 120", "3: 560", 0, "T", "MK", None, None, None])
    )
    assert frame.iloc[0]["position_raw"] == "3: 120 - 3: 560"
    assert frame["begin"].isna().all()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("21.11.2026 14:03", dt.datetime(2026, 11, 21, 14, 3)),
        ("2026-11-21T14:03:00", dt.datetime(2026, 11, 21, 14, 3)),
        ("11/21/2026 2:03 PM", dt.datetime(2026, 11, 21, 14, 3)),
        (46347.5, dt.datetime(2026, 11, 21, 12, 0)),
        (dt.datetime(2026, 11, 21, 14, 3, 5, 7), dt.datetime(2026, 11, 21, 14, 3, 5)),
        (None, None),
    ],
)
def test_segments_dates_in_every_form(value: object, expected: dt.datetime | None) -> None:
    assert parse_datetime(value) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Freistellung > keine", "Freistellung > keine"),
        ("Freistellung\\keine", "Freistellung > keine"),
        ("Freistellung>keine", "Freistellung > keine"),
        (" Freistellung  >  Gründe > Kosten ", "Freistellung > Gründe > Kosten"),
    ],
)
def test_segments_code_paths(raw: str, expected: str) -> None:
    assert normalise_code_path(raw) == expected


level = st.text(
    alphabet=st.characters(blacklist_characters=">\\", blacklist_categories=("Cc", "Zs")),
    min_size=1,
    max_size=12,
)


@given(st.lists(level, min_size=1, max_size=4))
def test_segments_code_path_separators_are_equivalent(levels: list[str]) -> None:
    assert normalise_code_path(" > ".join(levels)) == normalise_code_path("\\".join(levels))
    assert normalise_code_path(normalise_code_path("\\".join(levels))) == " > ".join(levels)


@pytest.mark.parametrize(
    ("anfang", "ende", "message"),
    [
        (1, 2**63, "Absatznummer 922337203685… liegt nicht zwischen 1 und 10000000"),
        (0, 1, "Absatznummer 0 liegt nicht zwischen 1 und 10000000"),
        ("1e999", 1, "'1e999' ist keine ganze Zahl: erwartet wird eine Absatznummer"),
    ],
)
def test_segments_paragraph_number_out_of_bounds_is_E011(
    anfang: object, ende: object, message: str
) -> None:
    with pytest.raises(InputError) as err:
        parse_segments(table(["G", "D", "C", anfang, ende, 0, "T", "MK", None, None, None]))
    assert err.value.code == "E011"
    assert message in str(err.value)
