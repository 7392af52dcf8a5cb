"""Snakemake adapter: one wave's hits of the leak check (asaqda.privacy.step.wave_leaks_step)."""

from pathlib import Path

from asaqda.privacy.step import wave_leaks_step
from asaqda.scripting import run_logged

run_logged(
    snakemake.log[0],
    wave_leaks_step,
    Path(snakemake.input.paragraphs).parent,
    [Path(p).parent for p in snakemake.input.registry],
    Path(snakemake.input.codebook),
    {"sperrliste": snakemake.params.sperrliste},
    Path(snakemake.output[0]),
)
