rule import_wave:
    input:
        wave_inputs,
    output:
        documents="interim/{wave}/documents.parquet",
        paragraphs="interim/{wave}/paragraphs.parquet",
        codings="interim/{wave}/codings.parquet",
        notes="interim/{wave}/notes.parquet",
    log:
        "logs/import_wave/{wave}.log",
    benchmark:
        "logs/import_wave/{wave}.benchmark.tsv"
    params:
        input_dir=str(INPUT_DIR),
    script:
        "../scripts/import_wave.py"
