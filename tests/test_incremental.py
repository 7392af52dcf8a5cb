"""Reruns redo only what changed: which jobs Snakemake plans after a new wave or a returned
review sheet, on a finished run whose outputs are stood in by empty files (dry runs only)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

from asaqda.io.officefiles import write_xlsx

from .conftest import REPO, make_wave, segment_row

#: the columns the filled-sheet check reads in a candidate sheet
CANDIDATE_HEADER = [
    "Thema",
    "Begriffe (c-TF-IDF)",
    "Oberkategorie",
    "Definition (Entwurf)",
    "Name der Kategorie",
    "Übernehmen",
    "Kommentar",
]
JOB = re.compile(r"^(?:local)?rule (\w+):$")


def plan(inp: Path, out: Path) -> list[tuple[str, str, list[str]]]:
    """The jobs of a dry run in the order Snakemake prints them (rule, wave, outputs)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    cmd = [sys.executable, "-m", "snakemake", "--snakefile", str(REPO / "Snakefile")]
    cmd += ["--directory", str(out), "--config", f"input_dir={inp}", f"output_dir={out}"]
    proc = subprocess.run([*cmd, "--dry-run"], env=env, text=True, capture_output=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    text = proc.stdout
    jobs: list[tuple[str, str, list[str]]] = []
    for line in text.splitlines():
        if m := JOB.match(line):
            jobs.append((m.group(1), "", []))
        elif jobs and line.startswith("    output: "):
            jobs[-1][2].extend(line.removeprefix("    output: ").split(", "))
        elif jobs and line.startswith("    wildcards: wave="):
            jobs[-1] = (jobs[-1][0], line.split("=")[1], jobs[-1][2])
    return jobs


def stand_in(out: Path, jobs: list[tuple[str, str, list[str]]]) -> float:
    """Create every planned output, each job's a second newer than the one before and all newer
    than the inputs; returns the newest time stamp."""
    stamp = time.time() + 60
    for _, _, outputs in jobs:
        stamp += 1
        for name in outputs:
            path = out / name
            if "." not in path.name:  # directory outputs (review/{wave}, figures/portraits)
                path.mkdir(parents=True, exist_ok=True)
            elif path.suffix == ".xlsx":  # readable, with nothing filled in (see review.rescue)
                write_xlsx(path, {"Kandidaten": pd.DataFrame(columns=CANDIDATE_HEADER)})
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.touch()
            os.utime(path, (stamp, stamp))
    return stamp


def wave_jobs(jobs: list[tuple[str, str, list[str]]]) -> dict[str, set[str]]:
    """The per-wave rules planned, by wave."""
    out: dict[str, set[str]] = {}
    for rule, wave, _ in jobs:
        if wave:
            out.setdefault(wave, set()).add(rule)
    return out


PER_WAVE = {
    "import_wave",
    "review_decisions",
    "reviewed_codings",
    "train_precoder",
    "precode_forward",
    "precode_wave",
    "review_sheets",
    "refi_export",
    "datenschutz_wave",
    "inductive_units",
}


def test_incremental_new_wave_leaves_the_earlier_waves_jobs_alone(tmp_path: Path) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    make_wave(inp, "2023-1")
    first = plan(inp, out)
    assert wave_jobs(first) == {"2023-1": PER_WAVE - {"precode_forward"}}
    stand_in(out, first)
    make_wave(inp, "2023-2")
    assert wave_jobs(plan(inp, out)) == {"2023-2": PER_WAVE}


def test_incremental_returned_sheet_of_the_newest_wave_reruns_only_that_wave(
    tmp_path: Path,
) -> None:
    inp, out = tmp_path / "in", tmp_path / "out"
    make_wave(inp, "2023-1")
    make_wave(inp, "2023-2")
    newest = stand_in(out, plan(inp, out))
    row = segment_row("U01_2023-2", "Freistellung > keine", 3, 3, "Nein.")
    sheet = inp / "2023-2" / "review" / "JS.xlsx"
    write_xlsx(sheet, {"Vorschläge": pd.DataFrame([row])})
    os.utime(sheet, (newest + 1, newest + 1))  # returned after the run
    assert wave_jobs(plan(inp, out)) == {
        "2023-2": PER_WAVE - {"import_wave"},
    }
