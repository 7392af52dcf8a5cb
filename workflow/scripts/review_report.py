"""Snakemake adapter: decisions and conflicts of all waves (asaqda.stages.review_report_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import review_report_step

run_logged(
    snakemake.log[0],
    review_report_step,
    [Path(p).parent for p in snakemake.input.decisions],
    Path(snakemake.output.decisions).parent,
)
