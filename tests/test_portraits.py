"""The panel portraits: the tables the panel step writes for them, the content key per person,
and redrawing only the pages whose content changed."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from PIL import Image

from asaqda.panel.figures import _save_page, portrait_drawing
from asaqda.panel.portraits import (
    EVENT_COLUMNS,
    INTERVIEW_COLUMNS,
    portrait_keys,
    read_portrait_tables,
    update_portraits,
    write_portrait_tables,
)
from asaqda.plotting import STYLE
from asaqda.stages import panel_step, portraits_step
from tests.test_panel import PARAMS, corpus

AF_UP, AF_DOWN = "Arbeitsfähigkeit > steigend", "Arbeitsfähigkeit > fallend"
BF_DOWN = "Bewältigungsfähigkeit > fallend"
DRAWING = {"version": 1, "dpi": 300}


def interviews(persons: tuple[str, ...] = ("P1", "P2")) -> pd.DataFrame:
    """Two interviews per person, typed on WAS."""
    rows = []
    for i, person in enumerate(persons):
        for pw, (wave, was) in enumerate((("2023-1", 4.0 + i), ("2024-1", 6.0)), start=1):
            rows.append(
                {
                    "person": person,
                    "typ": "steigend",
                    "vorlaeufig": True,
                    "anzahl_interviews": 2,
                    "niveau": "was",
                    "panelwelle": pw,
                    "welle": wave,
                    "betrieb": "U1",
                    "was": was,
                    "bilanz": 0.5,
                }
            )
    return pd.DataFrame(rows, columns=INTERVIEW_COLUMNS).astype({"panelwelle": "Int64"})


def events(persons: tuple[str, ...] = ("P1", "P2")) -> pd.DataFrame:
    """A rising and a falling event per person."""
    rows = []
    for person in persons:
        rows.append((person, "2023-1", 1, AF_UP, 60, f"{person}: Es läuft besser.", 3))
        rows.append((person, "2024-1", 2, BF_DOWN, 0, f"{person}: Die Schule ist zu viel.", 9))
    return pd.DataFrame(rows, columns=EVENT_COLUMNS).astype(
        {"panelwelle": "Int64", "begin": "Int64"}
    )


def test_portraits_key_changes_only_for_the_person_whose_rows_change() -> None:
    iv, ev = interviews(), events()
    before = portrait_keys(iv, ev, DRAWING)
    assert sorted(before) == ["P1", "P2"]
    assert before["P1"] != before["P2"]
    # the same rows in another order, and a column the page does not show: the same keys
    shuffled = iv.iloc[::-1].assign(aenderung="neu")
    assert portrait_keys(shuffled, ev.iloc[::-1], DRAWING) == before
    # P2's quote changes: only P2's key changes
    ev2 = ev.copy()
    ev2.loc[(ev2["person"] == "P2") & (ev2["welle"] == "2024-1"), "segment"] = "anders"
    after = portrait_keys(iv, ev2, DRAWING)
    assert after["P1"] == before["P1"]
    assert after["P2"] != before["P2"]
    # P1's WAS in 2024-1 changes: only P1's key changes
    iv2 = iv.copy()
    iv2.loc[(iv2["person"] == "P1") & (iv2["welle"] == "2024-1"), "was"] = 7.0
    again = portrait_keys(iv2, ev, DRAWING)
    assert again["P1"] != before["P1"]
    assert again["P2"] == before["P2"]
    # an empty WAS is a value of its own
    iv3 = iv.copy()
    iv3.loc[(iv3["person"] == "P1") & (iv3["welle"] == "2024-1"), "was"] = None
    assert portrait_keys(iv3, ev, DRAWING)["P1"] not in (before["P1"], again["P1"])


def test_portraits_key_is_stable_across_runs_and_follows_the_drawing_parameters() -> None:
    keys = portrait_keys(interviews(), events(), DRAWING)
    # a fixed value: the cache must find a page again in the next run (another process)
    assert keys["P1"] == "f3a8e13e0fcc497cf4d0458e0266ac1094de5a4254fec968c83b64770e7c06f3"
    other = portrait_keys(interviews(), events(), {**DRAWING, "version": 2})
    assert other["P1"] != keys["P1"] and other["P2"] != keys["P2"]


def test_portraits_person_without_events_has_a_key_and_a_page(tmp_path: Path) -> None:
    ev = events()
    ev = ev[ev["person"] == "P1"]
    run = update_portraits(
        interviews(), ev, tmp_path / "out", tmp_path / "cache", DRAWING, workers=1
    )
    assert run.drawn == ["P1", "P2"]
    assert "keine kodierten Ereignisse" in (tmp_path / "out" / "P2.svg").read_text("utf-8")


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_portraits_step_redraws_only_the_changed_person(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    persons = ("P1", "P2", "P3", "P4")
    panel_dir, out, cache = tmp_path / "panel", tmp_path / "figures", tmp_path / "cache"
    drawing = portrait_drawing()  # what portraits_step uses
    write_portrait_tables(interviews(persons), events(persons), panel_dir)
    first = update_portraits(*read_portrait_tables(panel_dir), out, cache, drawing, workers=2)
    assert first.drawn == list(persons) and first.reused == []
    assert [p.name for p in first.paths] == [f"{p}{s}" for p in persons for s in (".png", ".svg")]
    before = files(out)
    assert len(files(cache)) == 8
    (cache / "notes.txt").write_text("kein Porträt")  # not ours: stays

    # P3's quote changes; Snakemake removes the output folder before the step runs
    ev = events(persons)
    ev.loc[(ev["person"] == "P3") & (ev["welle"] == "2024-1"), "segment"] = "Jetzt geht es."
    write_portrait_tables(interviews(persons), ev, panel_dir)
    shutil.rmtree(out)
    caplog.set_level(logging.INFO, logger="asaqda")
    paths = portraits_step(panel_dir, out, cache, workers=2)
    assert "Porträts: 1 von 4 neu gezeichnet, 3 unverändert übernommen" in caplog.messages
    assert "Porträts neu zu zeichnen: P3" in caplog.messages
    assert "Porträts: 2 nicht mehr gebrauchte Dateien" in caplog.text
    assert len(paths) == 8
    after = files(out)
    changed = sorted(name for name in before if after[name] != before[name])
    assert changed == ["P3.png", "P3.svg"]
    assert "Jetzt geht es." in after["P3.svg"].decode("utf-8")
    # the old page of P3 left the cache, the foreign file did not
    assert len(files(cache)) == 9 and (cache / "notes.txt").exists()

    # byte-identical to drawing everything afresh
    fresh = update_portraits(
        *read_portrait_tables(panel_dir), tmp_path / "fresh", tmp_path / "c2", drawing, 1
    )
    assert fresh.drawn == list(persons)
    assert files(tmp_path / "fresh") == after

    # nothing changed: nothing drawn
    again = update_portraits(*read_portrait_tables(panel_dir), out, cache, drawing, workers=2)
    assert again.drawn == [] and again.reused == list(persons) and again.pruned == 0
    assert files(out) == after


def test_portraits_png_is_grey_with_the_same_pixels_as_matplotlib(tmp_path: Path) -> None:
    def page(color: str) -> plt.Figure:
        with plt.rc_context(STYLE):
            fig, ax = plt.subplots(figsize=(2, 1))
            ax.plot([0, 1], [0, 1], color=color)
            ax.text(0.1, 0.5, "Bilanz Arbeitsfähigkeit")
        return fig

    for color, mode in (("#404040", "L"), ("#2f5f8a", "RGBA")):
        # what the portraits were saved with before (save_figure(..., tight=False))
        with plt.rc_context({**STYLE, "savefig.bbox": None}):
            page(color).savefig(tmp_path / "ref.png", dpi=300)
        _save_page(page(color), tmp_path / "page")
        image = Image.open(tmp_path / "page.png")
        assert image.mode == mode
        assert round(image.info["dpi"][0]) == 300
        ref = np.asarray(Image.open(tmp_path / "ref.png").convert("RGBA"))
        assert np.array_equal(np.asarray(image.convert("RGBA")), ref)
        assert b"<dc:date>" not in (tmp_path / "page.svg").read_bytes()


def test_portraits_panel_step_writes_what_the_pages_show(tmp_path: Path) -> None:
    panel_step(corpus(tmp_path), tmp_path / "t", tmp_path / "f", tmp_path / "q", PARAMS, tmp_path)
    iv, ev = read_portrait_tables(tmp_path)
    assert iv.columns.tolist() == INTERVIEW_COLUMNS
    assert len(iv) == 12
    a02 = iv[iv["person"] == "A02"]
    assert a02["was"].tolist() == [7.0, 5.0, 3.0]
    assert a02[["typ", "niveau"]].drop_duplicates().values.tolist() == [["fallend", "was"]]
    assert ev.columns.tolist() == EVENT_COLUMNS
    assert ev[["person", "welle", "code", "weight", "segment"]].values.tolist() == [
        ["A02", "2025-1", AF_DOWN, 80, "Das war hart."]
    ]
    assert portrait_drawing()["version"] >= 2
