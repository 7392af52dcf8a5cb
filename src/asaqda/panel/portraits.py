"""The panel portraits: what each page shows as two tables, a content key per person, and
drawing only the pages whose content changed.

The ``panel`` step writes the tables (``interim/panel/portraits.parquet`` and
``interim/panel/portrait_events.parquet``); the ``portraits`` step reads only them, so the
panel analysis runs once. Drawn pages are kept in a cache folder named by their content key
(``interim/portraits/<key>.png/.svg``): Snakemake removes ``figures/portraits`` before the
step runs, the step copies the unchanged pages back from the cache and draws only the others.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import re
import shutil
from collections.abc import Mapping
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from asaqda.io.officefiles import atomic_target
from asaqda.panel.trajectories import AF, BF

__all__ = [
    "PERSON_COLUMNS",
    "INTERVIEW_COLUMNS",
    "EVENT_COLUMNS",
    "PortraitRun",
    "portrait_interviews",
    "portrait_events",
    "write_portrait_tables",
    "read_portrait_tables",
    "portrait_keys",
    "portrait_file_name",
    "update_portraits",
]

log = logging.getLogger(__name__)

#: what the page says about the person (the same on each of the person's rows)
PERSON_COLUMNS = ["person", "typ", "vorlaeufig", "anzahl_interviews", "niveau"]
#: one row per person and interview: the level chart and its labels
INTERVIEW_COLUMNS = [*PERSON_COLUMNS, "panelwelle", "welle", "betrieb", "was", "bilanz"]
#: one row per coded event: the bars and the quotes
EVENT_COLUMNS = ["person", "welle", "panelwelle", "code", "weight", "segment", "begin"]

_INTERVIEWS_FILE = "portraits.parquet"
_EVENTS_FILE = "portrait_events.parquet"
_KEY = re.compile(r"^[0-9a-f]{64}$")
_NAMED = 20  # persons named in the log


def portrait_interviews(measures: pd.DataFrame, types: pd.DataFrame) -> pd.DataFrame:
    """One row per typed person and interview with everything the page shows of it.

    Parameters
    ----------
    measures
        The interview measures of the panel analysis (``person``, ``panelwelle``, ``welle``,
        ``betrieb``, ``was``, ``bilanz``, ...).
    types
        The trajectory types (``person``, ``typ``, ``vorlaeufig``, ``anzahl_interviews``,
        ``niveau``, ...).

    Returns
    -------
    pandas.DataFrame
        :data:`INTERVIEW_COLUMNS`, sorted by person, wave and Panelwelle. An interview without
        Panelwelle is kept (its events are on the page) with ``panelwelle`` empty.
    """
    rows = types[PERSON_COLUMNS].merge(
        measures[["person", "panelwelle", "welle", "betrieb", "was", "bilanz"]],
        on="person",
        how="left",
    )
    return rows.sort_values(["person", "welle", "panelwelle"], kind="mergesort").reset_index(
        drop=True
    )[INTERVIEW_COLUMNS]


def portrait_events(measures: pd.DataFrame, codings: pd.DataFrame) -> pd.DataFrame:
    """The ``Arbeitsfähigkeit``/``Bewältigungsfähigkeit`` segments of the panel interviews.

    Parameters
    ----------
    measures
        The interview measures (``doc_id``, ``person``, ``panelwelle``, ``welle``).
    codings
        The primary codings (``doc_id``, ``code``, ``weight``, ``segment``, ``begin``).

    Returns
    -------
    pandas.DataFrame
        :data:`EVENT_COLUMNS`, one row per segment, sorted by person, Panelwelle, position,
        code, wave, weight and text (the order the page numbers them in).
    """
    events = codings[codings["code"].isin([*AF, *BF])][
        ["doc_id", "code", "weight", "segment", "begin"]
    ].merge(measures[["doc_id", "person", "panelwelle", "welle"]], on="doc_id")
    return events.sort_values(
        ["person", "panelwelle", "begin", "code", "welle", "weight", "segment"], kind="mergesort"
    ).reset_index(drop=True)[EVENT_COLUMNS]


def write_portrait_tables(
    interviews: pd.DataFrame, events: pd.DataFrame, out_dir: Path
) -> list[Path]:
    """Write ``out_dir/portraits.parquet`` and ``out_dir/portrait_events.parquet``.

    Parameters
    ----------
    interviews, events
        From :func:`portrait_interviews` and :func:`portrait_events`.
    out_dir
        ``<output>/interim/panel``; created if needed.

    Returns
    -------
    list of Path
        The two files, each written whole or not at all.
    """
    paths = []
    for frame, name in ((interviews, _INTERVIEWS_FILE), (events, _EVENTS_FILE)):
        path = out_dir / name
        with atomic_target(path) as tmp:
            frame.to_parquet(tmp, index=False)
        paths.append(path)
    return paths


def read_portrait_tables(panel_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The two tables :func:`write_portrait_tables` wrote to ``panel_dir``."""
    return (
        pd.read_parquet(panel_dir / _INTERVIEWS_FILE),
        pd.read_parquet(panel_dir / _EVENTS_FILE),
    )


