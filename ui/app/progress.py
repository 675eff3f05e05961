"""How a running task shows itself: one progress dialog, and a progress row for wizard pages.

Both follow a :class:`mentorapp_ui.app.tasks.Task`: its :class:`~mentorapp_ui.app.tasks.Progress`
moves the bar (a busy bar while the total is not known), the message replaces the
label, and Cancel or Stop asks the task to stop.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QHBoxLayout, QProgressBar, QProgressDialog, QPushButton, QWidget

from mentorapp_ui.app.tasks import Progress, Task


def _show_on_bar(set_range, set_value, progress: Progress) -> None:
    total = max(progress.total, 1)
    set_range(0, total)
    set_value(min(progress.done, total))


class TaskProgressDialog(QProgressDialog):
    """A progress dialog with Cancel for one task; it closes itself when the task ends.

    Not modal: a modal progress dialog runs a nested event loop inside every
    ``setValue()``, where the finished task could delete the dialog mid-call.
    It appears only if the task takes longer than 0.4 s.
    """

    def __init__(self, task: Task, label: str, title: str, parent: QWidget) -> None:
        super().__init__(label, "Cancel", 0, 100, parent)
        self.setObjectName("taskProgress")
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setMinimumDuration(400)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setValue(0)
        if not task.cancellable:
            self.setCancelButton(None)
        self.canceled.connect(task.cancel)
        task.progressed.connect(self.show_progress)
        task.finished.connect(self.finish)

    @Slot(object)
    def show_progress(self, progress: Progress) -> None:
        if progress.message:
            self.setLabelText(progress.message)
        _show_on_bar(self.setRange, self.setValue, progress)

    @Slot()
    def finish(self) -> None:
        self.canceled.disconnect()
        self.close()
        self.deleteLater()


class ProgressRow(QWidget):
    """A progress bar with a Stop button, shown on a page while its task runs."""

    def __init__(self, stop_text: str, object_prefix: str = "import") -> None:
        super().__init__()
        self.bar = QProgressBar()
        self.bar.setObjectName(f"{object_prefix}Progress")
        self.stop = QPushButton(stop_text)
        self.stop.setObjectName(f"{object_prefix}Stop")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.stop)
        self.task: Task | None = None
        self.stop.clicked.connect(self._stop)

    def follow(self, task: Task) -> None:
        """Show ``task``'s progress (a busy bar until it reports); Stop cancels it; hidden when it ends."""
        self.task = task
        self.bar.setRange(0, 0)
        self.stop.setEnabled(task.cancellable)
        task.progressed.connect(self.show_progress)
        task.finished.connect(self.hide)
        self.show()

    @Slot()
    def _stop(self) -> None:
        if self.task is not None:
            self.task.cancel()

    @Slot(object)
    def show_progress(self, progress: Progress) -> None:
        _show_on_bar(self.bar.setRange, self.bar.setValue, progress)
