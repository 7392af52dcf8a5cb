"""Render the report blocks as Word and as one self-contained HTML page (images inlined).
Both are byte-identical on rerun.

The Word file is meant to drop into a German report:

* A4 portrait, 2.5 cm margins, page numbers in the footer (a ``PAGE`` field);
* document language de-DE (style defaults, ``settings.xml`` and the core properties), so
  Word checks spelling and hyphenates as German;
* a table of contents field (``TOC``) after the title, pre-filled with the headings; Word
  updates it (and the page numbers in it) when the file is opened;
* captions as real Word captions: style "Caption" (German Word shows "Beschriftung") with a
  ``SEQ Tabelle`` / ``SEQ Abbildung`` field, so a list of tables or figures can be inserted
  and numbering continues when the text is pasted into another document; a table caption
  keeps with its table, a figure keeps with its caption;
* tables with a repeating header row, rows that do not split across pages, column widths
  fitted to the content (never narrower than the longest word of a column, so no word is
  broken inside a cell) and numbers right-aligned;
* figures with alternative text (``descr`` of the drawing), their title only in the caption.
"""

from __future__ import annotations

import base64
import functools
import html
import re
from pathlib import Path

import matplotlib
import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, Twips
from matplotlib.ft2font import FT2Font

from asaqda.io.officefiles import clean_text, save_docx, write_xlsx
from asaqda.report.content import Block

__all__ = [
    "LANGUAGE",
    "PAGE_A4",
    "TEXT_WIDTH_CM",
    "render_docx",
    "render_html",
    "render_workbook",
    "number_value",
    "is_number",
    "column_widths",
    "text_cm",
]

#: document language of the Word file
LANGUAGE = "de-DE"
#: A4 portrait in twips (1/20 pt), as Word stores it in ``w:pgSz``
PAGE_A4 = (11906, 16838)
_MARGIN_CM = 2.5
#: width of the text column on A4 with 2.5 cm margins
TEXT_WIDTH_CM = 21.0 - 2 * _MARGIN_CM
_TABLE_PT = 9
#: a German number as the report writes it: 1.914 / 13,0 / 13,0 % / -2 / –
_NUMBER = re.compile(r"^(?:[-−+]?\d{1,3}(?:\.\d{3})*(?:,\d+)?|[-−+]?\d+(?:,\d+)?)(?: ?%)?$|^[–-]$")


def is_number(text: str) -> bool:
    """Whether a table cell holds a number in German format (``1.914``, ``13,0``, ``5 %``)
    or the dash for "none"; such cells are right-aligned."""
    return bool(_NUMBER.match(text.strip()))


@functools.cache
def _font(bold: bool) -> FT2Font:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    font = FT2Font(str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name))
    font.set_size(_TABLE_PT, 72)
    return font


@functools.cache
def text_cm(text: str, bold: bool = False) -> float:
    """Width of ``text`` on one line at the table font size, in cm.

    Measured with DejaVu Sans (shipped with matplotlib, so the result is the same on every
    machine), which is wider than Arial: a width that fits DejaVu Sans fits Arial in Word
    and its metric twin Liberation Sans in LibreOffice.
    """
    font = _font(bold)
    font.set_text(text, 0.0)
    width, _ = font.get_width_height()
    return width / 64 / 72 * 2.54


def column_widths(
    header: list[str], rows: list[list[str]], total_cm: float = TEXT_WIDTH_CM
) -> list[float]:
    """Column widths in cm fitted to the content.

    A table whose cells fit on one line each is as wide as its content. Otherwise every
    column gets at least the width of its longest word (header words in bold), so Word
    never breaks a word inside a cell; the rest of the width goes to the columns whose text
    would otherwise wrap, in proportion to how much longer their longest cell is. When even
    the longest words do not fit, the widths are scaled down (the words then break, which
    the PDF test would catch for the shipped tables).

    Parameters
    ----------
    header
        Column headers (bold).
    rows
        Body cells as text, one list per row.
    total_cm
        Width of the table.

    Returns
    -------
    list of float
        One width per column: what the content needs when that fits in ``total_cm``,
        otherwise widths summing to ``total_cm``.
    """
    pad = 0.4  # left + right cell margins (0.19 cm each in Word) and a little air
    minimum, wanted = [], []
    for i, name in enumerate(header):
        cells = [r[i] for r in rows]
        words = [text_cm(w, True) for w in name.split()] or [0.0]
        words += [text_cm(w) for c in cells for w in c.split()]
        minimum.append(max(words) + pad)
        longest = max([text_cm(name, True)] + [text_cm(c) for c in cells])
        wanted.append(max(longest + pad, minimum[-1]))
    if sum(minimum) >= total_cm:
        return [m * total_cm / sum(minimum) for m in minimum]
    if sum(wanted) <= total_cm:
        return wanted
    spare = total_cm - sum(minimum)
    extra = [w - m for w, m in zip(wanted, minimum, strict=True)]
    return [m + spare * e / sum(extra) for m, e in zip(minimum, extra, strict=True)]


