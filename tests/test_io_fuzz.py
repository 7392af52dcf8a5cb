"""Fuzzing the table readers: malformed files, rows and cells give InputError, nothing else.

Random bytes, truncated or tampered workbooks, wrong cell types, empty and huge cells and
formula text are thrown at the reading, recognition and parsing of coded-segments and
document-variables exports. Any other exception (a traceback for the user) fails the test.
"""

from __future__ import annotations

import datetime as dt
import io
import tempfile
import zipfile
from pathlib import Path

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asaqda.errors import InputError
from asaqda.io.exports import recognise_tables
from asaqda.io.headers import SEGMENT_ALIASES
from asaqda.io.officefiles import write_xlsx
from asaqda.io.segments import parse_segments
from asaqda.io.tables import RawTable
from asaqda.io.variables import KNOWN_VARIABLES, parse_variables

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

EDGE_NUMBERS = st.sampled_from(
    [2**63, -(2**63) - 1, 10**20, 1e20, 1e308, -0.0, 1.5, "1e999", "99999999999"]
)
HEADERS = [a for names in SEGMENT_ALIASES.values() for a in names] + list(KNOWN_VARIABLES)
cells = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(["=SUMME(A1:A9)", "+1", "-2", "@x", "  ", "06.05.24 07:08:32", "3: 120"]),
    st.text(min_size=5000, max_size=20000, alphabet="ab\n;,\t\"'"),
    st.integers(min_value=-(10**20), max_value=10**20),
    EDGE_NUMBERS,
    EDGE_NUMBERS,
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.datetimes(min_value=dt.datetime(1, 1, 1), max_value=dt.datetime(9999, 12, 31)),
    st.dates(),
    st.times(),
    st.timedeltas(),
)
headers = st.lists(
    st.one_of(st.sampled_from(HEADERS), st.text(max_size=12)), min_size=1, max_size=14
)


def _parse(table: RawTable) -> None:
    for parse in (parse_segments, parse_variables):
        try:
            parse(table)
        except InputError:
            pass


def _read(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"export{suffix}"
        path.write_bytes(data)
        try:
            found = recognise_tables(path, f"2023-1/export{suffix}")
        except InputError as exc:
            assert "\x00" not in str(exc)
            return
        for _, table in found.tables:
            _parse(table)


@FUZZ
@given(header=headers, rows=st.lists(st.lists(cells, max_size=16), max_size=6))
def test_fuzz_parsers_raise_only_input_errors(header: list[str], rows: list[list[object]]) -> None:
    _parse(RawTable("2023-1/s.xlsx", "Liste", header, rows))


SEGMENT_HEADER = [names[0] for names in SEGMENT_ALIASES.values()]
VARIABLE_HEADER = ["Dokumentgruppe", "Dokumentname", *KNOWN_VARIABLES]


GOOD_ROWS = {
    "segments": [
        ["#FF0000", "", "Betriebe", "U01", "A > B", 1, 2, 0, "Text", "MK", "06.05.24 07:08:32"]
        + ["MK", "06.05.24 07:08:32", 4, 1.5],
        SEGMENT_HEADER,
    ],
    "variables": [
        ["Betriebe", "U01", "2023-1", "U01", "Jobcenter", "U01", "ja", 1, "Kleinbetrieb"]
        + ["Nord", "Typ I", "Koch", 7],
        VARIABLE_HEADER,
    ],
}


@settings(FUZZ, max_examples=300)
@given(
    kind=st.sampled_from(sorted(GOOD_ROWS)),
    changes=st.lists(
        st.dictionaries(st.integers(min_value=0, max_value=14), cells, min_size=1, max_size=2),
        max_size=6,
    ),
)
def test_fuzz_good_rows_with_a_few_bad_cells_raise_only_input_errors(
    kind: str, changes: list[dict[int, object]]
) -> None:
    good, header = GOOD_ROWS[kind]
    rows = []
    for change in changes:
        row = list(good)
        for idx, value in change.items():
            if idx < len(row):
                row[idx] = value
        rows.append(row)
    for row in rows:  # alone, so that no other bad cell stops the parser before it
        _parse(RawTable("2023-1/s.csv", None, header, [row]))
    _parse(RawTable("2023-1/s.csv", None, header, rows or [list(good)]))


@FUZZ
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_fuzz_random_bytes_raise_only_input_errors(data: bytes, suffix: str) -> None:
    _read(data, suffix)


@FUZZ
@given(
    prefix=st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04"]),
    text=st.text(
        alphabet=st.sampled_from(list("Code;Segment,Anfang\tEnde\n\r\"'=x1é\x00")), max_size=400
    ),
    encoding=st.sampled_from(["utf-8", "utf-16-le", "utf-16-be", "cp1252"]),
)
def test_fuzz_malformed_csv_raise_only_input_errors(
    prefix: bytes, text: str, encoding: str
) -> None:
    _read(prefix + text.encode(encoding, errors="replace"), ".csv")


def _real_workbook() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        frame = pd.DataFrame(
            {"Dokumentname": ["U01"], "Code": ["A"], "Anfang": [1], "Ende": [1], "Segment": ["x"]}
        )
        return write_xlsx(Path(tmp) / "a.xlsx", {"Liste": frame}).read_bytes()


WORKBOOK = _real_workbook()


@FUZZ
@given(
    cut=st.integers(min_value=0, max_value=len(WORKBOOK)), suffix=st.sampled_from([".xlsx", ".csv"])
)
def test_fuzz_truncated_workbook_raises_only_input_errors(cut: int, suffix: str) -> None:
    _read(WORKBOOK[:cut], suffix)


@FUZZ
@given(
    member=st.sampled_from(
        [
            "xl/worksheets/sheet1.xml",
            "xl/workbook.xml",
            "xl/sharedStrings.xml",
            "[Content_Types].xml",
        ]
    ),
    junk=st.binary(max_size=300) | st.sampled_from([b"<x", b"<?xml version='1.0'?><a>&b;</a>"]),
)
def test_fuzz_tampered_workbook_member_raises_only_input_errors(member: str, junk: bytes) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(WORKBOOK)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, junk if info.filename == member else src.read(info))
    _read(out.getvalue(), ".xlsx")
