"""Decode a CSV export and split it into records: encodings, delimiters, Excel's hints.

MAXQDA writes UTF-8 (with or without BOM) with ``;`` on German systems and ``,`` elsewhere.
Excel re-saves as Windows-1252 ("CSV (Trennzeichen-getrennt)") or as UTF-16 little endian with
BOM and tabs ("Unicode-Text"), and may put a ``sep=;`` line above the header. Each is read, with
a note that says how; a binary file is reported as such, never by printing its bytes.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from dataclasses import dataclass

from asaqda.errors import InputError, Location, Problem
from asaqda.io.values import printable

__all__ = ["CsvText", "parse_csv"]

log = logging.getLogger(__name__)

_SEP_HINT = re.compile(r"sep=(.)")
_MAX_FIELD = 64 * 1024 * 1024
# control characters other than tab and line breaks, and bytes that no code page knows
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


@dataclass
class CsvText:
    """The records of a CSV file; ``header_row`` is the header's row as Excel shows it."""

    records: list[list[str]]
    header_row: int
    note: str | None


def _decode(raw: bytes, name: str) -> tuple[str, str | None]:
    """The text of a CSV file and a note on its encoding (``None`` for plain UTF-8)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        big = raw.startswith(b"\xfe\xff")
        try:
            text = raw.decode("utf-16")  # the BOM tells the byte order
        except UnicodeDecodeError as exc:
            raise InputError(
                Problem(
                    "E002",
                    f"die Datei beginnt als UTF-16-Text, ist aber an Byte {exc.start} beschädigt",
                    Location(name),
                    "die Tabelle in MAXQDA erneut als CSV (UTF-8) exportieren",
                )
            ) from exc
        order = "Big Endian" if big else "Little Endian"
        return text, f"Als UTF-16 ({order}) gelesen (Excel 'Unicode-Text')."
    sample = raw[:4096]
    if b"\x00" in sample:
        # UTF-16 without BOM: every other byte of ASCII text is zero
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if max(even, odd) > len(sample) // 4 and min(even, odd) == 0:
            codec = "utf-16-le" if odd > even else "utf-16-be"
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                pass
            else:
                order = "Little Endian" if codec.endswith("le") else "Big Endian"
                return text, f"Als UTF-16 ({order}, ohne BOM) gelesen."
        raise InputError(
            Problem(
                "E002",
                "die Datei ist keine Textdatei (CSV), sondern binär (sie enthält Null-Bytes)",
                Location(name),
                "die Tabelle in MAXQDA erneut als CSV (UTF-8) oder Excel-Datei (.xlsx) exportieren",
            )
        )
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        note = "Nicht UTF-8; als Windows-1252 gelesen (Excel 'CSV (Trennzeichen-getrennt)')."
        log.warning("%s: %s", name, note)
        return raw.decode("cp1252", errors="replace"), note


def _delimiter(first_line: str) -> str:
    # Excel's "Unicode-Text" separates by tabs, German MAXQDA by ';', English by ','
    counts = {d: first_line.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


def parse_csv(raw: bytes, name: str) -> CsvText:
    """Decode a CSV file and split it into records.

    Parameters
    ----------
    raw
        The bytes of the file.
    name
        How the file is named in messages.

    Returns
    -------
    CsvText
        The records (header first), the row number of the header as Excel shows it, and the
        encoding note (``None`` for plain UTF-8).

    Raises
    ------
    InputError
        E002 binary or unparsable, E004 only whitespace.
    """
    text, note = _decode(raw, name)
    text = text.lstrip("\ufeff")
    sample = text[:4096]
    if len(_BINARY.findall(sample)) > max(2, len(sample) // 100):
        raise InputError(
            Problem(
                "E002",
                "die Datei ist keine Textdatei (CSV), sondern binär (sie enthält Steuerzeichen)",
                Location(name),
                "die Tabelle in MAXQDA erneut als CSV (UTF-8) oder Excel-Datei (.xlsx) exportieren",
            )
        )
    if not text.strip():
        raise InputError(
            Problem(
                "E004",
                "die Datei enthält nur Leerraum",
                Location(name),
                "die Tabelle in MAXQDA erneut exportieren",
            )
        )
    first_line, _, rest = text.partition("\n")
    hint = _SEP_HINT.fullmatch(first_line.strip())
    header_row = 1
    if hint:  # Excel's "sep=;" line names the delimiter and precedes the header
        delimiter, text, header_row = hint.group(1), rest, 2
    else:
        delimiter = _delimiter(first_line)
    # a coded segment may be a whole interview: allow fields beyond csv's 128 KiB default
    csv.field_size_limit(max(csv.field_size_limit(), _MAX_FIELD))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(
            Problem(
                "E002",
                f"die CSV-Datei kann nicht zerlegt werden ({printable(str(exc), 120)})",
                Location(name),
                "in MAXQDA erneut als CSV (UTF-8) exportieren",
            )
        ) from exc
    return CsvText(records, header_row, note)
