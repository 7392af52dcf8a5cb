"""Companies as the unit of counting: a company is the document variable ``Betrieb`` of the
interviews with ``Rolle = Ausbildungsbetrieb``; it counts once per category however many
segments, documents or interviewees it has."""

from __future__ import annotations

import pandas as pd

__all__ = [
    "COMPANY_ROLE",
    "NOT_YET_CODED",
    "PRACTICES",
    "PRACTICE_CODES",
    "coded_documents",
    "company_codes",
    "freistellung_practice",
]

COMPANY_ROLE = "Ausbildungsbetrieb"
#: the four Freistellung practices; a company is assigned exactly one of them
PRACTICES = ("vollständig", "Wegezeiten", "Räumlichkeiten", "keine")
#: their code paths
PRACTICE_CODES = tuple(f"Freistellung > {p}" for p in PRACTICES)
#: the practice of a company none of whose interviews has been coded yet (no data, not counted)
NOT_YET_CODED = "noch nicht kodiert"


def coded_documents(documents: pd.DataFrame, codings: pd.DataFrame) -> pd.DataFrame:
    """The documents with at least one coding.

    An interview nobody has coded yet (such as every interview of a wave that is still being
    coded) is no data: it must not count as "no code found", nor enter any denominator.

    Parameters
    ----------
    documents
        Documents with ``doc_id``.
    codings
        Codings with ``doc_id``.

    Returns
    -------
    pd.DataFrame
        The rows of ``documents`` whose ``doc_id`` occurs in ``codings``.
    """
    # the unique ids: isin over pyarrow strings converts every value it is given one by one
    return documents[documents["doc_id"].isin(codings["doc_id"].unique())]


def company_codes(documents: pd.DataFrame, codings: pd.DataFrame) -> pd.DataFrame:
    """Which company has which code: ``betrieb``, ``code``, ``dokumente`` (documents of the
    company with the code), ``segmente``. Only company interviews with a ``Betrieb``."""
    docs = documents
    if "Rolle" not in docs or "Betrieb" not in docs:
        return pd.DataFrame(columns=["betrieb", "code", "dokumente", "segmente"])
    firms = docs[(docs["Rolle"] == COMPANY_ROLE) & docs["Betrieb"].notna()]
    firms = firms[firms["Betrieb"].astype(str).str.strip() != ""]
    cods = codings.merge(firms[["doc_id", "Betrieb"]], on="doc_id")
    return (
        cods.groupby(["Betrieb", "code"])
        .agg(dokumente=("doc_id", "nunique"), segmente=("doc_id", "size"))
        .reset_index()
        .rename(columns={"Betrieb": "betrieb"})
    )


def freistellung_practice(documents: pd.DataFrame, codings: pd.DataFrame) -> pd.DataFrame:
    """Each company's Freistellung practice: ``betrieb``, ``praxis`` (one of
    :data:`PRACTICES`, ``Konflikt`` when its interviews carry more than one, ``nicht kodiert``
    when its coded interviews carry none, :data:`NOT_YET_CODED` when none of its interviews
    has any coding yet), ``codes`` (the practices found, joined by ', ')."""
    docs = documents
    if "Rolle" not in docs or "Betrieb" not in docs:
        return pd.DataFrame(columns=["betrieb", "praxis", "codes"])
    firms = sorted(
        {
            str(b)
            for b in docs.loc[docs["Rolle"] == COMPANY_ROLE, "Betrieb"].dropna()
            if str(b).strip()
        }
    )
    coded = {
        str(b)
        for b in coded_documents(docs, codings).loc[lambda d: d["Rolle"] == COMPANY_ROLE, "Betrieb"]
    }
    found = company_codes(documents, codings)
    paths = dict(zip(PRACTICE_CODES, PRACTICES, strict=True))
    found = found[found["code"].isin(paths)]
    by_firm = found.groupby("betrieb")["code"].agg(lambda c: sorted(paths[x] for x in c))
    rows = []
    for firm in firms:
        practices = by_firm.get(firm, [])
        practices = [p for p in PRACTICES if p in practices]
        if firm not in coded:
            praxis = NOT_YET_CODED
        elif len(practices) == 1:
            praxis = practices[0]
        else:
            praxis = "nicht kodiert" if not practices else "Konflikt"
        rows.append({"betrieb": firm, "praxis": praxis, "codes": ", ".join(practices)})
    return pd.DataFrame(rows, columns=["betrieb", "praxis", "codes"])
