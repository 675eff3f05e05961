"""The last two pages of the import wizard: check every row, then import them in one transaction."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Slot
from PySide6.QtWidgets import QCheckBox, QSplitter, QVBoxLayout, QWizard, QWizardPage

from mentorapp.importing import LABELS, ImportPlan, ImportResult, apply_plan, build_plan
from mentorapp.importing.reconcile import ValueProposal
from mentorapp_ui.app.progress import ProgressRow
from mentorapp_ui.app.tasks import Task, run_task
from mentorapp_ui.importing.models import ProblemsModel, ResultsModel
from mentorapp_ui.importing.returning_panel import ReturningPanel
from mentorapp_ui.importing.widgets import (
    ANSWERS_STEP,
    COLUMNS_STEP,
    FILE_STEP,
    ImportState,
    escape_html,
    table_view,
    wrap,
)

NEW_WORDS = {
    "career_stage": "career stages",
    "region": "regions",
    "title": "titles",
    "focus_areas": "focus areas",
}


def questions_refusal(questions: list[ValueProposal]) -> str:
    """'Go back to “Check the answers” and choose a value for the 3 questions in Career stage.'"""
    by_field: dict[str, int] = {}
    for q in questions:
        by_field[q.field] = by_field.get(q.field, 0) + 1
    parts = [f"{n} question{'s' if n != 1 else ''} in {LABELS.get(f, f)}" for f, n in by_field.items()]
    return f"Go back to “{ANSWERS_STEP}” and choose a value for the {' and the '.join(parts)}."


def vocabulary_news(plan: ImportPlan) -> str:
    """What the import adds to (or makes of) the cohort's lists, in one or two sentences."""
    if plan.adopted:
        lists = [f"{len(v)} {k.replace('_', ' ')}" for k, v in plan.adopted.items()]
        stages = plan.adopted.get("career_stages", [])
        text = f"The cohort takes the form's words as its lists: {', '.join(lists)}."
        if stages:
            text += f" Career stages, most junior first: {', '.join(stages)}."
        return escape_html(text)
    added: dict[str, list[str]] = {}
    for f, answers in plan.resolution.added.items():
        group = "focus_areas" if f.startswith("focus") or f == "expertise_areas" else f
        for a in answers:
            if a.casefold() not in (x.casefold() for x in added.get(group, [])):
                added.setdefault(group, []).append(a)
    if not added:
        return ""
    parts = [f"{NEW_WORDS.get(g, g)}: {', '.join(a)}" for g, a in added.items()]
    return escape_html(f"Added to the cohort's lists as new: {'; '.join(parts)}.")


