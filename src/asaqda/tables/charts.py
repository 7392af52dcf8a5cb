"""Bar charts of the company tables (PNG 300 dpi + SVG, black and white friendly)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from asaqda.plotting import new_figure, save_figure

__all__ = ["company_bar_chart", "note_figure"]


def company_bar_chart(table: pd.DataFrame, stem: Path) -> list[Path]:
    """Horizontal bars of ``n_betriebe`` per ``kategorie`` with "n (x %)" in the labels.

    The chart has no title: the report's caption names it (a title in the picture would
    repeat the caption).
    """
    height = 2.5 + 0.8 * max(len(table), 1)
    fig, ax = new_figure(16, height)
    rows = table.iloc[::-1]
    labels = [f"{k} (n = {n})" for k, n in zip(rows["kategorie"], rows["n_betriebe"], strict=True)]
    bars = ax.barh(labels, rows["n_betriebe"], color="#595959", edgecolor="black", lw=0.5)
    for bar, share in zip(bars, rows["anteil_prozent"], strict=True):
        ax.text(
            bar.get_width() + 0.1,
            bar.get_y() + bar.get_height() / 2,
            f"{share:.1f} %".replace(".", ","),
            va="center",
            fontsize=8,
        )
    ax.set_xlabel("Anzahl Betriebe")
    ax.grid(axis="y", visible=False)
    ax.set_xlim(0, max(1, int(table["n_betriebe"].max() if len(table) else 1)) * 1.2)
    fig.tight_layout()
    return save_figure(fig, stem)


def note_figure(note: str, stem: Path) -> list[Path]:
    """A figure that only says why there is no chart (``note``, wrapped), in place of a bar
    chart whose table could not be computed.

    Parameters
    ----------
    note
        the German note
    stem
        path without suffix; ``stem.png`` and ``stem.svg`` are written

    Returns
    -------
    list of Path
    """
    import textwrap

    fig, ax = new_figure(16, 4)
    ax.axis("off")
    ax.text(0.5, 0.5, textwrap.fill(note, 80), ha="center", va="center", transform=ax.transAxes)
    return save_figure(fig, stem)