def _records(frame: pd.DataFrame, columns: list[str]) -> list[list[object]]:
    """Rows as plain Python values (empty cells as ``None``) in a fixed order."""
    rows = frame[columns].sort_values(columns, kind="mergesort", na_position="last")
    plain = rows.astype(object).where(rows.notna(), None)
    return plain.to_numpy().tolist()


def portrait_keys(
    interviews: pd.DataFrame, events: pd.DataFrame, drawing: Mapping[str, object]
) -> dict[str, str]:
    """A content key per person: the SHA-256 of the person's rows and the drawing parameters.

    The key changes when anything the person's page shows changes, and only then: other
    persons' rows, the row order and columns the page does not show do not enter it.

    Parameters
    ----------
    interviews, events
        From :func:`portrait_interviews` and :func:`portrait_events`.
    drawing
        The parameters of the drawing code (its version, dpi, library version, ...); a change
        changes every key.

    Returns
    -------
    dict
        Person → 64 hex digits, sorted by person.
    """
    salt = json.dumps(dict(drawing), sort_keys=True, default=str)
    by_person = dict(tuple(events.groupby("person", sort=True)))
    keys = {}
    for person, rows in interviews.groupby("person", sort=True):
        payload = {
            "drawing": salt,
            "interviews": _records(rows, INTERVIEW_COLUMNS),
            "events": _records(by_person.get(person, events.iloc[:0]), EVENT_COLUMNS),
        }
        text = json.dumps(payload, ensure_ascii=False, default=str)
        keys[str(person)] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return keys


