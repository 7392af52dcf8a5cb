"""Unicode normal form of names (documents, groups, codes, files) before they are compared.

macOS writes file names in decomposed form (NFD: ``u`` + combining diaeresis), Windows and
MAXQDA's exports in composed form (NFC: ``ü``). The two look identical but compare unequal, so
every name is brought to NFC where it enters the import.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

import pandas as pd

__all__ = ["nfc", "nfc_columns"]


def nfc(text: str) -> str:
    """The NFC form of a name.

    >>> nfc("Gru\\u0308nde") == "Gründe"
    True
    """
    return unicodedata.normalize("NFC", text)


def nfc_columns(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of ``frame`` with the text cells of ``columns`` in NFC (missing columns skipped).

    Parameters
    ----------
    frame
        Any table.
    columns
        Names of text columns (cells that are not strings are kept as they are).

    Returns
    -------
    pandas.DataFrame
        The same rows and columns; only the text of the named columns may differ.
    """
    out = frame.copy()
    for col in columns:
        if col in out.columns:
            out[col] = out[col].map(lambda v: nfc(v) if isinstance(v, str) else v)
    return out
