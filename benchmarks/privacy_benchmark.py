"""Recall and precision of the leak check on planted personal data.

Plants names, companies, places, addresses, phone numbers, e-mail addresses, dates of birth and
ID numbers into paragraphs of the demo transcripts and of the German sample interviews
(``../shared/samples/interviews/*.txt``, when present): varied forms, inflected (genitive),
in compounds (``Yilmaz-Team``, ``Plauener Betrieb``), at sentence starts. Then

* runs the detector on the planted paragraphs: a planted item is found when a hit overlaps it
  (recall per kind; "Art richtig" when the hit also has the planted kind); precision per kind
  is the share of hits of that kind that overlap a planted item (on the planted paragraphs,
  whose other text is the unplanted original);
* counts the hits on the unplanted demo text per 1,000 words (the demo's own
  ``Frau Krause``/``Herr Yilmaz`` are real names and are listed separately);
* runs the pseudonymiser (a fresh mapping learnt from each planted paragraph) and reports the
  share of planted items no longer in the text ("pseudonymisiert").

Held-out sets (other surnames, first names and sentence forms): ``--heldout`` (used for tuning
the context cues), ``--heldout2`` (written before that tuning, measured once, then used for
tuning too), ``--heldout3`` (written before the tuning on the second set, then used for tuning too),
``--heldout4`` (written before the tuning on the third set, never tuned on).
False hits are also counted on the real German sample interviews (speaker turns only).

Usage: python benchmarks/privacy_benchmark.py [--n 400] [--seed 0] [--heldout{,2,3,4}]
"""

from __future__ import annotations

import argparse
import random
import re
import time
from pathlib import Path

import pandas as pd

from asaqda.io.wave import discover_waves, import_wave
from asaqda.privacy.detect import Detector
from asaqda.privacy.pseudonymise import Mapping, PseudonymReport, _learn, pseudonymise_text
from asaqda.privacy.scan import allowed_terms, pseudonym_terms

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO.parent / "shared" / "samples" / "interviews"
N_DEMO = 0
# real names the demo corpus plants on purpose (not false hits)
DEMO_REAL = {"Krause", "Yilmaz", "Kowalski"}
PSEUDONYMS: set[str] = set()

FIRST = ["Kevin", "Ayşe", "Mehmet", "Laura", "Jana", "Dennis", "Olga", "Piotr", "Fatima",
         "Lukas", "Svenja", "Ahmad", "Marcel", "Chantal", "Tobias", "Leonie", "Dmitri",
         "Elif"]  # fmt: skip
SUR = ["Yilmaz", "Kowalski", "Schneider", "Hoffmann", "Özdemir", "Wagner", "Nowak", "Becker",
       "Schulz", "Krüger", "Petrović", "Lindemann", "Kaya", "Zimmermann", "Haddad", "Wolff",
       "Kleinschmidt", "Brandt"]  # fmt: skip
# Held-out check (--heldout): frequent German surnames, most of them also ordinary words that
# the tagger's lexicon knows as nouns (Fischer, Koch, Bauer, Richter ...). The detector uses no
# surname list at all, so this list is independent of it; it was not looked at while the
# context cues were written, and neither were the extra sentence forms below.
SUR_HELDOUT = ["Fischer", "Weber", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Neumann",
               "Schwarz", "Braun", "Hartmann", "Lange", "Werner", "Lehmann", "König", "Kaiser",
               "Fuchs", "Vogel", "Keller", "Berger", "Winkler", "Roth", "Baumann", "Schuster",
               "Krämer", "Vogt", "Jäger", "Sommer", "Seidel", "Haas"]  # fmt: skip
PERSON_HELDOUT = [
    "Gestern meinte {S}, das wird schon.",
    "Laut {S} fehlt mir nur die Praxis.",
    "Das hat {S} mir genau erklärt.",
    "{S}s Tipps haben mir geholfen.",
]
# Second held-out check (--heldout2): written before the detector was tuned on the first
# held-out set and never looked at while tuning. Other surnames (again mostly ordinary words:
# animals, seasons, adjectives, trades), other first names, other sentence frames.
SUR_HELDOUT2 = ["Hahn", "Engel", "Busch", "Horn", "Graf", "Stein", "Kühn", "Sauer", "Adler",
                "Strauß", "Frost", "Winter", "Herbst", "Hase", "Fink", "Specht", "Kranz",
                "Heller", "Schäfer", "Brenner", "Ritter", "Reiter", "Pfeiffer", "Böhm",
                "Ziegler", "Scholz", "Stark", "Fröhlich", "Kurz", "Riedel"]  # fmt: skip
