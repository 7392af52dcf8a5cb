"""Snakemake adapter: evaluate and train a wave's pre-coder (asaqda.stages.train_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import precode_params, train_step

run_logged(
    snakemake.log[0],
    train_step,
    [Path(p).parent for p in snakemake.input.paragraphs],
    Path(snakemake.input.codebook),
    Path(snakemake.output.model).parent,
    precode_params(dict(snakemake.params.precode)),
)
