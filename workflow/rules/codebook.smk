rule codebook:
    input:
        codebook_files(),
    output:
        json="interim/codebook.json",
        docx="codebook/kodierleitfaden.docx",
        xlsx="codebook/kodierleitfaden.xlsx",
        maxqda="codebook/maxqda_codesystem.xlsx",
    params:
        codebook_dir=str(CODEBOOK_DIR),
    log:
        "logs/codebook/codebook.log",
    script:
        "../scripts/codebook.py"
