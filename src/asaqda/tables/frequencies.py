"""First results for people: code frequencies per wave, and codes by role (Rolle)."""

from __future__ import annotations

import pandas as pd

from asaqda.codebook import Codebook
from asaqda.io.variables import ROLES

__all__ = ["code_frequencies", "codes_by_role", "frequency_overview", "role_pivot"]

ROLE_ORDER = (*ROLES, "unbekannt")


def _code_order(codebook: Codebook, codings: pd.DataFrame) -> list[str]:
    unknown = sorted(set(codings["code"]) - set(codebook.paths))
    return codebook.paths + unknown


def code_frequencies(
    codings: pd.DataFrame, documents: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """Per wave and code: number of documents with the code and number of segments.

    Every codebook code appears for every wave (0 where unused), so a category nobody coded
    is visible; codes outside the codebook follow with ``im_kodierleitfaden = False``.

    Returns
    -------
    pandas.DataFrame
        ``welle``, ``code``, ``hauptkategorie``, ``im_kodierleitfaden``, ``dokumente``,
        ``segmente``; sorted by wave, then codebook order.
    """
    codes = _code_order(codebook, codings)
    waves = sorted(documents["wave"].unique())
    counts = codings.groupby(["wave", "code"]).agg(
        dokumente=("doc_id", "nunique"), segmente=("coding_id", "size")
    )
    index = pd.MultiIndex.from_product([waves, codes], names=["wave", "code"])
    table = counts.reindex(index, fill_value=0).reset_index()
    known = set(codebook.paths)
    table.insert(2, "hauptkategorie", table["code"].str.split(" > ").str[0])
    table.insert(3, "im_kodierleitfaden", table["code"].isin(known))
    table = table.rename(columns={"wave": "welle"})
    table[["dokumente", "segmente"]] = table[["dokumente", "segmente"]].astype("int64")
    return table


def frequency_overview(freq: pd.DataFrame) -> pd.DataFrame:
    """Wide view for people: one row per code, segments and documents per wave and in total."""
    order = list(dict.fromkeys(freq["code"]))
    seg = freq.pivot(index="code", columns="welle", values="segmente").reindex(order)
    doc = freq.pivot(index="code", columns="welle", values="dokumente").reindex(order)
    out = pd.DataFrame({"Code": order})
    for wave in seg.columns:
        out[f"Segmente {wave}"] = seg[wave].to_numpy()
    out["Segmente gesamt"] = seg.sum(axis=1).to_numpy()
    for wave in doc.columns:
        out[f"Dokumente {wave}"] = doc[wave].to_numpy()
    out["Dokumente gesamt"] = doc.sum(axis=1).to_numpy()
    return out


def codes_by_role(
    codings: pd.DataFrame, documents: pd.DataFrame, codebook: Codebook
) -> pd.DataFrame:
    """Crosstab code x Rolle (tidy): documents and segments per code and role.

    Documents without a ``Rolle`` variable count under ``unbekannt``.

    Returns
    -------
    pandas.DataFrame
        ``code``, ``rolle``, ``dokumente``, ``segmente``.
    """
    roles = (
        documents.set_index("doc_id")["Rolle"]
        if "Rolle" in documents
        else pd.Series(dtype="object")
    )
    frame = codings.assign(rolle=codings["doc_id"].map(roles).fillna("unbekannt"))
    counts = frame.groupby(["code", "rolle"]).agg(
        dokumente=("doc_id", "nunique"), segmente=("coding_id", "size")
    )
    present = set(frame["rolle"]) | (set(roles.dropna()) if len(roles) else set())
    role_list = [r for r in ROLE_ORDER if r in present] + sorted(present - set(ROLE_ORDER))
    index = pd.MultiIndex.from_product(
        [_code_order(codebook, codings), role_list], names=["code", "rolle"]
    )
    table = counts.reindex(index, fill_value=0).reset_index()
    table[["dokumente", "segmente"]] = table[["dokumente", "segmente"]].astype("int64")
    return table


def role_pivot(by_role: pd.DataFrame, value: str) -> pd.DataFrame:
    """Wide crosstab for people: codes as rows, roles as columns, plus a total column."""
    order_codes = list(dict.fromkeys(by_role["code"]))
    order_roles = list(dict.fromkeys(by_role["rolle"]))
    wide = by_role.pivot(index="code", columns="rolle", values=value)
    wide = wide.reindex(index=order_codes, columns=order_roles)
    wide["gesamt"] = wide.sum(axis=1)
    wide = wide.reset_index().rename(columns={"code": "Code"})
    wide.columns.name = None
    return wide
