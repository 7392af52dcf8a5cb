"""The Word report: layout (A4, de-DE, fields, tables, figures), its wording, and a render to
PDF with LibreOffice. Every case is planted by hand; no demo corpus."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from docx import Document
from openpyxl import load_workbook
from PIL import Image

from asaqda.codebook import load_codebook
from asaqda.report.content import (
    REPORT_TABLES,
    Block,
    count_noun,
    data_date,
    german_number,
    report_blocks,
    spread_quotes,
)
from asaqda.report.render import (
    TEXT_WIDTH_CM,
    column_widths,
    is_number,
    render_docx,
    render_workbook,
    text_cm,
)

REPO = Path(__file__).resolve().parents[1]
CODEBOOK = load_codebook(REPO / "codebook")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- numbers and nouns ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(1914, 0, "1.914"), (13.04, 1, "13,0"), (1234567.89, 1, "1.234.567,9"), (7, 0, "7")],
)
def test_report_german_number_uses_thousands_points_and_decimal_commas(
    value: float, decimals: int, expected: str
) -> None:
    assert german_number(value, decimals) == expected


def test_report_count_noun_picks_singular_or_plural() -> None:
    assert count_noun(1, "Interview", "Interviews") == "1 Interview"
    assert count_noun(3, "Interview", "Interviews") == "3 Interviews"
    assert count_noun(1914, "Segment", "Segmente") == "1.914 Segmente"
    assert count_noun(0, "Betrieb", "Betriebe") == "0 Betriebe"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.914", True), ("13,0", True), ("5 %", True), ("–", True), ("-2", True)],
    ids=["thousands", "decimal", "percent", "dash", "negative"],
)
def test_report_is_number_recognises_german_numbers(text: str, expected: bool) -> None:
    assert is_number(text) is expected


@pytest.mark.parametrize("text", ["2023-1", "U01", "Kosten", "1.5.2024", ""])
def test_report_is_number_leaves_labels_and_dates_alone(text: str) -> None:
    assert not is_number(text)


# --- column widths ----------------------------------------------------------------------------


def test_report_column_widths_fit_the_longest_word_of_each_column() -> None:
    header = ["Kategorie", "Betriebe (n)"]
    rows = [["Ausbildungsbetrieb und Gleichbehandlung", "1.914"], ["keine", "3"]]
    widths = column_widths(header, rows, total_cm=7.0)
    # too narrow for one line each: the first column wraps at spaces, never inside a word
    assert widths[0] >= text_cm("Ausbildungsbetrieb") + 0.4
    assert widths[1] >= text_cm("Betriebe", True) + 0.4
    assert round(sum(widths), 6) == 7.0


def test_report_column_widths_of_a_small_table_are_its_content() -> None:
    widths = column_widths(["Rolle", "n"], [["Jobcenter", "6"]])
    assert widths == [text_cm("Jobcenter") + 0.4, text_cm("n", True) + 0.4]
    assert sum(widths) < TEXT_WIDTH_CM


# --- anchor quotes and date -----------------------------------------------------------------


def test_report_spread_quotes_prefers_unquoted_companies_and_skips_excluded() -> None:
    quotes = pd.DataFrame(
        {
            "Code": ["A", "A", "B", "B", "C", "C", "D"],
            "Betrieb": ["U01", "U02", "U01", "U03", "U02", "U01", "U09"],
            "Zitat": ["a1", "a2", "b1", "b3", "c2", "c1", "d9"],
        }
    )
    # U01 (a conflict company) is never quoted; U02 already quoted for A, so B takes U03;
    # C has only U02 left (U01 excluded) and takes it although U02 was quoted
    picked = spread_quotes(quotes, ["A", "B", "C", "D"], excluded={"U01"})
    assert picked["Zitat"].tolist() == ["a2", "b3", "c2", "d9"]
    picked = spread_quotes(quotes, ["A", "B"], excluded=set())
    assert picked["Zitat"].tolist() == ["a1", "b3"]


def test_report_data_date_is_the_newest_coding_date_not_the_run() -> None:
    codings = pd.DataFrame(
        {
            "created": ["2023-03-01 09:26:00", "2025-06-28 10:00:00", None],
            "modified": ["2025-06-29 13:23:00", None, "kaputt"],
        }
    )
    assert data_date(codings) == "29.06.2025"
    assert data_date(codings.iloc[:0]) is None


# --- a tiny report from hand-made tables -----------------------------------------------------


def _planted_output(out: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tables of three companies (U03 contradictory, not counted in the practice) and
    five interviews; returns (documents, codings)."""
    tables, quality = out / "tables", out / "qualitaet"
    tables.mkdir(parents=True)
    quality.mkdir()
    table = pd.DataFrame(
        {
            "kategorie": ["Ausbildungsbetriebsvereinbarung", "keine"],
            "n_betriebe": [2, 1],
            "anteil_prozent": [66.7, 33.3],
        }
    )
    matrix = pd.DataFrame({"betrieb": ["U01", "U02", "U03"], "keine": [0, 1, 0]})
    for name, _ in REPORT_TABLES:
        table.to_csv(tables / f"{name}.csv", index=False)
        matrix.to_csv(tables / f"{name}_matrix.csv", index=False)
    matrix.iloc[:2].to_csv(tables / "freistellung_praxis_matrix.csv", index=False)
    pd.DataFrame({"betrieb": ["U03"], "codes": ["keine, vollständig"], "dokumente": ["x"]}).to_csv(
        tables / "freistellung_konflikte.csv", index=False
    )
    pd.DataFrame(
        {
            "merkmal": ["Betriebsgröße", "Betriebsgröße", "Welle"],
            "auspraegung": ["groß", "klein", "2024-2"],
            "kategorie": ["keine", "keine", "keine"],
            "n_betriebe": [1, 0, 0],
            "anteil_prozent": [50.0, 0.0, 0.0],
        }
    ).to_csv(tables / "einstellungsbereitschaft_nach_merkmal.csv", index=False)
    pd.DataFrame(columns=["art", "betrieb", "detail"]).to_csv(quality / "betriebe.csv", index=False)
    pd.DataFrame(
        {
            "Kategorie": ["keine", "keine"],
            "Code": ["Freistellung > keine", "Freistellung > keine"],
            "Zitat": ["Wir stellen nicht frei.", "Das läuft nach Feierabend."],
            "Quelle": ["(Ausbilder_U03)", "(Ausbilder_U02)"],
            "Betrieb": ["U03", "U02"],
        }
    ).to_excel(tables / "ankerzitate.xlsx", index=False)
    documents = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3", "d4", "d5"],
            "wave": ["2024-1", "2024-1", "2024-2", "2024-2", "2024-2"],
            "document_name": ["U01_2024-1", "U02_2024-1", "U03_2024-2", "A01_2024-2", "J1"],
            "Rolle": ["Ausbildungsbetrieb"] * 3 + ["Auszubildende", "Jobcenter"],
            "Betrieb": ["U01", "U02", "U03", None, None],
            "Betriebsgröße": ["groß", "groß", "klein", None, None],
            "intercoder_copy": [False] * 5,
        }
    )
    codings = pd.DataFrame(
        {
            "doc_id": ["d1", "d2", "d3", "d4"],
            "code": ["Freistellung > keine"] * 4,
            "created": [
                "2024-05-02 10:00:00",
                "2024-11-30 09:00:00",
                "2024-06-03 11:00:00",
                "2024-12-01 08:00:00",
            ],
            "modified": [None, None, None, None],
            "quelle": ["MAXQDA", "MAXQDA", "MAXQDA", "Prüfbogen"],
            "extra": [None, None, None, '{"entscheidung": "übernehmen"}'],
        }
    )
    return documents, codings