def portrait_file_name(person: str) -> str:
    """The file stem of a person's page in ``figures/portraits`` (letters, digits, ``-_``)."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in person)


@dataclass(frozen=True)
class PortraitRun:
    """What :func:`update_portraits` did.

    Attributes
    ----------
    paths
        The pages in the output folder (PNG and SVG per person, sorted by person).
    drawn
        Persons whose page was drawn (not in the cache).
    reused
        Persons whose page was copied from the cache unchanged.
    pruned
        Cache files removed because no current page uses them.
    """

    paths: list[Path] = field(default_factory=list)
    drawn: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    pruned: int = 0


_Job = tuple[str, pd.DataFrame, pd.DataFrame, pd.Series, Path, str]


def _draw(job: _Job) -> str:
    from asaqda.panel.figures import portrait_figure

    portrait_figure(*job)
    return job[0]


def _jobs(
    interviews: pd.DataFrame,
    events: pd.DataFrame,
    persons: list[str],
    stems: dict[str, Path],
    note: str = "",
) -> list[_Job]:
    wanted = set(persons)
    rows_of = {p: g for p, g in interviews.groupby("person", sort=True) if p in wanted}
    events_of = {p: g for p, g in events.groupby("person", sort=True) if p in wanted}
    jobs = []
    for person in persons:
        rows = rows_of[person]
        # an interview without Panelwelle has no place on the axis (the person is "prüfen")
        placed = rows[rows["panelwelle"].notna()]
        typ = rows.iloc[0][PERSON_COLUMNS]
        ev = events_of.get(person, events.iloc[:0])
        jobs.append((person, placed, ev, typ, stems[person], note))
    return jobs


def _draw_all(jobs: list[_Job], workers: int) -> None:
    """Draw the pages, in ``workers`` processes if there are enough; log the progress."""
    total = len(jobs)
    every = max(1, total // 10)
    if workers <= 1 or total < 4:
        done = map(_draw, jobs)
        for n, _ in enumerate(done, start=1):
            if n % every == 0 and n < total:
                log.info("Porträts: %d von %d gezeichnet", n, total)
        return
    # fork: workers inherit the loaded modules (spawn would re-run the calling script)
    ctx = multiprocessing.get_context(
        "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    )
    with ProcessPoolExecutor(workers, mp_context=ctx) as pool:
        done = pool.map(_draw, jobs, chunksize=max(1, total // (8 * workers)))
        for n, _ in enumerate(done, start=1):
            if n % every == 0 and n < total:
                log.info("Porträts: %d von %d gezeichnet", n, total)


def _copy(source: Path, target: Path) -> Path:
    with atomic_target(target) as tmp:
        shutil.copyfile(source, tmp)
    return target


def update_portraits(
    interviews: pd.DataFrame,
    events: pd.DataFrame,
    out_dir: Path,
    cache_dir: Path,
    drawing: Mapping[str, object],
    workers: int = 2,
    note: str = "",
) -> PortraitRun:
    """Put every person's page into ``out_dir``, drawing only those not in ``cache_dir``.

    A page is cached as ``cache_dir/<key>.png`` and ``.svg`` (:func:`portrait_keys`); pages
    in the cache are copied to ``out_dir/<person>.png/.svg`` unchanged, the others are drawn
    into the cache first (in ``workers`` processes). Cache files no current page uses are
    removed afterwards.

    Parameters
    ----------
    interviews, events
        From :func:`read_portrait_tables`.
    out_dir
        ``figures/portraits``; created if needed.
    cache_dir
        ``interim/portraits``; created if needed.
    drawing
        The drawing parameters that enter the keys.
    workers
        Processes that draw.
    note
        A sentence on every page where the timeline would be (the codebook lacks the event
        codes, :func:`asaqda.panel.tables.absent_events_note`); it enters the keys.

    Returns
    -------
    PortraitRun
        The pages written, who was drawn and who reused.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    cache_dir.mkdir(parents=True, exist_ok=True)
    keys = portrait_keys(interviews, events, {**drawing, "note": note} if note else drawing)
    suffixes = (".png", ".svg")

    def cached(key: str) -> bool:
        return all((cache_dir / f"{key}{s}").is_file() for s in suffixes)

    missing = [p for p, k in keys.items() if not cached(k)]
    reused = [p for p, k in keys.items() if cached(k)]
    if missing:
        log.info("Porträts: %d von %d werden neu gezeichnet", len(missing), len(keys))
        names = ", ".join(missing[:_NAMED]) + (" …" if len(missing) > _NAMED else "")
        log.info("Porträts neu zu zeichnen: %s", names)
    _draw_all(
        _jobs(interviews, events, missing, {p: cache_dir / keys[p] for p in missing}, note),
        workers,
    )
    paths = [
        _copy(cache_dir / f"{key}{s}", out_dir / f"{portrait_file_name(person)}{s}")
        for person, key in keys.items()
        for s in suffixes
    ]
    used = set(keys.values())
    pruned = 0
    for path in sorted(cache_dir.iterdir()):
        stem = path.name.removeprefix(".").split(".")[0]
        if path.is_file() and _KEY.match(stem) and (stem not in used or path.name[0] == "."):
            path.unlink()
            pruned += 1
    log.info(
        "Porträts: %d von %d neu gezeichnet, %d unverändert übernommen",
        len(missing),
        len(keys),
        len(reused),
    )
    if pruned:
        log.info("Porträts: %d nicht mehr gebrauchte Dateien aus %s entfernt", pruned, cache_dir)
    return PortraitRun(paths=paths, drawn=missing, reused=reused, pruned=pruned)
