"""How good pre-coding is, measured on held-out documents, and the quality gate.

Paragraphs are split by document (``GroupKFold``), so no document is in training and test. For
every code and method (``regel``, ``modell``, ``kombiniert``) the machine's binary decision
(score >= threshold) is compared with the human coding of the paragraph: precision, recall,
F1 and Cohen's kappa, plus micro and macro averages.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold

from asaqda.errors import PrecodeError
from asaqda.precode.model import ParagraphCoder

__all__ = [
    "rule_hits",
    "rule_precision",
    "combine",
    "evaluate",
    "quality_gate",
    "calibration",
    "truth_matrix",
]

METHODS = ("regel", "modell", "kombiniert")
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
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Cross-validate rules, model and both together on held-out documents.

    Parameters
    ----------
    table
        :func:`asaqda.precode.model.paragraph_table` output (interviewee paragraphs).
    hits
        :func:`rule_hits` for the same rows.

    Returns
    -------
    (metrics, held_out)
        ``metrics``: one row per code and method with ``n_beispiele``, ``precision``,
        ``recall``, ``f1``, ``kappa``, plus rows ``micro`` and ``macro``. ``held_out``: the
        held-out score matrices (paragraph x code, float32) per method and ``wahr``, the
        human 0/1 matrix, for calibration.
    """
    truth = truth_matrix(table["labels"], codes)
    hit = hits[codes].to_numpy(dtype=np.float32)
    groups = table["doc_id"].to_numpy()
    folds = GroupKFold(n_splits=min(n_splits, len(set(groups))))
    rule_s = np.zeros(truth.shape, dtype=np.float32)
    model_s = np.zeros(truth.shape, dtype=np.float32)
    texts = table["content"].tolist()
    labels = list(table["labels"])
    for train, test in folds.split(table, groups=groups):
        prec = rule_precision(hits.iloc[train], pd.DataFrame(truth[train], columns=codes))
        rule_s[test] = hit[test] * np.array([prec[c] for c in codes], dtype=np.float32)
        coder = ParagraphCoder(min_examples=min_examples, random_state=random_state)
        try:
            coder.fit([texts[i] for i in train], [labels[i] for i in train], codes)
        except PrecodeError:  # a fold without enough examples of any code
            continue
        proba = coder.predict_proba([texts[i] for i in test])
        for code in proba.columns:
            model_s[test, codes.index(code)] = proba[code].to_numpy()
    both = combine(rule_s, model_s)
    held_out = {"regel": rule_s, "modell": model_s, "kombiniert": both, "wahr": truth}
    rows = []
    for method in METHODS:
        pred = (held_out[method] >= threshold).astype(np.int8)
        per_code = [_metrics(c, method, truth[:, j], pred[:, j]) for j, c in enumerate(codes)]
        micro = _metrics("micro", method, truth.ravel(), pred.ravel())
        macro = {
            "code": "macro",
            "methode": method,
            "n_beispiele": int(truth.sum()),
            **{
                k: round(float(np.mean([r[k] for r in per_code])), 3)
                for k in ("precision", "recall", "f1", "kappa")
            },
        }
        rows += per_code + [micro, macro]
    return pd.DataFrame(rows), held_out


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
    }


def quality_gate(
    metrics: pd.DataFrame, codes: list[str], min_kappa: float, min_examples: int
) -> pd.DataFrame:
    """Which codes may be suggested: combined kappa on held-out documents >= ``min_kappa``.

    Returns one row per code: ``code``, ``n_beispiele``, ``kappa``, ``vorkodierbar``,
    ``grund`` (German reason when not).
    """
    comb = metrics[metrics["methode"] == "kombiniert"].set_index("code")
    rows = []
    for code in codes:
        n = int(comb.loc[code, "n_beispiele"]) if code in comb.index else 0
        kappa = float(comb.loc[code, "kappa"]) if code in comb.index else 0.0
        if n < min_examples:
            reason = f"zu wenige Beispiele (n = {n}, mindestens {min_examples})"
        elif kappa < min_kappa:
            reason = (
                f"geringe Übereinstimmung mit den Kodierenden (κ = {kappa:.2f} < {min_kappa:.2f})"
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
            }
        )
    return pd.DataFrame(rows)


def calibration(
    held_out: dict[str, np.ndarray], extra: dict[str, np.ndarray] | None = None, bins: int = 10
) -> pd.DataFrame:
    """Reliability table: per method and score band, mean score vs. share confirmed by humans.

    Only paragraph-code pairs with a score above zero count (the rest is never suggested).
    ``extra`` adds further score matrices (e.g. calibrated scores) under their own names.
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
