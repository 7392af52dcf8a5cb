"""Snakemake adapter: corpus checks and quality tables (asaqda.stages.checks_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import checks_step

out = snakemake.output  # noqa: F821
run_logged(
    snakemake.log[0],  # noqa: F821
    checks_step,
    [Path(p).parent for p in snakemake.input.documents],  # noqa: F821
    Path(snakemake.input.codebook),  # noqa: F821
    Path(out.documents).parent,
    Path(out.xlsx).parent,
)
