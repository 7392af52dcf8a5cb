"""Consistent pseudonymisation of transcripts and coded-segment exports across waves.

A mapping file kept outside the repository (CSV, UTF-8, columns ``Original``, ``Pseudonym``,
``Art``) says what replaces what. Every run first applies the mapping, then looks for personal
data the mapping does not know yet (the leak detector) and appends a new pseudonym for each
(``[Name 1]``, ``[Betrieb 1]``, ``[Ort 1]``, ``[Telefon 1]`` ...). An entry whose pseudonym
equals the original keeps the word (a false hit a person has looked at).

What stays aligned: a transcript keeps its paragraphs (one replaced paragraph for one
paragraph, no line added or removed), and the ``Segment`` column of a coded-segments export
gets the same replacements, so MAXQDA's paragraph positions and the segment texts still match.
The pseudonyms contain no letters the detector takes for a name, so a second run finds nothing
new and changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from asaqda.errors import InputError, Location, Problem, ProblemList
from asaqda.privacy.detect import Detector, Hit

__all__ = [
    "MAPPING_COLUMNS",
    "Mapping",
    "read_mapping",
    "write_mapping",
    "pseudonymise_text",
    "pseudonymise_folder",
    "PseudonymReport",
    "registry_terms",
]

MAPPING_COLUMNS = ["Original", "Pseudonym", "Art"]
_LABEL = {
    "Person": "Name",
    "Sperrliste": "Name",
    "Betrieb": "Betrieb",
    "Ort": "Ort",
    "Adresse": "Adresse",
    "Telefon": "Telefon",
    "E-Mail": "E-Mail",
    "Geburtsdatum": "Datum",
    "Kennnummer": "Nummer",
}
_SURE = ("Name nach", "Vorname", "Name vor einer Rechtsform", "steht auf der Sperrliste")


@dataclass
class Mapping:
    """Original -> pseudonym, with the kind; ``new`` lists the entries added in this run."""

    entries: dict[str, tuple[str, str]] = field(default_factory=dict)
    new: list[str] = field(default_factory=list)

    def pseudonym_for(self, original: str, kind: str) -> str:
        """The pseudonym of ``original``; a new one (next free number of its label) if unknown."""
        if original in self.entries:
            return self.entries[original][0]
        label = _LABEL.get(kind, "Name")
        used = {p for p, _ in self.entries.values()}
        n = 1
        while f"[{label} {n}]" in used:
            n += 1
        self.entries[original] = (f"[{label} {n}]", kind)
        self.new.append(original)
        return self.entries[original][0]

    def pattern(self) -> re.Pattern[str] | None:
        """One regular expression of all originals (longest first; genitive ``s`` included)."""
        keys = sorted((k for k, (p, _) in self.entries.items() if p != k), key=len, reverse=True)
        if not keys:
            return None
        alt = "|".join(re.escape(k) for k in keys)
        return re.compile(rf"(?<![\w\[])({alt})(?:s|'|’)?(?![\w\]])")


def _cell(value: object) -> str:
    """A CSV cell as stripped text (a short row gives None, an overlong one a list)."""
    if isinstance(value, list):
        value = ",".join(str(v) for v in value)
    return str(value).strip() if value is not None else ""


def read_mapping(path: Path) -> Mapping:
    """The mapping file (missing file: empty mapping).

    Parameters
    ----------
    path
        CSV with ``Original``, ``Pseudonym``, ``Art`` (``;`` or ``,`` separated, UTF-8).

    Returns
    -------
    Mapping

    Raises
    ------
    InputError
        E042 when a column is missing, a row lacks its pseudonym or an original is mapped
        twice to different pseudonyms.
    """
    mapping = Mapping()
    if not path.exists():
        return mapping
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            Problem(
                "E042",
                f"Die Zuordnungsdatei kann nicht gelesen werden ({type(exc).__name__})",
                Location(path.name),
                "eine CSV-Datei in UTF-8 mit den Spalten 'Original;Pseudonym;Art' angeben "
                "(in Excel: 'CSV UTF-8' speichern)",
            )
        ) from None
    first = raw.splitlines()[0] if raw.strip() else ","
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(first, delimiters=";,")
    except csv.Error:
        dialect = csv.excel  # a header of one column: the missing-column check below reports it
    try:
        parsed = csv.DictReader(io.StringIO(raw), dialect=dialect)
        rows = list(parsed)
        fieldnames = [f for f in (parsed.fieldnames or []) if isinstance(f, str)]
    except csv.Error as exc:
        raise InputError(
            Problem(
                "E042",
                f"Die Zuordnungsdatei ist keine lesbare CSV-Datei ({exc})",
                Location(path.name),
                "die Datei in Excel öffnen und als 'CSV UTF-8' neu speichern",
            )
        ) from None
    missing = [c for c in MAPPING_COLUMNS if c not in fieldnames]
    if missing:
        raise InputError(
            Problem(
                "E042",
                f"Spalte '{missing[0]}' fehlt in der Zuordnungsdatei",
                Location(path.name, row=1),
                "die Kopfzeile 'Original;Pseudonym;Art' eintragen",
            )
        )
    for n, row in enumerate(rows, start=2):
        original = _cell(row.get("Original"))
        pseudonym = _cell(row.get("Pseudonym"))
        if not original:
            continue
        if not pseudonym:
            raise InputError(
                Problem(
                    "E042",
                    f"'{original}' hat kein Pseudonym",
                    Location(path.name, row=n, column="Pseudonym"),
                    "ein Pseudonym eintragen oder die Zeile löschen",
                )
            )
        if original in mapping.entries and mapping.entries[original][0] != pseudonym:
            raise InputError(
                Problem(
                    "E042",
                    f"'{original}' hat zwei verschiedene Pseudonyme",
                    Location(path.name, row=n, column="Pseudonym"),
                    "eine der beiden Zeilen löschen: ein Name hat in allen Wellen ein Pseudonym",
                )
            )
        mapping.entries[original] = (pseudonym, _cell(row.get("Art")))
    return mapping


def write_mapping(mapping: Mapping, path: Path) -> Path:
    """Write the mapping (existing rows first, in their order, new rows appended)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(
        [(o, p, k) for o, (p, k) in mapping.entries.items()], columns=MAPPING_COLUMNS
    )
    tmp = path.with_name(f".{path.name}.part")
    frame.to_csv(tmp, index=False, sep=";", lineterminator="\n")
    tmp.replace(path)
    return path


