"""Agreement coefficients against published values and independent implementations.

Oracles: Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C (4 coders,
12 units, missing values); the ``krippendorff`` package (0.8+) for random matrices at every
level; scikit-learn's ``cohen_kappa_score``; Fleiss (1971) as tabulated in the literature
(10 units, 14 raters, 5 categories, kappa = 0.210).
"""

from __future__ import annotations

import json
from pathlib import Path

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from sklearn.metrics import cohen_kappa_score
from typer.testing import CliRunner

from asaqda.agreement import (
    alpha_with_ci,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percent_agreement,
)
from asaqda.cli import app

NAN = np.nan
K2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, NAN, NAN, NAN],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, NAN, 3],
        [NAN, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, NAN],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, NAN],
    ]
)
PUBLISHED = {"nominal": 0.743, "ordinal": 0.815, "interval": 0.849, "ratio": 0.797}


@pytest.mark.parametrize(("level", "expected"), PUBLISHED.items())
def test_agreement_alpha_reproduces_krippendorff_2011(level: str, expected: float) -> None:
    assert round(krippendorff_alpha(K2011, level), 3) == expected


matrices = arrays(
    np.float64,
    st.tuples(st.integers(2, 5), st.integers(2, 30)),
    elements=st.one_of(st.just(NAN), st.integers(0, 4).map(float)),
)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # the oracle divides 0/0 (handled below)
@settings(max_examples=150, deadline=None)
@given(matrices, st.sampled_from(["nominal", "ordinal", "interval", "ratio"]))
def test_agreement_alpha_equals_the_krippendorff_package(data: np.ndarray, level: str) -> None:
    values = data[~np.isnan(data)]
    pairable = ((~np.isnan(data)).sum(axis=0) >= 2).any()
    if np.unique(values).size < 2 or not pairable:
        return  # alpha undefined (no variation or nothing pairable)
    if level == "ratio" and (values == 0).all():
        return
    ours = krippendorff_alpha(data, level)
    theirs = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    if np.isnan(theirs):
        assert np.isnan(ours)
    else:
        assert ours == pytest.approx(theirs, abs=1e-9)


@pytest.mark.filterwarnings("ignore::UserWarning")  # scikit-learn: single label (handled)
@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)), min_size=2, max_size=60))
def test_agreement_cohen_equals_scikit_learn(pairs: list[tuple[int, int]]) -> None:
    a, b = (np.array(x, dtype=float) for x in zip(*pairs, strict=True))
    expected = cohen_kappa_score(a, b)
    ours = cohen_kappa(a, b)
    if np.isnan(expected):
        assert np.isnan(ours) or ours == 1.0
    else:
        assert ours == pytest.approx(expected, abs=1e-9)


def test_agreement_fleiss_1971_example() -> None:
    counts = np.array(
        [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ]
    )
    assert round(fleiss_kappa(counts), 3) == 0.210


def test_agreement_brennan_prediger_and_percent_by_hand() -> None:
    a = np.array([1, 1, 0, 0, 1, 0, 1, 1, 0, 1], dtype=float)
    b = np.array([1, 1, 0, 1, 1, 0, 1, 0, 0, 1], dtype=float)
    assert percent_agreement(np.vstack([a, b])) == pytest.approx(0.8)
    assert brennan_prediger(np.vstack([a, b]), 2) == pytest.approx((0.8 - 0.5) / 0.5)


def test_agreement_bootstrap_interval_is_seeded_and_brackets_alpha() -> None:
    rng = np.random.default_rng(3)
    truth = rng.integers(0, 2, 300).astype(float)
    noisy = np.where(rng.random(300) < 0.15, 1 - truth, truth)
    r1 = alpha_with_ci(np.vstack([truth, noisy]), "nominal", seed=5)
    r2 = alpha_with_ci(np.vstack([truth, noisy]), "nominal", seed=5)
    assert r1 == r2
    assert r1.ci95[0] < r1.alpha < r1.ci95[1]
    assert r1.ci95[1] - r1.ci95[0] < 0.25


