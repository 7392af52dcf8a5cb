"""Snakemake adapter: code frequencies and code x Rolle (asaqda.stages.frequencies_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import frequencies_step

run_logged(
    snakemake.log[0],  # noqa: F821
    frequencies_step,
    Path(snakemake.input.documents).parent,  # noqa: F821
    Path(snakemake.input.codebook),  # noqa: F821
    Path(snakemake.output.csv).parent,  # noqa: F821
)
