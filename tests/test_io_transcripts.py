"""Transcripts: MAXQDA paragraph numbering, speakers, timestamps; real German interviews."""

from __future__ import annotations

from pathlib import Path

import pytest

from asaqda.demo.writers import write_transcript
from asaqda.errors import InputError
from asaqda.io.transcripts import parse_turn, read_transcript

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