@pytest.fixture
def tiny_report(tmp_path: Path) -> tuple[list[Block], Path]:
    out = tmp_path / "out"
    documents, codings = _planted_output(out)
    codes = {name: ["Freistellung > keine"] for name, _ in REPORT_TABLES}
    blocks = report_blocks(out, documents, codings, CODEBOOK, codes)
    return blocks, out


def test_report_method_paragraph_counts_in_german_and_agrees_with_the_tables(
    tiny_report: tuple[list[Block], Path],
) -> None:
    blocks, _ = tiny_report
    assert blocks[1].text.startswith("Datenstand: 01.12.2024 (jüngste Kodierung)")
    method = blocks[3].text
    assert method.startswith(
        "Ausgewertet wurden 5 leitfadengestützte Interviews aus 2 Erhebungswellen "
        "(2024-1 bis 2024-2): 3 mit Ausbildungsbetrieben, 1 mit einer oder einem "
        "Auszubildenden, 1 mit einem Jobcenter."
    )
    assert "4 kodierte Segmente gingen in die Auswertung ein." in method
    assert (
        "Davon stammen 1 Segment aus Vorschlägen der Vorcodierung, die Kodierende im "
        "Prüfbogen geprüft haben (1 übernommen, 0 mit einem anderen Code)" in method
    )
    assert method.endswith(
        "3 Ausbildungsbetriebe wurden befragt; die Freistellungspraxis zählt 2 davon, weil "
        "1 Betrieb widersprüchlich kodiert ist (siehe Hinweise zu den Daten)."
    )
    prose = " ".join(b.text + " ".join(b.notes) for b in blocks if b.kind != "table")
    assert not re.search(r"\w+/\w+\.(csv|xlsx)", prose)  # no file paths in the prose


