"""Import one survey wave: find and classify its files, parse, cross-check, write Parquet.

A wave folder (``<input>/2023-1/``) may hold, in any names and subfolders: coded-segments
exports (.xlsx/.csv), document-variables exports (.xlsx/.csv) and transcripts (.docx/.txt,
named as the MAXQDA document). Tables are told apart by their headers. The ``review/``
subfolder belongs to the coders' review sheets and is not read here.

Names are compared in Unicode NFC (a transcript saved on macOS has a decomposed file name).
Symbolic links are read only when they point at a file inside the input folder; links out of
it, links to folders and broken links are skipped with a note (a wave folder that is a link out
of the input folder is an E013).

An import either succeeds whole or raises before anything is written; the tables are then
written to temporary files and moved into place.
"""

from __future__ import annotations

import hashlib
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from asaqda.errors import InputError, Location, Problem, ProblemList
from asaqda.io.alignment import check_alignment
from asaqda.io.exports import recognise_tables
from asaqda.io.names import nfc, nfc_columns
from asaqda.io.schema import CODING_COLUMNS, DOCUMENT_COLUMNS, PARAGRAPH_COLUMNS
from asaqda.io.segments import parse_segments
from asaqda.io.tables import TABLE_SUFFIXES
from asaqda.io.transcripts import TRANSCRIPT_SUFFIXES, load_transcript, paragraphs_frame
from asaqda.io.variables import (
    WAVE_PATTERN,
    fill_missing_groups,
    missing_document_error,
    parse_variables,
)
from asaqda.refi.reader import REFI_SUFFIXES, read_project, wave_parts

__all__ = [
    "WaveImport",
    "discover_waves",
    "wave_files",
    "import_wave",
    "review_files",
    "REVIEW_FOLDER",
    "INDUCTIVE_FOLDER",
    "write_wave",
    "read_wave",
    "doc_id_for",
    "TABLE_NAMES",
]

log = logging.getLogger(__name__)
REVIEW_FOLDER = "review"
#: where filled candidate sheets are kept in the input folder (not a wave)
INDUCTIVE_FOLDER = "induktiv"
_NAME_COLUMNS = ("document_group", "document_name", "code")
TABLE_NAMES = ("documents", "paragraphs", "codings")


@dataclass
class WaveImport:
    """The canonical tables of one wave, and what the import noticed on the way."""

    wave: str
    documents: pd.DataFrame
    paragraphs: pd.DataFrame
    codings: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The three tables by name."""
        return {"documents": self.documents, "paragraphs": self.paragraphs, "codings": self.codings}


def discover_waves(input_dir: Path) -> list[str]:
    """The wave folders of an input folder, sorted.

    Raises
    ------
    InputError
        E013 if a visible subfolder is not named like a wave, or there is no wave at all.
    """
    if not input_dir.is_dir():
        raise InputError(
            Problem(
                "E013",
                "der Eingabeordner existiert nicht",
                Location(str(input_dir)),
                "mit --input den Ordner angeben, der die Wellenordner enthält",
            )
        )
    waves, bad, outside = [], [], []
    root = input_dir.resolve()
    for child in sorted(input_dir.iterdir()):
        if not child.is_dir() or child.name.startswith((".", "_")):
            continue
        if child.name == INDUCTIVE_FOLDER:
            continue
        if child.is_symlink() and not _inside(child, root):
            outside.append(child.name)
            continue
        (waves if WAVE_PATTERN.match(nfc(child.name)) else bad).append(child.name)
    if outside:
        raise InputError(
            [
                Problem(
                    "E013",
                    f"der Wellenordner '{o}' ist eine Verknüpfung auf einen Ort außerhalb des "
                    "Eingabeordners; solchen Verknüpfungen folgt asaqda nicht",
                    Location(o),
                    "kopieren Sie den Ordner selbst in den Eingabeordner, statt ihn zu verknüpfen",
                )
                for o in outside
            ]
        )
    if bad:
        raise InputError(
            [
                Problem(
                    "E013",
                    f"der Ordner '{b}' ist nicht wie eine Erhebungswelle benannt (JJJJ-1 oder "
                    "JJJJ-2)",
                    Location(b),
                    "den Ordner nach seiner Welle benennen, z. B. 2023-1, oder ihn an einen "
                    "anderen Ort verschieben",
                )
                for b in bad
            ]
        )
    if not waves:
        raise InputError(
            Problem(
                "E013",
                "der Eingabeordner enthält keine Wellenordner",
                Location(input_dir.name),
                "die Exporte jeder Welle in einen Ordner legen, der wie 2023-1 benannt ist",
            )
        )
    return waves


def _ignored(path: Path, wave_dir: Path) -> bool:
    rel = path.relative_to(wave_dir)
    return (
        rel.parts[0] == REVIEW_FOLDER
        or any(p.startswith(".") for p in rel.parts)
        or path.name.startswith("~$")  # Office lock files
    )


def _inside(path: Path, root: Path) -> bool:
    """Whether ``path``, with every link resolved, lies inside ``root`` (already resolved)."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


