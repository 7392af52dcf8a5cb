"""How good pre-coding is, measured on held-out documents, and the quality gate.

Paragraphs are split by document (``GroupKFold``), so no document is in training and test. For
every code and method (``regel``, ``modell``, ``kombiniert``) the machine's binary decision
(score >= threshold) is compared with the human coding of the paragraph: precision, recall,
F1 and Cohen's kappa, plus micro and macro averages.

Suggestions are decided on the calibrated combined score (``kombiniert, kalibriert``), the
number the coder sees, against a threshold per code chosen out of fold (for F1, or for a
precision the team sets). Its held-out values are cross-fitted: the isotonic map that calibrates
the paragraphs of one fold is fitted on the held-out scores of the other folds only, so the
evaluation and the reliability table do not judge the map on the scores it was fitted on.
"""

from __future__ import annotations

from typing import Any, TypeVar

import numpy as np
import pandas as pd
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold

from asaqda.errors import PrecodeError
from asaqda.precode.model import ParagraphCoder, table_views
from asaqda.precode.stacking import (
    StackParts,
    Views,
    cross_fit_stacker,
    main_categories,
    oof_scores,
    stack_features,
)

__all__ = [
    "rule_hits",
    "rule_precision",
    "combine",
    "evaluate",
    "quality_gate",
    "calibration",
    "truth_matrix",
    "CALIBRATED",
    "CalibrationMap",
    "fit_calibration",
    "apply_calibration",
    "cross_fit_calibration",
    "choose_thresholds",
    "cross_fit_thresholds",
    "kappa_lower_bound",
]

#: the method whose score decides a suggestion and is shown to the coder
CALIBRATED = "kombiniert, kalibriert"
METHODS = ("regel", "modell", "kombiniert", CALIBRATED)
#: the isotonic map as (raw score thresholds, calibrated values)
CalibrationMap = tuple[list[float], list[float]]
IDENTITY: CalibrationMap = ([0.0, 1.0], [0.0, 1.0])
ArrayLike = TypeVar("ArrayLike", np.ndarray, pd.DataFrame)


def rule_hits(matches: list[list[tuple[str, str]]], codes: list[str]) -> pd.DataFrame:
    """0/1 frame (paragraph x code): did the rules find the code in the paragraph?"""
    frame = pd.DataFrame(0, index=range(len(matches)), columns=codes, dtype=np.int8)
    for i, found in enumerate(matches):
        for code, _ in found:
            if code in frame.columns:
                frame.iat[i, frame.columns.get_loc(code)] = 1
    return frame


def rule_precision(
    hits: pd.DataFrame, truth: pd.DataFrame, default: float = 0.5
) -> dict[str, float]:
    """Share of rule hits that the human coders confirmed, per code: the rule's score.

    Smoothed towards ``default`` (one pseudo-hit each way) so that a code with two hits does not
    get a score of 0 or 1.
    """
    out = {}
    for code in hits.columns:
        fired = hits[code].to_numpy() == 1
        right = int((truth[code].to_numpy()[fired] == 1).sum())
        out[code] = (right + default) / (int(fired.sum()) + 1)
    return out


def combine(rule_scores: ArrayLike, model_scores: ArrayLike) -> ArrayLike:
    """Combined score: the larger of rule score and model score per paragraph and code
    (arrays or frames of the same shape and labels)."""
    return np.maximum(rule_scores, model_scores)


def fit_calibration(scores: np.ndarray, truth: np.ndarray) -> CalibrationMap:
    """Isotonic map from raw combined scores to the share of suggestions the coders confirmed.

    Only paragraph-code pairs with a score above zero count (the rest is never suggested).

    Parameters
    ----------
    scores
        Raw combined scores (any shape).
    truth
        The human 0/1 decisions of the same pairs (same shape).

    Returns
    -------
    CalibrationMap
        Thresholds and values (rounded to 6 digits); the identity when fewer than two pairs
        have a score.
    """
    score, right = np.ravel(scores), np.ravel(truth)
    mask = score > 0
    if np.count_nonzero(mask) < 2:
        return IDENTITY
    iso = IsotonicRegression(y_min=0.0, y_max=1.0, out_of_bounds="clip")
    iso.fit(score[mask], right[mask])
    return (
        [round(float(x), 6) for x in iso.X_thresholds_],
        [round(float(y), 6) for y in iso.y_thresholds_],
    )


