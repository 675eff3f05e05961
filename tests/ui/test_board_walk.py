"""The board as a coordinator walks it with a mouse and keyboard (issue 21: defects 2, 3, 4, 13)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDragLeaveEvent
from PySide6.QtWidgets import QApplication

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
