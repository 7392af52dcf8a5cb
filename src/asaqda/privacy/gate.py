"""The release gate: a person clears or blocks each quote with a hit in a sign-off sheet.

The sign-off sheet ``<input>/datenschutz/freigaben.xlsx`` (or ``.csv``) is input and is never
written by the pipeline. Columns: ``Zitat-ID``, ``Entscheidung`` (``freigegeben`` or
``gesperrt``), ``Wer``, ``Datum``. Further columns (the hit, the text) are ignored, so the
sheet ``Freigaben`` of ``qualitaet/datenschutz.xlsx`` can be copied there and filled in. The
quote id is stable (source document, paragraph span, text), so a decision stays attached
across runs; when the quote's text changes, it needs a new decision.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from asaqda.errors import InputError, Problem, ProblemList
from asaqda.io.tables import read_table

__all__ = [
    "DECISIONS",
    "SIGNOFF_COLUMNS",
    "read_signoffs",
    "apply_signoffs",
    "signoff_sheet",
    "signoff_location",
    "gate_quotes",
    "report_quotes",
]

DECISIONS = ("freigegeben", "gesperrt")
SIGNOFF_COLUMNS = ["Zitat-ID", "Entscheidung", "Wer", "Datum"]
_FIX_SHEET = (
    "das Blatt 'Freigaben' aus qualitaet/datenschutz.xlsx als datenschutz/freigaben.xlsx in den "
    "Eingabeordner kopieren und dort ausfüllen"
)


def read_signoffs(path: Path, display: str | None = None) -> pd.DataFrame:
    """The decisions of the sign-off sheet, one row per quote id.

    Parameters
    ----------
    path
        ``freigaben.xlsx`` or ``.csv``.
    display
        File name shown in messages.

    Returns
    -------
    pandas.DataFrame
        Columns ``Zitat-ID``, ``Entscheidung``, ``Wer``, ``Datum`` (strings); rows without a
        decision are dropped.

    Raises
    ------
    InputError
        E041 for a missing column, an unknown decision, a decision without ``Wer`` or a
        quote id decided twice in different ways; all problems are listed at once.
    """
    table = read_table(path, display)
    header = [h.strip() for h in table.header]
    missing = [c for c in SIGNOFF_COLUMNS if c not in header]
    if missing:
        raise InputError(
            Problem(
                "E041",
                f"Spalte '{missing[0]}' fehlt im Freigabebogen (gefunden: {', '.join(header)})",
                table.location(),
                _FIX_SHEET,
            )
        )
    idx = {c: header.index(c) for c in SIGNOFF_COLUMNS}
    problems = ProblemList()
    rows: list[dict[str, str]] = []
    seen: dict[str, tuple[str, int]] = {}
    for n, raw in enumerate(table.rows):
        cell = {c: _text(raw[i] if i < len(raw) else None) for c, i in idx.items()}
        if not cell["Zitat-ID"] and not cell["Entscheidung"]:
            continue
        decision = cell["Entscheidung"].lower()
        if not decision:
            continue
        if decision not in DECISIONS:
            problems.problems.append(
                Problem(
                    "E041",
                    f"Entscheidung '{cell['Entscheidung']}' ist weder 'freigegeben' noch "
                    "'gesperrt'",
                    table.location(n, "Entscheidung"),
                    "'freigegeben' oder 'gesperrt' eintragen (Auswahlliste) oder die Zelle leeren",
                )
            )
            continue
        if not cell["Zitat-ID"]:
            problems.problems.append(
                Problem(
                    "E041",
                    "Entscheidung ohne Zitat-ID",
                    table.location(n, "Zitat-ID"),
                    "die Zitat-ID aus qualitaet/datenschutz.xlsx übernehmen",
                )
            )
            continue
        if not cell["Wer"]:
            problems.problems.append(
                Problem(
                    "E041",
                    "Entscheidung ohne Namenskürzel in 'Wer'",
                    table.location(n, "Wer"),
                    "das Kürzel der Person eintragen, die das Zitat geprüft hat",
                )
            )
            continue
        qid = cell["Zitat-ID"]
        if qid in seen and seen[qid][0] != decision:
            problems.problems.append(
                Problem(
                    "E041",
                    f"Zitat-ID {qid} ist zweimal verschieden entschieden (auch Zeile "
                    f"{table.first_row + seen[qid][1]})",
                    table.location(n, "Entscheidung"),
                    "eine der beiden Zeilen löschen",
                )
            )
            continue
        seen[qid] = (decision, n)
        rows.append({**cell, "Entscheidung": decision})
    problems.raise_if_any(InputError)
    out = pd.DataFrame(rows, columns=SIGNOFF_COLUMNS)
    return out.drop_duplicates("Zitat-ID").reset_index(drop=True)


def _text(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if hasattr(value, "strftime"):
        return value.strftime("%d.%m.%Y")  # type: ignore[union-attr]
    return str(value).strip()


def apply_signoffs(leaks: pd.DataFrame, signoffs: pd.DataFrame) -> pd.DataFrame:
    """Set ``Freigabe`` of each hit from the sign-off decisions (``offen`` when undecided).

    Parameters
    ----------
    leaks
        The leak table.
    signoffs
        Output of :func:`read_signoffs`.

    Returns
    -------
    pandas.DataFrame
        A copy of ``leaks`` with ``Freigabe`` set.
    """
    decided = dict(zip(signoffs["Zitat-ID"], signoffs["Entscheidung"], strict=True))
    out = leaks.copy()
    out["Freigabe"] = out["Zitat-ID"].map(decided).astype(object).fillna("offen")
    return out


def signoff_sheet(leaks: pd.DataFrame, signoffs: pd.DataFrame) -> pd.DataFrame:
    """The sheet to fill in: one row per quote with a hit, earlier decisions kept.

    Every decision already in the sign-off sheet is carried over, including decisions on
    quotes that no longer have a hit, so copying the sheet back loses nothing.

    Parameters
    ----------
    leaks
        The leak table.
    signoffs
        Output of :func:`read_signoffs`.

    Returns
    -------
    pandas.DataFrame
        Columns ``Zitat-ID``, ``Entscheidung``, ``Wer``, ``Datum``, ``Art``, ``Treffer``,
        ``Dokument``, ``Absatz``, ``Auszug``; sorted by quote id.
    """
    cols = [*SIGNOFF_COLUMNS, "Art", "Treffer", "Dokument", "Absatz", "Auszug"]
    if leaks.empty:
        per_quote = pd.DataFrame(
            columns=["Zitat-ID", "Art", "Treffer", "Dokument", "Absatz", "Auszug"]
        )
    else:
        per_quote = (
            leaks.groupby("Zitat-ID", sort=True)
            .agg(
                Art=("Art", lambda s: ", ".join(dict.fromkeys(s))),
                Treffer=("Treffer", lambda s: ", ".join(dict.fromkeys(s))),
                Dokument=("Dokument", "first"),
                Absatz=("Absatz", "first"),
                Auszug=("Auszug", "first"),
            )
            .reset_index()
        )
    merged = per_quote.merge(signoffs, on="Zitat-ID", how="outer")
    merged = merged.fillna("")
    return merged[cols].sort_values("Zitat-ID", kind="stable").reset_index(drop=True)


def signoff_location(input_dir: Path) -> Path | None:
    """The sign-off sheet in the input folder, if there is one (xlsx before csv)."""
    for name in ("freigaben.xlsx", "freigaben.csv"):
        path = input_dir / "datenschutz" / name
        if path.exists():
            return path
    return None


def gate_quotes(quotes: pd.DataFrame, leaks: pd.DataFrame, streng: bool = False) -> pd.DataFrame:
    """Mark the anchor quotes with a hit and decide which may go into the report.

    Parameters
    ----------
    quotes
        Anchor quotes with a column ``Zitat-ID``.
    leaks
        The leak table (``Zitat-ID``, ``Art``, ``Freigabe``).
    streng
        True: a quote with an uncleared hit is left out of the report; False: it is shown
        with a mark. A blocked quote (``gesperrt``) is always left out.

    Returns
    -------
    pandas.DataFrame
        ``quotes`` plus ``Datenschutz`` (empty without a hit, else e.g. ``offen: Person``,
        ``freigegeben``, ``gesperrt``) and ``Im Bericht`` (``ja``/``nein``).
    """
    seg = leaks[leaks["Quelle"] == "Kodiertes Segment"] if "Quelle" in leaks else leaks
    kinds = seg.groupby("Zitat-ID")["Art"].agg(lambda s: ", ".join(dict.fromkeys(s)))
    state = seg.groupby("Zitat-ID")["Freigabe"].first()
    out = quotes.copy()
    ids = out["Zitat-ID"]
    st = ids.map(state).fillna("")
    out["Datenschutz"] = [
        "" if not s else (f"offen: {k}" if s == "offen" else s)
        for s, k in zip(st, ids.map(kinds).fillna(""), strict=True)
    ]
    out["Im Bericht"] = [
        "nein" if s == "gesperrt" or (streng and s == "offen") else "ja" for s in st
    ]
    return out


def report_quotes(quotes: pd.DataFrame) -> pd.DataFrame:
    """The anchor quotes the report may show, the source line marked where a hit is open.

    Parameters
    ----------
    quotes
        ``tables/ankerzitate.xlsx`` as read (``Quelle``; optional ``Datenschutz``,
        ``Im Bericht`` from :func:`gate_quotes`).

    Returns
    -------
    pandas.DataFrame
        Rows with ``Im Bericht`` = ``nein`` removed; ``Quelle`` of an uncleared quote ends
        in ``[Datenschutz: nicht freigegeben – <Art>]``.
    """
    if "Im Bericht" not in quotes:
        return quotes
    out = quotes[quotes["Im Bericht"].fillna("ja") != "nein"].copy()
    mark = out["Datenschutz"].fillna("").astype(str)
    is_open = mark.str.startswith("offen")
    out.loc[is_open, "Quelle"] = (
        out.loc[is_open, "Quelle"].astype(str)
        + " [Datenschutz: nicht freigegeben – "
        + mark[is_open].str.removeprefix("offen: ")
        + "]"
    )
    return out