def test_report_method_paragraph_names_companies_without_a_coded_interview(tmp_path: Path) -> None:
    out = tmp_path / "out"
    documents, codings = _planted_output(out)
    # a fourth company whose only interview nobody has coded yet: no data, not in the tables
    uncoded = documents.iloc[[0]].assign(doc_id="d6", document_name="U04_2024-2", Betrieb="U04")
    documents = pd.concat([documents, uncoded], ignore_index=True)
    codes = {name: ["Freistellung > keine"] for name, _ in REPORT_TABLES}
    method = report_blocks(out, documents, codings, CODEBOOK, codes)[3].text
    assert method.endswith(
        "4 Ausbildungsbetriebe wurden befragt; die Freistellungspraxis zählt 2 davon, weil "
        "1 Betrieb noch kein kodiertes Interview hat und 1 Betrieb widersprüchlich kodiert ist "
        "(siehe Hinweise zu den Daten)."
    )


def test_report_captions_carry_the_base_and_excluded_companies_are_not_quoted(
    tiny_report: tuple[list[Block], Path],
) -> None:
    blocks, _ = tiny_report
    captions = [b.text for b in blocks if b.kind == "table"]
    assert captions[:3] == [
        "Interviews nach Rolle und Welle (n = 5 Interviews)",
        "Freistellungspraxis der Betriebe (n = 2 Betriebe)",
        "Gründe und Bedingungen der Freistellung (n = 3 Betriebe)",
    ]
    appendix = next(i for i, b in enumerate(blocks) if b.text.startswith("Anhang"))
    quotes = [b.text for b in blocks[:appendix] if b.kind == "quote"]  # not the codebook's
    assert quotes[0] == "keine: „Das läuft nach Feierabend.“ (Ausbilder_U02)"
    assert not any("U03" in q for q in quotes)
    practice = next(b for b in blocks if b.kind == "table" and b.number == 2).table
    assert practice["Anteil %"].tolist() == ["66,7", "33,3"]


def _docx_xml(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name).decode()


def test_report_docx_is_a4_german_with_fields_and_word_tables(
    tiny_report: tuple[list[Block], Path], tmp_path: Path
) -> None:
    blocks, _ = tiny_report
    png = tmp_path / "chart.png"
    Image.new("RGB", (40, 20), "white").save(png)
    blocks.append(
        Block("figure", "Planted chart", image=png, number=1, source="Quelle: x", alt="Balken")
    )
    path = render_docx(blocks, tmp_path / "bericht.docx")
    body = _docx_xml(path, "word/document.xml")
    styles = _docx_xml(path, "word/styles.xml")
    settings = _docx_xml(path, "word/settings.xml")
    footer = _docx_xml(path, "word/footer1.xml")
    assert '<w:pgSz w:w="11906" w:h="16838"/>' in body
    assert 'w:val="de-DE"' in styles and "en-US" not in styles
    assert '<w:themeFontLang w:val="de-DE"' in settings
    assert " PAGE " in footer
    assert ' TOC \\o "1-2" \\h \\z \\u ' in body
    assert body.count(" SEQ Tabelle \\* ARABIC ") == sum(b.kind == "table" for b in blocks)
    assert body.count(" SEQ Abbildung \\* ARABIC ") == 1
    assert 'descr="Balken"' in body
    doc = Document(str(path))
    captions = [p for p in doc.paragraphs if p.style.name == "Caption"]
    assert captions[1].text == "Tabelle 2: Freistellungspraxis der Betriebe (n = 2 Betriebe)"
    assert captions[-1].text == "Abbildung 1: Planted chart"
    assert all(p.paragraph_format.keep_with_next for p in captions[:-1])
    table = doc.tables[1]
    assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    first = table.rows[1].cells
    assert [c.text for c in first] == ["Ausbildungsbetriebsvereinbarung", "2", "66,7"]
    aligns = [c.paragraphs[0].alignment for c in first]
    assert [a is not None and int(a) == 2 for a in aligns] == [False, True, True]  # 2 = right
    assert doc.core_properties.language == "de-DE"