FIRST_HELDOUT2 = ["Jannik", "Melina", "Emre", "Sophie", "Yusuf", "Natalia", "Finn", "Zeynep",
                  "Maximilian", "Aylin", "Kacper", "Mia", "Nils", "Dilara", "Ruslan",
                  "Hannah"]  # fmt: skip
PERSON_HELDOUT2 = [
    "Zum Glück war Frau {S} an dem Tag da.",
    "Am Ende hat mir {S} den Vertrag gegeben.",
    "Nach dem Gespräch mit {S} ging es mir besser.",
    "{S} und ich machen die Spätschicht.",
    "Unser Chef, Herr {S}, ist selten da.",
    "Ich frage dann immer {F}, die weiß das.",
    "Der Azubi {S} hat gekündigt.",
    "Meine Betreuerin heißt {S}.",
    "Erst gestern hat {F} {S} angerufen.",
    "Wie {S} immer sagt: Übung macht den Meister.",
]
# Third held-out check (--heldout3): written after the second set had been measured once (its
# misses then used for tuning), before any further tuning; not looked at while tuning.
SUR_HELDOUT3 = ["Kuhn", "Lorenz", "Ludwig", "Böttcher", "Jung", "Hermann", "Brandl", "Engels",
                "Kraft", "Wirth", "Haller", "Voigt", "Schreiner", "Decker", "Seiler", "Gärtner",
                "Pohl", "Beck", "Förster", "Marx", "Lindner", "Ebert", "Kunz", "Vetter",
                "Hübner", "Sander", "Bach", "Wendt", "Rose", "Falk"]  # fmt: skip
FIRST_HELDOUT3 = ["Luca", "Amelie", "Onur", "Paulina", "Ilias", "Selin", "Jonas", "Weronika",
                  "Arda", "Lina", "Bogdan", "Emilia", "Tim", "Esra", "Artur", "Clara"]  # fmt: skip
PERSON_HELDOUT3 = [
    "Seit Herr {S} da ist, läuft es besser.",
    "Ich habe mit {S} über die Prüfung geredet.",
    "Mein Chef {S} sagt, ich soll mehr lernen.",
    "Gestern war ich bei {F} zu Hause.",
    "{F} hilft mir bei Mathe.",
    "Die Kollegin von Frau {S} ist nett.",
    "Ab Montag übernimmt {S} die Einarbeitung.",
    "Ich soll {S} morgen anrufen.",
    "Das hat mir die {S} so erklärt.",
    "Frau Dr. {S} hat mich krankgeschrieben.",
]
# Fourth held-out check (--heldout4): written after the third set had been measured once (its
# misses then used for tuning), before that tuning; not looked at while tuning.
SUR_HELDOUT4 = ["Brückner", "Schumacher", "Kühne", "Lux", "Kern", "Bär", "Kopp", "Mayer",
                "Franke", "Albrecht", "Wild", "Sturm", "Hoppe", "Schütz", "Dietz", "Nagel",
                "Kiefer", "Ott", "Hecht", "Glaser", "Kaufmann", "Raabe", "Busse", "Mohr",
                "Eberle", "Rausch", "Blum", "Fiedler", "Hirsch", "Reich"]  # fmt: skip
FIRST_HELDOUT4 = ["Noah", "Lea", "Burak", "Julia", "Omar", "Irina", "Ben", "Alina", "Hamza",
                  "Vanessa", "Marek", "Sina", "Can", "Jasmin", "Viktor", "Nele"]  # fmt: skip