def _link_note(path: Path, input_dir: Path, root: Path) -> str | None:
    """Why the link ``path`` is not read (a German note), or None when it is read."""
    shown = path.relative_to(input_dir).as_posix()
    if not _inside(path, root):
        return (
            f"Verknüpfung '{shown}' zeigt auf einen Ort außerhalb des Eingabeordners und wurde "
            "nicht gelesen; kopieren Sie die Datei selbst in den Wellenordner"
        )
    if not path.exists():
        return (
            f"Verknüpfung '{shown}' zeigt auf keine vorhandene Datei und wurde nicht gelesen; "
            "löschen Sie sie oder legen Sie die Datei selbst in den Wellenordner"
        )
    if path.is_dir():
        return (
            f"Verknüpfung '{shown}' zeigt auf einen Ordner; Ordnerverknüpfungen werden nicht "
            "verfolgt, legen Sie die Dateien selbst in den Wellenordner"
        )
    return None


def _scan(input_dir: Path, wave: str) -> tuple[list[Path], list[Path], list[str]]:
    """The readable files of a wave folder, the other files, and notes on skipped links.

    Returns
    -------
    (inputs, others, notes)
        ``inputs`` the tables, transcripts and projects, ``others`` every further file (both
        sorted, review sheets, hidden and Office lock files excluded); ``notes`` one German note
        per symbolic link that is not read. A link to a file inside the input folder is read.
    """
    wave_dir = input_dir / wave
    root = input_dir.resolve()
    inputs: list[Path] = []
    others: list[Path] = []
    notes: list[str] = []
    # rglob does not descend into linked folders; linked files are checked one by one below
    for p in sorted(wave_dir.rglob("*")):
        if _ignored(p, wave_dir):
            continue
        if p.is_symlink():
            note = _link_note(p, input_dir, root)
            if note:
                notes.append(note)
                continue
        if not p.is_file():
            continue
        known = p.suffix.lower() in TABLE_SUFFIXES + TRANSCRIPT_SUFFIXES + REFI_SUFFIXES
        (inputs if known else others).append(p)
    return inputs, others, notes


def wave_files(input_dir: Path, wave: str) -> list[Path]:
    """All input files of a wave (tables and transcripts), sorted, review sheets excluded.

    Symbolic links are included only when they point at a file inside ``input_dir``.
    """
    return _scan(input_dir, wave)[0]


def review_files(input_dir: Path, wave: str) -> list[Path]:
    """The files coders put into ``<input>/<wave>/review/`` (filled review sheets), sorted;
    hidden files, Office lock files (``~$...``) and links out of the input folder excluded."""
    folder = input_dir / wave / REVIEW_FOLDER
    if not folder.is_dir():
        return []
    root = input_dir.resolve()
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and not p.name.startswith((".", "~$"))
        and not (p.is_symlink() and not _inside(p, root))
    )


def doc_id_for(group: str, name: str) -> str:
    """Stable document id from group and name."""
    return hashlib.sha1(f"{group}\x1f{name}".encode()).hexdigest()[:12]


