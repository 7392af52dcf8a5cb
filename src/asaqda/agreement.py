"""Intercoder agreement: percent agreement, Cohen's, Brennan-Prediger and Fleiss' kappa,
Krippendorff's alpha (nominal, ordinal, interval, ratio; any number of coders; missing values)
with bootstrap 95 % intervals.

Reliability data are a matrix coders x units (``numpy.nan`` = missing). Krippendorff's alpha
follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", via the coincidence
matrix. Two bootstraps:

* units resampled with replacement (:func:`alpha_with_ci` without ``clusters``): because alpha
  depends only on the multiset of values within each unit, units are grouped into distinct
  value patterns and resampled by multinomial draws over the patterns, which is exact and fast
  enough for 150,000 segments per coder. Right when the units are independent draws.
* clusters resampled with replacement (``clusters`` given, a cluster bootstrap): the coincidence
  matrix is a sum over units, so each cluster (a document) contributes one matrix and every
  bootstrap sample is a weighted sum of them. Paragraphs and code x document cells of one
  document are not independent, so the agreement tables resample documents; with fewer than
  :data:`MIN_CI_DOCUMENTS` documents no interval is given (see
  ``benchmarks/agreement_coverage.py`` for the simulated coverage).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import numpy as np
import pandas as pd

__all__ = [
    "Level",
    "AlphaResult",
    "krippendorff_alpha",
    "alpha_with_ci",
    "percent_agreement",
    "cohen_kappa",
    "brennan_prediger",
    "fleiss_kappa",
    "coded_versions",
    "agreement_table",
    "machine_agreement",
    "AGREEMENT_COLUMNS",
    "MACHINE",
    "MIN_CI_DOCUMENTS",
    "joint_copies",
    "segment_matches",
    "segment_kappa",
]

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")


UNDEFINED = "kein 95-%-Intervall: α ist nicht bestimmt (keine Variation oder zu wenige Einheiten)"

#: Fewer documents (clusters) than this give no bootstrap interval: a nominal 95 % document
#: bootstrap covers the true alpha in 83 % of samples with 5 documents, 87-90 % with 8 and
#: 90-92 % with 15 (``benchmarks/agreement_coverage.py``).
MIN_CI_DOCUMENTS = 15


@dataclass(frozen=True)
class AlphaResult:
    """Krippendorff's alpha with its bootstrap interval.

    ``n_clusters`` is the number of clusters (documents) with pairable values when the
    bootstrap resampled clusters, else the number of pairable units; ``ci_note`` says why
    ``ci95`` is empty (``""`` when there is an interval).
    """

    alpha: float
    level: Level
    n_units: int
    n_coders: int
    n_pairable: int
    ci95: tuple[float, float]
    n_clusters: int = 0
    ci_note: str = ""


def _patterns(data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Distinct value multisets of the pairable units, their counts, and the value domain.

    Returns (patterns as value-index count vectors [n_patterns x n_values], counts, values).
    """
    data = np.asarray(data, dtype=float)
    values = np.unique(data[~np.isnan(data)])
    if values.size == 0:
        return np.zeros((0, 0)), np.zeros(0), values
    idx = np.searchsorted(values, np.nan_to_num(data, nan=values[0]))
    present = ~np.isnan(data)
    # per unit: how often each value occurs (values x units -> units x values)
    counts = np.zeros((data.shape[1], values.size), dtype=np.int64)
    for coder in range(data.shape[0]):
        np.add.at(counts, (np.nonzero(present[coder])[0], idx[coder][present[coder]]), 1)
    pairable = counts[counts.sum(axis=1) >= 2]
    base = int(data.shape[0]) + 1
    if values.size * np.log2(base) < 62:  # one integer key per value-count vector: fast
        weights = base ** np.arange(values.size, dtype=np.int64)
        keys, first, freq = np.unique(pairable @ weights, return_index=True, return_counts=True)
        uniq = pairable[first]
    else:
        uniq, freq = np.unique(pairable, axis=0, return_counts=True)
    return uniq, freq.astype(float), values


def _delta(values: np.ndarray, level: Level, marginals: np.ndarray) -> np.ndarray:
    """Squared difference function delta^2(c, k) of the level of measurement."""
    c, k = np.meshgrid(values, values, indexing="ij")
    if level == "nominal":
        return (c != k).astype(float)
    if level == "interval":
        return (c - k) ** 2
    if level == "ratio":
        total = c + k
        with np.errstate(invalid="ignore", divide="ignore"):
            out = np.where(total == 0, 0.0, ((c - k) / np.where(total == 0, 1, total)) ** 2)
        return out
    # ordinal: distance by the marginal frequencies of the ranks between c and k
    cum = np.cumsum(marginals)
    i, j = np.meshgrid(np.arange(values.size), np.arange(values.size), indexing="ij")
    lo, hi = np.minimum(i, j), np.maximum(i, j)
    between = cum[hi] - np.where(lo > 0, cum[lo - 1], 0.0)
    return (between - (marginals[i] + marginals[j]) / 2) ** 2


def _alpha_from_patterns(
    patterns: np.ndarray, weights: np.ndarray, values: np.ndarray, level: Level
) -> float:
    if patterns.size == 0:
        return float("nan")
    m = patterns.sum(axis=1)
    # coincidence matrix: sum over units of (n_c n_k - [c==k] n_c) / (m_u - 1)
    scaled = patterns / (m - 1)[:, None]
    o = (weights[:, None, None] * scaled[:, :, None] * patterns[:, None, :]).sum(axis=0)
    o -= np.diag((weights[:, None] * scaled).sum(axis=0))
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n <= 1:
        return float("nan")
    delta = _delta(values, level, n_c)
    d_o = (o * delta).sum() / n
    d_e = (np.outer(n_c, n_c) * delta).sum() / (n * (n - 1))
    if d_e == 0:  # no variation among the pairable values: alpha is undefined (0/0)
        return float("nan")
    return float(1 - d_o / d_e)


