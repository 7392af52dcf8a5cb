"""Companies as the unit of counting: a company is the document variable ``Betrieb`` of the
interviews with ``Rolle = Ausbildungsbetrieb``; it counts once per category however many
segments, documents or interviewees it has."""

from __future__ import annotations

import pandas as pd

__all__ = ["COMPANY_ROLE", "PRACTICES", "PRACTICE_CODES", "company_codes", "freistellung_practice"]

COMPANY_ROLE = "Ausbildungsbetrieb"
#: the four Freistellung practices; a company is assigned exactly one of them
PRACTICES = ("vollständig", "Wegezeiten", "Räumlichkeiten", "keine")
#: their code paths
PRACTICE_CODES = tuple(f"Freistellung > {p}" for p in PRACTICES)


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
    when none), ``codes`` (the practices found, joined by ', ')."""
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
    found = company_codes(documents, codings)
    paths = dict(zip(PRACTICE_CODES, PRACTICES, strict=True))
    found = found[found["code"].isin(paths)]
    by_firm = found.groupby("betrieb")["code"].agg(lambda c: sorted(paths[x] for x in c))
    rows = []
    for firm in firms:
        practices = by_firm.get(firm, [])
        practices = [p for p in PRACTICES if p in practices]
        praxis = (
            practices[0]
            if len(practices) == 1
            else ("nicht kodiert" if not practices else "Konflikt")
        )
        rows.append({"betrieb": firm, "praxis": praxis, "codes": ", ".join(practices)})
    return pd.DataFrame(rows, columns=["betrieb", "praxis", "codes"])
