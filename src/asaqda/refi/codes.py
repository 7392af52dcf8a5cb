"""Read the code system of a REFI-QDA file: a codebook alone (``.qdc``, schema Codebook.xsd) or
the ``CodeBook`` inside a project (``.qdpx``, ``.qde``).

Every code becomes one row with its full path (levels joined by `` > `` as in MAXQDA's coded
segments), its description (``Description``: MAXQDA writes the code memo there, NVivo the
node description, ATLAS.ti the code comment) and the text of the notes the code references
(``NoteRef`` -> ``Notes/Note``), which some tools use for memos.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from lxml import etree

from asaqda.errors import InputError, Location, Problem
from asaqda.refi.archive import DEFAULT_LIMITS, Limits, RefiArchive, element_text
from asaqda.refi.names import CODEBOOK_NS, PROJECT_NS

__all__ = ["CODE_COLUMNS", "code_rows", "read_code_system", "CODEBOOK_SUFFIXES"]

#: columns of a code system table
CODE_COLUMNS = ["guid", "name", "path", "description", "memo", "color", "codable"]
#: file types that hold a code system
CODEBOOK_SUFFIXES = (".qdc", ".qdpx", ".qde")


def _text(el: etree._Element | None) -> str:
    return element_text(el).strip()


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def code_rows(
    codes_el: etree._Element | None, notes: dict[str, str] | None = None
) -> list[dict[str, str | bool]]:
    """The codes under a ``Codes`` element, depth first, as rows of :data:`CODE_COLUMNS`.

    Parameters
    ----------
    codes_el
        the ``Codes`` element (of either namespace), or ``None``
    notes
        note GUID (upper case) -> note text, for ``NoteRef`` memos

    Returns
    -------
    list of dict
        one row per code; ``guid`` upper case, ``codable`` from ``isCodable`` (default true)
    """
    rows: list[dict[str, str | bool]] = []
    notes = notes or {}

    def walk(el: etree._Element, prefix: str) -> None:
        for code in el:
            if _local(code) != "Code":
                continue
            name = (code.get("name") or "").strip()
            path = f"{prefix} > {name}" if prefix else name
            desc = next((c for c in code if _local(c) == "Description"), None)
            refs = [(c.get("targetGUID") or "").upper() for c in code if _local(c) == "NoteRef"]
            rows.append(
                {
                    "guid": (code.get("guid") or "").upper(),
                    "name": name,
                    "path": path,
                    "description": _text(desc),
                    "memo": "\n\n".join(notes[r] for r in refs if notes.get(r)),
                    "color": code.get("color") or "",
                    "codable": (code.get("isCodable") or "true").strip().lower()
                    not in ("false", "0"),
                }
            )
            walk(code, path)

    if codes_el is not None:
        walk(codes_el, "")
    return rows


def _notes(root: etree._Element, archive: RefiArchive) -> dict[str, str]:
    """Note GUID -> text, inline (``PlainTextContent``) or from the archive."""
    out: dict[str, str] = {}
    for note in root.iter(f"{{{PROJECT_NS}}}Note"):
        inline = note.find(f"{{{PROJECT_NS}}}PlainTextContent")
        if inline is not None:
            text = _text(inline)
        else:
            data = archive.member(note.get("plainTextPath") or "")
            text = "" if data is None else _decode_note(data)
        out[(note.get("guid") or "").upper()] = text.strip()
    return out


def _decode_note(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    return data.decode("utf-8-sig", errors="replace")


def read_code_system(
    path: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> pd.DataFrame:
    """The code system of a ``.qdc`` codebook or of a ``.qdpx``/``.qde`` project.

    Parameters
    ----------
    path
        the file
    display
        how messages name the file (default: its name)
    limits
        size limits for what is read

    Returns
    -------
    pandas.DataFrame
        columns :data:`CODE_COLUMNS`, one row per code in the file's order (parents before
        their children)

    Raises
    ------
    InputError
        E002 when the file cannot be read or is no REFI-QDA codebook or project; E019 when it
        exceeds the size limits.
    """
    display = display or path.name
    with RefiArchive(path, display, limits) as archive:
        root = archive.project_root()
        kind = _local(root)
        ns = etree.QName(root).namespace
        if kind == "CodeBook" and ns in (CODEBOOK_NS, PROJECT_NS):
            codes_el = root.find(f"{{{ns}}}Codes")
            notes: dict[str, str] = {}
        elif kind == "Project" and ns == PROJECT_NS:
            codes_el = root.find(f"{{{PROJECT_NS}}}CodeBook/{{{PROJECT_NS}}}Codes")
            notes = _notes(root, archive)
        else:
            raise InputError(
                Problem(
                    "E002",
                    f"die Datei ist weder ein REFI-QDA-Codebuch (.qdc) noch ein REFI-QDA-Projekt "
                    f"(Wurzelelement {root.tag})",
                    Location(display),
                    "exportieren Sie das Codesystem im QDA-Programm als REFI-QDA-Codebuch (.qdc) "
                    "oder das ganze Projekt als REFI-QDA-Projekt (.qdpx)",
                )
            )
    return pd.DataFrame(code_rows(codes_el, notes), columns=CODE_COLUMNS)
