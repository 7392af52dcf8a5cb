"""Shared fixtures: paths and small real-format exports written on the fly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from asaqda.demo.writers import SEGMENT_HEADERS_DE, write_transcript
from asaqda.io.officefiles import write_xlsx

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEMO = REPO / "data" / "demo"


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A private copy of the committed demo corpus."""
    target = tmp_path / "input"
    shutil.copytree(DEMO, target)
    return target


TRANSCRIPT = [
    "Interview U01, Welle 2023-1",
    "I: [00:00:10] Stellen Sie frei?",
    "B: Nein, wir stellen nicht frei. Das muss nach Feierabend laufen.",
    "",
    "I: Warum nicht?",
    "B: Jede Stunde kostet uns Geld.",
]


def segment_row(
    name: str, code: str, begin: int, end: int, segment: str, **extra: object
) -> dict[str, object]:
    """One row of a German MAXQDA coded-segments export."""
    row: dict[str, object] = dict.fromkeys(SEGMENT_HEADERS_DE)
    row.update(
        {
            "Dokumentgruppe": "Betriebe",
            "Dokumentname": name,
            "Code": code,
            "Anfang": begin,
            "Ende": end,
            "Gewicht": 0,
            "Segment": segment,
            "Erstellt von": "MK",
            "Erstellt am": "01.03.2023 10:00",
        }
    )
    row.update(extra)
    return row


def make_wave(
    root: Path,
    wave: str = "2023-1",
    rows: list[dict[str, object]] | None = None,
    variables: list[dict[str, object]] | None = None,
    transcripts: dict[str, list[str]] | None = None,
) -> Path:
    """Write a small wave folder: coded segments (xlsx), variables (xlsx), transcripts (docx)."""
    wave_dir = root / wave
    wave_dir.mkdir(parents=True, exist_ok=True)
    if rows is None:
        rows = [
            segment_row(
                "U01_2023-1", "Freistellung > keine", 3, 3, "Nein, wir stellen nicht frei."
            ),
            segment_row(
                "U01_2023-1", "Freistellung > Gründe > Kosten", 5, 5, "Jede Stunde kostet uns Geld."
            ),
        ]
    if rows:
        write_xlsx(wave_dir / "segmente.xlsx", {"Liste": pd.DataFrame(rows)})
    if variables is None:
        variables = [
            {
                "Dokumentgruppe": "Betriebe",
                "Dokumentname": "U01_2023-1",
                "Welle": wave,
                "Person": "U01",
                "Rolle": "Ausbildungsbetrieb",
                "Betrieb": "U01",
            }
        ]
    if variables:
        write_xlsx(wave_dir / "variablen.xlsx", {"Variablen": pd.DataFrame(variables)})
    for name, paragraphs in (
        transcripts if transcripts is not None else {"U01_2023-1": TRANSCRIPT}
    ).items():
        write_transcript(wave_dir / f"{name}.docx", paragraphs)
    return wave_dir


def fake_snakemake_run(monkeypatch: pytest.MonkeyPatch, text: str = "") -> list[dict]:
    """Replace the Snakemake calls of ``asaqda run``: the summary and plan give nothing, and
    each run (or dry run) is recorded as ``{"cmd": [...], **keyword arguments}``, printing
    ``text``."""
    from asaqda import cli

    calls: list[dict] = []

    def fake_run(cmd: list[str], *args: object, **kwargs: object) -> tuple[int, str]:
        calls.append({"cmd": list(cmd), **kwargs})
        return 0, text

    monkeypatch.setattr(cli, "run_streamed", fake_run)
    monkeypatch.setattr(cli, "snakemake_text", lambda *a: "")
    monkeypatch.setattr(cli, "run_status", lambda *a: pd.DataFrame())
    monkeypatch.setattr(cli, "write_run_status", lambda *a: None)
    monkeypatch.setattr(cli, "run_summary_lines", lambda *a: [])
    return calls


#: a MAXQDA code system of another project (REFI-QDA codebook): none of the study's codes
FOREIGN_QDC = """<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="MAXQDA 24 (Release 24.2.0)">
 <Codes>
  <Code guid="C9E3D7E0-4DBF-46E2-96EF-14574ECD3B90" name="Miete" isCodable="true">
   <Description>Aussagen zur Höhe der Miete.</Description>
  </Code>
  <Code guid="C6C1BE73-B4F4-4C2D-91F1-90B73BFC5C25" name="Nachbarschaft" isCodable="true"/>
  <Code guid="D6C1BE73-B4F4-4C2D-91F1-90B73BFC5C26" name="Lärm" isCodable="true"/>
 </Codes>
</CodeBook>"""
FOREIGN_CODES = ["Miete", "Nachbarschaft", "Lärm"]


def foreign_codebook(folder: Path) -> Path:
    """``folder`` made a codebook folder from :data:`FOREIGN_QDC`, as
    ``asaqda codebook import`` writes it."""
    from asaqda.codebook_import import import_codebook
    from asaqda.refi.codes import read_code_system

    qdc = folder.parent / f"{folder.name}.qdc"
    qdc.write_text(FOREIGN_QDC, encoding="utf-8")
    import_codebook(read_code_system(qdc), qdc.name, folder, "2026-12-01")
    return folder
