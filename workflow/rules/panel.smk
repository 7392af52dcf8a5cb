rule panel:
    input:
        documents="interim/corpus/documents.parquet",
        codings="interim/corpus/codings.parquet",
        codebook="interim/codebook.json",
    output:
        verlauf="tables/arbeitsfaehigkeit_verlauf.csv",
        typen="tables/verlaufstypen.csv",
        verteilung="tables/verlaufstypen_verteilung.csv",
        regeln="tables/verlaufstypen_regeln.csv",
        uebergaenge="tables/verlauf_uebergaenge.csv",
        schwund="tables/panel_schwund.csv",
        freistellung="tables/verlauf_nach_freistellung.csv",
        freizeit="tables/verlauf_nach_freizeit.csv",
        unterstuetzung="tables/verlauf_nach_unterstuetzung.csv",
        xlsx="tables/arbeitsfaehigkeit.xlsx",
        checks="qualitaet/panel_verknuepfung.csv",
        figures=multiext("figures/verlaeufe", ".png", ".svg"),
        alluvial=multiext("figures/verlauf_alluvial", ".png", ".svg"),
        portraits="interim/panel/portraits.parquet",
        portrait_events="interim/panel/portrait_events.parquet",
    log:
        "logs/panel/panel.log",
    benchmark:
        "logs/panel/panel.benchmark.tsv"
    params:
        panel=config["panel"],
    script:
        "../scripts/panel.py"


# Only the pages whose content changed are drawn; the drawn pages are kept in
# interim/portraits (named by content key), as Snakemake removes the output folder first.
rule portraits:
    input:
        portraits="interim/panel/portraits.parquet",
        portrait_events="interim/panel/portrait_events.parquet",
        codebook="interim/codebook.json",
    output:
        directory("figures/portraits"),
    log:
        "logs/portraits/portraits.log",
    benchmark:
        "logs/portraits/portraits.benchmark.tsv"
    threads: 2
    params:
        cache="interim/portraits",
    script:
        "../scripts/portraits.py"
