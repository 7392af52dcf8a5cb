"""One function per pipeline step; the Snakemake scripts and the CLI both call these.

Each step reads only its inputs and writes only its outputs (under the output folder), so the
steps can be rerun independently and tested without Snakemake.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from asaqda.absent import absent_note, note_table, table_note
from asaqda.agreement import LEVEL_LABELS, agreement_table, machine_agreement
from asaqda.codebook import Codebook, codebook_frame, load_codebook
from asaqda.codebook_render import (
    render_leitfaden_docx,
    render_leitfaden_xlsx,
    render_maxqda_codes,
)
from asaqda.errors import InputError, Location, PrecodeError, Problem
from asaqda.io.officefiles import read_csv, write_csv, write_xlsx
from asaqda.io.variables import KNOWN_VARIABLES
from asaqda.io.wave import import_wave, write_wave
from asaqda.panel.tables import (
    TYPE_COLUMNS,
    attrition,
    crosstab,
    support_crosstab,
    transitions,
    type_distribution,
    typology_rules,
    verlauf_table,
)
from asaqda.panel.trajectories import (
    PanelParams,
    interview_measures,
    link_checks,
    panel_interviews,
    trajectory_types,
)
from asaqda.quality import (
    alignment_report,
    check_duplicate_documents,
    check_pseudonyms,
    mark_intercoder_copies,
    overview,
    unknown_codes,
)
from asaqda.refi.export import write_codebook_qdc, write_project
from asaqda.report.content import report_blocks
from asaqda.report.render import render_docx, render_html, render_workbook
from asaqda.review.decisions import (
    accepted_codings,
    decided_keys,
    read_review_sheet,
    validate_decisions,
)
from asaqda.review.sheets import RANK_HEADERS, write_review_sheets
from asaqda.tables.charts import company_bar_chart, note_figure
from asaqda.tables.companies import PRACTICE_CODES, freistellung_practice
from asaqda.tables.company_tables import (
    CompanyTable,
    anchor_quotes,
    breakdown,
    company_matrix,
    company_problems,
    count_table,
    practice_table,
    table_definitions,
)
from asaqda.tables.frequencies import (
    code_frequencies,
    codes_by_role,
    frequency_overview,
    role_pivot,
)

if TYPE_CHECKING:  # heavy imports (scikit-learn, spaCy, matplotlib) only in the steps using them
    from asaqda.precode.precoder import PrecodeParams, Precoder

__all__ = [
    "import_step",
    "codebook_step",
    "checks_step",
    "reviewed_codings_step",
    "wave_primary_copies",
    "frequencies_step",
    "read_corpus",
    "intercoder_step",
    "primary_copies",
    "with_design_variables",
    "train_step",
    "forward_wave_step",
    "precode_quality_step",
    "precode_step",
    "precode_summary_step",
    "precode_acceptance_step",
    "refi_export_step",
    "company_tables",
    "company_tables_step",
    "report_step",
    "panel_step",
    "portraits_step",
    "panel_analysis",
    "panel_params",
    "review_read_step",
    "review_report_step",
    "review_sheets_step",
    "read_decisions",
    "reviewed_codings_step",
    "inductive_units_step",
    "inductive_scope_step",
    "inductive_overview_step",
]

log = logging.getLogger(__name__)


def import_step(input_dir: Path, wave: str, out_dir: Path) -> dict[str, Path]:
    """Import one wave into ``out_dir`` (``<output>/interim/<wave>``).

    Writes documents, paragraphs, codings and notes as Parquet; nothing if the import fails.
    """
    result = import_wave(input_dir, wave)
    for note in result.notes:
        log.warning("%s: %s", wave, note)
    paths = write_wave(result, out_dir)
    notes = pd.DataFrame(
        {"welle": [wave] * len(result.notes), "hinweis": result.notes}, dtype="object"
    )
    notes.to_parquet(out_dir / "notes.parquet", index=False)
    paths["notes"] = out_dir / "notes.parquet"
    log.info(
        "%s: %d documents, %d paragraphs, %d coded segments",
        wave,
        len(result.documents),
        len(result.paragraphs),
        len(result.codings),
    )
    return paths


def codebook_step(
    codebook_dir: Path,
    out_json: Path,
    docx_path: Path,
    xlsx_path: Path,
    maxqda_path: Path,
    qdc_path: Path | None = None,
) -> Codebook:
    """Validate the codebook, store it as JSON for later steps and render it for people."""
    codebook = load_codebook(codebook_dir)
    out_json.parent.mkdir(parents=True, exist_ok=True)
    out_json.write_text(
        json.dumps(codebook.model_dump(mode="json"), ensure_ascii=False, indent=1, sort_keys=True)
        + "\n",
        encoding="utf-8",
    )
    render_leitfaden_docx(codebook, docx_path)
    render_leitfaden_xlsx(codebook, xlsx_path)
    render_maxqda_codes(codebook, maxqda_path)
    if qdc_path is not None:
        write_codebook_qdc(codebook, qdc_path)
    log.info("codebook %s: %d codes", codebook.meta.version, len(codebook.codes))
    return codebook


def load_codebook_json(path: Path) -> Codebook:
    """The validated codebook as stored by :func:`codebook_step`."""
    return Codebook.model_validate_json(path.read_text(encoding="utf-8"))


def read_corpus(wave_dirs: list[Path], table: str) -> pd.DataFrame:
    """Concatenate one interim table over several wave folders."""
    frames = [pd.read_parquet(d / f"{table}.parquet") for d in wave_dirs]
    frames = [f for f in frames if len(f)] or frames[:1]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def reviewed_codings_step(
    wave_dir: Path, codebook_json: Path, out_codings: Path, out_documents: Path
) -> pd.DataFrame:
    """One wave's codings with the suggestions its coders accepted, and its documents with
    the intercoder copies marked (``codings_reviewed.parquet``, ``documents_checked.parquet``).

    Exported codings have ``quelle = MAXQDA``; suggestions accepted in a review sheet
    (``decisions.parquet`` of the wave) join them with ``quelle = Prüfbogen``. An accepted
    suggestion that a human coding of the same code already covers (the coder also coded it
    in MAXQDA) is not added twice. Everything that reads one wave's codings (pre-coding, the
    MAXQDA project, the inductive step) reads this table, so a returned review sheet changes
    only its own wave's tables; intercoder copies lie within one wave.

    Returns
    -------
    pandas.DataFrame
        The wave's codings, with ``in_codebook`` and ``intercoder_copy``.
    """
    codebook = load_codebook_json(codebook_json)
    documents = pd.read_parquet(wave_dir / "documents.parquet")
    codings = pd.read_parquet(wave_dir / "codings.parquet").assign(quelle="MAXQDA")
    codings = _with_accepted(codings, documents, [wave_dir])
    documents["intercoder_copy"] = mark_intercoder_copies(documents)
    copies = set(documents.loc[documents["intercoder_copy"], "doc_id"])
    codings = codings.assign(
        in_codebook=codings["code"].isin(codebook.paths),
        intercoder_copy=codings["doc_id"].isin(copies),
    )
    out_codings.parent.mkdir(parents=True, exist_ok=True)
    codings.to_parquet(out_codings, index=False)
    documents.to_parquet(out_documents, index=False)
    return codings


def wave_primary_copies(wave_dirs: list[Path]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """:func:`primary_copies` of some waves only, from their ``documents_checked`` and
    ``codings_reviewed`` tables (:func:`reviewed_codings_step`)."""
    documents = with_design_variables(read_corpus(wave_dirs, "documents_checked"))
    codings = read_corpus(wave_dirs, "codings_reviewed")
    return (
        documents[~documents["intercoder_copy"]].reset_index(drop=True),
        codings[~codings["intercoder_copy"]].reset_index(drop=True),
    )


def checks_step(
    wave_dirs: list[Path], codebook_json: Path, corpus_dir: Path, quality_dir: Path
) -> dict[str, pd.DataFrame]:
    """Check the corpus across waves, write the quality tables and the combined tables.

    The codings are every wave's ``codings_reviewed.parquet`` (:func:`reviewed_codings_step`:
    the export codings plus the accepted review suggestions).

    Raises
    ------
    InputError
        E006 (document in two waves) or E010 (pseudonym typo): nothing is written then.
    """
    codebook = load_codebook_json(codebook_json)
    documents = read_corpus(wave_dirs, "documents")
    codings = read_corpus(wave_dirs, "codings_reviewed")
    notes = read_corpus(wave_dirs, "notes")
    check_duplicate_documents(documents)
    check_pseudonyms(documents)
    documents["intercoder_copy"] = mark_intercoder_copies(documents)
    copies = set(documents.loc[documents["intercoder_copy"], "doc_id"])
    unknown = unknown_codes(codings, codebook)
    for r in unknown.itertuples():
        hint = f" – gemeint ist vielleicht '{r.vorschlag}'" if r.vorschlag else ""
        log.warning(
            "Welle %s: Code '%s' (%d Segmente) steht nicht im Kodierleitfaden%s",
            r.welle,
            r.code,
            r.segmente,
            hint,
        )
    codings = codings.assign(
        in_codebook=codings["code"].isin(codebook.paths),
        intercoder_copy=codings["doc_id"].isin(copies),
    )
    tables = {
        "unbekannte_codes": unknown,
        "segmentpruefung": alignment_report(codings),
        "importhinweise": notes,
        "uebersicht": overview(documents, codings, unknown),
    }
    for name, frame in tables.items():
        write_csv(quality_dir / f"{name}.csv", frame)
    write_xlsx(
        quality_dir / "qualitaet.xlsx",
        {
            "Übersicht": tables["uebersicht"],
            "Unbekannte Codes": tables["unbekannte_codes"],
            "Segmentprüfung": tables["segmentpruefung"],
            "Importhinweise": tables["importhinweise"],
        },
        wrap_columns={"Segmentprüfung": ["segment"]},
    )
    corpus_dir.mkdir(parents=True, exist_ok=True)
    documents.to_parquet(corpus_dir / "documents.parquet", index=False)
    codings.to_parquet(corpus_dir / "codings.parquet", index=False)
    codebook_frame(codebook).to_parquet(corpus_dir / "codebook.parquet", index=False)
    return tables


def _with_accepted(
    codings: pd.DataFrame, documents: pd.DataFrame, wave_dirs: list[Path]
) -> pd.DataFrame:
    """The codings plus the accepted suggestions of every wave's review decisions."""
    from asaqda.precode.model import coded_paragraphs

    extra = []
    for d in wave_dirs:
        if (d / "decisions.parquet").exists():
            decisions = pd.read_parquet(d / "decisions.parquet")
            if len(decisions):
                extra.append(accepted_codings(decisions, pd.read_parquet(d / "paragraphs.parquet")))
    extra = [e for e in extra if len(e)]
    if not extra:
        return codings
    accepted = pd.concat(extra, ignore_index=True)
    covered = coded_paragraphs(codings)
    dup = accepted.merge(
        covered.drop_duplicates(),
        left_on=["doc_id", "begin", "code"],
        right_on=["doc_id", "paragraph", "code"],
        how="left",
        indicator=True,
    )["_merge"].eq("both")
    if dup.any():
        log.info("%d übernommene Vorschläge sind in den Exporten schon codiert", int(dup.sum()))
    accepted = accepted[~dup.to_numpy()]
    groups = documents.set_index("doc_id")["document_group"]
    accepted = accepted.assign(document_group=accepted["doc_id"].map(groups))
    log.info("%d accepted suggestions join the codings", len(accepted))
    accepted = accepted.reindex(columns=codings.columns)
    accepted["created"] = pd.to_datetime(accepted["created"], errors="coerce")
    accepted = accepted.astype(codings.dtypes.to_dict())
    return pd.concat([codings, accepted], ignore_index=True)


