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
    find_leaks,
    pseudonym_terms,
    read_blocklist,
    sort_leaks,
)

__all__ = ["privacy_step", "wave_leaks_step", "kind_summary"]

#: the columns collect_texts reads from the codings
_SEGMENT_COLUMNS = ["doc_id", "begin", "end", "code", "segment", "wave", "document_name"]

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


def wave_leaks_step(
    wave_dir: Path,
    registry_dirs: list[Path],
    codebook_json: Path,
    config: dict,
    out_path: Path,
) -> pd.DataFrame:
    """Scan one wave's texts that leave the pipeline (coded segments, accepted suggestions
    included, and transcript paragraphs); write its hits (``interim/{wave}/datenschutz.parquet``).

    Parameters
    ----------
    wave_dir
        The wave's interim folder (``paragraphs``, ``documents_checked``, ``codings_reviewed``).
    registry_dirs
        The interim folders of this wave and the waves before it: their document variables
        and speaker labels are the pseudonym registry (never a hit), so a new wave does not
        change the hits of the waves before it.
    codebook_json
        The validated codebook (code names).
    config
        Config section ``datenschutz`` (``sperrliste``: path of the block list or empty).
    out_path
        Target parquet file.

    Returns
    -------
    pandas.DataFrame
        The wave's hits, unsorted (:func:`asaqda.privacy.scan.find_leaks`).
    """
    from asaqda.stages import load_codebook_json, read_corpus, wave_primary_copies

    codebook = load_codebook_json(codebook_json)
    documents, codings = wave_primary_copies([wave_dir])
    paragraphs = pd.read_parquet(wave_dir / "paragraphs.parquet")
    registry, _ = wave_primary_copies(registry_dirs)
    speakers = read_corpus(registry_dirs, "paragraphs")[["speaker"]]
    detector = Detector(
        allowed_terms(registry, speakers, [c.code for c in codebook.codes]),
        _blocklist(config),
        pseudonym_terms(registry, speakers),
    )
    leaks = find_leaks(collect_texts(codings, paragraphs, documents), detector)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    leaks.to_parquet(out_path, index=False)
    log.info("%s: %d Treffer der Datenschutzprüfung", wave_dir.name, len(leaks))
    return leaks


def _blocklist(config: dict) -> list[str]:
    block_path = str(config.get("sperrliste") or "")
    return read_blocklist(Path(block_path)) if block_path else []


def privacy_step(
    wave_dirs: list[Path],
    codebook_json: Path,
    input_dir: Path,
    quality_dir: Path,
    config: dict,
) -> pd.DataFrame:
    """Write ``qualitaet/datenschutz.csv``/``.xlsx``: every wave's hits
    (:func:`wave_leaks_step`) and those in the codebook's anchor examples, with the sign-offs.

    Parameters
    ----------
    wave_dirs
        Interim wave folders (``datenschutz.parquet``, ``documents_checked.parquet``).
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
    from asaqda.stages import load_codebook_json, read_corpus, wave_primary_copies

    codebook = load_codebook_json(codebook_json)
    anchors = [(c.code, a.zitat) for c in codebook.codes for a in c.ankerbeispiele]
    names = [c.code for c in codebook.codes]
    blocklist = _blocklist(config)
    documents, _ = wave_primary_copies(wave_dirs)
    speakers = read_corpus(wave_dirs, "paragraphs")[["speaker"]]
    detector = Detector(
        allowed_terms(documents, speakers, names), blocklist, pseudonym_terms(documents, speakers)
    )
    empty = documents.iloc[:0]
    anchor_hits = find_leaks(
        collect_texts(pd.DataFrame(columns=_SEGMENT_COLUMNS), empty.iloc[:0], empty, anchors),
        detector,
    )
    frames = [pd.read_parquet(d / "datenschutz.parquet") for d in wave_dirs]
    frames = [f for f in [anchor_hits, *frames] if len(f)]
    leaks = sort_leaks(pd.concat(frames, ignore_index=True) if frames else anchor_hits)
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
