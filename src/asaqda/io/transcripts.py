"""Read interview transcripts (.docx, .txt) into paragraphs numbered as MAXQDA numbers them.

MAXQDA numbers the non-empty paragraphs of a text document from 1; a coded segment's
Anfang/Ende refer to these numbers. Speaker turns (``I:``, ``B:``, ``S1:``, ``Interviewer:``)
and timestamps (``[00:01:27]``, f4's ``#00:01:27-5#``, ``(00:01:27)``) are recognised and split
off into their own columns; ``text`` keeps the paragraph as written.

A MAXQDA *document export* (Word file written by MAXQDA from the document browser with
paragraph numbers: a title, then a table of paragraph number and text) is recognised by its
table: the paragraphs are read from the text column and keep MAXQDA's numbers; the title and
anything else outside the table is not a paragraph of the document.

A .txt transcript is read as UTF-8 (with or without BOM), UTF-16 (with BOM) or, failing that,
Windows-1252 (with a note).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from asaqda.errors import InputError, Location, Problem

__all__ = [
    "TRANSCRIPT_SUFFIXES",
    "Paragraph",
    "Transcript",
    "load_transcript",
    "read_transcript",
    "split_paragraphs",
    "parse_turn",
    "numbered_table_paragraphs",
]

TRANSCRIPT_SUFFIXES = (".docx", ".txt")

# a timestamp as [00:01:27], f4's #00:01:27-5# or (00:01:27); {n} makes group names unique
_TS = (
    r"(?:\[(?P<{n}a>\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:[.,-]\d+)?)\]"
    r"|#(?P<{n}b>\d{{1,2}}:\d{{2}}:\d{{2}}(?:[.,-]\d+)?)#"
    r"|\((?P<{n}c>\d{{1,2}}:\d{{2}}:\d{{2}})\))"
)
_SPEAKER = (
    r"(?P<speaker>[A-ZÄÖÜ]{1,3}\d{0,3}|Interviewer(?:in)?|Interviewte[rn]?|Befragte[rn]?"
    r"|Sprecher(?:in)?\s?\d{1,2}|Moderator(?:in)?)"
)
_TURN = re.compile(
    rf"^\s*(?:{_TS.format(n='t1')}\s*)?(?:{_SPEAKER}\s*:\s*)?(?:{_TS.format(n='t2')}\s*)?"
    rf"(?P<content>.*?)\s*(?:{_TS.format(n='t3')})?\s*$",
    re.DOTALL,
)


@dataclass(frozen=True)
class Paragraph:
    """One non-empty paragraph of a transcript."""

    number: int
    text: str
    speaker: str | None
    timestamp: str | None
    content: str


@dataclass(frozen=True)
class Transcript:
    """A transcript read from a file: its paragraphs, its layout and what the reader noticed."""

    paragraphs: list[Paragraph]
    #: ``"text"`` (one paragraph per line or Word paragraph) or ``"maxqda_export"``
    layout: str = "text"
    notes: list[str] = field(default_factory=list)


# a paragraph-number cell of a MAXQDA document export: 12, 12. or (12)
_NUMBER_CELL = re.compile(r"^\(?(\d{1,6})[.)]?$")
# a document export has a title (and perhaps a line or two) outside its table; a transcript
# with more text outside a numbered table is a plain transcript that happens to hold a list
_MAX_OUTSIDE_TABLE = 5


def parse_turn(text: str) -> tuple[str | None, str | None, str]:
    """Split a paragraph into speaker, timestamp and content.

    >>> parse_turn("B: [00:01:27] Wir stellen nicht frei.")
    ('B', '00:01:27', 'Wir stellen nicht frei.')
    """
    m = _TURN.match(text)
    if m is None:  # pragma: no cover - the pattern matches every string
        return None, None, text.strip()
    stamp = next(
        (
            m.group(g)
            for g in ("t1a", "t1b", "t1c", "t2a", "t2b", "t2c", "t3a", "t3b", "t3c")
            if m.group(g)
        ),
        None,
    )
    return m.group("speaker"), stamp, m.group("content").strip()


def split_paragraphs(lines: list[str]) -> list[Paragraph]:
    """Number the non-empty paragraphs from 1 and recognise speaker turns."""
    out: list[Paragraph] = []
    for raw in lines:
        text = raw.replace("\u00a0", " ").strip()
        if not text:
            continue
        speaker, stamp, content = parse_turn(text)
        out.append(Paragraph(len(out) + 1, text, speaker, stamp, content))
    return out


def read_transcript(path: Path, display: str | None = None) -> list[Paragraph]:
    """Read a .docx or .txt transcript into numbered paragraphs.

    The same as ``load_transcript(path, display).paragraphs``.

    Raises
    ------
    InputError
        E002 if the file cannot be read, E004 if it holds no text, E011 if the paragraph
        numbers of a MAXQDA document export do not run 1, 2, 3, ...
    """
    return load_transcript(path, display).paragraphs


def load_transcript(path: Path, display: str | None = None) -> Transcript:
    """Read a .docx or .txt transcript, recognising a MAXQDA document export.

    Parameters
    ----------
    path
        The transcript file (.docx or .txt).
    display
        The name shown in messages (default: the file name).

    Returns
    -------
    Transcript
        The numbered paragraphs, the layout found and German notes (an encoding guessed, a
        document export recognised).

    Raises
    ------
    InputError
        E002 if the file cannot be read, E004 if it holds no text, E011 if the paragraph
        numbers of a MAXQDA document export do not run 1, 2, 3, ...
    """
    name = display or path.name
    suffix = path.suffix.lower()
    try:
        raw = path.read_bytes() if suffix == ".txt" else b""
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(
            Problem(
                "E002",
                f"die Datei kann nicht gelesen werden ({exc.strerror or type(exc).__name__})",
                Location(name),
                "prüfen Sie, ob die Datei vorhanden und lesbar ist, und kopieren Sie sie neu",
            )
        ) from exc
    if size == 0:
        raise InputError(
            Problem(
                "E004",
                "das Transkript ist leer (0 Bytes)",
                Location(name),
                "ersetzen Sie es durch das Transkript, wie es in MAXQDA importiert wurde",
            )
        )
    notes: list[str] = []
    layout = "text"
    if suffix == ".docx":
        blocks = _docx_blocks(path, name)
        numbered = numbered_table_paragraphs(blocks, name)
        if numbered is not None:
            layout = "maxqda_export"
            paragraphs = numbered
            outside = sum(1 for kind, value in blocks if kind == "p" and str(value).strip())
            notes.append(
                f"{name}: als MAXQDA-Dokumentexport erkannt (Tabelle mit Absatznummern); "
                f"{len(paragraphs)} Absätze aus der Tabelle gelesen, {outside} "
                f"{'Absatz' if outside == 1 else 'Absätze'} außerhalb der Tabelle (Titel) nicht "
                "mitgezählt"
            )
        else:
            paragraphs = split_paragraphs(_plain_lines(blocks))
    elif suffix == ".txt":
        text, note = _decode_txt(raw, name)
        if note:
            notes.append(note)
        paragraphs = split_paragraphs(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
    else:  # pragma: no cover - callers filter by suffix
        raise ValueError(f"not a transcript: {path}")
    if not paragraphs or not any(p.text for p in paragraphs):
        raise InputError(
            Problem(
                "E004",
                "das Transkript enthält keinen Text",
                Location(name),
                "ersetzen Sie es durch das Transkript, wie es in MAXQDA importiert wurde",
            )
        )
    return Transcript(paragraphs, layout, notes)


def _decode_txt(raw: bytes, name: str) -> tuple[str, str | None]:
    """The text of a .txt transcript and a note when its encoding had to be guessed."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise InputError(
                Problem(
                    "E002",
                    "die Textdatei beginnt wie UTF-16, enthält aber ungültige Zeichen",
                    Location(name),
                    "öffnen Sie sie in einem Editor und speichern Sie sie als UTF-8",
                )
            ) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
        note = f"{name}: nicht UTF-8, als Windows-1252 gelesen; prüfen Sie die Umlaute"
    else:
        note = None
    if "\x00" in text:
        raise InputError(
            Problem(
                "E002",
                "die Datei ist keine Textdatei (sie enthält Nullbytes; vielleicht UTF-16 ohne "
                "BOM oder eine umbenannte Binärdatei)",
                Location(name),
                "speichern Sie das Transkript als UTF-8-Text (.txt) oder als Word-Datei (.docx)",
            )
        )
    return text, note


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx_blocks(path: Path, name: str) -> list[tuple[str, Any]]:
    """The body of a Word file in order: ``("p", text)`` and ``("tbl", (rows, texts))``.

    ``rows`` holds the table's rows, each a list of cells, each cell the list of its paragraph
    texts; ``texts`` every paragraph of the table in document order (also those in content
    controls, which ``rows`` may miss).
    """
    import docx  # python-docx; imported here so that .txt-only runs do not pay for it
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(str(path))
        blocks: list[tuple[str, Any]] = []
        for block in document.element.body.iterchildren():
            tag = block.tag.rsplit("}", 1)[-1] if isinstance(block.tag, str) else ""
            if tag == "p":
                blocks.append(("p", DocxParagraph(block, document).text))
            elif tag == "tbl":
                rows = [
                    [
                        [DocxParagraph(p, document).text for p in tc.iter(f"{_W}p")]
                        for tc in tr.iterchildren(f"{_W}tc")
                    ]
                    for tr in block.iterchildren(f"{_W}tr")
                ]
                texts = [DocxParagraph(p, document).text for p in block.iter(f"{_W}p")]
                blocks.append(("tbl", (rows, texts)))
    except Exception as exc:  # noqa: BLE001 - any failure of the Word parser means a broken file
        raise InputError(
            Problem(
                "E002",
                f"die Word-Datei kann nicht gelesen werden ({type(exc).__name__}: "
                f"{str(exc)[:200]})",
                Location(name),
                "öffnen Sie sie in Word, prüfen Sie, ob sie vollständig ist, und speichern Sie "
                "sie erneut als .docx",
            )
        ) from exc
    return blocks


