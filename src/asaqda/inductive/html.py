"""BERTopic's interactive views of one scope as an HTML page that works offline.

The page shows BERTopic's document map (every unit a point, its text on hover) and its bar
chart of topic words, with German labels. plotly.js lies once beside the pages
(``induktiv/plotly.min.js``), so nothing is loaded from the internet. The page is the same
bytes for the same topics: fixed element ids, no dates, the map's point order seeded.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

import numpy as np
import pandas as pd

from asaqda.inductive.sheets import paragraph_span
from asaqda.inductive.topics import TopicResult

__all__ = ["PLOTLY_JS", "write_plotly_js", "write_topic_page"]

PLOTLY_JS = "plotly.min.js"


def write_plotly_js(folder: Path) -> Path:
    """Write plotly.js beside the pages."""
    from plotly.offline import get_plotlyjs

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / PLOTLY_JS
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text(get_plotlyjs(), encoding="utf-8")
    os.replace(tmp, path)
    return path


def _labels(result: TopicResult) -> dict[int, str]:
    labels = {-1: "ohne Thema"}
    for rec in result.topics.itertuples(index=False):
        words = ", ".join(rec.begriffe.split(", ")[:3])
        labels[int(rec.thema)] = f"Thema {rec.thema}: {words}"
    return labels


def _figures(result: TopicResult) -> list[tuple[str, str]]:
    """(element id, HTML div) of each figure."""
    model = result.model
    labels = _labels(result)
    model.set_topic_labels({t: labels[t] for t in model.get_topics()})
    units = result.units
    hover = [
        f"{doc} {src}: {text[:300]}"
        for doc, src, text in zip(
            units["document_name"],
            [
                f"Abs. {paragraph_span(p, e)}" if not pd.isna(p) else ""
                for p, e in zip(units["paragraph"], units["paragraph_end"], strict=True)
            ],
            units["text"],
            strict=True,
        )
    ]
    figures = []
    if result.coords is not None:
        np.random.seed(0)  # BERTopic shuffles the points of each topic with numpy's global RNG
        fig = model.visualize_documents(
            hover,
            reduced_embeddings=result.coords,
            custom_labels=True,
            title="<b>Einheiten und Themen</b> (Nähe im Themenraum; Text beim Überfahren)",
            width=1100,
            height=750,
        )
        for trace in fig.data:
            if trace.name == "other":
                trace.name = "ohne Thema"
            if trace.text is not None:
                trace.text = [
                    "ohne Thema" if t == "Other documents" else t for t in list(trace.text)
                ]
        fig.update_layout(showlegend=True, legend_title_text="Themen")
        figures.append(("karte", fig))
    n_topics = len(result.topics)
    if n_topics:
        fig = model.visualize_barchart(
            top_n_topics=n_topics,
            n_words=8,
            custom_labels=True,
            title="<b>Begriffe je Thema</b> (c-TF-IDF über Lemmata)",
            width=280,
            height=260,
        )
        figures.append(("begriffe", fig))
    return [
        (name, fig.to_html(full_html=False, include_plotlyjs=False, div_id=name))
        for name, fig in figures
    ]


def write_topic_page(path: Path, result: TopicResult, *, title: str, intro: str) -> Path:
    """Write the interactive page of one scope (a message page when there are no topics)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="de"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title>",
        f'<script src="{PLOTLY_JS}"></script>',
        "<style>body{font-family:Arial,sans-serif;margin:1.5em;max-width:1200px}"
        ".hinweis{background:#f2f2f2;padding:.8em;border-left:4px solid #666}</style>",
        "</head><body>",
        f"<h1>{html.escape(title)}</h1>",
        f"<p>{html.escape(intro)}</p>",
    ]
    if result.message:
        parts.append(f'<p class="hinweis">{html.escape(result.message)}</p>')
    else:
        for _, div in _figures(result):
            parts.append(div)
    parts.append("</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    tmp.write_text("\n".join(parts) + "\n", encoding="utf-8")
    os.replace(tmp, path)
    return path
