"""A corpus of real-looking MAXQDA tabular exports, written by hand as each version writes them.

Every variant holds the same five coded segments of three documents (two groups) with four
distinct codes, so that each must import with exactly these counts. The column order, header
language, date form, encoding and workbook layout follow the MAXQDA version named in
:data:`VARIANTS`; the public files these mimic are not ours to redistribute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

#: (document group, document name, code, Anfang, Ende, segment, coder, created)
SEGMENTS: list[tuple[str, str, str, int, int, str, str, dt.datetime]] = [
    (
        "Betriebe",
        "U01",
        "Freistellung > keine",
        3,
        3,
        "Nein, wir stellen nicht frei.",
        "MK",
        dt.datetime(2024, 5, 6, 7, 8, 32),
    ),
    (
        "Betriebe",
        "U01",
        "Freistellung > Gründe > Kosten",
        5,
        6,
        "Jede Stunde kostet uns Geld.\nDas geht nicht.",
        "MK",
        dt.datetime(2024, 5, 13, 14, 2, 5),
    ),
    (
        "Betriebe",
        "U02",
        "Freistellung > keine",
        2,
        2,
        "=Freistellung? Gibt es nicht.",
        "JS",
        dt.datetime(2024, 5, 21, 9, 30, 0),
    ),
    (
        "Azubis",
        "A01",
        "Belastung",
        4,
        4,
        "Nach der Arbeit noch lernen, das schafft mich.",
        "JS",
        dt.datetime(2024, 6, 1, 18, 45, 59),
    ),
    (
        "Azubis",
        "A01",
        "Unterstützung > Betrieb",
        7,
        9,
        "Mein Chef hilft mir.",
        "MK",
        dt.datetime(2024, 6, 12, 23, 59, 1),
    ),
]
N_SEGMENTS, N_DOCUMENTS, N_CODES = 5, 3, 4

#: (group, name, Rolle, Betrieb) of the document-variables exports
DOCUMENTS = [
    ("Azubis", "A01", "Auszubildende", "U01"),
    ("Betriebe", "U01", "Ausbildungsbetrieb", "U01"),
    ("Betriebe", "U02", "Ausbildungsbetrieb", "U02"),
]

# MAXQDA 2020-24, German interface: Liste der codierten Segmente > Export > Excel
HEADER_24_DE = [
    "Farbe",
    "Kommentar",
    "Dokumentgruppe",
    "Dokumentname",
    "Code",
    "Anfang",
    "Ende",
    "Gewicht",
    "Segment",
    "Bearbeitet von",
    "Bearbeitet am",
    "Erstellt von",
    "Erstellt am",
    "Fläche",
    "Abdeckungsgrad %",
]
HEADER_24_EN = [
    "Color",
    "Comment",
    "Document group",
    "Document name",
    "Code",
    "Beginning",
    "End",
    "Weight score",
    "Segment",
    "Modified by",
    "Modified",
    "Created by",
    "Created",
    "Area",
    "Coverage %",
]
# MAXQDA 2018, German interface: no 'Bearbeitet' columns, 'Autor'
HEADER_18_DE = [
    "Farbe",
    "Kommentar",
    "Dokumentgruppe",
    "Dokumentname",
    "Code",
    "Anfang",
    "Ende",
    "Gewicht",
    "Segment",
    "Fläche",
    "Abdeckungsgrad %",
    "Autor",
    "Erstellt am",
]


def _row(header: list[str], seg: tuple[Any, ...], created: object, **more: object) -> list[Any]:
    group, name, code, begin, end, text, coder, _ = seg
    values: dict[str, object] = {
        "Farbe": "#FF0000",
        "Color": "#FF0000",
        "Dokumentgruppe": group,
        "Document group": group,
        "Dokumentname": name,
        "Document name": name,
        "Code": code,
        "Anfang": begin,
        "Beginning": begin,
        "Ende": end,
        "End": end,
        "Gewicht": 0,
        "Weight score": 0,
        "Segment": text,
        "Erstellt von": coder,
        "Created by": coder,
        "Autor": coder,
        "Erstellt am": created,
        "Created": created,
        "Bearbeitet von": coder,
        "Modified by": coder,
        "Bearbeitet am": created,
        "Modified": created,
        "Fläche": len(text),
        "Area": len(text),
        "Abdeckungsgrad %": 1.25,
        "Coverage %": 1.25,
    }
    values.update(more)
    return [values.get(h) for h in header]


def _workbook(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(r)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # MAXQDA writes text, never a formula
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _csv(header: list[str], rows: list[list[Any]], sep: str) -> str:
    def field(v: object) -> str:
        text = "" if v is None else str(v)
        if any(c in text for c in (sep, '"', "\n")):
            text = '"' + text.replace('"', '""') + '"'
        return text

    return "\r\n".join(sep.join(field(v) for v in r) for r in [header, *rows]) + "\r\n"


def _us_date(when: dt.datetime) -> str:
    return f"{when.month}/{when.day}/{when.year} {when.hour % 12 or 12}:{when:%M:%S %p}"


def _variables_rows(wave: str, english: bool = False) -> list[list[Any]]:
    head = ["Document group", "Document name"] if english else ["Dokumentgruppe", "Dokumentname"]
    return [head + ["Welle", "Rolle", "Betrieb"]] + [
        [g, n, wave, rolle, betrieb] for g, n, rolle, betrieb in DOCUMENTS
    ]


def maxqda24_de_xlsx(wave_dir: Path, wave: str) -> None:
    """MAXQDA 24 (Windows, German): dates as text ``06.05.24 07:08:32``, document variables
    appended after the standard columns."""
    header = [*HEADER_24_DE, "Rolle"]
    rows = [_row(header, s, s[7].strftime("%d.%m.%y %H:%M:%S"), Rolle="x") for s in SEGMENTS]
    _workbook(wave_dir / "MAXQDA 24 Codierte Segmente.xlsx", {"Codierte Segmente": [header, *rows]})
    _workbook(wave_dir / "Dokumentvariablen.xlsx", {"Dokumentvariablen": _variables_rows(wave)})


def maxqda24_en_xlsx(wave_dir: Path, wave: str) -> None:
    """MAXQDA 24 (macOS, English): real date cells in the workbook."""
    rows = [_row(HEADER_24_EN, s, s[7]) for s in SEGMENTS]
    _workbook(wave_dir / "MAXQDA 24 Coded Segments.xlsx", {"Coded Segments": [HEADER_24_EN, *rows]})
    _workbook(wave_dir / "Document variables.xlsx", {"Sheet1": _variables_rows(wave, True)})


def maxqda22_de_csv(wave_dir: Path, wave: str) -> None:
    """MAXQDA 2022 (German): CSV, ``;``, UTF-8 with BOM, ``06.05.2024 07:08:32``."""
    rows = [_row(HEADER_24_DE, s, s[7].strftime("%d.%m.%Y %H:%M:%S")) for s in SEGMENTS]
    text = _csv(HEADER_24_DE, rows, ";")
    (wave_dir / "Codierte Segmente.csv").write_bytes(text.encode("utf-8-sig"))
    var = _csv(_variables_rows(wave)[0], _variables_rows(wave)[1:], ";")
    (wave_dir / "Dokumentvariablen.csv").write_bytes(var.encode("utf-8-sig"))


def maxqda20_en_csv_us(wave_dir: Path, wave: str) -> None:
    """MAXQDA 2020 (English, US region): CSV with ``,``, ``5/6/2024 7:08:32 AM``, no
    'Document group' column in the segments (the variables export has it)."""
    header = [h for h in HEADER_24_EN if h != "Document group"]
    rows = [_row(header, s, _us_date(s[7])) for s in SEGMENTS]
    (wave_dir / "Retrieved Segments.csv").write_text(_csv(header, rows, ","), encoding="utf-8")
    var_rows = _variables_rows(wave, True)
    (wave_dir / "Document variables.csv").write_text(
        _csv(var_rows[0], var_rows[1:], ","), encoding="utf-8"
    )


def maxqda24_en_csv_mac(wave_dir: Path, wave: str) -> None:
    """MAXQDA 24 (macOS 13+, English, US region): CSV with ``,``, dates in the macOS short
    style ``5/6/24, 7:08:32\u202fAM`` (comma, two-digit year, narrow no-break space)."""

    def mac(when: dt.datetime) -> str:
        hour = when.hour % 12 or 12
        return f"{when.month}/{when.day}/{when:%y}, {hour}:{when:%M:%S}\u202f{when:%p}"

    rows = [_row(HEADER_24_EN, s, mac(s[7])) for s in SEGMENTS]
    (wave_dir / "Coded Segments.csv").write_text(_csv(HEADER_24_EN, rows, ","), encoding="utf-8")
    var_rows = _variables_rows(wave, True)
    (wave_dir / "Document variables.csv").write_text(
        _csv(var_rows[0], var_rows[1:], ","), encoding="utf-8"
    )


def maxqda20_en_csv_uk(wave_dir: Path, wave: str) -> None:
    """MAXQDA 2020 (English, UK region): ``13/05/2024 14:02`` (day first, 24-hour clock)."""
    rows = [_row(HEADER_24_EN, s, s[7].strftime("%d/%m/%Y %H:%M")) for s in SEGMENTS]
    (wave_dir / "Retrieved Segments.csv").write_text(
        _csv(HEADER_24_EN, rows, ","), encoding="utf-8"
    )
    _workbook(wave_dir / "variables.xlsx", {"Sheet1": _variables_rows(wave, True)})


def maxqda18_de_xlsx(wave_dir: Path, wave: str) -> None:
    """MAXQDA 2018 (German): backslash code paths, 'Autor', dates as Excel serial numbers."""
    rows = []
    for s in SEGMENTS:
        serial = (s[7] - dt.datetime(1899, 12, 30)).total_seconds() / 86400
        rows.append(_row(HEADER_18_DE, s, serial, Code=s[2].replace(" > ", "\\")))
    _workbook(wave_dir / "Liste der codierten Segmente.xlsx", {"Tabelle1": [HEADER_18_DE, *rows]})
    _workbook(wave_dir / "Variablen.xlsx", {"Tabelle1": _variables_rows(wave)})


def resaved_with_pivot(wave_dir: Path, wave: str) -> None:
    """A MAXQDA 24 export re-saved in Excel with a pivot sheet in front, and the variables
    saved by Excel as 'Unicode-Text' (UTF-16 LE with BOM, tab-separated)."""
    rows = [_row(HEADER_24_DE, s, s[7].strftime("%d.%m.%y %H:%M:%S")) for s in SEGMENTS]
    pivot = [
        ["Anzahl von Code", "Spaltenbeschriftungen"],
        ["Zeilenbeschriftungen", "MK", "JS", "Gesamtergebnis"],
        ["Betriebe", 2, 1, 3],
        ["Azubis", 1, 1, 2],
    ]
    _workbook(
        wave_dir / "Segmente ausgewertet.xlsx",
        {"Pivot": pivot, "Codierte Segmente": [HEADER_24_DE, *rows], "Notizen": [["Stand Mai"]]},
    )
    var = _csv(_variables_rows(wave)[0], _variables_rows(wave)[1:], "\t")
    (wave_dir / "Dokumentvariablen.csv").write_bytes(b"\xff\xfe" + var.encode("utf-16-le"))


def project_workbook(wave_dir: Path, wave: str) -> None:
    """MAXQDA 24's project workbook (``*.mx24.xlsx``): a dozen sheets, among them the coded
    segments and the data editor of the document variables; other sheets also carry
    'Dokumentgruppe'/'Dokumentname' and must not be taken for variables."""
    seg_rows = [_row(HEADER_24_DE, s, s[7].strftime("%d.%m.%y %H:%M:%S")) for s in SEGMENTS]
    documents = [["Dokumentgruppe", "Dokumentname", "Codings", "Memos", "Erstellt von"]] + [
        [g, n, 1, 0, "MK"] for g, n, _, _ in DOCUMENTS
    ]
    sheets = {
        "Projekt": [["Projekt", "AsA flex"], ["Erstellt am", "06.05.24 07:00:00"]],
        "Dokumente": documents,
        "Codesystem": [["Code", "Farbe", "Codings"], ["Belastung", "#00A000", 1]],
        "Codierte Segmente": [HEADER_24_DE, *seg_rows],
        "Memos": [
            ["Dokumentgruppe", "Dokumentname", "Code", "Titel", "Memo"],
            ["Betriebe", "U01", "", "Erstkontakt", "Termin verschoben"],
        ],
        "Zusammenfassungen": [
            ["Dokumentgruppe", "Dokumentname", "Code", "Zusammenfassung"],
            ["Betriebe", "U01", "Belastung", "keine"],
        ],
        "Paraphrasen": [
            ["Dokumentgruppe", "Dokumentname", "Anfang", "Ende", "Paraphrase"],
            ["Azubis", "A01", 4, 4, "Doppelbelastung"],
        ],
        "Dateneditor (Dokumentvariablen)": _variables_rows(wave),
        "Dateneditor (Codevariablen)": [["Code", "Kategorieart"], ["Belastung", "induktiv"]],
        "Dokumentlinks": [],
        "Benutzer": [["Benutzer", "Rechte"], ["MK", "Admin"], ["JS", "Codierer"]],
        "Wortwolke": [["Wort", "Häufigkeit"], ["Betrieb", 12]],
    }
    _workbook(wave_dir / "AsA flex.mx24.xlsx", sheets)


def renamed_workbook(wave_dir: Path, wave: str) -> None:
    """A MAXQDA 24 workbook that someone renamed to ``.csv``."""
    header = HEADER_24_DE
    rows = [_row(header, s, s[7].strftime("%d.%m.%y %H:%M:%S")) for s in SEGMENTS]
    real = _workbook(wave_dir / "tmp.xlsx", {"Codierte Segmente": [header, *rows]})
    real.rename(wave_dir / "Codierte Segmente.csv")
    _workbook(wave_dir / "Dokumentvariablen.xlsx", {"Dokumentvariablen": _variables_rows(wave)})


#: variant -> (writer, expected source_sheet of the segments, expected import notes contain)
VARIANTS: dict[str, tuple[Callable[[Path, str], None], str, str]] = {
    "maxqda24_de_xlsx": (maxqda24_de_xlsx, "Codierte Segmente", ""),
    "maxqda24_en_xlsx": (maxqda24_en_xlsx, "Coded Segments", ""),
    "maxqda22_de_csv": (maxqda22_de_csv, "", ""),
    "maxqda20_en_csv_us": (maxqda20_en_csv_us, "", "ohne Dokumentgruppe"),
    "maxqda20_en_csv_uk": (maxqda20_en_csv_uk, "", ""),
    "maxqda24_en_csv_mac": (maxqda24_en_csv_mac, "", ""),
    "maxqda18_de_xlsx": (maxqda18_de_xlsx, "Tabelle1", ""),
    "resaved_with_pivot": (resaved_with_pivot, "Codierte Segmente", "UTF-16 (Little Endian)"),
    "project_workbook": (project_workbook, "Codierte Segmente", "übersprungen"),
    "renamed_workbook": (renamed_workbook, "Codierte Segmente", "Endung .csv"),
}
