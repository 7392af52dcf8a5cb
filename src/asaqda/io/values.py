"""Parse single cell values of MAXQDA exports: code paths, paragraph numbers, weights, dates."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

__all__ = [
    "CODE_SEPARATOR",
    "normalise_code_path",
    "parse_int",
    "parse_datetime",
    "slash_day_first",
    "cell_text",
    "printable",
]

CODE_SEPARATOR = " > "
_SPLIT = re.compile(r"\s*>\s*|\\")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_EXCEL_MAX = 2958466  # 10000-01-01
_TIME = (
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"(?: ?(?P<ampm>[AaPp]\.?[Mm]\.?))?(?:Z|[+-]\d{2}:?\d{2})?)?"
)
_DOT_DATE = re.compile(r"(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?P<y>\d{4}|\d{2})" + _TIME)
_SLASH_DATE = re.compile(r"(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<y>\d{4}|\d{2})" + _TIME)
_ISO_DATE = re.compile(r"(?P<a>\d{4})[-/](?P<b>\d{1,2})[-/](?P<c>\d{1,2})(?P<y>)" + _TIME)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffd]")
_SERIAL = re.compile(r"\d{5}(?:[.,]\d+)?")  # 1927-2173 as text


def cell_text(value: Any) -> str | None:
    """A cell as text: ``None`` for empty cells, integers without '.0', strings stripped."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(timespec="seconds")
    text = str(value).strip()
    return text or None


def printable(text: str, limit: int = 40) -> str:
    """Text safe to show in a message: control characters replaced by '?', shortened.

    >>> printable("Dok\\x00ument" + "x" * 50, 10)
    'Dok?ument…'
    """
    text = _CONTROL.sub("?", text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def normalise_code_path(path: str) -> str:
    """Join the levels of a MAXQDA code path with ' > '.

    Reads current exports (``Freistellung > keine``) and MAXQDA 12 and older ones
    (``Freistellung\\keine``); spaces around the levels are removed.

    >>> normalise_code_path("Freistellung\\\\Gründe\\\\Kosten")
    'Freistellung > Gründe > Kosten'
    """
    parts = [p.strip() for p in _SPLIT.split(str(path))]
    return CODE_SEPARATOR.join(p for p in parts if p)


def parse_int(value: Any) -> int | None:
    """Parse an integer cell (``12``, ``12.0``, ``"12"``); ``None`` if empty.

    Raises
    ------
    ValueError
        If the cell holds anything else.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} ist keine ganze Zahl")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"{value!r} ist keine ganze Zahl")
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return int(float(text))
    raise ValueError(f"'{printable(text)}' ist keine ganze Zahl")


def _clean_date_text(text: str) -> str:
    # macOS writes a narrow no-break space before AM/PM and a comma after the date
    text = text.replace("\u202f", " ").replace("\u00a0", " ").replace(",", " ")
    return re.sub(r"\s+", " ", text).strip()


def slash_day_first(values: Iterable[Any]) -> bool:
    """Whether the slash dates of one column are day-first (``06/05/2024``, UK) or month-first.

    A column is read day-first if one of its dates has a first number above 12, month-first
    if one has a second number above 12 or an AM/PM time (the US form); otherwise day-first,
    as English MAXQDA writes slash dates with a 24-hour clock outside the US.

    >>> slash_day_first(["5/6/2024 7:08:32 AM"]), slash_day_first(["13/05/2024 07:08"])
    (False, True)
    """
    month_first = False
    for value in values:
        if not isinstance(value, str) or "/" not in value:
            continue
        match = _SLASH_DATE.match(_clean_date_text(value))
        if match is None:
            continue
        first, second = int(match["a"]), int(match["b"])
        if first > 12:
            return True
        if second > 12 or match["ampm"]:
            month_first = True
    return not month_first


def parse_datetime(value: Any, *, day_first: bool | None = None) -> dt.datetime | None:
    """Parse a date as MAXQDA (2018-24, German or English interface) writes it.

    Accepted forms: a date cell of the workbook; an Excel serial date (``45418.2975``, also as
    text); German ``06.05.24 07:08:32`` (MAXQDA 24), ``06.05.2024 07:08:32`` or ``06.05.2024
    07:08`` (MAXQDA 2018-22), ``06.05.24, 07:08`` (macOS); ISO ``2024-05-06 07:08:32`` and
    ``2024-05-06T07:08:32Z``; ``2024/05/06 07:08``; slash dates with a 12- or 24-hour clock
    (``5/6/2024 7:08:32 AM``, ``06/05/2024 07:08``; ``day_first`` tells the order, see
    :func:`slash_day_first`). Two-digit years are 2000-2068 or 1969-1999, seconds optional.

    Parameters
    ----------
    value
        The cell.
    day_first
        Read a slash date ``a/b/yyyy`` as day ``a``, month ``b`` (else month ``a``); ``None``
        decides from the value alone (:func:`slash_day_first` of this one value).

    Returns
    -------
    datetime.datetime or None
        The date without time zone and microseconds; ``None`` for an empty cell.

    Raises
    ------
    ValueError
        With a German message if the value is not a date in any of these forms.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(float(value), str(value))
    raw = str(value).strip()
    if _SERIAL.fullmatch(raw):  # a serial date that went through a CSV file
        return _from_serial(float(raw.replace(",", ".")), raw)
    if raw[4:5] == "-":  # ISO, the most common form of CSV exports: the fast path
        try:
            return dt.datetime.fromisoformat(raw).replace(tzinfo=None, microsecond=0)
        except ValueError:
            pass
    text = _clean_date_text(raw)
    if day_first is None:
        day_first = slash_day_first([text])
    parsed = _parse_text_date(text, day_first)
    if parsed is None:
        shown = printable(raw, 60)
        raise ValueError(
            f"'{shown}' ist kein Datum (erwartet z. B. 06.05.24 07:08:32, 06.05.2024 07:08, "
            "2024-05-06 07:08:32 oder 5/6/2024 7:08 AM)"
        )
    return parsed


def _from_serial(number: float, shown: str) -> dt.datetime:
    # Excel's day 1 is 1900-01-01; beyond 9999-12-31 there is no Excel date
    if not 1 <= number < _EXCEL_MAX:
        raise ValueError(f"{shown} ist keine Excel-Datumszahl (erwartet 1 bis {_EXCEL_MAX - 1})")
    return _EXCEL_EPOCH + dt.timedelta(seconds=round(number * 86400))


def _parse_text_date(text: str, day_first: bool) -> dt.datetime | None:
    for pattern in (_DOT_DATE, _SLASH_DATE, _ISO_DATE):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        a, b, year_text = match["a"], match["b"], match["y"]
        if pattern is _ISO_DATE:
            year_text, month, day = a, int(b), int(match["c"])
        elif pattern is _SLASH_DATE and not day_first:
            month, day = int(a), int(b)
        else:
            day, month = int(a), int(b)
        year = int(year_text)
        if len(year_text) == 2:
            year += 2000 if year < 69 else 1900  # as Python's %y and Excel read them
        hour = int(match["H"] or 0)
        ampm = (match["ampm"] or "").replace(".", "").upper()
        if ampm:
            if not 1 <= hour <= 12:
                return None
            hour = hour % 12 + (12 if ampm == "PM" else 0)
        try:
            return dt.datetime(year, month, day, hour, int(match["M"] or 0), int(match["S"] or 0))
        except ValueError:
            return None
    return None
