"""What the report says: a list of blocks built from the CSVs under ``tables/`` (so every
number in the report is a number of a CSV), rendered to Word and HTML by :mod:`render`."""

from __future__ import annotations

import json
import numbers
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from asaqda.absent import table_note
from asaqda.agreement import MIN_CI_DOCUMENTS
from asaqda.codebook import Codebook
from asaqda.io.officefiles import read_csv
from asaqda.panel.tables import absent_panel_codes
from asaqda.privacy.gate import report_quotes
from asaqda.tables.company_tables import company_documents

__all__ = [
    "Block",
    "report_blocks",
    "typology_blocks",
    "REPORT_TABLES",
    "ROLE_NOUNS",
    "count_noun",
    "german_number",
    "data_date",
    "spread_quotes",
]

#: company tables shown in the report, in order, with the anchor quotes of their categories
REPORT_TABLES = (
    ("freistellung_praxis", "Freistellungspraxis der Betriebe"),
    ("freistellung_gruende", "Gründe und Bedingungen der Freistellung"),
    ("einstellungsbereitschaft", "Einstellungsbereitschaft"),
    ("entlastung", "Entlastung durch AsA flex"),
)
#: German headers of the CSV columns the report shows
_HEADERS = {
    "kategorie": "Kategorie",
    "n_betriebe": "Betriebe (n)",
    "anteil_prozent": "Anteil %",
    "typ": "Verlaufstyp",
    "n": "Personen (n)",
    "davon_vorlaeufig": "davon vorläufig",
    "teilnahme_in_der_freizeit": "Teilnahme in der Freizeit",
}
#: Rolle -> (dative singular with article, dative plural): "1 mit einem Jobcenter",
#: "6 mit Jobcentern"
ROLE_NOUNS = {
    "Ausbildungsbetrieb": ("einem Ausbildungsbetrieb", "Ausbildungsbetrieben"),
    "Auszubildende": ("einer oder einem Auszubildenden", "Auszubildenden"),
    "Berufsschule": ("einer Berufsschule", "Berufsschulen"),
    "Bildungsdienstleister": ("einem Bildungsdienstleister", "Bildungsdienstleistern"),
    "Jobcenter": ("einem Jobcenter", "Jobcentern"),
    "Agentur für Arbeit": ("einer Agentur für Arbeit", "Agenturen für Arbeit"),
}


#: what the report says where a section could not be computed
_NO_COMPANIES = (
    "Nicht berechnet: keine kodierten Interviews mit der Rolle Ausbildungsbetrieb und einer "
    "Dokumentvariable Betrieb (ohne Export der Dokumentvariablen sind Rolle und Betrieb "
    "unbekannt; siehe die Importhinweise der Qualitätsprüfung)."
)
_NO_PANEL = (
    "Nicht berechnet: keine Panel-Interviews (Dokumentvariablen Panel, Person und Panelwelle "
    "fehlen oder kein Interview gehört zum Panel)."
)


@dataclass
class Block:
    """One piece of the report: ``kind`` is heading, paragraph, table, figure, quote or
    pagebreak; tables and figures carry a number and a caption and a source line."""

    kind: str
    text: str = ""
    level: int = 1
    table: pd.DataFrame | None = None
    image: Path | None = None
    number: int = 0
    source: str = ""
    notes: list[str] = field(default_factory=list)
    #: alternative text of a figure (what the chart shows, for screen readers)
    alt: str = ""
    #: the base of a table ("24 Betriebe"), shown in the caption and the workbook
    base: str = ""
    #: further tables behind a report table (name -> frame with a column "Basis (n)"),
    #: written to the report's workbook only
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)


def german_number(value: float | int, decimals: int = 0) -> str:
    """A number in German notation: thousands separator ``.``, decimal comma.

    >>> german_number(1914), german_number(13.04, 1)
    ('1.914', '13,0')
    """
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def count_noun(n: int, singular: str, plural: str) -> str:
    """A count with its noun in the right number: ``1 Interview``, ``1.914 Segmente``."""
    return f"{german_number(n)} {singular if n == 1 else plural}"


def _fmt(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, numbers.Integral):
        return german_number(int(value))
    if isinstance(value, float):
        return "" if value != value else german_number(value, 1)
    return str(value)


def data_date(codings: pd.DataFrame) -> str | None:
    """The date of the data: the newest ``created`` or ``modified`` date of a coding
    (MAXQDA's own dates, and the date of a returned review sheet for accepted suggestions),
    as ``TT.MM.JJJJ``; ``None`` when no coding carries a date. Never the date of the run, so
    the report stays the same as long as the input does."""
    dates = pd.concat(
        [
            pd.to_datetime(codings[c], errors="coerce")
            for c in ("created", "modified")
            if c in codings
        ]
        or [pd.Series(dtype="datetime64[ns]")]
    ).dropna()
    return dates.max().strftime("%d.%m.%Y") if len(dates) else None


