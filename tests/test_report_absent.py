"""The report says what it could not compute instead of failing on absent tables."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from asaqda.codebook import load_codebook
from asaqda.io.officefiles import write_csv
from asaqda.report.content import report_blocks

from .conftest import REPO


def test_report_without_roles_companies_or_panel_says_what_it_could_not_compute(
    tmp_path: Path,
) -> None:
    tables = tmp_path / "tables"
    write_csv(tables / "freistellung_praxis_matrix.csv", pd.DataFrame(columns=["betrieb"]))
    write_csv(tables / "freistellung_praxis.csv", pd.DataFrame(columns=["kategorie"]))
    (tables / "verlaufstypen_verteilung.csv").write_text("\n")  # a table without columns
    write_csv(
        tmp_path / "qualitaet" / "betriebe.csv",
        pd.DataFrame(
            {
                "art": ["nicht berechnet", "Kategorie ohne Kodierung"],
                "betrieb": ["", ""],
                "detail": ["keine Betriebe", "'Freistellung > keine' ist nicht kodiert"],
            }
        ),
    )
    documents = pd.DataFrame({"doc_id": ["d1"], "wave": ["2023-1"], "document_name": ["U01"]})
    codings = pd.DataFrame({"doc_id": ["d1"], "created": ["2023-03-01"], "modified": [None]})
    blocks = report_blocks(tmp_path, documents, codings, load_codebook(REPO / "codebook"), {})
    texts = [b.text for b in blocks if b.kind == "paragraph"]
    notes = [n for b in blocks for n in b.notes]
    assert "1 Erhebungswelle (2023-1 bis 2023-1): Rollen unbekannt" in texts[1]
    assert notes == ["nicht berechnet: keine Betriebe"]
    assert sum(t.startswith("Nicht berechnet: keine kodierten Interviews") for t in texts) == 4
    assert sum(t.startswith("Nicht berechnet: keine Panel-Interviews") for t in texts) == 1
    assert not [b for b in blocks if b.kind == "table"]
