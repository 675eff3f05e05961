"""Offline evaluation forms: export, fill with openpyxl, import, compare; problems; re-import updates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from mentorapp.errors import UserError
from mentorapp.evaluation.form_reading import FormRefusedError
from mentorapp.evaluation.forms import (
    FORM_SHEET,
    import_evaluation_form,
    read_evaluation_form,
    write_evaluation_form,
)
from mentorapp.evaluation.instrument import get_response
from mentorapp.store.models import EvaluationResponse
from tests.support.evaluation_data import build_small_cohort

pytestmark = pytest.mark.both_databases


def export(db, cohort_id: int, stage: str, path: Path, **kw) -> Path:
    with db.transaction() as s:
        write_evaluation_form(s, cohort_id, stage, path, **kw)
    return path


def columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1] if c.value}


def row_of(ws, participant_id: int) -> int:
    for row in range(3, ws.max_row + 1):
        if ws.cell(row=row, column=1).value == participant_id:
            return row
    raise AssertionError(f"no row for {participant_id}")


def test_form_layout(db, tmp_path) -> None:
    small = build_small_cohort(db, responses=False)
    path = export(db, small.cohort_id, "six_month", tmp_path / "form.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames[0] == "Instructions"
    ws = wb[FORM_SHEET]
    assert ws.column_dimensions["A"].hidden and ws.row_dimensions[1].hidden
    assert ws.protection.sheet
    col = columns(ws)
    assert ws.cell(row=2, column=col["benefit_confidence"]).value == "Confidence"
    names = {ws.cell(row=r, column=2).value for r in range(3, ws.max_row + 1)}
    assert names == {"Alice Archer", "Bob Baker", "Cara Cole", "Xavier Xu", "Yasmin Young"}
    # Identity locked, answers unlocked, mentor-only question locked on a mentee's row.
    alice = row_of(ws, small.alice)
    assert ws.cell(row=alice, column=2).protection.locked
    assert not ws.cell(row=alice, column=col["satisfaction"]).protection.locked
    assert ws.cell(row=alice, column=col["mentor_learning"]).protection.locked
    # Dropdowns 1 to 5 on the ratings, Yes/No on recommend.
    formulas = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    letter = ws.cell(row=1, column=col["satisfaction"]).column_letter
    assert any(ref.startswith(letter) and f == '"1,2,3,4,5"' for ref, f in formulas.items())
    assert '"Yes,No"' in formulas.values()


def test_round_trip_fill_import_compare(db, tmp_path) -> None:
    small = build_small_cohort(db, responses=False)
    path = export(db, small.cohort_id, "six_month", tmp_path / "form.xlsx")
    wb = load_workbook(path)
    ws = wb[FORM_SHEET]
    col = columns(ws)
    alice, xavier = row_of(ws, small.alice), row_of(ws, small.xavier)
    for key, value in {
        "benefit_confidence": 4,
        "satisfaction": "5",
        "meetings": 7,
        "would_recommend": "Yes",
        "went_well": "=SUM(A1) is not a formula here",
        "date_answered": dt.datetime(2022, 3, 2),
    }.items():
        ws.cell(row=alice, column=col[key]).value = value
    ws.cell(row=alice, column=col["went_well"]).data_type = "s"
    ws.cell(row=xavier, column=col["mentor_learning"]).value = "Patience."
    ws.cell(row=xavier, column=col["would_recommend"]).value = "No"
    wb.save(path)

    reading = import_evaluation_form(db, small.cohort_id, path)
    assert (reading.count("create"), reading.count("update"), reading.blank_rows) == (2, 0, 3)
    with db.session() as s:
        a = get_response(s, small.alice, "six_month")
        x = get_response(s, small.xavier, "six_month")
    assert a.answers == {
        "benefit_confidence": 4,
        "satisfaction": 5,
        "meetings": 7,
        "would_recommend": True,
        "went_well": "=SUM(A1) is not a formula here",
    }
    assert a.submitted_on == dt.date(2022, 3, 2)
    assert x.answers == {"would_recommend": False, "mentor_learning": "Patience."}

    # Exporting again pre-fills what is stored, safely (text stays text).
    again = load_workbook(export(db, small.cohort_id, "six_month", tmp_path / "again.xlsx"))[FORM_SHEET]
    cell = again.cell(row=row_of(again, small.alice), column=col["went_well"])
    assert cell.data_type == "s" and cell.value == "=SUM(A1) is not a formula here"


def test_reimport_updates_instead_of_duplicating(db, tmp_path) -> None:
    small = build_small_cohort(db)
    path = export(db, small.cohort_id, "six_month", tmp_path / "form.xlsx")
    first = import_evaluation_form(db, small.cohort_id, path)
    assert (first.count("create"), first.count("update"), first.count("unchanged")) == (0, 0, 3)
    wb = load_workbook(path)
    ws = wb[FORM_SHEET]
    col = columns(ws)
    ws.cell(row=row_of(ws, small.bob), column=col["satisfaction"]).value = 4
    ws.cell(row=row_of(ws, small.cara), column=col["satisfaction"]).value = 2
    wb.save(path)
    for expected in ((1, 1, 2), (0, 0, 4)):
        reading = import_evaluation_form(db, small.cohort_id, path)
        assert (reading.count("create"), reading.count("update"), reading.count("unchanged")) == expected
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(EvaluationResponse)) == 8
        assert get_response(s, small.bob, "six_month").answers["satisfaction"] == 4
        assert get_response(s, small.bob, "six_month").answers["meetings"] == 2


def test_every_problem_reported_and_nothing_written(db, tmp_path) -> None:
    small = build_small_cohort(db, responses=False)
    path = export(db, small.cohort_id, "six_month", tmp_path / "form.xlsx")
    wb = load_workbook(path)
    ws = wb[FORM_SHEET]
    col = columns(ws)
    alice, bob = row_of(ws, small.alice), row_of(ws, small.bob)
    ws.cell(row=alice, column=col["satisfaction"]).value = 4  # valid, but the file as a whole is refused
    ws.cell(row=bob, column=col["satisfaction"]).value = 9
    ws.cell(row=bob, column=col["would_recommend"]).value = "perhaps"
    ws.cell(row=bob, column=col["mentor_learning"]).value = "not for mentees"
    ws.cell(row=bob, column=col["meetings"]).value = "=2+2"
    ws.cell(row=ws.max_row + 1, column=col["satisfaction"]).value = 3
    wb.save(path)
    with pytest.raises(FormRefusedError) as caught:
        import_evaluation_form(db, small.cohort_id, path)
    problems = caught.value.reading.problems
    where = {(p.row, p.column.split(" ")[0]) for p in problems}
    letter = {k: ws.cell(row=1, column=v).column_letter for k, v in col.items()}
    assert (bob, letter["satisfaction"]) in where
    assert (bob, letter["would_recommend"]) in where
    assert (bob, letter["mentor_learning"]) in where
    assert (bob, letter["meetings"]) in where
    assert any("no participant id" in p.message for p in problems)
    assert str(problems[0]).startswith(f"Row {bob}, column ")
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(EvaluationResponse)) == 0


def test_duplicate_and_unknown_ids(db, tmp_path) -> None:
    small = build_small_cohort(db, responses=False)
    path = export(db, small.cohort_id, "baseline", tmp_path / "form.xlsx")
    wb = load_workbook(path)
    ws = wb[FORM_SHEET]
    col = columns(ws)
    alice = row_of(ws, small.alice)
    ws.cell(row=alice, column=col["benefit_confidence"]).value = 3
    ws.cell(row=alice + 1, column=1).value = small.alice
    ws.cell(row=alice + 1, column=col["benefit_confidence"]).value = 2
    ws.cell(row=alice + 2, column=1).value = 99999
    ws.cell(row=alice + 2, column=col["benefit_confidence"]).value = 2
    wb.save(path)
    with db.session() as s:
        reading = read_evaluation_form(s, small.cohort_id, path)
    messages = [p.message for p in reading.problems]
    assert f"This participant is also on row {alice}." in messages
    assert any("No participant #99999" in m for m in messages)


def test_not_a_form_and_wrong_cohort(db, tmp_path) -> None:
    small = build_small_cohort(db, responses=False)
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    with db.session() as s, pytest.raises(UserError, match="not an Excel workbook"):
        read_evaluation_form(s, small.cohort_id, junk)
    from openpyxl import Workbook

    other = tmp_path / "other.xlsx"
    Workbook().save(other)
    with db.session() as s, pytest.raises(UserError, match="not a mentorapp evaluation form"):
        read_evaluation_form(s, small.cohort_id, other)
    from mentorapp.people.cohorts import CohortData, create_cohort

    with db.transaction() as s:
        second = create_cohort(s, CohortData(name="Another", start_date=dt.date(2022, 1, 1))).id
    path = export(db, small.cohort_id, "baseline", tmp_path / "form.xlsx")
    with db.session() as s, pytest.raises(UserError, match="is the form of cohort 'Evaluation test'"):
        read_evaluation_form(s, second, path)
