"""Company tables and report benchmark on the full-scale synthetic corpus (1,255 interviews).

Prints: all company tables (with matrices, breakdowns, anchor quotes and bar charts), the panel
tables the report includes, and the Word and HTML report; and peak memory.

Usage: python benchmarks/report_full.py   (generates the corpus once, like import_full.py)
"""

from __future__ import annotations

import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from full_corpus import REPO, corpus_folder, load_full_corpus


def main() -> None:
    from asaqda.codebook import load_codebook
    from asaqda.panel.trajectories import PanelParams
    from asaqda.stages import company_tables_step, panel_step, report_step

    _, docs, _, cods = load_full_corpus()
    out = Path(tempfile.mkdtemp(prefix="asaqda-bench-"))
    corpus = corpus_folder(out / "interim" / "corpus", docs, cods)
    codebook = load_codebook(REPO / "codebook")
    (out / "interim" / "codebook.json").write_text(
        json.dumps(codebook.model_dump(mode="json"), ensure_ascii=False), encoding="utf-8"
    )
    firms = docs[docs["Rolle"] == "Ausbildungsbetrieb"]
    print(
        f"corpus: {len(docs)} documents, {len(cods)} segments, "
        f"{firms['Betrieb'].nunique()} companies"
    )
    total = time.perf_counter()
    start = time.perf_counter()
    company_tables_step(
        corpus,
        out / "interim" / "codebook.json",
        out / "tables",
        out / "figures",
        out / "qualitaet",
    )
    print(
        f"company tables, matrices, breakdowns, anchor quotes, 8 bar charts: "
        f"{time.perf_counter() - start:.1f} s"
    )
    start = time.perf_counter()
    panel_step(corpus, out / "tables", out / "figures", out / "qualitaet", PanelParams())
    print(f"panel tables and figures: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    report_step(out, corpus, out / "interim" / "codebook.json")
    print(f"report (docx + html): {time.perf_counter() - start:.1f} s")
    print(f"all tables and the report: {time.perf_counter() - total:.1f} s   (target < 60 s)")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak memory: {peak} MB")
    shutil.rmtree(out)


if __name__ == "__main__":
    main()
