"""Read filled review sheets back: validate every decision, keep the valid ones, list the rest.

The sheets in ``<input>/<wave>/review/`` are the record of the coders' decisions: the decision
table is computed from all of them on every run, so reading the same sheet again changes
nothing, and no decision is ever lost by a rerun. What the pipeline cannot trust is not
applied and is listed in the conflict table (``review/konflikte.*``) instead:

* an unknown value in ``Entscheidung`` or ``Anderer Code``,
* a row whose document, paragraph, code or text no longer matches the suggestion or corpus,
* a suggestion decided twice by the same coder with different decisions,
* two coders who decided the same suggestion differently (not resolved silently).

Each decision keeps the score its sheet showed (column ``Score``, :func:`shown_score`), so the
acceptance per score band can be computed (:mod:`asaqda.review.acceptance`).

A sheet that cannot be read at all (broken file, missing sheet, changed header, wrong wave) is
rejected whole with an error (E015, E016) and nothing of the wave's decisions is written.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from python_calamine import CalamineError, CalamineWorkbook

from asaqda.codebook import Codebook, closest_code
from asaqda.errors import InputError, Location, Problem
from asaqda.io.officefiles import cell_text, clean_text
from asaqda.precode.ids import suggestion_id
from asaqda.review.sheets import DECISIONS, HEADERS, INFO_SHEET, SHEET

__all__ = [
    "ReviewSheet",
    "DECISION_COLUMNS",
    "PROBLEM_COLUMNS",
    "read_review_sheet",
    "validate_decisions",
    "shown_score",
    "decided_keys",
    "accepted_codings",
    "suggestion_id",
]

DECISION_COLUMNS = [
    "suggestion_id",
    "wave",
    "doc_id",
    "document_name",
    "paragraph",
    "code",
    "score",
    "decision",
    "other_code",
    "comment",
    "coder",
    "date",
    "codebook_version",
    "model_version",
    "source_file",
    "source_row",
]
PROBLEM_COLUMNS = [
    "welle",
    "datei",
    "zeile",
    "spalte",
    "vorschlags_id",
    "kodierende",
    "problem",
    "hinweis",
]
_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>([^<]*)</dcterms:modified>")


@dataclass
class ReviewSheet:
    """One filled review sheet: its Info values and the rows a coder filled in."""

    file: str
    wave: str
    coder: str
    codebook_version: str
    model_version: str
    date: str
    rows: pd.DataFrame  # internal column names (HEADERS), plus ``row`` (Excel row number)


def _saved_date(path: Path) -> str:
    """The date Excel stamped when the coder saved the sheet (docProps/core.xml), or ''."""
    try:
        with zipfile.ZipFile(path) as zf:
            core = zf.read("docProps/core.xml")
    except (KeyError, zipfile.BadZipFile, OSError):
        return ""
    m = _MODIFIED.search(core)
    return m.group(1).decode()[:10] if m else ""


def shown_score(value: object) -> float:
    """The score a review sheet showed for a suggestion, read back from its ``Score`` cell.

    Parameters
    ----------
    value
        the cell as read back (:func:`asaqda.io.officefiles.cell_text`): ``'0.734'``, or
        ``'0,734'`` where a coder retyped it in German Excel

    Returns
    -------
    float
        the score, or NaN when the cell is empty, not a number or outside 0 to 1 (the
        decision still counts; only the acceptance by score band leaves it out)
    """
    text = str(value).strip().replace(",", ".") if value is not None else ""
    try:
        score = float(text)
    except ValueError:
        return float("nan")
    return score if 0.0 <= score <= 1.0 else float("nan")


def read_review_sheet(path: Path, display: str, wave: str) -> ReviewSheet:
    """Read one filled review sheet.

    Raises
    ------
    InputError
        E015 when the file cannot be read, E016 when it is not a review sheet of this wave
        (missing sheet, changed header, other wave): the whole sheet is rejected.
    """
    fix_new = (
        "den von der Pipeline geschriebenen Prüfbogen nehmen "
        "(reports/review/<welle>/<kodierer>.xlsx), "
        "die Entscheidungen erneut eintragen oder den geänderten Teil wiederherstellen und "
        "diese Datei ersetzen"
    )
    try:
        wb = CalamineWorkbook.from_path(str(path))
        names = wb.sheet_names
        missing = [s for s in (SHEET, INFO_SHEET) if s not in names]
        if missing:
            raise InputError(
                Problem(
                    "E016",
                    f"der Prüfbogen hat kein Tabellenblatt '{missing[0]}' "
                    f"(gefunden: {', '.join(names)})",
                    Location(display),
                    fix_new,
                )
            )
        data = wb.get_sheet_by_name(SHEET).to_python(skip_empty_area=False)
        info = wb.get_sheet_by_name(INFO_SHEET).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(
            Problem(
                "E015",
                f"der Prüfbogen kann nicht gelesen werden ({type(exc).__name__}: {exc})",
                Location(display),
                "ihn in Excel öffnen, prüfen, ob er unversehrt ist, und erneut als .xlsx "
                "(Excel-Arbeitsmappe) speichern, oder " + fix_new,
            )
        ) from exc
    expected = list(HEADERS.values())
    header = [cell_text(v) for v in (data[0] if data else [])]
    for i, name in enumerate(expected):
        found = header[i] if i < len(header) else ""
        if found != name:
            raise InputError(
                Problem(
                    "E016",
                    f"Spalte {i + 1} des Prüfbogens ist '{found}', erwartet wird '{name}'",
                    Location(display, SHEET, 1, name),
                    "keine Spalten einfügen, löschen, verschieben oder umbenennen; " + fix_new,
                )
            )
    meta = {cell_text(r[0]): cell_text(r[1]) for r in info[1:] if len(r) >= 2}
    for key in ("Welle", "Kodierer/in"):
        if not meta.get(key):
            raise InputError(
                Problem(
                    "E016",
                    f"im Blatt '{INFO_SHEET}' fehlt ein Wert für '{key}'",
                    Location(display, INFO_SHEET, None, key),
                    fix_new,
                )
            )
    if meta["Welle"] != wave:
        raise InputError(
            Problem(
                "E016",
                f"der Prüfbogen gehört zur Welle {meta['Welle']}, liegt aber im Ordner der "
                f"Welle {wave}",
                Location(display, INFO_SHEET, None, "Welle"),
                f"die Datei nach <Eingabeordner>/{meta['Welle']}/review/ verschieben",
            )
        )
    cols = list(HEADERS)
    records = []
    for offset, raw in enumerate(data[1:], start=2):
        values = [cell_text(v) for v in raw[: len(cols)]] + [""] * (len(cols) - len(raw))
        if not any(values):
            continue
        rec = dict(zip(cols, values, strict=True))
        rec["row"] = offset
        records.append(rec)
    rows = pd.DataFrame(records, columns=[*cols, "row"], dtype="object")
    return ReviewSheet(
        file=display,
        wave=wave,
        coder=meta["Kodierer/in"],
        codebook_version=meta.get("Codebuchversion", ""),
        model_version=meta.get("Modellversion", ""),
        date=_saved_date(path),
        rows=rows,
    )


def validate_decisions(
    sheets: Sequence[ReviewSheet],
    documents: pd.DataFrame,
    paragraphs: pd.DataFrame,
    codebook: Codebook,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check every filled row against the corpus and each other.

    Returns
    -------
    (decisions, problems)
        ``decisions`` (:data:`DECISION_COLUMNS`): one row per decided suggestion that passed
        every check; coders who agree share the row (``coder`` = "JS, MK").
        ``problems`` (:data:`PROBLEM_COLUMNS`): every row that was not applied, and why.
    """
    doc_ids = dict(zip(documents["document_name"], documents["doc_id"], strict=True))
    texts = {
        (d, int(p)): clean_text(t).strip()
        for d, p, t in zip(
            paragraphs["doc_id"], paragraphs["paragraph"], paragraphs["text"], strict=True
        )
    }
    codes = set(codebook.paths)
    problems: list[dict[str, object]] = []
    valid: list[dict[str, object]] = []

    def problem(sheet: ReviewSheet, row: object, col: str, sid: str, what: str, fix: str) -> None:
        problems.append(
            {
                "welle": sheet.wave,
                "datei": sheet.file,
                "zeile": row,
                "spalte": HEADERS.get(col, col),
                "vorschlags_id": sid,
                "kodierende": sheet.coder,
                "problem": what,
                "hinweis": fix,
            }
        )

    for sheet in sheets:
        for rec in sheet.rows.to_dict("records"):
            sid, row = rec["suggestion_id"], rec["row"]
            decision = rec["decision"]
            if not decision:
                if rec["other_code"] or rec["comment"]:
                    problem(
                        sheet,
                        row,
                        "decision",
                        sid,
                        "Anderer Code oder Kommentar ohne Entscheidung",
                        "in 'Entscheidung' übernehmen, ablehnen oder anderer Code wählen",
                    )
                continue
            match = [d for d in DECISIONS if d.casefold() == decision.casefold()]
            if not match:
                problem(
                    sheet,
                    row,
                    "decision",
                    sid,
                    f"unbekannte Entscheidung '{decision}'",
                    "eine der Möglichkeiten der Auswahlliste wählen: " + ", ".join(DECISIONS),
                )
                continue
            decision = match[0]
            doc_id = doc_ids.get(rec["document_name"])
            try:
                paragraph = int(rec["paragraph"])
            except ValueError:
                paragraph = -1
            if doc_id is None or suggestion_id(doc_id, paragraph, rec["code"]) != sid:
                problem(
                    sheet,
                    row,
                    "code",
                    sid,
                    "Dokument, Absatz, Code oder Vorschlags-ID wurde verändert",
                    "die Zeile aus dem vom Programm geschriebenen Prüfbogen wiederherstellen",
                )
                continue
            if texts.get((doc_id, paragraph)) != clean_text(rec["text"]).strip():
                problem(
                    sheet,
                    row,
                    "text",
                    sid,
                    "der Text weicht vom Transkript ab (im Prüfbogen oder im Transkript geändert)",
                    "den Text nicht im Prüfbogen ändern; bei geändertem Transkript den neuen "
                    "Prüfbogen der Welle verwenden",
                )
                continue
            other = rec["other_code"]
            if decision == "anderer Code":
                if other not in codes:
                    near, sim = closest_code(other, codebook.paths) if other else (None, 0.0)
                    near = near if sim >= 0.6 else None
                    problem(
                        sheet,
                        row,
                        "other_code",
                        sid,
                        f"anderer Code '{other}' ist nicht im Kodierleitfaden"
                        if other
                        else "'anderer Code' gewählt, aber kein Code angegeben",
                        f"meinten Sie '{near}'? "
                        if near
                        else "einen Code aus der Auswahlliste in 'Anderer Code' wählen",
                    )
                    continue
            elif other:
                problem(
                    sheet,
                    row,
                    "other_code",
                    sid,
                    f"'{decision}' gewählt und zugleich anderer Code '{other}' angegeben",
                    "entweder 'anderer Code' wählen oder 'Anderer Code' leeren",
                )
                continue
            valid.append(
                {
                    "suggestion_id": sid,
                    "wave": sheet.wave,
                    "doc_id": doc_id,
                    "document_name": rec["document_name"],
                    "paragraph": paragraph,
                    "code": rec["code"],
                    "score": shown_score(rec["score"]),
                    "decision": decision,
                    "other_code": other if decision == "anderer Code" else "",
                    "comment": rec["comment"],
                    "coder": sheet.coder,
                    "date": sheet.date,
                    "codebook_version": sheet.codebook_version,
                    "model_version": sheet.model_version,
                    "source_file": sheet.file,
                    "source_row": int(row),
                    "_sheet": sheet,
                }
            )
    frame = pd.DataFrame(valid, columns=[*DECISION_COLUMNS, "_sheet"])
    decisions = []
    for sid, group in frame.groupby("suggestion_id", sort=True):
        verdicts = group[["decision", "other_code"]].drop_duplicates()
        if len(verdicts) == 1:
            first = group.sort_values(["coder", "source_file", "source_row"]).iloc[0].to_dict()
            first["coder"] = ", ".join(sorted(group["coder"].unique()))
            first["date"] = max(group["date"])
            first["comment"] = " | ".join(c for c in dict.fromkeys(group["comment"]) if c)
            decisions.append(first)
            continue
        same_coder = group["coder"].nunique() == 1
        for rec in group.to_dict("records"):
            others = group[group["source_file"] != rec["source_file"]]
            verdict = rec["decision"] + (f" ({rec['other_code']})" if rec["other_code"] else "")
            problem(
                rec["_sheet"],
                rec["source_row"],
                "decision",
                sid,
                f"{'doppelt entschieden' if same_coder else 'Kodierende uneinig'}: "
                f"'{verdict}' hier, anders in "
                + ", ".join(sorted(set(others["source_file"]) or {rec["source_file"]})),
                "gemeinsam klären und in einem der Prüfbögen ändern (oder die doppelte Datei "
                "entfernen); bis dahin wird keine der Entscheidungen übernommen",
            )
    out = pd.DataFrame(decisions, columns=[*DECISION_COLUMNS, "_sheet"]).drop(columns="_sheet")
    out["paragraph"] = out["paragraph"].astype("int64")
    out["score"] = out["score"].astype("float64")
    out["source_row"] = out["source_row"].astype("int64")
    probs = pd.DataFrame(problems, columns=PROBLEM_COLUMNS)
    probs = probs.sort_values(["datei", "zeile", "spalte"], kind="mergesort").reset_index(drop=True)
    return out.reset_index(drop=True), probs


