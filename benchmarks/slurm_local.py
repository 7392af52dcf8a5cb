"""Proof on a real SLURM: the demo pipeline through the SLURM executor equals a local run.

What it does (needs root; not part of ``make test``):

1. installs Debian's ``slurm-wlm`` and ``munge`` when ``slurmctld`` is missing
   (``apt-get update`` once, then ``apt-get install``);
2. writes a minimal ``slurm.conf`` for one node (``localhost``, the CPUs of this machine,
   most of its memory; ``select/cons_tres``, ``accounting_storage/none``, job completion
   records in a text file, ``MinJobAge=3600`` so ``squeue`` still knows finished jobs,
   ``CommunicationParameters=NoCtldInAddrAny,NoInAddrAny`` so the daemons listen on
   127.0.0.1 only, which the script checks in ``/proc/net/tcp``) into a scratch folder and
   installs it as ``/etc/slurm/slurm.conf`` for the run (where ``srun`` inside a job looks
   for it; an existing file that this script did not write is never replaced, and the
   file is removed again at the end);
3. starts ``munged``, ``slurmctld`` and ``slurmd`` and waits until the node is idle;
4. runs the demo pipeline locally (``asaqda run``) into one folder and through SLURM
   (``asaqda run --profile slurm``, i.e. ``profiles/slurm`` unchanged) into another;
5. compares the SHA-1 of every result file (tables, qualitaet, codebook, interim,
   vorcodierung, review, maxqda, figures, induktiv, bericht.*) of both runs;
6. prints the jobs SLURM ran (its job completion records: id, name, state, elapsed time)
   and the wall times of both runs;
7. stops the daemons, always (also on failure or Ctrl-C).

Usage (as root, from the checkout)::

    .venv/bin/python benchmarks/slurm_local.py [--workdir DIR] [--keep] [--smoke]

``--smoke`` only starts the cluster, runs one ``srun`` and one ``sbatch`` job and stops it.

Exit code 0 only when both runs succeed and every result file is byte-identical.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DEMO = REPO / "data" / "demo"
MARK = "# written by asaqda benchmarks/slurm_local.py; removed when it ends\n"
RESULTS = (
    "tables",
    "qualitaet",
    "codebook",
    "interim",
    "vorcodierung",
    "review",
    "maxqda",
    "figures",
    "induktiv",
)


def result_hashes(out: Path) -> dict[str, str]:
    """SHA-1 of every result file below ``out`` (as ``tests/test_pipeline.py`` compares them).

    Parameters
    ----------
    out : Path
        Output folder of a pipeline run.

    Returns
    -------
    dict[str, str]
        Relative POSIX path -> hex digest, sorted by path.
    """
    files = [p for d in RESULTS for p in sorted((out / d).rglob("*")) if p.is_file()]
    files += sorted(out.glob("bericht.*"))
    return {p.relative_to(out).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest() for p in files}


def slurm_conf(state: Path, cpus: int, memory_mb: int) -> str:
    """A one-node ``slurm.conf``: controller and node on localhost, no accounting database.

    Parameters
    ----------
    state : Path
        Scratch folder for state, spool, pid and log files.
    cpus : int
        CPUs of the node (those of this machine; slurmd drains a node that claims more).
    memory_mb : int
        Memory SLURM may hand out on the node, in MB.

    Returns
    -------
    str
        The file's text.
    """
    return "\n".join(
        [
            "ClusterName=asaqda",
            "SlurmctldHost=localhost(127.0.0.1)",
            "SlurmUser=root",
            "SlurmdUser=root",
            "SlurmctldPort=6817",
            "SlurmdPort=6818",
            "AuthType=auth/munge",
            f"StateSaveLocation={state}/ctld",
            f"SlurmdSpoolDir={state}/spool",
            f"SlurmctldPidFile={state}/slurmctld.pid",
            f"SlurmdPidFile={state}/slurmd.pid",
            f"SlurmctldLogFile={state}/slurmctld.log",
            f"SlurmdLogFile={state}/slurmd.log",
            "ProctrackType=proctrack/linuxproc",
            "TaskPlugin=task/none",
            "MpiDefault=none",
            # listen on the node and controller addresses (127.0.0.1), not on every interface
            "CommunicationParameters=NoCtldInAddrAny,NoInAddrAny",
            "SelectType=select/cons_tres",
            "SelectTypeParameters=CR_Core_Memory",
            "SchedulerType=sched/backfill",
            "AccountingStorageType=accounting_storage/none",
            "JobAcctGatherType=jobacct_gather/linux",
            "JobCompType=jobcomp/filetxt",
            f"JobCompLoc={state}/jobcomp.txt",
            "MinJobAge=3600",
            "ReturnToService=2",
            "SlurmctldTimeout=30",
            "SlurmdTimeout=60",
            f"NodeName=localhost NodeAddr=127.0.0.1 CPUs={cpus} RealMemory={memory_mb} "
            "State=UNKNOWN",
            "PartitionName=asaqda Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
            "",
        ]
    )


def _sh(cmd: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, text=True, capture_output=True, **kw)  # type: ignore[call-overload]


def ensure_packages() -> None:
    """Install ``slurm-wlm`` and ``munge`` from Debian when they are missing."""
    if shutil.which("slurmctld") and shutil.which("munged"):
        return
    print("installing slurm-wlm and munge (apt-get) ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "slurm-wlm", "munge"], check=True, env=env)


def memory_mb() -> int:
    """Three quarters of this machine's memory in MB (the rest stays for the daemons)."""
    with open("/proc/meminfo", encoding="ascii") as fh:
        total_kb = int(next(line for line in fh if line.startswith("MemTotal")).split()[1])
    return total_kb // 1024 * 3 // 4


