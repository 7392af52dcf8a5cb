"""The company tables of the reports: Freistellung practice, reasons, hiring readiness, relief and
the other company categories, each with its per-company matrix and breakdowns.

Counting rule (``../shared/spec/kategoriensystem.md``): only documents with
``Rolle = Ausbildungsbetrieb`` count; a company is its ``Betrieb`` and counts once per category
(code present in any of its documents), however many segments, documents or interviewees. An
interview nobody has coded yet (no coding at all) is no data: it is in no table and in no
denominator; a company with no coded interview is listed in ``qualitaet/betriebe.csv``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from asaqda.codebook import Codebook
from asaqda.privacy.scan import quote_id, span_label
from asaqda.tables.companies import (
    COMPANY_ROLE,
    NOT_YET_CODED,
    PRACTICES,
    coded_documents,
    freistellung_practice,
)

__all__ = [
    "CompanyTable",
    "TABLE_COLUMNS",
    "BREAKDOWNS",
    "company_documents",
    "company_matrix",
    "count_table",
    "practice_table",
    "table_definitions",
    "breakdown",
    "company_problems",
    "anchor_quotes",
    "SOURCE_PREFIX",
]

TABLE_COLUMNS = ["kategorie", "n_betriebe", "anteil_prozent"]
#: a finding of its own: the company reports no relief (not counted in ``insgesamt``)
NO_RELIEF = "Entlastung > keine Entlastung"
#: document variables (and the wave) the tables are broken down by
BREAKDOWNS = ("Betriebsgröße", "Arbeitsmarkttyp", "Region", "wave")


@dataclass(frozen=True)
class CompanyTable:
    """One company table: file stem, title, the code paths of its rows (``kategorie`` is the
    leaf name) and whether a row ``insgesamt`` (any code at or below ``total_of``) is added;
    codes in ``total_excludes`` (such as ``Entlastung > keine Entlastung``) have their own row
    but do not make a company count in ``insgesamt``; ``roots`` are the codebook paths the
    table is built on (none of them in the codebook: the table is a note, see
    :mod:`asaqda.absent`)."""

    name: str
    title: str
    codes: tuple[str, ...]
    total_of: str | None = None
    total_excludes: tuple[str, ...] = ()
    roots: tuple[str, ...] = ()


def table_definitions(codebook: Codebook) -> list[CompanyTable]:
    """The tables the reports need, with their rows taken from the codebook."""

    def children(path: str) -> tuple[str, ...]:
        found = tuple(c.code for c in codebook.children(path))
        return found or ((path,) if path in codebook.paths else ())

    return [
        CompanyTable(
            "freistellung_gruende",
            "Gründe und Bedingungen der Freistellung",
            (*children("Freistellung > Gründe"), "Freistellung > Bedingungen"),
            roots=("Freistellung > Gründe", "Freistellung > Bedingungen"),
        ),
        CompanyTable(
            "einstellungsbereitschaft",
            "Einstellungsbereitschaft",
            children("Einstellungsbereitschaft"),
            roots=("Einstellungsbereitschaft",),
        ),
        CompanyTable(
            "entlastung",
            "Entlastung",
            children("Entlastung"),
            total_of="Entlastung",
            # a company saying it has no relief does not report relief
            total_excludes=(NO_RELIEF,),
            roots=("Entlastung",),
        ),
        *(
            CompanyTable(name, main, children(main), roots=(main,))
            for name, main in (
                ("vorphase", "Vorphase"),
                ("abbruchvermeidung", "Abbruchvermeidung"),
                ("bekanntheit", "Bekanntheit"),
                ("lernortkooperation", "Lernortkooperation"),
            )
        ),
    ]


def company_documents(documents: pd.DataFrame, codings: pd.DataFrame | None = None) -> pd.DataFrame:
    """The company interviews with a ``Betrieb`` (intercoder copies left out).

    Parameters
    ----------
    documents
        The corpus documents.
    codings
        When given, only the interviews with at least one coding are returned (an interview
        nobody has coded yet is no data).

    Returns
    -------
    pd.DataFrame
        The rows of ``documents`` that count for the company tables.
    """
    docs = documents if codings is None else coded_documents(documents, codings)
    if "intercoder_copy" in docs:
        docs = docs[~docs["intercoder_copy"].astype(bool)]
    if "Rolle" not in docs or "Betrieb" not in docs:
        return docs.iloc[:0].assign(Betrieb=pd.Series(dtype="object"))
    docs = docs[(docs["Rolle"] == COMPANY_ROLE) & docs["Betrieb"].notna()]
    return docs[docs["Betrieb"].astype(str).str.strip() != ""]


def company_matrix(
    documents: pd.DataFrame,
    codings: pd.DataFrame,
    codes: Sequence[str],
    prefix_total: str | None,
    total_excludes: Sequence[str] = (),
) -> pd.DataFrame:
    """Company × category (0/1): one row per company with a coded interview (``betrieb``), one
    column per code (leaf name), plus ``insgesamt`` when ``prefix_total`` is given (any code at
    or below it except those in ``total_excludes``)."""
    docs = company_documents(documents, codings)
    firms = sorted(docs["Betrieb"].astype(str).unique())
    cods = codings.merge(docs[["doc_id", "Betrieb"]], on="doc_id")
    out = pd.DataFrame({"betrieb": firms})
    for code in codes:
        having = set(cods.loc[cods["code"] == code, "Betrieb"].astype(str))
        out[code.split(" > ")[-1]] = [int(f in having) for f in firms]
    if prefix_total:
        under = cods["code"].eq(prefix_total) | cods["code"].str.startswith(prefix_total + " > ")
        under &= ~cods["code"].isin(list(total_excludes))
        having = set(cods.loc[under, "Betrieb"].astype(str))
        out["insgesamt"] = [int(f in having) for f in firms]
    return out


def count_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """``kategorie``, ``n_betriebe``, ``anteil_prozent`` (share of all companies in the
    matrix, one decimal) from a company matrix."""
    n = len(matrix)
    rows = [
        {
            "kategorie": col,
            "n_betriebe": int(matrix[col].sum()),
            "anteil_prozent": round(100 * matrix[col].sum() / n, 1) if n else 0.0,
        }
        for col in matrix.columns
        if col != "betrieb"
    ]
    return pd.DataFrame(rows, columns=TABLE_COLUMNS)


def practice_table(
    documents: pd.DataFrame, codings: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The Freistellung practice: (table, conflicts, matrix).

    Each company gets exactly one of the four practices; companies with more than one go to
    the conflict list (``betrieb``, ``codes``, ``dokumente``) and are not counted; companies
    whose coded interviews carry none count as ``nicht kodiert``; companies without any coded
    interview are not counted at all. Shares are of all counted companies.
    """
    docs = company_documents(documents, codings)
    practice = freistellung_practice(docs, codings)
    practice = practice[practice["praxis"] != NOT_YET_CODED]
    conflicts = practice[practice["praxis"] == "Konflikt"]
    names = docs.groupby(docs["Betrieb"].astype(str))["document_name"].agg(
        lambda s: ", ".join(sorted(s))
    )
    conflicts = conflicts.assign(dokumente=conflicts["betrieb"].map(names))[
        ["betrieb", "codes", "dokumente"]
    ]
    counted = practice[practice["praxis"] != "Konflikt"]
    matrix = pd.DataFrame({"betrieb": counted["betrieb"]})
    for cat in (*PRACTICES, "nicht kodiert"):
        matrix[cat] = (counted["praxis"] == cat).astype(int).to_numpy()
    return count_table(matrix), conflicts.reset_index(drop=True), matrix.reset_index(drop=True)


