"""The inductive step: material, lemmas and embeddings per wave, then a topic model per wave and
one across all waves (each from its own material alone), written as candidate sheets,
interactive pages and tidy tables under ``induktiv/``.

The pipeline runs it as separate jobs (:func:`wave_units` and :func:`unit_embeddings` per wave,
:func:`scope_topics` and :func:`write_scope` per scope, :func:`write_overview` once), so a new
wave adds its own scope and redoes only the one across all waves; :func:`run_inductive` runs
the same steps in one go."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from asaqda.codebook import Codebook, closest_code
from asaqda.errors import ConfigError, Location, Problem
from asaqda.inductive.embeddings import EMBEDDINGS, cached, fit_embedder
from asaqda.inductive.html import write_plotly_js, write_topic_page
from asaqda.inductive.material import MATERIAL_COLUMNS, UNCODED, select_material
from asaqda.inductive.preprocess import SPOKEN_FILLERS, lemma_texts
from asaqda.inductive.sheets import candidate_rows, write_candidate_sheet
from asaqda.inductive.topics import (
    BOILERPLATE,
    CHECK_COLUMNS,
    TOPIC_COLUMNS,
    TopicParams,
    TopicResult,
    cluster_jobs,
    fit_topics,
    material_problem,
    run_cluster_jobs,
    topic_size,
)
from asaqda.io.officefiles import write_csv
from asaqda.precode.features import SentenceEmbedder

__all__ = [
    "ALL_WAVES",
    "InductiveParams",
    "OVERVIEW_COLUMNS",
    "ScopeResult",
    "candidate_columns",
    "inductive_params",
    "run_id",
    "run_inductive",
    "scope_label",
    "scope_topics",
    "stack_units",
    "unit_embeddings",
    "wave_units",
    "write_overview",
    "write_scope",
]

log = logging.getLogger(__name__)

#: the scope of the model across all waves (file prefix and ``bereich`` value)
ALL_WAVES = "gesamt"
OVERVIEW_COLUMNS = [
    "bereich",
    "einheiten",
    "themen",
    "robust",
    "ohne_thema",
    "mindestgroesse",
    "ari_startwerte",
    "hinweis",
    "textbausteine",
]


@dataclass(frozen=True)
class InductiveParams:
    """Settings of the inductive step (config section ``inductive``)."""

    material: str = UNCODED
    min_words: int = 8
    extra_stop_words: tuple[str, ...] = SPOKEN_FILLERS
    topics: TopicParams = field(default_factory=TopicParams)


def inductive_params(config: dict[str, object]) -> InductiveParams:
    """The ``inductive`` section of the config as parameters."""
    cfg = dict(config)
    size = cfg.get("min_topic_size", "auto")
    topics = TopicParams(
        embedding=str(cfg.get("embedding", "use")),  # type: ignore[arg-type]
        min_topic_size=None if size == "auto" else int(size),  # type: ignore[arg-type]
        n_neighbors=int(cfg.get("n_neighbors", 15)),  # type: ignore[arg-type]
        seeds=tuple(int(s) for s in cfg.get("seeds", (0, 1, 2, 3, 4))),  # type: ignore[attr-defined]
        subsamples=int(cfg.get("subsamples", 3)),  # type: ignore[arg-type]
        subsample_share=float(cfg.get("subsample_share", 0.8)),  # type: ignore[arg-type]
        top_words=int(cfg.get("top_words", 10)),  # type: ignore[arg-type]
        examples=int(cfg.get("examples", 3)),  # type: ignore[arg-type]
    )
    return InductiveParams(
        material=str(cfg.get("material", UNCODED)),
        min_words=int(cfg.get("min_words", 8)),  # type: ignore[arg-type]
        extra_stop_words=tuple(cfg.get("extra_stop_words", SPOKEN_FILLERS)),  # type: ignore[arg-type]
        topics=topics,
    )


def scope_label(scope: str) -> str:
    """How a scope is named for people."""
    return "alle Wellen" if scope == ALL_WAVES else f"Welle {scope}"


def run_id(units: pd.DataFrame, params: InductiveParams, codebook_version: str) -> str:
    """A short id of the material and settings: the provenance of a candidate."""
    h = hashlib.sha1()
    h.update(f"{codebook_version}|{params!r}".encode())
    for uid, text in zip(units["unit_id"], units["text"], strict=True):
        h.update(f"{uid}\x1f{text}\x1e".encode())
    return "I-" + h.hexdigest()[:10]


def _check_material(material: str, codebook: Codebook) -> None:
    if material == UNCODED or codebook.get(material) is not None:
        return
    best, _ = closest_code(material, codebook.paths)
    hint = f" (ähnlichster Code: '{best}')" if best else ""
    raise ConfigError(
        Problem(
            "E201",
            f"inductive.material ist '{material}', das ist weder '{UNCODED}' noch ein Code "
            f"des Kodierleitfadens{hint}",
            Location("config/config.yaml", None, None, "inductive.material"),
            f"inductive.material auf '{UNCODED}' oder auf einen Codepfad des Kodierleitfadens "
            "setzen",
        )
    )


def _material_label(material: str) -> str:
    if material == UNCODED:
        return "Absätze kodierter Dokumente, die kein Code des Kodierleitfadens abdeckt"
    return f"Segmente des Codes {material} und seiner Unterkategorien"


def wave_units(
    paragraphs: pd.DataFrame,
    codings: pd.DataFrame,
    documents: pd.DataFrame,
    codebook: Codebook,
    params: InductiveParams,
) -> pd.DataFrame:
    """The material of one wave with its lemma texts (the input of every scope it is in).

    Parameters
    ----------
    paragraphs, codings, documents
        The wave's tables (codings with the accepted review suggestions, documents with
        ``intercoder_copy``); nothing of another wave may be in them, so the wave's material
        does not change when another wave arrives.
    codebook
        The codebook: paragraphs one of its codes covers are not material.
    params
        The settings (``material``, ``min_words``, ``extra_stop_words``).

    Returns
    -------
    pandas.DataFrame
        :data:`~asaqda.inductive.material.MATERIAL_COLUMNS` plus ``lemmas``.

    Raises
    ------
    ConfigError
        E201 when ``material`` is neither ``unkodiert`` nor a code of the codebook.
    """
    _check_material(params.material, codebook)
    units = select_material(
        paragraphs,
        codings,
        documents,
        codebook.paths,
        material=params.material,
        min_words=params.min_words,
    )
    units["lemmas"] = lemma_texts(units["text"].tolist(), params.extra_stop_words)
    return units


def unit_embeddings(units: pd.DataFrame, params: InductiveParams) -> np.ndarray:
    """The embeddings of one wave's units that do not depend on other units.

    ``use`` is a fixed pretrained encoder, so each wave is embedded once and the scope across
    all waves stacks the waves' rows. ``tfidf_svd`` is fitted on the material of a scope, so
    here it gives an array without columns and :func:`scope_topics` fits it per scope.

    Returns
    -------
    numpy.ndarray
        One float32 row per unit (``len(units)`` x 512 for ``use``, ``len(units)`` x 0
        otherwise).
    """
    if params.topics.embedding != "use" or not len(units):
        return np.zeros((len(units), 0), dtype=np.float32)
    return SentenceEmbedder(threads=2).fit([]).transform(units["text"].tolist())


@dataclass
class ScopeResult:
    """The topics of one scope and what the sheet, page and tables show of them."""

    scope: str
    result: TopicResult
    #: one row per candidate (:func:`candidate_columns`)
    candidates: pd.DataFrame
    #: one row (:data:`OVERVIEW_COLUMNS`)
    overview: pd.DataFrame
    #: the values of the candidate sheet's Info sheet
    info: dict[str, object]
    run: str


def candidate_columns(examples: int) -> list[str]:
    """The columns of ``kandidaten.csv`` (and of each scope's candidate table)."""
    cols = ["lauf", "bereich", *TOPIC_COLUMNS]
    cols += [f"{k}_{i}" for i in range(1, examples + 1) for k in ("beispiel", "quelle")]
    return cols + CHECK_COLUMNS


def scope_topics(
    scope: str,
    units: pd.DataFrame,
    vectors: np.ndarray,
    documents: pd.DataFrame,
    codebook: Codebook,
    params: InductiveParams,
    workers: int = 1,
) -> ScopeResult:
    """Fit the topic model of one scope (a wave, or :data:`ALL_WAVES`) on its units alone.

    Parameters
    ----------
    scope
        The wave, or :data:`ALL_WAVES`.
    units
        The scope's material (:func:`wave_units` of its waves, stacked in wave order).
    vectors
        Their :func:`unit_embeddings` (stacked the same way); ignored for ``tfidf_svd``,
        which is fitted here on the scope's lemmas.
    documents
        The documents of the scope's waves (``wave``, ``n_codings``, ``intercoder_copy``):
        a wave nobody has coded yet gets its own message.
    workers
        Processes for the UMAP + HDBSCAN runs; the result does not depend on their number.

    Returns
    -------
    ScopeResult
        Nothing in it depends on material outside the scope; the run id is that of the
        scope's units and settings. BLAS runs on one thread meanwhile: sums taken in another
        order shift the neighbour graph in the last digits, and UMAP then gives other topics,
        so with the job's threads the topics would depend on ``--cores``.
    """
    with threadpool_limits(limits=1):
        return _fit_scope(scope, units, vectors, documents, codebook, params, workers)


def _fit_scope(
    scope: str,
    units: pd.DataFrame,
    vectors: np.ndarray,
    documents: pd.DataFrame,
    codebook: Codebook,
    params: InductiveParams,
    workers: int = 1,
) -> ScopeResult:
    """:func:`scope_topics` without the BLAS thread limit."""
    units = units.reset_index(drop=True)
    lemmas = units["lemmas"].tolist()
    units = units.drop(columns="lemmas")
    embed_more = None
    if not len(units):
        vectors = np.zeros((0, 1), dtype=np.float32)
    elif params.topics.embedding == "use":
        embed_more = cached(SentenceEmbedder(threads=2).transform)
    else:
        vectors, embed_more = fit_embedder(
            units["text"].tolist(),
            lemmas,
            params.topics.embedding,
            params.topics.seeds[0],
            lambda texts: lemma_texts(texts, params.extra_stop_words),
        )
        embed_more = cached(embed_more)
    size = topic_size(len(units), params.topics)
    runs = None
    if material_problem(lemmas, size) is None:
        jobs = cluster_jobs(vectors, size, params.topics)
        log.info("%s: %d UMAP- und HDBSCAN-Läufe in %d Prozessen", scope, len(jobs), workers)
        runs = run_cluster_jobs(jobs, workers)
    result = fit_topics(units, lemmas, vectors, params.topics, runs=runs, embed_texts=embed_more)
    coded = documents[(documents["n_codings"] > 0) & ~documents["intercoder_copy"]]
    if (
        result.message
        and not len(units)
        and params.material == UNCODED
        and scope != ALL_WAVES
        and not (coded["wave"] == scope).any()
    ):
        result.message = (
            f"Welle {scope} hat noch keine kodierten Dokumente. Das Material sind Absätze "
            "kodierter Dokumente ohne Code; Kandidaten gibt es, sobald die Welle kodiert ist."
        )
    log.info(
        "%s: %d Einheiten, %d Themen%s",
        scope,
        len(units),
        len(result.topics),
        f" ({result.message})" if result.message else "",
    )
    rid = run_id(units, params, codebook.meta.version)
    parent = None if params.material == UNCODED else params.material
    cols = candidate_columns(params.topics.examples)
    candidates = candidate_rows(result, parent, params.topics.examples)
    candidates = (
        candidates.assign(bereich=scope, lauf=rid)[cols]
        if len(candidates)
        else pd.DataFrame(columns=cols)
    )
    info = {
        "Bereich": scope,
        "Lauf": rid,
        "Material": _material_label(params.material),
        "Einbettung": EMBEDDINGS[params.topics.embedding],
        "Einheiten": len(units),
        "Mindestgröße": result.min_topic_size,
        "Startwerte": ", ".join(str(s) for s in params.topics.seeds),
        "Teilproben": _subsample_label(params.topics),
        "Stabilität gesamt (ARI)": ", ".join(f"{a:.3f}" for a in result.seed_ari),
        "Codebuchversion": codebook.meta.version,
        "Hinweis": result.message or "",
    }
    overview = pd.DataFrame([_overview_row(scope, result)], columns=OVERVIEW_COLUMNS)
    return ScopeResult(scope, result, candidates, overview, info, rid)


def write_scope(
    folder: Path, scope: ScopeResult, codebook: Codebook, params: InductiveParams
) -> tuple[Path, Path]:
    """Write the candidate sheet and the interactive page of one scope into ``folder``.

    Returns
    -------
    (sheet, page)
        ``{scope}_kandidaten.xlsx`` and ``{scope}_themen.html``.
    """
    parent = None if params.material == UNCODED else params.material
    examples = params.topics.examples
    result, info = scope.result, scope.info
    sheet = write_candidate_sheet(
        folder / f"{scope.scope}_kandidaten.xlsx",
        result,
        candidate_rows(result, parent, examples),
        info=info,
        parent=parent,
        codes=codebook.paths,
        examples=examples,
    )
    page = write_topic_page(
        folder / f"{scope.scope}_themen.html",
        result,
        title=f"Induktive Kandidaten: {scope_label(scope.scope)}",
        intro=f"Lauf {scope.run}. Material: {info['Material']}. "
        f"Einbettung: {info['Einbettung']}. {info['Einheiten']} Einheiten, "
        f"Mindestgröße eines Themas {result.min_topic_size}.",
    )
    return sheet, page


def write_overview(
    folder: Path, candidates: list[pd.DataFrame], overview: list[pd.DataFrame], examples: int
) -> pd.DataFrame:
    """Write ``kandidaten.csv``, ``uebersicht.csv`` and ``plotly.min.js`` into ``folder``.

    Parameters
    ----------
    candidates, overview
        The scopes' :attr:`ScopeResult.candidates` and :attr:`ScopeResult.overview`, in the
        order of the scopes (waves, then :data:`ALL_WAVES`).
    examples
        Examples per candidate (the columns of ``kandidaten.csv``).

    Returns
    -------
    pandas.DataFrame
        The overview (:data:`OVERVIEW_COLUMNS`), one row per scope.
    """
    write_plotly_js(folder)
    cols = candidate_columns(examples)
    filled = [c for c in candidates if len(c)]
    table = pd.concat(filled, ignore_index=True)[cols] if filled else pd.DataFrame(columns=cols)
    write_csv(folder / "kandidaten.csv", table)
    rows = [o for o in overview if len(o)]
    frame = (
        pd.concat(rows, ignore_index=True)[OVERVIEW_COLUMNS]
        if rows
        else pd.DataFrame(columns=OVERVIEW_COLUMNS)
    )
    write_csv(folder / "uebersicht.csv", frame)
    return frame


def run_inductive(
    paragraphs: pd.DataFrame,
    codings: pd.DataFrame,
    documents: pd.DataFrame,
    codebook: Codebook,
    waves: list[str],
    out_dir: Path,
    params: InductiveParams,
    workers: int = 1,
) -> pd.DataFrame:
    """Fit the topic models of every wave and of all waves; write ``induktiv/``.

    The pipeline runs the same steps as separate jobs (one per wave for the material, one per
    scope for the topics, one for the tables); this runs them in one go. Each wave's material
    and topics come from that wave's rows alone; :data:`ALL_WAVES` stacks the waves'
    material.

    Writes ``{wave}_kandidaten.xlsx`` and ``{wave}_themen.html`` per wave and for
    ``gesamt``, ``plotly.min.js``, ``kandidaten.csv`` (one row per candidate and scope) and
    ``uebersicht.csv`` (one row per scope, with the message when there are no topics).

    Returns
    -------
    pandas.DataFrame
        The overview (:data:`OVERVIEW_COLUMNS`).
    """
    _check_material(params.material, codebook)
    material = []
    for wave in waves:
        units = wave_units(
            paragraphs[paragraphs["wave"] == wave],
            codings[codings["wave"] == wave],
            documents[documents["wave"] == wave],
            codebook,
            params,
        )
        material.append((units, unit_embeddings(units, params)))
    log.info(
        "Material der induktiven Analyse: %d Einheiten (%s)",
        sum(len(u) for u, _ in material),
        params.material,
    )
    folder = out_dir / "induktiv"
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    for wave, (units, vectors) in zip(waves, material, strict=True):
        results.append(
            scope_topics(
                wave,
                units,
                vectors,
                documents[documents["wave"] == wave],
                codebook,
                params,
                workers,
            )
        )
    all_units, all_vectors = stack_units(material)
    results.append(
        scope_topics(ALL_WAVES, all_units, all_vectors, documents, codebook, params, workers)
    )
    for scope in results:
        write_scope(folder, scope, codebook, params)
    return write_overview(
        folder,
        [s.candidates for s in results],
        [s.overview for s in results],
        params.topics.examples,
    )


def stack_units(material: list[tuple[pd.DataFrame, np.ndarray]]) -> tuple[pd.DataFrame, np.ndarray]:
    """The units and embeddings of several waves as one scope (in the given wave order).

    Returns
    -------
    (units, vectors)
        An empty material (:data:`~asaqda.inductive.material.MATERIAL_COLUMNS` and
        ``lemmas``) when there are no waves.
    """
    frames = [u for u, _ in material]
    if not frames:
        empty = pd.DataFrame(columns=[*MATERIAL_COLUMNS, "lemmas"])
        return empty, np.zeros((0, 0), dtype=np.float32)
    units = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    width = max(v.shape[1] for _, v in material)
    vectors = np.vstack([v.reshape(len(v), width) for _, v in material]).astype(np.float32)
    return units.reset_index(drop=True), vectors


def _overview_row(scope: str, result: TopicResult) -> dict[str, object]:
    topics = result.topics
    return {
        "bereich": scope,
        "einheiten": len(result.units),
        "themen": len(topics),
        "robust": int((topics["einschaetzung"] == "robust").sum()) if len(topics) else 0,
        "ohne_thema": int((result.units["thema"] < 0).sum()),
        "mindestgroesse": result.min_topic_size,
        "ari_startwerte": " ".join(f"{a:.3f}" for a in result.seed_ari),
        "hinweis": result.message or "",
        "textbausteine": int((topics["einschaetzung"] == BOILERPLATE).sum()) if len(topics) else 0,
    }


def _subsample_label(params: TopicParams) -> str:
    if params.subsamples <= 0:
        return "keine"
    share = f"{100 * params.subsample_share:.0f}"
    return f"{params.subsamples} × {share} % der Einheiten (Startwert {params.seeds[0]})"
