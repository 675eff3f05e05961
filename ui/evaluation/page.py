"""The Evaluation page: who has answered at each stage, and a fast form to type responses in.

Every save and delete is an undoable command (Edit > Undo); the offline Excel
forms are exported and read back from the Evaluation menu with the same
all-or-nothing rules as the command line.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QEvent, QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mentorapp.evaluation.answer_dates import date_problem
from mentorapp.evaluation.instrument import (
    STAGE_LABELS,
    ResponseData,
    cohort_options,
    delete_response,
    get_response,
    restore,
    save_response,
    snapshot,
)
from mentorapp.evaluation.stats import responders
from mentorapp.store.models import Cohort
from mentorapp_ui.app.actions import WINDOW, ActionSpec
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.page import Page
from mentorapp_ui.app.undo import DbCommand, push_command
from mentorapp_ui.app.widgets import TableView
from mentorapp_ui.evaluation.form import ResponseForm
from mentorapp_ui.evaluation.model import (
    ANY,
    NAME,
    NOT_RESPONDED,
    RESPONDED,
    EvaluationFilterProxy,
    EvaluationRow,
    EvaluationTableModel,
    ParticipantIdRole,
)
from mentorapp_ui.evaluation.offline import OfflineForms
from mentorapp_ui.evaluation.settings_dialog import edit_evaluation_settings

STAGES = (("six_month", "Six months"), ("baseline", "Baseline"))
SHOW = ((ANY, "Everyone"), (NOT_RESPONDED, "Not answered yet"), (RESPONDED, "Answered"))
ROLES = (("", "Mentees and mentors"), ("mentee", "Mentees"), ("mentor", "Mentors"))


class EvaluationPage(Page):
    title = "Evaluation"
    name = "evaluation"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._declare_actions()
        self.model = EvaluationTableModel(self)
        self.proxy = EvaluationFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.stage_combo = QComboBox()
        self.stage_combo.setObjectName("stage")
        for key, label in STAGES:
            self.stage_combo.addItem(label, key)
        self.stage_combo.setToolTip("Which evaluation to look at and type in")
        self.show_combo = QComboBox()
        self.show_combo.setObjectName("show")
        for key, label in SHOW:
            self.show_combo.addItem(label, key)
        self.role_combo = QComboBox()
        self.role_combo.setObjectName("role")
        for key, label in ROLES:
            self.role_combo.addItem(label, key)
        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Find a name…")
        self.search.setClearButtonEnabled(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("counts")

        self.table = TableView()
        self.table.setObjectName("responders")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setAlternatingRowColors(True)

        self.form = ResponseForm()
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        # The form's own minimum (its longest label beside a date field, about 350) and a scroll bar's width: the
        # list beside it keeps the rest, and at 1024 wide the page fits (tests/ui/test_page_widths.py).
        scroll.setMinimumWidth(370)

        # The filters in two rows: in one they held the list at 530 wide, too wide beside the form at 1024.
        filters = QHBoxLayout()
        filters.addWidget(QLabel("&Stage:", buddy=self.stage_combo))
        filters.addWidget(self.stage_combo)
        filters.addWidget(QLabel("Sho&w:", buddy=self.show_combo))
        filters.addWidget(self.show_combo)
        filters.addStretch(1)
        find = QHBoxLayout()
        find.addWidget(self.role_combo)
        find.addWidget(self.search, 1)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(filters)
        column.addLayout(find)
        column.addWidget(self.count_label)
        column.addWidget(self.table, 1)
        self.splitter = QSplitter()
        self.splitter.addWidget(left)
        self.splitter.addWidget(scroll)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        self._stage = self.stage
        self._watched: QWidget | None = None
        self._saving = False  # a save is running: the refresh it causes must not touch the form
        self.stage_combo.currentIndexChanged.connect(self._stage_changed)
        self.show_combo.currentIndexChanged.connect(self._filters_changed)
        self.role_combo.currentIndexChanged.connect(self._filters_changed)
        self.search.textChanged.connect(self._filters_changed)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _i: self.form.focus_first())
        self.form.save_requested.connect(self.save_current)
        self.form.delete_requested.connect(self.delete_current)
        self._update_counts()

    # -- state -------------------------------------------------------------------------------
    @property
    def stage(self) -> str:
        return str(self.stage_combo.currentData())

    # -- unsaved answers: Save / Discard / Cancel on every way out ----------------------------
    def ask_unsaved(self) -> QMessageBox.StandardButton:
        """Ask what to do with the answers typed but not saved (tests replace this)."""
        name = self.form.heading.text().split(" · ")[0]
        return QMessageBox.question(
            self,
            "Unsaved answers",
            f"The answers typed for {name} are not saved yet.",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    def resolve_unsaved(self) -> bool:
        """True when the form may be replaced: nothing unsaved, saved now, or discarded."""
        if not self.form.is_dirty():
            return True
        answer = self.ask_unsaved()
        if answer == QMessageBox.StandardButton.Save:
            return self.save_current(advance=False)
        if answer == QMessageBox.StandardButton.Discard:
            self.form.set_participant(None, "", "", self.stage, None)
            return True
        return False

    def can_leave(self) -> bool:  # Page hook: another page, cohort or database
        return self.resolve_unsaved()

    def showEvent(self, event) -> None:  # Qt override: watch the window's close once the page is shown
        super().showEvent(event)
        window = self.window()
        if window is not self and window is not self._watched:
            window.installEventFilter(self)
            self._watched = window

    def eventFilter(self, watched, event) -> bool:  # Qt override
        if event.type() == QEvent.Type.Close and watched is self._watched and not self.resolve_unsaved():
            event.ignore()  # Cancel: the window stays open with the answers
            return True
        return super().eventFilter(watched, event)

    def _row_changed(self, current, previous) -> None:
        target = current.data(ParticipantIdRole) if current.isValid() else None
        if target != self.form.participant_id and self.form.is_dirty():
            # Put the selection back while asking; move on only if the answers are saved or discarded.
            model = self.table.selectionModel()
            model.blockSignals(True)
            if previous.isValid():
                model.setCurrentIndex(
                    previous,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
            model.blockSignals(False)
            self.table.viewport().update()
            if not self.resolve_unsaved():
                return
            if current.isValid():
                model.setCurrentIndex(
                    current, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
        self._load_current()

    def _stage_changed(self) -> None:
        if self.stage != self._stage and not self.resolve_unsaved():
            self.stage_combo.blockSignals(True)
            self.stage_combo.setCurrentIndex(self.stage_combo.findData(self._stage))
            self.stage_combo.blockSignals(False)
            return
        self._stage = self.stage
        self._filters_changed()

    def refresh(self) -> None:
        """Reload who answered; keep the selected participant."""
        current = self.current_participant()
        cohort_id = self.ctx.cohort_id
        rows: list[EvaluationRow] = []
        answered: set[tuple[int, str]] = set()
        if cohort_id is not None:
            with self.ctx.db.session() as s:
                for r in responders(s, cohort_id):
                    rows.append(
                        EvaluationRow(
                            r.participant_id, r.name, r.role, r.answered.get("baseline"), r.answered.get("six_month")
                        )
                    )
                    answered.update((r.participant_id, stage) for stage in r.answered)
        self.model.set_rows(rows, answered)
        self._update_counts()
        if current is not None and self.select_participant(current):
            return
        # Nothing chosen yet: start on the first row so typing can begin at once.
        first = self.proxy.index(0, 0)
        if not (first.isValid() and self.select_participant(int(first.data(ParticipantIdRole)))):
            self._load_current()

    def current_participant(self) -> int | None:
        index = self.table.currentIndex()
        return int(index.data(ParticipantIdRole)) if index.isValid() else None

    def select_participant(self, participant_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ParticipantIdRole) == participant_id:
                self.table.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
                )
                self.table.scrollTo(index)
                self._load_current()
                return True
        return False

    def _filters_changed(self) -> None:
        current = self.current_participant()
        self.proxy.set_filter(
            stage=self.stage,
            answered=str(self.show_combo.currentData()),
            role=str(self.role_combo.currentData()),
            text=self.search.text(),
        )
        self._update_counts()
        if current is None or not self.select_participant(current):
            self._load_current()

    def _update_counts(self) -> None:
        total = self.model.rowCount()
        answered_all = sum(1 for n in range(total) if self.model.has_answered(n, self.stage))
        answered, shown = self.proxy.counts()
        stage = STAGE_LABELS[self.stage]
        if total == 0:
            self.count_label.setText("Nobody to evaluate yet: participants appear here once they are matched.")
            return
        pct = round(100 * answered_all / total)
        text = f"{stage}: {answered_all} of {total} answered ({pct}%)."
        if shown != total:
            text += f" Showing {shown}" + (f", of whom {answered} answered." if shown else ".")
        self.count_label.setText(text)

    def _load_current(self) -> None:
        if self._saving:
            return
        index = self.table.currentIndex()
        if self.form.is_dirty():
            same = index.isValid() and index.data(ParticipantIdRole) == self.form.participant_id
            if same and self.form.stage == self.stage:
                return  # keep what is being typed (a refresh, a filter)
            if not self.resolve_unsaved():
                return
        if not index.isValid() or self.ctx.cohort_id is None:
            self.form.set_participant(None, "", "", self.stage, None)
            return
        row = self.model.row_at(self.proxy.mapToSource(index).row())
        with self.ctx.db.session() as s:
            response = get_response(s, row.participant_id, self.stage)
            cohort = s.get(Cohort, self.ctx.cohort_id)
            options = cohort_options(cohort.settings if cohort else None)
            default_day = _default_day(cohort, self.stage) if cohort else None
        self.form.set_participant(
            row.participant_id, row.name, row.role, self.stage, response, options=options, default_day=default_day
        )

    # -- saving and deleting (undoable) --------------------------------------------------------
    def save_current(self, *, advance: bool = True) -> bool:
        """Save the form (undoable); with ``advance`` go on to the next person, ready to type."""
        data = self.form.response()
        if data is None:
            return False
        if not data.answers:
            self.form.error.show_error("Type at least one answer, or use Delete response to remove one.")
            return False
        name = self.form.heading.text().split(" · ")[0]
        verb = "Edit" if self.form.has_response else "Enter"

        def do(s, _cmd) -> object:
            before = snapshot(s, data.participant_id, data.stage)
            save_response(s, ResponseData(data.participant_id, data.stage, dict(data.answers), data.submitted_on))
            return before

        def undo(s, cmd) -> None:
            restore(s, data.participant_id, data.stage, cmd.result)

        command = DbCommand(self.ctx, f"{verb} {STAGE_LABELS[data.stage].lower()} evaluation of {name}", do, undo)
        self._saving = True
        try:
            pushed = push_command(self.ctx, command)
        finally:
            self._saving = False
        if not pushed:
            self.form.error.show_error(str(command.error))
            return False
        self.form.set_participant(None, "", "", self.stage, None)  # saved: nothing unsaved is left
        if advance:
            self._go_to_next(data.participant_id)
        return True

    def _go_to_next(self, participant_id: int) -> None:
        """After a save: the next row in the list, ready for typing."""
        rows = [self.proxy.index(r, 0).data(ParticipantIdRole) for r in range(self.proxy.rowCount())]
        if participant_id in rows:
            position = rows.index(participant_id)
            target = rows[position + 1] if position + 1 < len(rows) else participant_id
        elif rows:
            target = rows[0]
        else:
            return
        self.select_participant(target)
        self.form.focus_first()

    def delete_current(self) -> bool:
        pid, stage = self.form.participant_id, self.form.stage
        if pid is None or not self.form.has_response:
            return False
        name = self.form.heading.text().split(" · ")[0]

        def do(s, _cmd) -> object:
            return delete_response(s, pid, stage)

        def undo(s, cmd) -> None:
            restore(s, pid, stage, cmd.result)

        command = DbCommand(self.ctx, f"Delete {STAGE_LABELS[stage].lower()} evaluation of {name}", do, undo)
        ok = push_command(self.ctx, command)
        if not ok:
            self.form.error.show_error(str(command.error))
        return ok

    # -- offline forms (mentorapp_ui.evaluation.offline) ------------------------------------------
    def _declare_actions(self) -> None:
        self.offline = OfflineForms(self)
        self.offline.declare()
        self.declare(
            ActionSpec(
                "evaluation.settings",
                "Evaluation &settings…",
                lambda: edit_evaluation_settings(self.ctx, self),
                places=("Evaluation/settings",),
                tool_tip="The cohort's success criteria, comment themes and the optional 'looking back' question",
                scope=WINDOW,
            )
        )

    def export_form(self) -> None:
        self.offline.export_grid()

    def import_forms(self) -> None:
        self.offline.import_files()

    def import_form(self, path: str, *, confirm: bool = True) -> bool:
        """Check one form (or a folder of them), show its problems or what will change, then import it."""
        return self.offline.import_path(path, confirm=confirm)


def _default_day(cohort: Cohort, stage: str) -> dt.date:
    """Today when it is a date an answer may carry, else the stage's own date (an old cohort's forms)."""
    today = dt.date.today()
    if date_problem(today, cohort) is None:
        return today
    return cohort.start_date if stage == "baseline" else cohort.evaluation_date