def _attribute(docs: pd.DataFrame, column: str) -> pd.Series:
    """A company's value of ``column``: the one of its latest interview."""
    if column not in docs:
        return pd.Series(dtype="object")
    latest = docs.sort_values(["wave", "document_name"]).groupby(docs["Betrieb"].astype(str))
    return latest[column].last().astype("object").fillna("unbekannt")


def breakdown(
    documents: pd.DataFrame,
    codings: pd.DataFrame,
    build: object,
) -> pd.DataFrame:
    """A table broken down by :data:`BREAKDOWNS`: ``merkmal``, ``auspraegung``, ``kategorie``,
    ``n_betriebe``, ``anteil_prozent`` (within the group). ``build(documents, codings)``
    returns the company matrix of a subset. By wave, a company counts in every wave it was
    interviewed in, with that wave's codings; otherwise by its latest interview's value. Only
    coded interviews count (a wave nobody has coded yet has no group)."""
    docs = company_documents(documents, codings)
    frames = []
    for column in BREAKDOWNS:
        if column == "wave":
            groups = {w: docs[docs["wave"] == w] for w in sorted(docs["wave"].unique())}
        else:
            value = _attribute(docs, column)
            if value.empty:
                continue
            firm = docs["Betrieb"].astype(str).map(value)
            groups = {v: docs[firm == v] for v in sorted(value.unique())}
        for label, subset in groups.items():
            matrix = build(subset, codings[codings["doc_id"].isin(subset["doc_id"].unique())])  # type: ignore[operator]
            table = count_table(matrix)
            table.insert(0, "auspraegung", label)
            table.insert(0, "merkmal", "Welle" if column == "wave" else column)
            frames.append(table)
    cols = ["merkmal", "auspraegung", *TABLE_COLUMNS]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=cols)


