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
    "TOLERANCE",
    "LINK_PROBLEMS",
    "classify",
    "step",
    "bilanz_step",
    "type_of_steps",
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
#: thresholds are compared with this tolerance: a change of exactly δ is a change, also when
#: floating point gives 0.35 - 0.1 = 0.2499…
TOLERANCE = 1e-9
#: linking problems that make a person ``prüfen`` (the others are shown, the type is kept)
LINK_PROBLEMS = (
    "doppelte Panelwelle",
    "Reihenfolge",
    "Panelwelle fehlt",
    "Panelwelle übersprungen",
)


@dataclass(frozen=True)
class PanelParams:
    """Settings of the panel analysis (config section ``panel``).

    ``delta_was``: the change in WAS (0-10) between two Panelwellen that counts as a change.
    ``delta_bilanz``: the balance (-1 to 1) of the events an interview reports for the period
    since the previous one that counts as a change. ``bilanz_min_events``: the fewest
    ``Arbeitsfähigkeit`` events an interview must report for its balance to be used at all.
    ``bilanz_z``: how many (largest possible) standard errors the balance must lie from 0 for a
    change, and the margin by which it must lie within ±``delta_bilanz`` for no change.
    """

    delta_was: float = 1.0
    delta_bilanz: float = 0.5
    bilanz_min_events: int = 3
    bilanz_z: float = 1.96
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


def _half_years(wave: str) -> int | None:
    """A survey wave ``JJJJ-1``/``JJJJ-2`` as a count of half-years (None if not that form)."""
    found = re.fullmatch(r"(\d{4})-([12])", str(wave).strip())
    return int(found[1]) * 2 + int(found[2]) - 1 if found else None


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
    Panelwelle; Panelwellen out of order with the survey waves; a Panelwelle missing
    (``Panelwelle fehlt``: an interview without the variable); a Panelwelle skipped
    (``Panelwelle übersprungen``: 1, then 3); two consecutive Panelwellen that are not one year
    apart (``Abstand``: shown, the type is kept); a pseudonym that appears only once next to a
    near-identical one (possibly a typo); a trainee whose ``Betrieb`` changes (kept and shown).
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
        present = sorted(set(pws))
        gaps = [k for k in range(1, max(present, default=0) + 1) if k not in present]
        if gaps and g["panelwelle"].notna().all():  # else "Panelwelle fehlt" explains it
            rows.append(
                (
                    person,
                    "Panelwelle übersprungen",
                    f"Panelwellen {', '.join(map(str, present))}: Panelwelle "
                    f"{', '.join(map(str, gaps))} fehlt – Interview nicht importiert oder "
                    "Panelwelle falsch eingetragen? Bitte im Variablenexport prüfen",
                )
            )
        by_pw = ordered.drop_duplicates("panelwelle").sort_values("panelwelle")
        for (pa, wa), (pb, wb) in zip(
            zip(by_pw["panelwelle"], by_pw["welle"], strict=True),
            list(zip(by_pw["panelwelle"], by_pw["welle"], strict=True))[1:],
            strict=False,
        ):
            ha, hb = _half_years(wa), _half_years(wb)
            # out of order is reported as "Reihenfolge" already
            if ha is None or hb is None or hb <= ha or hb - ha == 2 * (int(pb) - int(pa)):
                continue
            rows.append(
                (
                    person,
                    "Abstand",
                    f"Panelwelle {pa} ({wa}) → {pb} ({wb}): {6 * (hb - ha)} Monate statt "
                    f"{12 * (int(pb) - int(pa))} – Typ trotzdem bestimmt; bitte Welle und "
                    "Panelwelle im Variablenexport prüfen",
                )
            )
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


