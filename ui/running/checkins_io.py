"""Check-in forms out and back: one workbook per person into a folder, a folder of returned forms read back.

Both run off the GUI thread (:func:`mentorapp_ui.app.tasks.run_task`) and call the core
(:func:`mentorapp.running.checkin_forms.export_checkin_forms`, ``import_checkin_folder``): a
folder holding an earlier export is cleared or kept as the coordinator says, a folder with any
wrong form imports nothing and the sentence names each problem.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from mentorapp.outputs.files import earlier_exports
from mentorapp.running.checkin_forms import export_checkin_forms, import_checkin_folder
from mentorapp.running.checkins import Checkpoint, checkin_schedule, due_checkpoint
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.file_dialogs import ask_folder
from mentorapp_ui.app.tasks import Task, run_task
from mentorapp_ui.running.day import today

KIND = "checkin_forms"


def ask_earlier(parent: QWidget | None, folder: Path, what: str) -> str | None:
    """'refuse' for a fresh folder, else 'clear' or 'keep' as answered; None on Cancel (tests replace this)."""
    found = earlier_exports(folder)
    if not found:
        return "refuse"
    answer = QMessageBox.question(
        parent,
        f"{what.capitalize()} from an earlier export",
        f"{folder} already holds {len(found)} {what} from an earlier export.\n\n"
        "Yes: remove them once the new files are written. No: keep them beside the new ones.",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    if answer == QMessageBox.StandardButton.Cancel:
        return None
    return "clear" if answer == QMessageBox.StandardButton.Yes else "keep"


def ask_checkpoint(parent: QWidget | None, schedule: list[Checkpoint], due: Checkpoint | None) -> Checkpoint | None:
    """Which check-in the forms are for: the one due now is offered first (tests replace this)."""
    labels = [c.label for c in schedule]
    current = schedule.index(due) if due in schedule else 0
    text, ok = QInputDialog.getItem(parent, "Export check-in forms", "Forms for the check-in:", labels, current, False)
    return schedule[labels.index(text)] if ok and text in labels else None


class CheckinForms:
    """The two jobs of the Running menu's check-in items, for the current cohort."""

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        self.ctx = ctx
        self.parent = parent
        self.task: Task | None = None
        self.ask_folder = lambda title: ask_folder(parent, KIND, title)
        self.ask_checkpoint = lambda schedule, due: ask_checkpoint(parent, schedule, due)
        self.ask_earlier = lambda folder: ask_earlier(parent, folder, "check-in forms")

    def export(self) -> Task | None:
        cohort_id = self.ctx.cohort_id
        if cohort_id is None:
            return None
        with self.ctx.db.session() as s:
            schedule = checkin_schedule(s, cohort_id)
        checkpoint = self.ask_checkpoint(schedule, due_checkpoint(schedule, today()))
        if checkpoint is None:
            return None
        folder = self.ask_folder("Folder for the check-in forms")
        if not folder:
            return None
        earlier = self.ask_earlier(Path(folder))
        if earlier is None:
            return None
        db = self.ctx.db

        def job(_report: Any, _cancelled: Any) -> int:
            with db.session() as s:
                return len(export_checkin_forms(s, cohort_id, folder, checkpoint, earlier=earlier))

        self.ctx.show_status("Writing the check-in forms…")
        self.task = run_task(
            job,
            self.parent,
            on_done=lambda n: self.ctx.show_status(
                f"Wrote {n} check-in form{'s' if n != 1 else ''} for {checkpoint.label} to {folder}."
            ),
            on_error=self._failed,
        )
        return self.task

    def import_folder(self) -> Task | None:
        cohort_id = self.ctx.cohort_id
        if cohort_id is None:
            return None
        folder = self.ask_folder("Folder of returned check-in forms")
        if not folder:
            return None
        db, day = self.ctx.db, today()

        def job(_report: Any, _cancelled: Any) -> Any:
            return import_checkin_folder(db, cohort_id, folder, day)

        def done(reading: Any) -> None:
            self.ctx.notify_changed()
            self.ctx.show_status(reading.summary(folder))

        self.ctx.show_status("Reading the returned check-in forms…")
        self.task = run_task(job, self.parent, on_done=done, on_error=self._failed)
        return self.task

    def _failed(self, message: str) -> None:
        self.ctx.show_status(message.splitlines()[0])  # the problems, one a line, are in the message box
        QMessageBox.warning(self.parent, "Check-in forms", message)
