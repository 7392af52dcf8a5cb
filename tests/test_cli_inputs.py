"""The command line on inputs without codings, and how `asaqda run` drives Snakemake."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from asaqda.cli import app

from .conftest import make_wave

runner = CliRunner()


def _code_only_project(path: Path) -> None:
    """A REFI-QDA project with a code system and nothing coded (no sources)."""
    import zipfile

    xml = (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<Project xmlns="urn:QDA-XML:project:1.0" name="Codes" origin="NVivo for Mac 12.7">'
        '<CodeBook><Codes><Code guid="7b000000-0000-4000-8000-000000000001" name="Freistellung"'
        ' isCodable="true"/></Codes></CodeBook></Project>'
    )
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("project.qde", xml)


@pytest.mark.parametrize(
    ("case", "documents"),
    [("variables_only", 1), ("transcripts_only", 1), ("empty_wave", 0), ("code_only", 0)],
)
def test_cli_check_input_without_codings_prints_the_summary(
    tmp_path: Path, case: str, documents: int
) -> None:
    inp = tmp_path / "in"
    if case == "variables_only":
        make_wave(inp, rows=[], transcripts={})
    elif case == "transcripts_only":
        make_wave(inp, rows=[], variables=[])
    elif case == "empty_wave":
        (inp / "2023-1").mkdir(parents=True)
    else:
        (inp / "2023-1").mkdir(parents=True)
        _code_only_project(inp / "2023-1" / "codes.qdpx")
    result = runner.invoke(app, ["check", str(inp)])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "2023-1" in line and "│" in line)
    assert [c.strip() for c in row.split("│")[1:-1]][:4] == [
        "2023-1",
        str(documents),
        *row_rest(case),
    ]


def row_rest(case: str) -> list[str]:
    """Transcripts and segments the check table shows for each case."""
    return {"transcripts_only": ["1", "0"]}.get(case, ["0", "0"])


def test_cli_run_keeps_going_caches_below_output_and_prints_failed_steps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandas as pd

    from asaqda import cli

    seen: dict[str, object] = {}
    failed = (
        "Error in rule inductive_scope:\n    jobid: 7\n"
        "    log: logs/inductive_scope/gesamt.log (check log file(s) for error details)\n"
    )

    def fake_run(cmd: list[str], cwd: Path, env: dict[str, str], **kw: object) -> tuple[int, str]:
        seen.update(cmd=cmd, env=env)
        return 1, failed

    status = pd.DataFrame({"datei": ["bericht.docx"], "schritt": ["report"], "stand": ["veraltet"]})
    monkeypatch.setattr(cli, "run_streamed", fake_run)
    monkeypatch.setattr(cli, "snakemake_text", lambda *a: "")
    monkeypatch.setattr(cli, "run_status", lambda *a: status)
    monkeypatch.setattr(cli, "write_run_status", lambda *a: None)
    make_wave(tmp_path / "in")
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", "--input", str(tmp_path / "in"), "--output", str(out)])
    assert result.exit_code == 1
    assert "--keep-going" in seen["cmd"]  # type: ignore[operator]
    env = seen["env"]
    assert env["MPLCONFIGDIR"] == str(out / ".cache" / "matplotlib")  # type: ignore[index]
    assert env["XDG_CACHE_HOME"] == str(out / ".cache")  # type: ignore[index]
    assert env["NUMBA_CACHE_DIR"] == str(out / ".cache" / "numba")  # type: ignore[index]
    assert (
        "  - Induktive Kategorien eines Bereichs (inductive_scope) [gesamt]: Protokoll "
        f"{out / 'logs' / 'inductive_scope' / 'gesamt.log'}"
    ) in result.output
    assert "  - bericht.docx" in result.output
