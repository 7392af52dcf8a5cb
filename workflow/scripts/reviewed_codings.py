"""Snakemake adapter: a wave's codings with its accepted suggestions
(asaqda.stages.reviewed_codings_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import reviewed_codings_step

run_logged(
    snakemake.log[0],
    reviewed_codings_step,
    Path(snakemake.input.documents).parent,
    Path(snakemake.input.codebook),
    Path(snakemake.output.codings),
    Path(snakemake.output.documents),
)
