"""Snakemake adapter: one page per panel person (asaqda.stages.portraits_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import panel_params, portraits_step

run_logged(
    snakemake.log[0],
    portraits_step,
    Path(snakemake.input.documents).parent,
    Path(snakemake.output[0]),
    panel_params(dict(snakemake.params.panel)),
    snakemake.threads,
    Path(snakemake.input.codebook),
)
