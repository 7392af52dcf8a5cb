"""Stacked pre-coding model: base learners, their out-of-fold scores, and a stacker per code.

Base learners (each gives one decision score per paragraph and code):

* ``word``: TF-IDF word uni- and bigrams, one linear model per code (SGD, logistic loss);
* ``char``: TF-IDF character 2- to 5-grams within word bounds, same linear models: catches
  compounds and inflections the word n-grams miss (``Freistellungsregelung``);
* ``use``: multilingual Universal Sentence Encoder embeddings, ridge regression for all codes
  at once (one linear solve; a logistic regression per code is ~50x slower for the same
  ranking);
* ``question``: the word learner on the interviewer's preceding question (interviews follow a
  guide, the question names the topic).

The stacker is one logistic regression per code over the out-of-fold scores of the base
learners for that code, plus (each a part that can be switched off): the scores of the
neighbouring interviewee turns (``neighbours``), the score of the code's main category as a
level of its own (``parents``; it carries codes whose subcodes are rare), the code's rule hit
(``rules``: rules and model combined by the stacker instead of ``max``), and the margin to the
best other code (ranking among codes). Everything is deterministic (fixed seeds) and offline.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression, Ridge, SGDClassifier

from asaqda.codebook import CODE_SEPARATOR

__all__ = [
    "LEARNERS",
    "PARTS",
    "StackParts",
    "Views",
    "TfidfLinear",
    "EmbeddingRidge",
    "make_learner",
    "main_categories",
    "fit_learners",
    "learner_scores",
    "oof_scores",
    "Stacker",
    "cross_fit_stacker",
]

#: base learners in the order their scores enter the stacker
LEARNERS = ("word", "char", "use", "question")
#: further parts of the stacker
PARTS = ("neighbours", "parents", "rules")
#: score of a code that a learner could not be trained on (no positive or no negative)
NO_SCORE = -10.0


@dataclass(frozen=True)
class StackParts:
    """Which base learners and parts the stacker uses."""

    learners: tuple[str, ...] = ("word", "char", "use", "question")
    neighbours: bool = True
    parents: bool = True
    rules: bool = True


@dataclass
class Views:
    """Everything a base learner or the stacker reads about a set of paragraphs.

    ``prev``/``next`` are row indexes of the neighbouring interviewee turn of the same
    document within the same views (-1: none). ``embeddings`` are computed on first use.
    """

    texts: list[str]
    questions: list[str] = field(default_factory=list)
    prev: np.ndarray | None = None
    next: np.ndarray | None = None
    embeddings: np.ndarray | None = None

    def __post_init__(self) -> None:
        n = len(self.texts)
        if not self.questions:
            self.questions = [""] * n
        if self.prev is None:
            self.prev = np.full(n, -1, dtype=np.int64)
        if self.next is None:
            self.next = np.full(n, -1, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.texts)

    def embedded(self) -> np.ndarray:
        """The sentence embeddings of the texts (computed once)."""
        if self.embeddings is None:
            from asaqda.precode.features import embed

            self.embeddings = embed(self.texts)
        return self.embeddings

    def take(self, idx: np.ndarray) -> Views:
        """The views of rows ``idx``; neighbours outside ``idx`` become -1."""
        idx = np.asarray(idx, dtype=np.int64)
        where = np.full(len(self), -1, dtype=np.int64)
        where[idx] = np.arange(len(idx))
        assert self.prev is not None and self.next is not None

        def remap(nb: np.ndarray) -> np.ndarray:
            sub = nb[idx]
            return np.where(sub >= 0, where[np.maximum(sub, 0)], -1)

        return Views(
            [self.texts[i] for i in idx],
            [self.questions[i] for i in idx],
            remap(self.prev),
            remap(self.next),
            None if self.embeddings is None else self.embeddings[idx],
        )


class TfidfLinear:
    """TF-IDF n-grams and one SGD logistic model per column of ``y``.

    Parameters
    ----------
    analyzer
        ``word`` or ``char_wb``.
    ngram_range
        n-gram lengths.
    source
        ``texts`` (the paragraph) or ``questions`` (the preceding interviewer turn).
    alpha, random_state
        Regularisation and seed of the linear models.
    """

    def __init__(
        self,
        analyzer: str = "word",
        ngram_range: tuple[int, int] = (1, 2),
        source: str = "texts",
        alpha: float = 1e-5,
        random_state: int = 0,
        max_features: int = 300_000,
    ) -> None:
        self.analyzer = analyzer
        self.ngram_range = ngram_range
        self.source = source
        self.alpha = alpha
        self.random_state = random_state
        self.max_features = max_features

    def _texts(self, views: Views) -> list[str]:
        return views.texts if self.source == "texts" else views.questions

    def fit(self, views: Views, y: np.ndarray) -> TfidfLinear:
        """Fit the vectorizer and one model per column (columns without a positive or a
        negative row score :data:`NO_SCORE`)."""
        texts = self._texts(views)
        self.vectorizer_ = TfidfVectorizer(
            analyzer=self.analyzer,
            ngram_range=self.ngram_range,
            min_df=2,
            sublinear_tf=True,
            max_features=self.max_features,
            dtype=np.float32,
            lowercase=True,
        )
        try:
            x = self.vectorizer_.fit_transform(texts)
        except ValueError:  # empty vocabulary (e.g. no interviewer questions at all)
            self.vectorizer_ = None
            self.coef_ = np.zeros((0, y.shape[1]), dtype=np.float32)
            self.intercept_ = np.full(y.shape[1], NO_SCORE, dtype=np.float32)
            return self
        for attr in ("stop_words_", "_stop_words_id"):  # differ between processes
            if hasattr(self.vectorizer_, attr):
                delattr(self.vectorizer_, attr)
        coef = np.zeros((x.shape[1], y.shape[1]), dtype=np.float32)
        intercept = np.full(y.shape[1], NO_SCORE, dtype=np.float32)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            for j in range(y.shape[1]):
                yj = y[:, j].astype(bool)
                if yj.all() or not yj.any():
                    continue
                model = SGDClassifier(
                    loss="log_loss",
                    alpha=self.alpha,
                    class_weight="balanced",
                    max_iter=30,
                    tol=1e-4,
                    random_state=self.random_state,
                ).fit(x, yj)
                coef[:, j] = model.coef_[0]
                intercept[j] = model.intercept_[0]
        self.coef_, self.intercept_ = coef, intercept
        return self

    def transform(self, views: Views) -> sparse.csr_matrix | None:
        """The TF-IDF matrix of the views' texts (None without a vocabulary)."""
        if self.vectorizer_ is None:
            return None
        return self.vectorizer_.transform(self._texts(views)).tocsr()

    def decision(self, views: Views) -> np.ndarray:
        """Decision scores (rows x columns of ``y``)."""
        x = self.transform(views)
        if x is None:
            return np.tile(self.intercept_, (len(views), 1))
        return np.asarray(x @ self.coef_, dtype=np.float32) + self.intercept_


