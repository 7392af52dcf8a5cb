"""Keep what people filled in: filled sheets in the output folder are copied into the input.

Two kinds of sheet are written by the pipeline and filled in by people, possibly right where
the pipeline wrote them:

* review sheets ``<output>/review/<wave>/<coder>.xlsx`` (coders fill ``Entscheidung``,
  ``Anderer Code``, ``Kommentar``),
* candidate sheets ``<output>/induktiv/<bereich>_kandidaten.xlsx`` (researchers fill
  ``Name der Kategorie``, ``Übernehmen``, ``Oberkategorie``, ``Definition (Entwurf)``,
  ``Kommentar``).

Snakemake deletes a job's outputs before it runs the job again (the whole folder
``review/<wave>``), so a filled sheet left there would be lost on the next run.
:func:`rescue_filled_sheets` runs before Snakemake builds its jobs (when the workflow is
parsed, and in ``asaqda run`` before Snakemake starts). Every sheet that holds an entry is
copied, byte for byte, to the input folder: review sheets to ``<input>/<wave>/review/`` (where
the review step reads returned sheets, so their decisions are applied on this very run),
candidate sheets to ``<input>/induktiv/`` (where ``asaqda codebook add-inductive`` takes them
from). A sheet without any entry is left alone and simply written anew.

Nothing in the input folder is ever overwritten: when the target name is taken by a file with
other entries, the copy gets the next free name (``JS (2).xlsx``); both are kept and both are
read (the same decision in both counts once, a changed decision shows in the conflict table).
A copy whose entries equal those of a file already there is not made again, so repeated runs
add nothing. A file the check cannot read (broken, not a sheet the pipeline wrote, open in
Excel) stops the run with E020 before anything is deleted.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineError, CalamineWorkbook

from asaqda.errors import InputError, Location, Problem
from asaqda.inductive.sheets import INFO_SHEET as CANDIDATE_INFO
from asaqda.inductive.sheets import SHEET as CANDIDATE_SHEET
from asaqda.inductive.sheets import definition_draft
from asaqda.io.officefiles import cell_text
from asaqda.io.wave import INDUCTIVE_FOLDER, REVIEW_FOLDER
from asaqda.review.sheets import EDITABLE, HEADERS, INFO_SHEET, SHEET

__all__ = [
    "REVIEW",
    "CANDIDATES",
    "Rescued",
    "SheetEntries",
    "review_sheet_entries",
    "candidate_sheet_entries",
    "free_name",
    "rescue_sheet",
    "rescue_filled_sheets",
    "rescue_notes",
    "print_rescue",
]

REVIEW = "Prüfbogen"
CANDIDATES = "Kandidatenblatt"
_REVIEW_COLUMNS = [HEADERS[c] for c in EDITABLE]
_REVIEW_ID = HEADERS["suggestion_id"]
_CANDIDATE_FILLED = ("Name der Kategorie", "Übernehmen", "Kommentar")
_CANDIDATE_PARENT = "Oberkategorie"
_CANDIDATE_DEFINITION = "Definition (Entwurf)"
_CANDIDATE_TERMS = "Begriffe (c-TF-IDF)"
_CANDIDATE_TOPIC = "Thema"
_MATERIAL_CODE = re.compile(r"^Segmente des Codes (.+) und seiner Unterkategorien$")
_NUMBERED = re.compile(r"^(?P<stem>.*) \((?P<n>\d+)\)$")


@dataclass(frozen=True)
class SheetEntries:
    """What people entered in one sheet.

    ``rows`` counts the rows with at least one entry; ``key`` identifies the entries
    (the same entries in two files give the same key, whatever Excel stored besides).
    """

    rows: int
    key: str


@dataclass(frozen=True)
class Rescued:
    """One filled sheet found in the output folder and where its entries are kept."""

    kind: str  # REVIEW or CANDIDATES
    source: Path
    target: Path
    rows: int
    copied: bool  # False: a file with the same entries was already there
    display: str = ""  # the sheet relative to the output folder


def _problem(display: str, what: str, fix: str) -> InputError:
    return InputError(Problem("E020", what, Location(display), fix))


def _workbook(data: bytes, display: str) -> CalamineWorkbook:
    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except (CalamineError, OSError, ValueError) as exc:
        raise _problem(
            display,
            f"die Datei lässt sich nicht lesen ({type(exc).__name__}), daher ist nicht zu "
            "erkennen, ob sie Eintragungen enthält; der nächste Lauf würde sie ersetzen",
            "öffnen Sie sie in Excel und speichern Sie sie als Excel-Arbeitsmappe (.xlsx) "
            "oder verschieben Sie sie aus dem Ausgabeordner an einen sicheren Ort; dann das "
            "Programm erneut starten (nichts wurde verändert)",
        ) from exc


def _rows(wb: CalamineWorkbook, sheet: str, display: str, kind: str) -> list[list[str]]:
    if sheet not in wb.sheet_names:
        raise _problem(
            display,
            f"die Datei hat kein Arbeitsblatt '{sheet}' und ist daher kein {kind}, wie das "
            "Programm ihn schreibt; der nächste Lauf würde sie ersetzen",
            "verschieben Sie die Datei aus dem Ausgabeordner an einen sicheren Ort; dann das "
            "Programm erneut starten (nichts wurde verändert)",
        )
    data = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return [[cell_text(v) for v in row] for row in data]


def _columns(header: Sequence[str], names: Iterable[str], display: str, kind: str) -> list[int]:
    missing = [n for n in names if n not in header]
    if missing:
        raise _problem(
            display,
            f"die Spalte '{missing[0]}' fehlt, daher ist nicht zu erkennen, ob der {kind} "
            "Eintragungen enthält; der nächste Lauf würde ihn ersetzen",
            "stellen Sie die Spalte wieder her oder verschieben Sie die Datei aus dem "
            "Ausgabeordner an einen sicheren Ort; dann das Programm erneut starten (nichts "
            "wurde verändert)",
        )
    return [header.index(n) for n in names]


def _cell(row: Sequence[str], i: int) -> str:
    return row[i].strip() if i < len(row) else ""


def _info(rows: list[list[str]]) -> dict[str, str]:
    return {r[0]: r[1] for r in rows[1:] if len(r) >= 2 and r[0]}


def _key(parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def review_sheet_entries(data: bytes, display: str) -> SheetEntries:
    """The entries of a review sheet: rows with any of ``Entscheidung``, ``Anderer Code``,
    ``Kommentar`` filled.

    Parameters
    ----------
    data
        The file's bytes (``.xlsx``).
    display
        The file as named in messages.

    Raises
    ------
    InputError
        E020 when the file cannot be read or lacks the sheet or a decision column.
    """
    wb = _workbook(data, display)
    rows = _rows(wb, SHEET, display, REVIEW)
    header = rows[0] if rows else []
    cols = _columns(header, [_REVIEW_ID, *_REVIEW_COLUMNS], display, REVIEW)
    entries = []
    for row in rows[1:]:
        values = [_cell(row, i) for i in cols]
        if any(values[1:]):
            entries.append(tuple(values))
    info = _info(_rows(wb, INFO_SHEET, display, REVIEW)) if INFO_SHEET in wb.sheet_names else {}
    key = _key((REVIEW, info.get("Welle", ""), info.get("Kodierer/in", ""), sorted(entries)))
    return SheetEntries(len(entries), key)


def candidate_sheet_entries(data: bytes, display: str) -> SheetEntries:
    """The entries of a candidate sheet: rows with ``Name der Kategorie``, ``Übernehmen`` or
    ``Kommentar`` filled, an ``Oberkategorie`` other than the preset one, or a
    ``Definition (Entwurf)`` other than the draft.

    The preset Oberkategorie is the code named in the Info sheet's ``Material`` (none for
    uncoded paragraphs); when in doubt a row counts as filled.

    Raises
    ------
    InputError
        E020 when the file cannot be read or lacks the sheet or a researcher's column.
    """
    wb = _workbook(data, display)
    rows = _rows(wb, CANDIDATE_SHEET, display, CANDIDATES)
    header = rows[0] if rows else []
    names = [
        _CANDIDATE_TOPIC,
        _CANDIDATE_TERMS,
        _CANDIDATE_PARENT,
        _CANDIDATE_DEFINITION,
        *_CANDIDATE_FILLED,
    ]
    topic, terms, parent, definition, *filled = _columns(header, names, display, CANDIDATES)
    info = (
        _info(_rows(wb, CANDIDATE_INFO, display, CANDIDATES))
        if CANDIDATE_INFO in wb.sheet_names
        else {}
    )
    match = _MATERIAL_CODE.match(info.get("Material", ""))
    preset = match.group(1) if match else ""
    entries = []
    for row in rows[1:]:
        own = [_cell(row, i) for i in filled]
        chosen, text = _cell(row, parent), _cell(row, definition)
        drafts = {definition_draft(_cell(row, terms), p or None) for p in {preset, ""}}
        if any(own) or chosen not in {preset, ""} or (text and text not in drafts):
            entries.append((_cell(row, topic), *own, chosen, text))
    key = _key((CANDIDATES, info.get("Lauf", ""), info.get("Bereich", ""), sorted(entries)))
    return SheetEntries(len(entries), key)


def free_name(folder: Path, name: str) -> Path:
    """``folder / name`` if no file has that name, else the first free ``stem (n).suffix``."""
    target = folder / name
    stem, suffix = Path(name).stem, Path(name).suffix
    n = 2
    while target.exists() or target.is_symlink():
        target = folder / f"{stem} ({n}){suffix}"
        n += 1
    return target


def _copy_new(data: bytes, target: Path) -> Path:
    """Write ``data`` to ``target`` or the next free name, never replacing a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.part")
    tmp.write_bytes(data)
    try:
        while True:
            target = free_name(target.parent, target.name)
            try:
                os.link(tmp, target)  # fails instead of replacing a file that appeared meanwhile
                return target
            except FileExistsError:
                continue
            except OSError:  # no hard links on this drive: create the file exclusively
                try:
                    with open(target, "xb") as fh:
                        fh.write(data)
                    return target
                except FileExistsError:
                    continue
    finally:
        tmp.unlink(missing_ok=True)


