"""Item models and the delegate of the "Check the answers" step.

One :class:`ValuesModel` per categorical column of the file: its distinct
answers, how many rows gave each, the scheme value it becomes (the core's
proposal until the coordinator changes it) and how sure the proposal is. A
proposal below the core's "sure" threshold is a *question*: it is marked, and
stays unanswered until the coordinator chooses a value or ticks it. The models
only hold the choices; :meth:`ValuesModel.choices` goes into the core's
``ValueMapping`` and everything else is decided there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractListModel, QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QComboBox, QStyledItemDelegate, QStyleOptionViewItem, QWidget

from mentorapp.importing.reconcile import DEFAULT_THRESHOLD, NEW, ColumnValues, ValueProposal
from mentorapp.people.vocabulary import ROLE_LABELS
from mentorapp_ui.importing.models import BACKGROUND, DISPLAY, EDIT, FOREGROUND, TOOLTIP, Index, short

CHECK = Qt.ItemDataRole.CheckStateRole
CHOICE_ROLE = Qt.ItemDataRole.UserRole + 2  # the scheme value, or NEW_KEY
NEW_KEY = "\x00new"  # "add as new" in a combo's item data (the core's NEW is None, which Qt cannot hold)
NEW_LABEL = "Add as new"
MAX_CAPACITY_CHOICE = 10

SURE_BRUSH = QBrush(QColor("#1e6b35"))
LIKELY_BRUSH = QBrush(QColor("#1f4e99"))
QUESTION_BRUSH = QBrush(QColor("#8a4b00"))
QUESTION_BACKGROUND = QBrush(QColor("#fde7c4"))

METHODS = {
    "saved": "your choice at an earlier import into this cohort",
    "exact": "written exactly as in the scheme",
    "normalised": "the same once case, spaces and punctuation are ignored",
    "rule": "read by the field's own rules",
    "contains": "its words are the words of one scheme value",
    "meaning": "close in meaning",
    "fuzzy": "a similar spelling",
    "new": "nothing in the scheme is close",
    "as written": "kept as written",
    "unknown": "not understood",
    "confirmed": "confirmed",
}


def level(proposal: ValueProposal) -> str:
    """The confidence in words: sure (applied as it is), likely (at or above the suggested-values threshold),
    or question (the coordinator must answer it)."""
    if proposal.sure:
        return "sure"
    if proposal.method == "unknown" or proposal.confidence < DEFAULT_THRESHOLD:
        return "question"
    return "likely"


def row_count(proposal: ValueProposal) -> int:
    return len(proposal.rows)


@dataclass
class Line:
    """One answer of the file and what the coordinator made of it (NEW_KEY: add it as new)."""

    proposal: ValueProposal
    choice: str | None  # None: nothing proposed, a value must be chosen
    question: bool
    answered: bool

    @property
    def open(self) -> bool:
        return self.question and not self.answered


class ValuesModel(QAbstractTableModel):
    """The distinct answers of one column and the scheme value each becomes."""

    VALUE, ROWS, CHOICE, CONFIDENCE = range(4)
    HEADERS = ("Answer in the file", "Rows", "Becomes", "Confidence")
    TIPS = (
        "The answer as the form gave it",
        "How many rows gave this answer",
        "The scheme's value this answer is stored as; double-click or press F2 to change it",
        "How sure the proposal is. A question is not used until you choose a value or tick it",
    )
    answers_changed = Signal()

    def __init__(self, column: ColumnValues, parent=None) -> None:
        super().__init__(parent)
        self.column = column
        self.field = column.field
        self.label = column.label
        self.lines = []
        for p in column.proposals:
            question = level(p) == "question" or (p.proposed is NEW and not column.allows_new)
            choice = NEW_KEY if p.proposed is NEW and column.allows_new else p.proposed
            self.lines.append(Line(p, choice, question, not question))

    # -- what the page reads -------------------------------------------------------
    @property
    def open_questions(self) -> int:
        return sum(1 for line in self.lines if line.open)

    @property
    def likely(self) -> int:
        """Proposals used without a question that are not sure: shown in blue, worth a look."""
        return sum(1 for line in self.lines if not line.question and level(line.proposal) == "likely")

    def choices(self) -> dict[str, str | None]:
        """Every answer and the scheme value it becomes (the core's NEW: added as new)."""
        return {line.proposal.value: (NEW if line.choice == NEW_KEY else line.choice) for line in self.lines}

    def options(self) -> list[tuple[str, str]]:
        """(value, label) of what an answer can become, "add as new" last where the field allows it."""
        if self.field == "capacity":
            values = [str(n) for n in range(MAX_CAPACITY_CHOICE + 1)]
        else:
            values = list(self.column.vocabulary)
        # What the core proposed outside the list (a title kept as written, a capacity of 12) stays choosable.
        for line in self.lines:
            proposed = line.proposal.proposed
            if proposed is not None and proposed not in values:
                values.append(proposed)
        found = [(v, self.label_of(v)) for v in values]
        if self.column.allows_new:
            found.append((NEW_KEY, NEW_LABEL))
        return found

    def label_of(self, choice: str) -> str:
        if choice == NEW_KEY:
            return NEW_LABEL
        if self.field == "role":
            return ROLE_LABELS.get(choice, choice)
        return choice

    # -- Qt ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # Qt override
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == DISPLAY:
            return self.HEADERS[section]
        if role == TOOLTIP:
            return self.TIPS[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section == self.ROWS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return None
        line, col = self.lines[index.row()], index.column()
        p = line.proposal
        if role == BACKGROUND and line.open:
            return QUESTION_BACKGROUND
        if col == self.VALUE:
            if role == DISPLAY:
                return short(p.value, 80)
            if role == TOOLTIP:
                return short(p.value, 1000)
        elif col == self.ROWS:
            if role == DISPLAY:
                return f"{row_count(p):,}"
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if role == TOOLTIP and not isinstance(p.rows, int):
                numbers = ", ".join(str(r) for r in list(p.rows)[:30])
                return f"Rows {numbers}{' …' if len(p.rows) > 30 else ''}"
        elif col == self.CHOICE:
            if role in (DISPLAY, EDIT):
                if line.choice is None:
                    return "(choose a value)"
                return self.label_of(line.choice)
            if role == CHOICE_ROLE:
                return line.choice
            if role == FOREGROUND and line.choice is None:
                return QUESTION_BRUSH
            if role == TOOLTIP:
                if line.choice == NEW_KEY:
                    return f"“{short(p.value, 200)}” is added to the cohort's {self.label.lower()} as it is written"
                if line.choice is None:
                    return "Not understood: double-click or press F2 to choose what it means"
                return f"Stored as “{self.label_of(line.choice)}”; double-click or press F2 to change it"
        elif col == self.CONFIDENCE:
            return self._confidence(line, role)
        return None

    def _confidence(self, line: Line, role: int) -> Any:
        p = line.proposal
        if role == DISPLAY:
            if line.open:
                return "Question: tick or choose"
            if line.question:
                return "Confirmed"
            return level(p).capitalize()
        if role == FOREGROUND:
            if line.open:
                return QUESTION_BRUSH
            if line.question or level(p) == "sure":
                return SURE_BRUSH
            return LIKELY_BRUSH
        if role == CHECK and line.question:
            return Qt.CheckState.Checked if line.answered else Qt.CheckState.Unchecked
        if role == TOOLTIP:
            how = METHODS.get(p.method, p.method)
            text = f"{how[0].upper()}{how[1:]} ({round(p.confidence * 100)}%)."
            if line.open:
                text += " Tick to accept the proposal, or choose another value."
            return text
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:  # Qt override
        base = super().flags(index)
        if not index.isValid():
            return base
        if index.column() == self.CHOICE:
            return base | Qt.ItemFlag.ItemIsEditable
        if index.column() == self.CONFIDENCE and self.lines[index.row()].question:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        return base

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self.lines):
            return False
        line = self.lines[index.row()]
        if index.column() == self.CONFIDENCE and role == CHECK and line.question:
            if line.choice is None:
                return False  # nothing to accept: a value must be chosen
            line.answered = Qt.CheckState(value) == Qt.CheckState.Checked
        elif index.column() == self.CHOICE and role in (EDIT, CHOICE_ROLE):
            wanted = str(value)
            choice = next((v for v, label in self.options() if wanted in (v, label)), None)
            if choice is None:
                return False
            line.choice, line.answered = choice, True
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), self.CONFIDENCE))
        self.answers_changed.emit()
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down of the scheme's values and “Add as new” for the Becomes column."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:  # Qt
        model = index.model()
        assert isinstance(model, ValuesModel)
        combo = QComboBox(parent)
        combo.setObjectName("schemeValueCombo")
        for value, label in model.options():
            combo.addItem(label, value)
        if model.column.allows_new:
            combo.setItemData(
                combo.count() - 1, "Add this answer to the cohort's list as it is written", Qt.ItemDataRole.ToolTipRole
            )
        # Chosen from the list or by typing its first letters: the line is answered at once (Enter closes).
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # Qt override
        assert isinstance(editor, QComboBox)
        choice = index.data(CHOICE_ROLE)
        pos = editor.findData(choice) if choice is not None else -1
        if pos >= 0:
            editor.setCurrentIndex(pos)

    def setModelData(self, editor: QWidget, model, index: Index) -> None:  # Qt override
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), CHOICE_ROLE)