def spread_quotes(quotes: pd.DataFrame, codes: list[str], excluded: set[str]) -> pd.DataFrame:
    """One anchor quote per category, spread across companies.

    Categories are taken in the order of ``codes``; each gets the first of its candidate
    quotes (in the order of ``ankerzitate.xlsx``, best first) whose company has not been
    quoted yet in this run of categories; only when every candidate's company was already
    quoted, the company quoted least often so far. Companies in ``excluded`` (e.g. with
    contradictory Freistellung practice, not counted in the tables) are never quoted.

    Parameters
    ----------
    quotes
        Rows of ``ankerzitate.xlsx`` (columns ``Code``, ``Betrieb``, ``Zitat``, ...).
    codes
        Code paths of the categories, in report order.
    excluded
        Company pseudonyms that are not quoted.

    Returns
    -------
    DataFrame
        At most one row per code, in the order of ``codes``.
    """
    used: dict[str, int] = {}
    picked = []
    firm = quotes["Betrieb"].astype(str) if "Betrieb" in quotes else pd.Series("", quotes.index)
    for code in codes:
        mine = quotes[(quotes["Code"] == code) & ~firm.isin(excluded)]
        if mine.empty:
            continue
        order = sorted(
            range(len(mine)), key=lambda i: (used.get(str(mine["Betrieb"].iloc[i]), 0), i)
        )
        row = mine.iloc[order[0]]
        used[str(row["Betrieb"])] = used.get(str(row["Betrieb"]), 0) + 1
        picked.append(row)
    return pd.DataFrame(picked, columns=quotes.columns).reset_index(drop=True)


def _display(table: pd.DataFrame) -> pd.DataFrame:
    """A CSV table as the report shows it: German headers, German number format."""
    out = table.rename(columns=_HEADERS)
    return out.map(_fmt)


def _de(value: object) -> str:
    """A config value in German notation (1.96 -> 1,96; 3 -> 3)."""
    number = float(str(value))
    return f"{number:g}".replace(".", ",")


def typology_blocks(rules_csv: Path) -> list[Block]:
    """The methods section on the trajectory types, with the thresholds of the run.

    Parameters
    ----------
    rules_csv
        ``tables/verlaufstypen_regeln.csv`` of the run.

    Returns
    -------
    list[Block]
        A heading and four paragraphs (rules, noise, types, limits); empty when the file is
        absent.
    """
    if not rules_csv.exists():
        return []
    rules = read_csv(rules_csv).set_index("regel")["wert"]
    d_was, d_bil = _de(rules["delta_was"]), _de(rules["delta_bilanz"])
    n_min, z = _de(rules["bilanz_min_events"]), _de(rules["bilanz_z"])
    return [
        Block("heading", "Typisierung der Verläufe", level=2),
        Block(
            "paragraph",
            "Ein Verlauf besteht aus bis zu zwei Zeiträumen: von Panelwelle 1 zu 2 (Δ1) und "
            "von Panelwelle 2 zu 3 (Δ2). Jeder Zeitraum steigt, fällt oder bleibt gleich. Liegt "
            "in beiden Interviews der WAS (0–10) vor, entscheidet seine Veränderung: ab "
            f"δ = {d_was} steigt oder fällt der Zeitraum (eine Veränderung von genau δ zählt). "
            "Fehlt der WAS, entscheidet die Bilanz der Ereignisse, die das spätere Interview "
            "für diesen Zeitraum berichtet: (S − F)/(S + F) über die Gewichte der als "
            "„Arbeitsfähigkeit > steigend“ (S) und „Arbeitsfähigkeit > fallend“ (F) kodierten "
            "Segmente, nicht bewertete Segmente mit 50. Die Bilanz beschreibt die Richtung "
            "eines Zeitraums, kein Niveau; ein noch nicht kodiertes Interview hat keine Bilanz.",
        ),
        Block(
            "paragraph",
            f"Eine Bilanz typisiert einen Zeitraum nur, wenn das Interview mindestens {n_min} "
            "Ereignisse zur Arbeitsfähigkeit berichtet. Als ihre Unsicherheit gilt der "
            "größtmögliche Standardfehler einer Bilanz aus diesen Gewichten, √(Σw²)/Σw (bei "
            f"gleichen Gewichten 1/√n). Der Zeitraum steigt oder fällt, wenn die Bilanz "
            f"mindestens δ = {d_bil} beträgt und mindestens {z} Standardfehler von 0 entfernt "
            f"ist; er bleibt gleich, wenn die Bilanz samt {z} Standardfehlern innerhalb ±δ "
            "liegt (Äquivalenzprüfung). Andernfalls entscheidet die Bilanz nicht, und die "
            "Person wird als „prüfen“ ausgewiesen, mit dem Grund in der Spalte Hinweis.",
        ),
        Block(
            "paragraph",
            "Aus den Zeiträumen folgt der Typ: stabil (kein Zeitraum verändert), steigend "
            "(mindestens einer steigt, keiner fällt), fallend (mindestens einer fällt, keiner "
            "steigt), Einbruch (erst steigend, dann fallend), Erholung (erst fallend, dann "
            "steigend). Abbruch, wenn in einem Interview ein Abbruch kodiert ist; unvollständig "
            "bei nur einem Interview; prüfen, wenn die Interviews einer Person nicht eindeutig "
            "verknüpft sind (doppelte, fehlende oder übersprungene Panelwelle, falsche "
            "Reihenfolge). Mit zwei Interviews beruht der Typ auf Δ1 und ist vorläufig, solange "
            "das nächste Interview aussteht; ist ein Interview noch nicht kodiert, beruht der "
            "Typ auf den Zeiträumen davor und ist ebenfalls vorläufig.",
        ),
        Block(
            "paragraph",
            "Grenzen: Eine Bilanz aus wenigen Ereignissen ist vom Zufall kaum zu unterscheiden; "
            "Verläufe ohne WAS bleiben deshalb oft „prüfen“. Die Unsicherheit unterstellt "
            "voneinander unabhängige Ereignisse. Die Typen beschreiben die befragten Personen "
            "des Panels und sind keine Schätzung für alle Teilnehmenden.",
        ),
    ]


