"""Candidates made of repeated text (Textbausteine) rather than of a theme.

Stock sentences ("Das Gespräch heute passt gut, ich habe gerade Mittagspause.", "Das kann ich
Ihnen gern später noch schicken.") recur word for word across interviews. Every paragraph that
contains one lies close to every other, so they form tight, perfectly stable topics whatever
the seed or subsample: stability cannot tell them from themes.

What can: in a boilerplate topic one sentence carries the topic alone. A candidate is a
**Textbaustein** when

1. one sentence (compared in lower case, punctuation and spacing ignored; at least
   :data:`MIN_SENTENCE_WORDS` words) occurs in at least :data:`REPEAT_SHARE` of its units, and
2. what else those units say is no closer to that sentence than the scope's units in general:
   the mean cosine of the remainders to the sentence minus the mean cosine of all units of the
   scope to it (``bezug_rest``) is below :data:`MIN_RELATION`, or there is no remainder at all
   (the units are nothing but the sentence) or the remainder is the same everywhere (a
   block of several stock sentences copied as a whole).

A theme whose units share a sentence passes the second test: the other sentences of its units
are about the same thing (a topic of paragraphs on the Deutschlandticket that all mention its
price still talks about transport in the rest).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "REPEAT_SHARE",
    "MIN_SENTENCE_WORDS",
    "MIN_RELATION",
    "Repetition",
    "split_sentences",
    "normalise",
    "repeated_sentence",
    "assess_repetition",
]

#: share of a topic's units that must contain the same sentence
REPEAT_SHARE = 0.5
#: shorter sentences ("Ja, genau.") are not counted as repeated text
MIN_SENTENCE_WORDS = 3
#: the remainders must be at least this much closer (cosine) to the repeated sentence than the
#: scope's units in general for the topic to count as a theme
MIN_RELATION = 0.05
#: at most this many remainders are embedded per topic (evenly spread over its units)
MAX_REMAINDERS = 100

_SPLIT = re.compile(r"(?<=[.!?…])\s+")
_NON_WORD = re.compile(r"[^\w]+")


@dataclass(frozen=True)
class Repetition:
    """How much of a topic is repeated text."""

    #: share of the units containing the most frequent sentence (0 when no sentence recurs)
    share: float
    #: the sentence as first written ('' when none recurs)
    sentence: str
    #: cosine lift of the remainders towards the sentence (NaN when not measured)
    relation: float
    #: the topic is boilerplate (see the module docstring)
    boilerplate: bool


def split_sentences(text: str) -> list[str]:
    """The sentences of a unit (split after ., !, ? or … followed by a space)."""
    return [s.strip() for s in _SPLIT.split(text) if s.strip()]


def normalise(sentence: str) -> str:
    """A sentence in lower case without punctuation, spaces collapsed: near-identical
    sentences (another comma, a capital letter) compare equal."""
    return " ".join(_NON_WORD.sub(" ", sentence.lower()).split())


def repeated_sentence(texts: Sequence[str]) -> tuple[str, str, float]:
    """The most frequent sentence of the texts.

    Returns
    -------
    (normalised, as_written, share)
        The sentence normalised and as first written, and the share of texts containing it;
        ``('', '', 0.0)`` when no sentence of at least :data:`MIN_SENTENCE_WORDS` words occurs
        in two texts. Ties go to the alphabetically first normalised sentence.
    """
    counts: Counter[str] = Counter()
    written: dict[str, str] = {}
    for text in texts:
        seen = set()
        for sentence in split_sentences(text):
            key = normalise(sentence)
            if len(key.split()) < MIN_SENTENCE_WORDS or key in seen:
                continue
            seen.add(key)
            written.setdefault(key, sentence)
            counts[key] += 1
    if not counts:
        return "", "", 0.0
    key, n = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if n < 2:
        return "", "", 0.0
    return key, written[key], n / len(texts)


def _unit_rows(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float64)
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)


def assess_repetition(
    texts: Sequence[str],
    scope_vectors: np.ndarray,
    embed_texts: Callable[[list[str]], np.ndarray] | None,
) -> Repetition:
    """Is a topic made of repeated text?

    Parameters
    ----------
    texts
        The texts of the topic's units.
    scope_vectors
        Embeddings of all units of the scope (the background the relation is measured
        against), in the space of ``embed_texts``.
    embed_texts
        Embeds new texts (the repeated sentence and the remainders) like the units. None: the
        relation is not measured, and only a topic whose units are nothing but the repeated
        sentence counts as boilerplate.
    """
    key, sentence, share = repeated_sentence(texts)
    if share < REPEAT_SHARE:
        return Repetition(round(share, 2), sentence, float("nan"), False)
    rests = []
    for text in texts:
        parts = [s for s in split_sentences(text) if normalise(s) != key]
        if len(parts) < len(split_sentences(text)):  # the unit contains the sentence
            rest = " ".join(parts)
            if normalise(rest):
                rests.append(rest)
    if not rests or len({normalise(r) for r in rests}) == 1:  # nothing else, or one block
        return Repetition(round(share, 2), sentence, float("nan"), True)
    if embed_texts is None:
        return Repetition(round(share, 2), sentence, float("nan"), False)
    if len(rests) > MAX_REMAINDERS:
        pick = np.linspace(0, len(rests) - 1, MAX_REMAINDERS).round().astype(int)
        rests = [rests[i] for i in pick]
    vectors = _unit_rows(embed_texts([sentence, *rests]))
    anchor = vectors[0]
    background = float((_unit_rows(scope_vectors) @ anchor).mean())
    relation = round(float((vectors[1:] @ anchor).mean()) - background, 3)
    return Repetition(round(share, 2), sentence, relation, relation < MIN_RELATION)
