"""Benchmark of the foundation on the full-scale synthetic corpus (1,255 interviews).

Prints:
* generation time of the full corpus (once; cached in benchmarks/.cache/full),
* import of all waves with two worker processes (as ``snakemake --cores 2`` runs them),
  wall time and peak memory of a worker,
* xlsx reading: python-calamine vs openpyxl (read-only) on the same coded-segments exports,
* the whole Snakemake pipeline on the full corpus (--cores 2), and a no-op rerun.

Usage: python benchmarks/import_full.py [--regenerate] [--skip-pipeline]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".cache"


def _import_one(args: tuple[str, str]) -> tuple[str, int, int, float, int]:
    from asaqda.io.wave import import_wave

    input_dir, wave = args
    start = time.perf_counter()
    result = import_wave(Path(input_dir), wave)
    seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return wave, len(result.documents), len(result.codings), seconds, peak_mb


def _read_calamine(paths: list[Path]) -> int:
    from python_calamine import CalamineWorkbook

    rows = 0
    for p in paths:
        rows += len(CalamineWorkbook.from_path(str(p)).get_sheet_by_index(0).to_python())
    return rows


def _read_openpyxl(paths: list[Path]) -> int:
    import openpyxl

    rows = 0
    for p in paths:
        wb = openpyxl.load_workbook(p, read_only=True)
        rows += sum(1 for _ in wb.worksheets[0].iter_rows(values_only=True))
        wb.close()
    return rows


def _timed(label: str, fn, *args):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    value = fn(*args)
    seconds = time.perf_counter() - start
    print(f"{label:<55} {seconds:8.1f} s")
    return value, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--regenerate", action="store_true", help="write the corpus anew")
    parser.add_argument("--skip-pipeline", action="store_true", help="skip the Snakemake runs")
    args = parser.parse_args()

    from asaqda.demo import write_demo
    from asaqda.io.wave import discover_waves

    corpus = CACHE / "full"
    if args.regenerate or not corpus.exists():
        counts, _ = _timed(
            "generate full corpus (asaqda demo --scale full)", write_demo, corpus, "full", 2024
        )
        print(
            f"  {counts['interviews']} interviews, {counts['codings']} coded segments, "
            f"{counts['second_codings']} second codings"
        )
    waves = discover_waves(corpus)

    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_import_one, [(str(corpus), w) for w in waves]))
    wall = time.perf_counter() - start
    docs = sum(r[1] for r in results)
    codings = sum(r[2] for r in results)
    peak = max(r[4] for r in results)
    print(
        f"{'import of all ' + str(len(waves)) + ' waves, 2 workers':<55} {wall:8.1f} s"
        f"   (target < 60 s)"
    )
    print(
        f"  {docs} documents, {codings} coded segments; peak memory of a worker {peak} MB"
        f"   (target < 2048 MB)"
    )

    xlsx = sorted(p for p in corpus.rglob("*.xlsx") if "variablen" not in p.name.lower())
    rows_c, t_c = _timed(
        f"read {len(xlsx)} xlsx exports with python-calamine", _read_calamine, xlsx
    )
    rows_o, t_o = _timed(
        f"read the same {len(xlsx)} xlsx exports with openpyxl (read-only)", _read_openpyxl, xlsx
    )
    assert rows_c == rows_o, (rows_c, rows_o)
    print(f"  {rows_c} rows; calamine is {t_o / t_c:.1f}x faster   (target >= 5x)")

    if args.skip_pipeline:
        return
    out = CACHE / "out"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [
        sys.executable,
        "-m",
        "asaqda.cli",
        "run",
        "--input",
        str(corpus),
        "--output",
        str(out),
        "--cores",
        "2",
    ]
    for label in ("whole pipeline on the full corpus (--cores 2)", "no-op rerun"):
        start = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        seconds = time.perf_counter() - start
        if proc.returncode:
            print(proc.stdout[-3000:], proc.stderr[-3000:])
            raise SystemExit(proc.returncode)
        target = "   (target < 10 s)" if label == "no-op rerun" else ""
        print(f"{label:<55} {seconds:8.1f} s{target}")
    child_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(f"  peak memory of any pipeline process {child_peak} MB   (target < 2048 MB)")


if __name__ == "__main__":
    main()
