"""A team's own project configuration: write it (``asaqda init``), read, override, validate.

The defaults live in one place, ``config/config.yaml`` of the checkout, described by
``workflow/schemas/config.schema.yaml``; a project file holds only what a team changes, and
``--set KEY=VALUE`` on the command line overrides both.
"""

from __future__ import annotations

import copy
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from asaqda.errors import ConfigError, Location, Problem

REPO = Path(__file__).resolve().parents[2]
SCHEMA_PATH = REPO / "workflow" / "schemas" / "config.schema.yaml"
DEFAULTS_PATH = REPO / "config" / "config.yaml"
PATH_KEYS = ("input_dir", "output_dir", "codebook_dir", "datenschutz.sperrliste")

# German comment of every key of the schema, written above the key by ``asaqda init``
GERMAN: dict[str, str] = {
    "input_dir": "Eingangsordner: je Erhebungswelle ein Unterordner (z. B. 2023-1) mit den "
    "MAXQDA-Exporten, Dokumentvariablen und Transkripten",
    "output_dir": "Ergebnisordner: hierhin schreibt die Pipeline alles (Tabellen, Abbildungen, "
    "Bericht, Prüfbögen, Protokolle)",
    "codebook_dir": "Ordner des Kategoriensystems (eine YAML-Datei je Hauptkategorie)",
    "precode": "Vorkodierung mit spaCy (Vorschläge für unkodierte Dokumente)",
    "precode.threshold": "Schwelle für Codes ohne eigene, an zurückgehaltenen Dokumenten "
    "gewählte Schwelle (0 bis 1)",
    "precode.target_precision": "null: je Code die Schwelle mit dem besten F1; eine Zahl "
    "(z. B. 0.8): die niedrigste Schwelle, bei der dieser Anteil der Vorschläge bestätigt wurde",
    "precode.min_kappa": "Gütegrenze: Codes mit niedrigerem Kappa (Maschine gegen Mensch) "
    "werden nicht vorgeschlagen",
    "precode.min_examples": "Codes mit weniger kodierten Absätzen werden weder trainiert noch "
    "vorgeschlagen",
    "precode.n_splits": "Anzahl der Teilungen für die Prüfung an zurückgehaltenen Dokumenten",
    "precode.seed": "Startwert des Zufallsgenerators",
    "precode.only_uncoded": "true: nur Dokumente ganz ohne Kodierung; false: auch unkodierte "
    "Absätze kodierter Dokumente",
    "precode.learners": "Basislerner des Modells: word (Wortfolgen), char (Zeichenfolgen), "
    "use (Satzeinbettungen, offline), question (die vorangehende Frage der Interviewenden)",
    "precode.neighbours": "true: die Nachbarabsätze der befragten Person fließen mit ein",
    "precode.main_categories": "true: die Hauptkategorie wird als eigene Ebene gelernt "
    "(hilft bei seltenen Unterkategorien)",
    "precode.stack_rules": "true: Regeln und Modell werden gemeinsam gewichtet; false: der "
    "höhere der beiden Werte zählt",
    "agreement": "Übereinstimmung der Kodierenden (doppelt kodierte Dokumente)",
    "agreement.min_overlap": "Segmente stimmen überein, wenn sie sich mindestens zu diesem "
    "Anteil überlappen (0 bis 1)",
    "agreement.n_boot": "Bootstrap-Stichproben der 95-%-Intervalle von Krippendorffs Alpha",
    "agreement.seed": "Startwert des Bootstraps",
    "review": "Prüfbögen für die Kodierenden",
    "review.coders": "Kürzel der Kodierenden; jede Person erhält review/<Welle>/<Kürzel>.xlsx",
    "review.overlap": "Anteil der Dokumente, die alle Kodierenden erhalten (für den Vergleich)",
    "panel": "Panel der Teilnehmenden (Verläufe der Arbeitsfähigkeit)",
    "panel.delta_was": "Ab dieser Differenz im WAS (0 bis 10) zählt eine Veränderung",
    "panel.delta_bilanz": "Ab dieser Bilanz (-1 bis 1) der Ereignisse zählt eine Veränderung",
    "panel.bilanz_min_events": "Mindestzahl der Ereignisse für eine Einstufung nach Bilanz, "
    "sonst „prüfen“",
    "panel.bilanz_z": "Abstand der Bilanz von 0 in Standardfehlern für eine Veränderung",
    "panel.bands": "Je zwei Schnittpunkte für die Stufen niedrig, mittel, hoch",
    "panel.bands.was": "Schnittpunkte im WAS",
    "panel.bands.bilanz": "Schnittpunkte in der Bilanz",
    "panel.band_labels": "Namen der drei Stufen",
    "inductive": "Induktive Kategorienbildung mit BERTopic (induktiv/)",
    "inductive.material": "unkodiert: Absätze, die kein Code abdeckt; oder ein Codepfad "
    "(z. B. Entlastung), um Unterkategorien zu finden",
    "inductive.embedding": "use (mehrsprachiger Universal Sentence Encoder, offline) oder "
    "tfidf_svd",
    "inductive.min_words": "Einheiten mit weniger Wörtern bleiben unberücksichtigt",
    "inductive.min_topic_size": "Kleinstes Thema; auto = 2 % der Einheiten, mindestens 5, "
    "höchstens 50",
    "inductive.n_neighbors": "Nachbarschaftsgröße von UMAP (größer = breitere Themen)",
    "inductive.seeds": "Startwerte; der erste ergibt die Themen, die übrigen messen die Stabilität",
    "inductive.subsamples": "Neuanpassungen an Teilstichproben für die Stabilität; 0 = keine",
    "inductive.subsample_share": "Anteil der Einheiten je Teilstichprobe",
    "inductive.top_words": "Themenwörter je Kandidat",
    "inductive.examples": "Beispieleinheiten je Kandidat (Ankerbeispiel-Kandidaten)",
    "inductive.extra_stop_words": "Füllwörter, die zusätzlich zu den deutschen Stoppwörtern "
    "entfallen",
    "datenschutz": "Datenschutz: Prüfung jedes Textes, der die Pipeline verlässt",
    "datenschutz.sperrliste": "Textdatei mit echten Namen (eine je Zeile), außerhalb des "
    "Repositoriums; leer = keine Sperrliste",
    "datenschutz.streng": "true: nicht freigegebene Zitate mit Treffer entfallen im Bericht",
}


