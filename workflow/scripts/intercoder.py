"""Snakemake adapter: intercoder agreement (asaqda.stages.intercoder_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import intercoder_step

settings = dict(snakemake.params.agreement)
run_logged(
    snakemake.log[0],
    intercoder_step,
    Path(snakemake.input.documents).parent,
    Path(snakemake.input.codebook),
    Path(snakemake.output.csv).parent,
    settings["min_overlap"],
    settings["n_boot"],
    settings["seed"],
    Path(snakemake.input.heldout),
)
