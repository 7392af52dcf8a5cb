"""Header alias table: German and English MAXQDA headers, matched by name."""

from __future__ import annotations

import pytest

from asaqda.demo.writers import SEGMENT_HEADERS_DE, SEGMENT_HEADERS_EN
from asaqda.errors import InputError, Location
from asaqda.io.headers import (
    SEGMENT_ALIASES,
    SEGMENT_REQUIRED,
    classify_header,
    map_headers,
)


@pytest.mark.parametrize(
    "header", [SEGMENT_HEADERS_DE, SEGMENT_HEADERS_EN, list(reversed(SEGMENT_HEADERS_EN))]
)
def test_headers_german_english_and_any_order(header: list[str]) -> None:
    fields, extra = map_headers(header, SEGMENT_ALIASES, SEGMENT_REQUIRED, Location("x"), "export")
    assert set(fields) == set(SEGMENT_ALIASES)
    assert header[fields["document_name"]] in ("Dokumentname", "Document name")
    assert extra == {}


def test_headers_older_variants_and_extra_columns_kept() -> None:
    header = [
        "Dokumentgruppe",
        "document  NAME ",
        "Code",
        "Begin",
        "End",
        "Segment",
        "Autor",
        "Other codes assigned to segment",
        "Rolle",
    ]
    fields, extra = map_headers(header, SEGMENT_ALIASES, SEGMENT_REQUIRED, Location("x"), "export")
    assert fields["created_by"] == 6
    assert fields["begin"] == 3
    assert extra == {"Other codes assigned to segment": 7, "Rolle": 8}


def test_headers_missing_column_names_file_sheet_and_what_was_found() -> None:
    header = ["Dokumentgruppe", "Dokumentname", "Code", "Anfang", "Segment"]
    with pytest.raises(InputError) as err:
        map_headers(
            header,
            SEGMENT_ALIASES,
            SEGMENT_REQUIRED,
            Location("2023-1/segmente.xlsx", "Liste"),
            "Export der codierten Segmente",
        )
    msg = str(err.value)
    assert err.value.code == "E001"
    assert "Spalte 'Ende' (oder 'End') fehlt" in msg
    assert "'2023-1/segmente.xlsx', Blatt 'Liste', Zeile 1" in msg
    assert "Gefunden: 'Dokumentgruppe', 'Dokumentname', 'Code', 'Anfang', 'Segment'" in msg


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (SEGMENT_HEADERS_DE, "segments"),
        (SEGMENT_HEADERS_EN, "segments"),
        (["Dokumentgruppe", "Dokumentname", "Welle", "Rolle"], "variables"),
        (["Document group", "Document name", "Welle"], "variables"),
        (["Name", "Vorname"], None),
    ],
)
def test_headers_classify_by_content(header: list[str], kind: str | None) -> None:
    assert classify_header(header) == kind
