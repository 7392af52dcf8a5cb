rule train_precoder:
    input:
        paragraphs=tables_upto("paragraphs"),
        decisions=tables_upto("decisions"),
        documents=tables_upto("documents_checked"),
        codings=tables_upto("codings_reviewed"),
        codebook="interim/codebook.json",
    output:
        model="interim/model/{wave}/precoder.pkl",
        meta="interim/model/{wave}/precoder.json",
        heldout="interim/model/{wave}/heldout.parquet",
        guete="interim/model/{wave}/guete.parquet",
        calibration="interim/model/{wave}/kalibrierung.parquet",
        training="interim/model/{wave}/training.json",
    log:
        "logs/train_precoder/{wave}.log",
    benchmark:
        "logs/train_precoder/{wave}.benchmark.tsv"
    params:
        precode=config["precode"],
    script:
        "../scripts/train_precoder.py"


rule precode_forward:
    input:
        paragraphs="interim/{wave}/paragraphs.parquet",
        decisions="interim/{wave}/decisions.parquet",
        documents="interim/{wave}/documents_checked.parquet",
        codings="interim/{wave}/codings_reviewed.parquet",
        codebook="interim/codebook.json",
        model=lambda wc: f"interim/model/{earlier_wave(wc.wave)}/precoder.pkl",
        meta=lambda wc: f"interim/model/{earlier_wave(wc.wave)}/precoder.json",
        training=lambda wc: f"interim/model/{earlier_wave(wc.wave)}/training.json",
    output:
        "interim/model/{wave}/vorwaerts.parquet",
    log:
        "logs/precode_forward/{wave}.log",
    benchmark:
        "logs/precode_forward/{wave}.benchmark.tsv"
    script:
        "../scripts/precode_forward.py"


rule precode_quality:
    input:
        model=f"interim/model/{LAST_WAVE}/precoder.pkl",
        meta=f"interim/model/{LAST_WAVE}/precoder.json",
        guete=f"interim/model/{LAST_WAVE}/guete.parquet",
        calibration=f"interim/model/{LAST_WAVE}/kalibrierung.parquet",
        forward=expand("interim/model/{wave}/vorwaerts.parquet", wave=WAVES[1:]),
        codebook="interim/codebook.json",
    output:
        guete="vorcodierung/guete.csv",
        guete_xlsx="vorcodierung/guete.xlsx",
        gate="vorcodierung/nicht_vorkodierbar.csv",
        calibration="vorcodierung/kalibrierung.csv",
        forward="vorcodierung/guete_vorwaerts.csv",
    log:
        "logs/precode_quality/precode_quality.log",
    benchmark:
        "logs/precode_quality/precode_quality.benchmark.tsv"
    script:
        "../scripts/precode_quality.py"


rule precode_wave:
    input:
        documents="interim/{wave}/documents.parquet",
        paragraphs="interim/{wave}/paragraphs.parquet",
        codings="interim/{wave}/codings.parquet",
        decisions="interim/{wave}/decisions.parquet",
        model="interim/model/{wave}/precoder.pkl",
        meta="interim/model/{wave}/precoder.json",
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
    benchmark:
        "logs/precode_summary/precode_summary.benchmark.tsv"
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
