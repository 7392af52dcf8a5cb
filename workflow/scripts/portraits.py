"""Snakemake adapter: one page per panel person (asaqda.stages.portraits_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import portraits_step

run_logged(
    snakemake.log[0],
    portraits_step,
    Path(snakemake.input.portraits).parent,
    Path(snakemake.output[0]),
    Path(snakemake.params.cache),
    snakemake.threads,
    Path(snakemake.input.codebook),
)
