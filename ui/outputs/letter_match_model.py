"""The table of matches on the Letters page: tick the ones to write letters for."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from mentorapp.dates import month_year
from mentorapp.outputs.letter_text import LetterMatch
from mentorapp.people.vocabulary import MATCH_STATUS_LABELS

Index = QModelIndex | QPersistentModelIndex

MENTEE, MENTOR, STATUS, SCORE, SENT = range(5)
HEADERS = ("Mentee", "Mentor", "Status", "Score", "Letter sent")
MatchIdRole = Qt.ItemDataRole.UserRole + 1


class LetterMatchModel(QAbstractTableModel):
    """Matches as rows; the first column carries a check box (ticked = gets letters)."""

    checked_changed = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[LetterMatch] = []
        self._checked: set[int] = set()

    # -- contents ----------------------------------------------------------
    def set_matches(self, matches: list[LetterMatch], keep_checks: bool = True) -> None:
        """Replace the rows; ticks survive for matches still listed (new rows start ticked)."""
        old_ids = {m.id for m in self._rows}
        self.beginResetModel()
        self._rows = list(matches)
        ids = {m.id for m in self._rows}
        if keep_checks:
            self._checked = (self._checked & ids) | (ids - old_ids)
        else:
            self._checked = set(ids)
        self.endResetModel()
        self.checked_changed.emit()

    def match_at(self, row: int) -> LetterMatch:
        return self._rows[row]

    def checked_ids(self) -> list[int]:
        return [m.id for m in self._rows if m.id in self._checked]

    def set_all_checked(self, checked: bool) -> None:
        self._checked = {m.id for m in self._rows} if checked else set()
        if self._rows:
            self.dataChanged.emit(
                self.index(0, MENTEE), self.index(len(self._rows) - 1, MENTEE), [Qt.ItemDataRole.CheckStateRole]
            )
        self.checked_changed.emit()

    # -- Qt overrides (camelCase by Qt's naming) ----------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.column() == MENTEE:
            base |= Qt.ItemFlag.ItemIsUserCheckable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        m = self._rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == MENTEE:
                return m.mentee.full_name
            if col == MENTOR:
                return m.mentor.full_name
            if col == STATUS:
                return MATCH_STATUS_LABELS.get(m.status, m.status)
            if col == SCORE:
                return "" if m.score is None else f"{m.score:.2f}"
            if col == SENT:
                return _date(m.letter_sent_on)
        elif role == Qt.ItemDataRole.CheckStateRole and col == MENTEE:
            return Qt.CheckState.Checked if m.id in self._checked else Qt.CheckState.Unchecked
        elif role == Qt.ItemDataRole.ToolTipRole:
            if col == MENTEE:
                return f"{m.mentee.full_name}, {m.mentee.job_title}, {m.mentee.organisation}".strip(", ")
            if col == MENTOR:
                return f"{m.mentor.full_name}, {m.mentor.job_title}, {m.mentor.organisation}".strip(", ")
            if col == SENT:
                return "Not sent yet" if m.letter_sent_on is None else f"Marked as sent on {_date(m.letter_sent_on)}"
        elif role == Qt.ItemDataRole.TextAlignmentRole and col == SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        elif role == MatchIdRole:
            return m.id
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or index.column() != MENTEE or role != Qt.ItemDataRole.CheckStateRole:
            return False
        match_id = self._rows[index.row()].id
        state = Qt.CheckState(value) if not isinstance(value, Qt.CheckState) else value
        if state == Qt.CheckState.Checked:
            self._checked.add(match_id)
        else:
            self._checked.discard(match_id)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checked_changed.emit()
        return True


def _date(day: dt.date | None) -> str:
    return "" if day is None else f"{day.day} {month_year(day, short=True)}"
