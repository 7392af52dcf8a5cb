"""Find the MAXQDA exports in a table file: every worksheet is recognised by its header.

A file may be a plain export (one sheet, or a CSV file), an export re-saved in Excel with a
pivot table or notes on another sheet, or MAXQDA's project workbook (``*.mx24.xlsx``: sheets
such as ``Dokumente``, ``Codesystem``, ``Codierte Segmente``, ``Memos`` and
``Dateneditor (Dokumentvariablen)``). Every sheet whose header is a coded-segments export is
read; of the sheets that look like document variables, those named as variables
(``...variablen``/``...variables``) win over plain document lists. Up to five title lines
typed above the header (one or two cells each) are looked past. The other sheets are skipped
with a note; a file without any recognisable sheet is an error (E005) that lists them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from asaqda.errors import InputError, Location, Problem
from asaqda.io.headers import SEGMENT_ALIASES, VARIABLE_ALIASES, classify_header, duplicate_notes
from asaqda.io.tables import RawTable, check_table, read_tables
from asaqda.io.values import printable
from asaqda.io.variables import VARIABLE_SPELLINGS

__all__ = ["RecognisedFile", "recognise_tables", "select_tables"]

_VARIABLE_SHEET = re.compile(r"variable", re.IGNORECASE)
_TITLE_ROWS = 5  # title lines above the header that are looked past


@dataclass
class RecognisedFile:
    """The exports found in one table file, and notes on what was skipped or resolved.

    ``tables`` holds ``(kind, table)`` pairs in sheet order; ``kind`` is ``"segments"`` or
    ``"variables"``.
    """

    tables: list[tuple[str, RawTable]]
    notes: list[str] = field(default_factory=list)


def recognise_tables(path: Path, display: str | None = None) -> RecognisedFile:
    """Read a table file and keep the worksheets that are MAXQDA exports.

    Parameters
    ----------
    path
        An .xlsx or .csv file.
    display
        How the file is named in messages (a path relative to the input folder).

    Returns
    -------
    RecognisedFile
        The recognised tables and the import notes (encoding, skipped sheets, duplicate
        columns), each note starting with the file name.

    Raises
    ------
    InputError
        E002-E004 from reading the file; E004 if a recognised export has no data rows;
        E005 if no sheet is a coded-segments or document-variables export.
    """
    return select_tables(read_tables(path, display))


def select_tables(tables: list[RawTable]) -> RecognisedFile:
    """Choose the export sheets among the tables of one file (see the module docstring).

    Raises
    ------
    InputError
        As :func:`recognise_tables`.
    """
    name = tables[0].file
    notes = [f"{name}: {t.encoding_note}" for t in tables[:1] if t.encoding_note]
    tables = [_below_title(t, notes) for t in tables]
    if len(tables) == 1 and not any(tables[0].header):
        check_table(tables[0])  # E004: no header row
    kinds = [classify_header(t.header) for t in tables]
    several = len(tables) > 1
    variable_sheets = [
        t for t, k in zip(tables, kinds, strict=True) if k == "variables" and _named_variables(t)
    ]
    chosen: list[tuple[str, RawTable]] = []
    skipped: list[str] = []
    for table, kind in zip(tables, kinds, strict=True):
        sheet = f"'{printable(table.sheet or '')}'"
        if kind is None or (
            kind == "variables" and variable_sheets and table not in variable_sheets
        ):
            skipped.append(sheet)
            continue
        if several and not table.rows:
            notes.append(
                f"{name}: Tabellenblatt {sheet} hat keine Datenzeilen und wird übersprungen."
            )
            continue
        check_table(table)
        if kind == "segments":
            duplicates = duplicate_notes(table.header, SEGMENT_ALIASES)
        else:
            duplicates = duplicate_notes(table.header, VARIABLE_ALIASES, VARIABLE_SPELLINGS)
        where = f"{name}, Tabellenblatt {sheet}" if table.sheet else name
        notes.extend(f"{where}: {n}" for n in duplicates)
        chosen.append((kind, table))
    if not any(kinds):
        raise InputError(_not_an_export(tables))
    if not chosen:  # only empty export sheets
        raise InputError(
            Problem(
                "E004",
                "die Tabellenblätter mit Exporten haben keine Datenzeilen",
                Location(name),
                "prüfen, ob beim Export in MAXQDA Dokumente und Codes aktiviert waren",
            )
        )
    if several and skipped:
        used = ", ".join(f"'{printable(t.sheet or '')}'" for _, t in chosen)
        notes.append(
            f"{name}: gelesen wurden die Tabellenblätter {used}; übersprungen (kein Export der "
            f"codierten Segmente oder Dokumentvariablen): {', '.join(skipped)}."
        )
    return RecognisedFile(chosen, notes)


def _below_title(table: RawTable, notes: list[str]) -> RawTable:
    """The table with its header moved down past title lines someone typed above it.

    Only if row 1 is no export header, a later row among the first ``_TITLE_ROWS + 1`` is one,
    and every row above it holds at most two cells (a title, a date), as after re-saving an
    export in Excel with a heading.
    """
    if classify_header(table.header) is not None:
        return table
    above = [table.header]
    for idx, row in enumerate(table.rows[:_TITLE_ROWS]):
        if sum(1 for v in above[-1] if not _blank(v)) > 2:
            return table
        header = [_header_text(v) for v in row]
        if classify_header(header) is not None:
            where = f"Tabellenblatt '{printable(table.sheet)}'" if table.sheet else "die Tabelle"
            row_no = table.first_row + idx
            notes.append(
                f"{table.file}: {where} hat über der Kopfzeile Titelzeilen; gelesen ab der "
                f"Kopfzeile in Zeile {row_no}."
            )
            return RawTable(
                table.file,
                table.sheet,
                header,
                table.rows[idx + 1 :],
                first_row=row_no + 1,
                encoding_note=table.encoding_note,
            )
        above.append(row)
    return table


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _header_text(value: object) -> str:
    return "" if value is None else str(value).replace("\ufeff", "").strip()


def _named_variables(table: RawTable) -> bool:
    return bool(table.sheet and _VARIABLE_SHEET.search(table.sheet))


def _not_an_export(tables: list[RawTable]) -> Problem:
    name = tables[0].file
    fix = (
        "in MAXQDA die 'Liste der codierten Segmente' (Retrieved Segments) oder die "
        "Dokumentvariablen als Excel- oder CSV-Datei exportieren, oder die Datei aus dem "
        "Wellenordner nehmen"
    )
    if len(tables) == 1:
        table = tables[0]
        found = ", ".join(f"'{printable(h)}'" for h in table.header[:30] if h) or "nichts"
        what = "diese Tabelle" if table.sheet is None else "dieses Tabellenblatt"
        return Problem(
            "E005",
            f"{what} ist weder ein Export der codierten Segmente noch der Dokumentvariablen "
            f"(Kopfzeile: {found})",
            Location(name, table.sheet, 1),
            fix,
        )
    sheets = "; ".join(
        f"'{printable(t.sheet or '')}' (Kopfzeile: "
        + (", ".join(f"'{printable(h, 25)}'" for h in t.header[:6] if h) or "leer")
        + (", …" if sum(1 for h in t.header if h) > 6 else "")
        + ")"
        for t in tables
    )
    return Problem(
        "E005",
        f"keines der {len(tables)} Tabellenblätter ist ein Export der codierten Segmente oder "
        f"der Dokumentvariablen. Die Arbeitsmappe enthält: {sheets}",
        Location(name),
        fix,
    )
