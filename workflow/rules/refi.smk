rule refi_export:
    input:
        documents="interim/{wave}/documents.parquet",
        paragraphs="interim/{wave}/paragraphs.parquet",
        suggestions="interim/{wave}/suggestions.parquet",
        codings="interim/{wave}/codings_reviewed.parquet",
        codebook="interim/codebook.json",
    output:
        "maxqda/{wave}.qdpx",
    log:
        "logs/refi_export/{wave}.log",
    benchmark:
        "logs/refi_export/{wave}.benchmark.tsv"
    script:
        "../scripts/refi_export.py"
