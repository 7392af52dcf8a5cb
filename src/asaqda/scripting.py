"""Glue for the thin Snakemake scripts: logging to the rule's log and readable errors."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from asaqda.environment import environment_fault
from asaqda.errors import AsaqdaError

__all__ = ["run_logged"]


def run_logged(log_path: str | None, step: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run ``step`` with logging to ``log_path``; an AsaqdaError ends the job with its message.

    The message (file, row, column, how to fix) goes to the log and to stderr, which Snakemake
    shows; no traceback is printed for input errors, nor for a read-only folder or a full disk
    (E401, E402), whichever library was writing.
    """
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        try:
            Path(log_path).parent.mkdir(parents=True, exist_ok=True)
            handlers.append(logging.FileHandler(log_path, mode="w", encoding="utf-8"))
        except OSError as exc:  # the logs folder itself cannot be written
            fault = environment_fault(exc, Path(log_path).parent)
            if fault is None:
                raise
            print(fault, file=sys.stderr)
            sys.exit(1)
    logging.basicConfig(
        level=logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
        handlers=handlers,
        force=True,
    )
    try:
        return step(*args, **kwargs)
    except AsaqdaError as exc:
        logging.getLogger("asaqda").error("%s", exc)
        sys.exit(1)
    except OSError as exc:
        fault = environment_fault(exc)
        if fault is None:
            logging.getLogger("asaqda").exception("unexpected error")
            raise
        logging.getLogger("asaqda").error("%s", fault)
        sys.exit(1)
    except Exception:  # a bug, not bad input: keep the traceback in the rule's log
        logging.getLogger("asaqda").exception("unexpected error")
        raise
