"""Topic modelling with BERTopic: candidate inductive categories with their stability.

BERTopic is fitted on precomputed embeddings (:mod:`asaqda.inductive.embeddings`) with a seeded
UMAP and HDBSCAN, and c-TF-IDF over lemma texts (:mod:`asaqda.inductive.preprocess`): the same
material gives the same topics. The clustering is repeated with the other seeds of
``TopicParams.seeds``; a topic's stability is the mean over those runs of its best Jaccard
overlap with a topic of the run (1 = the same paragraphs form a topic whatever the seed).
It is refitted, too, on ``TopicParams.subsamples`` random subsamples of the units (fixed
seeds, ``subsample_share`` of the units each); the subsample stability is the mean over them
of the topic's best Jaccard overlap, on the units the subsample shares with the full run,
with a topic of the subsample (1 = the topic does not hang on a few units).

A topic made of repeated text (:mod:`asaqda.inductive.boilerplate`) is rated
``Textbaustein``, never ``robust``; the others by the lower of both stabilities.

Material that cannot carry a topic model (none, too little, all the same, nothing but stop
words) gives a German message instead of an exception from UMAP or HDBSCAN.
"""

from __future__ import annotations

import logging
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.metrics import adjusted_rand_score
from threadpoolctl import threadpool_limits

from asaqda.inductive.boilerplate import assess_repetition
from asaqda.inductive.embeddings import Embedding

__all__ = [
    "TopicParams",
    "TopicResult",
    "TOPIC_COLUMNS",
    "CHECK_COLUMNS",
    "BOILERPLATE",
    "subsample_indices",
    "rating",
    "topic_size",
    "material_problem",
    "fit_topics",
    "stability_label",
    "ClusterJob",
    "cluster_jobs",
    "run_cluster_jobs",
    "exact_neighbours",
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
#: added after the columns above (and after the examples in ``kandidaten.csv``)
CHECK_COLUMNS = [
    "stabilitaet_teilproben",
    "anteil_wiederholt",
    "bezug_rest",
    "textbaustein",
]
#: the rating of a candidate made of repeated text
BOILERPLATE = "Textbaustein"


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
    #: refits on random subsamples of the units (0 = no subsample stability)
    subsamples: int = 3
    #: share of the units in each subsample
    subsample_share: float = 0.8
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


def rating(seed_stability: float, subsample_stability: float, boilerplate: bool) -> str:
    """The ``Einschätzung`` of a candidate: :data:`BOILERPLATE` for repeated text, otherwise
    :func:`stability_label` of the lower of the seed and subsample stability (those that were
    measured)."""
    if boilerplate:
        return BOILERPLATE
    measured = [v for v in (seed_stability, subsample_stability) if not np.isnan(v)]
    return stability_label(min(measured) if measured else float("nan"))


def subsample_indices(n: int, params: TopicParams) -> list[np.ndarray]:
    """The units (sorted positions) of each subsample of a scope with ``n`` units: fixed seeds
    (the first of ``params.seeds`` and the subsample's number), so reruns draw the same."""
    if params.subsamples <= 0 or n == 0:
        return []
    k = max(1, min(n, round(n * params.subsample_share)))
    return [
        np.sort(np.random.default_rng([params.seeds[0], i]).choice(n, size=k, replace=False))
        for i in range(params.subsamples)
    ]


def exact_neighbours(vectors: np.ndarray, k: int, block: int = 2048) -> tuple[np.ndarray, ...]:
    """Exact cosine k-nearest neighbours of L2-normalised rows (self first), in blocks.

    Computed once per scope and shared by every seed's UMAP: exact, so the neighbour graph
    does not depend on the seed, and fast (BLAS instead of a Python distance callback).
    """
    n = len(vectors)
    k = min(k, n)
    idx = np.empty((n, k), dtype=np.int64)
    dist = np.empty((n, k), dtype=np.float32)
    for s in range(0, n, block):
        sim = vectors[s : s + block] @ vectors.T
        rows = np.arange(sim.shape[0])
        sim[rows, s + rows] = 2.0  # self first, even among identical texts
        part = np.argpartition(-sim, k - 1, axis=1)[:, :k]
        part_sim = np.take_along_axis(sim, part, axis=1)
        # by similarity, ties by index: the same neighbours in the same order on every run
        order = np.lexsort((part, -part_sim), axis=1)
        idx[s : s + block] = np.take_along_axis(part, order, axis=1)
        d = 1.0 - np.take_along_axis(part_sim, order, axis=1)
        d[:, 0] = 0.0
        dist[s : s + block] = np.maximum(d, 0.0)
    return idx, dist


@dataclass(frozen=True)
class ClusterJob:
    """One UMAP + HDBSCAN run of one scope with one seed (picklable for a worker process)."""

    vectors: np.ndarray
    knn: tuple[np.ndarray, ...]
    size: int
    seed: int
    n_components: int


def run_cluster_job(job: ClusterJob) -> tuple[np.ndarray, np.ndarray] | str:
    """Reduce with a seeded UMAP on the shared neighbour graph, cluster with HDBSCAN.

    Returns the reduced vectors and the labels (-1 = no topic), or the error as text when
    UMAP or HDBSCAN cannot handle the material.
    """
    from hdbscan import HDBSCAN
    from umap import UMAP

    n = len(job.vectors)
    try:
        # one BLAS thread in every worker, as in the parent (asaqda.inductive.analysis)
        with warnings.catch_warnings(), threadpool_limits(limits=1):
            warnings.simplefilter("ignore")
            reduced = UMAP(
                n_neighbors=job.knn[0].shape[1],
                n_components=max(2, min(job.n_components, n - 2)),
                min_dist=0.0,
                metric="cosine",
                n_epochs=200,
                random_state=job.seed,
                precomputed_knn=(job.knn[0], job.knn[1]),
                force_approximation_algorithm=True,
                low_memory=False,
            ).fit_transform(job.vectors)
            labels = HDBSCAN(
                min_cluster_size=job.size,
                metric="euclidean",
                cluster_selection_method="eom",
                core_dist_n_jobs=1,  # joblib workers inside a forked worker hang
            ).fit(reduced)
        return np.asarray(reduced), np.asarray(labels.labels_)
    except (ValueError, TypeError, IndexError) as exc:  # degenerate geometry
        return f"{type(exc).__name__}: {exc}"


def run_cluster_jobs(jobs: list[ClusterJob], workers: int = 1) -> list[Any]:
    """Run cluster jobs, in ``workers`` processes (fork) when there are several; results in
    the order of ``jobs`` and the same whatever the number of workers."""
    if workers <= 1 or len(jobs) <= 1:
        return [run_cluster_job(j) for j in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i].vectors))  # largest first
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {i: pool.submit(run_cluster_job, jobs[i]) for i in order}
        return [futures[i].result() for i in range(len(jobs))]


