"""What a pipeline run did: which steps failed (with their logs), which results are stale.

Snakemake runs with ``--keep-going``, so a failing step does not hide the results of the steps
that do not depend on it. Before the run a dry run says which outputs it is to (re)make; after
it :func:`run_status` compares that plan with the files, and ``laufstatus.csv`` in the output
folder lists every result with the step that makes it and its ``stand``: ``aktuell`` (made or
confirmed by this run), ``veraltet`` (from an earlier run; the run was to remake it but a step
it depends on failed, so it does not reflect the current input) or ``fehlt``. Stale results
are kept, never deleted, and marked there and in the summary the command line prints. Files
a failed run left missing are forced to be made by the next run (:func:`previously_missing`).
"""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pandas as pd

__all__ = [
    "LOG_FILE",
    "STATUS_FILE",
    "STEP_LABELS",
    "StepTracker",
    "closing_lines",
    "early_stop_lines",
    "failed_jobs",
    "parse_plan",
    "parse_summary",
    "parse_pending",
    "INPUT_STEPS",
    "step_progress",
    "NOTHING_TO_DO",
    "previously_missing",
    "run_status",
    "run_streamed",
    "run_summary_lines",
    "snakemake_text",
    "write_run_status",
]

#: the run status table, in the output folder
STATUS_FILE = "laufstatus.csv"
#: printed when nothing changed since the last run (no step runs)
NOTHING_TO_DO = (
    "Nichts zu tun: Eingabe, Kodierleitfaden und Einstellungen sind seit dem letzten Lauf "
    "unverändert, alle Ergebnisse sind aktuell."
)

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
    "precode_acceptance": "Annahme der Vorschläge",
    "review_decisions": "Prüfbögen einlesen",
    "review_sheets": "Prüfbögen schreiben",
    "review_report": "Entscheidungen und Konflikte",
    "refi_export": "REFI-QDA-Export",
    "panel": "Panel und Verlaufstypen",
    "portraits": "Porträts",
    "reviewed_codings": "Codierungen einer Welle mit übernommenen Vorschlägen",
    "inductive_units": "Material der induktiven Analyse einer Welle",
    "inductive_scope": "Induktive Kategorien eines Bereichs",
    "inductive_overview": "Übersicht der induktiven Kategorien",
    "report": "Bericht",
}

#: the steps that read the input folder (and the codebook); ``asaqda run`` runs them first
INPUT_STEPS = ("codebook", "import_wave", "review_decisions")

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


#: the full Snakemake output of the last run, always written (``asaqda run``)
LOG_FILE = "logs/snakemake.log"

_JOB_START = re.compile(r"^(?:local)?rule (\w+):\s*$")
_JOBID = re.compile(r"^\s+jobid: (\d+)\s*$")
_WILDCARDS = re.compile(r"^\s+wildcards: (.*)$")
_LOG = re.compile(r"^\s+log: (.*)$")
#: a step's own progress line in its log (``Porträts: 30 von 60 gezeichnet``)
_PROGRESS = re.compile(r"^\w+ \S+: (?P<text>.*\b\d+ von \d+\b.*)$")
_FINISHED = re.compile(r"^Finished jobid: (\d+) \(Rule: (\w+)\)")
_STEPS = re.compile(r"^(\d+) of (\d+) steps \(\d+%\) done")
_OUR_CODE = re.compile(r"\[E\d{3}\]")


