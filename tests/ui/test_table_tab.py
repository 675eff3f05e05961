"""Tab leaves a table for the next control; the arrow keys move between its cells."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.test_participants_page import participants_page


def test_tab_leaves_the_participants_table_and_arrows_walk_its_cells(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    page = participants_page(window)
    table = page.table
    table.setFocus()
    table.setCurrentIndex(page.proxy.index(0, 0))
    qtbot.waitUntil(table.hasFocus)

    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1 and table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_Right)
    assert table.currentIndex().column() == 1 and table.hasFocus()

    qtbot.keyClick(table, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not None and focused is not table and not table.isAncestorOf(focused)
    # Shift+Tab comes back to it.
    qtbot.keyClick(focused, Qt.Key.Key_Backtab)
    assert QApplication.focusWidget() is table
