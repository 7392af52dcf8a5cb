"""The full-scale synthetic corpus for the benchmarks: generated once, imported in parallel."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / ".cache" / "full"


def _import(args: tuple[str, str]):  # type: ignore[no-untyped-def]
    from asaqda.io.wave import import_wave

    return import_wave(Path(args[0]), args[1])


def load_full_corpus() -> tuple[list, pd.DataFrame, pd.DataFrame, pd.DataFrame]:  # type: ignore[type-arg]
    """Import every wave of the full corpus with two workers (as ``--cores 2`` would).

    Returns the per-wave imports and the documents, paragraphs and codings of the primary
    copies (intercoder copies left out, as in the pipeline).
    """
    from asaqda.demo import write_demo
    from asaqda.io.wave import discover_waves
    from asaqda.quality import mark_intercoder_copies

    if not CORPUS.exists():
        write_demo(CORPUS, "full", 2024)
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_import, [(str(CORPUS), w) for w in discover_waves(CORPUS)]))
    docs = pd.concat([r.documents for r in results], ignore_index=True)
    paras = pd.concat([r.paragraphs for r in results], ignore_index=True)
    cods = pd.concat([r.codings for r in results if len(r.codings)], ignore_index=True)
    docs = docs[~mark_intercoder_copies(docs)]
    paras = paras[paras["doc_id"].isin(docs["doc_id"])]
    cods = cods[cods["doc_id"].isin(docs["doc_id"])]
    return results, docs, paras, cods


def corpus_folder(folder: Path, docs: pd.DataFrame, cods: pd.DataFrame) -> Path:
    """Write the primary documents and codings as the pipeline's ``interim/corpus/`` tables
    (what the checks step would write), for the stages that read that folder."""
    folder.mkdir(parents=True, exist_ok=True)
    docs.assign(intercoder_copy=False).to_parquet(folder / "documents.parquet")
    cods.assign(intercoder_copy=False, quelle="MAXQDA").to_parquet(folder / "codings.parquet")
    return folder