def listeners(ports: tuple[int, ...]) -> list[str]:
    """``address:port`` of the TCP sockets listening on ``ports`` (from ``/proc/net/tcp``)."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text(encoding="ascii").splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr_hex, port_hex = local.split(":")
            if state != "0A" or int(port_hex, 16) not in ports:  # 0A = LISTEN
                continue
            if len(addr_hex) == 8:
                addr = ".".join(str(b) for b in reversed(bytes.fromhex(addr_hex)))
            else:
                addr = "[" + addr_hex + "]"
            found.append(f"{addr}:{int(port_hex, 16)}")
    return sorted(found)


class Cluster:
    """munged + slurmctld + slurmd of a one-node cluster, stopped on ``stop()``."""

    def __init__(self, state: Path) -> None:
        self.state = state
        self.conf = Path("/etc/slurm/slurm.conf")
        self.env = {**os.environ, "SLURM_CONF": str(self.conf)}
        self.started: list[tuple[str, Path]] = []
        self.wrote_conf = False

    def start(self) -> None:
        for sub in ("ctld", "spool", "munge"):
            (self.state / sub).mkdir(parents=True, exist_ok=True)
        if self.conf.exists() and not self.conf.read_text().startswith(MARK):
            raise RuntimeError(
                f"{self.conf} exists and was not written by this script; not replaced "
                "(move it away for the proof, or run the proof on a machine without SLURM)"
            )
        self.conf.parent.mkdir(parents=True, exist_ok=True)
        self.conf.write_text(MARK + slurm_conf(self.state, os.cpu_count() or 1, memory_mb()))
        self.wrote_conf = True
        os.environ["SLURM_CONF"] = str(self.conf)
        # munged: the key Debian's package made; its socket where SLURM's auth/munge looks
        run_munge = Path("/run/munge")
        run_munge.mkdir(parents=True, exist_ok=True)
        shutil.chown(run_munge, "munge", "munge")
        for sub in ("/var/lib/munge", "/var/log/munge"):
            Path(sub).mkdir(parents=True, exist_ok=True)
            shutil.chown(sub, "munge", "munge")
        pid = run_munge / "munged.pid"
        subprocess.run(
            ["runuser", "-u", "munge", "--", "munged", f"--pid-file={pid}", "--force"],
            check=True,
        )
        self.started.append(("munged", pid))
        subprocess.run(["slurmctld", "-f", str(self.conf)], check=True, env=self.env)
        self.started.append(("slurmctld", self.state / "slurmctld.pid"))
        subprocess.run(
            ["slurmd", "-f", str(self.conf), "-N", "localhost"], check=True, env=self.env
        )
        self.started.append(("slurmd", self.state / "slurmd.pid"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            state = _sh(["sinfo", "-h", "-N", "-o", "%T"], env=self.env).stdout.strip()
            if state.startswith("idle"):
                print(f"one-node cluster up:\n{_sh(['sinfo'], env=self.env).stdout}", flush=True)
                listening = listeners((6817, 6818))
                print(f"listening: {', '.join(listening)}", flush=True)
                if any(not a.startswith("127.") for a in listening):
                    raise RuntimeError(f"a SLURM daemon listens beyond loopback: {listening}")
                return
            time.sleep(1)
        raise RuntimeError(f"node did not become idle (sinfo: {state!r})")

    def stop(self) -> None:
        for name, pidfile in reversed(self.started):
            try:
                pid = int(pidfile.read_text().split()[0])
            except (OSError, ValueError, IndexError):
                print(f"{name}: no pid file {pidfile}; not stopped", flush=True)
                continue
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
            for _ in range(50):
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.2)
            else:
                os.kill(pid, signal.SIGKILL)
            print(f"{name} (pid {pid}) stopped", flush=True)
        self.started.clear()
        if self.wrote_conf:
            shutil.copy(self.conf, self.state / "slurm.conf")
            self.conf.unlink()
            self.wrote_conf = False


def asaqda_run(out: Path, inp: Path, *extra: str) -> tuple[int, float, str]:
    """``asaqda run`` of this checkout; returns exit code, wall seconds and the log text."""
    exe = Path(sys.executable).parent / "asaqda"
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    start = time.perf_counter()
    proc = _sh(
        [str(exe), "run", "--input", str(inp), "--output", str(out), "--cores", "2", *extra],
        env=env,
    )
    seconds = time.perf_counter() - start
    (out.parent / f"{out.name}.log").write_text(proc.stdout + proc.stderr, encoding="utf-8")
    return proc.returncode, seconds, proc.stdout + proc.stderr


def jobcomp_table(path: Path) -> list[dict[str, str]]:
    """Parse SLURM's ``jobcomp/filetxt`` records (``Key=Value`` pairs, one job a line)."""
    rows = []
    if not path.exists():
        return rows
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        rec = dict(part.split("=", 1) for part in line.split() if "=" in part)
        rows.append(rec)
    return rows


