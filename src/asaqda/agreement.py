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
        boots = _bootstrap_alphas(patterns, draws, values, level)
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


# --- agreement over codings, at MAXQDA's three levels ---------------------------------------

AGREEMENT_COLUMNS = [
    "ebene",
    "code",
    "kodierende",
    "n_dokumente",
    "n_einheiten",
    "prozent_uebereinstimmung",
    "cohen_kappa",
    "brennan_prediger",
    "fleiss_kappa",
    "alpha",
    "alpha_niveau",
    "alpha_ci_unten",
    "alpha_ci_oben",
    "satz",
]
LEVEL_LABELS = {
    "dokument": "Code im Dokument vorhanden",
    "haeufigkeit": "Codehäufigkeit im Dokument",
    "segment": "Segmentüberlappung (Absätze)",
}


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
    groups; each copy is one coder's version, named by the coder who made most of its codings
    (else by the group). Without copies, a document with codings of several coders (column
    'Erstellt von') counts as one version per coder.

    Returns ``document_name``, ``version`` (coder), ``doc_id``, ``coder_filter`` (the coder
    whose codings belong to the version, or empty for the whole copy).
    """
    coded = documents.loc[documents["n_codings"] > 0, ["doc_id", "document_name", "document_group"]]
    copies = coded.groupby("document_name")["doc_id"].transform("size")
    per_coder = _coder_counts(codings[codings["doc_id"].isin(coded["doc_id"])])
    main_coder = _main_coder(per_coder)
    multi = coded[copies >= 2].copy()
    label = multi["doc_id"].map(main_coder).fillna("")
    multi["version"] = label.where(label != "", multi["document_group"])
    multi["coder_filter"] = ""
    single = coded[copies < 2]
    named = per_coder[(per_coder["coder"] != "") & per_coder["doc_id"].isin(single["doc_id"])]
    several = named.groupby("doc_id")["coder"].transform("size") >= 2
    by_coder = named[several].merge(single, on="doc_id")
    by_coder = by_coder.assign(version=by_coder["coder"], coder_filter=by_coder["coder"])
    cols = ["document_name", "version", "doc_id", "coder_filter"]
    out = pd.concat([multi[cols], by_coder[cols]], ignore_index=True)
    return out.sort_values(["document_name", "version"]).reset_index(drop=True)


def _version_codings(codings: pd.DataFrame, versions: pd.DataFrame) -> pd.DataFrame:
    whole = versions[versions["coder_filter"] == ""][["doc_id", "document_name", "version"]]
    split = versions[versions["coder_filter"] != ""][
        ["doc_id", "document_name", "version", "coder_filter"]
    ]
    base = codings.drop(columns=["document_name"], errors="ignore")
    parts = [
        base.merge(whole, on="doc_id"),
        base.merge(split, left_on=["doc_id", "coder"], right_on=["doc_id", "coder_filter"]).drop(
            columns=["coder_filter"]
        ),
    ]
    return pd.concat(parts, ignore_index=True)


def _row(
    level: str,
    code: str,
    coders: list[str],
    n_docs: int,
    data: np.ndarray,
    alpha_level: Level,
    n_boot: int,
    seed: int,
    kappas: bool = True,
    percent: float | None = None,
) -> dict[str, object]:
    """One row of the agreement table; ``percent`` (0-1) replaces the unit-wise agreement
    where the level defines its own (MAXQDA's segment matching)."""
    res = alpha_with_ci(data, alpha_level, n_boot=n_boot, seed=seed)
    two = data.shape[0] == 2
    complete = ~np.isnan(data).any(axis=0)
    fleiss = float("nan")
    if kappas and complete.any() and data.shape[0] >= 2:
        sub = data[:, complete]
        cats = np.unique(sub)
        if cats.size >= 2:
            fleiss = fleiss_kappa(np.stack([(sub == c).sum(axis=0) for c in cats], axis=1))
    row = {
        "ebene": level,
        "code": code,
        "kodierende": " / ".join(coders),
        "n_dokumente": n_docs,
        "n_einheiten": int(res.n_pairable),
        "prozent_uebereinstimmung": _r(
            100 * (percent_agreement(data) if percent is None else percent)
        ),
        "cohen_kappa": _r(cohen_kappa(data[0], data[1])) if two and kappas else None,
        "brennan_prediger": _r(brennan_prediger(data, 2)) if kappas else None,
        "fleiss_kappa": _r(fleiss) if kappas else None,
        "alpha": _r(res.alpha),
        "alpha_niveau": alpha_level,
        "alpha_ci_unten": _r(res.ci95[0]),
        "alpha_ci_oben": _r(res.ci95[1]),
    }
    row["satz"] = _sentence(row)
    return row


def _r(x: float) -> float | None:
    return None if x is None or np.isnan(x) else round(float(x), 3)


def _fmt(x: object) -> str:
    return f"{x:.2f}".replace(".", ",") if isinstance(x, float) else "–"


def _sentence(row: dict[str, object]) -> str:
    """A German sentence a report author can quote."""
    what = "über alle Codes" if row["code"] == "gesamt" else f"für die Kategorie „{row['code']}“"
    if row["alpha"] is None:
        return (
            f"{LEVEL_LABELS[str(row['ebene'])]}: {what} lässt sich Krippendorffs α nicht "
            f"berechnen (keine Variation oder zu wenige doppelt kodierte Einheiten)."
        )
    text = (
        f"{LEVEL_LABELS[str(row['ebene'])]}: {what} beträgt Krippendorffs α = "
        f"{_fmt(row['alpha'])} (95-%-Konfidenzintervall {_fmt(row['alpha_ci_unten'])} bis "
        f"{_fmt(row['alpha_ci_oben'])}; {row['n_einheiten']} Einheiten, "
        f"{row['n_dokumente']} Dokumente, Kodierende {row['kodierende']})"
    )
    if row["brennan_prediger"] is not None:
        text += f", κ nach Brennan & Prediger = {_fmt(row['brennan_prediger'])}"
    return text + f", Übereinstimmung {_fmt(row['prozent_uebereinstimmung'])} %."


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

    * ``dokument``: is the code present in the document (units: documents);
    * ``haeufigkeit``: how often it is coded in the document (alpha at ratio level);
    * ``segment``: kappas and alpha over paragraphs (units: the paragraphs of the double-coded
      documents; 1 = covered by a segment with the code); the percent agreement is MAXQDA's
      segment matching with a minimum overlap of ``min_overlap`` (see
      :func:`segment_matches`).

    Returns one row per level and code (codes coded in the double-coded documents) plus
    ``gesamt``, columns :data:`AGREEMENT_COLUMNS`, with a German sentence per row.
    """
    versions = coded_versions(codings, documents)
    if versions.empty:
        return pd.DataFrame(columns=AGREEMENT_COLUMNS)
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
    for i, code in enumerate(used):
        rows.append(_row("dokument", code, coders, n_d, presence[i], "nominal", n_boot, seed))
    rows.append(
        _row(
            "dokument",
            "gesamt",
            coders,
            n_d,
            presence.transpose(1, 0, 2).reshape(n_c, -1),
            "nominal",
            n_boot,
            seed,
        )
    )
    for i, code in enumerate(used):
        rows.append(
            _row("haeufigkeit", code, coders, n_d, counts[i], "ratio", n_boot, seed, kappas=False)
        )
    rows.append(
        _row(
            "haeufigkeit",
            "gesamt",
            coders,
            n_d,
            counts.transpose(1, 0, 2).reshape(n_c, -1),
            "ratio",
            n_boot,
            seed,
            kappas=False,
        )
    )
    seg = _paragraph_units(vc, versions, coders, docs, used)
    matches = segment_matches(vc, min_overlap)
    for i, code in enumerate([*used, "gesamt"]):
        data = seg[i] if code != "gesamt" else seg.transpose(1, 0, 2).reshape(n_c, -1)
        sel = matches if code == "gesamt" else matches[matches["code"] == code]
        rate = float(sel["matched"].mean()) if len(sel) else float("nan")
        rows.append(_row("segment", code, coders, n_d, data, "nominal", n_boot, seed, percent=rate))
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


def _paragraph_units(
    vc: pd.DataFrame, versions: pd.DataFrame, coders: list[str], docs: list[str], codes: list[str]
) -> np.ndarray:
    """codes x coders x paragraph-units: 1 where a segment of the coder with the code covers
    the paragraph, 0 where not, nan where the coder did not code the document."""
    vc = vc[vc["begin"].notna()]
    last = vc.groupby("document_name")["end"].max()
    offsets, total = {}, 0
    for doc in docs:
        offsets[doc] = total
        total += int(last.get(doc, 0))
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
    return out


def segment_matches(vc: pd.DataFrame, min_overlap: float) -> pd.DataFrame:
    """MAXQDA's segment agreement, per segment: does another coder have a segment with the
    same code in the same document overlapping by at least ``min_overlap`` of their joint
    paragraph span? Returns ``code`` and ``matched`` per segment with paragraph numbers."""
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
    ``haeufigkeit`` in how many paragraphs.

    Returns rows in the form of :func:`agreement_table`, ``kodierende`` = ``Maschine / <coder>``.
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
        for level, data, alpha_level, kappas in (
            ("dokument", presence, "nominal", True),
            ("haeufigkeit", counts, "ratio", False),
            ("segment", seg, "nominal", True),
        ):
            for i, code in enumerate(used):
                rows.append(
                    _row(level, code, pair, n_d, data[i], alpha_level, n_boot, seed, kappas=kappas)
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
                    kappas=kappas,
                )
            )
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
