"""The German spaCy pipeline of pre-coding: blank ``de``, lookup lemmas, sentences.

No model is downloaded: ``spacy.blank("de")`` with the lookup tables of spacy-lookups-data.
The lookup is case-sensitive, so sentence-initial capitals (``Freigestellt``) stay unchanged;
:func:`lemma_case` retries the lower-case form. It also stores the lower-case lemma in
``Token.norm_``, which the codebook patterns match on.
"""

from __future__ import annotations

from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

__all__ = ["make_nlp", "lemma_case", "NEGATIONS"]

#: negation words whose scope flips or cancels a pattern match
NEGATIONS = frozenset(
    {
        "nicht",
        "kein",
        "keine",
        "keinen",
        "keinem",
        "keiner",
        "keines",
        "nie",
        "niemals",
        "niemand",
        "nichts",
        "weder",
        "ohne",
    }
)


class LemmaCase:
    """Retry the lemma lookup in lower case for capitalised words the table does not know,
    and put the lower-case lemma into ``norm_``."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._table: Any = None

    def __call__(self, doc: Doc) -> Doc:
        if self._table is None:  # the lemmatizer holds its own tables (spaCy 3)
            self._table = self.nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
        table = self._table
        for token in doc:
            lemma = token.lemma_ or token.text
            if lemma == token.text and token.text[:1].isupper():
                lower = token.text.lower()
                if lower in table:
                    lemma = table[lower]
                    token.lemma_ = lemma
            token.norm_ = lemma.lower()
        return doc


@Language.factory("asaqda_lemma_case")
def lemma_case(nlp: Language, name: str) -> LemmaCase:
    """Factory of :class:`LemmaCase`."""
    return LemmaCase(nlp)


def make_nlp(rules_config: dict[str, Any] | None = None) -> Language:
    """Build and initialise the pipeline.

    Parameters
    ----------
    rules_config
        Config of the ``asaqda_codebook_rules`` component (see :mod:`asaqda.precode.rules`);
        without it the pipeline only tokenises, lemmatises and splits sentences.
    """
    nlp = spacy.blank("de")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.add_pipe("asaqda_lemma_case")
    nlp.add_pipe("sentencizer")
    if rules_config is not None:
        from asaqda.precode import rules  # noqa: F401  (registers the factory)

        nlp.add_pipe("asaqda_codebook_rules", config=rules_config)
    nlp.initialize()
    return nlp
