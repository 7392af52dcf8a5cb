"""``asaqda run --profile``: the SLURM profile of the checkout and how run passes it on."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from asaqda.cli import app

from .conftest import REPO, fake_snakemake_run

runner = CliRunner()
PROFILE = REPO / "profiles" / "slurm" / "config.yaml"


def _capture_call(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    return fake_snakemake_run(monkeypatch)


def test_cli_run_profile_name_resolves_to_checkout_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _capture_call(monkeypatch)
    inp = tmp_path / "in"
    inp.mkdir()
    result = runner.invoke(
        app, ["run", "-i", str(inp), "-o", str(tmp_path / "out"), "--profile", "slurm", "-n"]
    )
    assert result.exit_code == 0, result.output
    cmd = calls[0]["cmd"]
    assert cmd[cmd.index("--profile") + 1] == str((REPO / "profiles" / "slurm").resolve())


def test_cli_run_profile_folder_is_used_as_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _capture_call(monkeypatch)
    own = tmp_path / "mein_profil"
    own.mkdir()
    (own / "config.yaml").write_text("executor: slurm\n", encoding="utf-8")
    inp = tmp_path / "in"
    inp.mkdir()
    result = runner.invoke(
        app, ["run", "-i", str(inp), "-o", str(tmp_path / "out"), "--profile", str(own)]
    )
    assert result.exit_code == 0, result.output
    cmd = calls[0]["cmd"]
    assert cmd[cmd.index("--profile") + 1] == str(own.resolve())


def test_cli_run_without_profile_passes_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _capture_call(monkeypatch)
    inp = tmp_path / "in"
    inp.mkdir()
    result = runner.invoke(app, ["run", "-i", str(inp), "-o", str(tmp_path / "out"), "-n"])
    assert result.exit_code == 0, result.output
    assert "--profile" not in calls[0]["cmd"]


def test_cli_run_unknown_profile_exits_2_in_german(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _capture_call(monkeypatch)
    result = runner.invoke(app, ["run", "-o", str(tmp_path / "out"), "--profile", "slrum"])
    assert result.exit_code == 2
    assert "Profil 'slrum' nicht gefunden" in result.output
    assert "slurm" in result.output.replace("'slrum'", "")
    assert calls == []
    assert not (tmp_path / "out").exists()


def _rule_names() -> set[str]:
    names: set[str] = set()
    for smk in (REPO / "workflow" / "rules").glob("*.smk"):
        names |= set(re.findall(r"^rule (\w+):", smk.read_text(encoding="utf-8"), re.M))
    return names


def test_cli_slurm_profile_names_only_existing_rules() -> None:
    profile = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))
    rules = _rule_names()
    named = set(profile["set-resources"]) | set(profile["set-threads"]) | set(profile["groups"])
    assert named - rules == set()
    assert profile["executor"] == "slurm"
    assert profile["slurm-status-command"] == "squeue"
    # every rule that declares threads keeps them on the cluster
    assert profile["set-threads"] == {"inductive_units": 2, "inductive_scope": 2, "portraits": 2}
    # grouped rules: per-wave chains only, so no group waits on a job that waits on it
    assert profile["groups"]["import_wave"] == profile["groups"]["review_decisions"] == "wave_in"
    assert {profile["groups"][r] for r in ("precode_wave", "review_sheets", "refi_export")} == {
        "wave_out"
    }
    assert profile["group-components"] == {"wave_in": 6, "wave_out": 6, "summaries": 3}


def test_cli_slurm_profile_gives_heavy_rules_their_full_scale_memory() -> None:
    res = yaml.safe_load(PROFILE.read_text(encoding="utf-8"))["set-resources"]
    # about twice the full-scale peaks: inductive 1.9 + 1.1 GB, agreement 2.5 GB,
    # pre-coding training 1.5 GB
    assert res["inductive_scope"]["mem_mb"] == 6000
    assert res["intercoder"]["mem_mb"] == 5000
    assert res["train_precoder"]["mem_mb"] == 4000
    assert all(r["runtime"] >= 10 for r in res.values())
