"""Snakemake adapter: the tables across scopes (asaqda.stages.inductive_overview_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import inductive_overview_step

run_logged(
    snakemake.log[0],  # noqa: F821
    inductive_overview_step,
    [Path(p) for p in snakemake.input.candidates],  # noqa: F821
    [Path(p) for p in snakemake.input.overview],  # noqa: F821
    Path(snakemake.output.overview).parent,  # noqa: F821
    snakemake.params.inductive,  # noqa: F821
)
