"""The application context handed to every window, page and dialog (no globals)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from mentorapp_ui.app.actions import ActionRegistry

if TYPE_CHECKING:  # imported for types only: the window is shown before the database opens
    from mentorapp.store.db import Database

log = logging.getLogger(__name__)


def remember_database(database: Database) -> None:
    """The window opened ``database``: the next start (without --db or MENTORAPP_DB) reopens it."""
    from mentorapp.store.recent import remember

    try:
        remember(str(database.path) if database.path else database.url)
    except OSError as exc:  # not worth stopping for: the next start opens the default instead
        log.warning("the database used last could not be recorded: %s", type(exc).__name__)


class AppContext(QObject):
    """The open database, the shared undo stack, the registry of actions and the current cohort.

    ``data_changed`` is emitted after any saved change so every page can reload;
    ``status_message`` shows a sentence in the main window's status bar;
    ``page_requested`` asks the main window to show a page (by its name).
    At start-up the context exists before its database is open (the window is
    shown first, then the database is opened); ``has_database`` says which.
    """

    cohort_changed = Signal(object)  # cohort id or None
    database_changed = Signal()  # File > Open database (or a restore) put another database in ``db``
    data_changed = Signal()
    status_message = Signal(str)
    page_requested = Signal(str)

    def __init__(self, db: Database | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.undo_stack = QUndoStack(self)
        self.actions = ActionRegistry(self)
        self.cohort_id: int | None = None
        self.read_only = False

    @property
    def db(self) -> Database:
        if self._db is None:
            raise RuntimeError("The database is not open yet.")
        return self._db

    @db.setter
    def db(self, database: Database) -> None:
        self._db = database

    @property
    def has_database(self) -> bool:
        return self._db is not None

    def set_cohort(self, cohort_id: int | None) -> None:
        if cohort_id != self.cohort_id:
            self.cohort_id = cohort_id
            self.cohort_changed.emit(cohort_id)

    def notify_changed(self) -> None:
        self.data_changed.emit()

    def show_status(self, message: str) -> None:
        self.status_message.emit(message)

    def show_page(self, name: str) -> None:
        self.page_requested.emit(name)