def _elapsed(rec: dict[str, str]) -> float:
    from datetime import datetime

    try:
        a = datetime.fromisoformat(rec["StartTime"])
        b = datetime.fromisoformat(rec["EndTime"])
    except (KeyError, ValueError):
        return float("nan")
    return (b - a).total_seconds()


def smoke(work: Path) -> int:
    """Only start the cluster, run one ``srun`` and one ``sbatch`` job, stop it."""
    cluster = Cluster(work / "slurm")
    try:
        cluster.start()
        print(_sh(["srun", "-n1", "hostname"], env=cluster.env).stdout, flush=True)
        # srun inside a batch job: what the SLURM executor's job steps do
        job_out = cluster.state / "smoke-%j.out"
        sbatch = ["sbatch", "--parsable", f"--output={job_out}", "--wrap", "srun hostname"]
        out = _sh(sbatch, env=cluster.env)
        print(out.stdout + out.stderr, flush=True)
        time.sleep(8)
        for path in sorted(cluster.state.glob("smoke-*.out")):
            print(f"{path.name}: {path.read_text().strip()}", flush=True)
        print(_sh(["squeue", "-t", "all"], env=cluster.env).stdout, flush=True)
    finally:
        cluster.stop()
    print(jobcomp_table(cluster.state / "jobcomp.txt"))
    return 0


