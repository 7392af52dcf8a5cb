"""Which classifier for pre-coding: spaCy textcat_multilabel or scikit-learn? Measured.

Both are trained and scored on the same 5 folds of the demo corpus, grouped by document (no
document in training and test): micro and macro F1 and Cohen's kappa at threshold 0.5, the
Brier score of the probabilities (lower = better calibrated), and training time.

Usage: python benchmarks/precode_model_choice.py
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import numpy as np
import pandas as pd
import spacy
from sklearn.metrics import cohen_kappa_score, f1_score
from sklearn.model_selection import GroupKFold
from spacy.training import Example

from asaqda.codebook import load_codebook
from asaqda.io.wave import discover_waves, import_wave
from asaqda.precode.evaluate import truth_matrix
from asaqda.precode.model import ParagraphCoder, paragraph_table
from asaqda.precode.precoder import interviewee_rows, leaf_codes

REPO = Path(__file__).resolve().parents[1]


def spacy_textcat(
    train_texts: list[str],
    train_labels: list[tuple[str, ...]],
    codes: list[str],
    test_texts: list[str],
    epochs: int = 8,
) -> np.ndarray:
    """spaCy textcat_multilabel (bag-of-words uni+bigrams, CPU) -> probabilities."""
    nlp = spacy.blank("de")
    textcat = nlp.add_pipe(
        "textcat_multilabel",
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": False,
                "ngram_size": 2,
                "no_output_layer": False,
            }
        },
    )
    for c in codes:
        textcat.add_label(c)
    examples = [
        Example.from_dict(nlp.make_doc(t), {"cats": {c: float(c in ls) for c in codes}})
        for t, ls in zip(train_texts, train_labels, strict=True)
    ]
    spacy.util.fix_random_seed(0)
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(0)
    for _ in range(epochs):
        rng.shuffle(examples)
        for batch in spacy.util.minibatch(examples, size=64):
            nlp.update(batch, sgd=optimizer)
    return np.array([[doc.cats[c] for c in codes] for doc in nlp.pipe(test_texts)])


def scores(name: str, truth: np.ndarray, proba: np.ndarray, seconds: float) -> dict[str, object]:
    pred = (proba >= 0.5).astype(int)
    kappas = [
        cohen_kappa_score(truth[:, j], pred[:, j])
        for j in range(truth.shape[1])
        if truth[:, j].any()
    ]
    return {
        "Modell": name,
        "micro-F1": round(f1_score(truth, pred, average="micro", zero_division=0), 3),
        "macro-F1": round(f1_score(truth, pred, average="macro", zero_division=0), 3),
        "mittleres Kappa": round(float(np.mean(kappas)), 3),
        "Brier": round(float(np.mean((proba - truth) ** 2)), 5),
        "Trainingszeit s": round(seconds, 1),
    }


def main() -> None:
    demo = REPO / "data" / "demo"
    results = [import_wave(demo, w) for w in discover_waves(demo)]
    docs = pd.concat([r.documents for r in results], ignore_index=True)
    paras = pd.concat([r.paragraphs for r in results], ignore_index=True)
    cods = pd.concat([r.codings for r in results if len(r.codings)], ignore_index=True)
    codebook = load_codebook(REPO / "codebook")
    table = interviewee_rows(paragraph_table(paras, cods, docs, leaf_codes(codebook)))
    counts = {c: sum(c in ls for ls in table["labels"]) for c in leaf_codes(codebook)}
    codes = [c for c, n in counts.items() if n >= 8]  # the codes both can learn
    truth = truth_matrix(table["labels"], codes)
    texts, labels = table["content"].tolist(), list(table["labels"])
    sk, sp = np.zeros(truth.shape), np.zeros(truth.shape)
    t_sk = t_sp = 0.0
    for train, test in GroupKFold(5).split(table, groups=table["doc_id"]):
        start = time.perf_counter()
        model = ParagraphCoder().fit([texts[i] for i in train], [labels[i] for i in train], codes)
        proba = model.predict_proba([texts[i] for i in test])
        t_sk += time.perf_counter() - start
        for j, c in enumerate(codes):
            if c in proba:
                sk[test, j] = proba[c].to_numpy()
        start = time.perf_counter()
        sp[test] = spacy_textcat(
            [texts[i] for i in train], [labels[i] for i in train], codes, [texts[i] for i in test]
        )
        t_sp += time.perf_counter() - start
    print(
        f"demo corpus: {len(table)} interviewee paragraphs, {len(codes)} codes with >= 8 "
        "examples, 5 folds grouped by document"
    )
    print(
        pd.DataFrame(
            [
                scores("scikit-learn (TF-IDF + SGD, Platt)", truth, sk, t_sk),
                scores("spaCy textcat_multilabel (BOW)", truth, sp, t_sp),
            ]
        ).to_string(index=False)
    )


if __name__ == "__main__":
    main()
