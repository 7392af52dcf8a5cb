"""Rule-based pre-coding: a spaCy component that matches each code's codebook patterns.

Patterns come from the ``muster`` of the codebook: ``phrasen`` (matched on the lower-case
lemma in ``NORM`` and on the lower-case words as written) and ``token_muster`` (spaCy
Matcher patterns). Negation is handled with a clause-bounded scope: a negation word
(``nicht``, ``kein`` ...) inside the match or in the same clause shortly before or after it
(clauses end at commas and at ``aber``, ``sondern``, ``doch``) negates the match. A negated
match counts for the code named in ``bei_verneinung`` ("wir stellen nicht frei" ->
``Freistellung > keine``) or is dropped. Patterns that contain a negation word themselves
(``kein Zeit``) are never negated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from asaqda.codebook import Codebook
from asaqda.errors import CodebookError, Location, Problem
from asaqda.precode.nlp import NEGATIONS

__all__ = ["RuleMatch", "CodebookRules", "rules_config", "FACTORY"]

FACTORY = "asaqda_codebook_rules"
_CLAUSE_END = frozenset({",", ";", ":", "aber", "sondern", "doch", "jedoch"})
_LEFT, _RIGHT = 6, 10  # German verb-second puts "nicht" at the end of the clause

if not Doc.has_extension("asaqda_matches"):
    Doc.set_extension("asaqda_matches", default=None)


@dataclass(frozen=True)
class RuleMatch:
    """A code found by the rules: where, which words, and whether it came from a negation."""

    code: str
    start: int
    end: int
    evidence: str
    negated: bool


def rules_config(codebook: Codebook) -> dict[str, Any]:
    """The component config built from the codebook's patterns (JSON-serialisable)."""
    patterns = []
    for code in codebook.codes:
        m = code.muster
        if m.phrasen or m.token_muster:
            patterns.append(
                {
                    "code": code.code,
                    "phrasen": list(m.phrasen),
                    "token_muster": [list(p) for p in m.token_muster],
                    "bei_verneinung": m.bei_verneinung,
                }
            )
    return {"patterns": patterns, "version": codebook.meta.version}


class CodebookRules:
    """spaCy component matching codebook patterns; results in ``doc._.asaqda_matches``."""

    def __init__(
        self, nlp: Language, name: str, patterns: list[dict[str, Any]], version: str
    ) -> None:
        self.name = name
        self.patterns = patterns
        self.version = version
        self.phrase_matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        # phrases also match as written (lower case), so they can be given as people say them
        self.surface_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.matcher = Matcher(nlp.vocab, validate=True)
        self.redirect: dict[str, str | None] = {}
        self.literal_negation: set[str] = set()
        self._ready = False

    def initialize(self, get_examples: Any = None, nlp: Language | None = None) -> None:
        """Compile the patterns (the phrase docs need the lemmatiser, hence not in __init__)."""
        assert nlp is not None
        problems: list[Problem] = []
        with nlp.select_pipes(disable=[self.name]):
            for i, spec in enumerate(self.patterns):
                code = spec["code"]
                self.redirect[code] = spec.get("bei_verneinung")
                phrase_docs = list(nlp.pipe(spec.get("phrasen", [])))
                for doc in phrase_docs:
                    if not len(doc):
                        problems.append(
                            Problem(
                                "E105",
                                f"Code '{code}': leere Phrase",
                                Location("codebook"),
                                "die leere Phrase löschen",
                            )
                        )
                    if any(t.norm_ in NEGATIONS for t in doc):
                        self.literal_negation.add(f"{code}#p{i}")
                if phrase_docs:
                    self.phrase_matcher.add(f"{code}#p{i}", phrase_docs)
                    self.surface_matcher.add(
                        f"{code}#p{i}", [nlp.make_doc(p) for p in spec.get("phrasen", [])]
                    )
                for j, pattern in enumerate(spec.get("token_muster", [])):
                    key = f"{code}#t{i}.{j}"
                    try:
                        self.matcher.add(key, [pattern])
                    except (ValueError, KeyError, TypeError) as exc:
                        problems.append(
                            Problem(
                                "E105",
                                f"Code '{code}': Token-Muster {j + 1} ist ungültig "
                                f"({str(exc).splitlines()[0][:200]})",
                                Location("codebook"),
                                "das Muster als spaCy-Matcher-Token-Liste schreiben, z. B. "
                                "[{NORM: stellen}, {IS_PUNCT: false, OP: '{0,5}'}, {NORM: frei}]",
                            )
                        )
                        continue
                    if any(str(t.get("NORM", "")).lower() in NEGATIONS for t in pattern):
                        self.literal_negation.add(key)
        if problems:
            raise CodebookError(problems)
        self._ready = True

    def __call__(self, doc: Doc) -> Doc:
        if not self._ready:
            raise RuntimeError("call nlp.initialize() before using the codebook rules")
        found: list[RuleMatch] = []
        raw = [(doc.vocab.strings[k], s, e) for k, s, e in self.phrase_matcher(doc)]
        raw += [(doc.vocab.strings[k], s, e) for k, s, e in self.surface_matcher(doc)]
        raw += [(doc.vocab.strings[k], s, e) for k, s, e in self.matcher(doc)]
        seen: set[tuple[str, int, int]] = set()
        for key, start, end in sorted(raw, key=lambda r: (r[1], r[2], r[0])):
            code = key.split("#", 1)[0]
            span = doc[start:end]
            negated = key not in self.literal_negation and _negated(span)
            target: str | None = code
            if negated:
                target = self.redirect.get(code)
            if target is None or (target, start, end) in seen:
                continue
            seen.add((target, start, end))
            found.append(RuleMatch(target, start, end, span.text, negated))
        doc._.asaqda_matches = found
        return doc


def _negated(span: Span) -> bool:
    """Is the match inside the scope of a negation (same clause, close by)?"""
    if any(t.norm_ in NEGATIONS for t in span):
        return True
    sent = span.sent
    for i in range(span.start - 1, max(sent.start, span.start - _LEFT) - 1, -1):
        tok = span.doc[i]
        if tok.norm_ in _CLAUSE_END:
            break
        if tok.norm_ in NEGATIONS:
            return True
    for i in range(span.end, min(sent.end, span.end + _RIGHT)):
        tok = span.doc[i]
        if tok.norm_ in _CLAUSE_END:
            break
        if tok.norm_ in NEGATIONS:
            return True
    return False


@Language.factory(FACTORY, default_config={"patterns": [], "version": ""})
def make_codebook_rules(
    nlp: Language, name: str, patterns: list[dict[str, Any]], version: str
) -> CodebookRules:
    """Factory of the codebook-rules component (config: patterns from the codebook)."""
    return CodebookRules(nlp, name, patterns, version)