def load_schema(path: Path = SCHEMA_PATH) -> dict[str, Any]:
    """Read the JSON schema of the configuration.

    Parameters
    ----------
    path : Path
        The schema file (YAML).

    Returns
    -------
    dict
        The schema.
    """
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_defaults(path: Path = DEFAULTS_PATH) -> dict[str, Any]:
    """Read the defaults of the checkout (``config/config.yaml``).

    Parameters
    ----------
    path : Path
        The default configuration file.

    Returns
    -------
    dict
        The default configuration.
    """
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def schema_keys(schema: dict[str, Any], prefix: str = "") -> list[str]:
    """Every key of the schema as a dotted path, objects before their keys, in schema order.

    Parameters
    ----------
    schema : dict
        The schema, or the schema of an object inside it.
    prefix : str
        Dotted path of ``schema`` (empty at the top).

    Returns
    -------
    list of str
        E.g. ``["input_dir", ..., "precode", "precode.threshold", ...]``.
    """
    out: list[str] = []
    for name, sub in schema.get("properties", {}).items():
        key = f"{prefix}{name}"
        out.append(key)
        if "properties" in sub:
            out += schema_keys(sub, f"{key}.")
    return out


def _get(cfg: dict[str, Any], key: str) -> Any:
    value: Any = cfg
    for part in key.split("."):
        value = value[part]
    return value


def _scalar(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000)
    return text.removesuffix("...\n").strip()


