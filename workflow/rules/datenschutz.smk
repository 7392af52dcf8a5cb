rule datenschutz_wave:
    input:
        paragraphs="interim/{wave}/paragraphs.parquet",
        documents="interim/{wave}/documents_checked.parquet",
        codings="interim/{wave}/codings_reviewed.parquet",
        registry=tables_upto("documents_checked"),
        speakers=tables_upto("paragraphs"),
        codebook="interim/codebook.json",
        blocklist=blocklist_inputs,
    output:
        "interim/{wave}/datenschutz.parquet",
    log:
        "logs/datenschutz_wave/{wave}.log",
    benchmark:
        "logs/datenschutz_wave/{wave}.benchmark.tsv"
    params:
        sperrliste=config["datenschutz"].get("sperrliste") or "",
    script:
        "../scripts/datenschutz_wave.py"


rule datenschutz:
    input:
        leaks=wave_tables("datenschutz"),
        documents=wave_tables("documents_checked"),
        paragraphs=wave_tables("paragraphs"),
        codebook="interim/codebook.json",
        signoffs=signoff_inputs,
        blocklist=blocklist_inputs,
    output:
        csv="qualitaet/datenschutz.csv",
        xlsx="qualitaet/datenschutz.xlsx",
    log:
        "logs/datenschutz/datenschutz.log",
    benchmark:
        "logs/datenschutz/datenschutz.benchmark.tsv"
    params:
        # not the input folder itself: a moved input folder must not rerun the step
        datenschutz=config["datenschutz"],
    script:
        "../scripts/datenschutz.py"