def _balance(codings: pd.DataFrame, up: str, down: str) -> pd.DataFrame:
    """Per document with ``up``/``down`` segments: ``bilanz`` = (S - F) / (S + F) over their
    weights, ``ereignisse`` (segments), ``se`` = sqrt(Σw²) / Σw, the largest standard error a
    balance of these weights can have (events of either sign equally likely)."""
    part = codings[codings["code"].isin([up, down])]
    weight = part["weight"].fillna(UNRATED).astype(float).replace(UNRATED, UNRATED_AS)
    signed = pd.DataFrame(
        {
            "doc_id": part["doc_id"],
            "s": weight.where(part["code"] == up, 0.0),
            "f": weight.where(part["code"] == down, 0.0),
            "w2": weight**2,
        }
    )
    sums = signed.groupby("doc_id").agg(
        s=("s", "sum"), f=("f", "sum"), w2=("w2", "sum"), ereignisse=("s", "size")
    )
    total = sums["s"] + sums["f"]
    return pd.DataFrame(
        {
            "bilanz": (sums["s"] - sums["f"]) / total.where(total > 0),
            "ereignisse": sums["ereignisse"],
            "se": np.sqrt(sums["w2"]) / total.where(total > 0),
        }
    )


def interview_measures(panel: pd.DataFrame, codings: pd.DataFrame) -> pd.DataFrame:
    """Per panel interview: ``kodiert`` (the interview has any coding), ``ereignisse`` (its
    ``Arbeitsfähigkeit`` segments), ``bilanz`` and ``bilanz_se`` (see :func:`_balance`),
    ``bewaeltigung_bilanz``, ``was`` and the flags ``abbruch`` and ``freizeit`` (code present).

    An interview nobody has coded gives no balance (``bilanz`` empty, not 0), nor does a coded
    interview without ``Arbeitsfähigkeit`` events (``ereignisse`` 0): a balance of nothing is
    not a level of 0.
    """
    af = _balance(codings, *AF)
    bf = _balance(codings, *BF)
    coded = codings.groupby("doc_id")["code"].agg(set)
    out = panel.copy()
    out["kodiert"] = out["doc_id"].isin(coded.index)
    out["ereignisse"] = out["doc_id"].map(af["ereignisse"]).fillna(0).astype(int)
    out["bilanz"] = out["doc_id"].map(af["bilanz"]).astype(float).round(4)
    out["bilanz_se"] = out["doc_id"].map(af["se"]).astype(float).round(4)
    out["bewaeltigung_bilanz"] = out["doc_id"].map(bf["bilanz"]).astype(float).round(4)
    codes = out["doc_id"].map(coded)
    out["abbruch"] = [isinstance(c, set) and ABBRUCH in c for c in codes]
    out["freizeit"] = [isinstance(c, set) and FREIZEIT in c for c in codes]
    return out


def step(change: float, delta: float) -> int:
    """The direction of one change, compared with :data:`TOLERANCE` so that a change of
    exactly δ counts.

    Parameters
    ----------
    change
        The difference of two levels (later minus earlier).
    delta
        The threshold δ.

    Returns
    -------
    int
        1 when ``change >= delta``, -1 when ``change <= -delta``, else 0.
    """
    if change >= delta - TOLERANCE:
        return 1
    if change <= -delta + TOLERANCE:
        return -1
    return 0


def bilanz_step(
    bilanz: float, se: float, events: int, params: PanelParams
) -> tuple[int | None, str]:
    """The direction of one period from the balance of the events the later interview reports
    for it, or None with the reason when the evidence does not decide.

    A change (1 or -1) needs at least ``bilanz_min_events`` events, ``|bilanz| >= δ`` and
    ``|bilanz| >= z·se`` (the balance lies ``bilanz_z`` of its largest standard errors away
    from 0). No change (0) needs the events and ``|bilanz| + z·se < δ`` (the whole interval
    lies within ±δ, an equivalence test). Anything in between is undecided.

    Parameters
    ----------
    bilanz
        The balance (S - F) / (S + F) of the later interview (NaN: none).
    se
        Its largest standard error, sqrt(Σw²) / Σw.
    events
        The number of ``Arbeitsfähigkeit`` events (segments) it rests on.
    params
        ``delta_bilanz``, ``bilanz_min_events`` and ``bilanz_z``.

    Returns
    -------
    tuple[int | None, str]
        The direction (1, 0, -1) or None, and the German reason when it is None.
    """
    delta, z = params.delta_bilanz, params.bilanz_z
    if events < params.bilanz_min_events or pd.isna(bilanz):
        return (
            None,
            f"{events} {'Ereignis' if events == 1 else 'Ereignisse'} Arbeitsfähigkeit "
            f"(mindestens {params.bilanz_min_events})",
        )
    size = abs(bilanz)
    if size >= delta - TOLERANCE and size >= z * se - TOLERANCE:
        return (1 if bilanz > 0 else -1), ""
    if size + z * se < delta - TOLERANCE:
        return 0, ""
    return None, (
        f"Bilanz {_de(bilanz)} aus {events} Ereignissen, Unsicherheit ±{_de(z * se)}: weder "
        f"Veränderung noch Gleichbleiben belegt (δ = {_de(delta)})"
    )