def report_blocks(
    out_dir: Path,
    documents: pd.DataFrame,
    codings: pd.DataFrame,
    codebook: Codebook,
    table_codes: dict[str, list[str]],
) -> list[Block]:
    """The report's content from the files under ``out_dir`` and the corpus.

    Parameters
    ----------
    out_dir
        Output folder with ``tables/``, ``figures/``, ``qualitaet/`` (and ``induktiv/``).
    documents, codings
        The corpus without intercoder copies (method paragraph, data date, bases).
    codebook
        The codebook (version, appendix).
    table_codes
        Table name -> the code paths of its categories (for the anchor quotes).

    Returns
    -------
    list of Block
        Title first, then the sections in reading order; tables and figures numbered.
    """
    tables, figures = out_dir / "tables", out_dir / "figures"
    blocks: list[Block] = []
    n_table = n_figure = 0
    waves = sorted(documents["wave"].unique())
    span = f"{waves[0]} bis {waves[-1]}" if waves else "–"
    newest = data_date(codings)
    stand = f"{newest} (jüngste Kodierung)" if newest else (f"Welle {waves[-1]}" if waves else "–")
    all_firms = int(company_documents(documents)["Betrieb"].astype(str).nunique())
    coded_firms = int(company_documents(documents, codings)["Betrieb"].astype(str).nunique())
    uncoded_firms = all_firms - coded_firms
    n_firms = len(read_csv(tables / "freistellung_praxis_matrix.csv"))
    conflicts = read_csv(tables / "freistellung_konflikte.csv")
    if "betrieb" not in conflicts:
        conflicts = pd.DataFrame(columns=["betrieb", "codes", "dokumente"])
    source = (
        f"Quelle: Begleitforschung AsA flex (HdBA), leitfadengestützte Interviews {span}; "
        "eigene Auswertung."
    )
    blocks.append(
        Block(
            "heading",
            "Assistierte Ausbildung flexibel: Ergebnisse der qualitativen Begleitforschung",
            level=0,
        )
    )
    blocks.append(
        Block(
            "paragraph",
            f"Datenstand: {stand} · Kodierleitfaden Version {codebook.meta.version}",
        )
    )
    blocks.append(Block("heading", "Methode", level=1))
    roles = (
        documents.groupby(["Rolle", "wave"]).size().unstack(fill_value=0)
        if len(documents) and "Rolle" in documents
        else pd.DataFrame()
    )
    per_role = (
        ", ".join(
            f"{german_number(int(n))} mit "
            f"{ROLE_NOUNS.get(str(role), (f'Rolle {role}', f'Rolle {role}'))[int(n) != 1]}"
            for role, n in documents["Rolle"].value_counts().sort_index().items()
        )
        if "Rolle" in documents and documents["Rolle"].notna().any()
        else "Rollen unbekannt (keine Dokumentvariable Rolle)"
    )
    reasons = []
    if uncoded_firms:
        reasons.append(
            f"{count_noun(uncoded_firms, 'Betrieb', 'Betriebe')} noch kein kodiertes Interview "
            f"{'hat' if uncoded_firms == 1 else 'haben'}"
        )
    if len(conflicts):
        reasons.append(
            f"{count_noun(len(conflicts), 'Betrieb', 'Betriebe')} widersprüchlich kodiert "
            f"{'ist' if len(conflicts) == 1 else 'sind'}"
        )
    firm_note = (
        f"{count_noun(all_firms, 'Ausbildungsbetrieb', 'Ausbildungsbetriebe')} wurden befragt"
        + (
            f"; die Freistellungspraxis zählt {german_number(n_firms)} davon, weil "
            + " und ".join(reasons)
            + " (siehe Hinweise zu den Daten)"
            if n_firms != all_firms and reasons
            else ""
        )
    )
    interviews = count_noun(
        len(documents), "leitfadengestütztes Interview", "leitfadengestützte Interviews"
    )
    segments = count_noun(len(codings), "kodiertes Segment", "kodierte Segmente")
    n_docs = count_noun(len(documents), "Interview", "Interviews")
    blocks.append(
        Block(
            "paragraph",
            f"Ausgewertet wurden {interviews} aus "
            f"{count_noun(len(waves), 'Erhebungswelle', 'Erhebungswellen')} ({span}): "
            f"{per_role}. Die Interviews wurden in MAXQDA nach dem Kategoriensystem "
            f"(Kodierleitfaden Version {codebook.meta.version}, deduktiv-induktiv nach "
            f"Mayring) kodiert; {segments} "
            f"gingen in die Auswertung ein. {_origin_sentence(codings)} Ein Betrieb zählt je "
            "Kategorie einmal, gleich wie viele Segmente, Dokumente oder Befragte er hat; "
            "gezählt werden nur Interviews mit der Rolle Ausbildungsbetrieb, der Betrieb ist "
            "die Dokumentvariable Betrieb. Ein Interview, das noch niemand kodiert hat, ist "
            "kein Befund: Es zählt weder als „nicht kodiert“ noch im Nenner; Betriebe ohne "
            f"kodiertes Interview sind unten genannt. {firm_note}.",
        )
    )
    if len(roles):
        n_table += 1
        table = roles.reset_index()
        table.columns = [str(c) for c in table.columns]
        blocks.append(
            Block(
                "table",
                f"Interviews nach Rolle und Welle (n = {n_docs})",
                table=table.map(_fmt),
                number=n_table,
                source=source,
                base=n_docs,
            )
        )
    problems = read_csv(out_dir / "qualitaet" / "betriebe.csv")
    if not n_firms and "art" in problems:  # one note instead of one per empty category
        problems = problems[problems["art"] == "nicht berechnet"]
    notes = [
        f"{r.art}: {r.betrieb + ' – ' if isinstance(r.betrieb, str) and r.betrieb else ''}"
        f"{r.detail}"
        for r in problems.itertuples(index=False)
    ]
    if len(conflicts):
        notes.append(
            f"{count_noun(len(conflicts), 'Betrieb', 'Betriebe')} mit widersprüchlicher "
            f"Freistellungspraxis ({', '.join(conflicts['betrieb'].astype(str))}) "
            f"{'ist' if len(conflicts) == 1 else 'sind'} in der Freistellungspraxis nicht "
            "gezählt und wird nicht zitiert; die Liste der Konflikte steht für die "
            "Kodierenden in der Arbeitsmappe der Berichtstabellen (Blatt Konflikte)."
        )
    blocks.append(Block("heading", "Hinweise zu den Daten", level=2))
    blocks.append(
        Block(
            "paragraph",
            "Keine Auffälligkeiten."
            if not notes
            else "Folgendes wurde bei der Prüfung der Daten festgestellt:",
            notes=notes,
        )
    )

    n_table = _agreement_blocks(blocks, tables / "intercoder.csv", n_table)

    quotes_path = tables / "ankerzitate.xlsx"
    quotes = (
        pd.read_excel(quotes_path, engine="calamine") if quotes_path.exists() else pd.DataFrame()
    )
    if "Code" not in quotes:
        quotes = pd.DataFrame(columns=["Code", "Kategorie", "Zitat", "Quelle", "Betrieb"])
    quotes = report_quotes(quotes)
    excluded = set(conflicts["betrieb"].astype(str))
    bases: dict[str, pd.DataFrame] = {}
    blocks.append(Block("heading", "Ergebnisse aus Sicht der Betriebe", level=1))
    for name, title in REPORT_TABLES:
        table = read_csv(tables / f"{name}.csv")
        blocks.append(Block("heading", title, level=2))
        absent = table_note(table)
        if absent is not None:  # a codebook without the table's codes
            blocks.append(Block("paragraph", f"Nicht berechnet: {absent}"))
            continue
        base = int(read_csv(tables / f"{name}_matrix.csv").shape[0])
        if not base or "n_betriebe" not in table:
            blocks.append(Block("paragraph", _NO_COMPANIES))
            continue
        n_table += 1
        firms = count_noun(base, "Betrieb", "Betriebe")
        extra = {}
        by_attribute = _breakdown_with_base(
            tables / f"{name}_nach_merkmal.csv", name, documents, codings, bases
        )
        if by_attribute is not None:
            extra["nach Merkmal"] = by_attribute
        blocks.append(
            Block(
                "table",
                f"{title} (n = {firms})",
                table=_display(table),
                number=n_table,
                source=source,
                base=firms,
                extra=extra,
            )
        )
        png = figures / f"{name}.png"
        if png.exists():
            n_figure += 1
            bars = ", ".join(
                f"{r.kategorie} {german_number(int(r.n_betriebe))}"
                for r in table.itertuples(index=False)
            )
            blocks.append(
                Block(
                    "figure",
                    f"{title}, Anzahl der Betriebe (n = {firms})",
                    image=png,
                    number=n_figure,
                    source=source,
                    alt=f"Balkendiagramm {title}: Anzahl der Betriebe je Kategorie ({bars}).",
                )
            )
        for q in spread_quotes(quotes, table_codes.get(name, []), excluded).itertuples(index=False):
            blocks.append(Block("quote", f"{q.Kategorie}: „{q.Zitat}“ {q.Quelle}"))

    dist = read_csv(tables / "verlaufstypen_verteilung.csv")
    if not len(dist) or "n" not in dist:
        blocks.append(
            Block("heading", "Verläufe der Arbeitsfähigkeit im Auszubildendenpanel", level=1)
        )
        blocks.append(Block("paragraph", _NO_PANEL))
    else:
        blocks.append(
            Block("heading", "Verläufe der Arbeitsfähigkeit im Auszubildendenpanel", level=1)
        )
        persons = int(dist["n"].sum())
        provisional = int(dist["davon_vorlaeufig"].sum())
        check = int(dist.loc[dist["typ"] == "prüfen", "n"].sum())
        people = count_noun(persons, "Person", "Personen")
        trainees = count_noun(persons, "Auszubildende(n)", "Auszubildende")
        blocks.append(
            Block(
                "paragraph",
                f"Das Panel umfasst {trainees}. Der Verlaufstyp beruht für jeden "
                "Zeitraum zwischen zwei Panelwellen auf dem Work Ability Score (WAS), wo er in "
                "beiden Interviews vorliegt, sonst auf der Bilanz der berichteten Ereignisse "
                "(siehe Typisierung der Verläufe). "
                + (
                    f"Bei {count_noun(provisional, 'Person', 'Personen')} ist der Typ "
                    "vorläufig, weil das nächste Interview noch aussteht oder ein Interview "
                    "noch nicht kodiert ist. "
                    if provisional
                    else "Kein Typ ist vorläufig. "
                )
                + f"{count_noun(check, 'Person ist', 'Personen sind')} als „prüfen“ "
                "ausgewiesen (Verknüpfung unklar oder Bilanz nicht entscheidend).",
            )
        )
        for absent in absent_panel_codes({}, codebook.paths)[1]:
            blocks.append(Block("paragraph", f"Hinweis: {absent}"))
        blocks += typology_blocks(tables / "verlaufstypen_regeln.csv")
        n_table += 1
        blocks.append(
            Block(
                "table",
                f"Verlaufstypen der Arbeitsfähigkeit (n = {people})",
                table=_display(dist),
                number=n_table,
                source=source,
                base=people,
            )
        )
        for stem, caption, alt in (
            (
                "verlaeufe",
                "Individuelle Verläufe und Mittel je Verlaufstyp",
                "Liniendiagramm: Verläufe der Arbeitsfähigkeit je Person über die Panelwellen "
                "und Mittelwerte je Verlaufstyp, links nach WAS, rechts nach der Bilanz der "
                "Ereignisse typisiert.",
            ),
            (
                "verlauf_alluvial",
                f"Niveau der Arbeitsfähigkeit über die Panelwellen (n = {people})",
                "Alluvialdiagramm: wie viele Personen von einer Panelwelle zur nächsten auf "
                "demselben, einem höheren oder einem niedrigeren Niveau der Arbeitsfähigkeit "
                "liegen.",
            ),
        ):
            if (figures / f"{stem}.png").exists():
                n_figure += 1
                blocks.append(
                    Block(
                        "figure",
                        caption,
                        image=figures / f"{stem}.png",
                        number=n_figure,
                        source=source,
                        alt=alt,
                    )
                )
        ft = read_csv(tables / "verlauf_nach_freizeit.csv")
        if table_note(ft) is not None:
            blocks.append(Block("paragraph", f"Nicht berechnet: {table_note(ft)}"))
        elif "n" in ft:
            ft = ft[ft["n"] > 0]
            group = "teilnahme_in_der_freizeit"
            with_base = ft.assign(basis=ft.groupby(group)["n"].transform("sum").astype(int)).rename(
                columns={**_HEADERS, "basis": "Basis (n)"}
            )
            crossed = count_noun(int(ft["n"].sum()), "Person", "Personen")
            n_table += 1
            blocks.append(
                Block(
                    "table",
                    f"Verlaufstyp nach Teilnahme an AsA flex in der Freizeit (n = {crossed}; "
                    "Anteile je Gruppe der Teilnahme)",
                    table=_display(ft),
                    number=n_table,
                    source=source,
                    base=crossed,
                    extra={"mit Basis": with_base},
                )
            )

    n_table = _inductive_blocks(blocks, out_dir / "induktiv", n_table)

    n_table = _privacy_blocks(blocks, out_dir / "qualitaet" / "datenschutz.csv", n_table)

    blocks.append(Block("pagebreak"))
    blocks.append(Block("heading", "Anhang: Kodierleitfaden", level=1))
    for code in codebook.codes:
        blocks.append(Block("heading", code.code, level=3))
        blocks.append(Block("paragraph", f"Definition: {code.definition}"))
        for a in code.ankerbeispiele[:1]:
            blocks.append(Block("quote", f"„{a.zitat}“ {a.quelle}"))
        if code.kodierregeln:
            blocks.append(Block("paragraph", "Kodierregeln: " + " ".join(code.kodierregeln)))
    return blocks


