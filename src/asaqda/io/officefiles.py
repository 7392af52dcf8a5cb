"""Write Office files (xlsx, docx) that are safe and byte-identical on rerun.

* No cell we write ever becomes a formula: every text cell is stored as a string, whatever it
  starts with (``=``, ``+``, ``-``, ``@``).
* xlsx and docx are ZIP files whose entries carry the time of writing, and both stamp
  ``docProps/core.xml`` with created/modified dates. :func:`freeze_zip` rewrites the archive
  with a fixed date, so the same content gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.cell.rich_text import CellRichText
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

__all__ = [
    "FIXED_DATE",
    "freeze_zip",
    "save_docx",
    "write_csv",
    "write_xlsx",
    "safe_cell_value",
    "make_cell",
    "save_workbook",
    "cell_text",
    "drop_down",
    "protect_all_but_unlocked",
    "print_setup",
    "row_height",
    "EDIT_FILL",
]

#: the date stamped into every Office file we write (no run dates inside result files)
FIXED_DATE = dt.datetime(2000, 1, 1, 0, 0, 0)
_CORE_DATE = re.compile(
    rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:(?:created|modified)>)"
)
_HEADER_FILL = PatternFill("solid", fgColor="D9D9D9")
#: background of the cells a person fills in (light yellow)
EDIT_FILL = "FFF2CC"
#: points per line of wrapped text at Excel's default font (Calibri 11)
_LINE_PT = 15.0


def freeze_zip(path: Path, date: dt.datetime = FIXED_DATE) -> None:
    """Rewrite a ZIP-based Office file with fixed entry times and fixed core-property dates."""
    stamp = date.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    tmp = path.with_name(f".{path.name}.tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _CORE_DATE.sub(rb"\g<1>" + stamp + rb"\g<2>", data)
                data = re.sub(rb"<cp:lastPrinted>[^<]*</cp:lastPrinted>", b"", data)
            new = zipfile.ZipInfo(info.filename, date_time=date.timetuple()[:6])
            new.compress_type = zipfile.ZIP_DEFLATED
            new.external_attr = 0o600 << 16
            dst.writestr(new, data)
    os.replace(tmp, path)


def safe_cell_value(value: Any) -> Any:
    """A value as openpyxl should store it: NaN/NA become empty, numbers stay numbers."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    return value


def clean_text(text: str) -> str:
    """Text as an xlsx cell can hold it: Word's line and page breaks (\\v, \\f) become line
    breaks, other control characters (which XML cannot carry) are dropped."""
    return ILLEGAL_CHARACTERS_RE.sub("", text.replace("\x0b", "\n").replace("\x0c", "\n"))


