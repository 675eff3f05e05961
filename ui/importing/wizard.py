"""The import wizard: file, columns, (the form's words), answers, check, import.

Every decision (mapping, interpretation, validation, the transaction) is made
by :mod:`mentorapp.importing`; the wizard shows it and lets the coordinator
change the mapping and options. Reading, checking and importing run off the
GUI thread (:func:`mentorapp_ui.app.tasks.run_task`) with a progress bar and a
Stop button. The pages are in :mod:`~mentorapp_ui.importing.file_pages`,
:mod:`~mentorapp_ui.importing.values_page` ("Check the answers": the file's answers
and the scheme values they become), :mod:`~mentorapp_ui.importing.vocabulary_page`
(only for a cohort with no participants: take the form's words as its own),
:mod:`~mentorapp_ui.importing.run_pages`; the menu items and file drops that open
the wizard in :mod:`~mentorapp_ui.importing.actions`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMessageBox, QWidget, QWizard
from sqlalchemy import select

from mentorapp.errors import UserError
from mentorapp.importing import ImportPlan, ImportResult, saved_settings
from mentorapp.importing.readers import Table
from mentorapp.importing.reconcile import ValueMapping
from mentorapp.store.models import Cohort, Participant
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.tasks import Task
from mentorapp_ui.importing.file_pages import FilePage, MappingPage
from mentorapp_ui.importing.run_pages import CheckPage, DonePage
from mentorapp_ui.importing.values_page import ValuesPage
from mentorapp_ui.importing.vocabulary_page import ADOPTED_FIELDS, VocabularyPage
from mentorapp_ui.importing.widgets import dropped_file


class ImportWizard(QWizard):
    """Import applications into the current cohort, all or nothing."""

    FILE, MAPPING, VOCABULARY, VALUES, CHECK, DONE = range(6)

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
            anyone = select(Participant.id).where(Participant.cohort_id == cohort.id).limit(1)
            self.cohort_empty = s.scalar(anyone) is None
        self.path: Path | None = None
        self.sheet: str | None = None
        self.table: Table | None = None
        self.preview_rows: list[list[Any]] = []
        self.preview_numbers: list[int] = []  # their rows in the spreadsheet
        self.fields: list[str] = []
        self.mapped_for: tuple[Path, str | None] | None = None
        self.options = self.saved_options
        self.values: ValueMapping | None = None
        self.adopt_vocabulary = False
        self.stage_order: list[str] = []
        self.plan: ImportPlan | None = None
        self.skip_invalid = False
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
        self.vocabulary_page = VocabularyPage(self)
        self.values_page = ValuesPage(self)
        self.check_page = CheckPage(self)
        self.done_page = DonePage(self)
        self.setPage(self.FILE, self.file_page)
        self.setPage(self.MAPPING, self.mapping_page)
        self.setPage(self.VOCABULARY, self.vocabulary_page)
        self.setPage(self.VALUES, self.values_page)
        self.setPage(self.CHECK, self.check_page)
        self.setPage(self.DONE, self.done_page)
        self.resize(1040, 700)
        # Back onto "Check the answers" (Qt does not initialise a page again): a file saved since is read again.
        self.currentIdChanged.connect(lambda page: page == self.VALUES and self.values_page.refresh())
        if path:
            self.file_page.set_file(Path(path))

    def nextId(self) -> int:  # Qt override
        """The form's words are offered only to a cohort with no participants yet, for a file that has any."""
        if self.currentId() == self.MAPPING:
            offer = self.cohort_empty and any(f in ADOPTED_FIELDS for f in self.fields)
            if not offer:
                self.adopt_vocabulary = False
            return self.VOCABULARY if offer else self.VALUES
        return super().nextId()

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
        for page in (self.file_page, self.vocabulary_page, self.values_page, self.check_page, self.done_page):
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
        for page in (self.file_page, self.vocabulary_page, self.values_page, self.check_page):
            if page.task is not None:
                page.task.abandon()  # only read: its answer is no longer wanted
        if self.done_page.task is not None:
            self.done_page.task.cancel()
        super().done(result)


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
