"""A codebook folder from a REFI-QDA code system (``asaqda codebook import``).

The code system of a ``.qdc`` codebook or of a ``.qdpx``/``.qde`` project
(:func:`asaqda.refi.codes.read_code_system`) becomes the YAML folder of ``codebook/``: one file
per top-level code (the main category), every code with its full path, ``art: deduktiv``, its
description and memo as the definition and its colour; ``codebook.yaml`` lists the main
categories in the file's order. A code without any description gets a placeholder definition
that says to fill it in. Perspectives, anchor examples and coding rules are left for the team.

MAXQDA's Excel code list (the table *Codes > Codes und Memos aus Excel-Tabelle importieren*
reads, and the ``codebook/maxqda_codesystem.xlsx`` the pipeline writes) has the columns
``Code`` (levels joined by ``>`` or ``\\``) and ``Memo``; :func:`read_code_list` turns it into
the same code system table (a ``Definition:`` line of the memo is taken as the definition,
otherwise the whole memo).

The folder is written into a temporary copy, validated with
:func:`asaqda.codebook.load_codebook` and only then moved into place; a target folder that
already holds a codebook is never overwritten.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from asaqda.codebook import META_FILE, load_codebook
from asaqda.codebook_edit import _slug
from asaqda.errors import CodebookError, Location, Problem

__all__ = ["codebook_files", "import_codebook", "read_code_list", "PLACEHOLDER"]

#: definition of a code the file describes nowhere
PLACEHOLDER = "Noch keine Definition (aus {file} übernommen): bitte ergänzen."
_COLOR6 = re.compile(r"^#[0-9A-Fa-f]{6}$")
_COLOR3 = re.compile(r"^#([0-9A-Fa-f])([0-9A-Fa-f])([0-9A-Fa-f])$")


def _color(value: str) -> str | None:
    if _COLOR6.match(value):
        return value.lower()
    short = _COLOR3.match(value)
    return "#" + "".join(c * 2 for c in short.groups()).lower() if short else None


def codebook_files(codes: pd.DataFrame, source: str, stand: str) -> dict[str, dict[str, Any]]:
    """The YAML documents of a codebook folder for a code system.

    Parameters
    ----------
    codes
        a code system table (:data:`asaqda.refi.codes.CODE_COLUMNS`), parents before children
    source
        the file's name, for the placeholder definitions and the title
    stand
        the date of this version (``YYYY-MM-DD``)

    Returns
    -------
    dict
        file name -> document: ``codebook.yaml`` and one ``<slug>.yaml`` per main category

    Raises
    ------
    CodebookError
        E104 when two codes have the same path.
    """
    seen: set[str] = set()
    problems: list[Problem] = []
    mains: dict[str, dict[str, Any]] = {}
    for row in codes.itertuples(index=False):
        if row.path in seen:
            problems.append(
                Problem(
                    "E104",
                    f"der Code '{row.path}' steht zweimal im Codesystem",
                    Location(source),
                    "benennen Sie einen der beiden Codes im QDA-Programm um und exportieren "
                    "Sie das Codesystem erneut",
                )
            )
            continue
        seen.add(row.path)
        bad = next((c for c in (">", "\\", "|") if c in row.name), None)
        if bad is not None:
            problems.append(
                Problem(
                    "E102",
                    f"der Codename '{row.name}' (Pfad '{row.path}') enthält das Zeichen '{bad}', "
                    "das im Codebuch Ebenen trennt oder in MAXQDA-Codenamen nicht stehen kann",
                    Location(source),
                    "benennen Sie den Code im QDA-Programm um und exportieren Sie das "
                    "Codesystem erneut",
                )
            )
            continue
        main = row.path.split(" > ")[0]
        text = "\n\n".join(t for t in (row.description, row.memo) if t)
        entry: dict[str, Any] = {
            "code": row.path,
            "art": "deduktiv",
            "definition": text or PLACEHOLDER.format(file=source),
        }
        if color := _color(row.color):
            entry["farbe"] = color
        if main not in mains:
            mains[main] = {
                "hauptkategorie": main,
                "perspektive": "",
                "beschreibung": row.description if row.path == main else "",
                "codes": [],
            }
        mains[main]["codes"].append(entry)
    if problems:
        raise CodebookError(problems)
    files: dict[str, dict[str, Any]] = {
        META_FILE: {
            "titel": f"Kategoriensystem aus {source}",
            "version": "0.1.0",
            "stand": stand,
            "hinweis": f"Aus dem REFI-QDA-Codesystem {source} übernommen; Perspektiven, "
            "Ankerbeispiele und Kodierregeln ergänzen.",
            "reihenfolge": list(mains),
        }
    }
    for main, doc in mains.items():
        name, n = f"{_slug(main)}.yaml", 2
        while name in files:
            name, n = f"{_slug(main)}_{n}.yaml", n + 1
        files[name] = doc
    return files


def import_codebook(codes: pd.DataFrame, source: str, target: Path, stand: str) -> list[Path]:
    """Write the codebook folder for a code system into ``target`` (created; must not yet hold
    a codebook).

    Parameters
    ----------
    codes
        a code system table (:func:`asaqda.refi.codes.read_code_system`)
    source
        the file's name, for messages and placeholder definitions
    target
        the new codebook folder
    stand
        the date of this version (``YYYY-MM-DD``)

    Returns
    -------
    list of Path
        the files written, ``codebook.yaml`` first

    Raises
    ------
    CodebookError
        E101 when ``target`` already holds YAML files; E102/E104 when the code system breaks a
        rule of the codebook (a name with ``>`` or ``\\``, longer than 63 characters, a code
        twice); nothing is written then.
    """
    if not len(codes):
        raise CodebookError(
            Problem(
                "E101",
                "die Datei enthält keine Codes",
                Location(source),
                "exportieren Sie das Codesystem mit seinen Codes erneut",
            )
        )
    if target.exists() and any(target.glob("*.yaml")):
        raise CodebookError(
            Problem(
                "E101",
                f"der Ordner '{target}' enthält schon ein Codebuch (YAML-Dateien); es wird nicht "
                "überschrieben",
                Location(str(target)),
                "geben Sie mit --out einen neuen, leeren Ordner an",
            )
        )
    files = codebook_files(codes, source, stand)
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".codebook-import-") as tmp:
        stage = Path(tmp) / target.name
        stage.mkdir()
        for name, doc in files.items():
            (stage / name).write_text(
                yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100),
                encoding="utf-8",
            )
        load_codebook(stage)  # raises CodebookError naming the code and the rule
        target.mkdir(exist_ok=True)
        for name in files:
            shutil.move(str(stage / name), str(target / name))
    return [target / name for name in files]


def _code_row(name: str, path: str, description: str) -> dict[str, object]:
    return {
        "guid": "",
        "name": name,
        "path": path,
        "description": description,
        "memo": "",
        "color": "",
        "codable": True,
    }


_MEMO_DEFINITION = re.compile(r"^Definition:\s*(.*)$", re.MULTILINE)


def read_code_list(path: Path, display: str | None = None) -> pd.DataFrame:
    """The code system of a MAXQDA Excel code list (columns ``Code`` and ``Memo``).

    Parameters
    ----------
    path
        the ``.xlsx`` file; the first sheet whose header has a column ``Code`` is read
    display
        how messages name the file (default: its name)

    Returns
    -------
    pandas.DataFrame
        columns :data:`asaqda.refi.codes.CODE_COLUMNS` (``guid`` and ``color`` empty), one
        row per code in the file's order; a parent that has no row of its own is added before
        its first child

    Raises
    ------
    InputError
        E002 when the file cannot be read, E001 when no sheet has a column ``Code``, E011 when
        a code has an empty level (``A >  > B``), naming the row.
    CodebookError
        E104 when a code has two rows, naming both.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    from asaqda.errors import InputError
    from asaqda.io.officefiles import cell_text
    from asaqda.refi.codes import CODE_COLUMNS

    display = display or path.name
    try:
        book = CalamineWorkbook.from_path(str(path))
        sheets = [(n, book.get_sheet_by_name(n).to_python()) for n in book.sheet_names]
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(
            Problem(
                "E002",
                f"die Datei kann nicht als Excel-Arbeitsmappe gelesen werden ({exc})",
                Location(display),
                "die Codeliste in Excel als Excel-Arbeitsmappe (.xlsx) speichern oder das "
                "Codesystem in MAXQDA als REFI-QDA-Codebuch (.qdc) exportieren",
            )
        ) from exc
    found = []
    for name, rows in sheets:
        header = [cell_text(v) for v in (rows[0] if rows else [])]
        found.append(f"{name}: {', '.join(h for h in header if h) or 'leer'}")
        if "Code" in header:
            break
    else:
        raise InputError(
            Problem(
                "E001",
                f"keine Tabelle hat eine Spalte 'Code' (gefunden: {'; '.join(found)})",
                Location(display),
                "in die erste Zeile der Codeliste die Spaltenköpfe 'Code' und 'Memo' schreiben "
                "(wie für MAXQDAs 'Codes und Memos aus Excel-Tabelle importieren')",
            )
        )
    code_col = header.index("Code")
    memo_col = header.index("Memo") if "Memo" in header else None
    out: dict[str, dict[str, object]] = {}
    explicit: dict[str, int] = {}  # code -> its row
    for number, raw in enumerate(rows[1:], start=2):
        cells = [cell_text(v) for v in raw]
        text = cells[code_col] if code_col < len(cells) else ""
        if not text:
            continue
        levels = [level.strip() for level in re.split(r">|\\", text)]
        if not all(levels):
            raise InputError(
                Problem(
                    "E011",
                    f"der Code '{text}' hat eine leere Ebene",
                    Location(display, name, number, "Code"),
                    "die Ebenen mit ' > ' trennen, z. B. 'Freistellung > keine'",
                )
            )
        memo = cells[memo_col] if memo_col is not None and memo_col < len(cells) else ""
        definition = _MEMO_DEFINITION.search(memo)
        full = " > ".join(levels)
        if full in explicit:
            raise CodebookError(
                Problem(
                    "E104",
                    f"der Code '{full}' steht zweimal in der Codeliste (Zeilen "
                    f"{explicit[full]} und {number})",
                    Location(display, name, number, "Code"),
                    "eine der beiden Zeilen löschen oder den Code umbenennen",
                )
            )
        explicit[full] = number
        for depth in range(1, len(levels)):  # parents without a row of their own
            parent = " > ".join(levels[:depth])
            out.setdefault(parent, _code_row(levels[depth - 1], parent, ""))
        out[full] = _code_row(levels[-1], full, definition.group(1).strip() if definition else memo)
    return pd.DataFrame(list(out.values()), columns=CODE_COLUMNS)
