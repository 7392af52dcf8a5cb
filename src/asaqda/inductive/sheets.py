"""The candidate sheet ``induktiv/{bereich}_kandidaten.xlsx`` and reading it back.

One row per candidate category: size, topic words, stability, the most representative units as
anchor-example candidates with their source, the documents and roles. Researchers fill in four
columns (``Name der Kategorie``, ``Übernehmen``, ``Oberkategorie``, ``Definition (Entwurf)``;
``Kommentar`` is free); everything else is protected (no password). ``asaqda codebook
add-inductive`` reads the marked rows back (:func:`read_candidate_sheet`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from asaqda.errors import InputError, Location, Problem
from asaqda.inductive.topics import TopicResult
from asaqda.io.officefiles import (
    cell_text,
    drop_down,
    make_cell,
    print_setup,
    protect_all_but_unlocked,
    save_workbook,
)

__all__ = [
    "SHEET",
    "UNITS_SHEET",
    "INFO_SHEET",
    "DECISIONS",
    "CandidateSheet",
    "candidate_rows",
    "source_label",
    "paragraph_span",
    "write_candidate_sheet",
    "read_candidate_sheet",
]

SHEET = "Kandidaten"
UNITS_SHEET = "Einheiten"
INFO_SHEET = "Info"
CODES_SHEET = "Codes"
DECISIONS = ("übernehmen", "verwerfen")
EDITABLE = ("name", "entscheidung", "oberkategorie", "definition", "kommentar")


def _headers(examples: int) -> dict[str, str]:
    heads = {
        "nr": "Nr.",
        "thema": "Thema",
        "groesse": "Größe",
        "anteil_prozent": "Anteil %",
        "einschaetzung": "Einschätzung",
        "stabilitaet": "Stabilität",
        "begriffe": "Begriffe (c-TF-IDF)",
    }
    for i in range(1, examples + 1):
        heads[f"beispiel_{i}"] = f"Beispiel {i}"
        heads[f"quelle_{i}"] = f"Quelle {i}"
    heads |= {
        "name": "Name der Kategorie",
        "entscheidung": "Übernehmen",
        "oberkategorie": "Oberkategorie",
        "definition": "Definition (Entwurf)",
        "kommentar": "Kommentar",
        "n_dokumente": "Dokumente",
        "rollen": "Rollen (Dokumente)",
        "wellen": "Wellen (Einheiten)",
        "dokumente": "Dokumentliste",
    }
    return heads | CHECK_HEADERS


#: the columns of the stability and repetition checks, last (sheets written before them have
#: none and are still read)
CHECK_HEADERS = {
    "stabilitaet_teilproben": "Stabilität (Teilproben)",
    "anteil_wiederholt": "Anteil wiederholter Satz",
    "bezug_rest": "Bezug des übrigen Texts",
    "textbaustein": "Textbaustein",
}


_WIDTHS = {
    "nr": 6,
    "thema": 8,
    "groesse": 8,
    "anteil_prozent": 9,
    "einschaetzung": 13,
    "stabilitaet": 10,
    "begriffe": 40,
    "name": 28,
    "entscheidung": 13,
    "oberkategorie": 28,
    "definition": 60,
    "kommentar": 30,
    "n_dokumente": 11,
    "rollen": 30,
    "wellen": 30,
    "dokumente": 50,
    "stabilitaet_teilproben": 12,
    "anteil_wiederholt": 12,
    "bezug_rest": 12,
    "textbaustein": 12,
}
_HOWTO = (
    "Jede Zeile ist ein Kandidat für eine induktive Kategorie: Absätze, die keine Kategorie "
    "des Kodierleitfadens trifft und die das Themenmodell (BERTopic) zusammen gruppiert. "
    "Größe = Einheiten im Thema; Stabilität = wie genau sich dieselben Einheiten bei anderen "
    "Startwerten wieder zu einem Thema fügen (1 = immer); Stabilität (Teilproben) = wie genau "
    "es sich wiederfindet, wenn das Modell auf Teilproben der Einheiten neu geschätzt wird. "
    "Einschätzung nach der kleineren der beiden: robust ab 0,75, mittel ab 0,5, sonst "
    "instabil. 'Textbaustein' heißt: ein Satz steht wortgleich in mindestens der Hälfte der "
    "Einheiten (Anteil wiederholter Satz) und der übrige Text dieser Einheiten hat mit ihm "
    "nicht mehr zu tun als das übrige Material (Bezug des übrigen Texts unter 0,05); solche "
    "Kandidaten sind meist Floskeln oder Smalltalk, kein Thema, und nie 'robust'. "
    "Die Beispiele sind die Einheiten, die dem Themenzentrum am nächsten liegen "
    "(Kandidaten für Ankerbeispiele); das Blatt 'Einheiten' zeigt alle. "
    "Zum Übernehmen: 'Name der Kategorie' eintragen, 'Übernehmen' auf 'übernehmen' setzen, die "
    "'Definition (Entwurf)' überarbeiten und für eine Unterkategorie die 'Oberkategorie' "
    "wählen; dann 'asaqda codebook add-inductive <diese Datei>' ausführen. Spalten nicht "
    "verschieben oder umbenennen."
)
INFO_KEYS = (
    "Bereich",
    "Lauf",
    "Material",
    "Einbettung",
    "Einheiten",
    "Mindestgröße",
    "Startwerte",
    "Teilproben",
    "Stabilität gesamt (ARI)",
    "Codebuchversion",
    "Hinweis",
)


def paragraph_span(paragraph: object, paragraph_end: object) -> str:
    """The paragraphs of a unit as written in sources: ``14`` or ``14–15``; '' without
    paragraph numbers."""
    if pd.isna(paragraph):
        return ""
    first, last = int(paragraph), int(paragraph_end) if not pd.isna(paragraph_end) else None
    return f"{first}–{last}" if last is not None and last != first else f"{first}"


def source_label(document_name: str, paragraph: object, paragraph_end: object) -> str:
    """The source of a quote as the team writes it, with the paragraph: ``(A002_2023-1,
    Abs. 14)``."""
    span = paragraph_span(paragraph, paragraph_end)
    return f"({document_name}, Abs. {span})" if span else f"({document_name})"


def definition_draft(terms: str, parent: str | None) -> str:
    """A first definition for the researcher to rework."""
    words = ", ".join(t for t in terms.split(", ")[:5] if t)
    scope = f"Unterkategorie von {parent}: " if parent else ""
    return f"ENTWURF, bitte überarbeiten. {scope}Äußerungen zum Thema: {words}."


def candidate_rows(result: TopicResult, parent: str | None, examples: int) -> pd.DataFrame:
    """The candidate table of one scope: topic columns, examples with sources and the draft
    definition (tidy: one row per candidate)."""
    rows = []
    for rec in result.topics.itertuples(index=False):
        row = {c: getattr(rec, c) for c in result.topics.columns if c != "beispiele"}
        picked = list(rec.beispiele)
        for i in range(1, examples + 1):
            if i <= len(picked):
                unit = result.units.loc[picked[i - 1]]
                row[f"beispiel_{i}"] = unit["text"]
                row[f"quelle_{i}"] = source_label(
                    unit["document_name"], unit["paragraph"], unit["paragraph_end"]
                )
            else:
                row[f"beispiel_{i}"] = ""
                row[f"quelle_{i}"] = ""
        row["definition"] = definition_draft(rec.begriffe, parent)
        rows.append(row)
    return pd.DataFrame(rows)


def write_candidate_sheet(
    path: Path,
    result: TopicResult,
    candidates: pd.DataFrame,
    *,
    info: dict[str, object],
    parent: str | None,
    codes: Sequence[str],
    examples: int,
) -> Path:
    """Write the candidate sheet of one scope.

    Parameters
    ----------
    candidates
        :func:`candidate_rows` of ``result``.
    info
        Values of the Info sheet (:data:`INFO_KEYS`).
    parent
        Preset ``Oberkategorie`` (the code whose segments were the material), or None.
    codes
        Codebook codes offered in the ``Oberkategorie`` drop-down.
    """
    heads = _headers(examples)
    cols = list(heads)
    wb = Workbook(write_only=True)
    wb.properties.creator = "asaqda"
    ws = wb.create_sheet(SHEET)
    for i, col in enumerate(cols, start=1):
        width = _WIDTHS.get(col, 50 if col.startswith("beispiel") else 24)
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "C2"
    last = max(2, len(candidates) + 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(cols))}{last}"
    letter = {c: get_column_letter(i) for i, c in enumerate(cols, start=1)}
    drop_down(
        ws,
        '"' + ",".join(DECISIONS) + '"',
        f"{letter['entscheidung']}2:{letter['entscheidung']}{last}",
        "Übernehmen",
        "Bitte übernehmen oder verwerfen wählen.",
    )
    if codes:
        drop_down(
            ws,
            f"'{CODES_SHEET}'!$A$2:$A${len(codes) + 1}",
            f"{letter['oberkategorie']}2:{letter['oberkategorie']}{last}",
            "Oberkategorie",
            "Bitte einen Code des Kodierleitfadens wählen oder leer lassen.",
        )
    protect_all_but_unlocked(ws)
    print_setup(ws)
    ws.append([make_cell(ws, heads[c], bold=True) for c in cols])
    wrap = {"begriffe", "definition", "kommentar", "rollen", "wellen", "dokumente"}
    wrap |= {c for c in cols if c.startswith("beispiel")}
    for nr, rec in enumerate(candidates.to_dict("records"), start=1):
        values = {**rec, "nr": nr, "name": None, "entscheidung": None, "kommentar": None}
        values["oberkategorie"] = parent
        ws.append(
            [make_cell(ws, values.get(c), wrap=c in wrap, locked=c not in EDITABLE) for c in cols]
        )
    if not len(candidates) and info.get("Hinweis"):
        ws.append([make_cell(ws, info["Hinweis"])])  # spills over the empty cells beside it
    _units_sheet(wb, result)
    sheet = wb.create_sheet(INFO_SHEET)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    sheet.append([make_cell(sheet, "Angabe", bold=True), make_cell(sheet, "Wert", bold=True)])
    for key in INFO_KEYS:
        sheet.append([make_cell(sheet, key), make_cell(sheet, info.get(key), wrap=True)])
    sheet.append([make_cell(sheet, "Anleitung"), make_cell(sheet, _HOWTO, wrap=True)])
    sheet.protection.sheet = True
    code_ws = wb.create_sheet(CODES_SHEET)
    code_ws.sheet_state = "hidden"
    code_ws.append([make_cell(code_ws, "Code", bold=True)])
    for code in codes:
        code_ws.append([make_cell(code_ws, code)])
    code_ws.protection.sheet = True
    return save_workbook(wb, path)


def _units_sheet(wb: Workbook, result: TopicResult) -> None:
    units = result.units.copy()
    units["order"] = units["thema"].where(units["thema"] >= 0, 10**6)
    units = units.sort_values(["order", "naehe", "unit_id"], ascending=[True, False, True])
    ws = wb.create_sheet(UNITS_SHEET)
    heads = ["Thema", "Nähe", "Welle", "Dokument", "Rolle", "Absatz", "Text"]
    for i, width in enumerate((10, 8, 9, 18, 22, 9, 100), start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:G{max(2, len(units) + 1)}"
    ws.append([make_cell(ws, h, bold=True) for h in heads])
    for rec in units.itertuples(index=False):
        values = [
            int(rec.thema) if rec.thema >= 0 else "ohne Thema",
            rec.naehe,
            rec.wave,
            rec.document_name,
            rec.Rolle,
            paragraph_span(rec.paragraph, rec.paragraph_end),
            rec.text,
        ]
        ws.append([make_cell(ws, v, wrap=i == 6) for i, v in enumerate(values)])


@dataclass
class CandidateSheet:
    """A candidate sheet as read back: its Info values and its candidate rows."""

    file: str
    info: dict[str, str]
    #: internal column names (see :func:`_headers`) plus ``row`` (Excel row number)
    rows: pd.DataFrame


def read_candidate_sheet(path: Path, display: str | None = None) -> CandidateSheet:
    """Read a (filled) candidate sheet.

    Raises
    ------
    InputError
        E018 when the file cannot be read or is not a candidate sheet as the pipeline wrote it
        (missing worksheet, moved or renamed column, no Lauf in the Info sheet).
    """
    display = display or path.name
    fix = (
        "take the sheet the pipeline wrote (reports/induktiv/<bereich>_kandidaten.xlsx), fill "
        "in only the columns Name der Kategorie, Übernehmen, Oberkategorie, Definition and "
        "Kommentar, and save it as .xlsx"
    )
    try:
        wb = CalamineWorkbook.from_path(str(path))
        missing = [s for s in (SHEET, INFO_SHEET) if s not in wb.sheet_names]
        if missing:
            raise InputError(
                Problem(
                    "E018",
                    f"the file has no worksheet '{missing[0]}' (found: "
                    f"{', '.join(wb.sheet_names)}); it is not a candidate sheet",
                    Location(display),
                    fix,
                )
            )
        data = wb.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
        info_rows = wb.get_sheet_by_name(INFO_SHEET).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(
            Problem(
                "E018",
                f"the candidate sheet cannot be read ({type(exc).__name__}: {exc})",
                Location(display),
                fix,
            )
        ) from exc
    info = {cell_text(r[0]): cell_text(r[1]) for r in info_rows[1:] if len(r) >= 2}
    if not info.get("Lauf") or not info.get("Bereich"):
        raise InputError(
            Problem(
                "E018",
                "the Info sheet has no 'Lauf' or 'Bereich'",
                Location(display, INFO_SHEET, None, "Lauf"),
                fix,
            )
        )
    header = [cell_text(v) for v in (data[0] if data else [])]
    examples = sum(1 for h in header if h.startswith("Beispiel "))
    heads = _headers(examples)
    if CHECK_HEADERS["stabilitaet_teilproben"] not in header:  # written before the checks
        heads = {k: v for k, v in heads.items() if k not in CHECK_HEADERS}
    for i, name in enumerate(heads.values()):
        found = header[i] if i < len(header) else ""
        if found != name:
            raise InputError(
                Problem(
                    "E018",
                    f"column {i + 1} is '{found}', expected '{name}'",
                    Location(display, SHEET, 1, name),
                    "do not insert, delete, move or rename columns; " + fix,
                )
            )
    cols = list(heads)
    records = []
    for offset, raw in enumerate(data[1:], start=2):
        values = [cell_text(v) for v in raw[: len(cols)]] + [""] * (len(cols) - len(raw))
        rec = dict(zip(cols, values, strict=True))
        if not rec["thema"]:
            continue
        rec["row"] = offset
        records.append(rec)
    return CandidateSheet(display, info, pd.DataFrame(records, columns=[*cols, "row"]))
