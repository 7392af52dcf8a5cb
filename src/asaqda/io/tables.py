"""Read a spreadsheet export (.xlsx or .csv) into a header and raw rows.

xlsx is read with python-calamine (several times faster than openpyxl, see
``benchmarks/import_full.py``). CSV exports from MAXQDA are UTF-8, with or without BOM, and use
``;`` on German systems and ``,`` elsewhere; a file re-saved by German Excel as "CSV
(Trennzeichen-getrennt)" is Windows-1252 and is read as such, with a warning.
"""

from __future__ import annotations

import csv
import io
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from asaqda.errors import InputError, Location, Problem

__all__ = ["RawTable", "read_table", "TABLE_SUFFIXES"]

log = logging.getLogger(__name__)

TABLE_SUFFIXES = (".xlsx", ".csv")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # encrypted xlsx and old .xls are OLE files


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
    name = display or path.name
    if path.stat().st_size == 0:
        raise InputError(
            Problem(
                "E004",
                "the file is empty (0 bytes)",
                Location(name),
                "export the table from MAXQDA again and replace this file",
            )
        )
    if path.suffix.lower() == ".xlsx":
        table = _read_xlsx(path, name)
    elif path.suffix.lower() == ".csv":
        table = _read_csv(path, name)
    else:  # pragma: no cover - callers filter by suffix
        raise ValueError(f"not a table file: {path}")
    while table.rows and all(_blank(v) for v in table.rows[-1]):
        table.rows.pop()
    if not table.header or all(h == "" for h in table.header):
        raise InputError(
            Problem(
                "E004",
                "the file has no header row",
                Location(name, table.sheet, 1),
                "export the table from MAXQDA again with the column headers",
            )
        )
    if not table.rows:
        raise InputError(
            Problem(
                "E004",
                "the file has a header but no data rows",
                Location(name, table.sheet, 2),
                "check that the export in MAXQDA selected the documents and codes",
            )
        )
    return table


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _read_xlsx(path: Path, name: str) -> RawTable:
    with path.open("rb") as fh:
        magic = fh.read(8)
    if magic == _OLE_MAGIC:
        raise InputError(
            Problem(
                "E003",
                "the workbook is password-protected (or an old .xls file)",
                Location(name),
                "open it in Excel, remove the password (Datei > Informationen > Arbeitsmappe "
                "schützen) or save as .xlsx, then replace this file",
            )
        )
    try:
        wb = CalamineWorkbook.from_path(str(path))
        sheet_name = wb.sheet_names[0]
        data = wb.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except PasswordError as exc:
        raise InputError(
            Problem(
                "E003",
                f"the workbook is password-protected ({exc})",
                Location(name),
                "remove the password in Excel and replace this file",
            )
        ) from exc
    except (CalamineError, IndexError, OSError, ValueError) as exc:
        raise InputError(
            Problem(
                "E002",
                f"the workbook cannot be read ({type(exc).__name__}: {exc})",
                Location(name),
                "open it in Excel to check it is intact, or export it from MAXQDA again",
            )
        ) from exc
    if not data:
        raise InputError(
            Problem(
                "E004",
                "the first worksheet is empty",
                Location(name, sheet_name),
                "export the table from MAXQDA again",
            )
        )
    header = [_header_cell(v) for v in data[0]]
    return RawTable(name, sheet_name, header, [list(r) for r in data[1:]])


def _header_cell(value: Any) -> str:
    if value is None:
        return ""
    return str(value).replace("\ufeff", "").strip()


def _read_csv(path: Path, name: str) -> RawTable:
    raw = path.read_bytes()
    note = None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        note = "not UTF-8; read as Windows-1252 (Excel 'CSV (Trennzeichen-getrennt)')"
        log.warning("%s: %s", name, note)
    if not text.strip():
        raise InputError(
            Problem(
                "E004",
                "the file contains only whitespace",
                Location(name),
                "export the table from MAXQDA again",
            )
        )
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(
            Problem(
                "E002",
                f"the CSV file cannot be parsed ({exc})",
                Location(name),
                "export it from MAXQDA again as CSV (UTF-8)",
            )
        ) from exc
    header = [_header_cell(v) for v in records[0]]
    rows: list[list[Any]] = [[None if v == "" else v for v in r] for r in records[1:]]
    return RawTable(name, None, header, rows, encoding_note=note)
