"""One undoable change to a match, a meeting or a chase mark, pushed on the window's undo stack.

The running screens' changes (start, end early, complete, accept a new mentor, log or remove
a meeting, mark as chased) are core actions that return a
:class:`~mentorapp.matching.changes.MatchChange`; this pushes one as a
:class:`~mentorapp_ui.app.undo.DbCommand` whose undo and redo are the core's
``undo_change`` and ``redo_change``, as the match board does.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy.orm import Session

from mentorapp.matching.actions import MatchChange, redo_change, undo_change
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.undo import DbCommand, push_command


def push_change(ctx: AppContext, text: str, action: Callable[[Session], MatchChange]) -> MatchChange | str:
    """Run ``action`` as one undo step: the change, or the sentence saying why nothing was written."""

    def do(session: Session, cmd: DbCommand) -> MatchChange:
        if cmd.result is None:
            return action(session)
        redo_change(session, cmd.result)
        return cmd.result

    def undo(session: Session, cmd: DbCommand) -> None:
        undo_change(session, cmd.result)

    command = DbCommand(ctx, text, do, undo)
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        ok = push_command(ctx, command)
    finally:
        QApplication.restoreOverrideCursor()
    if not ok or not isinstance(command.result, MatchChange):
        return str(command.error or "Nothing was changed.")
    command.setText(command.result.description)
    ctx.show_status(f"{command.result.description}. Ctrl+Z takes it back.")
    return command.result
