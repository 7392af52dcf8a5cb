"""Parse a MAXQDA coded-segments export (Liste der codierten Segmente / Retrieved Segments).

One output row per coded segment. Columns of the returned frame (see also
:data:`asaqda.io.schema.CODINGS_COLUMNS`):

==============  =============================================================================
document_group  MAXQDA document group; empty if the export has no such column
document_name   MAXQDA document name
code            full code path, levels joined with ' > '
code_raw        the code as written in the export
begin, end      first and last paragraph (1-based); empty for PDF positions (see position_raw)
position_raw    Anfang/Ende as written when they are not paragraph numbers, else empty
weight          MAXQDA weight score 0-100 (0 = not rated, MAXQDA's default)
segment         the coded text
coder           'Erstellt von' (older: 'Autor'); empty if the export has no such column
created         'Erstellt am' as a date
modified_by     'Bearbeitet von'
modified        'Bearbeitet am' as a date
comment         the segment comment
color           the code colour
area            'Fläche' (characters)
coverage        'Abdeckungsgrad %'
extra           JSON object of every other column (document variables appended by MAXQDA 24,
                'Other codes assigned to segment', ...), keys sorted
source_file     the export file, relative to the input folder
source_sheet    worksheet name (xlsx) or empty (csv)
source_row      the row as Excel shows it (header = 1)
==============  =============================================================================
"""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd

from asaqda.errors import ProblemList
from asaqda.io.headers import SEGMENT_ALIASES, SEGMENT_REQUIRED, map_headers
from asaqda.io.names import nfc
from asaqda.io.tables import RawTable
from asaqda.io.values import (
    cell_text,
    normalise_code_path,
    parse_datetime,
    parse_int,
    slash_day_first,
)

__all__ = ["parse_segments", "SEGMENT_FRAME_COLUMNS"]

#: the columns of the frame a segment reader returns (before the import adds ids and checks)
SEGMENT_FRAME_COLUMNS = [
    "document_group",
    "document_name",
    "code",
    "code_raw",
    "begin",
    "end",
    "position_raw",
    "weight",
    "segment",
    "coder",
    "created",
    "modified_by",
    "modified",
    "comment",
    "color",
    "area",
    "coverage",
    "extra",
    "source_file",
    "source_sheet",
    "source_row",
]
_MAX_PARAGRAPH = 10_000_000  # far beyond any transcript; keeps the numbers in Int64
_EXPORT_AGAIN = "die codierten Segmente in MAXQDA erneut exportieren"
_PDF_POSITION = re.compile(r"^\s*\d+\s*:\s*\d+\s*$")


