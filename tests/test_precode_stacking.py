"""Stacked pre-coding model: base learners, context of a turn, main categories, stacker."""

from __future__ import annotations

import numpy as np
import pandas as pd

from asaqda.precode.features import neighbour_rows, with_question
from asaqda.precode.model import ParagraphCoder, table_views
from asaqda.precode.stacking import Views, main_categories, with_parents

# only the base learners and parts a test names: no embeddings (slow), no rules
ONLY = {"neighbours": False, "parents": False, "rules": False, "min_examples": 5}


def compound_corpus() -> tuple[list[str], list[tuple[str, ...]]]:
    """Every paragraph reads 'Das war die <compound> im Betrieb.'; code A where the compound
    contains 'freistell'. Each compound occurs once, so the word n-grams (min_df 2) see only
    the shared words: only the character n-grams can tell the code."""
    prefixes = ["Teil", "Voll", "Sonder", "Zeit", "Kurz"]
    suffixes = ["ungsregel", "ungsantrag", "ungstag", "ungszeit"]
    texts, labels = [], []
    for stem, label in (("freistell", ("A",)), ("berufsschul", ())):
        for p in prefixes:
            for s in suffixes:
                word = p + stem + (s if stem == "freistell" else s.removeprefix("ungs"))
                texts.append(f"Das war die {word} im Betrieb.")
                labels.append(label)
    return texts, labels


def test_precode_stacking_char_ngrams_catch_compounds_the_words_miss() -> None:
    texts, labels = compound_corpus()
    new = [
        "Das war die Halbfreistellungsfrist im Betrieb.",
        "Das war die Halbberufsschulfrist im Betrieb.",
    ]
    word = ParagraphCoder(learners=("word",), **ONLY).fit(texts, labels, ["A"])
    both = ParagraphCoder(learners=("word", "char"), **ONLY).fit(texts, labels, ["A"])
    p_word = word.predict_proba(new)["A"].to_numpy()
    p_both = both.predict_proba(new)["A"].to_numpy()
    # the word learner alone scores both alike: one of the two is decided wrongly
    assert p_word[0] == p_word[1]
    assert ((p_word >= 0.5) == [True, False]).sum() == 1
    # stacked with the character n-grams both are right
    assert (p_both >= 0.5).tolist() == [True, False]


def interviews(n_docs: int) -> pd.DataFrame:
    """Interviews of four question/answer pairs; the answer is the same words whatever the
    question, so only the preceding question names the topic."""
    rows = []
    questions = {
        "Freistellung": ["Wie lief die Freistellung?", "Und die Freistellung im Betrieb?"],
        "Unterricht": ["Wie war der Unterricht?", "Und der Unterricht in der Schule?"],
    }
    for d in range(n_docs):
        number = 0
        for k in range(4):
            code = "Freistellung" if (d + k) % 2 == 0 else "Unterricht"
            number += 1
            rows.append((f"D{d:02d}", number, "I", questions[code][k % 2], ()))
            number += 1
            rows.append((f"D{d:02d}", number, "B", f"Ja, das lief gut, Nummer {k}.", (code,)))
    return pd.DataFrame(rows, columns=["doc_id", "paragraph", "speaker", "content", "labels"])


def test_precode_stacking_preceding_question_names_the_topic() -> None:
    table = with_question(interviews(12))
    table = table[table["speaker"] == "B"].reset_index(drop=True)
    codes = ["Freistellung", "Unterricht"]
    labels = list(table["labels"])
    groups = table["doc_id"].to_numpy()
    with_q = ParagraphCoder(learners=("word", "question"), **ONLY)
    with_q.fit(table_views(table), labels, codes, groups=groups)
    alone = ParagraphCoder(learners=("word",), **ONLY)
    alone.fit(table_views(table), labels, codes, groups=groups)
    new = pd.DataFrame(
        {
            "doc_id": ["N", "N", "N", "N"],
            "paragraph": [1, 2, 3, 4],
            "speaker": ["I", "B", "I", "B"],
            "content": [
                "Und wie lief die Freistellung im zweiten Jahr?",
                "Ja, das lief gut, Nummer 1.",
                "Wie war der Unterricht dann?",
                "Ja, das lief gut, Nummer 1.",
            ],
        }
    )
    rows = with_question(new)
    rows = rows[rows["speaker"] == "B"].reset_index(drop=True)
    p = with_q.predict_proba(table_views(rows))
    assert p.idxmax(axis=1).tolist() == ["Freistellung", "Unterricht"]
    assert ((p >= 0.5).to_numpy()).tolist() == [[True, False], [False, True]]
    # without the question the two identical answers get identical scores
    q = alone.predict_proba(table_views(rows)).to_numpy()
    assert (q[0] == q[1]).all()


def test_precode_stacking_question_is_the_last_interviewer_turn_of_the_document() -> None:
    frame = pd.DataFrame(
        {
            "doc_id": ["A", "A", "A", "A", "B", "A"],
            "paragraph": [1, 2, 3, 4, 1, 5],
            "speaker": ["B", "I", "B", "B", "B", "I"],
            "content": ["Vorweg", "Frage eins?", "Antwort", "Weiter", "Anderes Dokument", "Zwei?"],
        }
    )
    assert with_question(frame)["question"].tolist() == [
        "",
        "",
        "Frage eins?",
        "Frage eins?",
        "",
        "",
    ]


