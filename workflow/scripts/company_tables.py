"""Snakemake adapter: company tables and charts (asaqda.stages.company_tables_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import company_tables_step

out = snakemake.output
run_logged(
    snakemake.log[0],
    company_tables_step,
    Path(snakemake.input.documents).parent,
    Path(snakemake.input.codebook),
    Path(out.conflicts).parent,
    Path(out.figures[0]).parent,
    Path(out.quality).parent,
    Path(snakemake.input.privacy),
    str(snakemake.params.datenschutz.get("streng", False)).lower() == "true",
)