class StepTracker:
    """Turn Snakemake's output, line by line, into one German line per finished step.

    Attributes
    ----------
    done, total : int
        Steps finished and planned (from Snakemake's ``N of M steps`` lines).
    finished : list of str
        The German lines of the finished steps, in order.
    """

    def __init__(self) -> None:
        self.done = 0
        self.total = 0
        self.finished: list[str] = []
        self._jobs: dict[str, tuple[str, str]] = {}
        self._rule: str | None = None
        self._jobid: str | None = None
        self._log: str | None = None
        #: the log file of each job that has started and not finished yet
        self.running: dict[str, str] = {}

    def feed(self, line: str) -> str | None:
        """Read one line of Snakemake output.

        Parameters
        ----------
        line : str
            One line as Snakemake printed it.

        Returns
        -------
        str or None
            A line for people: a finished step (``fertig: Import einer Welle (2023-1)``), an
            error with one of our codes, or Snakemake's "Nothing to be done"; else None.
        """
        text = line.rstrip("\n")
        if m := _JOB_START.match(text):
            self._rule, self._jobid, self._log = m.group(1), None, None
            return None
        if self._rule is not None and (m := _JOBID.match(text)):
            self._jobid = m.group(1)
            self._jobs[self._jobid] = (self._rule, "")
            if self._log is not None:
                self.running[self._jobid] = self._log
            return None
        if self._jobid is not None and (m := _WILDCARDS.match(text)):
            self._jobs[self._jobid] = (self._jobs[self._jobid][0], m.group(1).strip())
            return None
        if self._rule is not None and (m := _LOG.match(text)):
            self._log = m.group(1).split(",")[0].strip()
            if self._jobid is not None:
                self.running[self._jobid] = self._log
            return None
        if m := _FINISHED.match(text):
            self.running.pop(m.group(1), None)
            rule, wildcards = self._jobs.get(m.group(1), (m.group(2), ""))
            if rule == "all":
                return None
            values = ", ".join(part.split("=", 1)[-1] for part in wildcards.split(", ") if part)
            label = STEP_LABELS.get(rule, rule)
            done = f"fertig: {label}" + (f" ({values})" if values else "")
            self.finished.append(done)
            return done
        if m := _STEPS.match(text):
            self.done, self.total = int(m.group(1)), int(m.group(2))
            return None
        if "Nothing to be done" in text or _OUR_CODE.search(text):
            return text.strip()
        return None


def step_progress(tracker: StepTracker, cwd: Path, tail: int = 4096) -> str:
    """The newest progress line of the running steps' logs, with the step's German name
    (``Porträts: 30 von 60 gezeichnet``), or ``""`` when none reports any.

    Parameters
    ----------
    tracker
        The tracker of the running Snakemake call (its running jobs and their logs).
    cwd
        The folder Snakemake runs in (log paths are relative to it).
    tail
        Bytes read from the end of each log.
    """
    newest: tuple[float, str] = (0.0, "")
    for jobid, name in list(tracker.running.items()):
        path = cwd / name
        try:
            stamp = path.stat().st_mtime
            with path.open("rb") as fh:
                fh.seek(max(0, path.stat().st_size - tail))
                lines = fh.read().decode("utf-8", "replace").splitlines()
        except OSError:
            continue
        for line in reversed(lines):
            if (m := _PROGRESS.match(line)) and stamp > newest[0]:
                rule = tracker._jobs.get(jobid, ("", ""))[0]
                label = STEP_LABELS.get(rule, rule)
                text = m.group("text")
                newest = (stamp, text if text.startswith(label) else f"{label}: {text}")
                break
    return newest[1]


