"""Snakemake adapter: inductive material of one wave (asaqda.stages.inductive_units_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import inductive_units_step

run_logged(
    snakemake.log[0],  # noqa: F821
    inductive_units_step,
    Path(snakemake.input.paragraphs),  # noqa: F821
    Path(snakemake.input.documents),  # noqa: F821
    Path(snakemake.input.codings),  # noqa: F821
    Path(snakemake.input.codebook),  # noqa: F821
    Path(snakemake.output.units),  # noqa: F821
    Path(snakemake.output.embeddings),  # noqa: F821
    snakemake.params.inductive,  # noqa: F821
)
