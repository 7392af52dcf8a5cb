"""Snakemake adapter: acceptance by the coders per code and score band
(asaqda.stages.precode_acceptance_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import precode_acceptance_step

run_logged(
    snakemake.log[0],
    precode_acceptance_step,
    [Path(p).parent for p in snakemake.input.decisions],
    Path(snakemake.output.csv).parent,
)