PERSON_HELDOUT4 = [
    "Wenn {S} nicht da ist, mache ich die Kasse.",
    "Ich verstehe mich gut mit Frau {S} aus dem Büro.",
    "{F} und {S} sind meine Paten im Betrieb.",
    "Die Einarbeitung hat {S} übernommen.",
    "Sogar {S} hat mich gelobt.",
    "Meine Meisterin, Frau {S}, ist sehr geduldig.",
    "Ich musste zu {S} ins Büro.",
    "Nur {F} hat mir geholfen.",
    "Bei Problemen rufe ich {S} an.",
    "Unsere Azubine {F} macht das super.",
]
PLACES = ["Plauen", "Zwickau", "Gelsenkirchen", "Cottbus", "Bautzen", "Ingolstadt", "Wismar",
          "Pirmasens", "Gotha", "Eberswalde", "Heilbronn", "Stralsund"]  # fmt: skip
STREETS = ["Bahnhof", "Goethe", "Linden", "Schiller", "Berg", "Mühlen", "Garten", "Kirch"]
SUFFIX = ["straße", "weg", "gasse", "allee"]

PERSON = [
    "Frau {S} hat mir damals sehr geholfen.",
    "Mit Herrn {S} rede ich jede Woche.",
    "{S} hat gesagt, dass ich das schaffe.",  # sentence start, surname alone
    "Mein Ausbilder, {F} {S}, ist streng.",
    "{F} aus der Berufsschule kommt auch mit.",
    "Ohne {S}s Hilfe wäre ich raus.",  # genitive
    "Das {S}-Team hat mich aufgenommen.",  # compound
    "Ich habe {F} gefragt, ob sie mitkommt.",
    "Die Kollegin {F} {S} hat frei.",
]
BETRIEB = [
    "Ich lerne in der Bäckerei {S} um die Ecke.",
    "Die Firma {S} zahlt nicht schlecht.",
    "Bei der {S} GmbH gibt es keine Freistellung.",
    "Das Autohaus {S} sucht wieder Azubis.",
    "Wir arbeiten oft mit {S} Bau GmbH & Co. KG zusammen.",
    "Die Tischlerei {S} hat mich übernommen.",
]
ORT = [
    "Ich wohne in {P} bei meiner Tante.",
    "Meine Familie kommt aus {P}.",
    "Jeden Tag fahre ich nach {P} zur Berufsschule.",
    "Der {P}er Betrieb hat mich sofort genommen.",  # adjective
    "In {P} gibt es kaum Ausbildungsplätze.",
]
ADRESSE = [
    "Wir treffen uns in der {X}{Y} {n}.",
    "Die Berufsschule ist {X}{Y} {n}, gleich am Markt.",
    "Schick das an {z} {P}, das ist die Adresse.",
]
TELEFON = [
    "Meine Nummer ist {tel}, ruf einfach an.",
    "Unter {tel} erreichen Sie mich.",
]
EMAIL = ["Schreib mir an {mail}, das geht schneller."]
GEBURT = ["Ich bin am {d} geboren.", "Geburtsdatum {d}, steht im Vertrag."]
KENNNUMMER = [
    "Meine IBAN ist {iban}, da kommt das Geld hin.",
    "Die Kundennummer: {kd} steht auf dem Brief.",
]
TEMPLATES = {
    "Person": PERSON,
    "Betrieb": BETRIEB,
    "Ort": ORT,
    "Adresse": ADRESSE,
    "Telefon": TELEFON,
    "E-Mail": EMAIL,
    "Geburtsdatum": GEBURT,
    "Kennnummer": KENNNUMMER,
}


def _iban(rng: random.Random) -> str:
    bban = f"{rng.randrange(10**7, 10**8)}{rng.randrange(10**9, 10**10)}"
    check = 98 - int(bban + "131400") % 97
    raw = f"DE{check:02d}{bban}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def _tel(rng: random.Random) -> str:
    forms = [
        f"0{rng.choice([341, 371, 351, 30, 89, 221])} {rng.randrange(100000, 9999999)}",
        f"0{rng.choice([151, 160, 171, 176])}/{rng.randrange(1000000, 99999999)}",
        f"+49 {rng.choice([30, 40, 69, 711])} {rng.randrange(1000000, 99999999)}",
        f"(0{rng.choice([351, 3741, 221])}) {rng.randrange(100000, 999999)}",
    ]
    return rng.choice(forms)


