"""The pair's meetings dialog takes back only its own changes, never the window's last step elsewhere."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mentorapp.running.meetings import list_meetings
from mentorapp.store.models import Match
from mentorapp_ui.running.meeting_dialog import PairDialog
from tests.ui.test_running_dashboard import dashboard, modal, running_db  # noqa: F401  (fixtures)


def locked(window, match_id) -> bool:
    with window.ctx.db.session() as s:
        return s.get(Match, match_id).locked


def test_undo_in_the_meetings_dialog_leaves_the_boards_last_change_alone(dashboard, qtbot):  # noqa: F811
    window, page = dashboard
    row = next(n for n, (_p, f) in enumerate(page.risk_model.rows) if f.rule == "no_first_meeting")
    pair = page.risk_model.rows[row][0]

    # The last step on the window's undo stack: locking another pair on the board.
    assert window.show_page("board")
    board = window.current_page()
    board.refresh()
    other = next(m for m in board.state.data.matches.values() if m.is_current and m.id != pair.match_id)
    board.state.selected_match_id = other.id
    board.toggle_lock()
    assert locked(window, other.id)
    board_step = window.ctx.undo_stack.undoText()
    assert board_step

    assert window.show_page("dashboard")
    page.risk_view.selectRow(row)
    page.risk_view.setFocus()
    qtbot.keyClick(page.risk_view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = modal(PairDialog)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    # Nothing of this pair's to take back: no "Undo: Lock the match of …".
    assert not dialog.undo_button.isEnabled() and dialog.undo_button.text() == "&Undo"
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert locked(window, other.id) and window.ctx.undo_stack.undoText() == board_step

    # A meeting logged here is this dialog's to take back, once.
    qtbot.keyClicks(dialog.note, "Met at the conference")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    assert dialog.model.rowCount() == 1
    assert dialog.undo_button.isEnabled() and dialog.undo_button.text().startswith("&Undo: Log a meeting of")
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert dialog.model.rowCount() == 0 and not dialog.undo_button.isEnabled()
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert locked(window, other.id)
    # Redo here brings back the meeting, and only that.
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert dialog.model.rowCount() == 1
    with window.ctx.db.session() as s:
        assert len(list_meetings(s, page.ctx.cohort_id, pair.match_id)) == 1
    assert QApplication.activeModalWidget() is dialog
    dialog.reject()
