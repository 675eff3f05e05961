"""Running a long job (reading, checking, importing a file) off the GUI thread.

The job is a plain function ``fn(progress, cancelled)`` from :mod:`mentorapp`;
it reports through signals, which Qt delivers on the GUI thread, so no widget
is ever touched from the worker (the Picard rule).
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from mentorapp.errors import UserError

Job = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class _Worker(QObject):
    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, job: Job, cancel: threading.Event) -> None:
        super().__init__()
        self._job = job
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self.progress.emit, self._cancel.is_set)
        except UserError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:
            traceback.print_exc()
            self.failed.emit(f"Something went wrong ({type(exc).__name__}: {exc}); nothing was changed.")
        else:
            self.succeeded.emit(result)
        finally:
            self.finished.emit()


class Task(QObject):
    """One job on its own thread. Connect to the signals, then :meth:`start`."""

    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._cancel = threading.Event()
        self._thread = QThread(self)
        self._worker = _Worker(job, self._cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self.progress)
        self._worker.succeeded.connect(self.succeeded)
        self._worker.failed.connect(self.failed)
        # Direct: QThread.quit is thread-safe, and a queued call would never run
        # while the GUI thread is blocked in stop() waiting for this thread.
        self._worker.finished.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._thread.finished.connect(self._done)
        self.running = False

    def start(self) -> None:
        self.running = True
        self._thread.start()

    def cancel(self) -> None:
        """Ask the job to stop at its next check; it then fails with a 'cancelled' message."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def wait(self, msecs: int = 30_000) -> bool:
        return self._thread.wait(msecs) if self._thread.isRunning() else True

    def stop(self) -> None:
        """Cancel and wait: called before the owner goes away."""
        self.cancel()
        self.wait()

    @Slot()
    def _done(self) -> None:
        self.running = False
        self.finished.emit()