def _add_field(paragraph, instruction: str, result: str, *, bold: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Append a complex field (begin, instruction, separate, cached result, end) to a
    paragraph; Word and LibreOffice show ``result`` until the field is updated."""

    def run_with(child: OxmlElement) -> None:
        run = paragraph.add_run()
        run.bold = bold or None
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run_with(sep)
    paragraph.add_run(result).bold = bold or None
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def _caption(doc, label: str, number: int, text: str, *, keep_with_next: bool):  # type: ignore[no-untyped-def]
    """A caption paragraph "Tabelle 3: ..." with the number as a ``SEQ`` field."""
    para = doc.add_paragraph(style="Caption")
    para.add_run(f"{label} ")
    _add_field(para, f"SEQ {label} \\* ARABIC", str(number))
    para.add_run(f": {clean_text(text)}")
    para.paragraph_format.keep_with_next = keep_with_next
    return para


#: children of ``w:settings`` that come after ``w:autoHyphenation`` / ``w:updateFields``
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats",
    "w:doNotAutoCompressPictures",
    "w:forceUpgrade",
    "w:captions",
    "w:readModeInkLockDown",
    "w:smartTagType",
    "sl:schemaLibrary",
    "w:shapeDefaults",
    "w:doNotEmbedSmartTags",
    "w:decimalSymbol",
    "w:listSeparator",
)
_AFTER_HYPHENATION = (
    "w:consecutiveHyphenLimit",
    "w:hyphenationZone",
    "w:doNotHyphenateCaps",
    "w:showEnvelope",
    "w:summaryLength",
    "w:clickAndTypeStyle",
    "w:defaultTableStyle",
    "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting",
    "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData",
    "w:noPunctuationKerning",
    "w:characterSpacingControl",
    "w:printTwoOnOne",
    "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter",
    "w:noLineBreaksBefore",
    "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml",
    "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving",
    "w:saveThroughXslt",
    "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace",
    "w:updateFields",
    *_AFTER_UPDATE_FIELDS,
)


def _insert_before(parent, child, successors: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    """Insert ``child`` before the first of ``successors`` found in ``parent`` (the schema's
    order of the elements), else at the end."""
    tags = {qn(t) for t in successors if not t.startswith(("m:", "sl:"))}
    for existing in parent:
        if existing.tag in tags:
            existing.addprevious(child)
            return
    parent.append(child)


def _set_language(doc) -> None:  # type: ignore[no-untyped-def]
    """Make de-DE the language of the style defaults, every style, settings and metadata."""
    styles = doc.styles.element
    for lang in styles.iter(qn("w:lang")):
        lang.set(qn("w:val"), LANGUAGE)
        lang.set(qn("w:eastAsia"), LANGUAGE)
    for style in doc.styles:
        if style.type == 1 or style.type == 2:  # paragraph, character
            rpr = style.element.get_or_add_rPr()
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                _insert_before(rpr, lang, ("w:eastAsianLayout", "w:specVanish", "w:oMath"))
            lang.set(qn("w:val"), LANGUAGE)
    settings = doc.settings.element
    for theme in settings.iter(qn("w:themeFontLang")):
        theme.set(qn("w:val"), LANGUAGE)
    # decimal comma and list separator as Word's German settings have them (field results)
    for tag, value in (("w:decimalSymbol", ","), ("w:listSeparator", ";")):
        for element in settings.iter(qn(tag)):
            element.set(qn("w:val"), value)
    # elements of w:settings must follow the schema's order, or Word calls the file damaged
    if settings.find(qn("w:autoHyphenation")) is None:
        hyph = OxmlElement("w:autoHyphenation")
        _insert_before(settings, hyph, _AFTER_HYPHENATION)
    # Word updates the table of contents and its page numbers when the file is opened
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        _insert_before(settings, update, _AFTER_UPDATE_FIELDS)
    doc.core_properties.language = LANGUAGE


def _page_setup(doc) -> None:  # type: ignore[no-untyped-def]
    """A4 portrait, 2.5 cm margins, centred page number in the footer."""
    section = doc.sections[0]
    section.page_width, section.page_height = Twips(PAGE_A4[0]), Twips(PAGE_A4[1])
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(_MARGIN_CM))
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run("Seite ")
    _add_field(footer, "PAGE", "1")


def _toc(doc, blocks: list[Block]) -> None:  # type: ignore[no-untyped-def]
    """The table of contents: a ``TOC`` field over headings 1 to 2, pre-filled with them."""
    head = doc.add_paragraph("Inhalt", style="TOC Heading" if _has(doc, "TOC Heading") else None)
    head.runs[0].bold = True
    entries = [b for b in blocks if b.kind == "heading" and 1 <= b.level <= 2]
    first = doc.add_paragraph()
    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    first.add_run()._r.append(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-2" \\h \\z \\u '
    first.add_run()._r.append(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    first.add_run()._r.append(sep)
    para = first
    for i, b in enumerate(entries):
        if i:
            para = doc.add_paragraph()
        para.paragraph_format.left_indent = Cm(0.6 * (b.level - 1))
        para.paragraph_format.space_after = Pt(0)
        para.add_run(clean_text(b.text))
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    para.add_run()._r.append(end)


def _has(doc, style: str) -> bool:  # type: ignore[no-untyped-def]
    return any(s.name == style for s in doc.styles)


def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _no_split(row) -> None:  # type: ignore[no-untyped-def]
    tr_pr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:cantSplit")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _table(doc, frame: pd.DataFrame) -> None:  # type: ignore[no-untyped-def]
    """A real Word table: bold repeating header, fitted widths, numbers right-aligned."""
    header = [clean_text(str(c)) for c in frame.columns]
    rows = [[clean_text(str(v)) for v in r] for r in frame.itertuples(index=False, name=None)]
    numeric = [
        bool(rows) and all(is_number(r[i]) for r in rows if r[i]) for i in range(len(header))
    ]
    widths = column_widths(header, rows)
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    table.autofit = False  # w:tblLayout fixed: Word keeps the widths below
    for col, width in zip(table.columns, widths, strict=True):
        col.width = Cm(width)

    def fill(row, values: list[str], bold: bool) -> None:  # type: ignore[no-untyped-def]
        for i, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Cm(widths[i])
            para = cell.paragraphs[0]
            run = para.add_run(value)
            run.bold = bold or None
            run.font.size = Pt(_TABLE_PT)
            para.paragraph_format.space_after = Pt(0)
            if numeric[i]:
                para.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    head = table.rows[0]
    fill(head, header, True)
    _repeat_header(head)
    _no_split(head)
    for values in rows:
        row = table.add_row()
        fill(row, values, False)
        _no_split(row)


def _figure(doc, image: Path, alt: str) -> None:  # type: ignore[no-untyped-def]
    """A figure paragraph kept with its caption, with ``alt`` as alternative text."""
    doc.add_picture(str(image), width=Cm(TEXT_WIDTH_CM))
    para = doc.paragraphs[-1]
    para.paragraph_format.keep_with_next = True
    for doc_pr in para._p.iter(qn("wp:docPr")):
        doc_pr.set("descr", clean_text(alt))
        doc_pr.set("title", clean_text(alt))


def _source(doc, text: str) -> None:  # type: ignore[no-untyped-def]
    """The source line under a table or figure: small, plain (not a caption, so it does not
    show up in a list of tables or figures)."""
    para = doc.add_paragraph()
    run = para.add_run(clean_text(text))
    run.font.size = Pt(8)
    para.paragraph_format.space_after = Pt(10)


def render_docx(blocks: list[Block], path: Path) -> Path:
    """Write ``bericht.docx`` (see the module docstring for its layout).

    Parameters
    ----------
    blocks
        The report's content (:func:`asaqda.report.content.report_blocks`). The first block
        is the title; the table of contents follows the paragraph after it.
    path
        Target file; written atomically with fixed metadata.

    Returns
    -------
    Path
        ``path``.
    """
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    _set_language(doc)
    _page_setup(doc)
    toc_done = False
    for b in blocks:
        if b.kind == "heading":
            if b.level >= 1 and not toc_done:
                _toc(doc, blocks)
                toc_done = True
            para = doc.add_heading(clean_text(b.text), level=b.level)
            para.paragraph_format.keep_with_next = True
        elif b.kind == "paragraph":
            doc.add_paragraph(clean_text(b.text))
            for note in b.notes:
                doc.add_paragraph(clean_text(note), style="List Bullet")
        elif b.kind == "quote":
            para = doc.add_paragraph(clean_text(b.text))
            para.paragraph_format.left_indent = Cm(1)
            para.runs[0].italic = True
        elif b.kind == "table" and b.table is not None:
            _caption(doc, "Tabelle", b.number, b.text, keep_with_next=True)
            _table(doc, b.table)
            _source(doc, b.source)
        elif b.kind == "figure" and b.image is not None:
            _figure(doc, b.image, b.alt or b.text)
            _caption(doc, "Abbildung", b.number, b.text, keep_with_next=bool(b.source))
            if b.source:
                _source(doc, b.source)
        elif b.kind == "pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    return save_docx(doc, path)


def number_value(text: object) -> object:
    """A report cell as Excel should hold it: German numbers (``1.914``, ``13,0``) become
    numbers again, everything else stays as it is."""
    if not isinstance(text, str) or not text.strip() or text.strip() in "–-" or "%" in text:
        return text
    if not is_number(text):
        return text
    plain = text.strip().replace(".", "").replace(",", ".").replace("−", "-")
    return float(plain) if "." in plain else int(plain)


def render_workbook(
    blocks: list[Block], path: Path, appendix: dict[str, pd.DataFrame] | None = None
) -> Path:
    """Write the report's tables as one workbook for people (German Excel opens it as is).

    Sheets: ``Übersicht`` (number, caption, base and sheet of every report table), one sheet
    ``Tabelle n`` per report table (numbers as numbers), ``Tabelle n <extra>`` for the
    tables behind it (breakdowns and crosstabs, each with a column ``Basis (n)``), then the
    ``appendix`` sheets.

    Parameters
    ----------
    blocks
        The report's content; only table blocks are written.
    path
        Target ``.xlsx``.
    appendix
        Further sheets (sheet name -> table), e.g. the conflict list.

    Returns
    -------
    Path
        ``path``.
    """
    overview = []
    sheets: dict[str, pd.DataFrame] = {}
    for b in blocks:
        if b.kind != "table" or b.table is None:
            continue
        name = f"Tabelle {b.number}"
        sheets[name] = b.table.map(number_value)
        names = [name]
        for label, frame in b.extra.items():
            sheets[f"{name} {label}"[:31]] = frame
            names.append(f"{name} {label}"[:31])
        overview.append(
            {
                "Tabelle": b.number,
                "Beschriftung": b.text,
                "Basis": b.base,
                "Blätter": ", ".join(names),
            }
        )
    out = {
        "Übersicht": pd.DataFrame(overview, columns=["Tabelle", "Beschriftung", "Basis", "Blätter"])
    }
    out.update(sheets)
    out.update(appendix or {})
    return write_xlsx(path, out, widths={"Übersicht": {"Beschriftung": 70}})


_CSS = """
body{font-family:Arial,Helvetica,sans-serif;max-width:48em;margin:2em auto;color:#111;
line-height:1.45}
table{border-collapse:collapse;margin:.3em 0}td,th{border:1px solid #777;padding:.2em .5em}
td.num{text-align:right}
th{background:#ddd}.caption{font-size:.9em;font-weight:bold;margin-top:1.2em}
.source{font-size:.8em;color:#444}blockquote{font-style:italic;margin-left:2em}
img{max-width:100%}
"""


def render_html(blocks: list[Block], path: Path, title: str) -> Path:
    """Write ``bericht.html``: the same content as one self-contained page."""
    out = [
        "<!DOCTYPE html>",
        '<html lang="de"><head><meta charset="utf-8">',
        f"<title>{html.escape(title)}</title><style>{_CSS}</style></head><body>",
    ]
    for b in blocks:
        text = html.escape(b.text)
        if b.kind == "heading":
            level = min(b.level + 1, 6)
            out.append(f"<h{level}>{text}</h{level}>")
        elif b.kind == "paragraph":
            out.append(f"<p>{text}</p>")
            if b.notes:
                out.append("<ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in b.notes))
                out.append("</ul>")
        elif b.kind == "quote":
            out.append(f"<blockquote>{text}</blockquote>")
        elif b.kind == "table" and b.table is not None:
            out.append(f'<p class="caption">Tabelle {b.number}: {text}</p><table><thead><tr>')
            out.append("".join(f"<th>{html.escape(str(c))}</th>" for c in b.table.columns))
            out.append("</tr></thead><tbody>")
            for row in b.table.itertuples(index=False):
                cells = [
                    f'<td class="num">{html.escape(str(v))}</td>'
                    if is_number(str(v))
                    else f"<td>{html.escape(str(v))}</td>"
                    for v in row
                ]
                out.append("<tr>" + "".join(cells) + "</tr>")
            out.append(f'</tbody></table><p class="source">{html.escape(b.source)}</p>')
        elif b.kind == "figure" and b.image is not None:
            data = base64.b64encode(b.image.read_bytes()).decode()
            alt = html.escape(b.alt or b.text)
            out.append(
                f'<figure><img alt="{alt}" src="data:image/png;base64,{data}">'
                f'<figcaption class="caption">Abbildung {b.number}: {text}</figcaption>'
                f'<p class="source">{html.escape(b.source)}</p></figure>'
            )
        elif b.kind == "pagebreak":
            out.append("<hr>")
    out.append("</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path
