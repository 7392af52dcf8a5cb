"""Tables of the panel analysis: trajectories per interview, types, transitions, attrition and
the crosstabs the research question asks for (does attending in free time go with falling
work ability?)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from asaqda.absent import absent_note, note_table
from asaqda.panel.trajectories import ABBRUCH, AF, BF, FREIZEIT, TYPES, PanelParams, band
from asaqda.tables.companies import PRACTICE_CODES

__all__ = [
    "VERLAUF_COLUMNS",
    "TYPE_COLUMNS",
    "verlauf_table",
    "type_distribution",
    "transitions",
    "band_table",
    "attrition",
    "crosstab",
    "support_crosstab",
    "typology_rules",
    "PANEL_CODES",
    "absent_panel_codes",
    "absent_events_note",
]

VERLAUF_COLUMNS = [
    "person",
    "panelwelle",
    "welle",
    "was",
    "bilanz",
    "bewaeltigung_bilanz",
    "betrieb",
    "kodiert",
    "ereignisse",
]
TYPE_COLUMNS = ["person", "typ", "vorlaeufig", "anzahl_interviews"]


def verlauf_table(measures: pd.DataFrame) -> pd.DataFrame:
    """``tables/arbeitsfaehigkeit_verlauf.csv``: one row per person and Panelwelle."""
    return (
        measures[VERLAUF_COLUMNS]
        .sort_values(["person", "panelwelle", "welle"], kind="mergesort")
        .reset_index(drop=True)
    )


def _share(n: pd.Series) -> pd.Series:
    total = n.sum()
    return (100 * n / total).round(1) if total else n * 0.0


def type_distribution(types: pd.DataFrame) -> pd.DataFrame:
    """Persons per type: ``typ``, ``n``, ``anteil_prozent``, ``davon_vorlaeufig``."""
    rows = []
    for typ in TYPES:
        sel = types[types["typ"] == typ]
        rows.append({"typ": typ, "n": len(sel), "davon_vorlaeufig": int(sel["vorlaeufig"].sum())})
    out = pd.DataFrame(rows)
    out.insert(2, "anteil_prozent", _share(out["n"]))
    return out


def band_table(measures: pd.DataFrame, types: pd.DataFrame, params: PanelParams) -> pd.DataFrame:
    """Person × Panelwelle (1, 2, 3): the band of the level the person's type rests on; NaN
    where the person has no interview in that Panelwelle."""
    level = types.set_index("person")["niveau"]
    data = measures.dropna(subset=["panelwelle"]).drop_duplicates(["person", "panelwelle"])
    data = data.assign(
        band=[
            band(
                r.was if level.get(r.person) == "was" else r.bilanz,
                params.bands[level.get(r.person, "bilanz")],
                params.band_labels,
            )
            for r in data.itertuples(index=False)
        ]
    )
    return data.pivot(index="person", columns="panelwelle", values="band").reindex(
        columns=[1, 2, 3]
    )


def transitions(measures: pd.DataFrame, types: pd.DataFrame, params: PanelParams) -> pd.DataFrame:
    """Level bands from one Panelwelle to the next: ``von_panelwelle``, ``nach_panelwelle``,
    ``von``, ``nach``, ``n`` (persons). A person's level is the one its type rests on."""
    wide = band_table(measures, types, params)
    rows = []
    for a, b in ((1, 2), (2, 3)):
        for frm in params.band_labels:
            for to in params.band_labels:
                n = int(((wide[a] == frm) & (wide[b] == to)).sum())
                rows.append(
                    {"von_panelwelle": a, "nach_panelwelle": b, "von": frm, "nach": to, "n": n}
                )
    return pd.DataFrame(rows)


def attrition(types: pd.DataFrame) -> pd.DataFrame:
    """Persons who left the panel before their third interview (``ausgeschieden``: the next
    interview was due and is missing, or ``Abbruch`` is coded in their last interview; a person
    interviewed again after an ``Abbruch`` has not left): ``person``, ``letzte_panelwelle``,
    ``letzte_welle``, ``anzahl_interviews``, ``abbruch_kodiert``."""
    left = types[types["ausgeschieden"].astype(bool)]
    return (
        left.rename(columns={"abbruch": "abbruch_kodiert"})[
            ["person", "letzte_panelwelle", "letzte_welle", "anzahl_interviews", "abbruch_kodiert"]
        ]
        .sort_values("person")
        .reset_index(drop=True)
    )


def crosstab(types: pd.DataFrame, by: pd.Series, column: str) -> pd.DataFrame:
    """Persons per type and value of ``by`` (indexed by person): ``typ``, ``column``, ``n``,
    ``anteil_prozent`` (share within the value of ``by``), every combination listed."""
    frame = types[["person", "typ"]].assign(**{column: types["person"].map(by).fillna("unbekannt")})
    values = sorted(frame[column].unique())
    counts = frame.groupby(["typ", column]).size()
    rows = [{"typ": t, column: v, "n": int(counts.get((t, v), 0))} for v in values for t in TYPES]
    out = pd.DataFrame(rows, columns=["typ", column, "n"])
    out["anteil_prozent"] = out.groupby(column)["n"].transform(_share)
    return out


