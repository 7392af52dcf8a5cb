COMPANY_TABLES = [
    "freistellung_praxis",
    "freistellung_gruende",
    "einstellungsbereitschaft",
    "entlastung",
    "vorphase",
    "abbruchvermeidung",
    "bekanntheit",
    "lernortkooperation",
]


rule company_tables:
    input:
        documents="interim/corpus/documents.parquet",
        codings="interim/corpus/codings.parquet",
        codebook="interim/codebook.json",
        privacy="qualitaet/datenschutz.csv",
    output:
        tables=expand("tables/{name}.csv", name=COMPANY_TABLES),
        matrices=expand("tables/{name}_matrix.csv", name=COMPANY_TABLES),
        breakdowns=expand("tables/{name}_nach_merkmal.csv", name=COMPANY_TABLES),
        figures=expand("figures/{name}.{ext}", name=COMPANY_TABLES, ext=["png", "svg"]),
        conflicts="tables/freistellung_konflikte.csv",
        xlsx="tables/betriebe.xlsx",
        quotes="tables/ankerzitate.xlsx",
        quality="qualitaet/betriebe.csv",
    log:
        "logs/company_tables/company_tables.log",
    benchmark:
        "logs/company_tables/company_tables.benchmark.tsv"
    params:
        datenschutz=config["datenschutz"],
    script:
        "../scripts/company_tables.py"


rule report:
    input:
        rules.company_tables.output,
        rules.panel.output,
        rules.inductive_overview.output,
        documents="interim/corpus/documents.parquet",
        codings="interim/corpus/codings.parquet",
        codebook="interim/codebook.json",
        privacy="qualitaet/datenschutz.csv",
        intercoder="tables/intercoder.csv",
    output:
        docx="bericht.docx",
        html="bericht.html",
        workbook="tables/berichtstabellen.xlsx",
    log:
        "logs/report/report.log",
    benchmark:
        "logs/report/report.benchmark.tsv"
    script:
        "../scripts/report.py"
