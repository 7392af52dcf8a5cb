"""Snakemake adapter: the pre-coding quality report (asaqda.stages.precode_quality_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import precode_quality_step

run_logged(
    snakemake.log[0],
    precode_quality_step,
    Path(snakemake.input.model).parent,
    [Path(p) for p in snakemake.input.forward],
    Path(snakemake.input.codebook),
    Path(snakemake.output.guete).parent,
)