def plant(rng: random.Random, kind: str) -> tuple[str, list[str]]:
    """One planted sentence of ``kind`` and the planted strings in it."""
    template = rng.choice(TEMPLATES[kind])
    f, s, p = rng.choice(FIRST), rng.choice(SUR), rng.choice(PLACES)
    values = {
        "F": f,
        "S": s,
        "P": p,
        "X": rng.choice(STREETS),
        "Y": rng.choice(SUFFIX),
        "n": str(rng.randrange(1, 120)),
        "z": f"{rng.randrange(1000, 99999):05d}",
        "tel": _tel(rng),
        "mail": f"{f.lower()}.{s.lower()}@{rng.choice(['web.de', 'gmx.net', 'posteo.de'])}",
        "d": f"{rng.randrange(1, 29):02d}.{rng.randrange(1, 13):02d}.{rng.randrange(1995, 2009)}",
        "iban": _iban(rng),
        "kd": f"{rng.randrange(100, 999)}D{rng.randrange(100000, 999999)}",
    }
    text = template.format(**values)
    keys = re.findall(r"\{(\w+)\}", template)
    if kind == "Adresse" and "z" in keys:
        planted = [f"{values['z']} {values['P']}"]
    elif kind == "Adresse":
        planted = [f"{values['X']}{values['Y']} {values['n']}"]
    else:
        planted = [values[k] for k in keys if k not in {"Y", "n"}]
    return text, planted


