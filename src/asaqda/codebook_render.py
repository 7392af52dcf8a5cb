"""Render the codebook for people: Kodierleitfaden (docx, xlsx) and a MAXQDA code list."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from asaqda.codebook import MAXQDA_NAME_LIMIT, Codebook, codebook_frame
from asaqda.io.officefiles import save_docx, write_xlsx

__all__ = [
    "render_leitfaden_docx",
    "render_leitfaden_xlsx",
    "render_maxqda_codes",
    "maxqda_code_list",
]


def render_leitfaden_docx(codebook: Codebook, path: Path) -> Path:
    """The Kodierleitfaden as a Word document: one table per code (Definition, Ankerbeispiel,
    Kodierregel), grouped by main category."""
    import docx
    from docx.shared import Pt

    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10)
    document.add_heading("Kodierleitfaden", level=0)
    meta = codebook.meta
    document.add_paragraph(f"{meta.titel}, Version {meta.version}, Stand {meta.stand}")
    if meta.hinweis:
        document.add_paragraph(meta.hinweis)
    for cat in codebook.categories:
        document.add_heading(cat.hauptkategorie, level=1)
        document.add_paragraph(f"Perspektive: {cat.perspektive}. {cat.beschreibung}".strip())
        for code in cat.codes:
            document.add_heading(code.code, level=2)
            table = document.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            anchors = "\n".join(f"„{a.zitat}“ {a.quelle}" for a in code.ankerbeispiele) or "–"
            rules = "\n".join(f"• {r}" for r in code.kodierregeln) or "–"
            for label, text in (
                ("Definition", code.definition),
                ("Ankerbeispiele", anchors),
                ("Kodierregeln", rules),
                ("Art", "deduktiv" if code.art == "deduktiv" else "induktiv"),
            ):
                cells = table.add_row().cells
                cells[0].text = label
                cells[0].paragraphs[0].runs[0].bold = True
                cells[1].text = text
    return save_docx(document, path)


_LEITFADEN_COLUMNS = {
    "code": "Code",
    "hauptkategorie": "Hauptkategorie",
    "art": "Art",
    "definition": "Definition",
    "ankerbeispiele": "Ankerbeispiele",
    "kodierregeln": "Kodierregeln",
}


def render_leitfaden_xlsx(codebook: Codebook, path: Path) -> Path:
    """The Kodierleitfaden as one row per code."""
    frame = codebook_frame(codebook)[list(_LEITFADEN_COLUMNS)].rename(columns=_LEITFADEN_COLUMNS)
    meta = pd.DataFrame(
        {
            "Angabe": ["Titel", "Version", "Stand", "Hinweis"],
            "Wert": [
                codebook.meta.titel,
                codebook.meta.version,
                codebook.meta.stand,
                codebook.meta.hinweis,
            ],
        }
    )
    return write_xlsx(
        path,
        {"Kodierleitfaden": frame, "Version": meta},
        wrap_columns={
            "Kodierleitfaden": ["Definition", "Ankerbeispiele", "Kodierregeln"],
            "Version": ["Wert"],
        },
        widths={
            "Kodierleitfaden": {
                "Code": 45,
                "Definition": 60,
                "Ankerbeispiele": 60,
                "Kodierregeln": 60,
            },
            "Version": {"Wert": 90},
        },
    )


def maxqda_code_list(codebook: Codebook) -> pd.DataFrame:
    """The code system as MAXQDA imports it: columns ``Code`` (``A > B``) and ``Memo``.

    Every level is at most 63 characters (the codebook model already guarantees it).
    """
    rows = []
    for code in codebook.codes:
        assert all(len(level) <= MAXQDA_NAME_LIMIT for level in code.code.split(" > "))
        memo = [f"Definition: {code.definition}"]
        if code.ankerbeispiele:
            memo.append(
                "Ankerbeispiele: "
                + " | ".join(f"„{a.zitat}“ {a.quelle}" for a in code.ankerbeispiele)
            )
        if code.kodierregeln:
            memo.append("Kodierregeln: " + " ".join(code.kodierregeln))
        memo.append(f"Art: {code.art}")
        rows.append({"Code": code.code, "Memo": "\n".join(memo)})
    return pd.DataFrame(rows)


def render_maxqda_codes(codebook: Codebook, path: Path) -> Path:
    """Write the MAXQDA-importable code list (Codes > Codesystem importieren > Excel)."""
    return write_xlsx(
        path,
        {"Codesystem": maxqda_code_list(codebook)},
        wrap_columns={"Codesystem": ["Memo"]},
        widths={"Codesystem": {"Code": 50, "Memo": 90}},
    )
