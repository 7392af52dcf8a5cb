"""A codebook without the study's codes: the tables built on them say so instead of showing 0."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from asaqda.absent import absent_note, codes_present, note_table, table_note
from asaqda.codebook import load_codebook
from asaqda.io.officefiles import read_csv, write_csv
from asaqda.panel.tables import absent_events_note, absent_panel_codes
from asaqda.panel.trajectories import PanelParams
from asaqda.report.content import report_blocks
from asaqda.stages import company_tables, panel_step

from .conftest import FOREIGN_CODES, REPO, foreign_codebook

STUDY = load_codebook(REPO / "codebook")


@pytest.mark.parametrize(
    ("paths", "present"),
    [
        (["Entlastung"], True),
        (["Entlastung > Ausbildungsbegleitung"], True),
        (["Entlastungen"], False),  # a longer name is another code
        (["Miete", "Lärm"], False),
        ([], False),
    ],
)
def test_absent_codes_present_matches_a_root_or_a_code_below_it(
    paths: list[str], present: bool
) -> None:
    assert codes_present(paths, ("Entlastung",)) is present


def test_absent_note_names_the_codes_and_round_trips_through_csv(tmp_path: Path) -> None:
    note = absent_note("Entlastung", ("Entlastung",), FOREIGN_CODES)
    assert (
        note
        == "Die Codes für Entlastung fehlen im Codebuch (Entlastung); diese Tabelle bleibt leer."
    )
    assert absent_note("Entlastung", ("Entlastung",), STUDY.paths) is None
    write_csv(tmp_path / "t.csv", note_table(note, ["kategorie", "n_betriebe", "anteil_prozent"]))
    back = read_csv(tmp_path / "t.csv")
    assert back.columns.tolist() == ["kategorie", "n_betriebe", "anteil_prozent"]
    assert table_note(back) == note
    assert table_note(pd.DataFrame({"kategorie": ["keine"], "n_betriebe": [0]})) is None


def company_corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    documents = pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "document_name": ["U01_2023-1", "U02_2023-1"],
            "wave": ["2023-1", "2023-1"],
            "Rolle": ["Ausbildungsbetrieb"] * 2,
            "Betrieb": ["U01", "U02"],
            "Person": ["U01", "U02"],
        }
    )
    codings = pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "code": ["Miete", "Lärm"],
            "segment": ["Die Miete ist hoch.", "Es ist laut."],
            "comment": ["", ""],
            "weight": [0, 0],
            "begin": [3, 4],
            "wave": ["2023-1", "2023-1"],
        }
    )
    return documents, codings


def test_absent_company_tables_of_a_foreign_codebook_are_one_note_each(tmp_path: Path) -> None:
    codebook = load_codebook(foreign_codebook(tmp_path / "cb"))
    documents, codings = company_corpus()
    result = company_tables(documents, codings, codebook)
    extra = result.pop("_extra")
    assert len(result) == 8
    practice = result["freistellung_praxis"]["table"]
    assert practice.to_dict("records") == [
        {
            "kategorie": "Die Codes für Freistellungspraxis der Betriebe fehlen im Codebuch "
            "(Freistellung > vollständig, Freistellung > Wegezeiten, Freistellung > "
            "Räumlichkeiten, Freistellung > keine); diese Tabelle bleibt leer.",
            "n_betriebe": None,
            "anteil_prozent": None,
        }
    ]
    assert table_note(result["freistellung_gruende"]["table"]) == (
        "Die Codes für Gründe und Bedingungen der Freistellung fehlen im Codebuch "
        "(Freistellung > Gründe, Freistellung > Bedingungen); diese Tabelle bleibt leer."
    )
    assert table_note(result["entlastung"]["breakdown"]) == (
        "Die Codes für Entlastung fehlen im Codebuch (Entlastung); diese Tabelle bleibt leer."
    )
    assert all(table_note(parts["table"]) for parts in result.values())
    # the companies are still there; no absent category is listed as "not coded"
    assert sorted(result["entlastung"]["matrix"]["betrieb"]) == ["U01", "U02"]
    assert "Kategorie ohne Kodierung" not in set(extra["qualitaet"]["art"])


def test_absent_company_tables_keep_a_table_one_of_whose_codes_is_there() -> None:
    documents, codings = company_corpus()
    result = company_tables(documents, codings, STUDY)
    assert not [
        name for name, parts in result.items() if name != "_extra" and table_note(parts["table"])
    ]


def panel_result() -> dict[str, pd.DataFrame]:
    types = pd.DataFrame({"person": ["A1"], "typ": ["steigend"]})
    return {
        "typen": types,
        "nach_freistellung": pd.DataFrame(
            {
                "typ": ["steigend"],
                "freistellung_betrieb": ["keine"],
                "n": [1],
                "anteil_prozent": [100.0],
            }
        ),
        "nach_freizeit": pd.DataFrame(
            {
                "typ": ["steigend"],
                "teilnahme_in_der_freizeit": ["nein"],
                "n": [1],
                "anteil_prozent": [100.0],
            }
        ),
        "nach_unterstuetzung": pd.DataFrame(
            columns=["unterstuetzung", "typ", "n", "von", "anteil_prozent"]
        ),
    }


def test_absent_panel_codes_replace_the_crosstabs_and_say_what_the_types_lack() -> None:
    tables, notes = absent_panel_codes(
        panel_result(), ["Miete", "Unterstützung > Deutschförderung"]
    )
    assert notes == [
        "Die Codes für die Freistellungspraxis fehlen im Codebuch (Freistellung > vollständig, "
        "Freistellung > Wegezeiten, Freistellung > Räumlichkeiten, Freistellung > keine); "
        "diese Tabelle bleibt leer.",
        "Die Codes für die Teilnahme in der Freizeit fehlen im Codebuch (Belastung > Teilnahme "
        "in der Freizeit); diese Tabelle bleibt leer.",
        "Die Codes für die Arbeitsfähigkeit fehlen im Codebuch (Arbeitsfähigkeit > steigend, "
        "Arbeitsfähigkeit > fallend); die Bilanz der Arbeitsfähigkeit bleibt leer, der "
        "Verlaufstyp beruht nur auf dem WAS.",
        "Die Codes für die Bewältigungsfähigkeit fehlen im Codebuch (Bewältigungsfähigkeit > "
        "steigend, Bewältigungsfähigkeit > fallend); die Bilanz der Bewältigungsfähigkeit "
        "bleibt leer.",
        "Die Codes für den Abbruch fehlen im Codebuch (Ausbildungsverlauf > Abbruch); ein "
        "Abbruch kann nicht erkannt werden.",
    ]
    assert table_note(tables["nach_freizeit"]) == notes[1]
    assert tables["nach_freizeit"].columns.tolist() == [
        "typ",
        "teilnahme_in_der_freizeit",
        "n",
        "anteil_prozent",
    ]
    assert table_note(tables["nach_unterstuetzung"]) is None  # Unterstützung > … is there
    assert tables["typen"].equals(panel_result()["typen"])  # the types are untouched
    assert absent_panel_codes(panel_result(), STUDY.paths)[1] == []


def test_absent_events_note_of_a_portrait() -> None:
    assert absent_events_note(FOREIGN_CODES) == (
        "Die Codes für die Arbeits- und Bewältigungsfähigkeit fehlen im Codebuch "
        "(Arbeitsfähigkeit > steigend, Arbeitsfähigkeit > fallend, Bewältigungsfähigkeit > "
        "steigend, Bewältigungsfähigkeit > fallend); keine Ereignisse."
    )
    assert absent_events_note(STUDY.paths) == ""


def test_absent_panel_step_writes_the_notes_into_the_workbook(tmp_path: Path) -> None:
    codebook = foreign_codebook(tmp_path / "cb")
    json_path = tmp_path / "codebook.json"
    json_path.write_text(load_codebook(codebook).model_dump_json(), encoding="utf-8")
    documents = pd.DataFrame(
        {
            "doc_id": ["a1", "a2"],
            "document_name": ["A01_2023-1", "A01_2024-1"],
            "wave": ["2023-1", "2024-1"],
            "Rolle": ["Auszubildende"] * 2,
            "Person": ["A01", "A01"],
            "Betrieb": ["U01", "U01"],
            "Panel": ["ja", "ja"],
            "Panelwelle": [1, 2],
            "WAS": [6.0, 8.0],
            "intercoder_copy": [False, False],
        }
    )
    codings = pd.DataFrame(
        {
            "doc_id": ["a1", "a2"],
            "code": ["Miete", "Lärm"],
            "segment": ["Die Miete ist hoch.", "Es ist laut."],
            "weight": [0, 0],
            "begin": [3, 3],
            "intercoder_copy": [False, False],
        }
    )
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    documents.to_parquet(corpus / "documents.parquet")
    codings.to_parquet(corpus / "codings.parquet")
    tables = tmp_path / "tables"
    panel_step(
        corpus, tables, tmp_path / "figures", tmp_path / "q", PanelParams(), codebook_json=json_path
    )
    assert table_note(read_csv(tables / "verlauf_nach_freistellung.csv")).startswith(
        "Die Codes für die Freistellungspraxis fehlen im Codebuch"
    )
    assert read_csv(tables / "verlaufstypen.csv")["typ"].tolist() == ["steigend"]  # on WAS
    book = CalamineWorkbook.from_path(str(tables / "arbeitsfaehigkeit.xlsx"))
    assert book.sheet_names[0] == "Hinweis"
    hints = [r[0] for r in book.get_sheet_by_name("Hinweis").to_python()[1:]]
    assert len(hints) == 6 and hints[2].startswith("Die Codes für die Unterstützung")


def test_absent_report_says_in_each_section_that_the_codes_are_absent(tmp_path: Path) -> None:
    codebook = load_codebook(foreign_codebook(tmp_path / "cb"))
    tables = tmp_path / "tables"
    documents, codings = company_corpus()
    result = company_tables(documents, codings, codebook)
    result.pop("_extra")
    for name, parts in result.items():
        write_csv(tables / f"{name}.csv", parts["table"])
        write_csv(tables / f"{name}_matrix.csv", parts["matrix"])
        write_csv(tables / f"{name}_nach_merkmal.csv", parts["breakdown"])
    write_csv(tables / "freistellung_konflikte.csv", pd.DataFrame(columns=["betrieb"]))
    write_csv(
        tables / "verlaufstypen_verteilung.csv",
        pd.DataFrame(
            {"typ": ["steigend"], "n": [1], "anteil_prozent": [100.0], "davon_vorlaeufig": [1]}
        ),
    )
    tables_, _ = absent_panel_codes(panel_result(), codebook.paths)
    write_csv(tables / "verlauf_nach_freizeit.csv", tables_["nach_freizeit"])
    write_csv(
        tmp_path / "qualitaet" / "betriebe.csv", pd.DataFrame(columns=["art", "betrieb", "detail"])
    )
    blocks = report_blocks(
        tmp_path, documents, codings.assign(created="2023-03-01", modified=None), codebook, {}
    )
    texts = [b.text for b in blocks if b.kind == "paragraph"]
    absent = [t for t in texts if t.startswith("Nicht berechnet: Die Codes für")]
    assert absent == [
        "Nicht berechnet: " + table_note(result[name]["table"])
        for name in (
            "freistellung_praxis",
            "freistellung_gruende",
            "einstellungsbereitschaft",
            "entlastung",
        )
    ] + ["Nicht berechnet: " + table_note(tables_["nach_freizeit"])]
    assert (
        "Hinweis: Die Codes für die Arbeitsfähigkeit fehlen im Codebuch (Arbeitsfähigkeit > "
        "steigend, Arbeitsfähigkeit > fallend); die Bilanz der Arbeitsfähigkeit bleibt leer, "
        "der Verlaufstyp beruht nur auf dem WAS."
    ) in texts
    # no company table is shown (only the interviews by role)
    assert [b.text for b in blocks if b.kind == "table"][1:] == [
        "Verlaufstypen der Arbeitsfähigkeit (n = 1 Person)"
    ]
