"""Inductive step benchmark: 20,000 paragraphs of the full-scale synthetic corpus.

Prints: the size of the material, the time of the whole step as the pipeline runs it
(lemmas, embeddings, BERTopic per wave and across all waves with the stability seeds, candidate
sheets, interactive pages, tables), the time per part, and peak memory.

Usage: python benchmarks/inductive_full.py [--embedding use|tfidf_svd] [--units 20000]
(generates the full corpus once, like import_full.py)
"""

from __future__ import annotations

import argparse
import logging
import os
import resource
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pandas as pd
from full_corpus import load_full_corpus


def _tree_pss_mb(pid: int) -> float:
    """Proportional set size of a process and all its descendants (shared pages counted
    once across them), from /proc."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return total


class PeakSampler(threading.Thread):
    """Samples the process tree's PSS every 0.2 s; ``peak`` is the largest total seen."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.running = True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, _tree_pss_mb(os.getpid()))
            time.sleep(0.2)


def main() -> None:
    from asaqda.codebook import load_codebook
    from asaqda.inductive.analysis import InductiveParams, run_inductive
    from asaqda.inductive.material import select_material
    from asaqda.inductive.topics import TopicParams

    parser = argparse.ArgumentParser()
    parser.add_argument("--embedding", default="use", choices=["use", "tfidf_svd"])
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(relativeCreated)8.0f ms %(message)s")
    logging.getLogger("numba").setLevel(logging.WARNING)

    _, docs, paras, cods = load_full_corpus()
    docs = docs.assign(intercoder_copy=False)
    codebook = load_codebook(Path(__file__).resolve().parent.parent / "codebook")
    everything = select_material(paras, cods, docs, codebook.paths)
    picked = everything.sample(n=min(args.units, len(everything)), random_state=0)
    keep = set(zip(picked["doc_id"], picked["paragraph"], strict=True))
    mask = [(d, p) in keep for d, p in zip(paras["doc_id"], paras["paragraph"], strict=True)]
    paras = paras[pd.Series(mask, index=paras.index)]
    waves = sorted(docs["wave"].unique())
    print(
        f"material: {len(picked)} paragraphs without codebook code (of {len(everything)}) in "
        f"{picked['doc_id'].nunique()} documents, {len(waves)} waves"
    )
    out = Path(tempfile.mkdtemp(prefix="asaqda-bench-"))
    params = InductiveParams(topics=TopicParams(embedding=args.embedding))
    sampler = PeakSampler()
    sampler.start()
    start = time.perf_counter()
    overview = run_inductive(paras, cods, docs, codebook, waves, out, params, args.workers)
    elapsed = time.perf_counter() - start
    sampler.running = False
    print(overview[["bereich", "einheiten", "themen", "robust", "ohne_thema"]].to_string())
    print(
        f"inductive step ({args.embedding}, {len(params.topics.seeds)} seeds, "
        f"{len(waves)} waves + all waves, {args.workers} processes): {elapsed:.1f} s   "
        "(target < 180 s)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(f"peak RSS: main process {peak} MB, largest worker {workers} MB")
    print(
        f"peak memory of the whole process tree (PSS, shared pages counted once): "
        f"{sampler.peak:.0f} MB   (target < 3,000 MB)"
    )
    shutil.rmtree(out)


if __name__ == "__main__":
    main()
