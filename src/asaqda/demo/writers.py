"""Write a generated corpus in the real MAXQDA export formats, one variant per wave.

Variants (cycled over the waves, so the demo exercises every reader path):

0. German headers, .xlsx (MAXQDA 24: document variables and 'Other codes assigned to segment'
   appended), dates as German strings; variables as German .xlsx.
1. English headers, .csv with ',' and UTF-8 BOM; variables as English .csv.
2. German headers, .csv with ';' without BOM, code paths with backslashes and 'Autor'
   (MAXQDA 12); variables .xlsx.
3. German .xlsx split into one file per coder, dates as Excel dates.

The last wave has transcripts and variables only (uncoded, for pre-coding).
"""

from __future__ import annotations

import csv
import random
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from asaqda.demo.generator import (
    SECOND_CODING_GROUP,
    DemoInterview,
    Scale,
    coding_dates,
    generate_corpus,
)
from asaqda.io.officefiles import save_docx, write_xlsx
from asaqda.io.variables import KNOWN_VARIABLES

__all__ = ["write_demo", "write_transcript", "SEGMENT_HEADERS_DE", "SEGMENT_HEADERS_EN"]

SEGMENT_HEADERS_DE = [
    "Farbe",
    "Kommentar",
    "Dokumentgruppe",
    "Dokumentname",
    "Code",
    "Anfang",
    "Ende",
    "Gewicht",
    "Segment",
    "Bearbeitet von",
    "Bearbeitet am",
    "Erstellt von",
    "Erstellt am",
    "Fläche",
    "Abdeckungsgrad %",
]
SEGMENT_HEADERS_EN = [
    "Color",
    "Comment",
    "Document group",
    "Document name",
    "Code",
    "Beginning",
    "End",
    "Weight score",
    "Segment",
    "Modified by",
    "Modified",
    "Created by",
    "Created",
    "Area",
    "Coverage %",
]
VARIABLES = list(KNOWN_VARIABLES)
_COLORS = ["#FF0000", "#00A000", "#0000FF", "#FF9900", "#990099", "#009999"]


