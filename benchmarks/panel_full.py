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

from full_corpus import load_full_corpus


def main() -> None:
    from asaqda.panel.trajectories import PanelParams
    from asaqda.quality import mark_intercoder_copies
    from asaqda.stages import panel_step, portraits_step

    _, docs, _, cods = load_full_corpus()
    docs = docs.assign(intercoder_copy=mark_intercoder_copies(docs))
    copies = set(docs.loc[docs["intercoder_copy"], "doc_id"])
    cods = cods.assign(intercoder_copy=cods["doc_id"].isin(copies), quelle="MAXQDA")
    out = Path(tempfile.mkdtemp(prefix="asaqda-panel-"))
    corpus = out / "corpus"
    corpus.mkdir()
    docs.to_parquet(corpus / "documents.parquet")
    cods.to_parquet(corpus / "codings.parquet")
    panel = docs[(docs["Panel"] == "ja") & ~docs["intercoder_copy"]]
    segs = cods[cods["doc_id"].isin(panel["doc_id"])]
    print(
        f"panel: {panel['Person'].nunique()} persons, {len(panel)} interviews, {len(segs)} segments"
    )
    start = time.perf_counter()
    result = panel_step(corpus, out / "tables", out / "figures", out / "qualitaet", PanelParams())
    print(
        f"panel tables and figures (incl. reading the corpus): {time.perf_counter() - start:.1f} s"
        "   (target < 20 s)"
    )
    print("  types:", result["verteilung"].set_index("typ")["n"].to_dict())
    start = time.perf_counter()
    paths = portraits_step(corpus, out / "portraits", PanelParams(), workers=2)
    print(
        f"{len(paths) // 2} portraits (PNG 300 dpi + SVG), 2 processes: "
        f"{time.perf_counter() - start:.1f} s   (target < 60 s)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak memory (main process): {peak} MB")
    shutil.rmtree(out)


if __name__ == "__main__":
    main()
