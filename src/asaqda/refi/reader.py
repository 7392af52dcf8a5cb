"""Read REFI-QDA projects (``.qdpx``, or a bare ``.qde``) that MAXQDA, ATLAS.ti, NVivo or
QualCoder wrote, into the parts the wave import builds its canonical tables from.

What the tools really write (``../shared/spec/formats.md``, checked on the samples):

* the project file is ``project.qde``, ``Project.qde`` or ``<name>.qde``; sources lie in
  ``sources/`` or ``Sources/``: names are matched case-insensitively;
* ``plainTextPath`` is ``internal://<file>`` (MAXQDA, NVivo, ATLAS.ti) or a bare file name
  (QualCoder); ATLAS.ti may carry the text inline (``PlainTextContent``);
* texts may start with a byte-order mark (NVivo) that is not counted, and may use Windows line
  breaks, which count as two characters;
* offsets are code points (the standard), except NVivo for Windows: UTF-16 units. The way of
  counting is taken from ``Project/@origin`` and checked on the text: selections must lie in the
  text and start and end at word boundaries; if the other way of counting fits clearly better,
  it is used and the import notes say so;
* ATLAS.ti writes selections of no length (a quotation at one point): they code nothing and
  are skipped with a note;
* only text sources are analysed: codings in PDF, picture, audio and video sources are counted
  in the notes.

The archive is read by :class:`asaqda.refi.archive.RefiArchive`: only the project XML and the
texts that sources reference, streamed and within size limits.

Codings under the branch ``Vorschläge`` are open pre-coding suggestions (from our own export),
not human codings: they are left out and counted in the notes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from lxml import etree

from asaqda.errors import InputError, Location, Problem, ProblemList
from asaqda.io.segments import SEGMENT_FRAME_COLUMNS
from asaqda.io.tables import RawTable
from asaqda.io.transcripts import Paragraph, parse_turn
from asaqda.refi.archive import DEFAULT_LIMITS, Limits, RefiArchive, element_text
from asaqda.refi.codes import CODE_COLUMNS, code_rows
from asaqda.refi.names import PROJECT_NS, SUGGESTION_BRANCH
from asaqda.refi.offsets import boundary_share, paragraph_of, utf16_to_codepoints

__all__ = ["RefiSource", "RefiProject", "read_project", "wave_parts", "REFI_SUFFIXES"]

REFI_SUFFIXES = (".qdpx", ".qde")
_N = f"{{{PROJECT_NS}}}"
_MEDIA_SOURCES = {f"{{{PROJECT_NS}}}{kind}Source" for kind in ("PDF", "Picture", "Audio", "Video")}
_MODE_DE = {"codepoints": "Unicode-Zeichen", "utf16": "UTF-16-Einheiten"}


@dataclass
class RefiSource:
    """One text source of a project."""

    guid: str
    name: str
    text: str | None  # None: the project carries no text for it
    group: str
    variables: dict[str, str] = field(default_factory=dict)
    offsets: str = "codepoints"  # how the tool counted: codepoints | utf16


@dataclass
class RefiProject:
    """The parts of a REFI-QDA project the pipeline uses."""

    file: str
    origin: str
    users: dict[str, str]
    codes: pd.DataFrame  # CODE_COLUMNS: guid, name, path, description, memo, ...
    sources: list[RefiSource]
    selections: pd.DataFrame  # source, guid, start, end, code, user, created, description
    notes: list[str]


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    try:
        return data.decode("utf-8-sig")  # a BOM is not part of the text
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _position(
    sel: etree._Element, attr: str, source: str, display: str, problems: ProblemList
) -> int | None:
    """A selection's ``startPosition``/``endPosition`` as an int, or ``None`` (recorded)."""
    raw = sel.get(attr)
    try:
        return int((raw or "").strip())
    except ValueError:
        shown = "fehlt" if raw is None else f"ist '{raw[:40]}', keine ganze Zahl"
        problems.add(
            "E011",
            f"Auswahl {sel.get('guid', '?')} in der Quelle '{source}' (Zeile {sel.sourceline} "
            f"der Projektdatei): das Attribut {attr} {shown}",
            Location(display),
            "Positionen sind ganze Zahlen (Zeichen ab 0); exportieren Sie das Projekt erneut "
            "aus dem QDA-Programm oder korrigieren Sie den Wert in der .qde-Datei",
        )
        return None


