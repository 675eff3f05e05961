"""Small widgets shared by dialogs and pages."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mentorapp.dates import long_date
from mentorapp.importing.values import ValueProblemError
from mentorapp.importing.values import date as read_date
from mentorapp.people.validation import FIRST_DATE, LAST_DATE, date_range_problem


class TableView(QTableView):
    """A table as every page shows one: a header too narrow for its question ends in "…" (Qt clips
    both ends of a centred header by default, leaving "hat would you like to d"), and Tab moves on to
    the next control (Qt's default walks cell by cell and never leaves); arrow keys move between cells."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setTabKeyNavigation(False)


class ErrorLabel(QLabel):
    """A red sentence under a field; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet("color: #b3261e;")
        self.setWordWrap(True)
        self.hide()

    def show_error(self, message: str) -> None:
        self.setText(message)
        self.setVisible(bool(message))


def with_error(field: QWidget, error: ErrorLabel) -> QWidget:
    """A field with its error sentence right under it, taking no space while hidden."""
    box = QWidget()
    box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    column = QVBoxLayout(box)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(2)
    column.addWidget(field)
    column.addWidget(error)
    return box


class DateField(QWidget):
    """The one date field: typed in the usual ways (read by the importer's date reader) or picked from a calendar.

    "1 September 2021", "1 Sep 2021", "01/09/2021" (day first), "2021-09-01" and "September 1, 2021"
    all read as that day once the field is left or Enter is pressed; text that is no date keeps the
    last date and says why. Up and Down step a day; Alt+Down or F4 opens the calendar.
    """

    dateChanged = Signal(object)

    def __init__(self, day: dt.date | None = None, parent: QWidget | None = None, *, objectName: str = "") -> None:  # noqa: N803
        super().__init__(parent)
        if objectName:
            self.setObjectName(objectName)
        self._date = day or dt.date.today()
        self._hint = ""
        self.edit = QLineEdit(long_date(self._date))
        self.edit.setObjectName("dateText")
        self.edit.setPlaceholderText("e.g. 1 September 2021")
        self.edit.editingFinished.connect(self._read_text)
        self.edit.installEventFilter(self)
        self.calendar_button = QToolButton()
        self.calendar_button.setObjectName("calendarButton")
        self.calendar_button.setText("▾")
        self.calendar_button.setToolTip("Pick the day from a calendar (Alt+Down)")
        self.calendar_button.setAccessibleName("Pick the day from a calendar")
        self.calendar_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.calendar_button.clicked.connect(self.show_calendar)
        self.popup = QWidget(self, Qt.WindowType.Popup)
        self.calendar = QCalendarWidget(self.popup)
        self.calendar.setGridVisible(True)
        self.calendar.setDateRange(QDate(FIRST_DATE), QDate(LAST_DATE))
        self.calendar.activated.connect(self._picked)
        self.calendar.clicked.connect(self._picked)
        QVBoxLayout(self.popup).addWidget(self.calendar)
        self.popup.layout().setContentsMargins(1, 1, 1, 1)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.edit, 1)
        row.addWidget(self.calendar_button)
        # Not setFocusProxy: with the proxy a child, Tab went round the field's own two widgets for ever.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.edit.setMinimumWidth(self.edit.fontMetrics().horizontalAdvance("30 September 2029") + 16)

    def date(self) -> dt.date:
        return self._date

    def setDate(self, day: dt.date) -> None:
        if isinstance(day, QDate):
            day = day.toPython()
        self._show_problem("")
        self.edit.setText(long_date(day))
        if day != self._date:
            self._date = day
            self.dateChanged.emit(day)

    def setToolTip(self, text: str) -> None:
        self._hint = text
        self._show_problem("")

    def show_calendar(self) -> None:
        self._read_text()
        self.calendar.setSelectedDate(QDate(self._date.year, self._date.month, self._date.day))
        self.popup.adjustSize()
        self.popup.move(self.mapToGlobal(QPoint(0, self.height())))
        self.popup.show()
        self.calendar.setFocus()

    def focusInEvent(self, event: QFocusEvent) -> None:  # Qt override: a label's buddy shortcut lands here
        self.edit.setFocus(event.reason())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override: keys of the text
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            key, mods = event.key(), event.modifiers()
            if key == Qt.Key.Key_F4 or (key == Qt.Key.Key_Down and mods & Qt.KeyboardModifier.AltModifier):
                self.show_calendar()
                return True
            if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self._read_text()
                step = dt.timedelta(days=1 if key == Qt.Key.Key_Up else -1)
                self.setDate(min(max(self._date + step, FIRST_DATE), LAST_DATE))
                return True
        return super().eventFilter(watched, event)

    def _picked(self, day: QDate) -> None:
        self.popup.hide()
        self.setDate(day.toPython())
        self.edit.setFocus()

    def _read_text(self) -> None:
        raw = self.edit.text().strip()
        try:
            day = read_date(raw)
        except ValueProblemError as exc:
            self._show_problem(f"{exc} The date stays {long_date(self._date)}.")
            return
        if day is None:
            self._show_problem(f"Type a date, e.g. 1 September 2021. The date stays {long_date(self._date)}.")
            return
        out_of_range = date_range_problem("The date", day)
        if out_of_range:
            self._show_problem(f"{out_of_range} The date stays {long_date(self._date)}.")
            return
        self.setDate(day)

    def _show_problem(self, problem: str) -> None:
        self.edit.setStyleSheet("border: 1px solid #b3261e;" if problem else "")
        text = "\n".join(part for part in (problem, self._hint) if part)
        super().setToolTip(text)
        self.edit.setToolTip(text)
