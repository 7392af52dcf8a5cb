"""Data protection: the leak check, the release gate and the pseudonymiser (planted cases)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from asaqda.errors import InputError
from asaqda.io.officefiles import write_xlsx
from asaqda.privacy.detect import Detector, iban_valid
from asaqda.privacy.gate import (
    apply_signoffs,
    gate_quotes,
    read_signoffs,
    report_quotes,
    signoff_sheet,
)
from asaqda.privacy.scan import collect_texts, leak_table, quote_id, read_blocklist

ALLOWED = ["A001", "U01", "B01", "I", "B", "Freistellung", "Mecklenburg-Vorpommern"]


def _found(
    text: str, allowed: list[str] = ALLOWED, block: tuple[str, ...] = ()
) -> list[tuple[str, str]]:
    return [(h.text, h.kind) for h in Detector(allowed, block).find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Frau Yilmaz aus der Bäckerei Kranz in Plauen hat gesagt, dass es geht.",
            [("Yilmaz", "Person"), ("Kranz", "Betrieb"), ("Plauen", "Ort")],
        ),
        ("Kevin war beim Jobcenter.", [("Kevin", "Person")]),
        ("Leonie aus der Berufsschule kommt mit.", [("Leonie", "Person")]),
        ("Ohne Hoffmanns Hilfe wäre ich raus.", [("Hoffmanns", "Person")]),
        ("Der Plauener Betrieb hat mich genommen.", [("Plauener", "Ort")]),
        ("Das Becker-Team hat mich aufgenommen.", [("Becker-Team", "Person")]),
        ("Bei der Müller GmbH lerne ich viel.", [("Müller GmbH", "Betrieb")]),
        ("Schreib an anna.schmidt@web.de bitte.", [("anna.schmidt@web.de", "E-Mail")]),
        ("Ruf an unter 0341 1234567, danke.", [("0341 1234567", "Telefon")]),
        ("Ich wohne Bahnhofstraße 12 in der Nähe.", [("Bahnhofstraße 12", "Adresse")]),
        ("Das ist in 08523 Plauen passiert.", [("08523 Plauen", "Adresse")]),
        ("Ich bin am 12.03.1999 geboren.", [("12.03.1999", "Geburtsdatum")]),
        (
            "Meine IBAN ist DE89 3704 0044 0532 0130 00.",
            [("DE89 3704 0044 0532 0130 00", "Kennnummer")],
        ),
        ("Meine Kundennummer: 123D456789 beim Amt.", [("123D456789", "Kennnummer")]),
    ],
)
def test_privacy_detector_finds_planted_kinds(text: str, expected: list[tuple[str, str]]) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # capitalised nouns, pseudonyms, speaker labels, states, codebook terms: no hit
        "Die Ausbildung bei A001 im Betrieb U01 läuft gut.",
        "Am Anfang war es schwer, aber die Betriebe in Mecklenburg-Vorpommern sind okay.",
        "Im Sommer ging es bergauf, nach den Ferien kam die Freistellung.",
        "Wenn die Lehrerin Fehlzeiten meldet, wissen wir es am selben Tag.",
        "Ich komme kaum aus dem Bett, nach Hause komme ich spät.",
        "Die Prüfung war am 1. Juni 2024 und ich hatte eine Zwei.",
        "Um Behördenkram muss ich mich nicht kümmern, aus Gründen der Fairness.",
        "Die Online-Aufgaben waren gut.",
    ],
)
def test_privacy_detector_no_hit_on_ordinary_german(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # surnames the tagger's lexicon knows as common nouns, found by their context only
        ("Das war so. Krüger hat gesagt, dass ich das schaffe.", [("Krüger", "Person")]),
        ("Das meint Krüger.", [("Krüger", "Person")]),
        ("Gestern, Lindemann erzählte es mir.", [("Lindemann", "Person")]),
        ("Ohne Lindemanns Hilfe wäre ich raus.", [("Lindemanns", "Person")]),
        # the same cues do not fire on pronouns, plurals or articles
        ("Jeder hat gesagt, dass es geht.", []),
        ("Lehrer sagen das immer.", []),
        ("Der Lehrer hat gesagt, dass es geht.", []),
        ("Ohne die Hilfe des Lehrers wäre ich raus.", []),
        ("Anfangs Probleme, dann ging es.", []),
    ],
)
def test_privacy_detector_surname_by_speech_verb_and_genitive(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # surnames that are ordinary words (Hahn, Lange, Vogt, Richter), found by context
        ("Der Azubi Hahn hat gekündigt.", [("Hahn", "Person")]),
        ("Mein Kumpel heißt Lange.", [("Lange", "Person")]),
        ("Ich hatte ein Gespräch mit Vogt über die Prüfung.", [("Vogt", "Person")]),
        ("Ich arbeite mit Richter zusammen.", [("Richter", "Person")]),
        ("Sommer und ich haben Spätschicht.", [("Sommer", "Person")]),
        ("Das hat Lange mir genau erklärt.", [("Lange", "Person")]),
        ("Dann hat mir Schuster die Papiere gegeben.", [("Schuster", "Person")]),
        ("Wie Richter immer sagt, Übung ist alles.", [("Richter", "Person")]),
        ("Das Berger-Team hat mich aufgenommen.", [("Berger-Team", "Person")]),
        ("Jägers Tipps haben mir geholfen.", [("Jägers", "Person")]),
        ("Klein hat gesagt, dass ich das schaffe.", [("Klein", "Person")]),
        ("Laut Richter fehlt mir nur die Praxis.", [("Richter", "Person")]),
        # adjectives as surnames (Kurz, Fröhlich, Stark) and first names the tagger knows as nouns
        ("Erst gestern hat Dilara Kurz angerufen.", [("Dilara Kurz", "Person")]),
        ("Fröhlich hat gesagt, dass ich das schaffe.", [("Fröhlich", "Person")]),
        ("Stark und ich machen die Spätschicht.", [("Stark", "Person")]),
        ("Wir arbeiten mit Kurz Bau GmbH zusammen.", [("Kurz Bau GmbH", "Betrieb")]),
        ("Ich habe Finn gefragt, ob sie mitkommt.", [("Finn", "Person")]),
        # a surname the tagger takes for a verb form (Wendt: wenden), a title chain, a role
        ("Wendt hat gesagt, dass ich das schaffe.", [("Wendt", "Person")]),
        ("Die Kollegin Esra Wendt hat frei.", [("Esra Wendt", "Person")]),
        ("Frau Dr. Kraft hat mich krankgeschrieben.", [("Kraft", "Person")]),
        ("Mein Chef Decker sagt, ich soll mehr lernen.", [("Decker", "Person")]),
        ("Ich habe mit Böttcher über die Prüfung geredet.", [("Böttcher", "Person")]),
        # the same frames with common nouns, plurals, English words: no hit
        ("Wenn die Lehrerin Fehlzeiten meldet, wissen es alle.", []),
        ("Als dann noch Ärger mit Behörden dazukam, war es schlimm.", []),
        ("Ich muss dem Meister Bescheid sagen.", []),
        ("Das hat mir Spaß gemacht.", []),
        ("Klar hat er gesagt, dass es geht.", []),
        ("Das Service-Team hat mich aufgenommen.", []),
        ("Das heißt Arbeit ohne Ende.", []),
        ("Bei Software Patterns ist das Verstehen wichtig.", []),
        ("Das hilft vor allem den faulen Schreiber wie mir.", []),
        ("Ehrlich gesagt: Von AsA flex hatte ich nie gehört.", []),
        ("Laut Vertrag steht mir das zu.", []),
        ("Es gab Tage, da wollte ich nicht mehr.", []),
        ("Unterstützt hat es das definitiv.", []),
        ("Das Bestanden, Nichtbestanden war wichtig.", []),
        ("Ich habe mit Arbeit über nichts geredet.", []),
    ],
)
def test_privacy_detector_context_cues_for_surnames_that_are_words(
    text: str, expected: list[tuple[str, str]]
) -> None:
    assert _found(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Koch" is an occupation of the study (allowed), not a pseudonym: a hit where only a
        # name can stand, no hit elsewhere
        ("Frau Koch hat mir geholfen.", [("Koch", "Person")]),
        ("Die Firma Koch zahlt gut.", [("Koch", "Betrieb")]),
        ("Mein Ausbilder, Elif Koch, ist streng.", [("Elif Koch", "Person")]),
        ("Ich mache eine Ausbildung zum Koch.", []),
        ("Als Koch muss man früh aufstehen.", []),
        # a pseudonym stays allowed after a title
        ("Frau A001 hat gesagt, dass es geht.", []),
    ],
)
def test_privacy_detector_occupation_of_registry_is_hit_in_name_context(
    text: str, expected: list[tuple[str, str]]
) -> None:
    hits = Detector(["Koch/Köchin", "A001"], pseudonyms=["A001"]).find(text)
    assert [(h.text, h.kind) for h in hits] == expected


def test_privacy_first_names_are_shipped_mit_list_without_gpl_package() -> None:
    from asaqda.privacy.detect import _first_names, _is_first_name

    from .conftest import REPO

    assert len(_first_names()) > 30_000
    # in the list as "Ayse" only: matched without diacritics too
    assert _is_first_name("Ayşe") and _is_first_name("Zeynep") and not _is_first_name("Arbeit")
    licences = (REPO / "src/asaqda/privacy/data/LICENSES.txt").read_text(encoding="utf-8")
    assert licences.count("MIT License") + licences.count("Permission is hereby granted") >= 2
    assert "gender-guesser" not in (REPO / "pyproject.toml").read_text(encoding="utf-8")


def test_privacy_detector_blocklist_hit_inflected() -> None:
    assert _found("Wir waren bei Schulzes zu Hause.", block=("Schulze",)) == [
        ("Schulzes", "Sperrliste")
    ]


def test_privacy_iban_check_digits() -> None:
    assert iban_valid("DE89 3704 0044 0532 0130 00")
    assert not iban_valid("DE88 3704 0044 0532 0130 00")


def test_privacy_quote_id_stable_and_whitespace_blind() -> None:
    a = quote_id("d1", "3-4", "Frau  Krause kommt.")
    assert a == quote_id("d1", "3-4", "Frau Krause kommt.")
    assert a != quote_id("d1", "3", "Frau Krause kommt.")
    assert len(a) == 16


def _corpus() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    documents = pd.DataFrame(
        {"doc_id": ["d1"], "wave": ["2023-1"], "document_name": ["A001_2023-1"], "Person": ["A001"]}
    )
    paragraphs = pd.DataFrame(
        {
            "doc_id": ["d1", "d1"],
            "wave": ["2023-1", "2023-1"],
            "paragraph": [1, 2],
            "speaker": ["I", "B"],
            "content": ["Wie läuft es?", "Frau Krause vom Träger hilft mir. Das ist gut."],
        }
    )
    codings = pd.DataFrame(
        {
            "doc_id": ["d1"],
            "wave": ["2023-1"],
            "document_name": ["A001_2023-1"],
            "code": ["Unterstützung"],
            "begin": pd.array([2], dtype="Int64"),
            "end": pd.array([2], dtype="Int64"),
            "segment": ["Frau Krause vom Träger hilft mir."],
        }
    )
    return documents, paragraphs, codings


def test_privacy_leak_table_rows_and_location() -> None:
    documents, paragraphs, codings = _corpus()
    texts = collect_texts(codings, paragraphs, documents, [("Unterstützung", "Das hilft mir.")])
    table = leak_table(texts, Detector(["A001", "I", "B"]))
    got = table[["Quelle", "Dokument", "Absatz", "Code", "Art", "Treffer", "Freigabe"]]
    assert got.values.tolist() == [
        ["Kodiertes Segment", "A001_2023-1", "2", "Unterstützung", "Person", "Krause", "offen"],
        ["Transkript-Absatz", "A001_2023-1", "2", "", "Person", "Krause", "offen"],
    ]
    assert table["Zitat-ID"].iloc[0] == quote_id("d1", "2", "Frau Krause vom Träger hilft mir.")


def test_privacy_blocklist_comments_and_bad_file(tmp_path: Path) -> None:
    good = tmp_path / "namen.txt"
    good.write_text("# echte Namen\nSchulze\n\nMeier  # Ausbilder\n", encoding="utf-8")
    assert read_blocklist(good) == ["Schulze", "Meier"]
    bad = tmp_path / "kaputt.txt"
    bad.write_bytes(b"\xff\xfe\x00\xd8")
    with pytest.raises(InputError) as err:
        read_blocklist(bad)
    assert err.value.code == "E040"


def _signoff_file(tmp_path: Path, rows: list[list[object]]) -> Path:
    path = tmp_path / "freigaben.xlsx"
    write_xlsx(
        path,
        {"Freigaben": pd.DataFrame(rows, columns=["Zitat-ID", "Entscheidung", "Wer", "Datum"])},
    )
    return path


def test_privacy_signoffs_applied_and_kept(tmp_path: Path) -> None:
    documents, paragraphs, codings = _corpus()
    table = leak_table(collect_texts(codings, paragraphs, documents), Detector(["A001", "I", "B"]))
    seg_id = table["Zitat-ID"].iloc[0]
    path = _signoff_file(
        tmp_path,
        [[seg_id, "Freigegeben", "JS", "01.12.2026"], ["0000000000000000", "gesperrt", "MK", ""]],
    )
    signoffs = read_signoffs(path)
    gated = apply_signoffs(table, signoffs)
    assert gated["Freigabe"].tolist() == ["freigegeben", "offen"]
    sheet = signoff_sheet(gated, signoffs)
    # the decision on a quote that no longer has a hit is carried over, not lost
    assert sheet[["Zitat-ID", "Entscheidung", "Wer"]].values.tolist() == sorted(
        [
            ["0000000000000000", "gesperrt", "MK"],
            [seg_id, "freigegeben", "JS"],
            [table["Zitat-ID"].iloc[1], "", ""],
        ]
    )


def test_privacy_signoffs_bad_decision_names_row_and_column(tmp_path: Path) -> None:
    path = _signoff_file(tmp_path, [["abc", "ok", "JS", ""], ["def", "gesperrt", "", ""]])
    with pytest.raises(InputError) as err:
        read_signoffs(path, "datenschutz/freigaben.xlsx")
    text = str(err.value)
    assert err.value.code == "E041"
    assert "Zeile 2, Spalte 'Entscheidung'" in text
    assert "Zeile 3, Spalte 'Wer'" in text


@pytest.mark.parametrize(
    ("streng", "in_report", "sources"),
    [
        (
            False,
            ["ja", "ja", "ja", "nein"],
            ["(A)", "(B) [Datenschutz: nicht freigegeben – Person]", "(C)"],
        ),
        (True, ["ja", "nein", "ja", "nein"], ["(A)", "(C)"]),
    ],
)
def test_privacy_gate_marks_and_leaves_out_uncleared_quotes(
    streng: bool, in_report: list[str], sources: list[str]
) -> None:
    quotes = pd.DataFrame(
        {
            "Zitat-ID": ["q1", "q2", "q3", "q4"],
            "Zitat": ["a", "b", "c", "d"],
            "Quelle": ["(A)", "(B)", "(C)", "(D)"],
        }
    )
    leaks = pd.DataFrame(
        {
            "Zitat-ID": ["q2", "q3", "q4"],
            "Quelle": ["Kodiertes Segment"] * 3,
            "Art": ["Person", "Ort", "Telefon"],
            "Freigabe": ["offen", "freigegeben", "gesperrt"],
        }
    )
    gated = gate_quotes(quotes, leaks, streng)
    assert gated["Datenschutz"].tolist() == ["", "offen: Person", "freigegeben", "gesperrt"]
    assert gated["Im Bericht"].tolist() == in_report
    assert report_quotes(gated)["Quelle"].tolist() == sources


def _named_wave(root: Path) -> Path:
    from .conftest import make_wave, segment_row

    transcript = [
        "Interview U01, Welle 2023-1",
        "I: [00:00:10] Stellen Sie frei?",
        "B: Nein. Frau Yilmaz aus der Bäckerei Kranz in Plauen sagt das auch.",
        "",
        "I: Warum nicht?",
        "B: Jede Stunde kostet uns Geld, sagt Herr Kowalski.",
    ]
    rows = [
        segment_row(
            "U01_2023-1", "Freistellung > keine", 3, 3, "Frau Yilmaz aus der Bäckerei Kranz"
        ),
        segment_row(
            "U01_2023-1",
            "Freistellung > Gründe > Kosten",
            5,
            5,
            "Jede Stunde kostet uns Geld, sagt Herr Kowalski.",
        ),
    ]
    return make_wave(root, rows=rows, transcripts={"U01_2023-1": transcript})


def test_privacy_pseudonymise_round_trip_keeps_codings(tmp_path: Path) -> None:
    from asaqda.io.wave import import_wave
    from asaqda.privacy.pseudonymise import pseudonymise_folder, read_mapping, registry_terms

    source = tmp_path / "roh"
    _named_wave(source)
    mapping = tmp_path / "geheim" / "zuordnung.csv"
    report = pseudonymise_folder(
        source, tmp_path / "pseudo", mapping, Detector(registry_terms(source))
    )
    entries = read_mapping(mapping).entries
    assert {k: v[0] for k, v in entries.items()} == {
        "Yilmaz": "[Name 1]",
        "Kranz": "[Betrieb 1]",
        "Plauen": "[Ort 1]",
        "Kowalski": "[Name 2]",
    }
    assert report.replaced == {"Yilmaz": 2, "Kranz": 2, "Plauen": 1, "Kowalski": 2}
    wave = import_wave(tmp_path / "pseudo", "2023-1")
    assert wave.codings["text_check"].tolist() == ["ok", "ok"]  # 0 misplaced segments
    assert wave.codings["segment"].tolist() == [
        "Frau [Name 1] aus der Bäckerei [Betrieb 1]",
        "Jede Stunde kostet uns Geld, sagt Herr [Name 2].",
    ]
    assert wave.paragraphs["content"].tolist()[2] == (
        "Nein. Frau [Name 1] aus der Bäckerei [Betrieb 1] in [Ort 1] sagt das auch."
    )


def test_privacy_pseudonymise_idempotent_and_consistent_across_waves(tmp_path: Path) -> None:
    from asaqda.privacy.pseudonymise import pseudonymise_folder, registry_terms

    source = tmp_path / "roh"
    _named_wave(source)
    mapping = tmp_path / "zuordnung.csv"
    det = Detector(registry_terms(source))
    pseudonymise_folder(source, tmp_path / "a", mapping, det)
    first = mapping.read_text(encoding="utf-8")
    again = pseudonymise_folder(source, tmp_path / "b", mapping, det)
    assert mapping.read_text(encoding="utf-8") == first and again.unsure == {}
    twice = pseudonymise_folder(tmp_path / "a", tmp_path / "c", mapping, det)
    assert twice.replaced == {} and mapping.read_text(encoding="utf-8") == first
    # a later wave: the known name keeps its pseudonym, a new one is appended
    later = tmp_path / "roh2" / "2024-1"
    later.mkdir(parents=True)
    (later / "U01_2024-1.txt").write_text("B: Herr Kowalski und Frau Nowak.\n", encoding="utf-8")
    pseudonymise_folder(later, tmp_path / "d", mapping, det)
    assert (tmp_path / "d" / "U01_2024-1.txt").read_text(encoding="utf-8") == (
        "B: Herr [Name 2] und Frau [Name 3].\n"
    )
    assert mapping.read_text(encoding="utf-8").startswith(first)


def test_privacy_cli_pseudonymise_prints_replacements_and_unsure(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from asaqda.cli import app

    source = tmp_path / "roh" / "2023-1"
    source.mkdir(parents=True)
    (source / "A001_2023-1.txt").write_text(
        "B: Frau Yilmaz hilft. Dann kam Kowalski dazu.\n", encoding="utf-8"
    )
    mapping = tmp_path / "zuordnung.csv"
    result = CliRunner().invoke(
        app, ["pseudonymise", str(source), str(tmp_path / "out"), "--mapping", str(mapping)]
    )
    assert result.exit_code == 0, result.output
    assert "ersetzt: Yilmaz (1×)" in result.output
    assert (
        "unsicher: Kowalski – Eigenname (Wortart NE), nicht im Pseudonym-Register" in result.output
    )
    assert (tmp_path / "out" / "A001_2023-1.txt").read_text(encoding="utf-8") == (
        "B: Frau [Name 1] hilft. Dann kam [Name 2] dazu.\n"
    )
    inside = CliRunner().invoke(
        app, ["pseudonymise", str(source), str(source / "x"), "--mapping", str(mapping)]
    )
    assert inside.exit_code == 2


def test_privacy_mapping_name_with_two_pseudonyms_is_e042(tmp_path: Path) -> None:
    from asaqda.privacy.pseudonymise import read_mapping

    path = tmp_path / "zuordnung.csv"
    path.write_text(
        "Original;Pseudonym;Art\nYilmaz;[Name 1];Person\nYilmaz;[Name 2];Person\n", encoding="utf-8"
    )
    with pytest.raises(InputError) as err:
        read_mapping(path)
    assert err.value.code == "E042" and "Zeile 3, Spalte 'Pseudonym'" in str(err.value)


def test_privacy_cli_run_options_become_config(tmp_path: Path) -> None:
    import typer

    from asaqda.cli import _privacy_config

    names = tmp_path / "namen.txt"
    names.write_text("Schulze\n", encoding="utf-8")
    assert _privacy_config(None, False) == []
    assert _privacy_config(None, True) == ['datenschutz={"sperrliste": "", "streng": true}']
    assert _privacy_config(names, False) == [
        f'datenschutz={{"sperrliste": "{names.resolve()}", "streng": false}}'
    ]
    with pytest.raises(typer.Exit):
        _privacy_config(tmp_path / "fehlt.txt", False)


def test_privacy_step_writes_leak_table_with_signoffs(tmp_path: Path) -> None:
    from asaqda.codebook import load_codebook
    from asaqda.privacy.step import privacy_step, wave_leaks_step

    from .conftest import REPO

    documents, paragraphs, codings = _corpus()
    wave = tmp_path / "interim" / "2023-1"
    wave.mkdir(parents=True)
    paragraphs.to_parquet(wave / "paragraphs.parquet")
    documents.assign(intercoder_copy=False).to_parquet(wave / "documents_checked.parquet")
    codings.assign(intercoder_copy=False).to_parquet(wave / "codings_reviewed.parquet")
    codebook_json = tmp_path / "interim" / "codebook.json"
    codebook_json.write_text(load_codebook(REPO / "codebook").model_dump_json(), encoding="utf-8")
    seg_id = quote_id("d1", "2", "Frau Krause vom Träger hilft mir.")
    signoff_dir = tmp_path / "input" / "datenschutz"
    signoff_dir.mkdir(parents=True)
    _signoff_file(signoff_dir, [[seg_id, "gesperrt", "JS", "01.12.2026"]])
    names = tmp_path / "namen.txt"
    names.write_text("Krause\n", encoding="utf-8")
    config = {"sperrliste": str(names)}
    wave_hits = wave_leaks_step(wave, [wave], codebook_json, config, wave / "datenschutz.parquet")
    assert sorted(wave_hits["Treffer"]) == ["Krause", "Krause"]
    leaks = privacy_step([wave], codebook_json, tmp_path / "input", tmp_path / "qualitaet", config)
    assert leaks[["Quelle", "Art", "Treffer", "Freigabe"]].values.tolist() == [
        # the block list wins over the kind the detector gave
        ["Kodiertes Segment", "Sperrliste", "Krause", "gesperrt"],
        ["Transkript-Absatz", "Sperrliste", "Krause", "offen"],
    ]
    sheets = pd.read_excel(
        tmp_path / "qualitaet" / "datenschutz.xlsx", sheet_name=None, engine="calamine"
    )
    assert list(sheets) == ["Übersicht", "Treffer", "Freigaben"]
    assert sheets["Freigaben"]["Entscheidung"].fillna("").tolist().count("gesperrt") == 1
    assert (tmp_path / "qualitaet" / "datenschutz.csv").read_text(encoding="utf-8").count("\n") == 3
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "qualitaet" / "datenschutz.xlsx")["Freigaben"]
    assert [(v.formula1, str(v.sqref)) for v in ws.data_validations.dataValidation] == [
        ('"freigegeben,gesperrt"', "B2:B3")
    ]


def test_privacy_cli_pseudonymise_broken_docx_is_e043_without_output(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from asaqda.cli import app

    source = tmp_path / "roh" / "2023-1"
    source.mkdir(parents=True)
    (source / "A001_2023-1.txt").write_text("B: Frau Yilmaz hilft.\n", encoding="utf-8")
    (source / "A002_2023-1.docx").write_bytes(b"PK\x03\x04 kein Word-Dokument")
    result = CliRunner().invoke(
        app,
        ["pseudonymise", str(source), str(tmp_path / "out"), "--mapping", str(tmp_path / "z.csv")],
    )
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "[E043] 'A002_2023-1.docx': Die Datei kann nicht gelesen werden" in " ".join(
        result.output.split()
    )
    assert not (tmp_path / "out").exists() and not (tmp_path / "z.csv").exists()


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (
            b"\xff\xfe\x00O\x00r",
            "Die Zuordnungsdatei kann nicht gelesen werden (UnicodeDecodeError)",
        ),
        (b"Original\nYilmaz\n", "Spalte 'Pseudonym' fehlt in der Zuordnungsdatei"),
    ],
)
def test_privacy_mapping_unreadable_or_one_column_is_e042(
    tmp_path: Path, raw: bytes, message: str
) -> None:
    from asaqda.privacy.pseudonymise import read_mapping

    path = tmp_path / "zuordnung.csv"
    path.write_bytes(raw)
    with pytest.raises(InputError) as err:
        read_mapping(path)
    assert err.value.code == "E042" and message in str(err.value)


def test_privacy_fuzz_malformed_inputs_give_input_errors_only(tmp_path: Path) -> None:
    """Mapping file, sign-off sheet (CSV) and block list: any bytes give a result or an
    InputError, never another exception."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from asaqda.privacy.pseudonymise import read_mapping

    pieces = st.sampled_from(
        ["Original", "Pseudonym", "Art", "Zitat-ID", "Entscheidung", "Wer", "Datum", ";", ",",
         "\n", "\r\n", '"', "freigegeben", "gesperrt", "=1+1", "\x00", "\ufeff", "ä", " "]
    )  # fmt: skip
    content = st.one_of(st.binary(max_size=200), st.lists(pieces, max_size=40).map(
        lambda p: "".join(p).encode("utf-8")
    ))  # fmt: skip

    @settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
    @given(raw=content)
    def check(raw: bytes) -> None:
        for name, reader in (
            ("zuordnung.csv", read_mapping),
            ("freigaben.csv", read_signoffs),
            ("sperrliste.txt", read_blocklist),
        ):
            path = tmp_path / name
            path.write_bytes(raw)
            try:
                reader(path)
            except InputError:
                pass

    check()


