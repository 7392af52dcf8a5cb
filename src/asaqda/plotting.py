"""One figure style for every chart, and saving as PNG (300 dpi) and SVG with the same bytes on
every rerun (no dates, fixed SVG ids)."""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

__all__ = ["STYLE", "GRAYS", "LINESTYLES", "MARKERS", "new_figure", "save_figure"]

#: a palette that stays distinguishable in black and white (with line styles and markers)
GRAYS = ("#1b1b1b", "#4d4d4d", "#7a7a7a", "#a6a6a6", "#c8c8c8", "#2f5f8a", "#8a2f2f", "#5f8a2f")
LINESTYLES = ("-", "--", ":", "-.", (0, (5, 1)), (0, (3, 1, 1, 1)), (0, (1, 1)), (0, (7, 2)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.5,
    "svg.hashsalt": "asaqda",
    "svg.fonttype": "none",  # text stays text: smaller, faster, searchable
    "savefig.bbox": "tight",
}


def new_figure(width_cm: float = 16, height_cm: float = 9) -> tuple[Figure, object]:
    """A figure in the report's style (sizes in cm, as Word shows them)."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(width_cm / 2.54, height_cm / 2.54))
    return fig, ax


def save_figure(fig: Figure, stem: Path, *, tight: bool = True) -> list[Path]:
    """Save ``stem.png`` (300 dpi) and ``stem.svg``; close the figure.

    ``tight=False`` keeps the page size as laid out (and saves one layout pass).
    """
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = []
    with plt.rc_context({**STYLE, "savefig.bbox": "tight" if tight else None}):
        for suffix, meta in ((".png", {"Software": None}), (".svg", {"Date": None})):
            path = stem.with_suffix(suffix)
            tmp = path.with_name(f".{path.name}.part")
            fig.savefig(tmp, dpi=300, format=suffix[1:], metadata=meta)
            os.replace(tmp, path)
            paths.append(path)
    plt.close(fig)
    return paths
