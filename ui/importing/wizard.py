"""The import wizard: file, columns, check, import.

Every decision (mapping, interpretation, validation, the transaction) is made
by :mod:`mentorapp.importing`; the wizard shows it and lets the coordinator
change the mapping and options. Reading, checking and importing run off the
GUI thread with a progress bar and a Stop button. :func:`install_import`
adds File > Import applications… (Ctrl+I) and file drops to the main window.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from mentorapp.errors import UserError
from mentorapp.importing import (
    ImportOptions,
    ImportPlan,
    ImportResult,
    apply_plan,
    build_plan,
    mapping_problems,
    preview,
    saved_settings,
    suggest_mapping,
)
from mentorapp.importing.readers import FILE_FILTER, SUPPORTED, Table, list_sheets
from mentorapp.store.models import Cohort
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.progress import ProgressRow
from mentorapp_ui.app.tasks import Task, run_task
from mentorapp_ui.app.widgets import ErrorLabel
from mentorapp_ui.importing.models import (
    CHOICES,
    FIELD_ROLE,
    HINTS,
    MappingModel,
    PreviewModel,
    ProblemsModel,
    ResultsModel,
)

if TYPE_CHECKING:
    from mentorapp_ui.app.main_window import MainWindow

PREVIEW_ROWS = 5
DUPLICATE_CHOICES = (
    ("skip", "Skip them (keep what is in mentorapp)"),
    ("update", "Update the participant from the file"),
    ("error", "Stop: report them as problems"),
)
ROLE_CHOICES = (
    (None, "None: report rows without a role"),
    ("mentee", "Mentee"),
    ("mentor", "Mentor"),
    ("both", "Mentor and mentee"),
)


def _wrap(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _table(model, *, stretch_last: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setStretchLastSection(stretch_last)
    return view


def dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
    """The one spreadsheet or CSV file being dragged, else None."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    if len(files) == 1 and files[0].suffix.lower() in SUPPORTED:
        return files[0]
    return None