def import_wave(input_dir: Path, wave: str) -> WaveImport:
    """Read every export of one wave into canonical tables.

    Parameters
    ----------
    input_dir
        The input folder (holding the wave folders).
    wave
        The wave id, e.g. ``"2023-1"``.

    Raises
    ------
    InputError
        For any bad input (E001-E014); nothing is returned or written then.
    """
    wave_dir = input_dir / wave
    segment_frames: list[pd.DataFrame] = []
    variable_frames: list[pd.DataFrame] = []
    transcripts: dict[str, tuple[str, pd.DataFrame]] = {}
    problems = ProblemList()
    inputs, other_paths, notes = _scan(input_dir, wave)
    others = [p.relative_to(wave_dir).as_posix() for p in other_paths]
    if others:
        notes.append(
            f"nicht berücksichtigte Dateien (weder Export noch Transkript): {', '.join(others)}"
        )
    for path in inputs:
        display = path.relative_to(input_dir).as_posix()
        if path.suffix.lower() in TABLE_SUFFIXES:
            found = recognise_tables(path, display)
            notes.extend(found.notes)
            for kind, table in found.tables:
                if kind == "segments":
                    segment_frames.append(parse_segments(table))
                else:
                    variable_frames.append(parse_variables(table))
        elif path.suffix.lower() in REFI_SUFFIXES:
            # a REFI-QDA project: codings, variables and texts in one file
            segments, table, texts, refi_notes = wave_parts(read_project(path, display))
            notes.extend(refi_notes)
            segments = nfc_columns(segments, _NAME_COLUMNS)
            texts = {nfc(name): paras for name, paras in texts.items()}
            if len(segments):
                segment_frames.append(segments)
            if table.rows:
                variable_frames.append(parse_variables(table))
            for name, paras in texts.items():
                if name in transcripts:
                    problems.add(
                        "E014",
                        f"zwei Transkripte für das Dokument '{name}' (auch "
                        f"'{transcripts[name][0]}')",
                        Location(display, None, None, name),
                        "nur ein Transkript je Dokument behalten",
                    )
                    continue
                transcripts[name] = (f"{display}#{name}", paragraphs_frame(paras))
        else:
            transcript = load_transcript(path, display)
            notes.extend(transcript.notes)
            paragraphs = transcript.paragraphs
            name = nfc(path.stem)  # macOS writes file names decomposed (NFD)
            if name in transcripts:
                problems.add(
                    "E014",
                    f"zwei Transkripte für das Dokument '{name}' (auch '{transcripts[name][0]}')",
                    Location(display),
                    "nur ein Transkript je Dokument behalten",
                )
                continue
            transcripts[name] = (display, paragraphs_frame(paragraphs))
    problems.raise_if_any()

    variables = _combine_variables(variable_frames)
    codings = pd.concat(segment_frames, ignore_index=True) if segment_frames else _empty_codings()
    codings, variables, group_notes = fill_missing_groups(codings, variables)
    notes.extend(group_notes)
    _check_welle(variables, wave)
    documents = _documents(variables, codings, transcripts, wave)
    paragraphs = _paragraphs(documents, transcripts, wave)
    codings = _finish_codings(codings, documents, paragraphs, wave)
    counts = codings.groupby("doc_id").size()
    documents["n_codings"] = documents["doc_id"].map(counts).fillna(0).astype("int64")
    if not len(variables):
        notes.append(
            "kein Export der Dokumentvariablen in dieser Welle: Rollen und Betriebe unbekannt"
        )
    return WaveImport(
        wave,
        _order(documents, DOCUMENT_COLUMNS),
        _order(paragraphs, PARAGRAPH_COLUMNS),
        _order(codings, CODING_COLUMNS),
        notes,
    )


def _order(frame: pd.DataFrame, fixed: dict[str, str]) -> pd.DataFrame:
    rest = [c for c in frame.columns if c not in fixed]
    return frame[[c for c in fixed if c in frame.columns] + rest].reset_index(drop=True)


def _empty_codings() -> pd.DataFrame:
    cols = [
        c
        for c in CODING_COLUMNS
        if c not in ("coding_id", "doc_id", "wave", "text_check", "found_in")
    ]
    frame = pd.DataFrame({c: pd.Series(dtype="object") for c in cols})
    for c in ("begin", "end"):
        frame[c] = frame[c].astype("Int64")
    frame["weight"] = frame["weight"].astype("int64")
    frame["source_row"] = frame["source_row"].astype("int64")
    for c in ("created", "modified"):
        frame[c] = frame[c].astype("datetime64[s]")
    for c in ("area", "coverage"):
        frame[c] = frame[c].astype("float64")
    return frame


