"""Figures of the panel analysis: trajectories by type, an alluvial chart of level bands, and a
one-page portrait per person."""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from PIL import Image

from asaqda.io.officefiles import atomic_target
from asaqda.panel.tables import band_table
from asaqda.panel.trajectories import AF, BF, TYPES, PanelParams
from asaqda.plotting import GRAYS, LINESTYLES, MARKERS, STYLE, save_figure

__all__ = [
    "PORTRAIT_VERSION",
    "trajectory_figure",
    "alluvial_figure",
    "portrait_figure",
    "portrait_drawing",
]

_STYLE_OF = {t: (GRAYS[i], LINESTYLES[i], MARKERS[i]) for i, t in enumerate(TYPES)}
_QUOTES = 15  # quotes per portrait page
#: raise when :func:`portrait_figure` draws differently: every cached portrait is redrawn
PORTRAIT_VERSION = 2
_PORTRAIT_DPI = 300
_LEVEL_LABEL = {"was": "WAS (0–10)", "bilanz": "Bilanz Arbeitsfähigkeit (−1 bis 1)"}


def trajectory_figure(measures: pd.DataFrame, types: pd.DataFrame, stem: Path) -> list[Path]:
    """Individual trajectories (thin) coloured by type with the type means (thick), one panel
    per level (WAS and Bilanz, as persons are typed on one of them)."""
    level_of = types.set_index("person")["niveau"]
    type_of = types.set_index("person")["typ"]
    levels = [lv for lv in ("was", "bilanz") if (level_of == lv).any()] or ["bilanz"]
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(
            1, len(levels), figsize=(16 / 2.54 * len(levels) / 1.3, 9 / 2.54), squeeze=False
        )
        for ax, level in zip(axes[0], levels, strict=True):
            persons = level_of[level_of == level].index
            data = measures[measures["person"].isin(persons)].dropna(subset=["panelwelle"])
            seen = []
            for person, g in data.groupby("person", sort=True):
                typ = type_of[person]
                color, ls, _ = _STYLE_OF[typ]
                g = g.sort_values("panelwelle")
                ax.plot(g["panelwelle"], g[level], color=color, ls=ls, lw=0.6, alpha=0.5)
            for typ in TYPES:
                sel = data[data["person"].map(type_of) == typ]
                if sel.empty:
                    continue
                means = sel.groupby("panelwelle")[level].mean()
                color, ls, marker = _STYLE_OF[typ]
                n = sel["person"].nunique()
                ax.plot(
                    means.index,
                    means.values,
                    color=color,
                    ls=ls,
                    marker=marker,
                    lw=2.2,
                    label=f"{typ} (n = {n})",
                )
                seen.append(typ)
            ax.set_xticks([1, 2, 3])
            ax.set_xlabel("Panelwelle")
            ax.set_ylabel(_LEVEL_LABEL[level])
            ax.set_title(f"Verläufe, typisiert nach {'WAS' if level == 'was' else 'Bilanz'}")
            if seen:
                ax.legend(fontsize=7, frameon=False, loc="best")
        fig.tight_layout()
    return save_figure(fig, stem)


def _ribbon(
    ax: object, x0: float, y0: tuple[float, float], x1: float, y1: tuple[float, float], color: str
) -> None:
    """A smooth band from (x0, y0 bottom..top) to (x1, y1 bottom..top)."""
    xm = (x0 + x1) / 2
    verts = [
        (x0, y0[0]),
        (xm, y0[0]),
        (xm, y1[0]),
        (x1, y1[0]),
        (x1, y1[1]),
        (xm, y1[1]),
        (xm, y0[1]),
        (x0, y0[1]),
        (x0, y0[0]),
    ]
    codes = [
        MplPath.MOVETO,
        *[MplPath.CURVE4] * 3,
        MplPath.LINETO,
        *[MplPath.CURVE4] * 3,
        MplPath.CLOSEPOLY,
    ]
    ax.add_patch(PathPatch(MplPath(verts, codes), facecolor=color, edgecolor="none", alpha=0.45))  # type: ignore[attr-defined]


