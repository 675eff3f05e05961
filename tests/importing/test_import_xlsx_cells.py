"""An application workbook's formula cells and cells filled to Excel's limit are named for what they are."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from mentorapp.cli.main import main
from mentorapp.importing.limits import MAX_CELL_CHARS
from tests.support.import_fixtures import SIMPLE_HEADERS, simple_rows

pytestmark = pytest.mark.both_databases


def _workbook(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append([*SIMPLE_HEADERS, "Notes"])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _dry_run(capsys, db_path, path) -> tuple[int, str]:
    assert main(["--db", db_path, "cohorts", "add", "C"]) == 0
    capsys.readouterr()
    code = main(["--db", db_path, "import", str(path), "--cohort", "C", "--dry-run"])
    return code, capsys.readouterr().out


def test_a_formula_cell_is_said_to_hold_a_formula_not_to_be_missing(tmp_path, capsys, db_path):
    rows = [[*r, ""] for r in simple_rows(3)]
    rows[0][0] = '=HYPERLINK("http://example.test","x")'  # first name
    rows[1][3] = '=IF(1,"Mentee","Mentor")'  # role
    code, out = _dry_run(capsys, db_path, _workbook(tmp_path / "apps.xlsx", rows))
    assert code == 1
    lines = [" ".join(line.split()) for line in out.splitlines()]
    assert "2 First name The cell holds a formula; type the answer." in lines
    assert "3 Role The cell holds a formula; type the answer." in lines
    assert out.count("The cell holds a formula; type the answer.") == 2
    assert "First name is required" not in out and "The role is missing" not in out
    assert "1 to create" in out and "2 with problems" in out


def test_a_cell_filled_to_excels_limit_is_not_given_a_length_it_may_not_have(tmp_path, capsys, db_path):
    rows = [[*r, ""] for r in simple_rows(2)]
    rows[0][7] = "y" * MAX_CELL_CHARS  # what Excel (or openpyxl) keeps of a longer text
    code, out = _dry_run(capsys, db_path, _workbook(tmp_path / "long.xlsx", rows))
    assert code == 1
    assert (
        "Notes fills its whole cell (32,767 characters, Excel's most, so it may have been cut); "
        "the limit is 20,000." in out
    )
    assert "Notes is 32,767 characters long" not in out