def texts() -> tuple[list[str], set[str], int]:
    """Paragraph texts (demo and sample interviews), the allowed terms, demo words."""
    demo = REPO / "data" / "demo"
    docs, paras = [], []
    for wave in discover_waves(demo):
        w = import_wave(demo, wave)
        docs.append(w.documents)
        paras.append(w.paragraphs)
    documents, paragraphs = pd.concat(docs), pd.concat(paras)
    allowed = allowed_terms(documents, paragraphs, [])
    global PSEUDONYMS
    PSEUDONYMS = pseudonym_terms(documents, paragraphs)
    out = [t for t in paragraphs["content"].fillna("") if len(t.split()) >= 6]
    global N_DEMO
    N_DEMO = len(out)
    n_words = int(paragraphs["content"].fillna("").str.split().str.len().sum())
    if SAMPLES.is_dir():
        for path in sorted(SAMPLES.glob("*.txt")):
            lines = path.read_text(encoding="utf-8").splitlines()
            # the English title lines before the first speaker turn are not interview text
            first_turn = next((k for k, s in enumerate(lines) if re.match(r"\s*[A-Z]\d?:", s)), 0)
            for line in lines[first_turn:]:
                body = re.sub(r"^\s*[A-Z]\d?:\s*", "", line)
                if len(body.split()) >= 6:
                    out.append(body)
    return out, allowed, n_words


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=400, help="planted sentences per kind")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--heldout",
        action="store_true",
        help="held-out surnames and extra person sentence forms (see SUR_HELDOUT)",
    )
    ap.add_argument(
        "--heldout2",
        action="store_true",
        help="second held-out set: other surnames, first names and sentence forms",
    )
    ap.add_argument(
        "--heldout3",
        action="store_true",
        help="third held-out set: other surnames, first names and sentence forms",
    )
    ap.add_argument(
        "--heldout4",
        action="store_true",
        help="fourth held-out set: other surnames, first names and sentence forms",
    )
    args = ap.parse_args()
    if args.heldout4:
        SUR[:] = SUR_HELDOUT4
        FIRST[:] = FIRST_HELDOUT4
        PERSON.extend(PERSON_HELDOUT4)
    if args.heldout3:
        SUR[:] = SUR_HELDOUT3
        FIRST[:] = FIRST_HELDOUT3
        PERSON.extend(PERSON_HELDOUT3)
    if args.heldout:
        SUR[:] = SUR_HELDOUT
        PERSON.extend(PERSON_HELDOUT)
    if args.heldout2:
        SUR[:] = SUR_HELDOUT2
        FIRST[:] = FIRST_HELDOUT2
        PERSON.extend(PERSON_HELDOUT2)
    rng = random.Random(args.seed)
    paragraphs, allowed, demo_words = texts()
    detector = Detector(allowed, pseudonyms=PSEUDONYMS)

    t0 = time.perf_counter()
    demo_hits = [h for p in paragraphs[:N_DEMO] for h in detector.find(p)]
    sample_hits = [h for p in paragraphs[N_DEMO:] for h in detector.find(p)]
    real = [h for h in demo_hits if h.text in DEMO_REAL]
    sample_words = sum(len(p.split()) for p in paragraphs[N_DEMO:])
    print(
        f"Unplanted demo text ({N_DEMO} paragraphs, {demo_words} words): "
        f"{len(demo_hits)} hits, of them {len(real)} the demo's own real names "
        f"(Frau Krause/Herr Yilmaz, one Herr Kowalski); other hits "
        f"{(len(demo_hits) - len(real)) / demo_words * 1000:.3f} per 1,000 words: "
        f"{sorted({h.text for h in demo_hits if h not in real})}"
    )
    if sample_words:
        print(
            f"Unplanted real interviews ({len(paragraphs) - N_DEMO} paragraphs, "
            f"{sample_words} words): {len(sample_hits)} hits, "
            f"{len(sample_hits) / sample_words * 1000:.3f} per 1,000 words: "
            f"{sorted({h.text for h in sample_hits})}"
        )
    rows = []
    for kind in TEMPLATES:
        for _ in range(args.n):
            base = rng.choice(paragraphs)
            sentence, planted = plant(rng, kind)
            cut = base.find(". ")
            text = (
                base + " " + sentence
                if cut < 0
                else base[: cut + 2] + sentence + " " + base[cut + 2 :]
            )
            spans = []
            for value in planted:
                at = text.find(value, text.find(sentence))
                spans.append((at, at + len(value)))
            hits = detector.find(text)
            mapping = Mapping()
            _learn(text, detector, mapping, PseudonymReport())
            pseudo = pseudonymise_text(text, mapping)
            for a, b in spans:
                over = [h for h in hits if h.start < b and a < h.end]
                rows.append(
                    {
                        "kind": kind,
                        "found": bool(over),
                        "kind_right": any(h.kind == kind for h in over),
                        "left": re.search(rf"(?<!\w){re.escape(text[a:b])}", pseudo) is not None,
                        "example": text[a:b],
                        "sentence": sentence,
                    }
                )
            for h in hits:
                if h.text in DEMO_REAL and not any(h.start < b and a < h.end for a, b in spans):
                    continue  # the demo's own real names, not planted
                rows.append(
                    {
                        "kind": "_hit",
                        "hit_kind": h.kind,
                        "true": any(h.start < b and a < h.end for a, b in spans),
                        "example": h.text,
                    }
                )
    table = pd.DataFrame(rows)
    planted = table[table["kind"] != "_hit"]
    hits = table[table["kind"] == "_hit"]
    print(
        f"\n{'Art':<13} {'gepflanzt':>9} {'Recall':>7} {'Art richtig':>11} {'Precision':>9} "
        f"{'pseudonymisiert':>15}"
    )
    for kind in TEMPLATES:
        p = planted[planted["kind"] == kind]
        h = hits[hits["hit_kind"] == kind]
        prec = h["true"].mean() if len(h) else float("nan")
        print(
            f"{kind:<13} {len(p):>9} {p['found'].mean():>7.3f} "
            f"{p['kind_right'].mean():>11.3f} {prec:>9.3f} {1 - p['left'].mean():>15.3f}"
        )
    # pseudonyms of the study are allowed by design; occupations etc. only outside name contexts
    registry = [
        v for v in SUR + FIRST if v.lower() in detector.allowed and not detector._vocabulary_only(v)
    ]
    if registry:
        rest = planted[~planted["example"].isin(registry)]
        print(
            f"\nWords of the study's own registry, allowed by design: {registry}; without them "
            + ", ".join(
                f"{k} {rest.loc[rest['kind'] == k, 'found'].mean():.3f}"
                for k in ("Person", "Betrieb")
            )
        )
    missed = planted[~planted["found"].astype(bool)]
    if len(missed):
        print("\nMissed (sample of 25):")
        for r in missed.sample(min(25, len(missed)), random_state=0).itertuples():
            print(f"  {r.kind}: {r.example!r} in {r.sentence!r}")
    false = hits[~hits["true"].astype(bool)]
    if len(false):
        print(
            f"\nHits outside the planted items: {len(false)}: {sorted(set(false['example']))[:20]}"
        )
    print(f"\nTime: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