def render_project_config(
    schema: dict[str, Any], defaults: dict[str, Any], input_dir: str, output_dir: str
) -> str:
    """The text of a commented project configuration with every key and its default.

    Parameters
    ----------
    schema : dict
        The configuration schema.
    defaults : dict
        The defaults (``config/config.yaml``).
    input_dir, output_dir : str
        The team's input and output folders (relative paths count from the file's folder).

    Returns
    -------
    str
        YAML with a German comment above every key.
    """
    values = copy.deepcopy(defaults)
    values["input_dir"] = input_dir
    values["output_dir"] = output_dir
    values["codebook_dir"] = str(REPO / str(defaults["codebook_dir"]))
    lines = [
        "# Projektkonfiguration für asaqda. Start: asaqda run --config <diese Datei>",
        "# Relative Pfade gelten ab dem Ordner dieser Datei. Jeder Wert lässt sich beim Aufruf",
        "# überschreiben, z. B. --set precode.threshold=0.6 oder --output ANDERER_ORDNER.",
        "# Nicht benötigte Einträge dürfen gelöscht werden; dann gilt der Standardwert.",
    ]
    for key in schema_keys(schema):
        depth = key.count(".")
        indent = "  " * depth
        name = key.rsplit(".", 1)[-1]
        sub = _subschema(schema, key)
        if depth == 0:
            lines.append("")
        lines += textwrap.wrap(
            GERMAN.get(key, key), 96, initial_indent=f"{indent}# ", subsequent_indent=f"{indent}# "
        )
        if "properties" in sub:
            lines.append(f"{indent}{name}:")
        else:
            try:
                value = _get(values, key)
            except KeyError:
                value = sub.get("default")
            lines.append(f"{indent}{name}: {_scalar(value)}")
    return "\n".join(lines) + "\n"


