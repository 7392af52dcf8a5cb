"""The inductive step of one run: material, preprocessing and embeddings once, then a topic
model per wave and one across all waves, written as candidate sheets, interactive pages and
tidy tables under ``induktiv/``."""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from asaqda.codebook import Codebook, closest_code
from asaqda.errors import ConfigError, Location, Problem
from asaqda.inductive.embeddings import EMBEDDINGS, cached, fit_embedder
from asaqda.inductive.html import write_plotly_js, write_topic_page
from asaqda.inductive.material import UNCODED, select_material
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

__all__ = [
    "ALL_WAVES",
    "InductiveParams",
    "OVERVIEW_COLUMNS",
    "inductive_params",
    "run_id",
    "run_inductive",
    "scope_label",
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

    The UMAP + HDBSCAN runs of all scopes and seeds are spread over ``workers`` processes;
    the result does not depend on their number.

    Writes ``{wave}_kandidaten.xlsx`` and ``{wave}_themen.html`` per wave and for
    ``gesamt``, ``plotly.min.js``, ``kandidaten.csv`` (one row per candidate and scope) and
    ``uebersicht.csv`` (one row per scope, with the message when there are no topics).

    Returns
    -------
    pandas.DataFrame
        The overview (:data:`OVERVIEW_COLUMNS`).
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
    log.info("Material der induktiven Analyse: %d Einheiten (%s)", len(units), params.material)
    lemmas = lemma_texts(units["text"].tolist(), params.extra_stop_words)
    embed_more = None
    if len(units):
        vectors, embed_more = fit_embedder(
            units["text"].tolist(),
            lemmas,
            params.topics.embedding,
            params.topics.seeds[0],
            lambda texts: lemma_texts(texts, params.extra_stop_words),
        )
        embed_more = cached(embed_more)
    else:
        vectors = np.zeros((0, 1), dtype=np.float32)
    rid = run_id(units, params, codebook.meta.version)
    parent = None if params.material == UNCODED else params.material
    coded_docs = documents[(documents["n_codings"] > 0) & ~documents["intercoder_copy"]]
    folder = out_dir / "induktiv"
    write_plotly_js(folder)
    examples = params.topics.examples
    scopes = [*waves, ALL_WAVES]
    masks = {
        scope: np.asarray(
            np.ones(len(units), bool) if scope == ALL_WAVES else units["wave"] == scope
        )
        for scope in scopes
    }
    scope_lemmas = {s: [t for t, m in zip(lemmas, masks[s], strict=True) if m] for s in scopes}
    jobs, owner = [], []
    for scope in scopes:
        size = topic_size(int(masks[scope].sum()), params.topics)
        if material_problem(scope_lemmas[scope], size) is None:
            scope_jobs = cluster_jobs(vectors[masks[scope]], size, params.topics)
            jobs += scope_jobs
            owner += [scope] * len(scope_jobs)
    log.info("%d UMAP- und HDBSCAN-Läufe in %d Prozessen", len(jobs), workers)
    done = run_cluster_jobs(jobs, workers)
    runs = {s: [r for r, o in zip(done, owner, strict=True) if o == s] for s in scopes}
    overview, tables = [], []
    for scope in scopes:
        mask = masks[scope]
        result = fit_topics(
            units[mask],
            scope_lemmas[scope],
            vectors[mask],
            params.topics,
            runs=runs[scope] or None,
            embed_texts=embed_more,
        )
        if (
            result.message
            and not mask.any()
            and params.material == UNCODED
            and scope != ALL_WAVES
            and not (coded_docs["wave"] == scope).any()
        ):
            result.message = (
                f"Welle {scope} hat noch keine kodierten Dokumente. Das Material sind Absätze "
                "kodierter Dokumente ohne Code; Kandidaten gibt es, sobald die Welle kodiert ist."
            )
        log.info(
            "%s: %d Einheiten, %d Themen%s",
            scope,
            int(mask.sum()),
            len(result.topics),
            f" ({result.message})" if result.message else "",
        )
        candidates = candidate_rows(result, parent, examples)
        info = {
            "Bereich": scope,
            "Lauf": rid,
            "Material": _material_label(params.material),
            "Einbettung": EMBEDDINGS[params.topics.embedding],
            "Einheiten": int(mask.sum()),
            "Mindestgröße": result.min_topic_size,
            "Startwerte": ", ".join(str(s) for s in params.topics.seeds),
            "Teilproben": _subsample_label(params.topics),
            "Stabilität gesamt (ARI)": ", ".join(f"{a:.3f}" for a in result.seed_ari),
            "Codebuchversion": codebook.meta.version,
            "Hinweis": result.message or "",
        }
        write_candidate_sheet(
            folder / f"{scope}_kandidaten.xlsx",
            result,
            candidates,
            info=info,
            parent=parent,
            codes=codebook.paths,
            examples=examples,
        )
        write_topic_page(
            folder / f"{scope}_themen.html",
            result,
            title=f"Induktive Kandidaten: {scope_label(scope)}",
            intro=f"Lauf {rid}. Material: {info['Material']}. Einbettung: {info['Einbettung']}. "
            f"{info['Einheiten']} Einheiten, Mindestgröße eines Themas {result.min_topic_size}.",
        )
        overview.append(_overview_row(scope, result))
        if len(candidates):
            tables.append(candidates.assign(bereich=scope, lauf=rid))
    cand_cols = ["lauf", "bereich", *TOPIC_COLUMNS]
    cand_cols += [f"{k}_{i}" for i in range(1, examples + 1) for k in ("beispiel", "quelle")]
    cand_cols += CHECK_COLUMNS
    table = (
        pd.concat(tables, ignore_index=True)[cand_cols]
        if tables
        else pd.DataFrame(columns=cand_cols)
    )
    write_csv(folder / "kandidaten.csv", table)
    frame = pd.DataFrame(overview, columns=OVERVIEW_COLUMNS)
    write_csv(folder / "uebersicht.csv", frame)
    return frame


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
