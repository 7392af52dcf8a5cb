"""The Mayring category system: YAML in ``codebook/``, validated by pydantic models.

``codebook/codebook.yaml`` holds title, version and the order of the main categories; every
other ``*.yaml`` file holds one main category (:class:`CategoryFile`) with its codes. The JSON
schemas in ``codebook/schema/`` are generated from these models (``asaqda codebook schema``);
a test fails if they drift.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from asaqda.errors import CodebookError, Location, Problem
from asaqda.io.values import CODE_SEPARATOR

__all__ = [
    "Anchor",
    "Patterns",
    "Code",
    "CategoryFile",
    "CodebookMeta",
    "Codebook",
    "load_codebook",
    "codebook_frame",
    "closest_code",
    "write_schemas",
    "META_FILE",
    "validation_message",
    "MAXQDA_NAME_LIMIT",
]

META_FILE = "codebook.yaml"
MAXQDA_NAME_LIMIT = 63  # MAXQDA cuts code names at 63 characters
_BAD_CHARS = re.compile(r"[>\\\x00-\x1f\x7f|]")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Anchor(_Strict):
    """An anchor example: a quote and its source as the team writes it, e.g. (Ausbilder_U33)."""

    zitat: str = Field(min_length=1, description="the quote")
    quelle: str = Field(min_length=1, description="source, e.g. (Ausbilder_U33)")


class Patterns(_Strict):
    """Pre-coding patterns (used by the pre-coding stage)."""

    phrasen: list[str] = Field(default_factory=list, description="lemma-based phrases")
    token_muster: list[list[dict[str, Any]]] = Field(
        default_factory=list,
        description="spaCy Matcher token patterns; NORM holds the lower-case lemma",
    )
    bei_verneinung: str | None = Field(
        default=None,
        description="code that a negated match is evidence for (e.g. 'nicht freistellen' -> "
        "'Freistellung > keine'); without it negated matches are dropped",
    )


class Code(_Strict):
    """One code of the category system."""

    code: str = Field(description="full code path, levels joined with ' > '")
    art: Literal["deduktiv", "induktiv"] = Field(description="deductive or inductive category")
    definition: str = Field(min_length=1, description="Definition (Mayring)")
    ankerbeispiele: list[Anchor] = Field(default_factory=list, description="Ankerbeispiele")
    kodierregeln: list[str] = Field(default_factory=list, description="Kodierregeln")
    farbe: str | None = Field(
        default=None, pattern=r"^#[0-9A-Fa-f]{6}$", description="MAXQDA colour as #RRGGBB"
    )
    muster: Patterns = Field(default_factory=Patterns, description="pre-coding patterns")
    herkunft: dict[str, str] | None = Field(
        default=None, description="provenance of an inductive category (run, wave, topic)"
    )

    @field_validator("definition")
    @classmethod
    def _definition_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("die Definition ist leer")
        return value

    @field_validator("code")
    @classmethod
    def _code_path(cls, value: str) -> str:
        levels = value.split(CODE_SEPARATOR)
        for level in levels:
            if not level or level != level.strip():
                raise ValueError(
                    f"der Codepfad '{value}' hat eine leere Ebene oder überzählige Leerzeichen; "
                    "Ebenen mit ' > ' verbinden"
                )
            if _BAD_CHARS.search(level):
                bad = _BAD_CHARS.search(level).group(0)  # type: ignore[union-attr]
                raise ValueError(
                    f"die Ebene '{level}' enthält das Zeichen {bad!r}, das in MAXQDA-Codenamen "
                    "nicht stehen kann"
                )
            if len(level) > MAXQDA_NAME_LIMIT:
                raise ValueError(
                    f"die Ebene '{level}' ist länger als {MAXQDA_NAME_LIMIT} Zeichen "
                    "(MAXQDA kürzt sie)"
                )
        return value

    @property
    def parent(self) -> str | None:
        """Parent code path, or None for a main category."""
        levels = self.code.split(CODE_SEPARATOR)
        return CODE_SEPARATOR.join(levels[:-1]) or None

    @property
    def leaf(self) -> str:
        """Last level of the path."""
        return self.code.split(CODE_SEPARATOR)[-1]


class CategoryFile(_Strict):
    """One YAML file of ``codebook/``: a main category and its codes."""

    hauptkategorie: str = Field(description="main category, first level of every code path")
    perspektive: str = Field(description="whose perspective: Betrieb, Auszubildende, ...")
    beschreibung: str = Field(default="", description="short description for the Leitfaden")
    codes: list[Code] = Field(min_length=1)


class CodebookMeta(_Strict):
    """``codebook/codebook.yaml``."""

    titel: str
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$", description="semantic version")
    stand: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="date of this version")
    hinweis: str = ""
    reihenfolge: list[str] = Field(description="order of the main categories")


class Codebook(BaseModel):
    """The validated category system."""

    meta: CodebookMeta
    categories: list[CategoryFile]

    @property
    def codes(self) -> list[Code]:
        """All codes in the order of the Leitfaden."""
        return [c for cat in self.categories for c in cat.codes]

    @property
    def paths(self) -> list[str]:
        """All code paths in order."""
        return [c.code for c in self.codes]

    def get(self, path: str) -> Code | None:
        """The code with this path, if any."""
        return next((c for c in self.codes if c.code == path), None)

    def children(self, path: str) -> list[Code]:
        """Direct children of a code."""
        return [c for c in self.codes if c.parent == path]


def _load_yaml(path: Path, root: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CodebookError(
            Problem(
                "E101",
                f"die YAML-Datei kann nicht gelesen werden: {exc}",
                Location(path.relative_to(root.parent).as_posix()),
                "die YAML-Syntax korrigieren (Einrückung, Anführungszeichen)",
            )
        ) from exc


def validation_message(err: Any) -> str:
    """The German text of one pydantic validation error (``ValidationError.errors()`` item).

    Parameters
    ----------
    err
        One item of ``ValidationError.errors()``.

    Returns
    -------
    str
        A German sentence fragment; pydantic's English text only for error types not covered.
    """
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    texts = {
        "missing": "das Pflichtfeld fehlt",
        "extra_forbidden": "unbekanntes Feld (Tippfehler im Feldnamen?)",
        "string_too_short": "darf nicht leer sein",
        "too_short": f"braucht mindestens {ctx.get('min_length', 1)} Eintrag/Einträge",
        "string_pattern_mismatch": f"passt nicht zur Form {ctx.get('pattern', '')}",
        "literal_error": f"muss einer dieser Werte sein: {ctx.get('expected', '')}",
        "string_type": "muss ein Text sein",
        "list_type": "muss eine Liste sein",
        "dict_type": "muss eine Zuordnung (Feld: Wert) sein",
        "bool_type": "muss true oder false sein",
        "bool_parsing": "muss true oder false sein",
        "model_type": "muss eine Zuordnung (Feld: Wert) sein",
    }
    return texts.get(kind, str(err.get("msg", "")))


def _validation_problems(exc: ValidationError, file: str, data: Any) -> list[Problem]:
    problems = []
    for err in exc.errors():
        loc = list(err["loc"])
        where = ".".join(str(p) for p in loc)
        if len(loc) >= 2 and loc[0] == "codes" and isinstance(loc[1], int):
            try:
                where = f"Code '{data['codes'][loc[1]]['code']}', Feld " + ".".join(
                    str(p) for p in loc[2:]
                )
            except (KeyError, IndexError, TypeError):
                pass
        problems.append(
            Problem(
                "E102",
                f"{where}: {validation_message(err)}",
                Location(file),
                "den Eintrag korrigieren; die Felder sind in "
                "codebook/schema/kategorie.schema.json beschrieben",
            )
        )
    return problems


def load_codebook(directory: Path) -> Codebook:
    """Load and validate the codebook folder.

    Raises
    ------
    CodebookError
        E101 unreadable YAML; E102 invalid entry (empty definition, bad characters, unknown
        field, ...); E103 unknown parent; E104 a code defined twice.
    """
    meta_path = directory / META_FILE
    if not meta_path.exists():
        raise CodebookError(
            Problem(
                "E101",
                f"'{META_FILE}' fehlt im Ordner des Kodierleitfadens",
                Location(directory.name),
                "codebook/codebook.yaml wiederherstellen (Titel, Version, Reihenfolge)",
            )
        )
    problems: list[Problem] = []
    meta_data = _load_yaml(meta_path, directory)
    try:
        meta = CodebookMeta.model_validate(meta_data)
    except ValidationError as exc:
        raise CodebookError(
            _validation_problems(exc, f"{directory.name}/{META_FILE}", meta_data)
        ) from exc
    files: dict[str, CategoryFile] = {}
    origin: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        if path.name == META_FILE:
            continue
        rel = f"{directory.name}/{path.name}"
        data = _load_yaml(path, directory)
        try:
            cat = CategoryFile.model_validate(data)
        except ValidationError as exc:
            problems.extend(_validation_problems(exc, rel, data))
            continue
        if cat.hauptkategorie in files:
            problems.append(
                Problem(
                    "E104",
                    f"die Hauptkategorie '{cat.hauptkategorie}' ist "
                    f"in zwei Dateien definiert (auch in {origin[cat.hauptkategorie]})",
                    Location(rel),
                    "nur eine Datei je Hauptkategorie behalten",
                )
            )
            continue
        files[cat.hauptkategorie] = cat
        origin[cat.hauptkategorie] = rel
    if problems:
        raise CodebookError(problems)
    seen: dict[str, str] = {}
    for main, cat in files.items():
        rel = origin[main]
        for code in cat.codes:
            if code.code.split(CODE_SEPARATOR)[0] != main:
                problems.append(
                    Problem(
                        "E102",
                        f"der Code '{code.code}' beginnt nicht mit seiner Hauptkategorie '{main}'",
                        Location(rel),
                        "den Code in die Datei seiner Hauptkategorie verschieben",
                    )
                )
            if code.code in seen:
                problems.append(
                    Problem(
                        "E104",
                        f"der Code '{code.code}' ist zweimal definiert (auch in {seen[code.code]})",
                        Location(rel),
                        "einen der beiden Einträge löschen",
                    )
                )
            seen[code.code] = rel
    for main, cat in files.items():
        for code in cat.codes:
            if code.parent is not None and code.parent not in seen:
                problems.append(
                    Problem(
                        "E103",
                        f"der Code '{code.code}' hat die unbekannte Oberkategorie '{code.parent}'",
                        Location(origin[main]),
                        f"einen Eintrag für '{code.parent}' anlegen oder den Pfad korrigieren",
                    )
                )
    for main, cat in files.items():
        for code in cat.codes:
            target = code.muster.bei_verneinung
            if target is not None and target not in seen:
                problems.append(
                    Problem(
                        "E103",
                        f"Code '{code.code}': bei_verneinung nennt den unbekannten Code '{target}'",
                        Location(origin[main]),
                        "einen vorhandenen Code nennen oder bei_verneinung entfernen",
                    )
                )
    unknown_order = [m for m in meta.reihenfolge if m not in files]
    missing_order = [m for m in files if m not in meta.reihenfolge]
    if unknown_order or missing_order:
        problems.append(
            Problem(
                "E102",
                "reihenfolge in codebook.yaml passt nicht zu den "
                f"Kategoriedateien (unbekannt: {unknown_order}, nicht aufgeführt: "
                f"{missing_order})",
                Location(f"{directory.name}/{META_FILE}"),
                "jede Hauptkategorie genau einmal in reihenfolge aufführen",
            )
        )
    if problems:
        raise CodebookError(problems)
    return Codebook(meta=meta, categories=[files[m] for m in meta.reihenfolge])


def codebook_frame(codebook: Codebook) -> pd.DataFrame:
    """One row per code: code, hauptkategorie, parent, leaf, level, art, definition, ..."""
    rows = []
    for order, code in enumerate(codebook.codes):
        rows.append(
            {
                "order": order,
                "code": code.code,
                "hauptkategorie": code.code.split(CODE_SEPARATOR)[0],
                "parent": code.parent or "",
                "leaf": code.leaf,
                "level": code.code.count(CODE_SEPARATOR) + 1,
                "art": code.art,
                "definition": code.definition,
                "ankerbeispiele": "\n".join(f"„{a.zitat}“ {a.quelle}" for a in code.ankerbeispiele),
                "kodierregeln": "\n".join(code.kodierregeln),
                "has_children": bool(codebook.children(code.code)),
            }
        )
    return pd.DataFrame(rows)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return re.sub(r"[\s_\-/]+", " ", text).strip()


def closest_code(path: str, codebook_paths: list[str]) -> tuple[str | None, float]:
    """The codebook code an unknown code most likely means, with a similarity 0-1.

    Case, umlaut spelling and spacing do not count (``Freistellung > Keine`` ->
    ``Freistellung > keine``, 1.0); otherwise difflib's ratio on the folded paths.
    """
    folded = {_fold(p): p for p in codebook_paths}
    key = _fold(path)
    if key in folded:
        return folded[key], 1.0
    best, score = None, 0.0
    for f, original in folded.items():
        ratio = difflib.SequenceMatcher(None, key, f).ratio()
        if ratio > score:
            best, score = original, ratio
    return (best, round(score, 3)) if score >= 0.6 else (None, round(score, 3))


def write_schemas(directory: Path) -> list[Path]:
    """Write the JSON schemas of the codebook files, generated from the models."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for name, model in (("kategorie", CategoryFile), ("codebook", CodebookMeta)):
        path = directory / f"{name}.schema.json"
        path.write_text(
            json.dumps(model.model_json_schema(), ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
        out.append(path)
    return out
