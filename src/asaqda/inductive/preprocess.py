"""German preprocessing for topic words: the pre-coding spaCy pipeline's lemmas without stop
words, so c-TF-IDF ranks ``Wohnung`` once whether people said ``Wohnung`` or ``Wohnungen``."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language

from asaqda.precode.nlp import make_nlp

__all__ = ["SPOKEN_FILLERS", "lemma_texts", "stop_words"]

#: words of spoken German that carry no topic and are not in spaCy's stop list
SPOKEN_FILLERS = (
    "eigentlich",
    "genau",
    "ungefähr",
    "sagen",
    "ehrlich",
    "ne",
    "na",
    "halt",
    "irgendwie",
    "quasi",
    "sozusagen",
    "okay",
    "echt",
    "total",
    "ziemlich",
    "einfach",
    "wirklich",
    "gerade",
)


def stop_words(nlp: Language, extra: Iterable[str] = ()) -> frozenset[str]:
    """spaCy's German stop words plus ``extra``, all lower case."""
    return frozenset({w.lower() for w in nlp.Defaults.stop_words} | {w.lower() for w in extra})


def lemma_texts(
    texts: list[str], extra_stop_words: Iterable[str] = SPOKEN_FILLERS, nlp: Language | None = None
) -> list[str]:
    """Each text as its content lemmas joined by spaces (case as the lemma table gives it:
    nouns capitalised). Numbers, punctuation, one-letter tokens and stop words are dropped."""
    nlp = nlp or make_nlp()
    stops = stop_words(nlp, extra_stop_words)
    out = []
    for doc in nlp.pipe(texts, batch_size=256):
        out.append(
            " ".join(
                t.lemma_
                for t in doc
                if t.is_alpha
                and len(t.text) > 1
                and t.text.lower() not in stops
                and t.lemma_.lower() not in stops
            )
        )
    return out
