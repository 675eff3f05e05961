"""Item models for the import wizard: the column mapping, the preview and the check results.

They present what :mod:`mentorapp.importing` decides; the only edit is the
mapping, a field key per column held in :attr:`MappingModel.fields`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from mentorapp.importing import IGNORE, LABELS, TARGETS, ImportPlan, PlannedRow, Problem
from mentorapp.importing.cells import Cell, cell_text

Index = QModelIndex | QPersistentModelIndex
DISPLAY = Qt.ItemDataRole.DisplayRole
EDIT = Qt.ItemDataRole.EditRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
BACKGROUND = Qt.ItemDataRole.BackgroundRole
FOREGROUND = Qt.ItemDataRole.ForegroundRole
FIELD_ROLE = Qt.ItemDataRole.UserRole + 1

PROBLEM_BRUSH = QBrush(QColor("#f9d6d3"))
SKIP_BRUSH = QBrush(QColor("#eeeeee"))
MUTED_BRUSH = QBrush(QColor("#6b6b6b"))
CHOICES: list[tuple[str, str]] = [(IGNORE, LABELS[IGNORE])] + [(t.key, t.label) for t in TARGETS]
HINTS: dict[str, str] = {t.key: t.hint for t in TARGETS if t.hint}


def short(text: str, limit: int = 60) -> str:
    text = " ".join(text[: limit * 4].split())  # a 10 MB answer is cut before it is split
    return text if len(text) <= limit else text[: limit - 1] + "…"


class MappingModel(QAbstractTableModel):
    """One row per column of the file: its header, what it imports as, example answers."""

    COLUMN, FIELD, EXAMPLES = range(3)
    HEADERS = ("Column in the file", "Imports as", "First answers")
    mapping_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.headers: list[str] = []
        self.fields: list[str] = []
        self.examples: list[str] = []

    def set_mapping(self, headers: Sequence[str], fields: Sequence[str], preview: Sequence[Sequence[Cell]]) -> None:
        self.beginResetModel()
        self.headers = list(headers)
        self.fields = list(fields)
        self.examples = [
            " | ".join(short(cell_text(row[i]), 30) for row in preview if i < len(row) and cell_text(row[i]).strip())
            for i in range(len(headers))
        ]
        self.endResetModel()
        self.mapping_changed.emit()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.headers)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # Qt override
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self.headers):
            return None
        row, col = index.row(), index.column()
        field = self.fields[row]
        if col == self.COLUMN and role == DISPLAY:
            return self.headers[row]
        if col == self.COLUMN and role == TOOLTIP:
            return self.headers[row]
        if col == self.FIELD:
            if role in (DISPLAY, EDIT):
                return LABELS.get(field, field)
            if role == FIELD_ROLE:
                return field
            if role == FOREGROUND and field == IGNORE:
                return MUTED_BRUSH
        if col == self.EXAMPLES:
            if role == DISPLAY:
                return self.examples[row]
            if role == FOREGROUND:
                return MUTED_BRUSH
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:  # Qt override
        base = super().flags(index)
        if index.isValid() and index.column() == self.FIELD:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:  # Qt override
        if not index.isValid() or index.column() != self.FIELD or role not in (EDIT, FIELD_ROLE):
            return False
        key = str(value)
        if key not in LABELS:
            key = next((k for k, label in LABELS.items() if label == key), "")
        if not key:
            return False
        self.set_field(index.row(), key)
        return True

    def set_field(self, row: int, key: str) -> None:
        """Map column ``row`` to ``key``; a field taken by another column is freed there."""
        changed = [row]
        if key != IGNORE:
            for other, field in enumerate(self.fields):
                if field == key and other != row:
                    self.fields[other] = IGNORE
                    changed.append(other)
        self.fields[row] = key
        for r in changed:
            idx = self.index(r, self.FIELD)
            self.dataChanged.emit(idx, idx)
        self.mapping_changed.emit()


class PreviewModel(QAbstractTableModel):
    """The first rows of the file under the fields they import as."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns: list[tuple[int, str]] = []  # (source column, field)
        self.rows: list[list[Cell]] = []
        self.numbers: list[int] = []

    def set_preview(self, fields: Sequence[str], rows: Sequence[Sequence[Cell]], numbers: Sequence[int] = ()) -> None:
        """``numbers``: each row's number in the spreadsheet, shown as the row's header (as problems name it)."""
        self.beginResetModel()
        order = {t.key: n for n, t in enumerate(TARGETS)}
        mapped = [(i, f) for i, f in enumerate(fields) if f != IGNORE]
        self.columns = sorted(mapped, key=lambda c: order.get(c[1], 99))
        self.rows = [list(r) for r in rows]
        self.numbers = list(numbers) if len(numbers) == len(self.rows) else list(range(1, len(self.rows) + 1))
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # Qt override
        if role != DISPLAY:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            return LABELS[self.columns[section][1]]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.rows):
            return str(self.numbers[section])
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self.rows) or not 0 <= index.column() < len(self.columns):
            return None
        source = self.columns[index.column()][0]
        row = self.rows[index.row()]
        text = cell_text(row[source]) if source < len(row) else ""
        if role == DISPLAY:
            return short(text, 50)
        if role == TOOLTIP and len(text) > 50:
            return short(text, 1000)
        return None