def cluster_jobs(vectors: np.ndarray, size: int, params: TopicParams) -> list[ClusterJob]:
    """The runs of one scope: one per seed, sharing one exact neighbour graph, then one per
    subsample (:func:`subsample_indices`) with the first seed, its own neighbour graph and
    the smallest topic scaled to the subsample."""
    n = len(vectors)
    knn = exact_neighbours(vectors, max(2, min(params.n_neighbors, n - 1)))
    jobs = [ClusterJob(vectors, knn, size, seed, params.n_components) for seed in params.seeds]
    for idx in subsample_indices(n, params):
        sub = vectors[idx]
        if len(sub) < 4:
            continue
        sub_knn = exact_neighbours(sub, max(2, min(params.n_neighbors, len(sub) - 1)))
        sub_size = max(2, round(size * len(sub) / n))
        jobs.append(ClusterJob(sub, sub_knn, sub_size, params.seeds[0], params.n_components))
    return jobs


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
    units: pd.DataFrame,
    lemmas: list[str],
    embeddings: np.ndarray,
    params: TopicParams,
    runs: list[Any] | None = None,
    workers: int = 1,
    embed_texts: Callable[[list[str]], np.ndarray] | None = None,
) -> TopicResult:
    """Fit BERTopic on one scope's units and describe the candidates.

    Parameters
    ----------
    units
        Material (:func:`asaqda.inductive.material.select_material`), any order.
    lemmas
        The units' lemma texts (c-TF-IDF input).
    embeddings
        The units' embeddings (one row per unit, L2-normalised).
    runs
        The results of :func:`cluster_jobs` for this scope if already computed (one per seed,
        then one per subsample); otherwise they are computed here with ``workers`` processes.
    embed_texts
        Embeds new texts in the space of ``embeddings``: the boilerplate check
        (:func:`asaqda.inductive.boilerplate.assess_repetition`) embeds the repeated sentence
        and the rest of each unit. None: only topics of nothing but repeated text are flagged.
    """
    units = units.reset_index(drop=True).copy()
    units["lemmas"] = lemmas
    size = topic_size(len(units), params)
    empty = pd.DataFrame(columns=[*TOPIC_COLUMNS, *CHECK_COLUMNS, "beispiele"])
    units["thema"] = -1
    units["naehe"] = np.nan
    problem = material_problem(lemmas, size)
    if problem is not None:
        return TopicResult(units, empty, problem, min_topic_size=size)
    if runs is None:
        runs = run_cluster_jobs(cluster_jobs(embeddings, size, params), workers)
    n_seeds = len(params.seeds)
    subsets = [idx for idx in subsample_indices(len(units), params) if len(idx) >= 4]
    # a failed subsample only leaves that subsample out; a failed seed run fails the scope
    sub_runs = [
        (idx, r[1])
        for idx, r in zip(subsets, runs[n_seeds:], strict=False)
        if not isinstance(r, str)
    ]
    runs = runs[:n_seeds]
    failed = next((r for r in runs if isinstance(r, str)), None)
    if failed is not None:
        log.warning("Themenmodell fehlgeschlagen: %s", failed)
        return TopicResult(
            units,
            empty,
            "Das Themenmodell ließ sich auf diesem Material nicht schätzen "
            f"({failed.split(':')[0]}); es ist vermutlich zu gleichförmig.",
            min_topic_size=size,
        )
    reduced, first = runs[0]
    others = [labels for _, labels in runs[1:]]
    if (first < 0).all():
        return TopicResult(
            units,
            empty,
            f"Keine Themen gefunden: keine Gruppe von mindestens {size} ähnlichen Einheiten.",
            min_topic_size=size,
        )
    model = _representation(units["lemmas"].tolist(), embeddings, first, params)
    labels = np.asarray(model.topics_)  # renumbered by size: topic 0 is the largest
    units["thema"] = labels
    normed = embeddings / np.maximum(np.linalg.norm(embeddings, axis=1, keepdims=True), 1e-12)
    rows = []
    for topic in sorted(t for t in set(labels.tolist()) if t >= 0):
        members = labels == topic
        centre = normed[members].mean(axis=0)
        centre /= max(float(np.linalg.norm(centre)), 1e-12)
        units.loc[members, "naehe"] = (normed[members] @ centre).round(4)
        overlaps = [_best_overlap(members, other) for other in others]
        stability = float(np.mean(overlaps)) if overlaps else float("nan")
        sub_overlaps = [
            _best_overlap(members[idx], labels_sub)
            for idx, labels_sub in sub_runs
            if members[idx].any()
        ]
        sub_stability = float(np.mean(sub_overlaps)) if sub_overlaps else float("nan")
        sub = units[members]
        repetition = assess_repetition(sub["text"].tolist(), normed, embed_texts)
        words = [w for w, _ in (model.get_topic(topic) or [])][: params.top_words]
        rows.append(
            {
                "thema": topic,
                "groesse": int(members.sum()),
                "anteil_prozent": round(100 * members.mean(), 1),
                "begriffe": ", ".join(w for w in words if w),
                "stabilitaet": round(stability, 2) if overlaps else np.nan,
                "einschaetzung": rating(stability, sub_stability, repetition.boilerplate),
                "n_dokumente": sub["doc_id"].nunique(),
                "rollen": _counts(sub.drop_duplicates("doc_id")["Rolle"].replace("", "ohne Rolle")),
                "wellen": _counts(sub["wave"], by_size=False),
                "dokumente": ", ".join(sorted(sub["document_name"].unique())),
                "stabilitaet_teilproben": round(sub_stability, 2),
                "anteil_wiederholt": repetition.share,
                "bezug_rest": repetition.relation,
                "textbaustein": "ja" if repetition.boilerplate else "nein",
                "beispiele": _examples(sub, params.examples),
            }
        )
    return TopicResult(
        units,
        pd.DataFrame(rows, columns=[*TOPIC_COLUMNS, *CHECK_COLUMNS, "beispiele"]),
        None,
        [round(float(adjusted_rand_score(labels, o)), 3) for o in others],
        size,
        model,
        _map_coordinates(reduced),
    )


