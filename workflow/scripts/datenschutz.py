"""Snakemake adapter: the leak check (asaqda.privacy.step.privacy_step)."""

from pathlib import Path

from asaqda.privacy.step import privacy_step
from asaqda.scripting import run_logged

run_logged(
    snakemake.log[0],
    privacy_step,
    [Path(p).parent for p in snakemake.input.leaks],
    Path(snakemake.input.codebook),
    Path(snakemake.config["input_dir"]).resolve(),
    Path(snakemake.output.csv).parent,
    snakemake.params.datenschutz,
)
