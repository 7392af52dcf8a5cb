"""REFI-QDA: our export validates and round-trips; real tools' projects import."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

from asaqda.codebook import load_codebook
from asaqda.errors import InputError
from asaqda.io.wave import import_wave
from asaqda.refi.codes import read_code_system
from asaqda.refi.export import source_text, write_codebook_qdc, write_project
from asaqda.refi.names import MACHINE_USER, SUGGESTION_BRANCH
from asaqda.refi.offsets import (
    boundary_share,
    codepoints_to_utf16,
    paragraph_of,
    utf16_to_codepoints,
)
from asaqda.refi.reader import read_project, wave_parts
from asaqda.review.decisions import suggestion_id

from .conftest import DEMO, REPO, SHARED

REFI = SHARED / "samples" / "refi"
SAMPLES = sorted(p.name for p in REFI.glob("*.qd[ep]*"))
CODEBOOK = load_codebook(REPO / "codebook")
NS = {"q": "urn:QDA-XML:project:1.0"}
needs_shared = pytest.mark.skipif(
    not REFI.is_dir(), reason="the REFI-QDA samples and schemas (../shared/samples/refi) are absent"
)


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(REFI / name)))


@pytest.fixture(scope="module")
def demo_wave() -> object:
    return import_wave(DEMO, "2024-1")


def fake_suggestions(wave: object) -> pd.DataFrame:
    """Two suggestions on the first document with a transcript (as the pre-coder writes them)."""
    docs = wave.documents  # type: ignore[attr-defined]
    doc = docs[docs["has_transcript"]].iloc[0]
    return pd.DataFrame(
        [
            {
                "suggestion_id": suggestion_id(doc["doc_id"], p, code),
                "wave": "2024-1",
                "doc_id": doc["doc_id"],
                "document_name": doc["document_name"],
                "paragraph": p,
                "code": code,
                "score": 0.8,
                "method": "regel",
                "evidence": "Regel: x",
                "model_version": "m1",
                "codebook_version": "1.1.0",
            }
            for p, code in ((2, "Entlastung > zeitlich"), (3, "Freistellung > keine"))
        ]
    )


def export(wave: object, path: Path) -> dict[str, int]:
    """Write the demo wave with two suggestions as a REFI-QDA project."""
    return write_project(
        path,
        "2024-1",
        wave.documents,  # type: ignore[attr-defined]
        wave.paragraphs,  # type: ignore[attr-defined]
        wave.codings,  # type: ignore[attr-defined]
        fake_suggestions(wave),
        CODEBOOK,
    )


@pytest.fixture(scope="module")
def exported(demo_wave: object, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("refi") / "2024-1" / "projekt.qdpx"
    counts = export(demo_wave, out)
    assert counts["vorschlaege"] == 2 and counts["codierungen"] > 100
    return out


def project_xml(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as zf:
        return etree.fromstring(zf.read("project.qde"))


@needs_shared
def test_exported_project_validates_against_the_refi_schema(exported: Path) -> None:
    xsd = schema("Project.xsd")
    assert xsd.validate(project_xml(exported)), xsd.error_log


def test_exported_offsets_are_code_points_of_the_source_text(
    exported: Path, demo_wave: object
) -> None:
    root = project_xml(exported)
    codings = demo_wave.codings  # type: ignore[attr-defined]
    paragraphs = demo_wave.paragraphs  # type: ignore[attr-defined]
    with zipfile.ZipFile(exported) as zf:
        for src in root.iterfind(".//q:TextSource", NS):
            text = zf.read(f"sources/{src.get('guid')}.txt").decode("utf-8")
            name = src.get("name")
            doc_paras = paragraphs[
                paragraphs["doc_id"].isin(codings.loc[codings["document_name"] == name, "doc_id"])
            ]
            for sel in src.iterfind("q:PlainTextSelection", NS):
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                chunk = text[start:end]
                assert chunk and not chunk.startswith("\n") and not chunk.endswith("\n")
                if len(doc_paras):
                    assert chunk.split("\n")[0] in set(doc_paras["text"])


def test_suggestions_sit_under_their_own_branch_by_the_machine_user(exported: Path) -> None:
    root = project_xml(exported)
    branch = root.find(f".//q:Code[@name='{SUGGESTION_BRANCH}']", NS)
    assert branch is not None
    assert branch.find("q:Code[@name='Entlastung']/q:Code[@name='zeitlich']", NS) is not None
    machine = root.find(f".//q:User[@name='{MACHINE_USER}']", NS).get("guid")
    sels = [
        s for s in root.iterfind(".//q:PlainTextSelection", NS) if s.get("creatingUser") == machine
    ]
    assert len(sels) == 2
    assert "Score 0.800" in sels[0].find("q:Description", NS).text
    code = root.find(".//q:Code[@name='Freistellung']", NS)
    assert "Definition:" in code.find("q:Description", NS).text


def test_export_is_byte_identical_on_rerun(exported: Path, demo_wave: object) -> None:
    again = exported.with_name("again.qdpx")
    export(demo_wave, again)
    assert again.read_bytes() == exported.read_bytes()


def test_round_trip_gives_the_same_canonical_tables(
    exported: Path, demo_wave: object, tmp_path: Path
) -> None:
    wave_dir = tmp_path / "2024-1"
    wave_dir.mkdir()
    shutil.copy(exported, wave_dir / "projekt.qdpx")
    back = import_wave(tmp_path, "2024-1")
    orig = demo_wave
    key = ["document_group", "document_name"]
    docs_o = orig.documents[orig.documents["has_transcript"]]  # type: ignore[attr-defined]
    assert sorted(back.documents["doc_id"]) == sorted(docs_o["doc_id"])
    merged = docs_o.merge(back.documents, on="doc_id", suffixes=("", "_rt"))
    for var in ("Rolle", "Person", "Betrieb", "Welle"):
        left, right = merged[var].astype(str).fillna(""), merged[f"{var}_rt"].fillna("")
        assert (left == right.astype(str)).all(), var
    assert (merged["n_paragraphs"] == merged["n_paragraphs_rt"]).all()
    para_o = orig.paragraphs[["paragraph_id", "text"]]  # type: ignore[attr-defined]
    para_b = back.paragraphs[["paragraph_id", "text"]]
    assert (
        para_b.sort_values("paragraph_id")
        .reset_index(drop=True)
        .equals(para_o.sort_values("paragraph_id").reset_index(drop=True))
    )
    cols = [*key, "code", "begin", "end", "coder"]
    cod_o = orig.codings[  # type: ignore[attr-defined]
        orig.codings["doc_id"].isin(docs_o["doc_id"])  # type: ignore[attr-defined]
    ]
    rows_o = sorted(map(tuple, cod_o[cols].astype(str).to_numpy()))
    rows_b = sorted(map(tuple, back.codings[cols].astype(str).to_numpy()))
    assert rows_b == rows_o
    assert (back.codings["text_check"] == "ok").all()
    assert any("2 offene Vorschläge" in n for n in back.notes)  # not imported as codings


@needs_shared
def test_codebook_qdc_validates_and_holds_every_code(tmp_path: Path) -> None:
    path = write_codebook_qdc(CODEBOOK, tmp_path / "kodierleitfaden.qdc")
    xsd = schema("Codebook.xsd")
    doc = etree.parse(str(path))
    assert xsd.validate(doc), xsd.error_log
    names = [c.get("name") for c in doc.iter("{urn:QDA-XML:codebook:1.0}Code")]
    assert len(names) == len(CODEBOOK.paths)


@needs_shared
@pytest.mark.parametrize("name", SAMPLES)
def test_every_real_tool_sample_imports(name: str, tmp_path: Path) -> None:
    wave_dir = tmp_path / "2023-1"
    wave_dir.mkdir()
    shutil.copy(REFI / name, wave_dir / name)
    result = import_wave(tmp_path, "2023-1")
    project = read_project(REFI / name)
    assert len(result.documents) == len(project.sources) > 0
    coded = project.selections["code"].isin(project.codes["guid"]).sum()
    assert len(result.codings) == coded
    checked = result.codings[result.codings["text_check"] != "kein Transkript"]
    assert (checked["text_check"] == "ok").all()
    assert set(result.codings["code"]) <= set(project.codes["path"])


@needs_shared
def test_maxqda_sample_code_system_and_sources() -> None:
    project = read_project(REFI / "maxqda24_ICLS_Conf_Themes_ALL_just10.qdpx")
    assert project.origin.startswith("MAXQDA 24")
    assert len(project.codes) == 307 and (project.codes["description"] != "").sum() > 0
    assert len(project.sources) == 10 and all(s.text for s in project.sources)


@needs_shared
def test_nvivo_windows_offsets_are_utf16_units_without_the_bom() -> None:
    project = read_project(REFI / "nvivo12win_oltas_teszt.qdpx")
    assert {s.offsets for s in project.sources} == {"utf16"}
    segments, _, _, _ = wave_parts(project)
    assert segments["segment"].iloc[0].startswith("Senkit nem lehet")
    texts = {s.guid: s.text for s in project.sources}
    spans = [(texts[r.source], r.start, r.end) for r in project.selections.itertuples(index=False)]
    # read as UTF-16 units, nearly every selection starts and ends on a word boundary
    share = sum(boundary_share(t, [(s, e)]) for t, s, e in spans) / len(spans)
    assert share > 0.9
    assert any("\U0001f000" <= ch for t in texts.values() for ch in t)  # emoji present


@needs_shared
def test_nvivo_offsets_are_detected_even_when_the_origin_says_otherwise(tmp_path: Path) -> None:
    src = REFI / "nvivo12win_oltas_teszt.qdpx"
    target = tmp_path / "relabelled.qdpx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "project.qde":
                data = data.replace(b'origin="NVivo for Windows 12.6"', b'origin="Unbekannt"')
            zout.writestr(item, data)
    project = read_project(target)
    # where the text has characters beyond the BMP the two ways of counting differ
    coded = set(project.selections["source"])
    with_emoji = [
        s for s in project.sources if s.guid in coded and any(ord(c) > 0xFFFF for c in s.text or "")
    ]
    assert with_emoji and {s.offsets for s in with_emoji} == {"utf16"}
    assert any("als UTF-16-Einheiten gezählt" in n for n in project.notes)


@needs_shared
def test_qualcoder_bare_file_names_and_atlas_project_without_texts() -> None:
    qc = read_project(REFI / "qc132_demo.qdpx")
    assert all(s.text for s in qc.sources) and len(qc.selections) == 205
    atlas = read_project(REFI / "atlasti84_refi_standard_project.qde")
    segments, variables, transcripts, notes = wave_parts(atlas)
    assert segments["begin"].isna().all() and (segments["position_raw"] != "").all()
    assert any("hat keinen Text im Projekt" in n for n in notes)
    assert "atlasti84_refi_standard_project.qde: 9 Codierungen in 3 PDF-, Bild-, Audio- oder " in (
        " ".join(notes)
    )
    assert set(segments["coder"]) <= {"Friedrich Markgraf", "Sebastian Petrausch", "ATLAS.ti"}


@needs_shared
def test_selection_outside_its_text_is_an_error_naming_source_and_selection(
    tmp_path: Path,
) -> None:
    src = REFI / "qc132_demo.qdpx"
    target = tmp_path / "kaputt.qdpx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "project.qde":
                data = data.replace(
                    b'startPosition="320" endPosition="400"',
                    b'startPosition="320" endPosition="999999"',
                    1,
                )
            zout.writestr(item, data)
    with pytest.raises(InputError) as err:
        read_project(target, "2023-1/kaputt.qdpx")
    assert err.value.code == "E017"
    assert "'2023-1/kaputt.qdpx'" in str(err.value) and "320-999999" in str(err.value)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"not a zip", "kein lesbares .qdpx-Archiv"),
        ("zip-without-qde", "keine Projektdatei"),
        ("broken-xml", "ist fehlerhaft"),
    ],
)
def test_broken_projects_are_rejected_with_the_file_named(
    tmp_path: Path, content: object, needle: str
) -> None:
    target = tmp_path / "p.qdpx"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        with zipfile.ZipFile(target, "w") as zf:
            if content == "zip-without-qde":
                zf.writestr("sources/a.txt", "x")
            else:
                zf.writestr("project.qde", "<Project xmlns='urn:QDA-XML:project:1.0'><Users>")
    with pytest.raises(InputError) as err:
        read_project(target, "2023-1/p.qdpx")
    assert err.value.code == "E002" and needle in str(err.value)


def test_offset_conversions_round_trip_through_emoji() -> None:
    text = "a😀b\r\nc😀😀d"
    cps = list(range(len(text) + 1))
    assert utf16_to_codepoints(text, codepoints_to_utf16(text, cps)) == cps
    assert codepoints_to_utf16(text, [1, 2, 3]) == [1, 3, 4]
    lines, starts, ends = paragraph_of("eins\r\n\r\nzwei\n")
    assert lines == ["eins", "zwei"] and list(starts) == [0, 8] and list(ends) == [4, 12]


def test_source_text_puts_each_paragraph_on_its_own_line() -> None:
    text, spans = source_text(pd.DataFrame({"paragraph": [1, 2], "text": ["I: a", "B: b\nc"]}))
    assert text == "I: a\nB: b c\n" and spans == {1: (0, 4), 2: (5, 11)}
    assert json.dumps(spans)  # plain ints


@needs_shared
@pytest.mark.parametrize("name", SAMPLES)
def test_refi_codes_of_every_real_sample_match_the_project_reader(name: str) -> None:
    codes = read_code_system(REFI / name)
    assert codes["path"].tolist() == read_project(REFI / name).codes["path"].tolist()
    assert len(codes) > 0


@needs_shared
def test_refi_codes_real_sample_counts() -> None:
    counts = {name: len(read_code_system(REFI / name)) for name in SAMPLES}
    assert counts["maxqda24_ICLS_Conf_Themes_ALL_just10.qdpx"] == 307
    described = read_code_system(REFI / "atlasti84_refi_standard_project.qde")
    assert described.loc[described["path"] == "Coke", "description"].tolist() == [
        "the breakfast of champions"
    ]


def test_refi_codes_our_own_qdc_round_trips(tmp_path: Path) -> None:
    path = write_codebook_qdc(CODEBOOK, tmp_path / "kodierleitfaden.qdc")
    codes = read_code_system(path)
    assert codes["path"].tolist() == CODEBOOK.paths
    assert codes["description"].str.startswith("Definition:").all()


@needs_shared
@pytest.mark.parametrize(
    ("name", "sources", "codings", "codes"),
    [
        # counted independently with a plain text search over each project XML
        ("maxqda24_ICLS_Conf_Themes_ALL_just10.qdpx", 10, 0, 307),
        ("nvivo12win_oltas_teszt.qdpx", 2, 330, 152),
        ("nvivo15mac_nvivo_project.qdpx", 2, 0, 262),
        ("qc132_demo.qdpx", 2, 205, 262),
        ("atlasti84_refi_standard_project.qde", 6, 7, 14),  # + 9 codings in PDF/media
    ],
)
def test_refi_reader_real_samples_exact_counts(
    name: str, sources: int, codings: int, codes: int
) -> None:
    project = read_project(REFI / name)
    assert (len(project.sources), len(project.selections), len(project.codes)) == (
        sources,
        codings,
        codes,
    )
