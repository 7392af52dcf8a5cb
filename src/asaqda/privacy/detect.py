"""Find likely personal data in one text: names, companies, places, addresses, contact data.

Offline and rule-based. Three sources are combined:

* HanTa's German tagger (Hanover Tagger, ships its model in the package) for the proper-noun
  tag ``NE``: German capitalises every noun, so capitalisation alone says nothing;
* a first-name list shipped with the package (``data/vornamen.txt``, about 35,000 names of many
  countries, derived from the MIT-licensed packages Faker and Mimesis, see ``data/LICENSES.txt``);
* context cues (``Frau``/``Herr`` + name, ``Firma``/``Bäckerei`` + name, ``in``/``aus`` + place,
  legal forms such as ``GmbH``) and regular expressions for e-mail addresses, phone numbers
  (``phonenumbers``, Google's libphonenumber), IBANs (with the mod-97 check), post codes,
  streets with house number, ID numbers and dates of birth.

Everything in the study's pseudonym registry (the values of ``Person``, ``Betrieb`` and the
other document variables), speaker labels and codebook terms is allowed. An optional block list
(real names kept outside the repository) is matched on its own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["Hit", "Detector", "KINDS", "iban_valid"]

#: The kinds of hits, in the order the leak table lists them.
KINDS = (
    "Person",
    "Betrieb",
    "Ort",
    "Adresse",
    "Telefon",
    "E-Mail",
    "Geburtsdatum",
    "Kennnummer",
    "Sperrliste",
)


@dataclass(frozen=True)
class Hit:
    """One likely piece of personal data: character span, text, kind and reason (German)."""

    start: int
    end: int
    text: str
    kind: str
    reason: str


# Roles before a name in apposition (``der Azubi Hahn hat gekündigt``).
_ROLES = {
    "azubi", "azubine", "auszubildende", "auszubildender", "praktikant", "praktikantin",
    "mitschüler", "mitschülerin", "klassenlehrer", "klassenlehrerin", "lehrmeister",
    "vorgesetzter", "vorgesetzte", "nachbar", "nachbarin", "kumpel", "cousin", "cousine",
    "tante", "onkel", "oma", "opa", "trainer", "trainerin", "mentor", "mentorin", "dozent",
    "dozentin", "berater", "beraterin", "coach", "teamleiter", "teamleiterin", "schichtleiter",
    "schichtleiterin", "filialleiter", "filialleiterin", "geselle", "gesellin", "ausbildungsleiter",
    "ausbildungsleiterin",
}  # fmt: skip
_PERSON_CUES = {
    "frau", "herr", "herrn", "herren", "dr.", "dr", "kollege", "kollegin", "kollegen",
    "chef", "chefin", "meister", "meisterin", "ausbilder", "ausbilderin", "schwester",
    "bruder", "tochter", "sohn", "mutter", "vater", "freundin", "freund", "betreuerin",
    "betreuer", "sachbearbeiterin", "sachbearbeiter", "prof.", "lehrerin", "lehrer",
} | _ROLES  # fmt: skip
_TITLES = {"frau", "herr", "herrn", "herren", "dr.", "dr", "prof."}
# Words that name a person (``heißt Stein``) and nouns of talking to someone (``Gespräch mit``).
_NAMING = {"heißt", "heisst", "hieß", "hiess", "namens", "genannt"}
_TALK_NOUNS = {
    "gespräch", "gespräche", "gesprächen", "streit", "telefonat", "treffen", "termin",
    "termine", "zoff", "krach", "ärger", "konflikt", "kontakt", "absprache", "absprachen",
}  # fmt: skip
_OBJECT_PRONOUNS = {"mir", "mich", "dir", "dich", "uns", "euch", "ihm", "ihr", "ihnen"}
_CLAUSE_WORDS = {"wie", "als", "weil", "dass", "daß", "ob", "wenn", "was", "und", "aber", "denn"}
_COMPANY_CUES = {
    "firma", "bäckerei", "metzgerei", "fleischerei", "autohaus", "tischlerei", "schreinerei",
    "friseursalon", "salon", "gaststätte", "restaurant", "hotel", "apotheke", "kanzlei",
    "spedition", "pflegedienst", "malerbetrieb", "elektrobetrieb", "baufirma", "werkstatt",
    "konditorei", "gärtnerei", "zahnarztpraxis", "arztpraxis", "praxis", "autowerkstatt",
    "pizzeria", "café", "cafe", "supermarkt", "elektro", "sanitär", "dachdeckerei",
    "optiker", "reisebüro", "fahrschule", "druckerei", "möbelhaus", "blumenladen",
}  # fmt: skip
_PLACE_CUES = {
    "in", "aus", "nach", "bei", "von", "im", "raum", "region", "stadt", "landkreis", "kreis",
    "gemeinde", "ortsteil", "stadtteil", "richtung", "nähe",
}  # fmt: skip
_LEGAL_FORMS = r"(?:GmbH(?:\s*&\s*Co\.?\s*KG)?|gGmbH|AG|KG|OHG|GbR|UG|e\.\s?K\.|e\.\s?V\.|mbH)"
# Not identifying: states, countries, large regions, programmes and institutions of the study.
_ALWAYS_ALLOWED = {
    "deutschland", "europa", "eu", "baden-württemberg", "bayern", "berlin", "brandenburg",
    "bremen", "hamburg", "hessen", "mecklenburg-vorpommern", "niedersachsen",
    "nordrhein-westfalen", "rheinland-pfalz", "saarland", "sachsen", "sachsen-anhalt",
    "schleswig-holstein", "thüringen", "ostdeutschland", "westdeutschland", "norddeutschland",
    "süddeutschland", "türkei", "syrien", "afghanistan", "ukraine", "polen", "russland",
    "asa", "flex", "jobcenter", "agentur", "arbeitsagentur", "ihk", "hwk", "bibb", "bmas",
    "sgb", "corona", "covid", "whatsapp", "zoom", "teams", "google", "internet", "moodle",
    "instagram", "tiktok", "youtube", "facebook", "excel", "word", "gott", "herrgott",
    "montag", "dienstag", "mittwoch", "donnerstag", "freitag", "samstag", "sonntag",
    "januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september",
    "oktober", "november", "dezember", "weihnachten", "ostern", "ramadan", "hartz",
    "bürgergeld", "bafög", "bab", "abh", "eq", "ausbildungsbegleitung", "interviewer",
    "interviewerin", "befragte", "befragter", "ok", "okay", "ja", "nein", "genau", "also",
    "englisch", "deutsch", "türkisch", "arabisch",
}  # fmt: skip
_NOUN_SUFFIX = re.compile(
    r"(ung|heit|keit|schaft|ion|tät|nis|ismus|ment|chen|lein|tum|erei|"
    r"ität|ierung|nisse|ungen|ionen|heiten|keiten|schaften)(en|n|s|e)?$"
)


@lru_cache(maxsize=100_000)
def _inflected_noun(word: str) -> bool:
    """``Behörden``, ``Fehlzeiten``: a common noun in a plural or case form (the tagger's lemma
    differs from the word); a name keeps its form."""
    lemma, tag = _tagger().analyze(word)
    best = _tagger().tag_word(word)[:1]
    known = bool(best) and best[0][1] > -15  # "Decker": a guess of the tagger, not a plural
    return known and tag == "NN" and lemma.lower() != word.lower()


def _known_noun(word: str) -> bool:
    """Whether the tagger's lexicon knows ``word`` well as a common noun (``Arbeit``)."""
    best = _tagger().tag_word(word)[:1]
    return bool(best) and best[0][0] == "NN" and best[0][1] > -15