@dataclass
class PseudonymReport:
    """What a run replaced (original -> count) and what it was unsure about."""

    replaced: dict[str, int] = field(default_factory=dict)
    unsure: dict[str, str] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)


def _learn(text: str, detector: Detector, mapping: Mapping, report: PseudonymReport) -> None:
    for hit in detector.find(text):
        original = _key(hit)
        if not original or original.startswith("["):
            continue
        if original not in mapping.entries:
            mapping.pseudonym_for(original, hit.kind)
            if not hit.reason.startswith(_SURE):
                report.unsure[original] = hit.reason


def _key(hit: Hit) -> str:
    text = hit.text.strip(" ,.;:")
    if hit.kind in {"Person", "Ort", "Sperrliste"} and re.search(r"\w(s|'|’)$", text):
        stem = text[:-1]
        if len(stem) >= 3 and hit.kind != "Ort":
            return stem  # Müllers -> Müller (the pattern adds the genitive back)
    return text


def pseudonymise_text(text: str, mapping: Mapping, report: PseudonymReport | None = None) -> str:
    """Replace every original of the mapping in ``text`` (the mapping is not extended).

    Parameters
    ----------
    text
        One paragraph or segment.
    mapping
        The mapping.
    report
        Counts of replacements are added here.

    Returns
    -------
    str
    """
    pattern = mapping.pattern()
    if pattern is None or not text:
        return text

    def repl(m: re.Match[str]) -> str:
        if report is not None:
            report.replaced[m.group(1)] = report.replaced.get(m.group(1), 0) + 1
        return mapping.entries[m.group(1)][0]

    return pattern.sub(repl, text)


# --- files ---------------------------------------------------------------------------------


def _txt_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8-sig").splitlines(keepends=True)


def _docx_paragraphs(doc: object) -> Iterable[object]:
    yield from doc.paragraphs  # type: ignore[attr-defined]
    for table in doc.tables:  # type: ignore[attr-defined]
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def _set_paragraph_text(paragraph: object, text: str) -> None:
    runs = paragraph.runs  # type: ignore[attr-defined]
    if not runs:
        return
    runs[0].text = text
    for run in runs[1:]:
        run.text = ""


