"""A pair's page: its meeting log, what the two sides reported at check-ins, its flags; log a meeting.

Keyboard first: the date field has the focus; Tab goes through minutes, way, who reported it
and the note; Enter saves (the date stays, ready for the next one). Each meeting logged or
removed is one step on the window's undo stack (Ctrl+Z here too). Opened from a board card
(context menu, details panel, Ctrl+T) and from the dashboard's pairs at risk.
"""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoCommand
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mentorapp.dates import long_date
from mentorapp.errors import UserError
from mentorapp.people.vocabulary import MATCH_STATUS_LABELS
from mentorapp.running.flags import Flag, pairs_at_risk
from mentorapp.running.meetings import (
    MAX_MINUTES,
    MAX_NOTE,
    MODE_LABELS,
    MeetingRow,
    PairMeetings,
    add_meeting,
    delete_meeting,
    list_meetings,
    pair_meetings,
)
from mentorapp.running.screens_support import PairRef, pair_ref
from mentorapp.store.models import REPORTERS
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.widgets import DateField, ErrorLabel, TableView
from mentorapp_ui.running.changes import push_change
from mentorapp_ui.running.day import today

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Date", "Minutes", "Way", "Reported by", "Note")
REPORTER_LABELS = {"coordinator": "Coordinator (you)", "mentee": "Mentee", "mentor": "Mentor"}


