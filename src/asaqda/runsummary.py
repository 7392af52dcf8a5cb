"""What a pipeline run did: which steps failed (with their logs), which results are stale.

Snakemake runs with ``--keep-going``, so a failing step does not hide the results of the steps
that do not depend on it. Afterwards :func:`write_run_status` asks Snakemake which outputs are
up to date and writes ``laufstatus.csv`` in the output folder: every result with the step that
makes it and its ``stand``: ``aktuell`` (made or confirmed by this run), ``veraltet`` (from an
earlier run; a step it depends on failed or has not run again, so it does not reflect the
current input) or ``fehlt``. Stale results are kept, never deleted, and marked there and in
the summary the command line prints.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

import pandas as pd

__all__ = [
    "STATUS_FILE",
    "STEP_LABELS",
    "failed_jobs",
    "parse_summary",
    "run_streamed",
    "run_summary_lines",
    "write_run_status",
]

#: the run status table, in the output folder
STATUS_FILE = "laufstatus.csv"

#: German names of the pipeline steps (Snakemake rules) for messages
STEP_LABELS: dict[str, str] = {
    "codebook": "Kodierleitfaden",
    "import_wave": "Import einer Welle",
    "checks": "Prüfungen und Korpus",
    "code_frequencies": "Codehäufigkeiten",
    "intercoder": "Intercoder-Übereinstimmung",
    "company_tables": "Betriebstabellen",
    "train_precoder": "Training der Vorcodierung",
    "precode_wave": "Vorcodierung einer Welle",
    "precode_summary": "Übersicht der Vorschläge",
    "review_decisions": "Prüfbögen einlesen",
    "review_sheets": "Prüfbögen schreiben",
    "review_report": "Entscheidungen und Konflikte",
    "refi_export": "REFI-QDA-Export",
    "panel": "Panel und Verlaufstypen",
    "portraits": "Porträts",
    "inductive": "Induktive Kategorien",
    "report": "Bericht",
}

_ERROR = re.compile(r"^Error in rule (\w+):\s*$")
_FIELD = re.compile(r"^\s+(\w[\w ]*):\s*(.*)$")
#: what the output shows when the machine, not the input, stopped a step (our codes, or the
#: operating system's words when Snakemake itself could not write)
_ENV_CODES = (
    "[E401]",
    "[E402]",
    "No space left on device",
    "Read-only file system",
    "Disk quota exceeded",
)


def run_streamed(cmd: Sequence[str], cwd: Path, env: Mapping[str, str]) -> tuple[int, str]:
    """Run ``cmd``, pass its output on to stderr line by line and keep it.

    Returns
    -------
    tuple of int and str
        The exit code and everything the command printed (stdout and stderr).
    """
    lines: list[str] = []
    with subprocess.Popen(
        list(cmd),
        cwd=cwd,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            sys.stderr.write(line)
            lines.append(line)
        code = proc.wait()
    return code, "".join(lines)


def failed_jobs(text: str) -> pd.DataFrame:
    """The failed jobs in Snakemake's output.

    Parameters
    ----------
    text
        What Snakemake printed.

    Returns
    -------
    pandas.DataFrame
        ``schritt`` (rule), ``bezeichnung`` (German name), ``details`` (the wildcard values,
        such as the wave ``2023-1``, from the error or the log's name), ``protokoll`` (log
        file relative to the output folder); one row per failed job, in the order of the
        output, without repeats.
    """
    rows: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for line in text.splitlines():
        match = _ERROR.match(line)
        if match:
            current = {"schritt": match.group(1), "details": "", "protokoll": ""}
            rows.append(current)
            continue
        field = _FIELD.match(line) if current is not None else None
        if current is not None and field:
            key, value = field.group(1), field.group(2).strip()
            if key == "log":
                current["protokoll"] = value.split(" (")[0].strip()
            elif key == "wildcards":  # "wave=2024-1" -> "2024-1"
                current["details"] = ", ".join(w.split("=", 1)[-1] for w in value.split(", "))
        elif current is not None and line.strip():
            current = None
    for row in rows:
        # Snakemake 9 prints no wildcards there: logs/<rule>/<wildcard>.log names the wave
        stem = Path(row["protokoll"]).stem if row["protokoll"] else ""
        if not row["details"] and stem and stem != row["schritt"]:
            row["details"] = stem
    frame = pd.DataFrame(rows, columns=["schritt", "details", "protokoll"])
    frame = frame.drop_duplicates(ignore_index=True)
    frame.insert(1, "bezeichnung", frame["schritt"].map(STEP_LABELS).fillna(frame["schritt"]))
    return frame


def parse_summary(text: str, output: Path) -> pd.DataFrame:
    """Snakemake's ``--summary`` table as the run status.

    Parameters
    ----------
    text
        What ``snakemake --summary`` printed (tab-separated, with a header line).
    output
        The output folder (to tell stale files, which exist, from missing ones).

    Returns
    -------
    pandas.DataFrame
        ``datei`` (relative to the output folder), ``schritt`` (rule), ``stand``
        (``aktuell``, ``veraltet``, ``fehlt``), sorted by ``datei``.
    """
    rows = []
    header: list[str] | None = None
    for line in text.splitlines():
        cells = line.split("\t")
        if header is None:
            if cells and cells[0] == "output_file":
                header = cells
            continue
        if len(cells) != len(header):
            continue
        record = dict(zip(header, cells, strict=True))
        name = record["output_file"]
        path = Path(name) if Path(name).is_absolute() else output / name
        if not path.exists():
            stand = "fehlt"
        elif record.get("plan", "") == "no update":
            stand = "aktuell"
        else:
            stand = "veraltet"
        rel = path.relative_to(output).as_posix() if path.is_relative_to(output) else name
        rows.append({"datei": rel, "schritt": record.get("rule", ""), "stand": stand})
    frame = pd.DataFrame(rows, columns=["datei", "schritt", "stand"])
    return frame.sort_values("datei", ignore_index=True)


def write_run_status(output: Path, base_cmd: Sequence[str], env: Mapping[str, str]) -> pd.DataFrame:
    """Ask Snakemake which outputs are current and write ``laufstatus.csv`` (see module doc).

    Parameters
    ----------
    output
        The output folder.
    base_cmd
        The Snakemake command of the run without ``--cores`` and run options.
    env
        The environment of the run.

    Returns
    -------
    pandas.DataFrame
        The status table (empty if Snakemake could not say).
    """
    from asaqda.io.officefiles import write_csv

    result = subprocess.run(
        [*base_cmd, "--summary", "--quiet"],
        cwd=output,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    status = parse_summary(result.stdout, output)
    if len(status):
        try:
            write_csv(output / STATUS_FILE, status)
        except OSError:  # reported by the run itself
            pass
    return status


def run_summary_lines(
    code: int, text: str, status: pd.DataFrame, output: Path, limit: int = 12
) -> list[str]:
    """The German summary printed at the end of ``asaqda run``.

    Parameters
    ----------
    code
        Snakemake's exit code.
    text
        What Snakemake printed.
    status
        The run status of :func:`write_run_status`.
    output
        The output folder.
    limit
        Stale or missing files listed by name at most.

    Returns
    -------
    list of str
        The lines to print.
    """
    stale = status[status["stand"] == "veraltet"] if len(status) else status
    missing = status[status["stand"] == "fehlt"] if len(status) else status
    lines: list[str] = []
    if code == 0 and not len(stale) and not len(missing):
        lines.append(f"Fertig: alle Ergebnisse in {output} sind aus diesem Lauf ({STATUS_FILE}).")
        return lines
    failed = failed_jobs(text)
    if len(failed):
        lines.append(f"Diese Schritte sind fehlgeschlagen ({len(failed)}):")
        for r in failed.itertuples():
            detail = f" [{r.details}]" if r.details else ""
            log = f": Protokoll {output / r.protokoll}" if r.protokoll else ""
            lines.append(f"  - {r.bezeichnung} ({r.schritt}){detail}{log}")
        lines.append(
            "Die Schritte, die nicht von ihnen abhängen, sind gelaufen; ihre Ergebnisse sind "
            "aktuell."
        )
    elif code:
        lines.append(
            "Der Lauf wurde abgebrochen, bevor ein Schritt begann (Konfiguration oder "
            f"Eingabeordner); die Meldung steht oben. Protokolle: {output / 'logs'}"
        )
    if any(c in text for c in _ENV_CODES):
        lines.append(
            "Ursache ist die Umgebung, nicht die Eingabe: ein schreibgeschützter Ordner oder ein "
            f"voller Datenträger (die Meldung oben nennt den Ordner). Schreibrechte geben oder "
            f"Platz schaffen und 'asaqda run' erneut starten; Reste des abgebrochenen Laufs in "
            f"{output} werden dann entfernt."
        )
    elif len(failed):
        lines.append(
            "Die Meldung oben und das Protokoll nennen die Ursache (bei einem fehlerhaften "
            "Export Datei, Zeile und Spalte); danach 'asaqda run' erneut starten, fertige "
            "Schritte werden nicht wiederholt."
        )
    for frame, what in (
        (stale, "veraltet: aus einem früheren Lauf, gehören nicht zur jetzigen Eingabe"),
        (missing, "fehlen: noch nie oder in diesem Lauf nicht erzeugt"),
    ):
        if not len(frame):
            continue
        lines.append(f"{len(frame)} Ergebnisse {what} (siehe {output / STATUS_FILE}):")
        lines += [f"  - {name}" for name in frame["datei"].head(limit)]
        if len(frame) > limit:
            lines.append(f"  ... und {len(frame) - limit} weitere")
    return lines
