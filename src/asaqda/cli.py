"""Command line: ``asaqda run|check|demo|codebook ...``."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from asaqda.environment import cache_env, check_output_folder, remove_leftovers
from asaqda.errors import AsaqdaError
from asaqda.runsummary import (
    INPUT_STEPS,
    LOG_FILE,
    NOTHING_TO_DO,
    closing_lines,
    early_stop_lines,
    parse_pending,
    parse_plan,
    parse_summary,
    previously_missing,
    run_status,
    run_streamed,
    run_summary_lines,
    snakemake_text,
    write_run_status,
)

if TYPE_CHECKING:
    import pandas as pd

app = typer.Typer(
    help="Auswertungspipeline der AsA-flex-Begleitforschung (MAXQDA-Exporte, Kodierleitfaden "
    "nach Mayring, Snakemake).",
    no_args_is_help=True,
    add_completion=False,
)
codebook_app = typer.Typer(
    help="Kodierleitfaden prüfen, darstellen und beschreiben.", no_args_is_help=True
)
app.add_typer(codebook_app, name="codebook")
console = Console(stderr=True)

REPO = Path(__file__).resolve().parents[2]


def _fail(exc: AsaqdaError) -> None:
    console.print("[bold red]Fehler[/bold red]", highlight=False)
    console.print(str(exc), highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(code=1)


def _missing(path: Path) -> None:
    """Say in German that a file given on the command line does not exist."""
    console.print("[bold red]Fehler[/bold red]: ", end="", highlight=False)
    console.print(
        f"die Datei '{path}' gibt es nicht. Pfad prüfen.",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )


def _keep_filled_sheets(input_dir: Path, output_dir: Path) -> None:
    """Copy sheets people filled in the output folder into the input folder, before Snakemake
    can replace them (the workflow checks again when it is parsed, for plain ``snakemake``)."""
    from asaqda.io.wave import discover_waves
    from asaqda.review.rescue import print_rescue

    try:
        waves = discover_waves(input_dir)
    except AsaqdaError:
        return  # the workflow reports what is wrong with the input folder
    try:
        print_rescue(input_dir, output_dir, waves)
    except SystemExit:
        raise typer.Exit(code=1) from None


def _profile_dir(profile: str) -> Path:
    """Resolve ``--profile``: a folder, or a name under ``profiles/`` of the checkout.

    Parameters
    ----------
    profile : str
        ``slurm`` (``profiles/slurm`` of the checkout) or a path to a profile folder.

    Returns
    -------
    Path
        The absolute profile folder (it holds ``config.yaml``).
    """
    for candidate in (Path(profile), REPO / "profiles" / profile):
        if (candidate / "config.yaml").is_file():
            return candidate.resolve()
    known = sorted(p.name for p in (REPO / "profiles").glob("*") if (p / "config.yaml").is_file())
    console.print(
        f"Profil '{profile}' nicht gefunden: weder ein Ordner mit config.yaml noch einer von "
        f"{', '.join(known) or '(keine)'} unter {REPO / 'profiles'}. "
        "Bitte einen dieser Namen oder den Pfad eines Profilordners angeben."
    )
    raise typer.Exit(code=2)


@app.command()
def run(
    input: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="Eingangsordner mit je einem Unterordner pro Welle"),
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Ordner für alle Ergebnisse")
    ] = None,
    config_file: Annotated[
        Path | None,
        typer.Option("--config", help="Projektkonfiguration (YAML, angelegt mit asaqda init)"),
    ] = None,
    overrides: Annotated[
        list[str] | None,
        typer.Option("--set", help="einen Wert überschreiben, z. B. --set precode.threshold=0.6"),
    ] = None,
    cores: Annotated[int, typer.Option("--cores", "-c", help="Anzahl der CPU-Kerne")] = 2,
    codebook: Annotated[
        Path | None,
        typer.Option("--codebook", help="Ordner des Kodierleitfadens (Standard: codebook/)"),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", "-n", help="nur den Plan von Snakemake zeigen")
    ] = False,
    forceall: Annotated[
        bool, typer.Option("--forceall", help="jeden Schritt neu ausführen")
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="die vollständige Ausgabe von Snakemake zeigen"),
    ] = False,
    sperrliste: Annotated[
        Path | None,
        typer.Option(
            "--sperrliste", help="Textdatei mit echten Namen (eine je Zeile), nie kopiert"
        ),
    ] = None,
    streng: Annotated[
        bool, typer.Option("--streng", help="nicht freigegebene Zitate mit Treffer weglassen")
    ] = False,
    profile: Annotated[
        str | None,
        typer.Option(
            "--profile",
            help="Snakemake-Profil: ein Name unter profiles/ (slurm) oder ein Ordner",
        ),
    ] = None,
) -> None:
    """Die ganze Pipeline (Snakemake) auf einem Exportordner ausführen (ohne Angabe: Demo)."""
    snakefile = REPO / "Snakefile"
    if not snakefile.exists():
        console.print(
            f"Snakefile nicht gefunden unter {snakefile}: asaqda aus einem Checkout des "
            "Repositoriums installieren (pip install -e .)."
        )
        raise typer.Exit(code=2)
    profile_dir = _profile_dir(profile) if profile is not None else None
    try:
        settings = _run_settings(config_file, overrides or [], input, output, codebook)
    except AsaqdaError as exc:
        _fail(exc)
    input = Path(settings["input_dir"])
    output = Path(settings["output_dir"]).resolve()
    try:
        check_output_folder(output)
    except AsaqdaError as exc:
        _fail(exc)
    for path in remove_leftovers(output):
        console.print(f"Rest eines abgebrochenen Laufs entfernt: {path}", highlight=False)
    _keep_filled_sheets(input.resolve(), output)
    configfile = REPO / "config" / "config.yaml"
    if config_file is not None or overrides:
        configfile = _write_run_config(settings, output)
    base = [
        sys.executable,
        "-m",
        "snakemake",
        "--snakefile",
        str(snakefile),
        "--directory",
        str(output),
        "--configfile",
        str(configfile),
        # content checksums for every interim table (Snakemake's default stops at 1 MB)
        "--max-checksum-file-size",
        "4GB",
        "--config",
        f"input_dir={input.resolve()}",
        f"output_dir={output}",
        *([f"codebook_dir={codebook.resolve()}"] if codebook is not None else []),
        *_privacy_config(sperrliste, streng),
    ]
    env = {**os.environ, **cache_env(output)}
    # the steps import the same asaqda as this command, not another installed copy
    package_root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
    options = ["--forceall"] if forceall else []
    summary = snakemake_text([*base, "--summary", "--quiet"], output, env)
    outputs = parse_summary(summary, output)
    force = previously_missing(output, outputs)
    if force and not forceall:
        options += ["--forcerun", *force]
    cmd = [*base, "--cores", str(cores), "--keep-going", "--printshellcmds", *options]
    if profile_dir is not None:
        cmd += ["--profile", str(profile_dir)]
    if dry_run:
        cmd.append("--dry-run")
        code, _ = run_streamed(cmd, cwd=output, env=env)
        raise typer.Exit(code=code)
    # the summary already says what a run would remake; a dry run is needed only when
    # files are forced
    pending = None if options else parse_pending(summary, output)
    planned = (
        pending
        if pending is not None
        else parse_plan(snakemake_text([*base, "--dry-run", *options], output, env), output)
    )
    started = time.time()
    nothing = pending is not None and not pending
    if nothing:  # no second start of Snakemake
        console.print(NOTHING_TO_DO, highlight=False)
        code, text = 0, ""
    else:
        code, text, planned = _run_in_two_phases(
            cmd, base, output, env, outputs, planned, pending, verbose
        )
    status = run_status(outputs, planned, output, started)
    write_run_status(output, status)
    lines = early_stop_lines(text) if code and not verbose else []
    lines += run_summary_lines(code, text, status, output)
    if not nothing and "Nothing to be done" not in text:
        lines += closing_lines(text, output)
    for line in lines:
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(code=code)


def _run_in_two_phases(
    cmd: list[str],
    base: list[str],
    output: Path,
    env: dict[str, str],
    outputs: pd.DataFrame,
    planned: set[str],
    pending: set[str] | None,
    verbose: bool,
) -> tuple[int, str, set[str]]:
    """Run Snakemake; when steps that read the input folder are due, run them first.

    Snakemake reruns a step when an input file is newer, unless its content is the same as
    at the step's last run, but within one call it reruns everything after a step that
    runs. So the steps that read the input folder (:data:`INPUT_STEPS`) run first; the
    second call then skips every step whose input came out byte-identical (an input folder
    that moved, an export saved again unchanged, a review sheet with the same decisions).

    Returns
    -------
    tuple
        The exit code, everything Snakemake printed, and the outputs that were to be remade.
    """
    log = output / LOG_FILE
    first = sorted(
        outputs.loc[
            outputs["schritt"].isin(INPUT_STEPS) & outputs["datei"].isin(pending or ()), "datei"
        ]
    )
    if not first or pending is None or set(first) == pending:
        code, text = run_streamed(cmd, cwd=output, env=env, log=log, verbose=verbose)
        return code, text, planned
    code, text = run_streamed([*cmd, *first], cwd=output, env=env, log=log, verbose=verbose)
    if code:
        return code, text, planned
    again = parse_pending(snakemake_text([*base, "--summary", "--quiet"], output, env), output)
    if again is None:  # cannot tell: run everything that was planned
        again = planned
    if again:
        code, more = run_streamed(cmd, cwd=output, env=env, log=log, verbose=verbose, append=True)
        text += more
    return code, text, set(first) | again


def _run_settings(
    config_file: Path | None,
    overrides: list[str],
    input: Path | None,
    output: Path | None,
    codebook: Path | None,
) -> dict:
    """The validated configuration of a run: defaults < --config FILE < --set < options."""
    from asaqda.settings import (
        effective_config,
        load_defaults,
        load_schema,
        parse_overrides,
        read_project_config,
    )

    # the checkout's default folders are relative to the checkout
    project = {"input_dir": str(REPO / "data" / "demo"), "output_dir": str(REPO / "reports")}
    if config_file is not None:
        project.update(read_project_config(config_file.resolve()))
    sets = parse_overrides(overrides)
    for key, value in (("input_dir", input), ("output_dir", output), ("codebook_dir", codebook)):
        if value is not None:
            sets[key] = str(value.resolve())
    source = str(config_file) if config_file is not None else "--set"
    cfg = effective_config(load_defaults(), load_schema(), project, sets, source=source)
    for key in ("input_dir", "output_dir"):
        cfg[key] = str(Path(cfg[key]).resolve())
    return cfg


def _write_run_config(settings: dict, output: Path) -> Path:
    """Write the configuration of this run to ``<output>/logs/konfiguration.yaml``."""
    import yaml

    path = output / "logs" / "konfiguration.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(settings, allow_unicode=True, sort_keys=True)
    path.write_text(
        "# Konfiguration dieses Laufs (Standardwerte, --config und --set zusammengeführt)\n" + text,
        encoding="utf-8",
    )
    return path


@app.command()
def init(
    folder: Annotated[Path, typer.Argument(help="Projektordner (wird angelegt)")],
    input: Annotated[
        str, typer.Option("--input", "-i", help="Eingangsordner, relativ zum Projektordner")
    ] = "eingang",
    output: Annotated[
        str, typer.Option("--output", "-o", help="Ergebnisordner, relativ zum Projektordner")
    ] = "ergebnisse",
) -> None:
    """Eine kommentierte Projektkonfiguration anlegen (asaqda.yaml im Projektordner)."""
    from asaqda.settings import load_defaults, load_schema, render_project_config

    target = folder / "asaqda.yaml"
    if target.exists():
        console.print(
            f"{target} gibt es schon und bleibt unverändert. Werte dort ändern oder einen "
            "anderen Projektordner angeben.",
            highlight=False,
            markup=False,
        )
        raise typer.Exit(code=1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / input).mkdir(parents=True, exist_ok=True)
    text = render_project_config(load_schema(), load_defaults(), input, output)
    target.write_text(text, encoding="utf-8")
    console.print(
        f"Projektkonfiguration angelegt: {target}\n"
        f"Exporte je Welle nach {folder / input} legen, dann: asaqda run --config {target}",
        highlight=False,
        markup=False,
    )


def _privacy_config(sperrliste: Path | None, streng: bool) -> list[str]:
    """The --config entries of the data-protection options (only those that were given)."""
    if sperrliste is not None and not sperrliste.is_file():
        console.print(f"[bold red]Sperrliste nicht gefunden:[/bold red] {sperrliste}")
        raise typer.Exit(code=2)
    out = []
    if sperrliste is not None or streng:
        entry = {"sperrliste": str(sperrliste.resolve()) if sperrliste else "", "streng": streng}
        out.append("datenschutz=" + json.dumps(entry))
    return out


@app.command()
def check(
    folder: Annotated[
        Path | None, typer.Argument(help="Eingangsordner (wie --input)", show_default=False)
    ] = None,
    input: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="Eingangsordner mit je einem Unterordner pro Welle"),
    ] = None,
    codebook_dir: Annotated[
        Path, typer.Option("--codebook", help="Ordner des Kodierleitfadens")
    ] = REPO / "codebook",
) -> None:
    """Die Exporte jeder Welle prüfen, ohne etwas zu schreiben; zeigen, was gefunden wurde."""
    import pandas as pd

    input = input or folder or REPO / "data" / "demo"

    from asaqda.codebook import load_codebook
    from asaqda.io.wave import discover_waves, import_wave
    from asaqda.quality import check_duplicate_documents, check_pseudonyms, unknown_codes

    try:
        codebook = load_codebook(codebook_dir)
        results = [import_wave(input, w) for w in discover_waves(input)]
        documents = pd.concat([r.documents for r in results], ignore_index=True)
        # an input without any coding (variables or transcripts only, an empty wave) is fine
        coded = [r.codings for r in results if len(r.codings)]
        codings = (
            pd.concat(coded, ignore_index=True)
            if coded
            else pd.DataFrame(columns=["wave", "code", "doc_id", "source_file"])
        )
        check_duplicate_documents(documents)
        check_pseudonyms(documents)
    except AsaqdaError as exc:
        _fail(exc)
    table = Table(title="Importprüfung")
    for col in ("Welle", "Dokumente", "Transkripte", "Segmente", "Abweichungen"):
        table.add_column(col)
    for r in results:
        mism = int((r.codings["text_check"] == "abweichung").sum()) if len(r.codings) else 0
        table.add_row(
            r.wave,
            str(len(r.documents)),
            str(int(r.documents["has_transcript"].sum())),
            str(len(r.codings)),
            str(mism),
        )
    Console().print(table)
    for r in results:
        for note in r.notes:
            console.print(f"[yellow]{r.wave}[/yellow]: {note}")
    for u in unknown_codes(codings, codebook).itertuples():
        hint = f" (ähnlichster Code im Kodierleitfaden: '{u.vorschlag}')" if u.vorschlag else ""
        console.print(
            f"[yellow]{u.welle}[/yellow]: Code '{u.code}' ({u.segmente} Segmente) steht "
            f"nicht im Kodierleitfaden{hint}"
        )


@app.command()
def demo(
    scale: Annotated[
        str, typer.Option(help="demo (Größe im Repositorium) oder full (1.255 Interviews)")
    ] = "demo",
    seed: Annotated[int, typer.Option(help="Startwert des Zufallsgenerators")] = 2024,
    output: Annotated[Path, typer.Option("--output", "-o", help="Zielordner (wird ersetzt)")] = REPO
    / "data"
    / "demo",
    out: Annotated[Path | None, typer.Option("--out", hidden=True)] = None,
) -> None:
    """Das synthetische Demo-Korpus in den echten MAXQDA-Exportformaten erzeugen."""
    from asaqda.demo import write_demo

    out = out or output
    if scale not in ("demo", "full"):
        console.print("--scale muss 'demo' oder 'full' sein.")
        raise typer.Exit(code=2)
    counts = write_demo(out, scale, seed)  # type: ignore[arg-type]
    console.print(
        f"{counts['interviews']} Interviews in {counts['waves']} Wellen mit "
        f"{counts['codings']} codierten Segmenten, dazu {counts['second_codings']} "
        f"Zweitcodierungen für die Übereinstimmungsprüfung, geschrieben nach {out}"
    )


@app.command()
def precode(
    path: Annotated[
        Path, typer.Argument(help="ein Transkript (.docx/.txt) oder ein Ordner mit Transkripten")
    ],
    model: Annotated[
        Path, typer.Option("--model", help="trainierte Vorcodierung (von asaqda run geschrieben)")
    ] = REPO / "reports" / "interim" / "model",
    codebook_dir: Annotated[
        Path, typer.Option("--codebook", help="Ordner des Kodierleitfadens")
    ] = REPO / "codebook",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Vorschläge in eine .csv- oder .xlsx-Datei schreiben"),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", hidden=True)] = None,
) -> None:
    """Codes für Transkripte außerhalb der Pipeline vorschlagen (Vorcodierung des letzten Laufs)."""
    out = out or output
    import pandas as pd

    from asaqda.codebook import load_codebook
    from asaqda.io.officefiles import write_csv, write_xlsx
    from asaqda.io.transcripts import TRANSCRIPT_SUFFIXES, paragraphs_frame, read_transcript
    from asaqda.precode.precoder import Precoder

    if not (model / "precoder.json").exists():  # a run's model folder: the newest wave's
        waves = sorted(p.parent for p in model.glob("*/precoder.json"))
        if not waves:
            console.print(
                f"Keine trainierte Vorcodierung in {model}: zuerst 'asaqda run' ausführen (es "
                "trainiert an den codierten Wellen) oder --model <Ergebnisordner>/interim/model "
                "angeben."
            )
            raise typer.Exit(code=2)
        model = waves[-1]
    files = (
        [path]
        if path.is_file()
        else sorted(p for p in path.rglob("*") if p.suffix.lower() in TRANSCRIPT_SUFFIXES)
    )
    if not files:
        console.print(f"Keine Transkripte (.docx, .txt) in {path} gefunden.")
        raise typer.Exit(code=2)
    try:
        codebook = load_codebook(codebook_dir)
        frames = []
        for f in files:
            frame = paragraphs_frame(read_transcript(f, f.name))
            frames.append(frame.assign(wave="", doc_id=f.stem, document_name=f.stem))
    except AsaqdaError as exc:
        _fail(exc)
    precoder = Precoder.load(model)
    suggestions = precoder.suggest(pd.concat(frames, ignore_index=True), codebook)
    if out is not None:
        table = suggestions.drop(columns=["wave", "doc_id"])
        (write_xlsx(out, {"Vorschläge": table}) if out.suffix == ".xlsx" else write_csv(out, table))
        console.print(f"{len(suggestions)} Vorschläge nach {out} geschrieben.")
        return
    view = Table(title=f"Vorschläge (Modell {precoder.model_version})")
    for col in ("Dokument", "Absatz", "Code", "Score", "Methode", "Begründung"):
        view.add_column(col)
    for r in suggestions.itertuples():
        view.add_row(
            r.document_name, str(r.paragraph), r.code, f"{r.score:.2f}", r.method, r.evidence
        )
    Console().print(view)


@app.command()
def reliability(
    file: Annotated[
        Path,
        typer.Argument(
            help="Reliabilitätsdaten: erste Spalte die kodierende Person, je Einheit eine "
            "Spalte, leere Zelle = fehlt (.csv, .xlsx)"
        ),
    ],
    level: Annotated[
        str, typer.Option(help="nominal, ordinal, interval oder ratio (Skalenniveau)")
    ] = "nominal",
    as_json: Annotated[bool, typer.Option("--json", help="ein JSON-Objekt ausgeben")] = False,
    n_boot: Annotated[
        int, typer.Option(help="Bootstrap-Stichproben für das 95-%-Intervall")
    ] = 1000,
    seed: Annotated[int, typer.Option(help="Startwert des Bootstraps")] = 0,
) -> None:
    """Krippendorffs Alpha einer beliebigen Reliabilitätsmatrix mit Bootstrap-95-%-Intervall."""
    import json
    import math

    from asaqda.agreement import LEVELS, alpha_with_ci
    from asaqda.io.reliability import read_reliability_data

    if level not in LEVELS:
        console.print(f"--level muss einer dieser Werte sein: {', '.join(LEVELS)}.")
        raise typer.Exit(code=2)
    if not file.is_file():
        _missing(file)
        raise typer.Exit(code=1)
    try:
        data = read_reliability_data(file, level)
    except AsaqdaError as exc:
        _fail(exc)
    # with a 'Dokument' row the interval resamples documents (cluster bootstrap)
    result = alpha_with_ci(
        data.matrix,
        level,  # type: ignore[arg-type]
        n_boot=n_boot,
        seed=seed,
        clusters=data.documents,
    )

    def num(x: float) -> float | None:
        return None if math.isnan(x) else round(x, 6)

    if as_json:
        typer.echo(
            json.dumps(
                {
                    "alpha": num(result.alpha),
                    "level": level,
                    "n_units": result.n_units,
                    "n_coders": result.n_coders,
                    "n_pairable": result.n_pairable,
                    "ci95": [num(result.ci95[0]), num(result.ci95[1])],
                    "ci_note": result.ci_note,
                }
            )
        )
        return
    interval = (
        result.ci_note
        if math.isnan(result.ci95[0])
        else f"95-%-Intervall [{_de(result.ci95[0])}; {_de(result.ci95[1])}]"
    )
    typer.echo(
        f"Krippendorffs α ({level}) = {_de(result.alpha)}, {interval}, {result.n_coders} "
        f"Kodierende, {result.n_units} Einheiten ({result.n_pairable} auswertbar)"
    )


def _de(x: float) -> str:
    """A number with three decimals and a German decimal comma (``0,812``)."""
    return "nicht bestimmbar" if x != x else f"{x:.3f}".replace(".", ",")


@app.command("refi")
def refi(
    project: Annotated[
        Path,
        typer.Argument(
            help="ein .qdpx- (oder .qde-)Projekt oder ein .qdc-Codesystem aus einem QDA-Programm"
        ),
    ],
    wave: Annotated[str, typer.Option(help="die Erhebungswelle des Projekts")] = "2023-1",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="die kanonischen Tabellen (Parquet) hierhin schreiben"),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", hidden=True)] = None,
) -> None:
    """Ein REFI-QDA-Projekt in die kanonischen Tabellen lesen und zeigen, was gefunden wurde.

    To import it with a wave, put the file into the wave folder (<input>/<wave>/). A ``.qdc``
    (a codebook alone) is listed code by code.
    """
    import shutil
    import tempfile

    from asaqda.io.wave import import_wave, write_wave

    out = out or output
    if not project.is_file():
        _missing(project)
        raise typer.Exit(code=1)
    if project.suffix.lower() == ".qdc":
        _refi_codebook(project)
        return

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / wave).mkdir()
        shutil.copy(project, Path(tmp) / wave / project.name)
        try:
            result = import_wave(Path(tmp), wave)
        except AsaqdaError as exc:
            _fail(exc)
    table = Table(title=f"REFI-QDA: {project.name}")
    for col in ("Dokumente", "Absätze", "Codierungen", "Codes", "Kodierende"):
        table.add_column(col)
    table.add_row(
        str(len(result.documents)),
        str(len(result.paragraphs)),
        str(len(result.codings)),
        str(result.codings["code"].nunique()),
        ", ".join(sorted(set(result.codings["coder"].dropna()) - {""})),
    )
    Console().print(table)
    for note in result.notes:
        console.print(f"[yellow]Hinweis[/yellow]: {note}")
    if not len(result.codings):
        console.print("Das Projekt enthält keine Codierungen; sein Codesystem:")
        _refi_codebook(project)
    if out is not None:
        write_wave(result, out)
        console.print(f"Kanonische Tabellen nach {out} geschrieben.")


def _refi_codebook(path: Path) -> None:
    """Print the codes of a REFI-QDA codebook (.qdc) or of a project's code system."""
    from asaqda.refi.codes import read_code_system

    try:
        codes = read_code_system(path)
    except AsaqdaError as exc:
        _fail(exc)
    described = int(((codes["description"] != "") | (codes["memo"] != "")).sum())
    kind = "Codebuch" if path.suffix.lower() == ".qdc" else "Codesystem"
    table = Table(title=f"REFI-QDA-{kind}: {path.name}")
    for col in ("Code", "Beschreibung"):
        table.add_column(col)
    for row in codes.itertuples(index=False):
        text = (row.description or row.memo).replace("\n", " ")
        table.add_row(row.path, text[:80] + ("…" if len(text) > 80 else ""))
    Console().print(table)
    console.print(f"{len(codes)} Codes, davon {described} mit Beschreibung.")


