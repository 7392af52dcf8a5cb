"""How well the trajectory typology recovers the types the demo generator planted.

The generator plants a type per panel person (``stabil``, ``steigend``, ``fallend``,
``Einbruch``, ``Erholung``; ``Abbruch`` for drop-outs), draws WAS levels from it for three in
four persons and rising/falling events (more rising in a rising period) for everybody. This
script builds the corpus tables straight from the generator (no export, no import), types
every person with :func:`asaqda.stages.panel_analysis` and counts, for the persons with three
interviews and no Abbruch:

* on each path (WAS, Bilanz): persons typed (not ``prüfen``), typed as planted, ``prüfen``;
* the Bilanz path alone on the WAS persons (their WAS removed);
* the periods (Panelwelle 2 and 3, coded) the balance decides, and how many as planted.

A type that rests on Δ1 alone (third interview not coded yet, no WAS) counts as right when it
matches the planted direction of Δ1.

Usage: python benchmarks/panel_typology.py [demo|full]   (default: both)
"""

from __future__ import annotations

import random
import sys
import time

import pandas as pd


def corpus(scale: str) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, tuple[str, bool, int]]]:
    """Documents, codings and the planted (type, has WAS, interviews) per panel person."""
    from asaqda.demo.generator import (
        SECOND_CODING_GROUP,
        _companies,
        _panel,
        generate_corpus,
        waves_for,
    )

    interviews = generate_corpus(scale, seed=2024)  # type: ignore[arg-type]
    # the generator's own draws, in its order, give the planted types
    rng = random.Random(2024)
    companies = _companies(rng, 345 if scale == "full" else 24)
    trainees = _panel(rng, companies, len(waves_for(scale)))  # type: ignore[arg-type]
    planted = {
        t.pseudonym: ("Abbruch" if t.abbruch_at else t.trajectory, t.has_was, len(t.interviews))
        for t in trainees
    }
    docs, cods = [], []
    for iv in interviews:
        doc_id = f"{iv.wave}/{iv.group}/{iv.name}"
        docs.append(
            {
                "doc_id": doc_id,
                "document_name": iv.name,
                "wave": iv.wave,
                **{k: v for k, v in iv.variables.items() if k != "Welle"},
                "intercoder_copy": iv.group == SECOND_CODING_GROUP,
            }
        )
        cods += [{"doc_id": doc_id, "code": c.code, "weight": c.weight} for c in iv.codings]
    documents = pd.DataFrame(docs)
    documents = documents[~documents["intercoder_copy"]]
    # sanity check: the replayed draws are the generator's (WAS present exactly where planted)
    panel = documents[documents["Panel"] == "ja"]
    with_was = set(panel.loc[panel["WAS"].notna(), "Person"])
    assert with_was == {p for p, (_, w, _) in planted.items() if w}, "planted types drifted"
    return documents, pd.DataFrame(cods), planted


def expected(planted_type: str, on_delta1: bool) -> str:
    """What a type should be: the planted one, or the planted Δ1 direction when the type
    rests on Δ1 alone."""
    from asaqda.demo.generator import _DIRECTION

    if not on_delta1 or planted_type == "Abbruch":
        return planted_type
    return {1: "steigend", 0: "stabil", -1: "fallend"}[_DIRECTION[planted_type][0]]


def score(types: pd.DataFrame, persons: list[str], planted: dict) -> str:  # type: ignore[type-arg]
    got = types.loc[persons]
    typed = got[~got["typ"].isin(["prüfen", "unvollständig"])]
    right = sum(
        typed.loc[p, "typ"] == expected(planted[p][0], bool(pd.isna(typed.loc[p, "delta2"])))
        for p in typed.index
    )
    final = typed[~typed["vorlaeufig"].astype(bool)]
    return (
        f"{len(persons)} persons: typed {len(typed)} ({int(final.shape[0])} final), "
        f"{right} as planted; prüfen {int((got['typ'] == 'prüfen').sum())}"
    )


def periods(measures: pd.DataFrame, planted: dict) -> str:  # type: ignore[type-arg]
    from asaqda.demo.generator import _DIRECTION
    from asaqda.panel.trajectories import PanelParams, bilanz_step

    params = PanelParams()
    rows = measures[measures["kodiert"] & (measures["panelwelle"] >= 2)]
    rows = rows[[planted[p][0] != "Abbruch" for p in rows["person"]]]
    decided = right = 0
    for r in rows.itertuples(index=False):
        got, _ = bilanz_step(r.bilanz, r.bilanz_se, r.ereignisse, params)
        if got is None or planted[r.person][0] == "Abbruch":  # no planted direction
            continue
        decided += 1
        right += got == _DIRECTION[planted[r.person][0]][int(r.panelwelle) - 2]
    return f"{len(rows)} coded periods: the balance decides {decided}, {right} as planted"


def main(scale: str) -> None:
    from asaqda.panel.trajectories import PanelParams
    from asaqda.stages import panel_analysis

    documents, codings, planted = corpus(scale)
    start = time.perf_counter()
    result = panel_analysis(documents, codings, PanelParams())
    seconds = time.perf_counter() - start
    types = result["typen"].set_index("person")
    full = [p for p, (t, _, n) in sorted(planted.items()) if n == 3 and t != "Abbruch"]
    was = [p for p in full if planted[p][1]]
    bilanz = [p for p in full if not planted[p][1]]
    print(f"{scale}: {len(codings)} codings; panel analysis {seconds:.1f} s")
    print("  WAS path:   ", score(types, was, planted))
    print("  Bilanz path:", score(types, bilanz, planted))
    no_was = panel_analysis(documents.assign(WAS=None), codings, PanelParams())["typen"]
    print("  Bilanz path on the WAS persons:", score(no_was.set_index("person"), was, planted))
    print("  ", periods(result["measures"], planted))
    abbruch = [p for p, (t, _, _) in planted.items() if t == "Abbruch"]
    print(f"  Abbruch: {int((types.loc[abbruch, 'typ'] == 'Abbruch').sum())} of {len(abbruch)}")


if __name__ == "__main__":
    for name in sys.argv[1:] or ["demo", "full"]:
        main(name)
