"""Header alias table: MAXQDA export column names (German and English) to canonical fields.

Headers are matched by name, never by position: case, surrounding space and repeated spaces do
not matter. Columns that match no alias are kept as extra columns.
"""

from __future__ import annotations

import re

from asaqda.errors import InputError, Location, Problem

__all__ = [
    "SEGMENT_ALIASES",
    "VARIABLE_ALIASES",
    "SEGMENT_REQUIRED",
    "VARIABLE_REQUIRED",
    "normalise_header",
    "map_headers",
    "classify_header",
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
    return re.sub(r"\s+", " ", name.replace("\ufeff", "")).strip().casefold()


def _lookup(aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {normalise_header(a): field for field, names in aliases.items() for a in names}


def map_headers(
    header: list[str],
    aliases: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    where: Location,
    what: str,
) -> tuple[dict[str, int], dict[str, int]]:
    """Map a header row to canonical fields.

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
    for idx, name in enumerate(header):
        if not name:
            continue
        field = lookup.get(normalise_header(name))
        if field is not None and field not in fields:
            fields[field] = idx
        else:
            extra[name] = idx
    missing = [f for f in required if f not in fields]
    if missing:
        expected = ", ".join(
            f"'{aliases[f][0]}' (or '{aliases[f][1]}')"
            if len(aliases[f]) > 1
            else f"'{aliases[f][0]}'"
            for f in missing
        )
        found = ", ".join(f"'{h}'" for h in header if h) or "nothing"
        raise InputError(
            Problem(
                "E001",
                f"column {expected} missing in this {what}. Found: {found}",
                Location(where.file, where.sheet, 1),
                f"export the {what} from MAXQDA again with all standard columns "
                "(German or English headers both work)",
            )
        )
    return fields, extra


def classify_header(header: list[str]) -> str | None:
    """Tell what kind of MAXQDA export a table is from its header alone.

    Returns ``"segments"`` for a coded-segments export, ``"variables"`` for a document-variables
    export, and ``None`` for anything else.
    """
    found = {_lookup(SEGMENT_ALIASES).get(normalise_header(h)) for h in header if h}
    if "code" in found and ({"segment", "begin"} & found):
        return "segments"
    if {"document_group", "document_name"} <= found and "code" not in found:
        return "variables"
    if "document_name" in found and "code" not in found and "segment" not in found:
        return "variables"
    return None
