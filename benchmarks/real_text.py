"""Pre-coding on real text: the pipeline's own training and evaluation on a labelled corpus.

The corpus is turned into a MAXQDA input folder and a codebook folder
(:func:`asaqda.corpus.convert_corpus`), imported by the real importer, and fed to the
functions the ``train_precoder`` rule uses (``paragraph_table``, the codebook rules,
``evaluate``, ``quality_gate``, ``train_precoder``, ``Precoder.suggest``). Beside it, a
TF-IDF (word 1-2-grams) + LinearSVC baseline on the same folds. Printed per corpus: micro- and
macro-F1, kappa (pooled over all unit-code pairs, and the mean per code), the share of coded
units whose true code is the first suggestion and among the first three, coverage (units with
at least one code at or above the threshold) and time.

Corpora (no network; the files are read from ``--data``):

* ``massive_de``: MASSIVE German intents, 60 codes. Its own split: the pipeline is trained on
  ``train.txt`` (wave 2023-1) and scored on ``test.txt`` (wave 2023-2); ``dev.txt`` is unused.
  Utterances are grouped into pseudo-documents of ``--doc-size`` (fixed seed) for the
  document-grouped cross-validation on the training part.
* ``germeval2018`` (coarse: ``Anstößig > OFFENSE``, OTHER uncoded) and ``germeval2018-fine``
  (ABUSE, INSULT, PROFANITY): the shared task's training/test split, pseudo-documents as above;
  the coarse task also gets the official measure (F1 of macro precision and recall).
* ``demo``: the synthetic demo corpus, one unit per coded segment plus the uncoded interviewee
  paragraphs, with the sentence *templates* held out instead of documents: every template of
  a code is put into one of five groups (fixed seed), each group is one document, so the
  pipeline's document-grouped folds never see a test template in training. The repository's
  codebook (with its rule patterns) is used. ``demo-dokumente``: the same units grouped by
  their interviews, as the pipeline's own folds group the demo.

With ``--ablation`` each part of the stacked model is switched on and off instead (base
learners word / char / use / question, stacker parts neighbours / parents / rules; without
``rules`` the rule and model scores are combined by ``max``): the base learners' out-of-fold
scores are computed once per corpus, each variant re-fits only the stacker. Printed per variant:
micro-F1, first, among the first three and the time of its learners, beside the baseline, for
the cross-validation and the corpus's own test part.

Usage: python benchmarks/real_text.py CORPUS [--data DIR] [--work DIR] [--sample N]
       [--doc-size N] [--format txt|docx] [--ablation]
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import cohen_kappa_score, f1_score
from sklearn.model_selection import GroupKFold
from sklearn.svm import LinearSVC

from asaqda.codebook import Codebook, load_codebook
from asaqda.corpus import convert_corpus, pseudo_documents
from asaqda.io.wave import import_wave
from asaqda.precode.evaluate import (
    CALIBRATED,
    combine,
    evaluate,
    quality_gate,
    rule_hits,
    rule_precision,
    truth_matrix,
)
from asaqda.precode.features import with_question
from asaqda.precode.model import ParagraphCoder, paragraph_table, table_views
from asaqda.precode.nlp import make_nlp
from asaqda.precode.precoder import (
    PrecodeParams,
    interviewee_rows,
    leaf_codes,
    run_rules,
    train_precoder,
)
from asaqda.precode.rules import rules_config
from asaqda.precode.stacking import (
    LEARNERS,
    Stacker,
    StackParts,
    cross_fit_stacker,
    fit_learners,
    learner_scores,
    main_categories,
    oof_scores,
    stack_features,
)

REPO = Path(__file__).resolve().parents[1]
EXTERNAL = REPO.parent / "shared" / "external"
SEED = 0
TRAIN_WAVE, TEST_WAVE = "2023-1", "2023-2"
CORPORA = ("massive_de", "germeval2018", "germeval2018-fine", "demo", "demo-dokumente")


# ---------------------------------------------------------------------------- corpora


@dataclass
class Corpus:
    """Units (text, codes, document, wave) and how they are split."""

    name: str
    units: pd.DataFrame
    split: str
    codebook_dir: Path | None = None  # None: the converted codebook


def _read_tsv(path: Path) -> list[list[str]]:
    return [
        line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def _sample(frame: pd.DataFrame, n: int | None, seed: int) -> pd.DataFrame:
    if n is None or n >= len(frame):
        return frame
    return frame.sample(n=n, random_state=seed).sort_index()


def _with_documents(train: pd.DataFrame, test: pd.DataFrame, size: int) -> pd.DataFrame:
    train = train.assign(
        document=pseudo_documents(len(train), size, SEED, "D"), wave=TRAIN_WAVE, part="train"
    )
    test = test.assign(
        document=pseudo_documents(len(test), size, SEED, "T"), wave=TEST_WAVE, part="test"
    )
    return pd.concat([train, test], ignore_index=True)


def massive(data: Path, size: int, sample: int | None) -> Corpus:
    """MASSIVE de-DE intents: ``Absicht > 00`` ... ``Absicht > 59``."""

    def read(name: str) -> pd.DataFrame:
        rows = _read_tsv(data / name)
        return pd.DataFrame(
            {"text": [r[0] for r in rows], "codes": [(f"Absicht > {int(r[1]):02d}",) for r in rows]}
        )

    train, test = _sample(read("train.txt"), sample, SEED), read("test.txt")
    split = (
        f"eigene Aufteilung: train.txt ({len(train)}"
        + (" Stichprobe" if sample else "")
        + f") -> test.txt ({len(test)}), dev.txt nicht benutzt; "
        f"Pseudo-Dokumente zu {size} Äußerungen (Seed {SEED})"
    )
    return Corpus("massive_de", _with_documents(train, test, size), split)


def _tweet(text: str) -> str:
    text = text.replace("|LBR|", " ")
    return re.sub(r"https?://\S+", "URL", re.sub(r"@\w+", "@USER", text))


def germeval(data: Path, size: int, sample: int | None, fine: bool) -> Corpus:
    """GermEval 2018: coarse (``Anstößig > OFFENSE``) or fine (ABUSE, INSULT, PROFANITY);
    OTHER stays uncoded."""

    def read(name: str) -> pd.DataFrame:
        rows = _read_tsv(data / name)
        label = [r[2].strip() if fine else r[1].strip() for r in rows]
        return pd.DataFrame(
            {
                "text": [_tweet(r[0]) for r in rows],
                "codes": [() if lab == "OTHER" else (f"Anstößig > {lab}",) for lab in label],
            }
        )

    train = _sample(read("germeval2018.training.txt"), sample, SEED)
    test = read("germeval2018.test.txt")
    split = (
        f"eigene Aufteilung: training ({len(train)}) -> test ({len(test)}); "
        f"Pseudo-Dokumente zu {size} Tweets (Seed {SEED})"
    )
    name = "germeval2018-fine" if fine else "germeval2018"
    return Corpus(name, _with_documents(train, test, size), split)


def _template_patterns() -> dict[str, list[re.Pattern[str]]]:
    from asaqda.demo.sentences import CODE_SENTENCES, SLOTS

    def pattern(template: str) -> re.Pattern[str]:
        parts = re.split(r"\{(\w+)\}", template.rstrip(".!?"))
        regex = "".join(
            re.escape(p) if k % 2 == 0 else "(?:" + "|".join(map(re.escape, SLOTS[p])) + ")"
            for k, p in enumerate(parts)
        )
        return re.compile(regex, re.IGNORECASE)

    return {code: [pattern(t) for t in ts] for code, ts in CODE_SENTENCES.items()}


def template_of(text: str, patterns: list[re.Pattern[str]]) -> int | None:
    """Index of the (longest) template whose wording the text contains, or None."""
    found = [(len(p.pattern), k) for k, p in enumerate(patterns) if p.search(text)]
    return max(found)[1] if found else None


def demo(n_groups: int = 5, by_documents: bool = False) -> tuple[Corpus, int]:
    """The demo corpus by held-out templates (see the module docstring), or with the same
    units in their own interviews (``by_documents``: the folds the pipeline uses on the demo);
    also returns the number of segment pieces whose template was not recognised (dropped)."""
    from asaqda.demo.generator import SECOND_CODING_GROUP, generate_corpus

    patterns = _template_patterns()
    rng = random.Random(SEED)
    group_of: dict[tuple[str, int], int] = {}
    for code in sorted(patterns):
        offset = rng.randrange(n_groups)
        order = list(range(len(patterns[code])))
        rng.shuffle(order)
        for position, k in enumerate(order):
            group_of[(code, k)] = (position + offset) % n_groups
    rows, unknown = [], 0
    for iv in generate_corpus("demo"):
        if not iv.coded or iv.group == SECOND_CODING_GROUP:
            continue
        covered = set()
        for c in iv.codings:
            covered.update(range(c.begin, c.end + 1))
            for piece in c.segment.split("\n"):
                k = template_of(piece, patterns[c.code])
                if k is None:
                    unknown += 1
                    continue
                group = f"V{group_of[(c.code, k)] + 1}"
                rows.append((piece, (c.code,), f"{iv.wave}_{iv.name}" if by_documents else group))
        for number, paragraph in enumerate(iv.paragraphs, start=1):
            if number not in covered and paragraph.startswith("B: "):
                group = f"V{rng.randrange(n_groups) + 1}"
                rows.append((paragraph[3:], (), f"{iv.wave}_{iv.name}" if by_documents else group))
    units = pd.DataFrame(rows, columns=["text", "codes", "document"]).assign(
        wave=TRAIN_WAVE, part="train"
    )
    units_are = "eine Einheit je kodiertem Segment, dazu die unkodierten Absätze der Befragten"
    if by_documents:
        split = f"nach Interviews gruppiert wie in der Pipeline; {units_are}"
        return Corpus("demo-dokumente", units, split, REPO / "codebook"), unknown
    split = (
        f"Vorlagen zurückgehalten: die {len(group_of)} Satzvorlagen je Code auf {n_groups} "
        f"Gruppen verteilt (Seed {SEED}), eine Gruppe = ein Dokument; {units_are} "
        "(zufällige Gruppe)"
    )
    return Corpus("demo", units, split, REPO / "codebook"), unknown


# ---------------------------------------------------------------------------- figures


def figures(scores: np.ndarray, truth: np.ndarray, decided: np.ndarray) -> dict[str, float]:
    """Micro/macro-F1, kappa, first/among-three, coverage of one score matrix.

    ``scores`` ranks the codes of each unit (higher first); ``decided`` is the 0/1 decision.
    First/among three count units with at least one true code (undefined, printed as "–",
    with one code, or with at most three); a probability of 0 is never a suggestion.
    """
    y, p = truth.astype(bool), decided.astype(bool)
    per_code_f1 = [f1_score(y[:, j], p[:, j], zero_division=0) for j in range(y.shape[1])]
    per_code_kappa = [
        cohen_kappa_score(y[:, j], p[:, j]) if y[:, j].any() or p[:, j].any() else 0.0
        for j in range(y.shape[1])
    ]
    coded = y.any(axis=1)
    n_codes, nan = y.shape[1], float("nan")
    order = np.argsort(-scores, axis=1, kind="stable")[:, :3]
    top = np.take_along_axis(y, order, axis=1) & (
        np.take_along_axis(scores, order, axis=1) > _floor(scores)
    )
    return {
        "micro_f1": f1_score(y.ravel(), p.ravel(), zero_division=0),
        "macro_f1": float(np.mean(per_code_f1)),
        "kappa": cohen_kappa_score(y.ravel(), p.ravel()),
        "kappa_mean": float(np.nan_to_num(np.mean(per_code_kappa))),
        # with one code (or three) the first (the first three) are right by construction
        "first": float(top[coded, 0].mean()) if coded.any() and n_codes > 1 else nan,
        "three": float(top[coded].any(axis=1).mean()) if coded.any() and n_codes > 3 else nan,
        "coverage": float(p.any(axis=1).mean()),
    }


def _floor(scores: np.ndarray) -> float | np.ndarray:
    # probabilities: 0 means "no evidence"; decision values: anything ranks
    return 0.0 if scores.min() >= 0 else -np.inf


def official(y: np.ndarray, pred: np.ndarray) -> float:
    """GermEval 2018 coarse measure: F1 of macro precision and recall, in percent."""
    precision, recall = [], []
    for c in (True, False):
        tp = float(((pred == c) & (y == c)).sum())
        precision.append(tp / max(float((pred == c).sum()), 1.0))
        recall.append(tp / max(float((y == c).sum()), 1.0))
    mp, mr = float(np.mean(precision)), float(np.mean(recall))
    return 100 * 2 * mp * mr / (mp + mr) if mp + mr else 0.0


# ---------------------------------------------------------------------------- baseline


def baseline_scores(
    train_texts: list[str], train_truth: np.ndarray, test_texts: list[str]
) -> np.ndarray:
    """TF-IDF word 1-2-grams + one LinearSVC per code: decision values (> 0 = code given)."""
    vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    xa, xb = vec.fit_transform(train_texts), vec.transform(test_texts)
    out = np.full((len(test_texts), train_truth.shape[1]), -10.0)
    for j in range(train_truth.shape[1]):
        y = train_truth[:, j]
        if 0 < y.sum() < len(y):
            out[:, j] = LinearSVC(C=1.0).fit(xa, y).decision_function(xb)
    return out


def baseline_cv(texts: list[str], truth: np.ndarray, folds: list) -> np.ndarray:  # type: ignore[type-arg]
    """Out-of-fold baseline decision values on the given folds."""
    out = np.full(truth.shape, -10.0)
    for train, test in folds:
        out[test] = baseline_scores(
            [texts[i] for i in train], truth[train], [texts[i] for i in test]
        )
    return out


# ---------------------------------------------------------------------------- pipeline


def imported(input_dir: Path, wave: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Paragraphs, codings and documents of one converted wave, through the real importer."""
    result = import_wave(input_dir, wave)
    documents = result.documents.copy()
    return result.paragraphs, result.codings, documents


