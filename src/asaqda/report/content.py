"""What the report says: a list of blocks built from the CSVs under ``tables/`` (so every
number in the report is a number of a CSV), rendered to Word and HTML by :mod:`render`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from asaqda.codebook import Codebook
from asaqda.io.officefiles import read_csv

__all__ = ["Block", "report_blocks", "REPORT_TABLES"]

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


#: what the report says where a section could not be computed
_NO_COMPANIES = (
    "Nicht berechnet: keine kodierten Interviews mit der Rolle Ausbildungsbetrieb und einer "
    "Dokumentvariable Betrieb (ohne Export der Dokumentvariablen sind Rolle und Betrieb "
    "unbekannt; siehe qualitaet/importhinweise.csv)."
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


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def _display(table: pd.DataFrame) -> pd.DataFrame:
    """A CSV table as the report shows it: German headers, German number format."""
    out = table.rename(columns=_HEADERS)
    return out.map(_fmt)


def report_blocks(
    out_dir: Path,
    documents: pd.DataFrame,
    codings: pd.DataFrame,
    codebook: Codebook,
    table_codes: dict[str, list[str]],
) -> list[Block]:
    """The report's content from the files under ``out_dir`` (``tables/``, ``figures/``,
    ``qualitaet/``) and the corpus (for the method paragraph). ``table_codes``: table name ->
    the code paths of its categories (for the anchor quotes)."""
    tables, figures = out_dir / "tables", out_dir / "figures"
    blocks: list[Block] = []
    n_table = n_figure = 0
    waves = sorted(documents["wave"].unique())
    span = f"{waves[0]} bis {waves[-1]}" if waves else "–"
    dates = pd.concat(
        [pd.to_datetime(codings.get(c), errors="coerce") for c in ("created", "modified")]
    ).dropna()
    data_date = (
        dates.max().strftime("%d.%m.%Y") if len(dates) else (f"Welle {waves[-1]}" if waves else "–")
    )
    firms = read_csv(tables / "freistellung_praxis_matrix.csv")
    n_firms = len(firms)
    conflicts = read_csv(tables / "freistellung_konflikte.csv")
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
            f"Datenstand: {data_date} · Kodierleitfaden Version {codebook.meta.version}",
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
            f"{int(n)} {role}" for role, n in documents["Rolle"].value_counts().sort_index().items()
        )
        if "Rolle" in documents and documents["Rolle"].notna().any()
        else "Rollen unbekannt (keine Dokumentvariable Rolle)"
    )
    blocks.append(
        Block(
            "paragraph",
            f"Ausgewertet wurden {len(documents)} leitfadengestützte Interviews aus "
            f"{len(waves)} Erhebungswellen ({span}): {per_role}. Die Interviews wurden in "
            f"MAXQDA nach dem Kategoriensystem (Kodierleitfaden Version "
            f"{codebook.meta.version}, deduktiv-induktiv nach Mayring) kodiert; "
            f"{len(codings)} kodierte Segmente gingen in die Auswertung ein. Ein Betrieb zählt "
            "je Kategorie einmal, gleich wie viele Segmente, Dokumente oder Befragte er hat; "
            "gezählt werden nur Interviews mit der Rolle Ausbildungsbetrieb, der Betrieb ist "
            f"die Dokumentvariable Betrieb ({n_firms} Betriebe).",
        )
    )
    if len(roles):
        n_table += 1
        table = roles.reset_index()
        table.columns = [str(c) for c in table.columns]
        blocks.append(
            Block(
                "table",
                "Interviews nach Rolle und Welle",
                table=table.map(_fmt),
                number=n_table,
                source=source,
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
            f"{len(conflicts)} Betrieb(e) mit widersprüchlicher Freistellungspraxis "
            f"({', '.join(conflicts['betrieb'].astype(str))}) sind nicht gezählt und in "
            "tables/freistellung_konflikte.csv für die Kodierenden aufgeführt."
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

    quotes_path = tables / "ankerzitate.xlsx"
    quotes = (
        pd.read_excel(quotes_path, engine="calamine") if quotes_path.exists() else pd.DataFrame()
    )
    blocks.append(Block("heading", "Ergebnisse aus Sicht der Betriebe", level=1))
    if "Code" not in quotes:
        quotes = pd.DataFrame(columns=["Code", "Kategorie", "Zitat", "Quelle"])
    for name, title in REPORT_TABLES:
        table = read_csv(tables / f"{name}.csv")
        blocks.append(Block("heading", title, level=2))
        base = int(read_csv(tables / f"{name}_matrix.csv").shape[0])
        if not base or "n_betriebe" not in table:
            blocks.append(Block("paragraph", _NO_COMPANIES))
            continue
        n_table += 1
        blocks.append(
            Block(
                "table",
                f"{title} (n = {base} Betriebe)",
                table=_display(table),
                number=n_table,
                source=source,
            )
        )
        png = figures / f"{name}.png"
        if png.exists():
            n_figure += 1
            blocks.append(
                Block(
                    "figure",
                    f"{title}, Anzahl der Betriebe",
                    image=png,
                    number=n_figure,
                    source=source,
                )
            )
        mine = quotes[quotes["Code"].isin(table_codes.get(name, []))]
        for q in mine.drop_duplicates("Code").itertuples(index=False):  # one per category
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
        blocks.append(
            Block(
                "paragraph",
                f"Das Panel umfasst {persons} Auszubildende. Der Verlaufstyp beruht auf dem Work "
                "Ability Score (WAS), wo er in allen Interviews einer Person vorliegt, sonst "
                "auf der Bilanz steigender und fallender Ereignisse. "
                f"{provisional} Typen sind vorläufig, weil das nächste Interview noch aussteht.",
            )
        )
        n_table += 1
        blocks.append(
            Block(
                "table",
                "Verlaufstypen der Arbeitsfähigkeit",
                table=_display(dist),
                number=n_table,
                source=source,
            )
        )
        for stem, caption in (
            ("verlaeufe", "Individuelle Verläufe und Mittel je Verlaufstyp"),
            ("verlauf_alluvial", "Niveau der Arbeitsfähigkeit über die Panelwellen"),
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
                    )
                )
        ft = read_csv(tables / "verlauf_nach_freizeit.csv")
        if "n" in ft:
            ft = ft[ft["n"] > 0]
            n_table += 1
            blocks.append(
                Block(
                    "table",
                    "Verlaufstyp nach Teilnahme an AsA flex in der Freizeit",
                    table=_display(ft),
                    number=n_table,
                    source=source,
                )
            )

    n_table = _inductive_blocks(blocks, out_dir / "induktiv", n_table)

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


def _inductive_blocks(blocks: list[Block], folder: Path, n_table: int) -> int:
    """The section on candidate inductive categories (from ``induktiv/*.csv``)."""
    overview = read_csv(folder / "uebersicht.csv", dtype={"bereich": str}, keep_default_na=False)
    if "bereich" not in overview:
        return n_table
    candidates = read_csv(folder / "kandidaten.csv", dtype={"bereich": str})
    source = "Quelle: induktiv/uebersicht.csv, induktiv/kandidaten.csv"
    blocks.append(Block("heading", "Induktive Kategorienbildung: Kandidaten", level=1))
    blocks.append(
        Block(
            "paragraph",
            "Absätze kodierter Interviews, die keine Kategorie des Kodierleitfadens abdeckt, "
            "wurden je Welle und über alle Wellen mit einem Themenmodell (BERTopic) gruppiert. "
            "Jede Gruppe ist ein Kandidat für eine induktive Kategorie; über die Aufnahme in den "
            "Kodierleitfaden entscheidet das Forschungsteam (induktiv/<Bereich>_kandidaten.xlsx). "
            "Stabilität: wie genau sich dieselben Absätze bei anderen Startwerten wieder zu einem "
            "Thema fügen (1 = immer; robust ab 0,75).",
        )
    )
    table = pd.DataFrame(
        {
            "Bereich": overview["bereich"].map(lambda b: "alle Wellen" if b == "gesamt" else b),
            "Einheiten": overview["einheiten"].astype(str),
            "Kandidaten": overview["themen"].astype(str),
            "davon robust": overview["robust"].astype(str),
            "ohne Thema": overview["ohne_thema"].astype(str),
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
        )
    )
    for rec in overview[overview["hinweis"] != ""].itertuples(index=False):
        label = "alle Wellen" if rec.bereich == "gesamt" else f"Welle {rec.bereich}"
        blocks.append(Block("paragraph", f"Hinweis ({label}): {rec.hinweis}"))
    robust = candidates[
        (candidates["bereich"] == "gesamt") & (candidates["einschaetzung"] == "robust")
    ]
    if len(robust):
        shown = pd.DataFrame(
            {
                "Thema": robust["thema"].astype(str),
                "Absätze": robust["groesse"].astype(str),
                "Anteil %": robust["anteil_prozent"].map(_fmt),
                "Begriffe": robust["begriffe"].map(lambda t: ", ".join(t.split(", ")[:5])),
                "Stabilität": robust["stabilitaet"].map(lambda v: f"{v:.2f}".replace(".", ",")),
                "Dokumente": robust["n_dokumente"].astype(str),
            }
        )
        n_table += 1
        blocks.append(
            Block(
                "table",
                "Robuste Kandidaten über alle Wellen",
                table=shown,
                number=n_table,
                source="Quelle: induktiv/kandidaten.csv (Bereich gesamt)",
            )
        )
    return n_table
