"""A check-in form whose hidden ids were edited to numbers no row can have is refused with a sentence, not a crash."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from mentorapp.errors import UserError
from mentorapp.running.checkin_forms import import_checkin_folder
from tests.running.test_checkins import TODAY, export, fill, stored


@pytest.mark.parametrize(
    ("cell", "value"),
    [("B6", "1,2,3,99999999999999999999999"), ("B4", 10**30), ("B6", "0"), ("B4", -1)],
)
def test_a_huge_or_impossible_hidden_id_is_refused_naming_the_file(running, tmp_path, cell, value):
    files = export(running, tmp_path / "forms")
    cleo = next(p for p in files if p.name.startswith("Nnamdi Cleo"))
    fill(cleo, "B", met="Yes", times=1, rating=4)
    wb = load_workbook(cleo)
    assert wb["mentorapp"]["A4"].value == "participant_id" and wb["mentorapp"]["A6"].value == "match_ids"
    wb["mentorapp"][cell] = value
    wb.save(cleo)
    with pytest.raises(UserError, match=f"{cleo.name}: its hidden details sheet was changed"):
        import_checkin_folder(running.db, running.cohort_id, tmp_path / "forms", TODAY)
    assert stored(running.db) == 0
