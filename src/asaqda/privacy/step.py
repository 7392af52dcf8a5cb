"""The pipeline step of the leak check (rule ``datenschutz``): I/O around the pure parts."""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from asaqda.io.officefiles import drop_down, save_workbook, write_csv, write_xlsx
from asaqda.privacy.detect import KINDS, Detector
from asaqda.privacy.gate import (
    DECISIONS,
    SIGNOFF_COLUMNS,
    apply_signoffs,
    read_signoffs,
    signoff_location,
    signoff_sheet,
)
from asaqda.privacy.scan import (
    allowed_terms,
    collect_texts,
    leak_table,
    pseudonym_terms,
    read_blocklist,
)

__all__ = ["privacy_step", "kind_summary"]

log = logging.getLogger(__name__)


def kind_summary(leaks: pd.DataFrame) -> pd.DataFrame:
    """Hits and quotes per kind and release state (sheet ``Übersicht``).

    Parameters
    ----------
    leaks
        The leak table.

    Returns
    -------
    pandas.DataFrame
        Columns ``Art``, ``Treffer``, ``Zitate``, ``offen``, ``freigegeben``, ``gesperrt``;
        one row per kind of :data:`KINDS`, zeros included.
    """
    rows = []
    for kind in KINDS:
        sub = leaks[leaks["Art"] == kind]
        quotes = sub.drop_duplicates("Zitat-ID")
        rows.append(
            {
                "Art": kind,
                "Treffer": len(sub),
                "Zitate": len(quotes),
                **{
                    s: int((quotes["Freigabe"] == s).sum())
                    for s in ("offen", "freigegeben", "gesperrt")
                },
            }
        )
    return pd.DataFrame(rows)


def add_decision_drop_down(path: Path, n_rows: int, sheet: str = "Freigaben") -> Path:
    """Give the column ``Entscheidung`` of the sign-off sheet a drop-down
    (``freigegeben``/``gesperrt``); Excel refuses other entries.

    Parameters
    ----------
    path
        ``qualitaet/datenschutz.xlsx`` as written by :func:`asaqda.io.officefiles.write_xlsx`.
    n_rows
        Rows of the sign-off sheet below its header (the drop-down covers at least row 2).
    sheet
        Name of the sign-off sheet.

    Returns
    -------
    Path
        ``path``, saved again with fixed dates.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    wb = load_workbook(path)
    ws = wb[sheet]
    header = [c.value for c in ws[1]]
    col = get_column_letter(header.index("Entscheidung") + 1)
    drop_down(
        ws,
        '"' + ",".join(DECISIONS) + '"',
        f"{col}2:{col}{max(2, n_rows + 1)}",
        "Entscheidung",
        "Bitte 'freigegeben' oder 'gesperrt' wählen.",
    )
    return save_workbook(wb, path)


def privacy_step(
    wave_dirs: list[Path],
    corpus_dir: Path,
    codebook_json: Path,
    input_dir: Path,
    quality_dir: Path,
    config: dict,
) -> pd.DataFrame:
    """Scan every text that leaves the pipeline and write ``qualitaet/datenschutz.csv``/``.xlsx``.

    Parameters
    ----------
    wave_dirs
        Interim wave folders (``paragraphs.parquet``).
    corpus_dir
        ``interim/corpus`` (documents, codings).
    codebook_json
        The validated codebook (anchor examples, code names).
    input_dir
        The input folder; its ``datenschutz/freigaben.xlsx`` holds the sign-offs.
    quality_dir
        Target folder ``qualitaet``.
    config
        Config section ``datenschutz`` (``sperrliste``: path of the block list or empty).

    Returns
    -------
    pandas.DataFrame
        The leak table as written.
    """
    from asaqda.stages import load_codebook_json, primary_copies, read_corpus

    codebook = load_codebook_json(codebook_json)
    documents, codings = primary_copies(corpus_dir)
    paragraphs = read_corpus(wave_dirs, "paragraphs")
    anchors = [(c.code, a.zitat) for c in codebook.codes for a in c.ankerbeispiele]
    names = [c.code for c in codebook.codes]
    block_path = str(config.get("sperrliste") or "")
    blocklist = read_blocklist(Path(block_path)) if block_path else []
    detector = Detector(
        allowed_terms(documents, paragraphs, names),
        blocklist,
        pseudonym_terms(documents, paragraphs),
    )
    leaks = leak_table(collect_texts(codings, paragraphs, documents, anchors), detector)
    sheet_path = signoff_location(input_dir)
    signoffs = (
        read_signoffs(sheet_path, f"datenschutz/{sheet_path.name}")
        if sheet_path
        else pd.DataFrame(columns=SIGNOFF_COLUMNS)
    )
    leaks = apply_signoffs(leaks, signoffs)
    write_csv(quality_dir / "datenschutz.csv", leaks)
    sheet = signoff_sheet(leaks, signoffs)
    write_xlsx(
        quality_dir / "datenschutz.xlsx",
        {"Übersicht": kind_summary(leaks), "Treffer": leaks, "Freigaben": sheet},
        wrap_columns={"Treffer": ["Auszug", "Ausgaben"], "Freigaben": ["Auszug"]},
        widths={"Treffer": {"Auszug": 70, "Ausgaben": 40}, "Freigaben": {"Auszug": 70}},
    )
    add_decision_drop_down(quality_dir / "datenschutz.xlsx", len(sheet))
    n_open = leaks.loc[leaks["Freigabe"] == "offen", "Zitat-ID"].nunique()
    log.info(
        "Datenschutzprüfung: %d Treffer in %d Zitaten/Absätzen, davon %d nicht freigegeben%s.",
        len(leaks),
        leaks["Zitat-ID"].nunique(),
        n_open,
        f" (Sperrliste mit {len(blocklist)} Einträgen)" if blocklist else "",
    )
    return leaks
