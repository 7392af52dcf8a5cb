"""Parse a MAXQDA document-variables export: one row per document, matched on group + name.

Known variables of the research design (``kategoriensystem.md`` section C) are recognised
case-insensitively, renamed to their canonical spelling and checked: ``Welle`` (JJJJ-1/JJJJ-2),
``Rolle`` and ``Betriebsgröße`` (closed lists), ``Panel`` (ja/nein), ``Panelwelle`` (1-3),
``WAS`` (0-10). Every other column is kept as a text variable under its own name.
"""

from __future__ import annotations

import difflib
import re
from typing import Any

import pandas as pd

from asaqda.errors import InputError, Location, Problem, ProblemList
from asaqda.io.headers import (
    VARIABLE_ALIASES,
    VARIABLE_REQUIRED,
    column_letter,
    map_headers,
    normalise_header,
)
from asaqda.io.names import nfc
from asaqda.io.tables import RawTable
from asaqda.io.values import cell_text, printable

__all__ = [
    "KNOWN_VARIABLES",
    "ROLES",
    "COMPANY_SIZES",
    "WAVE_PATTERN",
    "parse_variables",
    "fill_missing_groups",
    "VARIABLE_SPELLINGS",
]

KNOWN_VARIABLES = (
    "Welle",
    "Person",
    "Rolle",
    "Betrieb",
    "Panel",
    "Panelwelle",
    "Betriebsgröße",
    "Region",
    "Arbeitsmarkttyp",
    "Ausbildungsberuf",
    "WAS",
)
ROLES = (
    "Auszubildende",
    "Ausbildungsbetrieb",
    "Bildungsdienstleister",
    "Berufsschule",
    "Agentur für Arbeit",
    "Jobcenter",
)
COMPANY_SIZES = ("Kleinstbetrieb", "Kleinbetrieb", "Mittlerer Betrieb", "Großbetrieb")
WAVE_PATTERN = re.compile(r"^20\d\d-[12]$")
_CANONICAL = {normalise_header(v): v for v in KNOWN_VARIABLES}
_CANONICAL[normalise_header("Betriebsgroesse")] = "Betriebsgröße"
#: normalised header -> variable, for notes on two spellings of one variable
VARIABLE_SPELLINGS: dict[str, str] = dict(_CANONICAL)


def parse_variables(table: RawTable) -> pd.DataFrame:
    """Turn a document-variables export into one row per document.

    Returns
    -------
    pandas.DataFrame
        ``document_group`` (empty if the export has no such column), ``document_name``, one
        column per variable (text; ``Panelwelle``
        as Int64, ``WAS`` as Float64), ``variables_file``, ``variables_row``.

    Raises
    ------
    InputError
        E001 missing group/name column; E011 invalid values (all at once); E012 a document
        listed twice with different values.
    """
    fields, extra_cols = map_headers(
        table.header,
        VARIABLE_ALIASES,
        VARIABLE_REQUIRED,
        table.location(),
        "Export der Dokumentvariablen",
    )
    columns: dict[str, int] = {}
    for name, idx in extra_cols.items():
        var = _CANONICAL.get(normalise_header(name), name)
        if var in columns:  # a second spelling of a variable is kept under its own name
            var = f"{name} (Spalte {column_letter(idx)})"
        columns[var] = idx
    problems = ProblemList()
    records: list[dict[str, Any]] = []
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(table.rows):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        group = nfc(cell_text(_cell(row, fields.get("document_group"))) or "")
        name = cell_text(_cell(row, fields["document_name"]))
        name = None if name is None else nfc(name)
        if name is None:
            problems.add(
                "E011",
                "der Dokumentname ist leer",
                table.location(i, table.header[fields["document_name"]]),
                "den Dokumentnamen eintragen oder die Zeile löschen",
            )
            continue
        rec: dict[str, Any] = {"document_group": group, "document_name": name}
        for var, idx in columns.items():
            value = cell_text(_cell(row, idx))
            value = None if value is None else nfc(value)
            rec[var] = _check_value(var, value, table.location(i, table.header[idx]), problems)
        rec["variables_file"] = table.file
        rec["variables_row"] = table.first_row + i
        key = (group, name)
        if key in seen:
            first = records[seen[key]]
            if {k: v for k, v in first.items() if not k.startswith("variables_")} != {
                k: v for k, v in rec.items() if not k.startswith("variables_")
            }:
                problems.add(
                    "E012",
                    f"das Dokument '{printable(group)}/{printable(name)}' ist zweimal mit "
                    f"verschiedenen Werten aufgeführt (auch in Zeile {first['variables_row']})",
                    table.location(i),
                    "im Export der Dokumentvariablen eine Zeile je Dokument behalten",
                )
            continue
        seen[key] = len(records)
        records.append(rec)
    problems.raise_if_any()
    frame = pd.DataFrame.from_records(
        records,
        columns=["document_group", "document_name", *columns, "variables_file", "variables_row"],
    )
    if "Panelwelle" in frame:
        frame["Panelwelle"] = frame["Panelwelle"].astype("Int64")
    if "WAS" in frame:
        frame["WAS"] = frame["WAS"].astype("Float64")
    return frame


