"""Snakemake adapter: a wave decided by the model of the waves before it
(asaqda.stages.forward_wave_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import forward_wave_step

run_logged(
    snakemake.log[0],
    forward_wave_step,
    Path(snakemake.input.paragraphs).parent,
    Path(snakemake.input.codebook),
    Path(snakemake.input.model).parent,
    Path(snakemake.output[0]),
)
