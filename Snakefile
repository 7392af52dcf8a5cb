# asaqda: qualitative analysis pipeline of the AsA flex Begleitforschung.
# Table of contents; the rules live in workflow/rules/, one file per stage.
import os

from snakemake.utils import min_version

min_version("9.0")


configfile: os.path.join(workflow.basedir, "config", "config.yaml")


include: "workflow/rules/common.smk"
include: "workflow/rules/codebook.smk"
include: "workflow/rules/import.smk"
include: "workflow/rules/checks.smk"
include: "workflow/rules/datenschutz.smk"
include: "workflow/rules/tables.smk"
include: "workflow/rules/precode.smk"
include: "workflow/rules/review.smk"
include: "workflow/rules/refi.smk"
include: "workflow/rules/panel.smk"
include: "workflow/rules/inductive.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        all_outputs(),
