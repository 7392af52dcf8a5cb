"""End to end: the Snakemake pipeline on the demo corpus, driven through the CLI."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from .conftest import DEMO, REPO
from .test_incremental import PER_WAVE

pytestmark = pytest.mark.slow

RESULTS = (
    "tables",
    "qualitaet",
    "codebook",
    "interim",
    "vorcodierung",
    "review",
    "maxqda",
    "figures",
    "induktiv",
)
EXPECTED = [
    "codebook/kodierleitfaden.docx",
    "codebook/kodierleitfaden.xlsx",
    "codebook/maxqda_codesystem.xlsx",
    "qualitaet/qualitaet.xlsx",
    "qualitaet/uebersicht.csv",
    "qualitaet/unbekannte_codes.csv",
    "qualitaet/segmentpruefung.csv",
    "qualitaet/importhinweise.csv",
    "tables/codehaeufigkeiten.csv",
    "tables/codehaeufigkeiten.xlsx",
    "tables/codes_nach_rolle.csv",
    "tables/codes_nach_rolle.xlsx",
    "interim/2023-1/codings.parquet",
    "interim/2025-2/paragraphs.parquet",
    "interim/corpus/codings.parquet",
    "tables/intercoder.csv",
    "tables/intercoder.xlsx",
    "vorcodierung/guete.csv",
    "vorcodierung/guete.xlsx",
    "vorcodierung/vorschlaege.xlsx",
    "vorcodierung/uebersicht.csv",
    "interim/2025-2/suggestions.parquet",
    "review/2025-2/JS.xlsx",
    "review/2025-2/MK.xlsx",
    "review/2025-2/LT.xlsx",
    "review/entscheidungen.csv",
    "review/konflikte.xlsx",
    "maxqda/2023-1.qdpx",
    "maxqda/2025-2.qdpx",
    "codebook/kodierleitfaden.qdc",
    "tables/arbeitsfaehigkeit_verlauf.csv",
    "tables/verlaufstypen.csv",
    "tables/arbeitsfaehigkeit.xlsx",
    "qualitaet/panel_verknuepfung.csv",
    "figures/verlaeufe.png",
    "figures/verlaeufe.svg",
    "figures/verlauf_alluvial.svg",
    "figures/portraits/A001.png",
    "tables/freistellung_praxis.csv",
    "tables/freistellung_konflikte.csv",
    "tables/entlastung_matrix.csv",
    "tables/einstellungsbereitschaft_nach_merkmal.csv",
    "tables/ankerzitate.xlsx",
    "figures/freistellung_praxis.svg",
    "qualitaet/betriebe.csv",
    "qualitaet/datenschutz.csv",
    "qualitaet/datenschutz.xlsx",
    "induktiv/2023-1_kandidaten.xlsx",
    "induktiv/2025-2_kandidaten.xlsx",
    "induktiv/gesamt_kandidaten.xlsx",
    "induktiv/2023-1_themen.html",
    "induktiv/gesamt_themen.html",
    "induktiv/plotly.min.js",
    "induktiv/kandidaten.csv",
    "induktiv/uebersicht.csv",
    "bericht.docx",
    "bericht.html",
    "tables/berichtstabellen.xlsx",
]


def asaqda(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "asaqda.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd or REPO,
        check=False,
    )


def job_counts(output: str) -> dict[str, int]:
    block = output.split("Job stats:", 1)[1] if "Job stats:" in output else ""
    return {
        m.group(1): int(m.group(2))
        for m in re.finditer(r"^(\w+)\s+(\d+)\s*$", block, re.M)
        if m.group(1) != "total"
    }


def result_hashes(out: Path) -> dict[str, str]:
    files = [p for d in RESULTS for p in sorted((out / d).rglob("*")) if p.is_file()]
    files += sorted(out.glob("bericht.*"))
    return {p.relative_to(out).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest() for p in files}


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Run the pipeline on five waves, then add the sixth, then rerun; keep what was seen."""
    base = tmp_path_factory.mktemp("pipeline")
    inp, out = base / "eingang", base / "ergebnisse"
    shutil.copytree(DEMO, inp)
    held_back = base / "2025-2"
    shutil.move(inp / "2025-2", held_back)
    seen: dict[str, object] = {"inp": inp, "out": out}
    first = asaqda("run", "--input", str(inp), "--output", str(out), "--cores", "2")
    assert first.returncode == 0, first.stdout + first.stderr
    shutil.move(held_back, inp / "2025-2")
    dry = asaqda("run", "--input", str(inp), "--output", str(out), "--dry-run")
    seen["added_wave_jobs"] = job_counts(dry.stdout + dry.stderr)
    second = asaqda("run", "--input", str(inp), "--output", str(out))
    assert second.returncode == 0, second.stdout + second.stderr
    seen["hashes"] = result_hashes(out)
    noop = asaqda("run", "--input", str(inp), "--output", str(out))
    seen["noop"] = noop.stdout + noop.stderr
    # the input folder moves: the imports rerun, give the same bytes, and nothing else runs
    moved = base / "eingang_verschoben"
    shutil.move(inp, moved)
    inp = moved
    seen["inp"] = inp
    again = asaqda("run", "--input", str(inp), "--output", str(out))
    assert again.returncode == 0, again.stdout + again.stderr
    seen["moved"] = {"text": again.stdout + again.stderr, "hashes": result_hashes(out)}
    forced = asaqda("run", "--input", str(inp), "--output", str(out), "--forceall")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    seen["hashes_forced"] = result_hashes(out)
    # coders return their sheets and a researcher takes a candidate into the codebook: one
    # rerun reads both
    plan = fill_review_sheets(inp, out)
    review_dry = asaqda("run", "--input", str(inp), "--output", str(out), "--dry-run")
    added, codebook = take_candidate(base, out)
    args = ("run", "--input", str(inp), "--output", str(out), "--codebook", str(codebook))
    dry = asaqda(*args, "--dry-run")
    result = asaqda(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    again = asaqda(*args)
    seen["review"] = {
        **plan,
        "jobs": job_counts(review_dry.stdout + review_dry.stderr),
        "again": again.stdout + again.stderr,
    }
    seen["inductive"] = {"added": added, "jobs": job_counts(dry.stdout + dry.stderr)}
    return seen


def fill_review_sheets(inp: Path, out: Path) -> dict[str, object]:
    """Coders fill their sheets (one disagreement on a shared suggestion) and put them into the
    input folder."""
    sheets = out / "review" / "2025-2"
    rows = {
        c: pd.read_excel(sheets / f"{c}.xlsx", sheet_name="Vorschläge", engine="calamine")
        for c in ("JS", "MK", "LT")
    }
    shared = sorted(set(rows["JS"]["Vorschlags-ID"]) & set(rows["MK"]["Vorschlags-ID"]))
    assert shared, "the demo config gives some documents to every coder"
    plan = {
        "JS": {
            **{i: "übernehmen" for i in rows["JS"]["Vorschlags-ID"][:5]},
            shared[0]: "übernehmen",
        },
        "MK": {i: "ablehnen" for i in [*rows["MK"]["Vorschlags-ID"][:3], shared[0]]},
    }
    for coder, decisions in plan.items():
        wb = load_workbook(sheets / f"{coder}.xlsx")
        ws = wb["Vorschläge"]
        for row in ws.iter_rows(min_row=2):
            if row[11].value in decisions:
                row[8].value = decisions[row[11].value]
        target = inp / "2025-2" / "review" / f"{coder}.xlsx"
        target.parent.mkdir(exist_ok=True)
        wb.save(target)
    return {"plan": plan, "shared": shared[0]}


def test_pipeline_writes_every_output(run: dict[str, object]) -> None:
    out = run["out"]
    assert isinstance(out, Path)
    missing = [p for p in EXPECTED if not (out / p).exists()]
    assert missing == []
    freq = pd.read_csv(out / "tables" / "codehaeufigkeiten.csv")
    assert list(freq.columns) == [
        "welle",
        "code",
        "hauptkategorie",
        "im_kodierleitfaden",
        "dokumente",
        "segmente",
    ]
    assert set(freq["welle"]) == {"2023-1", "2023-2", "2024-1", "2024-2", "2025-1", "2025-2"}
    # the last wave is uncoded: its only codings are the suggestions coders accepted
    codings = pd.read_parquet(out / "interim" / "corpus" / "codings.parquet")
    accepted = (codings["quelle"] == "Prüfbogen").sum()
    assert accepted > 0
    assert freq.loc[freq["welle"] == "2025-2", "segmente"].sum() == accepted
    role = pd.read_csv(out / "tables" / "codes_nach_rolle.csv")
    keine = role[(role["code"] == "Freistellung > keine") & (role["rolle"] == "Ausbildungsbetrieb")]
    assert keine["dokumente"].item() > 5


def test_pipeline_counts_agree_with_the_imported_codings(run: dict[str, object]) -> None:
    out = run["out"]
    assert isinstance(out, Path)
    codings = pd.read_parquet(out / "interim" / "corpus" / "codings.parquet")
    assert codings["intercoder_copy"].sum() > 0  # the demo has double-coded documents
    codings = codings[~codings["intercoder_copy"]]  # tables count each document once
    freq = pd.read_csv(out / "tables" / "codehaeufigkeiten.csv")
    assert freq["segmente"].sum() == len(codings)
    by_wave = freq.groupby("welle")["segmente"].sum().to_dict()
    assert by_wave == {**{w: 0 for w in by_wave}, **codings.groupby("wave").size().to_dict()}


def take_candidate(base: Path, out: Path) -> tuple[str, Path]:
    """A researcher takes the first candidate across all waves into a copy of the codebook;
    returns what the command printed and the codebook folder."""
    codebook = base / "codebook"
    shutil.copytree(REPO / "codebook", codebook)
    wb = load_workbook(out / "induktiv" / "gesamt_kandidaten.xlsx")
    ws = wb["Kandidaten"]
    col = {c.value: c.column for c in ws[1]}
    ws.cell(2, col["Name der Kategorie"], "Neues Thema")
    ws.cell(2, col["Übernehmen"], "übernehmen")
    marked = base / "gesamt_kandidaten_markiert.xlsx"
    wb.save(marked)
    added = asaqda("codebook", "add-inductive", str(marked), "--codebook", str(codebook))
    assert added.returncode == 0, added.stdout + added.stderr
    return added.stdout + added.stderr, codebook


def test_pipeline_adding_a_wave_reruns_only_that_wave_and_the_aggregates(
    run: dict[str, object],
) -> None:
    jobs = run["added_wave_jobs"]
    assert isinstance(jobs, dict)
    # the new wave's own jobs once each; no other wave's import, pre-coder, suggestions,
    # review sheets or MAXQDA project is redone. Aggregates over all waves rerun.
    per_wave = sorted(PER_WAVE)
    assert {rule: jobs[rule] for rule in per_wave} == dict.fromkeys(per_wave, 1)
    assert jobs["checks"] == jobs["code_frequencies"] == jobs["precode_quality"] == 1
    assert set(jobs) == {
        *per_wave,
        "all",
        "checks",
        "code_frequencies",
        "precode_quality",
        "precode_summary",
        "precode_acceptance",
        "intercoder",
        "review_report",
        "panel",
        "portraits",
        "company_tables",
        "datenschutz",
        "inductive_scope",
        "inductive_overview",
        "report",
    }
    # topics only for the new wave and across all waves; the other waves' candidates stay
    assert jobs["inductive_scope"] == 2


def test_pipeline_rerun_with_nothing_changed_runs_nothing(run: dict[str, object]) -> None:
    assert "Nichts zu tun" in str(run["noop"])


def test_pipeline_moved_input_folder_reruns_only_the_steps_reading_it(
    run: dict[str, object],
) -> None:
    moved = run["moved"]
    assert isinstance(moved, dict)
    done = re.findall(r"^fertig: ([^(\n]+?)(?: \(|$)", str(moved["text"]), re.M)
    assert done and set(done) <= {"Import einer Welle", "Prüfbögen einlesen"}
    assert done.count("Import einer Welle") == 6
    assert moved["hashes"] == run["hashes"]


def test_pipeline_reruns_are_byte_identical(run: dict[str, object]) -> None:
    assert run["hashes"] == run["hashes_forced"]


def test_pipeline_outputs_embed_no_absolute_path(run: dict[str, object]) -> None:
    out, inp = run["out"], run["inp"]
    assert isinstance(out, Path) and isinstance(inp, Path)
    needles = [str(out).encode(), str(inp).encode(), str(REPO).encode(), b"/tmp/", b"/home/"]
    for d in RESULTS:
        for path in (out / d).rglob("*"):
            if not path.is_file():
                continue
            blobs = [path.read_bytes()]
            if path.suffix in (".xlsx", ".docx"):
                with zipfile.ZipFile(path) as zf:
                    blobs = [zf.read(n) for n in zf.namelist()]
            for blob in blobs:
                assert not any(n in blob for n in needles), path


def test_pipeline_everything_stays_under_the_output_folder(run: dict[str, object]) -> None:
    out = run["out"]
    assert isinstance(out, Path)
    assert (out / ".snakemake").is_dir()
    assert (out / "logs" / "import_wave" / "2023-1.log").exists()
    inp = run["inp"]
    assert isinstance(inp, Path)
    assert sorted(p.name for p in inp.iterdir()) == sorted(p.name for p in DEMO.iterdir())


def test_pipeline_bad_input_stops_with_the_file_named(tmp_path: Path) -> None:
    inp = tmp_path / "eingang"
    shutil.copytree(DEMO / "2023-1", inp / "2023-1")
    (inp / "2023-1" / "extra.xlsx").write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))
    result = asaqda("run", "--input", str(inp), "--output", str(tmp_path / "aus"))
    assert result.returncode != 0
    text = result.stdout + result.stderr
    assert "[E003] '2023-1/extra.xlsx'" in text
    assert not (tmp_path / "aus" / "interim" / "2023-1" / "codings.parquet").exists()


