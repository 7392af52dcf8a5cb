"""Cell values: every date form MAXQDA 2018-24 writes in 'Erstellt am' / 'Created'."""

from __future__ import annotations

import datetime as dt

import pytest

from asaqda.io.values import parse_datetime, slash_day_first

WHEN = dt.datetime(2024, 5, 6, 7, 8, 32)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # MAXQDA 24, German interface (Windows): two-digit year with seconds
        ("06.05.24 07:08:32", WHEN),
        # MAXQDA 2020/2022, German interface: four-digit year, with or without seconds
        ("06.05.2024 07:08:32", WHEN),
        ("06.05.2024 07:08", WHEN.replace(second=0)),
        # MAXQDA 2018, German interface: two-digit year without seconds
        ("06.05.24 07:08", WHEN.replace(second=0)),
        # macOS short date style: comma after the date
        ("06.05.24, 07:08:32", WHEN),
        # English interface, US region: month first, 12-hour clock
        ("5/6/2024 7:08:32 AM", WHEN),
        ("5/6/24 7:08 PM", dt.datetime(2024, 5, 6, 19, 8)),
        # macOS 13+ puts a narrow no-break space before AM/PM
        ("5/6/24, 7:08:32\u202fAM", WHEN),
        # ISO (English interface with ISO region, CSV export of MAXQDA 24)
        ("2024-05-06 07:08:32", WHEN),
        ("2024-05-06T07:08:32Z", WHEN),
        ("2024/05/06 07:08:32", WHEN),
        # Excel serial date: a number cell, or its text after a detour through CSV
        (45418.297592592593, WHEN),
        ("45418,297592592593", WHEN),
        # a date cell of the workbook (calamine returns datetime objects)
        (dt.datetime(2024, 5, 6, 7, 8, 32, 999), WHEN),
        (dt.date(2024, 5, 6), dt.datetime(2024, 5, 6)),
        ("12/31/2024 12:00 AM", dt.datetime(2024, 12, 31, 0, 0)),
        ("", None),
    ],
)
def test_values_every_maxqda_date_form(value: object, expected: dt.datetime | None) -> None:
    assert parse_datetime(value) == expected


@pytest.mark.parametrize(
    ("column", "day_first"),
    [
        (["06/05/2024 07:08", "13/05/2024 09:00"], True),  # English UI, UK region
        (["06/05/2024 07:08", "05/13/2024 09:00"], False),  # month above 12 in second place
        (["5/6/2024 7:08:32 AM"], False),  # US 12-hour clock
        (["06/05/2024 07:08", None, 45418.5], True),  # undecidable: day first
    ],
)
def test_values_slash_date_order_is_decided_per_column(
    column: list[object], day_first: bool
) -> None:
    assert slash_day_first(column) is day_first


def test_values_slash_date_uses_the_column_order() -> None:
    assert parse_datetime("06/05/2024 07:08", day_first=True) == dt.datetime(2024, 5, 6, 7, 8)
    assert parse_datetime("06/05/2024 07:08", day_first=False) == dt.datetime(2024, 6, 5, 7, 8)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("gestern", "'gestern' ist kein Datum"),
        ("31.02.2024 10:00", "'31.02.2024 10:00' ist kein Datum"),
        ("5/6/2024 13:08 PM", "'5/6/2024 13:08 PM' ist kein Datum"),
        (1e300, "ist keine Excel-Datumszahl"),
        (float("nan"), "nan ist keine Excel-Datumszahl"),
        ("x" * 500, "'" + "x" * 59 + "…' ist kein Datum"),
    ],
)
def test_values_unreadable_date_has_a_german_message(value: object, shown: str) -> None:
    with pytest.raises(ValueError) as err:
        parse_datetime(value)
    assert shown in str(err.value)