class ImportWizard(QWizard):
    """Import applications into the current cohort, all or nothing."""

    FILE, MAPPING, CHECK, DONE = range(4)

    def __init__(self, ctx: AppContext, path: str | Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cohort_id = ctx.cohort_id
        with ctx.db.session() as s:
            cohort = s.get(Cohort, self.cohort_id) if self.cohort_id is not None else None
            if cohort is None:
                raise UserError("Choose or create a cohort before importing applications.")
            self.cohort_name = cohort.name
            self.saved_columns, self.saved_options = saved_settings(s, cohort.id)
        self.path: Path | None = None
        self.sheet: str | None = None
        self.table: Table | None = None
        self.preview_rows: list[list[Any]] = []
        self.fields: list[str] = []
        self.mapped_for: tuple[Path, str | None] | None = None
        self.options = self.saved_options
        self.plan: ImportPlan | None = None
        self.result: ImportResult | None = None
        self._close_when_imported = False
        self.setWindowTitle(f"Import applications into {self.cohort_name}")
        self.setObjectName("importWizard")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnLastPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, True)
        self.setAcceptDrops(True)
        self.file_page = FilePage(self)
        self.mapping_page = MappingPage(self)
        self.check_page = CheckPage(self)
        self.done_page = DonePage(self)
        self.setPage(self.FILE, self.file_page)
        self.setPage(self.MAPPING, self.mapping_page)
        self.setPage(self.CHECK, self.check_page)
        self.setPage(self.DONE, self.done_page)
        self.resize(1040, 700)
        if path:
            self.file_page.set_file(Path(path))

    # -- drops on the wizard ------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        if dropped_file(event) is not None and self.currentId() in (self.FILE, self.MAPPING):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override
        path = dropped_file(event)
        if path is None or self.currentId() not in (self.FILE, self.MAPPING):
            event.ignore()
            return
        event.acceptProposedAction()
        if self.currentId() != self.FILE:
            self.back()
        self.file_page.set_file(path)

    # -- closing ------------------------------------------------------------------
    def running_task(self) -> Task | None:
        for page in (self.file_page, self.check_page, self.done_page):
            if page.task is not None and page.task.running:
                return page.task
        return None

    def reject(self) -> None:  # Qt override
        """Close; a running import is stopped first (it undoes itself) and the wizard closes when it has."""
        importing = self.done_page.task
        if importing is not None and importing.running:
            importing.cancel()
            if not self._close_when_imported:
                self._close_when_imported = True
                importing.finished.connect(self.reject)
            return
        super().reject()

    def done(self, result: int) -> None:  # Qt override
        for page in (self.file_page, self.check_page):
            if page.task is not None:
                page.task.abandon()  # only read: its answer is no longer wanted
        if self.done_page.task is not None:
            self.done_page.task.cancel()
        super().done(result)


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.task: Task | None = None
        self._generation = 0
        self.setTitle("Choose the file")
        self.setSubTitle(
            f"Applications go into the cohort “{wizard.cohort_name}”. Choose the spreadsheet or CSV file "
            "your application form produced, or drop it on this window. The file is only read, never changed."
        )
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText("A .xlsx, .xls, .csv or .txt file")
        self.path_edit.editingFinished.connect(self._path_typed)
        self.browse = QPushButton("&Browse…")
        self.browse.setObjectName("importBrowse")
        self.browse.clicked.connect(self.choose_file)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        self.sheet_combo = QComboBox()
        self.sheet_combo.setObjectName("importSheet")
        self.sheet_combo.setToolTip("The sheet that holds the applications")
        self.sheet_combo.currentIndexChanged.connect(self._sheet_chosen)
        self.sheet_label = QLabel("&Sheet:")
        self.sheet_label.setBuddy(self.sheet_combo)
        self.info = _wrap("")
        self.info.setObjectName("importFileInfo")
        self.error = ErrorLabel()
        self.error.setObjectName("importFileError")
        form = QFormLayout()
        file_label = QLabel("&File:")
        file_label.setBuddy(self.path_edit)
        form.addRow(file_label, row)
        form.addRow(self.sheet_label, self.sheet_combo)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.info)
        layout.addWidget(self.error)
        layout.addStretch(1)
        hint = _wrap(
            "Tip: File > Export application template… gives a spreadsheet whose columns are recognised at once; "
            "send it out or use its headers in your online form."
        )
        hint.setStyleSheet("color: palette(mid);")
        layout.addWidget(hint)
        self._show_sheets(False)

    def _show_sheets(self, visible: bool) -> None:
        self.sheet_combo.setVisible(visible)
        self.sheet_label.setVisible(visible)

    @Slot()
    def choose_file(self) -> None:
        start = str(self.wiz.path.parent) if self.wiz.path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(self, "Choose the applications file", start, FILE_FILTER)
        if path:
            self.set_file(Path(path))

    @Slot()
    def _path_typed(self) -> None:
        text = self.path_edit.text().strip()
        if text and (self.wiz.path is None or Path(text) != self.wiz.path):
            self.set_file(Path(text))

    def set_file(self, path: Path) -> None:
        """Read the sheet names and the first rows of ``path`` off the GUI thread (a big workbook takes a while)."""
        self.wiz.path = path
        self.path_edit.setText(str(path))
        self.sheet_combo.blockSignals(True)
        self.sheet_combo.clear()
        self.sheet_combo.blockSignals(False)
        self._show_sheets(False)
        self._load(None)

    @Slot(int)
    def _sheet_chosen(self, index: int) -> None:
        if index >= 0 and self.wiz.path is not None:
            self._load(self.sheet_combo.itemText(index))

    def _load(self, sheet: str | None) -> None:
        path = self.wiz.path
        assert path is not None
        if self.task is not None:
            self.task.abandon()
            self.task.deleteLater()
        self._generation += 1
        generation = self._generation  # a slower earlier read must not overwrite this one
        self.wiz.table = None
        self.error.show_error("")
        self.info.setText(f"Reading {path.name}…")
        self.completeChanged.emit()
        want_sheets = sheet is None

        def job(_report, _cancelled):
            sheets = list_sheets(path) if want_sheets else None
            table, rows = preview(path, sheet, PREVIEW_ROWS)
            return sheets, table, rows

        self.task = run_task(
            job,
            self,
            on_done=lambda result: generation == self._generation and self._loaded(result),
            on_error=lambda message: generation == self._generation and self._failed(message),
            on_finished=self.completeChanged.emit,
        )

    @Slot(object)
    def _loaded(self, result: tuple[list[str] | None, Table, list[list[Any]]]) -> None:
        sheets, table, rows = result
        if sheets is not None:
            self.sheet_combo.blockSignals(True)
            self.sheet_combo.addItems(sheets)
            self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findText(table.sheet or ""), 0))
            self.sheet_combo.blockSignals(False)
            self._show_sheets(len(sheets) > 1)
        self.wiz.table, self.wiz.sheet, self.wiz.preview_rows = table, table.sheet, rows
        self.error.show_error("")
        where = f"Sheet “{table.sheet}”" if table.sheet else table.describe()
        n = len(table.headers)
        found = f"{where}: {n} column{'s' if n != 1 else ''}"
        below = (table.estimated_rows or 0) - table.header_row
        found += f", about {below:,} rows" if below > 0 else ", no rows under the header"
        names = " · ".join(table.headers[:40]) + (" …" if len(table.headers) > 40 else "")
        self.info.setText(f"{found}. Next, check which column holds what.\n\nColumns: {names}")
        self.completeChanged.emit()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.wiz.table = None
        self.info.setText("")
        self.error.show_error(message)
        self.completeChanged.emit()

    def isComplete(self) -> bool:  # Qt override
        return self.wiz.table is not None and not (self.task is not None and self.task.running)