def alluvial_figure(
    measures: pd.DataFrame, types: pd.DataFrame, params: PanelParams, stem: Path
) -> list[Path]:
    """Alluvial (Sankey) chart: persons in each level band per Panelwelle and the flows
    between them; persons without an interview in a Panelwelle show as ``fehlt``."""
    wide = band_table(measures, types, params).fillna("fehlt")
    cats = [*reversed(params.band_labels), "fehlt"]
    shades = dict(zip(cats, ("#303030", "#707070", "#b0b0b0", "#e0e0e0"), strict=True))
    gap, width = 0.04 * max(len(wide), 1), 0.18
    with plt.rc_context({**STYLE, "axes.grid": False}):
        fig, ax = plt.subplots(figsize=(16 / 2.54, 9 / 2.54))
        tops: dict[tuple[int, str], float] = {}
        for col in (1, 2, 3):
            y = 0.0
            for cat in cats:
                n = int((wide[col] == cat).sum())
                tops[(col, cat)] = y
                if n:
                    ax.add_patch(
                        Rectangle(
                            (col - width / 2, y), width, n, color=shades[cat], ec="black", lw=0.5
                        )
                    )
                    ax.text(
                        col,
                        y + n / 2,
                        f"{cat}\n{n}",
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if cat in cats[:2] else "black",
                    )
                y += n + gap
        for a, b in ((1, 2), (2, 3)):
            out_pos = {c: tops[(a, c)] for c in cats}
            in_pos = {c: tops[(b, c)] for c in cats}
            for frm in cats:
                for to in cats:
                    n = int(((wide[a] == frm) & (wide[b] == to)).sum())
                    if not n:
                        continue
                    _ribbon(
                        ax,
                        a + width / 2,
                        (out_pos[frm], out_pos[frm] + n),
                        b - width / 2,
                        (in_pos[to], in_pos[to] + n),
                        shades[frm],
                    )
                    out_pos[frm] += n
                    in_pos[to] += n
        ax.set_xlim(0.6, 3.4)
        ax.set_ylim(-gap, len(wide) + gap * len(cats))
        ax.invert_yaxis()
        ax.set_xticks([1, 2, 3], ["Panelwelle 1", "Panelwelle 2", "Panelwelle 3"])
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        # the title is the report's caption; the figure keeps only the base
        ax.set_ylabel(f"Personen (n = {len(wide)})")
        fig.tight_layout()
    return save_figure(fig, stem)


def portrait_figure(
    person: str,
    interviews: pd.DataFrame,
    events: pd.DataFrame,
    typ: pd.Series,
    stem: Path,
    note: str = "",
) -> list[Path]:
    """One page (A4 portrait) for one person: the level per Panelwelle, the rising and falling
    events with their weights as a timeline, and short quotes from the segments.

    ``events``: the person's segments coded ``Arbeitsfähigkeit``/``Bewältigungsfähigkeit``
    with ``welle``, ``panelwelle``, ``code``, ``weight``, ``segment``, ``begin``. ``note``
    (when the codebook has no event codes) takes the place of the empty timeline.
    """
    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(21 / 2.54, 29.7 / 2.54))
        grid = fig.add_gridspec(
            3,
            1,
            height_ratios=[1.0, 1.3, 2.2],
            hspace=0.35,
            left=0.12,
            right=0.95,
            top=0.93,
            bottom=0.03,
        )
        ax_level = fig.add_subplot(grid[0])
        ax_events = fig.add_subplot(grid[1])
        ax_text = fig.add_subplot(grid[2])
        status = (
            "vorläufig"
            if bool(typ["vorlaeufig"])
            else ("nicht entschieden" if typ["typ"] == "prüfen" else "endgültig")
        )
        fig.suptitle(
            f"Person {person}: Verlaufstyp {typ['typ']} ({status}), "
            f"{int(typ['anzahl_interviews'])} Interview(s)",
            fontsize=12,
            x=0.07,
            ha="left",
        )
        iv = interviews.sort_values("panelwelle")
        level = typ["niveau"]
        ax_level.plot(iv["panelwelle"], iv[level], "o-", color="black")
        for r in iv.itertuples(index=False):
            ax_level.annotate(
                f"{r.welle}\n{r.betrieb if isinstance(r.betrieb, str) else ''}",
                (r.panelwelle, getattr(r, level)),
                textcoords="offset points",
                xytext=(0, 8),
                ha="center",
                fontsize=7,
            )
        ax_level.set_xticks([1, 2, 3])
        ax_level.set_xlim(0.5, 3.5)
        ax_level.set_ylabel(_LEVEL_LABEL[level])
        # a balance is the direction of the period before the interview, not a level
        ax_level.set_title(
            "Niveau je Panelwelle" if level == "was" else "Bilanz der Ereignisse je Panelwelle",
            loc="left",
        )
        ev = events.sort_values(["panelwelle", "begin", "code"], kind="mergesort").reset_index(
            drop=True
        )
        weights = ev["weight"].fillna(0).astype(float).replace(0, 50)
        rising = ev["code"].isin([AF[0], BF[0]])
        sign = np.where(rising, 1.0, -1.0)
        x = np.arange(len(ev))
        hatch = ["" if c in AF else "//" for c in ev["code"]]
        bars = ax_events.bar(
            x,
            sign * weights.to_numpy(),
            color=np.where(rising, "#404040", "#b0b0b0"),
            edgecolor="black",
            lw=0.4,
        )
        for patch, h in zip(bars, hatch, strict=True):
            patch.set_hatch(h)
        # the strongest events are quoted below and numbered in the chart (in time order)
        quoted = sorted(sorted(range(len(ev)), key=lambda i: (-weights.iloc[i], i))[:_QUOTES])
        for k, i in enumerate(quoted, start=1):
            ax_events.text(
                x[i],
                sign[i] * (weights.iloc[i] + 7),
                str(k),
                ha="center",
                va="center",
                fontsize=6,
            )
        for pw, g in ev.groupby("panelwelle"):
            ax_events.axvspan(
                g.index.min() - 0.5,
                g.index.max() + 0.5,
                color="#f2f2f2" if int(pw) % 2 else "white",
                zorder=0,
            )
            ax_events.text(
                (g.index.min() + g.index.max()) / 2,
                112,
                f"Panelwelle {int(pw)}",
                ha="center",
                fontsize=7,
            )
        ax_events.axhline(0, color="black", lw=0.6)
        ax_events.set_ylim(-120, 125)
        ax_events.set_xticks([])
        ax_events.set_ylabel("Gewicht (steigend + / fallend −)")
        ax_events.set_title(
            "Ereignisse: Arbeitsfähigkeit (voll), Bewältigungsfähigkeit (schraffiert)", loc="left"
        )
        if ev.empty:
            ax_events.text(
                0.5,
                0.5,
                textwrap.fill(note, 90) if note else "keine kodierten Ereignisse",
                transform=ax_events.transAxes,
                ha="center",
                va="center",
                bbox={"facecolor": "white", "edgecolor": "none"},
            )
        ax_text.axis("off")
        lines = []
        for k, i in enumerate(quoted, start=1):
            r = ev.iloc[i]
            kind = str(r["code"]).replace(" > ", " ")
            quote = textwrap.shorten(str(r["segment"] or ""), 150, placeholder=" …")
            lines.append(f"{k}. [{r['welle']}, {kind}, Gewicht {int(weights.iloc[i])}] „{quote}“")
        wrapped = "\n".join(textwrap.fill(s, 110, subsequent_indent="    ") for s in lines)
        if len(ev) > len(quoted):
            wrapped += (
                f"\n\n{len(ev)} Ereignisse; zitiert sind die {len(quoted)} mit dem höchsten "
                "Gewicht (ungewichtete Segmente zählen als 50)."
            )
        ax_text.text(
            0,
            1,
            wrapped or "keine Zitate",
            va="top",
            ha="left",
            fontsize=7,
            family="DejaVu Sans",
            transform=ax_text.transAxes,
        )
        ax_text.set_title("Zitate aus den Segmenten (stärkste Ereignisse)", loc="left")
    return _save_page(fig, stem)


