"""The Cohorts page: every cohort side by side, one column each (oldest first), one row per measure.

The figures are mentorapp.evaluation.compare's (the same as ``cohorts --format json`` and the
report's comparison section), read off the GUI thread. The current cohort's column is bold.
Copy the figures (Ctrl+Shift+C) puts the table on the clipboard, tab-separated, for a board paper.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont, QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QVBoxLayout, QWidget

from mentorapp.dates import month_year
from mentorapp.evaluation.compare import NO_ANSWERS, CohortOverview, cohort_overviews, measure_column, measure_labels
from mentorapp_ui.app.actions import ActionSpec
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.page import Page
from mentorapp_ui.app.tasks import Task, run_task
from mentorapp_ui.app.widgets import TableView

Index = QModelIndex | QPersistentModelIndex
INTRO = (
    "Every cohort side by side: size, how many mentees were matched, how many pairs completed, who answered "
    "the evaluation and what changed for the mentees. Different years are different groups of people: a "
    "difference between columns is a question worth asking, not proof that the scheme changed. "
    "To print this comparison, open the Report page, choose a cohort under Compare with, and export the PDF."
)


class CohortsTableModel(QAbstractTableModel):
    """Rows are measures, columns are cohorts; ``current`` is the cohort shown in bold."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overviews: list[CohortOverview] = []
        self.labels: list[str] = []
        self.columns: list[list[str]] = []
        self.current: int | None = None

    def set_overviews(self, overviews: list[CohortOverview], current: int | None) -> None:
        self.beginResetModel()
        self.overviews = overviews
        self.labels = measure_labels(overviews) if overviews else []
        self.columns = [measure_column(o) for o in overviews]
        self.current = current
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.labels)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # Qt override
        if not index.isValid():
            return None
        text = self.columns[index.column()][index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{self.overviews[index.column()].name}: {self.labels[index.row()]}: {text}"
        if role == Qt.ItemDataRole.ForegroundRole and text in (NO_ANSWERS, "–"):
            return QGuiApplication.palette().placeholderText()
        if role == Qt.ItemDataRole.FontRole and self.overviews[index.column()].id == self.current:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:  # Qt override
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            o = self.overviews[section]
            return f"{o.name}\n{month_year(o.start_date, short=True)} · {o.status}"
        return self.labels[section]

    def as_text(self) -> str:
        """The table, tab-separated, with a header row of cohort names."""
        lines = ["\t".join(["Measure", *(o.name for o in self.overviews)])]
        for r, label in enumerate(self.labels):
            lines.append("\t".join([label, *(column[r] for column in self.columns)]))
        return "\n".join(lines) + "\n"


class CohortsPage(Page):
    title = "Cohorts"
    name = "cohorts"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._task: Task | None = None
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.empty = QLabel("No cohorts yet. Create one with Cohort ▸ New cohort… or try the demo.")
        self.empty.hide()
        self.model = CohortsTableModel(self)
        self.table = TableView()
        self.table.setObjectName("cohortsTable")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Two-line headers (name, then start and status) always fit their column; Qt would elide them as one line.
        self.table.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setAccessibleName("Cohorts side by side")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        layout.addStretch(1)  # the table is as tall as its rows: no empty grey strip of row headers below them
        self.declare(
            ActionSpec(
                "cohorts.copy",
                "&Copy the figures",
                self.copy_figures,
                keys=("Ctrl+Shift+C",),
                tool_tip="Copy the table of cohorts, tab-separated, to paste into a document or spreadsheet",
            )
        )
        ctx.cohort_changed.connect(lambda _id: self._mark_current())

    def refresh(self) -> None:
        """Read every cohort's figures on the task runner (an evaluation per answered cohort)."""
        if self._task is not None:
            self._task.abandon()
        db = self.ctx.db

        def work(_report, _cancelled) -> list[CohortOverview]:
            with db.session() as s:
                return cohort_overviews(s)

        self._task = run_task(work, self, on_done=self._show, on_error=self._failed, cancellable=False)

    def _show(self, overviews: list[CohortOverview]) -> None:
        self._task = None
        self.model.set_overviews(overviews, self.ctx.cohort_id)
        self.empty.setVisible(not overviews)
        self.table.setVisible(bool(overviews))
        self._fit_height()

    def _fit_height(self) -> None:
        """The table's height: its header, its rows and (when the cohorts are wider than the page) its scroll bar."""
        table = self.table
        table.resizeRowsToContents()
        rows = sum(table.rowHeight(r) for r in range(self.model.rowCount()))
        columns = sum(table.columnWidth(c) for c in range(self.model.columnCount()))
        wide = table.verticalHeader().width() + columns + 2 * table.frameWidth() > table.width()
        bar = table.horizontalScrollBar().sizeHint().height() if wide else 0
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + rows + 2 * table.frameWidth() + bar)

    def resizeEvent(self, event) -> None:  # Qt override: a narrower page may need the table's scroll bar
        super().resizeEvent(event)
        if self.table.isVisible():
            self._fit_height()

    def _failed(self, message: str) -> None:
        self._task = None
        self.ctx.show_status(f"The figures of the cohorts could not be read: {message}")

    def _mark_current(self) -> None:
        self.model.set_overviews(self.model.overviews, self.ctx.cohort_id)

    def is_loaded(self) -> bool:
        return self._task is None

    def copy_figures(self) -> None:
        QGuiApplication.clipboard().setText(self.model.as_text())
        self.ctx.show_status("Copied the figures of every cohort.")
