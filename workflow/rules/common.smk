# Helpers shared by all rules. Paths inside rules are relative to the output folder, which is
# the working directory of the run (so Snakemake's state and logs stay under it as well).
import os
from pathlib import Path

from snakemake.utils import validate

from asaqda.environment import cache_env
from asaqda.io.wave import discover_waves, review_files, wave_files
from asaqda.review.rescue import print_rescue

validate(config, schema="../schemas/config.schema.yaml")

REPO = Path(workflow.basedir)
INPUT_DIR = Path(config["input_dir"]).resolve()
OUTPUT_DIR = Path(config["output_dir"]).resolve()
CODEBOOK_DIR = (REPO / config["codebook_dir"]).resolve()
WAVES = discover_waves(INPUT_DIR)

OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
# library caches (matplotlib, numba, Snakemake's source cache) stay below the output folder,
# also when Snakemake is started directly; the jobs inherit the variables
os.environ.update(cache_env(OUTPUT_DIR))

# Before Snakemake can delete a job's outputs: keep every sheet people filled in place.
if workflow.is_main_process:
    print_rescue(INPUT_DIR, OUTPUT_DIR, WAVES)


workdir: OUTPUT_DIR


wildcard_constraints:
    wave=r"20\d\d-[12]",


def wave_inputs(wildcards):
    """The export files and transcripts of one wave (absolute paths)."""
    return [str(p) for p in wave_files(INPUT_DIR, wildcards.wave)]


def codebook_files():
    """The YAML files of the codebook."""
    return sorted(str(p) for p in CODEBOOK_DIR.glob("*.yaml"))


def codebook_dir_of(wildcards, input):
    """The codebook folder, taken from the rule's input files."""
    return str(Path(input[0]).parent)


def wave_tables(table):
    """One interim table of every wave."""
    return expand("interim/{wave}/{table}.parquet", wave=WAVES, table=table)


def tables_upto(table):
    """An input function: one interim table of the job's wave and of every wave before it."""

    def inputs(wildcards):
        waves = [w for w in WAVES if w <= wildcards.wave]
        return expand("interim/{wave}/{table}.parquet", wave=waves, table=table)

    return inputs


def earlier_wave(wave):
    """The wave before ``wave`` (None for the first)."""
    earlier = [w for w in WAVES if w < wave]
    return earlier[-1] if earlier else None


#: the newest wave: its model writes the quality report of the pre-coding
LAST_WAVE = WAVES[-1] if WAVES else "keine"


#: the scopes of the inductive step: every wave, and gesamt (all waves)
INDUCTIVE_SCOPES = [*WAVES, "gesamt"]
#: the inductive settings the per-wave material depends on (the others only change topics)
INDUCTIVE_UNIT_KEYS = ("material", "min_words", "extra_stop_words", "embedding")


def inductive_unit_config():
    """The part of config ``inductive`` that the material and embeddings of a wave read."""
    return {k: v for k, v in config["inductive"].items() if k in INDUCTIVE_UNIT_KEYS}


def scope_tables(name):
    """An input function: one interim file of every wave an inductive scope reads (the wave
    itself, or every wave for gesamt)."""

    def tables(wildcards):
        waves = WAVES if wildcards.scope == "gesamt" else [wildcards.scope]
        return expand("interim/{wave}/{name}", wave=waves, name=name)

    return tables


def inductive_threads(wildcards):
    """Processes of an inductive scope's topic runs: two for gesamt (the largest scope), one
    for a wave, whose scopes then run side by side (each process loads UMAP only once)."""
    return 2 if wildcards.scope == "gesamt" else 1


def signoff_inputs(wildcards):
    """The data-protection sign-off sheet of the input folder, if there is one."""
    return [str(p) for p in sorted((INPUT_DIR / "datenschutz").glob("freigaben.*"))]


def blocklist_inputs(wildcards):
    """The team's block list of real names (config datenschutz.sperrliste), if set."""
    path = config["datenschutz"].get("sperrliste") or ""
    return [str(Path(path).resolve())] if path else []


def all_outputs():
    """Everything a full run produces for people."""
    return [
        "codebook/kodierleitfaden.docx",
        "codebook/kodierleitfaden.xlsx",
        "codebook/maxqda_codesystem.xlsx",
        "codebook/kodierleitfaden.qdc",
        "qualitaet/qualitaet.xlsx",
        "qualitaet/datenschutz.xlsx",
        "tables/codehaeufigkeiten.csv",
        "tables/codehaeufigkeiten.xlsx",
        "tables/codes_nach_rolle.csv",
        "tables/codes_nach_rolle.xlsx",
        "tables/intercoder.csv",
        "tables/intercoder.xlsx",
        "tables/arbeitsfaehigkeit.xlsx",
        "figures/verlaeufe.png",
        "figures/verlauf_alluvial.png",
        "figures/portraits",
        "tables/betriebe.xlsx",
        "tables/ankerzitate.xlsx",
        "bericht.docx",
        "bericht.html",
        "vorcodierung/guete.xlsx",
        "vorcodierung/vorschlaege.xlsx",
        "vorcodierung/annahme.xlsx",
        "review/entscheidungen.xlsx",
        "review/konflikte.xlsx",
        *expand("review/{wave}", wave=WAVES),
        *expand("maxqda/{wave}.qdpx", wave=WAVES),
        *expand("induktiv/{scope}_kandidaten.xlsx", scope=INDUCTIVE_SCOPES),
        *expand("induktiv/{scope}_themen.html", scope=INDUCTIVE_SCOPES),
        "induktiv/uebersicht.csv",
    ]