def write_transcript(path: Path, paragraphs: Iterable[str]) -> Path:
    """Write a transcript as .docx (one Word paragraph per transcript paragraph) or .txt."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".txt":
        path.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
        return path
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    return save_docx(document, path)


def _segment_rows(
    interviews: list[DemoInterview],
    rng: random.Random,
    wave: str,
    excel_dates: bool,
    backslash: bool,
) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for iv in interviews:
        if not iv.coded:
            continue
        total = sum(len(p) for p in iv.paragraphs)
        dates = coding_dates(rng, wave, len(iv.codings))
        by_para: dict[tuple[int, int], list[str]] = {}
        for c in iv.codings:
            by_para.setdefault((c.begin, c.end), []).append(c.code)
        for c, created in zip(iv.codings, dates, strict=True):
            code = c.code.replace(" > ", "\\") if backslash else c.code
            when: Any = created if excel_dates else created.strftime("%d.%m.%Y %H:%M")
            others = [o for o in by_para[(c.begin, c.end)] if o != c.code]
            rows.append(
                {
                    "color": _COLORS[len(c.code.split(" > ")[0]) % len(_COLORS)],
                    "comment": c.comment,
                    "group": iv.group,
                    "name": iv.name,
                    "code": code,
                    "begin": c.begin,
                    "end": c.end,
                    "weight": c.weight,
                    "segment": c.segment,
                    "modified_by": iv.coder,
                    "modified": when,
                    "created_by": iv.coder,
                    "created": when,
                    "area": len(c.segment),
                    "coverage": round(100 * len(c.segment) / total, 2),
                    "_others": ", ".join(others),
                    "_vars": iv.variables,
                }
            )
    return rows


def _frame(rows: list[dict[str, Any]], headers: list[str], *, extras: bool) -> pd.DataFrame:
    keys = [
        "color",
        "comment",
        "group",
        "name",
        "code",
        "begin",
        "end",
        "weight",
        "segment",
        "modified_by",
        "modified",
        "created_by",
        "created",
        "area",
        "coverage",
    ]
    frame = pd.DataFrame([[r[k] for k in keys] for r in rows], columns=headers)
    if extras:
        frame["Other codes assigned to segment"] = [r["_others"] for r in rows]
        frame["Rolle"] = [r["_vars"]["Rolle"] for r in rows]
        frame["Betrieb"] = [r["_vars"]["Betrieb"] for r in rows]
    return frame


def _variables_frame(interviews: list[DemoInterview], english: bool) -> pd.DataFrame:
    head = ["Document group", "Document name"] if english else ["Dokumentgruppe", "Dokumentname"]
    rows = [[iv.group, iv.name] + [iv.variables.get(v) for v in VARIABLES] for iv in interviews]
    frame = pd.DataFrame(rows, columns=head + VARIABLES)
    frame["Panelwelle"] = frame["Panelwelle"].astype("Int64")
    return frame


def _write_csv(path: Path, frame: pd.DataFrame, sep: str, bom: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(
        path,
        sep=sep,
        index=False,
        encoding="utf-8-sig" if bom else "utf-8",
        lineterminator="\r\n",
        quoting=csv.QUOTE_MINIMAL,
    )


def write_demo(
    out_dir: Path, scale: Scale = "demo", seed: int = 2024, transcript_format: str = ".docx"
) -> dict[str, int]:
    """Generate a corpus and write it as MAXQDA exports plus transcripts into ``out_dir``.

    The folder is replaced whole. Returns counts (waves, interviews, codings).
    """
    interviews = generate_corpus(scale, seed)
    if out_dir.exists():
        shutil.rmtree(out_dir)
    rng = random.Random(seed + 1)
    waves = sorted({iv.wave for iv in interviews})
    for w_idx, wave in enumerate(waves):
        wave_dir = out_dir / wave
        items = [iv for iv in interviews if iv.wave == wave]
        for iv in items:
            path = wave_dir / "Transkripte" / f"{iv.name}{transcript_format}"
            if not path.exists():  # an intercoder copy shares its original's transcript
                write_transcript(path, iv.paragraphs)
        uncoded = all(not iv.coded for iv in items)
        variant = w_idx % 4
        english = variant == 1 and not uncoded
        variables = _variables_frame(items, english)
        if english:
            _write_csv(wave_dir / f"Dokumentvariablen_{wave}.csv", variables, ",", True)
        else:
            write_xlsx(
                wave_dir / f"Dokumentvariablen_{wave}.xlsx", {"Dokumentvariablen": variables}
            )
        if uncoded:
            continue
        rows = _segment_rows(items, rng, wave, excel_dates=variant == 3, backslash=variant == 2)
        if variant == 0:
            write_xlsx(
                wave_dir / f"Codierte_Segmente_{wave}.xlsx",
                {"Codierte Segmente": _frame(rows, SEGMENT_HEADERS_DE, extras=True)},
            )
        elif variant == 1:
            _write_csv(
                wave_dir / f"Coded_segments_{wave}.csv",
                _frame(rows, SEGMENT_HEADERS_EN, extras=False),
                ",",
                True,
            )
        elif variant == 2:
            headers = [("Autor" if h == "Erstellt von" else h) for h in SEGMENT_HEADERS_DE]
            _write_csv(
                wave_dir / f"Segmente_{wave}.csv", _frame(rows, headers, extras=False), ";", False
            )
        else:
            frame = _frame(rows, SEGMENT_HEADERS_DE, extras=False)
            for coder, part in frame.groupby("Erstellt von", sort=True):
                write_xlsx(
                    wave_dir / f"Codierte_Segmente_{wave}_{coder}.xlsx",
                    {"Codierte Segmente": part.reset_index(drop=True)},
                )
    second = [iv for iv in interviews if iv.group == SECOND_CODING_GROUP]
    return {
        "waves": len(waves),
        "interviews": len(interviews) - len(second),
        "second_codings": len(second),
        "codings": sum(len(iv.codings) for iv in interviews if iv.group != SECOND_CODING_GROUP),
    }