def snakemake_dry_run(*config: str) -> subprocess.CompletedProcess[str]:
    """Plain `snakemake --dry-run --config ...` from the repository folder."""
    cmd = [sys.executable, "-m", "snakemake", "--cores", "1", "--dry-run", "--config", *config]
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)


def test_pipeline_plain_snakemake_with_config_override(tmp_path: Path) -> None:
    result = snakemake_dry_run(f"input_dir={DEMO}", f"output_dir={tmp_path / 'aus'}")
    assert result.returncode == 0, result.stderr
    assert job_counts(result.stdout + result.stderr)["import_wave"] == 6


def test_pipeline_invalid_config_fails_before_any_job(tmp_path: Path) -> None:
    result = snakemake_dry_run(f"output_dir={tmp_path}", "unknown_key=1")
    assert result.returncode != 0
    assert "unknown_key" in result.stdout + result.stderr


def test_pipeline_reads_review_sheets_back(run: dict[str, object]) -> None:
    out, review = run["out"], run["review"]
    assert isinstance(out, Path) and isinstance(review, dict)
    plan, shared = review["plan"], review["shared"]
    decisions = pd.read_csv(out / "review" / "entscheidungen.csv")
    conflicts = pd.read_csv(out / "review" / "konflikte.csv")
    decided = {**plan["MK"], **plan["JS"]}
    assert set(decisions["suggestion_id"]) == set(decided) - {shared}
    assert set(conflicts["vorschlags_id"]) == {shared}
    assert conflicts["problem"].str.startswith("Kodierende uneinig").all()
    accepted = {i for i, d in plan["JS"].items() if d == "übernehmen"} - {shared}
    codings = pd.read_parquet(out / "interim" / "corpus" / "codings.parquet")
    from_review = codings[codings["quelle"] == "Prüfbogen"]
    assert len(from_review) == len(accepted)
    assert set(from_review["coder"]) == {"JS"}
    # decided suggestions are not proposed again; the disputed one stays open
    suggestions = pd.read_parquet(out / "interim" / "2025-2" / "suggestions.parquet")
    assert not set(suggestions["suggestion_id"]) & (set(decided) - {shared})
    assert shared in set(suggestions["suggestion_id"])
    sheet_ids = set()
    for path in (out / "review" / "2025-2").glob("*.xlsx"):
        sheet = pd.read_excel(path, sheet_name="Vorschläge", engine="calamine")
        sheet_ids |= set(sheet["Vorschlags-ID"])
    assert sheet_ids == set(suggestions["suggestion_id"])
    # the review sheets changed only the review wave and what depends on the decisions
    jobs = review["jobs"]
    assert jobs["review_decisions"] == 1 and "import_wave" not in jobs
    assert jobs["train_precoder"] == 1
    # the returned sheets' wave gets its candidates anew, and so does gesamt; no other wave
    assert jobs["reviewed_codings"] == jobs["inductive_units"] == 1
    assert jobs["inductive_scope"] == 2
    assert "Nichts zu tun" in str(review["again"])