def _origin_sentence(codings: pd.DataFrame) -> str:
    """Which codings came from accepted suggestions of the pre-coding (``quelle`` =
    ``Prüfbogen``), split into accepted as suggested and replaced by another code."""
    origin = codings["quelle"] if "quelle" in codings else pd.Series("MAXQDA", codings.index)
    review = codings[origin == "Prüfbogen"]
    if review.empty:
        return (
            "Alle Segmente wurden von Kodierenden in MAXQDA gesetzt; Vorschläge der "
            "Vorcodierung sind nicht enthalten."
        )

    def decision(extra: object) -> str:
        try:
            return str(json.loads(str(extra)).get("entscheidung", ""))
        except ValueError:
            return ""

    kinds = review["extra"].map(decision) if "extra" in review else pd.Series("", review.index)
    other = int((kinds == "anderer Code").sum())
    same = len(review) - other
    return (
        f"Davon stammen {count_noun(len(review), 'Segment', 'Segmente')} aus Vorschlägen der "
        f"Vorcodierung, die Kodierende im Prüfbogen geprüft haben ({german_number(same)} "
        f"übernommen, {german_number(other)} mit einem anderen Code); alle übrigen wurden "
        "von Kodierenden in MAXQDA gesetzt."
    )


def _breakdown_with_base(
    path: Path,
    name: str,
    documents: pd.DataFrame,
    codings: pd.DataFrame,
    cache: dict[str, pd.DataFrame],
) -> pd.DataFrame | None:
    """A breakdown table (``*_nach_merkmal.csv``) with the base of every group: the number of
    companies counted in it (by the same counting rule as the table itself).

    In the Freistellung practice every counted company has exactly one practice (or
    ``nicht kodiert``), so a group's base is the sum of its rows. Categories of the other
    tables overlap: their base is every company of the group, counted by
    :func:`asaqda.tables.company_tables.breakdown` itself; ``cache`` keeps it between tables.
    """
    if not path.exists():
        return None
    from asaqda.tables.company_tables import breakdown, company_matrix

    table = read_csv(path)
    table["auspraegung"] = table["auspraegung"].astype(str)
    if name == "freistellung_praxis":
        bases = table.groupby(["merkmal", "auspraegung"], as_index=False)["n_betriebe"].sum()
    else:
        if "all" not in cache:

            def base(d: pd.DataFrame, c: pd.DataFrame) -> pd.DataFrame:
                return company_matrix(d, c, [], None).assign(basis=1)

            cache["all"] = breakdown(documents, codings, base)
        bases = cache["all"]
    bases = bases[["merkmal", "auspraegung", "n_betriebe"]].rename(columns={"n_betriebe": "basis"})
    bases = bases.drop_duplicates(["merkmal", "auspraegung"])
    bases["auspraegung"] = bases["auspraegung"].astype(str)
    out = table.merge(bases, on=["merkmal", "auspraegung"], how="left")
    out["basis"] = out["basis"].fillna(0).astype(int)
    return out.rename(
        columns={
            **_HEADERS,
            "merkmal": "Merkmal",
            "auspraegung": "Ausprägung",
            "basis": "Basis (n)",
        }
    )


