"""Snakemake adapter: review sheets of one wave (asaqda.stages.review_sheets_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import review_sheets_step

run_logged(
    snakemake.log[0],
    review_sheets_step,
    Path(snakemake.input.suggestions).parent,
    Path(snakemake.input.codebook),
    Path(snakemake.input.model).parent,
    Path(snakemake.output[0]),
    list(snakemake.params.review["coders"]),
    float(snakemake.params.review["overlap"]),
)
