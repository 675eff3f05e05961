"""Editing a participant from the list: opened once, and only what was changed is saved."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from mentorapp_ui.people.participant_dialog import ParticipantDialog


def participants_page(window):
    window.show_page("participants")
    return window.current_page()


def row_centre(page, row: int):
    index = page.proxy.index(row, 0)
    page.table.scrollTo(index)
    return page.table.visualRect(index).center()


def double_click(qtbot, widget, pos) -> None:
    """What a mouse sends: press, release, then the second press as a double-click, release."""
    left = Qt.MouseButton.LeftButton
    qtbot.mousePress(widget, left, pos=pos)
    qtbot.mouseRelease(widget, left, pos=pos)
    qtbot.mouseDClick(widget, left, pos=pos)
    qtbot.mouseRelease(widget, left, pos=pos)


def test_double_click_opens_the_edit_dialog_once(qtbot, make_window, demo_db):
    page = participants_page(make_window(demo_db))
    opened: list[str] = []

    def cancel_any_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ParticipantDialog) and dialog.isVisible() and not dialog.property("seen"):
            dialog.setProperty("seen", True)
            opened.append(dialog.windowTitle())
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    closer = QTimer()
    closer.setInterval(20)
    closer.timeout.connect(cancel_any_dialog)
    closer.start()
    try:  # each dialog runs modally inside the event that opened it: all are counted when the click returns
        double_click(qtbot, page.table.viewport(), row_centre(page, 2))
    finally:
        closer.stop()
    assert len(opened) == 1
    # Enter on a row opens it too (once).
    opened.clear()
    closer.start()
    try:
        page.table.setFocus()
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    finally:
        closer.stop()
    assert len(opened) == 1