def read_project(
    path: Path, display: str | None = None, limits: Limits = DEFAULT_LIMITS
) -> RefiProject:
    """Read a ``.qdpx`` (or ``.qde``) file.

    Only the project XML and the text sources its ``TextSource``s reference are read from the
    archive (streamed, within ``limits``); media files are never opened.

    Parameters
    ----------
    path
        the project file
    display
        how messages name the file (default: its name)
    limits
        size limits for what is read from the file

    Returns
    -------
    RefiProject
        users, code system, sources with their texts, selections (one row per coding) and notes

    Raises
    ------
    InputError
        E002 when the archive or its XML cannot be read, or it holds two project files; E011
        when a selection position is not a whole number; E017 when a selection lies outside
        its text (all such selections at once); E019 when the file exceeds the size limits.
    """
    display = display or path.name
    with RefiArchive(path, display, limits) as archive:
        root = archive.project_root()
        if root.tag != f"{_N}Project":
            raise InputError(
                Problem(
                    "E002",
                    f"die Projektdatei ist kein REFI-QDA-Projekt (Wurzelelement {root.tag})",
                    Location(display),
                    "exportieren Sie im QDA-Programm ein REFI-QDA-Projekt (.qdpx); ein "
                    "Codebuch (.qdc) liest 'asaqda refi' oder 'asaqda codebook import'",
                )
            )
        return _project(root, archive, display)


