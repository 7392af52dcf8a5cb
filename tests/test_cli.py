"""The command line outside Snakemake: check, codebook, demo."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from asaqda.cli import app

from .conftest import DEMO, REPO, SHARED

runner = CliRunner()


def test_cli_check_prints_a_summary_per_wave() -> None:
    result = runner.invoke(app, ["check", str(DEMO)])
    assert result.exit_code == 0, result.output
    assert "2023-1" in result.output and "2025-2" in result.output


def test_cli_check_reports_unknown_codes_with_suggestion(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    shutil.copytree(DEMO / "2024-1", inp / "2024-1")
    csv = next((inp / "2024-1").glob("Segmente_*.csv"))
    text = csv.read_text(encoding="utf-8").replace("Freistellung\\keine", "Freistellung\\Keine", 1)
    csv.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", str(inp)])
    assert result.exit_code == 0, result.output
    assert "'Freistellung > Keine'" in result.output
    assert "'Freistellung > keine'" in result.output


def test_cli_check_bad_input_exits_1_with_message(tmp_path: Path) -> None:
    inp = tmp_path / "in"
    shutil.copytree(DEMO / "2023-1", inp / "2023-1")
    (inp / "2023-1" / "leer.csv").write_bytes(b"")
    result = runner.invoke(app, ["check", str(inp)])
    assert result.exit_code == 1
    assert "[E004] '2023-1/leer.csv'" in result.output


def test_cli_codebook_validate_and_render(tmp_path: Path) -> None:
    result = runner.invoke(app, ["codebook", "validate", str(REPO / "codebook")])
    assert result.exit_code == 0 and "gültig" in result.output
    result = runner.invoke(app, ["codebook", "render", "--output", str(tmp_path)])
    assert result.exit_code == 0
    assert (tmp_path / "kodierleitfaden.docx").exists()
    assert (tmp_path / "maxqda_codesystem.xlsx").exists()
    assert (tmp_path / "kodierleitfaden.qdc").exists()


def test_cli_demo_rejects_unknown_scale(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo", "--scale", "riesig", "--out", str(tmp_path / "d")])
    assert result.exit_code == 2


QUALCODER = SHARED / "samples" / "refi" / "qc132_demo.qdpx"


@pytest.mark.skipif(not QUALCODER.is_file(), reason="the real tool samples (../shared) are absent")
def test_cli_refi_reads_a_real_qualcoder_project_and_writes_the_tables(tmp_path: Path) -> None:
    qdpx = QUALCODER
    result = runner.invoke(app, ["refi", str(qdpx), "--out", str(tmp_path / "t")])
    assert result.exit_code == 0, result.output
    assert "205" in result.output  # codings
    assert (tmp_path / "t" / "codings.parquet").exists()
    broken = tmp_path / "kaputt.qdpx"
    broken.write_bytes(b"kein zip")
    result = runner.invoke(app, ["refi", str(broken)])
    assert result.exit_code == 1 and "[E002]" in result.output
