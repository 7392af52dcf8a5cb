"""Pre-coding: lemmas, codebook rules with negation, model, evaluation, gate, suggestions."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from asaqda.codebook import load_codebook
from asaqda.errors import CodebookError, PrecodeError
from asaqda.io.wave import discover_waves, import_wave
from asaqda.precode.evaluate import (
    apply_calibration,
    choose_thresholds,
    cross_fit_calibration,
    cross_fit_thresholds,
    fit_calibration,
    kappa_lower_bound,
    quality_gate,
)
from asaqda.precode.model import ParagraphCoder
from asaqda.precode.nlp import make_nlp
from asaqda.precode.precoder import (
    SUGGESTION_COLUMNS,
    PrecodeParams,
    Precoder,
    leaf_codes,
    train_precoder,
)
from asaqda.precode.rules import rules_config

from .conftest import DEMO, REPO


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(REPO / "codebook")


@pytest.fixture(scope="module")
def nlp(codebook):
    return make_nlp(rules_config(codebook))


def found(nlp, text: str) -> set[tuple[str, bool]]:
    return {(m.code, m.negated) for m in nlp(text)._.asaqda_matches}


def test_precode_lemmas_retry_lower_case_for_sentence_initial_words() -> None:
    doc = make_nlp()("Freigestellt wird bei uns niemand.")
    assert doc[0].lemma_ == "freistellen"
    assert doc[0].norm_ == "freistellen"


@pytest.mark.parametrize(
    ("text", "expected", "absent"),
    [
        (
            "Nein, wir stellen nicht frei, das ist so.",
            ("Freistellung > keine", True),
            "Freistellung > vollständig",
        ),
        (
            "Eine Freistellung gibt es bei uns nicht.",
            ("Freistellung > keine", True),
            "Freistellung > vollständig",
        ),
        (
            "Wir stellen sie für die Termine beim Träger komplett frei.",
            ("Freistellung > vollständig", False),
            "Freistellung > keine",
        ),
        (
            "Der Förderunterricht ist bei uns Arbeitszeit, da wird er normal freigestellt.",
            ("Freistellung > vollständig", False),
            "Freistellung > keine",
        ),
    ],
)
def test_precode_rules_negation_scope_redirects_to_keine(nlp, text, expected, absent) -> None:
    codes = found(nlp, text)
    assert expected in codes
    assert absent not in {c for c, _ in codes}


def test_precode_rules_negated_match_without_redirect_is_dropped(nlp) -> None:
    assert not any(
        c.startswith("Entlastung > Ausbildungsbegleitung")
        for c, _ in found(nlp, "Wir haben keine feste Ansprechpartnerin dort.")
    )
    assert ("Entlastung > Ausbildungsbegleitung", False) in found(
        nlp, "Wir haben eine feste Ansprechpartnerin beim Träger."
    )


def test_precode_rules_negation_does_not_cross_the_clause(nlp) -> None:
    codes = found(nlp, "Das klappt nicht immer, aber wir stellen sie komplett frei.")
    assert ("Freistellung > vollständig", False) in codes


def test_precode_pattern_that_does_not_compile_names_the_code(tmp_path: Path) -> None:
    cb_dir = tmp_path / "codebook"
    shutil.copytree(REPO / "codebook", cb_dir)
    path = cb_dir / "bekanntheit.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["codes"][0]["muster"]["token_muster"] = [[{"NORM": "a", "OP": "??"}]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CodebookError) as err:
        make_nlp(rules_config(load_codebook(cb_dir)))
    assert err.value.code == "E105"
    assert "Code 'Bekanntheit': Token-Muster 1 ist ungültig" in str(err.value)


def test_precode_empty_training_set_is_E301() -> None:
    with pytest.raises(PrecodeError, match="E301"):
        ParagraphCoder().fit([], [], ["A"])
    with pytest.raises(PrecodeError, match="E301"):
        ParagraphCoder().fit(["nur ein Text"] * 5, [()] * 5, ["A"])


def test_precode_codes_with_too_few_examples_are_skipped() -> None:
    texts = [f"wir stellen nicht frei nummer {i}" for i in range(20)] + ["seltener fall"] * 3
    labels = [("A",)] * 10 + [()] * 10 + [("B",)] * 3
    model = ParagraphCoder(min_examples=5).fit(texts, labels, ["A", "B"])
    assert model.codes_ == ["A"]
    assert model.skipped_ == {"B": 3}


@pytest.fixture(scope="module")
def demo_corpus() -> dict[str, pd.DataFrame]:
    results = [import_wave(DEMO, w) for w in discover_waves(DEMO)]
    return {
        name: pd.concat(
            [getattr(r, name) for r in results if len(getattr(r, name))], ignore_index=True
        )
        for name in ("documents", "paragraphs", "codings")
    }


@pytest.fixture(scope="module")
def trained(demo_corpus, codebook):
    return train_precoder(
        demo_corpus["paragraphs"],
        demo_corpus["codings"],
        demo_corpus["documents"],
        codebook,
        PrecodeParams(),
    )


def test_precode_evaluation_reports_every_code_and_method(trained, codebook) -> None:
    _, metrics, _ = trained
    codes = leaf_codes(codebook)
    for method in ("regel", "modell", "kombiniert"):
        rows = metrics[metrics["methode"] == method]
        assert set(rows["code"]) == set(codes) | {"micro", "macro"}
        assert rows[["precision", "recall", "f1"]].apply(lambda c: c.between(0, 1)).all().all()
    micro = metrics.set_index(["code", "methode"]).loc[("micro", "kombiniert")]
    assert micro["kappa"] > 0.8  # the demo corpus is learnable; real data will be harder


def test_precode_quality_gate_names_its_reasons(trained) -> None:
    precoder, _, _ = trained
    gate = precoder.gate.set_index("code")
    rare = gate.loc["Entlastung > keine Entlastung"]
    assert not rare["vorkodierbar"]
    assert rare["grund"].startswith("zu wenige Beispiele")
    assert gate.loc["Belastung > Teilnahme in der Freizeit", "vorkodierbar"]
    low = gate[(gate["n_beispiele"] >= 8) & (gate["kappa"] < 0.6)]
    assert low["grund"].str.startswith("Übereinstimmung mit den Kodierenden nicht").all()
    assert (gate["kappa_untergrenze"] <= gate["kappa"]).all()
    passed = gate[gate["vorkodierbar"]]
    assert (passed["kappa_untergrenze"] >= 0.6).all()


def test_precode_calibration_map_is_monotone(trained) -> None:
    precoder, _, calib = trained
    xs, ys = precoder.calibration_map
    assert list(xs) == sorted(xs) and list(ys) == sorted(ys)
    assert {"regel", "modell", "kombiniert", "kombiniert, kalibriert"} <= set(calib["methode"])


def test_precode_suggestions_for_the_uncoded_wave(
    trained, demo_corpus, codebook, tmp_path: Path
) -> None:
    precoder, _, _ = trained
    docs = demo_corpus["documents"]
    uncoded = docs[docs["n_codings"] == 0]
    paras = demo_corpus["paragraphs"].merge(uncoded[["doc_id", "document_name"]], on="doc_id")
    suggestions = precoder.suggest(paras, codebook)
    assert list(suggestions.columns) == SUGGESTION_COLUMNS
    assert len(suggestions) > 50
    assert set(suggestions["code"]) <= set(precoder.allowed())
    assert suggestions["score"].between(0, 1).all()
    assert set(suggestions["method"]) <= {"regel", "modell", "regel+modell"}
    assert (suggestions["evidence"] != "").all()
    assert suggestions["suggestion_id"].is_unique
    speakers = paras.set_index(["doc_id", "paragraph"])["speaker"]
    asked = [
        speakers.get((d, p))
        for d, p in zip(suggestions["doc_id"], suggestions["paragraph"], strict=True)
    ]
    assert "I" not in asked
    precoder.save(tmp_path)
    again = Precoder.load(tmp_path).suggest(paras, codebook)
    pd.testing.assert_frame_equal(suggestions, again)


def test_precode_rule_pass_on_text_with_no_codes(nlp) -> None:
    assert found(nlp, "Das Wetter war an dem Tag furchtbar.") == set()


def test_precode_offline_sentence_embeddings_separate_topics() -> None:
    from asaqda.precode.features import SentenceEmbedder

    emb = (
        SentenceEmbedder()
        .fit([])
        .transform(
            [
                "Wir stellen unsere Auszubildenden für den Förderunterricht nicht frei.",
                "Eine Freistellung für die Nachhilfe gibt es bei uns nicht.",
                "Am Wochenende spiele ich Fußball mit meinen Freunden.",
            ]
        )
    )
    assert emb.shape == (3, 512)
    sims = emb @ emb.T
    assert sims[0, 1] > sims[0, 2] + 0.1


def test_precode_nb_ratio_favours_words_of_the_positive_class() -> None:
    import numpy as np
    from scipy import sparse

    from asaqda.precode.features import nb_ratio

    x = sparse.csr_matrix(np.array([[1, 0], [1, 0], [0, 1], [0, 1]], dtype=np.float32))
    r = nb_ratio(x, np.array([True, True, False, False]))
    assert r[0] > 0 > r[1]


def test_precode_stage_without_any_coding_reports_instead_of_crashing(tmp_path: Path) -> None:
    from asaqda.stages import (
        codebook_step,
        import_step,
        precode_quality_step,
        precode_step,
        reviewed_codings_step,
        train_step,
    )

    from .conftest import make_wave

    make_wave(tmp_path / "in", rows=[])
    out = tmp_path / "out"
    import_step(tmp_path / "in", "2023-1", out / "interim" / "2023-1")
    codebook_step(
        REPO / "codebook",
        out / "interim" / "codebook.json",
        out / "k.docx",
        out / "k.xlsx",
        out / "m.xlsx",
    )
    wave_dir = out / "interim" / "2023-1"
    reviewed_codings_step(
        wave_dir,
        out / "interim" / "codebook.json",
        wave_dir / "codings_reviewed.parquet",
        wave_dir / "documents_checked.parquet",
    )
    model_dir = out / "interim" / "model" / "2023-1"
    precoder = train_step([wave_dir], out / "interim" / "codebook.json", model_dir, PrecodeParams())
    precode_quality_step(model_dir, [], out / "interim" / "codebook.json", out / "vorcodierung")
    assert precoder.model is None and not precoder.allowed()
    gate = pd.read_csv(out / "vorcodierung" / "nicht_vorkodierbar.csv")
    assert gate["grund"].str.contains("die Trainingsmenge ist leer").all()
    suggestions = precode_step(
        wave_dir,
        out / "interim" / "codebook.json",
        model_dir,
        wave_dir / "suggestions.parquet",
    )
    assert suggestions.empty
    assert (
        list(pd.read_parquet(out / "interim" / "2023-1" / "suggestions.parquet").columns)
        == SUGGESTION_COLUMNS
    )


def test_precode_partly_coded_documents_get_suggestions_only_where_nobody_coded(
    trained, tmp_path: Path
) -> None:
    import dataclasses

    from asaqda.io.wave import write_wave
    from asaqda.precode.model import coded_paragraphs
    from asaqda.stages import codebook_step, precode_step

    precoder, _, _ = trained
    precoder = dataclasses.replace(
        precoder, params=dataclasses.replace(precoder.params, only_uncoded=False)
    )
    precoder.save(tmp_path / "model")
    wave = import_wave(DEMO, "2024-1")  # the wave with double-coded documents
    wave.codings = wave.codings.iloc[::2].reset_index(drop=True)  # coders stopped half way
    write_wave(wave, tmp_path / "2024-1")
    codebook_step(
        REPO / "codebook",
        tmp_path / "cb.json",
        tmp_path / "k.docx",
        tmp_path / "k.xlsx",
        tmp_path / "m.xlsx",
    )
    suggestions = precode_step(
        tmp_path / "2024-1", tmp_path / "cb.json", tmp_path / "model", tmp_path / "s.parquet"
    )
    assert len(suggestions) > 0
    copies = wave.documents.loc[wave.documents["document_group"] == "Zweitkodierung", "doc_id"]
    assert len(copies) and not suggestions["doc_id"].isin(copies).any()
    covered = set(
        map(tuple, coded_paragraphs(wave.codings)[["doc_id", "paragraph"]].itertuples(index=False))
    )
    proposed = set(zip(suggestions["doc_id"], suggestions["paragraph"], strict=True))
    assert not proposed & covered


def test_precode_coded_paragraphs_expand_spans_whatever_the_index() -> None:
    from asaqda.precode.model import coded_paragraphs

    codings = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "c"],
            "code": ["X", "Y", "X", "Z"],
            "begin": pd.array([2, 5, 1, None], dtype="Int64"),
            "end": pd.array([4, 5, 1, None], dtype="Int64"),
        },
        index=[0, 0, 1, 1],  # as after concatenating waves without a new index
    )
    out = coded_paragraphs(codings)
    assert list(out.itertuples(index=False, name=None)) == [
        ("a", 2, "X"),
        ("a", 3, "X"),
        ("a", 4, "X"),
        ("a", 5, "Y"),
        ("b", 1, "X"),
    ]


def test_precode_calibration_is_cross_fitted_on_the_other_folds() -> None:
    # fold 0: raw 0.6 wrong, 0.9 right; fold 1: both right. Fitted on everything the map
    # gives 0.6 -> 0.5; cross-fitted, fold 0 is mapped with fold 1's map (0.6 -> 1) and fold 1
    # with fold 0's (0.6 -> 0)
    scores = np.array([[0.6], [0.9], [0.6], [0.9], [0.0]], dtype=np.float32)
    truth = np.array([[0], [1], [1], [1], [0]], dtype=np.int8)
    fold = np.array([0, 0, 1, 1, 1])
    assert fit_calibration(scores, truth) == ([0.6, 0.9], [0.5, 1.0])
    crossed = cross_fit_calibration(scores, truth, fold)
    assert crossed.ravel().tolist() == [1.0, 1.0, 0.0, 1.0, 0.0]
    assert apply_calibration(
        np.array([0.0, 0.6, 0.75, 0.95]), ([0.6, 0.9], [0.5, 1.0])
    ).tolist() == [
        0.0,
        0.5,
        0.75,
        1.0,
    ]


def test_precode_suggestion_is_decided_on_the_score_it_shows(codebook) -> None:
    # both paragraphs hit a rule with raw score 0.6 / 0.7; the calibration map says that only
    # 15 % of raw-0.6 suggestions were right: that one is not suggested (before, it was, and
    # shown at 0.15), the other is suggested with the score that decided it
    keine, voll = "Freistellung > keine", "Freistellung > vollständig"
    gate = pd.DataFrame(
        {"code": [keine, voll], "n_beispiele": 20, "kappa": 0.9, "vorkodierbar": True, "grund": ""}
    )
    precoder = Precoder(
        None,
        {keine: 0.6, voll: 0.7},
        gate,
        PrecodeParams(),
        "m1",
        "1.0",
        ([0.6, 0.7], [0.15, 0.8]),
    )
    paras = pd.DataFrame(
        {
            "wave": "2026-1",
            "doc_id": "d1",
            "document_name": "U01_2026-1",
            "paragraph": [1, 2],
            "speaker": "B",
            "content": [
                "Eine Freistellung gibt es bei uns nicht.",
                "Wir stellen sie für die Termine beim Träger komplett frei.",
            ],
        }
    )
    out = precoder.suggest(paras, codebook)
    assert out[["paragraph", "code", "score", "method"]].values.tolist() == [
        [2, voll, 0.8, "regel"]
    ]
    assert (out["score"] >= precoder.params.threshold).all()


def test_precode_demo_suggestions_all_reach_the_threshold(trained, demo_corpus, codebook) -> None:
    precoder, metrics, calib = trained
    docs = demo_corpus["documents"]
    uncoded = docs[docs["n_codings"] == 0]
    paras = demo_corpus["paragraphs"].merge(uncoded[["doc_id", "document_name"]], on="doc_id")
    suggestions = precoder.suggest(paras, codebook)
    own = suggestions["code"].map(precoder.thresholds)
    assert (suggestions["score"] >= own).all()
    assert set(precoder.thresholds) == set(leaf_codes(codebook))
    assert "kombiniert, kalibriert" in set(metrics["methode"])


def test_precode_thresholds_are_chosen_per_code_for_f1_or_a_precision() -> None:
    # code A: at 0.9 F1 = 2/3, at 0.8 1/2, at 0.3 4/5 (best), at 0.2 2/3; precision 1, 1/2,
    # 2/3, 1/2. For F1 the threshold lies between 0.3 and the next lower score 0.2. Code B has
    # no human coding: the default stays. Code C: best F1 for every threshold in (0.1, 0.8]
    scores = np.array(
        [[0.9, 0.7, 0.9], [0.8, 0.0, 0.8], [0.3, 0.2, 0.1], [0.2, 0.0, 0.0], [0.0, 0.0, 0.0]]
    )
    truth = np.array([[1, 0, 1], [0, 0, 1], [1, 0, 0], [0, 0, 0], [0, 0, 0]])
    assert choose_thresholds(scores, truth).tolist() == [0.25, 0.5, 0.45]
    # fewer human codings than min_positives (here 3; A and C have 2): the default
    assert choose_thresholds(scores, truth, min_positives=3).tolist() == [0.5, 0.5, 0.5]
    got = choose_thresholds(scores, truth, target_precision=0.6).tolist()
    assert got == [0.3, 0.5, 0.1]  # C: 2 of 3 right at 0.1
    assert choose_thresholds(scores, truth, target_precision=0.9).tolist() == [0.9, 0.5, 0.8]
    # no score reaches the precision: never suggested
    got = choose_thresholds(scores[1:, :1], truth[1:, :1], target_precision=0.9).tolist()
    assert got == [1.001]


def test_precode_thresholds_decide_each_fold_with_the_other_folds_only() -> None:
    # fold 0 alone would pick 0.55; fold 1 alone 0.35: each fold is decided with the other's
    scores = np.array([[0.6], [0.5], [0.4], [0.3]])
    truth = np.array([[1], [0], [1], [0]])
    fold = np.array([0, 0, 1, 1])
    decided = cross_fit_thresholds(scores, truth, fold)
    assert decided.ravel().tolist() == [True, True, False, False]


def test_precode_suggestion_names_the_runner_up_codes_of_its_paragraph(codebook) -> None:
    # paragraph 1 hits the rules of 'keine' (0.6) and 'vollständig' (0.7); 'keine' has its own
    # threshold 0.65 and is not suggested, but it is shown as the second code
    keine, voll = "Freistellung > keine", "Freistellung > vollständig"
    gate = pd.DataFrame(
        {"code": [keine, voll], "n_beispiele": 20, "kappa": 0.9, "vorkodierbar": True, "grund": ""}
    )
    precoder = Precoder(
        None,
        {keine: 0.6, voll: 0.7},
        gate,
        PrecodeParams(),
        "m1",
        "1.0",
        thresholds={keine: 0.65, voll: 0.5},
    )
    paras = pd.DataFrame(
        {
            "wave": "2026-1",
            "doc_id": "d1",
            "document_name": "U01_2026-1",
            "paragraph": [1, 2],
            "speaker": "B",
            "content": [
                "Eine Freistellung gibt es bei uns nicht. Wir stellen sie für die Termine beim "
                "Träger komplett frei.",
                "Wir stellen sie für die Termine beim Träger komplett frei.",
            ],
        }
    )
    out = precoder.suggest(paras, codebook)
    cols = ["paragraph", "code", "score", "rank", "code_2", "score_2", "code_3"]
    got = out[cols].astype(object).where(out[cols].notna(), None).values.tolist()
    assert got == [[1, voll, 0.7, 1, keine, 0.6, ""], [2, voll, 0.7, 1, "", None, ""]]


def test_precode_gate_uses_the_lower_95_percent_bound_of_kappa() -> None:
    # 10 paragraphs, human 2 codes, machine 1 (right): po 0.9, pe 0.2*0.1 + 0.8*0.9 = 0.74,
    # kappa 0.16/0.26 = 0.615, SE sqrt(0.09 / (10 * 0.0676)) = 0.365, lower 0.615 - 0.715
    y = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    p = np.array([1, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    assert round(kappa_lower_bound(y, p, 0.16 / 0.26), 3) == -0.1
    metrics = pd.DataFrame(
        {
            "code": ["A", "B"],
            "methode": "kombiniert, kalibriert",
            "n_beispiele": [10, 40],
            "kappa": [0.9, 0.9],
            "kappa_untergrenze": [0.55, 0.8],
        }
    )
    gate = quality_gate(metrics, ["A", "B"], min_kappa=0.6, min_examples=8).set_index("code")
    assert gate["vorkodierbar"].tolist() == [False, True]
    assert gate.loc["A", "grund"] == (
        "Übereinstimmung mit den Kodierenden nicht gesichert (κ = 0.90, untere 95-%-Grenze "
        "0.55 < 0.60)"
    )


def test_precode_forward_quality_trains_only_on_earlier_waves() -> None:
    # three waves of two documents; in 2023-1 and 2023-2 'Kosten/Geld' is code A and
    # 'Urlaub/Freizeit' code B, in 2024-1 the coders swap them: a model that saw only the
    # earlier waves gets every code of 2024-1 wrong (recall 0), one that had seen it would not
    from asaqda.precode.forward import forward_evaluate

    rows = []
    for wave in ("2023-1", "2023-2", "2024-1"):
        a, b = ("A", "B") if wave != "2024-1" else ("B", "A")
        for d in ("x", "y"):
            for i in range(6):
                rows.append((wave, f"{wave}{d}", 2 * i, f"Kosten und Geld drücken {i}", (a,)))
                rows.append((wave, f"{wave}{d}", 2 * i + 1, f"Urlaub und Freizeit {i}", (b,)))
    table = pd.DataFrame(rows, columns=["wave", "doc_id", "paragraph", "content", "labels"])
    hits = pd.DataFrame(0, index=table.index, columns=["A", "B"])
    out = forward_evaluate(table, hits, ["A", "B"], n_splits=2, min_examples=5)
    assert out["welle"].drop_duplicates().tolist() == ["2023-2", "2024-1", "alle"]
    by = out.set_index(["welle", "code"])
    assert by.loc[("2023-2", "micro"), "trainiert_auf"] == "2023-1"
    assert by.loc[("2024-1", "micro"), "trainiert_auf"] == "2023-1 bis 2023-2"
    assert by.loc[("2023-2", "A"), "recall"] == 1.0
    assert by.loc[("2024-1", "A"), "recall"] == 0.0
    assert by.loc[("2024-1", "B"), "recall"] == 0.0
    assert by.loc[("2023-2", "B"), "f1"] == 1.0
    assert by.loc[("alle", "micro"), "n_beispiele"] == 48


def test_precode_forward_table_scores_each_wave_and_pools_them() -> None:
    from asaqda.precode.forward import ALL_WAVES, forward_table

    w2 = pd.DataFrame(
        {
            "welle": "2023-2",
            "trainiert_auf": "2023-1",
            "mensch": [("A",), ("B",), ()],
            "maschine": [("A",), (), ("A",)],
        }
    )
    w3 = pd.DataFrame(
        {
            "welle": "2024-1",
            "trainiert_auf": "2023-1 bis 2023-2",
            "mensch": [("B",)],
            "maschine": [("B",)],
        }
    )
    empty = pd.DataFrame(columns=["welle", "trainiert_auf", "mensch", "maschine"])
    table = forward_table([w2, empty, w3], ["A", "B"])
    micro = table[table["code"] == "micro"].set_index("welle")
    # 2023-2: one hit (A), one false alarm (A), one miss (B)
    assert micro.loc["2023-2", ["precision", "recall"]].tolist() == [0.5, 0.5]
    assert micro.loc["2024-1", ["precision", "recall"]].tolist() == [1.0, 1.0]
    # pooled: 2 hits, 1 false alarm, 1 miss
    assert micro.loc[ALL_WAVES, ["precision", "recall"]].round(3).tolist() == [0.667, 0.667]
    assert table.loc[table["welle"] == "2024-1", "trainiert_auf"].iloc[0] == "2023-1 bis 2023-2"
    assert list(table["welle"].unique()) == ["2023-2", "2024-1", ALL_WAVES]