def apply_calibration(raw: np.ndarray, cal_map: CalibrationMap) -> np.ndarray:
    """The calibrated score of raw combined scores, rounded to 3 digits: the number that is
    compared with the threshold and the number shown to the coder. A raw score of 0 stays 0
    (no rule hit, no model evidence)."""
    raw = np.asarray(raw, dtype=float)
    return np.where(raw > 0, np.round(np.interp(raw, *cal_map), 3), 0.0)


def cross_fit_calibration(scores: np.ndarray, truth: np.ndarray, fold: np.ndarray) -> np.ndarray:
    """Calibrated held-out scores, cross-fitted: the rows of each fold are mapped with the
    isotonic map fitted on the rows of the other folds.

    Parameters
    ----------
    scores, truth
        Raw combined scores and human 0/1 codes (paragraph x code).
    fold
        Fold number of each paragraph (row).
    """
    out = np.zeros(scores.shape, dtype=np.float32)
    for k in np.unique(fold):
        test = fold == k
        out[test] = apply_calibration(scores[test], fit_calibration(scores[~test], truth[~test]))
    return out


def choose_thresholds(
    scores: np.ndarray,
    truth: np.ndarray,
    target_precision: float | None = None,
    default: float = 0.5,
    min_positives: int = 1,
) -> np.ndarray:
    """One decision threshold per code (column), chosen on held-out scores.

    Without ``target_precision`` the threshold maximises the code's F1, and lies in the
    middle of the widest range of thresholds that do (between the lowest score suggested and
    the next lower score), so a slightly lower score on new paragraphs is still suggested.
    With ``target_precision`` it is the lowest score at which the share of confirmed
    suggestions reaches ``target_precision`` (no such score: 1.001, the code is never
    suggested). A code with fewer than ``min_positives`` human codings or without a scored
    pair keeps ``default``: a handful of examples says too little about a threshold.

    Parameters
    ----------
    scores
        Calibrated held-out scores (paragraph x code).
    truth
        Human 0/1 codes of the same pairs.
    target_precision
        The precision the team wants from suggestions (config ``precode.target_precision``).
    default
        Threshold of codes the held-out scores say nothing about.
    min_positives
        Fewest human codings of a code for a threshold of its own (``precode.min_examples``).

    Returns
    -------
    numpy.ndarray
        Thresholds (one per column), rounded to 3 digits like the scores.
    """
    scores = np.asarray(scores, dtype=float)
    truth = np.asarray(truth).astype(bool)
    out = np.full(scores.shape[1], default, dtype=float)
    for j in range(scores.shape[1]):
        s, y = scores[:, j], truth[:, j]
        positive = s > 0
        n_true = int(y.sum())
        if n_true < max(min_positives, 1) or not positive.any():
            continue
        order = np.argsort(-s[positive], kind="mergesort")
        ranked, hit = s[positive][order], y[positive][order]
        tp = np.cumsum(hit)
        n = np.arange(1, len(ranked) + 1)
        last = np.r_[ranked[1:] != ranked[:-1], True]  # a threshold takes all equal scores
        cand, tp, n = ranked[last], tp[last], n[last]
        if target_precision is None:
            f1 = 2 * tp / (n + n_true)
            out[j] = _middle_of_best(cand, f1 == f1.max())
        else:
            ok = np.flatnonzero(tp / n >= target_precision)
            out[j] = round(float(cand[ok[-1]]), 3) if len(ok) else 1.001
    return out


