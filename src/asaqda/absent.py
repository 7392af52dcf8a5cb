"""Tables whose codes the codebook lacks: the German note that takes their place.

A codebook imported from another project (``asaqda codebook import``) need not have any of
the study's codes. The company tables, the panel crosstabs and the report sections built on
such codes then say so in one row instead of showing zeros, which would read as a finding
("no company reports relief"), or failing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

__all__ = ["NOTE_START", "codes_present", "absent_note", "note_table", "table_note"]

#: every note starts so, which is how :func:`table_note` recognises a note table
NOTE_START = "Die Codes für "


def codes_present(paths: Iterable[str], roots: Sequence[str]) -> bool:
    """Whether the codebook has any of ``roots`` or a code below one of them.

    Parameters
    ----------
    paths
        the codebook's code paths (``Codebook.paths``)
    roots
        code paths a table is built on (``Entlastung``, ``Freistellung > keine``)

    Returns
    -------
    bool
    """
    paths = list(paths)
    return any(p == r or p.startswith(f"{r} > ") for r in roots for p in paths)


def absent_note(what: str, roots: Sequence[str], paths: Iterable[str]) -> str | None:
    """The note for a table none of whose codes is in the codebook, else ``None``.

    Parameters
    ----------
    what
        what the table shows, in German (``Entlastung``)
    roots
        the code paths it is built on
    paths
        the codebook's code paths

    Returns
    -------
    str or None
        ``"Die Codes für Entlastung fehlen im Codebuch (Entlastung); diese Tabelle bleibt
        leer."``, or ``None`` when at least one of the codes is there
    """
    if codes_present(paths, roots):
        return None
    return f"{NOTE_START}{what} fehlen im Codebuch ({', '.join(roots)}); diese Tabelle bleibt leer."


def note_table(note: str, columns: Sequence[str]) -> pd.DataFrame:
    """A table of one row: ``note`` in the first column, the others empty.

    Parameters
    ----------
    note
        the German note (:func:`absent_note`)
    columns
        the columns the table has when it can be computed

    Returns
    -------
    pandas.DataFrame
    """
    row: dict[str, object] = dict.fromkeys(columns, None)
    row[columns[0]] = note
    return pd.DataFrame([row], columns=list(columns))


def table_note(table: pd.DataFrame) -> str | None:
    """The note of a table written by :func:`note_table` (also read back from CSV), else
    ``None``.

    Parameters
    ----------
    table
        any table

    Returns
    -------
    str or None
    """
    if len(table) != 1 or not len(table.columns):
        return None
    first = table.iloc[0, 0]
    rest = table.iloc[0, 1:]
    if isinstance(first, str) and first.startswith(NOTE_START) and rest.isna().all():
        return first
    return None