def parse_segments(table: RawTable) -> pd.DataFrame:
    """Turn a coded-segments export into one row per coded segment.

    Raises
    ------
    InputError
        E001 for missing columns; E011 (all bad cells at once) for paragraph numbers that are
        not numbers, Anfang after Ende, weights outside 0-100, unreadable dates, empty codes or
        document names.
    """
    fields, extra_cols = map_headers(
        table.header,
        SEGMENT_ALIASES,
        SEGMENT_REQUIRED,
        table.location(),
        "Export der codierten Segmente",
    )
    header_of = {f: table.header[i] for f, i in fields.items()}
    problems = ProblemList()
    records: list[dict[str, Any]] = []

    def get(row: list[Any], field: str) -> Any:
        idx = fields.get(field)
        return row[idx] if idx is not None and idx < len(row) else None

    # the order of slash dates (5/6/2024) is a property of the whole column, not of one cell
    day_first = {
        field: slash_day_first(get(row, field) for row in table.rows)
        for field in ("created", "modified")
    }

    for i, row in enumerate(table.rows):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue

        def bad(field: str, message: str, fix: str, _i: int = i) -> None:
            problems.add("E011", message, table.location(_i, header_of.get(field)), fix)

        name = cell_text(get(row, "document_name"))
        code_raw = cell_text(get(row, "code"))
        if name is None:
            bad(
                "document_name",
                "der Dokumentname ist leer",
                "den Dokumentnamen eintragen oder die Zeile löschen",
            )
        if code_raw is None:
            bad("code", "der Code ist leer", "den Codepfad eintragen oder die Zeile löschen")
        begin, end, position_raw = _positions(get(row, "begin"), get(row, "end"), bad)
        weight = _weight(get(row, "weight"), bad)
        dates = {}
        for field in ("created", "modified"):
            try:
                dates[field] = parse_datetime(get(row, field), day_first=day_first[field])
            except ValueError as exc:
                bad(
                    field,
                    str(exc),
                    "Datum als 06.05.2024 07:08:32 schreiben oder die Segmente erneut exportieren",
                )
                dates[field] = None
        extra = {
            col: text
            for col, idx in sorted(extra_cols.items())
            if idx < len(row) and (text := cell_text(row[idx])) is not None
        }
        records.append(
            {
                "document_group": nfc(cell_text(get(row, "document_group")) or ""),
                "document_name": nfc(name or ""),
                "code": normalise_code_path(nfc(code_raw or "")),
                "code_raw": code_raw or "",
                "begin": begin,
                "end": end,
                "position_raw": position_raw,
                "weight": weight,
                "segment": _segment_text(get(row, "segment")),
                "coder": cell_text(get(row, "created_by")) or "",
                "created": dates["created"],
                "modified_by": cell_text(get(row, "modified_by")) or "",
                "modified": dates["modified"],
                "comment": cell_text(get(row, "comment")) or "",
                "color": cell_text(get(row, "color")) or "",
                "area": _number(get(row, "area")),
                "coverage": _number(get(row, "coverage")),
                "extra": json.dumps(extra, ensure_ascii=False, sort_keys=True),
                "source_file": table.file,
                "source_sheet": table.sheet or "",
                "source_row": table.first_row + i,
            }
        )
    problems.raise_if_any()
    frame = pd.DataFrame.from_records(records, columns=SEGMENT_FRAME_COLUMNS)
    for col in ("begin", "end"):
        frame[col] = frame[col].astype("Int64")
    frame["weight"] = frame["weight"].astype("int64")
    for col in ("created", "modified"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[s]")
    return frame


def _positions(begin_cell: Any, end_cell: Any, bad: Any) -> tuple[int | None, int | None, str]:
    raw_b, raw_e = cell_text(begin_cell), cell_text(end_cell)
    if raw_b and raw_e and _PDF_POSITION.match(raw_b) and _PDF_POSITION.match(raw_e):
        return None, None, f"{raw_b} - {raw_e}"
    values: list[int | None] = []
    for field, cell in (("begin", begin_cell), ("end", end_cell)):
        try:
            value = parse_int(cell)
        except ValueError as exc:
            bad(
                field,
                f"{exc}: erwartet wird eine Absatznummer",
                "die codierten Segmente erneut exportieren; für Textdokumente schreibt MAXQDA "
                "Absatznummern",
            )
            value = None
        else:
            if value is None:
                bad(field, "die Absatznummer ist leer", _EXPORT_AGAIN)
            elif not 1 <= value <= _MAX_PARAGRAPH:
                shown = str(value) if abs(value) < 10**12 else f"{str(value)[:12]}…"
                bad(
                    field,
                    f"Absatznummer {shown} liegt nicht zwischen 1 und {_MAX_PARAGRAPH}",
                    _EXPORT_AGAIN,
                )
                value = None
        values.append(value)
    begin, end = values
    if begin is not None and end is not None and begin > end:
        bad(
            "end",
            f"Ende ({end}) liegt vor Anfang ({begin})",
            "das Segment in MAXQDA prüfen und erneut exportieren",
        )
    return begin, end, ""


def _weight(cell: Any, bad: Any) -> int:
    try:
        weight = parse_int(cell)
    except ValueError as exc:
        bad(
            "weight",
            f"{exc}: erwartet wird ein Gewicht von 0 bis 100",
            "das Gewicht in MAXQDA setzen (0-100)",
        )
        return 0
    if weight is None:
        return 0
    if not 0 <= weight <= 100:
        shown = str(weight) if abs(weight) < 10**12 else f"{str(weight)[:12]}…"
        bad(
            "weight",
            f"Gewicht {shown} liegt nicht in 0-100",
            "das Gewicht in MAXQDA setzen (0-100)",
        )
        return 0
    return weight


def _number(cell: Any) -> float | None:
    text = cell_text(cell)
    if text is None:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _segment_text(cell: Any) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).replace("\r\n", "\n").replace("\r", "\n").strip()