def test_precode_stacking_neighbours_stay_in_their_document() -> None:
    frame = pd.DataFrame({"doc_id": ["B", "A", "A", "B", "A"], "paragraph": [2, 9, 3, 1, 5]})
    prev, nxt = neighbour_rows(frame)
    assert prev.tolist() == [3, 4, -1, -1, 2]
    assert nxt.tolist() == [-1, -1, 4, 0, 1]
    # a subset re-numbers the neighbours and drops those outside it
    views = Views(["b2", "a9", "a3", "b1", "a5"], prev=prev, next=nxt).take(np.array([1, 4, 0]))
    assert views.prev.tolist() == [1, -1, -1]
    assert views.next.tolist() == [-1, 0, -1]


def test_precode_stacking_main_category_is_a_level_where_it_has_two_codes() -> None:
    codes = ["Freistellung > keine", "Freistellung > vollständig", "Bekanntheit", "Belastung > x"]
    parents, parent_of = main_categories(codes)
    assert parents == ["Freistellung"]
    assert parent_of.tolist() == [0, 0, -1, -1]
    y = np.array([[1, 0, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1]], dtype=np.int8)
    assert with_parents(y, parent_of, 1)[:, -1].tolist() == [1, 1, 0]


def test_precode_stacking_rules_join_the_stacker_instead_of_max() -> None:
    from asaqda.precode.evaluate import combine, rule_precision

    # code A: the paragraphs about Freistellung; the rule fires on half of them and on as
    # many other paragraphs (precision 0.5), so max(rule, model) suggests every rule hit
    texts = [f"Die Freistellung klappte gut, Woche {i}." for i in range(20)] + [
        f"Der Unterricht klappte gut, Woche {i}." for i in range(20)
    ]
    labels = [("A",)] * 20 + [()] * 20
    hits = np.array([[i % 2] for i in range(40)], dtype=np.float32)
    coder = ParagraphCoder(learners=("word",), **{**ONLY, "rules": True})
    coder.fit(texts, labels, ["A"], hits=hits)
    new = ["Der Unterricht klappte gut, Woche 99.", "Die Freistellung klappte gut, Woche 99."]
    new_hits = np.array([[1.0], [0.0]], dtype=np.float32)
    model, stacked = coder.scores(new, new_hits, ["A"])
    truth = pd.DataFrame({"A": [1] * 20 + [0] * 20})
    rule_s = new_hits * rule_precision(pd.DataFrame(hits, columns=["A"]), truth)["A"]
    assert rule_s[:, 0].tolist() == [0.5, 0.0]
    by_max = combine(rule_s[:, 0], model["A"].to_numpy())
    assert (by_max >= 0.5).tolist() == [True, True]  # the wrong rule hit is suggested
    assert stacked is not None
    assert (stacked["A"].to_numpy() >= 0.5).tolist() == [False, True]


def test_precode_stacking_model_is_byte_identical_on_refit() -> None:
    import pickle

    texts, labels = compound_corpus()
    fits = [
        ParagraphCoder(learners=("word", "char"), **{**ONLY, "neighbours": True}).fit(
            texts, labels, ["A"]
        )
        for _ in range(2)
    ]
    assert pickle.dumps(fits[0], protocol=5) == pickle.dumps(fits[1], protocol=5)


def test_precode_stacking_forward_decisions_read_the_preceding_question() -> None:
    from pathlib import Path

    from asaqda.codebook import load_codebook
    from asaqda.precode.precoder import PrecodeParams, Precoder, leaf_codes

    codebook = load_codebook(Path(__file__).resolve().parents[1] / "codebook")
    names = {"Freistellung": "Freistellung > vollständig", "Unterricht": "Lernortkooperation"}
    assert set(names.values()) <= set(leaf_codes(codebook))
    frame = interviews(12)
    frame["labels"] = [tuple(names[c] for c in ls) for ls in frame["labels"]]
    table = with_question(frame)
    table = table[table["speaker"] == "B"].reset_index(drop=True)
    coder = ParagraphCoder(learners=("word", "question"), **{**ONLY, "rules": True})
    coder.fit(
        table_views(table),
        list(table["labels"]),
        sorted(names.values()),
        groups=table["doc_id"].to_numpy(),
        hits=np.zeros((len(table), 2), dtype=np.float32),
    )
    precoder = Precoder(coder, {}, pd.DataFrame(), PrecodeParams(), "v", "1")
    later = interviews(2).assign(doc_id=lambda f: "N" + f["doc_id"])
    codings = pd.DataFrame(
        [
            (d, names[ls[0]], p, p)
            for d, p, ls in zip(later["doc_id"], later["paragraph"], later["labels"], strict=True)
            if ls
        ],
        columns=["doc_id", "code", "begin", "end"],
    )
    documents = pd.DataFrame({"doc_id": ["ND00", "ND01"], "n_codings": [4, 4]})
    out = precoder.forward_decisions(later.drop(columns="labels"), codings, documents, codebook)
    assert len(out) == 8
    # the answers read alike; only the model's question learner tells the two codes apart
    assert out["maschine"].tolist() == out["mensch"].tolist()
    assert set(out["mensch"].map(len)) == {1}
