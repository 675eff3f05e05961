"""The keyboard path: choose a mentor for a mentee from a list sorted by compatibility."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mentorapp_ui.app.widgets import TableView

Index = QModelIndex | QPersistentModelIndex


@dataclass
class ChoiceRow:
    mentor_id: int
    name: str
    score: float | None
    free: int
    capacity: int
    organisation: str
    region: str
    allowed: bool
    message: str = ""
    overridable: bool = False


COLUMNS = ("Mentor", "Score", "Free places", "Organisation", "Region", "Note")
NAME, SCORE, FREE, ORG, REGION, NOTE = range(len(COLUMNS))


class ChoiceModel(QAbstractTableModel):
    """Mentors for one mentee: allowed ones first, best score first."""

    def __init__(self, rows: list[ChoiceRow], parent: Any = None) -> None:
        super().__init__(parent)
        self.all_rows = sorted(rows, key=lambda r: (not r.allowed, not r.overridable, -(r.score or 0.0), r.name))
        self.rows = list(self.all_rows)

    def set_filter(self, text: str) -> None:
        folded = text.casefold().strip()
        self.beginResetModel()
        self.rows = [
            r for r in self.all_rows if not folded or folded in f"{r.name} {r.organisation} {r.region}".casefold()
        ]
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == NAME:
                return r.name
            if col == SCORE:
                return "" if r.score is None else f"{r.score:.2f}"
            if col == FREE:
                return f"{r.free} of {r.capacity}"
            if col == ORG:
                return r.organisation
            if col == REGION:
                return r.region
            if col == NOTE:
                if r.allowed:
                    return ""
                return ("Needs your confirmation: " if r.overridable else "Not allowed: ") + r.message
        if role == Qt.ItemDataRole.ForegroundRole and not r.allowed:
            return QColor("#a15c00") if r.overridable else QColor("#9aa4b2")
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (SCORE, FREE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole and r.message:
            return r.message
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:  # Qt override
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class MentorChooser(QDialog):
    """Type to filter, arrows to move, Enter to match."""

    def __init__(self, mentee_name: str, rows: list[ChoiceRow], *, moving: bool = False, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("mentorChooser")
        self.setWindowTitle(f"{'Move' if moving else 'Match'} {mentee_name}")
        self.resize(820, 480)
        intro = QLabel(
            f"Choose a mentor for <b>{mentee_name}</b>. The best matches are at the top; "
            "mentors that break a rule are at the bottom."
        )
        intro.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setObjectName("chooserSearch")
        self.search.setPlaceholderText("Type to filter mentors by name, organisation or region")
        self.search.setClearButtonEnabled(True)
        self.model = ChoiceModel(rows, self)
        self.table = TableView()
        self.table.setObjectName("chooserTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for col, width in enumerate((200, 60, 90, 200, 120)):
            self.table.setColumnWidth(col, width)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Move here" if moving else "Match")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.table.doubleClicked.connect(lambda _i: self.accept())
        self.search.textChanged.connect(self._filter)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_ok())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.buttons)
        self._select_first()
        self.table.setFocus()

    def _filter(self, text: str) -> None:
        self.model.set_filter(text)
        self._select_first()

    def _select_first(self) -> None:
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update_ok()

    def chosen(self) -> ChoiceRow | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def _update_ok(self) -> None:
        row = self.chosen()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            row is not None and (row.allowed or row.overridable)
        )

    def accept(self) -> None:  # Qt override
        row = self.chosen()
        if row is not None and (row.allowed or row.overridable):
            super().accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        # Arrow keys in the search box move through the list, so hands stay on the keyboard.
        if self.search.hasFocus() and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.table.setFocus()
            self.table.keyPressEvent(event)
            return
        super().keyPressEvent(event)