def decided_keys(decisions: pd.DataFrame) -> set[tuple[str, int, str]]:
    """(doc_id, paragraph, code) that must not be proposed again: every decided code and
    every other code a coder chose instead."""
    keys = set(
        zip(decisions["doc_id"], decisions["paragraph"].astype(int), decisions["code"], strict=True)
    )
    other = decisions[decisions["other_code"].astype(str) != ""]
    keys |= set(
        zip(other["doc_id"], other["paragraph"].astype(int), other["other_code"], strict=True)
    )
    return keys


def accepted_codings(decisions: pd.DataFrame, paragraphs: pd.DataFrame) -> pd.DataFrame:
    """Codings from accepted suggestions (``übernehmen``: the suggested code; ``anderer
    Code``: the code the coder chose), one paragraph each, with their provenance.

    Columns follow ``codings.parquet`` plus ``quelle`` = ``Prüfbogen``; ``extra`` records the
    suggestion id, decision, model and codebook version.
    """
    acc = decisions[decisions["decision"] != "ablehnen"]
    content = paragraphs.set_index(["doc_id", "paragraph"])["content"]
    rows = []
    for r in acc.itertuples(index=False):
        code = r.other_code if r.decision == "anderer Code" else r.code
        rows.append(
            {
                "coding_id": hashlib.sha1(f"review\x1f{r.suggestion_id}".encode()).hexdigest()[:16],
                "doc_id": r.doc_id,
                "wave": r.wave,
                "document_name": r.document_name,
                "code": code,
                "code_raw": code,
                "begin": r.paragraph,
                "end": r.paragraph,
                "weight": 0,
                "segment": content.get((r.doc_id, r.paragraph), ""),
                "coder": r.coder,
                "created": r.date,
                "comment": r.comment or None,
                "text_check": "ok",
                "source_file": r.source_file,
                "source_sheet": SHEET,
                "source_row": r.source_row,
                "quelle": "Prüfbogen",
                "extra": json.dumps(
                    {
                        "vorschlag": r.suggestion_id,
                        "entscheidung": r.decision,
                        "vorgeschlagener_code": r.code,
                        "modellversion": r.model_version,
                        "codebuchversion": r.codebook_version,
                    },
                    ensure_ascii=False,
                    sort_keys=True,
                ),
            }
        )
    return pd.DataFrame(rows)
