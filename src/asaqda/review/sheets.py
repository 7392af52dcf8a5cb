"""Review sheets: one Excel workbook per wave and coder with the open suggestions.

Each row is one suggestion (document, paragraph, paragraph text with the evidence highlighted,
suggested code, score, method). Coders fill three columns (yellow): ``Entscheidung``
(drop-down ``übernehmen`` / ``ablehnen`` / ``anderer Code``), ``Anderer Code`` (drop-down of the
codebook's codes) and ``Kommentar``.

The sheet ``Vorschläge`` is not protected: Excel refuses to sort a protected sheet with locked
cells, and coders sort and filter. The drop-downs keep the decision columns clean, and the
read-back checks every row against the corpus (document, paragraph, text, suggestion id), so
an edited text column is reported, never applied. ``Info`` and the hidden ``Codes`` stay
protected (no password).

The sheet prints on A4 landscape, one page wide, with the header row on every page; row
heights fit the paragraph text (up to 12 lines).

Scores far below the decision threshold (more than :data:`LOW_SCORE_MARGIN` below it) say
why in ``Begründung``: the suggestion was made because the raw score of rule and model
reached the threshold, while the shown score is the calibrated one.

Row order (so the coder's time goes furthest first):

1. uncertainty: the distance of the score from 0.5 in steps of 0.1, closest first. A decision
   on an uncertain suggestion is the one most likely to correct the machine;
2. rarity: within a step, codes with fewer human-coded example paragraphs first, since every
   decision on a rare code adds most to the next training run;
3. document order: document name and paragraph, so neighbouring paragraphs stay together.

The column ``Nr.`` keeps this order, so a coder who sorted by document can sort back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.utils import get_column_letter

from asaqda.io.officefiles import (
    EDIT_FILL,
    clean_text,
    drop_down,
    make_cell,
    print_setup,
    row_height,
    save_workbook,
)

__all__ = [
    "DECISIONS",
    "SHEET",
    "INFO_SHEET",
    "CODES_SHEET",
    "HEADERS",
    "INFO_KEYS",
    "order_suggestions",
    "assign_coders",
    "highlight",
    "evidence_terms",
    "write_review_sheet",
    "write_review_sheets",
    "LOW_SCORE_MARGIN",
    "score_note",
]

#: the values of the drop-down in column ``Entscheidung``
DECISIONS = ("übernehmen", "ablehnen", "anderer Code")
SHEET = "Vorschläge"
INFO_SHEET = "Info"
CODES_SHEET = "Codes"

#: internal column -> header in the sheet (the read-back expects exactly these headers)
HEADERS: dict[str, str] = {
    "nr": "Nr.",
    "document_name": "Dokument",
    "paragraph": "Absatz",
    "text": "Text",
    "code": "Vorgeschlagener Code",
    "score": "Score",
    "method": "Methode",
    "evidence": "Begründung",
    "decision": "Entscheidung",
    "other_code": "Anderer Code",
    "comment": "Kommentar",
    "suggestion_id": "Vorschlags-ID",
}
#: the paragraph's ranking, after the columns the read-back checks (:data:`HEADERS`): rank of
#: the suggested code among the paragraph's calibrated scores and the codes ranked 2nd and 3rd
RANK_HEADERS: dict[str, str] = {
    "rank": "Rang",
    "code_2": "2. Vorschlag",
    "score_2": "Score 2",
    "code_3": "3. Vorschlag",
    "score_3": "Score 3",
}
EDITABLE = ("decision", "other_code", "comment")
_WIDTHS = {
    "nr": 6,
    "document_name": 16,
    "paragraph": 8,
    "text": 80,
    "code": 40,
    "score": 8,
    "method": 13,
    "evidence": 40,
    "decision": 15,
    "other_code": 40,
    "comment": 40,
    "suggestion_id": 18,
    "rank": 6,
    "code_2": 40,
    "score_2": 8,
    "code_3": 40,
    "score_3": 8,
}
#: keys of the Info sheet (Angabe -> Wert)
INFO_KEYS = ("Welle", "Kodierer/in", "Codebuchversion", "Modellversion", "Vorschläge")
#: a shown score this far below the threshold gets a note in ``Begründung``
LOW_SCORE_MARGIN = 0.2
_HIGHLIGHT = InlineFont(b=True, color="C00000")
_RULE = re.compile(r"Regel: ([^;]*)")
_MODEL = re.compile(r"Modell: ([^;]*)")
_ORDER_NOTE = (
    "Reihenfolge: zuerst die unsichersten Vorschläge (Score nahe 0,5), darin seltene Codes "
    "zuerst (wenige kodierte Beispiele), dann nach Dokument und Absatz. Die Spalte Nr. "
    "stellt diese Reihenfolge nach eigenem Sortieren wieder her."
)
_HOWTO = (
    "Bitte je Zeile in 'Entscheidung' übernehmen, ablehnen oder anderer Code wählen; bei "
    "'anderer Code' den passenden Code in 'Anderer Code' wählen. Kommentar freiwillig. "
    "Leere Entscheidungen bleiben offen. Die ausgefüllte Datei unter "
    "<Eingabeordner>/<Welle>/review/ ablegen; die anderen Spalten bitte nicht ändern "
    "(das Blatt ist zum Sortieren und Filtern nicht geschützt; geänderte Zeilen werden beim "
    "Einlesen gemeldet und nicht übernommen)."
)


def _score_text(threshold: float) -> str:
    """The Info sheet's explanation of the score (German)."""
    t = f"{threshold:.2f}".replace(".", ",")
    low = f"{max(threshold - LOW_SCORE_MARGIN, 0):.2f}".replace(".", ",")
    return (
        "Der Score (0 bis 1) schätzt, wie wahrscheinlich der vorgeschlagene Code zum Absatz "
        "passt. Er verbindet die Regeln des Kodierleitfadens (Suchbegriffe) und ein an den "
        "kodierten Interviews trainiertes Modell und ist an zurückgehaltenen, von Menschen "
        "kodierten Dokumenten geeicht: von 100 Vorschlägen mit Score 0,8 trafen dort etwa 80 "
        f"zu. Vorgeschlagen wird ein Code, wenn dieser geeichte Score die Schwelle {t} "
        "erreicht; angezeigt wird derselbe Wert, der entschieden hat. Liegt ein Score "
        f"dennoch deutlich darunter (unter {low}, etwa nach einer geänderten Schwelle), steht "
        "der Grund in der Spalte Begründung; bitte besonders kritisch prüfen. Die Spalte "
        "Methode sagt, ob Regel, "
        "Modell oder beide den Code vorschlagen."
    )


