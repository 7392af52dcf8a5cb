"""The pure helpers of the one-node SLURM proof (benchmarks/slurm_local.py); no daemons."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from types import ModuleType

from .conftest import REPO


def _module() -> ModuleType:
    path = REPO / "benchmarks" / "slurm_local.py"
    spec = importlib.util.spec_from_file_location("slurm_local", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_slurm_local_conf_binds_loopback_and_needs_no_database(tmp_path: Path) -> None:
    conf = _module().slurm_conf(tmp_path, cpus=2, memory_mb=18000)
    lines = conf.splitlines()
    assert "SlurmctldHost=localhost(127.0.0.1)" in lines
    assert "CommunicationParameters=NoCtldInAddrAny,NoInAddrAny" in lines
    assert "AccountingStorageType=accounting_storage/none" in lines
    assert "SelectType=select/cons_tres" in lines
    assert "MinJobAge=3600" in lines
    assert "NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=18000 State=UNKNOWN" in lines
    assert f"JobCompLoc={tmp_path}/jobcomp.txt" in lines


def test_slurm_local_jobcomp_records_parse_with_elapsed_seconds(tmp_path: Path) -> None:
    mod = _module()
    path = tmp_path / "jobcomp.txt"
    path.write_text(
        "JobId=7 UserId=root(0) Name=abc JobState=COMPLETED Partition=asaqda "
        "StartTime=2026-12-01T20:39:11 EndTime=2026-12-01T20:40:53 ProcCnt=2 "
        "ReservationName= ExitCode=0:0\n",
        encoding="utf-8",
    )
    (rec,) = mod.jobcomp_table(path)
    assert rec["JobId"] == "7" and rec["JobState"] == "COMPLETED" and rec["ReservationName"] == ""
    assert mod._elapsed(rec) == 102.0
    assert mod.jobcomp_table(tmp_path / "fehlt.txt") == []


def test_slurm_local_result_hashes_cover_results_and_report_only(tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "a.csv").write_bytes(b"x;y\n")
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "run.log").write_bytes(b"differs every run")
    (tmp_path / "bericht.html").write_bytes(b"<p>")
    hashes = _module().result_hashes(tmp_path)
    assert hashes == {
        "tables/a.csv": hashlib.sha1(b"x;y\n").hexdigest(),
        "bericht.html": hashlib.sha1(b"<p>").hexdigest(),
    }