class FieldDelegate(QStyledItemDelegate):
    """A drop-down of the fields a column can import as."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex) -> QWidget:  # Qt
        combo = QComboBox(parent)
        combo.setObjectName("fieldCombo")
        for key, label in CHOICES:
            combo.addItem(label, key)
            if HINTS.get(key):
                combo.setItemData(combo.count() - 1, HINTS[key], Qt.ItemDataRole.ToolTipRole)
        combo.activated.connect(lambda _i, c=combo: self.commitData.emit(c))
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:  # Qt override
        assert isinstance(editor, QComboBox)
        key = index.data(FIELD_ROLE)
        pos = editor.findData(key)
        if pos >= 0 and pos != editor.currentIndex():
            editor.setCurrentIndex(pos)

    def setModelData(self, editor: QWidget, model, index: QModelIndex | QPersistentModelIndex) -> None:  # Qt
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), FIELD_ROLE)


class MappingPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle("Check the columns")
        self.setSubTitle(
            "Each column of the file imports as one field, or is ignored. The choices are remembered "
            "for this cohort, so next year's form maps itself."
        )
        self.model = MappingModel(self)
        self.model.mapping_changed.connect(self._mapping_changed)
        self.view = _table(self.model)
        self.view.setObjectName("mappingTable")
        self.view.setItemDelegateForColumn(MappingModel.FIELD, FieldDelegate(self.view))
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(MappingModel.COLUMN, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(MappingModel.COLUMN, 360)
        header.resizeSection(MappingModel.FIELD, 230)
        self.view.verticalHeader().setDefaultSectionSize(30)
        self.view.verticalHeader().hide()
        self.preview_model = PreviewModel(self)
        self.preview_view = _table(self.preview_model, stretch_last=False)
        self.preview_view.setObjectName("previewTable")
        self.preview_view.horizontalHeader().setDefaultSectionSize(150)
        preview_box = QWidget()
        pv = QVBoxLayout(preview_box)
        pv.setContentsMargins(0, 4, 0, 0)
        pv.addWidget(QLabel("<b>Preview:</b> the first rows under the fields they import as"))
        pv.addWidget(self.preview_view)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.view)
        split.addWidget(preview_box)
        split.setSizes([320, 170])

        self.duplicates = QComboBox()
        self.duplicates.setObjectName("duplicatePolicy")
        for key, label in DUPLICATE_CHOICES:
            self.duplicates.addItem(label, key)
        self.default_role = QComboBox()
        self.default_role.setObjectName("defaultRole")
        for key, label in ROLE_CHOICES:
            self.default_role.addItem(label, key)
        self.add_areas = QCheckBox("Add focus areas the cohort does not have yet")
        self.add_areas.setObjectName("addFocusAreas")
        self.add_areas.setToolTip(
            "Answers are matched to the cohort's focus areas ignoring case; others are reported as problems "
            "unless this is ticked."
        )
        self.dates = QComboBox()
        self.dates.setObjectName("dateOrder")
        self.dates.addItem("3 April (day first, as in the UK)", True)
        self.dates.addItem("March 4 (month first, as in the US)", False)
        options = QFormLayout()
        options.addRow("Emails already in the cohort or repeated in the file:", self.duplicates)
        options.addRow("Role when a row has none:", self.default_role)
        options.addRow("Dates written like 03/04/2021 mean:", self.dates)
        options.addRow("", self.add_areas)
        self.error = ErrorLabel()
        self.error.setObjectName("mappingError")
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addLayout(options)
        layout.addWidget(self.error)

    def initializePage(self) -> None:  # Qt override
        wiz = self.wiz
        assert wiz.table is not None and wiz.path is not None
        key = (wiz.path, wiz.sheet)
        if wiz.mapped_for != key:
            wiz.fields = suggest_mapping(wiz.table.headers, wiz.preview_rows, wiz.saved_columns)
            wiz.mapped_for = key
        self.model.set_mapping(wiz.table.headers, wiz.fields, wiz.preview_rows)
        for row in range(self.model.rowCount()):
            self.view.openPersistentEditor(self.model.index(row, MappingModel.FIELD))
        opts = wiz.options
        self.duplicates.setCurrentIndex(max(self.duplicates.findData(opts.on_duplicate), 0))
        self.default_role.setCurrentIndex(max(self.default_role.findData(opts.default_role), 0))
        self.add_areas.setChecked(opts.add_focus_areas)
        self.dates.setCurrentIndex(0 if opts.day_first else 1)

    def combo_for(self, row: int) -> QComboBox:
        """The drop-down of column ``row`` (for tests and keyboard users)."""
        widget = self.view.indexWidget(self.model.index(row, MappingModel.FIELD))
        assert isinstance(widget, QComboBox)
        return widget

    @Slot()
    def _mapping_changed(self) -> None:
        self.wiz.fields = list(self.model.fields)
        for row in range(self.model.rowCount()):
            widget = self.view.indexWidget(self.model.index(row, MappingModel.FIELD))
            if isinstance(widget, QComboBox):
                pos = widget.findData(self.model.fields[row])
                if pos != widget.currentIndex():
                    widget.setCurrentIndex(pos)
        self.preview_model.set_preview(self.model.fields, self.wiz.preview_rows)
        self.error.show_error(" ".join(mapping_problems(self.model.fields)))
        self.completeChanged.emit()

    def options(self) -> ImportOptions:
        return ImportOptions(
            on_duplicate=self.duplicates.currentData(),
            add_focus_areas=self.add_areas.isChecked(),
            default_role=self.default_role.currentData(),
            day_first=bool(self.dates.currentData()),
        )

    def isComplete(self) -> bool:  # Qt override
        return bool(self.model.fields) and not mapping_problems(self.model.fields)

    def validatePage(self) -> bool:  # Qt override
        self.wiz.options = self.options()
        self.wiz.fields = list(self.model.fields)
        return True


class CheckPage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.task: Task | None = None
        self.setTitle("Check every row")
        self.setSubTitle("Nothing has been written yet. Cells with problems are highlighted; hover for the reason.")
        self.setCommitPage(True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "&Import")
        self.progress = ProgressRow("&Stop")
        self.summary = _wrap("")
        self.summary.setObjectName("checkSummary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.areas = _wrap("")
        self.areas.setObjectName("unknownAreas")
        self.only_problems = QCheckBox("Show only rows with problems")
        self.only_problems.setObjectName("onlyProblems")
        self.only_problems.toggled.connect(self._filter)
        self.rows_model = ResultsModel(self)
        self.rows_view = _table(self.rows_model, stretch_last=False)
        self.rows_view.setObjectName("resultsTable")
        self.rows_view.horizontalHeader().setDefaultSectionSize(140)
        self.rows_view.verticalHeader().hide()
        self.problems_model = ProblemsModel(self)
        self.problems_view = _table(self.problems_model)
        self.problems_view.setObjectName("problemsTable")
        self.problems_view.verticalHeader().hide()
        self.problems_view.horizontalHeader().resizeSection(0, 50)
        self.problems_view.horizontalHeader().resizeSection(1, 220)
        self.problems_view.horizontalHeader().resizeSection(2, 200)
        self.problems_view.clicked.connect(self._problem_clicked)
        self.skip_invalid = QCheckBox("S&kip the rows with problems and import the others")
        self.skip_invalid.setObjectName("skipInvalid")
        self.skip_invalid.toggled.connect(lambda _on: self.completeChanged.emit())
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.rows_view)
        split.addWidget(self.problems_view)
        split.setSizes([300, 160])
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
        self.summary.setText(f"<span style='color:#b3261e'>{_html(message)}</span> Go back to choose another file.")

    @Slot(object)
    def _checked(self, plan: ImportPlan) -> None:
        self.wiz.plan = plan
        self.rows_model.set_plan(plan, self.only_problems.isChecked())
        self.problems_model.set_problems(plan.problems)
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
        if errors:
            text += " Fix the file and check again, or skip those rows."
        for warning in plan.warnings:
            text += f"<br>{_html(warning)}"
        self.summary.setText(text)
        self.problems_view.setVisible(bool(plan.problems))
        self.areas.setVisible(bool(plan.unknown_areas))
        if plan.unknown_areas:
            names = ", ".join(sorted(plan.unknown_areas))
            if plan.options.add_focus_areas:
                self.areas.setText(f"These focus areas will be added to the cohort: {names}.")
            else:
                self.areas.setText(
                    f"Not in the cohort's focus areas: {names}. Go back and tick “Add focus areas” to add them."
                )
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

    def isComplete(self) -> bool:  # Qt override
        plan = self.wiz.plan
        if plan is None or (self.task is not None and self.task.running):
            return False
        return not plan.has_errors or self.skip_invalid.isChecked()


class DonePage(QWizardPage):
    def __init__(self, wizard: ImportWizard) -> None:
        super().__init__()
        self.wiz = wizard
        self.task: Task | None = None
        self.setTitle("Import")
        self.progress = ProgressRow("&Stop import")
        self.progress.stop.setToolTip("Stop and undo the import: nothing is kept")
        self.message = _wrap("")
        self.message.setObjectName("importResult")
        self.message.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.message)
        layout.addStretch(1)

    def initializePage(self) -> None:  # Qt override
        plan = self.wiz.plan
        assert plan is not None
        skip = self.wiz.check_page.skip_invalid.isChecked()
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
            f"<p style='font-size:12pt'>{_html(result.summary())}</p>"
            "<p>The column choices are saved for this cohort, so next time the same form maps itself. "
            "The new participants are on the Participants page, and the import is recorded in the activity log.</p>"
        )
        self.wiz.ctx.notify_changed()
        self.wiz.ctx.show_status(result.summary())

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.setTitle("Nothing was imported")
        self.message.setText(
            f"<p style='color:#b3261e; font-size:12pt'>{_html(message)}</p>"
            "<p>The database is exactly as it was before.</p>"
        )

    def isComplete(self) -> bool:  # Qt override
        return self.task is not None and not self.task.running


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# -- main window hook ------------------------------------------------------------------


def open_import_wizard(ctx: AppContext, parent: QWidget | None = None, path: str | Path | None = None) -> bool:
    """Show the wizard modally; True when something was imported."""
    if ctx.read_only:
        QMessageBox.information(parent, "Import applications", "The database is open read-only.")
        return False
    try:
        wizard = ImportWizard(ctx, path, parent)
    except UserError as exc:
        QMessageBox.information(parent, "Import applications", str(exc))
        return False
    wizard.exec()
    imported = wizard.result is not None
    wizard.deleteLater()
    return imported


class _DropFilter(QObject):
    """Opens the wizard when a spreadsheet is dropped on the main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if dropped_file(event) is not None:  # type: ignore[arg-type]
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        elif event.type() == QEvent.Type.Drop:
            path = dropped_file(event)  # type: ignore[arg-type]
            if path is not None:
                event.acceptProposedAction()  # type: ignore[attr-defined]
                # Open after the drop finishes, so the source application is not kept waiting.
                from PySide6.QtCore import QTimer

                QTimer.singleShot(0, lambda: open_import_wizard(self.window.ctx, self.window, path))
                return True
        return False