class ColumnsModel(QAbstractListModel):
    """The list of columns beside the table: each with its open questions."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.models: list[ValuesModel] = []

    def set_models(self, models: Sequence[ValuesModel]) -> None:
        self.beginResetModel()
        self.models = list(models)
        for m in self.models:
            m.answers_changed.connect(self._changed)
        self.endResetModel()

    def _changed(self) -> None:
        if self.models:
            self.dataChanged.emit(self.index(0), self.index(len(self.models) - 1))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.models)

    def data(self, index: Index, role: int = DISPLAY) -> Any:  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self.models):
            return None
        m = self.models[index.row()]
        n = m.open_questions
        if role == DISPLAY:
            if n:
                return f"{m.label} ({n} question{'s' if n != 1 else ''})"
            return f"{m.label} ({m.likely} likely)" if m.likely else f"{m.label} ✓"
        if role == FOREGROUND:
            return QUESTION_BRUSH if n else LIKELY_BRUSH if m.likely else None
        if role == TOOLTIP:
            answers = len(m.lines)
            text = f"{answers} different answer{'s' if answers != 1 else ''}"
            if m.likely:
                text += f", {m.likely} likely proposal{'s' if m.likely != 1 else ''} to look over"
            return text + (f", {n} still to answer" if n else ", all settled")
        return None
