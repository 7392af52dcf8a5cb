"""Snakemake adapter: suggestions for one wave (asaqda.stages.precode_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import precode_step

run_logged(
    snakemake.log[0],
    precode_step,
    Path(snakemake.input.documents).parent,
    Path(snakemake.input.codebook),
    Path(snakemake.input.model).parent,
    Path(snakemake.output[0]),
)