def _project(root: etree._Element, archive: RefiArchive, display: str) -> RefiProject:
    origin = root.get("origin", "")
    users = {u.get("guid", "").upper(): u.get("name", "") for u in root.iter(f"{_N}User")}
    codes = pd.DataFrame(
        code_rows(root.find(f"{_N}CodeBook/{_N}Codes")),
        columns=CODE_COLUMNS,
    )
    variables = {v.get("guid", "").upper(): v.get("name", "") for v in root.iter(f"{_N}Variable")}
    groups: dict[str, str] = {}
    for s in root.iter(f"{_N}Set"):
        for m in s.findall(f"{_N}MemberSource"):
            groups.setdefault(m.get("targetGUID", "").upper(), s.get("name", ""))
    case_values: dict[str, dict[str, str]] = {}
    for case in root.iter(f"{_N}Case"):
        values = _values(case, variables)
        for ref in case.findall(f"{_N}SourceRef"):
            case_values.setdefault(ref.get("targetGUID", "").upper(), {}).update(values)

    notes: list[str] = []
    sources: list[RefiSource] = []
    selections: list[dict[str, object]] = []
    problems = ProblemList()
    default_utf16 = origin.lower().startswith("nvivo for windows")
    sources_el = root.find(f"{_N}Sources")
    for src in [] if sources_el is None else sources_el.findall(f"{_N}TextSource"):
        sguid = src.get("guid", "").upper()
        name = src.get("name") or sguid
        inline = src.find(f"{_N}PlainTextContent")
        if inline is not None:
            text: str | None = element_text(inline)
        else:
            data = archive.member(src.get("plainTextPath", ""))
            text = _decode(data) if data is not None else None
        spans: list[tuple[int, int]] = []
        rows: list[dict[str, object]] = []
        empty = 0
        for sel in src.findall(f"{_N}PlainTextSelection"):
            start = _position(sel, "startPosition", name, display, problems)
            end = _position(sel, "endPosition", name, display, problems)
            if start is None or end is None:
                continue
            if start == end:
                # ATLAS.ti writes quotations of no length (a point in the text): nothing coded
                empty += 1
                continue
            desc = sel.find(f"{_N}Description")
            for coding in sel.findall(f"{_N}Coding"):
                ref = coding.find(f"{_N}CodeRef")
                rows.append(
                    {
                        "source": sguid,
                        "guid": sel.get("guid", "").upper(),
                        "start": start,
                        "end": end,
                        "code": "" if ref is None else ref.get("targetGUID", "").upper(),
                        "user": coding.get("creatingUser") or sel.get("creatingUser") or "",
                        "created": coding.get("creationDateTime")
                        or sel.get("creationDateTime")
                        or "",
                        "description": (desc.text or "") if desc is not None else "",
                    }
                )
            spans.append((start, end))
        if empty:
            notes.append(
                f"{display}: Quelle '{name}': {empty} Auswahl(en) ohne Länge (Anfang = Ende, "
                "z. B. ein ATLAS.ti-Zitat an einer Stelle) übersprungen"
            )
        mode = "utf16" if default_utf16 else "codepoints"
        if text is not None and spans:
            flat = utf16_to_codepoints(text, [o for span in spans for o in span])
            as_utf16 = list(zip(flat[0::2], flat[1::2], strict=True))
            fit = {
                "codepoints": boundary_share(text, spans),
                "utf16": boundary_share(text, as_utf16),
            }
            other = "codepoints" if mode == "utf16" else "utf16"
            if fit[other] > fit[mode] + 0.2:
                notes.append(
                    f"{display}: Quelle '{name}': Positionen als {_MODE_DE[other]} gezählt "
                    f"(passen zu {fit[other]:.0%} auf Wortgrenzen, als {_MODE_DE[mode]} zu "
                    f"{fit[mode]:.0%}; origin '{origin}')"
                )
                mode = other
            if mode == "utf16":
                by_sel = dict(zip(spans, as_utf16, strict=True))
                for row in rows:
                    row["start"], row["end"] = by_sel[(int(row["start"]), int(row["end"]))]
            for row in rows:
                s, e = int(row["start"]), int(row["end"])
                if not 0 <= s < e <= len(text):
                    problems.add(
                        "E017",
                        f"die Auswahl {row['guid']} ({s}-{e}) liegt außerhalb des Textes der "
                        f"Quelle '{name}' ({len(text)} Zeichen)",
                        Location(display),
                        "exportieren Sie das Projekt erneut; wurde der Text nach dem Codieren "
                        "bearbeitet, prüfen Sie die Codierungen im QDA-Programm",
                    )
        elif text is None and rows:
            notes.append(
                f"{display}: die Quelle '{name}' hat keinen Text im Projekt: ihre "
                f"{len(rows)} Codierungen behalten ihre Zeichenpositionen, aber keine Absätze"
            )
        values = _values(src, variables)
        values = {**case_values.get(sguid, {}), **values}
        sources.append(RefiSource(sguid, name, text, groups.get(sguid, ""), values, mode))
        selections += rows
    if sources_el is not None:
        # only text sources are analysed; say how many codings of other media stay behind
        other = [
            el
            for el in sources_el
            if isinstance(el.tag, str)
            and el.tag in _MEDIA_SOURCES
            and el.find(f".//{_N}Coding") is not None
        ]
        n_other = sum(len(el.findall(f".//{_N}Coding")) for el in other)
        if n_other:
            notes.append(
                f"{display}: {n_other} Codierungen in {len(other)} PDF-, Bild-, Audio- oder "
                "Videoquellen wurden nicht importiert (nur Textquellen werden ausgewertet)"
            )
    problems.raise_if_any()
    frame = pd.DataFrame(
        selections,
        columns=["source", "guid", "start", "end", "code", "user", "created", "description"],
    )
    return RefiProject(display, origin, users, codes, sources, frame, notes)


