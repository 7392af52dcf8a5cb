"""German messages and consistent option names of the commands besides ``run``."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from asaqda import cli
from asaqda.cli import app

from .conftest import REPO

runner = CliRunner()


def test_cli_reliability_missing_file_is_a_german_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["reliability", str(tmp_path / "fehlt.csv")])
    assert result.exit_code == 1
    assert f"Fehler: die Datei '{tmp_path / 'fehlt.csv'}' gibt es nicht" in result.output
    assert "Traceback" not in result.output and "[bold red]" not in result.output


def test_cli_refi_missing_file_is_a_german_message(tmp_path: Path) -> None:
    result = runner.invoke(app, ["refi", str(tmp_path / "fehlt.qdpx")])
    assert result.exit_code == 1
    assert "gibt es nicht" in result.output and "Traceback" not in result.output


def test_cli_reliability_sentence_uses_german_decimal_commas(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("coder,u1,u2,u3,u4\nX,1,0,1,0\nY,1,0,0,1\n", "utf-8")
    result = runner.invoke(app, ["reliability", str(path), "--n-boot", "100"])
    assert result.exit_code == 0, result.output
    assert "Krippendorffs α (nominal) = 0,125" in result.output
    assert cli._de(0.8125) == "0,812" and cli._de(float("nan")) == "nicht bestimmbar"


def test_cli_level_message_is_german(tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("coder,u1\nX,1\nY,1\n", "utf-8")
    result = runner.invoke(app, ["reliability", str(path), "--level", "metrisch"])
    assert result.exit_code == 2
    assert "--level muss einer dieser Werte sein: nominal, ordinal, interval, ratio." in (
        result.output
    )


def test_cli_demo_output_and_hidden_out_alias(tmp_path: Path) -> None:
    for option in ("--output", "--out"):
        result = runner.invoke(app, ["demo", "--scale", "riesig", option, str(tmp_path / "d")])
        assert result.exit_code == 2
        assert "--scale muss 'demo' oder 'full' sein." in result.output
    help_text = runner.invoke(app, ["demo", "--help"]).output
    assert "--output" in help_text and "--out " not in help_text


def test_cli_check_accepts_input_option_like_run(tmp_path: Path) -> None:
    (tmp_path / "2023-1").mkdir()
    (tmp_path / "2023-1" / "leer.csv").write_text("", encoding="utf-8")
    for args in (["check", str(tmp_path)], ["check", "--input", str(tmp_path)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 1
        assert "[E004] '2023-1/leer.csv'" in result.output


def test_cli_add_inductive_date_and_hidden_datum_alias_reject_a_bad_date(tmp_path: Path) -> None:
    sheet = tmp_path / "k.xlsx"
    for option in ("--date", "--datum"):
        args = ["codebook", "add-inductive", str(sheet), "--codebook", str(REPO / "codebook")]
        result = runner.invoke(app, [*args, option, "21.11.2026"])
        assert result.exit_code == 1
        assert "Fehler: --date '21.11.2026' ist kein Datum der Form 2026-11-21." in result.output