class EmbeddingRidge:
    """Ridge regression of the 0/1 columns (as -1/1) on the sentence embeddings.

    Parameters
    ----------
    alpha
        Ridge penalty.
    """

    def __init__(self, alpha: float = 1.0) -> None:
        self.alpha = alpha

    def fit(self, views: Views, y: np.ndarray) -> EmbeddingRidge:
        """One linear solve for every column."""
        self.model_ = Ridge(alpha=self.alpha).fit(views.embedded(), 2.0 * y - 1.0)
        return self

    def decision(self, views: Views) -> np.ndarray:
        """Decision scores (rows x columns of ``y``)."""
        out = self.model_.predict(views.embedded())
        return np.asarray(out, dtype=np.float32).reshape(len(views), -1)


def make_learner(name: str, random_state: int = 0, alpha: float = 1e-5) -> object:
    """A fresh base learner by name (:data:`LEARNERS`)."""
    if name == "word":
        return TfidfLinear("word", (1, 2), "texts", alpha, random_state)
    if name == "char":
        return TfidfLinear("char_wb", (2, 5), "texts", alpha, random_state)
    if name == "question":
        return TfidfLinear("word", (1, 2), "questions", alpha, random_state)
    if name == "use":
        return EmbeddingRidge()
    raise ValueError(f"unknown learner {name!r}; expected one of {LEARNERS}")


def main_categories(codes: list[str]) -> tuple[list[str], np.ndarray]:
    """Main categories with at least two of ``codes`` below them, and each code's main
    category as an index into that list (-1: none).

    Returns
    -------
    (parents, parent_of)
    """
    top = [c.split(CODE_SEPARATOR)[0] if CODE_SEPARATOR in c else None for c in codes]
    counts: dict[str, int] = {}
    for t in top:
        if t is not None:
            counts[t] = counts.get(t, 0) + 1
    parents = sorted(t for t, n in counts.items() if n >= 2)
    index = {p: k for k, p in enumerate(parents)}
    parent_of = np.array([index.get(t, -1) if t else -1 for t in top], dtype=np.int64)
    return parents, parent_of


def with_parents(y: np.ndarray, parent_of: np.ndarray, n_parents: int) -> np.ndarray:
    """``y`` plus one column per main category: any of its codes."""
    extra = np.zeros((y.shape[0], n_parents), dtype=y.dtype)
    for k in range(n_parents):
        extra[:, k] = y[:, parent_of == k].max(axis=1)
    return np.hstack([y, extra])


def fit_learners(
    views: Views, y: np.ndarray, learners: tuple[str, ...], random_state: int = 0
) -> dict[str, object]:
    """Fit every named base learner on all rows."""
    return {name: make_learner(name, random_state).fit(views, y) for name in learners}  # type: ignore[attr-defined]


def learner_scores(fitted: dict[str, object], views: Views) -> dict[str, np.ndarray]:
    """Decision scores of every fitted base learner."""
    return {name: m.decision(views) for name, m in fitted.items()}  # type: ignore[attr-defined]


