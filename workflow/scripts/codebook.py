"""Snakemake adapter: validate and render the codebook (asaqda.stages.codebook_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import codebook_step

out = snakemake.output  # noqa: F821
run_logged(
    snakemake.log[0],  # noqa: F821
    codebook_step,
    Path(snakemake.params.codebook_dir),  # noqa: F821
    Path(out.json),
    Path(out.docx),
    Path(out.xlsx),
    Path(out.maxqda),
    Path(out.qdc),
)
