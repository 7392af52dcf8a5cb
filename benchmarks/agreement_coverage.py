"""Coverage of the 95 % intervals of Krippendorff's alpha: unit bootstrap vs document bootstrap.

Double-coded interviews are simulated as the agreement tables see them at the segment level:
each document has paragraphs, a code is present in a paragraph with a prevalence that differs
between documents, and both coders miss or add it with an error rate that also differs between
documents (some interviews are harder to code). Paragraphs of one document are therefore not
independent draws. The true alpha is that of a very large sample of documents.

For each number of double-coded documents, many samples are drawn; each gets the percentile
interval of

* the unit bootstrap (paragraphs resampled, as the tables did before), and
* the document bootstrap (whole documents resampled, as the tables do now),

and the share of samples whose interval contains the true alpha is printed. A 95 % interval
should cover in about 95 % of the samples. The same is done for the document level's overall
row (code x document cells, several codes per document).

Usage: python benchmarks/agreement_coverage.py [--samples 400] [--boot 500]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

PARAGRAPHS = 30  # paragraphs per interview
DOC_COUNTS = (5, 8, 10, 15, 20, 30, 50)


def simulate_paragraphs(rng: np.random.Generator, n_docs: int) -> tuple[np.ndarray, np.ndarray]:
    """Two coders x paragraph units (0/1 for one code), and the document of each unit."""
    prevalence = rng.beta(1.2, 6.0, n_docs)  # mean 0.17, some documents far more
    error = rng.beta(1.5, 10.0, n_docs)  # mean 0.13, some documents hard to code
    truth = rng.random((n_docs, PARAGRAPHS)) < prevalence[:, None]
    flips = rng.random((2, n_docs, PARAGRAPHS)) < error[None, :, None]
    coded = np.where(flips, ~truth[None], truth[None]).astype(float)
    return coded.reshape(2, -1), np.repeat(np.arange(n_docs), PARAGRAPHS)


def simulate_cells(rng: np.random.Generator, n_docs: int, n_codes: int = 12) -> tuple:
    """Two coders x (code x document) presence cells, and the document of each cell."""
    base = rng.beta(2.0, 2.0, n_codes)  # how common each code is
    talk = rng.normal(0, 1.0, n_docs)  # how much an interviewee talks about anything
    logit = np.log(base / (1 - base))[:, None] + talk[None, :]
    truth = rng.random((n_codes, n_docs)) < 1 / (1 + np.exp(-logit))
    error = rng.beta(1.5, 12.0, n_docs)
    flips = rng.random((2, n_codes, n_docs)) < error[None, None, :]
    coded = np.where(flips, ~truth[None], truth[None]).astype(float)
    return coded.reshape(2, -1), np.tile(np.arange(n_docs), n_codes)


def coverage(simulate, label: str, samples: int, n_boot: int) -> None:
    from asaqda.agreement import alpha_with_ci, krippendorff_alpha

    truth_rng = np.random.default_rng(12345)
    data, _ = simulate(truth_rng, 20_000)
    true_alpha = krippendorff_alpha(data, "nominal")
    print(f"\n{label}: true alpha {true_alpha:.3f} (20,000 simulated documents)")
    print(
        f"{'documents':>9}  {'unit bootstrap':>15}  {'document bootstrap':>18}  "
        f"{'mean width unit / document':>27}"
    )
    for n_docs in DOC_COUNTS:
        rng = np.random.default_rng(1000 + n_docs)
        hits = {"unit": 0, "doc": 0}
        widths: dict[str, list[float]] = {"unit": [], "doc": []}
        valid = {"unit": 0, "doc": 0}
        for i in range(samples):
            data, docs = simulate(rng, n_docs)
            results = {
                "unit": alpha_with_ci(data, "nominal", n_boot=n_boot, seed=i),
                "doc": alpha_with_ci(
                    data, "nominal", n_boot=n_boot, seed=i, clusters=docs, min_clusters=2
                ),
            }
            for kind, res in results.items():
                lo, hi = res.ci95
                if np.isnan(lo):
                    continue
                valid[kind] += 1
                hits[kind] += lo <= true_alpha <= hi
                widths[kind].append(hi - lo)
        cov = {k: hits[k] / valid[k] if valid[k] else float("nan") for k in hits}
        print(
            f"{n_docs:>9}  {cov['unit']:>15.3f}  {cov['doc']:>18.3f}  "
            f"{np.mean(widths['unit']):>13.3f} / {np.mean(widths['doc']):.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=400, help="simulated samples per size")
    parser.add_argument("--boot", type=int, default=500, help="bootstrap samples per interval")
    args = parser.parse_args()
    start = time.perf_counter()
    print(
        f"simulated coverage of the 95 % percentile intervals ({args.samples} samples per "
        f"row, {args.boot} bootstrap samples each); nominal 0.95"
    )
    coverage(simulate_paragraphs, "segment level (paragraphs, one code)", args.samples, args.boot)
    coverage(simulate_cells, "document level, all codes (code x document)", args.samples, args.boot)
    print(f"\n{time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
