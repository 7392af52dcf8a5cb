"""Snakemake adapter: candidate categories of one scope (asaqda.stages.inductive_scope_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import inductive_scope_step

run_logged(
    snakemake.log[0],  # noqa: F821
    inductive_scope_step,
    snakemake.wildcards.scope,  # noqa: F821
    [Path(p) for p in snakemake.input.units],  # noqa: F821
    [Path(p) for p in snakemake.input.embeddings],  # noqa: F821
    [Path(p) for p in snakemake.input.documents],  # noqa: F821
    Path(snakemake.input.codebook),  # noqa: F821
    Path(snakemake.output.sheet),  # noqa: F821
    Path(snakemake.output.candidates),  # noqa: F821
    Path(snakemake.output.overview),  # noqa: F821
    snakemake.params.inductive,  # noqa: F821
    snakemake.threads,  # noqa: F821
)
