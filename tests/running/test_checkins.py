"""Check-ins: the schedule, per-person forms out and back, refusals of another cohort's or person's form."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from mentorapp.errors import UserError
from mentorapp.running.checkin_forms import choose_checkpoint, export_checkin_forms, import_checkin_folder
from mentorapp.running.checkins import checkin_schedule, list_checkin_answers, set_checkin_days
from mentorapp.running.settings import default_checkin_days
from mentorapp.store.models import CheckinAnswer
from tests.running.conftest import build

TODAY = dt.date(2024, 3, 1)


def test_the_default_schedule_is_day_30_then_every_60_days_until_the_evaluation(running):
    assert default_checkin_days(dt.date(2024, 1, 15), dt.date(2024, 7, 8)) == [30, 90, 150]
    with running.db.transaction() as s:
        schedule = checkin_schedule(s, running.cohort_id)
        assert [c.due_on for c in schedule] == [dt.date(2024, 2, 14), dt.date(2024, 4, 14), dt.date(2024, 6, 13)]
        set_checkin_days(s, running.cohort_id, [14, 60])
        assert [c.day for c in checkin_schedule(s, running.cohort_id)] == [14, 60]
        with pytest.raises(UserError, match="same day"):
            set_checkin_days(s, running.cohort_id, [14, 14])
        with pytest.raises(UserError, match="from day 1 to day 3660"):
            set_checkin_days(s, running.cohort_id, [0])
        set_checkin_days(s, running.cohort_id, [])
        assert [c.day for c in checkin_schedule(s, running.cohort_id)] == [30, 90, 150]


def export(running, folder: Path) -> list[Path]:
    with running.db.session() as s:
        checkpoint = choose_checkpoint(s, running.cohort_id, TODAY)
        return export_checkin_forms(s, running.cohort_id, folder, checkpoint)


def fill(path: Path, column: str, **answers) -> None:
    wb = load_workbook(path)
    ws = wb["Check-in"]
    rows = {"met": 4, "times": 5, "rating": 6, "wants_contact": 7, "comment": 8, "submitted_on": 9}
    for key, value in answers.items():
        ws[f"{column}{rows[key]}"] = value
    wb.save(path)


def stored(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(CheckinAnswer))


def test_one_form_per_person_naming_only_them_and_their_partners(running, tmp_path):
    files = export(running, tmp_path / "out")
    assert len(files) == 5  # three mentees, two mentors (Esther once, for both her mentees)
    # Named surname first, as letters and evaluation forms are, so a folder of them sorts by surname.
    assert sorted(p.name.rsplit(" check-in ", 1)[0] for p in files) == [
        "Achterberg Esther", "Adeyemi Femi", "Nnamdi Cleo", "Okonkwo-Smith Brian", "Ørsted Zoë"
    ]  # fmt: skip
    esther = next(p for p in files if p.name.startswith("Achterberg Esther"))
    ws = load_workbook(esther)["Check-in"]
    assert ws["B3"].value == "With your mentee Zoë Ørsted" and ws["C3"].value == "With your mentee Brian Okonkwo-Smith"
    # Headed with the date as the participant reads it (STARTED + 30 days).
    assert ws["A1"].value == "Northern pilot 2024 — Check-in 1: 14 February 2024 (day 30)"
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "Cleo" not in text and "Femi" not in text
    zoe = next(p for p in files if p.name.startswith("Ørsted Zoë"))
    assert "Esther" in " ".join(
        str(c.value) for row in load_workbook(zoe)["Check-in"].iter_rows() for c in row if c.value
    )


def test_filled_forms_are_read_back_all_or_nothing(running, tmp_path):
    files = export(running, tmp_path / "forms")
    esther = next(p for p in files if p.name.startswith("Achterberg Esther"))
    zoe = next(p for p in files if p.name.startswith("Ørsted Zoë"))
    fill(esther, "B", met="Yes", times=2, rating=4, wants_contact="No", submitted_on="2024-02-16")
    fill(esther, "C", met="No", rating=2, wants_contact="Yes", comment="We keep cancelling.")
    fill(zoe, "B", met="Yes", times=9, rating=7)
    with pytest.raises(UserError) as refused:
        import_checkin_folder(running.db, running.cohort_id, tmp_path / "forms", TODAY)
    assert "cell B6 (rating): '7' is not a whole number from 1 to 5" in str(refused.value)
    assert stored(running.db) == 0
    fill(zoe, "B", rating=5)
    reading = import_checkin_folder(running.db, running.cohort_id, tmp_path / "forms", TODAY)
    assert len(reading.answers) == 3 and reading.blank == 3
    with running.db.session() as s:
        answers = {(a.participant_id, a.match_id): a for a in list_checkin_answers(s, running.cohort_id)}
    brian_pair = answers[(running.pid("Esther"), running.pairs["Brian"])]
    assert (brian_pair.met, brian_pair.rating, brian_pair.wants_contact, brian_pair.comment) == (
        False, 2, True, "We keep cancelling."
    )  # fmt: skip
    # Read again: replaced, never doubled.
    import_checkin_folder(running.db, running.cohort_id, tmp_path / "forms", TODAY)
    assert stored(running.db) == 3


def test_answers_are_read_as_people_write_them_in_a_spreadsheet_program_without_the_dropdowns(running, tmp_path):
    """Typed, pasted or filled in another program: 'twice', '4 - going well', a day-first date."""
    files = export(running, tmp_path / "forms")
    esther = next(p for p in files if p.name.startswith("Achterberg Esther"))
    zoe = next(p for p in files if p.name.startswith("Ørsted Zoë"))
    fill(esther, "B", met="yes", times="twice", rating="4 - going well", wants_contact="no", submitted_on="16/02/2024")
    fill(esther, "C", met="No", rating="2/5", wants_contact="Y", submitted_on="17 Feb 2024")
    fill(zoe, "B", met="Yes", times="3 times", rating=" 5 ", submitted_on="16/2/24")
    reading = import_checkin_folder(running.db, running.cohort_id, tmp_path / "forms", TODAY)
    assert len(reading.answers) == 3
    with running.db.session() as s:
        answers = {(a.participant_id, a.match_id): a for a in list_checkin_answers(s, running.cohort_id)}
    zoe_pair = answers[(running.pid("Esther"), running.pairs["Zoë"])]
    assert (zoe_pair.times, zoe_pair.rating, zoe_pair.submitted_on) == (2, 4, dt.date(2024, 2, 16))
    brian_pair = answers[(running.pid("Esther"), running.pairs["Brian"])]
    assert (brian_pair.rating, brian_pair.wants_contact, brian_pair.submitted_on) == (2, True, dt.date(2024, 2, 17))
    assert answers[(running.pid("Zoë"), running.pairs["Zoë"])].times == 3
    # What cannot be read one way is still refused, naming the cell.
    fill(zoe, "B", times="2-3", rating="4/6", submitted_on="sometime in February")
    with pytest.raises(UserError) as refused:
        import_checkin_folder(running.db, running.cohort_id, tmp_path / "forms", TODAY)
    for part in ("B5 (times): '2-3'", "B6 (rating): '4/6'", "B9 (submitted on): 'sometime in February' is not a date"):
        assert part in str(refused.value)


def test_a_copy_of_a_form_saved_twice_counts_once_and_two_different_answers_are_named(running, tmp_path):
    """Attachments saved twice come back as 'Form (1).xlsx': the same answers are no problem."""
    import shutil

    files = export(running, tmp_path / "forms")
    zoe = next(p for p in files if p.name.startswith("Ørsted Zoë"))
    fill(zoe, "B", met="Yes", times=1, rating=4)
    copy = zoe.with_name(zoe.stem + " (1).xlsx")
    shutil.copyfile(zoe, copy)
    reading = import_checkin_folder(running.db, running.cohort_id, tmp_path / "forms", TODAY)
    assert len(reading.answers) == 1 and reading.copies == 1
    assert reading.summary("forms") == (
        "Imported 1 check-in answer from forms; 5 were left blank; 1 copy of a form said the same and counted once."
    )
    assert stored(running.db) == 1
    fill(copy, "B", rating=2)
    with pytest.raises(UserError) as refused:
        import_checkin_folder(running.db, running.cohort_id, tmp_path / "forms", TODAY)
    message = str(refused.value)
    assert zoe.name in message and copy.name in message  # the files in the folder's order
    assert "in forms both answer Zoë Ørsted's check-in of 14 February 2024, differently" in message


def test_a_form_of_another_cohort_or_of_someone_not_in_the_pair_is_refused(running, tmp_path, db):
    other = build(db, "Southern pilot 2024")
    with db.session() as s:
        export_checkin_forms(s, other.cohort_id, tmp_path / "south", choose_checkpoint(s, other.cohort_id, TODAY))
    form = next((tmp_path / "south").glob("Ørsted Zoë*.xlsx"))
    fill(form, "B", met="Yes", times=1, rating=4)
    with pytest.raises(
        UserError, match="is the check-in form of cohort 'Southern pilot 2024', not of 'Northern pilot 2024'"
    ):
        import_checkin_folder(db, running.cohort_id, tmp_path / "south", TODAY)
    files = export(running, tmp_path / "north")
    cleo = next(p for p in files if p.name.startswith("Nnamdi Cleo"))
    fill(cleo, "B", met="Yes", times=1, rating=4)
    wb = load_workbook(cleo)
    wb["mentorapp"]["B4"] = running.pid("Dana")  # the form made to look like Dana's, who is in no pair
    wb.save(cleo)
    with pytest.raises(UserError, match=f"participant #{running.pid('Dana')} is not in pair"):
        import_checkin_folder(db, running.cohort_id, tmp_path / "north", TODAY)
    assert stored(db) == 0


def test_a_formula_in_a_returned_form_is_refused_not_stored(running, tmp_path):
    files = export(running, tmp_path / "forms")
    cleo = next(p for p in files if p.name.startswith("Nnamdi Cleo"))
    fill(cleo, "B", met="Yes", times=1, rating=4, comment='=HYPERLINK("http://example.test","click")')
    with pytest.raises(UserError, match="cell B8: the cell holds a formula"):
        import_checkin_folder(running.db, running.cohort_id, tmp_path / "forms", TODAY)
    assert stored(running.db) == 0


def test_a_form_whose_hidden_cohort_number_was_changed_says_so_not_the_same_name_twice(running, tmp_path):
    """It said "is the form of cohort 'F', not of 'F'"."""
    from openpyxl import load_workbook

    from mentorapp.running.checkin_forms import META

    form = export(running, tmp_path / "north")[0]
    wb = load_workbook(form)
    for row in wb[META].iter_rows(max_col=2):
        if row[0].value == "cohort_id":
            row[1].value = 999
    wb.save(form)
    with pytest.raises(UserError, match=r"another cohort called 'Northern pilot 2024' \(number 999; this one is"):
        import_checkin_folder(running.db, running.cohort_id, tmp_path / "north", TODAY)
