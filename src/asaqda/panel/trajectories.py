"""The trainee panel: link interviews to persons, measure work ability per interview, type each
person's trajectory across the Panelwellen.

Pure functions over the corpus tables (primary copies only: an intercoder copy is not a second
interview). Linking problems are reported, never guessed away.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "PanelParams",
    "AF",
    "BF",
    "ABBRUCH",
    "FREIZEIT",
    "TYPES",
    "panel_interviews",
    "link_checks",
    "interview_measures",
    "classify",
    "trajectory_types",
    "next_wave",
    "band",
]

AF = ("Arbeitsfähigkeit > steigend", "Arbeitsfähigkeit > fallend")
BF = ("Bewältigungsfähigkeit > steigend", "Bewältigungsfähigkeit > fallend")
ABBRUCH = "Ausbildungsverlauf > Abbruch"
FREIZEIT = "Belastung > Teilnahme in der Freizeit"
#: the trajectory types in the order tables list them
TYPES = (
    "stabil",
    "steigend",
    "fallend",
    "Einbruch",
    "Erholung",
    "Abbruch",
    "unvollständig",
    "prüfen",
)
#: weight MAXQDA stores when nobody rated the segment, and what it counts as
UNRATED, UNRATED_AS = 0, 50


@dataclass(frozen=True)
class PanelParams:
    """Settings of the panel analysis (config section ``panel``)."""

    delta_was: float = 1.0
    delta_bilanz: float = 0.25
    bands: dict[str, list[float]] = field(
        default_factory=lambda: {"was": [4.0, 7.0], "bilanz": [-0.33, 0.33]}
    )
    band_labels: tuple[str, str, str] = ("niedrig", "mittel", "hoch")

    def delta(self, level: str) -> float:
        """The threshold δ for the level a trajectory is typed on."""
        return self.delta_was if level == "was" else self.delta_bilanz


def next_wave(wave: str, years: int = 1) -> str:
    """The survey wave ``years`` later (panel interviews are one year apart)."""
    year, half = wave.split("-")
    return f"{int(year) + years}-{half}"


def panel_interviews(documents: pd.DataFrame) -> pd.DataFrame:
    """The panel interviews: documents with ``Panel = ja`` (intercoder copies left out).

    Returns ``doc_id``, ``document_name``, ``person``, ``panelwelle``, ``welle``, ``betrieb``,
    ``was``, sorted by person, Panelwelle and wave.
    """
    docs = documents
    if "intercoder_copy" in docs:
        docs = docs[~docs["intercoder_copy"].astype(bool)]
    if "Panel" not in docs or "Person" not in docs:
        return pd.DataFrame(
            columns=["doc_id", "document_name", "person", "panelwelle", "welle", "betrieb", "was"]
        )
    panel = docs[docs["Panel"].astype(str).str.strip().str.casefold() == "ja"]
    out = pd.DataFrame(
        {
            "doc_id": panel["doc_id"],
            "document_name": panel["document_name"],
            "person": panel["Person"].astype(str),
            "panelwelle": pd.array(panel.get("Panelwelle", pd.Series(dtype="Int64")), "Int64"),
            "welle": panel["wave"],
            "betrieb": panel.get("Betrieb", pd.Series(pd.NA, index=panel.index)),
            "was": pd.array(panel.get("WAS", pd.Series(dtype="Float64")), "Float64"),
        }
    )
    return out.sort_values(["person", "panelwelle", "welle"], kind="mergesort").reset_index(
        drop=True
    )


def _distance(a: str, b: str) -> int:
    """Levenshtein distance with transpositions (short pseudonyms only)."""
    d = np.zeros((len(a) + 1, len(b) + 1), dtype=int)
    d[:, 0], d[0, :] = range(len(a) + 1), range(len(b) + 1)
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = int(a[i - 1] != b[j - 1])
            d[i, j] = min(d[i - 1, j] + 1, d[i, j - 1] + 1, d[i - 1, j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                d[i, j] = min(d[i, j], d[i - 2, j - 2] + 1)
    return int(d[-1, -1])


def _looks_like_typo(a: str, b: str) -> bool:
    """One edit apart, but not merely a neighbouring number (A035/A036 are two people):
    swapped characters (A053/A035), a changed letter (B017/A017), a digit too many or few."""
    if _distance(a, b) != 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1 and a[diff[0]].isdigit() and b[diff[0]].isdigit():
            return False
    return True


def link_checks(panel: pd.DataFrame) -> pd.DataFrame:
    """What does not fit in the linking of the panel interviews (reported, never repaired).

    Returns ``person``, ``art``, ``detail`` for: two interviews of a person in the same
    Panelwelle; Panelwellen out of order with the survey waves; a Panelwelle missing; a
    pseudonym that appears only once next to a near-identical one (possibly a typo); a trainee
    whose ``Betrieb`` changes (kept and shown).
    """
    rows = []
    for person, g in panel.groupby("person", sort=True):
        dup = g[g["panelwelle"].duplicated(keep=False) & g["panelwelle"].notna()]
        for pw, d in dup.groupby("panelwelle"):
            rows.append(
                (
                    person,
                    "doppelte Panelwelle",
                    f"Panelwelle {pw} in {', '.join(d['document_name'])} "
                    f"(Wellen {', '.join(d['welle'])})",
                )
            )
        if g["panelwelle"].isna().any():
            rows.append(
                (
                    person,
                    "Panelwelle fehlt",
                    "ohne Panelwelle: " + ", ".join(g.loc[g["panelwelle"].isna(), "document_name"]),
                )
            )
        ordered = g.dropna(subset=["panelwelle"]).sort_values(["welle", "panelwelle"])
        pws = ordered["panelwelle"].astype(int).tolist()
        if any(b < a for a, b in zip(pws, pws[1:], strict=False)):
            rows.append(
                (
                    person,
                    "Reihenfolge",
                    "Panelwellen in Wellenfolge: "
                    + ", ".join(
                        f"{w}: {p}"
                        for w, p in zip(ordered["welle"], ordered["panelwelle"], strict=True)
                    ),
                )
            )
        firms = [b for b in dict.fromkeys(g["betrieb"].dropna().astype(str)) if b]
        if len(firms) > 1:
            rows.append((person, "Betriebswechsel", " → ".join(firms)))
    counts = panel.groupby("person").size()
    waves_of = panel.groupby("person")["welle"].agg(set)
    # spelling variants (A17/A017) stop the import already (E010); compare as written here
    keys = {p: re.sub(r"[\s_\-]+", "", p).casefold() for p in counts.index}
    for person in sorted(counts.index):
        if counts[person] != 1:
            continue
        near = [
            other
            for other in sorted(counts.index)
            if other != person
            and counts[other] >= 2
            and not waves_of[other] & waves_of[person]  # interviewed together: two people
            and _looks_like_typo(keys[person], keys[other])
        ]
        if near:
            rows.append(
                (
                    person,
                    "Pseudonym nur einmal",
                    f"nur ein Interview; ähnlich: {', '.join(near)} – Tippfehler? "
                    "Bitte im Variablenexport prüfen (nicht zusammengeführt)",
                )
            )
    return (
        pd.DataFrame(rows, columns=["person", "art", "detail"])
        .sort_values(["person", "art"], kind="mergesort")
        .reset_index(drop=True)
    )


def _balance(codings: pd.DataFrame, up: str, down: str) -> pd.Series:
    """(S - F) / (S + F) per document from the weights of the ``up``/``down`` segments."""
    part = codings[codings["code"].isin([up, down])]
    weight = part["weight"].fillna(UNRATED).astype(float).replace(UNRATED, UNRATED_AS)
    signed = pd.DataFrame(
        {
            "doc_id": part["doc_id"],
            "s": weight.where(part["code"] == up, 0.0),
            "f": weight.where(part["code"] == down, 0.0),
        }
    )
    sums = signed.groupby("doc_id")[["s", "f"]].sum()
    total = sums["s"] + sums["f"]
    return ((sums["s"] - sums["f"]) / total.where(total > 0)).fillna(0.0)


def interview_measures(panel: pd.DataFrame, codings: pd.DataFrame) -> pd.DataFrame:
    """Per panel interview: ``bilanz``, ``bewaeltigung_bilanz`` (0 where nothing is coded),
    ``was`` and the flags ``abbruch`` and ``freizeit`` (code present in the interview)."""
    af = _balance(codings, *AF)
    bf = _balance(codings, *BF)
    coded = codings.groupby("doc_id")["code"].agg(set)
    out = panel.copy()
    out["bilanz"] = out["doc_id"].map(af).fillna(0.0).astype(float).round(4)
    out["bewaeltigung_bilanz"] = out["doc_id"].map(bf).fillna(0.0).astype(float).round(4)
    codes = out["doc_id"].map(coded)
    out["abbruch"] = [isinstance(c, set) and ABBRUCH in c for c in codes]
    out["freizeit"] = [isinstance(c, set) and FREIZEIT in c for c in codes]
    return out


def classify(levels: Sequence[float], delta: float) -> tuple[str, bool]:
    """Type of a trajectory from its levels in Panelwelle order (two or three values).

    Returns (type, provisional-by-length): with two levels the type rests on Δ1 alone.
    """
    if len(levels) < 2:
        raise ValueError("a trajectory needs at least two interviews")
    d1 = levels[1] - levels[0]
    if len(levels) == 2:
        if abs(d1) < delta:
            return "stabil", True
        return ("steigend" if d1 >= delta else "fallend"), True
    d2 = levels[2] - levels[1]
    if abs(d1) < delta and abs(d2) < delta:
        return "stabil", False
    if d1 >= delta and d2 <= -delta:
        return "Einbruch", False
    if d1 <= -delta and d2 >= delta:
        return "Erholung", False
    if d1 > -delta and d2 > -delta:
        return "steigend", False
    return "fallend", False  # d1 < delta and d2 < delta


def band(value: float, cuts: Sequence[float], labels: Sequence[str]) -> str:
    """The band of a level: below the first cut, between, from the second cut on."""
    if pd.isna(value):
        return ""
    return labels[int(np.searchsorted(np.asarray(cuts), value, side="right"))]


def trajectory_types(
    measures: pd.DataFrame,
    checks: pd.DataFrame,
    last_wave: str,
    params: PanelParams,
) -> pd.DataFrame:
    """One row per person: ``person``, ``typ``, ``vorlaeufig``, ``anzahl_interviews``,
    ``niveau`` (``was`` or ``bilanz``), ``delta1``, ``delta2``, ``letzte_panelwelle``,
    ``letzte_welle``, ``ausgeschieden``, ``abbruch``, ``grund``.

    * ``Abbruch`` when ``Ausbildungsverlauf > Abbruch`` is coded in any interview;
    * ``unvollständig`` with one interview;
    * ``prüfen`` when the linking is unclear (two interviews in one Panelwelle, Panelwellen out
      of order or missing): the person is listed in the linking checks instead of guessed;
    * otherwise typed on ``was`` (if present in every interview) or ``bilanz``.

    A person with fewer than three interviews whose next interview is still due (its survey
    wave is later than ``last_wave``) is provisional; one whose next interview was due and is
    missing has left the panel (``ausgeschieden``) and is typed on what there is.
    """
    unclear = set(
        checks.loc[
            checks["art"].isin(["doppelte Panelwelle", "Reihenfolge", "Panelwelle fehlt"]),
            "person",
        ]
    )
    rows = []
    for person, g in measures.groupby("person", sort=True):
        g = g.sort_values(["panelwelle", "welle"], kind="mergesort")
        n = len(g)
        last_pw = g["panelwelle"].max()
        last_w = g["welle"].max()
        due = next_wave(last_w) <= last_wave
        left = bool(pd.notna(last_pw) and int(last_pw) < 3 and due)
        still_due = bool(pd.notna(last_pw) and int(last_pw) < 3 and not due)
        level = "was" if g["was"].notna().all() else "bilanz"
        values = g[level].astype(float).tolist()
        d1 = values[1] - values[0] if n >= 2 else np.nan
        d2 = values[2] - values[1] if n >= 3 else np.nan
        abbruch = bool(g["abbruch"].any())
        grund = ""
        if abbruch:
            typ, provisional = "Abbruch", False
        elif person in unclear:
            typ, provisional = "prüfen", False
            grund = "Verknüpfung unklar (siehe qualitaet/panel_verknuepfung.csv)"
        elif n == 1:
            typ, provisional = "unvollständig", still_due
        else:
            typ, _ = classify(values[:3], params.delta(level))
            provisional = n < 3 and still_due
        rows.append(
            {
                "person": person,
                "typ": typ,
                "vorlaeufig": provisional,
                "anzahl_interviews": n,
                "niveau": level,
                "delta1": None if np.isnan(d1) else round(d1, 4),
                "delta2": None if np.isnan(d2) else round(d2, 4),
                "letzte_panelwelle": None if pd.isna(last_pw) else int(last_pw),
                "letzte_welle": last_w,
                "ausgeschieden": left,
                "abbruch": abbruch,
                "grund": grund,
            }
        )
    return pd.DataFrame(rows)
