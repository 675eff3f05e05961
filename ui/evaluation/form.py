"""A fast form for typing one evaluation response from a paper form.

Ratings are single keys, 1 to 5, and Tab moves on: the focus never moves by
itself, so "digit, Tab" fills one question at a time and a Tab is never
swallowed by an advance that already happened. Tab moves through everything,
the text boxes included, and Ctrl+Enter saves and goes to the next person.
Each rating shows the words its scale uses on the forms. Questions a
participant is not asked at this stage are hidden. The form knows what it
was loaded with, so the page can ask before unsaved answers are lost.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QKeySequence, QRegularExpressionValidator, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from mentorapp.evaluation.instrument import ITEMS, MAX_MEETINGS, STAGE_LABELS, Item, ResponseData
from mentorapp.people.vocabulary import ROLE_LABELS
from mentorapp_ui.app.widgets import DateField, ErrorLabel


class RatingEdit(QLineEdit):
    """One key, 1 to 5. The focus stays until Tab (or a click) moves it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(QRegularExpression("[1-5]"), self))
        self.setMaxLength(1)
        self.setFixedWidth(44)
        self.setPlaceholderText("1-5")


class ResponseForm(QWidget):
    """Edits one participant's answers at one stage. Emits ``save_requested`` / ``delete_requested``."""

    save_requested = Signal()
    delete_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.participant_id: int | None = None
        self.role = ""
        self.stage = "six_month"
        self.has_response = False
        self.heading = QLabel("Choose a participant on the left.")
        self.heading.setObjectName("formHeading")
        self.heading.setStyleSheet("font-weight: bold; font-size: 13pt;")
        self.heading.setWordWrap(True)
        self.status = QLabel()
        self.status.setStyleSheet("color: #5b6773;")
        self.status.setWordWrap(True)
        self.error = ErrorLabel()

        self.fields: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.date = DateField(objectName="date_answered")
        self.date.setToolTip("The day the participant filled in the form.")
        form.addRow("Date answered", self.date)
        self._rows: dict[str, QWidget] = {}
        for item in ITEMS:
            widget = self._make_field(item)
            widget.setObjectName(item.key)
            tip = item.question + (f"\n{item.scale_text()}" if item.kind == "scale" else "")
            widget.setToolTip(tip)
            widget.setAccessibleName(item.label)
            label = QLabel(item.label)
            label.setToolTip(tip)
            label.setBuddy(widget)
            row: QWidget = widget
            if item.kind == "scale":
                row = QWidget()
                line = QHBoxLayout(row)
                line.setContentsMargins(0, 0, 0, 0)
                line.addWidget(widget)
                words = QLabel(item.scale_text())
                words.setStyleSheet("color: #5b6773; font-size: 8pt;")
                words.setWordWrap(True)
                # The words wrap in the width there is, never widening the form past its column.
                words.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
                words.setMinimumWidth(60)
                line.addWidget(words, 1)
            form.addRow(label, row)
            self.fields[item.key] = widget
            self._labels[item.key] = label
            self._rows[item.key] = row
        self._form = form
        self.options: frozenset[str] = frozenset()
        self._loaded: tuple[dict[str, Any], Any] = ({}, None)

        self.save_button = QPushButton("Save and &next")
        self.save_button.setObjectName("saveResponse")
        self.save_button.setToolTip("Save this response and go to the next person (Ctrl+Enter)")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_requested)
        self.delete_button = QPushButton("&Delete response")
        self.delete_button.setObjectName("deleteResponse")
        self.delete_button.setToolTip("Delete this person's answers at this stage (can be undone)")
        self.delete_button.clicked.connect(self.delete_requested)
        self.clear_button = QPushButton("C&lear")
        self.clear_button.setToolTip("Empty the form without saving")
        self.clear_button.clicked.connect(self.clear)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        layout.addStretch(1)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self.save_requested)
        self.set_participant(None, "", "", "six_month", None)

    def _make_field(self, item: Item) -> QWidget:
        if item.kind == "scale":
            return RatingEdit()
        if item.kind == "count":
            edit = QLineEdit()
            edit.setValidator(QRegularExpressionValidator(QRegularExpression(r"\d{0,3}"), edit))
            edit.setFixedWidth(70)
            edit.setPlaceholderText(f"0-{MAX_MEETINGS}")
            return edit
        if item.kind == "yesno":
            combo = QComboBox()
            combo.addItems(["", "Yes", "No"])
            combo.setFixedWidth(90)
            return combo
        text = QPlainTextEdit()
        text.setTabChangesFocus(True)
        text.setFixedHeight(58)
        return text

    # -- loading and reading ------------------------------------------------------------------
    def set_participant(
        self,
        participant_id: int | None,
        name: str,
        role: str,
        stage: str,
        response: ResponseData | None,
        *,
        options: frozenset[str] = frozenset(),
        default_day: dt.date | None = None,
    ) -> None:
        """Show ``response`` (or an empty form dated ``default_day``) for one participant at ``stage``."""
        self.participant_id, self.role, self.stage, self.options = participant_id, role, stage, options
        self.has_response = response is not None
        self.error.show_error("")
        enabled = participant_id is not None
        if enabled:
            who = ROLE_LABELS.get(role, role)
            self.heading.setText(f"{name} · {who} · {STAGE_LABELS[stage]}")
            self.status.setText(
                "Answers on file; edit and save, or delete them."
                if response is not None
                else "No answers yet: type them from the paper form."
            )
        else:
            self.heading.setText("Choose a participant on the left.")
            self.status.setText("")
        for item in ITEMS:
            visible = enabled and item.applies(role, stage, options)
            self._rows[item.key].setVisible(visible)
            self.fields[item.key].setVisible(visible)
            self._labels[item.key].setVisible(visible)
        self.date.setEnabled(enabled)
        self.save_button.setEnabled(enabled)
        self.clear_button.setEnabled(enabled)
        self.delete_button.setEnabled(enabled and response is not None)
        self.clear()
        if default_day is not None:
            self.date.setDate(default_day)
        if response is not None:
            for key, value in response.answers.items():
                self._set_value(key, value)
            if response.submitted_on is not None:
                self.date.setDate(response.submitted_on)
        self._loaded = self._state()

    def clear(self) -> None:
        for item in ITEMS:
            self._set_value(item.key, None)
        self.date.setDate(dt.date.today())
        self.error.show_error("")

    def _state(self) -> tuple[dict[str, Any], Any]:
        return self.answers(), self.date.date()

    def is_dirty(self) -> bool:
        """Answers (or the date) differ from what was loaded: leaving now would lose them."""
        return self.participant_id is not None and self._state() != self._loaded

    def _set_value(self, key: str, value: Any) -> None:
        widget = self.fields.get(key)
        if isinstance(widget, QLineEdit):
            widget.setText("" if value is None else str(value))
        elif isinstance(widget, QComboBox):
            widget.setCurrentIndex(0 if value is None else 1 if value else 2)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText("" if value is None else str(value))

    def answers(self) -> dict[str, Any]:
        """The answers typed, as raw values (the core checks and cleans them)."""
        out: dict[str, Any] = {}
        for item in ITEMS:
            if not item.applies(self.role, self.stage, self.options):
                continue
            widget = self.fields[item.key]
            if isinstance(widget, QLineEdit):
                value: Any = widget.text().strip()
            elif isinstance(widget, QComboBox):
                value = widget.currentText()
            else:
                assert isinstance(widget, QPlainTextEdit)
                value = widget.toPlainText().strip()
            if value != "":
                out[item.key] = value
        return out

    def response(self) -> ResponseData | None:
        if self.participant_id is None:
            return None
        day = self.date.date()
        return ResponseData(self.participant_id, self.stage, self.answers(), submitted_on=day, role=self.role)

    def focus_first(self) -> None:
        for item in ITEMS:
            widget = self.fields[item.key]
            if not widget.isHidden():
                widget.setFocus()
                if isinstance(widget, QLineEdit):
                    widget.selectAll()
                return
