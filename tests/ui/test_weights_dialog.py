"""Cohort > Matching weights…: a weight typed and saved reaches the cohort, the log and the scores; undoable."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from mentorapp.matching.actions import create_match
from mentorapp.matching.weights import cohort_weights
from mentorapp.people.participants import list_participants
from mentorapp.store.models import AuditEvent, Match
from mentorapp_ui.people.weights_dialog import WeightsDialog
from tests.ui.test_file_dialogs import click_menu_item


def scores(db, cohort_id: int) -> dict[int, float]:
    with db.session() as s:
        stmt = select(Match).where(Match.cohort_id == cohort_id, Match.status.in_(("proposed", "confirmed")))
        return {m.id: m.score for m in s.scalars(stmt)}


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_weight_typed_and_saved_rescores_the_matches_and_undo_puts_it_back(
    qtbot, make_window, demo_db, demo_cohort_id
):
    with demo_db.transaction() as s:
        if not scores(demo_db, demo_cohort_id):
            people = list_participants(s, demo_cohort_id)
            mentee = next(p for p in people if p.role == "mentee")
            mentor = next(p for p in people if p.role == "mentor")
            create_match(s, mentee.id, mentor.id)
    before = scores(demo_db, demo_cohort_id)
    assert before
    window = make_window(demo_db)
    window.ctx.set_cohort(demo_cohort_id)
    shown: list[WeightsDialog] = []

    def type_weight() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, WeightsDialog):
            QTimer.singleShot(20, type_weight)
            return
        shown.append(dialog)
        try:
            spin = dialog.spins["text"]
            assert spin.value() == pytest.approx(0.40)
            assert dialog.spins["stage_junior"].value() == pytest.approx(0.30)  # a penalty, shown as an amount
            qtbot.mouseClick(spin.lineEdit(), Qt.MouseButton.LeftButton)
            qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
            qtbot.keyClicks(spin, "0.95")
            qtbot.keyClick(spin, Qt.Key.Key_Return)  # OK is the default button
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(20, type_weight)
    click_menu_item(qtbot, window, "Cohort", "Matching &weights…")
    qtbot.waitUntil(lambda: bool(shown))
    with demo_db.session() as s:
        assert cohort_weights(s, demo_cohort_id)["text"] == pytest.approx(0.95)
        logged = s.scalars(select(AuditEvent).where(AuditEvent.action == "matching weights changed")).all()
    assert len(logged) == 1 and "Shared words 0.4 → 0.95" in logged[0].description
    after = scores(demo_db, demo_cohort_id)
    assert after.keys() == before.keys() and after != before

    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with demo_db.session() as s:
        assert cohort_weights(s, demo_cohort_id)["text"] == pytest.approx(0.40)
    assert scores(demo_db, demo_cohort_id) == pytest.approx(before)
