"""Deterministic generator of the synthetic demo corpus (no real interview data).

The corpus mirrors the study's design: a 60-person trainee panel interviewed once a year over
three years (two cohorts, with attrition: drop-outs with ``Ausbildungsverlauf > Abbruch``
coded, and persons who simply could not be reached again), training companies covering every
Freistellung, Entlastung and Einstellungsbereitschaft category (one company with conflicting
Freistellung codes), providers, vocational schools, job centres and employment agencies.

``scale="demo"`` gives six waves (2023-1 to 2025-2), about 120 interviews, committed under
``data/demo``; ``scale="full"`` gives the study's full size (12 waves, 1,255 interviews, about
150,000 coded segments) for benchmarks.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any, Literal

from asaqda.demo.sentences import (
    CODE_SENTENCES,
    FILLER,
    QUESTIONS,
    THEMES,
    THEMES_BY_ROLE,
    fill,
    sentence_for,
)
from asaqda.io.variables import COMPANY_SIZES

__all__ = ["DemoInterview", "DemoCoding", "generate_corpus", "waves_for", "Scale"]

Scale = Literal["demo", "full"]

COMPANY_PRACTICES = ("vollständig", "Wegezeiten", "Räumlichkeiten", "keine")
HIRING = ("Voraussetzung", "Argument", "kein Kriterium", "unabhängig von Förderung")
RELIEF = (
    "Stütz- und Förderunterricht",
    "Sozialpädagogische Begleitung",
    "Ausbildungsbegleitung",
    "Personelle und zeitliche Ressourcen",
)
SUPPORT = (
    "Stütz- und Förderunterricht",
    "Sozialpädagogische Begleitung",
    "Ausbildungsbegleitung",
    "Deutschförderung",
)
TYPES = ("stabil", "steigend", "fallend", "Einbruch", "Erholung")
SIZES = COMPANY_SIZES
REGIONS = (
    "Bayern",
    "Baden-Württemberg",
    "Nordrhein-Westfalen",
    "Sachsen",
    "Niedersachsen",
    "Mecklenburg-Vorpommern",
    "Hessen",
    "Thüringen",
)
MARKET_TYPES = ("Typ I", "Typ II", "Typ III", "Typ IV", "Typ V")
OCCUPATIONS = (
    "Kaufmann/-frau im Einzelhandel",
    "Fachkraft für Lagerlogistik",
    "Koch/Köchin",
    "Kfz-Mechatroniker/-in",
    "Friseur/-in",
    "Elektroniker/-in",
    "Maler/-in und Lackierer/-in",
    "Verkäufer/-in",
    "Anlagenmechaniker/-in SHK",
    "Medizinische/-r Fachangestellte/-r",
)
CODERS = ("MK", "JS", "LT")
GROUPS = {
    "Auszubildende": "Auszubildende",
    "Ausbildungsbetrieb": "Betriebe",
    "Bildungsdienstleister": "Bildungsdienstleister",
    "Berufsschule": "Berufsschulen",
    "Agentur für Arbeit": "Agenturen und Jobcenter",
    "Jobcenter": "Agenturen und Jobcenter",
}


@dataclass
class DemoCoding:
    """A coded segment of a demo interview."""

    code: str
    begin: int
    end: int
    segment: str
    weight: int = 0
    comment: str = ""


@dataclass
class DemoInterview:
    """One interview: document identity, variables, transcript paragraphs and codings."""

    wave: str
    group: str
    name: str
    variables: dict[str, Any]
    paragraphs: list[str] = field(default_factory=list)
    codings: list[DemoCoding] = field(default_factory=list)
    coder: str = "MK"
    coded: bool = True


def waves_for(scale: Scale) -> list[str]:
    """The wave ids of a scale."""
    years = range(2023, 2026) if scale == "demo" else range(2023, 2029)
    return [f"{y}-{h}" for y in years for h in (1, 2)]


@dataclass
class _Company:
    pseudonym: str
    size: str
    region: str
    market: str
    occupation: str
    practice: str
    hiring: str | None
    relief: list[str]
    reasons: list[str]
    conditions: bool
    extras: list[str]
    conflict_with: str | None = None


@dataclass
class _Trainee:
    pseudonym: str
    company: _Company
    trajectory: str
    base: float
    has_was: bool
    panel: bool
    interviews: list[int]  # wave indices
    abbruch_at: int | None = None  # panel interview number (1-based) with Abbruch coded
    company_change: _Company | None = None


class _Builder:
    """Builds one transcript paragraph by paragraph and records codings."""

    def __init__(self, rng: random.Random, role_key: str) -> None:
        self.rng = rng
        self.role_key = role_key
        self.paragraphs: list[str] = []
        self.codings: list[DemoCoding] = []
        self.minute = 0
        # uncoded turns draw their themes from a stream of their own (seeded from the state of
        # the main one without advancing it), so the codings stay what they were
        self.themes = random.Random(hash(rng.getstate()[1]))

    def _stamp(self) -> str:
        self.minute += self.rng.randint(1, 3)
        return f"[{self.minute // 60:02d}:{self.minute % 60:02d}:{self.rng.randint(0, 59):02d}]"

    def question(self) -> None:
        q = self.rng.choice(QUESTIONS[self.role_key])
        stamp = f" {self._stamp()}" if self.rng.random() < 0.35 else ""
        self.paragraphs.append(f"I:{stamp} {q}")

    def answer(self, codes: list[tuple[str, int]], comment: str = "") -> None:
        """An answer paragraph carrying one sentence per code (each its own segment)."""
        rng = self.rng
        parts: list[str] = []
        if rng.random() < 0.4:
            parts.append(rng.choice(FILLER))
        spans: list[tuple[str, int, str]] = []
        for code, weight in codes:
            sentence = sentence_for(code, rng)
            parts.append(sentence)
            spans.append((code, weight, sentence))
        if rng.random() < 0.3:
            parts.append(rng.choice(FILLER))
        self.paragraphs.append("B: " + " ".join(parts))
        number = len(self.paragraphs)
        for code, weight, sentence in spans:
            self.codings.append(DemoCoding(code, number, number, sentence, weight, comment))
        # now and then a segment runs on into a second paragraph
        if spans and rng.random() < 0.06:
            code, weight, sentence = spans[-1]
            more = sentence_for(code, rng)
            self.paragraphs.append(more)
            self.codings[-1] = DemoCoding(
                code,
                number,
                number + 1,
                f"{sentence}\n{more}"
                if parts[-1] == sentence
                else self._tail(parts, sentence) + f"\n{more}",
                weight,
                comment,
            )

    @staticmethod
    def _tail(parts: list[str], sentence: str) -> str:
        idx = parts.index(sentence)
        return " ".join(parts[idx:])

    def filler_turn(self) -> None:
        """An uncoded answer: small talk, or (mostly) two sentences on a theme the codebook
        does not cover."""
        self.question()
        small_talk = self.rng.sample(FILLER, 2)
        if self.themes.random() < 0.3:
            self.paragraphs.append("B: " + " ".join(small_talk))
            return
        theme = self.themes.choice(THEMES_BY_ROLE[self.role_key])
        sentences = self.themes.sample(THEMES[theme], 2)
        self.paragraphs.append("B: " + " ".join(fill(t, self.themes) for t in sentences))


def _companies(rng: random.Random, n: int) -> list[_Company]:
    width = 2 if n < 100 else 3
    practices: list[str] = []
    quota = {"vollständig": 0.13, "Wegezeiten": 0.13, "Räumlichkeiten": 0.13}
    for practice, share in quota.items():
        practices += [practice] * max(2, round(n * share))
    practices += ["keine"] * (n - len(practices))
    rng.shuffle(practices)
    hiring_pool = (
        ["Voraussetzung"] * 2
        + ["Argument"] * 8
        + ["kein Kriterium"] * 3
        + ["unabhängig von Förderung"] * 3
        + [None]
    )
    out = []
    for i in range(n):
        practice = practices[i]
        relief = rng.sample(RELIEF, rng.randint(1, 3))
        if i % 11 == 5:
            relief = ["keine Entlastung"]
        reasons: list[str] = []
        if practice in ("keine", "Räumlichkeiten"):
            reasons = rng.choice(
                [["Kosten"], ["Gleichbehandlung"], ["Kosten", "Gleichbehandlung"], []]
            )
        extras = [
            c
            for c, p in (
                ("Vorphase > Praktikum und Kennenlernen", 0.35),
                ("Vorphase > Einstellungsverfahren", 0.25),
                ("Abbruchvermeidung", 0.4),
                ("Bekanntheit", 0.8),
                ("Lernortkooperation", 0.7),
            )
            if rng.random() < p
        ]
        out.append(
            _Company(
                pseudonym=f"U{i + 1:0{width}d}",
                size=rng.choice(SIZES),
                region=rng.choice(REGIONS),
                market=rng.choice(MARKET_TYPES),
                occupation=rng.choice(OCCUPATIONS),
                practice=practice,
                hiring=hiring_pool[i % len(hiring_pool)] if i < n else None,
                relief=relief,
                reasons=reasons,
                conditions=practice != "vollständig" and rng.random() < 0.3,
                extras=extras,
            )
        )
    # make sure every category of the company tables occurs at least once
    for j, hiring in enumerate(HIRING):
        out[j].hiring = hiring
    for j, relief in enumerate(RELIEF):
        if relief not in out[j + 4].relief:
            out[j + 4].relief.append(relief)
    keine = next(c for c in out if c.practice == "keine")
    keine.conflict_with = "Räumlichkeiten"  # coded differently in its second interview
    return out


def generate_corpus(scale: Scale = "demo", seed: int = 2024) -> list[DemoInterview]:
    """Generate the interviews of a synthetic corpus, deterministically from ``seed``.

    Returns
    -------
    list[DemoInterview]
        Sorted by wave, group and name. The last wave is left uncoded (transcripts and
        variables only) so pre-coding has material.
    """
    rng = random.Random(seed)
    waves = waves_for(scale)
    full = scale == "full"
    n_companies = 345 if full else 24
    companies = _companies(rng, n_companies)
    trainees = _panel(rng, companies, len(waves))
    extra_trainees = _extra_trainees(rng, companies, len(waves), 32 if full else 0)
    interviews: list[DemoInterview] = []
    coder_cycle = 0
    seg_range = (95, 160) if full else (7, 14)

    def next_coder() -> str:
        nonlocal coder_cycle
        coder_cycle += 1
        return CODERS[coder_cycle % len(CODERS)]

    # trainees
    for t in trainees + extra_trainees:
        for k, w in enumerate(t.interviews, start=1):
            interviews.append(_trainee_interview(rng, t, k, waves[w], seg_range, next_coder()))
    # companies: spread over the waves; some interviewed twice
    slots = list(range(len(companies)))
    twice = [i for i in slots if i % 6 == 0] + [
        next(i for i, c in enumerate(companies) if c.conflict_with)
    ]
    order = slots + sorted(set(twice))
    first_wave: dict[int, int] = {}
    for n, idx in enumerate(order):
        company = companies[idx]
        # first interviews spread over all waves (the uncoded last one too); later ones follow
        wave_idx = (n * len(waves)) // len(slots)
        second = n >= len(slots)
        if second:  # a later interview, in another wave than the first one
            first = first_wave[idx]
            wave_idx = first + 1 if first + 1 < len(waves) - 1 else first - 1
        else:
            first_wave[idx] = wave_idx
        interviews.append(
            _company_interview(rng, company, waves[wave_idx], seg_range, next_coder(), second)
        )
    # providers, schools, agencies
    per_wave = {
        "Bildungsdienstleister": 10 if full else 1,
        "Berufsschule": 8 if full else 1,
        "Jobcenter": 4 if full else 1,
        "Agentur für Arbeit": 3 if full else 0,
    }
    prefix = {
        "Bildungsdienstleister": "T",
        "Berufsschule": "S",
        "Jobcenter": "J",
        "Agentur für Arbeit": "AA",
    }
    counters = dict.fromkeys(per_wave, 0)
    for wave in waves:
        for role, count in per_wave.items():
            for _ in range(count):
                counters[role] += 1
                pseudo = (
                    f"{prefix[role]}{counters[role]:02d}"
                    if not full
                    else f"{prefix[role]}{counters[role]:03d}"
                )
                interviews.append(
                    _other_interview(
                        rng, role, pseudo, wave, seg_range, next_coder(), rng.choice(REGIONS)
                    )
                )
    last = waves[-1]
    for iv in interviews:
        if iv.wave == last:
            iv.coded = False
            iv.codings = []
    _plant_name_leak(interviews, companies)
    interviews += _second_codings(rng, interviews, waves[2], 8 if not full else 40)
    interviews.sort(key=lambda i: (i.wave, i.group, i.name))
    keys = [(i.wave, i.group, i.name) for i in interviews]
    assert len(keys) == len(set(keys)), "demo generator produced a document twice in a wave"
    return interviews


#: One imperfectly pseudonymised sentence, so the demo report shows the release gate: a real
#: name left in a coded anchor quote of one company interview (the leak check finds it).
LEAKED_SENTENCE = "Herr Kowalski aus der Werkstatt sieht das genauso."


def _plant_name_leak(interviews: list[DemoInterview], companies: list[_Company]) -> None:
    """Add :data:`LEAKED_SENTENCE` to one coded company segment and mark it ``Ankerzitat``.

    The company is the first by pseudonym without contradictory interviews (those are never
    quoted), the segment its first one-paragraph coding of its Freistellung practice, so it is
    the first anchor quote of that category and the report shows it. Uses no random numbers:
    everything else in the corpus stays as it was.
    """
    quotable = sorted(c.pseudonym for c in companies if c.conflict_with is None)
    practice = {c.pseudonym: c.practice for c in companies}
    for pseudo in quotable:
        code = f"Freistellung > {practice[pseudo]}"
        for iv in interviews:
            if not iv.coded or iv.variables.get("Betrieb") != pseudo:
                continue
            for n, c in enumerate(iv.codings):
                text = f"{c.segment} {LEAKED_SENTENCE}"
                if c.code != code or c.begin != c.end or "\n" in c.segment or len(text) > 400:
                    continue
                paragraph = iv.paragraphs[c.begin - 1]
                iv.paragraphs[c.begin - 1] = paragraph.replace(c.segment, text, 1)
                iv.codings[n] = DemoCoding(c.code, c.begin, c.end, text, c.weight, "Ankerzitat")
                return


SECOND_CODING_GROUP = "Zweitkodierung"


def _second_codings(
    rng: random.Random, interviews: list[DemoInterview], wave: str, n: int
) -> list[DemoInterview]:
    """Copies of ``n`` interviews of ``wave`` coded by a second coder (MAXQDA's intercoder
    convention: same document name, another document group), with realistic differences:
    segments left out, a neighbouring code chosen, a segment extended into the next
    paragraph."""
    pool = sorted(
        (
            iv
            for iv in interviews
            if iv.wave == wave
            and iv.coded
            and iv.variables["Rolle"] in ("Ausbildungsbetrieb", "Auszubildende")
        ),
        key=lambda iv: iv.name,
    )
    chosen = rng.sample(pool, min(n, len(pool)))
    copies = []
    for iv in sorted(chosen, key=lambda iv: iv.name):
        coder = next(c for c in CODERS if c != iv.coder)
        codings = []
        for c in iv.codings:
            roll = rng.random()
            if roll < 0.08:
                continue
            code = c.code
            if roll < 0.14 and " > " in code:
                parent = code.rsplit(" > ", 1)[0]
                siblings = sorted(
                    k for k in CODE_SENTENCES if k.startswith(parent + " > ") and k != code
                )
                code = rng.choice(siblings) if siblings else code
            end, segment = c.end, c.segment
            own = iv.paragraphs[c.end - 1]
            if roll > 0.9 and c.begin == c.end < len(iv.paragraphs) and c.segment in own:
                # selected on into the next paragraph: the rest of its own paragraph comes too
                tail = own[own.index(c.segment) :]
                end, segment = c.end + 1, f"{tail}\n{iv.paragraphs[c.end]}"
            codings.append(DemoCoding(code, c.begin, end, segment, c.weight, c.comment))
        copies.append(
            DemoInterview(
                iv.wave,
                SECOND_CODING_GROUP,
                iv.name,
                dict(iv.variables),
                iv.paragraphs,
                codings,
                coder,
            )
        )
    return copies


def _panel(rng: random.Random, companies: list[_Company], n_waves: int) -> list[_Trainee]:
    out = []
    for i in range(60):
        cohort = 0 if i < 30 else 1
        interviews = [cohort + 2 * k for k in range(3)]
        t = _Trainee(
            f"A{i + 1:03d}",
            companies[i % len(companies)],
            rng.choice(TYPES),
            rng.uniform(4.5, 7.5),
            has_was=rng.random() < 0.75,
            panel=True,
            interviews=interviews,
        )
        if t.company.practice == "keine" and rng.random() < 0.5:
            t.trajectory = rng.choice(("fallend", "Einbruch"))
        out.append(t)
    # attrition: six drop-outs with Abbruch coded, four persons not reached again
    for t in out[4:8]:
        t.abbruch_at, t.interviews = 2, t.interviews[:2]
    for t in out[34:36]:
        t.abbruch_at, t.interviews = 1, t.interviews[:1]
    for t in out[12:14] + out[44:46]:
        t.interviews = t.interviews[:2]
    out[20].company_change = companies[(20 + 7) % len(companies)]
    return out


def _extra_trainees(
    rng: random.Random, companies: list[_Company], n_waves: int, per_wave: int
) -> list[_Trainee]:
    out = []
    n = 60
    for w in range(n_waves):
        for _ in range(per_wave):
            n += 1
            out.append(
                _Trainee(
                    f"A{n:03d}",
                    rng.choice(companies),
                    rng.choice(TYPES),
                    rng.uniform(4, 8),
                    has_was=False,
                    panel=False,
                    interviews=[w],
                )
            )
    return out


_DIRECTION = {
    "stabil": (0, 0),
    "steigend": (1, 1),
    "fallend": (-1, -1),
    "Einbruch": (1, -1),
    "Erholung": (-1, 1),
}


def _was_level(t: _Trainee, k: int) -> float:
    d1, d2 = _DIRECTION[t.trajectory]
    level = t.base + (0 if k == 1 else 1.6 * d1) + (0 if k < 3 else 1.6 * d2)
    return max(0.0, min(10.0, round(level)))


def _trainee_interview(
    rng: random.Random, t: _Trainee, k: int, wave: str, seg_range: tuple[int, int], coder: str
) -> DemoInterview:
    company = t.company_change if (t.company_change and k == 3) else t.company
    variables: dict[str, Any] = {
        "Welle": wave,
        "Person": t.pseudonym,
        "Rolle": "Auszubildende",
        "Betrieb": company.pseudonym,
        "Panel": "ja" if t.panel else "nein",
        "Panelwelle": k if t.panel else None,
        "Betriebsgröße": None,
        "Region": company.region,
        "Arbeitsmarkttyp": company.market,
        "Ausbildungsberuf": company.occupation,
        "WAS": _was_level(t, k) if (t.has_was and t.panel) else None,
    }
    b = _Builder(rng, "Auszubildende")
    b.paragraphs.append(f"Interview {t.pseudonym}, Welle {wave}, Auszubildende/r")
    d = _DIRECTION[t.trajectory]
    direction = 0 if k == 1 else d[min(k, 3) - 2]
    up_share = {1: 0.8, 0: 0.5, -1: 0.2}[direction]
    codes: list[tuple[str, int]] = []
    target = rng.randint(*seg_range)
    n_events = max(2, target // 3)
    for _ in range(n_events):
        area = "Arbeitsfähigkeit" if rng.random() < 0.65 else "Bewältigungsfähigkeit"
        up = rng.random() < up_share
        weight = 0 if rng.random() < 0.2 else rng.choice(range(10, 101, 10))
        codes.append((f"{area} > {'steigend' if up else 'fallend'}", weight))
    support = rng.sample(SUPPORT, rng.randint(1, 3))
    codes += [(f"Unterstützung > {s}", 0) for s in support]
    if company.practice in ("keine", "Räumlichkeiten", "Wegezeiten") and rng.random() < 0.8:
        codes.append(("Belastung > Teilnahme in der Freizeit", 0))
    if rng.random() < 0.4 or direction < 0:
        codes.append(("Belastung > Überforderung", 0))
    if t.abbruch_at == k:
        codes.append(("Ausbildungsverlauf > Abbruch", 0))
    elif direction < 0 and rng.random() < 0.5:
        codes.append(("Ausbildungsverlauf > Abbruchgedanken", 0))
    if k >= 2 and rng.random() < 0.5:
        codes.append(("Ausbildungsverlauf > Prüfung bestanden", 0))
    while len(codes) < target:
        codes.append(rng.choice(codes))
    rng.shuffle(codes)
    _fill_builder(b, rng, codes)
    return DemoInterview(
        wave,
        GROUPS["Auszubildende"],
        f"{t.pseudonym}_{wave}",
        variables,
        b.paragraphs,
        b.codings,
        coder,
    )


def _fill_builder(
    b: _Builder,
    rng: random.Random,
    codes: list[tuple[str, int]],
    comments: dict[str, str] | None = None,
) -> None:
    i = 0
    while i < len(codes):
        if rng.random() < 0.3:
            b.filler_turn()
        b.question()
        take = 2 if rng.random() < 0.2 and i + 1 < len(codes) else 1
        chunk = codes[i : i + take]
        if len(chunk) == 2 and chunk[0][0] == chunk[1][0]:
            chunk = chunk[:1]
        comment = (comments or {}).get(chunk[0][0], "") if rng.random() < 0.5 else ""
        b.answer(chunk, comment)
        i += len(chunk)
    b.question()
    b.paragraphs.append("B: " + rng.choice(FILLER))


def _company_interview(
    rng: random.Random, c: _Company, wave: str, seg_range: tuple[int, int], coder: str, second: bool
) -> DemoInterview:
    variables: dict[str, Any] = {
        "Welle": wave,
        "Person": c.pseudonym,
        "Rolle": "Ausbildungsbetrieb",
        "Betrieb": c.pseudonym,
        "Panel": "nein",
        "Panelwelle": None,
        "Betriebsgröße": c.size,
        "Region": c.region,
        "Arbeitsmarkttyp": c.market,
        "Ausbildungsberuf": c.occupation,
        "WAS": None,
    }
    b = _Builder(rng, "Ausbildungsbetrieb")
    b.paragraphs.append(f"Interview {c.pseudonym}, Welle {wave}, Ausbildungsbetrieb")
    practice = c.conflict_with if (second and c.conflict_with) else c.practice
    codes: list[tuple[str, int]] = [(f"Freistellung > {practice}", 0)]
    codes += [(f"Freistellung > Gründe > {r}", 0) for r in c.reasons]
    if c.conditions:
        codes.append(("Freistellung > Bedingungen", 0))
    if c.hiring:
        codes.append((f"Einstellungsbereitschaft > {c.hiring}", 0))
    codes += [(f"Entlastung > {r}", 0) for r in c.relief]
    codes += [(e, 0) for e in c.extras]
    target = rng.randint(*seg_range)
    base = list(codes)
    while len(codes) < target:
        codes.append(rng.choice(base))
    rng.shuffle(codes)
    anchor = {codes[0][0]: "Ankerzitat"} if rng.random() < 0.3 else {}
    _fill_builder(b, rng, codes, anchor)
    name = f"{c.pseudonym}_{wave}"
    return DemoInterview(
        wave, GROUPS["Ausbildungsbetrieb"], name, variables, b.paragraphs, b.codings, coder
    )


def _other_interview(
    rng: random.Random,
    role: str,
    pseudo: str,
    wave: str,
    seg_range: tuple[int, int],
    coder: str,
    region: str,
) -> DemoInterview:
    variables: dict[str, Any] = {
        "Welle": wave,
        "Person": pseudo,
        "Rolle": role,
        "Betrieb": None,
        "Panel": "nein",
        "Panelwelle": None,
        "Betriebsgröße": None,
        "Region": region,
        "Arbeitsmarkttyp": rng.choice(MARKET_TYPES),
        "Ausbildungsberuf": None,
        "WAS": None,
    }
    b = _Builder(rng, "andere")
    b.paragraphs.append(f"Interview {pseudo}, Welle {wave}, {role}")
    pool = [
        "Lernortkooperation",
        "Bekanntheit",
        "Abbruchvermeidung",
        "Vorphase > Praktikum und Kennenlernen",
        "Vorphase > Einstellungsverfahren",
    ]
    codes = [(rng.choice(pool), 0) for _ in range(rng.randint(*seg_range))]
    _fill_builder(b, rng, codes)
    return DemoInterview(
        wave, GROUPS[role], f"{pseudo}_{wave}", variables, b.paragraphs, b.codings, coder
    )


def coding_dates(rng: random.Random, wave: str, n: int) -> list[dt.datetime]:
    """Plausible creation dates of n codings: within the half-year after the wave."""
    year, half = (int(x) for x in wave.split("-"))
    start = dt.datetime(year, 3 if half == 1 else 9, 1, 9, 0)
    return sorted(
        start + dt.timedelta(days=rng.randint(0, 120), minutes=rng.randint(0, 480))
        for _ in range(n)
    )


# keep the sentence bank and the codebook in step (checked by the tests)
DEMO_CODES = sorted(CODE_SENTENCES)
