"""Hostile and malformed REFI-QDA files: no XXE, no external DTD, no entity blow-up, no
zip-slip, and nothing but the project's own InputError for whatever is thrown at the reader."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asaqda.errors import InputError
from asaqda.refi.archive import Limits
from asaqda.refi.codes import read_code_system
from asaqda.refi.reader import read_project, wave_parts

from .test_refi_variants import MX_QDE, QDC, maxqda24, write_qdpx

NS = "urn:QDA-XML:project:1.0"


def small_project(text: str, start: str = "0", end: str = "5", extra: str = "") -> str:
    return (
        f'<?xml version="1.0"?>{extra}<Project xmlns="{NS}" origin="MAXQDA 24">'
        '<Users><User guid="U1" name="MK"/></Users>'
        '<CodeBook><Codes><Code guid="C1" name="Belastung" isCodable="true"/></Codes></CodeBook>'
        f'<Sources><TextSource guid="S1" name="A01"><PlainTextContent>{text}</PlainTextContent>'
        f'<PlainTextSelection guid="P1" startPosition="{start}" endPosition="{end}">'
        '<Coding guid="K1" creatingUser="U1"><CodeRef targetGUID="C1"/></Coding>'
        "</PlainTextSelection></TextSource></Sources></Project>"
    )


def test_refi_hostile_external_entity_is_not_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("GEHEIM-123", encoding="utf-8")
    doctype = f'<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file://{secret}">]>'
    path = tmp_path / "p.qde"
    path.write_text(small_project("&xxe; Hallo Welt", extra=doctype), encoding="utf-8")
    project = read_project(path)
    assert project.sources[0].text == "&xxe; Hallo Welt"  # the reference stays as written


def test_refi_hostile_external_dtd_is_not_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY leak "DTD-GELADEN">', encoding="utf-8")
    doctype = f'<!DOCTYPE Project SYSTEM "file://{dtd}">'
    path = tmp_path / "p.qde"
    path.write_text(small_project("&leak; Hallo Welt", extra=doctype), encoding="utf-8")
    project = read_project(path)
    assert project.sources[0].text == "&leak; Hallo Welt"


def test_refi_hostile_entity_blow_up_is_not_expanded(tmp_path: Path) -> None:
    levels = ['<!ENTITY a0 "hahahahahahahahahaha">']
    levels += [f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)]
    doctype = f"<!DOCTYPE Project [{''.join(levels)}]>"
    path = tmp_path / "p.qde"
    path.write_text(small_project("&a9; Hallo", extra=doctype), encoding="utf-8")
    with pytest.raises(InputError) as err:  # 2 * 10**10 characters if expanded
        read_project(path, "2024-1/p.qde")
    assert err.value.code == "E002" and "amplification" in str(err.value)
    assert "'2024-1/p.qde'" in str(err.value)


def test_refi_hostile_zip_slip_names_are_never_extracted(tmp_path: Path) -> None:
    members = maxqda24()
    members["project.qde"] = MX_QDE.replace(
        "internal://7391D47A-323D-4291-8202-ED599C250828.txt", "internal://../../boese.txt"
    )
    members["../../boese.txt"] = "B: eingeschleust"
    work = tmp_path / "a" / "b"
    path = write_qdpx(work / "p.qdpx", members)
    project = read_project(path)
    assert not (tmp_path / "boese.txt").exists() and not (work / "boese.txt").exists()
    assert len(project.sources) == 2  # read from the archive at most, never written anywhere


# --- fuzz ---------------------------------------------------------------------------------

_FUZZ = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["-1", "0", "99999999999999999999", "1e3", " 3 ", "٣", "NaN", "", "\x00"]),
)


def _read(path: Path) -> None:
    """Read as the wave import does; only InputError may come out."""
    try:
        if path.suffix == ".qdc":
            read_code_system(path, limits=Limits(project=1 << 20, source=1 << 20, total=2 << 20))
            return
        project = read_project(path, limits=Limits(project=1 << 20, source=1 << 20, total=2 << 20))
        wave_parts(project)
        read_code_system(path)
    except InputError as exc:
        assert exc.problems and all(p.code.startswith("E0") for p in exc.problems)


@_FUZZ
@given(
    text=st.text(max_size=40),
    start=_VALUES,
    end=_VALUES,
)
def test_refi_hostile_fuzz_attributes_and_texts(
    tmp_path: Path, text: str, start: str, end: str
) -> None:
    from xml.sax.saxutils import escape, quoteattr

    xml = small_project(escape(text), quoteattr(start)[1:-1], quoteattr(end)[1:-1])
    path = tmp_path / "f.qde"
    path.write_text(xml, encoding="utf-8")
    _read(path)


@_FUZZ
@given(cut=st.integers(min_value=0, max_value=len(MX_QDE)), junk=st.binary(max_size=30))
def test_refi_hostile_fuzz_truncated_and_garbled_xml(tmp_path: Path, cut: int, junk: bytes) -> None:
    members = maxqda24()
    raw = MX_QDE.encode("utf-8")
    members["project.qde"] = raw[:cut] + junk + raw[cut + len(junk) :]
    _read(write_qdpx(tmp_path / "f.qdpx", members))


@_FUZZ
@given(data=st.binary(max_size=400), flips=st.lists(st.integers(0, 10_000), max_size=6))
def test_refi_hostile_fuzz_archives(tmp_path: Path, data: bytes, flips: list[int]) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, member in maxqda24().items():
            zf.writestr(name, member)
    archive = bytearray(buf.getvalue())
    for at in flips:  # flip bytes anywhere: headers, sizes, compressed data
        archive[at % len(archive)] ^= 0xFF
    path = tmp_path / "f.qdpx"
    path.write_bytes(bytes(archive) if flips else data)
    _read(path)


@_FUZZ
@given(cut=st.integers(min_value=0, max_value=len(QDC)), junk=st.text(max_size=10))
def test_refi_hostile_fuzz_codebooks(tmp_path: Path, cut: int, junk: str) -> None:
    path = tmp_path / "f.qdc"
    path.write_text(QDC[:cut] + junk + QDC[cut:], encoding="utf-8")
    _read(path)


@pytest.mark.parametrize("name", ["p.qdpx", "p.qde", "p.qdc"])
def test_refi_hostile_empty_file_is_an_input_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"")
    reader = read_code_system if name.endswith(".qdc") else read_project
    with pytest.raises(InputError) as err:
        reader(path)
    assert err.value.code == "E002"


_ATTRIBUTES = [
    'origin="MAXQDA 24 (Release 24.2.0)"',
    'plainTextPath="internal://C5E4C960-5296-4FDE-8C63-DEABA4E17F92.txt"',
    'targetGUID="C6C1BE73-B4F4-4C2D-91F1-90B73BFC5C25"',
    'name="über Agentur"',
    'creationDateTime="2024-05-06T07:08:32Z"',
    'targetGUID="0A0B0C0D-0000-4000-8000-000000000001"',
    'targetGUID="C5E4C960-5296-4FDE-8C63-DEABA4E17F92"',
    'startPosition="54"',
    'endPosition="175"',
]


@_FUZZ
@given(
    attribute=st.sampled_from(_ATTRIBUTES),
    value=st.one_of(
        st.text(max_size=20),
        st.sampled_from(["internal://../x", "internal://", "/", "sources/", "-5", "1e9"]),
    ),
)
def test_refi_hostile_fuzz_project_attributes(tmp_path: Path, attribute: str, value: str) -> None:
    from xml.sax.saxutils import quoteattr

    members = maxqda24()
    name = attribute.split("=")[0]
    members["project.qde"] = MX_QDE.replace(attribute, f"{name}={quoteattr(value)}")
    _read(write_qdpx(tmp_path / "f.qdpx", members))