def _nounish(word: str) -> bool:
    """Whether ``word`` has the suffix of a common noun (Ausbildung, Freiheit) with a stem of at
    least three letters before it (so ``Klein`` is not a diminutive in -lein)."""
    m = _NOUN_SUFFIX.search(word.lower())
    return bool(m) and m.start() >= 3


_WORD = re.compile(r"(?:Dr|Prof|Nr|Str|St|Co)\.|[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+|\S")
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])(?<!\bDr\.)(?<!\bProf\.)(?<!\bNr\.)(?<!\bSt\.)\s+(?=[„\"»(]?[A-ZÄÖÜ])"
)

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
_PHONE_RX = re.compile(
    r"(?<![\w/])(?:\+49[\s/-]?|0049[\s/-]?|\(0\d{2,5}\)\s?|0\d{2,5}[\s/-]?)"
    r"\d{2,}(?:[\s-]?\d{2,}){0,4}(?![\w/])"
)
_STREET = re.compile(
    r"\b(?:[A-ZÄÖÜ][\wäöüß]*-)*[A-ZÄÖÜ][\wäöüß]*"
    r"(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|steig|pfad)"
    r"(?:\s+\d{1,4}(?:\s?[a-zA-Z](?!\w))?\b)?"
    r"|\b(?:[A-ZÄÖÜ][\wäöüß]+\s)(?:Straße|Strasse|Weg|Gasse|Allee|Platz|Ring)\s+\d{1,4}(?:\s?[a-z](?!\w))?\b"
)
_STREET_NOUNS = {
    "weg", "platz", "ring", "arbeitsplatz", "ausbildungsplatz", "praktikumsplatz", "umweg",
    "rückweg", "heimweg", "arbeitsweg", "schulweg", "werdegang", "lebensweg", "parkplatz",
    "spielplatz", "sportplatz", "stellplatz", "schreibtischplatz", "lernplatz", "freundeskreis",
    "zeitplatz", "ausweg", "fußweg", "radweg", "mittelweg", "bildungsweg", "ausbildungsweg",
    "karriereweg", "berufsweg", "lösungsweg", "anfahrtsweg", "fahrweg", "hinweg", "damm",
    "dienstweg", "weiterweg", "lernweg", "sonderweg", "königsweg", "marktplatz", "nährboden",
    "straße", "strasse", "hauptstraße", "landstraße", "autobahn", "messeplatz", "zeltplatz",
    "teilnehmerplatz", "kitaplatz", "betreuungsplatz", "studienplatz", "wohnplatz", "ehering",
    "ufer", "weiterbildungsweg", "förderweg", "zugangsweg", "kommunikationsweg",
}  # fmt: skip
_POSTCODE = re.compile(r"\b(?:D-)?\d{5}\s+[A-ZÄÖÜ][a-zäöüß]+(?:[ -][A-ZÄÖÜ][a-zäöüß]+)?")
_MONTHS = (
    "Januar|Jänner|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
)
_DATE = re.compile(r"\b\d{1,2}\.\s?(?:\d{1,2}\.|(?:" + _MONTHS + r"))\s?(?:19|20)?\d{2}\b")
_BIRTH_CUE = re.compile(r"(geboren|geb\.|Geburtstag|Geburtsdatum|Jahrgang)", re.IGNORECASE)
_ID_NUMBER = re.compile(
    r"(?:Kundennummer|Kunden-Nr\.?|BG-Nummer|Bedarfsgemeinschaftsnummer|Personalnummer|"
    r"Versicherungsnummer|Sozialversicherungsnummer|SV-Nummer|Rentenversicherungsnummer|"
    r"Steuer-ID|Steuernummer|Steuer-Identifikationsnummer|Ausweisnummer|Passnummer|"
    r"Aktenzeichen|Matrikelnummer|Kennziffer|Az\.|Nr\.)\s*:?\s*([A-Z0-9][A-Z0-9 ./-]{3,24}\d)",
    re.IGNORECASE,
)
_SV_NUMBER = re.compile(r"\b\d{2}\s?\d{6}\s?[A-Z]\s?\d{3}\b")
_TAX_ID = re.compile(r"\b\d{2}\s?\d{3}\s?\d{3}\s?\d{3}\b")


def iban_valid(candidate: str) -> bool:
    """Whether ``candidate`` passes the IBAN check digits (ISO 13616, mod 97).

    Parameters
    ----------
    candidate
        An IBAN with or without spaces.

    Returns
    -------
    bool
        True for a valid IBAN.
    """
    s = candidate.replace(" ", "").upper()
    if not 15 <= len(s) <= 34:
        return False
    digits = "".join(str(int(ch, 36)) for ch in s[4:] + s[:4])
    return int(digits) % 97 == 1


@lru_cache(maxsize=1)
def _tagger():  # type: ignore[no-untyped-def]
    from HanTa import HanoverTagger as ht

    return ht.HanoverTagger("morphmodel_ger.pgz")


def _fold(word: str) -> str:
    """``Ayşe`` -> ``ayse``: lower case without diacritics (the lists spell some names plain)."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", word.lower()) if not unicodedata.combining(ch)
    ).replace("ı", "i")


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    """The shipped first-name list (``data/vornamen.txt``, from Faker and Mimesis, both MIT;
    see ``data/LICENSES.txt``), lower case, also without diacritics."""
    text = resources.files("asaqda.privacy").joinpath("data/vornamen.txt").read_text("utf-8")
    names = {line.strip().lower() for line in text.splitlines() if line.strip()}
    return frozenset(names | {_fold(n) for n in names})


def _is_first_name(word: str) -> bool:
    """Whether ``word`` is in the first-name list (as written or without diacritics)."""
    names = _first_names()
    return word.lower() in names or _fold(word) in names


@lru_cache(maxsize=100_000)
def _known(word: str) -> bool:
    """Whether HanTa's lexicon knows ``word`` as a common noun, adjective or verb (its best
    guess then scores far higher than for an unknown word, about -10 against -30)."""
    best = _tagger().tag_word(word)[:1]
    return bool(best) and best[0][1] > -22 and best[0][0] != "NE"


@lru_cache(maxsize=100_000)
def _compound_noun(word: str) -> bool:
    """``Behördenkram``: an unknown capitalised word made of two known words is a German
    compound (a common noun), not a name the tagger did not know."""
    w = word.strip(".")
    if "-" in w or len(w) < 8:
        return False
    best = _tagger().tag_word(w)[:1]
    if best and best[0][0] == "NE" and best[0][1] > -22:  # a name in the tagger's lexicon
        return False
    for k in range(3, len(w) - 2):
        head = w[k:].capitalize()
        if not _known(head):
            continue
        for left in (w[:k], w[: k - 1] if w[k - 1] in "sn" else ""):
            if len(left) >= 3 and _known(left):
                return True
    return False


def _unknown(word: str) -> bool:
    """Whether the tagger's lexicon does not know ``word`` at all (its best guess scores
    about -30, a known word about -10)."""
    best = _tagger().tag_word(word)[:1]
    return not best or best[0][1] < -25


def _best_tag(word: str) -> str:
    """The tagger's most likely tag of a word on its own."""
    best = _tagger().tag_word(word)[:1] if word else []
    return best[0][0] if best else ""


