"""Read a reliability data matrix: first column the coder, one column per unit.

An empty cell is a missing value. For the nominal level any labels work (they are mapped to
numbers); the other levels need numbers (a decimal comma is accepted). An optional row named
``Dokument`` (or ``Document``) gives the document of each unit: the bootstrap interval then
resamples documents instead of units.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from asaqda.errors import InputError, Location, Problem, ProblemList
from asaqda.io.tables import read_table
from asaqda.io.values import cell_text

__all__ = ["DOCUMENT_ROW", "ReliabilityData", "read_reliability_data", "read_reliability_matrix"]

#: Names of the optional row that gives each unit's document (compared in lower case).
DOCUMENT_ROW = ("dokument", "document")


@dataclass(frozen=True)
class ReliabilityData:
    """Coders, units, the coders x units matrix (``nan`` = missing) and, when the file has a
    ``Dokument`` row, the document of each unit (else ``None``)."""

    coders: list[str]
    units: list[str]
    matrix: np.ndarray
    documents: np.ndarray | None


def read_reliability_data(path: Path, level: str) -> ReliabilityData:
    """Read a reliability data matrix with its optional ``Dokument`` row.

    Parameters
    ----------
    path
        .csv or .xlsx: first column the coder, one column per unit.
    level
        Level of measurement; only ``nominal`` accepts words.

    Returns
    -------
    ReliabilityData

    Raises
    ------
    InputError
        E004 empty file, E011 a value that is not a number (non-nominal levels) or a unit
        without a document in the ``Dokument`` row, E012 a coder (or the ``Dokument`` row)
        listed twice.
    """
    table = read_table(path, path.name)
    units = [h or f"Einheit {i}" for i, h in enumerate(table.header[1:], start=1)]
    coders: list[str] = []
    rows: list[list[object]] = []
    row_index: list[int] = []  # the table row of each coder, for messages
    documents: list[str | None] | None = None
    problems = ProblemList()
    for i, row in enumerate(table.rows):
        coder = cell_text(row[0] if row else None)
        if coder is None and all(cell_text(v) is None for v in row):
            continue
        cells = list(row[1:]) + [None] * (len(units) - len(row) + 1)
        values = [cell_text(v) for v in cells[: len(units)]]
        if coder is not None and coder.strip().lower() in DOCUMENT_ROW:
            if documents is not None:
                problems.add(
                    "E012",
                    f"the row '{coder}' is listed twice",
                    table.location(i),
                    "keep one row with the document of each unit",
                )
            documents = [None if v is None else str(v) for v in values]
            for u, doc in enumerate(documents):
                if doc is None:
                    problems.add(
                        "E011",
                        f"unit '{units[u]}' has no document",
                        table.location(i, units[u]),
                        f"write the document of every unit into the row '{coder}', "
                        "or delete that row to resample units",
                    )
            continue
        coder = coder or f"Kodierer {i + 1}"
        if coder in coders:
            problems.add(
                "E012",
                f"coder '{coder}' is listed twice",
                table.location(i),
                "keep one row per coder",
            )
        coders.append(coder)
        rows.append(values)
        row_index.append(i)
    if not coders:
        raise InputError(
            Problem(
                "E004",
                "the matrix has no coder rows",
                Location(path.name),
                "one row per coder: coder name, then one value per unit",
            )
        )
    matrix = np.full((len(coders), len(units)), np.nan)
    labels: dict[str, float] = {}
    for r, row in enumerate(rows):
        for u, value in enumerate(row):
            if value is None:
                continue
            try:
                matrix[r, u] = float(str(value).replace(",", "."))
            except ValueError:
                if level != "nominal":
                    problems.add(
                        "E011",
                        f"'{value}' is not a number (level {level})",
                        table.location(row_index[r], units[u]),
                        "use numbers for ordinal, interval and ratio data, or --level nominal",
                    )
                    continue
                matrix[r, u] = labels.setdefault(str(value), float(len(labels) + 10_000))
    problems.raise_if_any()
    docs = None if documents is None else np.array(documents, dtype=object)
    return ReliabilityData(coders, units, matrix, docs)


def read_reliability_matrix(path: Path, level: str) -> tuple[list[str], list[str], np.ndarray]:
    """Coders, units and the coders x units matrix (``nan`` = missing).

    The ``Dokument`` row, if any, is read and checked but not returned (see
    :func:`read_reliability_data`).

    Raises
    ------
    InputError
        As :func:`read_reliability_data`.
    """
    data = read_reliability_data(path, level)
    return data.coders, data.units, data.matrix
