"""The 'Letters & roster' page: export the roster, write, preview, print and send match letters.

Exports run on the thread pool (:func:`mentorapp_ui.app.tasks.run_task`) behind the
one progress dialog with Cancel; the core functions write to a temporary file and
rename it, so a cancelled export leaves nothing behind.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, QTemporaryDir, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mentorapp.errors import UserError
from mentorapp.outputs.files import earlier_exports, safe_filename
from mentorapp.outputs.letterhead import default_letterhead_warning, load_letterhead
from mentorapp.outputs.letters import DEFAULT_STATUSES, export_letters, list_letter_matches, mark_letters_sent
from mentorapp.outputs.letters import restore_letters_sent as restore_sent
from mentorapp.outputs.roster import SHEET_NAMES
from mentorapp.outputs.roster_files import export_roster
from mentorapp.people.vocabulary import MATCH_STATUS_LABELS
from mentorapp.store import audit
from mentorapp.store.models import MATCH_STATUSES, Cohort
from mentorapp_ui.app.actions import ActionSpec
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.file_dialogs import ask_folder, ask_save_file, remember_folder, suggest_print_file, suggested_path
from mentorapp_ui.app.flow import FlowLayout, row_of
from mentorapp_ui.app.page import Page
from mentorapp_ui.app.progress import TaskProgressDialog
from mentorapp_ui.app.tasks import Task, run_task
from mentorapp_ui.app.undo import DbCommand, push_command
from mentorapp_ui.app.widgets import TableView
from mentorapp_ui.outputs.letter_match_model import MENTEE, LetterMatchModel
from mentorapp_ui.outputs.letter_template_editor import LetterTemplateEditor
from mentorapp_ui.outputs.letterhead_form import LetterheadForm
from mentorapp_ui.outputs.pdf_render import print_pdf
from mentorapp_ui.outputs.print_progress import LayoutProgress

LETTER_MODES = (("file", "One PDF with every letter"), ("folder", "One PDF per participant, in a folder"))


class OutputsPage(Page):
    title = "Letters & roster"
    name = "outputs"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.task: Task | None = None
        self.progress: QProgressDialog | None = None
        self.last_export: Path | None = None
        self._tmp = QTemporaryDir()
        self._cohort_name = ""
        self._editor_cohort: int | None = None
        ctx.database_changed.connect(self._forget_last_export)

        # -- roster --------------------------------------------------------
        self.roster_button = QPushButton("E&xport roster…")
        self.roster_button.setObjectName("exportRoster")
        self.roster_button.setToolTip(
            "An Excel workbook: Summary, Mentees, Mentors, Matches and Unmatched, ready to print"
        )
        self.roster_button.clicked.connect(lambda: self.export_roster())
        self.mailto = QCheckBox("Clickable email addresses")
        self.mailto.setObjectName("mailtoLinks")
        self.mailto.setChecked(True)
        self.mailto.setToolTip("Email addresses open your mail program when clicked in Excel")
        self.sheet = QComboBox()
        self.sheet.setObjectName("csvSheet")
        self.sheet.addItems(SHEET_NAMES)
        self.sheet.setCurrentText("Matches")
        self.sheet.setToolTip("The sheet to save as CSV")
        self.csv_button = QPushButton("&Save sheet as CSV…")
        self.csv_button.setObjectName("exportCsv")
        self.csv_button.clicked.connect(lambda: self.export_csv())
        self.open_button = QPushButton("&Open exported file")
        self.open_button.setObjectName("openExport")
        self.open_button.setToolTip("Open the last exported file in its usual program")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self.open_last_export)
        self.last_label = QLabel()
        self.last_label.setObjectName("lastExport")
        self.last_label.setStyleSheet("color: palette(mid);")
        self.last_label.setWordWrap(True)  # a long file name wraps instead of widening the page

        roster_box = QGroupBox("Roster workbook")
        # Rows that flow on to a second line in a narrow window (at 1024 wide they cut the page on the right).
        roster_row = FlowLayout(roster_box)
        roster_row.addWidget(self.roster_button)
        roster_row.addWidget(self.mailto)
        roster_row.addWidget(row_of(QLabel("Sheet:"), self.sheet, self.csv_button))
        roster_row.addWidget(row_of(self.last_label, self.open_button))

        # -- letters: which matches ------------------------------------------
        self.status_boxes: dict[str, QCheckBox] = {}
        filters = FlowLayout()
        filters.addWidget(QLabel("Show:"))
        for status in MATCH_STATUSES:
            box = QCheckBox(MATCH_STATUS_LABELS[status])
            box.setObjectName(f"status_{status}")
            box.setChecked(status in DEFAULT_STATUSES)
            box.toggled.connect(lambda _on: self.reload_matches())
            self.status_boxes[status] = box
            filters.addWidget(box)
        self.unsent_only = QCheckBox("Only letters not yet sent")
        self.unsent_only.setObjectName("unsentOnly")
        self.unsent_only.toggled.connect(lambda _on: self.reload_matches())

        self.model = LetterMatchModel(self)
        self.model.checked_changed.connect(self._update_buttons)
        self.table = TableView()
        self.table.setObjectName("letterMatches")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._current_changed)
        self.empty_label = QLabel()
        self.empty_label.setObjectName("lettersEmpty")
        self.empty_label.setWordWrap(True)
        self.empty_label.setStyleSheet("color: palette(mid);")

        all_button = QPushButton("Tick &all")
        all_button.setObjectName("tickAll")
        all_button.clicked.connect(lambda: self.model.set_all_checked(True))
        none_button = QPushButton("Tick &none")
        none_button.setObjectName("tickNone")
        none_button.clicked.connect(lambda: self.model.set_all_checked(False))
        self.chosen_label = QLabel()
        self.chosen_label.setObjectName("chosenLabel")

        self.mode = QComboBox()
        self.mode.setObjectName("letterMode")
        for key, label in LETTER_MODES:
            self.mode.addItem(label, key)
        self.export_button = QPushButton("Export &letters…")
        self.export_button.setObjectName("exportLetters")
        self.export_button.setToolTip("Write a letter to the mentee and one to the mentor of every ticked match")
        self.export_button.clicked.connect(lambda: self.export_letters())
        self.preview_action = self.declare(
            ActionSpec(
                "outputs.preview", "Print pre&view…", lambda: self.print_letters(preview=True), keys=("Ctrl+Shift+P",)
            )
        )
        self.print_action = self.declare(
            ActionSpec(
                "outputs.print",
                "&Print letters…",
                lambda: self.print_letters(preview=False),
                keys=(QKeySequence.StandardKey.Print,),
            )
        )
        self.declare(
            ActionSpec(
                "outputs.export_roster",
                "Export &roster…",
                lambda: (self.ctx.show_page(self.name), self.export_roster()),
                places=("File/exports",),
                status_tip="Save the cohort roster as an Excel workbook",
            )
        )
        self.declare(
            ActionSpec(
                "outputs.export_letters",
                "Export match &letters…",
                lambda: (self.ctx.show_page(self.name), self.export_letters()),
                places=("File/exports",),
                status_tip="Write the match letters as PDF",
            )
        )
        self.preview_button = QPushButton("Print previe&w…")
        self.preview_button.setObjectName("printPreview")
        self.preview_button.setToolTip("See the ticked letters page by page before printing (Ctrl+Shift+P)")
        self.preview_button.clicked.connect(self.preview_action.trigger)
        self.print_button = QPushButton("&Print…")
        self.print_button.setObjectName("printLetters")
        self.print_button.setToolTip("Print the ticked letters (Ctrl+P)")
        self.print_button.clicked.connect(self.print_action.trigger)
        self.sent_button = QPushButton("Mar&k letters as sent")
        self.sent_button.setObjectName("markSent")
        self.sent_button.setToolTip("Record today's date as the letter date of the ticked matches (undoable)")
        self.sent_button.clicked.connect(self.mark_sent)

        tick_row = FlowLayout()
        tick_row.addWidget(row_of(all_button, none_button))
        tick_row.addWidget(self.chosen_label)
        tick_row.addWidget(self.unsent_only)
        out_row = QHBoxLayout()
        out_row.addWidget(self.mode, 1)
        out_row.addWidget(self.export_button)
        print_row = QHBoxLayout()
        print_row.addWidget(self.preview_button)
        print_row.addWidget(self.print_button)
        print_row.addStretch(1)
        print_row.addWidget(self.sent_button)
        list_side = QWidget()
        list_layout = QVBoxLayout(list_side)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addLayout(filters)
        list_layout.addWidget(self.table, 1)
        list_layout.addWidget(self.empty_label)
        list_layout.addLayout(tick_row)
        list_layout.addLayout(out_row)
        list_layout.addLayout(print_row)

        # -- letters: template and letterhead -------------------------------
        self.editor = LetterTemplateEditor(ctx, self)
        self.letterhead = LetterheadForm(ctx, self)
        self.letterhead.saved.connect(self.editor.update_preview)
        self.editor.template_changed.connect(self._update_buttons)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("letterTabs")
        self.tabs.addTab(self.editor, "Template")  # tabs: Ctrl+Tab; their letters would clash with the menus
        self.tabs.addTab(self.letterhead, "Letterhead")

        self.splitter = QSplitter()
        self.splitter.setObjectName("lettersSplitter")
        self.splitter.addWidget(list_side)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([540, 560])  # about as before at 1280 wide; in a 1024 window each side at its least
        state = QSettings().value("outputs/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        self.splitter.splitterMoved.connect(
            lambda *_: QSettings().setValue("outputs/splitter", self.splitter.saveState())
        )
        letters_box = QGroupBox("Match letters")
        letters_layout = QVBoxLayout(letters_box)
        letters_layout.addWidget(self.splitter)

        layout = QVBoxLayout(self)
        heading = QLabel(f"<h2>{self.title}</h2>")
        layout.addWidget(heading)
        layout.addWidget(roster_box)
        layout.addWidget(letters_box, 1)
        self._update_buttons()

    # -- page --------------------------------------------------------------
    def refresh(self) -> None:
        cohort_id = self.ctx.cohort_id
        self._cohort_name = ""
        if cohort_id is not None:
            with self.ctx.db.session() as s:
                cohort = s.get(Cohort, cohort_id)
                self._cohort_name = cohort.name if cohort else ""
        if not self.editor.is_dirty() or cohort_id != self._editor_cohort:
            self.editor.load()  # unsaved edits survive a data change, not a change of cohort
            self._editor_cohort = cohort_id
        self.letterhead.load()
        self.reload_matches()

    def reload_matches(self) -> None:
        statuses = [s for s, box in self.status_boxes.items() if box.isChecked()]
        matches = []
        if self.ctx.cohort_id is not None and statuses:
            with self.ctx.db.session() as s:
                matches = list_letter_matches(s, self.ctx.cohort_id, statuses, details=False)
        if self.unsent_only.isChecked():
            matches = [m for m in matches if m.letter_sent_on is None]
        self.model.set_matches(matches)
        if self.ctx.cohort_id is None:
            self.empty_label.setText("Choose or create a cohort first.")
        elif not matches:
            self.empty_label.setText(
                "No matches with the ticked statuses. Match people on the match board, or tick more statuses."
            )
        self.empty_label.setVisible(not matches)
        if matches and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, MENTEE))
        self._update_buttons()

    def _current_changed(self, current, _previous) -> None:
        if current.isValid():
            self.editor.set_preview_match(self.model.match_at(current.row()).id)

    def _update_buttons(self) -> None:
        chosen = len(self.model.checked_ids())
        has_cohort = self.ctx.cohort_id is not None
        busy = self.task is not None and self.task.running
        ok_template = not self.editor.check()
        self.chosen_label.setText(
            f"{chosen} of {self.model.rowCount()} matches ticked: {2 * chosen} letters" if self.model.rowCount() else ""
        )
        for widget in (self.export_button, self.preview_button, self.print_button):
            widget.setEnabled(bool(chosen) and not busy and ok_template)
        self.preview_action.setEnabled(bool(chosen) and not busy)
        self.print_action.setEnabled(bool(chosen) and not busy)
        self.sent_button.setEnabled(bool(chosen) and not busy and ok_template)  # no letters to send until it is fixed
        for widget in (self.roster_button, self.csv_button):
            widget.setEnabled(has_cohort and not busy)

    # -- running exports -----------------------------------------------------
    def _run(self, label: str, job, on_done) -> None:
        """Run ``job(report, cancelled)`` on the thread pool behind the progress dialog."""
        self.task = run_task(job, self, on_done=on_done, on_error=self._failed, on_finished=self._finished)
        self.progress = TaskProgressDialog(self.task, label, self.title, self)
        self.progress.setObjectName("exportProgress")
        self._update_buttons()

    def _failed(self, message: str) -> None:
        self.ctx.show_status(message)
        if self.task is not None and self.task.cancel_requested:
            return  # the user asked for it; the status bar says nothing was written
        QMessageBox.warning(self, self.title, message)

    def _finished(self) -> None:
        self.progress = None  # it closes itself
        self.task = None
        self._update_buttons()

    def shutdown(self, timeout_s: float = 30.0) -> None:
        """Cancel a running export and let it stop (the window is closing).

        The one wait on the GUI thread, and only at closing: the export sees the
        cancel at its next step and removes its temporary file, so nothing half
        written is left behind when the application ends.
        """
        if self.task is not None:
            self.task.cancel()
            self.task.wait(int(timeout_s * 1000))

    def _forget_last_export(self) -> None:
        """Another database is open: its exports are not this one's."""
        self.last_export = None
        self.open_button.setEnabled(False)
        self.last_label.setText("")
        self.last_label.setToolTip("")

    def _remember(self, path: Path, what: str) -> None:
        self.last_export = path
        self.open_button.setEnabled(True)
        self.last_label.setText(f"Last export: {path.name}")
        self.last_label.setToolTip(str(path))
        self.ctx.show_status(f"Saved {what} to {path}")

    def _ask_file(self, kind: str, title: str, suggested: str, pattern: str) -> Path | None:
        path = ask_save_file(self, kind, title, suggested, pattern)
        return Path(path) if path else None

    # -- roster ----------------------------------------------------------------
    def export_roster(self, path: Path | None = None) -> None:
        cohort_id = self.ctx.cohort_id
        if cohort_id is None or (self.task is not None and self.task.running):
            return
        path = path or self._ask_file(
            "roster",
            "Export roster",
            f"{safe_filename(self._cohort_name, 'cohort')} roster.xlsx",
            "Excel workbook (*.xlsx)",
        )
        if path is None:
            return
        if path.suffix.lower() != ".xlsx":
            path = path.with_name(path.name + ".xlsx")
        db, mailto = self.ctx.db, self.mailto.isChecked()

        def job(progress, cancelled) -> Path:
            with db.session() as s:
                export_roster(s, cohort_id, path, mailto=mailto, progress=progress, cancel=cancelled)
            return path

        self._run("Writing the roster workbook…", job, lambda p: self._remember(p, "the roster"))

    def export_csv(self, path: Path | None = None) -> None:
        cohort_id = self.ctx.cohort_id
        if cohort_id is None or (self.task is not None and self.task.running):
            return
        sheet = self.sheet.currentText()
        path = path or self._ask_file(
            "roster",
            "Save sheet as CSV",
            f"{safe_filename(self._cohort_name, 'cohort')} {sheet.lower()}.csv",
            "CSV (*.csv)",
        )
        if path is None:
            return
        db = self.ctx.db

        def job(progress, cancelled) -> Path:
            with db.session() as s:
                export_roster(s, cohort_id, path, sheet=sheet, progress=progress, cancel=cancelled)
            return path

        self._run(f"Writing the {sheet} sheet…", job, lambda p: self._remember(p, f"the {sheet} sheet"))

    def open_last_export(self) -> None:
        if self.last_export is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_export)))

    # -- letters ---------------------------------------------------------------
    def _template_ok(self) -> bool:
        """Refuse to print with an unknown placeholder: say so and show the editor."""
        message = self.editor.check()
        if message:
            self.tabs.setCurrentWidget(self.editor)
            self.ctx.show_status("Fix the letter template before printing: " + message.split(";")[0] + ".")
            QMessageBox.warning(self, "The letter template has an error", message)
            return False
        return True

    def _letterhead_ok(self) -> bool:
        """Ask before letters go out on the default letterhead; No shows the Letterhead tab."""
        with self.ctx.db.session() as s:
            unchanged = default_letterhead_warning(load_letterhead(s, self.ctx.cohort_id))
        if not unchanged:
            return True
        answer = QMessageBox.question(
            self,
            "Export letters on the default letterhead?",
            f"{unchanged}. Export them anyway?\n\n"
            "Choose No to set your society's name, address and coordinator on the Letterhead tab first.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            return True
        self.tabs.setCurrentWidget(self.letterhead)
        self.ctx.show_status("Set the letterhead, then export the letters again.")
        return False

    def _letters_job(
        self, ids: list[int], *, path: Path | None = None, out_dir: Path | None = None, earlier="refuse", record=True
    ):
        cohort_id, db, template = self.ctx.cohort_id, self.ctx.db, self.editor.template()

        def job(progress, cancelled):
            with db.session() as s:
                return export_letters(
                    s,
                    cohort_id,
                    path=path,
                    out_dir=out_dir,
                    statuses=None,
                    match_ids=ids,
                    template=template,
                    progress=progress,
                    cancel=cancelled,
                    earlier=earlier,
                    record=record,
                )

        return job

    def export_letters(self, target: Path | None = None) -> None:
        ids = self.model.checked_ids()
        if self.ctx.cohort_id is None or not ids or (self.task is not None and self.task.running):
            if not ids:
                self.ctx.show_status("Tick the matches to write letters for.")
            return
        if not self._template_ok() or not self._letterhead_ok():
            return
        folder_mode = self.mode.currentData() == "folder"
        if target is None:
            if folder_mode:
                chosen = ask_folder(self, "letters", "Folder for the letters")
                target = Path(chosen) if chosen else None
            else:
                target = self._ask_file(
                    "letters",
                    "Export letters",
                    f"{safe_filename(self._cohort_name, 'cohort')} letters.pdf",
                    "PDF (*.pdf)",
                )
        if target is None:
            return
        if not folder_mode and target.suffix.lower() != ".pdf":
            target = target.with_name(target.name + ".pdf")
        earlier = "refuse"
        found = earlier_exports(target) if folder_mode else []
        if found:  # letters of an earlier export are there: clear or keep them, never mix them in unsaid
            answer = QMessageBox.question(
                self,
                "Letters from an earlier export",
                f"{target} already holds {len(found)} letter file(s) from an earlier export.\n\n"
                "Yes: remove them once the new letters are written. No: keep them beside the new ones.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer == QMessageBox.StandardButton.Cancel:
                return
            earlier = "clear" if answer == QMessageBox.StandardButton.Yes else "keep"
        job = (
            self._letters_job(ids, out_dir=target, earlier=earlier)
            if folder_mode
            else self._letters_job(ids, path=target)
        )

        def done(result) -> None:
            self._remember(target, f"{result.letters} letters ({result.pages} pages)")

        self._run(f"Writing {2 * len(ids)} letters…", job, done)

    def print_letters(self, preview: bool) -> None:
        """Lay the ticked letters out as PDF (off the GUI thread), then preview or print it."""
        ids = self.model.checked_ids()
        if self.ctx.cohort_id is None or not ids or (self.task is not None and self.task.running):
            return
        if not self._template_ok():
            return
        if not preview:
            try:  # printing hands personal data out, so the activity log must be able to say so
                audit.check_export_allowed(self.ctx.db.engine)
            except UserError as exc:
                QMessageBox.warning(self, self.title, str(exc))
                return
        path = Path(self._tmp.path()) / f"letters-{dt.datetime.now():%H%M%S%f}.pdf"
        # A temporary copy to look at or print: no export of a file (the log said "written to letters-….pdf").
        self._run(
            "Preparing the letters for printing…",
            self._letters_job(ids, path=path, record=False),
            lambda result: self._show_printing(path, preview, result.letters),
        )

    def make_printer(self) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setPageOrientation(QPageLayout.Orientation.Portrait)
        printer.setFullPage(True)  # the PDF has its own margins
        printer.setDocName(f"Match letters — {self._cohort_name}")
        return printer

    def _show_printing(self, path: Path, preview: bool, letters: int = 0) -> None:
        printer = self.make_printer()
        self._printer = printer  # the dialogs keep a C++ pointer to it: it must outlive them
        if preview:
            dialog = QPrintPreviewDialog(printer, self)
            dialog.setObjectName("letterPrintPreview")
            dialog.setWindowTitle(f"Print preview — {self._cohort_name} letters")
            layout = LayoutProgress(self.progress, self.task)  # the progress follows the layout
            dialog.paintRequested.connect(lambda p: print_pdf(path, p, progress=layout.page_done))
            self.print_preview = dialog
            dialog.open()  # lays the pages out before it shows
            layout.close()
            if layout.stopped:
                dialog.close()
                self.ctx.show_status("Print preview stopped.")
        else:
            dialog = QPrintDialog(printer, self)
            dialog.setObjectName("letterPrintDialog")
            name = f"{safe_filename(self._cohort_name, 'cohort')} letters.pdf"
            suggest_print_file(dialog, suggested_path("letters", name))
            if dialog.exec() == QDialog.DialogCode.Accepted:
                if printer.outputFileName():
                    remember_folder("letters", printer.outputFileName())
                pages = print_pdf(path, printer)
                self.ctx.show_status(f"Sent {pages} pages to the printer.")
                where = f"to {Path(printer.outputFileName()).name}" if printer.outputFileName() else "on paper"
                try:
                    audit.record_export(
                        self.ctx.db.engine,
                        f"{letters} match letters of '{self._cohort_name}' printed {where} ({pages} pages)",
                        cohort_id=self.ctx.cohort_id,
                    )
                except UserError as exc:
                    QMessageBox.warning(self, self.title, str(exc))

    def mark_sent(self) -> None:
        ids = self.model.checked_ids()
        if not ids:
            return
        today = dt.date.today()

        def do(s, cmd) -> Any:
            return mark_letters_sent(s, ids, today)

        def undo(s, cmd) -> None:
            restore_sent(s, cmd.result)

        text = f"Mark letters of {len(ids)} match{'es' if len(ids) != 1 else ''} as sent"
        push_command(self.ctx, DbCommand(self.ctx, text, do, undo))
