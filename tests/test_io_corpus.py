"""The corpus of real-looking MAXQDA exports imports whole, with exact counts and dates."""

from __future__ import annotations

from pathlib import Path

import pytest

from asaqda.io.wave import import_wave

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