@codebook_app.command("validate")
def codebook_validate(
    directory: Annotated[Path, typer.Argument(help="Ordner des Kodierleitfadens")] = REPO
    / "codebook",
) -> None:
    """Die YAML-Dateien des Kodierleitfadens prüfen."""
    from asaqda.codebook import load_codebook

    try:
        cb = load_codebook(directory)
    except AsaqdaError as exc:
        _fail(exc)
    console.print(
        f"Kodierleitfaden {cb.meta.version}: {len(cb.codes)} Codes in "
        f"{len(cb.categories)} Hauptkategorien – gültig."
    )


@codebook_app.command("schema")
def codebook_schema(
    directory: Annotated[Path, typer.Argument(help="Zielordner")] = REPO / "codebook" / "schema",
) -> None:
    """Die JSON-Schemata der Leitfadendateien aus den pydantic-Modellen neu erzeugen."""
    from asaqda.codebook import write_schemas

    for path in write_schemas(directory):
        console.print(f"geschrieben: {path}")


@codebook_app.command("render")
def codebook_render(
    output: Annotated[Path, typer.Option("--output", "-o", help="Zielordner")] = REPO
    / "reports"
    / "codebook",
    directory: Annotated[
        Path, typer.Option("--codebook", help="Ordner des Kodierleitfadens")
    ] = REPO / "codebook",
) -> None:
    """Den Kodierleitfaden (docx, xlsx), die MAXQDA-Codeliste und die REFI-QDA-.qdc schreiben."""
    from asaqda.codebook import load_codebook
    from asaqda.codebook_render import (
        render_leitfaden_docx,
        render_leitfaden_xlsx,
        render_maxqda_codes,
    )
    from asaqda.refi.export import write_codebook_qdc

    try:
        cb = load_codebook(directory)
    except AsaqdaError as exc:
        _fail(exc)
    render_leitfaden_docx(cb, output / "kodierleitfaden.docx")
    render_leitfaden_xlsx(cb, output / "kodierleitfaden.xlsx")
    render_maxqda_codes(cb, output / "maxqda_codesystem.xlsx")
    write_codebook_qdc(cb, output / "kodierleitfaden.qdc")
    console.print(f"Kodierleitfaden nach {output} geschrieben.")