def _middle_of_best(cand: np.ndarray, best: np.ndarray) -> float:
    """The middle of the widest run of best candidate thresholds (``cand`` descending).

    Candidate ``i`` stands for every threshold in ``(cand[i + 1], cand[i]]`` (the last one
    down to 0); the result is rounded up to 3 digits so that it stays above the lower end.
    """
    lower = np.r_[cand[1:], 0.0]
    runs: list[tuple[float, float]] = []
    for i in np.flatnonzero(best):
        if runs and i > 0 and best[i - 1]:
            runs[-1] = (float(lower[i]), runs[-1][1])
        else:
            runs.append((float(lower[i]), float(cand[i])))
    lo, hi = max(runs, key=lambda r: (r[1] - r[0], r[1]))
    return float(min(hi, max(round((lo + hi) / 2, 3), round(lo + 0.001, 3))))


def cross_fit_thresholds(
    scores: np.ndarray,
    truth: np.ndarray,
    fold: np.ndarray,
    target_precision: float | None = None,
    default: float = 0.5,
    min_positives: int = 1,
) -> np.ndarray:
    """Out-of-fold decisions: the paragraphs of each fold are decided with the per-code
    thresholds (:func:`choose_thresholds`) chosen on the other folds only.

    Returns
    -------
    numpy.ndarray
        Boolean matrix (paragraph x code): is the code suggested?
    """
    out = np.zeros(scores.shape, dtype=bool)
    for k in np.unique(fold):
        test = fold == k
        thr = choose_thresholds(
            scores[~test], truth[~test], target_precision, default, min_positives
        )
        out[test] = scores[test] >= thr
    return out


def truth_matrix(labels: pd.Series, codes: list[str]) -> np.ndarray:
    """0/1 matrix (paragraph x code) of the human codes."""
    index = {c: j for j, c in enumerate(codes)}
    out = np.zeros((len(labels), len(codes)), dtype=np.int8)
    for i, ls in enumerate(labels):
        for c in ls:
            if c in index:
                out[i, index[c]] = 1
    return out


