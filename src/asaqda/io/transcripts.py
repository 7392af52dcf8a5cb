"""Read interview transcripts (.docx, .txt) into paragraphs numbered as MAXQDA numbers them.

MAXQDA numbers the non-empty paragraphs of a text document from 1; a coded segment's
Anfang/Ende refer to these numbers. Speaker turns (``I:``, ``B:``, ``S1:``, ``Interviewer:``)
and timestamps (``[00:01:27]``, f4's ``#00:01:27-5#``, ``(00:01:27)``) are recognised and split
off into their own columns; ``text`` keeps the paragraph as written.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from asaqda.errors import InputError, Location, Problem

__all__ = ["TRANSCRIPT_SUFFIXES", "Paragraph", "read_transcript", "split_paragraphs", "parse_turn"]

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

    Raises
    ------
    InputError
        E002 if the file cannot be read, E004 if it holds no text.
    """
    name = display or path.name
    suffix = path.suffix.lower()
    if path.stat().st_size == 0:
        raise InputError(
            Problem(
                "E004",
                "the transcript is empty (0 bytes)",
                Location(name),
                "replace it with the transcript as imported into MAXQDA",
            )
        )
    if suffix == ".docx":
        lines = _docx_lines(path, name)
    elif suffix == ".txt":
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    else:  # pragma: no cover - callers filter by suffix
        raise ValueError(f"not a transcript: {path}")
    paragraphs = split_paragraphs(lines)
    if not paragraphs:
        raise InputError(
            Problem(
                "E004",
                "the transcript contains no text",
                Location(name),
                "replace it with the transcript as imported into MAXQDA",
            )
        )
    return paragraphs


def _docx_lines(path: Path, name: str) -> list[str]:
    import docx  # python-docx; imported here so that .txt-only runs do not pay for it
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise InputError(
            Problem(
                "E002",
                f"the Word file cannot be read ({type(exc).__name__}: {exc})",
                Location(name),
                "open it in Word to check it is intact and save it again as .docx",
            )
        ) from exc
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(docx.text.paragraph.Paragraph(block, document).text)
        elif tag == "tbl":  # MAXQDA counts each paragraph in a table cell as a paragraph
            for p in block.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}p"):
                lines.append(docx.text.paragraph.Paragraph(p, document).text)
    return lines


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