def run_streamed(
    cmd: Sequence[str],
    cwd: Path,
    env: Mapping[str, str],
    log: Path | None = None,
    verbose: bool = True,
    append: bool = False,
) -> tuple[int, str]:
    """Run ``cmd``, keep its output (and write it to ``log``) and show it to people.

    Parameters
    ----------
    cmd : sequence of str
        The Snakemake command.
    cwd : Path
        Where it runs.
    env : mapping
        Its environment.
    log : Path, optional
        File that receives every line (the full Snakemake output).
    verbose : bool
        True: every line goes on to stderr; False: one German line per finished step with a
        progress bar, errors with our codes and "Nothing to be done" (see :class:`StepTracker`).
    append : bool
        Add to ``log`` instead of replacing it (the second Snakemake call of a run).

    Returns
    -------
    tuple of int and str
        The exit code and everything the command printed (stdout and stderr).
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    lines: list[str] = []
    tracker = StepTracker()
    console = Console(stderr=True)
    handle = None
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        handle = log.open("a" if append else "w", encoding="utf-8")
    progress = Progress(
        TextColumn("Schritte"), BarColumn(), MofNCompleteColumn(), console=console, transient=True
    )
    bar = progress.add_task("Schritte", total=None)
    step = progress.add_task("", total=None, visible=False)
    stop = threading.Event()

    def watch() -> None:  # a long step's own progress, from its log, once a second
        while not stop.wait(1.0):
            text = step_progress(tracker, Path(cwd))
            progress.update(step, description=f"  {text}", visible=bool(text))

    try:
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
            live = not verbose and console.is_terminal  # no bar in logs and pipes
            watcher = threading.Thread(target=watch, daemon=True) if live else None
            if watcher is not None:
                watcher.start()
            with progress if live else _nothing():
                for line in proc.stdout:
                    lines.append(line)
                    if handle is not None:
                        handle.write(line)
                    if verbose:
                        sys.stderr.write(line)
                        continue
                    shown = tracker.feed(line)
                    if tracker.total:
                        progress.update(bar, completed=tracker.done, total=tracker.total)
                    if shown is not None:
                        progress.console.print(shown, highlight=False, markup=False)
            code = proc.wait()
    finally:
        stop.set()
        if handle is not None:
            handle.close()
    return code, "".join(lines)


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


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
    """Every output of the workflow, from Snakemake's ``--summary`` table.

    Parameters
    ----------
    text
        What ``snakemake --summary`` printed (tab-separated, with a header line).
    output
        The output folder (absolute paths are made relative to it).

    Returns
    -------
    pandas.DataFrame
        ``datei`` (relative to the output folder) and ``schritt`` (rule), sorted by ``datei``.
    """
    rows = [
        {"datei": _relative(record["output_file"], output), "schritt": record["rule"]}
        for record in _summary_records(text)
    ]
    frame = pd.DataFrame(rows, columns=["datei", "schritt"]).drop_duplicates("datei")
    return frame.sort_values("datei", ignore_index=True)


def _summary_records(text: str) -> Iterator[dict[str, str]]:
    """The rows of Snakemake's ``--summary`` table (tab-separated, after its header line)."""
    header: list[str] | None = None
    for line in text.splitlines():
        cells = line.split("\t")
        if header is None:
            if cells and cells[0] == "output_file":
                header = cells
            continue
        if len(cells) == len(header):
            yield dict(zip(header, cells, strict=True))


def parse_pending(text: str, output: Path) -> set[str] | None:
    """The outputs Snakemake's ``--summary`` table marks ``update pending``: what a run would
    (re)make, as a dry run would list it.

    Returns
    -------
    set of str or None
        Paths relative to the output folder; None when ``text`` holds no summary table (the
        call failed), so that the caller runs Snakemake and shows its message.
    """
    records = list(_summary_records(text))
    if not records or "plan" not in records[0]:
        return None
    planned = {
        _relative(r["output_file"], output) for r in records if r["plan"] == "update pending"
    }
    return planned


def _relative(name: str, output: Path) -> str:
    path = Path(name)
    if path.is_absolute() and path.is_relative_to(output):
        return path.relative_to(output).as_posix()
    return path.as_posix()


def parse_plan(text: str, output: Path) -> set[str]:
    """The outputs a Snakemake dry run says it would (re)make (its ``output:`` lines)."""
    planned: set[str] = set()
    for line in text.splitlines():
        if line.startswith("    output: "):
            planned |= {_relative(n.strip(), output) for n in line[12:].split(",") if n.strip()}
    return planned


