"""Intercoder agreement at full scale: every interview of the full corpus double-coded.

The second coder is simulated from the first (8 % of segments left out, 6 % moved to a
neighbouring code, 10 % extended by a paragraph). Prints the time of the whole agreement table
(three levels, every code, 1,000 bootstrap samples per alpha) and peak memory.

Usage: python benchmarks/agreement_full.py
"""

from __future__ import annotations

import resource
import time

import numpy as np
import pandas as pd
from full_corpus import REPO, load_full_corpus


def main() -> None:
    from asaqda.agreement import agreement_table
    from asaqda.codebook import load_codebook

    _, docs, _, cods = load_full_corpus()
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
