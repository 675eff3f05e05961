"""The people behind a dashboard figure: a table model and the dialog that shows it.

Every figure of the dashboard opens this list (the core's
:func:`mentorapp.running.dashboard.people_behind`): who, their e-mail, their partner,
the pair's status, when it started and when they were last chased. "Copy addresses"
puts every address on the clipboard for one blind-copy message.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mentorapp.dates import short_date
from mentorapp.people.vocabulary import MATCH_STATUS_LABELS
from mentorapp.running.dashboard import FigureRow
from mentorapp_ui.app.widgets import TableView

Index = QModelIndex | QPersistentModelIndex
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("Name", "E-mail", "Role", "Partner", "Pair", "Started", "Last chased")
STATUS_WORDS = {**MATCH_STATUS_LABELS, "unmatched": "Not matched"}


class FigureRowsModel(QAbstractTableModel):
    """The rows of one figure, read-only; dates sort as dates (ISO text)."""

    def __init__(self, rows: list[FigureRow] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[FigureRow] = list(rows or [])

    def set_rows(self, rows: list[FigureRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def text(self, row: int, column: int) -> str:
        r = self.rows[row]
        values = (
            r.person.name,
            r.person.email,
            "Mentor" if r.person.role == "mentor" else "Mentee" if r.person.role == "mentee" else r.person.role.title(),
            r.partner.name if r.partner else "",
            STATUS_WORDS.get(r.status, r.status),
            short_date(r.started_on) if r.started_on else "",
            short_date(r.last_chased) if r.last_chased else "",
        )
        return values[column]

    def sort_key(self, row: int, column: int) -> str:
        """Dates sort as dates (ISO text), the rest as they read."""
        r = self.rows[row]
        dates = {5: r.started_on, 6: r.last_chased}
        if column in dates:
            return dates[column].isoformat() if dates[column] else ""
        return self.text(row, column).casefold()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.UserRole:
            return self.rows[index.row()]
        if role == SORT_ROLE:
            return self.sort_key(index.row(), index.column())
        return None

    def addresses(self) -> str:
        """Every address once, '; ' between them."""
        seen: dict[str, None] = {}
        for r in self.rows:
            if r.person.email:
                seen.setdefault(r.person.email, None)
        return "; ".join(seen)


class PeopleDialog(QDialog):
    """The list of people behind one figure."""

    def __init__(self, title: str, explanation: str, rows: list[FigureRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("figurePeopleDialog")
        self.setWindowTitle(title)
        self.model = FigureRowsModel(rows, self)
        proxy = QSortFilterProxyModel(self)
        proxy.setSourceModel(self.model)
        proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        proxy.setSortRole(SORT_ROLE)
        self.view = TableView()
        self.view.setObjectName("figurePeople")
        self.view.setAccessibleName(title)
        self.view.setModel(proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.view.horizontalHeader()
        header.setResizeContentsPrecision(100)  # thousands of people: widths from the first rows, at once
        header.setStretchLastSection(True)
        self.view.resizeColumnsToContents()
        heading = QLabel(f"<b>{len(rows)}</b> {'person' if len(rows) == 1 else 'people'}: {explanation}")
        heading.setObjectName("figurePeopleHeading")
        heading.setWordWrap(True)
        self.copy_button = QPushButton("&Copy addresses")
        self.copy_button.setObjectName("copyAddresses")
        self.copy_button.setToolTip("Every e-mail address in the list, for one blind-copy message")
        self.copy_button.setEnabled(bool(rows))
        self.copy_button.clicked.connect(self.copy_addresses)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.resize(860, 460)

    def copy_addresses(self) -> None:
        QGuiApplication.clipboard().setText(self.model.addresses())
        self.copy_button.setText("Copied")
