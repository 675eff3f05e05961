"""The second half of a print preview's progress: laying the pages out, until the preview shows.

Writing the letters runs on the task runner behind a :class:`TaskProgressDialog`;
when it is done, Qt's print preview paints every page on the GUI thread before
it appears (several seconds for fifty letters). The same dialog then follows
that work page by page instead of standing at 100%: :class:`LayoutProgress`
takes it over from the finished task, says "Laying out page 3 of 96 for the
preview…", lets Cancel stop the layout, and closes once the preview is shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

from mentorapp_ui.app.progress import TaskProgressDialog
from mentorapp_ui.app.tasks import Task


class LayoutProgress:
    """Follows the preview's layout in ``dialog`` (the task's, now finished with it), or shows nothing."""

    def __init__(self, dialog: TaskProgressDialog | None, task: Task | None) -> None:
        self.dialog: QProgressDialog | None = dialog
        self.stopped = False
        if dialog is None:
            return
        if task is not None:
            # From now on this stage closes the dialog, not the end of the task.
            task.finished.disconnect(dialog.finish)
            task.progressed.disconnect(dialog.show_progress)
        dialog.canceled.disconnect()
        # Modal while the GUI thread lays pages out: setValue() then keeps the dialog painted
        # and Cancel clickable, and nothing else can be clicked meanwhile.
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setCancelButtonText("Cancel")
        dialog.setLabelText("Laying out the pages for the preview…")

    def page_done(self, done: int, total: int) -> bool:
        """``done`` of ``total`` pages laid out (the callback of :func:`print_pdf`); False to stop."""
        dialog = self.dialog
        if dialog is None:
            return True
        if dialog.wasCanceled():
            self.stopped = True
            return False
        dialog.setRange(0, total)
        dialog.setLabelText(
            f"Laying out page {done + 1} of {total} for the preview…" if done < total else "Opening the preview…"
        )
        if not dialog.isVisible():
            # QProgressDialog shows itself only once its own clock says the work is long; on a busy
            # machine the first pages could be laid out with nothing on screen.
            dialog.show()
        dialog.setValue(done)
        if dialog.wasCanceled():
            self.stopped = True
        return not self.stopped

    def close(self) -> None:
        """The preview is shown (or was stopped): the dialog goes."""
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