def company_problems(
    documents: pd.DataFrame, codings: pd.DataFrame, codes: Sequence[str]
) -> pd.DataFrame:
    """What the company tables cannot count cleanly: ``art``, ``betrieb``, ``detail``.

    A company interview without ``Betrieb``; a company none of whose interviews is coded yet
    (``noch nicht kodiert``: in no table and no denominator) and an uncoded interview of a
    company that is counted from its other interviews (``Interview noch nicht kodiert``); a
    ``Betrieb`` whose documents disagree in ``Region``, ``Betriebsgröße`` or
    ``Arbeitsmarkttyp``; a company coded both ``keine Entlastung`` and some relief
    (``Entlastung widersprüchlich``); a table category nobody coded.
    """
    docs = documents
    if "intercoder_copy" in docs:
        docs = docs[~docs["intercoder_copy"].astype(bool)]
    rows = []
    if "Rolle" in docs:
        firms = docs[docs["Rolle"] == COMPANY_ROLE]
        missing = (
            firms[firms["Betrieb"].isna() | (firms["Betrieb"].astype(str).str.strip() == "")]
            if "Betrieb" in firms
            else firms
        )
        for r in missing.itertuples(index=False):
            rows.append(
                {
                    "art": "ohne Betrieb",
                    "betrieb": "",
                    "detail": f"{r.document_name} ({r.wave}): Rolle Ausbildungsbetrieb ohne "
                    "Variable Betrieb – nicht gezählt; bitte Betrieb im Variablenexport eintragen",
                }
            )
    cdocs = company_documents(documents)
    coded = set(coded_documents(cdocs, codings)["doc_id"])
    for firm, g in cdocs.groupby(cdocs["Betrieb"].astype(str), sort=True):
        waiting = g[~g["doc_id"].isin(coded)].sort_values(["wave", "document_name"])
        if waiting.empty:
            continue
        names = ", ".join(f"{r.document_name} ({r.wave})" for r in waiting.itertuples())
        if len(waiting) == len(g):
            rows.append(
                {
                    "art": NOT_YET_CODED,
                    "betrieb": firm,
                    "detail": f"{names}: noch keine Kodierung – der Betrieb ist in keiner "
                    "Tabelle und in keinem Nenner gezählt; nach dem Kodieren neu auswerten",
                }
            )
        else:
            rows.append(
                {
                    "art": "Interview noch nicht kodiert",
                    "betrieb": firm,
                    "detail": f"{names}: noch keine Kodierung – der Betrieb ist nach seinen "
                    "kodierten Interviews gezählt",
                }
            )
    for firm, found in _contradicting_relief(cdocs, codings).items():
        rows.append(
            {
                "art": "Entlastung widersprüchlich",
                "betrieb": firm,
                "detail": f"'keine Entlastung' und {', '.join(repr(f) for f in found)} kodiert – "
                "in beiden Zeilen gezählt (auch in 'insgesamt'); bitte die Kodierung prüfen",
            }
        )
    for column in ("Region", "Betriebsgröße", "Arbeitsmarkttyp"):
        if column not in cdocs:
            continue
        values = cdocs.groupby(cdocs["Betrieb"].astype(str))[column].agg(
            lambda s: sorted({str(v) for v in s.dropna()})
        )
        for firm, vals in values.items():
            if len(vals) > 1:
                rows.append(
                    {
                        "art": f"{column} uneinheitlich",
                        "betrieb": firm,
                        "detail": f"{column}: {', '.join(vals)} – gezählt nach dem neuesten "
                        "Interview; bitte im Variablenexport vereinheitlichen",
                    }
                )
    used = set(codings.loc[codings["doc_id"].isin(cdocs["doc_id"].unique()), "code"])
    for code in codes:
        if code not in used:
            rows.append(
                {
                    "art": "Kategorie ohne Kodierung",
                    "betrieb": "",
                    "detail": f"'{code}' ist in keinem Betriebsinterview kodiert (Tabelle zeigt 0)",
                }
            )
    return pd.DataFrame(rows, columns=["art", "betrieb", "detail"])


