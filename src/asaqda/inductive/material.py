"""The material of the inductive step: what the deductive categories do not cover.

Mayring's inductive category formation works through material that no category fits. By default
that is every interviewee paragraph of a coded document that no codebook code covers (a
document nobody has coded yet says nothing about the codebook's gaps). Alternatively the
segments of one code and its subcodes, to find subcategories (e.g. inside ``Entlastung``).

Units carry the text without speaker and timestamp (the ``content`` column of the paragraph
table, or the segment parsed line by line the same way).
"""

from __future__ import annotations

import pandas as pd

from asaqda.io.transcripts import parse_turn
from asaqda.io.values import CODE_SEPARATOR
from asaqda.precode.model import coded_paragraphs
from asaqda.precode.precoder import INTERVIEWER, interviewee_rows

__all__ = ["UNCODED", "MATERIAL_COLUMNS", "select_material", "segment_content"]

#: the default material: paragraphs without any codebook code
UNCODED = "unkodiert"
MATERIAL_COLUMNS = [
    "unit_id",
    "wave",
    "doc_id",
    "document_name",
    "Rolle",
    "paragraph",
    "paragraph_end",
    "text",
]


def segment_content(segment: str) -> str:
    """A coded segment's text without speaker and timestamp markers; the interviewer's lines
    are dropped."""
    parts = []
    for line in segment.splitlines():
        speaker, _, content = parse_turn(line)
        if speaker in INTERVIEWER or not content:
            continue
        parts.append(content)
    return " ".join(parts)


def select_material(
    paragraphs: pd.DataFrame,
    codings: pd.DataFrame,
    documents: pd.DataFrame,
    codes: list[str],
    *,
    material: str = UNCODED,
    min_words: int = 8,
) -> pd.DataFrame:
    """The units of the inductive step, one row each (columns :data:`MATERIAL_COLUMNS`).

    Parameters
    ----------
    paragraphs
        Paragraph table (``doc_id``, ``wave``, ``paragraph``, ``speaker``, ``content``).
    codings
        Codings of the corpus (MAXQDA and accepted review suggestions), without intercoder
        copies.
    documents
        Documents (``doc_id``, ``document_name``, ``Rolle``, ``n_codings``,
        ``intercoder_copy``).
    codes
        The codebook's code paths: a paragraph that one of them covers is not material.
    material
        :data:`UNCODED` or a code path (its segments and those of its subcodes).
    min_words
        Units with fewer words carry no topic ("Ja, genau.") and are left out.
    """
    docs = documents[~documents["intercoder_copy"]]
    # projects without a Rolle variable (REFI-QDA, most real exports) have no role column
    meta = docs.set_index("doc_id").reindex(columns=["document_name", "Rolle"])
    if material == UNCODED:
        coded_docs = set(docs.loc[docs["n_codings"] > 0, "doc_id"])
        paras = interviewee_rows(paragraphs[paragraphs["doc_id"].isin(coded_docs)])
        covered = coded_paragraphs(codings[codings["code"].isin(codes)])
        keys = set(zip(covered["doc_id"], covered["paragraph"].astype(int), strict=True))
        free = pd.Series(
            [
                (d, int(p)) not in keys
                for d, p in zip(paras["doc_id"], paras["paragraph"], strict=True)
            ],
            index=paras.index,
            dtype=bool,
        )  # a boolean mask even when there are no paragraphs (no transcripts)
        units = paras[free]
        out = pd.DataFrame(
            {
                "unit_id": [
                    f"{d}-{int(p):04d}"
                    for d, p in zip(units["doc_id"], units["paragraph"], strict=True)
                ],
                "wave": units["wave"].to_numpy(),
                "doc_id": units["doc_id"].to_numpy(),
                "paragraph": units["paragraph"].astype("int64").to_numpy(),
                "paragraph_end": units["paragraph"].astype("int64").to_numpy(),
                "text": units["content"].fillna("").to_numpy(),
            }
        )
    else:
        prefix = material + CODE_SEPARATOR
        cods = codings[
            ((codings["code"] == material) | codings["code"].str.startswith(prefix))
            & codings["doc_id"].isin(set(docs["doc_id"]))
        ]
        out = pd.DataFrame(
            {
                "unit_id": cods["coding_id"].to_numpy(),
                "wave": cods["wave"].to_numpy(),
                "doc_id": cods["doc_id"].to_numpy(),
                "paragraph": cods["begin"].astype("Int64").to_numpy(),
                "paragraph_end": cods["end"].astype("Int64").to_numpy(),
                "text": [segment_content(s) for s in cods["segment"].fillna("")],
            }
        )
        out = out.drop_duplicates("unit_id")
    out["document_name"] = out["doc_id"].map(meta["document_name"])
    roles = out["doc_id"].map(meta["Rolle"])
    # no role known at all: an all-missing (float) column, filled as text
    out["Rolle"] = roles.fillna("") if roles.notna().any() else ""
    out = out[out["text"].str.split().str.len().fillna(0) >= min_words]
    return (
        out[MATERIAL_COLUMNS]
        .sort_values(["wave", "document_name", "paragraph", "unit_id"], kind="stable")
        .reset_index(drop=True)
    )
