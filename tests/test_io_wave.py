"""Importing a whole wave: classification, cross-checks, alignment, atomic writes, stable ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from asaqda.errors import InputError
from asaqda.io.wave import discover_waves, import_wave, wave_files, write_wave
from asaqda.stages import import_step

from .conftest import TRANSCRIPT, make_wave, segment_row


def test_wave_small_export_imports_whole(tmp_path: Path) -> None:
    make_wave(tmp_path)
    result = import_wave(tmp_path, "2023-1")
    docs, paras, cods = result.documents, result.paragraphs, result.codings
    assert len(docs) == 1 and docs.iloc[0]["Rolle"] == "Ausbildungsbetrieb"
    assert docs.iloc[0]["n_paragraphs"] == 5  # the empty line is not a paragraph
    assert docs.iloc[0]["n_codings"] == 2
    assert paras["speaker"].fillna("").tolist() == ["", "I", "B", "I", "B"]
    assert paras.iloc[1]["timestamp"] == "00:00:10"
    assert list(cods["text_check"]) == ["ok", "ok"]
    assert cods["doc_id"].nunique() == 1 and cods["coding_id"].is_unique


def test_wave_segment_pointing_at_wrong_paragraph_is_reported_with_true_place(
    tmp_path: Path,
) -> None:
    rows = [
        segment_row(
            "U01_2023-1", "Freistellung > Gründe > Kosten", 3, 3, "Jede Stunde kostet uns Geld."
        )
    ]
    make_wave(tmp_path, rows=rows)
    cods = import_wave(tmp_path, "2023-1").codings
    assert cods.iloc[0]["text_check"] == "abweichung"
    assert cods.iloc[0]["found_in"] == "5"


def test_wave_multi_paragraph_segment_is_checked_across_paragraphs(tmp_path: Path) -> None:
    rows = [
        segment_row(
            "U01_2023-1",
            "Freistellung > keine",
            3,
            4,
            "Das muss nach Feierabend laufen.\nI: Warum nicht?",
        )
    ]
    make_wave(tmp_path, rows=rows)
    assert import_wave(tmp_path, "2023-1").codings.iloc[0]["text_check"] == "ok"


def test_wave_paragraph_out_of_range_is_E008(tmp_path: Path) -> None:
    make_wave(tmp_path, rows=[segment_row("U01_2023-1", "Freistellung > keine", 5, 9, "x")])
    with pytest.raises(InputError) as err:
        import_wave(tmp_path, "2023-1")
    assert err.value.code == "E008"
    msg = str(err.value)
    assert "'2023-1/segmente.xlsx', Blatt 'Liste', Zeile 2, Spalte 'Ende'" in msg
    assert "letzten Absatz (5)" in msg


def test_wave_coded_document_missing_in_variables_is_E007(tmp_path: Path) -> None:
    rows = [segment_row("U02_2023-1", "Freistellung > keine", 1, 1, "Interview U01")]
    make_wave(tmp_path, rows=rows)
    with pytest.raises(InputError) as err:
        import_wave(tmp_path, "2023-1")
    assert err.value.code == "E007"
    assert "'Betriebe/U02_2023-1'" in str(err.value)
    assert "variablen.xlsx" in str(err.value)


def test_wave_folder_disagreeing_with_welle_is_E009(tmp_path: Path) -> None:
    variables = [
        {
            "Dokumentgruppe": "Betriebe",
            "Dokumentname": "U01_2023-1",
            "Welle": "2023-2",
            "Rolle": "Ausbildungsbetrieb",
        }
    ]
    make_wave(tmp_path, variables=variables)
    with pytest.raises(InputError) as err:
        import_wave(tmp_path, "2023-1")
    assert err.value.code == "E009"
    assert "Spalte 'Welle'" in str(err.value) and "Zeile 2" in str(err.value)


def test_wave_unknown_table_is_E005(tmp_path: Path) -> None:
    wave_dir = make_wave(tmp_path)
    (wave_dir / "notizen.csv").write_text("Name;Vorname\nA;B\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"E005.*notizen.csv"):
        import_wave(tmp_path, "2023-1")


def test_wave_invalid_role_names_closest_value(tmp_path: Path) -> None:
    variables = [
        {"Dokumentgruppe": "Betriebe", "Dokumentname": "U01_2023-1", "Rolle": "Ausbildungsbetreib"}
    ]
    make_wave(tmp_path, variables=variables)
    with pytest.raises(InputError, match="'Ausbildungsbetrieb' schreiben"):
        import_wave(tmp_path, "2023-1")


def test_wave_transcripts_only_give_uncoded_documents(tmp_path: Path) -> None:
    make_wave(tmp_path, rows=[], variables=[])
    result = import_wave(tmp_path, "2023-1")
    assert result.codings.empty
    assert list(result.documents["document_name"]) == ["U01_2023-1"]
    assert (
        "kein Export der Dokumentvariablen in dieser Welle: Rollen und Betriebe unbekannt"
        in result.notes
    )


def test_wave_failed_import_writes_nothing(tmp_path: Path) -> None:
    make_wave(tmp_path / "in", rows=[segment_row("U01_2023-1", "C", 1, 99, "x")])
    out = tmp_path / "out" / "interim" / "2023-1"
    with pytest.raises(InputError):
        import_step(tmp_path / "in", "2023-1", out)
    assert not out.exists() or not any(out.iterdir())


def test_wave_review_folder_and_lock_files_are_not_read(tmp_path: Path) -> None:
    wave_dir = make_wave(tmp_path)
    (wave_dir / "review").mkdir()
    (wave_dir / "review" / "MK.xlsx").write_bytes(b"not read here")
    (wave_dir / "~$segmente.xlsx").write_bytes(b"lock file")
    assert len(import_wave(tmp_path, "2023-1").codings) == 2


def test_wave_ids_are_stable_when_the_export_is_reordered(tmp_path: Path) -> None:
    rows = [
        segment_row("U01_2023-1", "Freistellung > keine", 3, 3, "Nein, wir stellen nicht frei."),
        segment_row("U01_2023-1", "Freistellung > keine", 3, 3, "Nein, wir stellen nicht frei."),
        segment_row(
            "U01_2023-1", "Freistellung > Gründe > Kosten", 5, 5, "Jede Stunde kostet uns Geld."
        ),
    ]
    make_wave(tmp_path / "a", rows=rows)
    make_wave(tmp_path / "b", rows=list(reversed(rows)))
    ids_a = import_wave(tmp_path / "a", "2023-1").codings["coding_id"]
    ids_b = import_wave(tmp_path / "b", "2023-1").codings["coding_id"]
    assert ids_a.is_unique
    assert sorted(ids_a) == sorted(ids_b)


def test_wave_demo_waves_import_and_roundtrip_parquet(demo_copy: Path, tmp_path: Path) -> None:
    waves = discover_waves(demo_copy)
    assert waves == ["2023-1", "2023-2", "2024-1", "2024-2", "2025-1", "2025-2"]
    for wave in waves:
        result = import_wave(demo_copy, wave)
        assert result.documents["has_transcript"].all()
        if len(result.codings):
            assert (result.codings["text_check"] == "ok").all()
            assert result.codings["code"].str.contains(r"\\").sum() == 0
    result = import_wave(demo_copy, "2023-1")
    paths = write_wave(result, tmp_path / "2023-1")
    back = pd.read_parquet(paths["codings"])
    assert list(back.columns) == list(result.codings.columns)
    assert back["coding_id"].tolist() == result.codings["coding_id"].tolist()


def test_wave_badly_named_folder_is_E013(tmp_path: Path) -> None:
    make_wave(tmp_path)
    (tmp_path / "Welle 3").mkdir()
    with pytest.raises(InputError, match=r"E013.*'Welle 3'"):
        discover_waves(tmp_path)


def test_wave_english_csv_export(tmp_path: Path) -> None:
    wave_dir = make_wave(tmp_path, rows=[])
    frame = pd.DataFrame(
        [
            {
                "Document group": "Betriebe",
                "Document name": "U01_2023-1",
                "Code": "Freistellung\\keine",
                "Beginning": 3,
                "End": 3,
                "Weight score": 0,
                "Segment": "Nein, wir stellen nicht frei.",
                "Created by": "JS",
                "Created": "2023-03-01 10:00",
            }
        ]
    )
    frame.to_csv(wave_dir / "coded.csv", index=False, encoding="utf-8-sig")
    cods = import_wave(tmp_path, "2023-1").codings
    assert cods.iloc[0]["code"] == "Freistellung > keine"
    assert cods.iloc[0]["coder"] == "JS"
    assert cods.iloc[0]["text_check"] == "ok"


def test_wave_txt_transcript_is_matched_by_document_name(tmp_path: Path) -> None:
    wave_dir = make_wave(tmp_path, transcripts={})
    (wave_dir / "U01_2023-1.txt").write_text("\n".join(TRANSCRIPT), encoding="utf-8")
    result = import_wave(tmp_path, "2023-1")
    assert result.documents.iloc[0]["transcript_file"] == "2023-1/U01_2023-1.txt"
    assert (result.codings["text_check"] == "ok").all()


def test_wave_two_transcripts_of_one_document_is_E014(tmp_path: Path) -> None:
    wave_dir = make_wave(tmp_path)
    shutil.copy(wave_dir / "U01_2023-1.docx", wave_dir / "sub.docx")
    (wave_dir / "Kopie").mkdir()
    shutil.copy(wave_dir / "U01_2023-1.docx", wave_dir / "Kopie" / "U01_2023-1.docx")
    with pytest.raises(InputError, match="E014"):
        import_wave(tmp_path, "2023-1")


def test_wave_two_transcripts_message_names_both_files_in_german(tmp_path: Path) -> None:
    wave_dir = make_wave(tmp_path)
    (wave_dir / "Kopie").mkdir()
    shutil.copy(wave_dir / "U01_2023-1.docx", wave_dir / "Kopie" / "U01_2023-1.docx")
    with pytest.raises(InputError) as err:
        import_wave(tmp_path, "2023-1")
    assert str(err.value) == (
        "[E014] '2023-1/U01_2023-1.docx': zwei Transkripte für das Dokument 'U01_2023-1' "
        "(auch '2023-1/Kopie/U01_2023-1.docx'). So beheben: nur ein Transkript je Dokument "
        "behalten"
    )


def test_wave_ignored_files_note_is_german(tmp_path: Path) -> None:
    wave_dir = make_wave(tmp_path)
    (wave_dir / "Notizen.pdf").write_bytes(b"%PDF-1.4")
    result = import_wave(tmp_path, "2023-1")
    assert (
        "nicht berücksichtigte Dateien (weder Export noch Transkript): Notizen.pdf" in result.notes
    )


def test_wave_input_error_survives_a_process_boundary() -> None:
    import pickle

    from asaqda.errors import Location, Problem

    err = InputError([Problem("E008", "past the end", Location("a.xlsx", "S", 3, "Ende"))])
    back = pickle.loads(pickle.dumps(err))
    assert isinstance(back, InputError)
    assert back.problems == err.problems
    assert str(back) == str(err)


def _nfd(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFD", text)


def test_wave_nfd_transcript_file_name_matches_nfc_document(tmp_path: Path) -> None:
    name = "Müller_2023-1"  # NFC, as MAXQDA exports it
    rows = [segment_row(name, "Freistellung > keine", 3, 3, "Nein, wir stellen nicht frei.")]
    variables = [{"Dokumentgruppe": "Betriebe", "Dokumentname": name, "Welle": "2023-1"}]
    wave_dir = make_wave(tmp_path, rows=rows, variables=variables, transcripts={})
    (wave_dir / f"{_nfd(name)}.txt").write_text("\n".join(TRANSCRIPT), encoding="utf-8")
    assert _nfd(name) != name  # the planted file name really is decomposed
    result = import_wave(tmp_path, "2023-1")
    docs = result.documents
    assert docs["document_name"].tolist() == [name]  # no phantom document
    assert docs["has_transcript"].tolist() == [True]
    assert docs["n_paragraphs"].tolist() == [5]
    assert result.codings["text_check"].tolist() == ["ok"]


def test_wave_names_differing_only_in_normal_form_are_the_same(tmp_path: Path) -> None:
    group, name, code = "Betriebe Süd", "Bäckerei_2023-1", "Freistellung > Gründe > Kosten"
    rows = [
        segment_row(
            _nfd(name),
            _nfd(code),
            5,
            5,
            "Jede Stunde kostet uns Geld.",
            Dokumentgruppe=_nfd(group),
        )
    ]
    variables = [
        {
            "Dokumentgruppe": group,
            "Dokumentname": name,
            "Welle": "2023-1",
            "Rolle": _nfd("Agentur für Arbeit"),
            _nfd("Betriebsgröße"): "Kleinbetrieb",
        }
    ]
    make_wave(tmp_path, rows=rows, variables=variables, transcripts={name: TRANSCRIPT})
    result = import_wave(tmp_path, "2023-1")  # no E007 although the bytes differ
    docs, cods = result.documents, result.codings
    assert docs[["document_group", "document_name"]].values.tolist() == [[group, name]]
    assert docs["Rolle"].tolist() == ["Agentur für Arbeit"]
    assert docs["Betriebsgröße"].tolist() == ["Kleinbetrieb"]
    assert cods["code"].tolist() == [code]
    assert cods["doc_id"].tolist() == docs["doc_id"].tolist()
    assert cods["text_check"].tolist() == ["ok"]


def test_wave_link_out_of_the_input_folder_is_skipped_with_a_note(tmp_path: Path) -> None:
    secret = tmp_path / "geheim.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    input_dir = tmp_path / "input"
    wave_dir = make_wave(input_dir)
    (wave_dir / "passwd.txt").symlink_to(secret)
    (wave_dir / "etc").symlink_to(tmp_path, target_is_directory=True)
    result = import_wave(input_dir, "2023-1")
    assert result.documents["document_name"].tolist() == ["U01_2023-1"]
    assert [n for n in result.notes if n.startswith("Verknüpfung")] == [
        "Verknüpfung '2023-1/etc' zeigt auf einen Ort außerhalb des Eingabeordners und wurde "
        "nicht gelesen; kopieren Sie die Datei selbst in den Wellenordner",
        "Verknüpfung '2023-1/passwd.txt' zeigt auf einen Ort außerhalb des Eingabeordners und "
        "wurde nicht gelesen; kopieren Sie die Datei selbst in den Wellenordner",
    ]
    assert [p.name for p in wave_files(input_dir, "2023-1")] == [
        "U01_2023-1.docx",
        "segmente.xlsx",
        "variablen.xlsx",
    ]


def test_wave_link_inside_the_input_folder_is_read(tmp_path: Path) -> None:
    wave_dir = make_wave(tmp_path, transcripts={})
    archive = tmp_path / "_archiv"
    archive.mkdir()
    (archive / "U01.txt").write_text("\n".join(TRANSCRIPT), encoding="utf-8")
    (wave_dir / "U01_2023-1.txt").symlink_to(Path("..") / "_archiv" / "U01.txt")
    (wave_dir / "weg.txt").symlink_to(tmp_path / "gibt_es_nicht.txt")
    (wave_dir / "ordner").symlink_to(archive, target_is_directory=True)
    result = import_wave(tmp_path, "2023-1")
    assert result.documents["has_transcript"].tolist() == [True]
    assert result.codings["text_check"].tolist() == ["ok", "ok"]
    assert [n for n in result.notes if n.startswith("Verknüpfung")] == [
        "Verknüpfung '2023-1/ordner' zeigt auf einen Ordner; Ordnerverknüpfungen werden nicht "
        "verfolgt, legen Sie die Dateien selbst in den Wellenordner",
        "Verknüpfung '2023-1/weg.txt' zeigt auf keine vorhandene Datei und wurde nicht gelesen; "
        "löschen Sie sie oder legen Sie die Datei selbst in den Wellenordner",
    ]


def test_wave_wave_folder_linked_from_outside_is_E013(tmp_path: Path) -> None:
    make_wave(tmp_path / "woanders")
    input_dir = tmp_path / "input"
    make_wave(input_dir, wave="2023-2")
    (input_dir / "2023-1").symlink_to(tmp_path / "woanders" / "2023-1", target_is_directory=True)
    with pytest.raises(InputError) as err:
        discover_waves(input_dir)
    assert err.value.code == "E013"
    assert "'2023-1'" in str(err.value) and "außerhalb des Eingabeordners" in str(err.value)


def test_wave_maxqda_document_export_aligns_every_segment(tmp_path: Path) -> None:
    from .test_io_transcripts import EXPORT_TEXTS, write_document_export

    name = "U33_2024-1"
    rows = [
        segment_row(name, "Freistellung > keine", 2, 2, "Gar nicht, das läuft nach Feierabend."),
        segment_row(name, "Freistellung > Gründe > Kosten", 4, 4, "Jede Stunde kostet uns Geld."),
        segment_row(
            name,
            "Freistellung > keine",
            1,
            2,
            "für die Stützkurse frei? B: Gar nicht",
        ),
        segment_row(name, "Sonstiges", 5, 5, "Ich sehe das anders."),
    ]
    variables = [{"Dokumentgruppe": "Betriebe", "Dokumentname": name, "Welle": "2024-1"}]
    wave_dir = make_wave(tmp_path, "2024-1", rows=rows, variables=variables, transcripts={})
    write_document_export(wave_dir / f"{name}.docx", EXPORT_TEXTS, header=("Absatz", "Text"))
    result = import_wave(tmp_path, "2024-1")
    assert result.documents["n_paragraphs"].tolist() == [5]
    assert result.paragraphs["text"].tolist() == EXPORT_TEXTS
    assert result.paragraphs["paragraph"].tolist() == [1, 2, 3, 4, 5]
    assert result.codings["text_check"].tolist() == ["ok", "ok", "ok", "ok"]  # 0 misplaced
    assert any("als MAXQDA-Dokumentexport erkannt" in n for n in result.notes)


def test_wave_nfc_and_nfd_transcript_of_one_document_is_E014(tmp_path: Path) -> None:
    name = "Müller_2023-1"
    rows = [segment_row(name, "Freistellung > keine", 3, 3, "Nein, wir stellen nicht frei.")]
    variables = [{"Dokumentgruppe": "Betriebe", "Dokumentname": name, "Welle": "2023-1"}]
    wave_dir = make_wave(tmp_path, rows=rows, variables=variables, transcripts={name: TRANSCRIPT})
    (wave_dir / f"{_nfd(name)}.txt").write_text("\n".join(TRANSCRIPT), encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_wave(tmp_path, "2023-1")
    assert [p.code for p in err.value.problems] == ["E014"]


def test_wave_review_sheet_linked_from_outside_is_not_read(tmp_path: Path) -> None:
    from asaqda.io.wave import review_files

    input_dir = tmp_path / "input"
    review = make_wave(input_dir) / "review"
    review.mkdir()
    (review / "MK.xlsx").write_bytes(b"x")
    (tmp_path / "fremd.xlsx").write_bytes(b"x")
    (review / "fremd.xlsx").symlink_to(tmp_path / "fremd.xlsx")
    assert [p.name for p in review_files(input_dir, "2023-1")] == ["MK.xlsx"]


def test_wave_skipped_link_reaches_the_import_notes(tmp_path: Path) -> None:
    input_dir = tmp_path / "input"
    wave_dir = make_wave(input_dir)
    (wave_dir / "passwd.txt").symlink_to(tmp_path / "gibt_es_nicht_im_eingabeordner.txt")
    (tmp_path / "gibt_es_nicht_im_eingabeordner.txt").write_text("geheim", encoding="utf-8")
    out = tmp_path / "interim" / "2023-1"
    import_step(input_dir, "2023-1", out)
    notes = pd.read_parquet(out / "notes.parquet")
    assert notes.to_dict("records") == [
        {
            "welle": "2023-1",
            "hinweis": "Verknüpfung '2023-1/passwd.txt' zeigt auf einen Ort außerhalb des "
            "Eingabeordners und wurde nicht gelesen; kopieren Sie die Datei selbst in den "
            "Wellenordner",
        }
    ]
    documents = pd.read_parquet(out / "documents.parquet")
    assert documents["document_name"].tolist() == ["U01_2023-1"]
