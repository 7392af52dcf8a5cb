"""Company tables: one count per company and category, conflicts, breakdowns, quotes, report."""

from __future__ import annotations

import pandas as pd
import pytest

from asaqda.codebook import load_codebook
from asaqda.tables.companies import freistellung_practice
from asaqda.tables.company_tables import (
    anchor_quotes,
    breakdown,
    company_matrix,
    company_problems,
    count_table,
    practice_table,
    table_definitions,
)

from .conftest import REPO

CODEBOOK = load_codebook(REPO / "codebook")


def doc(doc_id: str, firm: str | None, wave: str = "2023-1", **extra: object) -> dict[str, object]:
    return {
        "doc_id": doc_id,
        "document_name": f"{doc_id}_{wave}",
        "wave": wave,
        "Rolle": extra.pop("Rolle", "Ausbildungsbetrieb"),
        "Betrieb": firm,
        "Person": extra.pop("Person", firm),
        "Region": extra.pop("Region", "Bayern"),
        "Betriebsgröße": extra.pop("Betriebsgröße", "Kleinbetrieb"),
        "Arbeitsmarkttyp": "I",
        "intercoder_copy": extra.pop("intercoder_copy", False),
    }


def cod(doc_id: str, code: str, **extra: object) -> dict[str, object]:
    return {
        "doc_id": doc_id,
        "code": code,
        "segment": extra.pop("segment", "Bei uns wird niemand freigestellt, das geht nicht."),
        "comment": extra.pop("comment", ""),
        "weight": extra.pop("weight", 0),
        "begin": 1,
        "wave": extra.pop("wave", "2023-1"),
    }


@pytest.fixture
def corpus() -> tuple[pd.DataFrame, pd.DataFrame]:
    documents = pd.DataFrame(
        [
            doc("d1", "U1"),
            doc("d2", "U1", "2024-1"),  # the same company again: still one company
            doc("d3", "U2", Region="Sachsen"),
            doc("d4", "U3"),
            doc("d5", "U4"),
            doc("d6", "U4", "2024-1"),
            doc("d7", None),  # no Betrieb: not counted, reported
            doc("d8", "U5", "2024-1"),  # nobody has coded it yet: no data
            doc("d9", "U1", "2024-2"),  # U1 again, not coded yet: U1 counts from d1, d2
            doc("a1", "U1", Rolle="Auszubildende", Person="A001"),  # not a company interview
            doc("c1", "U3", intercoder_copy=True),  # a second coder's copy
        ]
    )
    codings = pd.DataFrame(
        [
            cod("d1", "Freistellung > keine"),
            cod("d1", "Freistellung > keine"),
            cod("d2", "Freistellung > keine", wave="2024-1"),
            cod("d1", "Entlastung > Ausbildungsbegleitung"),
            cod("d2", "Entlastung > Ausbildungsbegleitung", wave="2024-1"),
            cod("d3", "Freistellung > vollständig", comment="Ankerzitat!", segment="Voll frei."),
            cod("d3", "Entlastung"),
            cod("d4", "Vorphase"),  # coded, but no practice code
            cod("d5", "Freistellung > Wegezeiten"),
            cod("d6", "Freistellung > keine", wave="2024-1"),  # U4 conflicts
            cod("d7", "Freistellung > keine"),
            cod("a1", "Freistellung > vollständig"),
            cod("c1", "Freistellung > Räumlichkeiten"),
        ]
    )
    return documents[~documents["intercoder_copy"]], codings


def test_company_tables_practice_counts_each_company_once_and_lists_conflicts(
    corpus: tuple,
) -> None:
    documents, codings = corpus
    table, conflicts, matrix = practice_table(documents, codings)
    counts = table.set_index("kategorie")["n_betriebe"].to_dict()
    assert counts == {
        "vollständig": 1,
        "Wegezeiten": 0,
        "Räumlichkeiten": 0,
        "keine": 1,
        "nicht kodiert": 1,  # U3
    }
    assert table.set_index("kategorie").loc["keine", "anteil_prozent"] == 33.3
    assert conflicts["betrieb"].tolist() == ["U4"]
    assert conflicts["codes"].item() == "Wegezeiten, keine"
    assert sorted(matrix["betrieb"]) == ["U1", "U2", "U3"]


def test_company_tables_relief_table_has_a_row_insgesamt(corpus: tuple) -> None:
    documents, codings = corpus
    td = next(t for t in table_definitions(CODEBOOK) if t.name == "entlastung")
    matrix = company_matrix(documents, codings, td.codes, td.total_of)
    table = count_table(matrix).set_index("kategorie")
    assert table.loc["Ausbildungsbegleitung", "n_betriebe"] == 1
    assert table.loc["insgesamt", "n_betriebe"] == 2  # U1 and U2 (parent code)
    assert table.loc["insgesamt", "anteil_prozent"] == 50.0  # of 4 companies
    assert list(table.index[:-1]) == [c.split(" > ")[-1] for c in td.codes]