def _combine_variables(frames: list[pd.DataFrame]) -> pd.DataFrame:
    if not frames:
        return pd.DataFrame(columns=["document_group", "document_name"])
    combined = pd.concat(frames, ignore_index=True)
    dup = combined.duplicated(["document_group", "document_name"], keep=False)
    if dup.any():
        rows = combined[dup]
        raise InputError(
            [
                Problem(
                    "E012",
                    f"das Dokument '{r.document_group}/{r.document_name}' steht in "
                    "mehr als einem Export der Dokumentvariablen",
                    Location(r.variables_file, None, int(r.variables_row)),
                    "nur einen Variablenexport je Welle behalten oder die doppelten Zeilen "
                    "entfernen",
                )
                for r in rows.itertuples()
            ]
        )
    return combined


def _check_welle(variables: pd.DataFrame, wave: str) -> None:
    if "Welle" not in variables:
        return
    wrong = variables[variables["Welle"].notna() & (variables["Welle"] != wave)]
    if len(wrong):
        raise InputError(
            [
                Problem(
                    "E009",
                    f"das Dokument '{r.document_group}/{r.document_name}' hat die Welle "
                    f"'{r.Welle}', liegt aber im Wellenordner '{wave}'",
                    Location(r.variables_file, None, int(r.variables_row), "Welle"),
                    f"seine Exporte in den Ordner '{r.Welle}' verschieben oder die Variable Welle "
                    "in "
                    "MAXQDA korrigieren und erneut exportieren",
                )
                for r in wrong.itertuples()
            ]
        )


def _documents(
    variables: pd.DataFrame,
    codings: pd.DataFrame,
    transcripts: dict[str, tuple[str, pd.DataFrame]],
    wave: str,
) -> pd.DataFrame:
    docs = variables.copy()
    known = set(zip(docs["document_group"], docs["document_name"], strict=True))
    coded = codings.drop_duplicates(["document_group", "document_name"])
    if len(variables):
        var_files = sorted(variables["variables_file"].unique())
        for r in coded.itertuples():
            if (r.document_group, r.document_name) not in known:
                raise missing_document_error(
                    r.document_group,
                    r.document_name,
                    Location(
                        r.source_file, r.source_sheet or None, int(r.source_row), "Dokumentname"
                    ),
                    var_files,
                )
    else:
        docs = coded[["document_group", "document_name"]].reset_index(drop=True)
        docs["variables_file"] = ""
        docs["variables_row"] = pd.NA
    names = set(docs["document_name"])
    extra = sorted(n for n in transcripts if n not in names)
    if extra:  # transcripts of documents that are neither coded nor in the variables
        docs = pd.concat(
            [
                docs,
                pd.DataFrame({"document_group": "", "document_name": extra, "variables_file": ""}),
            ],
            ignore_index=True,
        )
    docs.insert(0, "wave", wave)
    docs.insert(
        0,
        "doc_id",
        [
            doc_id_for(g, n)
            for g, n in zip(docs["document_group"], docs["document_name"], strict=True)
        ],
    )
    docs["has_transcript"] = docs["document_name"].isin(list(transcripts))
    docs["transcript_file"] = [
        transcripts[n][0] if n in transcripts else "" for n in docs["document_name"]
    ]
    docs["n_paragraphs"] = [
        len(transcripts[n][1]) if n in transcripts else 0 for n in docs["document_name"]
    ]
    docs["variables_row"] = docs["variables_row"].astype("Int64")
    docs["variables_file"] = docs["variables_file"].fillna("")
    return docs.sort_values(["document_group", "document_name"]).reset_index(drop=True)


