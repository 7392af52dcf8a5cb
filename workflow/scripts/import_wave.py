"""Snakemake adapter: import one wave (asaqda.stages.import_step)."""

from pathlib import Path

from asaqda.scripting import run_logged
from asaqda.stages import import_step

run_logged(
    snakemake.log[0],  # noqa: F821
    import_step,
    Path(snakemake.params.input_dir),  # noqa: F821
    snakemake.wildcards.wave,  # noqa: F821
    Path(snakemake.output.documents).parent,  # noqa: F821
)