def _lexicon_name(word: str) -> bool:
    """Whether the tagger's lexicon knows ``word`` as a proper noun (Müller, Hoffmann)."""
    best = _tagger().tag_word(word)[:1]
    return bool(best) and best[0][0] == "NE" and best[0][1] > -22


def _has_name_reading(word: str) -> bool:
    """Whether the tagger's lexicon also knows ``word`` as a proper noun (``Richter``, ``Sommer``:
    common nouns that are frequent surnames), not only as a common noun (``Vertrag``)."""
    return any(tag == "NE" and score > -22 for tag, score in _tagger().tag_word(word)[:4])


def _name_part(part: str) -> bool:
    """A part of a hyphenated compound that is a name (``Becker`` in ``Becker-Team``)."""
    if len(part) < 3 or not part[:1].isupper() or part.isupper():
        return False
    if _known(part.lower()):  # online, digital: an ordinary word written small
        return False
    return _is_first_name(part) or _lexicon_name(part)


_DETERMINERS = {
    "der", "die", "das", "dem", "den", "des", "ein", "eine", "einem", "einen", "einer", "im",
    "vom", "beim", "am", "zum", "zur", "unser", "unsere", "unserem", "meinem", "meine", "mein",
}  # fmt: skip
_FOREIGN_NOUN = re.compile(r"(ness|ship|ment|ing|ity)$")
# Verbs of speech: "Krüger hat gesagt", "sagt Krüger". A bare singular noun without an article as
# the subject of a speech verb is a person referred to by name (common nouns need an article).
_SPEECH = re.compile(
    r"(?:ge)?(sag|meint|erzähl|erklär|frag|antwort|sprich|sprach|gesproch|schimpf|lob|rief|ruf|"
    r"schrieb|schreib|geschrieb|erwähn|versproch|versprich|empfahl|empfohl|empfiehl|riet|rät|"
    r"geraten|betont|beton)"
)
_TALK_VERB = re.compile(
    r"(?:ge)?(red|sprech|sprach|sproch|telefonier|gestritten|streit|abgesproch|chatt|geschrieb)"
)
_FUNCTION_WORDS = {
    "von", "vom", "an", "am", "bei", "beim", "mit", "nach", "zu", "zum", "zur", "aus", "auf",
    "in", "im", "um", "für", "über", "unter", "vor", "hinter", "neben", "zwischen", "durch",
    "gegen", "ohne", "seit", "bis", "ab", "und", "oder", "aber", "doch", "so", "wie", "als",
}  # fmt: skip
_NAMEABLE = {"NN", "NE", "FM", "XY"}
_BEFORE_LEGAL_FORM = {"NE", "NN", "FM", "XY", "ADJA", "ADJD", "ADV"}
_GROUP_HEADS = {"team", "gruppe", "truppe", "crew", "clique", "familie", "bande"}
_SINGULAR_AUX = {"hat", "hatte", "hätte", "wird", "würde", "will", "wollte", "soll", "sollte"}