ACTION_LABELS = {"create": "New", "update": "Update", "skip": "Skip", "error": "Problem"}


class ResultsModel(QAbstractTableModel):
    """The checked rows: status, then the imported columns, problem cells highlighted."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.plan: ImportPlan | None = None
        self.rows: list[PlannedRow] = []
        self.columns: list[int] = []
        self._bad: dict[tuple[int, int], str] = {}

    def set_plan(self, plan: ImportPlan | None, only_problems: bool = False) -> None:
        self.beginResetModel()
        self.plan = plan
        rows = plan.rows if plan else []
        self.rows = [r for r in rows if r.action == "error"] if only_problems else list(rows)
        self.columns = [i for i, f in enumerate(plan.fields) if f != IGNORE] if plan else []
        self._bad = {}
        for n, r in enumerate(self.rows):
            for p in r.problems:
                if p.column_index is not None:
                    key = (n, p.column_index)
                    self._bad[key] = (self._bad[key] + "\n" if key in self._bad else "") + p.message
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() or self.plan is None else len(self.columns) + 2

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # Qt override
        if role not in (DISPLAY, TOOLTIP) or orientation != Qt.Orientation.Horizontal or self.plan is None:
            return None
        if section == 0:
            return "Row" if role == DISPLAY else "The row number in the spreadsheet"
        if section == 1:
            return "Status" if role == DISPLAY else None
        if 0 <= section - 2 < len(self.columns):
            header = self.plan.headers[self.columns[section - 2]]
            return short(header, 30) if role == DISPLAY else header
        return None

    def problem_at(self, row: int, column: int) -> str | None:
        """The message for a highlighted cell (view row, view column), else None."""
        if column < 2 or not 0 <= column - 2 < len(self.columns):
            return None
        return self._bad.get((row, self.columns[column - 2]))

    def data(self, index: Index, role: int = DISPLAY) -> Any:  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r, col = self.rows[index.row()], index.column()
        if col == 0:
            return str(r.row) if role == DISPLAY else None
        if col == 1:
            back = r.returning if r.action == "create" else None
            if role == DISPLAY:
                if back is not None:  # a person of an earlier cohort (or a question about one)
                    return "Returning" if not back.question else "Applied before?"
                return ACTION_LABELS.get(r.action, r.action)
            if role == TOOLTIP:
                if back is not None:
                    return back.question or f"{back.name}, {back.last_cohort}: {back.describe()}"
                return r.reason or "\n".join(p.message for p in r.problems) or None
            if role == BACKGROUND and r.action == "error":
                return PROBLEM_BRUSH
            return None
        if not 0 <= col - 2 < len(self.columns):
            return None
        source = self.columns[col - 2]
        problem = self._bad.get((index.row(), source))
        if role == DISPLAY:
            return short(cell_text(r.cells[source]), 50) if source < len(r.cells) else ""
        if role == TOOLTIP:
            return problem
        if role == BACKGROUND:
            if problem:
                return PROBLEM_BRUSH
            if r.action == "skip":
                return SKIP_BRUSH
        return None


class ProblemsModel(QAbstractTableModel):
    """Every problem: spreadsheet row, column header, value and what is wrong."""

    HEADERS = ("Row", "Column", "Value", "Problem")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.problems: list[Problem] = []

    def set_problems(self, problems: Sequence[Problem]) -> None:
        self.beginResetModel()
        self.problems = list(problems)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.problems)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = DISPLAY) -> Any:  # Qt override
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self.problems):
            return None
        p = self.problems[index.row()]
        values = (str(p.row), p.column, short(p.value, 40), p.message)
        if role == DISPLAY:
            return values[index.column()] if 0 <= index.column() < 4 else None
        if role == TOOLTIP and index.column() in (2, 3):
            return short(values[index.column()] if index.column() == 3 else p.value, 1000)
        return None