def run(corpus: Corpus, work: Path, transcript_format: str = "txt") -> list[str]:
    """Convert, import, evaluate, print; returns the Markdown table rows."""
    params = PrecodeParams()
    print(f"\n=== {corpus.name}: {len(corpus.units)} Einheiten; {corpus.split}")
    start = time.perf_counter()
    converted = convert_corpus(
        corpus.units, work / corpus.name, title=corpus.name, transcript_format=transcript_format
    )
    codebook: Codebook = load_codebook(corpus.codebook_dir or converted.codebook_dir)
    codes = leaf_codes(codebook)
    print(
        f"umgewandelt: {converted.n_documents} Dokumente, {converted.n_paragraphs} Absätze, "
        f"{converted.n_segments} Segmente, {len(converted.codes)} Codes "
        f"({time.perf_counter() - start:.1f} s); Codebuch {len(codes)} Codes"
    )
    par, cod, docs = imported(converted.input_dir, TRAIN_WAVE)
    table = interviewee_rows(with_question(paragraph_table(par, cod, docs, codes)))
    print(
        f"importiert ({TRAIN_WAVE}): {len(docs)} Dokumente, {len(par)} Absätze, {len(cod)} Segmente"
    )
    train_units = corpus.units[corpus.units["wave"] == TRAIN_WAVE]
    expected = (len(train_units), int(train_units["codes"].map(len).sum()))
    if (len(table), len(cod)) != expected:
        raise SystemExit(
            f"Import unvollständig: {len(table)} Absätze und {len(cod)} Segmente statt "
            f"{expected[0]} und {expected[1]}"
        )
    truth = truth_matrix(table["labels"], codes)
    texts = table["content"].tolist()
    rows: list[str] = []

    # 1. the pipeline's own document-grouped cross-validation (what guete.csv reports)
    t0 = time.perf_counter()
    nlp = make_nlp(rules_config(codebook))
    hits = rule_hits(run_rules(nlp, texts), codes)
    metrics, held_out = evaluate(
        table,
        hits,
        codes,
        n_splits=params.n_splits,
        threshold=params.threshold,
        min_examples=params.min_examples,
        random_state=params.seed,
    )
    gate = quality_gate(metrics, codes, params.min_kappa, params.min_examples)
    t_pipe = time.perf_counter() - t0
    both = held_out["kombiniert"]
    allowed = gate["vorkodierbar"].to_numpy()
    pipe = figures(both, truth, both >= params.threshold)
    pipe["gated_coverage"] = float(((both >= params.threshold) & allowed).any(axis=1).mean())
    groups = table["doc_id"].to_numpy()
    folds = list(
        GroupKFold(n_splits=min(params.n_splits, len(set(groups)))).split(table, groups=groups)
    )
    t0 = time.perf_counter()
    base_s = baseline_cv(texts, truth, folds)
    t_base = time.perf_counter() - t0
    base = figures(base_s, truth, base_s > 0)
    comb = metrics[metrics["methode"] == "kombiniert"].set_index("code")
    label = f"{corpus.name}, Kreuzvalidierung ({len(folds)} Folds nach Dokument)"
    print(
        f"\n{label}; Pipeline-guete.csv: Mikro-F1 {comb.loc['micro', 'f1']:.3f}, "
        f"Makro-F1 {comb.loc['macro', 'f1']:.3f}, κ mikro {comb.loc['micro', 'kappa']:.3f}, "
        f"κ Mittel je Code {comb.loc['macro', 'kappa']:.3f}; "
        f"Codes über der Schranke: {int(allowed.sum())} von {len(codes)}"
    )
    model_only = figures(held_out["modell"], truth, held_out["modell"] >= params.threshold)
    rows += _print(label, pipe, base, t_pipe, t_base, int(allowed.sum()), len(codes), model_only)
    _print_per_code(figures(held_out[CALIBRATED], truth, held_out["entscheidung"]))

    # 2. the corpus's own split: train_precoder on the training wave, scored on the test wave
    if TEST_WAVE in converted.waves:
        t0 = time.perf_counter()
        precoder, _, _ = train_precoder(par, cod, docs, codebook, params)
        t_train = time.perf_counter() - t0
        tpar, tcod, tdocs = imported(converted.input_dir, TEST_WAVE)
        test = interviewee_rows(with_question(paragraph_table(tpar, tcod, tdocs, codes)))
        ttexts = test["content"].tolist()
        ttruth = truth_matrix(test["labels"], codes)
        t0 = time.perf_counter()
        thits = rule_hits(run_rules(precoder.nlp(codebook), ttexts), codes)
        rule_s = thits.to_numpy(float) * np.array([precoder.rule_scores.get(c, 0.5) for c in codes])
        assert precoder.model is not None
        model_p, stacked = precoder.model.scores(table_views(test), thits, codes)
        model_s = model_p.reindex(columns=codes).fillna(0.0)
        tboth = combine(rule_s, model_s.to_numpy())
        if stacked is not None:  # rules and model combined by the stacker
            tboth = stacked.reindex(columns=codes).to_numpy(dtype=float)
            tboth = np.where(np.isnan(tboth), rule_s, tboth)
        suggestions = precoder.suggest(tpar.assign(wave=TEST_WAVE, document_name=""), codebook)
        t_suggest = time.perf_counter() - t0
        tallowed = precoder.gate.set_index("code").loc[codes, "vorkodierbar"].to_numpy(bool)
        tpipe = figures(tboth, ttruth, tboth >= params.threshold)
        tpipe["gated_coverage"] = suggestions[["doc_id", "paragraph"]].drop_duplicates().shape[
            0
        ] / len(test)
        t0 = time.perf_counter()
        tbase_s = baseline_scores(texts, truth, ttexts)
        t_tbase = time.perf_counter() - t0
        tbase = figures(tbase_s, ttruth, tbase_s > 0)
        label = f"{corpus.name}, Testteil der eigenen Aufteilung ({len(test)} Einheiten)"
        print(f"\n{label}: train_precoder {t_train:.1f} s, Vorschläge {t_suggest:.1f} s")
        tmodel = model_s.to_numpy()
        rows += _print(
            label,
            tpipe,
            tbase,
            t_train + t_suggest,
            t_tbase,
            int(tallowed.sum()),
            len(codes),
            figures(tmodel, ttruth, tmodel >= params.threshold),
        )
        tcal = precoder.calibrated(tboth)
        _print_per_code(figures(tcal, ttruth, tcal >= precoder.threshold_of(codes)))
        if corpus.name == "germeval2018":
            y = ttruth[:, 0].astype(bool)
            print(
                f"offizielles GermEval-Maß (F1 aus Makro-P und -R): Pipeline "
                f"{official(y, tboth[:, 0] >= params.threshold):.2f}, mit Qualitätsschranke "
                f"{official(y, (tboth[:, 0] >= params.threshold) & tallowed[0]):.2f}, "
                f"Basislinie {official(y, tbase_s[:, 0] > 0):.2f} (bestes Ergebnis 2018: 76.77)"
            )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"Gesamtzeit {corpus.name}: {time.perf_counter() - start:.1f} s, "
        f"Spitzenspeicher {peak:.0f} MB"
    )
    return rows


