rule codebook:
    input:
        codebook_files(),
    output:
        json="interim/codebook.json",
        docx="codebook/kodierleitfaden.docx",
        xlsx="codebook/kodierleitfaden.xlsx",
        maxqda="codebook/maxqda_codesystem.xlsx",
        qdc="codebook/kodierleitfaden.qdc",
    log:
        "logs/codebook/codebook.log",
    benchmark:
        "logs/codebook/codebook.benchmark.tsv"
    params:
        codebook_dir=codebook_dir_of,
    script:
        "../scripts/codebook.py"
