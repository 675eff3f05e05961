"""Undoable edits: each step runs in its own transaction, then every page reloads."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp_ui.app.context import AppContext

log = logging.getLogger(__name__)


class DbCommand(QUndoCommand):
    """A QUndoCommand whose redo and undo are each one database transaction.

    ``do`` and ``undo`` receive a session; whatever ``do`` returns is kept in
    ``self.result`` (e.g. a snapshot that ``undo`` needs). If a step fails the
    transaction is rolled back, so the database always equals what is shown;
    the error is re-raised for the caller to report.
    """

    def __init__(
        self,
        ctx: AppContext,
        text: str,
        do: Callable[[Session, DbCommand], Any],
        undo: Callable[[Session, DbCommand], Any],
    ) -> None:
        super().__init__(text)
        self.ctx = ctx
        self._do = do
        self._undo = undo
        self.result: Any = None
        self.error: Exception | None = None

    def redo(self) -> None:  # Qt override
        self._run(self._do, store=True)

    def undo(self) -> None:  # Qt override
        self._run(self._undo, store=False)

    def _run(self, step: Callable[[Session, DbCommand], Any], *, store: bool) -> None:
        self.error = None
        try:
            with self.ctx.db.transaction() as session:
                value = step(session, self)
        except Exception as exc:
            # Reason: Qt calls redo/undo and cannot take an exception; push_command shows it instead.
            # The step's text may name a person, so the log keeps only the kind of error.
            log.warning("an undo-stack step failed (%s)", type(exc).__name__, exc_info=not isinstance(exc, UserError))
            self.error = exc
            self.setObsolete(True)
            return
        if store:
            self.result = value
        self.ctx.notify_changed()


def push_command(ctx: AppContext, command: DbCommand) -> bool:
    """Run ``command`` through the undo stack; False (and a message) if it failed."""
    ctx.undo_stack.push(command)
    if command.error is not None:
        ctx.show_status(str(command.error))
        return False
    ctx.show_status(command.text())
    return True