# ---------------------------------------------------------------------------- ablation

FULL = StackParts(LEARNERS, neighbours=True, parents=True, rules=True)


def variants() -> list[tuple[str, StackParts]]:
    """The ablation's variants: parts added one by one, then each left out of the full model."""
    out = [
        ("nur word", StackParts(("word",), False, False, False)),
        ("word+char", StackParts(("word", "char"), False, False, False)),
        ("word+use", StackParts(("word", "use"), False, False, False)),
        ("word+char+use", StackParts(("word", "char", "use"), False, False, False)),
        ("+question", StackParts(("word", "char", "use", "question"), False, False, False)),
        ("+neighbours", StackParts(LEARNERS, True, False, False)),
        ("+parents", StackParts(LEARNERS, True, True, False)),
        ("+rules (alles)", FULL),
    ]
    for name in ("char", "use", "question"):
        out.append(
            (
                f"alles ohne {name}",
                StackParts(tuple(n for n in LEARNERS if n != name), True, True, True),
            )
        )
    out.append(("alles ohne neighbours", StackParts(LEARNERS, False, True, True)))
    out.append(("alles ohne parents", StackParts(LEARNERS, True, False, True)))
    return out


def _stacked(
    parts: StackParts,
    oof: dict[str, np.ndarray],
    views: object,
    y: np.ndarray,
    parent_of: np.ndarray,
    hit: np.ndarray,
    rule_s: np.ndarray,
    fold: np.ndarray | None = None,
    test: tuple[dict[str, np.ndarray], object, np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """Combined scores of a variant: cross-fitted on the folds, or (``test``: learner scores,
    views, rule hits and rule scores of the test part) a stacker fitted on all ``oof``."""
    n = y.shape[1]
    if fold is not None:
        p = cross_fit_stacker(stack_features(oof, views, n, parent_of, hit, parts), y, fold)
        return p if parts.rules else np.maximum(rule_s, p)
    assert test is not None
    tscores, tviews, thit, trule_s = test
    stacker = Stacker().fit(stack_features(oof, views, n, parent_of, hit, parts), y)
    p = stacker.predict_proba(stack_features(tscores, tviews, n, parent_of, thit, parts))
    return p if parts.rules else np.maximum(trule_s, p)


def run_ablation(corpus: Corpus, work: Path, transcript_format: str = "txt") -> list[str]:
    """Convert and import as :func:`run`, then score every variant; returns Markdown rows."""
    params = PrecodeParams()
    print(f"\n=== Ablation {corpus.name}: {len(corpus.units)} Einheiten; {corpus.split}")
    converted = convert_corpus(
        corpus.units, work / corpus.name, title=corpus.name, transcript_format=transcript_format
    )
    codebook: Codebook = load_codebook(corpus.codebook_dir or converted.codebook_dir)
    codes = leaf_codes(codebook)
    par, cod, docs = imported(converted.input_dir, TRAIN_WAVE)
    table = interviewee_rows(with_question(paragraph_table(par, cod, docs, codes)))
    texts, labels = table["content"].tolist(), list(table["labels"])
    coder = ParagraphCoder(min_examples=params.min_examples, random_state=params.seed)
    trained = coder.trainable(texts, labels, codes)
    idx = [codes.index(c) for c in trained]
    truth = truth_matrix(table["labels"], codes)
    y_all = coder.targets(labels, trained)
    y = y_all[:, : len(trained)]
    parent_of = np.asarray(main_categories(trained)[1])
    nlp = make_nlp(rules_config(codebook))
    hits = rule_hits(run_rules(nlp, texts), codes).to_numpy(np.float32)
    groups = table["doc_id"].to_numpy()
    folds = list(
        GroupKFold(n_splits=min(params.n_splits, len(set(groups)))).split(table, groups=groups)
    )
    fold = np.zeros(len(table), dtype=np.int64)
    rule_s = np.zeros(truth.shape, dtype=np.float32)
    for k, (train, test) in enumerate(folds):
        fold[test] = k
        prec = rule_precision(
            pd.DataFrame(hits[train], columns=codes), pd.DataFrame(truth[train], columns=codes)
        )
        rule_s[test] = hits[test] * np.array([prec[c] for c in codes], dtype=np.float32)
    views = table_views(table)
    t0 = time.perf_counter()
    views.embedded()
    t_embed = time.perf_counter() - t0
    oof, t_learner = {}, {}
    for name in LEARNERS:
        t0 = time.perf_counter()
        oof.update(oof_scores(views, y_all, fold, (name,), params.seed))
        t_learner[name] = time.perf_counter() - t0 + (t_embed if name == "use" else 0.0)
    print(
        "Zeit je Basislerner (5 Folds): "
        + ", ".join(f"{k} {v:.1f} s" for k, v in t_learner.items())
    )
    t0 = time.perf_counter()
    base_s = baseline_cv(texts, truth, folds)
    t_base = time.perf_counter() - t0
    base = figures(base_s, truth, base_s > 0)
    # the test part
    test_part = None
    if TEST_WAVE in converted.waves:
        tpar, tcod, tdocs = imported(converted.input_dir, TEST_WAVE)
        ttable = interviewee_rows(with_question(paragraph_table(tpar, tcod, tdocs, codes)))
        ttexts, ttruth = ttable["content"].tolist(), truth_matrix(ttable["labels"], codes)
        tviews = table_views(ttable)
        thits = rule_hits(run_rules(nlp, ttexts), codes).to_numpy(np.float32)
        prec = rule_precision(pd.DataFrame(hits, columns=codes), pd.DataFrame(truth, columns=codes))
        trule_s = thits * np.array([prec[c] for c in codes], dtype=np.float32)
        tscores, t_fit = {}, {}
        for name in LEARNERS:
            t0 = time.perf_counter()
            fitted = fit_learners(views, y_all, (name,), params.seed)
            tscores.update(learner_scores(fitted, tviews))
            t_fit[name] = time.perf_counter() - t0
        t0 = time.perf_counter()
        tbase_s = baseline_scores(texts, truth, ttexts)
        t_tbase = time.perf_counter() - t0
        test_part = (
            tscores,
            tviews,
            thits[:, idx],
            trule_s[:, idx],
            ttruth,
            t_fit,
            tbase_s,
            t_tbase,
        )
    head = f"{'Variante':24} {'Mikro-F1':>9} {'erster':>7} {'erste 3':>8} {'Zeit s':>7}" + (
        f" | {'Test Mikro-F1':>13} {'erster':>7} {'erste 3':>8} {'Zeit s':>7}" if test_part else ""
    )
    print(head)
    rows = []

    def line(
        name: str, cv: dict[str, float], t_cv: float, te: dict[str, float] | None, t_te: float
    ) -> None:
        def cells(fig: dict[str, float], t: float) -> list[str]:
            return [f"{fig['micro_f1']:.3f}", _fmt(fig["first"]), _fmt(fig["three"]), f"{t:.1f}"]

        shown = cells(cv, t_cv) + (cells(te, t_te) if te is not None else [])
        widths = [9, 7, 8, 7] * 2
        text = f"{name:24} " + " ".join(f"{c:>{w}}" for c, w in zip(shown, widths, strict=False))
        cell = f"| {corpus.name} | {name} | " + " | ".join(shown)
        print(text)
        rows.append(cell + " |")

    line(
        "TF-IDF+SVM (Basislinie)",
        base,
        t_base,
        figures(test_part[6], test_part[4], test_part[6] > 0) if test_part else None,
        test_part[7] if test_part else 0.0,
    )
    for name, parts in variants():
        t0 = time.perf_counter()
        both = rule_s.copy()
        both[:, idx] = _stacked(parts, oof, views, y, parent_of, hits[:, idx], rule_s[:, idx], fold)
        t_cv = time.perf_counter() - t0 + sum(t_learner[k] for k in parts.learners)
        cv = figures(both, truth, both >= params.threshold)
        te, t_te = None, 0.0
        if test_part:
            tscores, tviews, thit, trule, ttruth, t_fit, _, _ = test_part
            t0 = time.perf_counter()
            full_rule = np.zeros(ttruth.shape, dtype=np.float32)
            full_rule[:, idx] = trule
            tboth = full_rule.copy()
            tboth[:, idx] = _stacked(
                parts,
                oof,
                views,
                y,
                parent_of,
                hits[:, idx],
                rule_s[:, idx],
                test=(tscores, tviews, thit, trule),
            )
            t_te = time.perf_counter() - t0 + sum(t_fit[k] for k in parts.learners)
            te = figures(tboth, ttruth, tboth >= params.threshold)
        line(name, cv, t_cv, te, t_te)
    return rows


def _print_per_code(fig: dict[str, float]) -> None:
    """The suggestion decision as the pipeline makes it: calibrated score against each code's
    own threshold (chosen out of fold), without the quality gate."""
    print(
        f"{'Pipeline, kalibriert, Schwelle je Code':40} Mikro-F1 {fig['micro_f1']:.3f}, "
        f"Makro-F1 {fig['macro_f1']:.3f}, κ {fig['kappa']:.3f}, erster {_fmt(fig['first'])}, "
        f"erste drei {_fmt(fig['three'])}, Abdeckung {fig['coverage']:.3f}"
    )


def _print(
    label: str,
    pipe: dict[str, float],
    base: dict[str, float],
    t_pipe: float,
    t_base: float,
    n_allowed: int,
    n_codes: int,
    model_only: dict[str, float],
) -> list[str]:
    names = {
        "micro_f1": "Mikro-F1",
        "macro_f1": "Makro-F1",
        "kappa": "κ (mikro)",
        "kappa_mean": "κ (Mittel je Code)",
        "first": "wahrer Code an erster Stelle",
        "three": "wahrer Code unter den ersten drei",
        "coverage": "Abdeckung (≥ 1 Code über der Schwelle)",
    }
    print(f"{'':40} {'Pipeline':>10} {'TF-IDF+SVM':>11} {'nur Modell':>11}")
    for key, name in names.items():
        print(f"{name:40} {_fmt(pipe[key]):>10} {_fmt(base[key]):>11} {_fmt(model_only[key]):>11}")
    print(f"{'Abdeckung mit Qualitätsschranke':40} {pipe['gated_coverage']:10.3f} {'':>11}")
    print(f"{'Codes über der Schranke':40} {f'{n_allowed}/{n_codes}':>10} {'':>11}")
    print(f"{'Zeit (s)':40} {t_pipe:10.1f} {t_base:11.1f}")
    cells = " | ".join(f"{_fmt(pipe[k])} / {_fmt(base[k])}" for k in names)
    return [
        f"| {label} | {cells} | {pipe['gated_coverage']:.3f} | {n_allowed}/{n_codes} "
        f"| {t_pipe:.0f} / {t_base:.0f} |"
    ]


def _fmt(value: float) -> str:
    return "–" if np.isnan(value) else f"{value:.3f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("corpus", choices=CORPORA + ("all",))
    parser.add_argument("--data", type=Path, default=EXTERNAL, help="folder of the corpora")
    parser.add_argument(
        "--work", type=Path, default=None, help="where to write the converted folders"
    )
    parser.add_argument("--doc-size", type=int, default=50, help="units per pseudo-document")
    parser.add_argument("--sample", type=int, default=None, help="sub-sample the training part")
    parser.add_argument(
        "--format", choices=("txt", "docx"), default="txt", help="transcript files to write"
    )
    parser.add_argument(
        "--ablation", action="store_true", help="switch each part of the model on and off"
    )
    args = parser.parse_args(argv)
    # a generated codebook has no rule patterns: spaCy's warning about an empty matcher is noise
    warnings.filterwarnings("ignore", message=r"\[W036\]")
    names = CORPORA if args.corpus == "all" else (args.corpus,)
    work = args.work or Path(tempfile.mkdtemp(prefix="asaqda-realtext-"))
    rows = []
    for name in names:
        if name.startswith("demo"):
            corpus, unknown = demo(by_documents=name == "demo-dokumente")
            print(f"demo: {unknown} Segmentteile ohne erkannte Vorlage ausgelassen")
        elif name == "massive_de":
            corpus = massive(args.data / "massive_de", args.doc_size, args.sample)
        else:
            corpus = germeval(
                args.data / "germeval2018", args.doc_size, args.sample, name.endswith("fine")
            )
        if args.ablation:
            rows += run_ablation(corpus, work, args.format)
            continue
        rows += run(corpus, work, args.format)
    if args.ablation:
        print(
            "\n| Korpus | Variante | Mikro-F1 (KV) | erster | erste drei | Zeit (s) "
            "| Mikro-F1 (Test) | erster | erste drei | Zeit (s) |"
        )
        print("|---|---|---|---|---|---|---|---|---|---|")
        print("\n".join(rows))
        return 0
    print(
        "\n| Messung | Mikro-F1 | Makro-F1 | κ mikro | κ Mittel | erste Stelle | erste drei "
        "| Abdeckung | Abdeckung mit Schranke | Codes über Schranke | Zeit (s) |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
