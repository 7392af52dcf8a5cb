"""Snakemake adapter: candidate inductive categories (asaqda.stages.inductive_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import inductive_step

run_logged(
    snakemake.log[0],
    inductive_step,
    [Path(p).parent for p in snakemake.input.paragraphs],
    Path(snakemake.input.documents).parent,
    Path(snakemake.input.codebook),
    Path(snakemake.output.overview).parent.parent,
    snakemake.params.inductive,
    snakemake.threads,
)
