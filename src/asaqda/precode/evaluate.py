"""How good pre-coding is, measured on held-out documents, and the quality gate.

Paragraphs are split by document (``GroupKFold``), so no document is in training and test. For
every code and method (``regel``, ``modell``, ``kombiniert``) the machine's binary decision
(score >= threshold) is compared with the human coding of the paragraph: precision, recall,
F1 and Cohen's kappa, plus micro and macro averages.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support
from sklearn.model_selection import GroupKFold

from asaqda.precode.model import ParagraphCoder

__all__ = ["rule_hits", "rule_precision", "combine", "evaluate", "quality_gate", "calibration"]

METHODS = ("regel", "modell", "kombiniert")


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


def combine(rule_scores: pd.DataFrame, model_scores: pd.DataFrame) -> pd.DataFrame:
    """Combined score: the larger of rule score and model score per paragraph and code."""
    return rule_scores.combine(model_scores.reindex_like(rule_scores).fillna(0.0), np.maximum)


def _truth(labels: pd.Series, codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {c: labels.map(lambda ls, c=c: int(c in ls)).to_numpy(dtype=np.int8) for c in codes}
    )


def evaluate(
    table: pd.DataFrame,
    hits: pd.DataFrame,
    codes: list[str],
    *,
    n_splits: int = 5,
    threshold: float = 0.5,
    min_examples: int = 8,
    random_state: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cross-validate rules, model and both together on held-out documents.

    Parameters
    ----------
    table
        :func:`asaqda.precode.model.paragraph_table` output (interviewee paragraphs).
    hits
        :func:`rule_hits` for the same rows.

    Returns
    -------
    (metrics, scores)
        ``metrics``: one row per code and method with ``n_beispiele``, ``precision``,
        ``recall``, ``f1``, ``kappa``, plus rows ``micro`` and ``macro``. ``scores``: the
        held-out scores (long form: row, code, method, score, truth) for calibration checks.
    """
    truth = _truth(table["labels"], codes)
    groups = table["doc_id"].to_numpy()
    n_docs = len(set(groups))
    folds = GroupKFold(n_splits=min(n_splits, n_docs))
    rule_s = pd.DataFrame(0.0, index=table.index, columns=codes)
    model_s = pd.DataFrame(0.0, index=table.index, columns=codes)
    for train, test in folds.split(table, groups=groups):
        prec = rule_precision(hits.iloc[train], truth.iloc[train])
        for code in codes:
            rule_s.iloc[test, rule_s.columns.get_loc(code)] = hits[code].iloc[test] * prec[code]
        coder = ParagraphCoder(min_examples=min_examples, random_state=random_state)
        try:
            coder.fit(
                table["content"].iloc[train].tolist(), list(table["labels"].iloc[train]), codes
            )
        except Exception as exc:  # noqa: BLE001 - a fold without enough examples
            if type(exc).__name__ != "PrecodeError":
                raise
            continue
        proba = coder.predict_proba(table["content"].iloc[test].tolist())
        for code in proba.columns:
            model_s.iloc[test, model_s.columns.get_loc(code)] = proba[code].to_numpy()
    both = combine(rule_s, model_s)
    rows = []
    for method, scores in (("regel", rule_s), ("modell", model_s), ("kombiniert", both)):
        pred = (scores >= threshold).astype(np.int8)
        for code in codes:
            rows.append(_metrics(code, method, truth[code].to_numpy(), pred[code].to_numpy()))
        y, p = truth.to_numpy().ravel(), pred.to_numpy().ravel()
        micro = _metrics("micro", method, y, p)
        micro["n_beispiele"] = int(truth.to_numpy().sum())
        rows.append(micro)
        per_code = pd.DataFrame(
            [r for r in rows if r["methode"] == method and r["code"] not in ("micro", "macro")]
        )
        rows.append(
            {
                "code": "macro",
                "methode": method,
                "n_beispiele": int(per_code["n_beispiele"].sum()),
                **{
                    k: round(float(per_code[k].mean()), 3)
                    for k in ("precision", "recall", "f1", "kappa")
                },
            }
        )
    long = []
    for method, scores in (("regel", rule_s), ("modell", model_s), ("kombiniert", both)):
        melted = scores.assign(row=table.index).melt(
            id_vars="row", var_name="code", value_name="score"
        )
        melted["methode"] = method
        melted["wahr"] = truth.assign(row=table.index).melt(id_vars="row")["value"].to_numpy()
        long.append(melted)
    return pd.DataFrame(rows), pd.concat(long, ignore_index=True)


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


def calibration(scores: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Reliability table: per method and score band, mean score vs. share confirmed by humans.

    Only paragraphs and codes with a score above zero count (the rest was never suggested).
    """
    s = scores[scores["score"] > 0].copy()
    s["band"] = np.minimum((s["score"] * bins).astype(int), bins - 1)
    out = (
        s.groupby(["methode", "band"])
        .agg(
            n=("score", "size"), mittlerer_score=("score", "mean"), anteil_richtig=("wahr", "mean")
        )
        .reset_index()
    )
    out["band"] = out["band"].map(lambda b: f"{b / bins:.1f}-{(b + 1) / bins:.1f}")
    return out.round({"mittlerer_score": 3, "anteil_richtig": 3})
