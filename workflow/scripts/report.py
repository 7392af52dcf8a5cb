"""Snakemake adapter: the report as Word and HTML (asaqda.stages.report_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import report_step

run_logged(
    snakemake.log[0],
    report_step,
    Path(snakemake.output.docx).parent,
    Path(snakemake.input.documents).parent,
    Path(snakemake.input.codebook),
)