def _cell(row: list[Any], idx: int | None) -> Any:
    # CSV rows may be shorter than the header; a missing optional column is an empty cell
    return row[idx] if idx is not None and idx < len(row) else None


def _closest(value: str, allowed: tuple[str, ...]) -> str:
    match = difflib.get_close_matches(value[:100], allowed, n=1, cutoff=0.5)
    return f"'{match[0]}'" if match else "einen der Werte " + ", ".join(f"'{a}'" for a in allowed)


def _check_value(var: str, value: str | None, where: Location, problems: ProblemList) -> Any:
    if value is None:
        return None
    if var == "Welle" and not WAVE_PATTERN.match(value):
        problems.add(
            "E011",
            f"Welle '{printable(value)}' hat nicht die Form JJJJ-1 oder JJJJ-2",
            where,
            "die Erhebungswelle z. B. als 2023-1 schreiben",
        )
    elif var == "Rolle" and value not in ROLES:
        problems.add(
            "E011",
            f"Rolle '{printable(value)}' ist keine Rolle der Studie",
            where,
            f"{_closest(value, ROLES)} schreiben",
        )
    elif var == "Betriebsgröße" and value not in COMPANY_SIZES:
        problems.add(
            "E011",
            f"Betriebsgröße '{printable(value)}' ist keine Größenklasse",
            where,
            f"{_closest(value, COMPANY_SIZES)} schreiben",
        )
    elif var == "Panel":
        low = value.casefold()
        if low not in ("ja", "nein", "1", "0"):
            problems.add(
                "E011",
                f"Panel '{printable(value)}' ist weder 'ja' noch 'nein'",
                where,
                "für Panel-Auszubildende 'ja' schreiben, sonst 'nein' oder leer lassen",
            )
            return value
        return "ja" if low in ("ja", "1") else "nein"
    elif var == "Panelwelle":
        if value not in ("1", "2", "3"):
            problems.add(
                "E011",
                f"Panelwelle '{printable(value)}' ist nicht 1, 2 oder 3",
                where,
                "die Nummer des jährlichen Interviews der Person schreiben (1, 2 oder 3)",
            )
            return None
        return int(value)
    elif var == "WAS":
        try:
            number = float(value.replace(",", "."))
        except ValueError:
            number = -1.0
        if not 0 <= number <= 10:
            problems.add(
                "E011",
                f"WAS '{printable(value)}' ist keine Zahl von 0 bis 10",
                where,
                "den Work Ability Score (0-10) eintragen oder die Zelle leer lassen",
            )
            return None
        return number
    return value


def missing_document_error(
    group: str, name: str, where: Location, variables_files: list[str]
) -> InputError:
    """E007: a coded document that the wave's variables export does not list."""
    return InputError(
        Problem(
            "E007",
            f"das Dokument '{group}/{name}' ist kodiert, fehlt aber in den Dokumentvariablen "
            f"({', '.join(variables_files)})",
            where,
            "die Dokumentvariablen mit allen Dokumenten der Welle erneut exportieren oder "
            "den Dokumentnamen korrigieren",
        )
    )


def fill_missing_groups(
    codings: pd.DataFrame, variables: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Give documents without a group the group the other export names for them.

    Many exports leave ``Dokumentgruppe`` empty or omit the column (read as an empty group),
    while the other export of the wave has it. A document with an empty group in one export
    takes the group under which the other export lists its name, if that is exactly one
    group; otherwise (no match, or the name in two groups) nothing changes and the usual
    cross-check (E007) reports it.

    Parameters
    ----------
    codings
        The parsed coded segments of a wave (``document_group``, ``document_name``,
        ``source_file``).
    variables
        The parsed document variables of the wave (``document_group``, ``document_name``,
        ``variables_file``).

    Returns
    -------
    (codings, variables, notes)
        Copies with the groups filled in, and one German note per export file that was
        completed this way.
    """
    codings, variables = codings.copy(), variables.copy()
    notes: list[str] = []
    for target, source, file_col in (
        (codings, variables, "source_file"),
        (variables, codings, "variables_file"),
    ):
        if not len(target) or not len(source):
            continue
        named = source[source["document_group"] != ""].drop_duplicates(
            ["document_group", "document_name"]
        )
        groups = named.groupby("document_name")["document_group"].agg(list)
        unique = {name: g[0] for name, g in groups.items() if len(g) == 1}
        empty_in_source = set(source.loc[source["document_group"] == "", "document_name"])
        fill = (
            (target["document_group"] == "")
            & target["document_name"].isin(list(unique))
            & ~target["document_name"].isin(list(empty_in_source))
        )
        if not fill.any():
            continue
        target.loc[fill, "document_group"] = target.loc[fill, "document_name"].map(unique)
        for file, part in target[fill].groupby(file_col, sort=True):
            names = sorted(set(part["document_name"]))
            shown = ", ".join(f"'{printable(n)}'" for n in names[:10])
            more = f" und {len(names) - 10} weitere" if len(names) > 10 else ""
            notes.append(
                f"{file}: ohne Dokumentgruppe; die Gruppe von {len(names)} Dokument(en) wurde "
                f"über den Dokumentnamen aus dem anderen Export übernommen ({shown}{more})."
            )
    return codings, variables, notes
