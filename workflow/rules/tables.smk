rule code_frequencies:
    input:
        documents="interim/corpus/documents.parquet",
        codings="interim/corpus/codings.parquet",
        codebook="interim/codebook.json",
    output:
        csv="tables/codehaeufigkeiten.csv",
        xlsx="tables/codehaeufigkeiten.xlsx",
        role_csv="tables/codes_nach_rolle.csv",
        role_xlsx="tables/codes_nach_rolle.xlsx",
    log:
        "logs/code_frequencies/code_frequencies.log",
    benchmark:
        "logs/code_frequencies/code_frequencies.benchmark.tsv"
    script:
        "../scripts/code_frequencies.py"


rule intercoder:
    input:
        documents="interim/corpus/documents.parquet",
        codings="interim/corpus/codings.parquet",
        codebook="interim/codebook.json",
        heldout=f"interim/model/{LAST_WAVE}/heldout.parquet",
    output:
        csv="tables/intercoder.csv",
        xlsx="tables/intercoder.xlsx",
    log:
        "logs/intercoder/intercoder.log",
    benchmark:
        "logs/intercoder/intercoder.benchmark.tsv"
    params:
        agreement=config["agreement"],
    script:
        "../scripts/intercoder.py"
