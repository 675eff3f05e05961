"""The letterhead settings: society name, address, logo, coordinator (for every cohort)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mentorapp.outputs.letterhead import (
    MAX_FIRST_MEETING_DAYS,
    Letterhead,
    letterhead_value,
    load_letterhead,
    restore_letterhead,
    save_letterhead,
)
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.file_dialogs import ask_open_file
from mentorapp_ui.app.undo import DbCommand, push_command


class LetterheadForm(QWidget):
    """Edits the ``letterhead`` setting; Save is one undoable step."""

    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.society = QLineEdit()
        self.society.setObjectName("societyName")
        self.society.setToolTip("Printed large at the top of every letter and in the footer")
        self.address = QPlainTextEdit()
        self.address.setObjectName("societyAddress")
        self.address.setTabChangesFocus(True)
        self.address.setFixedHeight(70)
        self.address.setToolTip("One line per line of the address, under the society's name")
        self.contact = QLineEdit()
        self.contact.setObjectName("societyContact")
        self.contact.setPlaceholderText("e.g. mentoring@society.org · 020 7946 0000")
        self.logo = QLineEdit()
        self.logo.setObjectName("logoPath")
        self.logo.setPlaceholderText("the bundled emblem")
        self.logo.setToolTip("A PNG or JPEG picture; leave empty for the plain bundled emblem")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.coordinator = QLineEdit()
        self.coordinator.setObjectName("coordinatorName")
        self.role = QLineEdit()
        self.role.setObjectName("coordinatorRole")
        self.days = QSpinBox()
        self.days.setObjectName("firstMeetingDays")
        self.days.setRange(1, MAX_FIRST_MEETING_DAYS)
        self.days.setSuffix(" days after the pair starts")
        self.days.setToolTip(
            "The {first_meeting_deadline} placeholder: this many days after the pair started; before it starts, "
            "after its letter went out (never before the cohort's start)"
        )
        self.save_button = QPushButton("Save letterhead")
        self.save_button.setObjectName("saveLetterhead")
        self.save_button.clicked.connect(self.save)

        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo, 1)
        logo_row.addWidget(browse)
        form = QFormLayout()
        # Alt letters clear of the menus and of the page around this tab; the rest are reached with Tab.
        form.addRow("Societ&y name:", self.society)
        form.addRow("A&ddress:", self.address)
        form.addRow("Contact l&ine:", self.contact)
        logo_label = QLabel("Lo&go:")
        logo_label.setBuddy(self.logo)
        form.addRow(logo_label, logo_row)
        form.addRow("Coordinator's name:", self.coordinator)
        form.addRow("Coordinator's role:", self.role)
        form.addRow("First meeting within:", self.days)
        layout = QVBoxLayout(self)
        note = QLabel("The letterhead is printed on the letters of every cohort.")
        note.setWordWrap(True)
        layout.addWidget(note)
        layout.addLayout(form)
        row = QHBoxLayout()
        row.addWidget(self.save_button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)

    def load(self) -> None:
        with self.ctx.db.session() as s:
            lh = load_letterhead(s, self.ctx.cohort_id)
        self.society.setText(lh.society_name)
        self.address.setPlainText(lh.address)
        self.contact.setText(lh.contact)
        self.logo.setText(lh.logo_path)
        self.coordinator.setText(lh.coordinator_name)
        self.role.setText(lh.coordinator_role)
        self.days.setValue(lh.first_meeting_days)

    def value(self) -> Letterhead:
        defaults = Letterhead()
        return Letterhead(
            society_name=self.society.text().strip() or defaults.society_name,
            address=self.address.toPlainText().strip(),
            contact=self.contact.text().strip(),
            logo_path=self.logo.text().strip(),
            coordinator_name=self.coordinator.text().strip() or defaults.coordinator_name,
            coordinator_role=self.role.text().strip(),
            first_meeting_days=self.days.value(),
        )

    def save(self) -> bool:
        new = self.value()

        def do(s, cmd):
            previous = letterhead_value(s)
            save_letterhead(s, new)
            return previous

        def undo(s, cmd):
            restore_letterhead(s, cmd.result)

        ok = push_command(self.ctx, DbCommand(self.ctx, "Save letterhead", do, undo))
        if ok:
            self.saved.emit()
        return ok

    def _browse(self) -> None:
        start = Path(self.logo.text()).parent if self.logo.text() else None
        path = ask_open_file(self, "logo", "Choose a logo", "Pictures (*.png *.jpg *.jpeg)", start)
        if path:
            self.logo.setText(path)
