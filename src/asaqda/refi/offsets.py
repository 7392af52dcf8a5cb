"""Character offsets of REFI-QDA selections: code points as the standard says, UTF-16 units as
NVivo for Windows writes them, and the paragraphs an offset range covers.

The standard counts Unicode code points from 0, end exclusive, over the plain text as stored
(a byte-order mark is not part of the text; a Windows line break is two characters). NVivo 12
for Windows counts UTF-16 code units instead, so every character outside the Basic
Multilingual Plane (emoji) shifts the following offsets by one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

__all__ = [
    "utf16_to_codepoints",
    "codepoints_to_utf16",
    "boundary_share",
    "line_spans",
    "paragraph_of",
]

_LINE = re.compile(r"\r\n|\r|\n")


def _utf16_prefix(text: str) -> np.ndarray:
    """``prefix[i]`` = UTF-16 units before code point ``i`` (length len(text) + 1)."""
    units = np.fromiter(
        (2 if ord(c) > 0xFFFF else 1 for c in text), dtype=np.int64, count=len(text)
    )
    return np.concatenate([[0], np.cumsum(units)])


def utf16_to_codepoints(text: str, offsets: Sequence[int]) -> list[int]:
    """Code-point offsets for UTF-16 unit offsets (an offset inside a surrogate pair maps to
    the character it belongs to)."""
    prefix = _utf16_prefix(text)
    return [int(i) for i in np.searchsorted(prefix, np.asarray(offsets), side="left")]


def codepoints_to_utf16(text: str, offsets: Sequence[int]) -> list[int]:
    """UTF-16 unit offsets for code-point offsets."""
    prefix = _utf16_prefix(text)
    return [int(prefix[min(max(o, 0), len(text))]) for o in offsets]


def boundary_share(text: str, spans: Sequence[tuple[int, int]]) -> float:
    """Share of spans that lie in the text and start and end at a word boundary.

    Coders select whole words; offsets counted the wrong way cut words in two, so this tells
    which way of counting a tool used.
    """
    if not spans:
        return 1.0
    good = 0
    for start, end in spans:
        if not 0 <= start < end <= len(text):
            continue
        left = start == 0 or not (text[start - 1].isalnum() and text[start].isalnum())
        right = end == len(text) or not (text[end - 1].isalnum() and text[end].isalnum())
        good += left and right
    return good / len(spans)


def line_spans(text: str) -> list[tuple[int, int, str]]:
    """Every line of the text as (start, end, line) in code points, line breaks excluded."""
    out, pos = [], 0
    for m in _LINE.finditer(text):
        out.append((pos, m.start(), text[pos : m.start()]))
        pos = m.end()
    out.append((pos, len(text), text[pos:]))
    return out


def paragraph_of(text: str) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The non-empty lines (MAXQDA's paragraphs, numbered from 1) with their start and end
    offsets."""
    lines = [(s, e, t) for s, e, t in line_spans(text) if t.strip()]
    starts = np.array([s for s, _, _ in lines], dtype=np.int64)
    ends = np.array([e for _, e, _ in lines], dtype=np.int64)
    return [t for _, _, t in lines], starts, ends
