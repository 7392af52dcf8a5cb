"""End to end on the small inputs the README promises: every step runs and says what it could
not compute; a failed rerun marks the stale results instead of hiding or deleting them."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import docx
import pandas as pd
import pytest

from asaqda.io.officefiles import read_csv

from .conftest import REPO, TRANSCRIPT, make_wave, segment_row

pytestmark = pytest.mark.slow
CACHE_VARIABLES = ("MPLCONFIGDIR", "NUMBA_CACHE_DIR", "XDG_CACHE_HOME")

TRAINEE = [
    "Interview A01, Welle 2023-1",
    "I: Wie läuft die Ausbildung?",
    "B: Gut, der Förderunterricht hilft mir sehr bei den Prüfungen.",
]

NVIVO_MAC = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Betriebsinterviews" origin="NVivo for Mac 12.7"
 creatingUserGUID="6a1c1e3c-0000-4000-8000-000000000001">
 <Users><User guid="6a1c1e3c-0000-4000-8000-000000000001" name="Mara Keller"/></Users>
 <CodeBook><Codes>
  <Code guid="7b000000-0000-4000-8000-000000000001" name="Freistellung" isCodable="true">
   <Code guid="7b000000-0000-4000-8000-000000000002" name="keine" isCodable="true"/>
  </Code>
  <Code guid="7b000000-0000-4000-8000-000000000003" name="Kosten" isCodable="true"/>
 </Codes></CodeBook>
 <Sources>
  <TextSource guid="8c000000-0000-4000-8000-000000000001" name="U01_2023-1"
   plainTextPath="internal://8c000000-0000-4000-8000-000000000001.txt">
   <PlainTextSelection guid="9d000000-0000-4000-8000-000000000001" startPosition="{s1}"
    endPosition="{e1}" creatingUser="6a1c1e3c-0000-4000-8000-000000000001">
    <Coding guid="9d000000-0000-4000-8000-000000000002"
     creatingUser="6a1c1e3c-0000-4000-8000-000000000001">
     <CodeRef targetGUID="7b000000-0000-4000-8000-000000000002"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="9d000000-0000-4000-8000-000000000003" startPosition="{s2}"
    endPosition="{e2}" creatingUser="6a1c1e3c-0000-4000-8000-000000000001">
    <Coding guid="9d000000-0000-4000-8000-000000000004"
     creatingUser="6a1c1e3c-0000-4000-8000-000000000001">
     <CodeRef targetGUID="7b000000-0000-4000-8000-000000000003"/></Coding>
   </PlainTextSelection>
  </TextSource>
 </Sources>
</Project>
"""


def write_nvivo_mac_project(path: Path) -> None:
    """A small REFI-QDA project as NVivo for Mac writes it: no variables, no cases, codes
    that are not the codebook's, the text as a member file of the archive."""
    text = "\n".join(line for line in TRANSCRIPT if line) + "\n"
    first, second = "Nein, wir stellen nicht frei.", "Jede Stunde kostet uns Geld."
    s1, s2 = text.index(first), text.index(second)
    xml = NVIVO_MAC.format(s1=s1, e1=s1 + len(first), s2=s2, e2=s2 + len(second))
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", xml)
        zf.writestr("sources/8c000000-0000-4000-8000-000000000001.txt", text)


def no_transcripts(root: Path) -> None:
    make_wave(root, transcripts={})


def no_variables(root: Path) -> None:
    make_wave(root, variables=[])


def single_wave(root: Path) -> None:
    rows = [
        segment_row("U01_2023-1", "Freistellung > keine", 3, 3, "Nein, wir stellen nicht frei."),
        segment_row(
            "A01_2023-1",
            "Unterstützung > Förderunterricht",
            3,
            3,
            "=SUM(A1) Gut, der Förderunterricht hilft mir sehr bei den Prüfungen.",
            Dokumentgruppe="Auszubildende",
        ),
    ]
    variables = [
        {
            "Dokumentgruppe": "Betriebe",
            "Dokumentname": "U01_2023-1",
            "Welle": "2023-1",
            "Person": "U01",
            "Rolle": "Ausbildungsbetrieb",
            "Betrieb": "U01",
        },
        {
            "Dokumentgruppe": "Auszubildende",
            "Dokumentname": "A01_2023-1",
            "Welle": "2023-1",
            "Person": "A01",
            "Rolle": "Auszubildende",
            "Betrieb": "U01",
            "Panel": "ja",
            "Panelwelle": 1,
            "WAS": 7,
        },
    ]
    transcripts = {"U01_2023-1": TRANSCRIPT, "A01_2023-1": TRAINEE}
    make_wave(root, rows=rows, variables=variables, transcripts=transcripts)


def single_coded_document(root: Path) -> None:
    make_wave(root)
    later = {
        "Dokumentgruppe": "Betriebe",
        "Dokumentname": "U01_2024-1",
        "Welle": "2024-1",
        "Person": "U01",
        "Rolle": "Ausbildungsbetrieb",
        "Betrieb": "U01",
    }
    make_wave(root, "2024-1", rows=[], variables=[later], transcripts={"U01_2024-1": TRANSCRIPT})


