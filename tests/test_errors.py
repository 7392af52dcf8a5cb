"""The frame every error is printed in is German; the code and file prefix stay as they are."""

from __future__ import annotations

from asaqda.errors import InputError, Location, Problem


def test_errors_location_names_sheet_row_and_column_in_german() -> None:
    where = Location("2024-1/segmente.xlsx", "Liste", 7, "Ende")
    assert str(where) == "'2024-1/segmente.xlsx', Blatt 'Liste', Zeile 7, Spalte 'Ende'"
    assert str(Location("v.csv", row=3)) == "'v.csv', Zeile 3"


def test_errors_problem_gives_the_fix_after_so_beheben() -> None:
    problem = Problem(
        "E011", "'x' ist keine Zahl", Location("m.csv", None, 2, "u1"), "eine Zahl eintragen"
    )
    assert str(problem) == (
        "[E011] 'm.csv', Zeile 2, Spalte 'u1': 'x' ist keine Zahl. So beheben: eine Zahl eintragen"
    )
    assert str(Problem("E004", "die Datei ist leer")) == "[E004] die Datei ist leer."


def test_errors_more_problems_than_the_limit_are_counted_in_german() -> None:
    problems = [Problem("E011", f"Fehler {i}", Location("a.csv", row=i + 2)) for i in range(27)]
    lines = str(InputError(problems)).split("\n")
    assert len(lines) == 26
    assert lines[0] == "[E011] 'a.csv', Zeile 2: Fehler 0."
    assert lines[-1] == "… und 2 weitere Probleme dieser Art."
