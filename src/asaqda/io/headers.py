"""Header alias table: MAXQDA export column names (German and English) to canonical fields.

Headers are matched by name, never by position: case, surrounding space and repeated spaces do
not matter. Columns that match no alias are kept as extra columns.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from asaqda.errors import InputError, Location, Problem
from asaqda.io.names import nfc
from asaqda.io.values import printable

__all__ = [
    "SEGMENT_ALIASES",
    "VARIABLE_ALIASES",
    "SEGMENT_REQUIRED",
    "VARIABLE_REQUIRED",
    "normalise_header",
    "map_headers",
    "classify_header",
    "column_letter",
    "duplicate_notes",
]

#: canonical field -> accepted header spellings (MAXQDA 2018-24, German and English UI)
SEGMENT_ALIASES: dict[str, tuple[str, ...]] = {
    "color": ("Farbe", "Color", "Colour"),
    "comment": ("Kommentar", "Comment"),
    "document_group": ("Dokumentgruppe", "Document group", "Textgruppe", "Text group"),
    "document_name": ("Dokumentname", "Document name", "Textname", "Text name", "Dokument"),
    "code": ("Code",),
    "begin": ("Anfang", "Beginning", "Begin", "Start"),
    "end": ("Ende", "End"),
    "weight": ("Gewicht", "Weight score", "Weight", "Gewichtung"),
    "segment": ("Segment", "Codiertes Segment", "Coded segment"),
    "modified_by": ("Bearbeitet von", "Modified by"),
    "modified": ("Bearbeitet am", "Modified", "Modified on", "Modification date"),
    "created_by": ("Erstellt von", "Autor", "Created by", "Author"),
    "created": ("Erstellt am", "Created", "Created on", "Creation date"),
    "area": ("Fläche", "Area"),
    "coverage": ("Abdeckungsgrad %", "Abdeckungsgrad", "Coverage %", "Coverage"),
}
#: ``document_group`` is optional: many exports leave it empty, some omit the column
SEGMENT_REQUIRED = ("document_name", "code", "begin", "end", "segment")

VARIABLE_ALIASES: dict[str, tuple[str, ...]] = {
    "document_group": SEGMENT_ALIASES["document_group"],
    "document_name": SEGMENT_ALIASES["document_name"],
}
VARIABLE_REQUIRED = ("document_name",)


def normalise_header(name: str) -> str:
    """Case-fold and collapse whitespace so that 'Document  Name ' matches 'Document name'."""
    return re.sub(r"\s+", " ", nfc(name).replace("\ufeff", "")).strip().casefold()


def _lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_header(a): field for field, names in aliases.items() for a in names}


def column_letter(idx: int) -> str:
    """Excel's letter for a 0-based column index: 0 -> 'A', 26 -> 'AA'.

    >>> column_letter(0), column_letter(27)
    ('A', 'AB')
    """
    letters = ""
    idx += 1
    while idx:
        idx, rest = divmod(idx - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def map_headers(
    header: list[str],
    aliases: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    where: Location,
    what: str,
) -> tuple[dict[str, int], dict[str, int]]:
    """Map a header row to canonical fields.

    A field or column that occurs twice is taken from its first (leftmost) column; the later
    ones are kept as extra columns named ``'<header> (Spalte F)'`` (see :func:`duplicate_notes`).

    Parameters
    ----------
    header
        The header row as read.
    aliases, required
        Accepted spellings per field, and the fields that must be there.
    where
        The table, for messages.
    what
        What the table is, in German, for messages (``"Export der codierten Segmente"``).

    Returns
    -------
    (fields, extra)
        ``fields`` maps canonical field -> column index; ``extra`` maps every other non-empty
        header (as written) -> column index.

    Raises
    ------
    InputError
        E001 naming the missing columns, what was found, and how to export again.
    """
    lookup = _lookup(aliases)
    fields: dict[str, int] = {}
    extra: dict[str, int] = {}
    seen: set[str] = set()
    for idx, name in enumerate(header):
        if not name:
            continue
        key = normalise_header(name)
        field = lookup.get(key)
        if field is not None and field not in fields:
            fields[field] = idx
        elif field is None and key not in seen:
            extra[name] = idx
        else:
            extra[f"{name} (Spalte {column_letter(idx)})"] = idx
        seen.add(key)
    missing = [f for f in required if f not in fields]
    if missing:
        expected = ", ".join(
            f"'{aliases[f][0]}' (oder '{aliases[f][1]}')"
            if len(aliases[f]) > 1
            else f"'{aliases[f][0]}'"
            for f in missing
        )
        found = ", ".join(f"'{printable(h)}'" for h in header if h) or "nichts"
        label = "Spalte" if len(missing) == 1 else "Spalten"
        verb = "fehlt" if len(missing) == 1 else "fehlen"
        raise InputError(
            Problem(
                "E001",
                f"{label} {expected} {verb} in diesem {what}. Gefunden: {found}",
                Location(where.file, where.sheet, 1),
                "in MAXQDA erneut exportieren, mit allen Standardspalten (deutsche und "
                "englische Spaltennamen gehen beide)",
            )
        )
    return fields, extra


def duplicate_notes(
    header: list[str],
    aliases: dict[str, tuple[str, ...]],
    spellings: Mapping[str, str] | None = None,
) -> list[str]:
    """Notes on columns that occur more than once, saying which column :func:`map_headers` uses.

    Two columns are the same if their headers are equal up to case and spaces, or both are
    spellings of one field (``Dokumentname`` and ``Document name``) or of one variable
    (``spellings``: normalised header -> variable, e.g. ``betriebsgroesse`` -> ``Betriebsgröße``).

    >>> duplicate_notes(["Code", "Segment", "code"], SEGMENT_ALIASES)[0][:60]
    "Spalte 'Code' kommt mehrfach vor (Spalten A, C): verwendet w"
    """
    lookup = _lookup(aliases)
    groups: dict[str, list[int]] = {}
    for idx, name in enumerate(header):
        if name:
            key = normalise_header(name)
            key = lookup.get(key) or (spellings or {}).get(key, key)
            groups.setdefault(key, []).append(idx)
    notes = []
    for indices in groups.values():
        if len(indices) < 2:
            continue
        letters = ", ".join(column_letter(i) for i in indices)
        later = ", ".join(
            f"'{printable(header[i])} (Spalte {column_letter(i)})'" for i in indices[1:]
        )
        notes.append(
            f"Spalte '{printable(header[indices[0]])}' kommt mehrfach vor (Spalten {letters}): "
            f"verwendet wird Spalte {column_letter(indices[0])}; die übrigen bleiben als "
            f"Zusatzspalten {later} erhalten."
        )
    return notes


def classify_header(header: list[str]) -> str | None:
    """Tell what kind of MAXQDA export a table is from its header alone.

    Returns ``"segments"`` for a coded-segments export, ``"variables"`` for a document-variables
    export, and ``None`` for anything else. A variables export names documents and has no
    column of a coding (``Code``, ``Segment``, ``Anfang``, ``Ende``), so that other sheets of a
    MAXQDA project workbook (memos, summaries, paraphrases) are not taken for one.
    """
    found = {_lookup(SEGMENT_ALIASES).get(normalise_header(h)) for h in header if h}
    if "code" in found and ({"segment", "begin"} & found):
        return "segments"
    if "document_name" in found and not ({"code", "segment", "begin", "end"} & found):
        return "variables"
    return None
