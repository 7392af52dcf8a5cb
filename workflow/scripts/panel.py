"""Snakemake adapter: panel trajectories (asaqda.stages.panel_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import panel_params, panel_step

out = snakemake.output
run_logged(
    snakemake.log[0],
    panel_step,
    Path(snakemake.input.documents).parent,
    Path(out.verlauf).parent,
    Path(out.figures[0]).parent,
    Path(out.checks).parent,
    panel_params(dict(snakemake.params.panel)),
    Path(out.portraits).parent,
    Path(snakemake.input.codebook),
)
