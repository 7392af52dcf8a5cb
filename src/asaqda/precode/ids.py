"""Ids of suggestions, kept apart from the model so that readers of review sheets need not
load scikit-learn or spaCy."""

from __future__ import annotations

import hashlib

__all__ = ["suggestion_id"]


def suggestion_id(doc_id: str, paragraph: int, code: str) -> str:
    """The id of a suggestion: stable across model versions, so a coder's decision on it
    stays attached whatever model proposed it.

    Parameters
    ----------
    doc_id
        The document.
    paragraph
        MAXQDA's paragraph number.
    code
        The suggested code path.

    Returns
    -------
    str
        16 hexadecimal characters.
    """
    return hashlib.sha1(f"{doc_id}\x1f{paragraph}\x1f{code}".encode()).hexdigest()[:16]