_Reader = Callable[[bytes, str], SheetEntries]


def _same_entries(folder: Path, entries: SheetEntries, data: bytes, read: _Reader) -> Path | None:
    """A file in ``folder`` with these bytes or these entries, if there is one."""
    if not folder.is_dir():
        return None
    for other in sorted(folder.iterdir()):
        if not other.is_file() or other.name.startswith((".", "~$")):
            continue
        if other.suffix.lower() != ".xlsx":
            continue
        try:
            found = other.read_bytes()
        except OSError:
            continue
        if found == data:
            return other
        try:
            if read(found, other.name).key == entries.key:
                return other
        except InputError:
            continue
    return None


def _inspect(path: Path, kind: str, display: str) -> tuple[bytes, SheetEntries]:
    """The bytes and entries of a sheet in the output folder (E020 when it cannot be read)."""
    locks = [path.with_name(f"~${path.name}"), path.with_name(f".~lock.{path.name}#")]
    lock = next((p for p in locks if p.exists()), None)
    if lock is not None:
        raise _problem(
            display,
            "die Datei ist gerade in Excel oder LibreOffice geöffnet (Sperrdatei "
            f"'{lock.name}'); der nächste Lauf würde sie ersetzen",
            "speichern und schließen Sie die Datei, dann das Programm erneut starten; ist sie "
            "nirgends geöffnet, löschen Sie die Sperrdatei (nichts wurde verändert)",
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _problem(
            display,
            f"die Datei lässt sich nicht öffnen ({exc.strerror or type(exc).__name__}); "
            "der nächste Lauf würde sie ersetzen",
            "schließen Sie sie in anderen Programmen und prüfen Sie die Zugriffsrechte, "
            "dann das Programm erneut starten (nichts wurde verändert)",
        ) from exc
    read = review_sheet_entries if kind == REVIEW else candidate_sheet_entries
    return data, read(data, display)


def _keep(
    path: Path, data: bytes, entries: SheetEntries, folder: Path, kind: str, display: str
) -> Rescued:
    read = review_sheet_entries if kind == REVIEW else candidate_sheet_entries
    same = _same_entries(folder, entries, data, read)
    if same is not None:
        return Rescued(kind, path, same, entries.rows, copied=False, display=display)
    try:
        target = _copy_new(data, folder / path.name)
    except OSError as exc:
        raise _problem(
            display,
            f"der ausgefüllte {kind} lässt sich nicht in den Eingabeordner kopieren "
            f"({exc.strerror or type(exc).__name__})",
            f"prüfen Sie die Schreibrechte für '{folder}' oder kopieren Sie die Datei selbst "
            "dorthin, dann das Programm erneut starten",
        ) from exc
    return Rescued(kind, path, target, entries.rows, copied=True, display=display)


def rescue_sheet(path: Path, folder: Path, kind: str, display: str) -> Rescued | None:
    """Copy one sheet into ``folder`` if people filled anything in it.

    Parameters
    ----------
    path
        The sheet in the output folder.
    folder
        Where its entries are kept (``<input>/<wave>/review`` or ``<input>/induktiv``).
    kind
        :data:`REVIEW` or :data:`CANDIDATES`.
    display
        The sheet as named in messages (relative to the output folder).

    Returns
    -------
    Rescued or None
        None for a sheet without entries (it may be written anew).

    Raises
    ------
    InputError
        E020 when the sheet cannot be read, is open in Excel or cannot be copied; nothing is
        changed then.
    """
    data, entries = _inspect(path, kind, display)
    if not entries.rows:
        return None
    return _keep(path, data, entries, folder, kind, display)


def _visible(folder: Path) -> list[Path]:
    """The files in ``folder`` and its subfolders (Snakemake deletes them all), hidden ones
    (the pipeline's own temporary files, LibreOffice locks) excluded."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def rescue_filled_sheets(input_dir: Path, output_dir: Path, waves: Sequence[str]) -> list[Rescued]:
    """Copy every filled sheet of the output folder into the input folder (see the module
    docstring); call it before Snakemake can delete them.

    Parameters
    ----------
    input_dir, output_dir
        The run's input folder (one subfolder per wave) and output folder.
    waves
        The input's waves: review sheets of other waves are not touched by the run.

    Returns
    -------
    list of Rescued
        Every filled sheet, in path order; ``copied`` tells whether a copy was made now.

    Raises
    ------
    InputError
        E020 for a file in the way that cannot be checked or copied (all files are checked
        first, so nothing is copied when one fails).
    """
    jobs: list[tuple[Path, Path, str]] = []
    for wave in sorted(waves):
        folder = output_dir / REVIEW_FOLDER / wave
        for path in _visible(folder):
            if path.name.startswith("~$"):
                continue  # an Excel lock file; its sheet is checked (and stops the run)
            display = path.relative_to(output_dir).as_posix()
            if path.suffix.lower() != ".xlsx":
                raise _problem(
                    display,
                    f"die Datei liegt im Ordner {REVIEW_FOLDER}/{wave}/ des Ausgabeordners, den "
                    "der nächste Lauf neu schreibt, und ist kein Prüfbogen",
                    "verschieben Sie sie an einen sicheren Ort (ausgefüllte Prüfbögen als .xlsx "
                    f"nach <Eingabeordner>/{wave}/{REVIEW_FOLDER}/); dann das Programm erneut "
                    "starten (nichts wurde verändert)",
                )
            jobs.append((path, input_dir / wave / REVIEW_FOLDER, REVIEW))
    scopes = [*sorted(waves), "gesamt"]
    for scope in scopes:
        path = output_dir / INDUCTIVE_FOLDER / f"{scope}_kandidaten.xlsx"
        if path.is_file():
            jobs.append((path, input_dir / INDUCTIVE_FOLDER, CANDIDATES))
    # read every file before copying any, so a bad one leaves everything as it was
    inspected = []
    for path, folder, kind in jobs:
        display = path.relative_to(output_dir).as_posix()
        inspected.append((path, folder, kind, display, *_inspect(path, kind, display)))
    found = []
    for path, folder, kind, display, data, entries in inspected:
        if entries.rows:
            found.append(_keep(path, data, entries, folder, kind, display))
    return found


def _rows_label(n: int) -> str:
    return f"{n} Zeile mit Eintragungen" if n == 1 else f"{n} Zeilen mit Eintragungen"


def rescue_notes(rescued: Sequence[Rescued], input_dir: Path) -> list[str]:
    """One German line per sheet copied now (sheets kept earlier are not repeated)."""
    notes = []
    for r in rescued:
        if not r.copied:
            continue
        where = r.target.relative_to(input_dir).as_posix()
        if r.kind == REVIEW:
            notes.append(
                f"Ausgefüllter Prüfbogen gesichert: {r.display} ({_rows_label(r.rows)}) "
                f"wurde nach <Eingabeordner>/{where} kopiert und wird von dort gelesen; im "
                "Ausgabeordner entsteht ein neuer Prüfbogen mit den noch offenen Vorschlägen."
            )
        else:
            notes.append(
                f"Ausgefülltes Kandidatenblatt gesichert: {r.display} "
                f"({_rows_label(r.rows)}) wurde nach <Eingabeordner>/{where} "
                "kopiert; für den Kodierleitfaden 'asaqda codebook add-inductive' mit dieser "
                "Datei ausführen."
            )
    return notes


def print_rescue(input_dir: Path, output_dir: Path, waves: Sequence[str]) -> list[Rescued]:
    """:func:`rescue_filled_sheets` for the console: says in bold what was kept where.

    Raises
    ------
    SystemExit
        Code 1 after printing the German message when a sheet cannot be checked or kept
        (E020); nothing was changed then.
    """
    from rich.console import Console

    console = Console(stderr=True, highlight=False)
    try:
        rescued = rescue_filled_sheets(input_dir, output_dir, waves)
    except InputError as exc:
        console.print("[bold red]Fehler:[/bold red] ausgefüllte Dateien im Ausgabeordner")
        console.print(str(exc), markup=False)
        raise SystemExit(1) from None
    for note in rescue_notes(rescued, input_dir):
        console.print(note, style="bold", markup=False)
    return rescued
