"""The quiet German console of ``asaqda run``: a line per finished step, the log in a file."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from asaqda.cli import app
from asaqda.runsummary import StepTracker, closing_lines, early_stop_lines, run_streamed

from .conftest import fake_snakemake_run

runner = CliRunner()

SNAKEMAKE_LINES = """Job stats:
job                 count
import_wave             2
all                     1
total                   3

[Tue Dec  1 19:40:17 2026]
localrule import_wave:
    input: a.csv, b.csv
    jobid: 4
    wildcards: wave=2023-2
Shell command: None
[Tue Dec  1 19:40:17 2026]
localrule codebook:
    jobid: 1
Shell command: None
INFO asaqda.stages: 2023-2: 38 documents
[Tue Dec  1 19:40:21 2026]
Finished jobid: 4 (Rule: import_wave)
1 of 3 steps (33%) done
Finished jobid: 1 (Rule: codebook)
2 of 3 steps (67%) done
localrule all:
    jobid: 0
Finished jobid: 0 (Rule: all)
3 of 3 steps (100%) done
"""


def test_runsummary_step_tracker_one_german_line_per_finished_step() -> None:
    tracker = StepTracker()
    shown = [s for line in SNAKEMAKE_LINES.splitlines(True) if (s := tracker.feed(line))]
    assert shown == ["fertig: Import einer Welle (2023-2)", "fertig: Kodierleitfaden"]
    assert (tracker.done, tracker.total) == (3, 3)


def test_runsummary_step_tracker_passes_codes_and_nothing_to_be_done() -> None:
    tracker = StepTracker()
    assert tracker.feed("[E003] '2023-1/extra.xlsx': kaputt.\n") == (
        "[E003] '2023-1/extra.xlsx': kaputt."
    )
    assert tracker.feed("Nothing to be done (all requested files are present).\n") == (
        "Nothing to be done (all requested files are present)."
    )
    assert tracker.feed("Shell command: None\n") is None


def test_runsummary_closing_lines_count_steps_and_name_the_report(tmp_path: Path) -> None:
    (tmp_path / "bericht.docx").write_bytes(b"x")
    assert closing_lines(SNAKEMAKE_LINES, tmp_path) == [
        "2 Schritte ausgeführt.",
        f"Bericht: {tmp_path / 'bericht.docx'}",
        f"Vollständiges Snakemake-Protokoll: {tmp_path / 'logs' / 'snakemake.log'}",
    ]


def test_runsummary_closing_lines_say_when_no_report(tmp_path: Path) -> None:
    lines = closing_lines("Finished jobid: 3 (Rule: codebook)\n", tmp_path)
    assert lines[:2] == [
        "1 Schritt ausgeführt.",
        f"Kein Bericht: {tmp_path / 'bericht.docx'} wurde nicht geschrieben.",
    ]


def test_runsummary_early_stop_lines_show_the_message_only_when_not_shown() -> None:
    text = "Building DAG of jobs...\nWorkflowError: unknown_key\nComplete log: x\n"
    assert early_stop_lines(text) == ["Building DAG of jobs...", "WorkflowError: unknown_key"]
    assert early_stop_lines("[E003] 'a.xlsx': kaputt.\n") == []


def test_runsummary_run_streamed_quiet_writes_full_log(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    script = "import sys; sys.stdout.write(sys.argv[1])"
    log = tmp_path / "logs" / "snakemake.log"
    code, text = run_streamed(
        [sys.executable, "-c", script, SNAKEMAKE_LINES], tmp_path, {}, log=log, verbose=False
    )
    assert code == 0 and text == SNAKEMAKE_LINES
    assert log.read_text(encoding="utf-8") == SNAKEMAKE_LINES
    err = capsys.readouterr().err
    assert "Shell command" not in err
    assert err.splitlines() == [
        "fertig: Import einer Welle (2023-2)",
        "fertig: Kodierleitfaden",
    ]


def _capture(monkeypatch: pytest.MonkeyPatch, text: str = "") -> list[dict]:
    return fake_snakemake_run(monkeypatch, text)


def test_cli_run_is_quiet_and_logs_unless_verbose(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _capture(monkeypatch, SNAKEMAKE_LINES)
    inp, out = tmp_path / "in", tmp_path / "out"
    inp.mkdir()
    result = runner.invoke(app, ["run", "-i", str(inp), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert calls[-1]["verbose"] is False
    assert calls[-1]["log"] == out.resolve() / "logs" / "snakemake.log"
    assert "2 Schritte ausgeführt." in result.output
    result = runner.invoke(app, ["run", "-i", str(inp), "-o", str(out), "--verbose"])
    assert calls[-1]["verbose"] is True


def test_cli_run_dry_run_prints_the_plan_in_full(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _capture(monkeypatch)
    inp = tmp_path / "in"
    inp.mkdir()
    result = runner.invoke(app, ["run", "-i", str(inp), "-o", str(tmp_path / "out"), "-n"])
    assert result.exit_code == 0, result.output
    assert "--dry-run" in calls[0]["cmd"]
    assert calls[0].get("verbose", True) is True


def test_runsummary_step_progress_shows_a_running_steps_own_progress(tmp_path: Path) -> None:
    from asaqda.runsummary import step_progress

    tracker = StepTracker()
    for line in [
        "rule portraits:",
        "    input: interim/panel/portraits.parquet",
        "    log: logs/portraits/portraits.log",
        "    jobid: 7",
        "rule report:",
        "    log: logs/report/report.log",
        "    jobid: 9",
    ]:
        tracker.feed(line + "\n")
    assert tracker.running == {"7": "logs/portraits/portraits.log", "9": "logs/report/report.log"}
    assert step_progress(tracker, tmp_path) == ""  # no log written yet
    log = tmp_path / "logs" / "portraits" / "portraits.log"
    log.parent.mkdir(parents=True)
    log.write_text(
        "INFO asaqda.panel.portraits: Porträts: 6 von 60 gezeichnet\n"
        "INFO asaqda.panel.portraits: Porträts: 12 von 60 gezeichnet\n"
        "INFO asaqda.panel.portraits: Porträts neu zu zeichnen: A032\n",
        encoding="utf-8",
    )
    assert step_progress(tracker, tmp_path) == "Porträts: 12 von 60 gezeichnet"
    report = tmp_path / "logs" / "report" / "report.log"
    report.parent.mkdir(parents=True)
    report.write_text("INFO asaqda.report: Tabelle 3 von 9 geschrieben\n", encoding="utf-8")
    os.utime(report, (log.stat().st_mtime + 5, log.stat().st_mtime + 5))
    assert step_progress(tracker, tmp_path) == "Bericht: Tabelle 3 von 9 geschrieben"
    tracker.feed("Finished jobid: 9 (Rule: report)\n")
    assert step_progress(tracker, tmp_path) == "Porträts: 12 von 60 gezeichnet"


def test_cli_run_reads_the_input_first_when_other_steps_are_due(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Import due and tables due: the import runs alone first; the second call is made only
    for what is still due after it (nothing, when the import gave the same bytes)."""
    import pandas as pd

    from asaqda import cli

    outputs = pd.DataFrame(
        {
            "datei": ["interim/2023-1/codings.parquet", "tables/codehaeufigkeiten.csv"],
            "schritt": ["import_wave", "code_frequencies"],
        }
    )
    calls: list[list[str]] = []

    def fake_run(cmd: list[str], *args: object, **kwargs: object) -> tuple[int, str]:
        calls.append(list(cmd))
        return 0, f"run {len(calls)}\n"

    for still_due, runs in (("no update", 1), ("update pending", 2)):
        calls.clear()
        summary = (
            "output_file\tdate\trule\tlog-file(s)\tstatus\tplan\n"
            f"tables/codehaeufigkeiten.csv\t-\tcode_frequencies\t-\tok\t{still_due}\n"
        )
        monkeypatch.setattr(cli, "run_streamed", fake_run)
        monkeypatch.setattr(cli, "snakemake_text", lambda *a, s=summary: s)
        pending = set(outputs["datei"])
        code, text, planned = cli._run_in_two_phases(
            ["snakemake"], ["snakemake"], tmp_path, {}, outputs, pending, pending, False
        )
        assert code == 0 and len(calls) == runs
        assert calls[0] == ["snakemake", "interim/2023-1/codings.parquet"]
        if runs == 2:
            assert calls[1] == ["snakemake"] and text == "run 1\nrun 2\n"
            assert planned == pending
        else:
            assert planned == {"interim/2023-1/codings.parquet"}
    # only input steps due: one call, no targets
    calls.clear()
    only = {"interim/2023-1/codings.parquet"}
    cli._run_in_two_phases(["snakemake"], ["snakemake"], tmp_path, {}, outputs, only, only, False)
    assert calls == [["snakemake"]]
