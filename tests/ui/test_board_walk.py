"""The board as a coordinator walks it with a mouse and keyboard (issue 21: defects 2, 3, 4, 13)."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PySide6.QtGui import QDragLeaveEvent, QWheelEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QMenu, QScrollBar, QWidget

from mentorapp_ui.board import suggest as suggest_module
from mentorapp_ui.board.dragscroll import edge_margin
from mentorapp_ui.board.models import ID_ROLE
from mentorapp_ui.board.page import BoardPage
from tests.ui.test_board import allowed_pair, card_pos, click_suggestion, drag_over, payload_for


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


def suggest_now(page, qtbot) -> None:
    qtbot.mouseClick(page.suggest_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not page.is_suggesting() and bool(page.state.suggestions), timeout=20000)


def test_ctrl_return_accepts_a_suggestion_and_never_opens_the_chooser(board, qtbot, monkeypatch):
    _window, page = board
    chooser = []
    monkeypatch.setattr(page, "choose_mentor_for", lambda *a, **k: chooser.append(a))
    view = page.mentee_view
    early = view.list_model.ids[0]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=card_pos(view, early))
    suggest_now(page, qtbot)
    # The mentee selected before the matcher ran: Ctrl+Return accepts their suggestion.
    mentor_of_early = page.state.suggestions[early].mentor_id
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.state.data.by_mentee[early].mentor_id == mentor_of_early
    first, second = list(page.state.suggestions.values())[:2]

    # On a suggestion in the mentor's card.
    click_suggestion(page, qtbot, first)
    qtbot.keyClick(page.mentor_view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.state.data.by_mentee[first.mentee_id].mentor_id == first.mentor_id

    # On the mentee in the unmatched list, whose suggestion shows in the compare pane.
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=card_pos(view, second.mentee_id))
    assert page.state.data.people[second.mentor_id].full_name in page.details.mentor.text()
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert page.state.data.by_mentee[second.mentee_id].mentor_id == second.mentor_id
    assert chooser == []

    # Ctrl+Return on a mentee without a suggestion does nothing; Enter alone still opens the chooser.
    plain = view.list_model.ids[0]
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=card_pos(view, plain))
    if plain in page.state.suggestions:
        qtbot.keyClick(view, Qt.Key.Key_Backspace, Qt.KeyboardModifier.ControlModifier)  # reject it
    assert plain not in page.state.suggestions
    qtbot.keyClick(view, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert chooser == [] and plain not in page.state.data.by_mentee
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert chooser == [(plain,)]


def tab_to(qtbot, window, target, limit: int = 40) -> None:
    """Press Tab until ``target`` has the focus, as someone without a mouse does."""
    for _ in range(limit):
        if QApplication.focusWidget() is target:
            return
        qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target.objectName()}")


def edge_colour(widget):
    image = widget.grab().toImage()
    return image.pixelColor(1, image.height() // 2).name()


def test_focus_is_visible_on_suggest_matches_and_on_the_mentor_list(board, qtbot):
    window, page = board
    button, mentors = page.suggest_button, page.mentor_view
    unfocused = (edge_colour(button), edge_colour(mentors))
    qtbot.mouseClick(page.mentee_view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    tab_to(qtbot, window, button)
    assert edge_colour(button) != unfocused[0]  # a ring around the button
    tab_to(qtbot, window, mentors)
    assert edge_colour(mentors) != unfocused[1]  # the list's frame changes
    assert edge_colour(button) == unfocused[0]  # and the button's ring went with the focus


def test_every_control_of_the_board_and_the_window_has_an_accessible_name(board, qtbot):
    window, page = board
    suggest_now(page, qtbot)  # the banner's buttons too
    click_suggestion(page, qtbot, next(iter(page.state.suggestions.values())))  # and the details' buttons
    others = [p for p in window.pages if p is not page]
    unnamed = []
    for widget in window.findChildren(QWidget):
        if any(other.isAncestorOf(widget) for other in others) or isinstance(widget, (QMenu, QScrollBar)):
            continue
        if widget.parent() is not None and widget.parent().inherits("QAbstractScrollArea"):
            continue  # a scroll area's own viewport and corners
        control = isinstance(widget, QAbstractButton) or widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        if control and widget.isVisibleTo(window) and not widget.accessibleName():
            unnamed.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert unnamed == []
