"""Confirm all proposed: nothing to confirm adds no undo step and says so."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mentorapp.matching import actions as mx
from tests.ui.test_board import allowed_pair, board, current_match, db_state, statuses  # noqa: F401


def test_confirm_all_with_nothing_left_to_confirm_adds_no_undo_step(board, qtbot):  # noqa: F811
    window, page = board
    messages = statuses(page)
    mentee, mentor = allowed_pair(page)
    page.match_pair(mentee, mentor)
    match = current_match(page, mentee)
    assert page.confirm_all_button.isEnabled()
    with page.ctx.db.transaction() as s:  # another window confirms it meanwhile
        mx.set_status(s, match.id, "confirmed")
    steps = window.ctx.undo_stack.count()
    before = db_state(page)
    qtbot.mouseClick(page.confirm_all_button, Qt.MouseButton.LeftButton)
    assert window.ctx.undo_stack.count() == steps
    assert window.ctx.undo_stack.undoText() != "Confirm 0 proposed matches"
    assert db_state(page) == before
    assert "no proposed matches" in messages[-1].lower()
    # The board reloaded: nothing is proposed any more, so the button is off.
    assert current_match(page, mentee).status == "confirmed"
    assert not page.confirm_all_button.isEnabled()
