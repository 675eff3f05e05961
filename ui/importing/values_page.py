"""The "Check the answers" step: each answer of the file and the scheme value it becomes.

The core (:mod:`mentorapp.importing.reconcile`) collects the distinct answers of
every categorical column and proposes a scheme value for each, off the GUI
thread; this page shows them, one table per column, and lets the coordinator
change any line. A proposal the core is not sure of is a question: the page
cannot be left until each one is answered, and the Next button says how many
remain. The choices become the ``ValueMapping`` the plan applies (and the core
remembers with the cohort's column mapping).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QListView,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from mentorapp.errors import UserError
from mentorapp.importing.reconcile import ColumnValues, ValueMapping, propose_values
from mentorapp.store.models import Cohort
from mentorapp_ui.app.progress import ProgressRow
from mentorapp_ui.app.tasks import Task, run_task
from mentorapp_ui.importing.value_models import ChoiceDelegate, ColumnsModel, ValuesModel
from mentorapp_ui.importing.widgets import (
    ANSWERS_STEP,
    COLUMNS_STEP,
    FILE_STEP,
    ImportState,
    adopted_scheme,
    escape_html,
    read_rows,
    table_view,
    wrap,
)


def file_stamp(path: Path | None) -> tuple[int, int] | None:
    """When and how big: a file saved again since its answers were read is read again."""
    try:
        stat = path.stat() if path is not None else None
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size) if stat else None


def questions_left(models: list[ValuesModel]) -> str:
    """'3 questions in Career stage, 1 in Region', or '' when none is open."""
    parts = [(m.open_questions, m.label) for m in models if m.open_questions]
    if not parts:
        return ""
    (n, label), rest = parts[0], parts[1:]
    text = f"{n} question{'s' if n != 1 else ''} in {label}"
    return ", ".join([text] + [f"{k} in {lab}" for k, lab in rest])


class ValuesPage(QWizardPage):
    def __init__(self, wizard: ImportState) -> None:
        super().__init__()
        self.wiz = wizard
        self.task: Task | None = None
        self.models: list[ValuesModel] = []
        self._proposed_for: tuple | None = None
        self._reading: tuple | None = None
        self.setTitle(ANSWERS_STEP)
        self.setSubTitle(
            "Each answer in the file is stored as one of the cohort's values. Lines marked as questions need you: "
            "choose a value, or tick to accept the proposal. Your choices are remembered for this cohort."
        )
        self.progress = ProgressRow("&Stop")
        self.columns_model = ColumnsModel(self)
        self.columns_view = QListView()
        self.columns_view.setObjectName("valueColumns")
        self.columns_view.setModel(self.columns_model)
        self.columns_view.setToolTip("The columns whose answers come from a list; pick one to check its answers")
        self.columns_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.columns_view.setSpacing(3)
        self.columns_view.selectionModel().currentChanged.connect(self._column_chosen)
        self.table = table_view(None, stretch_last=False)
        self.table.setObjectName("valuesTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setItemDelegateForColumn(ValuesModel.CHOICE, ChoiceDelegate(self.table))
        self.accept_button = QPushButton("&Accept this column's proposals")
        self.accept_button.setObjectName("acceptProposals")
        self.accept_button.setToolTip("Tick every open question of this column, keeping the proposed values")
        self.accept_button.clicked.connect(self.accept_column)
        self.next_question = QPushButton("Next &question")
        self.next_question.setObjectName("nextQuestion")
        self.next_question.setToolTip("Go to the next line that still needs an answer (Ctrl+J)")
        self.next_question.clicked.connect(self.go_to_next_question)
        QShortcut(QKeySequence("Ctrl+J"), self, self.go_to_next_question)
        buttons = QHBoxLayout()
        buttons.addWidget(self.next_question)
        buttons.addWidget(self.accept_button)
        buttons.addStretch(1)
        right = QWidget()
        rv = QVBoxLayout(right)
        rv.setContentsMargins(0, 0, 0, 0)
        rv.addWidget(self.table, 1)
        rv.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.columns_view)
        split.addWidget(right)
        split.setStretchFactor(1, 1)
        split.setSizes([250, 740])
        self.status = wrap("")
        self.status.setObjectName("valuesStatus")
        self.status.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)

    # -- proposing, off the GUI thread ------------------------------------------
    def initializePage(self) -> None:  # Qt override
        self.refresh()

    def refresh(self) -> None:
        """Read the answers again unless they were read from this very file and mapping (Back keeps them)."""
        wiz = self.wiz
        adopt, order = wiz.cohort_empty and wiz.adopt_vocabulary, list(wiz.stage_order)
        key = (wiz.path, file_stamp(wiz.path), wiz.sheet, tuple(wiz.fields), adopt, tuple(order))
        if key == self._proposed_for:
            self._update()  # Back and Next again: the coordinator's answers stay
            return
        if self.task is not None and self.task.running and key == self._reading:
            return  # already reading them
        if self.task is not None:
            self.task.abandon()
            self.task.deleteLater()
        self._reading = key
        self._set_models([])
        self._proposed_for = None
        self.status.setText("Reading the answers of every row…")
        db, cohort_id, path, sheet, fields = wiz.ctx.db, wiz.cohort_id, wiz.path, wiz.sheet, list(wiz.fields)
        confirmed = wiz.values  # the answers given before (the file changed since): they stay given

        def job(report, cancelled) -> list[ColumnValues]:
            headers, rows = read_rows(path, sheet, report, cancelled)
            with db.session() as s:
                scheme = s.get(Cohort, cohort_id)
                if scheme is None:
                    raise UserError("The cohort no longer exists.")
                if adopt:  # the answers are mapped onto the lists the cohort takes from the file
                    scheme, _lists = adopted_scheme(s, cohort_id, fields, rows, order)
                return propose_values(headers, rows, fields, scheme, confirmed)

        self.task = run_task(
            job,
            self,
            on_done=lambda result, k=key: self._proposed(k, result),
            on_error=self._failed,
            on_finished=self._finished,
        )
        self.progress.follow(self.task)

    def cleanupPage(self) -> None:  # Qt override (Back)
        if self.task is not None and self.task.running:
            self.task.abandon()  # only reads: its answer is no longer wanted
            self.progress.hide()
            self._proposed_for = None

    @Slot()
    def _finished(self) -> None:
        self.progress.hide()
        self._update()

    @Slot(str)
    def _failed(self, message: str) -> None:
        if self.task is not None and self.task.cancel_requested:
            advice = f"Go back to “{COLUMNS_STEP}” and press Next to read them again."
        else:
            advice = (
                f"Go back to “{FILE_STEP}” and choose another file, "
                f"or to “{COLUMNS_STEP}” to change what a column imports as."
            )
        self.status.setText(f"<span style='color:#b3261e'>{escape_html(message)}</span> {advice}")

    def _proposed(self, key: tuple, columns: list[ColumnValues]) -> None:
        self._proposed_for = key
        self._set_models([ValuesModel(c, self) for c in columns if c.proposals])

    def _set_models(self, models: list[ValuesModel]) -> None:
        self.models = models
        for m in models:
            m.answers_changed.connect(self._update)
        self.columns_model.set_models(models)
        self.table.setModel(None)
        first = next((n for n, m in enumerate(models) if m.open_questions), 0)
        if models:
            self.columns_view.setCurrentIndex(self.columns_model.index(first))
        self._update()

    @Slot(QModelIndex)
    def _column_chosen(self, current: QModelIndex) -> None:
        if not current.isValid() or not 0 <= current.row() < len(self.models):
            return
        model = self.models[current.row()]
        self.table.setModel(model)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ValuesModel.VALUE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ValuesModel.ROWS, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ValuesModel.CHOICE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ValuesModel.CONFIDENCE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ValuesModel.CHOICE, 260)
        header.resizeSection(ValuesModel.CONFIDENCE, 190)
        self._update()

    # -- answering ---------------------------------------------------------------
    def current_model(self) -> ValuesModel | None:
        model = self.table.model()
        return model if isinstance(model, ValuesModel) else None

    def show_column(self, field: str) -> ValuesModel:
        """Show the answers of ``field`` (for tests and for the check page's pointer here)."""
        row = next(n for n, m in enumerate(self.models) if m.field == field)
        self.columns_view.setCurrentIndex(self.columns_model.index(row))
        return self.models[row]

    @Slot()
    def accept_column(self) -> None:
        model = self.current_model()
        if model is None:
            return
        for row, line in enumerate(model.lines):
            if line.open:
                index = model.index(row, ValuesModel.CONFIDENCE)
                model.setData(index, Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)

    @Slot()
    def go_to_next_question(self) -> None:
        """Select the next open question, in this column or the next one that has any."""
        if not self.models:
            return
        start = self.columns_view.currentIndex().row()
        order = list(range(max(start, 0), len(self.models))) + list(range(0, max(start, 0)))
        for n in order:
            model = self.models[n]
            row = next((r for r, line in enumerate(model.lines) if line.open), None)
            if row is not None:
                self.columns_view.setCurrentIndex(self.columns_model.index(n))
                target = model.index(row, ValuesModel.CHOICE)
                self.table.setCurrentIndex(target)
                self.table.selectionModel().select(target, QItemSelectionModel.SelectionFlag.ClearAndSelect)
                self.table.scrollTo(target)
                self.table.setFocus()
                return

    @Slot()
    def _update(self) -> None:
        left = sum(m.open_questions for m in self.models)
        model = self.current_model()
        self.accept_button.setEnabled(model is not None and model.open_questions > 0)
        self.next_question.setEnabled(left > 0)
        next_text = f"Next ({left} question{'s' if left != 1 else ''} left)" if left else "&Next >"
        self.setButtonText(QWizard.WizardButton.NextButton, next_text)
        if (self.task is not None and self.task.running) or self._proposed_for is None:
            pass
        elif not self.models:
            self.status.setText("No column holds answers from a list, so there is nothing to check here.")
        elif left:
            self.status.setText(
                f"<b style='color:#8a4b00'>Still to answer: {escape_html(questions_left(self.models))}.</b> "
                "Choose a value in “Becomes”, or tick the line to accept the proposal."
            )
        else:
            text = "<span style='color:#1e6b35'>Every answer has a value.</span>"
            likely = [m for m in self.models if m.likely]
            if likely:
                n = sum(m.likely for m in likely)
                where = ", ".join(escape_html(m.label) for m in likely)
                text += (
                    f" <span style='color:#1f4e99'>{n} likely proposal{'s' if n != 1 else ''} "
                    f"(in {where}) {'are' if n != 1 else 'is'} used as shown: look them over.</span>"
                )
            self.status.setText(text + " Next, check every row.")
        self.completeChanged.emit()

    def value_mapping(self) -> ValueMapping:
        return ValueMapping({m.field: m.choices() for m in self.models})

    def isComplete(self) -> bool:  # Qt override
        if (self.task is not None and self.task.running) or self._proposed_for is None:
            return False
        return all(m.open_questions == 0 for m in self.models)

    def validatePage(self) -> bool:  # Qt override
        wiz = self.wiz
        wiz.values = self.value_mapping()
        adopt = wiz.cohort_empty and wiz.adopt_vocabulary
        wiz.options = replace(
            wiz.options,
            values=wiz.values,
            adopt_vocabulary=adopt,
            stage_order=list(wiz.stage_order) if adopt else [],
        )
        return True
