"""Corpus checks: documents in two waves, pseudonym typos, unknown codes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from asaqda.codebook import closest_code, load_codebook
from asaqda.errors import InputError
from asaqda.io.wave import import_wave
from asaqda.quality import (
    check_duplicate_documents,
    check_pseudonyms,
    pseudonym_key,
    unknown_codes,
)

from .conftest import REPO, make_wave, segment_row


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(REPO / "codebook")


def _docs(tmp_path: Path, waves: dict[str, list[dict[str, object]]]) -> pd.DataFrame:
    frames = []
    for wave, variables in waves.items():
        make_wave(tmp_path, wave, rows=[], variables=variables, transcripts={})
        frames.append(import_wave(tmp_path, wave).documents)
    return pd.concat(frames, ignore_index=True)


def _var(name: str, wave: str, person: str) -> dict[str, object]:
    return {
        "Dokumentgruppe": "Auszubildende",
        "Dokumentname": name,
        "Welle": wave,
        "Person": person,
        "Rolle": "Auszubildende",
    }


def test_quality_document_in_two_waves_is_E006(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "2023-1": [_var("A017_Interview", "2023-1", "A017")],
            "2023-2": [_var("A017_Interview", "2023-2", "A017")],
        },
    )
    with pytest.raises(InputError) as err:
        check_duplicate_documents(docs)
    assert err.value.code == "E006"
    assert "Welle 2023-1" in str(err.value) and "Welle 2023-2" in str(err.value)


def test_quality_pseudonym_typo_is_E010_naming_file_row_and_likely_spelling(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "2023-1": [
                _var("A017_2023-1", "2023-1", "A017"),
                _var("A020_2023-1", "2023-1", "A020"),
            ],
            "2024-1": [_var("A017_2024-1", "2024-1", "A017"), _var("A17_2024-1x", "2024-1", "A17")],
        },
    )
    with pytest.raises(InputError) as err:
        check_pseudonyms(docs)
    msg = str(err.value)
    assert err.value.code == "E010"
    assert "Person 'A17'" in msg and "Tippfehler von 'A017'" in msg
    assert "'2024-1/variablen.xlsx', Zeile 3, Spalte 'Person'" in msg


def test_quality_distinct_pseudonyms_pass(tmp_path: Path) -> None:
    docs = _docs(
        tmp_path,
        {
            "2023-1": [
                _var("a", "2023-1", "A017"),
                _var("b", "2023-1", "A018"),
                _var("c", "2023-1", "A170"),
            ]
        },
    )
    check_pseudonyms(docs)


@pytest.mark.parametrize(
    ("a", "b"), [("A17", "A017"), ("a017", "A017"), ("A 017", "A017"), ("U_33", "U33")]
)
def test_quality_pseudonym_key_collides_for_typos(a: str, b: str) -> None:
    assert pseudonym_key(a) == pseudonym_key(b)


def test_quality_unknown_codes_listed_with_closest_code(tmp_path: Path, codebook) -> None:
    rows = [
        segment_row("U01_2023-1", "Freistellung > Keine", 3, 3, "Nein, wir stellen nicht frei."),
        segment_row(
            "U01_2023-1", "Freistellung\\Gruende\\Kosten", 5, 5, "Jede Stunde kostet uns Geld."
        ),
        segment_row("U01_2023-1", "Freistellung > keine", 3, 3, "Nein, wir stellen nicht frei."),
    ]
    make_wave(tmp_path, rows=rows)
    unknown = unknown_codes(import_wave(tmp_path, "2023-1").codings, codebook)
    assert list(unknown["code"]) == ["Freistellung > Gruende > Kosten", "Freistellung > Keine"]
    assert list(unknown["vorschlag"]) == ["Freistellung > Gründe > Kosten", "Freistellung > keine"]
    assert list(unknown["segmente"]) == [1, 1]


def test_quality_closest_code_gives_up_on_unrelated_codes(codebook) -> None:
    assert closest_code("Wetter > Regen", codebook.paths)[0] is None


def test_quality_intercoder_copy_is_the_one_in_the_group_of_duplicates() -> None:
    from asaqda.quality import mark_intercoder_copies

    # the check group (3 copies) is larger than the companies' group (2 documents)
    docs = pd.DataFrame(
        {
            "wave": ["2024-1"] * 7,
            "document_group": [
                "Betriebe",
                "Betriebe",
                "Auszubildende",
                "Auszubildende",
                "Zweitkodierung",
                "Zweitkodierung",
                "Zweitkodierung",
            ],
            "document_name": ["U01", "U02", "A01", "A02", "U01", "U02", "A01"],
        }
    )
    flagged = docs[mark_intercoder_copies(docs)]
    assert set(flagged["document_group"]) == {"Zweitkodierung"}
    assert sorted(flagged["document_name"]) == ["A01", "U01", "U02"]
