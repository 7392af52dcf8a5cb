"""Acceptance of the suggestions by the coders, per code and score band (vorcodierung/annahme)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from asaqda.io.officefiles import read_csv
from asaqda.review.acceptance import (
    ACCEPTANCE_COLUMNS,
    acceptance_table,
    score_band,
    wilson_interval,
)
from asaqda.stages import NO_DECISIONS_NOTE, precode_acceptance_step

KEINE, VORPHASE = "Freistellung > keine", "Vorphase > Zugang"
NAN = float("nan")
# (code, shown score, decision): planted by hand
PLANTED = [
    (KEINE, 0.55, "übernehmen"),
    (KEINE, 0.58, "ablehnen"),
    (KEINE, 0.9, "übernehmen"),
    (KEINE, 1.0, "übernehmen"),
    (KEINE, 0.95, "übernehmen"),
    (VORPHASE, 0.7, "anderer Code"),
    (VORPHASE, 0.75, "ablehnen"),
    (VORPHASE, NAN, "übernehmen"),
]


def planted() -> pd.DataFrame:
    return pd.DataFrame(PLANTED, columns=["code", "score", "decision"])


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0.5, "0.5-0.6"),
        (0.599, "0.5-0.6"),
        (0.6, "0.6-0.7"),
        (0.7, "0.7-0.8"),  # 0.7 * 10 is 7.000000000000001, 0.3 * 10 is 3.0000000000000004
        (0.3, "0.3-0.4"),
        (0.999, "0.9-1.0"),
        (1.0, "0.9-1.0"),
        (NAN, "ohne Score"),
    ],
)
def test_acceptance_score_band_matches_the_calibration_bands(score: float, band: str) -> None:
    assert score_band(score) == band


@pytest.mark.parametrize(
    ("accepted", "n", "expected"),
    [
        (1, 2, (0.0945, 0.9055)),
        (3, 3, (0.4385, 1.0)),
        (0, 2, (0.0, 0.6576)),
        (5, 8, (0.3057, 0.8632)),
    ],
)
def test_acceptance_wilson_interval_by_hand(
    accepted: int, n: int, expected: tuple[float, float]
) -> None:
    low, high = wilson_interval(accepted, n)
    assert (round(low, 4), round(high, 4)) == expected


def test_acceptance_table_counts_rates_and_bands_per_code_and_overall() -> None:
    table = acceptance_table(planted())
    assert list(table.columns) == ACCEPTANCE_COLUMNS
    got = [
        (
            r.code,
            r.band,
            r.n_entscheidungen,
            r.n_angenommen,
            r.annahmequote,
            None if pd.isna(r.mittlerer_score) else r.mittlerer_score,
            r.wilson_untergrenze,
            r.wilson_obergrenze,
            r.score_im_intervall,
        )
        for r in table.itertuples()
    ]
    assert got == [
        (KEINE, "0.5-0.6", 2, 1, 0.5, 0.565, 0.095, 0.905, "ja"),
        (KEINE, "0.9-1.0", 3, 3, 1.0, 0.95, 0.439, 1.0, "ja"),
        # 'anderer Code' and 'ablehnen' both say the suggested code was wrong
        (VORPHASE, "0.7-0.8", 2, 0, 0.0, 0.725, 0.0, 0.658, "nein"),
        (VORPHASE, "ohne Score", 1, 1, 1.0, None, 0.207, 1.0, ""),
        ("alle", "0.5-0.6", 2, 1, 0.5, 0.565, 0.095, 0.905, "ja"),
        ("alle", "0.7-0.8", 2, 0, 0.0, 0.725, 0.0, 0.658, "nein"),
        ("alle", "0.9-1.0", 3, 3, 1.0, 0.95, 0.439, 1.0, "ja"),
        ("alle", "ohne Score", 1, 1, 1.0, None, 0.207, 1.0, ""),
        ("alle", "alle", 8, 5, 0.625, 0.776, 0.306, 0.863, "ja"),
    ]


def test_acceptance_table_does_not_depend_on_row_order() -> None:
    frame = planted()
    shuffled = frame.sample(frac=1.0, random_state=3).reset_index(drop=True)
    pd.testing.assert_frame_equal(acceptance_table(shuffled), acceptance_table(frame))


def test_acceptance_table_of_decisions_read_before_the_score_was_kept() -> None:
    old = planted().drop(columns="score")
    table = acceptance_table(old)
    assert table[["code", "band", "n_entscheidungen"]].values.tolist() == [
        [KEINE, "ohne Score", 5],
        [VORPHASE, "ohne Score", 3],
        ["alle", "ohne Score", 8],
        ["alle", "alle", 8],
    ]


def test_acceptance_step_before_the_first_reviewed_wave_writes_header_and_note(
    tmp_path: Path,
) -> None:
    wave = tmp_path / "interim" / "2023-1"
    wave.mkdir(parents=True)
    pd.DataFrame(columns=["code", "score", "decision"]).to_parquet(wave / "decisions.parquet")
    precode_acceptance_step([wave], tmp_path / "vorcodierung")
    csv = tmp_path / "vorcodierung" / "annahme.csv"
    assert csv.read_text(encoding="utf-8").strip() == ",".join(ACCEPTANCE_COLUMNS)
    book = CalamineWorkbook.from_path(str(tmp_path / "vorcodierung" / "annahme.xlsx"))
    rows = book.get_sheet_by_name("Annahme durch Kodierende").to_python()
    assert rows[0][:3] == ["Code", "Score-Band", "Entscheidungen"]
    assert rows[1][0] == NO_DECISIONS_NOTE


def test_acceptance_step_reads_the_decisions_of_every_wave(tmp_path: Path) -> None:
    frame = planted()
    dirs = []
    for wave, part in (("2023-1", frame.iloc[:4]), ("2023-2", frame.iloc[4:])):
        d = tmp_path / "interim" / wave
        d.mkdir(parents=True)
        part.to_parquet(d / "decisions.parquet")
        dirs.append(d)
    precode_acceptance_step(dirs, tmp_path / "vorcodierung")
    table = read_csv(tmp_path / "vorcodierung" / "annahme.csv")
    total = table[(table["code"] == "alle") & (table["band"] == "alle")]
    assert total[["n_entscheidungen", "n_angenommen"]].values.tolist() == [[8, 5]]
    book = CalamineWorkbook.from_path(str(tmp_path / "vorcodierung" / "annahme.xlsx"))
    rows = book.get_sheet_by_name("Annahme durch Kodierende").to_python()
    assert rows[1][:4] == [KEINE, "0.5-0.6", 2, 1]