def nvivo_mac(root: Path) -> None:
    write_nvivo_mac_project(root / "2023-1" / "Betriebsinterviews.qdpx")


def variables_only(root: Path) -> None:
    make_wave(root, rows=[], transcripts={})


def asaqda_run(inp: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """``asaqda run`` with a private, empty ``$HOME`` (nothing may be cached there)."""
    home = out.parent / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k not in CACHE_VARIABLES}
    return subprocess.run(
        [sys.executable, "-m", "asaqda.cli", "run", "--input", str(inp), "--output", str(out)],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**env, "HOME": str(home)},
        check=False,
    )


def report_text(out: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(out / "bericht.docx")).paragraphs)


# input, coded segments counted for `Freistellung > keine` (documents), a sentence the
# report must say because something could not be computed
CASES: dict[str, tuple[Callable[[Path], None], int, str]] = {
    "no_transcripts": (no_transcripts, 1, "Nicht berechnet: keine Panel-Interviews"),
    "no_variables": (no_variables, 1, "Nicht berechnet: keine kodierten Interviews mit der Rolle"),
    "single_coded_document": (single_coded_document, 1, "Nicht berechnet: keine Panel-Interviews"),
    "nvivo_mac": (nvivo_mac, 1, "Rollen unbekannt (keine Dokumentvariable Rolle)"),
    "variables_only": (variables_only, 0, "0 kodierte Segmente gingen in die Auswertung ein"),
}


def assert_complete(result: subprocess.CompletedProcess[str], out: Path, n_docs: int, says: str):
    """The run succeeded, wrote the report, all results are current, nothing cached in $HOME."""
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "Fertig: alle Ergebnisse" in result.stderr
    assert (out / "bericht.docx").exists() and (out / "bericht.html").exists()
    status = read_csv(out / "laufstatus.csv")
    assert set(status["stand"]) == {"aktuell"}
    freq = read_csv(out / "tables" / "codehaeufigkeiten.csv")
    keine = freq[freq["code"] == "Freistellung > keine"]
    assert int(keine["dokumente"].sum()) == n_docs
    assert says in report_text(out)
    assert list((out.parent / "home").iterdir()) == []  # no cache in $HOME
    assert (out / ".cache" / "matplotlib").is_dir()


@pytest.mark.parametrize("case", sorted(CASES))
def test_pipeline_runs_end_to_end_on_small_inputs(tmp_path: Path, case: str) -> None:
    build, n_docs, says = CASES[case]
    inp, out = tmp_path / "in", tmp_path / "out"
    build(inp)
    assert_complete(asaqda_run(inp, out), out, n_docs, says)


@pytest.fixture(scope="module")
def single_wave_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One wave, one company and one panel trainee, a segment starting with '=SUM(A1)'."""
    base = tmp_path_factory.mktemp("single_wave")
    inp, out = base / "in", base / "out"
    single_wave(inp)
    assert_complete(asaqda_run(inp, out), out, 1, "Das Panel umfasst 1 Auszubildende")
    return inp, out


def test_pipeline_csv_outputs_neutralise_a_planted_formula(single_wave_run) -> None:
    _, out = single_wave_run
    planted = "=SUM(A1) Gut, der Förderunterricht hilft mir sehr bei den Prüfungen."
    hits = []
    for path in sorted(out.rglob("*.csv")):
        if path.stat().st_size <= 1:  # a table without columns
            continue
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        for col in raw.columns:
            cells = raw[col].tolist()
            assert planted not in cells, f"{path.relative_to(out)}: {col}"
            hits += [path.relative_to(out).as_posix() for c in cells if c == "'" + planted]
    assert hits, "the planted segment is in no CSV at all"
    codings = pd.read_parquet(out / "interim" / "corpus" / "codings.parquet")
    assert planted in set(codings["segment"])  # Parquet keeps the text unchanged


def test_pipeline_failed_rerun_keeps_and_marks_the_last_good_results(single_wave_run) -> None:
    inp, out = single_wave_run  # runs last in this module: it breaks the input
    good = (out / "bericht.docx").read_bytes()
    (inp / "2023-1" / "leer.csv").write_bytes(b"")  # E004 stops the wave's import
    result = asaqda_run(inp, out)
    assert result.returncode == 1
    assert "[E004]" in result.stderr and "Traceback" not in result.stderr
    assert (
        "  - Import einer Welle (import_wave) [2023-1]: Protokoll "
        f"{out / 'logs' / 'import_wave' / '2023-1.log'}"
    ) in result.stderr
    assert (out / "bericht.docx").read_bytes() == good  # kept, not deleted
    status = read_csv(out / "laufstatus.csv").set_index("datei")["stand"]
    assert status["interim/2023-1/codings.parquet"] == "fehlt"
    assert status["tables/codehaeufigkeiten.csv"] == "veraltet"
    assert status["bericht.docx"] == "veraltet"
    assert status["codebook/kodierleitfaden.docx"] == "aktuell"
    assert "Ergebnisse veraltet" in result.stderr
