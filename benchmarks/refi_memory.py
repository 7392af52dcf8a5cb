"""Peak memory of the REFI-QDA reader on a project that carries a big media member.

Writes a ``.qdpx`` with a small project (two text sources, two codings) and one large, highly
compressible member (``sources/interview.mp4``, zeros: a few MB in the archive), then reads it
in fresh processes and prints the peak resident set size (RSS) of

* ``xml alone``: parsing only the project XML taken out of the archive (the floor),
* ``import of the reader only``: the interpreter with the reader's modules (pandas, lxml)
  loaded, nothing read, and
* ``read_project``: the REFI reader of the package.

A second archive whose media member lies about its size (declares less than it inflates to)
shows that the reader stops with a message instead of inflating it.

Usage::

    python benchmarks/refi_memory.py [--media-mib 1536] [--src other_checkout/src]

``--src`` measures the reader of another checkout (e.g. the main branch) for a before/after.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

_CHILD = r"""
import resource, sys, time, zipfile
mode, path = sys.argv[1], sys.argv[2]
t = time.perf_counter()
outcome = ""
if mode == "xml":
    from lxml import etree
    with zipfile.ZipFile(path) as zf:
        etree.fromstring(zf.read("project.qde"))
elif mode == "import":
    from asaqda.refi.reader import read_project
else:
    from asaqda.errors import InputError
    from asaqda.refi.reader import read_project
    try:
        p = read_project(__import__("pathlib").Path(path))
        outcome = f"{len(p.sources)} Quellen, {len(p.selections)} Codierungen"
    except InputError as exc:
        outcome = f"abgelehnt: [{exc.code}]"
seconds = time.perf_counter() - t
# VmHWM: the peak RSS of this process image (ru_maxrss would carry the parent's over exec)
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")]
usage = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
peak = int(hwm[0].split()[1]) / 1024 if hwm else usage / 1024
print(f"{peak:.0f}\t{seconds:.2f}\t{outcome}")
"""


def write_archive(path: Path, media_mib: int) -> None:
    """The project of the hand-written MAXQDA 24 test plus a big media member."""
    from test_refi_variants import maxqda24

    chunk = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in maxqda24().items():
            zf.writestr(name, data)
        with zf.open("sources/interview.mp4", "w", force_zip64=True) as fh:
            for _ in range(media_mib):
                fh.write(chunk)


def lying_copy(path: Path, target: Path) -> None:
    """A copy whose text source declares 10 bytes in the central directory."""
    data = bytearray(path.read_bytes())
    name = b"sources/C5E4C960-5296-4FDE-8C63-DEABA4E17F92.txt"
    at = data.index(name, data.index(b"PK\x01\x02")) - 46
    data[at + 24 : at + 28] = (10).to_bytes(4, "little")
    target.write_bytes(bytes(data))


def measure(mode: str, path: Path, src: Path) -> tuple[float, float, str]:
    env = {"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"}
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, mode, str(path)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if out.returncode != 0:
        return float("nan"), float("nan"), f"Absturz: {out.stderr.strip().splitlines()[-1]}"
    peak, seconds, outcome = out.stdout.rstrip("\n").split("\t")
    return float(peak), float(seconds), outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--media-mib", type=int, default=1536, help="size of the media member")
    parser.add_argument("--src", type=Path, default=REPO / "src", help="package source to test")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "projekt.qdpx"
        t = time.perf_counter()
        write_archive(path, args.media_mib)
        lying = Path(tmp) / "luegt.qdpx"
        lying_copy(path, lying)
        print(
            f"archive: {path.stat().st_size / 2**20:.1f} MiB on disk, media member "
            f"{args.media_mib} MiB unpacked (written in {time.perf_counter() - t:.1f} s)"
        )
        print(f"reader under test: {args.src}")
        print(f"{'what':<28}{'peak RSS MiB':>14}{'seconds':>10}  outcome")
        for label, mode, target in (
            ("xml alone", "xml", path),
            ("import of the reader only", "import", path),
            ("read_project", "reader", path),
            ("read_project, size lie", "reader", lying),
        ):
            peak, seconds, outcome = measure(mode, target, args.src)
            print(f"{label:<28}{peak:>14.0f}{seconds:>10.2f}  {outcome}")


if __name__ == "__main__":
    main()
