def review_sheet_inputs(wildcards):
    """The filled review sheets coders put into <input>/<wave>/review/."""
    return [str(p) for p in review_files(INPUT_DIR, wildcards.wave)]


rule review_decisions:
    input:
        sheets=review_sheet_inputs,
        documents="interim/{wave}/documents.parquet",
        paragraphs="interim/{wave}/paragraphs.parquet",
        codebook="interim/codebook.json",
    output:
        decisions="interim/{wave}/decisions.parquet",
        problems="interim/{wave}/review_problems.parquet",
    log:
        "logs/review_decisions/{wave}.log",
    benchmark:
        "logs/review_decisions/{wave}.benchmark.tsv"
    params:
        input_dir=str(INPUT_DIR),
    script:
        "../scripts/review_decisions.py"


rule review_sheets:
    input:
        suggestions="interim/{wave}/suggestions.parquet",
        paragraphs="interim/{wave}/paragraphs.parquet",
        model="interim/model/{wave}/precoder.pkl",
        meta="interim/model/{wave}/precoder.json",
        codebook="interim/codebook.json",
    output:
        directory("review/{wave}"),
    log:
        "logs/review_sheets/{wave}.log",
    benchmark:
        "logs/review_sheets/{wave}.benchmark.tsv"
    params:
        review=config["review"],
    script:
        "../scripts/review_sheets.py"


rule review_report:
    input:
        decisions=wave_tables("decisions"),
        problems=wave_tables("review_problems"),
    output:
        decisions="review/entscheidungen.csv",
        decisions_xlsx="review/entscheidungen.xlsx",
        conflicts="review/konflikte.csv",
        conflicts_xlsx="review/konflikte.xlsx",
    log:
        "logs/review_report/review_report.log",
    benchmark:
        "logs/review_report/review_report.benchmark.tsv"
    script:
        "../scripts/review_report.py"
