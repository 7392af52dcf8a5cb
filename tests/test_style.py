"""The code base stays lint-clean (ruff, ruff format, snakefmt), as STYLE.md asks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import REPO

PATHS = ["src", "tests", "benchmarks", "workflow/scripts"]


@pytest.mark.parametrize(
    "cmd",
    [
        [sys.executable, "-m", "ruff", "check", *PATHS],
        [sys.executable, "-m", "ruff", "format", "--check", *PATHS],
        [sys.executable, "-m", "snakefmt", "--check", "Snakefile", "workflow"],
    ],
    ids=["ruff-check", "ruff-format", "snakefmt"],
)
def test_style_clean(cmd: list[str]) -> None:
    result = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
