"""Help ▸ Keyboard shortcuts shows the page names as written, and Tab leaves its table."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mentorapp_ui.app.pages import PAGES
from mentorapp_ui.app.shortcuts import ShortcutsDialog


def test_page_names_keep_their_ampersand_and_tab_moves_on(make_window, demo_db, qtbot):
    window = make_window(demo_db)
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog, "keyboardShortcuts")
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    for n, entry in enumerate(PAGES):
        assert (entry.title, f"Ctrl+{n + 1}", "Everywhere", "") in rows
    assert ("Letters & roster", "Ctrl+3", "Everywhere", "") in rows
    assert not any("  " in row[0] for row in rows)  # no word lost between two spaces
    dialog.grab().save("/tmp/exD/shortcuts.png")

    dialog.table.setFocus()
    qtbot.waitUntil(dialog.table.hasFocus)
    dialog.table.setCurrentCell(0, 0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Down)
    assert dialog.table.currentRow() == 1
    qtbot.keyClick(dialog.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not dialog.table
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