def test_report_workbook_has_every_table_with_its_base(
    tiny_report: tuple[list[Block], Path], tmp_path: Path
) -> None:
    blocks, _ = tiny_report
    path = render_workbook(
        blocks,
        tmp_path / "berichtstabellen.xlsx",
        {"Konflikte": pd.DataFrame({"Betrieb": ["U03"]})},
    )
    wb = load_workbook(path)
    overview = list(wb["Übersicht"].iter_rows(min_row=2, values_only=True))
    tables = [b for b in blocks if b.kind == "table"]
    assert len(overview) == len(tables)
    assert overview[1][:3] == (2, "Freistellungspraxis der Betriebe (n = 2 Betriebe)", "2 Betriebe")
    sheet = wb["Tabelle 2"]
    assert [c.value for c in sheet[2]] == ["Ausbildungsbetriebsvereinbarung", 2, 66.7]
    assert wb.sheetnames[-1] == "Konflikte"
    # the breakdown behind Tabelle 4 (Einstellungsbereitschaft) with the base of each group:
    # two large companies, one small one, one company interviewed in wave 2024-2
    rows = list(wb["Tabelle 4 nach Merkmal"].iter_rows(values_only=True))
    assert rows == [
        ("Merkmal", "Ausprägung", "Kategorie", "Betriebe (n)", "Anteil %", "Basis (n)"),
        ("Betriebsgröße", "groß", "keine", 1, 50, 2),
        ("Betriebsgröße", "klein", "keine", 0, 0, 1),
        ("Welle", "2024-2", "keine", 0, 0, 1),
    ]


# --- rendered by LibreOffice ---------------------------------------------------------------