def test_pipeline_panel_tables_cover_the_60_trainees(run: dict[str, object]) -> None:
    out = run["out"]
    assert isinstance(out, Path)
    types = pd.read_csv(out / "tables" / "verlaufstypen.csv")
    assert len(types) == 60 and types["person"].is_unique
    dist = pd.read_csv(out / "tables" / "verlaufstypen_verteilung.csv")
    assert dist["n"].sum() == 60 and dist["anteil_prozent"].sum() == pytest.approx(100, abs=0.2)
    verlauf = pd.read_csv(out / "tables" / "arbeitsfaehigkeit_verlauf.csv")
    assert set(verlauf["person"]) == set(types["person"])
    assert len(list((out / "figures" / "portraits").glob("*.png"))) == 60


def test_pipeline_report_numbers_agree_with_the_csv_tables(run: dict[str, object]) -> None:
    from docx import Document

    out = run["out"]
    assert isinstance(out, Path)
    doc = Document(str(out / "bericht.docx"))
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Tabelle ")]
    assert len(captions) == len(doc.tables)
    html = (out / "bericht.html").read_text(encoding="utf-8")
    checked = 0
    for caption, table in zip(captions, doc.tables, strict=True):
        for name, title in (
            ("freistellung_praxis", "Freistellungspraxis der Betriebe"),
            ("einstellungsbereitschaft", "Einstellungsbereitschaft"),
            ("entlastung", "Entlastung durch AsA flex"),
            ("freistellung_gruende", "Gründe und Bedingungen der Freistellung"),
        ):
            if title not in caption:
                continue
            csv = pd.read_csv(out / "tables" / f"{name}.csv")
            rows = [[c.text for c in r.cells] for r in table.rows[1:]]
            expected = [
                [k, f"{n:,}".replace(",", "."), f"{a:.1f}".replace(".", ",")]
                for k, n, a in csv[["kategorie", "n_betriebe", "anteil_prozent"]].itertuples(
                    index=False
                )
            ]
            assert rows == expected, name
            base = len(pd.read_csv(out / "tables" / f"{name}_matrix.csv"))
            assert f"(n = {base} Betriebe)" in caption
            checked += 1
    assert checked == 4
    dist = pd.read_csv(out / "tables" / "verlaufstypen_verteilung.csv")
    assert f"Das Panel umfasst {dist['n'].sum()} Auszubildende" in html
    assert "Anhang: Kodierleitfaden" in html and "data:image/png;base64," in html


