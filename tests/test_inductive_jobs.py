"""Inductive jobs per scope: which jobs a new wave schedules, and the per-wave tables they read.

The plan is checked with Snakemake dry runs on a tiny input folder whose outputs are planted
(empty files, marked up to date with ``--touch``), so no pipeline step runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from asaqda.inductive.material import MATERIAL_COLUMNS
from asaqda.inductive.sheets import write_candidate_sheet
from asaqda.inductive.topics import TopicParams, fit_topics
from asaqda.stages import checks_step, reviewed_codings_step

from .conftest import REPO, TRANSCRIPT, make_wave, segment_row
from .test_pipeline import job_counts
from .test_review import WAVE, fill, read_back, review_env, write_codebook_json, write_sheets

__all__ = ["review_env"]  # the fixture, imported from the review tests


def _snakemake(inp: Path, out: Path, *args: str) -> str:
    cmd = [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(REPO / "Snakefile"),
        "--cores",
        "1",
        *args,
        "--config",
        f"input_dir={inp}",
        f"output_dir={out}",
    ]
    result = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def _plant_outputs(plan: str, out: Path) -> None:
    """Create every output the plan names: folders for names without a suffix, candidate
    sheets as the pipeline writes them (the rescue check reads them), other files empty."""
    empty = fit_topics(pd.DataFrame(columns=MATERIAL_COLUMNS), [], np.zeros((0, 1)), TopicParams())
    for line in re.findall(r"^\s+output: (.*)$", plan, re.M):
        for name in line.split(", "):
            path = out / name.strip()
            if not path.suffix:
                path.mkdir(parents=True, exist_ok=True)
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.name.endswith("_kandidaten.xlsx"):
                write_candidate_sheet(
                    path, empty, pd.DataFrame(), info={}, parent=None, codes=[], examples=3
                )
            else:
                path.touch()


def test_inductive_a_new_wave_schedules_topics_only_for_itself_and_gesamt(
    tmp_path: Path,
) -> None:
    inp, out = tmp_path / "eingang", tmp_path / "ergebnisse"
    make_wave(inp, "2023-1")
    _plant_outputs(_snakemake(inp, out, "--dry-run"), out)
    _snakemake(inp, out, "--touch")
    assert "Nothing to be done" in _snakemake(inp, out, "--dry-run")
    rows = [
        segment_row("U02_2023-2", "Freistellung > keine", 3, 3, "Nein, wir stellen nicht frei.")
    ]
    variables = [
        {
            "Dokumentgruppe": "Betriebe",
            "Dokumentname": "U02_2023-2",
            "Welle": "2023-2",
            "Person": "U02",
            "Rolle": "Ausbildungsbetrieb",
            "Betrieb": "U02",
        }
    ]
    make_wave(inp, "2023-2", rows=rows, variables=variables, transcripts={"U02_2023-2": TRANSCRIPT})
    plan = _snakemake(inp, out, "--dry-run")
    jobs = job_counts(plan)
    assert jobs["reviewed_codings"] == jobs["inductive_units"] == 1
    assert jobs["inductive_scope"] == 2 and jobs["inductive_overview"] == 1
    scopes = re.findall(r"^\s+wildcards: scope=(\S+)$", plan, re.M)
    waves = re.findall(
        r"^rule inductive_units:\n(?:\s+.*\n)*?\s+wildcards: wave=(\S+)$", plan, re.M
    )
    assert sorted(scopes) == ["2023-2", "gesamt"]
    assert waves == ["2023-2"]


def test_stages_reviewed_codings_are_the_corpus_rows_of_their_wave(
    review_env: dict[str, object],
) -> None:
    path = write_sheets(review_env, ["JS"], 0.0)["JS"]
    inp, out, wave_dir = review_env["inp"], review_env["out"], review_env["wave_dir"]
    assert isinstance(inp, Path) and isinstance(out, Path) and isinstance(wave_dir, Path)
    fill(
        path,
        inp / WAVE / "review" / "JS.xlsx",
        {1: ("übernehmen", "", ""), 2: ("ablehnen", "", "")},
    )
    read_back(review_env)
    codebook = write_codebook_json(review_env)
    codings = reviewed_codings_step(
        wave_dir,
        codebook,
        wave_dir / "codings_reviewed.parquet",
        wave_dir / "documents_checked.parquet",
    )
    checks_step([wave_dir], codebook, out / "corpus", out / "qualitaet")
    documents = pd.read_parquet(wave_dir / "documents_checked.parquet")
    # one accepted suggestion joins the wave's (here: no) export codings
    assert codings["quelle"].tolist() == ["Prüfbogen"]
    assert codings["coder"].tolist() == ["JS"]
    pd.testing.assert_frame_equal(
        pd.read_parquet(wave_dir / "codings_reviewed.parquet"),
        pd.read_parquet(out / "corpus" / "codings.parquet"),
    )
    pd.testing.assert_frame_equal(
        pd.read_parquet(wave_dir / "documents_checked.parquet"),
        pd.read_parquet(out / "corpus" / "documents.parquet"),
    )
    assert documents["intercoder_copy"].tolist() == [False, False]
