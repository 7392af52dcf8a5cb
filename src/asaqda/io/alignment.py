"""Check that a coded segment's Anfang/Ende point at the paragraphs that contain its text."""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["TEXT_CHECK_VALUES", "check_alignment", "normalise_text"]

#: values of ``codings.text_check``
TEXT_CHECK_VALUES = ("ok", "abweichung", "kein Transkript", "keine Absatznummer")
_WS = re.compile(r"\s+")
_QUOTES = str.maketrans(
    {"„": '"', "“": '"', "”": '"', "‚": "'", "‘": "'", "’": "'", "–": "-", "—": "-", "\u00a0": " "}
)
_EXCEL_CELL_LIMIT = 32_000  # Excel truncates cells at 32,767 characters


def normalise_text(text: str) -> str:
    """Collapse whitespace and unify typographic quotes and dashes for comparing texts."""
    return _WS.sub(" ", text.translate(_QUOTES)).strip()


def check_alignment(codings: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Compare each coding's text with the transcript paragraphs it points at.

    Parameters
    ----------
    codings
        Canonical codings (``coding_id``, ``doc_id``, ``begin``, ``end``, ``segment``).
    paragraphs
        Canonical paragraphs (``doc_id``, ``paragraph``, ``text``).

    Returns
    -------
    pandas.DataFrame
        One row per coding: ``coding_id``, ``text_check`` (see :data:`TEXT_CHECK_VALUES`) and
        ``found_in`` (for a mismatch: the paragraph numbers whose text holds the segment, as
        ``"12"`` or ``"12-13"``, empty when the text is nowhere in the document).
    """
    texts: dict[str, list[str]] = {}
    for doc_id, group in paragraphs.groupby("doc_id", sort=False):
        texts[str(doc_id)] = [normalise_text(t) for t in group.sort_values("paragraph")["text"]]
    checks: list[str] = []
    found: list[str] = []
    for doc_id, begin, end, segment in zip(
        codings["doc_id"], codings["begin"], codings["end"], codings["segment"], strict=True
    ):
        paras = texts.get(doc_id)
        if paras is None:
            checks.append("kein Transkript")
            found.append("")
            continue
        if pd.isna(begin) or pd.isna(end):
            checks.append("keine Absatznummer")
            found.append("")
            continue
        seg = normalise_text(segment)
        if len(seg) > _EXCEL_CELL_LIMIT:
            seg = seg[:_EXCEL_CELL_LIMIT]
        window = " ".join(paras[int(begin) - 1 : int(end)])
        if seg and seg in window:
            checks.append("ok")
            found.append("")
        else:
            checks.append("abweichung")
            found.append(_locate(seg, paras, int(end) - int(begin) + 1))
    return pd.DataFrame(
        {"coding_id": codings["coding_id"].to_numpy(), "text_check": checks, "found_in": found}
    )


def _locate(segment: str, paras: list[str], span: int) -> str:
    """Where in the document the segment's text really is (first match), as '12' or '12-13'."""
    if not segment:
        return ""
    for width in sorted({span, 1, 2, 3}):
        for start in range(len(paras) - width + 1):
            if segment in " ".join(paras[start : start + width]):
                return str(start + 1) if width == 1 else f"{start + 1}-{start + width}"
    return ""
