"""Take inductive candidates into the codebook (``asaqda codebook add-inductive``).

A candidate marked ``übernehmen`` in a candidate sheet becomes a code with ``art: induktiv``,
its name, the (reworked) definition draft, the representative units as anchor examples and its
provenance (``herkunft``: run, scope, topic id, ...). Without an ``Oberkategorie`` it becomes a
new main category in a file of its own (listed last in ``reihenfolge``); with one it is
inserted after the parent's last subcode in the parent's file. The codebook's minor version goes
up and ``stand`` is set to the date.

All or nothing: every changed file is written to a copy of the codebook first and the copy is
validated (:func:`asaqda.codebook.load_codebook`); only then are the files replaced. A candidate
that is already in the codebook (same run, scope and topic) is skipped, so reading the same sheet
twice changes nothing.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from asaqda.codebook import (
    META_FILE,
    Anchor,
    Code,
    Codebook,
    closest_code,
    load_codebook,
    validation_message,
)
from asaqda.errors import CodebookError, InputError, Location, Problem
from asaqda.inductive.sheets import DECISIONS, SHEET, CandidateSheet
from asaqda.io.values import CODE_SEPARATOR

__all__ = ["NewCategory", "Added", "candidates_from_sheet", "add_inductive", "PERSPECTIVES"]

#: the perspective of a new main category, from the role most of its documents have
PERSPECTIVES = {"Auszubildende": "Auszubildende", "Ausbildungsbetrieb": "Betrieb"}
_PROVENANCE = ("lauf", "bereich", "thema")


@dataclass(frozen=True)
class NewCategory:
    """A marked candidate, ready to become a code."""

    name: str
    parent: str | None
    definition: str
    anchors: list[Anchor]
    herkunft: dict[str, str]
    perspektive: str
    where: Location = field(compare=False)

    @property
    def code(self) -> str:
        """The full code path."""
        return f"{self.parent}{CODE_SEPARATOR}{self.name}" if self.parent else self.name


@dataclass(frozen=True)
class Added:
    """What :func:`add_inductive` did with one candidate."""

    code: str
    file: str
    status: str  # "neu" or "schon im Codebuch"


def _majority_role(roles: str) -> str:
    counts: Counter[str] = Counter()
    for part in roles.split(", "):
        name, _, n = part.rpartition(" ")
        if name and n.isdigit():
            counts[name] += int(n)
    if not counts:
        return "Akteure"
    role = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
    return PERSPECTIVES.get(role, "Akteure")


def candidates_from_sheet(
    sheet: CandidateSheet, codebook: Codebook, date: str
) -> list[NewCategory]:
    """The rows marked ``übernehmen`` as new categories.

    Raises
    ------
    InputError
        E106 for a marked row without a name, an unknown Übernehmen value or an unknown
        Oberkategorie (all problems of the sheet at once).
    """
    problems: list[Problem] = []
    out: list[NewCategory] = []
    examples = sum(1 for c in sheet.rows.columns if c.startswith("beispiel_"))
    for rec in sheet.rows.to_dict("records"):
        decision = rec["entscheidung"].lower()

        def where(column: str, row: int = rec["row"]) -> Location:
            return Location(sheet.file, SHEET, row, column)

        if decision and decision not in DECISIONS:
            problems.append(
                Problem(
                    "E106",
                    f"Übernehmen ist '{rec['entscheidung']}'",
                    where("Übernehmen"),
                    f"{' oder '.join(DECISIONS)} wählen (oder die Zelle leer lassen)",
                )
            )
            continue
        if decision != "übernehmen":
            continue
        if not rec["name"]:
            problems.append(
                Problem(
                    "E106",
                    f"der Kandidat {rec['thema']} ist mit übernehmen markiert, hat aber keinen "
                    "Namen",
                    where("Name der Kategorie"),
                    "den Namen der neuen Kategorie eintragen",
                )
            )
            continue
        if ">" in rec["name"]:
            problems.append(
                Problem(
                    "E106",
                    f"der Name '{rec['name']}' enthält '>'",
                    where("Name der Kategorie"),
                    "nur den eigenen Namen der neuen Kategorie eintragen und die Oberkategorie "
                    "in der Spalte Oberkategorie wählen",
                )
            )
            continue
        parent = rec["oberkategorie"] or None
        if parent is not None and codebook.get(parent) is None:
            best, _ = closest_code(parent, codebook.paths)
            hint = f"; ähnlichster Code: '{best}'" if best else ""
            problems.append(
                Problem(
                    "E106",
                    f"die Oberkategorie '{parent}' ist kein Code des Kodierleitfadens{hint}",
                    where("Oberkategorie"),
                    "einen Code aus der Auswahlliste wählen oder die Zelle für eine neue "
                    "Hauptkategorie leer lassen",
                )
            )
            continue
        anchors = [
            Anchor(zitat=rec[f"beispiel_{i}"], quelle=rec[f"quelle_{i}"])
            for i in range(1, examples + 1)
            if rec.get(f"beispiel_{i}") and rec.get(f"quelle_{i}")
        ]
        definition = rec["definition"] or (
            f"Induktive Kategorie aus der Themenanalyse; Begriffe: {rec['begriffe']}."
        )
        herkunft = {
            "lauf": sheet.info["Lauf"],
            "bereich": sheet.info["Bereich"],
            "thema": rec["thema"],
            "material": sheet.info.get("Material", ""),
            "einbettung": sheet.info.get("Einbettung", ""),
            "begriffe": rec["begriffe"],
            "stabilitaet": rec["stabilitaet"],
            "kandidatenliste": Path(sheet.file).name,
            "uebernommen_am": date,
        }
        out.append(
            NewCategory(
                name=rec["name"],
                parent=parent,
                definition=definition,
                anchors=anchors,
                herkunft={k: str(v) for k, v in herkunft.items() if str(v)},
                perspektive=_majority_role(rec["rollen"]),
                where=where("Name der Kategorie"),
            )
        )
    if problems:
        raise InputError(problems)
    return out


def _slug(name: str) -> str:
    text = unicodedata.normalize("NFKC", name).lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_") or "kategorie"


def _entry(new: NewCategory) -> dict[str, Any]:
    code = Code(
        code=new.code,
        art="induktiv",
        definition=new.definition,
        ankerbeispiele=new.anchors,
        kodierregeln=[
            "Induktiv aus dem Material gebildet; Definition und Abgrenzung vor der Kodierung im "
            "Team abstimmen."
        ],
        herkunft=new.herkunft,
    )
    return code.model_dump(exclude_defaults=True, exclude_none=True)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _bump(meta_text: str, date: str, new_mains: list[str]) -> str:
    version = re.search(r'^version:\s*"?(\d+)\.(\d+)\.(\d+)"?\s*$', meta_text, re.M)
    if version is None:  # load_codebook validated the pattern; a rewritten file might not match
        raise CodebookError(
            Problem(
                "E102",
                "codebook.yaml hat keine Zeile 'version: \"x.y.z\"'",
                Location(f"codebook/{META_FILE}"),
                'die Version als version: "1.2.0" in eine eigene Zeile schreiben',
            )
        )
    major, minor = int(version.group(1)), int(version.group(2))
    text = (
        meta_text[: version.start()]
        + f'version: "{major}.{minor + 1}.0"'
        + meta_text[version.end() :]
    )
    text = re.sub(r"^stand:.*$", f'stand: "{date}"', text, count=1, flags=re.M)
    if new_mains:
        lines = text.rstrip("\n").split("\n")
        start = next(i for i, line in enumerate(lines) if line.startswith("reihenfolge:"))
        end = start + 1
        while end < len(lines) and (lines[end].startswith((" ", "-")) or not lines[end].strip()):
            end += 1
        indent = re.match(r"^(\s*)-", lines[end - 1]) if end - 1 > start else None
        pad = indent.group(1) if indent else "  "
        items = [pad + line for m in new_mains for line in _dump([m]).rstrip("\n").split("\n")]
        lines[end:end] = items
        text = "\n".join(lines) + "\n"
    return text


def add_inductive(directory: Path, candidates: list[NewCategory], date: str) -> list[Added]:
    """Write the candidates into the codebook folder (all or nothing).

    Raises
    ------
    CodebookError
        E106 when a new code's path is taken by another code, two candidates get the same
        path or an entry is invalid (bad characters, too long); E1xx when the resulting
        codebook does not validate. Nothing is written then.
    """
    codebook = load_codebook(directory)
    existing = {c.code: c for c in codebook.codes}
    files = {  # main category -> its file (load_codebook has validated them)
        yaml.safe_load(path.read_text(encoding="utf-8"))["hauptkategorie"]: path
        for path in sorted(directory.glob("*.yaml"))
        if path.name != META_FILE
    }
    problems: list[Problem] = []
    report: list[Added] = []
    todo: list[NewCategory] = []
    seen: dict[str, Location] = {}
    for new in candidates:
        old = existing.get(new.code)
        if old is not None:
            same = old.herkunft and all(
                old.herkunft.get(k) == new.herkunft.get(k) for k in _PROVENANCE
            )
            if same:
                main = new.code.split(CODE_SEPARATOR)[0]
                report.append(Added(new.code, files[main].name, "schon im Codebuch"))
                continue
            problems.append(
                Problem(
                    "E106",
                    f"der Code '{new.code}' steht schon im Kodierleitfaden",
                    new.where,
                    "einen anderen Namen wählen oder die Zeile nicht markieren, wenn es dieselbe "
                    "Kategorie ist",
                )
            )
            continue
        if new.code in seen:
            problems.append(
                Problem(
                    "E106",
                    f"zwei markierte Kandidaten heißen beide '{new.code}'",
                    new.where,
                    f"ihnen verschiedene Namen geben oder sie zusammenführen (auch "
                    f"{seen[new.code].file} Zeile {seen[new.code].row})",
                )
            )
            continue
        seen[new.code] = new.where
        try:
            _entry(new)
        except ValidationError as exc:
            problems.extend(
                Problem(
                    "E106",
                    f"'{new.code}': {validation_message(e)}",
                    new.where,
                    "den Namen korrigieren",
                )
                for e in exc.errors()
            )
            continue
        todo.append(new)
    if problems:
        raise CodebookError(problems)
    if not todo:
        return report
    texts: dict[str, str] = {}
    data: dict[str, dict[str, Any]] = {}
    new_mains: list[str] = []
    taken = {p.name for p in directory.glob("*.yaml")}
    for new in todo:
        if new.parent is None:
            name = f"{_slug(new.name)}.yaml"
            stem, n = name[:-5], 2
            while name in taken:
                name, n = f"{stem}_{n}.yaml", n + 1
            taken.add(name)
            data[name] = {
                "hauptkategorie": new.name,
                "perspektive": new.perspektive,
                "beschreibung": "Induktiv aus dem Material gebildete Hauptkategorie "
                f"(Lauf {new.herkunft.get('lauf', '')}, {new.herkunft.get('bereich', '')}, "
                f"Thema {new.herkunft.get('thema', '')}).",
                "codes": [_entry(new)],
            }
            new_mains.append(new.name)
            report.append(Added(new.code, name, "neu"))
            continue
        main = new.parent.split(CODE_SEPARATOR)[0]
        name = files[main].name
        if name not in data:
            data[name] = yaml.safe_load(files[main].read_text(encoding="utf-8"))
        codes = data[name]["codes"]
        after = max(
            i
            for i, c in enumerate(codes)
            if c["code"] == new.parent or c["code"].startswith(new.parent + CODE_SEPARATOR)
        )
        codes.insert(after + 1, _entry(new))
        report.append(Added(new.code, name, "neu"))
    for name, content in data.items():
        texts[name] = _dump(content)
    texts[META_FILE] = _bump((directory / META_FILE).read_text(encoding="utf-8"), date, new_mains)
    with tempfile.TemporaryDirectory() as tmp:
        trial = Path(tmp) / directory.name
        shutil.copytree(directory, trial)
        for name, text in texts.items():
            (trial / name).write_text(text, encoding="utf-8")
        load_codebook(trial)  # raises before anything in the real folder changes
    for name, text in texts.items():
        part = directory / f".{name}.part"
        part.write_text(text, encoding="utf-8")
        os.replace(part, directory / name)
    return report
