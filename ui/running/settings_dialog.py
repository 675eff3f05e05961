"""The cohort's running settings: the check-in days, the at-risk thresholds, the chase e-mails' sender.

The days are typed as numbers after the start ("30, 90, 150"), with the dates they fall on
shown as you type; "Default schedule" puts back day 30 then every 60 days. Saving goes through
:func:`mentorapp.running.settings.save_running_settings` in one transaction: a value out of
range is refused with the core's sentence and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mentorapp.dates import long_date
from mentorapp.errors import UserError
from mentorapp.running.settings import (
    MAX_WEEKS,
    RunningSettings,
    default_checkin_days,
    load_running_settings,
    save_running_settings,
    scheme_start,
    sender,
)
from mentorapp.store.models import Cohort
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.widgets import ErrorLabel


def parse_days(text: str) -> list[int]:
    """'30, 90; 150' as [30, 90, 150]; a sentence for anything that is not a whole number."""
    parts = [p for p in re.split(r"[,;\s]+", text.strip()) if p]
    if not parts:
        return []
    days = []
    for part in parts:
        if not part.isdigit():
            raise UserError(f"'{part}' is not a number of days; type the days after the start, e.g. 30, 90, 150.")
        days.append(int(part))
    if len(set(days)) != len(days):
        raise UserError("Two check-ins fall on the same day; give each day once.")
    return sorted(days)


class RunningSettingsDialog(QDialog):
    """Check-in days, at-risk thresholds and sender, for the current cohort."""

    def __init__(self, ctx: AppContext, cohort_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cohort_id = cohort_id
        self.setObjectName("runningSettingsDialog")
        self.setWindowTitle("Running settings")
        with ctx.db.session() as s:
            cohort = s.get(Cohort, cohort_id)
            if cohort is None:
                raise UserError("The cohort no longer exists.")
            self.start, self.evaluation = scheme_start(cohort), cohort.evaluation_date
            self.settings = load_running_settings(s, cohort_id)
            self.fallback = sender(s, cohort_id) if not self.settings.signature.strip() else None
        st = self.settings

        self.days = QLineEdit(", ".join(str(d) for d in st.checkin_days))
        self.days.setObjectName("checkinDays")
        self.days.setToolTip("Days after the start of the scheme, separated by commas")
        self.dates = QLabel()
        self.dates.setObjectName("checkinDates")
        self.dates.setWordWrap(True)
        self.days.textChanged.connect(self._show_dates)
        default = QPushButton("Default sc&hedule")
        default.setAutoDefault(False)
        default.setToolTip("Day 30, then every 60 days until the evaluation")
        default.clicked.connect(
            lambda: self.days.setText(", ".join(str(d) for d in default_checkin_days(self.start, self.evaluation)))
        )
        schedule = QGroupBox(f"Check-ins (the scheme started {long_date(self.start)})")
        form = QFormLayout(schedule)
        form.addRow("Check-in &days:", self.days)
        form.addRow("", self.dates)
        form.addRow("", default)

        self.first_weeks = self._weeks(st.first_meeting_weeks, "firstMeetingWeeks")
        self.quiet_weeks = self._weeks(st.quiet_weeks, "quietWeeks")
        self.low_rating = QSpinBox()
        self.low_rating.setObjectName("lowRating")
        self.low_rating.setRange(1, 4)
        self.low_rating.setValue(st.low_rating)
        self.low_rating.setPrefix("1 to ")
        self.low_rating.setSuffix(" of 5")
        rules = QGroupBox("Pairs at risk")
        form = QFormLayout(rules)
        form.addRow("No first meeting &after:", self.first_weeks)
        form.addRow("No meeting &for:", self.quiet_weeks)
        form.addRow("A check-in &rating of:", self.low_rating)

        self.sender_name = QLineEdit(st.sender_name)
        self.sender_name.setObjectName("senderName")
        self.sender_email = QLineEdit(st.sender_email)
        self.sender_email.setObjectName("senderEmail")
        self.signature = QPlainTextEdit(st.signature)
        self.signature.setObjectName("signature")
        self.signature.setFixedHeight(80)
        if self.fallback is not None:
            self.sender_name.setPlaceholderText(self.fallback.name or "your name")
            self.signature.setPlaceholderText(self.fallback.signature or "your name, role and society")
        self.sender_email.setPlaceholderText("you@society.example")
        mail = QGroupBox("Chase e-mails come from")
        form = QFormLayout(mail)
        form.addRow("&Name:", self.sender_name)
        form.addRow("&E-mail:", self.sender_email)
        form.addRow("&Signature:", self.signature)
        hint = QLabel("Left blank, the name and signature come from the letterhead of the letters.")
        hint.setStyleSheet("color: #5f6b7a;")
        hint.setWordWrap(True)
        form.addRow("", hint)

        self.error = ErrorLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(schedule)
        layout.addWidget(rules)
        layout.addWidget(mail)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._show_dates()
        self.setMinimumWidth(560)

    @staticmethod
    def _weeks(value: int, name: str) -> QSpinBox:
        box = QSpinBox()
        box.setObjectName(name)
        box.setRange(1, MAX_WEEKS)
        box.setValue(value)
        box.setSuffix(" weeks")
        return box

    def _show_dates(self) -> None:
        try:
            days = parse_days(self.days.text())
        except UserError as exc:
            self.dates.setText(f"<span style='color:#b3261e'>{exc}</span>")
            return
        if not days:
            self.dates.setText("No days: the default schedule is used.")
            return
        self.dates.setText("On " + ", ".join(long_date(self.start + dt.timedelta(days=d)) for d in days) + ".")

    def values(self) -> RunningSettings:
        return RunningSettings(
            checkin_days=parse_days(self.days.text()),
            first_meeting_weeks=self.first_weeks.value(),
            quiet_weeks=self.quiet_weeks.value(),
            low_rating=self.low_rating.value(),
            sender_name=self.sender_name.text().strip(),
            sender_email=self.sender_email.text().strip(),
            signature=self.signature.toPlainText().strip(),
        )

    def save(self) -> None:
        try:
            values = self.values()
            with self.ctx.db.transaction() as s:
                save_running_settings(s, self.cohort_id, values)
        except UserError as exc:
            self.error.show_error(str(exc))
            return
        self.ctx.notify_changed()
        self.ctx.show_status("Running settings saved.")
        self.accept()


def edit_running_settings(ctx: AppContext, parent: QWidget | None = None) -> RunningSettingsDialog | None:
    if ctx.cohort_id is None:
        return None
    dialog = RunningSettingsDialog(ctx, ctx.cohort_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
