"""Transcripts: MAXQDA paragraph numbering, speakers, timestamps; real German interviews."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from asaqda.demo.writers import write_transcript
from asaqda.errors import InputError
from asaqda.io.transcripts import load_transcript, parse_turn, read_transcript

from .conftest import SHARED

SAMPLES = sorted((SHARED / "samples" / "interviews").glob("*.txt"))


@pytest.mark.parametrize(
    ("text", "speaker", "stamp", "content"),
    [
        ("I: Wie geht es dir?", "I", None, "Wie geht es dir?"),
        ("B: [00:01:27] Wir stellen nicht frei.", "B", "00:01:27", "Wir stellen nicht frei."),
        ("[00:01:27] B: Gut.", "B", "00:01:27", "Gut."),
        ("B: Gut so. #00:01:27-5#", "B", "00:01:27-5", "Gut so."),
        ("S2: (…) Ich meine jetzt speziell", "S2", None, "(…) Ich meine jetzt speziell"),
        ("Interviewerin: Und dann?", "Interviewerin", None, "Und dann?"),
        ("Also: das war so.", None, None, "Also: das war so."),
        ("Nur Text ohne Sprecher", None, None, "Nur Text ohne Sprecher"),
    ],
)
def test_transcripts_speaker_and_timestamp(
    text: str, speaker: str | None, stamp: str | None, content: str
) -> None:
    assert parse_turn(text) == (speaker, stamp, content)


@pytest.mark.parametrize("suffix", [".docx", ".txt"])
def test_transcripts_number_non_empty_paragraphs_from_one(tmp_path: Path, suffix: str) -> None:
    path = write_transcript(
        tmp_path / f"t{suffix}", ["Kopf", "", "I: Frage?", "   ", "B: Antwort.", "Weiter."]
    )
    paras = read_transcript(path)
    assert [(p.number, p.text) for p in paras] == [
        (1, "Kopf"),
        (2, "I: Frage?"),
        (3, "B: Antwort."),
        (4, "Weiter."),
    ]
    assert [p.speaker for p in paras] == [None, "I", "B", None]


@pytest.mark.skipif(not SAMPLES, reason="shared samples not present")
@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name[-20:])
def test_transcripts_real_german_interviews(path: Path) -> None:
    raw_lines = path.read_text(encoding="utf-8").splitlines()
    paras = read_transcript(path)
    assert len(paras) == sum(1 for line in raw_lines if line.strip())
    speakers = {p.speaker for p in paras if p.speaker}
    assert "I" in speakers
    assert any(s.startswith("S") for s in speakers)
    # every turn of the interviewer is recognised, none swallowed into content
    assert all(not p.content.startswith("I:") for p in paras)


def test_transcripts_empty_docx_is_E004(tmp_path: Path) -> None:
    path = write_transcript(tmp_path / "leer.docx", ["", "  "])
    with pytest.raises(InputError, match="E004"):
        read_transcript(path)


def test_transcripts_broken_docx_is_E002(tmp_path: Path) -> None:
    path = tmp_path / "kaputt.docx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(InputError) as err:
        read_transcript(path, "2023-1/kaputt.docx")
    assert err.value.code == "E002"
    assert "Word" in str(err.value)


# ---------------------------------------------------------------------------------------------
# MAXQDA document export: a title, then a table of paragraph number and text


EXPORT_TEXTS = [
    "I: [00:00:05] Wie stellen Sie Ihre Auszubildenden für die Stützkurse frei?",
    "B: Gar nicht, das läuft nach Feierabend.",
    "I: Und die Wegezeiten?",
    "B: Die zahlen wir auch nicht. Jede Stunde kostet uns Geld.",
    "Sprecher 2: Ich sehe das anders.",
]


def write_document_export(
    path: Path,
    texts: list[str],
    *,
    header: tuple[str, ...] | None = None,
    numbers: list[str] | None = None,
    extra_column: bool = False,
) -> Path:
    """A Word file laid out like MAXQDA's document export with paragraph numbers."""
    import docx

    document = docx.Document()
    document.add_heading(path.stem, level=1)
    document.add_paragraph("")
    width = 3 if extra_column else 2
    table = document.add_table(rows=0, cols=width)
    if header:
        cells = table.add_row().cells
        for cell, label in zip(cells, header, strict=False):
            cell.text = label
    for i, text in enumerate(texts):
        cells = table.add_row().cells
        cells[0].text = numbers[i] if numbers else str(i + 1)
        cells[1].text = text
        if extra_column:
            cells[2].text = "Freistellung > keine" if i % 2 else ""
    document.save(str(path))
    return path


