"""The end of a run: failed steps with their logs, stale results marked in laufstatus.csv."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from asaqda.runsummary import (
    failed_jobs,
    parse_pending,
    parse_plan,
    parse_summary,
    previously_missing,
    run_status,
    run_summary_lines,
)

SNAKEMAKE_OUTPUT = """\
[Tue Dec  1 19:45:53 2026]
Error in rule import_wave:
    message: None
    jobid: 3
    input: /in/2024-1/segmente.xlsx
    output: interim/2024-1/documents.parquet, interim/2024-1/codings.parquet
    log: logs/import_wave/2024-1.log (check log file(s) for error details)
    wildcards: wave=2024-1
[Tue Dec  1 19:45:54 2026]
Error in rule precode_wave:
    message: None
    jobid: 5
    log: logs/precode_wave/2025-2.log (check log file(s) for error details)
Finished jobid: 17 (Rule: refi_export)
Error in rule report:
    message: None
    jobid: 11
    output: bericht.docx, bericht.html
    log: logs/report/report.log (check log file(s) for error details)
Exiting because a job execution failed. Look above for error messages
"""

SUMMARY = (
    "output_file\tdate\trule\tlog-file(s)\tstatus\tplan\n"
    "interim/2024-1/codings.parquet\t-\timport_wave\tlogs/import_wave/2024-1.log\tmissing\t"
    "update pending\n"
    "tables/codehaeufigkeiten.csv\tTue Dec  1 19:44:50 2026\tcode_frequencies\t-\tok\t"
    "update pending\n"
    "codebook/kodierleitfaden.docx\tTue Dec  1 19:44:50 2026\tcodebook\t-\tok\tno update\n"
)


def test_runsummary_failed_jobs_name_step_wave_and_log() -> None:
    jobs = failed_jobs(SNAKEMAKE_OUTPUT)
    assert jobs.to_dict("records") == [
        {
            "schritt": "import_wave",
            "bezeichnung": "Import einer Welle",
            "details": "2024-1",
            "protokoll": "logs/import_wave/2024-1.log",
        },
        {
            "schritt": "precode_wave",
            "bezeichnung": "Vorcodierung einer Welle",
            "details": "2025-2",
            "protokoll": "logs/precode_wave/2025-2.log",
        },
        {
            "schritt": "report",
            "bezeichnung": "Bericht",
            "details": "",
            "protokoll": "logs/report/report.log",
        },
    ]


DRY_RUN = """\
rule import_wave:
    input: /in/2024-1/segmente.xlsx
    output: interim/2024-1/documents.parquet, interim/2024-1/codings.parquet
    jobid: 3
localrule code_frequencies:
    input: interim/corpus/codings.parquet
    output: tables/codehaeufigkeiten.csv, tables/codehaeufigkeiten.xlsx
