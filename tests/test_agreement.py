"""Agreement coefficients against published values and independent implementations.

Oracles: Krippendorff (2011) "Computing Krippendorff's Alpha-Reliability", section C (4 coders,
12 units, missing values); the ``krippendorff`` package (0.8+) for random matrices at every
level; scikit-learn's ``cohen_kappa_score``; Fleiss (1971), Table 1 (30 patients, 6
psychiatrists, 5 diagnoses, kappa = 0.430); and the worked example of Fleiss' kappa found in
textbooks and encyclopaedias (10 subjects, 14 raters, 5 categories, kappa = 0.210), which is
not from Fleiss (1971). The counting units, the document bootstrap and the handling of copies
are checked on small planted cases with their exact values.
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


def test_agreement_fleiss_kappa_textbook_example() -> None:
    """The common worked example (10 subjects, 14 raters): 0.210; it is not Fleiss (1971)."""
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


# Fleiss (1971), Table 1: per patient how many of 6 psychiatrists chose depression, personality
# disorder, schizophrenia, neurosis, other
FLEISS_1971 = [
    [0, 0, 0, 6, 0], [0, 3, 0, 0, 3], [0, 1, 4, 0, 1], [0, 0, 0, 0, 6], [0, 3, 0, 3, 0],
    [2, 0, 4, 0, 0], [0, 0, 4, 0, 2], [2, 0, 3, 1, 0], [2, 0, 0, 4, 0], [0, 0, 0, 0, 6],
    [1, 0, 0, 5, 0], [1, 1, 0, 4, 0], [0, 3, 3, 0, 0], [1, 0, 0, 5, 0], [0, 2, 0, 3, 1],
    [0, 0, 5, 0, 1], [3, 0, 0, 1, 2], [5, 1, 0, 0, 0], [0, 2, 0, 4, 0], [1, 0, 2, 0, 3],
    [0, 0, 0, 0, 6], [0, 1, 0, 5, 0], [0, 2, 0, 1, 3], [2, 0, 0, 4, 0], [1, 0, 0, 4, 1],
    [0, 5, 0, 1, 0], [4, 0, 0, 0, 2], [0, 2, 0, 4, 0], [1, 0, 5, 0, 0], [0, 0, 0, 0, 6],
]  # fmt: skip


def test_agreement_fleiss_kappa_reproduces_fleiss_1971() -> None:
    assert round(fleiss_kappa(np.array(FLEISS_1971)), 3) == 0.430


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
    assert "[E011] 'm.csv', Zeile 2, Spalte 'u2'" in result.output
    nominal = CliRunner().invoke(app, ["reliability", str(path), "--level", "nominal", "--json"])
    assert nominal.exit_code == 0


def test_agreement_cli_reliability_document_row_resamples_documents(tmp_path: Path) -> None:
    """A 'Dokument' row makes the interval a document bootstrap: 2 documents give none."""
    path = tmp_path / "m.csv"
    path.write_text("coder,u1,u2,u3,u4\nDokument,A,A,B,B\nX,1,0,1,0\nY,1,0,0,1\n", "utf-8")
    result = CliRunner().invoke(app, ["reliability", str(path), "--json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["alpha"] == 0.125 and out["n_coders"] == 2 and out["ci95"] == [None, None]
    assert out["ci_note"] == (
        "kein 95-%-Intervall: nur 2 Dokumente, ein Bootstrap über Dokumente braucht mindestens 15"
    )
    text = CliRunner().invoke(app, ["reliability", str(path)])
    assert "α (nominal) = 0,125, kein 95-%-Intervall: nur 2 Dokumente" in text.output


def test_agreement_cli_reliability_unit_without_document(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("coder;u1;u2;u3\nX;1;0;1\nDokument;A;A;\nY;1;0;hoch\n", "utf-8")
    result = CliRunner().invoke(app, ["reliability", str(path), "--level", "interval"])
    assert result.exit_code == 1
    assert (
        "[E011] 'm.csv', Zeile 3, Spalte 'u3': die Einheit 'u3' hat kein Dokument" in result.output
    )
    # the coder row after the document row keeps its own row number
    assert "[E011] 'm.csv', Zeile 4, Spalte 'u3'" in result.output


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


def test_agreement_segment_kappa_counts_maxqda_segments() -> None:
    """Brennan & Prediger's kappa over the segments of both coders (cell 'neither' = 0):
    2 of 3 X segments match -> (2/3 - 1/2) / (1/2); no Y segment matches -> -1; overall
    2 of 6 segments with q = 2 codes -> (1/3 - 1/2) / (1/2)."""
    from asaqda.agreement import agreement_table

    cods, docs = _toy()
    table = agreement_table(cods, docs, ["X", "Y"], n_boot=50).set_index(["ebene", "code"])
    seg = table.loc["segment"]
    assert seg.loc["X", "brennan_prediger"] == 0.333
    assert seg.loc["Y", "brennan_prediger"] == -1.0
    assert seg.loc["gesamt", "brennan_prediger"] == -0.333
    assert list(seg["n_segmente"]) == [3, 3, 6]
    # alpha, Cohen and Fleiss count paragraphs: D1 has 5, D2 has 2
    assert seg.loc["X", "n_einheiten"] == 7
    assert "Segmente aller Kodierenden" in seg.loc["X", "einheiten"]
    assert "Absätze" in seg.loc["X", "einheiten"]
    assert "von 3 Segmenten beider Kodierenden haben 66,7 %" in seg.loc["X", "satz"]
    assert "κ nach Brennan & Prediger über diese Segmente = 0,33" in seg.loc["X", "satz"]


def test_agreement_segment_kappa_without_any_matching_segment() -> None:
    """Two coders who never code the same passage: every kappa over their segments is at its
    minimum, however many paragraphs nobody coded (paragraph-wise q = 2 gave 0.96 here)."""
    from asaqda.agreement import agreement_table

    docs = pd.DataFrame(
        {
            "doc_id": ["a1", "a2"],
            "document_name": ["D1", "D1"],
            "document_group": ["Betriebe", "Zweitkodierung"],
            "n_codings": [3, 3],
        }
    )
    cods = pd.DataFrame(
        {
            "doc_id": ["a1", "a1", "a1", "a2", "a2", "a2"],
            "coder": ["MK", "MK", "MK", "JS", "JS", "JS"],
            "code": ["X", "Y", "Z", "X", "Y", "Z"],
            "begin": [1, 5, 30, 10, 20, 50],
            "end": [2, 5, 30, 11, 20, 50],
        }
    )
    table = agreement_table(cods, docs, ["X", "Y", "Z"], n_boot=50).set_index(["ebene", "code"])
    seg = table.loc["segment"]
    assert list(seg["prozent_uebereinstimmung"]) == [0.0, 0.0, 0.0, 0.0]
    assert list(seg.loc[["X", "Y", "Z"], "brennan_prediger"]) == [-1.0, -1.0, -1.0]
    # over all codes q = 3 (MAXQDA: chance agreement 1 / number of codes): (0 - 1/3) / (2/3)
    assert seg.loc["gesamt", "brennan_prediger"] == -0.5
    assert seg.loc["gesamt", "n_segmente"] == 6
    assert seg.loc["X", "n_einheiten"] == 50  # the 50 paragraphs up to the last segment


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


def test_agreement_document_bootstrap_resamples_whole_documents() -> None:
    """Document A: both coders agree on both paragraphs; document B: they disagree on both.
    A document bootstrap of two documents draws AA, AB or BB (alpha 1, 0.125, -0.75 by the
    coincidence matrix), with probabilities 1/4, 1/2, 1/4: the interval is [-0.75, 1]."""
    data = np.array([[1, 0, 1, 0], [1, 0, 0, 1]], dtype=float)
    docs = np.array(["A", "A", "B", "B"])
    res = alpha_with_ci(data, "nominal", n_boot=2000, seed=1, clusters=docs, min_clusters=2)
    assert res.alpha == pytest.approx(0.125)
    assert res.ci95 == pytest.approx((-0.75, 1.0))
    assert res.n_clusters == 2


def test_agreement_document_bootstrap_sees_no_spread_between_identical_documents() -> None:
    """20 identical documents: resampling documents cannot vary alpha (no interval, with the
    reason), while resampling their paragraphs pretends it can."""
    one = np.array([[1, 0, 1, 0, 0], [1, 0, 0, 0, 0]], dtype=float)
    data = np.tile(one, 20)
    docs = np.repeat(np.arange(20), 5)
    res = alpha_with_ci(data, "nominal", n_boot=500, clusters=docs)
    assert np.isnan(res.ci95[0]) and "jede Bootstrap-Stichprobe gibt denselben Wert" in res.ci_note
    units = alpha_with_ci(data, "nominal", n_boot=500)
    assert units.ci95[1] - units.ci95[0] > 0.1


def test_agreement_no_interval_with_too_few_documents() -> None:
    from asaqda.agreement import MIN_CI_DOCUMENTS, agreement_table

    cods, docs = _toy()
    table = agreement_table(cods, docs, ["X", "Y"], n_boot=50).set_index(["ebene", "code"])
    row = table.loc[("segment", "gesamt")]
    assert MIN_CI_DOCUMENTS == 15
    assert pd.isna(row["alpha_ci_unten"]) and pd.isna(row["alpha_ci_oben"])
    assert row["hinweis"] == (
        "kein 95-%-Intervall: nur 2 Dokumente, ein Bootstrap über Dokumente braucht mindestens 15"
    )
    assert "kein 95-%-Intervall: nur 2 Dokumente" in row["satz"]
    # below the minimum, alpha_with_ci gives the same alpha and no interval
    data = np.array([[1, 0, 1, 0], [1, 0, 0, 1]], dtype=float)
    res = alpha_with_ci(data, "nominal", clusters=np.array([0, 0, 1, 1]))
    assert res.alpha == pytest.approx(0.125) and np.isnan(res.ci95[0])


def _with_empty_copy() -> tuple[pd.DataFrame, pd.DataFrame]:
    """D1: MK coded X and Y, JS's copy has no coding at all; D2: both coded X at 1."""
    docs = pd.DataFrame(
        {
            "doc_id": ["a1", "a2", "b1", "b2"],
            "document_name": ["D1", "D1", "D2", "D2"],
            "document_group": ["Betriebe", "Zweitkodierung"] * 2,
            "n_codings": [2, 0, 1, 1],
        }
    )
    cods = pd.DataFrame(
        {
            "doc_id": ["a1", "a1", "b1", "b2"],
            "coder": ["MK", "MK", "MK", "JS"],
            "code": ["X", "Y", "X", "X"],
            "begin": [1, 3, 1, 1],
            "end": [2, 3, 1, 1],
        }
    )
    return cods, docs


