"""The board as a coordinator walks it with a mouse and keyboard (issue 21: defects 2, 3, 4, 13)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QDragLeaveEvent, QWheelEvent
from PySide6.QtWidgets import QApplication

from mentorapp_ui.board import suggest as suggest_module
from mentorapp_ui.board.dragscroll import edge_margin
from mentorapp_ui.board.models import ID_ROLE
from mentorapp_ui.board.page import BoardPage
from tests.ui.test_board import allowed_pair, card_pos, drag_over, payload_for


@pytest.fixture
def board(make_window, demo_db, qtbot):
    window = make_window(demo_db)
    assert window.show_page("board")
    page = window.current_page()
    assert isinstance(page, BoardPage)
    page.refresh()
    qtbot.waitUntil(page.scores_ready)  # the scorer is built off the GUI thread
    return window, page


def test_while_dragging_the_compare_pane_shows_the_mentor_under_the_cursor(board, qtbot):
    _window, page = board
    data = page.state.data
    mentee, target = allowed_pair(page)
    selected = next(r for r in data.mentor_ids if r != target)
    # The coordinator first clicks another mentor's card: the pane compares with that one.
    mview = page.mentor_view
    qtbot.mouseClick(mview.viewport(), Qt.MouseButton.LeftButton, pos=card_pos(mview, selected))
    assert data.people[selected].full_name in page.details.mentor.text()

    # Then drags a mentee over the target mentor's card.
    drag_over(mview, payload_for(page, mentee), card_pos(mview, target))
    shown = page.details.mentor.text()
    assert data.people[target].full_name in shown
    assert data.people[selected].full_name not in shown
    assert data.people[mentee].full_name in page.details.mentee.text()
    assert "Compatibility" in page.details.score.text()

    # Leaving the list without dropping: the pane goes back to the selection.
    QApplication.sendEvent(mview.viewport(), QDragLeaveEvent())
    assert data.people[selected].full_name in page.details.mentor.text()
    assert data.people[target].full_name not in page.details.mentor.text()


def test_dragging_near_the_edge_scrolls_faster_the_closer_and_the_wheel_scrolls(board, qtbot):
    window, page = board
    window.resize(1200, 700)
    mview = page.mentor_view
    qtbot.waitUntil(lambda: mview.verticalScrollBar().maximum() > 400)
    mentee = page.state.data.unmatched_mentee_ids()[0]
    payload = payload_for(page, mentee)
    scroller, bar = mview.drag_scroller, mview.verticalScrollBar()
    bottom = mview.viewport().height() - 1
    margin = edge_margin(mview.viewport().height())

    def step_at(y: int) -> int:
        drag_over(mview, payload, QPoint(100, y))
        assert scroller.timer.isActive()  # keeps scrolling while the mouse rests there
        before = bar.value()
        scroller.timer.timeout.emit()
        return bar.value() - before

    far, near, edge = step_at(bottom - margin + 2), step_at(bottom - margin // 2), step_at(bottom)
    assert 0 < far < near < edge
    assert edge >= 10 * far
    # What the card under the resting mouse says follows the list as it scrolls.
    under = mview.indexAt(QPoint(100, bottom)).data(ID_ROLE)
    assert page.state.hint is not None and page.state.hint.mentor_id == under
    # Away from the edge it stops; near the top it scrolls back up.
    drag_over(mview, payload, QPoint(100, mview.viewport().height() // 2))
    assert not scroller.timer.isActive()
    assert step_at(0) < 0

    # The wheel scrolls the list under the mouse while dragging, although the drag
    # (Qt's QBasicDrag: an application event filter installed when the drag starts)
    # swallows every wheel event.
    QApplication.sendEvent(mview.viewport(), QDragLeaveEvent())
    swallow = SwallowWheel()
    QApplication.instance().installEventFilter(swallow)
    try:
        centre = QPoint(100, mview.viewport().height() // 2)
        drag_over(mview, payload, centre)
        before = bar.value()
        wheel(mview.viewport(), centre, -120)  # towards the user: down
        assert bar.value() > before
        assert page.state.hint.mentor_id == mview.indexAt(centre).data(ID_ROLE)
        QApplication.sendEvent(mview.viewport(), QDragLeaveEvent())
        after_drag = bar.value()
        wheel(mview.viewport(), centre, -120)
        assert bar.value() == after_drag  # once the drag has left, the list no longer takes the wheel over
    finally:
        QApplication.instance().removeEventFilter(swallow)


class SwallowWheel(QObject):
    """What QBasicDrag::eventFilter does with wheel events while a drag runs (qsimpledrag.cpp)."""

    def eventFilter(self, watched, event) -> bool:  # Qt override
        return event.type() == QEvent.Type.Wheel


def wheel(widget, pos: QPoint, delta: int) -> None:
    event = QWheelEvent(
        QPointF(pos),
        QPointF(widget.mapToGlobal(pos)),
        QPoint(),
        QPoint(0, delta),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_suggest_matches_shows_it_is_busy_and_cannot_be_started_twice(board, qtbot, monkeypatch):
    _window, page = board
    release = threading.Event()
    runs = []
    real_job = suggest_module.suggestions_job

    def held_job(db, cohort_id):
        job = real_job(db, cohort_id)

        def held(report, cancelled):
            runs.append(1)
            release.wait(30)  # the matcher is "still thinking" until the test has looked
            return job(report, cancelled)

        return held

    monkeypatch.setattr(suggest_module, "suggestions_job", held_job)
    messages = []
    page.ctx.status_message.connect(messages.append)
    qtbot.mouseClick(page.suggest_button, Qt.MouseButton.LeftButton)
    try:
        qtbot.waitUntil(lambda: bool(runs))
        bar = page.banner.progress
        assert page.banner.isVisible() and bar.isVisible()
        assert bar.minimum() == bar.maximum() == 0  # a busy bar until the matcher says how far it is
        assert not page.suggest_button.isEnabled() and not page.suggest_action.isEnabled()
        assert "Suggesting" in page.suggest_button.text()
        assert any("Suggesting matches" in m for m in messages)
        page.mentor_view.setFocus()
        qtbot.keyClick(page.mentor_view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
        qtbot.mouseClick(page.suggest_button, Qt.MouseButton.LeftButton)
    finally:
        release.set()
    qtbot.waitUntil(lambda: not page.is_suggesting(), timeout=20000)
    assert runs == [1]  # neither Ctrl+G nor a second click started another run
    assert page.suggest_button.text() == "Suggest matches"
    assert not page.banner.progress.isVisible() and page.state.suggestions