def test_privacy_report_marks_leaked_anchor_quote(tmp_path: Path) -> None:
    """A company interview whose coded anchor quote still names a person: the privacy step
    finds it, the gate marks it, and the report's quote line carries the mark."""
    from asaqda.codebook import load_codebook
    from asaqda.privacy.step import privacy_step
    from asaqda.report.content import spread_quotes
    from asaqda.tables.company_tables import anchor_quotes

    from .conftest import REPO

    quote = "Nein, wir stellen nicht frei. Herr Kowalski aus der Werkstatt sieht das genauso."
    documents = pd.DataFrame(
        {
            "doc_id": ["u2"],
            "wave": ["2023-1"],
            "document_name": ["U02_2023-1"],
            "Person": ["U02"],
            "Betrieb": ["U02"],
            "Rolle": ["Ausbildungsbetrieb"],
            "intercoder_copy": [False],
        }
    )
    paragraphs = pd.DataFrame(
        {
            "doc_id": ["u2", "u2"],
            "wave": ["2023-1", "2023-1"],
            "paragraph": [1, 2],
            "speaker": ["I", "B"],
            "content": ["Stellen Sie frei?", quote],
        }
    )
    codings = pd.DataFrame(
        {
            "doc_id": ["u2"],
            "wave": ["2023-1"],
            "document_name": ["U02_2023-1"],
            "code": ["Freistellung > keine"],
            "begin": pd.array([2], dtype="Int64"),
            "end": pd.array([2], dtype="Int64"),
            "segment": [quote],
            "comment": ["Ankerzitat"],
            "weight": pd.array([0], dtype="Int64"),
            "intercoder_copy": [False],
        }
    )
    from asaqda.privacy.step import wave_leaks_step

    wave = tmp_path / "interim" / "2023-1"
    wave.mkdir(parents=True)
    paragraphs.to_parquet(wave / "paragraphs.parquet")
    documents.to_parquet(wave / "documents_checked.parquet")
    codings.to_parquet(wave / "codings_reviewed.parquet")
    codebook_json = tmp_path / "interim" / "codebook.json"
    codebook_json.write_text(load_codebook(REPO / "codebook").model_dump_json(), encoding="utf-8")
    wave_leaks_step(wave, [wave], codebook_json, {}, wave / "datenschutz.parquet")
    leaks = privacy_step([wave], codebook_json, tmp_path / "input", tmp_path / "qualitaet", {})
    assert leaks[["Quelle", "Art", "Treffer", "Freigabe"]].values.tolist() == [
        ["Kodiertes Segment", "Person", "Kowalski", "offen"],
        ["Transkript-Absatz", "Person", "Kowalski", "offen"],
    ]
    quotes = anchor_quotes(documents, codings, ["Freistellung > keine"])
    gated = gate_quotes(quotes.rename(columns={"zitat_id": "Zitat-ID"}), leaks)
    shown = report_quotes(
        gated.rename(
            columns={
                "kategorie": "Kategorie",
                "code": "Code",
                "zitat": "Zitat",
                "quelle": "Quelle",
                "betrieb": "Betrieb",
            }
        )
    )
    lines = [
        f"{q.Kategorie}: „{q.Zitat}“ {q.Quelle}"
        for q in spread_quotes(shown, ["Freistellung > keine"], set()).itertuples(index=False)
    ]
    assert lines == [f"keine: „{quote}“ (Ausbilder_U02) [Datenschutz: nicht freigegeben – Person]"]


def test_privacy_demo_plants_one_leaked_anchor_quote() -> None:
    from asaqda.demo.generator import LEAKED_SENTENCE, generate_corpus

    found = [
        (iv.name, c.code, c.comment, [(h.text, h.kind) for h in Detector(ALLOWED).find(c.segment)])
        for iv in generate_corpus()
        for c in iv.codings
        if LEAKED_SENTENCE in c.segment and iv.group == "Betriebe"
    ]
    assert found == [("U02_2023-1", "Freistellung > keine", "Ankerzitat", [("Kowalski", "Person")])]
