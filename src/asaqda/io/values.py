"""Parse single cell values of MAXQDA exports: code paths, paragraph numbers, weights, dates."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

__all__ = [
    "CODE_SEPARATOR",
    "normalise_code_path",
    "parse_int",
    "parse_datetime",
    "cell_text",
]

CODE_SEPARATOR = " > "
_SPLIT = re.compile(r"\s*>\s*|\\")
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_DATE_FORMATS = (
    "%d.%m.%Y %H:%M:%S",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%d.%m.%y %H:%M",
    "%d.%m.%y",
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
    "%d/%m/%Y %H:%M",
)


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
        raise ValueError(f"{value!r} is not a whole number")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value.is_integer():
            return int(value)
        raise ValueError(f"{value!r} is not a whole number")
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+(\.0+)?", text):
        return int(float(text))
    raise ValueError(f"'{text}' is not a whole number")


def parse_datetime(value: Any) -> dt.datetime | None:
    """Parse a date as MAXQDA writes it: German, ISO, US, or an Excel serial date.

    Raises
    ------
    ValueError
        If the value is not a date in any of these forms.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (_EXCEL_EPOCH + dt.timedelta(days=float(value))).replace(microsecond=0)
    text = str(value).strip()
    try:
        return dt.datetime.fromisoformat(text).replace(tzinfo=None, microsecond=0)
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise ValueError(f"'{text}' is not a date (expected e.g. 21.11.2026 14:03 or 2026-11-21)")