def score_note(score: float, threshold: float) -> str:
    """The note for ``Begründung`` when ``score`` lies more than :data:`LOW_SCORE_MARGIN`
    below ``threshold`` (German), otherwise ``""``."""
    if score >= threshold - LOW_SCORE_MARGIN:
        return ""
    return (
        f"Score weit unter der Schwelle {threshold:.2f}".replace(".", ",")
        + ": solche Vorschläge trafen an den zurückgehaltenen Dokumenten selten zu, bitte "
        "kritisch prüfen."
    )


def order_suggestions(suggestions: pd.DataFrame, examples: Mapping[str, int]) -> pd.DataFrame:
    """Sort suggestions for review (see the module docstring) and number them in ``nr``.

    Parameters
    ----------
    suggestions
        Rows of ``suggestions.parquet``.
    examples
        Code -> number of human-coded example paragraphs (the pre-coder's quality gate).
    """
    out = suggestions.assign(
        _band=np.floor((suggestions["score"].astype(float) - 0.5).abs() * 10).astype(int),
        _examples=suggestions["code"].map(lambda c: int(examples.get(c, 0))),
    )
    out = out.sort_values(
        ["_band", "_examples", "code", "document_name", "paragraph"], kind="mergesort"
    )
    out = out.drop(columns=["_band", "_examples"]).reset_index(drop=True)
    out.insert(0, "nr", np.arange(1, len(out) + 1))
    return out


