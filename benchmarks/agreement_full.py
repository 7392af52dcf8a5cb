"""Intercoder agreement at full scale: every interview of the full corpus double-coded.

The second coder is simulated from the first (8 % of segments left out, 6 % moved to a
neighbouring code, 10 % extended by a paragraph). Prints the time of the whole agreement table
(three levels, every code, 1,000 bootstrap samples per alpha) and peak memory.

Usage: python benchmarks/agreement_full.py
"""

from __future__ import annotations

import resource
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CORPUS = HERE / ".cache" / "full"


def _import(args: tuple[str, str]):  # type: ignore[no-untyped-def]
    from asaqda.io.wave import import_wave

    return import_wave(Path(args[0]), args[1])


def main() -> None:
    from asaqda.agreement import agreement_table
    from asaqda.codebook import load_codebook
    from asaqda.demo import write_demo
    from asaqda.io.wave import discover_waves

    if not CORPUS.exists():
        write_demo(CORPUS, "full", 2024)
    with ProcessPoolExecutor(2) as pool:
        results = list(pool.map(_import, [(str(CORPUS), w) for w in discover_waves(CORPUS)]))
    docs = pd.concat([r.documents for r in results], ignore_index=True)
    cods = pd.concat([r.codings for r in results if len(r.codings)], ignore_index=True)
    docs = docs[docs["document_group"] != "Zweitkodierung"]
    cods = cods[cods["doc_id"].isin(docs["doc_id"])]
    rng = np.random.default_rng(0)
    second = cods.copy()
    second["doc_id"] = second["doc_id"] + "-2"
    second["coder"] = "Zweitkodierer"
    roll = rng.random(len(second))
    parents = second["code"].str.rsplit(" > ", n=1).str[0]
    siblings = second.groupby(parents)["code"].transform(
        lambda s: s.sample(frac=1, random_state=1).to_numpy()
    )
    second.loc[(roll >= 0.08) & (roll < 0.14), "code"] = siblings[(roll >= 0.08) & (roll < 0.14)]
    second.loc[roll > 0.9, "end"] = second.loc[roll > 0.9, "end"] + 1
    second = second[roll >= 0.08]
    docs2 = docs.assign(doc_id=docs["doc_id"] + "-2", document_group="Zweitkodierung")
    all_docs = pd.concat([docs, docs2], ignore_index=True)
    all_cods = pd.concat([cods, second], ignore_index=True)
    codebook = load_codebook(REPO / "codebook")
    print(
        f"double-coded: {len(docs)} documents, {len(cods)} segments (coder 1), "
        f"{len(second)} segments (coder 2)"
    )
    start = time.perf_counter()
    table = agreement_table(all_cods, all_docs, codebook.paths, n_boot=1000)
    seconds = time.perf_counter() - start
    overall = table[table["code"] == "gesamt"].set_index("ebene")
    print(
        f"agreement table (3 levels x {table['code'].nunique() - 1} codes + overall, "
        f"1,000 bootstrap samples each): {seconds:.1f} s   (target < 30 s)"
    )
    for level, row in overall.iterrows():
        print(
            f"  {level:<12} alpha {row['alpha']:.3f} [{row['alpha_ci_unten']:.3f}; "
            f"{row['alpha_ci_oben']:.3f}], agreement {row['prozent_uebereinstimmung']:.1f} %"
        )
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024} MB")


if __name__ == "__main__":
    main()
