"""The corpus of real-looking MAXQDA exports imports whole, with exact counts and dates;
broken exports stop with a German message and leave nothing behind."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from asaqda.errors import InputError
from asaqda.io.wave import import_wave
from asaqda.stages import import_step

from .exports_corpus import N_CODES, N_DOCUMENTS, N_SEGMENTS, SEGMENTS, VARIANTS


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_corpus_variant_imports_with_exact_counts(tmp_path: Path, variant: str) -> None:
    writer, sheet, note = VARIANTS[variant]
    wave_dir = tmp_path / "2024-1"
    wave_dir.mkdir()
    writer(wave_dir, "2024-1")
    result = import_wave(tmp_path, "2024-1")
    cods, docs = result.codings, result.documents
    assert (len(cods), len(docs), cods["code"].nunique()) == (N_SEGMENTS, N_DOCUMENTS, N_CODES)
    assert sorted(docs["document_name"]) == ["A01", "U01", "U02"]
    assert set(docs["Rolle"]) == {"Auszubildende", "Ausbildungsbetrieb"}
    assert set(cods["source_sheet"]) == {sheet}
    got = {
        (r.document_group, r.document_name, r.code, r.begin, r.end): (r.segment, r.coder, r.created)
        for r in cods.itertuples()
    }
    expected = {
        (g, n, c, b, e): (
            t,
            coder,
            when.replace(second=0) if variant == "maxqda20_en_csv_uk" else when,
        )
        for g, n, c, b, e, t, coder, when in SEGMENTS
    }
    assert got == expected
    if note:
        assert any(note in n for n in result.notes), result.notes


def _bad_date(wave_dir: Path, wave: str) -> None:
    VARIANTS["maxqda24_de_xlsx"][0](wave_dir, wave)
    path = wave_dir / "MAXQDA 24 Codierte Segmente.xlsx"
    wb = load_workbook(path)
    wb.active["M4"] = "Mo., 13. Mai"  # Erstellt am of the third segment
    wb.save(path)


def _no_export_sheet(wave_dir: Path, wave: str) -> None:
    wb = Workbook()
    wb.active.title = "Pivot"
    wb.active.append(["Zeilenbeschriftungen", "Anzahl"])
    wb.save(wave_dir / "Auswertung.xlsx")


def _truncated(wave_dir: Path, wave: str) -> None:
    VARIANTS["maxqda24_de_xlsx"][0](wave_dir, wave)
    path = wave_dir / "MAXQDA 24 Codierte Segmente.xlsx"
    path.write_bytes(path.read_bytes()[:3000])


@pytest.mark.parametrize(
    ("writer", "code", "message"),
    [
        (
            _bad_date,
            "E011",
            "'2024-1/MAXQDA 24 Codierte Segmente.xlsx', Blatt 'Codierte Segmente', Zeile 4, "
            "Spalte 'Erstellt am': 'Mo., 13. Mai' ist kein Datum",
        ),
        (
            _no_export_sheet,
            "E005",
            "'2024-1/Auswertung.xlsx', Blatt 'Pivot', Zeile 1: dieses Tabellenblatt ist weder ein "
            "Export der codierten Segmente noch der Dokumentvariablen",
        ),
        (
            _truncated,
            "E002",
            "'2024-1/MAXQDA 24 Codierte Segmente.xlsx': die Arbeitsmappe kann nicht gelesen werden",
        ),
    ],
)
def test_corpus_broken_export_stops_with_german_message_and_writes_nothing(
    tmp_path: Path, writer: Callable[[Path, str], None], code: str, message: str
) -> None:
    wave_dir = tmp_path / "in" / "2024-1"
    wave_dir.mkdir(parents=True)
    writer(wave_dir, "2024-1")
    before = {p: p.read_bytes() for p in wave_dir.iterdir()}
    out = tmp_path / "out" / "interim" / "2024-1"
    with pytest.raises(InputError) as err:
        import_step(tmp_path / "in", "2024-1", out)
    assert err.value.code == code
    assert message in str(err.value)
    assert not out.exists()
    assert {p: p.read_bytes() for p in wave_dir.iterdir()} == before  # the input is untouched
