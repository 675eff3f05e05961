"""Run Python's cyclic garbage collector on the GUI thread only.

CPython collects cycles in whichever thread happens to allocate. Our workers
(import, exports, suggestions, the board's scorer) allocate a lot, so a
collection could run there and destroy Qt objects outside the GUI thread,
which crashes Qt. The well-known remedy for Qt applications: turn automatic
collection off and collect on the GUI thread from a timer, with the same
generation thresholds CPython would use.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer


class GuiThreadGarbageCollector(QObject):
    INTERVAL_MS = 500

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(self.INTERVAL_MS)

    def check(self) -> None:
        """Collect the generations CPython would have collected by now."""
        count0, count1, count2 = gc.get_count()
        if count0 > self.threshold[0]:
            generation = 0
            if count1 > self.threshold[1]:
                generation = 1
                if count2 > self.threshold[2]:
                    generation = 2
            gc.collect(generation)
