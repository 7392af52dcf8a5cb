"""Turn a labelled corpus into a MAXQDA input folder and a codebook folder.

A labelled corpus is a table of units (an utterance, a tweet, a paragraph) with the codes a
person gave them and the document they belong to. :func:`convert_corpus` writes it as the
pipeline reads a real study: per wave one transcript per document (one unit per paragraph,
spoken by ``B``), a coded-segments export in the German MAXQDA layout (one segment per unit
and code) and the document variables; beside it a codebook folder in the format of
``codebook/*.yaml``. Everything downstream then runs through the real importer and the real
codebook loader, so a benchmark on such a folder measures the pipeline, not a copy of it.

Columns of the unit table (:data:`UNIT_COLUMNS`):

========  ==================================================================================
text      the unit's text (line breaks become spaces: one unit is one paragraph)
codes     tuple of full code paths (levels joined by ' > '); empty for an uncoded unit
document  the document the unit belongs to (a MAXQDA document name)
wave      optional: the survey wave (folder name, e.g. ``2023-1``); default ``wave=``
part      optional: e.g. ``train``/``test``, written as the document variable ``Teil``
========  ==================================================================================
"""

from __future__ import annotations

import csv
import random
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from asaqda.io.officefiles import save_docx
from asaqda.io.values import CODE_SEPARATOR

__all__ = [
    "UNIT_COLUMNS",
    "ConvertedCorpus",
    "codebook_files",
    "convert_corpus",
    "pseudo_documents",
    "segment_rows",
    "transcript_paragraphs",
]

UNIT_COLUMNS = ("text", "codes", "document")
#: the German headers of MAXQDA's "Liste der codierten Segmente" (as MAXQDA 2022-24 writes them)
SEGMENT_HEADERS = [
    "Farbe",
    "Kommentar",
    "Dokumentgruppe",
    "Dokumentname",
    "Code",
    "Anfang",
    "Ende",
    "Gewicht",
    "Segment",
    "Erstellt von",
    "Erstellt am",
]
SPEAKER = "B"
CODER = "Korpus"
CODED_ON = "01.01.2024 00:00"
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class ConvertedCorpus:
    """Where a converted corpus was written and what it holds."""

    input_dir: Path
    codebook_dir: Path
    waves: tuple[str, ...]
    codes: tuple[str, ...]
    n_documents: int
    n_paragraphs: int
    n_segments: int