@codebook_app.command("import")
def codebook_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="ein REFI-QDA-Codesystem (.qdc) oder -Projekt (.qdpx, .qde) oder eine "
            "MAXQDA-Codeliste (.xlsx mit den Spalten Code und Memo)"
        ),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="der neue Leitfadenordner (darf nicht existieren)"),
    ] = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="Stand dieser Version, JJJJ-MM-TT (Standard: heute)"),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", hidden=True)] = None,
    stand: Annotated[str | None, typer.Option("--stand", hidden=True)] = None,
) -> None:
    """Einen Leitfadenordner (YAML) aus dem Codesystem einer REFI-QDA-Datei oder einer
    MAXQDA-Codeliste (Excel) schreiben."""
    import datetime as dt

    out = out or output
    stand = stand or date
    if out is None:
        console.print("Bitte mit --output den neuen Leitfadenordner angeben.")
        raise typer.Exit(code=2)

    from asaqda.codebook_import import import_codebook, read_code_list
    from asaqda.refi.codes import read_code_system

    if not file.is_file():
        _missing(file)
        raise typer.Exit(code=1)
    try:
        codes = (read_code_list if file.suffix.lower() == ".xlsx" else read_code_system)(file)
        written = import_codebook(codes, file.name, out, stand or dt.date.today().isoformat())
    except AsaqdaError as exc:
        _fail(exc)
    console.print(
        f"{len(codes)} Codes in {len(written) - 1} Hauptkategorien nach {out} geschrieben; "
        "ergänzen Sie Perspektiven, Definitionen, Ankerbeispiele und Kodierregeln."
    )


