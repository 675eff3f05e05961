"""Scrolling a card list while something is dragged over it: faster near the edge, and by the wheel.

Qt's own auto-scroll creeps (a few pixels a tick, whatever the distance to the
edge), and while a drag runs Qt's drag machinery (``QBasicDrag``, which the X11
and offscreen platforms use) filters the application's events and swallows every
wheel event, so the list under the mouse cannot be scrolled by hand. A
:class:`DragScroller` replaces the first and gives the wheel back for the second:
while a drag is over its view it filters the application's events too, and since
it is installed after the drag's filter Qt asks it first.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication

TICK_MS = 20  # how often the list moves while the mouse rests near its edge
SLOWEST, FASTEST = 2, 48  # pixels a tick at the inner end of the margin and at the edge itself


def edge_margin(height: int) -> int:
    """How close to the top or bottom edge scrolling starts (a sixth of the list, 24 to 72 px)."""
    return max(24, min(72, height // 6))


def edge_step(distance: int, margin: int) -> int:
    """Pixels a tick for the mouse ``distance`` px inside the edge: the closer, the faster (0 outside the margin)."""
    if distance >= margin:
        return 0
    closeness = 1.0 - max(0, distance) / margin
    return round(SLOWEST + (FASTEST - SLOWEST) * closeness * closeness)


class DragScroller(QObject):
    """Scrolls ``view`` while a drag is over it; ``after_scroll`` runs after every step (the card under
    the mouse changed although the mouse did not move)."""

    def __init__(self, view: QAbstractScrollArea, after_scroll: Callable[[], None]) -> None:
        super().__init__(view)
        self.view = view
        self.after_scroll = after_scroll
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self._step = 0
        self._filtering = False

    # -- while the drag is over the view ------------------------------------------------
    def over(self, pos: QPoint) -> None:
        """The drag moved to ``pos`` (viewport coordinates): scroll if it is near the top or bottom edge."""
        self._start_filtering()
        height = self.view.viewport().height()
        margin = edge_margin(height)
        down = edge_step(height - 1 - pos.y(), margin)
        up = edge_step(pos.y(), margin)
        self._step = down if down else -up
        if self._step and not self.timer.isActive():
            self.timer.start()
        elif not self._step:
            self.timer.stop()

    def stop(self) -> None:
        """The drag left the view or dropped."""
        self.timer.stop()
        self._step = 0
        if self._filtering:
            QApplication.instance().removeEventFilter(self)
            self._filtering = False

    def _tick(self) -> None:
        bar = self.view.verticalScrollBar()
        before = bar.value()
        bar.setValue(before + self._step)
        if bar.value() == before:
            self.timer.stop()  # at the end of the list
        else:
            self.after_scroll()

    # -- the wheel ------------------------------------------------------------------------
    def _start_filtering(self) -> None:
        if not self._filtering:
            # Installed now, after the drag's own filter, so that Qt asks this one first.
            QApplication.instance().installEventFilter(self)
            self._filtering = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() != QEvent.Type.Wheel or not isinstance(event, QWheelEvent):
            return False
        viewport = self.view.viewport()
        if not viewport.rect().contains(viewport.mapFromGlobal(event.globalPosition().toPoint())):
            return False
        bar = self.view.verticalScrollBar()
        pixels = event.pixelDelta().y()
        if not pixels:
            pixels = round(event.angleDelta().y() / 120 * QApplication.wheelScrollLines() * bar.singleStep())
        before = bar.value()
        bar.setValue(before - pixels)
        if bar.value() != before:
            self.after_scroll()
        return True