def support_crosstab(types: pd.DataFrame, used: pd.DataFrame) -> pd.DataFrame:
    """Persons per type who used each support (``Unterstützung > ...`` coded in any of their
    interviews): ``unterstuetzung``, ``typ``, ``n``, ``von`` (persons of the type),
    ``anteil_prozent``."""
    sizes = types.groupby("typ").size()
    rows = []
    for support in sorted(used["code"].unique()):
        persons = set(used.loc[used["code"] == support, "person"])
        for typ in TYPES:
            of = int(sizes.get(typ, 0))
            n = int(types[(types["typ"] == typ) & types["person"].isin(persons)].shape[0])
            rows.append(
                {
                    "unterstuetzung": support.split(" > ", 1)[-1],
                    "typ": typ,
                    "n": n,
                    "von": of,
                    "anteil_prozent": round(100 * n / of, 1) if of else 0.0,
                }
            )
    return pd.DataFrame(rows, columns=["unterstuetzung", "typ", "n", "von", "anteil_prozent"])


def typology_rules(params: PanelParams) -> pd.DataFrame:
    """``tables/verlaufstypen_regeln.csv``: the thresholds the types of this run rest on, for
    the methods section of the report.

    Parameters
    ----------
    params
        The panel settings of the run.

    Returns
    -------
    pd.DataFrame
        ``regel`` (config key), ``wert``, ``bedeutung`` (German), one row per threshold.
    """
    rows = [
        (
            "delta_was",
            params.delta_was,
            "Veränderung des WAS (0–10) zwischen zwei Panelwellen, ab der ein Zeitraum steigt "
            "oder fällt (genau δ zählt als Veränderung)",
        ),
        (
            "delta_bilanz",
            params.delta_bilanz,
            "Bilanz (−1 bis 1) der Ereignisse, die das spätere Interview für den Zeitraum "
            "berichtet, ab der ein Zeitraum ohne WAS steigt oder fällt",
        ),
        (
            "bilanz_min_events",
            params.bilanz_min_events,
            "mindestens so viele Ereignisse Arbeitsfähigkeit braucht ein Interview, damit seine "
            "Bilanz einen Zeitraum typisiert; sonst „prüfen“",
        ),
        (
            "bilanz_z",
            params.bilanz_z,
            "die Bilanz muss so viele (größtmögliche) Standardfehler von 0 entfernt sein "
            "(Veränderung) oder mit diesem Abstand innerhalb ±δ liegen (gleichbleibend); "
            "sonst „prüfen“",
        ),
    ]
    out = pd.DataFrame(rows, columns=["regel", "wert", "bedeutung"])
    out["wert"] = pd.Series([r[1] for r in rows], dtype=object)  # 3 stays 3, not 3.0
    return out


#: what the panel is built on: key -> (what, in German; the code paths). The first three are
#: crosstabs (replaced by a note when their codes are absent), the others feed the types.
PANEL_CODES: dict[str, tuple[str, tuple[str, ...]]] = {
    "nach_freistellung": (
        "die Freistellungspraxis",
        PRACTICE_CODES,
    ),
    "nach_freizeit": ("die Teilnahme in der Freizeit", (FREIZEIT,)),
    "nach_unterstuetzung": ("die Unterstützung", ("Unterstützung",)),
    "bilanz": ("die Arbeitsfähigkeit", AF),
    "bewaeltigung": ("die Bewältigungsfähigkeit", BF),
    "abbruch": ("den Abbruch", (ABBRUCH,)),
}
_TYPE_NOTES = {
    "bilanz": "die Bilanz der Arbeitsfähigkeit bleibt leer, der Verlaufstyp beruht nur auf dem WAS",
    "bewaeltigung": "die Bilanz der Bewältigungsfähigkeit bleibt leer",
    "abbruch": "ein Abbruch kann nicht erkannt werden",
}


def absent_panel_codes(
    tables: dict[str, pd.DataFrame], paths: Iterable[str]
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Replace the panel crosstabs whose codes the codebook lacks by a note, and say what the
    types cannot use.

    Parameters
    ----------
    tables
        the result of :func:`asaqda.stages.panel_analysis` (keys ``nach_freistellung``,
        ``nach_freizeit``, ``nach_unterstuetzung`` when there is a panel)
    paths
        the codebook's code paths

    Returns
    -------
    (tables, notes)
        a copy of ``tables`` with each affected crosstab one row of
        :func:`asaqda.absent.absent_note`; the German notes, crosstabs first, then one per
        absent code group the types rest on (``Die Codes für die Arbeitsfähigkeit fehlen im
        Codebuch (…); die Bilanz der Arbeitsfähigkeit bleibt leer, …``), in
        :data:`PANEL_CODES` order. Nothing absent: the tables unchanged and no notes.
    """
    paths = list(paths)
    out = dict(tables)
    notes = []
    for key, (what, roots) in PANEL_CODES.items():
        note = absent_note(what, roots, paths)
        if note is None:
            continue
        if key in _TYPE_NOTES:
            notes.append(note.replace("diese Tabelle bleibt leer", _TYPE_NOTES[key]))
        elif key in out:
            out[key] = note_table(note, list(out[key].columns))
            notes.append(note)
    return out, notes


def absent_events_note(paths: Iterable[str]) -> str:
    """The note of a portrait page when the codebook has none of the event codes
    (``Arbeitsfähigkeit > …``, ``Bewältigungsfähigkeit > …``), else ``''``.

    Parameters
    ----------
    paths
        the codebook's code paths

    Returns
    -------
    str
    """
    note = absent_note("die Arbeits- und Bewältigungsfähigkeit", (*AF, *BF), list(paths))
    return "" if note is None else note.replace("diese Tabelle bleibt leer", "keine Ereignisse")
