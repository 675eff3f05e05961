"""Who has answered the evaluation at each stage: a table model and its filter proxy.

The model holds plain rows (no ORM objects, which expire at commit) and is
reloaded whenever data changes; the proxy filters by stage, answered or not,
role and a search text, so the page can show counts and percentages of what
is on screen.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from mentorapp.dates import short_date
from mentorapp.people.vocabulary import ROLE_LABELS

NAME, ROLE, BASELINE, SIX_MONTH = range(4)
HEADERS = ("Name", "Role", "Baseline", "Six months")
STAGE_COLUMNS = {"baseline": BASELINE, "six_month": SIX_MONTH}
ANY, RESPONDED, NOT_RESPONDED = "any", "responded", "not responded"

# Custom roles: what the proxy and the page read without parsing display text.
ParticipantIdRole = Qt.ItemDataRole.UserRole + 1
RoleRole = Qt.ItemDataRole.UserRole + 2
SortRole = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex


@dataclass
class EvaluationRow:
    participant_id: int
    name: str
    role: str
    baseline: dt.date | None = None
    six_month: dt.date | None = None

    def answered(self, stage: str) -> dt.date | None:
        return self.baseline if stage == "baseline" else self.six_month


class EvaluationTableModel(QAbstractTableModel):
    """One row per participant who was asked, with the date they answered each stage."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[EvaluationRow] = []
        self._answered: set[tuple[int, str]] = set()

    def set_rows(self, rows: list[EvaluationRow], answered: set[tuple[int, str]]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self._answered = set(answered)
        self.endResetModel()

    def row_at(self, row: int) -> EvaluationRow:
        return self._rows[row]

    def rows(self) -> list[EvaluationRow]:
        return list(self._rows)

    def has_answered(self, row: int, stage: str) -> bool:
        return (self._rows[row].participant_id, stage) in self._answered

    def row_of(self, participant_id: int) -> int | None:
        for n, r in enumerate(self._rows):
            if r.participant_id == participant_id:
                return n
        return None

    # Qt overrides ---------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 4:
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r, col = self._rows[index.row()], index.column()
        stage = "baseline" if col == BASELINE else "six_month" if col == SIX_MONTH else None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == NAME:
                return r.name
            if col == ROLE:
                return ROLE_LABELS.get(r.role, r.role)
            if stage is not None:
                if not self.has_answered(index.row(), stage):
                    return "not yet"
                day = r.answered(stage)
                return short_date(day) if day else "answered"
        if role == Qt.ItemDataRole.ForegroundRole and stage is not None and not self.has_answered(index.row(), stage):
            return QBrush(QColor("#8a8f98"))
        if role == Qt.ItemDataRole.ToolTipRole and stage is not None:
            label = "baseline" if stage == "baseline" else "six-month"
            return f"Answered the {label} evaluation" if self.has_answered(index.row(), stage) else "No answer yet"
        if role == ParticipantIdRole:
            return r.participant_id
        if role == RoleRole:
            return r.role
        if role == SortRole:
            if stage is not None:
                day = r.answered(stage)
                return day.isoformat() if day else ("0" if self.has_answered(index.row(), stage) else "")
            if col == NAME:
                return index.row()  # rows arrive sorted by last name, then first name
            return self.data(index, Qt.ItemDataRole.DisplayRole).casefold()
        return None


class EvaluationFilterProxy(QSortFilterProxyModel):
    """Filters by stage and whether answered, by role, and by a search in the name."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stage = "six_month"
        self.answered = ANY
        self.role = ""
        self.text = ""
        self.setSortRole(SortRole)

    def set_filter(
        self, *, stage: str | None = None, answered: str | None = None, role: str | None = None, text: str | None = None
    ) -> None:
        self.beginFilterChange()
        if stage is not None:
            self.stage = stage
        if answered is not None:
            self.answered = answered
        if role is not None:
            self.role = role
        if text is not None:
            self.text = text.strip().casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # Qt override
        model = self.sourceModel()
        if not isinstance(model, EvaluationTableModel):
            return True
        row = model.row_at(source_row)
        if self.role and not (row.role == self.role or row.role == "both"):
            return False
        if self.answered != ANY and model.has_answered(source_row, self.stage) != (self.answered == RESPONDED):
            return False
        return not self.text or self.text in row.name.casefold()

    def counts(self) -> tuple[int, int]:
        """(shown participants who answered the current stage, shown participants)."""
        model = self.sourceModel()
        shown = answered = 0
        for proxy_row in range(self.rowCount()):
            source = self.mapToSource(self.index(proxy_row, 0)).row()
            shown += 1
            if isinstance(model, EvaluationTableModel) and model.has_answered(source, self.stage):
                answered += 1
        return answered, shown
