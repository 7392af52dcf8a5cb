"""Read a spreadsheet export (.xlsx or .csv) into a header and raw rows.

xlsx is read with python-calamine (several times faster than openpyxl, see
``benchmarks/import_full.py``); :func:`read_tables` returns every worksheet, :func:`read_table`
the first. CSV files are decoded by :mod:`asaqda.io.csvtext` (UTF-8, Windows-1252, UTF-16;
``;``, ``,`` or tabs).

What a file is comes from its first bytes, not its name: a workbook renamed ``.csv`` (it starts
with ``PK``) is read as a workbook, a CSV file renamed ``.xlsx`` as CSV, each with a note; an
encrypted workbook or old ``.xls`` (OLE file) and any other binary file are reported in plain
words, never by printing their bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from asaqda.errors import InputError, Location, Problem
from asaqda.io.csvtext import parse_csv
from asaqda.io.values import printable

__all__ = ["RawTable", "read_table", "read_tables", "check_table", "TABLE_SUFFIXES"]

TABLE_SUFFIXES = (".xlsx", ".csv")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted xlsx and old .xls are OLE files
_ZIP_MAGIC = b"PK\x03\x04"  # every xlsx is a ZIP archive


@dataclass
class RawTable:
    """A table as found in the file: header strings and the data rows below it.

    ``first_row`` is the number a user sees for ``rows[0]`` in Excel (the header is row 1).
    """

    file: str
    sheet: str | None
    header: list[str]
    rows: list[list[Any]]
    first_row: int = 2
    encoding_note: str | None = None

    def location(self, row_index: int | None = None, column: str | None = None) -> Location:
        """Location of data row ``row_index`` (0-based) and ``column`` for messages."""
        row = None if row_index is None else self.first_row + row_index
        return Location(self.file, self.sheet, row, column)


def read_table(path: Path, display: str | None = None) -> RawTable:
    """Read the first worksheet of an .xlsx file or a whole .csv file.

    Parameters
    ----------
    path
        The file.
    display
        How the file is named in messages (a path relative to the input folder).

    Returns
    -------
    RawTable
        Header (stripped strings) and rows, trailing empty rows removed.

    Raises
    ------
    InputError
        E002 unreadable, E003 password-protected, E004 empty.
    """
    table = read_tables(path, display, first_only=True)[0]
    check_table(table)
    return table


def read_tables(
    path: Path, display: str | None = None, *, first_only: bool = False
) -> list[RawTable]:
    """Read every worksheet of a workbook, or the one table of a CSV file.

    Worksheets without any filled cell are left out; trailing empty rows are removed. What the
    file is comes from its first bytes (see the module docstring); ``encoding_note`` of each
    table says how it was read when that is not the plain case.

    Parameters
    ----------
    path
        The file (.xlsx or .csv).
    display
        How the file is named in messages (a path relative to the input folder).
    first_only
        Read only the first worksheet (even if it is empty).

    Returns
    -------
    list of RawTable
        In workbook order; at least one table.

    Raises
    ------
    InputError
        E002 unreadable or not a table file, E003 password-protected or old .xls, E004 empty.
    """
    name = display or path.name
    with path.open("rb") as fh:  # the head tells what the file is; a workbook is not loaded
        head = fh.read(4096)
    if not head:
        raise InputError(
            Problem(
                "E004",
                "die Datei ist leer (0 Bytes)",
                Location(name),
                "die Tabelle in MAXQDA erneut exportieren und diese Datei ersetzen",
            )
        )
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:  # pragma: no cover - callers filter by suffix
        raise ValueError(f"not a table file: {path}")
    if head.startswith(_OLE_MAGIC):
        raise InputError(
            Problem(
                "E003",
                "die Arbeitsmappe ist mit einem Passwort geschützt oder eine alte .xls-Datei"
                + (" (mit der Endung .csv)" if suffix == ".csv" else ""),
                Location(name),
                "in Excel öffnen, das Passwort entfernen (Datei > Informationen > Arbeitsmappe "
                "schützen) bzw. als .xlsx speichern und diese Datei ersetzen",
            )
        )
    if head.startswith(_ZIP_MAGIC):
        note = (
            "Die Datei ist eine Excel-Arbeitsmappe (xlsx) mit der Endung .csv; sie wurde als "
            "Arbeitsmappe gelesen."
            if suffix == ".csv"
            else None
        )
        tables = _read_xlsx(path, name, first_only)
    elif suffix == ".xlsx" and _looks_like_text(head):
        note = "Die Datei ist eine Textdatei (CSV) mit der Endung .xlsx; sie wurde als CSV gelesen."
        tables = [_read_csv(path.read_bytes(), name)]
    elif suffix == ".xlsx":
        raise InputError(
            Problem(
                "E002",
                f"die Datei ist keine Excel-Arbeitsmappe (xlsx) und keine Textdatei "
                f"({path.stat().st_size} Bytes, beginnt nicht wie eine Arbeitsmappe)",
                Location(name),
                "die Tabelle in MAXQDA erneut als Excel-Datei (.xlsx) exportieren und diese "
                "Datei ersetzen",
            )
        )
    else:
        note = None
        tables = [_read_csv(path.read_bytes(), name)]
    for table in tables:
        if note:
            table.encoding_note = f"{note} {table.encoding_note or ''}".strip()
        while table.rows and all(_blank(v) for v in table.rows[-1]):
            table.rows.pop()
    return tables


def check_table(table: RawTable) -> None:
    """Check that a table has a header row and data rows.

    Raises
    ------
    InputError
        E004 naming the file and sheet.
    """
    if not table.header or all(h == "" for h in table.header):
        raise InputError(
            Problem(
                "E004",
                "die Datei hat keine Kopfzeile"
                if table.sheet is None
                else "das Tabellenblatt hat keine Kopfzeile",
                Location(table.file, table.sheet, 1),
                "die Tabelle in MAXQDA erneut mit Spaltenüberschriften exportieren",
            )
        )
    if not table.rows:
        raise InputError(
            Problem(
                "E004",
                "die Datei hat eine Kopfzeile, aber keine Datenzeilen",
                Location(table.file, table.sheet, 2),
                "prüfen, ob beim Export in MAXQDA Dokumente und Codes aktiviert waren",
            )
        )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _looks_like_text(raw: bytes) -> bool:
    sample = raw[:4096]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return b"\x00" not in sample


def _read_xlsx(path: Path, name: str, first_only: bool) -> list[RawTable]:
    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = list(wb.sheet_names)[:1] if first_only else list(wb.sheet_names)
        sheets = [
            (sheet, wb.get_sheet_by_index(i).to_python(skip_empty_area=False))
            for i, sheet in enumerate(names)
        ]
    except PasswordError as exc:
        raise InputError(
            Problem(
                "E003",
                "die Arbeitsmappe ist mit einem Passwort geschützt",
                Location(name),
                "das Passwort in Excel entfernen und diese Datei ersetzen",
            )
        ) from exc
    except (CalamineError, IndexError, OSError, ValueError, TypeError) as exc:
        raise InputError(
            Problem(
                "E002",
                f"die Arbeitsmappe kann nicht gelesen werden ({printable(str(exc), 120)})",
                Location(name),
                "in Excel öffnen und prüfen, ob sie intakt ist, oder in MAXQDA erneut exportieren",
            )
        ) from exc
    tables = []
    for sheet, data in sheets:
        if not first_only and not any(not _blank(v) for row in data for v in row):
            continue  # an empty sheet of a workbook with several sheets
        header = [_header_cell(v) for v in data[0]] if data else []
        tables.append(RawTable(name, sheet, header, [list(r) for r in data[1:]]))
    if not tables:
        raise InputError(
            Problem(
                "E004",
                "alle Tabellenblätter sind leer"
                if len(sheets) > 1
                else "das erste Tabellenblatt ist leer",
                Location(name, sheets[0][0] if len(sheets) == 1 else None),
                "die Tabelle in MAXQDA erneut exportieren",
            )
        )
    return tables


def _header_cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value).replace("\ufeff", "").strip()


def _read_csv(raw: bytes, name: str) -> RawTable:
    text = parse_csv(raw, name)
    header = [_header_cell(v) for v in text.records[0]] if text.records else []
    rows: list[list[Any]] = [[None if v == "" else v for v in r] for r in text.records[1:]]
    return RawTable(
        name, None, header, rows, first_row=text.header_row + 1, encoding_note=text.note
    )
