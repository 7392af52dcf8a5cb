"""Faults of the environment (read-only folder, full disk) end in a German message."""

from __future__ import annotations

import errno
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from asaqda import environment
from asaqda.cli import app
from asaqda.environment import cache_env, check_output_folder, environment_fault, remove_leftovers
from asaqda.errors import EnvironmentFault
from asaqda.io import officefiles
from asaqda.io.officefiles import write_csv, write_xlsx
from asaqda.scripting import run_logged

from .conftest import make_wave


def _refuse(code: int, folder: Path):
    """A stand-in for a writing call that fails as a read-only folder or a full disk does."""

    def fail(*args: object, **kwargs: object) -> None:
        raise OSError(code, "simulated", str(folder / "x"))

    return fail


@pytest.mark.parametrize(
    ("code", "expected"),
    [(errno.EROFS, "E401"), (errno.EACCES, "E401"), (errno.ENOSPC, "E402")],
)
def test_environment_fault_names_the_folder(tmp_path: Path, code: int, expected: str) -> None:
    fault = environment_fault(OSError(code, "x", str(tmp_path / "f.csv")))
    assert fault is not None and fault.code == expected
    assert str(fault).startswith(f"[{expected}] '{tmp_path}': ")
    assert environment_fault(OSError(errno.ENOENT, "x")) is None


@pytest.mark.parametrize(("code", "expected"), [(errno.EROFS, "E401"), (errno.ENOSPC, "E402")])
def test_environment_writers_leave_no_part_file_and_keep_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, expected: str
) -> None:
    target = write_csv(tmp_path / "t.csv", pd.DataFrame({"a": [1]}))
    before = target.read_bytes()
    monkeypatch.setattr(officefiles.os, "replace", _refuse(code, tmp_path))
    with pytest.raises(EnvironmentFault) as info:
        write_csv(target, pd.DataFrame({"a": [2]}))
    assert info.value.code == expected and f"'{tmp_path}'" in str(info.value)
    with pytest.raises(EnvironmentFault):
        write_xlsx(tmp_path / "t.xlsx", {"T": pd.DataFrame({"a": [2]})})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv"]
    assert target.read_bytes() == before


def test_environment_preflight_names_a_read_only_subfolder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "tables").mkdir()
    real = environment._probe

    def probe(folder: Path) -> None:
        if folder.name == "tables":  # tests run as root, so chmod would not stop the write
            raise OSError(errno.EROFS, "Read-only file system", str(folder / ".probe"))
        real(folder)

    monkeypatch.setattr(environment, "_probe", probe)
    with pytest.raises(EnvironmentFault) as info:
        check_output_folder(tmp_path)
    assert info.value.code == "E401"
    assert str(info.value).startswith(f"[E401] '{tmp_path / 'tables'}': Der Ordner ist")


def test_environment_cli_run_stops_before_snakemake_on_a_read_only_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_wave(tmp_path / "in")
    monkeypatch.setattr(environment, "_probe", _refuse(errno.EROFS, tmp_path / "out"))
    result = CliRunner().invoke(
        app, ["run", "--input", str(tmp_path / "in"), "--output", str(tmp_path / "out")]
    )
    assert result.exit_code == 1
    assert "[E401]" in result.output and "schreibgeschützt" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / ".snakemake").exists()


def test_environment_step_on_a_full_disk_ends_with_e402_without_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def step() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "x.parquet"))

    with pytest.raises(SystemExit) as info:
        run_logged(str(tmp_path / "logs" / "step.log"), step)
    assert info.value.code == 1
    log = (tmp_path / "logs" / "step.log").read_text(encoding="utf-8")
    assert f"[E402] '{tmp_path}': Auf dem Datenträger" in log
    assert "Traceback" not in log + capsys.readouterr().err


def test_environment_leftovers_of_a_full_disk_are_removed(tmp_path: Path) -> None:
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / ".a.csv.part").write_text("halb")
    (tmp_path / "tables" / "a.csv").write_text("ganz")
    meta = tmp_path / ".snakemake" / "metadata"
    meta.mkdir(parents=True)
    (meta / "dGFibGVz").write_bytes(b"")
    (meta / "Z29vZA==").write_text("{}")
    removed = remove_leftovers(tmp_path)
    assert removed == sorted([tmp_path / "tables" / ".a.csv.part", meta / "dGFibGVz"])
    assert (tmp_path / "tables" / "a.csv").read_text() == "ganz"
    assert (meta / "Z29vZA==").exists()


def test_environment_caches_stay_below_the_output_folder(tmp_path: Path) -> None:
    env = cache_env(tmp_path)
    assert env == {
        "MPLCONFIGDIR": str(tmp_path / ".cache" / "matplotlib"),
        "NUMBA_CACHE_DIR": str(tmp_path / ".cache" / "numba"),
        "XDG_CACHE_HOME": str(tmp_path / ".cache"),
    }


def test_environment_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ergebnisse").write_text("keine Ordner")
    with pytest.raises(EnvironmentFault) as info:
        check_output_folder(tmp_path / "ergebnisse")
    assert str(info.value).startswith(
        f"[E401] '{tmp_path / 'ergebnisse'}': Der Ausgabeordner ist eine Datei, kein Ordner."
    )


def test_environment_leftovers_stay_while_another_run_holds_the_lock(tmp_path: Path) -> None:
    (tmp_path / ".x.csv.part").write_text("halb")
    (tmp_path / ".snakemake" / "locks").mkdir(parents=True)
    (tmp_path / ".snakemake" / "locks" / "0.output.lock").write_text("")
    assert remove_leftovers(tmp_path) == []
    assert (tmp_path / ".x.csv.part").exists()