def _contradicting_relief(cdocs: pd.DataFrame, codings: pd.DataFrame) -> dict[str, list[str]]:
    """Companies coded ``Entlastung > keine Entlastung`` and some relief as well: company ->
    the relief categories (leaf names, sorted)."""
    cods = codings.merge(cdocs[["doc_id", "Betrieb"]], on="doc_id")
    relief = cods[cods["code"].str.startswith("Entlastung > ")]
    out = {}
    for firm, g in relief.groupby(relief["Betrieb"].astype(str), sort=True):
        codes = set(g["code"])
        if NO_RELIEF in codes and len(codes) > 1:
            out[firm] = sorted(c.split(" > ")[-1] for c in codes - {NO_RELIEF})
    return out


#: how the team names a quote's source by role: (Ausbilder_U33)
SOURCE_PREFIX = {
    "Ausbildungsbetrieb": "Ausbilder",
    "Auszubildende": "Azubi",
    "Bildungsdienstleister": "Träger",
    "Berufsschule": "Lehrkraft",
    "Agentur für Arbeit": "Vermittlung",
    "Jobcenter": "Vermittlung",
}
_MARK = r"(?i)\banker"


def anchor_quotes(
    documents: pd.DataFrame, codings: pd.DataFrame, codes: Sequence[str], per_code: int = 3
) -> pd.DataFrame:
    """Anchor quotes per category from the company interviews.

    Rule: segments a coder marked in the MAXQDA comment (``Anker``, ``Ankerzitat``,
    ``Ankerbeispiel``) come first; then the segments with the highest weight, preferring a
    quotable length (40 to 400 characters), at most one per company, in the order of the
    company pseudonym. Columns ``kategorie``, ``code``, ``zitat``, ``quelle``
    ("(Ausbilder_U33)"), ``betrieb``, ``welle``, ``auswahl`` (why it was chosen).
    """
    docs = company_documents(documents)
    cods = codings.merge(
        docs[["doc_id", "Betrieb", "Person", "Rolle"]].rename(columns={"Person": "q_person"}),
        on="doc_id",
    )
    rows = []
    for code in codes:
        part = cods[cods["code"] == code].copy()
        if part.empty:
            continue
        text = part["segment"].fillna("").astype(str).str.strip()
        part = part.assign(
            q_marked=part["comment"].fillna("").astype(str).str.contains(_MARK, regex=True),
            q_len_ok=text.str.len().between(40, 400),
            q_weight=part["weight"].fillna(0).astype(int),
            q_text=text,
        )
        part = part[part["q_text"] != ""].sort_values(
            ["q_marked", "q_len_ok", "q_weight", "Betrieb", "begin"],
            ascending=[False, False, False, True, True],
            kind="mergesort",
        )
        picked = part.drop_duplicates("Betrieb").head(per_code)
        for r in picked.itertuples(index=False):
            prefix = SOURCE_PREFIX.get(str(r.Rolle), "Interview")
            rows.append(
                {
                    "kategorie": code.split(" > ")[-1],
                    "code": code,
                    "zitat": r.q_text,
                    "quelle": f"({prefix}_{r.q_person})",
                    "betrieb": r.Betrieb,
                    "welle": r.wave,
                    "zitat_id": quote_id(
                        r.doc_id, span_label(r.begin, getattr(r, "end", r.begin)), r.q_text
                    ),
                    "auswahl": "Markierung im Kommentar"
                    if r.q_marked
                    else (
                        f"Gewicht {r.q_weight}, zitierbare Länge"
                        if r.q_weight
                        else "zitierbare Länge, ein Betrieb je Zitat (nach Pseudonym)"
                    ),
                }
            )
    return pd.DataFrame(
        rows,
        columns=["kategorie", "code", "zitat", "quelle", "betrieb", "welle", "auswahl", "zitat_id"],
    )
