rule train_precoder:
    input:
        paragraphs=wave_tables("paragraphs"),
        decisions=wave_tables("decisions"),
        documents="interim/corpus/documents.parquet",
        codings="interim/corpus/codings.parquet",
        codebook="interim/codebook.json",
    output:
        model="interim/model/precoder.pkl",
        meta="interim/model/precoder.json",
        heldout="interim/model/heldout.parquet",
        guete="vorcodierung/guete.csv",
        guete_xlsx="vorcodierung/guete.xlsx",
        gate="vorcodierung/nicht_vorkodierbar.csv",
        calibration="vorcodierung/kalibrierung.csv",
        forward="vorcodierung/guete_vorwaerts.csv",
    log:
        "logs/train_precoder/train_precoder.log",
    benchmark:
        "logs/train_precoder/train_precoder.benchmark.tsv"
    params:
        precode=config["precode"],
    script:
        "../scripts/train_precoder.py"


rule precode_wave:
    input:
        documents="interim/{wave}/documents.parquet",
        paragraphs="interim/{wave}/paragraphs.parquet",
        codings="interim/{wave}/codings.parquet",
        decisions="interim/{wave}/decisions.parquet",
        model="interim/model/precoder.pkl",
        meta="interim/model/precoder.json",
        codebook="interim/codebook.json",
    output:
        "interim/{wave}/suggestions.parquet",
    log:
        "logs/precode_wave/{wave}.log",
    benchmark:
        "logs/precode_wave/{wave}.benchmark.tsv"
    script:
        "../scripts/precode_wave.py"


rule precode_summary:
    input:
        suggestions=wave_tables("suggestions"),
        paragraphs=wave_tables("paragraphs"),
    output:
        overview="vorcodierung/uebersicht.csv",
        xlsx="vorcodierung/vorschlaege.xlsx",
    log:
        "logs/precode_summary/precode_summary.log",
    script:
        "../scripts/precode_summary.py"


rule precode_acceptance:
    input:
        decisions=wave_tables("decisions"),
    output:
        csv="vorcodierung/annahme.csv",
        xlsx="vorcodierung/annahme.xlsx",
    log:
        "logs/precode_acceptance/precode_acceptance.log",
    script:
        "../scripts/precode_acceptance.py"
