"""Filled sheets left in the output folder are kept in the input folder before a run."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from asaqda.errors import InputError
from asaqda.inductive.sheets import candidate_rows, write_candidate_sheet
from asaqda.inductive.topics import TopicResult
from asaqda.io.wave import discover_waves
from asaqda.review.rescue import (
    CANDIDATES,
    REVIEW,
    candidate_sheet_entries,
    free_name,
    print_rescue,
    rescue_filled_sheets,
    rescue_notes,
)

from .conftest import REPO, make_wave
from .test_review import WAVE, fill, read_back, review_env, write_sheets

__all__ = ["review_env"]  # the fixture, imported for these tests


def sheet_ids(path: Path) -> dict[int, str]:
    """Nr. -> Vorschlags-ID of a review sheet."""
    ws = load_workbook(path)["Vorschläge"]
    return {r[0].value: r[11].value for r in ws.iter_rows(min_row=2)}


# --- review sheets ------------------------------------------------------------------------


def test_rescue_filled_review_sheet_is_copied_to_the_input_and_its_decisions_are_read(
    review_env: dict[str, object],
) -> None:
    inp, out = review_env["inp"], review_env["out"]
    assert isinstance(inp, Path) and isinstance(out, Path)
    sheet = write_sheets(review_env, ["JS"], 0.0)["JS"]
    ids = sheet_ids(sheet)
    fill(sheet, sheet, {1: ("übernehmen", "", ""), 3: ("ablehnen", "", "passt nicht")})
    filled = sheet.read_bytes()

    rescued = rescue_filled_sheets(inp, out, [WAVE])

    target = inp / WAVE / "review" / "JS.xlsx"
    assert [(r.kind, r.target, r.rows, r.copied) for r in rescued] == [(REVIEW, target, 2, True)]
    assert target.read_bytes() == filled
    assert sheet.read_bytes() == filled  # copied, the sheet in place is untouched
    decisions, problems = read_back(review_env)
    assert problems.empty
    found = zip(
        decisions["suggestion_id"], decisions["decision"], decisions["comment"], strict=True
    )
    assert sorted(found) == sorted(
        [(ids[1], "übernehmen", ""), (ids[3], "ablehnen", "passt nicht")]
    )
    assert set(decisions["source_file"]) == {f"{WAVE}/review/JS.xlsx"}


def test_rescue_review_sheet_without_decisions_is_left_to_be_written_anew(
    review_env: dict[str, object],
) -> None:
    inp, out = review_env["inp"], review_env["out"]
    assert isinstance(inp, Path) and isinstance(out, Path)
    sheet = write_sheets(review_env, ["JS"], 0.0)["JS"]
    fill(sheet, sheet, {})  # opened and saved in Excel, nothing entered

    assert rescue_filled_sheets(inp, out, [WAVE]) == []
    assert not (inp / WAVE / "review").exists()


def test_rescue_a_comment_alone_is_an_entry(review_env: dict[str, object]) -> None:
    inp, out = review_env["inp"], review_env["out"]
    assert isinstance(inp, Path) and isinstance(out, Path)
    sheet = write_sheets(review_env, ["JS"], 0.0)["JS"]
    fill(sheet, sheet, {2: ("", "", "später klären")})

    rescued = rescue_filled_sheets(inp, out, [WAVE])

    assert [(r.target.name, r.rows) for r in rescued] == [("JS.xlsx", 1)]


def test_rescue_never_overwrites_a_file_in_the_input_and_adds_no_copy_twice(
    review_env: dict[str, object],
) -> None:
    inp, out = review_env["inp"], review_env["out"]
    assert isinstance(inp, Path) and isinstance(out, Path)
    sheet = write_sheets(review_env, ["JS"], 0.0)["JS"]
    returned = fill(sheet, inp / WAVE / "review" / "JS.xlsx", {1: ("übernehmen", "", "")})
    before = returned.read_bytes()
    fill(sheet, sheet, {2: ("ablehnen", "", "")})

    first = rescue_filled_sheets(inp, out, [WAVE])
    fill(sheet, sheet, {})  # saved again in Excel: other bytes, the same decision
    second = rescue_filled_sheets(inp, out, [WAVE])

    kept = inp / WAVE / "review" / "JS (2).xlsx"
    assert [(r.target, r.copied) for r in first] == [(kept, True)]
    assert [(r.target, r.copied) for r in second] == [(kept, False)]
    assert returned.read_bytes() == before
    assert sorted(p.name for p in (inp / WAVE / "review").iterdir()) == ["JS (2).xlsx", "JS.xlsx"]
    decisions, problems = read_back(review_env)
    assert problems.empty
    assert sorted(decisions["decision"]) == ["ablehnen", "übernehmen"]


def test_rescue_free_name_counts_up_past_taken_names(tmp_path: Path) -> None:
    for name in ("JS.xlsx", "JS (2).xlsx"):
        (tmp_path / name).write_bytes(b"x")

    assert free_name(tmp_path, "JS.xlsx") == tmp_path / "JS (3).xlsx"
    assert free_name(tmp_path, "MK.xlsx") == tmp_path / "MK.xlsx"


def test_rescue_review_sheets_of_waves_not_in_the_input_are_not_touched(
    review_env: dict[str, object],
) -> None:
    inp, out = review_env["inp"], review_env["out"]
    assert isinstance(inp, Path) and isinstance(out, Path)
    sheet = write_sheets(review_env, ["JS"], 0.0)["JS"]
    fill(sheet, sheet, {1: ("übernehmen", "", "")})

    assert rescue_filled_sheets(inp, out, ["2023-1"]) == []


@pytest.mark.parametrize(
    ("plant", "expected"),
    [
        ("corrupt", "lässt sich nicht lesen"),
        ("locked", "gerade in Excel oder LibreOffice geöffnet"),
        ("locked_libreoffice", "Sperrdatei '.~lock.JS.xlsx#'"),
        ("other_file", "ist kein Prüfbogen"),
        ("no_sheet", "kein Arbeitsblatt 'Vorschläge'"),
    ],
)
def test_rescue_a_file_that_cannot_be_checked_stops_with_e019_and_changes_nothing(
    review_env: dict[str, object], plant: str, expected: str
) -> None:
    inp, out = review_env["inp"], review_env["out"]
    assert isinstance(inp, Path) and isinstance(out, Path)
    sheets = write_sheets(review_env, ["JS", "MK"], 0.0)
    fill(sheets["MK"], sheets["MK"], {1: ("übernehmen", "", "")})  # a good filled sheet too
    folder = out / "review" / WAVE
    bad = {"corrupt": "JS.xlsx", "locked": "JS.xlsx", "other_file": "notizen.docx"}
    if plant == "corrupt":
        (folder / "JS.xlsx").write_bytes(b"PK\x03\x04 broken")
    elif plant == "locked":
        fill(sheets["JS"], sheets["JS"], {1: ("ablehnen", "", "")})
        (folder / "~$JS.xlsx").write_bytes(b"lock")
    elif plant == "locked_libreoffice":
        fill(sheets["JS"], sheets["JS"], {1: ("ablehnen", "", "")})
        (folder / ".~lock.JS.xlsx#").write_bytes(b"lock")
    elif plant == "other_file":
        (folder / "notizen.docx").write_bytes(b"notes")
    else:
        wb = load_workbook(sheets["JS"])
        wb["Vorschläge"].title = "Tabelle1"
        wb.save(sheets["JS"])
    before = {p.name: p.read_bytes() for p in folder.iterdir()}

    with pytest.raises(InputError) as err:
        rescue_filled_sheets(inp, out, [WAVE])

    assert err.value.code == "E020"
    assert expected in str(err.value)
    assert f"'review/{WAVE}/{bad.get(plant, 'JS.xlsx')}'" in str(err.value)
    assert "nichts wurde verändert" in str(err.value)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert not (inp / WAVE / "review").exists()  # not even the good sheet was copied


def test_rescue_print_says_in_german_what_was_kept_where(
    review_env: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    inp, out = review_env["inp"], review_env["out"]
    assert isinstance(inp, Path) and isinstance(out, Path)
    sheet = write_sheets(review_env, ["JS"], 0.0)["JS"]
    fill(sheet, sheet, {1: ("übernehmen", "", ""), 2: ("ablehnen", "", "")})

    print_rescue(inp, out, [WAVE])
    first = " ".join(capsys.readouterr().err.split())
    print_rescue(inp, out, [WAVE])
    second = capsys.readouterr().err

    assert first.startswith(
        f"Ausgefüllter Prüfbogen gesichert: review/{WAVE}/JS.xlsx (2 Zeilen mit Eintragungen) "
        f"wurde nach <Eingabeordner>/{WAVE}/review/JS.xlsx kopiert"
    )
    assert second == ""


def test_rescue_print_stops_with_exit_code_1_and_a_german_message(
    review_env: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    inp, out = review_env["inp"], review_env["out"]
    assert isinstance(inp, Path) and isinstance(out, Path)
    (out / "review" / WAVE).mkdir(parents=True)
    (out / "review" / WAVE / "JS.xlsx").write_bytes(b"kaputt")

    with pytest.raises(SystemExit) as stop:
        print_rescue(inp, out, [WAVE])

    err = capsys.readouterr().err
    assert stop.value.code == 1
    assert "Fehler: ausgefüllte Dateien im Ausgabeordner" in err
    assert "[E020]" in err and "Traceback" not in err


# --- candidate sheets ---------------------------------------------------------------------


def topic_result() -> TopicResult:
    """Two planted topics of two units each."""
    texts = ["Die Berufsschule liegt weit weg.", "Der Bus fährt selten.", "Wir helfen.", "Gut."]
    units = pd.DataFrame(
        {
            "unit_id": ["u1", "u2", "u3", "u4"],
            "text": texts,
            "document_name": ["A001_2023-1", "A002_2023-1", "U01_2023-1", "U02_2023-1"],
            "paragraph": [3, 5, 7, 9],
            "paragraph_end": [3, 6, 7, 9],
            "wave": ["2023-1"] * 4,
            "Rolle": ["Auszubildende"] * 2 + ["Ausbildungsbetrieb"] * 2,
            "thema": [0, 0, 1, 1],
            "naehe": [0.9, 0.8, 0.7, 0.6],
        }
    )
    topics = pd.DataFrame(
        {
            "thema": [0, 1],
            "groesse": [2, 2],
            "anteil_prozent": [50.0, 50.0],
            "begriffe": ["weg, bus, berufsschule", "helfen, gut"],
            "stabilitaet": [0.9, 0.6],
            "einschaetzung": ["robust", "mittel"],
            "n_dokumente": [2, 2],
            "rollen": ["Auszubildende 2", "Ausbildungsbetrieb 2"],
            "wellen": ["2023-1 2", "2023-1 2"],
            "dokumente": ["A001_2023-1, A002_2023-1", "U01_2023-1, U02_2023-1"],
            "beispiele": [[0, 1], [2, 3]],
        }
    )
    return TopicResult(units=units, topics=topics)


def candidate_sheet(path: Path, parent: str | None) -> Path:
    result = topic_result()
    material = (
        f"Segmente des Codes {parent} und seiner Unterkategorien"
        if parent
        else "Absätze kodierter Dokumente, die kein Code des Kodierleitfadens abdeckt"
    )
    info = {"Bereich": path.name.split("_")[0], "Lauf": "r1", "Material": material}
    return write_candidate_sheet(
        path,
        result,
        candidate_rows(result, parent, 2),
        info=info,
        parent=parent,
        codes=["Freistellung", "Freistellung > keine"],
        examples=2,
    )


def edit(path: Path, cells: dict[tuple[int, str], str | None]) -> Path:
    """Fill cells of the sheet 'Kandidaten' as Excel saves them: (row, header) -> value."""
    wb = load_workbook(path)
    ws = wb["Kandidaten"]
    col = {c.value: c.column for c in ws[1]}
    for (row, header), value in cells.items():
        ws.cell(row=row, column=col[header], value=value)
    wb.save(path)
    return path


@pytest.mark.parametrize(
    ("parent", "cells", "rows"),
    [
        (None, {}, 0),
        ("Freistellung", {}, 0),
        (None, {(2, "Name der Kategorie"): "Schulweg"}, 1),
        (None, {(3, "Übernehmen"): "verwerfen", (2, "Kommentar"): "prüfen"}, 2),
        (None, {(2, "Oberkategorie"): "Freistellung"}, 1),
        ("Freistellung", {(2, "Oberkategorie"): "Freistellung > keine"}, 1),
        ("Freistellung", {(2, "Oberkategorie"): None}, 0),  # emptied: a new main category
        (None, {(3, "Definition (Entwurf)"): "Hilfe im Betrieb."}, 1),
        ("Freistellung", {(3, "Definition (Entwurf)"): "Hilfe im Betrieb."}, 1),
    ],
)
def test_rescue_candidate_sheet_entries_are_names_marks_comments_and_changed_drafts(
    tmp_path: Path, parent: str | None, cells: dict[tuple[int, str], str | None], rows: int
) -> None:
    sheet = edit(candidate_sheet(tmp_path / "2023-1_kandidaten.xlsx", parent), cells)

    assert candidate_sheet_entries(sheet.read_bytes(), sheet.name).rows == rows


def test_rescue_filled_candidate_sheet_is_kept_in_the_input_folder_induktiv(
    tmp_path: Path,
) -> None:
    inp, out = tmp_path / "input", tmp_path / "output"
    make_wave(inp, "2023-1")
    waves = discover_waves(inp)
    filled = edit(
        candidate_sheet(out / "induktiv" / "gesamt_kandidaten.xlsx", None),
        {(2, "Name der Kategorie"): "Schulweg", (2, "Übernehmen"): "übernehmen"},
    )
    candidate_sheet(out / "induktiv" / "2023-1_kandidaten.xlsx", None)  # not filled

    rescued = rescue_filled_sheets(inp, out, waves)

    target = inp / "induktiv" / "gesamt_kandidaten.xlsx"
    assert [(r.kind, r.target, r.rows) for r in rescued] == [(CANDIDATES, target, 1)]
    assert target.read_bytes() == filled.read_bytes()
    assert discover_waves(inp) == ["2023-1"]  # the folder induktiv is no wave
    assert rescue_notes(rescued, inp) == [
        "Ausgefülltes Kandidatenblatt gesichert: induktiv/gesamt_kandidaten.xlsx (1 Zeile mit "
        "Eintragungen) wurde nach <Eingabeordner>/induktiv/gesamt_kandidaten.xlsx kopiert; für "
        "den Kodierleitfaden 'asaqda codebook add-inductive' mit dieser Datei ausführen."
    ]


def test_rescue_copied_candidate_sheet_is_read_by_add_inductive(tmp_path: Path) -> None:
    from asaqda.codebook import load_codebook
    from asaqda.codebook_edit import candidates_from_sheet
    from asaqda.inductive.sheets import read_candidate_sheet

    inp, out = tmp_path / "input", tmp_path / "output"
    make_wave(inp, "2023-1")
    edit(
        candidate_sheet(out / "induktiv" / "gesamt_kandidaten.xlsx", None),
        {(2, "Name der Kategorie"): "Schulweg", (2, "Übernehmen"): "übernehmen"},
    )
    rescued = rescue_filled_sheets(inp, out, ["2023-1"])
    shutil.rmtree(out)  # what the next run would do to the sheet

    sheet = read_candidate_sheet(rescued[0].target)
    new = candidates_from_sheet(sheet, load_codebook(REPO / "codebook"), "2026-12-01")
    assert [c.code for c in new] == ["Schulweg"]


# --- through the workflow -----------------------------------------------------------------


def snakemake(inp: Path, out: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    """Plain ``snakemake`` on the workflow (no CLI), for a few targets."""
    cmd = [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(REPO / "Snakefile"),
        "--directory",
        str(out),
        "--configfile",
        str(REPO / "config" / "config.yaml"),
        "--cores",
        "2",
        "--config",
        f"input_dir={inp}",
        f"output_dir={out}",
        "--",
        *targets,
    ]
    path = os.pathsep.join([str(REPO / "src"), *filter(None, [os.environ.get("PYTHONPATH")])])
    env = {**os.environ, "PYTHONPATH": path}
    return subprocess.run(cmd, cwd=out, capture_output=True, text=True, check=False, env=env)


@pytest.mark.slow
def test_rescue_sheet_filled_in_place_survives_the_rerun_and_its_decisions_are_applied(
    demo_copy: Path, tmp_path: Path
) -> None:
    for wave in ("2023-2", "2024-1", "2024-2", "2025-1"):  # small: one coded, one open wave
        shutil.rmtree(demo_copy / wave)
    out = tmp_path / "output"
    out.mkdir()
    targets = ("review/2025-2", "interim/2025-2/decisions.parquet")
    first = snakemake(demo_copy, out, *targets)
    assert first.returncode == 0, first.stderr[-3000:]
    sheet = out / "review" / "2025-2" / "JS.xlsx"
    ids = sheet_ids(sheet)
    plan = {ids[1]: "übernehmen", ids[2]: "ablehnen", ids[3]: "übernehmen"}
    fill(
        sheet,
        sheet,
        {1: ("übernehmen", "", ""), 2: ("ablehnen", "", ""), 3: ("übernehmen", "", "")},
    )
    filled = sheet.read_bytes()

    again = snakemake(demo_copy, out, *targets)
    third = snakemake(demo_copy, out, *targets)

    assert again.returncode == 0, again.stderr[-3000:]
    assert "Ausgefüllter Prüfbogen gesichert: review/2025-2/JS.xlsx (3 Zeilen" in " ".join(
        again.stderr.split()
    )
    kept = demo_copy / "2025-2" / "review"
    assert sorted(p.name for p in kept.iterdir()) == ["JS.xlsx"]
    assert (kept / "JS.xlsx").read_bytes() == filled
    decisions = pd.read_parquet(out / "interim" / "2025-2" / "decisions.parquet")
    applied = dict(zip(decisions["suggestion_id"], decisions["decision"], strict=True))
    assert applied == plan
    fresh = sheet_ids(sheet)  # written anew: only the open suggestions
    assert not set(plan) & set(fresh.values())
    assert third.returncode == 0 and "gesichert" not in third.stderr


def test_rescue_cli_run_keeps_filled_sheets_before_snakemake_starts(
    review_env: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from asaqda import cli

    inp, out = review_env["inp"], review_env["out"]
    assert isinstance(inp, Path) and isinstance(out, Path)
    sheet = write_sheets(review_env, ["JS"], 0.0)["JS"]
    fill(sheet, sheet, {1: ("übernehmen", "", "")})
    kept_when_snakemake_starts: list[bool] = []

    def snakemake_text(*args: object) -> str:  # the summary and the dry run before the run
        kept_when_snakemake_starts.append((inp / WAVE / "review" / "JS.xlsx").exists())
        return ""

    def run_streamed(*args: object, **kwargs: object) -> tuple[int, str]:
        kept_when_snakemake_starts.append((inp / WAVE / "review" / "JS.xlsx").exists())
        return 0, ""

    monkeypatch.setattr(cli, "snakemake_text", snakemake_text)
    monkeypatch.setattr(cli, "run_streamed", run_streamed)
    monkeypatch.setattr(cli, "run_status", lambda *a: pd.DataFrame())
    monkeypatch.setattr(cli, "write_run_status", lambda *a: None)
    monkeypatch.setattr(cli, "run_summary_lines", lambda *a: [])
    result = CliRunner().invoke(cli.app, ["run", "--input", str(inp), "--output", str(out)])

    assert result.exit_code == 0, result.output
    assert kept_when_snakemake_starts == [True, True, True]  # summary, dry run, run
    assert (
        "Ausgefüllter Prüfbogen gesichert: review/2025-2/JS.xlsx (1 Zeile mit Eintragungen)"
        in " ".join(result.output.split())
    )


def test_rescue_cli_run_stops_with_exit_code_1_before_snakemake_on_e019(
    review_env: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from asaqda import cli

    inp, out = review_env["inp"], review_env["out"]
    assert isinstance(inp, Path) and isinstance(out, Path)
    (out / "review" / WAVE).mkdir(parents=True)
    (out / "review" / WAVE / "JS.xlsx").write_bytes(b"kaputt")
    calls: list[list[str]] = []
    monkeypatch.setattr(cli, "snakemake_text", lambda cmd, *a: calls.append(cmd) or "")
    monkeypatch.setattr(cli, "run_streamed", lambda cmd, *a, **k: calls.append(cmd) or (0, ""))

    result = CliRunner().invoke(cli.app, ["run", "--input", str(inp), "--output", str(out)])

    assert result.exit_code == 1
    assert calls == []
    assert "[E020] 'review/2025-2/JS.xlsx'" in result.output
    assert (out / "review" / WAVE / "JS.xlsx").read_bytes() == b"kaputt"


def test_rescue_copies_without_hard_links_and_still_never_overwrites(
    review_env: dict[str, object], monkeypatch: pytest.MonkeyPatch
) -> None:
    inp, out = review_env["inp"], review_env["out"]
    assert isinstance(inp, Path) and isinstance(out, Path)
    sheet = write_sheets(review_env, ["JS"], 0.0)["JS"]
    (inp / WAVE / "review").mkdir(parents=True)
    (inp / WAVE / "review" / "JS.xlsx").write_bytes(b"vom Kodierer")
    fill(sheet, sheet, {1: ("übernehmen", "", "")})

    def no_links(src: object, dst: object) -> None:
        raise PermissionError("no hard links")

    monkeypatch.setattr("asaqda.review.rescue.os.link", no_links)
    rescued = rescue_filled_sheets(inp, out, [WAVE])

    assert [r.target.name for r in rescued] == ["JS (2).xlsx"]
    assert rescued[0].target.read_bytes() == sheet.read_bytes()
    assert (inp / WAVE / "review" / "JS.xlsx").read_bytes() == b"vom Kodierer"
    assert sorted(p.name for p in (inp / WAVE / "review").iterdir()) == ["JS (2).xlsx", "JS.xlsx"]


def test_rescue_sheet_in_a_subfolder_of_the_review_folder_is_kept_too(
    review_env: dict[str, object],
) -> None:
    inp, out = review_env["inp"], review_env["out"]
    assert isinstance(inp, Path) and isinstance(out, Path)
    sheet = write_sheets(review_env, ["JS"], 0.0)["JS"]
    moved = fill(sheet, sheet.parent / "fertig" / "JS.xlsx", {1: ("übernehmen", "", "")})
    (sheet.parent / ".JS.xlsx.part").write_bytes(b"temporary file of the pipeline")

    rescued = rescue_filled_sheets(inp, out, [WAVE])

    assert [(r.source, r.target) for r in rescued] == [(moved, inp / WAVE / "review" / "JS.xlsx")]
    assert rescue_notes(rescued, inp)[0].startswith(
        f"Ausgefüllter Prüfbogen gesichert: review/{WAVE}/fertig/JS.xlsx (1 Zeile mit Eintragungen)"
    )