def test_agreement_cli_reliability_json(tmp_path: Path) -> None:
    path = tmp_path / "matrix.csv"
    rows = ["coder," + ",".join(f"u{i}" for i in range(1, 13))]
    for name, row in zip("ABCD", K2011, strict=True):
        rows.append(name + "," + ",".join("" if np.isnan(v) else str(int(v)) for v in row))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["reliability", str(path), "--level", "interval", "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["alpha"] == pytest.approx(0.849, abs=5e-4)
    assert (out["level"], out["n_units"], out["n_coders"]) == ("interval", 12, 4)
    assert len(out["ci95"]) == 2 and out["ci95"][0] < out["alpha"] <= out["ci95"][1]


def test_agreement_cli_reliability_rejects_words_at_interval_level(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("coder;u1;u2\nA;1;hoch\nB;2;3\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["reliability", str(path), "--level", "interval"])
    assert result.exit_code == 1
    assert "[E011] 'm.csv', row 2, column 'u2'" in result.output
    nominal = CliRunner().invoke(app, ["reliability", str(path), "--level", "nominal", "--json"])
    assert nominal.exit_code == 0


def _toy() -> tuple[pd.DataFrame, pd.DataFrame]:
    docs = pd.DataFrame(
        {
            "doc_id": ["a1", "a2", "b1", "b2"],
            "document_name": ["D1", "D1", "D2", "D2"],
            "document_group": ["Betriebe", "Zweitkodierung"] * 2,
            "n_codings": [2, 2, 1, 1],
        }
    )
    cods = pd.DataFrame(
        {
            "doc_id": ["a1", "a1", "a2", "a2", "b1", "b2"],
            "coder": ["MK", "MK", "JS", "JS", "MK", "JS"],
            "code": ["X", "Y", "X", "Y", "X", "Y"],
            "begin": [1, 3, 1, 4, 2, 2],
            "end": [2, 3, 2, 5, 2, 2],
        }
    )
    return cods, docs


def test_agreement_levels_by_hand() -> None:
    from asaqda.agreement import agreement_table

    cods, docs = _toy()
    table = agreement_table(cods, docs, ["X", "Y"], n_boot=200).set_index(["ebene", "code"])
    # X: present in D1 for both coders, in D2 only for MK -> 1 of 2 documents agree
    assert table.loc[("dokument", "X"), "prozent_uebereinstimmung"] == 50.0
    # X segments: D1 [1-2] matched both ways, D2 MK [2] unmatched -> 2 of 3 segments
    assert table.loc[("segment", "X"), "prozent_uebereinstimmung"] == pytest.approx(66.667)
    # Y: MK [3] vs JS [4-5] do not overlap, JS's D2 segment has no partner -> 0 %
    assert table.loc[("segment", "Y"), "prozent_uebereinstimmung"] == 0.0
    assert table.loc[("dokument", "X"), "kodierende"] == "JS / MK"
    assert "Krippendorffs α" in table.loc[("segment", "gesamt"), "satz"]


def test_agreement_min_overlap_decides_segment_matches() -> None:
    from asaqda.agreement import agreement_table

    cods, docs = _toy()
    cods.loc[3, ["begin", "end"]] = [3, 4]  # JS's Y now covers paragraphs 3-4, MK's Y is 3
    loose = agreement_table(cods, docs, ["Y"], min_overlap=0.5, n_boot=100)
    strict = agreement_table(cods, docs, ["Y"], min_overlap=0.9, n_boot=100)
    pct = {
        name: t.set_index(["ebene", "code"]).loc[("segment", "Y"), "prozent_uebereinstimmung"]
        for name, t in (("loose", loose), ("strict", strict))
    }
    assert pct["loose"] > pct["strict"]


def test_agreement_coder_column_convention() -> None:
    from asaqda.agreement import coded_versions

    docs = pd.DataFrame(
        {"doc_id": ["a"], "document_name": ["D1"], "document_group": ["G"], "n_codings": [2]}
    )
    cods = pd.DataFrame(
        {
            "doc_id": ["a", "a"],
            "coder": ["MK", "JS"],
            "code": ["X", "X"],
            "begin": [1, 1],
            "end": [1, 1],
        }
    )
    versions = coded_versions(cods, docs)
    assert sorted(versions["version"]) == ["JS", "MK"]


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_agreement_vectorised_bootstrap_equals_one_alpha_per_sample(level: str) -> None:
    from asaqda.agreement import _alpha_from_patterns, _bootstrap_alphas, _patterns

    rng = np.random.default_rng(2)
    data = rng.integers(0, 4, size=(3, 200)).astype(float)
    data[rng.random(data.shape) < 0.2] = NAN
    patterns, freq, values = _patterns(data)
    draws = rng.multinomial(int(freq.sum()), freq / freq.sum(), size=40).astype(float)
    fast = _bootstrap_alphas(patterns, draws, values, level)
    slow = np.array([_alpha_from_patterns(patterns, d, values, level) for d in draws])
    assert np.allclose(fast, slow)


def test_machine_agreement_per_human_coder_at_three_levels() -> None:
    from asaqda.agreement import machine_agreement

    heldout = pd.DataFrame(
        {
            "doc_id": ["d1", "d1", "d1", "d2", "d2", "d3"],
            "paragraph": [1, 2, 3, 1, 2, 1],
            "maschine": [("A",), (), ("A", "B"), (), ("B",), ("A",)],
            "mensch": [("A",), ("A",), ("A", "B"), (), ("B",), ("A",)],
        }
    )
    codings = pd.DataFrame({"doc_id": ["d1", "d2", "d3"], "coder": ["JS", "JS", "MK"]})
    table = machine_agreement(heldout, codings, ["A", "B", "C"], n_boot=200, seed=0)
    assert set(table["kodierende"]) == {"Maschine / JS", "Maschine / MK"}
    js = table[(table["kodierende"] == "Maschine / JS") & (table["ebene"] == "segment")]
    row_a = js[js["code"] == "A"].iloc[0]
    machine = np.array([1, 0, 1, 0, 0])  # d1/1-3, d2/1-2 for code A
    human = np.array([1, 1, 1, 0, 0])
    assert row_a["n_einheiten"] == 5
    assert row_a["prozent_uebereinstimmung"] == 80.0
    assert row_a["cohen_kappa"] == pytest.approx(cohen_kappa_score(machine, human), abs=1e-3)
    freq = table[(table["kodierende"] == "Maschine / JS") & (table["ebene"] == "haeufigkeit")]
    assert freq[freq["code"] == "A"]["n_einheiten"].item() == 2  # two documents
    doc_b = table[(table["kodierende"] == "Maschine / JS") & (table["ebene"] == "dokument")]
    assert doc_b[doc_b["code"] == "B"]["prozent_uebereinstimmung"].item() == 100.0
    assert "C" not in set(table["code"])  # coded by neither