def run_status(
    outputs: pd.DataFrame, planned: set[str], output: Path, started: float
) -> pd.DataFrame:
    """Which results are from this run.

    Parameters
    ----------
    outputs
        Every output of the workflow (:func:`parse_summary`).
    planned
        The outputs the run was to (re)make (:func:`parse_plan` of a dry run before it).
    output
        The output folder.
    started
        When the run started (seconds since the epoch).

    Returns
    -------
    pandas.DataFrame
        ``datei``, ``schritt``, ``stand``: ``fehlt`` (does not exist), ``veraltet`` (the run
        was to remake it and did not, so it is from an earlier run), else ``aktuell``.
    """

    def stand(name: str) -> str:
        path = output / name
        if not path.exists():
            return "fehlt"
        if name in planned and path.stat().st_mtime < started:
            return "veraltet"
        return "aktuell"

    frame = outputs[["datei", "schritt"]].copy()
    frame["stand"] = [stand(n) for n in frame["datei"]]
    return frame


def previously_missing(output: Path, outputs: pd.DataFrame) -> list[str]:
    """Results the last run left missing (``fehlt`` in ``laufstatus.csv``) that are still
    missing and still part of the workflow.

    Snakemake removes the outputs of a failed step; once they are gone, it would take the
    later results of the earlier run for current and not run the step again. ``asaqda run``
    therefore forces these files to be made (``--forcerun``).
    """
    from asaqda.io.officefiles import read_csv

    previous = read_csv(output / STATUS_FILE)
    if "stand" not in previous:
        return []
    known = set(outputs["datei"])
    missing = previous.loc[previous["stand"] == "fehlt", "datei"].astype(str)
    return sorted(n for n in missing if n in known and not (output / n).exists())


def snakemake_text(cmd: Sequence[str], output: Path, env: Mapping[str, str]) -> str:
    """What a Snakemake call prints (stdout and stderr), for the summary or a dry run."""
    result = subprocess.run(
        list(cmd),
        cwd=output,
        env=dict(env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    return result.stdout


def write_run_status(output: Path, status: pd.DataFrame) -> None:
    """Write ``laufstatus.csv`` (see the module documentation); nothing if it is empty."""
    from asaqda.io.officefiles import write_csv

    if len(status):
        try:
            write_csv(output / STATUS_FILE, status)
        except OSError:  # the run itself reports the fault
            pass


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


def early_stop_lines(text: str, limit: int = 20) -> list[str]:
    """The last lines Snakemake printed when the run stopped before any step failed.

    Parameters
    ----------
    text : str
        What Snakemake printed.
    limit : int
        Lines shown at most.

    Returns
    -------
    list of str
        The message of a run that stopped while the workflow was read (an input or
        configuration problem), or nothing when a step failed or the run did not stop.
    """
    if len(failed_jobs(text)) or _OUR_CODE.search(text):
        return []  # the failed steps are summarised; lines with our codes were shown already
    lines = [
        line.rstrip()
        for line in text.splitlines()
        if line.strip() and not line.startswith(("Complete log", "Elapsed time"))
    ]
    return lines[-limit:]


def closing_lines(text: str, output: Path) -> list[str]:
    """The last lines of ``asaqda run``: steps done, where the report and the full log are.

    Parameters
    ----------
    text : str
        What Snakemake printed.
    output : Path
        The output folder.

    Returns
    -------
    list of str
        German lines, e.g. ``["43 Schritte ausgeführt.", "Bericht: …/bericht.docx", ...]``.
    """
    done = sum(
        1 for line in text.splitlines() if (m := _FINISHED.match(line)) and m.group(2) != "all"
    )
    lines = [f"{done} Schritte ausgeführt." if done != 1 else "1 Schritt ausgeführt."]
    report = output / "bericht.docx"
    if report.is_file():
        lines.append(f"Bericht: {report}")
    else:
        lines.append(f"Kein Bericht: {report} wurde nicht geschrieben.")
    lines.append(f"Vollständiges Snakemake-Protokoll: {output / LOG_FILE}")
    return lines