@pytest.mark.parametrize(
    ("header", "numbers", "extra_column"),
    [
        (None, None, False),
        (("Absatz", "Text"), None, False),
        (("Pos.", "Text", "Codes"), ["1.", "2.", "3.", "4.", "5."], True),
    ],
    ids=["plain", "header", "dotted-numbers-and-codes-column"],
)
def test_transcripts_maxqda_document_export_reads_the_table(
    tmp_path: Path, header: tuple[str, ...] | None, numbers: list[str] | None, extra_column: bool
) -> None:
    path = write_document_export(
        tmp_path / "U33_2024-1.docx",
        EXPORT_TEXTS,
        header=header,
        numbers=numbers,
        extra_column=extra_column,
    )
    transcript = load_transcript(path, "2024-1/U33_2024-1.docx")
    assert transcript.layout == "maxqda_export"
    assert [(p.number, p.text) for p in transcript.paragraphs] == list(
        enumerate(EXPORT_TEXTS, start=1)
    )
    assert [p.speaker for p in transcript.paragraphs] == ["I", "B", "I", "B", "Sprecher 2"]
    assert transcript.paragraphs[0].timestamp == "00:00:05"
    assert transcript.paragraphs[1].content == "Gar nicht, das läuft nach Feierabend."
    assert transcript.notes == [
        "2024-1/U33_2024-1.docx: als MAXQDA-Dokumentexport erkannt (Tabelle mit "
        "Absatznummern); 5 Absätze aus der Tabelle gelesen, 1 Absatz außerhalb der Tabelle "
        "(Titel) nicht mitgezählt"
    ]


def test_transcripts_document_export_with_a_gap_in_the_numbers_is_E011(tmp_path: Path) -> None:
    path = write_document_export(tmp_path / "U33.docx", EXPORT_TEXTS[:3], numbers=["1", "2", "4"])
    with pytest.raises(InputError) as err:
        read_transcript(path, "2024-1/U33.docx")
    assert err.value.code == "E011"
    problem = err.value.problems[0]
    assert (problem.location.row, problem.location.column) == (3, "Absatz")
    assert "Absatznummer 4" in problem.message and "erwartet wird 3" in problem.message