#: the levels of the agreement table as the report names them
_AGREEMENT_LEVELS = {
    "dokument": "Code im Dokument vorhanden",
    "haeufigkeit": "Codehäufigkeit im Dokument",
    "segment": "Segmentüberlappung",
}


def _agreement_blocks(blocks: list[Block], intercoder_csv: Path, n_table: int) -> int:
    """The methods section on intercoder agreement: what each coefficient counts, how the
    intervals are made, and the human coders' figures over all codes (``gesamt``)."""
    table = read_csv(intercoder_csv)
    if "ebene" not in table or "kodierende" not in table:
        return n_table
    human = table[
        (table["code"] == "gesamt")
        & table["ebene"].isin(list(_AGREEMENT_LEVELS))
        & ~table["kodierende"].astype(str).str.startswith("Maschine")
    ]
    blocks.append(Block("heading", "Intercoder-Übereinstimmung", level=2))
    joint = table[table["ebene"] == "gemeinsam"]
    text = (
        "Doppelt kodierte Interviews wurden auf drei Ebenen verglichen wie in MAXQDA: ob ein "
        "Code im Dokument vorkommt, wie oft er vorkommt, und ob dieselben Textstellen kodiert "
        "sind. Krippendorffs α zählt auf der Segmentebene die Absätze der doppelt kodierten "
        "Interviews, die prozentuale Übereinstimmung und κ nach Brennan & Prediger die "
        "gesetzten Segmente beider Kodierenden (ein Segment stimmt überein, wenn die andere "
        "Person dasselbe mit Mindestüberlappung kodiert hat). Die 95-%-Intervalle von α ziehen "
        "ganze Interviews mit Zurücklegen (Cluster-Bootstrap über Dokumente), weil die Absätze "
        f"eines Interviews nicht unabhängig sind; unter {MIN_CI_DOCUMENTS} doppelt kodierten "
        "Interviews und ohne jede Abweichung wird kein Intervall angegeben."
    )
    if len(joint):
        text += (
            " Gemeinsam in einer Kopie kodierte Dokumente sind keine unabhängige "
            "Doppelkodierung und gehen nicht ein."
        )
    blocks.append(Block("paragraph", text))
    if human.empty:
        blocks.append(Block("paragraph", "Nicht berechnet: keine doppelt kodierten Interviews."))
        return n_table

    def interval(row: pd.Series) -> str:
        low, high = row.get("alpha_ci_unten"), row.get("alpha_ci_oben")
        if pd.notna(low) and pd.notna(high):
            return f"{german_number(float(low), 2)} bis {german_number(float(high), 2)}"
        return str(row.get("hinweis") or "kein Intervall")

    rows = pd.DataFrame(
        {
            "Ebene": human["ebene"].map(_AGREEMENT_LEVELS),
            "Kodierende": human["kodierende"].astype(str),
            "Dokumente": human["n_dokumente"].map(lambda n: german_number(int(n))),
            "α": human["alpha"].map(lambda a: "" if pd.isna(a) else german_number(float(a), 2)),
            "95-%-Intervall": human.apply(interval, axis=1),
            "κ (Brennan & Prediger)": human["brennan_prediger"].map(
                lambda k: "" if pd.isna(k) else german_number(float(k), 2)
            ),
        }
    )
    n_docs = int(human["n_dokumente"].max())
    n_table += 1
    blocks.append(
        Block(
            "table",
            "Intercoder-Übereinstimmung über alle Codes "
            f"(n = {count_noun(n_docs, 'Dokument', 'Dokumente')})",
            table=rows.reset_index(drop=True),
            number=n_table,
            source="Quelle: doppelt kodierte Interviews; eigene Auswertung.",
            base=count_noun(n_docs, "Dokument", "Dokumente"),
        )
    )
    return n_table