@codebook_app.command("add-inductive")
def codebook_add_inductive(
    sheets: Annotated[
        list[Path],
        typer.Argument(
            help="Kandidatenbögen (induktiv/<bereich>_kandidaten.xlsx) mit markierten Zeilen"
        ),
    ],
    directory: Annotated[
        Path, typer.Option("--codebook", help="Ordner des Kodierleitfadens")
    ] = REPO / "codebook",
    date: Annotated[
        str | None,
        typer.Option("--date", help="Stand der neuen Version, JJJJ-MM-TT (Standard: heute)"),
    ] = None,
    datum: Annotated[str | None, typer.Option("--datum", hidden=True)] = None,
) -> None:
    """Die mit 'übernehmen' markierten Kandidaten als induktive Kategorien übernehmen."""
    date = datum or date
    import datetime as dt

    from asaqda.codebook import load_codebook
    from asaqda.codebook_edit import add_inductive, candidates_from_sheet
    from asaqda.inductive.sheets import read_candidate_sheet

    day = date or dt.date.today().isoformat()
    try:
        dt.date.fromisoformat(day)
    except ValueError:
        console.print(
            f"[bold red]Fehler[/bold red]: --date '{day}' ist kein Datum der Form 2026-11-21.",
            highlight=False,
        )
        raise typer.Exit(code=1) from None
    try:
        codebook = load_codebook(directory)
        marked = []
        for path in sheets:
            marked += candidates_from_sheet(read_candidate_sheet(path, str(path)), codebook, day)
        added = add_inductive(directory, marked, day)
    except AsaqdaError as exc:
        _fail(exc)
    if not added:
        console.print(
            "Kein Kandidat ist mit 'übernehmen' markiert; der Kodierleitfaden bleibt unverändert."
        )
        return
    table = Table("Code", "Datei", "Status")
    for a in added:
        table.add_row(a.code, a.file, a.status)
    console.print(table)
    if any(a.status == "neu" for a in added):
        cb = load_codebook(directory)
        console.print(
            f"Kodierleitfaden {cb.meta.version} ({cb.meta.stand}): {len(cb.codes)} Codes – "
            "gültig. Die Pipeline erneut ausführen, um die neuen Kategorien einzubeziehen."
        )