def pseudo_documents(n_units: int, size: int, seed: int = 0, prefix: str = "D") -> list[str]:
    """Document names for a corpus without documents: units shuffled with a fixed seed and cut
    into documents of ``size`` units (``D0001``, ``D0002``, ...), returned in unit order.

    Parameters
    ----------
    n_units
        Number of units.
    size
        Units per pseudo-document (the last one may be smaller).
    seed
        Seed of the shuffle.
    prefix
        First letters of the names (e.g. ``T`` for the test part).

    Returns
    -------
    list[str]
        One document name per unit.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    order = list(range(n_units))
    random.Random(seed).shuffle(order)
    names = [""] * n_units
    width = max(4, len(str(n_units // size + 1)))
    for position, unit in enumerate(order):
        names[unit] = f"{prefix}{position // size + 1:0{width}d}"
    return names


def _clean(text: str) -> str:
    return _WS.sub(" ", str(text)).strip()


def _checked(units: pd.DataFrame, wave: str) -> pd.DataFrame:
    missing = [c for c in UNIT_COLUMNS if c not in units.columns]
    if missing:
        raise ValueError(f"unit table lacks the columns {missing} (needs {list(UNIT_COLUMNS)})")
    out = units.copy()
    out["text"] = [_clean(t) for t in out["text"]]
    out["codes"] = [tuple(sorted(set(c))) for c in out["codes"]]
    out["document"] = out["document"].astype(str)
    if "wave" not in out.columns:
        out["wave"] = wave
    empty = out.index[out["text"] == ""].tolist()
    if empty:
        raise ValueError(f"units {empty[:5]} have no text: a paragraph cannot be empty")
    twice = out.groupby("document")["wave"].nunique()
    if (twice > 1).any():
        raise ValueError(f"documents {twice[twice > 1].index[:5].tolist()} lie in two waves")
    return out


def transcript_paragraphs(units: pd.DataFrame) -> dict[str, list[str]]:
    """The transcript of every document: its units in table order, one paragraph each,
    spoken by ``B`` (so none is taken for the interviewer's).

    Returns
    -------
    dict[str, list[str]]
        Document name to paragraphs (``"B: text"``); paragraph *k* (1-based) is the
        document's *k*-th unit.
    """
    out: dict[str, list[str]] = {}
    for doc, text in zip(units["document"].astype(str), units["text"], strict=True):
        out.setdefault(doc, []).append(f"{SPEAKER}: {_clean(text)}")
    return out


def segment_rows(units: pd.DataFrame, group: str) -> pd.DataFrame:
    """The coded-segments export: one row per unit and code, German MAXQDA headers.

    Each segment covers its unit's paragraph (``Anfang`` = ``Ende`` = the paragraph number)
    and its text is the paragraph without the speaker. Rows are sorted by document,
    paragraph and code.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SEGMENT_HEADERS`.
    """
    rows = []
    number: dict[str, int] = {}
    for doc, text, codes in zip(
        units["document"].astype(str), units["text"], units["codes"], strict=True
    ):
        number[doc] = number.get(doc, 0) + 1
        for code in sorted(set(codes)):
            rows.append(
                [
                    "",
                    "",
                    group,
                    doc,
                    code,
                    number[doc],
                    number[doc],
                    0,
                    _clean(text),
                    CODER,
                    CODED_ON,
                ]
            )
    frame = pd.DataFrame(rows, columns=SEGMENT_HEADERS)
    return frame.sort_values(["Dokumentname", "Anfang", "Code"], kind="stable").reset_index(
        drop=True
    )


def _file_name(main: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", main).encode("ascii", "ignore").decode()
    return (re.sub(r"[^a-z0-9]+", "_", ascii_.lower()).strip("_") or "kategorie") + ".yaml"


def codebook_files(
    codes: list[str],
    title: str,
    definitions: dict[str, str] | None = None,
    version: str = "1.0.0",
) -> dict[str, dict[str, object]]:
    """The YAML content of a codebook folder holding ``codes`` (and every parent they need).

    Parameters
    ----------
    codes
        Full code paths (``Absicht > 07``); each main category gets a file of its own.
    title
        ``titel`` of ``codebook.yaml``.
    definitions
        Definition per code path; codes without one get a placeholder that says where the
        code comes from (the schema needs a definition).
    version
        ``version`` of ``codebook.yaml``.

    Returns
    -------
    dict[str, dict]
        File name (``codebook.yaml``, ``<main category>.yaml``) to its content.
    """
    definitions = definitions or {}
    paths: set[str] = set()
    for code in codes:
        levels = code.split(CODE_SEPARATOR)
        for k in range(1, len(levels) + 1):
            paths.add(CODE_SEPARATOR.join(levels[:k]))
    mains = sorted({p.split(CODE_SEPARATOR)[0] for p in paths})
    files: dict[str, dict[str, object]] = {
        "codebook.yaml": {
            "titel": title,
            "version": version,
            "stand": "2024-01-01",
            "hinweis": "Aus einem gelabelten Korpus erzeugt; nur für Vergleichsmessungen.",
            "reihenfolge": mains,
        }
    }
    for main in mains:
        entries = []
        for path in sorted(p for p in paths if p.split(CODE_SEPARATOR)[0] == main):
            default = (
                f"Code '{path}' des Korpus."
                if path in codes
                else f"Oberkategorie der Codes unter '{path}'."
            )
            entries.append(
                {"code": path, "art": "deduktiv", "definition": definitions.get(path, default)}
            )
        name = _file_name(main)
        if name in files:  # two main categories that fold to the same file name
            name = name.replace(".yaml", f"_{mains.index(main)}.yaml")
        files[name] = {
            "hauptkategorie": main,
            "perspektive": "Korpus",
            "beschreibung": f"Codes von {main} aus dem Korpus.",
            "codes": entries,
        }
    return files


def convert_corpus(
    units: pd.DataFrame,
    out_dir: Path,
    *,
    title: str = "Korpus",
    wave: str = "2023-1",
    group: str = "Korpus",
    transcript_format: str = "txt",
    definitions: dict[str, str] | None = None,
) -> ConvertedCorpus:
    """Write ``out_dir/input/<wave>/`` (transcripts, coded segments, document variables) and
    ``out_dir/codebook/`` for a labelled corpus.

    Parameters
    ----------
    units
        The unit table (see the module docstring).
    out_dir
        Folder to write into (created; existing files of the same names are replaced).
    title
        Title of the codebook.
    wave
        Wave of units without a ``wave`` column.
    group
        MAXQDA document group of every document.
    transcript_format
        ``txt`` or ``docx``.
    definitions
        Definitions per code for the codebook.

    Returns
    -------
    ConvertedCorpus

    Raises
    ------
    ValueError
        A column is missing, a unit has no text, a document lies in two waves, or the
        transcript format is unknown.
    """
    if transcript_format not in ("txt", "docx"):
        raise ValueError(f"transcript_format must be 'txt' or 'docx', not {transcript_format!r}")
    table = _checked(units, wave)
    codes = sorted({c for cs in table["codes"] for c in cs})
    input_dir = out_dir / "input"
    waves = sorted(table["wave"].unique().tolist())
    n_segments = 0
    for w in waves:
        part = table[table["wave"] == w]
        wave_dir = input_dir / w
        for doc, paragraphs in transcript_paragraphs(part).items():
            _write_transcript(wave_dir / "transkripte" / f"{doc}.{transcript_format}", paragraphs)
        segments = segment_rows(part, group)
        n_segments += len(segments)
        _write_csv(wave_dir / "codierte_segmente.csv", segments)
        docs = part.drop_duplicates("document")
        variables = pd.DataFrame(
            {"Dokumentgruppe": group, "Dokumentname": docs["document"], "Welle": w}
        )
        if "part" in part.columns:
            variables["Teil"] = docs["part"].astype(str).to_numpy()
        _write_csv(wave_dir / "dokumentvariablen.csv", variables.sort_values("Dokumentname"))
    codebook_dir = out_dir / "codebook"
    codebook_dir.mkdir(parents=True, exist_ok=True)
    for name, content in codebook_files(codes, title, definitions).items():
        (codebook_dir / name).write_text(
            yaml.safe_dump(content, allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8",
        )
    return ConvertedCorpus(
        input_dir=input_dir,
        codebook_dir=codebook_dir,
        waves=tuple(waves),
        codes=tuple(codes),
        n_documents=int(table["document"].nunique()),
        n_paragraphs=len(table),
        n_segments=n_segments,
    )


def _write_csv(path: Path, frame: pd.DataFrame) -> None:
    # MAXQDA's CSV export: semicolons, UTF-8 with BOM, Windows line ends
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(
        path,
        sep=";",
        index=False,
        encoding="utf-8-sig",
        lineterminator="\r\n",
        quoting=csv.QUOTE_MINIMAL,
    )


def _write_transcript(path: Path, paragraphs: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix == ".txt":
        path.write_text("\n".join(paragraphs) + "\n", encoding="utf-8")
        return
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    save_docx(document, path)