def test_pipeline_inductive_candidates_and_a_category_taken_into_the_codebook(
    run: dict[str, object],
) -> None:
    out = run["out"]
    assert isinstance(out, Path)
    overview = pd.read_csv(out / "induktiv" / "uebersicht.csv", dtype={"bereich": str})
    assert overview["bereich"].tolist() == [
        "2023-1",
        "2023-2",
        "2024-1",
        "2024-2",
        "2025-1",
        "2025-2",
        "gesamt",
    ]
    rows = overview.set_index("bereich")
    # the demo's uncoded turns talk about five themes the codebook does not cover
    assert (rows.drop(index="2025-2")["themen"] >= 3).all()
    assert "noch keine kodierten Dokumente" in rows.loc["2025-2", "hinweis"]
    candidates = pd.read_csv(out / "induktiv" / "kandidaten.csv", dtype={"bereich": str})
    words = " ".join(candidates.loc[candidates["bereich"] == "gesamt", "begriffe"])
    assert {"Wohnung", "Fachkräfte"} <= set(words.replace(",", " ").split())
    inductive = run["inductive"]
    assert isinstance(inductive, dict)
    assert "Neues Thema" in str(inductive["added"])  # stdout and stderr of the command
    jobs = inductive["jobs"]
    assert {"train_precoder", "code_frequencies", "inductive_scope", "report"} <= set(jobs)
    assert "import_wave" not in jobs
    frequencies = pd.read_csv(out / "tables" / "codehaeufigkeiten.csv")
    assert "Neues Thema" in set(frequencies["code"])
    gate = pd.read_csv(out / "vorcodierung" / "guete.csv")
    assert "Neues Thema" in set(gate["code"])
    leitfaden = pd.read_excel(out / "codebook" / "kodierleitfaden.xlsx", engine="calamine")
    assert "Neues Thema" in leitfaden.astype(str).to_numpy().ravel().tolist()
    # the report's table of the inductive step is uebersicht.csv, the message of 2025-2 below it
    from docx import Document

    doc = Document(str(out / "bericht.docx"))
    captions = [p.text for p in doc.paragraphs if p.text.startswith("Tabelle ")]
    idx = next(i for i, c in enumerate(captions) if "induktiven Kategorienbildung" in c)
    rows = [[c.text for c in r.cells] for r in doc.tables[idx].rows[1:]]
    overview = pd.read_csv(out / "induktiv" / "uebersicht.csv", dtype={"bereich": str})
    assert [r[1:3] for r in rows] == [
        [f"{e:,}".replace(",", "."), f"{t:,}".replace(",", ".")]
        for e, t in zip(overview["einheiten"], overview["themen"], strict=True)
    ]
    assert any("Hinweis (Welle 2025-2)" in p.text for p in doc.paragraphs)