def test_transcripts_plain_docx_with_a_table_stays_plain(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("I: Wie viele Stunden?")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Montag"
    table.cell(0, 1).text = "4 Stunden"
    table.cell(1, 0).text = "Dienstag"
    table.cell(1, 1).text = "2 Stunden"
    document.add_paragraph("B: So ist das.")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    transcript = load_transcript(path)
    assert transcript.layout == "text" and transcript.notes == []
    assert [p.text for p in transcript.paragraphs] == [
        "I: Wie viele Stunden?",
        "Montag",
        "4 Stunden",
        "Dienstag",
        "2 Stunden",
        "B: So ist das.",
    ]


@pytest.mark.parametrize(
    ("raw", "texts", "note"),
    [
        ("I: Grüße\nB: Tschüß\n".encode("utf-16"), ["I: Grüße", "B: Tschüß"], None),
        ("\ufeffI: Grüße\r\nB: Tschüß".encode(), ["I: Grüße", "B: Tschüß"], None),
        (
            "I: Grüße\nB: Tschüß".encode("cp1252"),
            ["I: Grüße", "B: Tschüß"],
            "t.txt: nicht UTF-8, als Windows-1252 gelesen; prüfen Sie die Umlaute",
        ),
    ],
    ids=["utf-16-bom", "utf-8-bom-crlf", "cp1252"],
)
def test_transcripts_txt_encodings(
    tmp_path: Path, raw: bytes, texts: list[str], note: str | None
) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(raw)
    transcript = load_transcript(path)
    assert [p.text for p in transcript.paragraphs] == texts
    assert transcript.notes == ([note] if note else [])


def test_transcripts_binary_txt_is_E002(tmp_path: Path) -> None:
    path = tmp_path / "bild.txt"
    path.write_bytes("I: Hallo".encode("utf-16-le"))  # UTF-16 without BOM: NUL bytes
    with pytest.raises(InputError) as err:
        read_transcript(path)
    assert err.value.code == "E002"
    assert "Nullbytes" in str(err.value)


# ---------------------------------------------------------------------------------------------
# Fuzzing: whatever the bytes, the reader returns numbered paragraphs or raises InputError


def _docx_bytes(export: bool) -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "t.docx"
        if export:
            write_document_export(path, EXPORT_TEXTS, header=("Absatz", "Text"))
        else:
            write_transcript(path, EXPORT_TEXTS)
        return path.read_bytes()


_VALID_DOCX = {False: _docx_bytes(False), True: _docx_bytes(True)}


def _read_or_input_error(data: bytes, suffix: str) -> None:
    """Write ``data`` as a transcript and read it: only InputError may come out."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            transcript = load_transcript(path, f"2023-1/fuzz{suffix}")
        except InputError as err:
            assert err.code in {"E002", "E004", "E011"}
            assert "Traceback" not in str(err)
            return
    numbers = [p.number for p in transcript.paragraphs]
    assert numbers == list(range(1, len(numbers) + 1))
    assert transcript.layout in {"text", "maxqda_export"}
    assert all(isinstance(n, str) for n in transcript.notes)


_FUZZ = settings(max_examples=60, deadline=None)


@_FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".docx"]))
def test_transcripts_fuzz_random_bytes(data: bytes, suffix: str) -> None:
    _read_or_input_error(data, suffix)


@_FUZZ
@given(export=st.booleans(), cut=st.floats(min_value=0.0, max_value=1.0))
def test_transcripts_fuzz_truncated_docx(export: bool, cut: float) -> None:
    data = _VALID_DOCX[export]
    _read_or_input_error(data[: int(len(data) * cut)], ".docx")


@_FUZZ
@given(
    export=st.booleans(),
    flips=st.lists(st.tuples(st.floats(0.0, 1.0), st.integers(0, 255)), min_size=1, max_size=8),
)
def test_transcripts_fuzz_corrupted_docx(export: bool, flips: list[tuple[float, int]]) -> None:
    data = bytearray(_VALID_DOCX[export])
    for where, value in flips:
        data[min(int(len(data) * where), len(data) - 1)] = value
    _read_or_input_error(bytes(data), ".docx")


@_FUZZ
@given(body=st.binary(max_size=600) | st.text(max_size=300).map(str.encode))
def test_transcripts_fuzz_docx_with_a_broken_document_part(body: bytes) -> None:
    import io
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(_VALID_DOCX[True]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2] + body
            target.writestr(info, data)
    _read_or_input_error(out.getvalue(), ".docx")


@_FUZZ
@given(
    text=st.text(max_size=400),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "cp1252", "latin-1"]),
)
def test_transcripts_fuzz_txt_in_odd_encodings(text: str, encoding: str) -> None:
    _read_or_input_error(text.encode(encoding, errors="replace"), ".txt")


@_FUZZ
@given(
    rows=st.lists(
        st.tuples(
            st.text(max_size=6) | st.integers(0, 12).map(str),
            st.text(max_size=40),
        ),
        max_size=12,
    )
)
def test_transcripts_fuzz_document_export_cells(rows: list[tuple[str, str]]) -> None:
    import tempfile

    # python-docx rejects control characters in cell text: they cannot be in a real file
    def clean(s: str) -> str:
        return "".join(c for c in s if c.isprintable() or c in "\t\n")

    with tempfile.TemporaryDirectory() as tmp:
        path = write_document_export(
            Path(tmp) / "U01.docx",
            [clean(t) for _, t in rows],
            numbers=[clean(n) for n, _ in rows],
        )
        _read_or_input_error(path.read_bytes(), ".docx")


def test_transcripts_empty_txt_is_E004(tmp_path: Path) -> None:
    path = tmp_path / "leer.txt"
    path.write_bytes(b"")
    with pytest.raises(InputError) as err:
        read_transcript(path)
    assert err.value.code == "E004"


def test_transcripts_plain_docx_with_a_numbered_list_table_stays_plain(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Leitfaden")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "1"
    table.cell(0, 1).text = "Freistellung"
    table.cell(1, 0).text = "2"
    table.cell(1, 1).text = "Wegezeiten"
    turns = [f"{'I' if i % 2 else 'B'}: Beitrag {i}" for i in range(6)]
    for turn in turns:
        document.add_paragraph(turn)
    path = tmp_path / "U02.docx"
    document.save(str(path))
    transcript = load_transcript(path)
    assert transcript.layout == "text"
    assert [p.text for p in transcript.paragraphs] == [
        "Leitfaden",
        "1",
        "Freistellung",
        "2",
        "Wegezeiten",
        *turns,
    ]