def export_template(ctx: AppContext, parent: QWidget | None = None) -> Path | None:
    """Save the application spreadsheet (the current cohort's focus areas in its dropdowns)."""
    from mentorapp.importing.template import write_template  # openpyxl: not at start-up

    start = str(Path.home() / "applications.xlsx")
    chosen, _ = QFileDialog.getSaveFileName(parent, "Save the application template", start, "Excel workbook (*.xlsx)")
    if not chosen:
        return None
    target = Path(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")
    areas = None
    if ctx.cohort_id is not None:
        with ctx.db.session() as s:
            cohort = s.get(Cohort, ctx.cohort_id)
            areas = list(cohort.focus_areas or []) if cohort else None
    try:
        write_template(target, areas)
    except (UserError, OSError) as exc:
        QMessageBox.warning(parent, "Application template", f"The template could not be saved: {exc}")
        return None
    ctx.show_status(f"Saved the application template {target}")
    return target


def install_import(window: MainWindow) -> QAction:
    """File > Import applications… (Ctrl+I), and dropping a file on the window opens the wizard."""
    action = QAction("&Import applications…", window)
    action.setObjectName("importApplicationsAction")
    action.setShortcut(QKeySequence("Ctrl+I"))
    tip = "Import applications from a spreadsheet or CSV file (you can also drop the file on the window)"
    action.setStatusTip(tip)
    action.setToolTip(tip)
    action.triggered.connect(lambda: open_import_wizard(window.ctx, window))
    window.add_file_action(action)
    template = QAction("Export application &template…", window)
    template.setObjectName("exportTemplateAction")
    template.setStatusTip("Save a ready application spreadsheet with dropdowns, whose columns import by themselves")
    template.triggered.connect(lambda: export_template(window.ctx, window))
    window.add_file_action(template)
    window.template_action = template  # type: ignore[attr-defined]
    window.setAcceptDrops(True)
    window.installEventFilter(_DropFilter(window))
    window.import_action = action  # type: ignore[attr-defined]
    return action