class MeetingsModel(QAbstractTableModel):
    """One pair's logged meetings, newest first."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[MeetingRow] = []

    def set_rows(self, rows: list[MeetingRow]) -> None:
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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        m = self.rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (
                long_date(m.held_on),
                str(m.minutes) if m.minutes else "",
                MODE_LABELS.get(m.mode or "", ""),
                REPORTER_LABELS.get(m.reported_by, m.reported_by).replace(" (you)", ""),
                m.note,
            )[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == 1:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def summary_text(pair: PairRef, known: PairMeetings | None) -> str:
    """The pair's status and its meetings in words: the log and the check-ins' counts, kept apart."""
    status = MATCH_STATUS_LABELS.get(pair.status, pair.status)
    parts = [f"<b>{escape(status)}</b>"]
    if pair.started_on:
        parts.append(f"started {long_date(pair.started_on)}")
    if pair.ended_on:
        parts.append(f"ended {long_date(pair.ended_on)}")
    if pair.end_reason:
        parts.append(escape(pair.end_reason))
    line = ", ".join(parts) + "."
    logged = known.logged if known else 0
    meetings = f"{logged} meeting{'s' if logged != 1 else ''} logged"
    if known and known.first_on and known.last_on:
        meetings += f" (first {long_date(known.first_on)}, last {long_date(known.last_on)})"
    reported = known.reported if known else 0
    meetings += (
        f"; {reported} reported at check-ins (each check-in counted once, the larger of the two answers)."
        if reported
        else "; none reported at check-ins yet."
    )
    return f"{line}<br>{meetings}"


class PairDialog(QDialog):
    """The meeting log of one pair, with the form to log another meeting."""

    def __init__(self, ctx: AppContext, match_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.match_id = match_id
        self._own: list[QUndoCommand] = []  # the undo steps made here (the stack outlives the dialog)
        self.setObjectName("pairDialog")
        self.setWindowTitle("Meetings of the pair")
        self.heading = QLabel()
        self.heading.setObjectName("pairHeading")
        self.heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.summary = QLabel()
        self.summary.setObjectName("pairSummary")
        self.summary.setWordWrap(True)
        self.flags = QLabel()
        self.flags.setObjectName("pairFlags")
        self.flags.setWordWrap(True)

        self.date_field = DateField(today(), objectName="meetingDate")
        self.date_field.setToolTip("The day they met (not in the future, not before the pair started)")
        self.minutes = QSpinBox()
        self.minutes.setObjectName("meetingMinutes")
        self.minutes.setRange(0, MAX_MINUTES)
        self.minutes.setSingleStep(15)
        self.minutes.setSpecialValueText("not known")
        self.minutes.setSuffix(" min")
        self.minutes.setAccessibleName("Length in minutes")
        self.mode = QComboBox()
        self.mode.setObjectName("meetingMode")
        self.mode.addItem("not known", None)
        for key, label in MODE_LABELS.items():
            self.mode.addItem(label, key)
        self.reported_by = QComboBox()
        self.reported_by.setObjectName("meetingReportedBy")
        for key in REPORTERS[::-1]:
            self.reported_by.addItem(REPORTER_LABELS[key], key)
        self.note = QLineEdit()
        self.note.setObjectName("meetingNote")
        self.note.setMaxLength(MAX_NOTE)
        self.note.setPlaceholderText("optional, private: seen by you only")
        self.error = ErrorLabel()
        self.save_button = QPushButton("&Save meeting")
        self.save_button.setObjectName("saveMeeting")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Log this meeting (Enter); the date stays for the next one")
        self.save_button.clicked.connect(self.save)
        form = QFormLayout()
        form.addRow("&Date:", self.date_field)
        form.addRow("&Length:", self.minutes)
        form.addRow("&Way:", self.mode)
        form.addRow("&Reported by:", self.reported_by)
        form.addRow("&Note:", self.note)
        for row, field in enumerate((self.date_field, self.minutes, self.mode, self.reported_by, self.note)):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole).widget()
            if isinstance(label, QLabel):
                label.setBuddy(field.edit if isinstance(field, DateField) else field)
        entry = QGroupBox("Log a meeting")
        entry.setMinimumWidth(380)
        entry_layout = QVBoxLayout(entry)
        entry_layout.addLayout(form)
        entry_layout.addWidget(self.error)
        entry_layout.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignRight)

        self.model = MeetingsModel(self)
        self.table = TableView()
        self.table.setObjectName("meetingTable")
        self.table.setAccessibleName("Logged meetings")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.remove_button = QPushButton("Re&move selected meeting")
        self.remove_button.setObjectName("removeMeeting")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        log_box = QGroupBox("Meetings logged")
        self.undo_button = QPushButton("&Undo")
        self.undo_button.setObjectName("undoMeeting")
        self.undo_button.setAutoDefault(False)
        self.undo_button.setToolTip("Take back the last meeting logged or removed here (Ctrl+Z outside a text field)")
        self.undo_button.clicked.connect(self._undo)
        log_layout = QVBoxLayout(log_box)
        log_layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addWidget(self.undo_button)
        row.addStretch(1)
        row.addWidget(self.remove_button)
        log_layout.addLayout(row)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        for button in buttons.buttons():
            button.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(entry, 0)
        body.addWidget(log_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.flags)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        for keys, slot in (((QKeySequence.StandardKey.Undo,), self._undo), (("Ctrl+Shift+Z", "Ctrl+Y"), self._redo)):
            action = QAction(self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.triggered.connect(slot)
            self.addAction(action)
        self.setTabOrder(self.date_field.edit, self.minutes)
        self.setTabOrder(self.minutes, self.mode)
        self.setTabOrder(self.mode, self.reported_by)
        self.setTabOrder(self.reported_by, self.note)
        self.setTabOrder(self.note, self.save_button)
        self.resize(980, 460)
        self.reload()
        self.date_field.edit.setFocus()
        self.date_field.edit.selectAll()

    # -- reading -------------------------------------------------------------------------
    def reload(self) -> None:
        with self.ctx.db.session() as s:
            self.pair = pair_ref(s, self.match_id)
            cohort_id = self.pair.cohort_id
            rows = list_meetings(s, cohort_id, self.match_id)
            known = pair_meetings(s, cohort_id).get(self.match_id)
            flags = next((p.flags for p in pairs_at_risk(s, cohort_id, today()) if p.match_id == self.match_id), [])
        self.heading.setText(self.pair.names)
        self.setWindowTitle(f"Meetings of {self.pair.names}")
        self.summary.setText(summary_text(self.pair, known))
        self.show_flags(flags)
        self.model.set_rows(rows)
        self.remove_button.setEnabled(bool(rows))
        # Only this dialog's own changes: the window's last step may be a board move of another pair.
        mine = self._own_step(-1)
        self.undo_button.setEnabled(mine is not None)
        self.undo_button.setText(f"&Undo: {mine.text()}" if mine is not None else "&Undo")

    def _own_step(self, offset: int) -> QUndoCommand | None:
        """The undo stack's step just before (-1) or after (0) its index, if this dialog made it."""
        stack = self.ctx.undo_stack
        at = stack.index() + offset
        if not 0 <= at < stack.count():
            return None
        command = stack.command(at)
        return command if any(command is own for own in self._own) else None

    def _push(self, text: str, action: Any) -> Any:
        """One change as an undo step; remembered as this dialog's own when it was made."""
        result = push_change(self.ctx, text, action)
        if not isinstance(result, str):
            stack = self.ctx.undo_stack
            self._own.append(stack.command(stack.index() - 1))
        return result

    def show_flags(self, flags: list[Flag]) -> None:
        self.flags.setVisible(bool(flags))
        self.flags.setText(
            "".join(
                f"<div style='color:#b3261e'>⚠ <b>{escape(f.text)}</b> (since {long_date(f.since)})</div>"
                for f in flags
            )
        )

    # -- changes -------------------------------------------------------------------------
    def save(self) -> bool:
        """Log the meeting in the form; the error stays in the dialog when it is refused."""
        typed = self.date_field.edit.text().strip()
        if typed != long_date(self.date_field.date()):  # text the field could not read: never the old date
            self.error.show_error(f"'{typed}' is not a date; type one such as 1 September 2021.")
            self.date_field.edit.setFocus()
            return False
        day, minutes = self.date_field.date(), self.minutes.value() or None
        mode, reporter, note = self.mode.currentData(), self.reported_by.currentData(), self.note.text()
        match_id, now = self.match_id, today()
        result = self._push(
            "Log a meeting",
            lambda s: add_meeting(
                s, match_id, day, minutes=minutes, mode=mode, reported_by=reporter, note=note, today=now
            ),
        )
        if isinstance(result, str):
            self.error.show_error(result)
            return False
        self.error.show_error("")
        self.note.clear()
        self.minutes.setValue(0)
        self.reload()
        self.date_field.edit.setFocus()
        self.date_field.edit.selectAll()
        return True

    def remove_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.error.show_error("Select the meeting to remove in the list first.")
            return
        meeting_id = self.model.rows[rows[0].row()].id
        result = self._push("Remove a meeting", lambda s: delete_meeting(s, meeting_id))
        if isinstance(result, str):
            self.error.show_error(result)
        self.reload()

    def _undo(self) -> None:
        if self._own_step(-1) is not None:
            self.ctx.undo_stack.undo()
        self.reload()

    def _redo(self) -> None:
        if self._own_step(0) is not None:
            self.ctx.undo_stack.redo()
        self.reload()


def open_pair(ctx: AppContext, match_id: int, parent: QWidget | None = None) -> PairDialog | None:
    """Show the pair's meetings (modal); None, with the reason in the status bar, if the pair is gone."""
    try:
        dialog = PairDialog(ctx, match_id, parent)
    except UserError as exc:
        ctx.show_status(str(exc))
        return None
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