def evaluate(
    table: pd.DataFrame,
    hits: pd.DataFrame,
    codes: list[str],
    *,
    n_splits: int = 5,
    threshold: float = 0.5,
    min_examples: int = 8,
    random_state: int = 0,
    target_precision: float | None = None,
    model_params: dict[str, Any] | None = None,
    views: Views | None = None,
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Cross-validate rules, model and both together on held-out documents.

    The base learners are scored out of fold on the document-grouped folds; the stacker of
    each fold is fitted on the out-of-fold scores of the other folds (with the rule hits as a
    feature, ``kombiniert`` is the stacker's score; without, the larger of rule and model).

    Parameters
    ----------
    table
        :func:`asaqda.precode.model.paragraph_table` output (interviewee paragraphs).
    hits
        :func:`rule_hits` for the same rows.
    threshold
        Fixed threshold of the raw methods (``regel``, ``modell``, ``kombiniert``) and of codes
        the held-out scores say nothing about.
    target_precision
        ``None``: the suggestion decision (:data:`CALIBRATED`) uses per-code thresholds chosen
        for F1 on the other folds; a number: chosen for that precision
        (:func:`cross_fit_thresholds`).
    model_params
        Further :class:`~asaqda.precode.model.ParagraphCoder` parameters (learners, parts).
    views
        :func:`~asaqda.precode.model.table_views` of ``table`` when already built (with the
        embeddings); default: built from ``table``.

    Returns
    -------
    (metrics, held_out)
        ``metrics``: one row per code and method with ``n_beispiele``, ``precision``,
        ``recall``, ``f1``, ``kappa``, plus rows ``micro`` and ``macro``. ``held_out``: the
        held-out score matrices (paragraph x code, float32) per method (the calibrated one
        cross-fitted, :func:`cross_fit_calibration`), ``wahr``, the human 0/1 matrix,
        ``fold``, the fold of each paragraph, and ``entscheidung``, the out-of-fold suggestion
        decisions (per-code thresholds on the calibrated scores); ``oof``, when a model was
        trained, the learners' out-of-fold scores (for :meth:`ParagraphCoder.fit`).
    """
    truth = truth_matrix(table["labels"], codes)
    hit = hits[codes].to_numpy(dtype=np.float32)
    groups = table["doc_id"].to_numpy()
    folds = GroupKFold(n_splits=min(n_splits, len(set(groups))))
    rule_s = np.zeros(truth.shape, dtype=np.float32)
    model_s = np.zeros(truth.shape, dtype=np.float32)
    texts = table["content"].tolist()
    labels = list(table["labels"])
    fold = np.zeros(len(table), dtype=np.int64)
    for k, (train, test) in enumerate(folds.split(table, groups=groups)):
        fold[test] = k
        prec = rule_precision(hits.iloc[train], pd.DataFrame(truth[train], columns=codes))
        rule_s[test] = hit[test] * np.array([prec[c] for c in codes], dtype=np.float32)
    coder = ParagraphCoder(
        min_examples=min_examples, random_state=random_state, **(model_params or {})
    )
    both = None
    oof: dict[str, np.ndarray] | None = None
    try:
        trained = coder.trainable(texts, labels, codes)
    except PrecodeError:  # nothing to learn: the rules alone
        trained = []
    if trained:
        views = views if views is not None else table_views(table)
        parts = coder.parts
        y = coder.targets(labels, trained)
        oof = oof_scores(views, y, fold, parts.learners, random_state)
        n = len(trained)
        parent_of = np.asarray(main_categories(trained)[1]) if coder.parents else np.full(n, -1)
        idx = [codes.index(c) for c in trained]
        no_rules = StackParts(parts.learners, parts.neighbours, parts.parents, False)
        model_s[:, idx] = cross_fit_stacker(
            stack_features(oof, views, n, parent_of, None, no_rules), y[:, :n], fold
        )
        if coder.stacks_rules:
            both = rule_s.copy()
            both[:, idx] = cross_fit_stacker(
                stack_features(oof, views, n, parent_of, hit[:, idx], parts), y[:, :n], fold
            )
    if both is None:
        both = combine(rule_s, model_s)
    calibrated = cross_fit_calibration(both, truth, fold)
    held_out = {
        "regel": rule_s,
        "modell": model_s,
        "kombiniert": both,
        CALIBRATED: calibrated,
        "wahr": truth,
        "fold": fold,
        "entscheidung": cross_fit_thresholds(
            calibrated, truth, fold, target_precision, threshold, min_examples
        ),
    }
    if oof is not None:
        held_out["oof"] = oof  # type: ignore[assignment]
    rows = []
    for method in METHODS:
        if method == CALIBRATED:
            pred = held_out["entscheidung"].astype(np.int8)
        else:
            pred = (held_out[method] >= threshold).astype(np.int8)
        per_code = [_metrics(c, method, truth[:, j], pred[:, j]) for j, c in enumerate(codes)]
        micro = _metrics("micro", method, truth.ravel(), pred.ravel())
        macro = {
            "code": "macro",
            "methode": method,
            "n_beispiele": int(truth.sum()),
            **{
                k: round(float(np.mean([r[k] for r in per_code])), 3)
                for k in ("precision", "recall", "f1", "kappa", "kappa_untergrenze")
            },
        }
        rows += per_code + [micro, macro]
    return pd.DataFrame(rows), held_out


def kappa_lower_bound(y: np.ndarray, p: np.ndarray, kappa: float) -> float:
    """Lower end of the 95 % interval of Cohen's kappa between human ``y`` and machine ``p``
    (0/1 arrays), from the large-sample standard error
    ``sqrt(po (1 - po) / (n (1 - pe)^2))`` (Cohen 1960).

    With perfect or chance-free agreement (``pe`` = 1 or ``po`` = 1) the bound is ``kappa``.
    """
    n = len(y)
    if n == 0:
        return 0.0
    y, p = np.asarray(y).astype(bool), np.asarray(p).astype(bool)
    po = float(np.mean(y == p))
    pe = float(y.mean() * p.mean() + (1 - y.mean()) * (1 - p.mean()))
    if pe >= 1.0 or po >= 1.0:
        return kappa
    se = np.sqrt(po * (1 - po) / (n * (1 - pe) ** 2))
    return float(kappa - 1.959964 * se)


def _metrics(code: str, method: str, y: np.ndarray, p: np.ndarray) -> dict[str, object]:
    prec, rec, f1, _ = precision_recall_fscore_support(y, p, average="binary", zero_division=0)
    kappa = (
        cohen_kappa_score(y, p)
        if (y.any() or p.any()) and not (y == p).all()
        else (1.0 if (y == p).all() and y.any() else 0.0)
    )
    return {
        "code": code,
        "methode": method,
        "n_beispiele": int(y.sum()),
        "precision": round(float(prec), 3),
        "recall": round(float(rec), 3),
        "f1": round(float(f1), 3),
        "kappa": round(float(kappa), 3),
        "kappa_untergrenze": round(kappa_lower_bound(y, p, float(kappa)), 3),
    }


def quality_gate(
    metrics: pd.DataFrame, codes: list[str], min_kappa: float, min_examples: int
) -> pd.DataFrame:
    """Which codes may be suggested: the lower end of the 95 % interval of kappa of the
    suggestion decision (:data:`CALIBRATED`, per-code thresholds out of fold) on held-out
    documents >= ``min_kappa``. A high kappa on a handful of paragraphs does not pass.

    Returns one row per code: ``code``, ``n_beispiele``, ``kappa``, ``vorkodierbar``,
    ``grund`` (German reason when not), ``kappa_untergrenze``.
    """
    comb = metrics[metrics["methode"] == CALIBRATED].set_index("code")
    rows = []
    for code in codes:
        n = int(comb.loc[code, "n_beispiele"]) if code in comb.index else 0
        kappa = float(comb.loc[code, "kappa"]) if code in comb.index else 0.0
        lower = (
            float(comb.loc[code, "kappa_untergrenze"])
            if code in comb.index and "kappa_untergrenze" in comb.columns
            else kappa
        )
        if n < min_examples:
            reason = f"zu wenige Beispiele (n = {n}, mindestens {min_examples})"
        elif lower < min_kappa:
            reason = (
                f"Übereinstimmung mit den Kodierenden nicht gesichert (κ = {kappa:.2f}, untere "
                f"95-%-Grenze {lower:.2f} < {min_kappa:.2f})"
            )
        else:
            reason = ""
        rows.append(
            {
                "code": code,
                "n_beispiele": n,
                "kappa": kappa,
                "vorkodierbar": reason == "",
                "grund": reason,
                "kappa_untergrenze": lower,
            }
        )
    return pd.DataFrame(rows)


def calibration(
    held_out: dict[str, np.ndarray], extra: dict[str, np.ndarray] | None = None, bins: int = 10
) -> pd.DataFrame:
    """Reliability table: per method and score band, mean score vs. share confirmed by humans.

    Only paragraph-code pairs with a score above zero count (the rest is never suggested).
    The calibrated scores are the cross-fitted ones of :func:`evaluate`, so their row shows
    how the map does on scores it was not fitted on. ``extra`` adds further score matrices
    under their own names.
    """
    truth = held_out["wahr"].ravel()
    rows = []
    matrices = {m: held_out[m] for m in METHODS} | (extra or {})
    for method, matrix in matrices.items():
        score = matrix.ravel()
        mask = score > 0
        band = np.minimum((score[mask] * bins).astype(int), bins - 1)
        for b in sorted(set(band.tolist())):
            sel = band == b
            rows.append(
                {
                    "methode": method,
                    "band": f"{b / bins:.1f}-{(b + 1) / bins:.1f}",
                    "n": int(sel.sum()),
                    "mittlerer_score": round(float(score[mask][sel].mean()), 3),
                    "anteil_richtig": round(float(truth[mask][sel].mean()), 3),
                }
            )
    return pd.DataFrame(rows, columns=["methode", "band", "n", "mittlerer_score", "anteil_richtig"])
