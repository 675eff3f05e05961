"""A returned evaluation form whose hidden participant id was edited to a huge number is refused, not a crash."""

from __future__ import annotations

import re

import pytest
from openpyxl import load_workbook

from mentorapp.errors import UserError
from mentorapp.evaluation.form_folder import import_forms
from mentorapp.evaluation.instrument import get_response
from tests.evaluation.test_person_forms import export, fill, path_of
from tests.support.evaluation_data import build_small_cohort

pytestmark = pytest.mark.both_databases


@pytest.mark.parametrize("value", [10**30, 2**31, 0, "abc"])
def test_a_hidden_participant_id_no_row_can_have_is_refused_naming_the_file(db, tmp_path, value) -> None:
    small = build_small_cohort(db, responses=False)
    paths = export(db, small.cohort_id, "six_month", tmp_path)
    form = path_of(paths, small.alice)
    fill(form, {"benefit_confidence": "very confident"})
    wb = load_workbook(form)
    ids = [row[1] for row in wb["mentorapp"].iter_rows() if row[0].value == "participant_id"]
    assert len(ids) == 1
    ids[0].value = value
    wb.save(form)
    with pytest.raises(UserError, match=f"{form.name}: the hidden participant id is missing or was changed"):
        import_forms(db, small.cohort_id, tmp_path)
    with db.session() as s:
        assert get_response(s, small.alice, "six_month") is None


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("version", 999, "was made by a newer mentorapp (form version 999; this one reads up to 1)"),
        ("stage", "halfway", "its hidden details sheet was changed (the stage)"),
    ],
)
def test_an_edited_or_newer_hidden_sheet_says_which_part(db, tmp_path, key, value, message) -> None:
    """Version 999 was read without a word; a changed stage was called a missing sheet."""
    small = build_small_cohort(db, responses=False)
    form = path_of(export(db, small.cohort_id, "six_month", tmp_path), small.alice)
    fill(form, {"benefit_confidence": "very confident"})
    wb = load_workbook(form)
    cells = [row[1] for row in wb["mentorapp"].iter_rows() if row[0].value == key]
    assert len(cells) == 1
    cells[0].value = value
    wb.save(form)
    with pytest.raises(UserError, match=re.escape(message)):
        import_forms(db, small.cohort_id, tmp_path)
