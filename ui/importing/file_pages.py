"""The first two pages of the import wizard: choose the file, then check which column holds what."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from mentorapp.importing import ImportOptions, mapping_problems, suggest_mapping
from mentorapp.importing.readers import FILE_FILTER, Table, close_rows, list_sheets, open_table, peek_numbered
from mentorapp_ui.app.file_dialogs import ask_open_file
from mentorapp_ui.app.tasks import Task, run_task
from mentorapp_ui.app.widgets import ErrorLabel
from mentorapp_ui.importing.models import CHOICES, FIELD_ROLE, HINTS, MappingModel, PreviewModel
from mentorapp_ui.importing.widgets import COLUMNS_STEP, FILE_STEP, ImportState, table_view, wrap

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


class FilePage(QWizardPage):
    def __init__(self, wizard: ImportState) -> None:
        super().__init__()
        self.wiz = wizard
        self.task: Task | None = None
        self._generation = 0
        self.setTitle(FILE_STEP)
        self.setSubTitle(
            f"Applications go into the cohort “{wizard.cohort_name}”. Choose the spreadsheet or CSV file "
            "your application form produced, or drop it on this window. The file is only read, never changed."
        )
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText("A .xlsx, .xls, .csv or .txt file")
        self.path_edit.editingFinished.connect(self._path_typed)
        self.browse = QPushButton("B&rowse…")
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
        self.info = wrap("")
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
        hint = wrap(
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
        start = self.wiz.path.parent if self.wiz.path else None  # a file dropped or typed: its folder
        path = ask_open_file(self, "applications", "Choose the applications file", FILE_FILTER, start)
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
            table = open_table(path, sheet)
            try:
                rows = peek_numbered(table, PREVIEW_ROWS)
            finally:
                close_rows(table)
            return sheets, table, rows

        self.task = run_task(
            job,
            self,
            on_done=lambda result: generation == self._generation and self._loaded(result),
            on_error=lambda message: generation == self._generation and self._failed(message),
            on_finished=self.completeChanged.emit,
        )

    @Slot(object)
    def _loaded(self, result: tuple[list[str] | None, Table, list[tuple[int, list[Any]]]]) -> None:
        sheets, table, rows = result
        if sheets is not None:
            self.sheet_combo.blockSignals(True)
            self.sheet_combo.addItems(sheets)
            self.sheet_combo.setCurrentIndex(max(self.sheet_combo.findText(table.sheet or ""), 0))
            self.sheet_combo.blockSignals(False)
            self._show_sheets(len(sheets) > 1)
        self.wiz.table, self.wiz.sheet = table, table.sheet
        self.wiz.preview_rows = [row for _n, row in rows]
        self.wiz.preview_numbers = [n for n, _row in rows]
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
    def __init__(self, wizard: ImportState) -> None:
        super().__init__()
        self.wiz = wizard
        self.setTitle(COLUMNS_STEP)
        self.setSubTitle(
            "Each column of the file imports as one field, or is ignored. Next, you check what its answers "
            "become. The choices are remembered for this cohort, so next year's form maps itself."
        )
        self.model = MappingModel(self)
        self.model.mapping_changed.connect(self._mapping_changed)
        self.view = table_view(self.model)
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
        self.preview_view = table_view(self.preview_model, stretch_last=False)
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
        self.dates = QComboBox()
        self.dates.setObjectName("dateOrder")
        self.dates.addItem("3 April (day first, as in the UK)", True)
        self.dates.addItem("March 4 (month first, as in the US)", False)
        options = QFormLayout()
        options.addRow("Emails already in the cohort or repeated in the file:", self.duplicates)
        options.addRow("Role when a row has none:", self.default_role)
        options.addRow("Dates written like 03/04/2021 mean:", self.dates)
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
        self.preview_model.set_preview(self.model.fields, self.wiz.preview_rows, self.wiz.preview_numbers)
        self.error.show_error(" ".join(mapping_problems(self.model.fields)))
        self.completeChanged.emit()

    def options(self) -> ImportOptions:
        return ImportOptions(
            on_duplicate=self.duplicates.currentData(),
            default_role=self.default_role.currentData(),
            day_first=bool(self.dates.currentData()),
        )

    def isComplete(self) -> bool:  # Qt override
        return bool(self.model.fields) and not mapping_problems(self.model.fields)

    def validatePage(self) -> bool:  # Qt override
        self.wiz.options = self.options()
        self.wiz.fields = list(self.model.fields)
        return True
