"""The trainee panel: linking checks, measures, trajectory types, tables and figures."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from asaqda.panel.trajectories import (
    PanelParams,
    bilanz_step,
    classify,
    interview_measures,
    link_checks,
    panel_interviews,
    trajectory_types,
)
from asaqda.stages import panel_analysis, panel_step, portraits_step

AF_UP, AF_DOWN = "Arbeitsfähigkeit > steigend", "Arbeitsfähigkeit > fallend"
PARAMS = PanelParams()


@pytest.mark.parametrize(
    ("levels", "delta", "expected"),
    [
        ([5, 5.5, 5], 1.0, ("stabil", False)),
        ([5, 6, 5], 1.0, ("Einbruch", False)),  # Δ = δ exactly counts
        ([5, 4, 5], 1.0, ("Erholung", False)),
        ([5, 6, 7], 1.0, ("steigend", False)),
        ([5, 6, 6.5], 1.0, ("steigend", False)),
        ([5, 5.5, 7], 1.0, ("steigend", False)),
        ([5, 4, 3], 1.0, ("fallend", False)),
        ([5, 5, 4], 1.0, ("fallend", False)),
        ([0.0, 0.3, 0.0], 0.25, ("Einbruch", False)),
        ([0.0, 0.1], 0.25, ("stabil", True)),
        ([0.0, 0.25], 0.25, ("steigend", True)),
        ([0.0, -0.5], 0.25, ("fallend", True)),
    ],
)
def test_trajectory_types_follow_the_definition(
    levels: list[float], delta: float, expected: tuple[str, bool]
) -> None:
    assert classify(levels, delta) == expected


def seg(doc: str, code: str, weight: int) -> dict[str, object]:
    return {"doc_id": doc, "code": code, "weight": weight}


def test_panel_bilanz_counts_unrated_segments_as_50_and_is_empty_without_codings() -> None:
    panel = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3"],
            "person": ["A1"] * 3,
            "panelwelle": [1, 2, 3],
            "welle": ["2023-1", "2024-1", "2025-1"],
            "betrieb": ["U1"] * 3,
            "was": [None, None, None],
        }
    )
    codings = pd.DataFrame(
        [
            seg("d1", AF_UP, 0),  # unrated: 50
            seg("d1", AF_DOWN, 30),
            seg("d2", AF_DOWN, 80),
            seg("d2", "Bewältigungsfähigkeit > steigend", 40),
            seg("d2", "Ausbildungsverlauf > Abbruch", 0),
        ]
    )
    m = interview_measures(panel, codings)
    # d3 is not coded: no balance (not 0); d1 has no Bewältigung events: no balance either
    assert m["bilanz"].tolist()[:2] == [pytest.approx((50 - 30) / 80), -1.0]
    assert m["bilanz"].isna().tolist() == [False, False, True]
    assert m["bewaeltigung_bilanz"].isna().tolist() == [True, False, True]
    assert m.loc[1, "bewaeltigung_bilanz"] == 1.0
    assert m["kodiert"].tolist() == [True, True, False]
    assert m["ereignisse"].tolist() == [2, 1, 0]
    # largest standard error of a balance of weights 50 and 30: sqrt(50² + 30²) / 80
    assert m.loc[0, "bilanz_se"] == round((50**2 + 30**2) ** 0.5 / 80, 4)
    assert m["abbruch"].tolist() == [False, True, False]


def documents(rows: list[tuple[str, str, int, str, float | None]]) -> pd.DataFrame:
    """Panel documents from (person, wave, Panelwelle, Betrieb, WAS)."""
    return pd.DataFrame(
        [
            {
                "doc_id": f"{p}-{w}",
                "document_name": f"{p}_{w}",
                "wave": w,
                "Person": p,
                "Panel": "ja",
                "Panelwelle": pw,
                "Betrieb": b,
                "WAS": was,
                "Rolle": "Auszubildende",
                "intercoder_copy": False,
            }
            for p, w, pw, b, was in rows
        ]
    )


def test_linking_problems_are_reported_not_repaired() -> None:
    docs = documents(
        [
            ("A010", "2023-1", 1, "U1", 5),
            ("A010", "2024-1", 1, "U1", 5),  # Panelwelle 1 twice
            ("A020", "2023-1", 2, "U2", 5),
            ("A020", "2024-1", 1, "U2", 5),  # out of order
            ("A030", "2023-1", 1, "U3", 5),
            ("A030", "2024-1", 2, "U9", 5),  # company changes
            ("A035", "2023-1", 1, "U4", 5),
            ("A035", "2024-1", 2, "U4", 5),
            ("A053", "2025-1", 3, "U4", 5),  # once, a transposed A035?
            ("A036", "2025-1", 1, "U5", 5),  # once, but a neighbour number: a new person
        ]
    )
    checks = link_checks(panel_interviews(docs))
    found = set(zip(checks["person"], checks["art"], strict=True))
    assert found == {
        ("A010", "doppelte Panelwelle"),
        ("A020", "Reihenfolge"),
        ("A030", "Betriebswechsel"),
        ("A053", "Pseudonym nur einmal"),
        ("A053", "Panelwelle übersprungen"),  # only Panelwelle 3
    }
    assert "U3 → U9" in checks.loc[checks["person"] == "A030", "detail"].item()
    types = trajectory_types(
        interview_measures(
            panel_interviews(docs), pd.DataFrame(columns=["doc_id", "code", "weight"])
        ),
        checks,
        "2025-1",
        PARAMS,
    ).set_index("person")
    assert types.loc["A010", "typ"] == "prüfen" and types.loc["A020", "typ"] == "prüfen"
    assert types.loc["A030", "typ"] == "stabil"  # a company change is kept, not a problem
    assert types.loc["A053", "typ"] == "prüfen"
    assert types.loc["A036", "typ"] == "unvollständig"


def test_panel_each_period_is_typed_on_was_where_both_interviews_have_it() -> None:
    docs = documents(
        [
            ("A1", "2023-1", 1, "U1", 5),
            ("A1", "2024-1", 2, "U1", 7),
            ("A2", "2023-1", 1, "U1", 5),
            ("A2", "2024-1", 2, "U1", None),  # WAS missing: this period typed on Bilanz
            ("A3", "2023-1", 1, "U1", 5),
            ("A3", "2024-1", 2, "U1", 7),  # Δ1 on WAS: +2
            ("A3", "2025-1", 3, "U1", None),  # Δ2 on the Bilanz of Panelwelle 3
        ]
    )
    codings = pd.DataFrame(
        [seg("A1-2023-1", "Unterstützung > Deutschförderung", 0)]
        + [seg("A1-2024-1", "Unterstützung > Deutschförderung", 0)]
        + [seg("A2-2023-1", AF_UP, 50)]
        + [seg("A2-2024-1", AF_DOWN, 0)] * 4  # balance -1 from 4 events: SE 0.5
        + [seg("A3-2023-1", AF_UP, 50), seg("A3-2024-1", AF_UP, 50)]
        + [seg("A3-2025-1", AF_DOWN, 80)] * 4  # balance -1 from 4 events: SE 0.5
    )
    types = trajectory_types(
        interview_measures(panel_interviews(docs), codings),
        pd.DataFrame(columns=["person", "art"]),
        "2024-1",
        PARAMS,
    ).set_index("person")
    assert types.loc["A1", ["niveau", "typ", "vorlaeufig"]].tolist() == ["was", "steigend", True]
    assert types.loc["A2", ["niveau", "typ", "delta1"]].tolist() == ["bilanz", "fallend", -1.0]
    assert types.loc["A3", ["niveau", "typ", "delta1", "delta2"]].tolist() == [
        "bilanz",
        "Einbruch",
        2.0,
        -1.0,
    ]
    assert types.loc["A3", "grund"] == "typisiert nach Δ1 WAS, Δ2 Bilanz"


def test_provisional_types_become_final_when_the_next_wave_arrives() -> None:
    rows = [
        ("A1", "2023-1", 1, "U1", 5),
        ("A1", "2024-1", 2, "U1", 5),
        ("A2", "2023-1", 1, "U1", 5),
        ("A2", "2024-1", 2, "U1", 7),
    ]
    codings = pd.DataFrame([seg("A2-2024-1", "Ausbildungsverlauf > Abbruch", 0)])
    first = panel_analysis(documents(rows), codings.iloc[:0], PARAMS)["typen"].set_index("person")
    assert first.loc["A1", ["typ", "vorlaeufig", "aenderung"]].tolist() == [
        "stabil",
        True,
        "unvollständig → stabil",  # after 2023-1 there was one interview
    ]
    later = [*rows, ("A1", "2025-1", 3, "U1", 3)]  # A1's third interview; A2 missing
    coded = pd.DataFrame(
        [seg(f"A1-{w}", "Unterstützung > Deutschförderung", 0) for w in ("2023-1", "2024-1")]
        + [seg("A1-2025-1", "Unterstützung > Deutschförderung", 0), seg("A2-2023-1", AF_UP, 0)]
    )
    result = panel_analysis(documents(later), pd.concat([codings, coded]), PARAMS)
    types = result["typen"].set_index("person")
    assert types.loc["A1", ["typ", "vorlaeufig", "typ_vorher"]].tolist() == [
        "fallend",
        False,
        "stabil",
    ]
    assert types.loc["A1", "aenderung"] == "stabil → fallend"
    assert types.loc["A2", ["typ", "ausgeschieden", "abbruch"]].tolist() == ["Abbruch", True, True]
    assert result["schwund"]["person"].tolist() == ["A2"]
    dist = result["verteilung"].set_index("typ")
    assert dist["n"].sum() == 2 and dist.loc["fallend", "anteil_prozent"] == 50.0


def corpus(tmp_path: Path) -> Path:
    """A small corpus folder (documents and codings Parquet) with a panel and companies."""
    rows = []
    for i, (was, firm) in enumerate(
        [((5, 6, 7), "U1"), ((5, 5, 5), "U2"), ((7, 5, 3), "U1"), ((6, 7, 4), "U3")]
    ):
        for pw, (wave, value) in enumerate(
            zip(("2023-1", "2024-1", "2025-1"), was, strict=True), 1
        ):
            rows.append((f"A{i:02d}", wave, pw, firm, float(value)))
    docs = documents(rows)
    firms = pd.DataFrame(
        {
            "doc_id": ["U1-d", "U2-d"],
            "document_name": ["U1_2023-1", "U2_2023-1"],
            "wave": ["2023-1", "2023-1"],
            "Person": ["U1", "U2"],
            "Rolle": ["Ausbildungsbetrieb"] * 2,
            "Betrieb": ["U1", "U2"],
            "Panel": ["nein", "nein"],
            "intercoder_copy": [False, False],
        }
    )
    docs = pd.concat([docs, firms], ignore_index=True)
    codings = pd.DataFrame(
        [
            {**seg("U1-d", "Freistellung > keine", 0)},
            {**seg("U2-d", "Freistellung > vollständig", 0)},
            {**seg("A02-2024-1", "Belastung > Teilnahme in der Freizeit", 0)},
            {**seg("A02-2025-1", AF_DOWN, 80)},
            {**seg("A00-2023-1", "Unterstützung > Deutschförderung", 0)},
        ]
    ).assign(
        intercoder_copy=False,
        segment="Das war hart.",
        begin=1,
    )
    out = tmp_path / "corpus"
    out.mkdir()
    docs.to_parquet(out / "documents.parquet")
    codings.to_parquet(out / "codings.parquet")
    return out


def test_panel_step_writes_tables_crosstabs_and_figures(tmp_path: Path) -> None:
    corpus_dir = corpus(tmp_path)
    tables, figures, quality = tmp_path / "t", tmp_path / "f", tmp_path / "q"
    panel_step(corpus_dir, tables, figures, quality, PARAMS, tmp_path / "interim")
    verlauf = pd.read_csv(tables / "arbeitsfaehigkeit_verlauf.csv")
    assert verlauf.columns.tolist() == [
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
    assert len(verlauf) == 12
    types = pd.read_csv(tables / "verlaufstypen.csv")
    assert types.columns[:4].tolist() == ["person", "typ", "vorlaeufig", "anzahl_interviews"]
    assert types.set_index("person")["typ"].to_dict() == {
        "A00": "steigend",
        "A01": "stabil",
        "A02": "fallend",
        "A03": "Einbruch",
    }
    by_firm = pd.read_csv(tables / "verlauf_nach_freistellung.csv")
    hit = by_firm[by_firm["n"] > 0].set_index("typ")["freistellung_betrieb"].to_dict()
    assert hit == {
        "steigend": "keine",
        "stabil": "vollständig",
        "fallend": "keine",
        "Einbruch": "kein Betriebsinterview",
    }
    freizeit = pd.read_csv(tables / "verlauf_nach_freizeit.csv")
    ja = freizeit[(freizeit["teilnahme_in_der_freizeit"] == "ja") & (freizeit["n"] > 0)]
    assert ja["typ"].tolist() == ["fallend"]
    support = pd.read_csv(tables / "verlauf_nach_unterstuetzung.csv")
    assert support[support["n"] > 0][["unterstuetzung", "typ"]].values.tolist() == [
        ["Deutschförderung", "steigend"]
    ]
    trans = pd.read_csv(tables / "verlauf_uebergaenge.csv")
    assert trans["n"].sum() == 8  # 4 persons x 2 steps
    for stem in ("verlaeufe", "verlauf_alluvial"):
        png, svg = figures / f"{stem}.png", figures / f"{stem}.svg"
        assert round(Image.open(png).info["dpi"][0]) == 300
        assert b"<dc:date>" not in svg.read_bytes()
    first = {p.name: p.read_bytes() for p in figures.iterdir()}
    panel_step(corpus_dir, tables, figures, quality, PARAMS)
    assert {p.name: p.read_bytes() for p in figures.iterdir()} == first
    portraits = portraits_step(
        tmp_path / "interim", tmp_path / "portraits", tmp_path / "cache", workers=2
    )
    assert sorted(p.name for p in portraits if p.suffix == ".png") == [
        "A00.png",
        "A01.png",
        "A02.png",
        "A03.png",
    ]
    assert "Das war hart." in (tmp_path / "portraits" / "A02.svg").read_text(encoding="utf-8")


def test_panel_step_without_panel_interviews_writes_empty_tables(tmp_path: Path) -> None:
    corpus_dir = corpus(tmp_path)
    docs = pd.read_parquet(corpus_dir / "documents.parquet")
    docs.assign(Panel="nein").to_parquet(corpus_dir / "documents.parquet")
    panel_step(corpus_dir, tmp_path / "t", tmp_path / "f", tmp_path / "q", PARAMS, tmp_path / "i")
    assert (tmp_path / "t" / "verlaufstypen.csv").exists()
    assert (tmp_path / "f" / "verlaeufe.png").exists()
    assert portraits_step(tmp_path / "i", tmp_path / "p", tmp_path / "c") == []


def coded_docs(rows: list[tuple[str, str, int | None, float | None]]) -> pd.DataFrame:
    """Panel documents from (person, wave, Panelwelle, WAS), company U1."""
    return documents([(p, w, pw, "U1", was) for p, w, pw, was in rows])  # type: ignore[misc]


def events(doc: str, up: int, down: int, weight: int = 0) -> list[dict[str, object]]:
    """``up`` rising and ``down`` falling Arbeitsfähigkeit events of one interview."""
    return [seg(doc, AF_UP, weight)] * up + [seg(doc, AF_DOWN, weight)] * down


def types_of(docs: pd.DataFrame, codings: list[dict[str, object]], last: str) -> pd.DataFrame:
    panel = panel_interviews(docs)
    return trajectory_types(
        interview_measures(panel, pd.DataFrame(codings, columns=["doc_id", "code", "weight"])),
        link_checks(panel),
        last,
        PARAMS,
    ).set_index("person")


def test_panel_uncoded_interview_gives_no_bilanz_and_the_type_stays_provisional() -> None:
    """B1's third interview is not coded yet: its balance is empty (it was 0 and made B1
    ``Einbruch``, final); B1 is ``steigend`` on Δ1 alone, provisional, with the reason."""
    docs = coded_docs(
        [
            ("B1", "2023-1", 1, None),
            ("B1", "2024-1", 2, None),
            ("B1", "2025-1", 3, None),  # not coded yet
            ("B2", "2023-1", 1, None),
            ("B2", "2024-1", 2, None),  # not coded yet: no period decided
            ("B3", "2023-1", 1, 5.0),
            ("B3", "2024-1", 2, 7.0),
            ("B3", "2025-1", 3, 7.0),  # not coded yet, but WAS is there
        ]
    )
    codings = (
        events("B1-2023-1", 1, 1)
        + events("B1-2024-1", 5, 0)
        + events("B2-2023-1", 2, 0)
        + events("B3-2023-1", 1, 0)
        + events("B3-2024-1", 1, 0)
    )
    measures = interview_measures(
        panel_interviews(docs), pd.DataFrame(codings, columns=["doc_id", "code", "weight"])
    )
    assert measures.set_index("doc_id")["bilanz"].isna().to_dict() == {
        "B1-2023-1": False,
        "B1-2024-1": False,
        "B1-2025-1": True,
        "B2-2023-1": False,
        "B2-2024-1": True,
        "B3-2023-1": False,
        "B3-2024-1": False,
        "B3-2025-1": True,
    }
    types = types_of(docs, codings, "2025-1")
    assert types.loc["B1", ["typ", "vorlaeufig", "delta1"]].tolist() == ["steigend", True, 1.0]
    assert pd.isna(types.loc["B1", "delta2"])
    assert types.loc["B1", "grund"] == (
        "noch nicht kodiert: B1_2025-1 – Typ vorläufig (ohne Bilanz dieser Panelwelle)"
    )
    assert types.loc["B2", ["typ", "vorlaeufig"]].tolist() == ["unvollständig", True]
    assert types.loc["B3", ["typ", "vorlaeufig", "niveau"]].tolist() == ["steigend", True, "was"]
    assert types.loc["B3", "grund"].endswith("(nach WAS; Abbruch noch nicht geprüft)")


@pytest.mark.parametrize(
    ("up", "down", "expected"),
    [
        (4, 0, 1),  # balance 1, largest SE 0.5: 1.96 · 0.5 = 0.98 < 1
        (0, 4, -1),
        (3, 0, None),  # balance 1, SE 0.577: 1.13 > 1, three events do not decide
        (2, 0, None),  # fewer than 3 events
        (6, 6, None),  # balance 0, but 0 + 1.96 · 0.289 = 0.57 > δ = 0.5: not shown stable
        (8, 8, 0),  # balance 0 and 1.96 · 0.25 = 0.49 < 0.5: stable
        (5, 1, None),  # balance 0.67 >= δ, but 1.96 · 0.41 = 0.80 > 0.67
    ],
)
def test_panel_bilanz_step_decides_only_above_its_noise(
    up: int, down: int, expected: int | None
) -> None:
    panel = pd.DataFrame(
        {"doc_id": ["d"], "person": ["P"], "panelwelle": [2], "welle": ["2024-1"], "was": [None]}
    )
    m = interview_measures(panel, pd.DataFrame(events("d", up, down))).iloc[0]
    assert bilanz_step(m["bilanz"], m["bilanz_se"], m["ereignisse"], PARAMS)[0] == expected


def test_panel_bilanz_typing_recovers_planted_types_and_says_prüfen_on_noise() -> None:
    """Planted on the balance path (no WAS): each period's events are what the later
    interview reports. Clear evidence gives the planted type; three events do not."""
    plan = {
        "C1": ((5, 0), (6, 0), "steigend"),
        "C2": ((0, 5), (0, 4), "fallend"),
        "C3": ((5, 0), (0, 5), "Einbruch"),
        "C4": ((0, 6), (5, 0), "Erholung"),
        "C5": ((8, 8), (9, 9), "stabil"),
        "C6": ((8, 8), (0, 5), "fallend"),
        "C7": ((3, 0), (0, 5), "prüfen"),  # Panelwelle 2: only three events
    }
    rows, codings = [], []
    for person, (p2, p3, _) in plan.items():
        for pw, wave in enumerate(("2023-1", "2024-1", "2025-1"), 1):
            rows.append((person, wave, pw, None))
        codings += events(f"{person}-2023-1", 1, 1)
        codings += events(f"{person}-2024-1", *p2) + events(f"{person}-2025-1", *p3)
    types = types_of(coded_docs(rows), codings, "2025-1")
    assert types["typ"].to_dict() == {p: t for p, (_, _, t) in plan.items()}
    assert not types["vorlaeufig"].any()
    assert types.loc["C7", "grund"] == (
        "Bilanz entscheidet nicht – Panelwelle 2 (C7_2024-1): Bilanz 1,00 aus 3 Ereignissen, "
        "Unsicherheit ±1,13: weder Veränderung noch Gleichbleiben belegt (δ = 0,50)"
    )
    assert types.loc["C3", ["delta1", "delta2"]].tolist() == [1.0, -1.0]


@pytest.mark.parametrize(
    ("levels", "delta", "expected"),
    [
        ([0.1, 0.35], 0.25, "steigend"),  # 0.35 - 0.1 = 0.2499…: exactly δ is a change
        ([4.3, 5.3], 1.0, "steigend"),  # 0.9999…
        ([5.3, 4.3, 5.3], 1.0, "Erholung"),
        ([0.1, 0.34], 0.25, "stabil"),
    ],
)
def test_panel_thresholds_are_compared_with_a_tolerance(
    levels: list[float], delta: float, expected: str
) -> None:
    assert classify(levels, delta)[0] == expected


def test_panel_skipped_panelwelle_spacing_abbruch_and_missing_panelwelle() -> None:
    docs = coded_docs(
        [
            ("D1", "2023-1", 1, 5.0),
            ("D1", "2025-1", 3, 7.0),  # Panelwelle 2 skipped
            ("D2", "2023-1", 1, 5.0),
            ("D2", "2023-2", 2, 7.0),  # half a year later
            ("D3", "2023-1", 1, 5.0),  # Abbruch coded here ...
            ("D3", "2024-1", 2, 5.0),  # ... and interviewed again
            ("D3", "2025-1", 3, 5.0),
            ("D4", "2023-1", 1, 5.0),
            ("D4", "2024-1", 2, 5.0),  # Abbruch coded in the last interview
            ("D5", "2023-1", 1, 5.0),
            ("D5", "2024-1", None, 7.0),  # no Panelwelle
        ]
    )
    codings = [seg(d, "Unterstützung > Deutschförderung", 0) for d in docs["doc_id"]]
    codings += [seg("D3-2023-1", "Ausbildungsverlauf > Abbruch", 0)]
    codings += [seg("D4-2024-1", "Ausbildungsverlauf > Abbruch", 0)]
    checks = link_checks(panel_interviews(docs))
    assert checks[["person", "art"]].values.tolist() == [
        ["D1", "Panelwelle übersprungen"],
        ["D2", "Abstand"],
        ["D5", "Panelwelle fehlt"],
    ]
    assert checks["detail"].tolist()[:2] == [
        "Panelwellen 1, 3: Panelwelle 2 fehlt – Interview nicht importiert oder Panelwelle "
        "falsch eingetragen? Bitte im Variablenexport prüfen",
        "Panelwelle 1 (2023-1) → 2 (2023-2): 6 Monate statt 12 – Typ trotzdem bestimmt; "
        "bitte Welle und Panelwelle im Variablenexport prüfen",
    ]
    result = panel_analysis(docs, pd.DataFrame(codings), PARAMS)
    types = result["typen"].set_index("person")
    assert types.loc["D1", "typ"] == "prüfen" and types.loc["D5", "typ"] == "prüfen"
    assert types.loc["D2", ["typ", "grund"]].tolist() == [
        "steigend",
        "Panelwellen nicht ein Jahr auseinander (siehe qualitaet/panel_verknuepfung.csv)",
    ]
    assert types.loc["D3", ["typ", "ausgeschieden", "abbruch"]].tolist() == ["Abbruch", False, True]
    assert types.loc["D3", "grund"] == (
        "Abbruch in Panelwelle 1 kodiert, danach erneut interviewt: kein Panelschwund"
    )
    # D3 is interviewed after its Abbruch: not attrition; D2 and D5 were due again in 2025-1
    assert result["schwund"]["person"].tolist() == ["D2", "D4", "D5"]


def test_panel_run_goes_on_without_panelwelle(tmp_path: Path) -> None:
    """An interview without Panelwelle: the person is ``prüfen``, tables and every portrait
    are written (the portraits job used to raise)."""
    corpus_dir = corpus(tmp_path)
    docs = pd.read_parquet(corpus_dir / "documents.parquet")
    docs.loc[docs["doc_id"] == "A02-2024-1", "Panelwelle"] = None
    docs.to_parquet(corpus_dir / "documents.parquet")
    result = panel_step(
        corpus_dir, tmp_path / "t", tmp_path / "f", tmp_path / "q", PARAMS, tmp_path / "i"
    )
    assert result["typen"].set_index("person").loc["A02", "typ"] == "prüfen"
    checks = pd.read_csv(tmp_path / "q" / "panel_verknuepfung.csv")
    assert checks[["person", "art"]].values.tolist() == [["A02", "Panelwelle fehlt"]]
    portraits = portraits_step(tmp_path / "i", tmp_path / "p", tmp_path / "c", workers=1)
    assert sorted(p.name for p in portraits if p.suffix == ".png") == [
        "A00.png",
        "A01.png",
        "A02.png",
        "A03.png",
    ]
    svg = (tmp_path / "p" / "A02.svg").read_text(encoding="utf-8")
    assert "Verlaufstyp prüfen (nicht entschieden)" in svg


def test_panel_methods_section_states_the_thresholds_of_the_run(tmp_path: Path) -> None:
    from asaqda.panel.tables import typology_rules
    from asaqda.report.content import typology_blocks

    rules = tmp_path / "verlaufstypen_regeln.csv"
    typology_rules(PanelParams(delta_bilanz=0.4, bilanz_min_events=4)).to_csv(rules, index=False)
    blocks = typology_blocks(rules)
    assert [b.kind for b in blocks] == [
        "heading",
        "paragraph",
        "paragraph",
        "paragraph",
        "paragraph",
    ]
    text = " ".join(b.text for b in blocks)
    assert "ab δ = 1 steigt oder fällt" in text
    assert "mindestens 4 Ereignisse" in text and "mindestens δ = 0,4 beträgt" in text
    assert "mindestens 1,96 Standardfehler von 0 entfernt" in text
    assert typology_blocks(tmp_path / "absent.csv") == []
