"""The person's page (history across cohorts, merge and split on the undo stack); a new cohort from an earlier one."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sqlalchemy import select

from mentorapp.matching.actions import create_match
from mentorapp.people.cohorts import CohortData, create_cohort, update_settings
from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData, create_participant
from mentorapp.store.models import AuditEvent, Cohort, Participant, Person
from mentorapp_ui.people.cohort_dialog import CohortDialog, new_cohort
from mentorapp_ui.people.person_history import HistoryDialog, merge_records

AREAS = ["Hand therapy", "Splinting", "Service audit"]


def _member(first, last, email, role):
    return ParticipantData(
        first_name=first,
        last_name=last,
        email=email,
        role=role,
        organisation=f"{last} hand clinic",
        goals=[GoalData("short", "Fit a dynamic splint alone", ["Splinting"])] if role == "mentee" else [],
        expertise=[ExpertiseData("Splinting", 12)] if role == "mentor" else [],
    )


@pytest.fixture
def two_cohorts(db):
    """Hand therapists: Ines a mentee in 2025 (paired with Omar), a mentor in 2026; a second record of Omar."""
    with db.transaction() as s:
        first = create_cohort(s, CohortData("Hand therapy 2025", dt.date(2025, 1, 6), focus_areas=AREAS))
        update_settings(s, first.id, success_criteria=[{"benefit": "confidence", "share": 0.6}])
        second = create_cohort(s, CohortData("Hand therapy 2026", dt.date(2026, 1, 5), focus_areas=AREAS))
        ines = create_participant(s, first.id, _member("Ines", "Carvalho", "ines@hands.test", "mentee"))
        omar = create_participant(s, first.id, _member("Omar", "Haddad", "omar@hands.test", "mentor"))
        create_match(s, ines.id, omar.id)
        again = create_participant(s, second.id, _member("Ines", "Carvalho", "ines@hands.test", "mentor"))
        omar_home = create_participant(s, second.id, _member("Omar", "Haddad", "o.haddad@home.test", "mentor"))
        return {
            "first": first.id,
            "ines": ines.id,
            "again": again.id,
            "omar_person": omar.person_id,
            "omar_home_person": omar_home.person_id,
        }


def test_the_participants_page_opens_the_persons_history_of_both_years(qtbot, make_window, db, two_cohorts):
    window = make_window(db)
    window.ctx.set_cohort(two_cohorts["first"])
    window.show_page("participants")
    page = window.current_page()
    page.select_participant(two_cohorts["ines"])
    action = window.ctx.actions.action("participants.history")
    menu = page.build_context_menu(page.table.visualRect(page.table.currentIndex()).center())
    assert action.isEnabled() and action in menu.actions()
    action.trigger()
    dialog = page.history_dialog
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.view.toPlainText()
    assert "Hand therapy 2025" in text and "Hand therapy 2026" in text
    assert "Omar Haddad <omar@hands.test>" in text and "Fit a dynamic splint alone" in text
    # Read by a person: dates, statuses and roles in words, as every other screen writes them.
    assert "(from 6 January 2025, recruiting)" in text and "2025-01-06" not in text
    assert "Mentee" in text and "Proposed" in text and "_" not in text
    assert dialog.split_button.isEnabled()


def test_merge_and_split_are_undoable(qtbot, make_window, db, two_cohorts):
    window = make_window(db)
    ctx = window.ctx
    assert merge_records(ctx, two_cohorts["omar_person"], two_cohorts["omar_home_person"], window)
    with db.session() as s:
        assert s.get(Person, two_cohorts["omar_home_person"]) is None
        assert s.scalar(select(AuditEvent.id).where(AuditEvent.action == "people merged")) is not None
    ctx.undo_stack.undo()
    with db.session() as s:
        assert s.get(Person, two_cohorts["omar_home_person"]).email == "o.haddad@home.test"
    ctx.undo_stack.redo()
    with db.session() as s:
        assert s.get(Person, two_cohorts["omar_home_person"]) is None
    # Split Ines's 2026 membership off through the dialog's button (answering Yes).
    dialog = HistoryDialog(ctx, two_cohorts["again"], window)
    qtbot.add_widget(dialog)
    QTimer.singleShot(0, lambda: _answer_yes(qtbot))
    qtbot.mouseClick(dialog.split_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        split_person = s.get(Participant, two_cohorts["again"]).person_id
        first_person = s.get(Participant, two_cohorts["ines"]).person_id
    assert split_person != first_person
    assert "Hand therapy 2025" not in dialog.view.toPlainText()
    ctx.undo_stack.undo()
    with db.session() as s:
        assert s.get(Participant, two_cohorts["again"]).person_id == first_person
    qtbot.waitUntil(lambda: "Hand therapy 2025" in dialog.view.toPlainText())


def _answer_yes(qtbot) -> None:
    from PySide6.QtWidgets import QMessageBox

    box = QApplication.activeModalWidget()
    assert isinstance(box, QMessageBox)
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)


def test_a_new_cohort_can_start_from_an_earlier_one(qtbot, make_window, db, two_cohorts):
    window = make_window(db)

    def choose_and_ok() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CohortDialog)
        dialog.name.setText("Hand therapy 2027")
        dialog.earlier.setCurrentIndex(dialog.earlier.findText("Hand therapy 2025"))
        assert "success criteria" in dialog.copied_note.text() and "focus areas" in dialog.copied_note.text()
        assert [dialog.areas.item(i).text() for i in range(dialog.areas.count())] == AREAS
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, choose_and_ok)
    cohort_id = new_cohort(window.ctx, window)
    with db.session() as s:
        cohort = s.get(Cohort, cohort_id)
        assert cohort.focus_areas == AREAS
        assert cohort.settings["success_criteria"] == [{"benefit": "confidence", "share": 0.6}]
        note = s.scalar(select(AuditEvent.description).where(AuditEvent.action == "cohort created from earlier"))
    assert "took over from 'Hand therapy 2025'" in note
    window.ctx.undo_stack.undo()
    with db.session() as s:
        assert s.get(Cohort, cohort_id) is None


def test_answers_that_end_in_a_full_stop_are_listed_without_a_stray_stop(db, two_cohorts):
    """'...other pairs in the scheme.; Meetings held: 2' read as a slip."""
    from mentorapp.evaluation.instrument import ResponseData, save_response
    from mentorapp.people.history import person_history
    from mentorapp_ui.people.person_history import history_html

    with db.transaction() as s:
        save_response(
            s,
            ResponseData(
                two_cohorts["ines"], "six_month", {"could_be_better": "More pairs to meet.", "satisfaction": 4}
            ),
        )
        person = s.get(Participant, two_cohorts["ines"]).person_id
        html = history_html(person_history(s, person))
    assert "More pairs to meet" in html and ".;" not in html
