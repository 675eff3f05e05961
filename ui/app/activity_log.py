"""Tools > Activity log: who changed what and when, filterable by cohort, action, date and text."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from mentorapp.dates import short_time
from mentorapp.people.cohorts import list_cohorts
from mentorapp.store import audit
from mentorapp.store.audit import LogEntry
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.widgets import DateField, TableView

WHEN, USER, ACTION, COHORT, DESCRIPTION = range(5)
HEADERS = ("When", "User", "Action", "Cohort", "Description")
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def local_time(at: dt.datetime) -> dt.datetime:
    """Stored times are naive UTC; show them in the computer's time zone."""
    return at.replace(tzinfo=dt.UTC).astimezone().replace(tzinfo=None)


class LogTableModel(QAbstractTableModel):
    """The log entries as rows (plain values, so nothing depends on an open session)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[LogEntry] = []

    def set_entries(self, entries: list[LogEntry]) -> None:
        self.beginResetModel()
        self._rows = list(entries)
        self.endResetModel()

    def entry(self, row: int) -> LogEntry:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < 5:
            return HEADERS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # Qt override
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        e = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == WHEN:
                return short_time(local_time(e.at), seconds=True)
            if column == USER:
                return e.os_user
            if column == ACTION:
                return e.action
            if column == COHORT:
                return e.cohort_name
            if column == DESCRIPTION:
                return e.description
            return None
        if role == Qt.ItemDataRole.ToolTipRole and column == DESCRIPTION:
            return e.description
        if role == SORT_ROLE:
            return (e.at.isoformat(), e.id) if column == WHEN else str(self.data(index)).casefold()
        if role == ENTRY_ROLE:
            return e
        return None


class LogFilterProxy(QSortFilterProxyModel):
    """Filters on cohort, action prefix, earliest date and words in any column."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._cohort_id: int | None = None
        self._action = ""
        self._since: dt.date | None = None
        self._words: list[str] = []

    def set_filters(
        self,
        *,
        cohort_id: int | None = None,
        action: str = "",
        since: dt.date | None = None,
        text: str = "",
    ) -> None:
        self.beginFilterChange()
        self._cohort_id = cohort_id
        self._action = action.casefold()
        self._since = since
        self._words = text.casefold().split()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def lessThan(self, left: _Index, right: _Index) -> bool:  # Qt override
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        return (a or "") < (b or "") if type(a) is type(b) else str(a) < str(b)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # Qt override
        model = self.sourceModel()
        if not isinstance(model, LogTableModel):
            return True
        e = model.entry(source_row)
        if self._cohort_id is not None and e.cohort_id != self._cohort_id:
            return False
        if self._action and not e.action.casefold().startswith(self._action):
            return False
        if self._since is not None and local_time(e.at).date() < self._since:
            return False
        if self._words:
            hay = f"{e.os_user} {e.action} {e.cohort_name} {e.description}".casefold()
            return all(w in hay for w in self._words)
        return True


class ActivityLogDialog(QDialog):
    """A window on the activity log; reloads each time it is opened."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Activity log")
        self.setObjectName("activityLogDialog")
        self.resize(1000, 600)
        self.model = LogTableModel(self)
        self.proxy = LogFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.cohort = QComboBox(objectName="logCohort")
        self.cohort.setToolTip("Show the changes of one cohort only")
        self.action = QComboBox(objectName="logAction")
        self.action.setToolTip("Show one kind of change only")
        self.use_since = QCheckBox("Since", objectName="logUseSince")
        self.since = DateField(dt.date.today() - dt.timedelta(days=30), objectName="logSince")
        self.since.setEnabled(False)
        self.search = QLineEdit(objectName="logSearch")
        self.search.setPlaceholderText("Search names, ids, descriptions…")
        self.search.setClearButtonEnabled(True)

        filters = QHBoxLayout()
        for label, widget in (("Cohort:", self.cohort), ("Action:", self.action)):
            caption = QLabel(label)
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addWidget(self.use_since)
        filters.addWidget(self.since)
        filters.addWidget(self.search, 1)

        self.table = TableView(objectName="logTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(WHEN, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        for column, width in ((WHEN, 160), (USER, 90), (ACTION, 170), (COHORT, 170)):
            self.table.setColumnWidth(column, width)

        self.count = QLabel(objectName="logCount")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        footer = QHBoxLayout()
        footer.addWidget(self.count, 1)
        footer.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)

        self.cohort.currentIndexChanged.connect(self._apply_filters)
        self.action.currentIndexChanged.connect(self._apply_filters)
        self.use_since.toggled.connect(self.since.setEnabled)
        self.use_since.toggled.connect(self._apply_filters)
        self.since.dateChanged.connect(self._apply_filters)
        self.search.textChanged.connect(self._apply_filters)
        ctx.data_changed.connect(self._reload_if_visible)
        self.reload()

    def _reload_if_visible(self) -> None:
        """A change saved while the log is open shows up at once."""
        if self.isVisible():
            self.reload()

    def reload(self) -> None:
        """Read the log again, keeping the chosen filters where they still exist."""
        keep_cohort, keep_action = self.cohort.currentData(), self.action.currentData()
        with self.ctx.db.session() as s:
            entries = audit.query(s)
            cohorts = [(c.id, c.name) for c in list_cohorts(s)]
            actions = audit.actions(s)
        for combo in (self.cohort, self.action):
            combo.blockSignals(True)
            combo.clear()
        self.cohort.addItem("All cohorts", None)
        for cid, name in cohorts:
            self.cohort.addItem(name, cid)
        self.cohort.setCurrentIndex(max(self.cohort.findData(keep_cohort), 0))
        self.action.addItem("All actions", "")
        for action in actions:
            self.action.addItem(action, action)
        self.action.setCurrentIndex(max(self.action.findData(keep_action), 0) if keep_action else 0)
        for combo in (self.cohort, self.action):
            combo.blockSignals(False)
        self.model.set_entries(entries)
        self._apply_filters()

    def _apply_filters(self) -> None:
        since = self.since.date() if self.use_since.isChecked() else None
        self.proxy.set_filters(
            cohort_id=self.cohort.currentData(),
            action=self.action.currentData() or "",
            since=since,
            text=self.search.text(),
        )
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count.setText(f"{shown} of {total} entries" if shown != total else f"{total} entries")