"""


def _status(tmp_path: Path) -> pd.DataFrame:
    """Planted files: the codebook (not due, old), the frequencies (due, old: not remade),
    the wave's codings (due, removed by Snakemake after its step failed)."""
    for name in ("tables/codehaeufigkeiten.csv", "codebook/kodierleitfaden.docx"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
        os.utime(tmp_path / name, (1_000_000, 1_000_000))
    planned = parse_plan(DRY_RUN, tmp_path)
    assert planned == {
        "interim/2024-1/documents.parquet",
        "interim/2024-1/codings.parquet",
        "tables/codehaeufigkeiten.csv",
        "tables/codehaeufigkeiten.xlsx",
    }
    return run_status(parse_summary(SUMMARY, tmp_path), planned, tmp_path, started=2_000_000)


def test_runsummary_status_marks_stale_and_missing_results(tmp_path: Path) -> None:
    assert _status(tmp_path).to_dict("records") == [
        {"datei": "codebook/kodierleitfaden.docx", "schritt": "codebook", "stand": "aktuell"},
        {"datei": "interim/2024-1/codings.parquet", "schritt": "import_wave", "stand": "fehlt"},
        {
            "datei": "tables/codehaeufigkeiten.csv",
            "schritt": "code_frequencies",
            "stand": "veraltet",
        },
    ]


def test_runsummary_files_a_failed_run_left_missing_are_made_next_time(tmp_path: Path) -> None:
    from asaqda.io.officefiles import write_csv

    status = _status(tmp_path)
    extra = pd.DataFrame([{"datei": "interim/2099-1/codings.parquet", "stand": "fehlt"}])
    write_csv(tmp_path / "laufstatus.csv", pd.concat([status, extra], ignore_index=True))
    outputs = parse_summary(SUMMARY, tmp_path)
    # a file no longer in the workflow (its wave folder was removed) is not forced
    assert previously_missing(tmp_path, outputs) == ["interim/2024-1/codings.parquet"]


def test_runsummary_lines_list_failed_steps_logs_and_stale_files(tmp_path: Path) -> None:
    lines = run_summary_lines(1, SNAKEMAKE_OUTPUT, _status(tmp_path), tmp_path)
    assert lines[:4] == [
        "Diese Schritte sind fehlgeschlagen (3):",
        f"  - Import einer Welle (import_wave) [2024-1]: Protokoll "
        f"{tmp_path / 'logs/import_wave/2024-1.log'}",
        f"  - Vorcodierung einer Welle (precode_wave) [2025-2]: Protokoll "
        f"{tmp_path / 'logs/precode_wave/2025-2.log'}",
        f"  - Bericht (report): Protokoll {tmp_path / 'logs/report/report.log'}",
    ]
    stale = lines.index(
        "1 Ergebnisse veraltet: aus einem früheren Lauf, gehören nicht zur jetzigen Eingabe "
        f"(siehe {tmp_path / 'laufstatus.csv'}):"
    )
    assert lines[stale + 1] == "  - tables/codehaeufigkeiten.csv"


def test_runsummary_a_good_run_says_everything_is_current(tmp_path: Path) -> None:
    status = pd.DataFrame({"datei": ["a.csv"], "schritt": ["x"], "stand": ["aktuell"]})
    assert run_summary_lines(0, "", status, tmp_path) == [
        f"Fertig: alle Ergebnisse in {tmp_path} sind aus diesem Lauf (laufstatus.csv)."
    ]


def test_runsummary_a_full_disk_in_snakemake_itself_is_named_as_the_cause(tmp_path: Path) -> None:
    text = SNAKEMAKE_OUTPUT + "OSError: [Errno 28] No space left on device: '.snakemake/x'\n"
    lines = run_summary_lines(1, text, pd.DataFrame(columns=["datei", "stand"]), tmp_path)
    assert lines[5].startswith("Ursache ist die Umgebung, nicht die Eingabe")
    assert not any("Datei, Zeile und Spalte" in line for line in lines)


def test_runsummary_pending_outputs_come_from_the_summary_plan(tmp_path: Path) -> None:
    text = (
        "output_file\tdate\trule\tlog-file(s)\tstatus\tplan\n"
        f"{tmp_path}/tables/a.csv\t-\tfreq\t-\tmissing\tupdate pending\n"
        "tables/b.csv\tTue Dec  1 10:00:00 2026\tfreq\t-\tok\tno update\n"
        "bericht.docx\tTue Dec  1 10:00:00 2026\treport\t-\tupdated input files\tupdate pending\n"
    )
    assert parse_pending(text, tmp_path) == {"tables/a.csv", "bericht.docx"}
    nothing = text.replace("update pending", "no update")
    assert parse_pending(nothing, tmp_path) == set()
    # no table (the call failed): unknown, so asaqda run starts Snakemake and shows why
    assert parse_pending("SyntaxError in Snakefile", tmp_path) is None
    assert parse_pending(text.splitlines()[0], tmp_path) is None