def _segment_tables(path: Path) -> list[tuple[object, int]]:
    """(worksheet, column index of 'Segment') of every sheet of a coded-segments export."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = []
    for ws in wb.worksheets:
        header = [str(c.value).strip() if c.value is not None else "" for c in ws[1]]
        if "Segment" in header:
            out.append((ws, header.index("Segment") + 1))
    return [(wb, 0)] + out if out else []


def _texts_of(path: Path) -> list[str]:
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return _txt_lines(path)
    if suffix == ".docx":
        import docx

        return [p.text for p in _docx_paragraphs(docx.Document(str(path)))]
    if suffix == ".xlsx":
        found = _segment_tables(path)
        return [
            str(ws.cell(r, col).value or "")  # type: ignore[attr-defined]
            for ws, col in found[1:]
            for r in range(2, ws.max_row + 1)  # type: ignore[attr-defined]
        ]
    if suffix == ".csv":
        frame = _read_csv(path)
        return [] if frame is None else frame[0]["Segment"].fillna("").tolist()
    return []


def _read_csv(path: Path) -> tuple[pd.DataFrame, str] | None:
    raw = path.read_text(encoding="utf-8-sig")
    first = raw.splitlines()[0] if raw else ""
    sep = ";" if first.count(";") >= first.count(",") else ","
    frame = pd.read_csv(io.StringIO(raw), sep=sep, dtype=str, keep_default_na=False)
    return (frame, sep) if "Segment" in frame.columns else None


def _write_pseudonymised(src: Path, dst: Path, mapping: Mapping, report: PseudonymReport) -> bool:
    """Write ``src`` pseudonymised to ``dst``; False when the file is copied unchanged."""
    suffix = src.suffix.lower()
    dst.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".txt":
        lines = [pseudonymise_text(line, mapping, report) for line in _txt_lines(src)]
        dst.write_text("".join(lines), encoding="utf-8")
        return True
    if suffix == ".docx":
        import docx

        from asaqda.io.officefiles import save_docx

        document = docx.Document(str(src))
        for p in _docx_paragraphs(document):
            new = pseudonymise_text(p.text, mapping, report)  # type: ignore[attr-defined]
            if new != p.text:  # type: ignore[attr-defined]
                _set_paragraph_text(p, new)
        save_docx(document, dst)
        return True
    if suffix == ".xlsx":
        found = _segment_tables(src)
        if found:
            wb = found[0][0]
            for ws, col in found[1:]:
                for r in range(2, ws.max_row + 1):  # type: ignore[attr-defined]
                    cell = ws.cell(r, col)  # type: ignore[attr-defined]
                    if isinstance(cell.value, str):
                        new = pseudonymise_text(cell.value, mapping, report)
                        if new != cell.value:
                            cell.value = new
                            cell.data_type = "s"  # text stays text, never a formula
            wb.save(dst)  # type: ignore[attr-defined]
            return True
    if suffix == ".csv":
        parsed = _read_csv(src)
        if parsed is not None:
            frame, sep = parsed
            frame["Segment"] = [pseudonymise_text(t, mapping, report) for t in frame["Segment"]]
            frame.to_csv(dst, sep=sep, index=False, lineterminator="\n", encoding="utf-8")
            return True
    shutil.copy2(src, dst)
    return False


def pseudonymise_folder(
    source: Path, target: Path, mapping_file: Path, detector: Detector
) -> PseudonymReport:
    """Pseudonymise every transcript and coded-segments export under ``source`` into
    ``target`` (same relative paths; other files copied unchanged) and extend the mapping.

    Parameters
    ----------
    source
        A wave folder, an input folder with wave folders, or a single file.
    target
        Output folder (must not be ``source``).
    mapping_file
        The mapping CSV; created when missing, new pseudonyms appended.
    detector
        Finds the names the mapping does not know yet (with the pseudonym registry).

    Returns
    -------
    PseudonymReport
    """
    mapping = read_mapping(mapping_file)
    report = PseudonymReport()
    files = [source] if source.is_file() else sorted(p for p in source.rglob("*") if p.is_file())
    base = source.parent if source.is_file() else source
    problems = ProblemList()
    texts: dict[Path, list[str]] = {}
    for path in files:
        try:
            texts[path] = _texts_of(path)
        except Exception as exc:  # noqa: BLE001 - any file that cannot be parsed is an input problem
            problems.add(
                "E043",
                f"Die Datei kann nicht gelesen werden ({type(exc).__name__}); nichts wurde "
                "geschrieben",
                Location(str(path.relative_to(base)) if path != base else path.name),
                "die Datei in Word bzw. Excel öffnen und als .docx/.xlsx neu speichern "
                "(Textdateien als UTF-8), oder sie aus dem Eingabeordner nehmen",
            )
    problems.raise_if_any(InputError)
    for path in files:
        for text in texts[path]:
            _learn(text, detector, mapping, report)
    for path in files:
        if _write_pseudonymised(path, target / path.relative_to(base), mapping, report):
            report.files.append(str(path.relative_to(base)))
    if mapping.new or not mapping_file.exists():
        write_mapping(mapping, mapping_file)
    return report


def registry_terms(source: Path) -> set[str]:
    """The study's own vocabulary under ``source``: every value of the document-variable
    exports (``Person``, ``Betrieb``, ...) and the document names and codes of the
    coded-segments exports; never replaced.

    Parameters
    ----------
    source
        Folder (or file) to pseudonymise.

    Returns
    -------
    set of str
    """
    from asaqda.io.tables import read_table

    files = [source] if source.is_file() else sorted(source.rglob("*"))
    terms: set[str] = set()
    for path in files:
        if path.suffix.lower() not in {".xlsx", ".csv"} or not path.is_file():
            continue
        try:
            table = read_table(path)
        except Exception:  # noqa: BLE001 - unreadable files are reported by pseudonymise_folder
            continue
        header = [h.strip() for h in table.header]
        keep = (
            [i for i, h in enumerate(header) if h in {"Dokumentname", "Code", "Dokumentgruppe"}]
            if "Segment" in header
            else list(range(len(header)))
        )
        for row in table.rows:
            for i in keep:
                if i < len(row) and row[i] is not None and str(row[i]).strip():
                    terms.add(str(row[i]).strip())
    return terms
