"""Errors and warnings of asaqda, each with a stable code.

Every message names the value that is wrong, where it is (file, sheet, row, column), what was
expected and how to fix it. Codes are stable: E0xx input, E1xx codebook, E2xx configuration,
E3xx pre-coding, E4xx the environment (folders, disk).
Warnings (W0xx) never stop a run; they go to the quality report under ``qualitaet/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "AsaqdaError",
    "CodebookError",
    "ConfigError",
    "PrecodeError",
    "InputError",
    "EnvironmentFault",
    "Location",
    "Problem",
    "ERRORS",
]

#: Stable error codes and their short meaning (the README lists them for users).
ERRORS: dict[str, str] = {
    "E001": "required column missing",
    "E002": "file cannot be read",
    "E003": "file is password-protected or not an .xlsx workbook",
    "E004": "file is empty",
    "E005": "table file is neither a coded-segments nor a document-variables export",
    "E006": "document appears in two waves",
    "E007": "coded document missing in the document variables",
    "E008": "paragraph number out of range",
    "E009": "wave folder disagrees with the document variable Welle",
    "E010": "pseudonym looks like a typo of another",
    "E011": "invalid value in a cell",
    "E012": "document listed twice with different variables",
    "E013": "input folder has no wave folders or a badly named one",
    "E014": "two transcripts for the same document",
    "E015": "review sheet cannot be read",
    "E016": "review sheet changed in its structure or placed in the wrong wave",
    "E017": "REFI-QDA selection outside the text of its source",
    "E018": "inductive candidate sheet cannot be read or changed in its structure",
    "E019": "REFI-QDA file larger than its limits or its sizes do not match (zip bomb guard)",
    "E020": "a sheet people may have filled in the output folder cannot be checked or kept",
    "E040": "data-protection block list cannot be read",
    "E041": "data-protection sign-off sheet invalid",
    "E042": "pseudonym mapping file invalid",
    "E043": "file to pseudonymise cannot be read",
    "E101": "codebook file cannot be read",
    "E102": "codebook entry invalid",
    "E103": "code has an unknown parent",
    "E104": "code defined twice",
    "E105": "pre-coding pattern does not compile",
    "E106": "inductive candidate cannot become a code (no name, name taken, unknown parent)",
    "E201": "configuration invalid",
    "E301": "nothing to train the pre-coding model on",
    "E401": "output folder or one of its subfolders cannot be written (read-only, no permission)",
    "E402": "no space left on the disk of the output folder",
}


@dataclass(frozen=True)
class Location:
    """Where a problem sits in the input: file, and optionally sheet, row and column."""

    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts = [f"'{self.file}'"]
        if self.sheet is not None:
            parts.append(f"Blatt '{self.sheet}'")
        if self.row is not None:
            parts.append(f"Zeile {self.row}")
        if self.column is not None:
            parts.append(f"Spalte '{self.column}'")
        return ", ".join(parts)


@dataclass(frozen=True)
class Problem:
    """One problem found in the input."""

    code: str
    message: str
    location: Location | None = None
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        fix = f" So beheben: {self.fix}" if self.fix else ""
        return f"[{self.code}] {where}{self.message}.{fix}"


class AsaqdaError(Exception):
    """Base class: one or more problems that stop the run."""

    def __init__(self, problems: Problem | list[Problem]) -> None:
        self.problems: list[Problem] = [problems] if isinstance(problems, Problem) else problems
        if not self.problems:
            raise ValueError("AsaqdaError needs at least one problem")
        super().__init__(self._render())

    def __reduce__(self) -> tuple[type, tuple[list[Problem]]]:
        # keep the problems when the error crosses a process boundary (pickle)
        return (type(self), (self.problems,))

    @property
    def code(self) -> str:
        """The code of the first problem (all problems of one error usually share it)."""
        return self.problems[0].code

    def _render(self, limit: int = 25) -> str:
        lines = [str(p) for p in self.problems[:limit]]
        if len(self.problems) > limit:
            lines.append(f"… und {len(self.problems) - limit} weitere Probleme dieser Art.")
        return "\n".join(lines)


class InputError(AsaqdaError):
    """The input exports are wrong; nothing of the affected import was written."""


class EnvironmentFault(AsaqdaError):
    """The machine, not the input, stops the run: a read-only folder, a full disk."""


class CodebookError(AsaqdaError):
    """The codebook YAML is invalid."""


class ConfigError(AsaqdaError):
    """The configuration is invalid."""


class PrecodeError(AsaqdaError):
    """Pre-coding cannot run on this material."""


@dataclass
class ProblemList:
    """Collects row-level problems so a user sees all of them at once, then raises."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, code: str, message: str, location: Location | None = None, fix: str = "") -> None:
        """Record a problem."""
        self.problems.append(Problem(code, message, location, fix))

    def raise_if_any(self, cls: type[AsaqdaError] = InputError) -> None:
        """Raise ``cls`` with all recorded problems, if there are any."""
        if self.problems:
            raise cls(list(self.problems))