class CheckPage(QWizardPage):
    def __init__(self, wizard: ImportState) -> None:
        super().__init__()
        self.wiz = wizard
        self.task: Task | None = None
        self.setTitle("Check every row")
        self.setSubTitle("Nothing has been written yet. Cells with problems are highlighted; hover for the reason.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.progress = ProgressRow("&Stop")
        self.summary = wrap("")
        self.summary.setObjectName("checkSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.areas = wrap("")
        self.areas.setObjectName("vocabularyNews")
        self.only_problems = QCheckBox("Show only rows with problems")
        self.only_problems.setObjectName("onlyProblems")
        self.only_problems.toggled.connect(self._filter)
        self.rows_model = ResultsModel(self)
        self.rows_view = table_view(self.rows_model, stretch_last=False)
        self.rows_view.setObjectName("resultsTable")
        self.rows_view.horizontalHeader().setDefaultSectionSize(140)
        self.rows_view.verticalHeader().hide()
        self.problems_model = ProblemsModel(self)
        self.problems_view = table_view(self.problems_model)
        self.problems_view.setObjectName("problemsTable")
        self.problems_view.verticalHeader().hide()
        self.problems_view.horizontalHeader().resizeSection(0, 50)
        self.problems_view.horizontalHeader().resizeSection(1, 220)
        self.problems_view.horizontalHeader().resizeSection(2, 200)
        self.problems_view.clicked.connect(self._problem_clicked)
        self.skip_invalid = QCheckBox("S&kip the rows with problems and import the others")
        self.skip_invalid.setObjectName("skipInvalid")
        self.skip_invalid.toggled.connect(lambda _on: self.completeChanged.emit())
        self.returning = ReturningPanel()
        self.returning.setObjectName("returningPanel")
        self.returning.answered.connect(self.completeChanged.emit)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.rows_view)
        split.addWidget(self.returning)
        split.addWidget(self.problems_view)
        split.setSizes([260, 180, 140])
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.areas)
        layout.addWidget(self.only_problems)
        layout.addWidget(split, 1)
        layout.addWidget(self.skip_invalid)

    def initializePage(self) -> None:  # Qt override
        self.wiz.plan = None
        self.rows_model.set_plan(None)
        self.returning.set_plan(None)
        self.problems_model.set_problems([])
        self.summary.setText("Reading and checking every row…")
        self.areas.setText("")
        self.areas.hide()
        self.skip_invalid.setChecked(False)
        self.skip_invalid.setEnabled(False)
        self.only_problems.setEnabled(False)
        wiz = self.wiz
        db, cohort_id, path, fields, options, sheet = (
            wiz.ctx.db,
            wiz.cohort_id,
            wiz.path,
            list(wiz.fields),
            wiz.options,
            wiz.sheet,
        )

        def job(report, cancelled) -> ImportPlan:
            with db.session() as s:
                return build_plan(
                    s, cohort_id, path, fields, options, sheet=sheet, progress=report, cancelled=cancelled
                )

        self.task = run_task(job, self, on_done=self._checked, on_error=self._failed, on_finished=self._finished)
        self.progress.follow(self.task)

    def cleanupPage(self) -> None:  # Qt override (Back)
        if self.task is not None:
            self.task.abandon()  # the check only reads: its answer is no longer wanted
            self.progress.hide()

    @Slot()
    def _finished(self) -> None:
        self.progress.hide()
        self.completeChanged.emit()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.summary.setText(
            f"<span style='color:#b3261e'>{escape_html(message)}</span> Go back to “{FILE_STEP}” "
            f"and choose another file, or to “{COLUMNS_STEP}” to change what a column imports as."
        )

    @Slot(object)
    def _checked(self, plan: ImportPlan) -> None:
        self.wiz.plan = plan
        self.rows_model.set_plan(plan, self.only_problems.isChecked())
        self.problems_model.set_problems(plan.problems)
        self.returning.set_plan(plan)
        errors = plan.count("error")
        parts = [
            f"<b>{plan.count('create'):,}</b> new participants",
            f"<b>{plan.count('update'):,}</b> to update",
            f"<b>{plan.count('skip'):,}</b> to skip",
        ]
        text = ", ".join(parts)
        if errors:
            text += f", <b style='color:#b3261e'>{errors:,} row{'s' if errors != 1 else ''} with problems</b>"
        text += "." if errors else ". <span style='color:#1e6b35'>No problems found.</span>"
        if plan.blank_rows:
            text += f" {plan.blank_rows} blank rows are ignored."
        if plan.questions:
            text += f"<br><b style='color:#8a4b00'>{escape_html(questions_refusal(plan.questions))}</b>"
        elif errors:
            text += (
                f" Correct the file and choose it again on “{FILE_STEP}”, or skip those rows. "
                f"If a column imports as the wrong field, go back to “{COLUMNS_STEP}”."
            )
        for warning in plan.warnings:
            text += f"<br>{escape_html(warning)}"
        self.summary.setText(text)
        self.problems_view.setVisible(bool(plan.problems))
        words = vocabulary_news(plan)
        self.areas.setVisible(bool(words))
        self.areas.setText(words)
        self.skip_invalid.setEnabled(errors > 0)
        self.only_problems.setEnabled(errors > 0)
        self.only_problems.setChecked(errors > 0)
        self.rows_view.resizeColumnToContents(0)
        self.rows_view.resizeColumnToContents(1)

    @Slot(bool)
    def _filter(self, only: bool) -> None:
        self.rows_model.set_plan(self.wiz.plan, only)

    @Slot(QModelIndex)
    def _problem_clicked(self, index: QModelIndex) -> None:
        problem = self.problems_model.problems[index.row()]
        for n, row in enumerate(self.rows_model.rows):
            if row.row == problem.row:
                col = 0
                if problem.column_index in self.rows_model.columns:
                    col = self.rows_model.columns.index(problem.column_index) + 2
                target = self.rows_model.index(n, col)
                self.rows_view.scrollTo(target)
                self.rows_view.setCurrentIndex(target)
                return

    def validatePage(self) -> bool:  # Qt override (Import)
        self.wiz.skip_invalid = self.skip_invalid.isChecked()
        return True

    def isComplete(self) -> bool:  # Qt override
        plan = self.wiz.plan
        if plan is None or (self.task is not None and self.task.running):
            return False
        if self.returning.open_questions():
            return False  # every "is this the same person?" is answered first
        return not plan.has_errors or self.skip_invalid.isChecked()


class DonePage(QWizardPage):
    def __init__(self, wizard: ImportState) -> None:
        super().__init__()
        self.wiz = wizard
        self.task: Task | None = None
        self.setTitle("Import")
        self.progress = ProgressRow("&Stop import")
        self.progress.stop.setToolTip("Stop and undo the import: nothing is kept")
        self.message = wrap("")
        self.message.setObjectName("importResult")
        self.message.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def initializePage(self) -> None:  # Qt override
        plan = self.wiz.plan
        assert plan is not None
        skip = self.wiz.skip_invalid
        self.message.setText("Importing in one transaction: either every row goes in, or none does…")
        db = self.wiz.ctx.db

        def job(report, cancelled) -> ImportResult:
            return apply_plan(db, plan, skip_invalid=skip, progress=report, cancelled=cancelled)

        self.task = run_task(job, self, on_done=self._imported, on_error=self._failed, on_finished=self._finished)
        self.progress.follow(self.task)

    @Slot()
    def _finished(self) -> None:
        self.progress.hide()
        self.completeChanged.emit()

    @Slot(object)
    def _imported(self, result: ImportResult) -> None:
        self.wiz.result = result
        self.setTitle("Imported")
        self.message.setText(
            f"<p style='font-size:12pt'>{escape_html(result.summary())}</p>"
            "<p>The columns and what each answer became are saved for this cohort, so next time the same form "
            "imports without questions. "
            "The new participants are on the Participants page, and the import is recorded in the activity log.</p>"
        )
        self.wiz.ctx.notify_changed()
        self.wiz.ctx.show_status(result.summary())

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.setTitle("Nothing was imported")
        self.message.setText(
            f"<p style='color:#b3261e; font-size:12pt'>{escape_html(message)}</p>"
            "<p>The database is exactly as it was before.</p>"
        )

    def isComplete(self) -> bool:  # Qt override
        return self.task is not None and not self.task.running