def test_agreement_copy_without_coding_counts_as_found_nothing() -> None:
    from asaqda.agreement import agreement_table, coded_versions

    cods, docs = _with_empty_copy()
    versions = coded_versions(cods, docs)
    # the empty copy is JS's (the coder of the other copies in 'Zweitkodierung')
    assert list(zip(versions["document_name"], versions["version"], strict=True)) == [
        ("D1", "JS"),
        ("D1", "MK"),
        ("D2", "JS"),
        ("D2", "MK"),
    ]
    table = agreement_table(cods, docs, ["X", "Y"], n_boot=50).set_index(["ebene", "code"])
    # X: D1 MK yes / JS no, D2 both yes -> 1 of 2 documents; Y: D1 MK yes / JS no -> 0 of 1
    assert table.loc[("dokument", "X"), "prozent_uebereinstimmung"] == 50.0
    assert table.loc[("dokument", "X"), "n_dokumente"] == 2
    assert table.loc[("dokument", "Y"), "prozent_uebereinstimmung"] == 50.0  # D2: both no
    # segments: D1's X and Y of MK have no counterpart, D2's X matches both ways -> 2 of 4
    assert table.loc[("segment", "gesamt"), "prozent_uebereinstimmung"] == 50.0


def test_agreement_empty_copy_in_a_group_without_coder_is_named_by_the_group() -> None:
    from asaqda.agreement import coded_versions

    cods, docs = _with_empty_copy()
    cods, docs = cods[cods["doc_id"] != "b2"], docs.assign(n_codings=[2, 0, 1, 0])
    versions = coded_versions(cods, docs)
    assert list(versions.loc[versions["doc_id"] == "a2", "version"]) == ["Zweitkodierung"]


