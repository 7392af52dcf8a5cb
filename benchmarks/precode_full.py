"""Pre-coding benchmark on the full-scale synthetic corpus (1,255 interviews).

Prints: the rule pass in words per second (one core), training on all human codings of the
full corpus (final model; and with the 5-fold evaluation and quality gate), pre-coding a
full-size wave (about 100 interviews), writing its review sheets, and peak memory.

Usage: python benchmarks/precode_full.py   (generates the corpus once, like import_full.py)
"""

from __future__ import annotations

import resource
import shutil
import tempfile
import time
from pathlib import Path

from full_corpus import REPO, load_full_corpus


def main() -> None:
    from python_calamine import CalamineWorkbook

    from asaqda.codebook import load_codebook
    from asaqda.precode.model import ParagraphCoder, paragraph_table
    from asaqda.precode.nlp import make_nlp
    from asaqda.precode.precoder import (
        PrecodeParams,
        interviewee_rows,
        leaf_codes,
        train_precoder,
    )
    from asaqda.precode.rules import rules_config
    from asaqda.review.sheets import write_review_sheets

    results, docs, paras, cods = load_full_corpus()
    codebook = load_codebook(REPO / "codebook")
    codes = leaf_codes(codebook)
    print(f"full corpus: {len(docs)} interviews, {len(paras)} paragraphs, {len(cods)} segments")

    nlp = make_nlp(rules_config(codebook))
    texts = paras["content"].head(60_000).tolist()
    words = sum(len(t.split()) for t in texts)
    start = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=512):
        pass
    rate = words / (time.perf_counter() - start)
    print(
        f"rule pass (spaCy pipeline + codebook rules), one core: {rate:,.0f} words/s"
        "   (target >= 150,000)"
    )

    table = interviewee_rows(paragraph_table(paras, cods, docs, codes))
    start = time.perf_counter()
    ParagraphCoder().fit(table["content"].tolist(), list(table["labels"]), codes)
    print(
        f"training the model on {len(table)} paragraphs ({int(table['labels'].map(bool).sum())}"
        f" coded): {time.perf_counter() - start:.1f} s   (target < 180 s)"
    )

    start = time.perf_counter()
    precoder, metrics, _ = train_precoder(paras, cods, docs, codebook, PrecodeParams())
    print(
        f"training with 5-fold evaluation, quality gate and calibration: "
        f"{time.perf_counter() - start:.1f} s"
    )
    micro = metrics.set_index(["code", "methode"]).loc[("micro", "kombiniert")]
    print(
        f"  held-out micro kappa (combined) {micro['kappa']:.3f}; "
        f"{int(precoder.gate['vorkodierbar'].sum())} of {len(codes)} codes pass the gate"
    )

    # a full-size wave, pre-coded as if nobody had coded it yet
    wave = max(results, key=lambda r: len(r.documents))
    wave_docs = docs[docs["wave"] == wave.wave]
    target = paras[paras["doc_id"].isin(wave_docs["doc_id"])].merge(
        wave_docs[["doc_id", "document_name"]], on="doc_id"
    )
    start = time.perf_counter()
    suggestions = precoder.suggest(target, codebook)
    print(
        f"pre-coding wave {wave.wave} ({len(wave_docs)} interviews, {len(target)} "
        f"paragraphs): {time.perf_counter() - start:.1f} s, {len(suggestions)} suggestions"
        "   (target < 60 s)"
    )
    # review sheets for that wave: three coders, a tenth of the documents to all of them
    out = Path(tempfile.mkdtemp(prefix="asaqda-review-"))
    examples = dict(zip(precoder.gate["code"], precoder.gate["n_beispiele"], strict=True))
    start = time.perf_counter()
    paths = write_review_sheets(
        out,
        suggestions,
        target,
        wave=wave.wave,
        coders=["JS", "MK", "LT"],
        overlap=0.1,
        examples=examples,
        codes=codes,
        codebook_version=codebook.meta.version,
        model_version=precoder.model_version,
    )
    took = time.perf_counter() - start
    rows = sum(
        len(CalamineWorkbook.from_path(str(p)).get_sheet_by_name("Vorschläge").to_python()) - 1
        for p in paths.values()
    )
    print(
        f"review sheets for wave {wave.wave}: {len(paths)} sheets, {rows} rows: {took:.1f} s"
        "   (target < 20 s)"
    )
    shutil.rmtree(out)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print(f"peak memory: {peak} MB   (target < 2048 MB)")


if __name__ == "__main__":
    main()
