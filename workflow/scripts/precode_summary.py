"""Snakemake adapter: readable summary of the suggestions (asaqda.stages.precode_summary_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import precode_summary_step

run_logged(
    snakemake.log[0],
    precode_summary_step,
    [Path(p).parent for p in snakemake.input.suggestions],
    Path(snakemake.output.xlsx).parent,
)