def test_agreement_joint_coding_in_one_copy_is_not_double_coding() -> None:
    from asaqda.agreement import agreement_table, coded_versions, joint_copies

    docs = pd.DataFrame(
        {"doc_id": ["a", "b"], "document_name": ["D1", "D2"], "document_group": ["G", "G"],
         "n_codings": [2, 1]}
    )  # fmt: skip
    cods = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b"],
            "coder": ["MK", "JS", "MK"],
            "code": ["X", "X", "X"],
            "begin": [1, 1, 1],
            "end": [1, 1, 1],
        }
    )
    assert coded_versions(cods, docs).empty
    joint = joint_copies(cods, docs)
    assert list(joint["document_name"]) == ["D1"] and list(joint["kodierende"]) == ["JS + MK"]
    table = agreement_table(cods, docs, ["X"], n_boot=50)
    assert len(table) == 1  # no coefficients from it
    row = table.iloc[0]
    assert (row["ebene"], row["kodierende"], row["n_dokumente"]) == ("gemeinsam", "JS + MK", 1)
    assert pd.isna(row["alpha"]) and pd.isna(row["prozent_uebereinstimmung"])
    assert "keine unabhängige Doppelkodierung" in row["satz"]
    assert row["hinweis"] == "Dokumente: D1"


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


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_agreement_document_bootstrap_alpha_equals_the_krippendorff_package(level: str) -> None:
    """The cluster path computes alpha from per-document coincidence matrices: same value."""
    rng = np.random.default_rng(7)
    data = rng.integers(0, 5, size=(3, 90)).astype(float)
    data[rng.random(data.shape) < 0.25] = NAN
    res = alpha_with_ci(data, level, n_boot=100, clusters=np.repeat(np.arange(18), 5))
    theirs = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
    assert res.alpha == pytest.approx(theirs, abs=1e-12)
    assert res.n_clusters == 18 and res.ci95[0] < res.alpha < res.ci95[1]


