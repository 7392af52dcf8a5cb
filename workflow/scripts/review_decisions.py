"""Snakemake adapter: read the filled review sheets of a wave (asaqda.stages.review_read_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import review_read_step

run_logged(
    snakemake.log[0],
    review_read_step,
    [Path(p) for p in snakemake.input.sheets],
    Path(snakemake.params.input_dir),
    Path(snakemake.input.documents).parent,
    Path(snakemake.input.codebook),
    Path(snakemake.output.decisions),
    Path(snakemake.output.problems),
)
