"""Intercoder agreement: percent agreement, Cohen's, Brennan-Prediger and Fleiss' kappa,
Krippendorff's alpha (nominal, ordinal, interval, ratio; any number of coders; missing values)
with bootstrap 95 % intervals.

Reliability data are a matrix coders x units (``numpy.nan`` = missing). Krippendorff's alpha
follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", via the coincidence
matrix. The bootstrap resamples units; because alpha depends only on the multiset of values
within each unit, units are grouped into distinct value patterns and resampled by multinomial
draws over the patterns, which is exact and fast enough for 150,000 segments per coder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

__all__ = [
    "Level",
    "AlphaResult",
    "krippendorff_alpha",
    "alpha_with_ci",
    "percent_agreement",
    "cohen_kappa",
    "brennan_prediger",
    "fleiss_kappa",
]

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")


@dataclass(frozen=True)
class AlphaResult:
    """Krippendorff's alpha with its bootstrap interval."""

    alpha: float
    level: Level
    n_units: int
    n_coders: int
    n_pairable: int
    ci95: tuple[float, float]


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
    pairable = counts.sum(axis=1) >= 2
    uniq, freq = np.unique(counts[pairable], axis=0, return_counts=True)
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


def krippendorff_alpha(data: np.ndarray, level: Level = "nominal") -> float:
    """Krippendorff's alpha of a coders x units matrix (``nan`` = missing value)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not '{level}'")
    patterns, freq, values = _patterns(data)
    return _alpha_from_patterns(patterns, freq, values, level)


def alpha_with_ci(
    data: np.ndarray, level: Level = "nominal", n_boot: int = 1000, seed: int = 0
) -> AlphaResult:
    """Alpha with a percentile bootstrap 95 % interval (units resampled with replacement)."""
    data = np.asarray(data, dtype=float)
    patterns, freq, values = _patterns(data)
    alpha = _alpha_from_patterns(patterns, freq, values, level)
    n_pairable = int(freq.sum())
    if n_pairable < 2 or np.isnan(alpha):
        ci = (float("nan"), float("nan"))
    else:
        rng = np.random.default_rng(seed)
        draws = rng.multinomial(n_pairable, freq / freq.sum(), size=n_boot).astype(float)
        boots = np.array([_alpha_from_patterns(patterns, d, values, level) for d in draws])
        boots = boots[~np.isnan(boots)]
        ci = (
            (float(np.percentile(boots, 2.5)), float(np.percentile(boots, 97.5)))
            if boots.size
            else (float("nan"), float("nan"))
        )
    return AlphaResult(alpha, level, data.shape[1], data.shape[0], n_pairable, ci)


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
