"""Quality forward in time, as the team uses the pre-coder: train on the waves before a wave,
evaluate on that wave.

For every wave with human codes that has coded waves before it, everything the pre-coder
learns is learnt from the earlier waves only: the model, the rule scores, the calibration map
and the per-code thresholds (the last two from a document-grouped cross-validation of the
earlier waves, :func:`asaqda.precode.evaluate.evaluate`). The suggestion decision on the wave
is then compared with its human codes, per code and overall; the rows of ``alle`` pool every
evaluated wave.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from asaqda.errors import PrecodeError
from asaqda.precode.evaluate import (
    CALIBRATED,
    _metrics,
    apply_calibration,
    choose_thresholds,
    combine,
    evaluate,
    fit_calibration,
    rule_precision,
    truth_matrix,
)
from asaqda.precode.model import ParagraphCoder, table_views
from asaqda.precode.stacking import Views

__all__ = ["forward_evaluate", "forward_table", "FORWARD_COLUMNS", "ALL_WAVES"]

#: the ``welle`` of the rows that pool every evaluated wave
ALL_WAVES = "alle"
FORWARD_COLUMNS = [
    "welle",
    "trainiert_auf",
    "code",
    "n_beispiele",
    "precision",
    "recall",
    "f1",
    "kappa",
    "kappa_untergrenze",
]


def forward_evaluate(
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
) -> pd.DataFrame:
    """Train on the waves before each wave and evaluate the suggestion decision on it.

    Parameters
    ----------
    table
        :func:`asaqda.precode.model.paragraph_table` rows with a column ``wave`` (wave names
        sort in time, e.g. ``2023-1`` < ``2023-2``).
    hits
        :func:`asaqda.precode.evaluate.rule_hits` of the same rows.
    codes
        The codes to evaluate.
    model_params, views
        As in :func:`asaqda.precode.evaluate.evaluate` (``views`` of ``table``).

    Returns
    -------
    pandas.DataFrame
        :data:`FORWARD_COLUMNS`: per evaluated wave one row per code plus ``micro`` and
        ``macro``, then the same for :data:`ALL_WAVES` (every evaluated wave pooled). Empty
        when no wave has coded waves before it.
    """
    waves = sorted(set(table["wave"]))
    truth = truth_matrix(table["labels"], codes)
    wave_of = table["wave"].to_numpy()
    labels = list(table["labels"])
    views = views if views is not None else table_views(table)
    rows: list[dict[str, object]] = []
    pooled_y, pooled_p = [], []
    for wave in waves:
        train = np.flatnonzero(wave_of < wave)
        test = np.flatnonzero(wave_of == wave)
        if not truth[test].any() or not truth[train].any():
            continue
        if table["doc_id"].iloc[train].nunique() < 2:
            continue
        earlier = table.iloc[train].reset_index(drop=True)
        earlier_hits = hits.iloc[train].reset_index(drop=True)
        earlier_views = views.take(train)
        try:
            _, held_out = evaluate(
                earlier,
                earlier_hits,
                codes,
                n_splits=n_splits,
                threshold=threshold,
                min_examples=min_examples,
                random_state=random_state,
                target_precision=target_precision,
                model_params=model_params,
                views=earlier_views,
            )
            coder = ParagraphCoder(
                min_examples=min_examples, random_state=random_state, **(model_params or {})
            )
            coder.fit(
                earlier_views,
                [labels[i] for i in train],
                codes,
                groups=earlier["doc_id"].to_numpy(),
                hits=earlier_hits,
                oof=held_out.get("oof"),  # type: ignore[arg-type]
            )
        except PrecodeError:  # nothing to learn from the earlier waves yet
            continue
        cal_map = fit_calibration(held_out["kombiniert"], held_out["wahr"])
        thresholds = choose_thresholds(
            held_out[CALIBRATED], held_out["wahr"], target_precision, threshold, min_examples
        )
        prec = rule_precision(earlier_hits, pd.DataFrame(truth[train], columns=codes))
        rule_s = hits[codes].to_numpy(dtype=float)[test] * np.array([prec[c] for c in codes])
        proba, stacked = coder.scores(views.take(test), hits.iloc[test], codes)
        model_s = proba.reindex(columns=codes).fillna(0.0).to_numpy()
        both = combine(rule_s, model_s)
        if stacked is not None:  # rules and model combined by the stacker
            both = stacked.reindex(columns=codes).to_numpy(dtype=float)
            both = np.where(np.isnan(both), rule_s, both)
        decided = apply_calibration(both, cal_map) >= thresholds
        y, p = truth[test], decided.astype(np.int8)
        first, last = waves[0], max(wave_of[train])
        label = first if first == last else f"{first} bis {last}"
        rows += _wave_rows(wave, label, codes, y, p)
        pooled_y.append(y)
        pooled_p.append(p)
    if pooled_y:
        rows += _wave_rows(ALL_WAVES, "", codes, np.vstack(pooled_y), np.vstack(pooled_p))
    return pd.DataFrame(rows, columns=FORWARD_COLUMNS)


def forward_table(frames: list[pd.DataFrame], codes: list[str]) -> pd.DataFrame:
    """The forward quality table from each wave's decisions by the model of the waves before
    it (:meth:`asaqda.precode.precoder.Precoder.forward_decisions`).

    Parameters
    ----------
    frames
        One frame per wave, in time order, with ``welle``, ``trainiert_auf``, ``maschine`` and
        ``mensch``; empty frames are skipped.
    codes
        The codes to evaluate.

    Returns
    -------
    pandas.DataFrame
        :data:`FORWARD_COLUMNS`, as :func:`forward_evaluate` gives them.
    """
    rows: list[dict[str, object]] = []
    pooled_y, pooled_p = [], []
    for frame in frames:
        if frame.empty:
            continue
        y = truth_matrix(frame["mensch"].map(list), codes)
        p = truth_matrix(frame["maschine"].map(list), codes)
        wave, label = str(frame["welle"].iloc[0]), str(frame["trainiert_auf"].iloc[0])
        rows += _wave_rows(wave, label, codes, y, p)
        pooled_y.append(y)
        pooled_p.append(p)
    if pooled_y:
        rows += _wave_rows(ALL_WAVES, "", codes, np.vstack(pooled_y), np.vstack(pooled_p))
    return pd.DataFrame(rows, columns=FORWARD_COLUMNS)


def _wave_rows(
    wave: str, trained_on: str, codes: list[str], y: np.ndarray, p: np.ndarray
) -> list[dict[str, object]]:
    """Per-code, micro and macro rows of one wave's decisions."""
    per_code = [_metrics(c, CALIBRATED, y[:, j], p[:, j]) for j, c in enumerate(codes)]
    micro = _metrics("micro", CALIBRATED, y.ravel(), p.ravel())
    keys = ("precision", "recall", "f1", "kappa", "kappa_untergrenze")
    macro = {
        "code": "macro",
        "n_beispiele": int(y.sum()),
        **{k: round(float(np.mean([r[k] for r in per_code])), 3) for k in keys},
    }
    out = []
    for r in [*per_code, micro, macro]:
        out.append(
            {"welle": wave, "trainiert_auf": trained_on} | {k: r[k] for k in FORWARD_COLUMNS[2:]}
        )
    return out
