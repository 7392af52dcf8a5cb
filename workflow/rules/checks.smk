rule checks:
    input:
        documents=wave_tables("documents"),
        codings=wave_tables("codings"),
        notes=wave_tables("notes"),
        decisions=wave_tables("decisions"),
        paragraphs=wave_tables("paragraphs"),
        codebook="interim/codebook.json",
    output:
        documents="interim/corpus/documents.parquet",
        codings="interim/corpus/codings.parquet",
        codebook="interim/corpus/codebook.parquet",
        overview="qualitaet/uebersicht.csv",
        unknown="qualitaet/unbekannte_codes.csv",
        alignment="qualitaet/segmentpruefung.csv",
        notes="qualitaet/importhinweise.csv",
        xlsx="qualitaet/qualitaet.xlsx",
    log:
        "logs/checks/checks.log",
    script:
        "../scripts/checks.py"


rule reviewed_codings:
    input:
        documents="interim/{wave}/documents.parquet",
        codings="interim/{wave}/codings.parquet",
        decisions="interim/{wave}/decisions.parquet",
        paragraphs="interim/{wave}/paragraphs.parquet",
        codebook="interim/codebook.json",
    output:
        documents="interim/{wave}/documents_checked.parquet",
        codings="interim/{wave}/codings_reviewed.parquet",
    log:
        "logs/reviewed_codings/{wave}.log",
    script:
        "../scripts/reviewed_codings.py"
