"""What the board says and shows around a drop: unmatching over the unmatched list, a refused
drop's target in the details, and a match made with the keyboard brought into view."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from mentorapp_ui.board.chooser import MentorChooser
from tests.ui.test_board import (  # noqa: F401  (the board fixture)
    allowed_pair,
    board,
    card_pos,
    current_match,
    drag_over,
    drop,
    payload_for,
    statuses,
)


def titled(page, pid) -> str:
    p = page.state.person(pid)
    return f"{p.title} {p.full_name}".strip()


def test_dragging_a_match_over_the_unmatched_list_says_it_will_unmatch(board):  # noqa: F811
    _window, page = board
    mentee, mentor = allowed_pair(page)
    assert page.match_pair(mentee, mentor)
    match = current_match(page, mentee)
    _e, other = allowed_pair(page, skip_mentors={mentor})
    messages = statuses(page)

    # Over another mentor's card: the status bar offers the move.
    drag_over(page.mentor_view, payload_for(page, mentee, match), card_pos(page.mentor_view, other))
    assert messages[-1].startswith("Drop to match with")
    # On to the unmatched list: it says what a drop there does, not the mentor left behind.
    move, _hint = drag_over(page.mentee_view, payload_for(page, mentee, match), page.mentee_view.rect().center())
    assert move.isAccepted()
    assert messages[-1] == f"Drop to unmatch {titled(page, mentee)} from {titled(page, mentor)}."
    # Back over the mentor: the offer to match is said again.
    drag_over(page.mentor_view, payload_for(page, mentee, match), card_pos(page.mentor_view, other))
    assert messages[-1].startswith(f"Drop to match with {titled(page, other)}")


def test_after_a_refused_drop_the_details_show_the_mentor_dropped_on(board, qtbot):  # noqa: F811
    _window, page = board
    data = page.state.data
    mentee = data.unmatched_mentee_ids()[0]
    full = next(r for r in data.mentor_ids if page.refusal(mentee, r) is None and data.free_places(r))
    others = [e for e in data.unmatched_mentee_ids() if e != mentee]
    for e in others[: data.free_places(full)]:
        assert page.match_pair(e, full)
    assert page.state.data.free_places(full) == 0
    # Another mentor is selected, and the mentee.
    before = next(r for r in data.mentor_ids if r != full)
    qtbot.mouseClick(page.mentor_view.viewport(), Qt.MouseButton.LeftButton, pos=card_pos(page.mentor_view, before))
    qtbot.mouseClick(page.mentee_view.viewport(), Qt.MouseButton.LeftButton, pos=card_pos(page.mentee_view, mentee))
    assert titled(page, before) in page.details.mentor.text()

    drop(page.mentor_view, payload_for(page, mentee), card_pos(page.mentor_view, full))
    assert current_match(page, mentee) is None  # refused: full
    mentor_text, score_text = page.details.mentor.text(), page.details.score.text()
    assert titled(page, full) in mentor_text and titled(page, before) not in mentor_text
    assert "Not allowed" in score_text and "already has" in score_text
    assert page.selected_mentor_id() == full and page.selected_mentee_id() == mentee


def test_a_match_made_with_the_keyboard_is_scrolled_into_view(board, qtbot):  # noqa: F811
    _window, page = board
    mview = page.mentor_view
    mview.verticalScrollBar().setValue(0)
    data = page.state.data
    mentee = page.mentee_view.list_model.ids[0]
    viewport = mview.viewport().rect()

    def on_screen(mentor_id) -> bool:
        rect = mview.visualRect(mview.list_model.index(mview.list_model.row_of(mentor_id), 0))
        return viewport.intersects(rect)

    far = next(
        r
        for r in reversed(mview.list_model.ids)
        if data.free_places(r) and page.refusal(mentee, r) is None and not on_screen(r)
    )
    page.mentee_view.setFocus()
    page.mentee_view.setCurrentIndex(page.mentee_view.list_model.index(0, 0))

    def choose():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, MentorChooser)
        qtbot.keyClicks(dialog.search, page.state.person(far).full_name)
        assert dialog.chosen().mentor_id == far
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)

    QTimer.singleShot(0, choose)
    qtbot.keyClick(page.mentee_view, Qt.Key.Key_Return)
    assert current_match(page, mentee).mentor_id == far
    assert on_screen(far)
    rect = mview.slot_rect(far, lambda s: s.kind == "match" and s.mentee_id == mentee)
    assert viewport.contains(rect)
