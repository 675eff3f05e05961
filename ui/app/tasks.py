"""The one way to run work off the GUI thread: Qt's thread pool, with signals.

A job is a plain function ``fn(report, cancelled)``, usually a call into
:mod:`mentorapp`: it calls ``report(done, total, message="")`` as it goes (the
shape the core's ``progress`` callbacks already have) and ``cancelled()`` at
points where it can stop. :func:`run_task` runs it on the pool and returns a
:class:`Task`, whose signals Qt delivers on the GUI thread: one progress shape
(:class:`Progress`), then ``succeeded(result)`` or ``failed(message)``, then
``finished``. No widget is ever touched from a worker (the Picard rule), and the
GUI thread never waits for a job: it is told when the job is done.

The worker emits on a small relay object, whose signals reach the task through
queued connections; a task deleted early (its page closed) is simply no longer
told, and the job's result is dropped.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal, Slot

from mentorapp.errors import UserError

log = logging.getLogger(__name__)

MIN_THREADS = 4  # a long suggestions run must not queue the reading of a file behind it


class Report(Protocol):
    def __call__(self, done: int, total: int, message: str = "") -> None: ...


Job = Callable[[Report, Callable[[], bool]], Any]


@dataclass(frozen=True)
class Progress:
    """How far a job is: ``done`` of ``total`` steps (``total`` 0: not known yet)."""

    done: int
    total: int
    message: str = ""
    cancellable: bool = True

    @property
    def fraction(self) -> float | None:
        """Between 0 and 1, or None while the total is not known."""
        return min(self.done / self.total, 1.0) if self.total > 0 else None


def pool() -> QThreadPool:
    """The pool every task runs on: Qt's global one, which the application waits for at exit."""
    instance = QThreadPool.globalInstance()
    if instance.maxThreadCount() < MIN_THREADS:
        instance.setMaxThreadCount(MIN_THREADS)
    return instance


class _Relay(QObject):
    """Emitted on from the worker; connected (queued) to the task on the GUI thread."""

    progressed = Signal(object)
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()


class Task(QObject):
    """A job on the thread pool. Connect to the signals (or use :func:`run_task`), then :meth:`start`."""

    progressed = Signal(object)  # Progress
    succeeded = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, job: Job, parent: QObject | None = None, *, cancellable: bool = True) -> None:
        super().__init__(parent)
        self._job = job
        self.cancellable = cancellable
        self._cancel = threading.Event()
        self._ended = threading.Event()
        self._relay = _Relay()
        queued = Qt.ConnectionType.QueuedConnection
        self._relay.progressed.connect(self._on_progress, queued)
        self._relay.succeeded.connect(self._on_succeeded, queued)
        self._relay.failed.connect(self._on_failed, queued)
        self._relay.finished.connect(self._on_finished, queued)
        self.running = False
        self.started = False
        self._abandoned = False
        self.last_progress: Progress | None = None

    def start(self) -> None:
        if self.started:
            raise RuntimeError("A task runs once.")
        self.started = self.running = True
        relay, job, cancel, ended, cancellable = self._relay, self._job, self._cancel, self._ended, self.cancellable

        def tell(signal: str, *args: object) -> None:
            try:
                getattr(relay, signal).emit(*args)
            except RuntimeError:
                # The relay is gone: the application is shutting down under a still-running job
                # (e.g. a --screenshot run that exits while the scorer works); no one is left to tell.
                log.debug("task answer %s dropped: the application is closing", signal)

        def report(done: int, total: int, message: str = "") -> None:
            tell("progressed", Progress(done, total, message, cancellable))

        def run() -> None:  # on a pool thread: only the relay and the two events are touched
            try:
                result = job(report, cancel.is_set)
            except UserError as exc:
                tell("failed", str(exc))
            except Exception as exc:
                log.exception("A task failed")
                tell("failed", f"Something went wrong ({type(exc).__name__}: {exc}); nothing was changed.")
            else:
                tell("succeeded", result)
            finally:
                ended.set()
                tell("finished")

        pool().start(run)

    def cancel(self) -> None:
        """Ask the job to stop at its next check; it then fails with its 'cancelled' message."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def abandon(self) -> None:
        """Cancel, and deliver nothing more: for a job whose answer is no longer wanted."""
        self.cancel()
        self._abandoned = True
        self.running = False

    def wait(self, msecs: int = 30_000) -> bool:
        """True once the job has returned (at once if it never started).

        Only for shutting down and for tests: the GUI thread otherwise listens for
        ``finished`` rather than waiting.
        """
        return not self.started or self._ended.wait(msecs / 1000)

    @Slot(object)
    def _on_progress(self, progress: Progress) -> None:
        if self._abandoned:
            return
        self.last_progress = progress
        self.progressed.emit(progress)

    @Slot(object)
    def _on_succeeded(self, result: object) -> None:
        if not self._abandoned:
            self.succeeded.emit(result)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        if not self._abandoned:
            self.failed.emit(message)

    @Slot()
    def _on_finished(self) -> None:
        if not self._abandoned:
            self.running = False
            self.finished.emit()


def run_task(
    job: Job,
    parent: QObject | None,
    *,
    on_done: Callable[[Any], object] | None = None,
    on_error: Callable[[str], object] | None = None,
    on_progress: Callable[[Progress], object] | None = None,
    on_finished: Callable[[], object] | None = None,
    cancellable: bool = True,
) -> Task:
    """Start ``job(report, cancelled)`` on the pool; the callbacks run on the GUI thread.

    ``parent`` owns the task: when it goes, nothing more is delivered. Exactly one
    of ``on_done`` and ``on_error`` is called, then ``on_finished``.
    """
    task = Task(job, parent, cancellable=cancellable)
    if on_progress is not None:
        task.progressed.connect(on_progress)
    if on_done is not None:
        task.succeeded.connect(on_done)
    if on_error is not None:
        task.failed.connect(on_error)
    if on_finished is not None:
        task.finished.connect(on_finished)
    task.start()
    return task
