"""Read a reliability data matrix: first column the coder, one column per unit.

An empty cell is a missing value. For the nominal level any labels work (they are mapped to
numbers); the other levels need numbers (a decimal comma is accepted).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from asaqda.errors import InputError, Location, Problem, ProblemList
from asaqda.io.tables import read_table
from asaqda.io.values import cell_text

__all__ = ["read_reliability_matrix"]


def read_reliability_matrix(path: Path, level: str) -> tuple[list[str], list[str], np.ndarray]:
    """Coders, units and the coders x units matrix (``nan`` = missing).

    Raises
    ------
    InputError
        E004 empty file, E011 a value that is not a number (non-nominal levels), E012 a coder
        listed twice.
    """
    table = read_table(path, path.name)
    units = [h or f"Einheit {i}" for i, h in enumerate(table.header[1:], start=1)]
    coders: list[str] = []
    rows: list[list[object]] = []
    problems = ProblemList()
    for i, row in enumerate(table.rows):
        coder = cell_text(row[0] if row else None)
        if coder is None and all(cell_text(v) is None for v in row):
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
        cells = list(row[1:]) + [None] * (len(units) - len(row) + 1)
        rows.append([cell_text(v) for v in cells[: len(units)]])
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
                        table.location(r, units[u]),
                        "use numbers for ordinal, interval and ratio data, or --level nominal",
                    )
                    continue
                matrix[r, u] = labels.setdefault(str(value), float(len(labels) + 10_000))
    problems.raise_if_any()
    return coders, units, matrix
