"""Learn from the coders: how often they accepted the suggestions of each score band.

The review decisions (``decisions.parquet`` of every wave, :data:`~asaqda.review.decisions.
DECISION_COLUMNS`) keep the score the review sheet showed. Grouped by code and by the score
bands of ``vorcodierung/kalibrierung.csv`` (``0.5-0.6``, …, ``0.9-1.0``), the share of
accepted suggestions set next to the mean shown score tells the team whether a score of 0.8
really means that about 8 in 10 such suggestions are right on its own material.

*Accepted* means ``übernehmen``: the suggested code was right. ``ablehnen`` and ``anderer
Code`` both say that the suggested code was wrong for the paragraph. Coders who agreed on a
suggestion share one decision row, so a suggestion counts once however many coders decided it.
Decisions whose sheet showed no readable score count in the band ``ohne Score`` (they are not
in any band and have no mean score).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

__all__ = [
    "ACCEPTANCE_COLUMNS",
    "ACCEPTANCE_LABELS",
    "ALL",
    "NO_SCORE",
    "acceptance_table",
    "score_band",
    "wilson_interval",
]

#: columns of ``vorcodierung/annahme.csv``
ACCEPTANCE_COLUMNS = [
    "code",
    "band",
    "n_entscheidungen",
    "n_angenommen",
    "annahmequote",
    "mittlerer_score",
    "wilson_untergrenze",
    "wilson_obergrenze",
    "score_im_intervall",
]
#: German headers of the sheet "Annahme durch Kodierende"
ACCEPTANCE_LABELS = {
    "code": "Code",
    "band": "Score-Band",
    "n_entscheidungen": "Entscheidungen",
    "n_angenommen": "Übernommen",
    "annahmequote": "Annahmequote",
    "mittlerer_score": "Mittlerer angezeigter Score",
    "wilson_untergrenze": "Untere 95-%-Grenze (Wilson)",
    "wilson_obergrenze": "Obere 95-%-Grenze (Wilson)",
    "score_im_intervall": "Score im Intervall",
}
#: ``code`` of the rows over all codes, and ``band`` of the rows over all bands
ALL = "alle"
#: ``band`` of the decisions whose sheet showed no readable score
NO_SCORE = "ohne Score"
_Z95 = 1.959963984540054


def score_band(score: float, bins: int = 10) -> str:
    """The band of a score as in ``kalibrierung.csv``: ``'0.7-0.8'``; 1.0 lies in ``'0.9-1.0'``.

    Parameters
    ----------
    score
        a score between 0 and 1, or NaN
    bins
        number of equal bands between 0 and 1

    Returns
    -------
    str
        the band, or :data:`NO_SCORE` for NaN
    """
    if score is None or math.isnan(score):
        return NO_SCORE
    # round first so that 0.7 (7.000000000000001 * 0.1) is not taken for 0.6999…
    b = min(int(math.floor(round(score * bins, 9))), bins - 1)
    return f"{b / bins:.1f}-{(b + 1) / bins:.1f}"


def wilson_interval(accepted: int, n: int, z: float = _Z95) -> tuple[float, float]:
    """Wilson score interval (Wilson 1927) of a share ``accepted / n``.

    Unlike the normal approximation it stays within 0 to 1 and is informative for small ``n``
    and shares near 0 or 1, which is the usual case for a handful of decisions in a band.

    Parameters
    ----------
    accepted
        number of accepted suggestions
    n
        number of decisions (0 gives NaN, NaN)
    z
        quantile of the normal distribution (1.96 for 95 %)

    Returns
    -------
    (lower, upper)
    """
    if n <= 0:
        return float("nan"), float("nan")
    p = accepted / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


def _row(code: str, band: str, group: pd.DataFrame) -> dict[str, object]:
    n = len(group)
    accepted = int(group["_accepted"].sum())
    low, high = wilson_interval(accepted, n)
    scores = group["score"].dropna()
    mean = round(float(scores.mean()), 3) if len(scores) else float("nan")
    inside = "" if math.isnan(mean) else ("ja" if low <= mean <= high else "nein")
    return {
        "code": code,
        "band": band,
        "n_entscheidungen": n,
        "n_angenommen": accepted,
        "annahmequote": round(accepted / n, 3),
        "mittlerer_score": mean,
        "wilson_untergrenze": round(low, 3),
        "wilson_obergrenze": round(high, 3),
        "score_im_intervall": inside,
    }


def acceptance_table(decisions: pd.DataFrame, bins: int = 10) -> pd.DataFrame:
    """Acceptance of the suggestions per code and score band, from the review decisions.

    Parameters
    ----------
    decisions
        the decisions of any number of waves, at least the columns ``code``, ``score`` (the
        shown score, NaN when unknown) and ``decision``; a frame read back before the score
        was kept (no column ``score``) counts every decision under :data:`NO_SCORE`
    bins
        number of equal score bands between 0 and 1 (10, as in ``kalibrierung.csv``)

    Returns
    -------
    pandas.DataFrame
        :data:`ACCEPTANCE_COLUMNS`: one row per code and band that has decisions, then per
        band over all codes (``code`` = :data:`ALL`), then all codes and bands
        (``code`` = ``band`` = :data:`ALL`); codes sorted by name, bands ascending with
        :data:`NO_SCORE` last. ``annahmequote`` is the share of ``übernehmen``,
        ``mittlerer_score`` the mean shown score, ``wilson_*`` the 95 % Wilson interval of the
        share, ``score_im_intervall`` ``ja`` when the mean score lies in it (the score is
        then in line with the coders), ``nein`` otherwise. No decisions: no rows.
    """
    if decisions.empty:
        return pd.DataFrame(columns=ACCEPTANCE_COLUMNS)
    frame = pd.DataFrame(
        {
            "code": decisions["code"].astype(str).to_numpy(),
            "score": (
                pd.to_numeric(decisions["score"], errors="coerce").to_numpy(dtype=float)
                if "score" in decisions.columns
                else np.full(len(decisions), np.nan)
            ),
            "_accepted": (decisions["decision"] == "übernehmen").to_numpy(),
        }
    )
    frame["band"] = [score_band(s, bins) for s in frame["score"]]
    order = {band: i for i, band in enumerate(sorted(set(frame["band"]) - {NO_SCORE}))}
    order[NO_SCORE] = len(order)
    order[ALL] = len(order)
    rows = [
        _row(code, band, group)
        for (code, band), group in frame.groupby(["code", "band"], sort=False)
    ]
    rows += [_row(ALL, band, group) for band, group in frame.groupby("band", sort=False)]
    rows.append(_row(ALL, ALL, frame))
    out = pd.DataFrame(rows, columns=ACCEPTANCE_COLUMNS)
    out["_overall"] = out["code"] == ALL
    out["_band"] = out["band"].map(order)
    out = out.sort_values(["_overall", "code", "_band"], kind="mergesort")
    return out.drop(columns=["_overall", "_band"]).reset_index(drop=True)
