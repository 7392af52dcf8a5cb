"""Render the report blocks as Word (real tables, numbered captions) and as one self-contained
HTML page (images inlined). Both are byte-identical on rerun."""

from __future__ import annotations

import base64
import html
from pathlib import Path

from docx import Document
from docx.enum.text import WD_BREAK
from docx.shared import Cm, Pt

from asaqda.io.officefiles import clean_text, save_docx
from asaqda.report.content import Block

__all__ = ["render_docx", "render_html"]


def render_docx(blocks: list[Block], path: Path) -> Path:
    """Write ``bericht.docx``: headings, paragraphs, real Word tables with "Tabelle n:"
    captions above and the source below, figures with "Abbildung n:" captions."""
    doc = Document()
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(10)
    for b in blocks:
        if b.kind == "heading":
            doc.add_heading(clean_text(b.text), level=b.level)
        elif b.kind == "paragraph":
            doc.add_paragraph(clean_text(b.text))
            for note in b.notes:
                doc.add_paragraph(clean_text(note), style="List Bullet")
        elif b.kind == "quote":
            para = doc.add_paragraph(clean_text(b.text))
            para.paragraph_format.left_indent = Cm(1)
            para.runs[0].italic = True
        elif b.kind == "table" and b.table is not None:
            doc.add_paragraph(f"Tabelle {b.number}: {clean_text(b.text)}", style="Caption")
            table = doc.add_table(rows=1, cols=len(b.table.columns))
            table.style = "Table Grid"
            for cell, name in zip(table.rows[0].cells, b.table.columns, strict=True):
                cell.text = clean_text(str(name))
                cell.paragraphs[0].runs[0].bold = True
            for row in b.table.itertuples(index=False):
                cells = table.add_row().cells
                for cell, value in zip(cells, row, strict=True):
                    cell.text = clean_text(str(value))
            doc.add_paragraph(clean_text(b.source), style="Caption")
        elif b.kind == "figure" and b.image is not None:
            doc.add_picture(str(b.image), width=Cm(15))
            doc.add_paragraph(f"Abbildung {b.number}: {clean_text(b.text)}", style="Caption")
            doc.add_paragraph(clean_text(b.source), style="Caption")
        elif b.kind == "pagebreak":
            doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    return save_docx(doc, path)


_CSS = """
body{font-family:Arial,Helvetica,sans-serif;max-width:48em;margin:2em auto;color:#111;
line-height:1.45}
table{border-collapse:collapse;margin:.3em 0}td,th{border:1px solid #777;padding:.2em .5em}
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
                out.append(
                    "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                )
            out.append(f'</tbody></table><p class="source">{html.escape(b.source)}</p>')
        elif b.kind == "figure" and b.image is not None:
            data = base64.b64encode(b.image.read_bytes()).decode()
            out.append(
                f'<figure><img alt="{text}" src="data:image/png;base64,{data}">'
                f'<figcaption class="caption">Abbildung {b.number}: {text}</figcaption>'
                f'<p class="source">{html.escape(b.source)}</p></figure>'
            )
        elif b.kind == "pagebreak":
            out.append("<hr>")
    out.append("</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path
