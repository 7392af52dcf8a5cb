"""The codebook: covers the research design, validates strictly, renders for people."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
import yaml

from asaqda.codebook import CategoryFile, CodebookMeta, load_codebook
from asaqda.codebook_render import (
    maxqda_code_list,
    render_leitfaden_docx,
    render_leitfaden_xlsx,
    render_maxqda_codes,
)
from asaqda.errors import CodebookError

from .conftest import REPO, SHARED

SPEC = SHARED / "spec" / "kategoriensystem.md"


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(REPO / "codebook")


@pytest.fixture
def cb_dir(tmp_path: Path) -> Path:
    target = tmp_path / "codebook"
    shutil.copytree(REPO / "codebook", target)
    return target


@pytest.mark.skipif(not SPEC.exists(), reason="research design not present")
def test_codebook_carries_every_code_path_of_the_research_design(codebook) -> None:
    design = SPEC.read_text(encoding="utf-8").split("## C.")[0]  # sections A and B: the codes
    spec_paths = re.findall(r"^\| `([^`]+)` \|", design, re.M)
    assert len(spec_paths) >= 30
    assert sorted(set(spec_paths) - set(codebook.paths)) == []


def test_codebook_every_leaf_is_complete_after_mayring(codebook) -> None:
    for code in codebook.codes:
        assert code.definition
        assert code.art == "deduktiv"
        if not codebook.children(code.code):
            assert code.ankerbeispiele, code.code
            assert code.kodierregeln, code.code
            for anchor in code.ankerbeispiele:
                assert re.fullmatch(r"\(\w+_[A-Z]+\d+\)", anchor.quelle), anchor.quelle


def _edit(cb_dir: Path, file: str, path: str, **changes: object) -> None:
    """Change one code entry of a codebook file (structurally, whatever the YAML layout)."""
    target = cb_dir / file
    data = yaml.safe_load(target.read_text(encoding="utf-8"))
    entry = next(c for c in data["codes"] if c["code"] == path)
    entry.update(changes)
    target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_codebook_unknown_parent_is_E103(cb_dir: Path) -> None:
    _edit(
        cb_dir,
        "freistellung.yaml",
        "Freistellung > Gründe > Kosten",
        code="Freistellung > Grund > Kosten",
    )
    with pytest.raises(CodebookError) as err:
        load_codebook(cb_dir)
    assert err.value.code == "E103"
    assert "unbekannte Oberkategorie 'Freistellung > Grund'" in str(err.value)
    assert "freistellung.yaml" in str(err.value)


def test_codebook_duplicate_code_is_E104(cb_dir: Path) -> None:
    _edit(
        cb_dir, "freistellung.yaml", "Freistellung > Wegezeiten", code="Freistellung > vollständig"
    )
    with pytest.raises(
        CodebookError, match=r"E104.*'Freistellung > vollständig' ist zweimal definiert"
    ):
        load_codebook(cb_dir)


def test_codebook_empty_definition_is_E102_naming_the_code(cb_dir: Path) -> None:
    _edit(cb_dir, "bekanntheit.yaml", "Bekanntheit", definition="  ")
    with pytest.raises(CodebookError) as err:
        load_codebook(cb_dir)
    assert err.value.code == "E102"
    assert "Code 'Bekanntheit', Feld definition: darf nicht leer sein." in str(err.value)


@pytest.mark.parametrize(
    "bad",
    [
        "Freistellung > kei\\ne",
        "Freistellung > kei|ne",
        "Freistellung >  keine",
        "Freistellung > " + "x" * 64,
    ],
)
def test_codebook_bad_characters_are_E102(cb_dir: Path, bad: str) -> None:
    _edit(cb_dir, "freistellung.yaml", "Freistellung > keine", code=bad)
    with pytest.raises(CodebookError, match="E102"):
        load_codebook(cb_dir)


def test_codebook_bad_character_message_is_german(cb_dir: Path) -> None:
    _edit(cb_dir, "freistellung.yaml", "Freistellung > keine", code="Freistellung > kei|ne")
    with pytest.raises(CodebookError) as err:
        load_codebook(cb_dir)
    assert (
        "die Ebene 'kei|ne' enthält das Zeichen '|', das in MAXQDA-Codenamen nicht stehen kann"
        in str(err.value)
    )


def test_codebook_unknown_field_is_rejected(cb_dir: Path) -> None:
    _edit(cb_dir, "bekanntheit.yaml", "Bekanntheit", farbe_x="rot")
    with pytest.raises(CodebookError) as err:
        load_codebook(cb_dir)
    assert "Code 'Bekanntheit', Feld farbe_x: unbekanntes Feld (Tippfehler im Feldnamen?)." in str(
        err.value
    )


def test_codebook_negation_target_must_exist(cb_dir: Path) -> None:
    _edit(
        cb_dir,
        "freistellung.yaml",
        "Freistellung > vollständig",
        muster={"phrasen": ["freistellen"], "bei_verneinung": "Freistellung > gar keine"},
    )
    with pytest.raises(CodebookError, match=r"E103.*unbekannten Code 'Freistellung > gar keine'"):
        load_codebook(cb_dir)


def test_codebook_broken_yaml_is_E101(cb_dir: Path) -> None:
    (cb_dir / "bekanntheit.yaml").write_text("codes: [\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"E101.*bekanntheit.yaml"):
        load_codebook(cb_dir)


@pytest.mark.parametrize(
    ("name", "model"), [("kategorie", CategoryFile), ("codebook", CodebookMeta)]
)
def test_codebook_json_schema_is_generated_from_the_model(name: str, model: type) -> None:
    committed = json.loads(
        (REPO / "codebook" / "schema" / f"{name}.schema.json").read_text(encoding="utf-8")
    )
    assert committed == model.model_json_schema(), "run: asaqda codebook schema"


def test_codebook_maxqda_code_list_has_code_and_memo(codebook, tmp_path: Path) -> None:
    frame = maxqda_code_list(codebook)
    assert list(frame.columns) == ["Code", "Memo"]
    assert frame["Code"].tolist() == codebook.paths
    assert all(len(level) <= 63 for c in frame["Code"] for level in c.split(" > "))
    path = render_maxqda_codes(codebook, tmp_path / "codes.xlsx")
    ws = openpyxl.load_workbook(path).active
    assert [c.value for c in ws[1]] == ["Code", "Memo"]
    assert ws["A2"].value == "Entlastung"


def test_codebook_leitfaden_docx_and_xlsx(codebook, tmp_path: Path) -> None:
    path = render_leitfaden_docx(codebook, tmp_path / "k.docx")
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Freistellung > keine" in headings
    assert len(document.tables) == len(codebook.codes)
    first = document.tables[0]
    assert [r.cells[0].text for r in first.rows] == [
        "Definition",
        "Ankerbeispiele",
        "Kodierregeln",
        "Art",
    ]
    xlsx = render_leitfaden_xlsx(codebook, tmp_path / "k.xlsx")
    ws = openpyxl.load_workbook(xlsx)["Kodierleitfaden"]
    assert [c.value for c in ws[1]] == [
        "Code",
        "Hauptkategorie",
        "Art",
        "Definition",
        "Ankerbeispiele",
        "Kodierregeln",
    ]
    assert ws.max_row == len(codebook.codes) + 1


# --- import from a MAXQDA Excel code list -------------------------------------------------


def code_list(path: Path, rows: list[tuple[str, str]], sheet: str = "Codesystem") -> Path:
    import pandas as pd

    from asaqda.io.officefiles import write_xlsx

    write_xlsx(path, {sheet: pd.DataFrame(rows, columns=["Code", "Memo"])})
    return path


def test_codebook_import_reads_a_maxqda_code_list(tmp_path: Path) -> None:
    from asaqda.codebook_import import import_codebook, read_code_list

    path = code_list(
        tmp_path / "codes.xlsx",
        [
            ("Wohnen\\Miete", "Definition: Aussagen zur Miete.\nAnkerbeispiele: „Zu teuer.“"),
            ("Wohnen > Lärm", "Lärm in oder um die Wohnung."),
            ("", ""),
            ("Nachbarschaft", ""),
        ],
    )
    codes = read_code_list(path)
    assert codes["path"].tolist() == ["Wohnen", "Wohnen > Miete", "Wohnen > Lärm", "Nachbarschaft"]
    assert codes["description"].tolist() == [
        "",
        "Aussagen zur Miete.",
        "Lärm in oder um die Wohnung.",
        "",
    ]
    import_codebook(codes, "codes.xlsx", tmp_path / "cb", "2026-12-01")
    cb = load_codebook(tmp_path / "cb")
    assert cb.get("Wohnen > Miete").definition == "Aussagen zur Miete."
    assert cb.get("Nachbarschaft").definition == (
        "Noch keine Definition (aus codes.xlsx übernommen): bitte ergänzen."
    )
    assert cb.meta.reihenfolge == ["Wohnen", "Nachbarschaft"]


def test_codebook_import_round_trips_the_code_list_the_pipeline_writes(
    codebook, tmp_path: Path
) -> None:
    from asaqda.codebook_import import read_code_list

    codes = read_code_list(render_maxqda_codes(codebook, tmp_path / "maxqda_codesystem.xlsx"))
    assert codes["path"].tolist() == codebook.paths
    first = codebook.codes[0]
    assert codes.set_index("path").loc[first.code, "description"] == first.definition


@pytest.mark.parametrize(
    ("rows", "code", "says"),
    [
        ([("Wohnen >  > Miete", "")], "E011", "Zeile 2"),
        ([("Miete", ""), ("Lärm", ""), ("Miete", "")], "E104", "Zeilen 2 und 4"),
    ],
)
def test_codebook_import_code_list_errors_name_the_row(
    tmp_path: Path, rows: list[tuple[str, str]], code: str, says: str
) -> None:
    from asaqda.codebook_import import read_code_list
    from asaqda.errors import AsaqdaError

    with pytest.raises(AsaqdaError) as err:
        read_code_list(code_list(tmp_path / "codes.xlsx", rows))
    assert err.value.code == code and says in str(err.value)
    assert "codes.xlsx" in str(err.value)


def test_codebook_import_code_list_without_a_code_column_is_E001(tmp_path: Path) -> None:
    import pandas as pd

    from asaqda.codebook_import import read_code_list
    from asaqda.errors import InputError
    from asaqda.io.officefiles import write_xlsx

    path = tmp_path / "x.xlsx"
    write_xlsx(path, {"Liste": pd.DataFrame({"Name": ["a"], "Memo": ["b"]})})
    with pytest.raises(InputError) as err:
        read_code_list(path)
    assert err.value.code == "E001" and "gefunden: Liste: Name, Memo" in str(err.value)