_PACKAGES = ["libreoffice-writer-nogui", "fonts-liberation2", "poppler-utils"]


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice headless (and pdftotext); installed from Debian's packages when missing
    and the tests run as root, otherwise the test is skipped."""
    found = shutil.which("soffice")
    if found and shutil.which("pdftotext"):
        return found
    if not shutil.which("apt-get") or os.geteuid() != 0:
        pytest.skip("LibreOffice is not installed (apt-get install " + " ".join(_PACKAGES) + ")")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    cmd = ["apt-get", "install", "-y", "--no-install-recommends", *_PACKAGES]
    try:
        done = subprocess.run(cmd, env=env, capture_output=True, timeout=1200, check=False)
        if done.returncode != 0:
            subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=600)
            done = subprocess.run(cmd, env=env, capture_output=True, timeout=1200, check=False)
    except subprocess.TimeoutExpired:
        pytest.skip("installing LibreOffice took too long")
    found = shutil.which("soffice")
    if done.returncode != 0 or not found or not shutil.which("pdftotext"):
        pytest.skip(f"LibreOffice could not be installed: {done.stderr.decode()[-300:]}")
    return found


def test_report_pdf_is_a4_german_and_breaks_no_word_in_a_table(
    tiny_report: tuple[list[Block], Path], tmp_path: Path, soffice: str
) -> None:
    blocks, _ = tiny_report
    path = render_docx(blocks, tmp_path / "bericht.docx")
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        timeout=300,
        check=True,
    )
    pdf = tmp_path / "bericht.pdf"
    raw = pdf.read_bytes()
    assert b"/Lang(de-DE)" in raw
    sizes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", raw))
    assert sizes and all(
        round(float(w) / 72 * 25.4) == 210 and round(float(h) / 72 * 25.4) == 297 for w, h in sizes
    )
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode()
    lines = {line.strip() for line in text.splitlines()}
    words = {
        w
        for b in blocks
        if b.kind == "table"
        for v in b.table.to_numpy().ravel()
        for w in str(v).split()
    }
    words |= {
        w for b in blocks if b.kind == "table" for c in b.table.columns for w in str(c).split()
    }
    tokens = {t for line in lines for t in line.split()}
    broken = sorted(w for w in words if len(w) > 3 and w not in tokens)
    assert broken == []
    assert "Ausbildungsbetriebsvereinbarung" in tokens


# --- figures: the caption names them, the picture carries no title ---------------------------


def _svg_texts(path: Path) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", path.read_text(encoding="utf-8"))


def test_charts_company_bar_chart_has_no_title(tmp_path: Path) -> None:
    from asaqda.tables.charts import company_bar_chart

    table = pd.DataFrame(
        {"kategorie": ["Kosten", "keine"], "n_betriebe": [5, 1], "anteil_prozent": [83.3, 16.7]}
    )
    company_bar_chart(table, tmp_path / "kosten")
    assert _svg_texts(tmp_path / "kosten.svg") == [
        *[str(i) for i in range(7)],
        "Anzahl Betriebe",
        "keine (n = 1)",
        "Kosten (n = 5)",
        "16,7 %",
        "83,3 %",
    ]


def test_panel_alluvial_figure_keeps_the_base_but_not_the_caption(tmp_path: Path) -> None:
    from asaqda.stages import panel_step
    from tests.test_panel import PARAMS, corpus

    figures = tmp_path / "f"
    panel_step(corpus(tmp_path), tmp_path / "t", figures, tmp_path / "q", PARAMS)
    texts = _svg_texts(figures / "verlauf_alluvial.svg")
    assert "Personen (n = 4)" in texts
    assert not any("Niveau der Arbeitsfähigkeit" in t for t in texts)


def test_report_agreement_section_names_units_and_intervals(tmp_path: Path) -> None:
    out = tmp_path / "out"
    documents, codings = _planted_output(out)
    pd.DataFrame(
        {
            "ebene": ["dokument", "segment", "segment", "dokument", "gemeinsam"],
            "code": ["gesamt", "gesamt", "Freistellung > keine", "gesamt", "gesamt"],
            "kodierende": ["LT / MK", "LT / MK", "LT / MK", "Maschine / MK", "AB, CD"],
            "n_dokumente": [8, 20, 20, 40, 1],
            "alpha": [0.727, 0.8134, 0.5, 0.9, None],
            "alpha_ci_unten": [None, 0.7012, 0.1, 0.8, None],
            "alpha_ci_oben": [None, 0.9, 0.7, 0.95, None],
            "brennan_prediger": [0.75, 0.333, 0.2, 0.9, None],
            "hinweis": ["kein 95-%-Intervall: nur 8 Dokumente", "", "", "", ""],
        }
    ).to_csv(out / "tables" / "intercoder.csv", index=False)
    codes = {name: ["Freistellung > keine"] for name, _ in REPORT_TABLES}
    blocks = report_blocks(out, documents, codings, CODEBOOK, codes)
    i = next(i for i, b in enumerate(blocks) if b.text == "Intercoder-Übereinstimmung")
    method, table = blocks[i + 1], blocks[i + 2]
    assert "Cluster-Bootstrap über Dokumente" in method.text
    assert "unter 15 doppelt kodierten Interviews" in method.text
    assert method.text.endswith("keine unabhängige Doppelkodierung und gehen nicht ein.")
    assert table.text == "Intercoder-Übereinstimmung über alle Codes (n = 20 Dokumente)"
    assert table.table.values.tolist() == [
        [
            "Code im Dokument vorhanden",
            "LT / MK",
            "8",
            "0,73",
            "kein 95-%-Intervall: nur 8 Dokumente",
            "0,75",
        ],
        ["Segmentüberlappung", "LT / MK", "20", "0,81", "0,70 bis 0,90", "0,33"],
    ]