def _bootstrap_alphas(
    patterns: np.ndarray, draws: np.ndarray, values: np.ndarray, level: Level
) -> np.ndarray:
    """Alpha for many weightings of the same patterns at once.

    The coincidence matrix is linear in the pattern weights, so every bootstrap sample is one
    row of a matrix product with the per-pattern contributions.
    """
    n_values = values.size
    m = patterns.sum(axis=1)
    scaled = patterns / (m - 1)[:, None]
    contrib = scaled[:, :, None] * patterns[:, None, :]
    contrib[:, np.arange(n_values), np.arange(n_values)] -= scaled
    o = (draws @ contrib.reshape(len(patterns), -1)).reshape(len(draws), n_values, n_values)
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    if level == "ordinal":  # the distance depends on the marginals of each sample
        return np.array([_alpha_from_patterns(patterns, d, values, level) for d in draws])
    delta = _delta(values, level, n_c[0])
    d_o = (o * delta).sum(axis=(1, 2)) / n
    d_e = np.einsum("bi,bj,ij->b", n_c, n_c, delta) / (n * (n - 1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(d_e == 0, np.nan, 1 - d_o / d_e)


def krippendorff_alpha(data: np.ndarray, level: Level = "nominal") -> float:
    """Krippendorff's alpha of a coders x units matrix (``nan`` = missing value)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not '{level}'")
    patterns, freq, values = _patterns(data)
    return _alpha_from_patterns(patterns, freq, values, level)


def _pairable_counts(
    data: np.ndarray, clusters: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per pairable unit how often each value occurs (units x values), the index of its
    cluster, the cluster labels and the value domain."""
    data = np.asarray(data, dtype=float)
    present = ~np.isnan(data)
    values = np.sort(pd.unique(data[present]))  # hashing: faster than sorting every value
    n_v = values.size
    pairable = sum(row.view(np.int8) for row in present) >= 2
    if n_v == 0 or not pairable.any():
        empty = np.asarray(clusters)[:0]
        return np.zeros((0, n_v), dtype=np.int64), np.zeros(0, dtype=np.int64), empty, values
    everything = bool(pairable.all())
    sub = data if everything else np.compress(pairable, data, axis=1)
    sub_present = present if everything else np.compress(pairable, present, axis=1)
    if n_v <= 8:  # few values (presence, small counts): one comparison per value and coder
        counts = np.stack(
            [sum((row == v).view(np.int8).astype(np.int64) for row in sub) for v in values],
            axis=1,
        )
    else:
        idx = np.searchsorted(values, np.where(sub_present, sub, values[0]))
        counts = np.zeros((sub.shape[1], n_v), dtype=np.int64)
        for coder in range(sub.shape[0]):
            rows = np.nonzero(sub_present[coder])[0]
            np.add.at(counts, (rows, idx[coder][sub_present[coder]]), 1)
    kept = np.asarray(clusters) if everything else np.compress(pairable, clusters)
    codes, uniques = pd.factorize(kept, sort=True)  # hashing: faster than np.unique's sort
    return counts, codes.astype(np.int64), np.asarray(uniques), values


def _cluster_coincidences(
    data: np.ndarray, clusters: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Coincidence matrix of each cluster (clusters x values x values) over its pairable units,
    the cluster labels in that order, the value domain and the number of pairable units.

    Units with the same values in the same cluster contribute the same matrix, so each
    distinct (cluster, value pattern) is computed once.
    """
    counts, cluster_idx, labels, values = _pairable_counts(data, clusters)
    n_v = values.size
    if not len(counts):
        return np.zeros((0, n_v, n_v)), labels, values, 0
    base = int(np.asarray(data).shape[0]) + 1
    if n_v * np.log2(base) + np.log2(labels.size + 1) < 62:  # one integer key: fast
        weights = base ** np.arange(n_v, dtype=np.int64)
        keys = cluster_idx.astype(np.int64) * int(base**n_v)
        for v in range(n_v):  # integer matrix products do not use BLAS: add column by column
            keys += counts[:, v] * weights[v]
        _, first, freq = np.unique(keys, return_index=True, return_counts=True)
        owner, patterns = cluster_idx[first], counts[first].astype(float)
    else:
        keyed = np.column_stack([cluster_idx, counts])
        uniq, freq = np.unique(keyed, axis=0, return_counts=True)
        owner, patterns = uniq[:, 0], uniq[:, 1:].astype(float)
    m = patterns.sum(axis=1)
    scaled = patterns / (m - 1)[:, None]
    contrib = scaled[:, :, None] * patterns[:, None, :]
    contrib[:, np.arange(n_v), np.arange(n_v)] -= scaled
    o = np.zeros((labels.size, n_v * n_v))
    np.add.at(o, owner, freq[:, None] * contrib.reshape(len(contrib), -1))
    return o.reshape(labels.size, n_v, n_v), labels, values, len(counts)


def _alphas_from_coincidences(o: np.ndarray, values: np.ndarray, level: Level) -> np.ndarray:
    """Alpha of each coincidence matrix in ``o`` (samples x values x values)."""
    n_c = o.sum(axis=2)
    n = n_c.sum(axis=1)
    if level == "ordinal":  # the distance depends on the marginals of each sample
        delta = np.stack([_delta(values, level, m) for m in n_c])
        d_o = (o * delta).sum(axis=(1, 2))
        d_e = np.einsum("bi,bj,bij->b", n_c, n_c, delta)
    else:
        delta = _delta(values, level, n_c[0])
        d_o = (o * delta).sum(axis=(1, 2))
        d_e = np.einsum("bi,bj,ij->b", n_c, n_c, delta)
    with np.errstate(invalid="ignore", divide="ignore"):
        alphas = 1 - (d_o / n) / (d_e / (n * (n - 1)))
    return np.where((n <= 1) | (d_e == 0), np.nan, alphas)


@lru_cache(maxsize=8)
def _cluster_weights(n_clusters: int, n_boot: int, seed: int) -> np.ndarray:
    """How often each cluster is drawn in each bootstrap sample (samples x clusters).

    The same for every row of a table with the same documents (and cached: drawing them is
    a noticeable part of a row with a thousand documents).
    """
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(n_clusters, np.full(n_clusters, 1 / n_clusters), size=n_boot)
    weights = weights.astype(float)
    weights.flags.writeable = False
    return weights


def _cluster_alphas(
    data: np.ndarray,
    clusters: np.ndarray,
    level: Level,
    draw: Callable[[int], np.ndarray | None],
) -> tuple[float, np.ndarray, int, int]:
    """Alpha of the data and of each bootstrap weighting of its clusters, with the number of
    clusters and of pairable units.

    ``draw(k)`` gives the weights (samples x k clusters, in the order of the sorted cluster
    labels) for k clusters, or ``None`` for no bootstrap (then the alphas are empty).

    Outside the ordinal level the distance function does not depend on the data, and the
    observed disagreement and the value marginals of the coincidence matrix are sums over
    units: a unit with value counts n and m values adds n'δn / (m - 1) and n. So each cluster
    is two small summaries and each bootstrap sample a weighted sum of them (the ratio level of
    code counts has many values, where whole matrices would be large). The ordinal distance
    depends on the marginals of each sample, so there the clusters' coincidence matrices are
    summed.
    """
    if level == "ordinal":
        o, labels, values, n_pairable = _cluster_coincidences(data, clusters)
        if not labels.size:
            return float("nan"), np.zeros(0), 0, 0
        alpha = float(_alphas_from_coincidences(o.sum(axis=0)[None], values, level)[0])
        weights = draw(labels.size)
        if weights is None or np.isnan(alpha):
            return alpha, np.zeros(0), labels.size, n_pairable
        n_v = values.size
        sampled = (weights @ o.reshape(labels.size, -1)).reshape(len(weights), n_v, n_v)
        return alpha, _alphas_from_coincidences(sampled, values, level), labels.size, n_pairable
    counts, cluster_idx, labels, values = _pairable_counts(data, clusters)
    if not labels.size:
        return float("nan"), np.zeros(0), 0, 0
    k = labels.size
    delta = _delta(values, level, counts.sum(axis=0).astype(float))
    n_v = values.size
    columns = [counts[:, v].astype(float) for v in range(n_v)]
    within = np.zeros(len(counts))
    for c in range(n_v):  # n' delta n, pair by pair of values (delta is 0 on the diagonal)
        for d in range(c + 1, n_v):
            within += 2 * delta[c, d] * columns[c] * columns[d]
    per_unit = within / (counts.sum(axis=1) - 1)
    observed = np.bincount(cluster_idx, weights=per_unit, minlength=k)
    marginals = np.stack(
        [np.bincount(cluster_idx, weights=col, minlength=k) for col in columns], axis=1
    )

    def alphas(obs: np.ndarray, n_c: np.ndarray) -> np.ndarray:
        n = n_c.sum(axis=1)
        expected = np.einsum("bi,bj,ij->b", n_c, n_c, delta)
        with np.errstate(invalid="ignore", divide="ignore"):
            out = 1 - (obs / n) / (expected / (n * (n - 1)))
        return np.where((n <= 1) | (expected == 0), np.nan, out)

    alpha = float(alphas(observed.sum()[None], marginals.sum(axis=0)[None])[0])
    weights = draw(k)
    if weights is None or np.isnan(alpha):
        return alpha, np.zeros(0), k, len(counts)
    return alpha, alphas(weights @ observed, weights @ marginals), k, len(counts)


def _interval(boots: np.ndarray, alpha: float) -> tuple[tuple[float, float], str]:
    """Percentile 95 % interval of the bootstrap alphas, or none with the reason."""
    boots = boots[~np.isnan(boots)]
    if boots.size == 0:
        return (
            float("nan"),
            float("nan"),
        ), "kein 95-%-Intervall: keine auswertbare Bootstrap-Stichprobe"
    if np.allclose(boots, alpha):
        # no disagreement (or no variation) anywhere: resampling cannot show any uncertainty
        return (float("nan"), float("nan")), (
            "kein 95-%-Intervall: keine Abweichung zwischen den Kodierenden, "
            "jede Bootstrap-Stichprobe gibt denselben Wert"
        )
    return (float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5))), ""


def alpha_with_ci(
    data: np.ndarray,
    level: Level = "nominal",
    n_boot: int = 1000,
    seed: int = 0,
    clusters: np.ndarray | None = None,
    min_clusters: int = MIN_CI_DOCUMENTS,
) -> AlphaResult:
    """Alpha with a percentile bootstrap 95 % interval.

    Parameters
    ----------
    data
        Coders x units, ``nan`` = missing.
    level
        Level of measurement.
    n_boot, seed
        Bootstrap samples and their random seed.
    clusters
        One label per unit (column), e.g. the document it belongs to. When given, whole
        clusters are resampled with replacement (cluster bootstrap) and no interval is given
        for fewer than ``min_clusters`` clusters with pairable values. Without it, units are
        resampled (they are taken as independent).
    min_clusters
        Smallest number of clusters that gets an interval.

    Returns
    -------
    AlphaResult
        ``ci95`` is ``(nan, nan)`` where no interval can be made; ``ci_note`` says why.
    """
    data = np.asarray(data, dtype=float)
    nan_ci = (float("nan"), float("nan"))
    if clusters is not None:

        def draw(k: int) -> np.ndarray | None:
            return _cluster_weights(k, n_boot, seed) if k >= min_clusters else None

        alpha, boots, n_clusters, n_pairable = _cluster_alphas(data, clusters, level, draw)
        shape = (data.shape[1], data.shape[0], n_pairable)
        if np.isnan(alpha):
            return AlphaResult(alpha, level, *shape, nan_ci, n_clusters, UNDEFINED)
        if n_clusters < min_clusters:
            note = (
                f"kein 95-%-Intervall: nur {n_clusters} Dokumente, "
                f"ein Bootstrap über Dokumente braucht mindestens {min_clusters}"
            )
            return AlphaResult(alpha, level, *shape, nan_ci, n_clusters, note)
        ci, note = _interval(boots, alpha)
        return AlphaResult(alpha, level, *shape, ci, n_clusters, note)
    patterns, freq, values = _patterns(data)
    alpha = _alpha_from_patterns(patterns, freq, values, level)
    n_pairable = int(freq.sum())
    if n_pairable < 2 or np.isnan(alpha):
        return AlphaResult(
            alpha, level, data.shape[1], data.shape[0], n_pairable, nan_ci, n_pairable, UNDEFINED
        )
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(n_pairable, freq / freq.sum(), size=n_boot).astype(float)
    boots = _bootstrap_alphas(patterns, draws, values, level)
    boots = boots[~np.isnan(boots)]
    if not boots.size:
        return AlphaResult(
            alpha,
            level,
            data.shape[1],
            data.shape[0],
            n_pairable,
            nan_ci,
            n_pairable,
            "kein 95-%-Intervall: keine auswertbare Bootstrap-Stichprobe",
        )
    ci = (float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5)))
    return AlphaResult(alpha, level, data.shape[1], data.shape[0], n_pairable, ci, n_pairable)


def percent_agreement(data: np.ndarray) -> float:
    """Share of units (coded by at least two coders) on which all their codes agree."""
    data = np.asarray(data, dtype=float)
    ok = (~np.isnan(data)).sum(axis=0) >= 2
    if not ok.any():
        return float("nan")
    sub = data[:, ok]
    lo = np.nanmin(sub, axis=0)
    hi = np.nanmax(sub, axis=0)
    return float(np.mean(lo == hi))


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa of two coders (units where either is missing are dropped)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    keep = ~(np.isnan(a) | np.isnan(b))
    a, b = a[keep], b[keep]
    if a.size == 0:
        return float("nan")
    cats = np.unique(np.concatenate([a, b]))
    p_o = float(np.mean(a == b))
    p_e = float(sum(np.mean(a == c) * np.mean(b == c) for c in cats))
    if p_e == 1:
        return 1.0 if p_o == 1 else float("nan")
    return (p_o - p_e) / (1 - p_e)


def brennan_prediger(data: np.ndarray, n_categories: int) -> float:
    """Brennan & Prediger's (1981) kappa: chance agreement 1/q for q categories (MAXQDA's
    choice); for more than two coders the mean pairwise observed agreement is used."""
    data = np.asarray(data, dtype=float)
    agreements = []
    for i in range(data.shape[0]):
        for j in range(i + 1, data.shape[0]):
            keep = ~(np.isnan(data[i]) | np.isnan(data[j]))
            if keep.any():
                agreements.append(np.mean(data[i][keep] == data[j][keep]))
    if not agreements:
        return float("nan")
    p_o, p_e = float(np.mean(agreements)), 1.0 / n_categories
    return (p_o - p_e) / (1 - p_e)


def fleiss_kappa(counts: np.ndarray) -> float:
    """Fleiss' kappa from a units x categories matrix of how many coders chose each category
    (every unit rated by the same number of coders)."""
    counts = np.asarray(counts, dtype=float)
    n = counts.sum(axis=1)
    if counts.size == 0 or not np.all(n == n[0]) or n[0] < 2:
        raise ValueError("Fleiss' kappa needs the same number (>= 2) of ratings per unit")
    r = n[0]
    p_j = counts.sum(axis=0) / counts.sum()
    p_i = ((counts**2).sum(axis=1) - r) / (r * (r - 1))
    p_bar, p_e = p_i.mean(), (p_j**2).sum()
    if p_e == 1:
        return 1.0 if p_bar == 1 else float("nan")
    return float((p_bar - p_e) / (1 - p_e))


# --- agreement over codings, at MAXQDA's three levels ---------------------------------------

AGREEMENT_COLUMNS = [
    "ebene",
    "code",
    "kodierende",
    "n_dokumente",
    "n_einheiten",
    "n_segmente",
    "prozent_uebereinstimmung",
    "cohen_kappa",
    "brennan_prediger",
    "fleiss_kappa",
    "alpha",
    "alpha_niveau",
    "alpha_ci_unten",
    "alpha_ci_oben",
    "einheiten",
    "hinweis",
    "satz",
]
LEVEL_LABELS = {
    "dokument": "Code im Dokument vorhanden",
    "haeufigkeit": "Codehäufigkeit im Dokument",
    "segment": "Segmentüberlappung (Absätze)",
    "gemeinsam": "Gemeinsam kodiert (keine unabhängige Doppelkodierung)",
}
JOINT = "gemeinsam"


def _coder_counts(codings: pd.DataFrame) -> pd.DataFrame:
    """Codings per document and coder (``doc_id``, ``coder``, ``n``), most active first."""
    return (
        codings[["doc_id", "coder"]]
        .value_counts()
        .reset_index(name="n")
        .sort_values(["doc_id", "n", "coder"], ascending=[True, False, True])
    )


def _main_coder(counts: pd.DataFrame) -> pd.Series:
    """doc_id -> the coder who made most of its codings (ties: first name)."""
    return counts.drop_duplicates("doc_id").set_index("doc_id")["coder"]


def coded_versions(codings: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Which coder coded which document: one row per (document name, coder version).

    MAXQDA's convention: the copies of a document share its name and sit in different document
    groups; each copy is one coder's version, named by the coder who made most of its codings.
    A copy without any coding next to a coded copy of the same document is a version too: its
    coder found nothing there, which is a disagreement wherever the others coded. It is named
    by the coder of the other copies in its document group (else by the group). A document with
    a single copy is never a version, whoever coded it (see :func:`joint_copies`).

    Parameters
    ----------
    codings
        Coded segments (``doc_id``, ``coder``).
    documents
        Documents (``doc_id``, ``document_name``, ``document_group``, ``n_codings``).

    Returns
    -------
    pandas.DataFrame
        ``document_name``, ``version`` (coder), ``doc_id``, sorted by name and version.
    """
    cols = ["document_name", "version", "doc_id"]
    docs = documents[["doc_id", "document_name", "document_group", "n_codings"]]
    copies = docs.groupby("document_name")["doc_id"].transform("size")
    any_coded = (docs["n_codings"] > 0).groupby(docs["document_name"]).transform("any")
    multi = docs[(copies >= 2) & any_coded].copy()
    if multi.empty:
        return pd.DataFrame(columns=cols)
    main_coder = _main_coder(_coder_counts(codings[codings["coder"].fillna("") != ""]))
    label = docs["doc_id"].map(main_coder).fillna("")
    # the coder of a document group: who coded most of its coded copies (ties: first name)
    named = pd.DataFrame({"group": docs["document_group"], "coder": label})[label != ""]
    group_coder = (
        named.value_counts()
        .reset_index(name="n")
        .sort_values(["group", "n", "coder"], ascending=[True, False, True])
    )
    by_group = group_coder.drop_duplicates("group").set_index("group")["coder"]
    own = multi["doc_id"].map(main_coder).fillna("")
    from_group = multi["document_group"].map(by_group).fillna("")
    multi["version"] = own.where(
        own != "", from_group.where(from_group != "", multi["document_group"])
    )
    return multi[cols].sort_values(["document_name", "version"]).reset_index(drop=True)


def joint_copies(codings: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Documents coded by several people in one copy: not independent double coding.

    Coders who code the same copy see each other's codings, so their agreement says nothing
    about the reliability of the codebook; MAXQDA's intercoder check needs one copy per coder.

    Returns
    -------
    pandas.DataFrame
        ``document_name``, ``doc_id``, ``kodierende`` (the coders joined by ``" + "``), one row
        per such document, sorted by name.
    """
    cols = ["document_name", "doc_id", "kodierende"]
    copies = documents.groupby("document_name")["doc_id"].transform("size")
    single = documents.loc[copies == 1, ["doc_id", "document_name"]]
    named = codings[codings["coder"].fillna("") != ""]
    coders = (
        named[named["doc_id"].isin(single["doc_id"].unique())].groupby("doc_id")["coder"].unique()
    )
    several = coders[coders.map(len) >= 2]
    if several.empty:
        return pd.DataFrame(columns=cols)
    out = single.merge(
        several.map(lambda c: " + ".join(sorted(c))).rename("kodierende"),
        left_on="doc_id",
        right_index=True,
    )
    return out[cols].sort_values("document_name").reset_index(drop=True)


def _version_codings(codings: pd.DataFrame, versions: pd.DataFrame) -> pd.DataFrame:
    base = codings.drop(columns=["document_name"], errors="ignore")
    return base.merge(versions[["doc_id", "document_name", "version"]], on="doc_id")


def segment_kappa(matched: int, total: int, n_categories: int) -> float:
    """Brennan & Prediger's kappa over MAXQDA's segment units.

    The units are the segments of all coders; a segment agrees when another coder has a
    segment with the same code overlapping it by the minimum overlap. In the 2 x 2 table the
    cell "neither coder" does not exist for freely set segments and is 0, so
    ``P_observed = matched / total``; chance agreement is ``1 / n_categories``.

    Parameters
    ----------
    matched
        Segments with a matching segment of another coder.
    total
        All segments of all coders (of the code, or of all codes).
    n_categories
        2 for one code (assigned or not); the number of codes for all codes (MAXQDA).

    Returns
    -------
    float
        ``(P_observed - 1/q) / (1 - 1/q)``; ``nan`` without segments.
    """
    if total == 0 or n_categories < 2:
        return float("nan")
    p_o, p_e = matched / total, 1.0 / n_categories
    return (p_o - p_e) / (1 - p_e)


def _row(
    level: str,
    code: str,
    coders: list[str],
    n_docs: int,
    data: np.ndarray,
    alpha_level: Level,
    n_boot: int,
    seed: int,
    clusters: np.ndarray,
    units: tuple[str, str],
    kappas: bool = True,
    segments: tuple[int, int, int, float] | None = None,
) -> dict[str, object]:
    """One row of the agreement table.

    ``units`` is (what the ``einheiten`` column says, the unit noun of the sentence);
    ``segments`` (matched, total, categories, minimum overlap) replaces the unit-wise percent
    agreement and Brennan & Prediger's kappa by MAXQDA's segment matching.
    """
    res = alpha_with_ci(data, alpha_level, n_boot=n_boot, seed=seed, clusters=clusters)
    two = data.shape[0] == 2
    complete = ~np.isnan(data).any(axis=0)
    fleiss = float("nan")
    if kappas and complete.any() and data.shape[0] >= 2:
        sub = data[:, complete]
        cats = np.unique(sub)
        if cats.size >= 2:
            fleiss = fleiss_kappa(np.stack([(sub == c).sum(axis=0) for c in cats], axis=1))
    percent = percent_agreement(data)
    bp = brennan_prediger(data, 2) if kappas else float("nan")
    n_segments = None
    if segments is not None:
        matched, total, categories, _ = segments
        percent = matched / total if total else float("nan")
        bp = segment_kappa(matched, total, categories)
        n_segments = total
    row: dict[str, object] = {
        "ebene": level,
        "code": code,
        "kodierende": " / ".join(coders),
        "n_dokumente": n_docs,
        "n_einheiten": int(res.n_pairable),
        "n_segmente": n_segments,
        "prozent_uebereinstimmung": _r(100 * percent),
        "cohen_kappa": _r(cohen_kappa(data[0], data[1])) if two and kappas else None,
        "brennan_prediger": _r(bp) if kappas else None,
        "fleiss_kappa": _r(fleiss) if kappas else None,
        "alpha": _r(res.alpha),
        "alpha_niveau": alpha_level,
        "alpha_ci_unten": _r(res.ci95[0]),
        "alpha_ci_oben": _r(res.ci95[1]),
        "einheiten": units[0],
        "hinweis": res.ci_note if not np.isnan(res.alpha) else "",
    }
    row["satz"] = _sentence(row, units[1], None if segments is None else segments[3])
    return row


def _r(x: float | None) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 3)


def _fmt(x: object) -> str:
    return f"{x:.2f}".replace(".", ",") if isinstance(x, float) else "–"


def _pct(x: object) -> str:
    return f"{x:.1f}".replace(".", ",") if isinstance(x, float) else "–"


def _sentence(row: dict[str, object], unit_noun: str, min_overlap: float | None) -> str:
    """A German sentence a report author can quote, naming the units of each figure."""
    what = "über alle Codes" if row["code"] == "gesamt" else f"für die Kategorie „{row['code']}“"
    label = LEVEL_LABELS[str(row["ebene"])]
    where = (
        f"{row['n_einheiten']} Dokumente"
        if unit_noun == "Dokumente"
        else f"{row['n_einheiten']} {unit_noun} in {row['n_dokumente']} Dokumenten"
    )
    basis = f"{where}, Kodierende {row['kodierende']}"
    if row["alpha"] is None:
        text = (
            f"{label}: {what} lässt sich Krippendorffs α nicht berechnen (keine Variation "
            f"oder zu wenige doppelt kodierte Einheiten; {basis})"
        )
    elif row["alpha_ci_unten"] is None:
        text = (
            f"{label}: {what} beträgt Krippendorffs α = {_fmt(row['alpha'])} "
            f"({row['hinweis']}; {basis})"
        )
    else:
        text = (
            f"{label}: {what} beträgt Krippendorffs α = {_fmt(row['alpha'])} "
            f"(95-%-Konfidenzintervall {_fmt(row['alpha_ci_unten'])} bis "
            f"{_fmt(row['alpha_ci_oben'])}, Bootstrap über Dokumente; {basis})"
        )
    if min_overlap is not None:
        if not row["n_segmente"]:
            return text + "."
        two = len(str(row["kodierende"]).split(" / ")) == 2
        text += (
            f"; von {row['n_segmente']} Segmenten {'beider' if two else 'aller'} Kodierenden "
            f"haben {_pct(row['prozent_uebereinstimmung'])} % ein Gegenstück "
            f"{'der anderen' if two else 'einer anderen'} Person "
            f"(Mindestüberlappung {round(100 * min_overlap)} %)"
        )
        if row["brennan_prediger"] is not None:
            text += (
                f", κ nach Brennan & Prediger über diese Segmente = {_fmt(row['brennan_prediger'])}"
            )
        return text + "."
    if row["brennan_prediger"] is not None:
        text += f", κ nach Brennan & Prediger = {_fmt(row['brennan_prediger'])}"
    return text + f", Übereinstimmung {_pct(row['prozent_uebereinstimmung'])} %."


def _typed(table: pd.DataFrame) -> pd.DataFrame:
    """Counts as integers with empty cells (not floats) where a row has none."""
    return table.astype({c: "Int64" for c in ("n_dokumente", "n_einheiten", "n_segmente")})


def _joint_rows(joint: pd.DataFrame) -> list[dict[str, object]]:
    """One row per group of coders who coded documents together in one copy."""
    rows: list[dict[str, object]] = []
    for coders, part in joint.groupby("kodierende", sort=True):
        names = ", ".join(part["document_name"])
        people = " und ".join(str(coders).split(" + "))
        row = dict.fromkeys(AGREEMENT_COLUMNS)
        row.update(
            ebene=JOINT,
            code="gesamt",
            kodierende=str(coders),
            n_dokumente=len(part),
            einheiten="",
            hinweis=f"Dokumente: {names}",
            satz=(
                f"{people} haben {len(part)} Dokument(e) gemeinsam in einer Kopie kodiert "
                f"({names}). Das ist keine unabhängige Doppelkodierung, daraus wird keine "
                f"Übereinstimmung berechnet. Für die Prüfung kodiert jede Person eine eigene "
                f"Kopie des Dokuments (gleicher Dokumentname, eigene Dokumentgruppe)."
            ),
        )
        rows.append(row)
    return rows


def agreement_table(
    codings: pd.DataFrame,
    documents: pd.DataFrame,
    codes: list[str],
    *,
    min_overlap: float = 0.9,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Intercoder agreement per code and overall at MAXQDA's three levels.

    * ``dokument``: is the code present in the document (units: documents; overall: code x
      document cells);
    * ``haeufigkeit``: how often it is coded in the document (alpha at ratio level);
    * ``segment``: alpha, Cohen's and Fleiss' kappa over paragraphs (the paragraphs of the
      double-coded documents; 1 = covered by a segment with the code); percent agreement and
      Brennan & Prediger's kappa over MAXQDA's units, the segments of all coders, matched with
      a minimum overlap of ``min_overlap`` (:func:`segment_matches`, :func:`segment_kappa`).

    Alpha's 95 % intervals resample documents (cluster bootstrap); with fewer than
    :data:`MIN_CI_DOCUMENTS` documents there is none and ``hinweis`` says why. Documents coded
    by several people in one copy (:func:`joint_copies`) get a row ``ebene = gemeinsam`` that
    says so, instead of coefficients.

    Returns
    -------
    pandas.DataFrame
        One row per level and code (codes coded in the double-coded documents) plus
        ``gesamt``, columns :data:`AGREEMENT_COLUMNS`, with a German sentence per row.
    """
    versions = coded_versions(codings, documents)
    joint = _joint_rows(joint_copies(codings, documents))
    if versions.empty:
        return _typed(pd.DataFrame(joint, columns=AGREEMENT_COLUMNS))
    vc = _version_codings(codings, versions)
    vc = vc[vc["code"].isin(codes)]
    coders = sorted(versions["version"].unique())
    docs = sorted(versions["document_name"].unique())
    has = {(r.document_name, r.version) for r in versions.itertuples()}
    present = set(vc["code"].to_numpy())
    used = [c for c in codes if c in present]
    n_c, n_d = len(coders), len(docs)
    counts = np.full((len(used), n_c, n_d), np.nan)
    for j, coder in enumerate(coders):
        for k, doc in enumerate(docs):
            if (doc, coder) in has:
                counts[:, j, k] = 0
    grouped = vc.groupby(["code", "version", "document_name"]).size()
    ci, vi, di = ({c: i for i, c in enumerate(x)} for x in (used, coders, docs))
    for (code, version, doc), n in grouped.items():
        counts[ci[code], vi[version], di[doc]] = n
    rows = []
    presence = np.where(np.isnan(counts), np.nan, (counts > 0).astype(float))
    doc_units = np.arange(n_d)
    cell_units = np.tile(doc_units, len(used))
    common = (n_boot, seed)
    for level, data, alpha_level, kappas, per_code, overall in (
        (
            "dokument",
            presence,
            "nominal",
            True,
            ("Dokumente (Code vorhanden ja/nein); alle Koeffizienten", "Dokumente"),
            ("Code × Dokument (Code vorhanden ja/nein); alle Koeffizienten", "Code-Dokument-Paare"),
        ),
        (
            "haeufigkeit",
            counts,
            "ratio",
            False,
            ("Dokumente (Anzahl Segmente des Codes); α auf Verhältnisniveau", "Dokumente"),
            ("Code × Dokument (Anzahl Segmente); α auf Verhältnisniveau", "Code-Dokument-Paare"),
        ),
    ):
        for i, code in enumerate(used):
            rows.append(
                _row(
                    level,
                    code,
                    coders,
                    n_d,
                    data[i],
                    alpha_level,
                    *common,
                    doc_units,
                    per_code,
                    kappas=kappas,
                )
            )
        rows.append(
            _row(
                level,
                "gesamt",
                coders,
                n_d,
                data.transpose(1, 0, 2).reshape(n_c, -1),
                alpha_level,
                *common,
                cell_units,
                overall,
                kappas=kappas,
            )
        )
    seg, para_doc = _paragraph_units(vc, versions, coders, docs, used)
    matches = segment_matches(vc, min_overlap)
    share = round(100 * min_overlap)
    n_codes = int(matches["code"].nunique()) if len(matches) else 0
    for i, code in enumerate([*used, "gesamt"]):
        if code == "gesamt":
            data, clusters, sel, q = (
                seg.transpose(1, 0, 2).reshape(n_c, -1),
                np.tile(para_doc, len(used)),
                matches,
                max(2, n_codes),
            )
            units = (
                f"α, Cohens und Fleiss' κ: Code × Absatz der doppelt kodierten Dokumente; "
                f"Übereinstimmung und κ nach Brennan & Prediger (q = {q} Codes): Segmente "
                f"aller Kodierenden, Mindestüberlappung {share} %"
            )
        else:
            data, clusters, sel, q = seg[i], para_doc, matches[matches["code"] == code], 2
            units = (
                f"α, Cohens und Fleiss' κ: Absätze der doppelt kodierten Dokumente (Code "
                f"ja/nein); Übereinstimmung und κ nach Brennan & Prediger (q = 2): Segmente "
                f"aller Kodierenden, Mindestüberlappung {share} %"
            )
        segments = (int(sel["matched"].sum()), len(sel), q, min_overlap)
        rows.append(
            _row(
                "segment",
                code,
                coders,
                n_d,
                data,
                "nominal",
                *common,
                clusters,
                (units, "Absätze"),
                segments=segments,
            )
        )
    return _typed(pd.DataFrame([*rows, *joint], columns=AGREEMENT_COLUMNS))


def _paragraph_units(
    vc: pd.DataFrame, versions: pd.DataFrame, coders: list[str], docs: list[str], codes: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """codes x coders x paragraph-units: 1 where a segment of the coder with the code covers
    the paragraph, 0 where not, nan where the coder did not code the document; and the index
    (in ``docs``) of the document of each paragraph-unit."""
    vc = vc[vc["begin"].notna()]
    last = vc.groupby("document_name")["end"].max()
    offsets, total = {}, 0
    lengths = []
    for doc in docs:
        offsets[doc] = total
        lengths.append(int(last.get(doc, 0)))
        total += lengths[-1]
    para_doc = np.repeat(np.arange(len(docs)), lengths)
    out = np.full((len(codes), len(coders), total), np.nan)
    has = {(r.document_name, r.version) for r in versions.itertuples()}
    for j, coder in enumerate(coders):
        for doc in docs:
            if (doc, coder) in has:
                out[:, j, offsets[doc] : offsets[doc] + int(last.get(doc, 0))] = 0
    ci, vi = {c: i for i, c in enumerate(codes)}, {c: i for i, c in enumerate(coders)}
    for code, version, doc, b, e in zip(
        vc["code"], vc["version"], vc["document_name"], vc["begin"], vc["end"], strict=True
    ):
        out[ci[code], vi[version], offsets[doc] + int(b) - 1 : offsets[doc] + int(e)] = 1.0
    return out, para_doc


def segment_matches(vc: pd.DataFrame, min_overlap: float) -> pd.DataFrame:
    """MAXQDA's segment agreement, per segment: does another coder have a segment with the
    same code in the same document overlapping by at least ``min_overlap`` of their joint
    paragraph span?

    Parameters
    ----------
    vc
        Codings with ``code``, ``version`` (coder), ``document_name``, ``begin``, ``end``.
    min_overlap
        Share of the joint paragraph span two segments must share.

    Returns
    -------
    pandas.DataFrame
        ``code`` and ``matched`` per segment with paragraph numbers (the units of MAXQDA's
        segment-level percent agreement and kappa).
    """
    sel = vc[vc["begin"].notna()]
    spans: dict[tuple[str, str], list[tuple[str, int, int]]] = {}
    columns = (sel[c].to_numpy() for c in ("code", "version", "document_name", "begin", "end"))
    for c, version, doc, b, e in zip(*columns, strict=True):
        spans.setdefault((c, doc), []).append((version, int(b), int(e)))
    codes, matched = [], []
    for (code, _), segs in spans.items():
        for version, b, e in segs:
            codes.append(code)
            matched.append(
                any(ov != version and _overlap(b, e, ob, oe) >= min_overlap for ov, ob, oe in segs)
            )
    return pd.DataFrame({"code": codes, "matched": matched})


def _overlap(b1: int, e1: int, b2: int, e2: int) -> float:
    inter = max(0, min(e1, e2) - max(b1, b2) + 1)
    union = max(e1, e2) - min(b1, b2) + 1
    return inter / union


MACHINE = "Maschine"


def machine_agreement(
    heldout: pd.DataFrame,
    codings: pd.DataFrame,
    codes: list[str],
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Agreement of the pre-coding machine with each human coder, at the three levels.

    The machine's codes are its decisions on documents it was not trained on (the
    cross-validation folds of training, ``Precoder.heldout``); each document counts for the
    coder who made most of its codings. Units are the interviewee paragraphs: ``segment``
    compares paragraph by paragraph, ``dokument`` whether the code occurs in the document,
    ``haeufigkeit`` in how many paragraphs. Alpha's intervals resample documents.

    Returns
    -------
    pandas.DataFrame
        Rows in the form of :func:`agreement_table`, ``kodierende`` = ``Maschine / <coder>``.
    """
    if heldout.empty or codings.empty:
        return pd.DataFrame(columns=AGREEMENT_COLUMNS)
    main = _main_coder(_coder_counts(codings))
    frame = heldout.assign(coder=heldout["doc_id"].map(main).fillna(""))
    frame = frame[frame["coder"] != ""]
    present = {c for labels in frame["mensch"] for c in labels} | {
        c for labels in frame["maschine"] for c in labels
    }
    used = [c for c in codes if c in present]
    rows = []
    for coder, part in frame.groupby("coder", sort=True):
        part = part.sort_values(["doc_id", "paragraph"])
        pair = [MACHINE, str(coder)]
        seg = np.zeros((len(used), 2, len(part)))
        index = {c: i for i, c in enumerate(used)}
        for k, (mach, hum) in enumerate(zip(part["maschine"], part["mensch"], strict=True)):
            for c in mach:
                if c in index:
                    seg[index[c], 0, k] = 1
            for c in hum:
                if c in index:
                    seg[index[c], 1, k] = 1
        docs, inverse = np.unique(part["doc_id"].to_numpy(), return_inverse=True)
        counts = np.zeros((len(used), 2, len(docs)))
        for i in range(len(used)):
            for j in range(2):
                counts[i, j] = np.bincount(inverse, weights=seg[i, j], minlength=len(docs))
        presence = (counts > 0).astype(float)
        n_d = len(docs)
        doc_units = np.arange(n_d)
        for level, data, alpha_level, kappas, clusters, per_code, overall in (
            (
                "dokument",
                presence,
                "nominal",
                True,
                doc_units,
                ("Dokumente (Code vorhanden ja/nein); alle Koeffizienten", "Dokumente"),
                (
                    "Code × Dokument (Code vorhanden ja/nein); alle Koeffizienten",
                    "Code-Dokument-Paare",
                ),
            ),
            (
                "haeufigkeit",
                counts,
                "ratio",
                False,
                doc_units,
                ("Dokumente (Anzahl Absätze mit dem Code); α auf Verhältnisniveau", "Dokumente"),
                ("Code × Dokument (Anzahl Absätze); α auf Verhältnisniveau", "Code-Dokument-Paare"),
            ),
            (
                "segment",
                seg,
                "nominal",
                True,
                inverse,
                ("Absätze der Interviewten (Code ja/nein); alle Koeffizienten", "Absätze"),
                ("Code × Absatz der Interviewten; alle Koeffizienten", "Code-Absatz-Paare"),
            ),
        ):
            for i, code in enumerate(used):
                rows.append(
                    _row(
                        level,
                        code,
                        pair,
                        n_d,
                        data[i],
                        alpha_level,
                        n_boot,
                        seed,
                        clusters,
                        per_code,
                        kappas=kappas,
                    )
                )
            rows.append(
                _row(
                    level,
                    "gesamt",
                    pair,
                    n_d,
                    data.transpose(1, 0, 2).reshape(2, -1),
                    alpha_level,
                    n_boot,
                    seed,
                    np.tile(clusters, len(used)),
                    overall,
                    kappas=kappas,
                )
            )
    return _typed(pd.DataFrame(rows, columns=AGREEMENT_COLUMNS))
