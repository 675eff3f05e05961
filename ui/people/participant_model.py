"""Item model and filter proxy for the participants table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QBrush, QColor

from mentorapp.dates import short_date
from mentorapp.people.participants import ParticipantData
from mentorapp.people.vocabulary import ROLE_LABELS, career_stage_rank

Index = QModelIndex | QPersistentModelIndex

# Column numbers, so views and tests never count by hand.
NAME, ROLE, EMAIL, ORGANISATION, STAGE, REGION, FOCUS, CAPACITY, CONSENT = range(9)
HEADERS = ("Name", "Role", "Email", "Organisation", "Career stage", "Region", "Focus areas", "Capacity", "Consent")

# Custom role: the participant itself.
ParticipantRole = Qt.ItemDataRole.UserRole + 1

NO_CONSENT_COLOUR = QColor("#b3261e")


def focus_areas(p: ParticipantData) -> list[str]:
    return p.goal_focus_areas() if p.is_mentee else [e.focus_area for e in p.expertise]


class ParticipantTableModel(QAbstractTableModel):
    """Plain rows (ParticipantData); reloaded after every saved change."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[ParticipantData] = []
        self._stages: list[str] = []

    def set_participants(self, rows: list[ParticipantData], stages: list[str] | None = None) -> None:
        """The rows, and the cohort's career stages (most junior first) that sort the stage column."""
        self.beginResetModel()
        self._rows = list(rows)
        if stages is not None:
            self._stages = list(stages)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # Qt override
        """Sort the rows in Python (one key per row): fast at 10,000 rows."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [self._rows[i.row()] for i in persistent]
        self._rows.sort(
            key=lambda p: self._sort_key(p, column, self._stages), reverse=order == Qt.SortOrder.DescendingOrder
        )
        row_of = {id(p): n for n, p in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent, [self.index(row_of[id(p)], i.column()) for p, i in zip(held, persistent)]
        )
        self.layoutChanged.emit()

    def participant(self, row: int) -> ParticipantData:
        return self._rows[row]

    def row_of(self, participant_id: int) -> int:
        for n, p in enumerate(self._rows):
            if p.id == participant_id:
                return n
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # Qt override
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        p = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(p, column)
        if role == ParticipantRole:
            return p
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == CONSENT and not p.consent:
                return "No consent to data processing recorded: ask before matching or writing to them."
            if column == FOCUS:
                return ", ".join(focus_areas(p))
            if column == NAME:
                return p.titled_name + (f"\n{p.job_title}" if p.job_title else "")
        if role == Qt.ItemDataRole.ForegroundRole and column == CONSENT and not p.consent:
            return QBrush(NO_CONSENT_COLOUR)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == CAPACITY:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    @staticmethod
    def _display(p: ParticipantData, column: int) -> str:
        if column == NAME:
            return p.titled_name
        if column == ROLE:
            return ROLE_LABELS.get(p.role, p.role)
        if column == EMAIL:
            return p.email
        if column == ORGANISATION:
            return p.organisation
        if column == STAGE:
            return p.career_stage
        if column == REGION:
            return p.region
        if column == FOCUS:
            return ", ".join(focus_areas(p))
        if column == CAPACITY:
            return str(p.capacity) if p.is_mentor else ""
        if column == CONSENT:
            return (short_date(p.consent_date) if p.consent_date else "Yes") if p.consent else "⚠ No consent"
        return ""

    @staticmethod
    def _sort_key(p: ParticipantData, column: int, stages: list[str]) -> Any:
        if column == NAME:
            return f"{p.last_name.casefold()}\t{p.first_name.casefold()}"
        if column == STAGE:
            rank = career_stage_rank(p.career_stage, stages)
            return -1 if rank is None else rank
        if column == CAPACITY:
            return p.capacity if p.is_mentor else -1
        if column == CONSENT:
            return p.consent_date.isoformat() if p.consent and p.consent_date else ("1" if p.consent else "0")
        return ParticipantTableModel._display(p, column).casefold()


class ParticipantFilterProxy(QSortFilterProxyModel):
    """Live search across name, email and organisation; role and career stage filters."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._text = ""
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._role: str | None = None
        self._stage: str | None = None
        self.setDynamicSortFilter(False)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:  # Qt override
        """Let the source model sort (a Python key sort, not 100,000 compare calls); only filter here."""
        self._sort_column, self._sort_order = column, order
        source = self.sourceModel()
        if source is not None and column >= 0:
            source.sort(column, order)

    def resort(self) -> None:
        """Apply the current sort again after the rows were reloaded."""
        self.sort(self._sort_column, self._sort_order)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._text = " ".join(text.split()).casefold()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_role(self, role: str | None) -> None:
        self.beginFilterChange()
        self._role = role
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_stage(self, stage: str | None) -> None:
        self.beginFilterChange()
        self._stage = stage
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # Qt override
        model = self.sourceModel()
        if not isinstance(model, ParticipantTableModel):
            return True
        p = model.participant(source_row)
        if self._role == "mentor" and not p.is_mentor:
            return False
        if self._role == "mentee" and not p.is_mentee:
            return False
        if self._stage is not None and p.career_stage != self._stage:
            return False
        if self._text:
            haystack = f"{p.first_name} {p.last_name} {p.email} {p.organisation}".casefold()
            return all(word in haystack for word in self._text.split())
        return True