def with_design_variables(documents: pd.DataFrame) -> pd.DataFrame:
    """``documents`` with every variable of the research design as a column.

    A wave without a document-variables export (or an export without ``Rolle``, ``Person``,
    ``Betrieb`` …, as REFI-QDA projects and most real exports are) gets the missing columns
    empty, so every step counts what it can and says what it could not compute.
    """
    out = documents.copy()
    for var in KNOWN_VARIABLES:
        if var not in out:
            dtype = {"Panelwelle": "Int64", "WAS": "Float64"}.get(var, "object")
            out[var] = pd.Series(pd.NA, index=out.index, dtype=dtype)
    return out


def primary_copies(corpus_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The corpus documents and codings without the intercoder copies (what tables count).

    Documents carry every design variable (:func:`with_design_variables`), empty if absent.
    """
    documents = with_design_variables(pd.read_parquet(corpus_dir / "documents.parquet"))
    codings = pd.read_parquet(corpus_dir / "codings.parquet")
    return (
        documents[~documents["intercoder_copy"]].reset_index(drop=True),
        codings[~codings["intercoder_copy"]].reset_index(drop=True),
    )


def frequencies_step(corpus_dir: Path, codebook_json: Path, tables_dir: Path) -> None:
    """Code frequencies per wave and the code x Rolle crosstab (CSV and formatted xlsx)."""
    codebook = load_codebook_json(codebook_json)
    documents, codings = primary_copies(corpus_dir)
    freq = code_frequencies(codings, documents, codebook)
    write_csv(tables_dir / "codehaeufigkeiten.csv", freq)
    write_xlsx(
        tables_dir / "codehaeufigkeiten.xlsx",
        {
            "Übersicht": frequency_overview(freq),
            "Je Welle": freq.rename(
                columns={
                    "welle": "Welle",
                    "code": "Code",
                    "hauptkategorie": "Hauptkategorie",
                    "im_kodierleitfaden": "Im Kodierleitfaden",
                    "dokumente": "Dokumente",
                    "segmente": "Segmente",
                }
            ),
        },
        widths={"Übersicht": {"Code": 50}, "Je Welle": {"Code": 50}},
    )
    by_role = codes_by_role(codings, documents, codebook)
    write_csv(tables_dir / "codes_nach_rolle.csv", by_role)
    write_xlsx(
        tables_dir / "codes_nach_rolle.xlsx",
        {
            "Dokumente": role_pivot(by_role, "dokumente"),
            "Segmente": role_pivot(by_role, "segmente"),
        },
        widths={"Dokumente": {"Code": 50}, "Segmente": {"Code": 50}},
    )


def intercoder_step(
    corpus_dir: Path,
    codebook_json: Path,
    tables_dir: Path,
    min_overlap: float = 0.9,
    n_boot: int = 1000,
    seed: int = 0,
    heldout_path: Path | None = None,
) -> pd.DataFrame:
    """Intercoder agreement of the double-coded documents (``tables/intercoder.*``), and of
    the pre-coding machine with each human coder (held-out decisions of training) when
    ``heldout_path`` is given."""
    codebook = load_codebook_json(codebook_json)
    documents = pd.read_parquet(corpus_dir / "documents.parquet")
    codings = pd.read_parquet(corpus_dir / "codings.parquet")
    human = codings[codings["quelle"] == "MAXQDA"]  # accepted suggestions are not a coder
    table = agreement_table(
        human,
        documents,
        codebook.paths,
        min_overlap=min_overlap,
        n_boot=n_boot,
        seed=seed,
    )
    if heldout_path is not None:
        machine = machine_agreement(
            pd.read_parquet(heldout_path),
            human[~human["intercoder_copy"]],  # what the machine was trained on
            codebook.paths,
            n_boot=n_boot,
            seed=seed,
        )
        table = pd.concat([t for t in (table, machine) if len(t)] or [table], ignore_index=True)
    if table.empty:
        log.warning("keine doppelt codierten Dokumente: die Intercoder-Tabelle ist leer")
    for row in table[table["ebene"] == "gemeinsam"].itertuples():
        log.warning(
            "keine unabhängige Doppelcodierung, keine Übereinstimmung berechnet: %s", row.satz
        )
    write_csv(tables_dir / "intercoder.csv", table)
    labels = {
        "ebene": "Ebene",
        "code": "Code",
        "kodierende": "Kodierende",
        "n_dokumente": "Dokumente",
        "n_einheiten": "Einheiten",
        "n_segmente": "Segmente",
        "prozent_uebereinstimmung": "Übereinstimmung %",
        "cohen_kappa": "Cohens κ",
        "brennan_prediger": "κ Brennan & Prediger",
        "fleiss_kappa": "Fleiss' κ",
        "alpha": "Krippendorffs α",
        "alpha_niveau": "Skalenniveau",
        "alpha_ci_unten": "α 95 %-KI unten",
        "alpha_ci_oben": "α 95 %-KI oben",
        "einheiten": "Gezählte Einheiten",
        "hinweis": "Hinweis",
        "satz": "Formulierung für den Bericht",
    }
    view = table.assign(ebene=table["ebene"].map(LEVEL_LABELS)).rename(columns=labels)
    write_xlsx(
        tables_dir / "intercoder.xlsx",
        {"Intercoder": view},
        wrap_columns={
            "Intercoder": ["Gezählte Einheiten", "Hinweis", "Formulierung für den Bericht"]
        },
        widths={
            "Intercoder": {
                "Code": 45,
                "Gezählte Einheiten": 50,
                "Hinweis": 40,
                "Formulierung für den Bericht": 90,
            }
        },
    )
    return table


# --- company tables ------------------------------------------------------------------------

_COMPANY_LABELS = {
    "kategorie": "Kategorie",
    "n_betriebe": "Betriebe (n)",
    "anteil_prozent": "Anteil %",
    "merkmal": "Merkmal",
    "auspraegung": "Ausprägung",
    "betrieb": "Betrieb",
}


def company_tables(
    documents: pd.DataFrame, codings: pd.DataFrame, codebook: Codebook
) -> dict[str, dict[str, pd.DataFrame]]:
    """Every company table with its matrix and breakdown: name -> {table, matrix, breakdown,
    title}; plus ``freistellung_konflikte`` and ``qualitaet``.

    A table none of whose codes is in the codebook (a codebook of another project) is one row
    saying so (:func:`asaqda.absent.absent_note`), as is its breakdown; its categories are
    not listed as uncoded in ``qualitaet``."""
    out: dict[str, dict[str, pd.DataFrame]] = {}
    full = codings
    # the matrices and breakdowns need only which document has which code (the subsets they
    # take of the full table cost most of the step at full scale)
    codings = full[["doc_id", "code"]]
    table, conflicts, matrix = practice_table(documents, codings)
    out["freistellung_praxis"] = {
        "title": "Freistellungspraxis der Betriebe",  # type: ignore[dict-item]
        "table": table,
        "matrix": matrix,
        "breakdown": breakdown(documents, codings, lambda d, c: practice_table(d, c)[2]),
        "roots": PRACTICE_CODES,  # type: ignore[dict-item]
    }
    all_codes = list(PRACTICE_CODES)
    for td in table_definitions(codebook):
        all_codes += list(td.codes)

        def build(d: pd.DataFrame, c: pd.DataFrame, td: CompanyTable = td) -> pd.DataFrame:
            return company_matrix(d, c, td.codes, td.total_of, td.total_excludes)

        matrix = build(documents, codings)
        out[td.name] = {
            "title": td.title,  # type: ignore[dict-item]
            "table": count_table(matrix),
            "matrix": matrix,
            "breakdown": breakdown(documents, codings, build),
            "roots": td.roots,  # type: ignore[dict-item]
        }
    absent = set()
    for parts in out.values():
        roots = parts.pop("roots")
        note = absent_note(str(parts["title"]), tuple(roots), codebook.paths)  # type: ignore[arg-type]
        if note is not None:
            absent |= set(roots)  # type: ignore[arg-type]
            parts["table"] = note_table(note, list(parts["table"].columns))
            parts["breakdown"] = note_table(note, list(parts["breakdown"].columns))
    present = [c for c in all_codes if not any(c == r or c.startswith(f"{r} > ") for r in absent)]
    out["_extra"] = {
        "freistellung_konflikte": conflicts,
        "qualitaet": company_problems(documents, full, present),
        "ankerzitate": anchor_quotes(documents, full, present),
    }
    return out


#: the first row of ``qualitaet/betriebe.csv`` when no company interview can be counted
NO_COMPANIES_ROW = {
    "art": "nicht berechnet",
    "betrieb": "",
    "detail": "keine kodierten Interviews mit der Rolle Ausbildungsbetrieb und einer "
    "Dokumentvariable Betrieb: die Betriebstabellen zeigen 0 (ohne Export der "
    "Dokumentvariablen sind Rolle und Betrieb unbekannt)",
}


def company_tables_step(
    corpus_dir: Path,
    codebook_json: Path,
    tables_dir: Path,
    figures_dir: Path,
    quality_dir: Path,
    privacy_csv: Path | None = None,
    streng: bool = False,
) -> dict[str, dict[str, pd.DataFrame]]:
    """The company tables (``tables/freistellung_praxis.csv`` ...), their matrices
    (``*_matrix.csv``) and breakdowns (``*_nach_merkmal.csv``), the conflict list, anchor
    quotes (``tables/ankerzitate.xlsx``), bar charts (``figures/*.png/.svg``) and the
    problems found (``qualitaet/betriebe.csv``). With ``privacy_csv`` (the leak table) the
    anchor quotes get the columns ``Datenschutz`` and ``Im Bericht`` (release gate;
    ``streng``: uncleared quotes stay out of the report)."""
    codebook = load_codebook_json(codebook_json)
    documents, codings = primary_copies(corpus_dir)
    result = company_tables(documents, codings, codebook)
    extra = result.pop("_extra")
    sheets: dict[str, pd.DataFrame] = {}
    for name, parts in result.items():
        write_csv(tables_dir / f"{name}.csv", parts["table"])
        write_csv(tables_dir / f"{name}_matrix.csv", parts["matrix"])
        write_csv(tables_dir / f"{name}_nach_merkmal.csv", parts["breakdown"])
        note = table_note(parts["table"])
        if note is None:
            company_bar_chart(parts["table"], figures_dir / name)
        else:
            note_figure(note, figures_dir / name)
        sheets[str(parts["title"])[:31]] = parts["table"].rename(columns=_COMPANY_LABELS)
    if not len(result["freistellung_praxis"]["matrix"]):  # say what could not be computed
        extra["qualitaet"] = pd.concat(
            [pd.DataFrame([NO_COMPANIES_ROW]), extra["qualitaet"]], ignore_index=True
        )
    write_csv(tables_dir / "freistellung_konflikte.csv", extra["freistellung_konflikte"])
    write_csv(quality_dir / "betriebe.csv", extra["qualitaet"])
    for p in extra["qualitaet"].itertuples():
        log.warning("companies: %s %s - %s", p.art, p.betrieb, p.detail)
    write_xlsx(tables_dir / "betriebe.xlsx", sheets, widths={k: {"Kategorie": 40} for k in sheets})
    quotes = extra["ankerzitate"].rename(columns={"zitat_id": "Zitat-ID"})
    if privacy_csv is not None:
        from asaqda.privacy.gate import gate_quotes

        quotes = gate_quotes(quotes, read_csv(privacy_csv, dtype=str), streng)
    write_xlsx(
        tables_dir / "ankerzitate.xlsx",
        {
            "Ankerzitate": quotes.rename(
                columns={
                    "kategorie": "Kategorie",
                    "code": "Code",
                    "zitat": "Zitat",
                    "quelle": "Quelle",
                    "betrieb": "Betrieb",
                    "welle": "Welle",
                    "auswahl": "Auswahl",
                }
            )
        },
        wrap_columns={"Ankerzitate": ["Zitat"]},
        widths={"Ankerzitate": {"Zitat": 90, "Code": 40, "Auswahl": 40}},
    )
    result["_extra"] = extra
    return result


def report_step(out_dir: Path, corpus_dir: Path, codebook_json: Path) -> tuple[Path, Path]:
    """``bericht.docx`` and ``bericht.html`` from the tables and figures of the run."""
    codebook = load_codebook_json(codebook_json)
    documents, codings = primary_copies(corpus_dir)
    defs = {td.name: list(td.codes) for td in table_definitions(codebook)}
    defs["freistellung_praxis"] = list(PRACTICE_CODES)
    blocks = report_blocks(out_dir, documents, codings, codebook, defs)
    title = blocks[0].text
    conflicts = read_csv(out_dir / "tables" / "freistellung_konflikte.csv")
    render_workbook(
        blocks,
        out_dir / "tables" / "berichtstabellen.xlsx",
        {
            "Konflikte": conflicts.rename(
                columns={"betrieb": "Betrieb", "codes": "Codes", "dokumente": "Dokumente"}
            )
        },
    )
    return (
        render_docx(blocks, out_dir / "bericht.docx"),
        render_html(blocks, out_dir / "bericht.html", title),
    )


# --- inductive categories ------------------------------------------------------------------


def inductive_units_step(
    paragraphs_path: Path,
    documents_path: Path,
    codings_path: Path,
    codebook_json: Path,
    units_out: Path,
    embeddings_out: Path,
    config: dict,
) -> pd.DataFrame:
    """The inductive material of one wave with lemmas and embeddings (``interim/<wave>/``).

    Reads only the wave's tables (:func:`reviewed_codings_step`), so another wave never
    changes it. Writes ``inductive_units.parquet`` (the units with ``lemmas``) and
    ``embeddings.npy`` (one row per unit; no columns for ``tfidf_svd``, which each scope
    fits on its own material).

    Raises
    ------
    ConfigError
        E201 for an ``inductive.material`` that is no code of the codebook.
    """
    import numpy as np

    from asaqda.inductive.analysis import inductive_params, unit_embeddings, wave_units

    params = inductive_params(config)
    codebook = load_codebook_json(codebook_json)
    documents = with_design_variables(pd.read_parquet(documents_path))
    codings = pd.read_parquet(codings_path)
    units = wave_units(
        pd.read_parquet(paragraphs_path),
        codings[~codings["intercoder_copy"]].reset_index(drop=True),
        documents[~documents["intercoder_copy"]].reset_index(drop=True),
        codebook,
        params,
    )
    vectors = unit_embeddings(units, params)
    units_out.parent.mkdir(parents=True, exist_ok=True)
    units.to_parquet(units_out, index=False)
    with embeddings_out.open("wb") as fh:
        np.save(fh, vectors, allow_pickle=False)
    log.info("%d Einheiten, Einbettung %s", len(units), params.topics.embedding)
    return units


def inductive_scope_step(
    scope: str,
    unit_paths: list[Path],
    embedding_paths: list[Path],
    document_paths: list[Path],
    codebook_json: Path,
    sheet_out: Path,
    candidates_out: Path,
    overview_out: Path,
    config: dict,
    workers: int = 1,
) -> pd.DataFrame:
    """Candidate inductive categories of one scope (a wave, or ``gesamt`` = all waves).

    Reads only the scope's waves (:func:`inductive_units_step`), writes the candidate sheet and
    the page (``induktiv/<scope>_kandidaten.xlsx``, ``_themen.html``) and the scope's rows of
    ``kandidaten.csv`` and ``uebersicht.csv`` (``interim/induktiv/<scope>_*.parquet``).

    Returns
    -------
    pandas.DataFrame
        The scope's overview row.
    """
    import numpy as np

    from asaqda.inductive.analysis import (
        inductive_params,
        scope_topics,
        stack_units,
        write_scope,
    )

    params = inductive_params(config)
    codebook = load_codebook_json(codebook_json)
    material = [
        (pd.read_parquet(u), np.load(e, allow_pickle=False))
        for u, e in zip(unit_paths, embedding_paths, strict=True)
    ]
    units, vectors = stack_units(material)
    documents = read_corpus([p.parent for p in document_paths], "documents_checked")
    result = scope_topics(scope, units, vectors, documents, codebook, params, workers)
    write_scope(sheet_out.parent, result, codebook, params)
    candidates_out.parent.mkdir(parents=True, exist_ok=True)
    result.candidates.to_parquet(candidates_out, index=False)
    result.overview.to_parquet(overview_out, index=False)
    return result.overview


def inductive_overview_step(
    candidate_paths: list[Path], overview_paths: list[Path], folder: Path, config: dict
) -> pd.DataFrame:
    """``induktiv/kandidaten.csv``, ``uebersicht.csv`` and ``plotly.min.js`` from the scopes'
    results (:func:`inductive_scope_step`), in the order given (waves, then ``gesamt``)."""
    from asaqda.inductive.analysis import inductive_params, write_overview

    params = inductive_params(config)
    return write_overview(
        folder,
        [pd.read_parquet(p) for p in candidate_paths],
        [pd.read_parquet(p) for p in overview_paths],
        params.topics.examples,
    )


# --- panel ---------------------------------------------------------------------------------


def panel_params(config: dict[str, object]) -> PanelParams:
    """The ``panel`` section of the config as parameters."""
    cfg = dict(config)
    if "band_labels" in cfg:
        cfg["band_labels"] = tuple(cfg["band_labels"])  # type: ignore[arg-type]
    return PanelParams(**cfg)  # type: ignore[arg-type]


def _previous(wave: str, waves: list[str]) -> str | None:
    earlier = [w for w in waves if w < wave]
    return earlier[-1] if earlier else None


def panel_analysis(
    documents: pd.DataFrame, codings: pd.DataFrame, params: PanelParams
) -> dict[str, pd.DataFrame]:
    """All panel tables from the primary documents and codings (see :mod:`asaqda.panel`)."""
    waves = sorted(documents["wave"].unique())
    panel = panel_interviews(documents)
    checks = link_checks(panel)
    measures = interview_measures(panel, codings)
    if panel.empty:
        types = pd.DataFrame(columns=[*TYPE_COLUMNS, "niveau", "ausgeschieden", "abbruch"])
        return {
            "verlauf": verlauf_table(measures),
            "typen": types,
            "checks": checks,
            "measures": measures,
        }
    types = trajectory_types(measures, checks, waves[-1], params)
    prev = _previous(waves[-1], waves)
    before = pd.DataFrame(columns=["person", "typ", "vorlaeufig"])
    if prev is not None and (measures["welle"] <= prev).any():
        old = measures[measures["welle"] <= prev]
        before = trajectory_types(old, link_checks(panel[panel["welle"] <= prev]), prev, params)
    merged = types.merge(
        before[["person", "typ", "vorlaeufig"]].rename(
            columns={"typ": "typ_vorher", "vorlaeufig": "vorlaeufig_vorher"}
        ),
        on="person",
        how="left",
    )
    change = []
    for r in merged.itertuples(index=False):
        if not isinstance(r.typ_vorher, str):
            change.append("neu")
        elif r.typ_vorher != r.typ:
            change.append(f"{r.typ_vorher} → {r.typ}")
        elif bool(r.vorlaeufig_vorher) and not r.vorlaeufig:
            change.append("jetzt endgültig")
        else:
            change.append("")
    merged["aenderung"] = change
    merged["stand_welle"] = waves[-1]
    types = merged[
        [
            *TYPE_COLUMNS,
            "niveau",
            "delta1",
            "delta2",
            "letzte_panelwelle",
            "letzte_welle",
            "ausgeschieden",
            "abbruch",
            "typ_vorher",
            "aenderung",
            "stand_welle",
            "grund",
        ]
    ]
    latest = measures.sort_values(["person", "welle"]).groupby("person")["betrieb"].last()
    practice = freistellung_practice(documents, codings).set_index("betrieb")["praxis"]
    by_practice = latest.map(
        lambda b: (
            practice.get(b, "kein Betriebsinterview")
            if isinstance(b, str) and b
            else "kein Betrieb"
        )
    )
    freizeit = measures.groupby("person")["freizeit"].any().map({True: "ja", False: "nein"})
    support = (
        codings[codings["code"].str.startswith("Unterstützung > ")]
        .merge(panel[["doc_id", "person"]], on="doc_id")[["person", "code"]]
        .drop_duplicates()
    )
    return {
        "verlauf": verlauf_table(measures),
        "typen": types,
        "verteilung": type_distribution(types),
        "uebergaenge": transitions(measures, types, params),
        "schwund": attrition(types),
        "nach_freistellung": crosstab(types, by_practice, "freistellung_betrieb"),
        "nach_freizeit": crosstab(types, freizeit, "teilnahme_in_der_freizeit"),
        "nach_unterstuetzung": support_crosstab(types, support),
        "checks": checks,
        "measures": measures,
    }


_PANEL_FILES = {
    "verlauf": "arbeitsfaehigkeit_verlauf",
    "typen": "verlaufstypen",
    "verteilung": "verlaufstypen_verteilung",
    "uebergaenge": "verlauf_uebergaenge",
    "schwund": "panel_schwund",
    "nach_freistellung": "verlauf_nach_freistellung",
    "nach_freizeit": "verlauf_nach_freizeit",
    "nach_unterstuetzung": "verlauf_nach_unterstuetzung",
}
_PANEL_SHEETS = {
    "verteilung": "Verlaufstypen",
    "typen": "Personen",
    "verlauf": "Verlauf je Interview",
    "uebergaenge": "Übergänge",
    "schwund": "Panelschwund",
    "nach_freistellung": "Nach Freistellung",
    "nach_freizeit": "Nach Freizeit",
    "nach_unterstuetzung": "Nach Unterstützung",
}
_PANEL_LABELS = {
    "person": "Person",
    "panelwelle": "Panelwelle",
    "welle": "Welle",
    "was": "WAS",
    "bilanz": "Bilanz Arbeitsfähigkeit",
    "bewaeltigung_bilanz": "Bilanz Bewältigungsfähigkeit",
    "betrieb": "Betrieb",
    "kodiert": "kodiert",
    "ereignisse": "Ereignisse Arbeitsfähigkeit",
    "typ": "Verlaufstyp",
    "vorlaeufig": "vorläufig",
    "anzahl_interviews": "Interviews",
    "niveau": "typisiert nach",
    "delta1": "Δ1",
    "delta2": "Δ2",
    "letzte_panelwelle": "letzte Panelwelle",
    "letzte_welle": "letzte Welle",
    "ausgeschieden": "ausgeschieden",
    "abbruch": "Abbruch kodiert",
    "abbruch_kodiert": "Abbruch kodiert",
    "typ_vorher": "Typ nach der Vorwelle",
    "aenderung": "Änderung",
    "stand_welle": "Stand (Welle)",
    "grund": "Hinweis",
    "n": "n",
    "anteil_prozent": "Anteil %",
    "davon_vorlaeufig": "davon vorläufig",
    "von_panelwelle": "von Panelwelle",
    "nach_panelwelle": "nach Panelwelle",
    "von": "von",
    "nach": "nach",
    "freistellung_betrieb": "Freistellungspraxis des Betriebs",
    "teilnahme_in_der_freizeit": "Teilnahme in der Freizeit",
    "unterstuetzung": "Unterstützung",
}


def panel_step(
    corpus_dir: Path,
    tables_dir: Path,
    figures_dir: Path,
    quality_dir: Path,
    params: PanelParams,
    portrait_dir: Path | None = None,
    codebook_json: Path | None = None,
) -> dict[str, pd.DataFrame]:
    """Panel tables (``tables/arbeitsfaehigkeit_verlauf.csv``, ``tables/verlaufstypen.csv``,
    ...), the linking checks (``qualitaet/panel_verknuepfung.csv``), the figures
    ``figures/verlaeufe`` and ``figures/verlauf_alluvial`` (PNG + SVG) and, with
    ``portrait_dir`` (``interim/panel``), what the portraits show
    (:func:`asaqda.panel.portraits.write_portrait_tables`).

    With ``codebook_json``, a crosstab whose codes the codebook lacks is one row saying so,
    and ``arbeitsfaehigkeit.xlsx`` starts with a sheet ``Hinweis`` listing what is absent
    (:func:`asaqda.panel.tables.absent_panel_codes`)."""
    from asaqda.panel.figures import alluvial_figure, trajectory_figure
    from asaqda.panel.portraits import (
        portrait_events,
        portrait_interviews,
        write_portrait_tables,
    )
    from asaqda.panel.tables import absent_panel_codes
    from asaqda.plotting import new_figure, save_figure

    documents, codings = primary_copies(corpus_dir)
    result = panel_analysis(documents, codings, params)
    absent: list[str] = []
    if codebook_json is not None:
        result, absent = absent_panel_codes(result, load_codebook_json(codebook_json).paths)
    for note in absent:
        log.warning("panel: %s", note)
    if portrait_dir is not None:
        write_portrait_tables(
            portrait_interviews(result["measures"], result["typen"]),
            portrait_events(result["measures"], codings),
            portrait_dir,
        )
    for problem in result["checks"].itertuples():
        log.warning("panel %s: %s - %s", problem.person, problem.art, problem.detail)
    write_csv(quality_dir / "panel_verknuepfung.csv", result["checks"])
    if "verteilung" not in result:
        log.warning("keine Panelinterviews (Panel = ja): die Paneltabellen sind leer")
        for key, name in _PANEL_FILES.items():
            write_csv(tables_dir / f"{name}.csv", result.get(key, pd.DataFrame()))
        write_csv(tables_dir / "verlaufstypen_regeln.csv", typology_rules(params))
        write_xlsx(
            tables_dir / "arbeitsfaehigkeit.xlsx",
            {
                "Hinweis": pd.DataFrame(
                    {"Hinweis": ["Keine Panelinterviews (Panel = ja) in den Daten."]}
                )
            },
        )
        for stem in ("verlaeufe", "verlauf_alluvial"):
            fig, ax = new_figure()
            ax.text(0.5, 0.5, "Keine Panelinterviews", ha="center", transform=ax.transAxes)
            save_figure(fig, figures_dir / stem)
        return result
    for key, name in _PANEL_FILES.items():
        write_csv(tables_dir / f"{name}.csv", result[key])
    write_csv(tables_dir / "verlaufstypen_regeln.csv", typology_rules(params))
    write_xlsx(
        tables_dir / "arbeitsfaehigkeit.xlsx",
        ({"Hinweis": pd.DataFrame({"Hinweis": absent})} if absent else {})
        | {sheet: result[key].rename(columns=_PANEL_LABELS) for key, sheet in _PANEL_SHEETS.items()}
        | {
            "Verknüpfung prüfen": result["checks"].rename(
                columns={"person": "Person", "art": "Art", "detail": "Detail"}
            )
        },
        widths={"Verknüpfung prüfen": {"Detail": 80}},
    )
    trajectory_figure(result["measures"], result["typen"], figures_dir / "verlaeufe")
    alluvial_figure(result["measures"], result["typen"], params, figures_dir / "verlauf_alluvial")
    log.info(
        "panel: %d persons, %d interviews; %d linking problems",
        len(result["typen"]),
        len(result["verlauf"]),
        len(result["checks"]),
    )
    return result


def portraits_step(
    panel_dir: Path,
    out_dir: Path,
    cache_dir: Path,
    workers: int = 2,
    codebook_json: Path | None = None,
) -> list[Path]:
    """One page per panel person (``figures/portraits/{person}.png`` and ``.svg``) from the
    tables the panel step wrote (``interim/panel``); only the pages whose content changed are
    drawn (by ``workers`` processes), the others are copied from ``cache_dir``
    (``interim/portraits``, see :func:`asaqda.panel.portraits.update_portraits`).

    Parameters
    ----------
    panel_dir
        ``interim/panel`` with ``portraits.parquet`` and ``portrait_events.parquet``.
    out_dir
        ``figures/portraits``.
    cache_dir
        ``interim/portraits``: the drawn pages by content key, kept between runs.
    workers
        Processes that draw (Snakemake's ``threads``).
    codebook_json
        With it, a codebook without the event codes puts a note on each page
        (:func:`asaqda.panel.tables.absent_events_note`).

    Returns
    -------
    list of Path
        The PNG and SVG of every person, sorted by person; empty without panel persons.
    """
    from asaqda.panel.figures import portrait_drawing
    from asaqda.panel.portraits import read_portrait_tables, update_portraits
    from asaqda.panel.tables import absent_events_note

    note = (
        absent_events_note(load_codebook_json(codebook_json).paths)
        if codebook_json is not None
        else ""
    )
    interviews, events = read_portrait_tables(panel_dir)
    run = update_portraits(
        interviews, events, out_dir, cache_dir, portrait_drawing(), workers, note=note
    )
    return run.paths


# --- REFI-QDA ---------------------------------------------------------------------------------


def refi_export_step(wave_dir: Path, codebook_json: Path, out_path: Path) -> dict[str, int]:
    """Export one wave as a REFI-QDA project (``maxqda/{wave}.qdpx``): transcripts, codebook,
    human codings (accepted suggestions included, ``codings_reviewed.parquet``) and the open
    suggestions under ``Vorschläge``."""
    wave = wave_dir.name
    codebook = load_codebook_json(codebook_json)
    documents = pd.read_parquet(wave_dir / "documents.parquet")
    paragraphs = pd.read_parquet(wave_dir / "paragraphs.parquet")
    codings = pd.read_parquet(wave_dir / "codings_reviewed.parquet")
    suggestions = pd.read_parquet(wave_dir / "suggestions.parquet")
    counts = write_project(out_path, wave, documents, paragraphs, codings, suggestions, codebook)
    log.info(
        "%s: %d sources, %d codings, %d suggestions exported; %d codings without text",
        wave,
        counts["quellen"],
        counts["codierungen"],
        counts["vorschlaege"],
        counts["ohne_text"],
    )
    return counts


# --- review sheets --------------------------------------------------------------------------


def review_read_step(
    sheet_paths: list[Path],
    input_dir: Path,
    wave_dir: Path,
    codebook_json: Path,
    out_decisions: Path,
    out_problems: Path,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the wave's filled review sheets into ``decisions.parquet`` and
    ``review_problems.parquet`` (rows that were not applied, and why).

    Raises
    ------
    InputError
        E015/E016 when a sheet cannot be read as a whole; nothing is written then.
    """
    wave = wave_dir.name
    codebook = load_codebook_json(codebook_json)
    sheets = []
    for path in sheet_paths:
        display = path.resolve().relative_to(input_dir.resolve()).as_posix()
        if path.suffix.lower() != ".xlsx":
            raise InputError(
                Problem(
                    "E015",
                    "als Prüfbogen werden nur Excel-Arbeitsmappen (.xlsx) gelesen",
                    Location(display),
                    "den Bogen in Excel als 'Excel-Arbeitsmappe (*.xlsx)' speichern oder die "
                    "Datei aus dem Ordner review/ nehmen",
                )
            )
        sheets.append(read_review_sheet(path, display, wave))
    documents = pd.read_parquet(wave_dir / "documents.parquet")
    documents = documents[~mark_intercoder_copies(documents)]
    paragraphs = pd.read_parquet(wave_dir / "paragraphs.parquet")
    decisions, problems = validate_decisions(sheets, documents, paragraphs, codebook)
    for p in problems.itertuples():
        log.warning("%s, row %s: %s", p.datei, p.zeile, p.problem)
    out_decisions.parent.mkdir(parents=True, exist_ok=True)
    decisions.to_parquet(out_decisions, index=False)
    problems.to_parquet(out_problems, index=False)
    log.info(
        "%s: %d review sheets, %d decisions, %d rows not applied",
        wave,
        len(sheets),
        len(decisions),
        len(problems),
    )
    return decisions, problems


_DECISION_LABELS = {
    "wave": "Welle",
    "document_name": "Dokument",
    "paragraph": "Absatz",
    "code": "Vorgeschlagener Code",
    "score": "Score (angezeigt)",
    "decision": "Entscheidung",
    "other_code": "Anderer Code",
    "comment": "Kommentar",
    "coder": "Kodierende",
    "date": "Datum",
    "codebook_version": "Codebuchversion",
    "model_version": "Modellversion",
    "source_file": "Prüfbogen",
    "source_row": "Zeile",
    "suggestion_id": "Vorschlags-ID",
}
_PROBLEM_LABELS = {
    "welle": "Welle",
    "datei": "Prüfbogen",
    "zeile": "Zeile",
    "spalte": "Spalte",
    "vorschlags_id": "Vorschlags-ID",
    "kodierende": "Kodierende",
    "problem": "Problem",
    "hinweis": "Was tun",
}


def review_report_step(wave_dirs: list[Path], review_dir: Path) -> None:
    """All decisions (``review/entscheidungen.*``) and all rows that were not applied
    (``review/konflikte.*``) across waves."""
    decisions = read_corpus(wave_dirs, "decisions")
    problems = read_corpus(wave_dirs, "review_problems")
    write_csv(review_dir / "entscheidungen.csv", decisions)
    write_csv(review_dir / "konflikte.csv", problems)
    write_xlsx(
        review_dir / "entscheidungen.xlsx",
        {"Entscheidungen": decisions.drop(columns="doc_id").rename(columns=_DECISION_LABELS)},
        widths={"Entscheidungen": {"Vorgeschlagener Code": 40, "Anderer Code": 40}},
    )
    write_xlsx(
        review_dir / "konflikte.xlsx",
        {"Konflikte": problems.rename(columns=_PROBLEM_LABELS)},
        wrap_columns={"Konflikte": ["Problem", "Was tun"]},
        widths={"Konflikte": {"Problem": 60, "Was tun": 60}},
    )


def review_sheets_step(
    wave_dir: Path,
    codebook_json: Path,
    model_dir: Path,
    out_dir: Path,
    coders: list[str],
    overlap: float = 0.0,
) -> dict[str, Path]:
    """Write ``review/{wave}/{coder}.xlsx`` with the wave's open suggestions.

    Only the pre-coder's description (``precoder.json``) is read, not the model itself."""
    codebook = load_codebook_json(codebook_json)
    meta = json.loads((model_dir / "precoder.json").read_text(encoding="utf-8"))
    gate = pd.DataFrame(meta["gate"], columns=["code", "n_beispiele"])
    suggestions = pd.read_parquet(wave_dir / "suggestions.parquet")
    paragraphs = pd.read_parquet(wave_dir / "paragraphs.parquet")
    examples = dict(zip(gate["code"], gate["n_beispiele"].astype(int), strict=True))
    leaves = [c.code for c in codebook.codes if not codebook.children(c.code)]
    paths = write_review_sheets(
        out_dir,
        suggestions,
        paragraphs,
        wave=wave_dir.name,
        coders=coders,
        overlap=overlap,
        examples=examples,
        codes=leaves,
        codebook_version=codebook.meta.version,
        model_version=meta["model_version"],
        threshold=float(meta["params"]["threshold"]),
    )
    log.info("%s: review sheets for %s", wave_dir.name, ", ".join(paths) or "nobody")
    return paths


def read_decisions(wave_dirs: list[Path]) -> pd.DataFrame:
    """The review decisions of several waves (empty frame when there are none)."""
    frames = [
        pd.read_parquet(d / "decisions.parquet")
        for d in wave_dirs
        if (d / "decisions.parquet").exists()
    ]
    frames = [f for f in frames if len(f)]
    return (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(columns=["doc_id", "paragraph", "code", "decision", "other_code"])
    )


# --- pre-coding -----------------------------------------------------------------------------

_GUETE_LABELS = {
    "code": "Code",
    "methode": "Methode",
    "n_beispiele": "Beispiele",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
    "kappa": "Kappa",
    "kappa_untergrenze": "Kappa, untere 95-%-Grenze",
}
#: guete_vorwaerts.csv -> sheet "Vorwärts in der Zeit" of guete.xlsx
_FORWARD_LABELS = {
    "welle": "Welle",
    "trainiert_auf": "Trainiert auf",
    "code": "Code",
    "n_beispiele": "Beispiele",
    "precision": "Precision",
    "recall": "Recall",
    "f1": "F1",
    "kappa": "Kappa",
    "kappa_untergrenze": "Kappa, untere 95-%-Grenze",
}


def precode_params(config: dict[str, object]) -> PrecodeParams:
    """The ``precode`` section of the config as parameters."""
    from asaqda.precode.precoder import PrecodeParams

    return PrecodeParams(**config)  # type: ignore[arg-type]


def train_step(
    wave_dirs: list[Path], codebook_json: Path, model_dir: Path, params: PrecodeParams
) -> Precoder:
    """Evaluate and train the pre-coder of a wave on the human codings of that wave and the
    waves before it (``wave_dirs``); write it to ``model_dir``.

    Each wave's suggestions come from its own model, so a new wave leaves the earlier waves'
    models, suggestions and review sheets as they are. Paragraphs that coders decided on in
    review sheets are training material too: accepted suggestions are codings by then
    (``codings_reviewed.parquet``), and a rejected code is a negative example.

    Besides the model (``precoder.pkl``/``precoder.json``) ``model_dir`` gets the evaluation
    (``guete.parquet``, ``kalibrierung.parquet``), the held-out decisions
    (``heldout.parquet``) and the waves trained on (``training.json``); the quality report
    (:func:`precode_quality_step`) is written from the last wave's.

    Nothing to learn from (no coded wave with transcripts) is not a crash: the report says so
    and no code is suggested.
    """
    from asaqda.precode.precoder import Precoder, leaf_codes, train_precoder

    codebook = load_codebook_json(codebook_json)
    paragraphs = read_corpus(wave_dirs, "paragraphs")
    documents, codings = wave_primary_copies(wave_dirs)
    codes = leaf_codes(codebook)
    decisions = read_decisions(wave_dirs)
    reviewed = set(zip(decisions["doc_id"], decisions["paragraph"].astype(int), strict=True))
    try:
        precoder, metrics, calib = train_precoder(
            paragraphs, codings, documents, codebook, params, reviewed=reviewed, forward=False
        )
    except PrecodeError as exc:
        log.warning("pre-coding not trained: %s", exc)
        gate = pd.DataFrame(
            {
                "code": codes,
                "n_beispiele": 0,
                "kappa": 0.0,
                "vorkodierbar": False,
                "grund": exc.problems[0].message,
            }
        )
        precoder = Precoder(None, {}, gate, params, "keins", codebook.meta.version)
        metrics = pd.DataFrame(columns=list(_GUETE_LABELS))
        calib = pd.DataFrame(columns=["methode", "band", "n", "mittlerer_score", "anteil_richtig"])
    for r in precoder.gate[~precoder.gate["vorkodierbar"]].itertuples():
        log.warning("not pre-codable yet: %s - %s", r.code, r.grund)
    precoder.save(model_dir)
    heldout = (
        precoder.heldout
        if precoder.heldout is not None
        else pd.DataFrame(columns=["doc_id", "paragraph", "maschine", "mensch"])
    )
    heldout.to_parquet(model_dir / "heldout.parquet", index=False)
    metrics.to_parquet(model_dir / "guete.parquet", index=False)
    calib.to_parquet(model_dir / "kalibrierung.parquet", index=False)
    trained_on = sorted(
        set(paragraphs.loc[paragraphs["doc_id"].isin(heldout["doc_id"].unique()), "wave"])
    )
    (model_dir / "training.json").write_text(
        json.dumps({"waves": [str(w) for w in trained_on]}) + "\n", encoding="utf-8"
    )
    return precoder


def forward_wave_step(
    wave_dir: Path, codebook_json: Path, earlier_model_dir: Path, out_path: Path
) -> pd.DataFrame:
    """Quality forward in time for one wave: the model of the wave before it (trained on the
    earlier waves only) decides on this wave's coded paragraphs (``vorwaerts.parquet``:
    ``doc_id``, ``paragraph``, ``maschine``, ``mensch``, ``trainiert_auf``).

    Empty when the earlier model learnt nothing or the wave has no human codes.
    """
    from asaqda.precode.precoder import Precoder

    codebook = load_codebook_json(codebook_json)
    precoder = Precoder.load(earlier_model_dir)
    trained_on = json.loads((earlier_model_dir / "training.json").read_text(encoding="utf-8"))
    waves = trained_on["waves"]
    label = "" if not waves else waves[0] if len(waves) == 1 else f"{waves[0]} bis {waves[-1]}"
    paragraphs = pd.read_parquet(wave_dir / "paragraphs.parquet")
    documents, codings = wave_primary_copies([wave_dir])
    decisions = read_decisions([wave_dir])
    reviewed = set(zip(decisions["doc_id"], decisions["paragraph"].astype(int), strict=True))
    frame = precoder.forward_decisions(paragraphs, codings, documents, codebook, reviewed)
    frame["trainiert_auf"] = label
    out_path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_parquet(out_path, index=False)
    log.info("%s: %d paragraphs decided by the model of %s", wave_dir.name, len(frame), label)
    return frame


def precode_quality_step(
    model_dir: Path, forward_files: list[Path], codebook_json: Path, report_dir: Path
) -> None:
    """The pre-coding quality report (``vorcodierung/guete.*``, ``kalibrierung.csv``,
    ``nicht_vorkodierbar.csv``, ``guete_vorwaerts.csv``) from the newest wave's model
    (``model_dir``) and every wave's forward decisions (:func:`forward_wave_step`)."""
    from asaqda.precode.forward import FORWARD_COLUMNS, forward_table
    from asaqda.precode.precoder import Precoder, leaf_codes

    codebook = load_codebook_json(codebook_json)
    precoder = Precoder.load(model_dir)
    params = precoder.params
    metrics = pd.read_parquet(model_dir / "guete.parquet")
    calib = pd.read_parquet(model_dir / "kalibrierung.parquet")
    frames = [pd.read_parquet(p).assign(welle=p.parent.name) for p in forward_files]
    forward = forward_table(frames, leaf_codes(codebook))
    forward = forward.reindex(columns=FORWARD_COLUMNS)
    gate = precoder.gate
    write_csv(report_dir / "guete.csv", metrics)
    write_csv(report_dir / "kalibrierung.csv", calib)
    write_csv(report_dir / "guete_vorwaerts.csv", forward)
    write_csv(report_dir / "nicht_vorkodierbar.csv", gate[~gate["vorkodierbar"]])
    write_xlsx(
        report_dir / "guete.xlsx",
        {
            "Güte": metrics.rename(columns=_GUETE_LABELS),
            "Vorwärts in der Zeit": forward.rename(columns=_FORWARD_LABELS),
            "Qualitätsschranke": gate.rename(
                columns={
                    "code": "Code",
                    "n_beispiele": "Beispiele",
                    "kappa": "Kappa (kombiniert, kalibriert)",
                    "vorkodierbar": "Vorkodierbar",
                    "grund": "Grund",
                    "kappa_untergrenze": "Kappa, untere 95-%-Grenze",
                    "schwelle": "Schwelle (kalibrierter Score)",
                }
            ),
            "Kalibrierung": calib,
            "Modell": pd.DataFrame(
                {
                    "Angabe": [
                        "Modellversion",
                        "Codebuchversion",
                        "Schwelle (Codes ohne eigene Schwelle)",
                        "Mindest-Kappa",
                        "Mindestbeispiele",
                        "Schwellen je Code gewählt für",
                    ],
                    "Wert": [
                        precoder.model_version,
                        precoder.codebook_version,
                        params.threshold,
                        params.min_kappa,
                        params.min_examples,
                        "F1"
                        if params.target_precision is None
                        else f"Präzision ≥ {params.target_precision:.2f}",
                    ],
                }
            ),
        },
        widths={
            "Güte": {"Code": 50},
            "Vorwärts in der Zeit": {"Code": 50, "Trainiert auf": 20},
            "Qualitätsschranke": {"Code": 50, "Grund": 60},
        },
    )


def precode_step(
    wave_dir: Path, codebook_json: Path, model_dir: Path, out_path: Path
) -> pd.DataFrame:
    """Suggestions for the uncoded documents of one wave (``suggestions.parquet``).

    Suggestions a coder already decided (``decisions.parquet`` in ``wave_dir``) are not
    proposed again, nor the other code a coder chose instead.
    """
    from asaqda.precode.model import coded_paragraphs
    from asaqda.precode.precoder import Precoder

    codebook = load_codebook_json(codebook_json)
    precoder = Precoder.load(model_dir)
    documents = pd.read_parquet(wave_dir / "documents.parquet")
    paragraphs = pd.read_parquet(wave_dir / "paragraphs.parquet")
    # intercoder copies only serve the agreement check (copies lie within one wave)
    targets = documents[documents["has_transcript"] & ~mark_intercoder_copies(documents)]
    if precoder.params.only_uncoded:
        targets = targets[targets["n_codings"] == 0]
    else:  # also the paragraphs no human has coded in coded documents
        covered = coded_paragraphs(pd.read_parquet(wave_dir / "codings.parquet"))
        uncovered = paragraphs.merge(
            covered[["doc_id", "paragraph"]].drop_duplicates(),
            on=["doc_id", "paragraph"],
            how="left",
            indicator=True,
        )
        paragraphs = paragraphs[(uncovered["_merge"] == "left_only").to_numpy()]
    if not documents["has_transcript"].any():
        log.warning("%s: keine Transkripte, nichts vorzucodieren", wave_dir.name)
    rows = paragraphs[paragraphs["doc_id"].isin(targets["doc_id"])].merge(
        targets[["doc_id", "document_name"]], on="doc_id"
    )
    suggestions = precoder.suggest(rows, codebook)
    decided = decided_keys(read_decisions([wave_dir]))
    if decided and len(suggestions):
        keys = zip(
            suggestions["doc_id"], suggestions["paragraph"], suggestions["code"], strict=True
        )
        open_ = [k not in decided for k in keys]
        log.info("%s: %d suggestions already decided", wave_dir.name, len(open_) - sum(open_))
        suggestions = suggestions[open_].reset_index(drop=True)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    suggestions.to_parquet(out_path, index=False)
    log.info(
        "%s: %d suggestions for %d documents",
        wave_dir.name,
        len(suggestions),
        rows["doc_id"].nunique(),
    )
    return suggestions


def precode_summary_step(wave_dirs: list[Path], report_dir: Path) -> None:
    """Readable summary of all suggestions (``vorcodierung/``)."""
    frames = [pd.read_parquet(d / "suggestions.parquet") for d in wave_dirs]
    suggestions = pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)
    paragraphs = read_corpus(wave_dirs, "paragraphs")[["doc_id", "paragraph", "text"]]
    overview = (
        suggestions.groupby(["wave", "code"])
        .agg(
            vorschlaege=("suggestion_id", "size"),
            dokumente=("doc_id", "nunique"),
            mittlerer_score=("score", "mean"),
        )
        .reset_index()
        .rename(columns={"wave": "welle"})
    )
    overview["mittlerer_score"] = overview["mittlerer_score"].round(3)
    write_csv(report_dir / "uebersicht.csv", overview)
    detail = suggestions.merge(paragraphs, on=["doc_id", "paragraph"], how="left")
    for col in RANK_HEADERS:  # suggestions written before the ranking have none
        if col not in detail.columns:
            detail[col] = None
    detail = detail[
        ["wave", "document_name", "paragraph", "code", "score", "method", "evidence", "text"]
        + list(RANK_HEADERS)
    ].rename(
        columns={
            "wave": "Welle",
            "document_name": "Dokument",
            "paragraph": "Absatz",
            "code": "Vorgeschlagener Code",
            "score": "Score",
            "method": "Methode",
            "evidence": "Begründung",
            "text": "Absatztext",
        }
        | RANK_HEADERS
    )
    write_xlsx(
        report_dir / "vorschlaege.xlsx",
        {
            "Übersicht": overview.rename(
                columns={
                    "welle": "Welle",
                    "code": "Code",
                    "vorschlaege": "Vorschläge",
                    "dokumente": "Dokumente",
                    "mittlerer_score": "Mittlerer Score",
                }
            ),
            "Vorschläge": detail,
        },
        wrap_columns={"Vorschläge": ["Absatztext", "Begründung"]},
        widths={
            "Übersicht": {"Code": 50},
            "Vorschläge": {"Vorgeschlagener Code": 40, "Begründung": 50, "Absatztext": 80},
        },
    )


#: the note row of ``vorcodierung/annahme.xlsx`` before any suggestion was decided
NO_DECISIONS_NOTE = (
    "Noch keine Entscheidungen aus Prüfbögen: die Annahme je Code und Score-Band erscheint, "
    "sobald Kodierende die ersten Prüfbögen ausgefüllt zurückgegeben haben."
)


def precode_acceptance_step(wave_dirs: list[Path], report_dir: Path) -> pd.DataFrame:
    """How often coders accepted the suggestions per code and score band
    (``vorcodierung/annahme.csv`` and ``.xlsx``, :func:`asaqda.review.acceptance.acceptance_table`).

    Before the first reviewed wave the CSV has its header only and the sheet a German note.
    """
    from asaqda.review.acceptance import ACCEPTANCE_COLUMNS, ACCEPTANCE_LABELS, acceptance_table

    decisions = read_decisions(wave_dirs)
    table = acceptance_table(decisions)
    write_csv(report_dir / "annahme.csv", table)
    sheet = table.rename(columns=ACCEPTANCE_LABELS)
    if table.empty:
        sheet = pd.DataFrame(
            [{ACCEPTANCE_LABELS["code"]: NO_DECISIONS_NOTE}],
            columns=[ACCEPTANCE_LABELS[c] for c in ACCEPTANCE_COLUMNS],
        )
    write_xlsx(
        report_dir / "annahme.xlsx",
        {"Annahme durch Kodierende": sheet},
        widths={"Annahme durch Kodierende": {"Code": 50}},
    )
    unscored = int((decisions.get("score", pd.Series(dtype=float)).isna()).sum())
    log.info("%d decisions, %d without a shown score", len(decisions), unscored)
    return table
