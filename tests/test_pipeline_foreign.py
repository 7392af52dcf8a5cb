"""End to end on a codebook of another project (``asaqda codebook import``): none of the
study's codes, so company tables, panel, portraits and report say that their codes are absent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from python_calamine import CalamineWorkbook

from asaqda.absent import table_note
from asaqda.io.officefiles import read_csv

from .conftest import REPO, foreign_codebook, make_wave, segment_row

pytestmark = pytest.mark.slow

#: person -> paragraphs; each answer names the codes it is coded with
INTERVIEWS = {
    "U01": [
        "Interview U01",
        "I: Wie wohnen Ihre Auszubildenden?",
        "B: Die Miete in der Stadt ist für Azubis zu hoch.",
        "B: Nachts ist der Lärm von der Straße schlimm.",
    ],
    "A01": [
        "Interview A01",
        "I: Wie wohnen Sie?",
        "B: Die Miete frisst mein Gehalt.",
        "B: Mit der Nachbarschaft grillen wir oft.",
    ],
    "A02": [
        "Interview A02",
        "I: Wie wohnen Sie?",
        "B: Der Lärm der Baustelle stört beim Lernen.",
    ],
}
CODED = {"Miete": "Miete", "Lärm": "Lärm", "Nachbarschaft": "Nachbarschaft"}


def foreign_input(root: Path) -> None:
    """Two waves, one company and two panel trainees each (6 documents), coded with the
    foreign codes only."""
    for wave, panelwelle in (("2023-1", 1), ("2024-1", 2)):
        rows, variables, transcripts = [], [], {}
        for person, lines in INTERVIEWS.items():
            name, trainee = f"{person}_{wave}", person.startswith("A")
            group = "Auszubildende" if trainee else "Betriebe"
            transcripts[name] = lines
            variables.append(
                {
                    "Dokumentgruppe": group,
                    "Dokumentname": name,
                    "Welle": wave,
                    "Person": person,
                    "Rolle": "Auszubildende" if trainee else "Ausbildungsbetrieb",
                    "Betrieb": "U01",
                    **(
                        {"Panel": "ja", "Panelwelle": panelwelle, "WAS": 5 + panelwelle}
                        if trainee
                        else {}
                    ),
                }
            )
            for number, line in enumerate(lines, start=1):
                for word, code in CODED.items():
                    if line.startswith("B:") and word in line:
                        rows.append(
                            segment_row(name, code, number, number, line[3:], Dokumentgruppe=group)
                        )
        make_wave(root, wave, rows=rows, variables=variables, transcripts=transcripts)


@pytest.fixture(scope="module")
def foreign_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("foreign")
    inp, out, codebook = base / "in", base / "out", foreign_codebook(base / "codebook")
    foreign_input(inp)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "asaqda.cli",
            "run",
            "--input",
            str(inp),
            "--output",
            str(out),
            "--codebook",
            str(codebook),
        ],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, "HOME": str(base)},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    assert "Fertig: alle Ergebnisse" in result.stderr
    return out


def test_pipeline_foreign_codebook_counts_its_own_codes(foreign_run: Path) -> None:
    freq = read_csv(foreign_run / "tables" / "codehaeufigkeiten.csv")
    docs = freq.groupby("code")["dokumente"].sum().to_dict()
    assert docs == {"Lärm": 4, "Miete": 4, "Nachbarschaft": 2}
    assert read_csv(foreign_run / "qualitaet" / "unbekannte_codes.csv").empty


def test_pipeline_foreign_codebook_company_tables_and_panel_say_codes_absent(
    foreign_run: Path,
) -> None:
    tables = foreign_run / "tables"
    assert table_note(read_csv(tables / "entlastung.csv")) == (
        "Die Codes für Entlastung fehlen im Codebuch (Entlastung); diese Tabelle bleibt leer."
    )
    for name in ("freistellung_praxis", "freistellung_gruende", "vorphase", "bekanntheit"):
        assert table_note(read_csv(tables / f"{name}.csv")), name
        assert table_note(read_csv(tables / f"{name}_nach_merkmal.csv")), name
    assert table_note(read_csv(tables / "verlauf_nach_freizeit.csv")) == (
        "Die Codes für die Teilnahme in der Freizeit fehlen im Codebuch (Belastung > Teilnahme "
        "in der Freizeit); diese Tabelle bleibt leer."
    )
    assert table_note(read_csv(tables / "verlauf_nach_unterstuetzung.csv"))
    # the types still come from the WAS (5 -> 6 and 6 -> 7 is +1 each: steigend)
    types = read_csv(tables / "verlaufstypen.csv").set_index("person")
    assert types["typ"].to_dict() == {"A01": "steigend", "A02": "steigend"}
    book = CalamineWorkbook.from_path(str(tables / "arbeitsfaehigkeit.xlsx"))
    hints = [r[0] for r in book.get_sheet_by_name("Hinweis").to_python()[1:]]
    assert any(h.startswith("Die Codes für die Arbeitsfähigkeit fehlen") for h in hints)
    portrait = (foreign_run / "figures" / "portraits" / "A01.svg").read_text(encoding="utf-8")
    assert "keine Ereignisse." in portrait
    # nothing decided yet: the acceptance table has its header only
    annahme = (foreign_run / "vorcodierung" / "annahme.csv").read_text(encoding="utf-8")
    assert (
        annahme.strip().startswith("code,band,n_entscheidungen") and len(annahme.splitlines()) == 1
    )


def test_pipeline_foreign_codebook_report_says_so_in_each_section(foreign_run: Path) -> None:
    texts = [p.text for p in docx.Document(str(foreign_run / "bericht.docx")).paragraphs]
    assert (
        "Nicht berechnet: Die Codes für Entlastung fehlen im Codebuch (Entlastung); diese "
        "Tabelle bleibt leer."
    ) in texts
    assert sum(t.startswith("Nicht berechnet: Die Codes für") for t in texts) == 5
    assert any(t.startswith("Hinweis: Die Codes für die Arbeitsfähigkeit fehlen") for t in texts)
    assert "Das Panel umfasst 2 Auszubildende." in " ".join(texts)
