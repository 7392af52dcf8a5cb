"""The leak check: every text that leaves the pipeline, scanned for personal data.

The people-facing outputs are built from three tables, so those are scanned (not the .xlsx and
.docx files): the coded segments (anchor quotes in the report and ``tables/ankerzitate.xlsx``,
quotes on the panel portraits, the coded segments of the ``.qdpx`` projects), the transcript
paragraphs (review sheets, candidate sheets and topic pages of the inductive step, the
transcripts of the ``.qdpx`` projects) and the codebook's anchor examples (coding guide,
report appendix).

Leak table columns (German, ``qualitaet/datenschutz.csv``): ``Zitat-ID``, ``Quelle``,
``Ausgaben``, ``Welle``, ``Dokument``, ``Absatz``, ``Code``, ``Art``, ``Treffer``, ``Grund``,
``Auszug``, ``Freigabe``.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from asaqda.errors import InputError, Location, Problem
from asaqda.privacy.detect import KINDS, Detector

__all__ = [
    "LEAK_COLUMNS",
    "find_leaks",
    "sort_leaks",
    "quote_id",
    "span_label",
    "collect_texts",
    "allowed_terms",
    "pseudonym_terms",
    "leak_table",
    "read_blocklist",
]

log = logging.getLogger(__name__)

LEAK_COLUMNS = [
    "Zitat-ID",
    "Quelle",
    "Ausgaben",
    "Welle",
    "Dokument",
    "Absatz",
    "Code",
    "Art",
    "Treffer",
    "Grund",
    "Auszug",
    "Freigabe",
]

_OUTPUTS = {
    "Kodiertes Segment": "Ankerzitate (Bericht, tables/ankerzitate.xlsx), Portraits, maxqda/*.qdpx",
    "Transkript-Absatz": (
        "Review-Bögen, induktiv/*_kandidaten.xlsx und *_themen.html, maxqda/*.qdpx"
    ),
    "Ankerbeispiel": "Kodierleitfaden (codebook/*), Anhang des Berichts",
}


def quote_id(doc_id: str, paragraph: str | int, text: str) -> str:
    """The stable id of a quote: the same source document, paragraph (span) and text always
    give the same id, so a sign-off survives new runs and new models.

    Parameters
    ----------
    doc_id
        Document id (or ``codebook`` for anchor examples).
    paragraph
        Paragraph number or span such as ``3-4``.
    text
        The quote as it is shown.

    Returns
    -------
    str
        16 hexadecimal characters.
    """
    key = f"{doc_id}\x1f{paragraph}\x1f{' '.join(str(text).split())}"
    return hashlib.sha1(key.encode()).hexdigest()[:16]


def span_label(begin: object, end: object) -> str:
    """The paragraph span of a segment as shown: ``3`` or ``3-4`` (empty when unknown)."""
    if pd.isna(begin):
        return ""
    b, e = int(begin), int(end) if not pd.isna(end) else int(begin)
    return str(b) if b == e else f"{b}-{e}"


def collect_texts(
    codings: pd.DataFrame,
    paragraphs: pd.DataFrame,
    documents: pd.DataFrame,
    anchor_examples: Iterable[tuple[str, str]] = (),
) -> pd.DataFrame:
    """Every text that leaves the pipeline, one row per quote or cell.

    Parameters
    ----------
    codings
        Coded segments (``doc_id``, ``begin``, ``end``, ``code``, ``segment``).
    paragraphs
        Transcript paragraphs (``doc_id``, ``paragraph``, ``content``).
    documents
        Documents (``doc_id``, ``wave``, ``document_name``).
    anchor_examples
        (code, quote) pairs of the codebook.

    Returns
    -------
    pandas.DataFrame
        Columns ``Zitat-ID``, ``Quelle``, ``Welle``, ``Dokument``, ``Absatz``, ``Code``, ``Text``.
    """
    names = documents.drop_duplicates("doc_id").set_index("doc_id")
    rows: list[dict[str, object]] = []
    for r in codings.itertuples(index=False):
        text = str(r.segment) if isinstance(r.segment, str) else ""
        if not text.strip():
            continue
        span = span_label(r.begin, r.end)
        rows.append(
            {
                "Zitat-ID": quote_id(r.doc_id, span, text),
                "Quelle": "Kodiertes Segment",
                "Welle": r.wave,
                "Dokument": r.document_name,
                "Absatz": span,
                "Code": r.code,
                "Text": text,
            }
        )
    for r in paragraphs.itertuples(index=False):
        text = str(r.content) if isinstance(r.content, str) else ""
        if not text.strip():
            continue
        doc = names.loc[r.doc_id] if r.doc_id in names.index else None
        rows.append(
            {
                "Zitat-ID": quote_id(r.doc_id, str(int(r.paragraph)), text),
                "Quelle": "Transkript-Absatz",
                "Welle": r.wave,
                "Dokument": doc["document_name"] if doc is not None else r.doc_id,
                "Absatz": str(int(r.paragraph)),
                "Code": "",
                "Text": text,
            }
        )
    for code, text in anchor_examples:
        rows.append(
            {
                "Zitat-ID": quote_id("codebook", code, text),
                "Quelle": "Ankerbeispiel",
                "Welle": "",
                "Dokument": "Kodierleitfaden",
                "Absatz": "",
                "Code": code,
                "Text": text,
            }
        )
    cols = ["Zitat-ID", "Quelle", "Welle", "Dokument", "Absatz", "Code", "Text"]
    return pd.DataFrame(rows, columns=cols).drop_duplicates(["Zitat-ID", "Quelle", "Code"])


def allowed_terms(
    documents: pd.DataFrame, paragraphs: pd.DataFrame, code_names: Iterable[str]
) -> set[str]:
    """The study's pseudonym registry and vocabulary: never a hit.

    Every value of the document variables (``Person``, ``Betrieb``, ``Region``, ...), the
    document names, the speaker labels of the transcripts and the words of the code names.

    Parameters
    ----------
    documents
        Documents with their variables.
    paragraphs
        Transcript paragraphs (``speaker``).
    code_names
        Names of the codebook's codes and categories.

    Returns
    -------
    set of str
    """
    skip = {"doc_id", "transcript_file", "variables_file", "variables_row", "n_paragraphs"}
    terms: set[str] = set()
    for col in documents.columns:
        if col in skip or documents[col].dtype == bool:
            continue
        terms.update(str(v) for v in documents[col].dropna().unique())
    terms |= pseudonym_terms(documents, paragraphs)
    terms.update(str(c) for c in code_names)
    return terms


def pseudonym_terms(documents: pd.DataFrame, paragraphs: pd.DataFrame) -> set[str]:
    """The part of :func:`allowed_terms` that names people and companies.

    The values of ``Person`` and ``Betrieb``, the document names and the speaker labels. The
    other allowed words (occupations, regions, codes) are still a hit where only a name can
    stand (``Frau Koch``, see :class:`~asaqda.privacy.detect.Detector`).

    Parameters
    ----------
    documents
        Documents with their variables.
    paragraphs
        Transcript paragraphs (``speaker``).

    Returns
    -------
    set of str
    """
    terms: set[str] = set()
    for col in ("Person", "Betrieb"):
        if col in documents:
            terms.update(str(v) for v in documents[col].dropna().unique())
    for name in documents.get("document_name", pd.Series(dtype=str)).dropna():
        terms.update(str(name).replace("_", " ").split())
    if "speaker" in paragraphs:
        terms.update(str(v) for v in paragraphs["speaker"].dropna().unique())
    return terms


def leak_table(texts: pd.DataFrame, detector: Detector, context: int = 40) -> pd.DataFrame:
    """One row per hit in the texts (see the module docstring for the columns).

    Parameters
    ----------
    texts
        Output of :func:`collect_texts`.
    detector
        The configured detector (pseudonym registry, block list).
    context
        Characters of context on either side in ``Auszug``.

    Returns
    -------
    pandas.DataFrame
        Sorted by source, wave, document, paragraph, position; ``Freigabe`` is ``offen``.
    """
    return sort_leaks(find_leaks(texts, detector, context))


def find_leaks(texts: pd.DataFrame, detector: Detector, context: int = 40) -> pd.DataFrame:
    """The hits of :func:`leak_table`, unsorted and with the hit's position in ``_pos``
    (:func:`sort_leaks` sorts them); a text that occurs several times (a segment that is a
    whole paragraph) is scanned once."""
    rows: list[dict[str, object]] = []
    found: dict[str, list] = {}
    every = max(1000, len(texts) // 10)
    for n, r in enumerate(texts.itertuples(index=False), start=1):
        if n % every == 0:
            log.info("Datenschutzprüfung: %d von %d Texten geprüft", n, len(texts))
        text = r.Text
        if text not in found:
            found[text] = detector.find(text)
        for hit in found[text]:
            a, b = max(0, hit.start - context), min(len(text), hit.end + context)
            excerpt = ("…" if a else "") + text[a:b] + ("…" if b < len(text) else "")
            rows.append(
                {
                    "Zitat-ID": r[0],
                    "Quelle": r.Quelle,
                    "Ausgaben": _OUTPUTS.get(r.Quelle, ""),
                    "Welle": r.Welle,
                    "Dokument": r.Dokument,
                    "Absatz": r.Absatz,
                    "Code": r.Code,
                    "Art": hit.kind,
                    "Treffer": hit.text,
                    "Grund": hit.reason,
                    "Auszug": " ".join(excerpt.split()),
                    "Freigabe": "offen",
                    "_pos": hit.start,
                }
            )
    return pd.DataFrame(rows, columns=[*LEAK_COLUMNS, "_pos"])


def sort_leaks(table: pd.DataFrame) -> pd.DataFrame:
    """Hits of :func:`find_leaks` (of one or several waves) in the order of
    :func:`leak_table`, without ``_pos``."""
    if table.empty:
        return table.drop(columns="_pos").reset_index(drop=True)
    source_order = {k: n for n, k in enumerate(_OUTPUTS)}
    table = table.assign(
        _src=table["Quelle"].map(source_order),
        _para=pd.to_numeric(table["Absatz"].astype(str).str.split("-").str[0], errors="coerce"),
    )
    table = table.sort_values(
        ["_src", "Welle", "Dokument", "_para", "Code", "_pos"], kind="stable"
    ).drop(columns=["_pos", "_src", "_para"])
    assert set(table["Art"]) <= set(KINDS)
    return table.reset_index(drop=True)


def read_blocklist(path: Path) -> list[str]:
    """The team's block list of real names: one name per line, ``#`` starts a comment.

    Parameters
    ----------
    path
        A UTF-8 text file kept outside the repository.

    Returns
    -------
    list of str

    Raises
    ------
    InputError
        E040 when the file is missing or not UTF-8 text.
    """
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            Problem(
                "E040",
                f"Die Sperrliste kann nicht gelesen werden ({type(exc).__name__})",
                Location(path.name),
                "Eine Textdatei in UTF-8 angeben, ein Name je Zeile (z. B. mit dem Editor "
                "als 'UTF-8' speichern), und den Pfad bei --sperrliste prüfen",
            )
        ) from None
    out = []
    for line in raw.splitlines():
        entry = line.split("#", 1)[0].strip()
        if len(entry) >= 2:
            out.append(entry)
    return out
