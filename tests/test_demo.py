"""The synthetic demo corpus: deterministic, committed as generated, covering the design."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from asaqda.codebook import load_codebook
from asaqda.demo import generate_corpus, write_demo
from asaqda.demo.sentences import CODE_SENTENCES
from asaqda.io.wave import discover_waves, import_wave

from .conftest import DEMO, REPO


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_demo_committed_corpus_is_exactly_what_the_generator_writes(tmp_path: Path) -> None:
    write_demo(tmp_path / "demo", "demo", 2024)
    assert _digest(tmp_path / "demo") == _digest(DEMO), "regenerate with: make demo"


def test_demo_generator_is_deterministic_and_seeded() -> None:
    a = generate_corpus("demo", 7)
    b = generate_corpus("demo", 7)
    c = generate_corpus("demo", 8)
    assert [(i.name, i.paragraphs) for i in a] == [(i.name, i.paragraphs) for i in b]
    assert [i.paragraphs for i in a] != [i.paragraphs for i in c]


def test_demo_sentence_bank_uses_only_codebook_leaves() -> None:
    codebook = load_codebook(REPO / "codebook")
    leaves = {c.code for c in codebook.codes if not codebook.children(c.code)}
    assert set(CODE_SENTENCES) == leaves


@pytest.fixture(scope="module")
def demo_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    results = [import_wave(DEMO, w) for w in discover_waves(DEMO)]
    docs = pd.concat([r.documents for r in results], ignore_index=True)
    cods = pd.concat([r.codings for r in results if len(r.codings)], ignore_index=True)
    return docs, cods


def test_demo_panel_of_sixty_with_three_yearly_interviews_and_attrition(demo_tables) -> None:
    docs, cods = demo_tables
    panel = docs[(docs["Panel"] == "ja") & (docs["document_group"] != "Zweitkodierung")]
    per_person = panel.groupby("Person")["Panelwelle"].apply(sorted)
    assert len(per_person) == 60
    assert sum(p == [1, 2, 3] for p in per_person) >= 45
    dropped = [p for p, w in per_person.items() if len(w) < 3]
    assert len(dropped) >= 6
    abbruch_docs = cods.loc[cods["code"] == "Ausbildungsverlauf > Abbruch", "doc_id"]
    assert docs[docs["doc_id"].isin(abbruch_docs)]["Person"].nunique() >= 4
    # yearly: Panelwelle k+1 lies two survey waves after Panelwelle k
    waves = panel.pivot(index="Person", columns="Panelwelle", values="Welle").dropna()
    years = waves.map(lambda w: int(w[:4]))
    assert ((years[2] - years[1]) == 1).all() and ((years[3] - years[2]) == 1).all()


def test_demo_companies_cover_every_company_category(demo_tables) -> None:
    docs, cods = demo_tables
    companies = docs[docs["Rolle"] == "Ausbildungsbetrieb"]
    assert companies["Betrieb"].nunique() >= 20
    company_codes = set(cods.loc[cods["doc_id"].isin(companies["doc_id"]), "code"])
    for main in ("Freistellung", "Entlastung", "Einstellungsbereitschaft"):
        expected = {c for c in CODE_SENTENCES if c.startswith(main + " >")}
        assert expected <= company_codes, expected - company_codes
    assert {"Bildungsdienstleister", "Berufsschule", "Jobcenter"} <= set(docs["Rolle"])


def test_demo_has_double_coded_documents(demo_tables) -> None:
    docs, _ = demo_tables
    copies = docs[docs["document_group"] == "Zweitkodierung"]
    assert len(copies) >= 6
    originals = docs[docs["document_group"] != "Zweitkodierung"]
    assert set(copies["document_name"]) <= set(originals["document_name"])


def test_demo_formats_and_uncoded_wave() -> None:
    files = {p.relative_to(DEMO).as_posix() for p in DEMO.rglob("*") if p.is_file()}
    assert any(f.startswith("2023-2/") and f.endswith(".csv") for f in files)
    header = (DEMO / "2023-2" / "Coded_segments_2023-2.csv").read_text(encoding="utf-8-sig")
    assert header.startswith("Color,Comment,Document group,Document name")
    last = discover_waves(DEMO)[-1]
    assert import_wave(DEMO, last).codings.empty
    assert all(f.endswith(".docx") for f in files if "/Transkripte/" in f)


def test_demo_segments_are_varied_sentences(demo_tables) -> None:
    _, cods = demo_tables
    stats = cods.groupby("code")["segment"].agg(["size", "nunique"])
    frequent = stats[stats["size"] >= 5]
    assert (frequent["nunique"] >= 3).all(), frequent[frequent["nunique"] < 3]
    assert cods["segment"].nunique() > 0.5 * len(cods)
