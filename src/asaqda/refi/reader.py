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
  it is used and the import notes say so.

Codings under the branch ``Vorschläge`` are open pre-coding suggestions (from our own export),
not human codings: they are left out and counted in the notes.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import numpy as np
import pandas as pd
from lxml import etree

from asaqda.errors import InputError, Location, Problem, ProblemList
from asaqda.io.tables import RawTable
from asaqda.io.transcripts import Paragraph, parse_turn
from asaqda.refi.names import PROJECT_NS, SUGGESTION_BRANCH
from asaqda.refi.offsets import boundary_share, paragraph_of, utf16_to_codepoints

__all__ = ["RefiSource", "RefiProject", "read_project", "wave_parts", "REFI_SUFFIXES"]

REFI_SUFFIXES = (".qdpx", ".qde")
_N = f"{{{PROJECT_NS}}}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


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
    codes: pd.DataFrame  # guid, path, description, color
    sources: list[RefiSource]
    selections: pd.DataFrame  # source, guid, start, end, code, user, created, description
    notes: list[str]


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")  # a BOM is not part of the text
    except UnicodeDecodeError:
        return data.decode("cp1252")


def _open(path: Path, display: str) -> tuple[bytes, dict[str, bytes]]:
    """The project XML and the source files (lower-case path -> bytes)."""
    if path.suffix.lower() == ".qde":
        return path.read_bytes(), {}
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            qde = [n for n in names if n.lower().endswith(".qde") and "/" not in n.strip("/")]
            if not qde:
                raise InputError(
                    Problem(
                        "E002",
                        "the .qdpx archive holds no project file (*.qde) at its top level",
                        Location(display),
                        "export the project again from the QDA program (REFI-QDA Projekt)",
                    )
                )
            files = {n.lower(): zf.read(n) for n in names if n not in qde}
            return zf.read(qde[0]), files
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            Problem(
                "E002",
                f"the file is not a readable .qdpx archive ({exc})",
                Location(display),
                "export the project again from the QDA program (REFI-QDA Projekt)",
            )
        ) from exc


def _source_file(files: dict[str, bytes], plain_path: str) -> bytes | None:
    name = plain_path.removeprefix("internal://").lstrip("/")
    for candidate in (f"sources/{name}", name, f"sources/{PurePosixPath(name).name}"):
        if candidate.lower() in files:
            return files[candidate.lower()]
    return None


def _code_paths(codes_el: etree._Element | None) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []

    def walk(el: etree._Element, prefix: str) -> None:
        for code in el.findall(f"{_N}Code"):
            path = f"{prefix} > {code.get('name', '')}" if prefix else code.get("name", "")
            desc = code.find(f"{_N}Description")
            rows.append(
                {
                    "guid": code.get("guid", "").upper(),
                    "path": path.strip(),
                    "description": (desc.text or "") if desc is not None else "",
                    "color": code.get("color", ""),
                }
            )
            walk(code, path)

    if codes_el is not None:
        walk(codes_el, "")
    return rows


def read_project(path: Path, display: str | None = None) -> RefiProject:
    """Read a ``.qdpx`` (or ``.qde``) file.

    Raises
    ------
    InputError
        E002 when the archive or its XML cannot be read; E017 when a selection lies outside
        its text (all such selections at once).
    """
    display = display or path.name
    xml, files = _open(path, display)
    try:
        root = etree.fromstring(xml, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(
            Problem(
                "E002",
                f"the project XML is broken ({exc})",
                Location(display, None, exc.lineno),
                "export the project again from the QDA program",
            )
        ) from exc
    if root.tag != f"{_N}Project":
        raise InputError(
            Problem(
                "E002",
                f"the project file is not a REFI-QDA project (root element {root.tag})",
                Location(display),
                "export a REFI-QDA project (.qdpx) from the QDA program",
            )
        )
    origin = root.get("origin", "")
    users = {u.get("guid", "").upper(): u.get("name", "") for u in root.iter(f"{_N}User")}
    codes = pd.DataFrame(
        _code_paths(root.find(f"{_N}CodeBook/{_N}Codes")),
        columns=["guid", "path", "description", "color"],
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
            text: str | None = inline.text or ""
        else:
            data = _source_file(files, src.get("plainTextPath", ""))
            text = _decode(data) if data is not None else None
        spans: list[tuple[int, int]] = []
        rows: list[dict[str, object]] = []
        for sel in src.findall(f"{_N}PlainTextSelection"):
            start, end = int(sel.get("startPosition", "0")), int(sel.get("endPosition", "0"))
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
                    f"{display}: source '{name}': offsets counted as {other} "
                    f"(fit {fit[other]:.0%} vs {fit[mode]:.0%} for {mode}, origin '{origin}')"
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
                        f"selection {row['guid']} ({s}-{e}) lies outside the text of source "
                        f"'{name}' ({len(text)} characters)",
                        Location(display, None, None, name),
                        "export the project again; if the text was edited after coding, check "
                        "the codings in the QDA program",
                    )
        elif text is None and rows:
            notes.append(
                f"{display}: source '{name}' has no text in the project: its "
                f"{len(rows)} codings keep their character positions but no paragraphs"
            )
        values = _values(src, variables)
        values = {**case_values.get(sguid, {}), **values}
        sources.append(RefiSource(sguid, name, text, groups.get(sguid, ""), values, mode))
        selections += rows
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
            f"{project.file}: {left_open} open suggestions under '{SUGGESTION_BRANCH}' are not "
            "human codings and were not imported"
        )
    unknown = int((~project.selections["code"].isin(codes)).sum())
    if unknown:
        notes.append(f"{project.file}: {unknown} codings refer to no code of the code system")
    frame = pd.DataFrame.from_records(
        records,
        columns=[
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
        ],
    )
    for col in ("begin", "end"):
        frame[col] = frame[col].astype("Int64")
    frame["weight"] = frame["weight"].astype("int64")
    for col in ("created", "modified"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[s]")
    return frame, variables, transcripts, notes