def test_agreement_intercoder_step_writes_units_and_joint_copies(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The step writes the new columns with German headers and warns about joint coding."""
    from openpyxl import load_workbook

    from asaqda.codebook import load_codebook
    from asaqda.stages import intercoder_step

    from .conftest import REPO

    codebook = load_codebook(REPO / "codebook")
    code = codebook.paths[0]
    (tmp_path / "codebook.json").write_text(
        json.dumps(codebook.model_dump(mode="json"), ensure_ascii=False), encoding="utf-8"
    )
    cods, docs = _toy()
    joint_doc = pd.DataFrame(
        {"doc_id": ["c"], "document_name": ["D3"], "document_group": ["Betriebe"], "n_codings": [2]}
    )
    joint_cods = pd.DataFrame(
        {"doc_id": ["c", "c"], "coder": ["MK", "JS"], "code": ["X", "X"], "begin": [1, 1],
         "end": [1, 1]}
    )  # fmt: skip
    docs = pd.concat([docs, joint_doc], ignore_index=True)
    cods = pd.concat([cods, joint_cods], ignore_index=True).assign(code=code, quelle="MAXQDA")
    docs.assign(intercoder_copy=docs["document_group"] == "Zweitkodierung").to_parquet(
        tmp_path / "documents.parquet"
    )
    cods.assign(intercoder_copy=cods["doc_id"].isin(["a2", "b2"])).to_parquet(
        tmp_path / "codings.parquet"
    )
    with caplog.at_level("WARNING"):
        table = intercoder_step(tmp_path, tmp_path / "codebook.json", tmp_path, n_boot=50)
    assert list(table["ebene"]) == ["dokument", "dokument", "haeufigkeit", "haeufigkeit",
                                    "segment", "segment", "gemeinsam"]  # fmt: skip
    assert "D3" in caplog.text and "keine unabhängige Doppelkodierung" in caplog.text
    header = [c.value for c in next(load_workbook(tmp_path / "intercoder.xlsx").active.rows)]
    assert {"Segmente", "Gezählte Einheiten", "Hinweis"} <= set(header)
    csv = pd.read_csv(tmp_path / "intercoder.csv")
    assert csv.loc[csv["ebene"] == "segment", "n_segmente"].tolist() == [6, 6]


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_agreement_document_bootstrap_samples_equal_alpha_of_the_resampled_data(level: str) -> None:
    """Each bootstrap sample's alpha (from per-document summaries) is the alpha of the data
    with every document repeated as often as it was drawn."""
    from asaqda.agreement import _cluster_alphas

    rng = np.random.default_rng(4)
    data = rng.integers(0, 12, size=(3, 120)).astype(float)  # many values, as code counts
    data[rng.random(data.shape) < 0.15] = NAN
    docs = np.repeat(np.arange(24), 5)
    weights = rng.multinomial(24, np.full(24, 1 / 24), size=8).astype(float)
    alpha, boots, k, _ = _cluster_alphas(data, docs, level, lambda _: weights)
    assert k == 24 and alpha == pytest.approx(krippendorff_alpha(data, level))
    for w, boot in zip(weights, boots, strict=True):
        columns = np.concatenate(
            [np.nonzero(docs == d)[0] for d in range(24) for _ in range(int(w[d]))]
        )
        assert boot == pytest.approx(krippendorff_alpha(data[:, columns], level), abs=1e-12)


def test_agreement_three_coders_segment_units() -> None:
    """Three copies of one document: a segment agrees when any other coder has a match."""
    from asaqda.agreement import agreement_table

    docs = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c"],
            "document_name": ["D1"] * 3,
            "document_group": ["G1", "G2", "G3"],
            "n_codings": [1, 1, 1],
        }
    )
    cods = pd.DataFrame(
        {"doc_id": ["a", "b", "c"], "coder": ["A", "B", "C"], "code": ["X"] * 3,
         "begin": [1, 1, 5], "end": [2, 2, 5]}
    )  # fmt: skip
    row = agreement_table(cods, docs, ["X"], n_boot=50).set_index(["ebene", "code"])
    seg = row.loc[("segment", "X")]
    assert (seg["kodierende"], seg["n_segmente"], seg["brennan_prediger"]) == (
        "A / B / C",
        3,
        0.333,
    )
    assert pd.isna(seg["cohen_kappa"])  # Cohen's kappa is for two coders
    assert (
        "von 3 Segmenten aller Kodierenden haben 66,7 % ein Gegenstück einer anderen"
        in (seg["satz"])
    )