def _representation(
    lemmas: list[str], embeddings: np.ndarray, labels: np.ndarray, params: TopicParams
) -> Any:
    """BERTopic on the given clustering: c-TF-IDF topic words over the lemma texts."""
    try:
        from bertopic import BERTopic
        from bertopic.cluster import BaseCluster
        from bertopic.dimensionality import BaseDimensionalityReduction
    except ImportError as exc:  # pragma: no cover - make install always installs it
        raise RuntimeError(
            "BERTopic ist nicht installiert. Bitte 'make install' ausführen; es installiert "
            "BERTopic mit 'pip install --no-deps bertopic' (die volle Installation würde torch "
            "mitziehen)."
        ) from exc
    model = BERTopic(
        umap_model=BaseDimensionalityReduction(),  # UMAP ran already (seeded, shared graph)
        hdbscan_model=BaseCluster(),  # so did HDBSCAN: its labels come in as y
        vectorizer_model=CountVectorizer(ngram_range=(1, 2), lowercase=False),
        top_n_words=params.top_words,
        calculate_probabilities=False,
        language="multilingual",  # "english" would strip umlauts before c-TF-IDF
        verbose=False,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(lemmas, embeddings=embeddings, y=labels)
    return model


def _map_coordinates(reduced: np.ndarray) -> np.ndarray | None:
    """2-D coordinates for the document map: the first two principal components of the
    UMAP space the topics were found in (deterministic, no second UMAP)."""
    from sklearn.decomposition import PCA

    if len(reduced) < 3:
        return None
    return PCA(n_components=2, random_state=0).fit_transform(reduced)