def assign_coders(
    suggestions: pd.DataFrame, coders: Sequence[str], overlap: float = 0.0
) -> pd.DataFrame:
    """Give every document's suggestions to one coder, a share of documents to all coders.

    Documents go, largest first, to the coder with the fewest suggestions so far (ties: the
    first coder in the list), so the sheets are about equally long. The first
    ``ceil(overlap * documents)`` documents in the order of their ids (a content hash, so a
    spread over the wave) go to every coder: their decisions show whether coders agree.

    Returns the suggestions with a column ``coder``; overlap documents appear once per coder.
    """
    if not coders:
        raise ValueError(
            "review.coders ist leer: mindestens eine Kodiererin oder einen Kodierer in der "
            "Konfiguration nennen"
        )
    if suggestions.empty:
        return suggestions.assign(coder=pd.Series(dtype="object"))
    sizes = suggestions.groupby("doc_id").size()
    docs = sorted(sizes.index)
    n_shared = int(np.ceil(overlap * len(docs))) if len(coders) > 1 else 0
    shared = set(docs[:n_shared])
    load = dict.fromkeys(coders, 0)
    owner: dict[str, list[str]] = {d: list(coders) for d in shared}
    for doc in sorted((d for d in docs if d not in shared), key=lambda d: (-sizes[d], d)):
        coder = min(coders, key=lambda c: (load[c], coders.index(c)))
        owner[doc] = [coder]
        load[coder] += int(sizes[doc])
    pairs = pd.DataFrame(
        [(d, c) for d, cs in owner.items() for c in cs], columns=["doc_id", "coder"]
    )
    return suggestions.merge(pairs, on="doc_id", how="inner")


def evidence_terms(evidence: str) -> list[str]:
    """The words and phrases named in a suggestion's ``evidence`` (rule hits, model terms)."""
    terms: list[str] = []
    for m in _RULE.finditer(evidence or ""):
        terms += [t.strip() for t in m.group(1).split("|")]
    for m in _MODEL.finditer(evidence or ""):
        terms += [t.strip() for t in m.group(1).split(",")]
    return sorted({t for t in terms if len(t) > 1}, key=lambda t: (-len(t), t))


def highlight(text: str, terms: Sequence[str]) -> CellRichText | str:
    """The text with every occurrence of ``terms`` (case-insensitive, whole words) in bold
    dark red; plain text when no term occurs."""
    text = clean_text(text)
    spans: list[tuple[int, int]] = []
    for term in terms:
        pattern = re.compile(rf"(?<!\w){re.escape(term)}(?!\w)", re.IGNORECASE)
        spans += [(m.start(), m.end()) for m in pattern.finditer(text)]
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts: list[str | TextBlock] = []
    pos = 0
    for start, end in merged:
        if start > pos:
            parts.append(text[pos:start])
        parts.append(TextBlock(_HIGHLIGHT, text[start:end]))
        pos = end
    if pos < len(text):
        parts.append(text[pos:])
    return CellRichText(parts)


