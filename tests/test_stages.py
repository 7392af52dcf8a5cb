"""Analysis steps on inputs without variables or transcripts: they run and say what is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from asaqda.codebook import load_codebook
from asaqda.io.officefiles import read_csv
from asaqda.stages import (
    checks_step,
    company_tables_step,
    frequencies_step,
    import_step,
    panel_params,
    panel_step,
    reviewed_codings_step,
    with_design_variables,
)

from .conftest import REPO, make_wave


@pytest.fixture
def corpus_without_variables(tmp_path: Path) -> Path:
    """Import and check one wave that has segments and a transcript but no variables export."""
    make_wave(tmp_path / "in", variables=[])
    out = tmp_path / "out"
    import_step(tmp_path / "in", "2023-1", out / "interim" / "2023-1")
    codebook = load_codebook(REPO / "codebook")
    (out / "interim" / "codebook.json").write_text(
        json.dumps(codebook.model_dump(mode="json")), encoding="utf-8"
    )
    wave_dir = out / "interim" / "2023-1"
    reviewed_codings_step(
        wave_dir,
        out / "interim" / "codebook.json",
        wave_dir / "codings_reviewed.parquet",
        wave_dir / "documents_checked.parquet",
    )
    checks_step(
        [wave_dir],
        out / "interim" / "codebook.json",
        out / "interim" / "corpus",
        out / "qualitaet",
    )
    return out


def test_stages_design_variables_are_added_empty_when_absent() -> None:
    docs = with_design_variables(pd.DataFrame({"doc_id": ["d1"], "Rolle": ["Auszubildende"]}))
    assert docs.loc[0, "Rolle"] == "Auszubildende"
    assert docs["Person"].isna().all() and str(docs["Panelwelle"].dtype) == "Int64"
    assert str(docs["WAS"].dtype) == "Float64"


def test_stages_company_panel_and_frequency_steps_run_without_variables(
    corpus_without_variables: Path,
) -> None:
    out = corpus_without_variables
    corpus, codebook = out / "interim" / "corpus", out / "interim" / "codebook.json"
    company_tables_step(corpus, codebook, out / "tables", out / "figures", out / "qualitaet")
    problems = read_csv(out / "qualitaet" / "betriebe.csv")
    assert problems.loc[0, "art"] == "nicht berechnet"
    assert problems.loc[0, "detail"].startswith("keine kodierten Interviews mit der Rolle")
    practice = read_csv(out / "tables" / "freistellung_praxis.csv")
    assert practice["n_betriebe"].sum() == 0
    frequencies_step(corpus, codebook, out / "tables")
    freq = read_csv(out / "tables" / "codehaeufigkeiten.csv")
    assert freq.loc[freq["code"] == "Freistellung > keine", "segmente"].tolist() == [1]
    by_role = read_csv(out / "tables" / "codes_nach_rolle.csv")
    assert set(by_role["rolle"]) == {"unbekannt"}
    result = panel_step(
        corpus, out / "tables", out / "figures", out / "qualitaet", panel_params({})
    )
    assert "verteilung" not in result
    assert (out / "figures" / "verlaeufe.png").exists()