def _subschema(schema: dict[str, Any], key: str) -> dict[str, Any]:
    sub = schema
    for part in key.split("."):
        sub = sub["properties"][part]
    return sub


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def read_project_config(path: Path) -> dict[str, Any]:
    """Read a project configuration; relative paths count from the file's folder.

    Parameters
    ----------
    path : Path
        The YAML file written by ``asaqda init`` (and edited by the team).

    Returns
    -------
    dict
        Its content, paths made absolute.

    Raises
    ------
    ConfigError
        E201 when the file is missing, is no YAML or holds no mapping.
    """
    where = Location(str(path))
    if not path.is_file():
        raise ConfigError(
            Problem(
                "E201",
                "Die Konfigurationsdatei gibt es nicht",
                where,
                "Pfad prüfen oder mit 'asaqda init ORDNER' eine anlegen.",
            )
        )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise ConfigError(
            Problem(
                "E201",
                "Die Konfigurationsdatei ist kein gültiges YAML",
                Location(str(path), row=row),
                "Einrückung (Leerzeichen, keine Tabulatoren) und Doppelpunkte in dieser Zeile "
                "prüfen.",
            )
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(
            Problem(
                "E201",
                "Die Konfigurationsdatei enthält keine Einträge der Form 'schlüssel: wert'",
                where,
                "Die Datei mit 'asaqda init ORDNER' neu anlegen und die Werte übertragen.",
            )
        )
    for key in PATH_KEYS:
        try:
            value = _get(data, key)
        except (KeyError, TypeError):
            continue
        if isinstance(value, str) and value and not Path(value).is_absolute():
            parent: Any = data
            *head, last = key.split(".")
            for part in head:
                parent = parent[part]
            parent[last] = str((path.parent / value).resolve())
    return data


def parse_overrides(items: list[str]) -> dict[str, Any]:
    """Turn ``--set KEY=VALUE`` items into a nested mapping (values read as YAML).

    Parameters
    ----------
    items : list of str
        E.g. ``["precode.threshold=0.6", "review.coders=[AB, CD]"]``.

    Returns
    -------
    dict
        E.g. ``{"precode": {"threshold": 0.6}, "review": {"coders": ["AB", "CD"]}}``.

    Raises
    ------
    ConfigError
        E201 when an item has no ``=`` or its value is no YAML.
    """
    out: dict[str, Any] = {}
    for item in items:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ConfigError(
                Problem(
                    "E201",
                    f"--set '{item}' hat nicht die Form SCHLÜSSEL=WERT",
                    fix="z. B. --set precode.threshold=0.6 angeben.",
                )
            )
        try:
            value = yaml.safe_load(text) if text.strip() else ""
        except yaml.YAMLError:
            raise ConfigError(
                Problem(
                    "E201",
                    f"Der Wert von --set {key} ist nicht lesbar: {text}",
                    fix="Listen als [A, B] schreiben, Text mit Sonderzeichen in Anführungszeichen.",
                )
            ) from None
        node = out
        *head, last = key.split(".")
        for part in head:
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                break
        else:
            node[last] = value
    return out


_GERMAN_CHECK = {
    "type": "erwartet wird der Typ {validator_value}",
    "minimum": "der Wert muss mindestens {validator_value} sein",
    "maximum": "der Wert darf höchstens {validator_value} sein",
    "exclusiveMinimum": "der Wert muss größer als {validator_value} sein",
    "enum": "erlaubt sind nur {validator_value}",
    "minItems": "die Liste braucht mindestens {validator_value} Einträge",
    "maxItems": "die Liste darf höchstens {validator_value} Einträge haben",
    "uniqueItems": "kein Eintrag darf doppelt vorkommen",
    "minLength": "der Wert darf nicht leer sein",
    "pattern": "der Wert enthält ein unzulässiges Zeichen",
}


def effective_config(
    defaults: dict[str, Any],
    schema: dict[str, Any],
    project: dict[str, Any] | None = None,
    overrides: dict[str, Any] | None = None,
    source: str = "--config",
) -> dict[str, Any]:
    """Merge defaults, project file and command-line overrides and validate the result.

    Parameters
    ----------
    defaults : dict
        ``config/config.yaml`` of the checkout.
    schema : dict
        The configuration schema.
    project : dict, optional
        The team's project configuration (later wins).
    overrides : dict, optional
        ``--set`` values (win over the project file).
    source : str
        Name of the file (or option) in the error message.

    Returns
    -------
    dict
        The configuration the run uses.

    Raises
    ------
    ConfigError
        E201 naming each wrong key, its value and what is allowed.
    """
    cfg = _merge(_merge(defaults, project or {}), overrides or {})
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for err in sorted(validator.iter_errors(cfg), key=lambda e: [str(p) for p in e.path]):
        key = ".".join(str(p) for p in err.absolute_path)
        if err.validator == "additionalProperties":
            known = sorted(_subschema_at(schema, key).get("properties", {}))
            extra = sorted(set(_get(cfg, key) if key else cfg) - set(known))
            for name in extra:
                full = f"{key}.{name}" if key else name
                problems.append(
                    Problem(
                        "E201",
                        f"Den Schlüssel '{full}' gibt es nicht",
                        Location(source),
                        f"Schreibweise prüfen; erlaubt sind: {', '.join(known)}.",
                    )
                )
            continue
        what = _GERMAN_CHECK.get(str(err.validator), "der Wert passt nicht zur Beschreibung")
        what = what.format(validator_value=err.validator_value)
        problems.append(
            Problem(
                "E201",
                f"'{key}' = {_scalar(err.instance)} ist ungültig: {what}",
                Location(source),
                f"Den Wert von '{key}' ändern (Standard: {_default_text(defaults, key)}).",
            )
        )
    if problems:
        raise ConfigError(problems)
    return cfg


def _subschema_at(schema: dict[str, Any], key: str) -> dict[str, Any]:
    return _subschema(schema, key) if key else schema


def _default_text(defaults: dict[str, Any], key: str) -> str:
    try:
        return _scalar(_get(defaults, key))
    except (KeyError, TypeError):
        return "siehe config/config.yaml"
