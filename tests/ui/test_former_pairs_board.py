"""Former pairs on screen: the card and details say "Worked together in …"; the setting is in the weights dialog."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from mentorapp.matching import actions
from mentorapp.matching.history import load_history, mode_of
from mentorapp.matching.solver import suggest
from mentorapp.people.cohorts import CohortData, create_cohort, find_cohort
from mentorapp.people.participants import ParticipantData, create_participant, list_participants
from mentorapp.store.models import AuditEvent, Cohort
from mentorapp_ui.board.page import BoardPage
from mentorapp_ui.people.weights_dialog import WeightsDialog
from tests.ui.test_file_dialogs import click_menu_item

SHOTS = "/tmp"


def _again(p: ParticipantData) -> ParticipantData:
    data = ParticipantData(**{k: getattr(p, k) for k in ParticipantData.__dataclass_fields__})
    data.id = data.cohort_id = data.version_id = data.person_id = None
    return data


@pytest.fixture
def second_year(demo_db) -> tuple[int, int]:
    """The pilot's suggestions stored and confirmed; a 2022 cohort of the same people with the pilot's pairs again."""
    with demo_db.transaction() as s:
        pilot = find_cohort(s, None)
        first = suggest(s, pilot.id)
        actions.accept_suggestions(s, pilot.id, [(x.mentee.id, x.mentor.id) for x in first.matches])
        actions.confirm_all_proposed(s, pilot.id)
        start = pilot.start_date + dt.timedelta(days=366)
        nxt = create_cohort(s, CohortData(name="Future Leaders 2022", start_date=start))
        for p in list_participants(s, pilot.id):
            create_participant(s, nxt.id, _again(p))
        again = suggest(s, nxt.id, former_pairs="prefer")
        pairs = [(x.mentee.id, x.mentor.id) for x in again.matches if x.score.reasons[-1].kind == "history"]
        actions.accept_suggestions(s, nxt.id, pairs, {(x.mentee.id, x.mentor.id): x.score for x in again.matches})
        return nxt.id, pairs[0][1]


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_card_and_the_details_say_they_worked_together(qtbot, make_window, demo_db, second_year):
    cohort_id, mentor_id = second_year
    window = make_window(demo_db)
    window.resize(1400, 900)
    window.ctx.set_cohort(cohort_id)
    assert window.show_page("board")
    page = window.current_page()
    assert isinstance(page, BoardPage)
    page.refresh()
    qtbot.waitUntil(page.scores_ready)
    view = page.mentor_view
    match = page.state.data.by_mentor[mentor_id][0]
    former = page.state.former(match.mentee_id, mentor_id)
    assert former is not None and former.short().startswith("Worked together in ")
    assert view.select_id(mentor_id)
    rect = view.slot_rect(mentor_id, lambda slot: slot.match is not None and slot.match.id == match.id)
    assert rect is not None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: page.state.selected_match_id == match.id)
    assert f"Worked together in {former.year} (Future Leaders pilot)" in page.details.status.text()
    assert any("Worked together in" in text for text, _v in _reasons(page))
    page.grab().save(f"{SHOTS}/former_pairs_board.png")


def _reasons(page):
    from mentorapp_ui.board.details import reason_items

    return reason_items(page.selected_match().reasons)


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_weights_dialog_sets_former_pairs_and_undo_puts_it_back(qtbot, make_window, demo_db, second_year):
    cohort_id, _mentor = second_year
    window = make_window(demo_db)
    window.ctx.set_cohort(cohort_id)
    shown: list[WeightsDialog] = []

    def choose_ignore() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, WeightsDialog):
            QTimer.singleShot(20, choose_ignore)
            return
        shown.append(dialog)
        try:
            assert dialog.former_mode() == "avoid"
            dialog.grab().save(f"{SHOTS}/former_pairs_weights.png")
            dialog.former.setFocus()
            qtbot.keyClick(dialog.former, Qt.Key.Key_End)  # the last choice: ignore
            assert dialog.former_mode() == "ignore"
            dialog.ok_button.click()
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(20, choose_ignore)
    click_menu_item(qtbot, window, "Cohort", "Matching &weights…")
    qtbot.waitUntil(lambda: bool(shown))
    with demo_db.session() as s:
        assert mode_of(s.get(Cohort, cohort_id).settings) == "ignore"
        assert load_history(s, cohort_id).mode == "ignore"
        logged = s.scalars(select(AuditEvent).where(AuditEvent.action == "former pairs setting changed")).all()
    assert [e.description for e in logged] == ["Former pairs in 'Future Leaders 2022': avoid → ignore"]
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with demo_db.session() as s:
        assert mode_of(s.get(Cohort, cohort_id).settings) == "avoid"
