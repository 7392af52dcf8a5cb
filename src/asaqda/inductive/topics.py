"""Topic modelling with BERTopic: candidate inductive categories with their stability.

BERTopic is fitted on precomputed embeddings (:mod:`asaqda.inductive.embeddings`) with a seeded
UMAP and HDBSCAN, and c-TF-IDF over lemma texts (:mod:`asaqda.inductive.preprocess`): the same
material gives the same topics. The clustering is repeated with the other seeds of
``TopicParams.seeds``; a topic's stability is the mean over those runs of its best Jaccard
overlap with a topic of the run (1 = the same paragraphs form a topic whatever the seed).

Material that cannot carry a topic model (none, too little, all the same, nothing but stop
words) gives a German message instead of an exception from UMAP or HDBSCAN.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import adjusted_rand_score

from asaqda.inductive.embeddings import Embedding

__all__ = [
    "TopicParams",
    "TopicResult",
    "TOPIC_COLUMNS",
    "topic_size",
    "material_problem",
    "fit_topics",
    "stability_label",
]

log = logging.getLogger(__name__)

#: fewer units than this never form a topic model
MIN_UNITS = 20
TOPIC_COLUMNS = [
    "thema",
    "groesse",
    "anteil_prozent",
    "begriffe",
    "stabilitaet",
    "einschaetzung",
    "n_dokumente",
    "rollen",
    "wellen",
    "dokumente",
]


@dataclass(frozen=True)
class TopicParams:
    """Settings of the topic model (config section ``inductive``)."""

    embedding: Embedding = "use"
    #: smallest topic (HDBSCAN min_cluster_size); None: 2 % of the units, at least 5, at most 50
    min_topic_size: int | None = None
    n_neighbors: int = 15
    n_components: int = 5
    #: the first seed gives the result, the others measure its stability
    seeds: tuple[int, ...] = (0, 1, 2, 3, 4)
    top_words: int = 10
    examples: int = 3


@dataclass
class TopicResult:
    """Topics of one scope (a wave or all waves)."""

    #: the units with ``lemmas``, ``thema`` (-1 = no topic) and ``naehe`` (cosine to the
    #: topic's centre)
    units: pd.DataFrame
    #: one row per topic (:data:`TOPIC_COLUMNS`) plus ``beispiele`` (unit indices)
    topics: pd.DataFrame
    #: why there are no topics, in German (None when there are)
    message: str | None = None
    #: adjusted Rand index of each further seed's assignment with the first one
    seed_ari: list[float] = field(default_factory=list)
    min_topic_size: int = 0
    model: Any = None
    #: 2-D coordinates of the units for the interactive map
    coords: np.ndarray | None = None


def topic_size(n: int, params: TopicParams) -> int:
    """The smallest topic size for ``n`` units."""
    if params.min_topic_size is not None:
        return params.min_topic_size
    return max(5, min(50, round(n * 0.02)))


def material_problem(lemmas: list[str], size: int) -> str | None:
    """Why this material cannot carry a topic model, or None."""
    n = len(lemmas)
    if n == 0:
        return "Kein Material: keine Absätze, die ohne Code geblieben sind."
    need = max(MIN_UNITS, 2 * size)
    if n < need:
        return (
            f"Zu wenig Material für ein Themenmodell: {n} Einheiten, mindestens {need} "
            "nötig. Mehr Wellen zusammen auswerten (gesamt) oder die Mindestgröße "
            "inductive.min_topic_size senken."
        )
    distinct = len({t for t in lemmas if t})
    if distinct == 0:
        return "Die Einheiten enthalten nur Füll- und Stoppwörter; es gibt keine Themen."
    if distinct == 1:
        return f"Alle {n} Einheiten sind gleich; es gibt nichts zu gruppieren."
    if distinct < need:
        return (
            f"Zu wenig verschiedene Einheiten: {n} Einheiten, aber nur {distinct} "
            f"verschiedene Texte (mindestens {need} nötig)."
        )
    return None


def stability_label(value: float) -> str:
    """robust (>= 0.75), mittel (>= 0.5) or instabil; 'nicht gemessen' without other seeds."""
    if np.isnan(value):
        return "nicht gemessen"
    return "robust" if value >= 0.75 else "mittel" if value >= 0.5 else "instabil"


def _models(n: int, size: int, params: TopicParams, seed: int) -> tuple[Any, Any]:
    from hdbscan import HDBSCAN
    from umap import UMAP

    umap = UMAP(
        n_neighbors=max(2, min(params.n_neighbors, n - 1)),
        n_components=max(2, min(params.n_components, n - 2)),
        min_dist=0.0,
        metric="cosine",
        random_state=seed,
        low_memory=True,
    )
    hdbscan = HDBSCAN(
        min_cluster_size=size,
        metric="euclidean",
        cluster_selection_method="eom",
        prediction_data=False,
    )
    return umap, hdbscan


def _cluster(embeddings: np.ndarray, size: int, params: TopicParams, seed: int) -> np.ndarray:
    umap, hdbscan = _models(len(embeddings), size, params, seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reduced = umap.fit_transform(embeddings)
        return np.asarray(hdbscan.fit(reduced).labels_)


def _best_overlap(members: np.ndarray, other: np.ndarray) -> float:
    """Best Jaccard overlap of a set of units with one topic of another run."""
    best = 0.0
    for label in np.unique(other[members]):
        if label < 0:
            continue
        theirs = other == label
        inter = np.count_nonzero(members & theirs)
        best = max(best, inter / np.count_nonzero(members | theirs))
    return best


def _examples(frame: pd.DataFrame, k: int) -> list[int]:
    """Indices of the ``k`` units closest to the topic's centre: quotable length first, one
    per document first."""
    ordered = frame.sort_values(["naehe", "unit_id"], ascending=[False, True])
    length = ordered["text"].str.len()
    quotable = ordered[(length >= 40) & (length <= 600)]
    picked: list[int] = []
    docs: set[str] = set()
    texts: set[str] = set()
    for pool, distinct in ((quotable, True), (quotable, False), (ordered, False)):
        for idx, doc, text in zip(pool.index, pool["doc_id"], pool["text"], strict=True):
            if len(picked) == k:
                return picked
            if idx in picked or (distinct and (doc in docs or text in texts)):
                continue
            picked.append(int(idx))
            docs.add(doc)
            texts.add(text)
    return picked


def _counts(values: pd.Series, by_size: bool = True) -> str:
    counts = values.value_counts().sort_index()
    if by_size:
        counts = counts.sort_values(ascending=False, kind="stable")
    return ", ".join(f"{k} {v}" for k, v in counts.items())


def fit_topics(
    units: pd.DataFrame, lemmas: list[str], embeddings: np.ndarray, params: TopicParams
) -> TopicResult:
    """Fit BERTopic on one scope's units and describe the candidates.

    Parameters
    ----------
    units
        Material (:func:`asaqda.inductive.material.select_material`), any order.
    lemmas
        The units' lemma texts (c-TF-IDF input).
    embeddings
        The units' embeddings (one row per unit).
    """
    units = units.reset_index(drop=True).copy()
    units["lemmas"] = lemmas
    size = topic_size(len(units), params)
    empty = pd.DataFrame(columns=[*TOPIC_COLUMNS, "beispiele"])
    units["thema"] = -1
    units["naehe"] = np.nan
    problem = material_problem(lemmas, size)
    if problem is not None:
        return TopicResult(units, empty, problem, min_topic_size=size)
    from bertopic import BERTopic

    umap, hdbscan = _models(len(units), size, params, params.seeds[0])
    model = BERTopic(
        umap_model=umap,
        hdbscan_model=hdbscan,
        vectorizer_model=CountVectorizer(ngram_range=(1, 2), lowercase=False),
        top_n_words=params.top_words,
        calculate_probabilities=False,
        language="multilingual",  # "english" would strip umlauts before c-TF-IDF
        verbose=False,
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            topics, _ = model.fit_transform(units["lemmas"].tolist(), embeddings=embeddings)
            others = [_cluster(embeddings, size, params, s) for s in params.seeds[1:]]
    except (ValueError, TypeError, IndexError) as exc:  # degenerate geometry UMAP cannot embed
        log.warning("topic model failed: %s", exc)
        return TopicResult(
            units,
            empty,
            "Das Themenmodell ließ sich auf diesem Material nicht schätzen "
            f"({type(exc).__name__}); es ist vermutlich zu gleichförmig.",
            min_topic_size=size,
        )
    labels = np.asarray(topics)
    units["thema"] = labels
    if (labels < 0).all():
        return TopicResult(
            units,
            empty,
            f"Keine Themen gefunden: keine Gruppe von mindestens {size} ähnlichen Einheiten.",
            min_topic_size=size,
            model=model,
        )
    normed = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)
    rows = []
    for topic in sorted(t for t in set(labels.tolist()) if t >= 0):
        members = labels == topic
        centre = normed[members].mean(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-12)
        units.loc[members, "naehe"] = (normed[members] @ centre).round(4)
        overlaps = [_best_overlap(members, other) for other in others]
        stability = float(np.mean(overlaps)) if overlaps else float("nan")
        sub = units[members]
        words = [w for w, _ in (model.get_topic(topic) or [])][: params.top_words]
        rows.append(
            {
                "thema": topic,
                "groesse": int(members.sum()),
                "anteil_prozent": round(100 * members.mean(), 1),
                "begriffe": ", ".join(w for w in words if w),
                "stabilitaet": round(stability, 2) if overlaps else np.nan,
                "einschaetzung": stability_label(stability),
                "n_dokumente": sub["doc_id"].nunique(),
                "rollen": _counts(sub.drop_duplicates("doc_id")["Rolle"].replace("", "ohne Rolle")),
                "wellen": _counts(sub["wave"], by_size=False),
                "dokumente": ", ".join(sorted(sub["document_name"].unique())),
                "beispiele": _examples(sub, params.examples),
            }
        )
    coords = _map_coordinates(model)
    return TopicResult(
        units,
        pd.DataFrame(rows, columns=[*TOPIC_COLUMNS, "beispiele"]),
        None,
        [round(float(adjusted_rand_score(labels, o)), 3) for o in others],
        size,
        model,
        coords,
    )


def _map_coordinates(model: Any) -> np.ndarray | None:
    """2-D coordinates for the document map: the first two principal components of the
    UMAP space the topics were found in (deterministic, no second UMAP)."""
    from sklearn.decomposition import PCA

    reduced = getattr(model.umap_model, "embedding_", None)
    if reduced is None or len(reduced) < 3:
        return None
    return PCA(n_components=2, random_state=0).fit_transform(reduced)
