"""Item models of the board: plain lists of participant ids over one shared :class:`BoardState`.

The models hold no widgets and no database session; the page fills them after
every reload, and the card delegates read the rest (matches, suggestions, the
drop target under the mouse) from the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from mentorapp.matching.board import BoardData, BoardMatch
from mentorapp.matching.history import FormerPair
from mentorapp.people.participants import ParticipantData

ID_ROLE = Qt.ItemDataRole.UserRole + 1

Index = QModelIndex | QPersistentModelIndex


@dataclass
class Suggested:
    """A pair the matcher proposed that the coordinator has not accepted yet."""

    mentee_id: int
    mentor_id: int
    score: float
    reasons: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DropHint:
    """What a drop on one mentor would do: shown on that card while dragging."""

    mentor_id: int
    allowed: bool
    score: float | None
    message: str
    overridable: bool = False
    short: str = ""


@dataclass
class Slot:
    """One line inside a mentor's card: a match, a suggestion or a free place."""

    kind: str  # "match", "suggested" or "free"
    mentee_id: int | None = None
    match: BoardMatch | None = None
    suggestion: Suggested | None = None


class BoardState:
    """What both lists and the details panel draw from."""

    def __init__(self) -> None:
        self.data: BoardData | None = None
        self.suggestions: dict[int, Suggested] = {}  # by mentee id
        self.hint: DropHint | None = None
        self.selected_match_id: int | None = None
        self.selected_suggestion: int | None = None  # mentee id of a selected suggestion
        self.at_risk: dict[int, list[Any]] = {}  # match id -> its flags (mentorapp.running.flags.Flag)

    def person(self, pid: int) -> ParticipantData:
        assert self.data is not None
        return self.data.people[pid]

    def former(self, mentee_id: int | None, mentor_id: int | None) -> FormerPair | None:
        """How the two were paired in an earlier cohort, if they were ("Worked together in 2021")."""
        history = self.data.history if self.data is not None else None
        if history is None or mentee_id is None or mentor_id is None:
            return None
        return history.get(mentee_id, mentor_id)

    def suggestions_for(self, mentor_id: int) -> list[Suggested]:
        return [s for s in self.suggestions.values() if s.mentor_id == mentor_id]

    def slots(self, mentor_id: int) -> list[Slot]:
        """The mentor's matches, then suggestions, then empty places up to capacity."""
        assert self.data is not None
        shown = self.data.by_mentor.get(mentor_id, [])
        slots = [Slot("match", m.mentee_id, match=m) for m in shown]
        slots += [Slot("suggested", s.mentee_id, suggestion=s) for s in self.suggestions_for(mentor_id)]
        used = sum(1 for s in slots if s.kind == "suggested" or (s.match and s.match.is_current))
        free = max(0, self.data.people[mentor_id].capacity - used)
        slots += [Slot("free") for _ in range(free)]
        return slots


class _IdListModel(QAbstractListModel):
    """A list of participant ids; display text is the name."""

    def __init__(self, state: BoardState, parent: Any = None) -> None:
        super().__init__(parent)
        self.state = state
        self.ids: list[int] = []

    def set_ids(self, ids: list[int]) -> None:
        self.beginResetModel()
        self.ids = list(ids)
        self.endResetModel()

    def refresh_all(self) -> None:
        """Repaint every row (matches or hover changed, rows did not)."""
        if self.ids:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.ids) - 1, 0))

    def row_of(self, pid: int) -> int:
        try:
            return self.ids.index(pid)
        except ValueError:
            return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self.ids) or self.state.data is None:
            return None
        pid = self.ids[index.row()]
        if role == ID_ROLE:
            return pid
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.state.person(pid).titled_name
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(pid)
        return None

    def tooltip(self, pid: int) -> str:
        return self.state.person(pid).titled_name

    def flags(self, index: Index) -> Qt.ItemFlag:  # Qt override
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    def supportedDropActions(self) -> Qt.DropAction:  # Qt override
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # Qt override
        return Qt.DropAction.MoveAction


class MenteeListModel(_IdListModel):
    """The unmatched mentees."""

    def tooltip(self, pid: int) -> str:
        p = self.state.person(pid)
        lines = [p.titled_name, " · ".join(x for x in (p.career_stage, p.organisation, p.region) if x)]
        if not p.consent:
            lines.append("Consent to data processing has not been recorded.")
        lines.append("Drag onto a mentor, or press Enter to choose one.")
        return "\n".join(line for line in lines if line)


class MentorListModel(_IdListModel):
    """The mentors with their matches and free places."""

    def tooltip(self, pid: int) -> str:
        p = self.state.person(pid)
        assert self.state.data is not None
        free = self.state.data.free_places(pid)
        return "\n".join(
            line
            for line in (
                p.titled_name,
                " · ".join(x for x in (p.career_stage, p.organisation, p.region) if x),
                f"{free} of {p.capacity} place{'s' if p.capacity != 1 else ''} free",
                "Drop a mentee here to propose a match.",
            )
            if line
        )
