"""The run's environment: writable output folder, caches under it, faults as German messages.

A read-only folder, a missing permission or a full disk are faults of the machine, not of the
input. They end in an :class:`~asaqda.errors.EnvironmentFault` (E401, E402) that names the
folder and says what to do, never in a traceback.
"""

from __future__ import annotations

import errno
from pathlib import Path

from asaqda.errors import EnvironmentFault, Location, Problem

__all__ = [
    "CACHE_DIR",
    "cache_env",
    "check_output_folder",
    "environment_fault",
    "remove_leftovers",
]

#: caches of matplotlib, numba and Snakemake's source cache, below the output folder
CACHE_DIR = ".cache"
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_FULL = {errno.ENOSPC, errno.EDQUOT}
_PROBE = ".asaqda-schreibtest"


def cache_env(output: Path) -> dict[str, str]:
    """Environment variables that keep the libraries' caches below ``output``.

    Parameters
    ----------
    output
        The output folder of the run.

    Returns
    -------
    dict of str to str
        ``MPLCONFIGDIR`` (matplotlib), ``NUMBA_CACHE_DIR`` and ``XDG_CACHE_HOME`` (Snakemake's
        source cache and everything else that follows the XDG convention), all under
        ``<output>/.cache``.
    """
    cache = Path(output) / CACHE_DIR
    return {
        "MPLCONFIGDIR": str(cache / "matplotlib"),
        "NUMBA_CACHE_DIR": str(cache / "numba"),
        "XDG_CACHE_HOME": str(cache),
    }


def environment_fault(exc: OSError, folder: Path | str | None = None) -> EnvironmentFault | None:
    """The German message for an OS error that the environment caused, else ``None``.

    Parameters
    ----------
    exc
        The error raised while writing.
    folder
        The folder that was written to (default: the folder of ``exc.filename``).

    Returns
    -------
    EnvironmentFault or None
        E401 for a read-only folder or a missing permission, E402 for a full disk;
        ``None`` for any other error (a bug, to be shown with its traceback).
    """
    if exc.errno not in _READ_ONLY | _FULL:
        return None
    if folder is None:
        name = Path(exc.filename) if exc.filename else Path.cwd()
        folder = name if name.is_dir() else name.parent
    where = Location(str(folder))
    if exc.errno in _FULL:
        return EnvironmentFault(
            Problem(
                "E402",
                "Auf dem Datenträger des Ausgabeordners ist kein Platz mehr; der Schritt hat "
                "nichts Halbfertiges hinterlassen",
                where,
                "Platz schaffen (oder mit --output einen Ordner auf einem anderen Datenträger "
                "wählen) und 'asaqda run' erneut starten; fertige Schritte werden nicht "
                "wiederholt",
            )
        )
    return EnvironmentFault(
        Problem(
            "E401",
            "Der Ordner ist schreibgeschützt oder es fehlt die Berechtigung, darin zu schreiben "
            "(oder zu lesen)",
            where,
            "Schreibrechte für diesen Ordner und seine Unterordner geben (z. B. "
            "'chmod -R u+w' oder in den Ordnereigenschaften), den Datenträger beschreibbar "
            "einbinden oder mit --output einen anderen Ausgabeordner wählen",
        )
    )


def _probe(folder: Path) -> None:
    """Create and delete a small file in ``folder`` (raises OSError if that is impossible)."""
    probe = folder / _PROBE
    with open(probe, "wb") as handle:
        handle.write(b"asaqda")
    probe.unlink()


def check_output_folder(output: Path) -> None:
    """Check before a run that ``output`` and its existing subfolders can be written.

    Parameters
    ----------
    output
        The output folder; created if missing.

    Raises
    ------
    EnvironmentFault
        E401 naming the first folder that cannot be written, E402 if the disk is full.
    """
    if output.exists() and not output.is_dir():
        raise EnvironmentFault(
            Problem(
                "E401",
                "Der Ausgabeordner ist eine Datei, kein Ordner",
                Location(str(output)),
                "mit --output einen Ordner angeben (er wird angelegt, wenn es ihn nicht gibt)",
            )
        )
    folders = [output]
    try:
        output.mkdir(parents=True, exist_ok=True)
        folders += sorted(p for p in output.rglob("*") if p.is_dir() and not p.is_symlink())
        for folder in folders:
            _probe(folder)
    except OSError as exc:
        failed = Path(exc.filename).parent if exc.filename else output
        fault = environment_fault(exc, failed if failed.is_dir() else output)
        if fault is None:
            raise
        raise fault from None


def remove_leftovers(output: Path) -> list[Path]:
    """Remove what an interrupted run leaves behind: our ``.part`` files and empty metadata.

    A full disk can leave a half-written ``.<name>.part`` file of ours and a 0-byte
    Snakemake metadata record, which would make the next run fail. Neither holds anything a
    person wrote. Nothing is removed while Snakemake's lock says that a run is under way.

    Parameters
    ----------
    output
        The output folder.

    Returns
    -------
    list of Path
        The removed files, sorted.
    """
    removed: list[Path] = []
    if not output.is_dir():
        return removed
    locks = output / ".snakemake" / "locks"
    if locks.is_dir() and any(locks.iterdir()):  # another run may be writing right now
        return removed
    for path in sorted(output.rglob(".*.part")):
        if path.is_file() and not path.is_symlink():
            path.unlink()
            removed.append(path)
    metadata = output / ".snakemake" / "metadata"
    if metadata.is_dir():
        for path in sorted(metadata.iterdir()):
            if path.is_file() and path.stat().st_size == 0:
                path.unlink()
                removed.append(path)
    return sorted(removed)