def _values(el: etree._Element, variables: dict[str, str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for vv in el.findall(f"{_N}VariableValue"):
        ref = vv.find(f"{_N}VariableRef")
        name = variables.get("" if ref is None else ref.get("targetGUID", "").upper())
        value = next((c.text for c in vv if c is not ref), None)
        if name and value is not None:
            out[name] = value
    return out


def _paragraphs(text: str) -> list[Paragraph]:
    lines, _, _ = paragraph_of(text)
    out = []
    for number, line in enumerate(lines, start=1):
        speaker, timestamp, content = parse_turn(line)
        out.append(Paragraph(number, line, speaker, timestamp, content))
    return out


def wave_parts(
    project: RefiProject,
) -> tuple[pd.DataFrame, RawTable, dict[str, list[Paragraph]], list[str]]:
    """A project as the wave import's parts.

    Returns
    -------
    (segments, variables, transcripts, notes)
        ``segments`` in the form of a parsed coded-segments export (``source_row`` is the
        number of the selection in the project file); ``variables`` as a document-variables
        table (group, name and every variable); ``transcripts`` document name -> paragraphs.
    """
    notes = list(project.notes)
    codes = dict(zip(project.codes["guid"], project.codes["path"], strict=True))
    colors = dict(zip(project.codes["guid"], project.codes["color"], strict=True))
    by_guid = {s.guid: s for s in project.sources}
    var_names = sorted({k for s in project.sources for k in s.variables})
    variables = RawTable(
        project.file,
        None,
        ["Dokumentgruppe", "Dokumentname", *var_names],
        [[s.group, s.name, *(s.variables.get(v) for v in var_names)] for s in project.sources],
    )
    transcripts = {s.name: _paragraphs(s.text) for s in project.sources if s.text is not None}
    layout = {s.guid: paragraph_of(s.text) for s in project.sources if s.text is not None}
    records = []
    left_open = 0
    for number, sel in enumerate(project.selections.itertuples(index=False), start=1):
        path = codes.get(sel.code, "")
        if not path:
            continue  # counted below
        if path == SUGGESTION_BRANCH or path.startswith(f"{SUGGESTION_BRANCH} > "):
            left_open += 1
            continue
        src = by_guid[sel.source]
        begin = end = None
        position_raw = ""
        segment = ""
        if sel.source in layout:
            _, starts, ends = layout[sel.source]
            covered = np.flatnonzero((starts < sel.end) & (ends > sel.start))
            if len(covered):
                begin, end = covered[0] + 1, covered[-1] + 1
            segment = (src.text or "")[sel.start : sel.end].replace("\r\n", "\n").strip()
        else:
            position_raw = f"{sel.start} - {sel.end}"
        created = pd.to_datetime(sel.created, errors="coerce", utc=True)
        records.append(
            {
                "document_group": src.group,
                "document_name": src.name,
                "code": path,
                "code_raw": path,
                "begin": begin,
                "end": end,
                "position_raw": position_raw,
                "weight": 0,
                "segment": segment,
                "coder": project.users.get(str(sel.user).upper(), ""),
                "created": None if pd.isna(created) else created.tz_localize(None),
                "modified_by": "",
                "modified": None,
                "comment": sel.description,
                "color": colors.get(sel.code, ""),
                "area": None,
                "coverage": None,
                "extra": json.dumps(
                    {"refi_auswahl": sel.guid, "refi_offsets": src.offsets},
                    ensure_ascii=False,
                    sort_keys=True,
                ),
                "source_file": project.file,
                "source_sheet": "",
                "source_row": number,
            }
        )
    if left_open:
        notes.append(
            f"{project.file}: {left_open} offene Vorschläge unter '{SUGGESTION_BRANCH}' sind "
            "keine menschlichen Codierungen und wurden nicht importiert"
        )
    unknown = int((~project.selections["code"].isin(codes)).sum())
    if unknown:
        notes.append(
            f"{project.file}: {unknown} Codierungen verweisen auf keinen Code des Codesystems"
        )
    frame = pd.DataFrame.from_records(records, columns=SEGMENT_FRAME_COLUMNS)
    for col in ("begin", "end"):
        frame[col] = frame[col].astype("Int64")
    frame["weight"] = frame["weight"].astype("int64")
    for col in ("created", "modified"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[s]")
    return frame, variables, transcripts, notes
