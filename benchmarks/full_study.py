"""The whole study end to end: first run, a new wave on top, a returned review sheet, a
no-op rerun.

Generates the synthetic corpus once (``asaqda demo``; ``--scale full``: 12 waves, 1,255
interviews, the default; ``--scale demo``: the demo corpus of ``make run``; cached in
``benchmarks/.cache/<scale>``), holds its last wave back as the "new wave", and times with
``asaqda run --cores 2`` (every step, report included):

1. the first run on the other waves,
2. the run after the new wave was added,
3. the run after one coder returned a filled review sheet of the new wave (the first 20
   suggestions accepted),
4. a rerun with nothing changed.

For the first three it prints wall time and peak memory per step from Snakemake's
``benchmark:`` files (``logs/<rule>/*.benchmark.tsv``; steps that run once per wave are
summed, their peak is the largest), the steps that dominate, the jobs that ran, and the
total. Targets on a 2-core laptop: full scale: first run < 6 min and < 3 GB peak, new wave
< 90 s, no-op < 5 s; demo: new wave < 3 min, returned sheet < 90 s, no-op < 5 s.

Usage: python benchmarks/full_study.py [--scale full|demo] [--regenerate]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = HERE / ".cache"


def changed(
    before: dict[str, float], out: Path
) -> tuple[dict[str, tuple[int, float, float]], dict[str, float]]:
    """Benchmark figures of the files written since ``before`` (mtimes), and the new mtimes."""
    now = {str(p): p.stat().st_mtime for p in (out / "logs").glob("*/*.benchmark.tsv")}
    fresh = {p for p, t in now.items() if before.get(p) != t}
    figures: dict[str, tuple[int, float, float]] = {}
    for p in sorted(fresh):
        path = Path(p)
        with path.open(encoding="utf-8") as fh:
            row = next(csv.DictReader(fh, delimiter="\t"))
        n, s, rss = figures.get(path.parent.name, (0, 0.0, 0.0))
        rss_now = float(row["max_rss"]) if row["max_rss"] not in ("", "-") else 0.0
        figures[path.parent.name] = (n + 1, s + float(row["s"]), max(rss, rss_now))
    return dict(sorted(figures.items())), now


def print_steps(title: str, figures: dict[str, tuple[int, float, float]], wall: float) -> None:
    """Print the per-step table, the dominating steps and the totals."""
    print(f"\n{title}: wall time {wall:.1f} s")
    print(f"  {'step':<18} {'jobs':>4} {'s':>8} {'peak MB':>8}")
    for rule, (n, s, rss) in sorted(figures.items(), key=lambda kv: -kv[1][1]):
        print(f"  {rule:<18} {n:>4} {s:>8.1f} {rss:>8.0f}")
    total = sum(s for _, s, _ in figures.values())
    peak = max((rss for _, _, rss in figures.values()), default=0.0)
    top = sorted(figures.items(), key=lambda kv: -kv[1][1])[:3]
    share = ", ".join(f"{r} {s / total:.0%}" for r, (_, s, _) in top) if total else "-"
    print(f"  summed step time {total:.1f} s (2 cores run steps side by side); peak {peak:.0f} MB")
    print(f"  dominating: {share}")


def return_sheet(inp: Path, out: Path, wave: str, n: int = 20) -> int:
    """A coder accepts the first ``n`` suggestions of their review sheet of ``wave`` and puts
    it into the input folder; returns how many were accepted."""
    from openpyxl import load_workbook

    sheets = sorted((out / "review" / wave).glob("*.xlsx"))
    if not sheets:
        return 0
    wb = load_workbook(sheets[0])
    ws = wb["Vorschläge"]
    header = [c.value for c in ws[1]]
    col = header.index("Entscheidung")
    done = 0
    for row in ws.iter_rows(min_row=2, max_row=n + 1):
        row[col].value = "übernehmen"
        done += 1
    target = inp / wave / "review" / sheets[0].name
    target.parent.mkdir(exist_ok=True)
    wb.save(target)
    return done


def asaqda_run(inp: Path, out: Path) -> tuple[float, str]:
    """``asaqda run --cores 2`` of this checkout; returns wall seconds and the log."""
    exe = Path(sys.executable).parent / "asaqda"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    start = time.perf_counter()
    proc = subprocess.run(
        [str(exe), "run", "--input", str(inp), "--output", str(out), "--cores", "2"],
        env=env,
        text=True,
        capture_output=True,
    )
    wall = time.perf_counter() - start
    if proc.returncode:
        print(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"asaqda run failed (exit {proc.returncode})")
    return wall, proc.stdout + proc.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["full", "demo"], default="full")
    parser.add_argument("--regenerate", action="store_true", help="generate the corpus anew")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from asaqda.demo import write_demo

    corpus = CACHE / args.scale
    if args.regenerate or not corpus.exists():
        start = time.perf_counter()
        write_demo(corpus, args.scale, 2024)
        print(f"generated the {args.scale} corpus in {time.perf_counter() - start:.1f} s")
    waves = sorted(p.name for p in corpus.iterdir() if p.is_dir())
    work = CACHE / f"{args.scale}_study"
    shutil.rmtree(work, ignore_errors=True)
    inp, out = work / "eingang", work / "ergebnisse"
    shutil.copytree(corpus, inp)
    new_wave = waves[-1]
    held = work / new_wave
    shutil.move(inp / new_wave, held)
    print(f"{len(waves) - 1} waves first, then {new_wave} as the new wave", flush=True)

    wall1, _ = asaqda_run(inp, out)
    first, mtimes = changed({}, out)
    print_steps(f"first run ({len(waves) - 1} waves)", first, wall1)

    shutil.move(held, inp / new_wave)
    wall2, _ = asaqda_run(inp, out)
    second, mtimes = changed(mtimes, out)
    print_steps(f"new wave {new_wave} on top", second, wall2)

    accepted = return_sheet(inp, out, new_wave)
    wall3, _ = asaqda_run(inp, out)
    third, _ = changed(mtimes, out)
    print_steps(f"returned review sheet of {new_wave} ({accepted} accepted)", third, wall3)

    wall4, log = asaqda_run(inp, out)
    nothing = "Nichts zu tun" in log
    print(f"\nno-op rerun: {wall4:.1f} s ({'nothing to be done' if nothing else 'JOBS RAN'})")
    peak = max(r for _, _, r in first.values())
    if args.scale == "full":
        print(
            f"\ntargets: first run {wall1:.0f} s (< 360), new wave {wall2:.0f} s (< 90), "
            f"no-op {wall4:.1f} s (< 5); peak {peak:.0f} MB (< 3000)"
        )
    else:
        print(
            f"\ntargets: new wave {wall2:.0f} s (< 180), returned sheet {wall3:.0f} s (< 90), "
            f"no-op {wall4:.1f} s (< 5); first run {wall1:.0f} s, peak {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
