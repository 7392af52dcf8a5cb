"""Snakemake adapter: one wave's codings with its accepted suggestions
(asaqda.stages.reviewed_codings_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import reviewed_codings_step

run_logged(
    snakemake.log[0],  # noqa: F821
    reviewed_codings_step,
    Path(snakemake.input.documents).parent,  # noqa: F821
    Path(snakemake.input.codebook),  # noqa: F821
    Path(snakemake.output.documents),  # noqa: F821
    Path(snakemake.output.codings),  # noqa: F821
)
