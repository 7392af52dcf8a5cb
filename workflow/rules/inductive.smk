# Inductive categories: material and embeddings per wave, topics per scope (every wave and
# gesamt = all waves), then the tables across scopes. A wave's scope reads only that wave, so
# a new wave adds its own scope and redoes gesamt; the other waves' candidates stay as they are.


rule inductive_units:
    input:
        paragraphs="interim/{wave}/paragraphs.parquet",
        documents="interim/{wave}/documents_checked.parquet",
        codings="interim/{wave}/codings_reviewed.parquet",
        codebook="interim/codebook.json",
    output:
        units="interim/{wave}/inductive_units.parquet",
        embeddings="interim/{wave}/embeddings.npy",
    log:
        "logs/inductive_units/{wave}.log",
    benchmark:
        "logs/inductive_units/{wave}.benchmark.tsv"
    threads: 2
    params:
        inductive=inductive_unit_config(),
    script:
        "../scripts/inductive_units.py"


rule inductive_scope:
    input:
        units=scope_tables("inductive_units.parquet"),
        embeddings=scope_tables("embeddings.npy"),
        documents=scope_tables("documents_checked.parquet"),
        codebook="interim/codebook.json",
    output:
        sheet="induktiv/{scope}_kandidaten.xlsx",
        page="induktiv/{scope}_themen.html",
        candidates="interim/induktiv/{scope}_kandidaten.parquet",
        overview="interim/induktiv/{scope}_uebersicht.parquet",
    log:
        "logs/inductive_scope/{scope}.log",
    benchmark:
        "logs/inductive_scope/{scope}.benchmark.tsv"
    wildcard_constraints:
        scope=r"20\d\d-[12]|gesamt",
    threads: inductive_threads
    params:
        inductive=config["inductive"],
    script:
        "../scripts/inductive_scope.py"


rule inductive_overview:
    input:
        candidates=expand("interim/induktiv/{scope}_kandidaten.parquet", scope=INDUCTIVE_SCOPES),
        overview=expand("interim/induktiv/{scope}_uebersicht.parquet", scope=INDUCTIVE_SCOPES),
    output:
        plotly="induktiv/plotly.min.js",
        candidates="induktiv/kandidaten.csv",
        overview="induktiv/uebersicht.csv",
    log:
        "logs/inductive_overview/inductive_overview.log",
    params:
        inductive=config["inductive"],
    script:
        "../scripts/inductive_overview.py"
