"""Snakemake adapter: a wave as a REFI-QDA project (asaqda.stages.refi_export_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import refi_export_step

run_logged(
    snakemake.log[0],
    refi_export_step,
    Path(snakemake.input.documents).parent,
    Path(snakemake.input.codebook),
    Path(snakemake.output[0]),
)