def test_company_tables_breakdown_by_wave_counts_a_company_in_each_wave(corpus: tuple) -> None:
    documents, codings = corpus
    result = breakdown(documents, codings, lambda d, c: practice_table(d, c)[2])
    waves = result[(result["merkmal"] == "Welle") & (result["kategorie"] == "keine")]
    # 2024-2 holds only the uncoded d9: no group (U5's uncoded d8 is in no 2024-1 denominator)
    assert waves.set_index("auspraegung")["n_betriebe"].to_dict() == {"2023-1": 1, "2024-1": 2}
    shares = waves.set_index("auspraegung")["anteil_prozent"].to_dict()
    assert shares == {"2023-1": 25.0, "2024-1": 100.0}  # of U1-U4 in 2023-1; of U1, U4 in 2024-1
    regions = result[(result["merkmal"] == "Region") & (result["kategorie"] == "vollständig")]
    assert regions.set_index("auspraegung")["n_betriebe"].to_dict() == {"Bayern": 0, "Sachsen": 1}


def test_company_tables_problems_name_missing_betrieb_and_empty_categories(
    corpus: tuple,
) -> None:
    documents, codings = corpus
    documents = documents.copy()
    documents.loc[documents["doc_id"] == "d2", "Betriebsgröße"] = "Großbetrieb"
    problems = company_problems(documents, codings, ["Freistellung > keine", "Bekanntheit"])
    kinds = set(zip(problems["art"], problems["betrieb"], strict=True))
    assert ("ohne Betrieb", "") in kinds
    assert ("Betriebsgröße uneinheitlich", "U1") in kinds
    assert ("Kategorie ohne Kodierung", "") in kinds
    assert any("'Bekanntheit'" in d for d in problems["detail"])


def test_company_tables_anchor_quotes_prefer_the_coders_marking_and_name_the_source(
    corpus: tuple,
) -> None:
    documents, codings = corpus
    quotes = anchor_quotes(
        documents, codings, ["Freistellung > vollständig", "Freistellung > keine"]
    )
    full = quotes[quotes["code"] == "Freistellung > vollständig"].iloc[0]
    assert full["zitat"] == "Voll frei." and full["quelle"] == "(Ausbilder_U2)"
    assert full["auswahl"] == "Markierung im Kommentar"
    keine = quotes[quotes["code"] == "Freistellung > keine"]
    assert keine["betrieb"].is_unique  # one quote per company


def test_company_tables_uncoded_interviews_are_no_data(corpus: tuple) -> None:
    """U5 (only an uncoded interview) is neither ``nicht kodiert`` nor in the denominator;
    U3 (coded, but no practice code) stays ``nicht kodiert``; both are named correctly."""
    documents, codings = corpus
    table, _, matrix = practice_table(documents, codings)
    assert table.set_index("kategorie")["n_betriebe"].to_dict()["nicht kodiert"] == 1
    assert int(matrix.drop(columns="betrieb").to_numpy().sum()) == 3  # U1, U2, U3
    assert "U5" not in set(matrix["betrieb"])
    td = next(t for t in table_definitions(CODEBOOK) if t.name == "entlastung")
    relief = company_matrix(documents, codings, td.codes, td.total_of, td.total_excludes)
    assert relief["betrieb"].tolist() == ["U1", "U2", "U3", "U4"]
    problems = company_problems(documents, codings, [])
    waiting = problems[problems["art"].isin(["noch nicht kodiert", "Interview noch nicht kodiert"])]
    assert waiting[["art", "betrieb"]].values.tolist() == [
        ["Interview noch nicht kodiert", "U1"],
        ["noch nicht kodiert", "U5"],
    ]
    assert waiting["detail"].iloc[1].startswith("d8_2024-1 (2024-1): noch keine Kodierung")
    # what the panel crosstab shows for a trainee's company
    practice = freistellung_practice(documents, codings).set_index("betrieb")["praxis"]
    assert practice.to_dict() == {
        "U1": "keine",
        "U2": "vollständig",
        "U3": "nicht kodiert",
        "U4": "Konflikt",
        "U5": "noch nicht kodiert",
    }


def test_company_tables_no_relief_is_not_counted_as_relief() -> None:
    """A company whose only Entlastung code is ``keine Entlastung`` is in its own row, not in
    ``insgesamt``; one with relief and nothing else counts in ``insgesamt``."""
    documents = pd.DataFrame([doc("e1", "U7"), doc("e2", "U8"), doc("e3", "U9")])
    codings = pd.DataFrame(
        [
            cod("e1", "Entlastung > keine Entlastung"),
            cod("e2", "Entlastung > Ausbildungsbegleitung"),
            cod("e3", "Freistellung > keine"),
        ]
    )
    td = next(t for t in table_definitions(CODEBOOK) if t.name == "entlastung")
    table = count_table(
        company_matrix(documents, codings, td.codes, td.total_of, td.total_excludes)
    ).set_index("kategorie")
    assert table.loc["keine Entlastung", ["n_betriebe", "anteil_prozent"]].tolist() == [1, 33.3]
    assert table.loc["insgesamt", ["n_betriebe", "anteil_prozent"]].tolist() == [1, 33.3]


def test_company_tables_problems_name_no_relief_next_to_relief() -> None:
    documents = pd.DataFrame([doc("e1", "U7"), doc("e2", "U7", "2024-1"), doc("e3", "U8")])
    codings = pd.DataFrame(
        [
            cod("e1", "Entlastung > keine Entlastung"),
            cod("e2", "Entlastung > Ausbildungsbegleitung", wave="2024-1"),
            cod("e3", "Entlastung > keine Entlastung"),
        ]
    )
    problems = company_problems(documents, codings, [])
    assert problems[["art", "betrieb"]].values.tolist() == [["Entlastung widersprüchlich", "U7"]]
    assert (
        problems["detail"]
        .item()
        .startswith("'keine Entlastung' und 'Ausbildungsbegleitung' kodiert")
    )