def portrait_drawing() -> dict[str, object]:
    """What the portrait pages depend on besides the data: the drawing code's version, dpi,
    quotes per page and the matplotlib version (each enters the portraits' cache keys)."""
    return {
        "version": PORTRAIT_VERSION,
        "dpi": _PORTRAIT_DPI,
        "quotes": _QUOTES,
        "matplotlib": matplotlib.__version__,
    }


def _save_page(fig: Figure, stem: Path) -> list[Path]:
    """Save a portrait as ``stem.svg`` and ``stem.png`` (300 dpi); close the figure.

    The page is drawn in shades of grey only, so the PNG is stored as an 8-bit grey image:
    the same pixels as matplotlib's RGBA PNG in less than half the bytes and encoding time.
    A page with colour (or transparency) is stored as RGBA.
    """
    with plt.rc_context({**STYLE, "savefig.bbox": None}):
        svg = stem.with_suffix(".svg")
        with atomic_target(svg) as tmp:
            fig.savefig(tmp, format="svg", dpi=_PORTRAIT_DPI, metadata={"Date": None})
        fig.set_dpi(_PORTRAIT_DPI)
        fig.canvas.draw()
        rgba = np.asarray(fig.canvas.buffer_rgba())
    plt.close(fig)
    grey = (
        (rgba[..., 3] == 255).all()
        and (rgba[..., 0] == rgba[..., 1]).all()
        and (rgba[..., 1] == rgba[..., 2]).all()
    )
    image = Image.fromarray(rgba[..., 0].copy(), "L") if grey else Image.fromarray(rgba.copy())
    png = stem.with_suffix(".png")
    with atomic_target(png) as tmp:
        # PIL writes no date and no software name: the same page gives the same bytes
        image.save(tmp, format="png", dpi=(_PORTRAIT_DPI, _PORTRAIT_DPI))
    return [png, svg]