def _privacy_blocks(blocks: list[Block], leaks_csv: Path, n_table: int) -> int:
    """The appendix section on the data-protection check: counts only, never the hits."""
    if not leaks_csv.exists():
        return n_table
    from asaqda.privacy.step import kind_summary

    leaks = read_csv(leaks_csv, dtype=str).fillna("")
    summary = kind_summary(leaks)
    n_open = leaks.loc[leaks["Freigabe"] == "offen", "Zitat-ID"].nunique()
    blocks.append(Block("pagebreak"))
    blocks.append(Block("heading", "Anhang: Datenschutzprüfung", level=1))
    blocks.append(
        Block(
            "paragraph",
            "Alle Texte, die die Auswertung verlassen (kodierte Segmente und Ankerzitate, "
            "Transkriptabsätze der Review- und Kandidatenbögen, Ankerbeispiele des "
            "Kodierleitfadens), wurden automatisch auf Namen von Personen, Betrieben und Orten, "
            "Anschriften, Telefonnummern, E-Mail-Adressen, Geburtsdaten und Kennnummern "
            f"geprüft. {leaks['Zitat-ID'].nunique()} Zitate oder Absätze haben mindestens einen "
            f"Treffer, {n_open} davon sind noch nicht freigegeben. Ankerzitate mit nicht "
            "freigegebenem Treffer sind im Bericht mit „[Datenschutz: nicht freigegeben]“ "
            "markiert oder fehlen (strenger Modus, gesperrte Zitate). Die Treffer selbst stehen "
            "nur in der Trefferliste der Datenschutzprüfung, nicht in diesem Bericht.",
        )
    )
    n_table += 1
    blocks.append(
        Block(
            "table",
            "Treffer der Datenschutzprüfung nach Art und Freigabe",
            table=summary.map(_fmt),
            number=n_table,
            source="Quelle: Datenschutzprüfung der Auswertung; Freigaben aus dem Freigabebogen.",
        )
    )
    return n_table