def write_review_sheet(
    path: Path,
    rows: pd.DataFrame,
    *,
    wave: str,
    coder: str,
    codes: Sequence[str],
    codebook_version: str,
    model_version: str,
    threshold: float = 0.5,
) -> Path:
    """Write one coder's review sheet.

    Parameters
    ----------
    rows
        Ordered suggestions (:func:`order_suggestions`) with the paragraph ``text``.
    codes
        Codes offered in the drop-down ``Anderer Code``.
    threshold
        The pre-coder's decision threshold (``precode.threshold``), explained on the Info
        sheet; far lower scores get a note (:func:`score_note`).
    """
    wb = Workbook(write_only=True)
    wb.properties.creator = "asaqda"
    ws = wb.create_sheet(SHEET)
    cols = list(HEADERS) + list(RANK_HEADERS)
    headers = HEADERS | RANK_HEADERS
    for i, col in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS[col]
    ws.freeze_panes = "B2"
    last = max(2, len(rows) + 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{last}"
    letter = {c: get_column_letter(i) for i, c in enumerate(cols, start=1)}
    drop_down(
        ws,
        '"' + ",".join(DECISIONS) + '"',
        f"{letter['decision']}2:{letter['decision']}{last}",
        "Entscheidung",
        "Bitte übernehmen, ablehnen oder anderer Code wählen.",
    )
    drop_down(
        ws,
        f"'{CODES_SHEET}'!$A$2:$A${len(codes) + 1}",
        f"{letter['other_code']}2:{letter['other_code']}{last}",
        "Anderer Code",
        "Bitte einen Code aus dem Kodierleitfaden wählen.",
    )
    print_setup(ws)
    ws.row_dimensions[1].height = 30
    ws.append([make_cell(ws, headers[c], bold=True, wrap=True) for c in cols])
    wrap = {"text", "evidence", "comment"}
    for row_no, rec in enumerate(rows.itertuples(index=False), start=2):
        note = score_note(float(rec.score), threshold)
        evidence = f"{note} {rec.evidence}".strip() if note else rec.evidence
        values = {
            "nr": rec.nr,
            "document_name": rec.document_name,
            "paragraph": rec.paragraph,
            "text": highlight(rec.text, evidence_terms(rec.evidence)),
            "code": rec.code,
            "score": rec.score,
            "method": rec.method,
            "evidence": evidence,
            "decision": None,
            "other_code": None,
            "comment": None,
            "suggestion_id": rec.suggestion_id,
        } | {c: getattr(rec, c, None) for c in RANK_HEADERS}
        ws.row_dimensions[row_no].height = row_height(
            {_WIDTHS["text"]: str(rec.text), _WIDTHS["evidence"]: str(evidence)}
        )
        ws.append(
            [
                make_cell(
                    ws,
                    values[c],
                    wrap=c in wrap,
                    locked=c not in EDITABLE,
                    fill=EDIT_FILL if c in EDITABLE else None,
                )
                for c in cols
            ]
        )
    info = wb.create_sheet(INFO_SHEET)
    info.column_dimensions["A"].width = 18
    info.column_dimensions["B"].width = 100
    info.append([make_cell(info, "Angabe", bold=True), make_cell(info, "Wert", bold=True)])
    values = (wave, coder, codebook_version, model_version, len(rows))
    for key, value in zip(INFO_KEYS, values, strict=True):
        info.append([make_cell(info, key), make_cell(info, value)])
    info.append([make_cell(info, "Score"), make_cell(info, _score_text(threshold), wrap=True)])
    info.append([make_cell(info, "Reihenfolge"), make_cell(info, _ORDER_NOTE, wrap=True)])
    info.append([make_cell(info, "Anleitung"), make_cell(info, _HOWTO, wrap=True)])
    info.protection.sheet = True
    code_ws = wb.create_sheet(CODES_SHEET)
    code_ws.sheet_state = "hidden"
    code_ws.append([make_cell(code_ws, "Code", bold=True)])
    for code in codes:
        code_ws.append([make_cell(code_ws, code)])
    code_ws.protection.sheet = True
    return save_workbook(wb, path)


def write_review_sheets(
    out_dir: Path,
    suggestions: pd.DataFrame,
    paragraphs: pd.DataFrame,
    *,
    wave: str,
    coders: Sequence[str],
    overlap: float,
    examples: Mapping[str, int],
    codes: Sequence[str],
    codebook_version: str,
    model_version: str,
    threshold: float = 0.5,
) -> dict[str, Path]:
    """Write ``{coder}.xlsx`` for every coder with open suggestions in this wave.

    Returns coder -> path. Nothing is written for a wave without open suggestions.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if suggestions.empty:
        return {}
    rows = suggestions.merge(
        paragraphs[["doc_id", "paragraph", "text"]], on=["doc_id", "paragraph"], how="left"
    )
    rows["text"] = rows["text"].fillna("")
    assigned = assign_coders(rows, coders, overlap)
    paths: dict[str, Path] = {}
    for coder in coders:
        mine = assigned[assigned["coder"] == coder]
        if mine.empty:
            continue
        paths[coder] = write_review_sheet(
            out_dir / f"{coder}.xlsx",
            order_suggestions(mine, examples),
            wave=wave,
            coder=coder,
            codes=codes,
            codebook_version=codebook_version,
            model_version=model_version,
            threshold=threshold,
        )
    return paths