def _plain_lines(blocks: list[tuple[str, Any]]) -> list[str]:
    """The paragraphs of a plain Word transcript: MAXQDA counts each paragraph in a table cell."""
    lines: list[str] = []
    for kind, value in blocks:
        if kind == "p":
            lines.append(value)
        else:
            lines.extend(value[1])
    return lines


def numbered_table_paragraphs(
    blocks: list[tuple[str, Any]], name: str = "document"
) -> list[Paragraph] | None:
    """The paragraphs of a MAXQDA document export, or None if ``blocks`` are not one.

    A document export is a Word file whose tables hold one row per paragraph: the paragraph
    number in the first column (``1``, ``1.`` or ``(1)``), the text in the next one; further
    columns are ignored. A first row whose number cell is not a number is a header. The
    layout is recognised when the numbered rows start at 1, every row of those tables is
    numbered and at most five non-empty paragraphs stand outside the tables (the title); the
    numbers must then run 1, 2, 3, ... without gaps.

    Parameters
    ----------
    blocks
        The body as from the Word reader: ``("p", text)`` and ``("tbl", (rows, texts))``
        where each row is a list of cells and each cell a list of paragraph texts (``texts``,
        the table's paragraphs in order, is not used here).
    name
        The file name for messages.

    Returns
    -------
    list of Paragraph or None
        The paragraphs with MAXQDA's numbers; None for any other layout.

    Raises
    ------
    InputError
        E011 if a recognised export's numbers skip or repeat a paragraph.
    """
    rows: list[tuple[int, int, int, str]] = []  # table, row, number, text
    tables = [value[0] for kind, value in blocks if kind == "tbl"]
    for t, table_rows in enumerate(tables):
        numbered = []
        for r, cells in enumerate(table_rows):
            first = " ".join(cells[0]).strip() if cells else ""
            match = _NUMBER_CELL.match(first)
            if match is None or len(cells) < 2:
                if r == 0 or (not first and not any(" ".join(c).strip() for c in cells)):
                    continue  # a header row, or an empty row
                return None  # a table that is not a paragraph table
            text = "\n".join(cells[1]).replace("\u00a0", " ").strip()
            numbered.append((t + 1, r + 1, int(match.group(1)), text))
        rows.extend(numbered)
    outside = sum(1 for kind, value in blocks if kind == "p" and str(value).strip())
    if not rows or rows[0][2] != 1 or outside > _MAX_OUTSIDE_TABLE:
        return None
    out: list[Paragraph] = []
    for table, row, number, text in rows:
        if number != len(out) + 1:
            raise InputError(
                Problem(
                    "E011",
                    f"Absatznummer {number} in Zeile {row} der Tabelle {table} passt nicht: "
                    f"erwartet wird {len(out) + 1} (ein MAXQDA-Dokumentexport zählt die Absätze "
                    "lückenlos)",
                    Location(name, None, row, "Absatz"),
                    "exportieren Sie das Dokument in MAXQDA erneut mit Absatznummern, oder legen "
                    "Sie statt des Exports das Transkript selbst in den Wellenordner",
                )
            )
        speaker, stamp, content = parse_turn(text)
        out.append(Paragraph(number, text, speaker, stamp, content))
    return out


def paragraphs_frame(paragraphs: list[Paragraph]) -> pd.DataFrame:
    """The paragraphs as a frame with columns paragraph, speaker, timestamp, text, content."""
    return pd.DataFrame(
        {
            "paragraph": pd.array([p.number for p in paragraphs], dtype="int64"),
            "speaker": [p.speaker for p in paragraphs],
            "timestamp": [p.timestamp for p in paragraphs],
            "text": [p.text for p in paragraphs],
            "content": [p.content for p in paragraphs],
        }
    )
