"""Panel benchmark on the full-scale synthetic corpus (60 trainees, 180 panel interviews).

Prints: the panel analysis (linking checks, measures, types, tables, crosstabs) and its two
figures, then all 60 portraits, and peak memory.

Usage: python benchmarks/panel_full.py   (generates the corpus once, like import_full.py)
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path

from full_corpus import corpus_folder, load_full_corpus


def main() -> None:
    from asaqda.panel.trajectories import PanelParams
    from asaqda.stages import panel_step, portraits_step

    _, docs, _, cods = load_full_corpus()
    out = Path(tempfile.mkdtemp(prefix="asaqda-bench-"))
    corpus = corpus_folder(out / "corpus", docs, cods)
    panel = docs[docs["Panel"] == "ja"]
    segs = cods[cods["doc_id"].isin(panel["doc_id"])]
    print(
        f"panel: {panel['Person'].nunique()} persons, {len(panel)} interviews, {len(segs)} segments"
    )
    start = time.perf_counter()
    result = panel_step(
        corpus, out / "tables", out / "figures", out / "qualitaet", PanelParams(), out / "panel"
    )
    print(
        f"panel tables and figures (incl. reading the corpus): {time.perf_counter() - start:.1f} s"
        "   (target < 20 s)"
    )
    print("  types:", result["verteilung"].set_index("typ")["n"].to_dict())
    start = time.perf_counter()
    paths = portraits_step(out / "panel", out / "portraits", out / "cache", workers=2)
    print(
        f"{len(paths) // 2} portraits (PNG 300 dpi + SVG), 2 processes: "
        f"{time.perf_counter() - start:.1f} s   (target < 60 s)"
    )
    shutil.rmtree(out / "portraits")  # as Snakemake does before the step
    start = time.perf_counter()
    portraits_step(out / "panel", out / "portraits", out / "cache", workers=2)
    print(f"again, nothing changed (copied from the cache): {time.perf_counter() - start:.1f} s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak memory (main process): {peak} MB")
    shutil.rmtree(out)


if __name__ == "__main__":
    main()