def prove(work: Path, local: Path | None = None) -> int:
    """Start the cluster, run both pipelines, compare, print; returns the exit code."""
    cluster = Cluster(work / "slurm")
    comments: dict[str, str] = {}
    jobs: list[dict[str, str]] = []
    t_local = t_slurm = float("nan")
    code_local = code_slurm = 1
    inp = work / "eingang"
    shutil.copytree(DEMO, inp)
    try:
        cluster.start()
        if local is None:
            local = work / "lokal"
            print("local run (asaqda run --cores 2) ...", flush=True)
            code_local, t_local, _ = asaqda_run(local, inp)
            print(f"  exit {code_local}, {t_local:.1f} s", flush=True)
        else:
            print(f"local run: the one in {local}", flush=True)
            code_local = 0
        print("SLURM run (asaqda run --profile slurm) ...", flush=True)
        code_slurm, t_slurm, log = asaqda_run(work / "slurm_run", inp, "--profile", "slurm")
        print(f"  exit {code_slurm}, {t_slurm:.1f} s", flush=True)
        if code_slurm:
            print(log[-6000:])
        jobs = jobcomp_table(cluster.state / "jobcomp.txt")
        # the plugin names every job after the run and puts the rule into the comment
        queue = _sh(["squeue", "--states=all", "-h", "-o", "%i|%k"], env=cluster.env).stdout
        comments = dict(line.split("|", 1) for line in queue.splitlines() if "|" in line)
    finally:
        cluster.stop()
    print(f"\nSLURM ran {len(jobs)} jobs (job completion records):")
    print(f"{'JobId':>6}  {'State':<10} {'CPUs':>4} {'Elapsed':>8}  Name")
    busy = 0.0
    for rec in jobs:
        el = _elapsed(rec)
        busy += 0 if el != el else el
        name = comments.get(rec.get("JobId", ""), rec.get("Name", "?"))
        print(
            f"{rec.get('JobId', '?'):>6}  {rec.get('JobState', '?'):<10} "
            f"{rec.get('ProcCnt', '?'):>4} {el:>7.0f}s  {name}"
        )
    slurm_log = work / "slurm_run" / ".snakemake" / "slurm_logs"
    if slurm_log.exists():
        rules = sorted({p.parent.name for p in slurm_log.rglob("*.log")})
        print(f"SLURM job logs kept for: {', '.join(rules) or '(none)'}")
    local_wall = f"{t_local:.1f} s" if t_local == t_local else "(given)"
    print(f"\nwall time: local {local_wall}, SLURM {t_slurm:.1f} s; SLURM job time {busy:.0f} s")
    if code_local or code_slurm:
        print("FAILED: a run did not finish (logs beside the output folders)")
        return 1
    local_h, slurm = result_hashes(local), result_hashes(work / "slurm_run")
    keys = local_h.keys() | slurm.keys()
    differ = sorted(k for k in keys if local_h.get(k) != slurm.get(k))
    if differ:
        print(f"FAILED: {len(differ)} of {len(keys)} result files differ:")
        for k in differ[:40]:
            print(f"  {k}: local {local_h.get(k, '-')[:10]}  slurm {slurm.get(k, '-')[:10]}")
        return 1
    print(f"identical: all {len(local_h)} result files of both runs have the same SHA-1")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path, help="scratch folder (default: a new temp folder)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument(
        "--local", type=Path, help="output folder of a finished local demo run to compare with"
    )
    parser.add_argument("--smoke", action="store_true", help="only start and test the cluster")
    args = parser.parse_args()
    if os.geteuid() != 0:
        print("needs root (it installs packages and starts the SLURM daemons)")
        return 2
    ensure_packages()
    # a plain `kill` ends the run through the `finally` that stops the daemons, too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    work = args.workdir or Path(tempfile.mkdtemp(prefix="asaqda_slurm_"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"scratch folder: {work}", flush=True)
    try:
        return smoke(work.resolve()) if args.smoke else prove(work.resolve(), args.local)
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