if __name__ == "__main__":  # pragma: no cover
    app()


@app.command("pseudonymise")
def pseudonymise(
    source: Annotated[Path, typer.Argument(help="Welle, Eingabeordner oder einzelne Datei")],
    target: Annotated[Path, typer.Argument(help="Zielordner (nicht der Eingabeordner)")],
    mapping: Annotated[
        Path,
        typer.Option("--mapping", help="Zuordnungsdatei (CSV) außerhalb des Repositorys"),
    ],
    sperrliste: Annotated[
        Path | None, typer.Option("--sperrliste", help="Textdatei mit echten Namen")
    ] = None,
) -> None:
    """Transkripte und Exporte codierter Segmente über alle Wellen einheitlich pseudonymisieren."""
    from asaqda.privacy.detect import Detector
    from asaqda.privacy.pseudonymise import pseudonymise_folder, registry_terms
    from asaqda.privacy.scan import read_blocklist

    if not source.exists():
        console.print(f"[bold red]Nicht gefunden:[/bold red] {source}")
        raise typer.Exit(code=2)
    if target.resolve() == source.resolve() or source.resolve() in target.resolve().parents:
        console.print("[bold red]Der Zielordner darf nicht im Eingabeordner liegen.[/bold red]")
        raise typer.Exit(code=2)
    try:
        block = read_blocklist(sperrliste) if sperrliste else []
        detector = Detector(registry_terms(source), block)
        report = pseudonymise_folder(source, target, mapping, detector)
    except AsaqdaError as exc:
        _fail(exc)
    console.print(f"{len(report.files)} Dateien pseudonymisiert nach {target}.")
    for original, n in sorted(report.replaced.items()):
        console.print(f"  ersetzt: {original} ({n}×)")
    for original, reason in sorted(report.unsure.items()):
        console.print(f"  [yellow]unsicher:[/yellow] {original} – {reason}")
    if report.unsure:
        console.print(
            "Unsichere Treffer wurden ersetzt. Ist einer kein Name, in der Zuordnungsdatei "
            "als Pseudonym das Original eintragen und erneut laufen lassen."
        )