def make_cell(
    ws: Any,
    value: Any,
    *,
    bold: bool = False,
    wrap: bool = False,
    locked: bool = True,
    fill: str | None = None,
) -> WriteOnlyCell:
    """A cell for a write-only worksheet; text is always stored as text, never as a formula.

    ``value`` may be a :class:`openpyxl.cell.rich_text.CellRichText` (stored as inline rich
    text). ``locked=False`` leaves the cell editable when the sheet is protected; ``fill``
    is a background colour (hex RGB, e.g. :data:`EDIT_FILL` for cells to fill in).
    """
    if not isinstance(value, CellRichText):
        value = safe_cell_value(value)
    if isinstance(value, str):
        value = clean_text(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if bold:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    if wrap:
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    if not locked:
        cell.protection = Protection(locked=False)
    if fill:
        cell.fill = PatternFill("solid", fgColor=fill)
    return cell


def cell_text(value: object) -> str:
    """A cell read back (python-calamine) as text: whole floats without '.0', stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def drop_down(ws: Any, formula: str, cells: str, title: str, error: str) -> None:
    """Add a list validation to ``cells``: a drop-down of ``formula`` (``'"a,b"'`` or a range
    like ``'Codes'!$A$2:$A$9``); Excel refuses other entries with ``error``."""
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=title,
        error=error,
    )
    validation.add(cells)
    ws.data_validations.append(validation)


def protect_all_but_unlocked(ws: Any) -> None:
    """Protect a sheet without password: only cells made with ``locked=False`` can be edited;
    filtering and resizing columns and rows stay allowed.

    Sorting does not: Excel refuses to sort a range with locked cells on a protected sheet,
    whatever the protection allows. Sheets people sort (review sheets) are therefore left
    unprotected."""
    prot = ws.protection
    prot.sheet = True
    prot.autoFilter = False
    prot.sort = False
    prot.formatColumns = False
    prot.formatRows = False


def print_setup(ws: Any, *, landscape: bool = True, title_rows: str = "1:1") -> None:
    """Print setup of a sheet: A4, landscape, all columns on one page width (as many pages
    down as needed) and the header row repeated on every page."""
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows


def row_height(texts: Mapping[float, str], max_lines: int = 12) -> float:
    """Height in points of a row whose wrapped cells hold ``texts`` (column width in
    characters -> text): enough lines for the longest cell, at most ``max_lines`` (Excel
    does not grow rows itself for files it did not write).

    >>> row_height({10: "a" * 25})
    45.0
    """
    lines = 1
    for width, text in texts.items():
        per_line = max(1, int(width) - 1)
        need = sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))
        lines = max(lines, need)
    return _LINE_PT * min(lines, max_lines)


def save_workbook(wb: Workbook, path: Path) -> Path:
    """Save a workbook atomically with fixed dates (same content, same bytes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    wb.save(tmp)
    freeze_zip(tmp)
    os.replace(tmp, path)
    return path


def write_xlsx(
    path: Path,
    sheets: Mapping[str, pd.DataFrame],
    *,
    wrap_columns: Mapping[str, list[str]] | None = None,
    widths: Mapping[str, Mapping[str, float]] | None = None,
) -> Path:
    """Write data frames as formatted worksheets: bold frozen header, filters, column widths.

    Parameters
    ----------
    path
        Target file; written atomically.
    sheets
        Sheet name (max. 31 characters) -> table. Column names become the header row.
    wrap_columns
        Sheet name -> columns whose text wraps (long quotes, definitions).
    widths
        Sheet name -> column -> width in characters (otherwise from the content, max. 60).
    """
    wb = Workbook(write_only=True)
    wb.properties.creator = "asaqda"
    for sheet_name, frame in sheets.items():
        ws = wb.create_sheet(title=sheet_name[:31])
        wrap = set((wrap_columns or {}).get(sheet_name, []))
        fixed = (widths or {}).get(sheet_name, {})
        for idx, col in enumerate(frame.columns, start=1):
            if col in fixed:
                width = fixed[col]
            else:
                sample = frame[col].head(200).map(lambda v: len(str(v)) if v is not None else 0)
                width = min(60, max(len(str(col)) + 2, int(sample.max() if len(sample) else 0) + 2))
            ws.column_dimensions[get_column_letter(idx)].width = width
        ws.freeze_panes = "A2"
        if len(frame.columns):
            ws.auto_filter.ref = (
                f"A1:{get_column_letter(len(frame.columns))}{max(1, len(frame) + 1)}"
            )
        ws.append([make_cell(ws, str(c), bold=True) for c in frame.columns])
        wrap_idx = {i for i, c in enumerate(frame.columns) if c in wrap}
        for row in frame.itertuples(index=False, name=None):
            ws.append([make_cell(ws, v, wrap=i in wrap_idx) for i, v in enumerate(row)])
    return save_workbook(wb, path)


def write_csv(path: Path, frame: pd.DataFrame) -> Path:
    """Write a tidy CSV for machines: UTF-8, comma, '.' as decimal point, LF line ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    frame.to_csv(tmp, index=False, lineterminator="\n")
    os.replace(tmp, path)
    return path


def save_docx(document: object, path: Path) -> Path:
    """Save a python-docx Document with fixed metadata so reruns give the same bytes."""
    props = document.core_properties  # type: ignore[attr-defined]
    props.created = FIXED_DATE
    props.modified = FIXED_DATE
    props.last_printed = FIXED_DATE
    props.revision = 1
    props.author = "asaqda"
    props.last_modified_by = "asaqda"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    document.save(str(tmp))  # type: ignore[attr-defined]
    freeze_zip(tmp)
    os.replace(tmp, path)
    return path