def _de(x: float) -> str:
    """A number with two decimals and a decimal comma."""
    return f"{x:.2f}".replace(".", ",")


def type_of_steps(steps: Sequence[int]) -> str:
    """The type from the directions of one or two periods (1 rising, 0 none, -1 falling):
    ``stabil`` (no change), ``Einbruch`` (up, then down), ``Erholung`` (down, then up),
    ``steigend`` (up and never down), ``fallend`` (down and never up).

    Parameters
    ----------
    steps
        The direction of Δ1 and, if known, Δ2.

    Returns
    -------
    str
        One of the five trajectory types.

    Raises
    ------
    ValueError
        When ``steps`` is empty.
    """
    if not steps:
        raise ValueError("a trajectory needs at least one period")
    if all(s == 0 for s in steps):
        return "stabil"
    if len(steps) >= 2 and steps[0] == 1 and steps[1] == -1:
        return "Einbruch"
    if len(steps) >= 2 and steps[0] == -1 and steps[1] == 1:
        return "Erholung"
    return "steigend" if -1 not in steps else "fallend"


def classify(levels: Sequence[float], delta: float) -> tuple[str, bool]:
    """Type of a trajectory from its levels in Panelwelle order (two or three values).

    Returns (type, provisional-by-length): with two levels the type rests on Δ1 alone. A change
    of exactly δ is a change (compared with :data:`TOLERANCE`).
    """
    if len(levels) < 2:
        raise ValueError("a trajectory needs at least two interviews")
    steps = [step(b - a, delta) for a, b in zip(levels[:3], levels[1:3], strict=False)]
    return type_of_steps(steps), len(levels) == 2


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
    * ``prüfen`` when the linking is unclear (:data:`LINK_PROBLEMS`): the person is listed in
      the linking checks instead of guessed;
    * ``unvollständig`` with one interview;
    * otherwise from the direction of each period between two consecutive Panelwellen: from
      the change in ``was`` where both interviews have it (δ = ``delta_was``), else from the
      balance of the events the later interview reports for the period (:func:`bilanz_step`).
      A period whose balance does not decide makes the person ``prüfen``; a period whose later
      interview nobody has coded yet is open: the type rests on the periods before it (or is
      ``unvollständig``) and is provisional. ``delta1``/``delta2`` hold what each period was
      typed on (the change in WAS, or the balance).

    A person with fewer than three interviews whose next interview is still due (its survey
    wave is later than ``last_wave``) is provisional, as is one with an interview nobody has
    coded yet; one whose next interview was due and is missing has left the panel
    (``ausgeschieden``) and is typed on what there is. So has one with ``Abbruch`` coded in
    their last interview before Panelwelle 3; one interviewed again after an ``Abbruch`` has
    not left (the type stays ``Abbruch``, ``grund`` says so).
    """
    unclear = set(checks.loc[checks["art"].isin(LINK_PROBLEMS), "person"])
    spacing = set(checks.loc[checks["art"] == "Abstand", "person"])
    rows = []
    for person, g in measures.groupby("person", sort=True):
        g = g.sort_values(["panelwelle", "welle"], kind="mergesort").reset_index(drop=True)
        n = len(g)
        last_pw = g["panelwelle"].max()
        last_pw = None if pd.isna(last_pw) else int(last_pw)
        last_w = g["welle"].max()
        early = last_pw is not None and last_pw < 3
        due = next_wave(last_w) <= last_wave
        abbruch = bool(g["abbruch"].any())
        by_wave = g.sort_values("welle", kind="mergesort")
        again = abbruch and not bool(by_wave["abbruch"].iloc[-1])
        left = bool(early and (due or (abbruch and not again)))
        still_due = bool(early and not due)
        uncoded = g.loc[~g["kodiert"].astype(bool), "document_name"].tolist()
        steps: list[int | None | str] = []
        values: list[float | None] = []
        sources: list[str] = []
        notes: list[str] = []
        for i in range(min(n, 3) - 1):
            a, b = g.iloc[i], g.iloc[i + 1]
            if pd.notna(a["was"]) and pd.notna(b["was"]):
                change = float(b["was"]) - float(a["was"])
                steps.append(step(change, params.delta_was))
                values.append(round(change, 4))
                sources.append("was")
                continue
            sources.append("bilanz")
            if not bool(b["kodiert"]):
                steps.append("offen")
                values.append(None)
                continue
            direction, why = bilanz_step(
                float(b["bilanz"]), float(b["bilanz_se"]), int(b["ereignisse"]), params
            )
            steps.append(direction)
            values.append(None if pd.isna(b["bilanz"]) else round(float(b["bilanz"]), 4))
            if direction is None:
                notes.append(f"Panelwelle {b['panelwelle']} ({b['document_name']}): {why}")
        if sources:
            level = "was" if all(src == "was" for src in sources) else "bilanz"
        else:
            level = "was" if g["was"].notna().all() else "bilanz"
        grund: list[str] = []
        if abbruch:
            typ, provisional = "Abbruch", False
            if again:
                first = by_wave[by_wave["abbruch"]].iloc[0]
                grund.append(
                    f"Abbruch in Panelwelle {first['panelwelle']} kodiert, danach erneut "
                    "interviewt: kein Panelschwund"
                )
        elif person in unclear:
            typ, provisional = "prüfen", False
            grund.append("Verknüpfung unklar (siehe qualitaet/panel_verknuepfung.csv)")
        elif n == 1:
            typ, provisional = "unvollständig", still_due or bool(uncoded)
        elif notes:
            typ, provisional = "prüfen", False
            grund.append("Bilanz entscheidet nicht – " + "; ".join(notes))
        elif "offen" in steps:
            known = [int(x) for x in steps[: steps.index("offen")]]  # type: ignore[call-overload]
            typ = type_of_steps(known) if known else "unvollständig"
            provisional = True
        else:
            typ = type_of_steps([int(x) for x in steps])  # type: ignore[call-overload]
            provisional = (n < 3 and still_due) or bool(uncoded)
        if uncoded and typ == "prüfen":
            grund.append(f"noch nicht kodiert: {', '.join(uncoded)}")
        elif uncoded and typ != "Abbruch":
            grund.append(
                f"noch nicht kodiert: {', '.join(uncoded)} – Typ vorläufig "
                + (
                    "(nach WAS; Abbruch noch nicht geprüft)"
                    if level == "was"
                    else "(ohne Bilanz dieser Panelwelle)"
                )
            )
        if len(set(sources)) > 1:
            grund.append(
                "typisiert nach "
                + ", ".join(
                    f"Δ{k} {'WAS' if src == 'was' else 'Bilanz'}"
                    for k, src in enumerate(sources, 1)
                )
            )
        if person in spacing:
            grund.append(
                "Panelwellen nicht ein Jahr auseinander (siehe qualitaet/panel_verknuepfung.csv)"
            )
        rows.append(
            {
                "person": person,
                "typ": typ,
                "vorlaeufig": bool(provisional),
                "anzahl_interviews": n,
                "niveau": level,
                "delta1": values[0] if len(values) >= 1 else None,
                "delta2": values[1] if len(values) >= 2 else None,
                "letzte_panelwelle": last_pw,
                "letzte_welle": last_w,
                "ausgeschieden": left,
                "abbruch": abbruch,
                "grund": "; ".join(grund),
            }
        )
    return pd.DataFrame(rows)
