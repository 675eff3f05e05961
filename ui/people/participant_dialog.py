"""Add or edit a participant, with inline validation.

Errors appear under the field they concern as the coordinator types, and OK
saves nothing while any remain. Focus areas come from the cohort vocabulary;
"New focus area…" adds one, which is saved with the participant.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStyle,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData, validate_participant
from mentorapp.people.validation import MAX_CAPACITY
from mentorapp.people.vocabulary import (
    HORIZON_HINTS,
    HORIZON_LABELS,
    MEETING_PREFERENCES,
    ROLE_LABELS,
    TITLES,
    SchemeVocabulary,
)
from mentorapp.store.models import HORIZONS, ROLES
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.widgets import DateField, ErrorLabel, with_error

# The tab each field's problem is shown on (Person, Goals, Experience).
TAB_OF = {"first_name": 0, "last_name": 0, "email": 0, "consent_date": 0, "goals": 1, "capacity": 2, "expertise": 2}


class FocusAreaChecks(QWidget):
    """The cohort's focus areas as a grid of check boxes (keyboard: Tab and Space)."""

    COLUMNS = 3

    def __init__(self, areas: list[str], chosen: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setVerticalSpacing(2)
        self.boxes: list[QCheckBox] = []
        for area in areas:
            self.add_area(area, area in chosen)

    def add_area(self, area: str, checked: bool = False) -> None:
        box = QCheckBox(area)
        box.setChecked(checked)
        n = len(self.boxes)
        self.grid.addWidget(box, n // self.COLUMNS, n % self.COLUMNS)
        self.boxes.append(box)

    def checked(self) -> list[str]:
        return [b.text() for b in self.boxes if b.isChecked()]


class ParticipantDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        cohort_id: int,
        vocabulary: SchemeVocabulary,
        data: ParticipantData | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cohort_id = cohort_id
        # The cohort's focus areas; its own career stages and regions fill the two lists below.
        self.vocabulary = list(vocabulary.focus_areas)
        self.new_areas: list[str] = []
        self.original = data
        d = data or ParticipantData(first_name="", last_name="", email="", role="mentee")
        self.setWindowTitle(f"Edit {d.full_name}" if data else "Add participant")
        self.setMinimumSize(640, 620)

        # -- person ----------------------------------------------------------
        self.title_box = QComboBox()
        self.title_box.setObjectName("title")
        self.title_box.setEditable(True)
        self.title_box.addItems(["", *TITLES])
        self.title_box.setCurrentText(d.title)
        self.first_name = self._line("first_name", d.first_name, "Required")
        self.last_name = self._line("last_name", d.last_name, "Required")
        self.email = self._line("email", d.email, "name@example.org")
        self.phone = self._line("phone", d.phone)
        self.organisation = self._line("organisation", d.organisation, "Employer, e.g. an NHS trust")
        self.job_title = self._line("job_title", d.job_title)
        self.career_stage = QComboBox()
        self.career_stage.setObjectName("career_stage")
        self.career_stage.setEditable(True)
        self.career_stage.addItems(["", *vocabulary.career_stages])
        self.career_stage.setCurrentText(d.career_stage)
        self.region = QComboBox()
        self.region.setObjectName("region")
        self.region.setEditable(True)
        self.region.addItems(["", *vocabulary.regions])
        self.region.setCurrentText(d.region)
        self.membership = self._line("membership_number", d.membership_number)
        self.role = QComboBox()
        self.role.setObjectName("role")
        for key in ROLES:
            self.role.addItem(ROLE_LABELS[key], key)
        self.role.setCurrentIndex(max(0, self.role.findData(d.role)))
        self.consent = QCheckBox("Consent to data processing given")
        self.consent.setObjectName("consent")
        self.consent.setChecked(d.consent)
        self.consent_date = DateField(d.consent_date or dt.date.today(), objectName="consent_date")
        self.consent_date.setEnabled(d.consent)
        self.consent.toggled.connect(self.consent_date.setEnabled)
        # The date shown is today when none was recorded; it is saved only once it means something:
        # the person's date was known, consent is ticked now, or the date is set by hand.
        self._consent_date_set = d.consent_date is not None
        self.consent.toggled.connect(self._consent_date_chosen)
        self.consent_date.dateChanged.connect(self._consent_date_chosen)
        self.notes = QPlainTextEdit(d.notes)
        self.notes.setObjectName("notes")
        self.notes.setMaximumHeight(70)

        self.errors: dict[str, ErrorLabel] = {
            name: ErrorLabel()
            for name in (
                "first_name",
                "last_name",
                "email",
                "capacity",
                "goals",
                "expertise",
                "focus_areas",
                "consent_date",
                "other",
            )
        }
        person = QFormLayout()
        person.addRow("T&itle:", self.title_box)
        person.addRow("&First name:", with_error(self.first_name, self.errors["first_name"]))
        person.addRow("&Last name:", with_error(self.last_name, self.errors["last_name"]))
        person.addRow("&Email:", with_error(self.email, self.errors["email"]))
        person.addRow("&Phone:", self.phone)
        person.addRow("&Organisation:", self.organisation)
        person.addRow("&Job title:", self.job_title)
        person.addRow("Career &stage:", self.career_stage)
        person.addRow("Re&gion:", self.region)
        person.addRow("&Membership no.:", self.membership)
        person.addRow("&Role:", self.role)
        consent_row = QHBoxLayout()
        consent_row.addWidget(self.consent)
        consent_row.addWidget(QLabel("on"))
        consent_row.addWidget(self.consent_date)
        consent_row.addStretch()
        consent_box = QWidget()
        consent_box.setLayout(consent_row)
        consent_row.setContentsMargins(0, 0, 0, 0)
        person.addRow("Consent:", with_error(consent_box, self.errors["consent_date"]))
        person.addRow("&Notes:", self.notes)
        person_page = QWidget()
        person_page.setLayout(person)

        # -- mentee goals ------------------------------------------------------
        self.goal_text: dict[str, QPlainTextEdit] = {}
        self.goal_areas: dict[str, FocusAreaChecks] = {}
        goals_layout = QVBoxLayout()
        for horizon in HORIZONS:
            goal = d.goal(horizon) or GoalData(horizon)
            box = QGroupBox(f"{HORIZON_LABELS[horizon]} goal ({HORIZON_HINTS[horizon]})")
            text = QPlainTextEdit(goal.text)
            text.setObjectName(f"goal_{horizon}")
            text.setPlaceholderText("What the mentee wants to achieve")
            text.setFixedHeight(52)
            text.setTabChangesFocus(True)
            areas = FocusAreaChecks(self.vocabulary, goal.focus_areas)
            areas.setObjectName(f"goal_areas_{horizon}")
            inner = QVBoxLayout(box)
            inner.addWidget(text)
            inner.addWidget(areas)
            self.goal_text[horizon] = text
            self.goal_areas[horizon] = areas
            goals_layout.addWidget(box)
        goals_layout.addWidget(self.errors["goals"])
        goals_layout.addStretch()
        goals_widget = QWidget()
        goals_widget.setLayout(goals_layout)
        self.goals_page = self._scrolled(goals_widget)

        # -- mentor experience ---------------------------------------------------
        self.capacity = QSpinBox()
        self.capacity.setObjectName("capacity")
        self.capacity.setRange(0, MAX_CAPACITY)
        self.capacity.setValue(d.capacity if data and d.is_mentor else 1)
        self.capacity.setToolTip("How many mentees this mentor can take")
        self.availability = self._line("availability", d.availability, "e.g. monthly, weekday evenings")
        self.meeting = QComboBox()
        self.meeting.setObjectName("meeting_preference")
        for pref in MEETING_PREFERENCES:
            self.meeting.addItem(pref.capitalize(), pref)
        self.meeting.setCurrentIndex(max(0, self.meeting.findData(d.meeting_preference)))
        self.experience = QPlainTextEdit(d.experience)
        self.experience.setObjectName("experience")
        self.experience.setPlaceholderText("The mentor's experience, in their words")
        self.experience.setMaximumHeight(80)
        self.expertise = QTableWidget(len(self.vocabulary), 2)
        self.expertise.setObjectName("expertise")
        self.expertise.setHorizontalHeaderLabels(["Focus area", "Years"])
        self.expertise.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.expertise.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.expertise.verticalHeader().hide()
        years = {e.focus_area: e.years for e in d.expertise}
        for row, area in enumerate(self.vocabulary):
            self._set_expertise_row(row, area, years.get(area))
        mentor = QFormLayout()
        mentor.addRow("&Capacity:", with_error(self.capacity, self.errors["capacity"]))
        mentor.addRow("&Availability:", self.availability)
        mentor.addRow("Meeting &preference:", self.meeting)
        mentor.addRow("E&xperience:", self.experience)
        mentor.addRow("Expertise:", with_error(self.expertise, self.errors["expertise"]))
        self.mentor_page = QWidget()
        self.mentor_page.setLayout(mentor)

        self.tabs = QTabWidget()
        # The tabs go by Ctrl+Tab: their Alt letters would clash with the fields' (Phone, Region, Experience).
        self.tabs.addTab(self._scrolled(person_page), "Person")
        self.tabs.addTab(self.goals_page, "Goals (mentee)")
        self.tabs.addTab(self.mentor_page, "Experience (mentor)")
        self.tabs.setObjectName("tabs")

        add_area = QPushButton("New focus area…")
        add_area.setToolTip("Add a focus area to the cohort's vocabulary")
        add_area.clicked.connect(self._new_area)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.addButton(add_area, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(self.errors["focus_areas"])
        layout.addWidget(self.errors["other"])
        layout.addWidget(self.buttons)

        self.role.currentIndexChanged.connect(self._role_changed)
        self._role_changed()
        self.email.textChanged.connect(lambda _t: self.validate(show_only=("email",)))
        self.first_name.textChanged.connect(lambda _t: self.validate(show_only=("first_name",)))
        self.last_name.textChanged.connect(lambda _t: self.validate(show_only=("last_name",)))
        self.first_name.setFocus()

    # -- helpers ---------------------------------------------------------------
    def _line(self, name: str, value: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(value)
        edit.setObjectName(name)
        if placeholder:
            edit.setPlaceholderText(placeholder)
        return edit

    @staticmethod
    def _scrolled(widget: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidget(widget)
        area.setWidgetResizable(True)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        return area

    def _set_expertise_row(self, row: int, area: str, years: int | None) -> None:
        item = QTableWidgetItem(area)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
        item.setCheckState(Qt.CheckState.Checked if years is not None else Qt.CheckState.Unchecked)
        self.expertise.setItem(row, 0, item)
        spin = QSpinBox()
        spin.setRange(0, 80)
        spin.setSuffix(" years")
        spin.setValue(years or 0)
        spin.valueChanged.connect(lambda _v, it=item: it.setCheckState(Qt.CheckState.Checked))
        self.expertise.setCellWidget(row, 1, spin)

    def _role_changed(self) -> None:
        role = self.role.currentData()
        self.tabs.setTabEnabled(1, role in ("mentee", "both"))
        self.tabs.setTabEnabled(2, role in ("mentor", "both"))
        if role == "mentor" and self.capacity.value() < 1:
            self.capacity.setValue(1)

    def _new_area(self) -> None:
        text, ok = QInputDialog.getText(self, "New focus area", "Focus area to add to the cohort:")
        area = " ".join(text.split())
        if not ok or not area:
            return
        if any(a.casefold() == area.casefold() for a in self.vocabulary):
            self.errors["focus_areas"].show_error(f"'{area}' is already a focus area.")
            return
        self.vocabulary.append(area)
        self.new_areas.append(area)
        for areas in self.goal_areas.values():
            areas.add_area(area)
        row = self.expertise.rowCount()
        self.expertise.insertRow(row)
        self._set_expertise_row(row, area, None)
        self.errors["focus_areas"].show_error("")

    # -- data and validation ---------------------------------------------------
    def current_data(self) -> ParticipantData:
        role = self.role.currentData()
        goals = []
        if role in ("mentee", "both"):
            for horizon in HORIZONS:
                text = self.goal_text[horizon].toPlainText().strip()
                areas = self.goal_areas[horizon].checked()
                if text or areas:
                    goals.append(GoalData(horizon, text, areas))
        expertise = []
        if role in ("mentor", "both"):
            for row in range(self.expertise.rowCount()):
                item = self.expertise.item(row, 0)
                if item.checkState() == Qt.CheckState.Checked:
                    spin = self.expertise.cellWidget(row, 1)
                    expertise.append(ExpertiseData(item.text(), spin.value() if isinstance(spin, QSpinBox) else 0))
        original = self.original
        return ParticipantData(
            id=original.id if original else None,
            cohort_id=self.cohort_id,
            version_id=original.version_id if original else None,
            title=self.title_box.currentText().strip(),
            first_name=self.first_name.text().strip(),
            last_name=self.last_name.text().strip(),
            email=self.email.text().strip(),
            phone=self.phone.text().strip(),
            organisation=self.organisation.text().strip(),
            job_title=self.job_title.text().strip(),
            career_stage=self.career_stage.currentText().strip(),
            region=self.region.currentText().strip(),
            membership_number=self.membership.text().strip(),
            role=role,
            consent=self.consent.isChecked(),
            consent_date=self.consent_date.date() if self.consent.isChecked() and self._consent_date_set else None,
            notes=self.notes.toPlainText(),
            capacity=self.capacity.value() if role in ("mentor", "both") else 1,
            availability=self.availability.text().strip(),
            meeting_preference=self.meeting.currentData(),
            experience=self.experience.toPlainText().strip(),
            goals=goals,
            expertise=expertise,
        )

    def _consent_date_chosen(self, *_args: object) -> None:
        self._consent_date_set = True

    def validate(self, show_only: tuple[str, ...] | None = None) -> list:
        with self.ctx.db.session() as s:
            errors = validate_participant(self.current_data(), self.vocabulary, session=s, cohort_id=self.cohort_id)
        messages: dict[str, list[str]] = {}
        for e in errors:
            key = e.field if e.field in self.errors else "other"
            messages.setdefault(key, []).append(e.message)
        for key, label in self.errors.items():
            if show_only is None or key in show_only:
                label.show_error(" ".join(messages.get(key, [])))
        self._mark_tabs()
        return errors

    def _mark_tabs(self) -> None:
        """A warning sign on each tab that shows a problem, gone once its problems are."""
        warning = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        marked = {TAB_OF[key] for key, label in self.errors.items() if key in TAB_OF and label.text()}
        for n in range(self.tabs.count()):
            self.tabs.setTabIcon(n, warning if n in marked else QIcon())

    def accept(self) -> None:  # Qt override: refuse while anything is wrong
        errors = self.validate()
        if errors:
            self._show_problem(min(errors, key=lambda e: TAB_OF.get(e.field, len(TAB_OF))).field)  # the first tab's
            return
        super().accept()

    def _show_problem(self, field: str) -> None:
        """The first problem in sight: its tab, its message scrolled into view, the cursor in its field.

        The goals' message sits under the three goals, out of sight when the tab opens; each tab
        that holds a problem is marked, so a problem on another tab is not a surprise at the next OK.
        """
        tab = TAB_OF.get(field)
        if tab is None:
            return
        self.tabs.setCurrentIndex(tab)
        page = self.tabs.widget(tab)
        if isinstance(page, QScrollArea):
            page.ensureWidgetVisible(self.errors[field])
        target = {
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "goals": self.goal_text[HORIZONS[0]],
            "capacity": self.capacity,
            "expertise": self.expertise,
        }.get(field)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
