"""Create and edit a cohort: name, dates, status and focus-area vocabulary."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from mentorapp.people.cohort_from import note_copied
from mentorapp.people.cohorts import CohortData, create_cohort, default_evaluation_date, delete_cohort, update_cohort
from mentorapp.people.validation import FieldError
from mentorapp.people.vocabulary import COHORT_STATUS_LABELS
from mentorapp.store.models import COHORT_STATUSES, Cohort
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.undo import DbCommand, push_command
from mentorapp_ui.app.widgets import DateField, ErrorLabel, with_error


class CohortDialog(QDialog):
    """Validates as the coordinator types; OK stays usable and explains what is wrong."""

    def __init__(self, ctx: AppContext, data: CohortData, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data = data
        self.setWindowTitle("Edit cohort" if data.id else "New cohort")
        self.setMinimumWidth(520)
        self._evaluation_touched = data.id is not None

        self.name = QLineEdit(data.name)
        self.name.setObjectName("name")
        self.name.setPlaceholderText("e.g. Future Leaders pilot 2021")
        self.name_error = ErrorLabel()
        self.start = DateField(data.start_date, objectName="start")
        self.evaluation = DateField(
            data.evaluation_date or default_evaluation_date(data.start_date), objectName="evaluation"
        )
        self.evaluation.setToolTip("When the formal evaluation is due (default: six months after the start)")
        self.evaluation_error = ErrorLabel()
        self.status = QComboBox()
        self.status.setObjectName("status")
        for key in COHORT_STATUSES:
            self.status.addItem(COHORT_STATUS_LABELS[key], key)
        self.status.setCurrentIndex(max(0, self.status.findData(data.status)))
        # A new cohort may start from an earlier one: its vocabulary, mappings, weights, criteria and templates.
        self.earlier = QComboBox()
        self.earlier.setObjectName("startFrom")
        self.earlier.addItem("Nothing: the standard lists", None)
        self.copied_note = QLabel()
        self.copied_note.setObjectName("copiedNote")
        self.copied_note.setWordWrap(True)
        self._blank = (list(data.focus_areas), list(data.career_stages), list(data.regions), dict(data.settings))
        if data.id is None:
            with ctx.db.session() as s:
                for cohort in s.scalars(select(Cohort).order_by(Cohort.start_date.desc(), Cohort.id.desc())):
                    self.earlier.addItem(cohort.name, cohort.id)
        self.earlier.setToolTip(
            "Take over an earlier cohort's focus areas, career stages, regions, the form's mappings, matching "
            "weights, success criteria and templates, so next year's form imports without questions"
        )
        self.earlier.currentIndexChanged.connect(self._earlier_chosen)

        # A new cohort's focus areas are typed here; an existing cohort's are changed with
        # Cohort > Vocabulary…, the one way that makes its participants and matches follow.
        self._areas_editable = data.id is None
        self.areas = QListWidget()
        self.areas.setObjectName("focusAreas")
        self.areas.setToolTip(
            "The focus areas participants choose from. Double-click to rename."
            if self._areas_editable
            else "The focus areas participants choose from: change them with Cohort > Vocabulary… (Ctrl+Shift+V)."
        )
        for area in data.focus_areas:
            self._add_area_item(area)
        add = QPushButton("Add…")
        add.clicked.connect(self._add_area)
        remove = QPushButton("Remove")
        remove.clicked.connect(self._remove_area)
        area_buttons = QVBoxLayout()
        area_buttons.addWidget(add)
        area_buttons.addWidget(remove)
        if not self._areas_editable:
            add.hide()
            remove.hide()
            note = QLabel("Rename, merge or reorder them with Cohort > Vocabulary…; participants follow.")
            note.setObjectName("vocabularyNote")
            note.setWordWrap(True)
            area_buttons.addWidget(note)
        area_buttons.addStretch()
        area_row = QHBoxLayout()
        area_row.addWidget(self.areas)
        area_row.addLayout(area_buttons)
        self.areas_error = ErrorLabel()

        form = QFormLayout()
        form.addRow("&Name:", with_error(self.name, self.name_error))
        form.addRow("&Start date:", self.start)
        form.addRow("E&valuation date:", with_error(self.evaluation, self.evaluation_error))
        form.addRow("S&tatus:", self.status)
        if data.id is None:
            form.addRow("Start f&rom:", self.earlier)
            form.addRow("", self.copied_note)
        areas_label = QLabel("&Focus areas:")
        areas_label.setBuddy(self.areas)
        areas_label.setAlignment(Qt.AlignmentFlag.AlignTop)
        area_box = QWidget()
        area_box.setLayout(area_row)
        area_row.setContentsMargins(0, 0, 0, 0)
        form.addRow(areas_label, with_error(area_box, self.areas_error))

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.start.dateChanged.connect(self._start_changed)
        self.evaluation.dateChanged.connect(self._evaluation_edited)
        self.name.textChanged.connect(lambda _t: self.validate(show_only=("name",)))

    def earlier_id(self) -> int | None:
        """The earlier cohort this new one starts from, if one was chosen."""
        return self.earlier.currentData()

    def _earlier_chosen(self) -> None:
        from mentorapp.people.cohort_from import cohort_data_from, copied_labels

        earlier_id = self.earlier_id()
        if earlier_id is None:
            areas, self.data.career_stages, self.data.regions, self.data.settings = (
                list(self._blank[0]),
                list(self._blank[1]),
                list(self._blank[2]),
                dict(self._blank[3]),
            )
            self.copied_note.setText("")
        else:
            with self.ctx.db.session() as s:
                earlier = s.get(Cohort, earlier_id)
                taken = cohort_data_from(earlier, "", self.start.date())
                labels = copied_labels(earlier)
            areas = taken.focus_areas
            self.data.career_stages, self.data.regions, self.data.settings = (
                taken.career_stages,
                taken.regions,
                taken.settings,
            )
            self.copied_note.setText(f"Takes over from '{self.earlier.currentText()}': {', '.join(labels)}.")
        self.areas.clear()
        for area in areas:
            self._add_area_item(area)
        self.validate(show_only=("focus_areas",))

    def _add_area_item(self, area: str) -> None:
        item = QListWidgetItem(area)
        if self._areas_editable:
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.areas.addItem(item)

    def _add_area(self) -> None:
        text, ok = QInputDialog.getText(self, "Add focus area", "Focus area:")
        if ok and text.strip():
            self._add_area_item(" ".join(text.split()))
            self.validate(show_only=("focus_areas",))

    def _remove_area(self) -> None:
        for item in self.areas.selectedItems():
            self.areas.takeItem(self.areas.row(item))

    def _start_changed(self, day: dt.date) -> None:
        if not self._evaluation_touched:
            self.evaluation.blockSignals(True)
            self.evaluation.setDate(default_evaluation_date(day))
            self.evaluation.blockSignals(False)
        self.validate(show_only=("evaluation_date",))

    def _evaluation_edited(self, _day: dt.date) -> None:
        self._evaluation_touched = True
        self.validate(show_only=("evaluation_date",))

    def current_data(self) -> CohortData:
        return CohortData(
            id=self.data.id,
            name=self.name.text().strip(),
            start_date=self.start.date(),
            evaluation_date=self.evaluation.date(),
            status=self.status.currentData(),
            focus_areas=[self.areas.item(i).text().strip() for i in range(self.areas.count())],
            # Kept as they are: this dialog does not edit them (Cohort > Vocabulary… does).
            career_stages=list(self.data.career_stages),
            regions=list(self.data.regions),
            settings=dict(self.data.settings),
        )

    def validate(self, show_only: tuple[str, ...] | None = None) -> list[FieldError]:
        from mentorapp.people.cohorts import validate_cohort

        with self.ctx.db.session() as s:
            errors = validate_cohort(self.current_data(), s)
        by_field: dict[str, str] = {}
        for e in errors:
            by_field.setdefault(e.field, e.message)
        for field, label in (
            ("name", self.name_error),
            ("evaluation_date", self.evaluation_error),
            ("focus_areas", self.areas_error),
        ):
            if show_only is None or field in show_only:
                label.show_error(by_field.get(field, ""))
        return errors

    def accept(self) -> None:  # Qt override: refuse while anything is wrong
        if self.validate():
            return
        super().accept()


def new_cohort(ctx: AppContext, parent: QWidget | None = None) -> int | None:
    """Ask for a new cohort and create it (undoable); returns its id."""
    dialog = CohortDialog(ctx, CohortData(name="", start_date=dt.date.today()), parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    data = dialog.current_data()
    earlier_id = dialog.earlier_id()

    def do(session, cmd: DbCommand) -> int:
        cohort = create_cohort(session, data)
        data.id = cohort.id  # redo re-creates the same cohort
        earlier = session.get(Cohort, earlier_id) if earlier_id is not None else None
        if earlier is not None:
            note_copied(session, cohort, earlier)
        return cohort.id

    def undo(session, cmd: DbCommand) -> None:
        delete_cohort(session, cmd.result)

    command = DbCommand(ctx, f"New cohort '{data.name}'", do, undo)
    return command.result if push_command(ctx, command) else None


def edit_cohort(ctx: AppContext, cohort_id: int, parent: QWidget | None = None) -> bool:
    """Edit a cohort in the dialog; the change can be undone."""
    with ctx.db.session() as s:
        cohort = s.get(Cohort, cohort_id)
        if cohort is None:
            return False
        before = CohortData.from_model(cohort)
    dialog = CohortDialog(ctx, before, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    after = dialog.current_data()
    command = DbCommand(
        ctx,
        f"Edit cohort '{after.name}'",
        lambda s, _c: update_cohort(s, after),
        lambda s, _c: update_cohort(s, before),
    )
    return push_command(ctx, command)
