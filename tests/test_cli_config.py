"""``asaqda init`` and ``asaqda run --config FILE --set KEY=VALUE``: planted project files."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from asaqda import cli, settings
from asaqda.cli import app

from .conftest import fake_snakemake_run

runner = CliRunner()


def _capture_call(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    return fake_snakemake_run(monkeypatch)


def _passed_config(cmd: list[str]) -> dict:
    path = Path(cmd[cmd.index("--configfile") + 1])
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _planted(tmp_path: Path, text: str) -> Path:
    (tmp_path / "eingang").mkdir()
    path = tmp_path / "team.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_init_writes_every_schema_key_with_default_and_german_comment(tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", str(tmp_path / "projekt")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "projekt" / "asaqda.yaml").read_text(encoding="utf-8")
    assert "  threshold: 0.5\n" in text
    assert "  coders: [JS, MK, LT]\n" in text
    assert "# Kürzel der Kodierenden" in text
    data = yaml.safe_load(text)
    assert data["input_dir"] == "eingang"
    assert data["output_dir"] == "ergebnisse"
    for key in settings.schema_keys(settings.load_schema()):
        node = data
        for part in key.split("."):
            node = node[part]  # KeyError when a key of the schema is missing
    assert (tmp_path / "projekt" / "eingang").is_dir()


def test_cli_init_never_overwrites_an_existing_file(tmp_path: Path) -> None:
    (tmp_path / "asaqda.yaml").write_text("precode:\n  threshold: 0.7\n", encoding="utf-8")
    result = runner.invoke(app, ["init", str(tmp_path)])
    assert result.exit_code == 1
    assert "bleibt unverändert" in result.output
    assert (tmp_path / "asaqda.yaml").read_text(encoding="utf-8") == "precode:\n  threshold: 0.7\n"


def test_cli_run_config_file_values_reach_snakemake(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _capture_call(monkeypatch)
    path = _planted(
        tmp_path,
        "input_dir: eingang\noutput_dir: ergebnisse\n"
        "precode:\n  threshold: 0.7\nreview:\n  coders: [AB, CD]\n",
    )
    result = runner.invoke(app, ["run", "--config", str(path), "-n"])
    assert result.exit_code == 0, result.output
    cmd = calls[0]["cmd"]
    assert f"input_dir={(tmp_path / 'eingang').resolve()}" in cmd
    assert f"output_dir={(tmp_path / 'ergebnisse').resolve()}" in cmd
    passed = _passed_config(cmd)
    assert passed["precode"]["threshold"] == 0.7
    assert passed["precode"]["min_kappa"] == 0.6  # default kept
    assert passed["review"]["coders"] == ["AB", "CD"]
    assert Path(cmd[cmd.index("--configfile") + 1]) == (
        tmp_path / "ergebnisse" / "logs" / "konfiguration.yaml"
    )


def test_cli_run_set_and_options_override_the_config_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _capture_call(monkeypatch)
    path = _planted(tmp_path, "input_dir: eingang\nprecode:\n  threshold: 0.7\n")
    out = tmp_path / "anders"
    result = runner.invoke(
        app,
        ["run", "--config", str(path), "--set", "precode.threshold=0.6", "-o", str(out), "-n"],
    )
    assert result.exit_code == 0, result.output
    cmd = calls[0]["cmd"]
    assert f"output_dir={out.resolve()}" in cmd
    assert _passed_config(cmd)["precode"]["threshold"] == 0.6


def test_cli_run_without_config_passes_the_checkout_config(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _capture_call(monkeypatch)
    inp = tmp_path / "in"
    inp.mkdir()
    result = runner.invoke(app, ["run", "-i", str(inp), "-o", str(tmp_path / "out"), "-n"])
    assert result.exit_code == 0, result.output
    cmd = calls[0]["cmd"]
    assert cmd[cmd.index("--configfile") + 1] == str(cli.REPO / "config" / "config.yaml")


def test_cli_run_config_invalid_value_stops_with_e201_naming_the_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _capture_call(monkeypatch)
    path = _planted(tmp_path, "input_dir: eingang\nprecode:\n  threshold: 1.5\n")
    result = runner.invoke(app, ["run", "--config", str(path)])
    assert result.exit_code == 1
    assert calls == []
    assert "[E201]" in result.output
    assert "'precode.threshold' = 1.5 ist ungültig: der Wert darf höchstens 1 sein" in (
        result.output
    )
    assert "[bold red]" not in result.output
    assert "Fehler" in result.output


def test_cli_run_config_unknown_key_stops_with_e201(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _capture_call(monkeypatch)
    path = _planted(tmp_path, "input_dir: eingang\nreview:\n  kodierer: [AB]\n")
    result = runner.invoke(app, ["run", "--config", str(path)])
    assert result.exit_code == 1
    assert calls == []
    assert "Den Schlüssel 'review.kodierer' gibt es nicht" in result.output


def test_cli_run_config_broken_yaml_names_the_row(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _capture_call(monkeypatch)
    path = _planted(tmp_path, "input_dir: eingang\nprecode:\n  threshold: [0.5\n")
    result = runner.invoke(app, ["run", "--config", str(path)])
    assert result.exit_code == 1
    assert calls == []
    assert "[E201]" in result.output
    assert "Traceback" not in result.output


def test_settings_parse_overrides_reads_yaml_values() -> None:
    assert settings.parse_overrides(["precode.threshold=0.6", "review.coders=[AB, CD]"]) == {
        "precode": {"threshold": 0.6},
        "review": {"coders": ["AB", "CD"]},
    }


def test_cli_run_config_without_folders_keeps_the_checkout_defaults(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _capture_call(monkeypatch)
    path = _planted(tmp_path, "precode:\n  min_examples: 4\n")
    out = tmp_path / "aus"
    result = runner.invoke(app, ["run", "--config", str(path), "-o", str(out), "-n"])
    assert result.exit_code == 0, result.output
    cmd = calls[0]["cmd"]
    assert f"input_dir={cli.REPO / 'data' / 'demo'}" in cmd
    assert _passed_config(cmd)["precode"]["min_examples"] == 4