def oof_scores(
    views: Views,
    y: np.ndarray,
    fold: np.ndarray,
    learners: tuple[str, ...],
    random_state: int = 0,
) -> dict[str, np.ndarray]:
    """Out-of-fold decision scores: the rows of each fold scored by learners fitted on the
    other folds."""
    out = {name: np.full(y.shape, NO_SCORE, dtype=np.float32) for name in learners}
    if "use" in learners:
        views.embedded()  # once for all folds
    for k in np.unique(fold):
        test = np.flatnonzero(fold == k)
        train = np.flatnonzero(fold != k)
        if len(train) == 0:
            continue
        fitted = fit_learners(views.take(train), y[train], learners, random_state)
        for name, s in learner_scores(fitted, views.take(test)).items():
            out[name][test] = s
    return out


def _neighbour(score: np.ndarray, views: Views) -> np.ndarray:
    """Per row the larger score of its previous and next turn (missing: the column minimum)."""
    assert views.prev is not None and views.next is not None
    low = score.min(axis=0, keepdims=True) if len(score) else np.zeros((1, score.shape[1]))
    prev = np.where(views.prev[:, None] >= 0, score[np.maximum(views.prev, 0)], low)
    nxt = np.where(views.next[:, None] >= 0, score[np.maximum(views.next, 0)], low)
    return np.maximum(prev, nxt)


def stack_features(
    scores: dict[str, np.ndarray],
    views: Views,
    n_codes: int,
    parent_of: np.ndarray,
    hits: np.ndarray | None,
    parts: StackParts,
) -> np.ndarray:
    """The stacker's input: an array (rows x codes x features).

    ``scores`` hold per learner the columns of the codes followed by those of the main
    categories (:func:`with_parents`).
    """
    learners = [n for n in parts.learners if n in scores]
    n = len(views)
    feats = [scores[name][:, :n_codes] for name in learners]
    mean_all = np.mean([scores[name] for name in learners], axis=0)
    mean = mean_all[:, :n_codes]
    if n_codes > 1:
        # margin to the best other code: ranks codes against each other
        top2 = -np.sort(-mean, axis=1)[:, :2]
        best_other = np.where(mean >= top2[:, :1], top2[:, 1:2], top2[:, :1])
        feats.append(mean - best_other)
    if parts.neighbours:
        feats.append(_neighbour(mean, views))
    if parts.parents:
        par = np.zeros((n, n_codes), dtype=np.float32)
        has = parent_of >= 0
        par[:, has] = mean_all[:, n_codes + parent_of[has]]
        feats.append(par)
    if parts.rules and hits is not None:
        feats.append(np.asarray(hits, dtype=np.float32)[:, :n_codes])
    return np.stack(feats, axis=2).astype(np.float32)


class Stacker:
    """One logistic regression per code over :func:`stack_features` (standardised).

    Parameters
    ----------
    C
        Inverse regularisation of the logistic regressions.
    """

    def __init__(self, C: float = 1.0) -> None:
        self.C = C

    def fit(self, feats: np.ndarray, y: np.ndarray) -> Stacker:
        """Fit on features (rows x codes x features) and the 0/1 codes (rows x codes)."""
        n_codes = feats.shape[1]
        self.mean_ = feats.mean(axis=0)
        self.scale_ = feats.std(axis=0) + 1e-6
        z = (feats - self.mean_) / self.scale_
        self.coef_ = np.zeros((n_codes, feats.shape[2]), dtype=np.float64)
        self.intercept_ = np.zeros(n_codes, dtype=np.float64)
        for j in range(n_codes):
            yj = y[:, j].astype(bool)
            if yj.all() or not yj.any():
                self.intercept_[j] = 30.0 if yj.all() else -30.0
                continue
            lr = LogisticRegression(C=self.C, solver="newton-cholesky", max_iter=100).fit(
                z[:, j, :], yj
            )
            self.coef_[j], self.intercept_[j] = lr.coef_[0], lr.intercept_[0]
        return self

    def predict_proba(self, feats: np.ndarray) -> np.ndarray:
        """Probability of each code (rows x codes)."""
        z = (feats - self.mean_) / self.scale_
        logit = np.einsum("ijk,jk->ij", z, self.coef_) + self.intercept_
        return (1.0 / (1.0 + np.exp(-np.clip(logit, -30, 30)))).astype(np.float32)


def cross_fit_stacker(feats: np.ndarray, y: np.ndarray, fold: np.ndarray) -> np.ndarray:
    """Out-of-fold stacked probabilities: each fold by a stacker fitted on the other folds
    (the features themselves are out-of-fold scores)."""
    out = np.zeros(y.shape, dtype=np.float32)
    for k in np.unique(fold):
        test = fold == k
        if not (~test).any():
            continue
        out[test] = Stacker().fit(feats[~test], y[~test]).predict_proba(feats[test])
    return out