def _paragraphs(
    documents: pd.DataFrame, transcripts: dict[str, tuple[str, pd.DataFrame]], wave: str
) -> pd.DataFrame:
    frames = []
    for doc_id, name in zip(documents["doc_id"], documents["document_name"], strict=True):
        if name not in transcripts:
            continue
        frame = transcripts[name][1].copy()
        frame.insert(0, "wave", wave)
        frame.insert(0, "doc_id", doc_id)
        frame.insert(0, "paragraph_id", [f"{doc_id}-{n:04d}" for n in frame["paragraph"]])
        frames.append(frame)
    if not frames:
        empty = pd.DataFrame({c: pd.Series(dtype="object") for c in PARAGRAPH_COLUMNS})
        empty["paragraph"] = empty["paragraph"].astype("int64")
        return empty
    return pd.concat(frames, ignore_index=True)


def _finish_codings(
    codings: pd.DataFrame, documents: pd.DataFrame, paragraphs: pd.DataFrame, wave: str
) -> pd.DataFrame:
    codings = codings.copy()
    codings.insert(0, "wave", wave)
    codings.insert(
        0,
        "doc_id",
        pd.Series(
            [
                doc_id_for(g, n)
                for g, n in zip(codings["document_group"], codings["document_name"], strict=True)
            ],
            index=codings.index,
            dtype="object",
        ),
    )
    n_paras = documents.set_index("doc_id")["n_paragraphs"]
    has_text = documents.set_index("doc_id")["has_transcript"]
    problems = ProblemList()
    for r in codings.itertuples():
        if has_text.get(r.doc_id, False) and not pd.isna(r.end) and r.end > n_paras[r.doc_id]:
            problems.add(
                "E008",
                f"Ende {r.end} zeigt hinter den letzten Absatz ({n_paras[r.doc_id]}) des "
                f"Transkripts von '{r.document_name}'",
                Location(r.source_file, r.source_sheet or None, int(r.source_row), "Ende"),
                "prüfen, ob das Transkript die in MAXQDA kodierte Fassung ist (gleiche Absätze), "
                "oder die codierten Segmente erneut exportieren",
            )
    problems.raise_if_any()
    if codings.empty:
        codings["coding_id"] = pd.Series(dtype="object")
        codings["text_check"] = pd.Series(dtype="object")
        codings["found_in"] = pd.Series(dtype="object")
        return codings
    keys = (
        codings["doc_id"]
        + "\x1f"
        + codings["code"]
        + "\x1f"
        + codings["begin"].astype("string").fillna("")
        + "\x1f"
        + codings["end"].astype("string").fillna("")
        + "\x1f"
        + codings["segment"]
        + "\x1f"
        + codings["coder"]
        + "\x1f"
        + codings["created"].astype("string").fillna("")
    )
    occurrence = keys.groupby(keys).cumcount().astype(str)
    codings.insert(
        0,
        "coding_id",
        pd.Series(
            [
                hashlib.sha1(f"{k}\x1f{o}".encode()).hexdigest()[:16]
                for k, o in zip(keys, occurrence, strict=True)
            ],
            index=codings.index,
            dtype="object",
        ),
    )
    checks = check_alignment(codings, paragraphs)
    codings["text_check"] = checks["text_check"].to_numpy()
    codings["found_in"] = checks["found_in"].to_numpy()
    return codings.sort_values(
        ["document_group", "document_name", "begin", "end", "code", "source_file", "source_row"],
        na_position="last",
    ).reset_index(drop=True)


def write_wave(result: WaveImport, out_dir: Path) -> dict[str, Path]:
    """Write the tables of a wave as Parquet into ``out_dir`` (atomically, file by file).

    Returns the written paths by table name.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    tmp_paths = {}
    for name, frame in result.tables().items():
        tmp = out_dir / f".{name}.parquet.tmp"
        frame.to_parquet(tmp, index=False)
        tmp_paths[name] = tmp
    final = {}
    for name, tmp in tmp_paths.items():
        final[name] = out_dir / f"{name}.parquet"
        os.replace(tmp, final[name])
    return final


def read_wave(interim_dir: Path, wave: str) -> WaveImport:
    """Read a wave's tables back from ``<interim_dir>/<wave>/``."""
    tables = {n: pd.read_parquet(interim_dir / wave / f"{n}.parquet") for n in TABLE_NAMES}
    return WaveImport(wave, tables["documents"], tables["paragraphs"], tables["codings"])
