"""Which embedding for the topic model? Both offline options compared on the demo corpus.

The demo interviews' uncoded turns talk about five themes the codebook does not cover
(``asaqda.demo.sentences.THEMES``) besides small talk. For each embedding option this prints,
per wave and across all waves: the number of topics, how well the topics recover the planted
themes (adjusted Rand index over the themed paragraphs; small talk left out), the stability over
seeds (mean ARI of the other seeds' assignments with the first), and the time.

Usage: python benchmarks/inductive_embeddings.py
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import adjusted_rand_score

REPO = Path(__file__).resolve().parent.parent


def planted_theme(text: str, themes: dict[str, list[str]]) -> str:
    """The planted theme of a paragraph (by the opening words of its sentences), or ''."""
    for theme, sentences in themes.items():
        if any(s.split("{")[0][:30] in text for s in sentences):
            return theme
    return ""


def main() -> None:
    from asaqda.codebook import load_codebook
    from asaqda.demo.sentences import THEMES
    from asaqda.inductive.embeddings import embed
    from asaqda.inductive.material import select_material
    from asaqda.inductive.preprocess import lemma_texts
    from asaqda.inductive.topics import TopicParams, fit_topics
    from asaqda.io.wave import discover_waves, import_wave
    from asaqda.quality import mark_intercoder_copies

    demo = REPO / "data" / "demo"
    results = [import_wave(demo, w) for w in discover_waves(demo)]
    docs = pd.concat([r.documents for r in results], ignore_index=True)
    docs["intercoder_copy"] = mark_intercoder_copies(docs)
    paras = pd.concat([r.paragraphs for r in results], ignore_index=True)
    cods = pd.concat([r.codings for r in results if len(r.codings)], ignore_index=True)
    codebook = load_codebook(REPO / "codebook")
    units = select_material(paras, cods, docs, codebook.paths)
    truth = np.array([planted_theme(t, THEMES) for t in units["text"]])
    print(f"demo material: {len(units)} paragraphs, {int((truth != '').sum())} on a planted theme")
    lemmas = lemma_texts(units["text"].tolist())
    fit_topics(units, lemmas, embed(units["text"].tolist(), lemmas, "tfidf_svd"), TopicParams())
    rows = []
    for method in ("use", "tfidf_svd"):
        start = time.perf_counter()
        vectors = embed(units["text"].tolist(), lemmas, method)
        embed_s = time.perf_counter() - start
        scopes = [*sorted(units["wave"].unique()), "gesamt"]
        for scope in scopes:
            mask = np.ones(len(units), bool) if scope == "gesamt" else units["wave"] == scope
            mask = np.asarray(mask)
            start = time.perf_counter()
            result = fit_topics(
                units[mask],
                [t for t, m in zip(lemmas, mask, strict=True) if m],
                vectors[mask],
                TopicParams(embedding=method),  # type: ignore[arg-type]
            )
            themed = truth[mask] != ""
            rows.append(
                {
                    "embedding": method,
                    "bereich": scope,
                    "themen": len(result.topics),
                    "ari_themes": adjusted_rand_score(
                        truth[mask][themed], result.units["thema"].to_numpy()[themed]
                    ),
                    "stability_ari": float(np.mean(result.seed_ari)),
                    "robust_share": float((result.topics["einschaetzung"] == "robust").mean()),
                    "fit_s": time.perf_counter() - start,
                    "embed_s": embed_s,
                }
            )
    table = pd.DataFrame(rows)
    pd.set_option("display.width", 120)
    print(table.round(3).to_string(index=False))
    waves = table[table["bereich"] != "gesamt"]
    summary = waves.groupby("embedding")[["ari_themes", "stability_ari", "robust_share"]].mean()
    summary["ari_themes_all_waves"] = table[table["bereich"] == "gesamt"].set_index("embedding")[
        "ari_themes"
    ]
    print("\nmean over the waves, and ARI across all waves:")
    print(summary.round(3).to_string())


if __name__ == "__main__":
    main()
