"""The corpus converter: a planted labelled corpus becomes exact MAXQDA files that the real
importer and the real codebook loader read back with exact counts."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

from asaqda.codebook import load_codebook
from asaqda.corpus import (
    codebook_files,
    convert_corpus,
    pseudo_documents,
    segment_rows,
    transcript_paragraphs,
)
from asaqda.io.wave import import_wave
from asaqda.precode.model import paragraph_table
from asaqda.precode.precoder import leaf_codes

from .conftest import REPO


def planted() -> pd.DataFrame:
    """Two documents, four units; one unit with two codes, one uncoded, one like a formula."""
    return pd.DataFrame(
        {
            "text": [
                "Weck mich um neun.",
                "Wie wird das\nWetter  morgen?",
                "Hallo zusammen.",
                "=1+1 und Wecker",
            ],
            "codes": [
                ("Absicht > Wecker",),
                ("Absicht > Wetter",),
                (),
                ("Absicht > Wetter", "Absicht > Wecker"),
            ],
            "document": ["D2", "D2", "D1", "D1"],
        }
    )


def test_corpus_transcript_paragraphs_one_unit_per_paragraph() -> None:
    assert transcript_paragraphs(planted()) == {
        "D2": ["B: Weck mich um neun.", "B: Wie wird das Wetter morgen?"],
        "D1": ["B: Hallo zusammen.", "B: =1+1 und Wecker"],
    }


def test_corpus_segment_rows_one_row_per_unit_and_code() -> None:
    rows = segment_rows(planted(), "Korpus")
    got = rows[["Dokumentgruppe", "Dokumentname", "Code", "Anfang", "Ende", "Segment"]]
    assert got.values.tolist() == [
        ["Korpus", "D1", "Absicht > Wecker", 2, 2, "=1+1 und Wecker"],
        ["Korpus", "D1", "Absicht > Wetter", 2, 2, "=1+1 und Wecker"],
        ["Korpus", "D2", "Absicht > Wecker", 1, 1, "Weck mich um neun."],
        ["Korpus", "D2", "Absicht > Wetter", 2, 2, "Wie wird das Wetter morgen?"],
    ]


def test_corpus_codebook_files_add_parents_and_one_file_per_main_category() -> None:
    files = codebook_files(["Absicht > Wecker", "Stimmung > gut > sehr"], "Test")
    assert sorted(files) == ["absicht.yaml", "codebook.yaml", "stimmung.yaml"]
    assert files["codebook.yaml"]["reihenfolge"] == ["Absicht", "Stimmung"]
    codes = [c["code"] for c in files["stimmung.yaml"]["codes"]]  # type: ignore[index]
    assert codes == ["Stimmung", "Stimmung > gut", "Stimmung > gut > sehr"]


def test_corpus_convert_reads_back_through_the_codebook_loader(tmp_path: Path) -> None:
    out = convert_corpus(planted(), tmp_path, title="Planted")
    codebook = load_codebook(out.codebook_dir)
    assert codebook.paths == ["Absicht", "Absicht > Wecker", "Absicht > Wetter"]
    assert leaf_codes(codebook) == ["Absicht > Wecker", "Absicht > Wetter"]
    assert codebook.get("Absicht > Wetter").definition == "Code 'Absicht > Wetter' des Korpus."  # type: ignore[union-attr]


@pytest.mark.parametrize("fmt", ["txt", "docx"])
def test_corpus_convert_imports_through_the_real_importer(tmp_path: Path, fmt: str) -> None:
    out = convert_corpus(planted(), tmp_path, transcript_format=fmt)
    assert (out.n_documents, out.n_paragraphs, out.n_segments) == (2, 4, 4)
    assert out.codes == ("Absicht > Wecker", "Absicht > Wetter")
    result = import_wave(out.input_dir, "2023-1")
    assert result.notes == []
    docs = result.documents.sort_values("document_name")
    assert docs[
        ["document_name", "has_transcript", "n_paragraphs", "n_codings"]
    ].values.tolist() == [
        ["D1", True, 2, 2],
        ["D2", True, 2, 2],
    ]
    assert docs["Welle"].tolist() == ["2023-1", "2023-1"]
    assert len(result.codings) == 4
    table = paragraph_table(
        result.paragraphs, result.codings, result.documents, list(out.codes)
    ).merge(result.documents[["doc_id", "document_name"]], on="doc_id")
    got = {
        (r.document_name, int(r.paragraph)): (r.speaker, r.content, r.labels)
        for r in table.itertuples()
    }
    assert got == {
        ("D1", 1): ("B", "Hallo zusammen.", ()),
        ("D1", 2): ("B", "=1+1 und Wecker", ("Absicht > Wecker", "Absicht > Wetter")),
        ("D2", 1): ("B", "Weck mich um neun.", ("Absicht > Wecker",)),
        ("D2", 2): ("B", "Wie wird das Wetter morgen?", ("Absicht > Wetter",)),
    }


def test_corpus_convert_writes_one_folder_per_wave_with_the_part(tmp_path: Path) -> None:
    units = planted().assign(
        wave=["2023-2", "2023-2", "2023-1", "2023-1"], part=["test", "test", "train", "train"]
    )
    out = convert_corpus(units, tmp_path)
    assert out.waves == ("2023-1", "2023-2")
    train, test = import_wave(out.input_dir, "2023-1"), import_wave(out.input_dir, "2023-2")
    assert train.documents["document_name"].tolist() == ["D1"]
    assert test.documents["document_name"].tolist() == ["D2"]
    assert (train.documents["Teil"].tolist(), test.documents["Teil"].tolist()) == (
        ["train"],
        ["test"],
    )
    assert (len(train.codings), len(test.codings)) == (2, 2)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"text": ["x", " ", "y", "z"]}, "have no text"),
        ({"wave": ["2023-1", "2023-2", "2023-1", "2023-1"]}, "lie in two waves"),
    ],
)
def test_corpus_convert_rejects_bad_units(
    tmp_path: Path, change: dict[str, list[str]], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        convert_corpus(planted().assign(**change), tmp_path)
    assert not (tmp_path / "input").exists()


def test_corpus_pseudo_documents_fixed_seed_and_size() -> None:
    names = pseudo_documents(5, 2, seed=0)
    assert names == pseudo_documents(5, 2, seed=0)
    assert sorted(names) == ["D0001", "D0001", "D0002", "D0002", "D0003"]
    assert pseudo_documents(3, 5, prefix="T") == ["T0001", "T0001", "T0001"]


def _benchmark() -> object:
    spec = importlib.util.spec_from_file_location("real_text", REPO / "benchmarks" / "real_text.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("real_text", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_corpus_benchmark_recognises_the_demo_template_of_a_segment() -> None:
    bench = _benchmark()
    patterns = bench._template_patterns()["Entlastung > Stütz- und Förderunterricht"]  # type: ignore[attr-defined]
    text = (
        "Also, kurz gesagt: Wissenslücken in Buchführung werden beim Bildungsträger "
        "aufgearbeitet, das nimmt uns viel Arbeit ab, sag ich mal."
    )
    assert bench.template_of(text, patterns) == 3  # type: ignore[attr-defined]
    assert bench.template_of("Das Wetter ist schön.", patterns) is None  # type: ignore[attr-defined]


def test_corpus_benchmark_figures_rank_and_cover() -> None:
    import numpy as np

    bench = _benchmark()
    truth = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]])
    scores = np.array(
        [
            [0.9, 0.2, 0.0, 0.0],
            [0.6, 0.3, 0.0, 0.0],
            [0.4, 0.3, 0.2, 0.0],
            [0.0, 0.0, 0.7, 0.0],
        ]
    )
    got = bench.figures(scores, truth, scores >= 0.5)  # type: ignore[attr-defined]
    assert round(got["first"], 3) == 0.333  # unit 1 right; unit 2 second; unit 3 unscored
    assert round(got["three"], 3) == 0.667  # a probability of 0 is no suggestion
    assert got["coverage"] == 0.75  # unit 3 has nothing above the threshold
    assert round(got["micro_f1"], 3) == 0.333  # 1 true positive, 2 false positives, 2 misses
    one_code = bench.figures(scores[:, :1], truth[:, :1], scores[:, :1] >= 0.5)  # type: ignore[attr-defined]
    assert np.isnan(one_code["first"]) and np.isnan(one_code["three"])


def test_corpus_benchmark_demo_never_splits_a_template_over_two_documents() -> None:
    bench = _benchmark()
    corpus, unknown = bench.demo()  # type: ignore[attr-defined]
    patterns = bench._template_patterns()  # type: ignore[attr-defined]
    assert unknown == 0
    coded = corpus.units[corpus.units["codes"].map(len) > 0]
    seen: dict[tuple[str, int], set[str]] = {}
    for text, codes, document in zip(coded["text"], coded["codes"], coded["document"], strict=True):
        k = bench.template_of(text, patterns[codes[0]])  # type: ignore[attr-defined]
        seen.setdefault((codes[0], k), set()).add(document)
    assert len(seen) > 100  # most of the 158 templates occur in the demo corpus
    assert {len(docs) for docs in seen.values()} == {1}
    assert sorted(corpus.units["document"].unique()) == ["V1", "V2", "V3", "V4", "V5"]
