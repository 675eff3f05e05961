"""Running the matcher off the GUI thread; results come back as plain values through signals."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from mentorapp.store.db import Database
from mentorapp_ui.board.models import Suggested


def _id(value: Any) -> int:
    return int(value if isinstance(value, int) else value.id)


def _score(value: Any) -> tuple[float, list[dict[str, Any]]]:
    if value is None:
        return 0.0, []
    if isinstance(value, int | float):
        return float(value), []
    data = value.to_json()
    return float(value.total), list(data.get("reasons", []))


def _fraction(args: tuple[Any, ...]) -> float:
    """Progress callbacks may pass a fraction, a percentage or (done, total)."""
    numbers = [a for a in args if isinstance(a, int | float) and not isinstance(a, bool)]
    if len(numbers) >= 2 and numbers[1]:
        return max(0.0, min(1.0, numbers[0] / numbers[1]))
    if numbers:
        value = float(numbers[0])
        return max(0.0, min(1.0, value / 100 if value > 1 else value))
    return 0.0


class SuggestWorker(QObject):
    """Calls :func:`mentorapp.matching.solver.suggest` in its own session; never touches a widget."""

    progress = Signal(float)
    finished = Signal(object, object)  # list[Suggested], list[tuple[mentee id, reason]]
    failed = Signal(str)

    def __init__(self, db: Database, cohort_id: int) -> None:
        super().__init__()
        self.db = db
        self.cohort_id = cohort_id
        # Imported here, on the GUI thread, when first needed: importing scipy inside a
        # worker thread races with PySide's import hook.
        from mentorapp.matching import solver as matching

        matching.load_solvers()
        self._suggest = matching.suggest

    @Slot()
    def run(self) -> None:
        try:
            with self.db.session() as session:
                result = self._suggest(session, self.cohort_id, progress=lambda *a: self.progress.emit(_fraction(a)))
            pairs = []
            for s in result.matches:
                total, reasons = _score(s.score)
                pairs.append(Suggested(_id(s.mentee), _id(s.mentor), total, reasons))
            unmatched = [(_id(u.mentee), str(u.reason)) for u in result.unmatched]
        except Exception as exc:
            self.failed.emit(str(exc) or type(exc).__name__)
            return
        self.finished.emit(pairs, unmatched)


def start_worker(db: Database, cohort_id: int, parent: QObject) -> tuple[QThread, SuggestWorker]:
    """A started thread running a worker; the thread quits itself when the worker is done."""
    thread = QThread(parent)
    worker = SuggestWorker(db, cohort_id)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    worker.finished.connect(thread.quit)
    worker.failed.connect(thread.quit)
    thread.finished.connect(worker.deleteLater)
    thread.start()
    return thread, worker