def _inductive_blocks(blocks: list[Block], folder: Path, n_table: int) -> int:
    """The section on candidate inductive categories (from ``induktiv/*.csv``)."""
    overview = read_csv(folder / "uebersicht.csv", dtype={"bereich": str}, keep_default_na=False)
    if "bereich" not in overview:
        return n_table
    candidates = read_csv(folder / "kandidaten.csv", dtype={"bereich": str})
    source = (
        "Quelle: Begleitforschung AsA flex (HdBA), kodierte Interviews; induktive "
        "Kategorienbildung, eigene Auswertung."
    )
    blocks.append(Block("heading", "Induktive Kategorienbildung: Kandidaten", level=1))
    blocks.append(
        Block(
            "paragraph",
            "Absätze kodierter Interviews, die keine Kategorie des Kodierleitfadens abdeckt, "
            "wurden je Welle und über alle Wellen mit einem Themenmodell (BERTopic) gruppiert. "
            "Jede Gruppe ist ein Kandidat für eine induktive Kategorie; über die Aufnahme in den "
            "Kodierleitfaden entscheidet das Forschungsteam in den Kandidatenbögen der "
            "induktiven Kategorienbildung. "
            "Stabilität: wie genau sich dieselben Absätze bei anderen Startwerten und auf "
            "Teilproben von 80 % der Absätze wieder zu einem Thema fügen (1 = immer; robust ab "
            "0,75 in beiden). Kandidaten, die nur ein wortgleich wiederholter Satz zusammenhält "
            "(Textbausteine wie Smalltalk), gelten nie als robust.",
        )
    )
    table = pd.DataFrame(
        {
            "Bereich": overview["bereich"].map(lambda b: "alle Wellen" if b == "gesamt" else b),
            "Einheiten": overview["einheiten"].map(_fmt),
            "Kandidaten": overview["themen"].map(_fmt),
            "davon robust": overview["robust"].map(_fmt),
            "ohne Thema": overview["ohne_thema"].map(_fmt),
        }
    )
    n_table += 1
    blocks.append(
        Block(
            "table",
            "Material und Kandidaten der induktiven Kategorienbildung",
            table=table,
            number=n_table,
            source=source,
            base="Absätze je Bereich (Spalte Einheiten)",
        )
    )
    for rec in overview[overview["hinweis"] != ""].itertuples(index=False):
        label = "alle Wellen" if rec.bereich == "gesamt" else f"Welle {rec.bereich}"
        blocks.append(Block("paragraph", f"Hinweis ({label}): {rec.hinweis}"))
    robust = candidates[
        (candidates["bereich"] == "gesamt") & (candidates["einschaetzung"] == "robust")
    ]
    overall = overview.loc[overview["bereich"] == "gesamt", "einheiten"]
    total = int(overall.iloc[0]) if len(overall) else 0
    if len(robust):
        shown = pd.DataFrame(
            {
                "Thema": robust["thema"].astype(str),
                "Absätze": robust["groesse"].map(_fmt),
                "Anteil %": robust["anteil_prozent"].map(_fmt),
                "Begriffe": robust["begriffe"].map(lambda t: ", ".join(t.split(", ")[:5])),
                "Stabilität": robust["stabilitaet"].map(lambda v: f"{v:.2f}".replace(".", ",")),
                "Dokumente": robust["n_dokumente"].map(_fmt),
            }
        )
        n_table += 1
        blocks.append(
            Block(
                "table",
                "Robuste Kandidaten über alle Wellen",
                table=shown,
                number=n_table,
                source=source,
                base=count_noun(total, "Absatz", "Absätze") + " über alle Wellen",
            )
        )
    return n_table