def _stem_variants(word: str) -> list[str]:
    """The word and its forms without a genitive/plural ending (Müllers -> Müller)."""
    w = word.strip(".").rstrip("'’")
    out = [w]
    for suffix in ("s", "es", "n", "en", "ens"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            out.append(w[: -len(suffix)])
    return out


class Detector:
    """Finds likely personal data in German text.

    Parameters
    ----------
    allowed
        Words that are never a hit: pseudonyms, variable values, speaker labels, codebook
        terms. Compared case-insensitively, word by word.
    blocklist
        Real names (one entry per string) that are always a hit of kind ``Sperrliste``.
    pseudonyms
        The part of ``allowed`` that names people and companies (``Person``, ``Betrieb``,
        document names, speaker labels). When given, the other allowed words (occupations such
        as ``Koch``, regions, codebook terms) are still a hit where only a name can stand:
        after ``Frau``/``Herr``, a role or a company word, before a legal form, after a first
        name, as the subject of a verb of speech (``Frau Koch``, ``Bäckerei Koch``). None: every
        allowed word is never a hit.
    """

    def __init__(
        self,
        allowed: Iterable[str] = (),
        blocklist: Iterable[str] = (),
        pseudonyms: Iterable[str] | None = None,
    ) -> None:
        self.allowed = _word_set(allowed) | _ALWAYS_ALLOWED
        self._names = None if pseudonyms is None else _word_set(pseudonyms) | _ALWAYS_ALLOWED
        entries = sorted({b.strip() for b in blocklist if b and b.strip()}, key=len, reverse=True)
        self._block = (
            re.compile(
                r"(?<![\w])(?:"
                + "|".join(re.escape(e) for e in entries)
                + r")(?:s|es|n|'|’)?(?![\w])",
                re.IGNORECASE,
            )
            if entries
            else None
        )
        self._cache: dict[str, list[tuple[int, int, str, str, str]]] = {}

    # --- public -----------------------------------------------------------------------------

    def find(self, text: str) -> list[Hit]:
        """All hits in ``text``, sorted by position, overlapping hits merged (first kind wins).

        Parameters
        ----------
        text
            One quote, paragraph or cell.

        Returns
        -------
        list of Hit
            Sorted by start position.
        """
        if not text or not text.strip():
            return []
        hits: list[Hit] = []
        if self._block is not None:
            for m in self._block.finditer(text):
                hits.append(
                    Hit(m.start(), m.end(), m.group(), "Sperrliste", "steht auf der Sperrliste")
                )
        hits.extend(self._pattern_hits(text))
        offset = 0
        for sentence in _SENTENCE_END.split(text):
            start = text.find(sentence, offset)
            offset = start + len(sentence)
            for s, e, t, k, r in self._sentence_hits(sentence):
                hits.append(Hit(start + s, start + e, t, k, r))
        return _merge(hits)

    # --- patterns ---------------------------------------------------------------------------

    def _pattern_hits(self, text: str) -> list[Hit]:
        import phonenumbers

        out: list[Hit] = []
        for m in _EMAIL.finditer(text):
            out.append(Hit(m.start(), m.end(), m.group(), "E-Mail", "E-Mail-Adresse"))
        for m in _IBAN.finditer(text):
            if iban_valid(m.group()):
                out.append(
                    Hit(m.start(), m.end(), m.group(), "Kennnummer", "IBAN (Prüfziffer gültig)")
                )
        for m in _ID_NUMBER.finditer(text):
            out.append(
                Hit(
                    m.start(1),
                    m.end(1),
                    m.group(1).strip(),
                    "Kennnummer",
                    "Nummer nach „" + m.group().split()[0].rstrip(":") + "“",
                )
            )
        for m in _SV_NUMBER.finditer(text):
            out.append(
                Hit(
                    m.start(),
                    m.end(),
                    m.group(),
                    "Kennnummer",
                    "Form einer Sozialversicherungsnummer",
                )
            )
        for m in phonenumbers.PhoneNumberMatcher(text, "DE"):
            if _DATE.fullmatch(m.raw_string.strip()) or "." in m.raw_string:
                continue  # 12.03.1999 is a date, not a phone number
            out.append(Hit(m.start, m.end, m.raw_string, "Telefon", "gültige Telefonnummer"))
        for m in _PHONE_RX.finditer(text):
            if sum(c.isdigit() for c in m.group()) >= 7:
                out.append(
                    Hit(m.start(), m.end(), m.group(), "Telefon", "Form einer Telefonnummer")
                )
        for m in _STREET.finditer(text):
            word = m.group().split()[0].lower()
            has_number = bool(re.search(r"\d", m.group()))
            if not has_number and (word in _STREET_NOUNS or word in self.allowed):
                continue
            if not has_number and not re.search(
                r"(straße|strasse|str\.|gasse|allee|chaussee)$", word
            ):
                continue
            out.append(
                Hit(
                    m.start(),
                    m.end(),
                    m.group(),
                    "Adresse",
                    "Straße" + (" mit Hausnummer" if has_number else ""),
                )
            )
        for m in _POSTCODE.finditer(text):
            out.append(Hit(m.start(), m.end(), m.group(), "Adresse", "Postleitzahl und Ort"))
        for m in _DATE.finditer(text):
            before = text[max(0, m.start() - 40) : m.start()]
            year = re.search(r"(\d{2,4})$", m.group())
            y = int(year.group(1)) if year else 0
            if _BIRTH_CUE.search(before):
                out.append(
                    Hit(
                        m.start(),
                        m.end(),
                        m.group(),
                        "Geburtsdatum",
                        "Datum nach „geboren“/„Geburtstag“",
                    )
                )
            elif 1940 <= y <= 2012:
                out.append(
                    Hit(
                        m.start(),
                        m.end(),
                        m.group(),
                        "Geburtsdatum",
                        "vollständiges Datum mit Geburtsjahrgang",
                    )
                )
        return out

    # --- names ------------------------------------------------------------------------------

    def _sentence_hits(self, sentence: str) -> list[tuple[int, int, str, str, str]]:
        if sentence in self._cache:
            return self._cache[sentence]
        tokens = [(m.group(), m.start(), m.end()) for m in _WORD.finditer(sentence)]
        words = [t[0] for t in tokens]
        if not words:
            return []
        tags = [
            tag.replace("(", "").replace(")", "")
            for _, _, tag in _tagger().tag_sent(words, taglevel=1)
        ]
        out: list[tuple[int, int, str, str, str]] = []
        first = next((i for i, w in enumerate(words) if re.match(r"\w", w)), 0)
        for k, (w, t) in enumerate(zip(words, tags, strict=True)):
            # "Wendt" taken for a form of "wenden": a capitalised verb inside a sentence, or one
            # followed by a finite verb at its start, is a name
            if t.startswith(("VV", "VA", "VM")) and w[:1].isupper() and len(w) > 2:
                after_start = (
                    k > first
                    and words[k - 1] not in {":", "„", '"', "»", "(", "-", "–"}
                    # "das Bestanden": after an article or adjective a nominalised verb form
                    and tags[k - 1] not in {"ART", "ADJA", "PPOSAT", "PIAT", "PDAT", "APPRART"}
                    and words[k - 1].lower() not in _DETERMINERS
                )
                # at the start: "Wendt hat gesagt" (finite verb, then a participle), not a
                # fronted participle "Unterstützt hat es das"
                finite_next = (
                    k + 2 < len(words)
                    and tags[k + 1] in {"VAFIN", "VMFIN", "VVFIN"}
                    and tags[k + 2].startswith("VV")
                )
                if after_start or (k == first and finite_next):
                    tags[k] = "NE"
        i = 0
        while i < len(words):
            w, s, e = tokens[i]
            if (
                not w[:1].isupper()
                or not re.match(r"[A-ZÄÖÜ]", w)
                or (
                    self._allowed(w)
                    and not (self._vocabulary_only(w) and self._name_context(words, tags, i))
                )
            ):
                i += 1
                continue
            if w.lower() in _PERSON_CUES or w.lower() in _COMPANY_CUES:  # Frau, Herr, Firma
                i += 1
                continue
            if w.lower() in _FUNCTION_WORDS:  # "Von AsA flex ...": capitalised at a start
                i += 1
                continue
            if w.isupper() and len(w) <= 6:  # acronyms: IHK, BA, AsA-like labels
                i += 1
                continue
            prev = words[i - 1].lower() if i > 0 else ""
            prev2 = words[i - 2].lower() if i > 1 else ""
            tag = tags[i]
            parts = re.split(r"[-'’]", w.strip("."))
            is_first = any(_is_first_name(p) and p[:1].isupper() for p in parts) or any(
                _is_first_name(v) for v in _stem_variants(w)
            )
            is_ne = tag == "NE" or (
                w.endswith("s") and len(w) > 4 and _lexicon_name(w[:-1])  # Lindemanns
            )
            nounish = _nounish(w)
            kind = reason = ""
            if (
                prev in _PERSON_CUES
                and words[i - 1][:1].isupper()
                and (
                    is_ne
                    or is_first
                    or (prev in _TITLES and not nounish)
                    or (
                        not nounish
                        and not _inflected_noun(w)
                        and self._apposition_end(words, tags, i)
                    )
                )
            ):
                kind, reason = "Person", f"Name nach „{words[i - 1]}“"
            elif (
                prev == "laut"
                and not nounish
                and not _inflected_noun(w)
                and (tag == "NE" or _has_name_reading(w))
            ):
                kind, reason = "Person", "Name nach „laut“ (Wortart NE möglich)"
            elif (
                prev in _NAMING
                and not nounish
                and not _inflected_noun(w)
                and not (prev.startswith("hei") and prev2 in {"das", "es", "dies", "was", "wie"})
            ):
                kind, reason = "Person", f"Name nach „{words[i - 1]}“"
            elif prev in _COMPANY_CUES and (is_ne or is_first or not nounish):
                kind, reason = "Betrieb", f"Name nach „{words[i - 1]}“"
            elif tag in _BEFORE_LEGAL_FORM and self._legal_form_follows(words, i):
                kind, reason = "Betrieb", "Name vor einer Rechtsform (GmbH, KG, ...)"
            elif (
                is_first
                and tag in {"NE", "NN", "FM", "XY"}
                and (
                    is_ne
                    or _unknown(w)  # Leonie: in the name list, not in the tagger's lexicon
                    or (
                        i + 1 < len(words)
                        and words[i + 1][:1].isupper()
                        and tags[i + 1] == "NE"
                        and not self._allowed(words[i + 1])
                    )
                )
            ):
                kind, reason = "Person", "Vorname (Namensliste)"
            elif is_ne and (
                prev in _PLACE_CUES or (prev in {"der", "dem", "den"} and prev2 in _PLACE_CUES)
            ):
                kind, reason = "Ort", f"Eigenname nach „{words[i - 1]}“"
            elif (
                i != first
                and re.search(r"[a-zäöü]er$", w)
                and i + 1 < len(words)
                and words[i + 1][:1].isupper()
                and (tag == "ADJA" or (prev in _DETERMINERS and _best_tag(w[:-2]) == "NE"))
            ):
                kind, reason = "Ort", "von einem Ortsnamen abgeleitetes Adjektiv"
            elif "-" in w and any(_name_part(p) and not self._allowed(p) for p in parts):
                kind, reason = "Person", "Name in einer Zusammensetzung"
            elif is_ne and i != first and not self._common_word(w):
                kind, reason = "Person", "Eigenname (Wortart NE), nicht im Pseudonym-Register"
            elif (
                is_ne
                and i == first
                and not nounish
                and i + 1 < len(words)
                and tags[i + 1].startswith(("VV", "VA", "VM"))
            ):
                kind, reason = "Person", "Eigenname am Satzanfang (Wortart NE)"
            elif tag in {"NN", "NE"} and not nounish and self._speech_subject(words, tags, i):
                kind, reason = "Person", "Name ohne Artikel bei einem Verb des Sagens"
            elif tag in {"NN", "NE"} and self._saxon_genitive(words, tags, i, first):
                kind, reason = "Person", "vorangestellter Genitiv ohne Artikel (Namensform)"
            elif (
                # "Stark und ich": a capitalised adjective there can only be a name
                tag in {"NN", "NE", "FM", "ADJD", "ADV"}
                and not nounish
                and not _inflected_noun(w)
                and self._companion(words, i)
            ):
                kind, reason = "Person", "Name ohne Artikel neben „ich“/„mit … zusammen“"
            elif (
                # capitalised in mid-sentence: tagged as adverb ("Lange") it can only be a name
                tag in {"NN", "NE", "ADV", "ADJD"}
                and not nounish
                and not _inflected_noun(w)
                and self._bare_object(words, tags, i, first)
            ):
                kind, reason = "Person", "Name ohne Artikel zwischen Verb/Pronomen und Pronomen"
            elif (
                tag in {"ADJD", "ADV"}
                and i + 2 < len(words)
                and words[i + 1].lower() in _SINGULAR_AUX
                and bool(_SPEECH.match(words[i + 2].lower()))
                and tags[i + 2].startswith("VV")
            ):
                # "Fröhlich hat gesagt": an adjective cannot be the subject of "hat gesagt"
                kind, reason = "Person", "Name ohne Artikel bei einem Verb des Sagens"
            elif is_first and tag in _NAMEABLE and self._bare_first_name(words, tags, i):
                kind, reason = "Person", "Vorname (Namensliste) ohne Artikel"
            elif "-" in w and self._team_compound(parts):
                kind, reason = "Person", "Name vor „-Team“/„-Gruppe“"
            if kind == "Person" and reason.startswith("Eigenname") and _english_pair(words, i):
                kind = ""  # "Software Patterns", "Number Go Bigger": English words, not names
            if kind == "Person" and reason.startswith("Eigenname") and _after_adjective(tags, i):
                kind = ""  # "den faulen Schreiber": article and adjective make a common noun
            if not kind:
                i += 1
                continue
            # a following capitalised proper noun belongs to the name (Anna Schmidt)
            j = i
            while (
                j + 1 < len(words)
                and words[j + 1][:1].isupper()
                and (
                    not self._allowed(words[j + 1])
                    or (kind == "Person" and is_first and self._vocabulary_only(words[j + 1]))
                )
                and (
                    tags[j + 1] == "NE"
                    or (
                        kind == "Person"
                        and j == i
                        and is_first
                        and not _nounish(words[j + 1])
                        and tags[j + 1] in {"NN", "NE", "FM", "XY", "ADJD", "ADV", "ADJA"}
                    )
                    or (kind == "Betrieb" and not _nounish(words[j + 1]) and tags[j + 1] != "NN")
                )
            ):
                j += 1
            if kind == "Betrieb" and reason.startswith("Name vor einer Rechtsform"):
                # "Kurz Bau GmbH": every capitalised word up to the legal form is the name
                while (
                    j + 1 < len(words)
                    and words[j + 1][:1].isupper()
                    and not re.fullmatch(_LEGAL_FORMS, words[j + 1].rstrip(","))
                ):
                    j += 1
            if kind == "Betrieb":
                while j + 1 < len(words) and re.fullmatch(_LEGAL_FORMS, words[j + 1].rstrip(",")):
                    j += 1
            out.append((s, tokens[j][2], sentence[s : tokens[j][2]].rstrip("."), kind, reason))
            i = j + 1
        self._cache[sentence] = out
        return out

    def _speech_subject(self, words: list[str], tags: list[str], i: int) -> bool:
        """``Krüger hat gesagt`` / ``Krüger meint`` (subject at a clause start, singular verb of
        speech next) or ``sagt Krüger.`` (after a finite verb of speech, clause end next)."""
        prev = words[i - 1] if i > 0 else ""
        nxt = words[i + 1] if i + 1 < len(words) else ""
        clause_start = (
            i == 0
            or prev in {",", ";", ":", "„", '"', "»", "-", "–"}
            or prev.lower() in _CLAUSE_WORDS  # "wie Braun immer sagt"
        )
        # adverbs between subject and verb: "Braun sagt immer", "wie Braun immer sagt"
        k = i + 1
        while k < len(words) and k <= i + 2 and tags[k] == "ADV":
            k += 1
        if clause_start and k < len(words):
            verb = words[k]
            if verb.lower() in _SINGULAR_AUX:
                return any(
                    _SPEECH.match(w.lower()) and tags[m].startswith("VV")
                    for m, w in enumerate(words[k + 1 : k + 6], start=k + 1)
                )
            return (
                tags[k] == "VVFIN"
                and verb.endswith(("t", "te"))
                and bool(_SPEECH.match(verb.lower()))
            )
        return (
            tags[i - 1] == "VVFIN"
            and prev.endswith(("t", "te"))
            and bool(_SPEECH.match(prev.lower()))
            and (not nxt or nxt in {".", ",", "!", "?", ";", ":"})
        )

    def _saxon_genitive(self, words: list[str], tags: list[str], i: int, first: int) -> bool:
        """``Ohne Lindemanns Hilfe``: a genitive in -s before a noun without an article is a name
        (common nouns take the article: ``ohne die Hilfe des Lehrers``)."""
        w = words[i]
        if not w.endswith("s") or w.endswith(("ss", "us", "is", "os")) or len(w) < 5:
            return False
        base = w[:-1]
        if self._allowed(base) or _nounish(base) or "-" in base:
            return False
        nxt_ok = i + 1 < len(words) and words[i + 1][:1].isupper() and tags[i + 1] == "NN"
        prev_ok = i == first or tags[i - 1] in {"APPR", "KON", "$,"}
        best = _tagger().tag_word(w)[:1]
        s_form_unknown = (
            not best
            or best[0][1] < -15
            or best[0][0] == "NE"
            or tags[i] == "NE"
            # "Jägers Tipps": a person noun in -er takes the article ("des Jägers"), a name not
            or (base.endswith("er") and len(base) >= 5 and base[:1].isupper())
        )
        # "ohne Steins Hilfe": after a preposition a bare genitive before a noun is a name
        after_preposition = i != first and tags[i - 1] == "APPR"
        return nxt_ok and prev_ok and (s_form_unknown or after_preposition)

    def _vocabulary_only(self, word: str) -> bool:
        """Allowed as a word of the study (occupation, region, code), not as a pseudonym."""
        if self._names is None or not self._allowed(word):
            return False
        variants = [v.lower() for v in _stem_variants(word)] + [word.strip(".").lower()]
        return not any(v in self._names for v in variants)

    def _name_context(self, words: list[str], tags: list[str], i: int) -> bool:
        """Where only a name can stand: ``Frau Koch``, ``Bäckerei Koch``, ``Koch GmbH``,
        ``Elif Koch``, ``Koch hat gesagt``."""
        prev = words[i - 1] if i > 0 else ""
        if prev[:1].isupper() and prev.lower() in _PERSON_CUES | _COMPANY_CUES:
            return True
        if prev[:1].isupper() and _is_first_name(prev) and not self._allowed(prev):
            return True
        return self._legal_form_follows(words, i) or self._speech_subject(words, tags, i)

    @staticmethod
    def _apposition_end(words: list[str], tags: list[str], i: int) -> bool:
        """``der Azubi Hahn hat``/``Kumpel Stein,``: after a role the word ends the noun phrase
        (a finite verb, a comma or the end follow), as a name in apposition does; a common noun
        after a role is the object of a verb that follows (``dem Meister Fragen stellen``)."""
        if i + 1 >= len(words):
            return True
        nxt, tag = words[i + 1], tags[i + 1]
        return nxt in {",", ".", "!", "?", ";", ":", ")", "“", '"'} or tag in {
            "VAFIN",
            "VMFIN",
            "VVFIN",
        }

    def _companion(self, words: list[str], i: int) -> bool:
        """``Hahn und ich``, ``ich und Hahn``, ``mit Hahn zusammen``, ``Gespräch mit Hahn``: a
        bare singular word as one of the people one does something with."""
        prev = words[i - 1].lower() if i > 0 else ""
        prev2 = words[i - 2].lower() if i > 1 else ""
        nxt = words[i + 1].lower() if i + 1 < len(words) else ""
        nxt2 = words[i + 2].lower() if i + 2 < len(words) else ""
        bare = prev not in _DETERMINERS and (i == 0 or not words[i - 1][:1].isupper())
        if nxt == "und" and nxt2 in {"ich", "mir", "mich"} and bare:
            return True
        if prev == "und" and prev2 == "ich":
            return True
        if prev == "mit" and (nxt == "zusammen" or prev2 in _TALK_NOUNS):
            return True
        if (
            prev == "mit"
            and any(_TALK_VERB.match(x.lower()) for x in words[i + 1 :])
            and (_has_name_reading(words[i]) or not _known_noun(words[i]))
        ):
            return True  # "mit Böttcher über die Prüfung geredet", not "mit Arbeit"
        return False

    def _bare_object(self, words: list[str], tags: list[str], i: int, first: int) -> bool:
        """``Das hat Kaiser mir erklärt``, ``Dann hat mir Werner die Papiere gegeben``: a bare
        capitalised word between a finite verb or pronoun and a pronoun or article. A common
        noun there takes an article (mass nouns such as ``Spaß`` stand before the participle)."""
        if i == first or i + 1 >= len(words) or i < 1:
            return False
        before = tags[i - 1] in {"VAFIN", "VMFIN", "VVFIN"} or words[i - 1].lower() in (
            _OBJECT_PRONOUNS
        )
        after = words[i + 1].lower() in _OBJECT_PRONOUNS or tags[i + 1] == "ART"
        if words[i - 1].lower() == "es" or words[i].endswith(("en", "ern")):
            return False  # "gibt es Probleme", plurals
        return before and after

    @staticmethod
    def _bare_first_name(words: list[str], tags: list[str], i: int) -> bool:
        """``Ich habe Finn gefragt``, ``Ich frage immer Finn, ...``: a first name of the list
        (which the tagger knows as a common noun) without article, adjective or preposition
        before it and a participle, pronoun, article or clause end after it."""
        if i < 1 or i + 1 >= len(words):
            return False
        lemma, tag = _tagger().analyze(words[i])
        if tag == "NN" and len(lemma) < len(words[i]):
            return False  # "Es gab Tage, ...": a plural (longer than its lemma), not "Finn"
        prev, nxt = words[i - 1].lower(), words[i + 1]
        if prev in _DETERMINERS or tags[i - 1] in {"ADJA", "ART", "APPR", "APPRART", "PPOSAT"}:
            return False
        if words[i - 1][:1].isupper() and tags[i - 1] in {"NN", "NE"}:
            return False
        return (
            nxt in {",", ".", "!", "?", ";", ":"}
            or tags[i + 1] in {"VVPP", "PPER", "PRF", "ART"}
            or nxt.lower() in _OBJECT_PRONOUNS
        )

    def _team_compound(self, parts: list[str]) -> bool:
        """``Berger-Team``: a capitalised word joined to a word for a group of people."""
        if len(parts) != 2 or parts[1].lower() not in _GROUP_HEADS:
            return False
        head = parts[0]
        return (
            len(head) >= 3
            and head[:1].isupper()
            and not head.isupper()
            and (not self._allowed(head) or self._vocabulary_only(head))
            and not _nounish(head)
            and not head.endswith(("en", "s"))
            and _best_tag(head) in {"NE", "NN"}
            and not _english_word(head)
        )

    @staticmethod
    def _common_word(word: str) -> bool:
        return bool(_FOREIGN_NOUN.search(word.lower())) or _compound_noun(word)

    def _allowed(self, word: str) -> bool:
        return (
            any(v.lower() in self.allowed for v in _stem_variants(word))
            or word.strip(".").lower() in self.allowed
        )

    @staticmethod
    def _legal_form_follows(words: list[str], i: int) -> bool:
        for k in range(i + 1, min(i + 4, len(words))):
            if re.fullmatch(_LEGAL_FORMS, words[k].rstrip(",")) or words[k] in {"GmbH", "AG", "KG"}:
                return True
            if not words[k][:1].isupper() and words[k] != "&":
                return False
        return False


@lru_cache(maxsize=1)
def _english_words() -> frozenset[str]:
    """Frequent English common words: in the word-probability table of spacy-lookups-data,
    more frequent in lower case than capitalised (``patterns``, not ``Hahn``)."""
    import gzip
    import json

    import spacy_lookups_data

    path = resources.files(spacy_lookups_data).joinpath("data/en_lexeme_prob.json.gz")
    prob: dict[str, float] = json.loads(gzip.decompress(path.read_bytes()))
    return frozenset(
        w
        for w, p in prob.items()
        if p > -13.5 and w.isalpha() and w.islower() and p > prob.get(w.capitalize(), -99.0)
    )


def _english_word(word: str) -> bool:
    """Whether ``word`` is a frequent English common word and not a first name."""
    return word.lower() in _english_words() and not _is_first_name(word)


def _english_pair(words: list[str], i: int) -> bool:
    """``Software Patterns``, ``Number Go``: the word and a capitalised neighbour are both English
    words (and no first names); a German name next to an English word is rare."""
    if not _english_word(words[i]):
        return False
    for k in (i - 1, i + 1):
        if 0 <= k < len(words) and words[k][:1].isupper() and _english_word(words[k]):
            return True
    return False


def _after_adjective(tags: list[str], i: int) -> bool:
    """``den faulen Schreiber``: article (or possessive) and attributive adjective before the
    word make it a common noun."""
    return i >= 2 and tags[i - 1] == "ADJA" and tags[i - 2] in {"ART", "PPOSAT", "PDAT", "PIAT"}


def _word_set(values: Iterable[str]) -> frozenset[str]:
    """The words of ``values`` (split at spaces, slashes, commas), lower case."""
    words: set[str] = set()
    for value in values:
        for w in re.split(r"[\s/,;()]+", str(value)):
            if w:
                words.add(w.strip(".").lower())
    return frozenset(words)


def _merge(hits: list[Hit]) -> list[Hit]:
    """Overlapping hits: keep the one that starts first (ties: the longer, then by kind order)."""
    order = {k: n for n, k in enumerate(KINDS)}
    ranked = sorted(hits, key=lambda h: (h.start, -(h.end - h.start), order.get(h.kind, 99)))
    out: list[Hit] = []
    for h in ranked:
        if out and h.start < out[-1].end:
            if h.kind == "Sperrliste" and out[-1].kind != "Sperrliste":
                out[-1] = Hit(
                    out[-1].start,
                    max(out[-1].end, h.end),
                    out[-1].text,
                    "Sperrliste",
                    "steht auf der Sperrliste",
                )
            continue
        out.append(h)
    return out
