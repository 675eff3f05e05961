"""Help ▸ Keyboard shortcuts: every declared action and how to reach it by keyboard, read from the registry.

Nothing here is written by hand: each row is an :class:`~mentorapp_ui.app.actions.ActionSpec`
of the :class:`~mentorapp_ui.app.actions.ActionRegistry`, with its keys (as a Linux
desktop binds them), where they work (everywhere, or while one page has the focus)
and the menu that also holds it (reachable with Alt and the underlined letters).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mentorapp_ui.app.actions import WINDOW, ActionRegistry, linux_keys, plain  # plain: imported from here too

__all__ = ["HEADERS", "ShortcutsDialog", "plain", "shortcut_rows"]

HEADERS = ("Action", "Keys", "Works", "Menu")


def shortcut_rows(registry: ActionRegistry, page_titles: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """(action, keys, where the keys work, menu) for every declared action with keys or a menu place."""
    rows = []
    for spec in registry.specs():
        menus = [place.split("/")[0] for place in spec.places if not place.startswith("Toolbar/")]
        if not spec.keys and not menus:
            continue  # neither a key nor a menu: only a button reaches it
        scope = registry.scope(spec.id)
        where = "Everywhere" if scope == WINDOW else f"On {page_titles.get(scope, scope)}"
        # A key-only action may have no text: its tip, or the last word of its id ("participants.find": "Find").
        name = plain(spec.text) or spec.tool_tip or spec.status_tip or spec.id.rsplit(".")[-1].capitalize()
        rows.append((name, ", ".join(linux_keys(spec.keys)), where, ", ".join(menus)))
    return rows


class ShortcutsDialog(QDialog):
    """A table of :func:`shortcut_rows`."""

    def __init__(self, registry: ActionRegistry, page_titles: dict[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keyboardShortcuts")
        self.setWindowTitle("Keyboard shortcuts")
        self.setAccessibleName("Keyboard shortcuts")
        rows = shortcut_rows(registry, page_titles)
        intro = QLabel(
            "Keys marked 'On <page>' work while that page has the focus. Every menu opens with Alt and its "
            "underlined letter. In the board's lists: Enter chooses a mentor or accepts the selected suggestion, "
            "Left and Right step through a mentor's matches, Delete unmatches, Tab moves between controls."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(rows), len(HEADERS))
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab goes on to Close; arrows move between rows
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(HEADERS)):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(760, 560)

    def rows(self) -> list[tuple[str, ...]]:
        """The table as shown, row by row."""
        return [
            tuple(self.table.item(r, c).text() for c in range(self.table.columnCount()))
            for r in range(self.table.rowCount())
        ]
