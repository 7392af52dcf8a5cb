INDUCTIVE_SCOPES = [*WAVES, "gesamt"]


rule inductive:
    input:
        paragraphs=wave_tables("paragraphs"),
        documents="interim/corpus/documents.parquet",
        codings="interim/corpus/codings.parquet",
        codebook="interim/codebook.json",
    output:
        sheets=expand("induktiv/{scope}_kandidaten.xlsx", scope=INDUCTIVE_SCOPES),
        pages=expand("induktiv/{scope}_themen.html", scope=INDUCTIVE_SCOPES),
        plotly="induktiv/plotly.min.js",
        candidates="induktiv/kandidaten.csv",
        overview="induktiv/uebersicht.csv",
    log:
        "logs/inductive/inductive.log",
    benchmark:
        "logs/inductive/inductive.benchmark.tsv"
    threads: 2
    params:
        inductive=config["inductive"],
    script:
        "../scripts/inductive.py"
