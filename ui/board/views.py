"""The two card lists of the board and their drag and drop.

Drops carry :data:`mentorapp_ui.board.mime.MIME_TYPE`; the views only translate mouse and
keyboard into signals (drop on a mentor, drop on the unmatched side, Enter,
Delete); the page decides what that means and runs it as an undoable command.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPoint, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QAbstractItemView, QApplication, QListView, QWidget

from mentorapp_ui.board.cards import MenteeCardDelegate, MentorCardDelegate, slot_rects
from mentorapp_ui.board.dragscroll import DragScroller
from mentorapp_ui.board.mime import DragPayload, decode, encode
from mentorapp_ui.board.models import ID_ROLE, BoardState, DropHint, MenteeListModel, MentorListModel, Slot

ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def plain_enter(event: QKeyEvent) -> bool:
    """Enter or Return alone (Ctrl+Return and the like belong to the menus' shortcuts)."""
    return event.key() in ENTER_KEYS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier


DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


def drag_pixmap(text: str, font: QFont, dpr: float) -> QPixmap:
    """A small card with the mentee's name that follows the mouse."""
    fm = QFontMetrics(font)
    w, h = fm.horizontalAdvance(text) + 28, 30
    pix = QPixmap(int(w * dpr), int(h * dpr))
    pix.setDevicePixelRatio(dpr)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(QPen(QColor("#2f6fde"), 1.5))
    p.setBrush(QColor(255, 255, 255, 235))
    p.drawRoundedRect(QRectF(1, 1, w - 2, h - 2), 8, 8)
    p.setFont(font)
    p.setPen(QColor("#1f2937"))
    p.drawText(QRectF(0, 0, w, h), Qt.AlignmentFlag.AlignCenter, text)
    p.end()
    return pix


class _CardList(QListView):
    list_model: MenteeListModel | MentorListModel

    def __init__(self, state: BoardState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDropIndicatorShown(False)
        self.setAcceptDrops(True)
        self.setDragEnabled(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        # Near the edges while dragging, and by the wheel: see DragScroller (Qt's own creeps).
        self.setAutoScroll(False)
        self.drag_scroller = DragScroller(self, self._scrolled_while_dragging)
        # A list with the focus shows it: a blue frame, twice as wide (the style draws none here).
        self.setStyleSheet(
            "QListView { background: #f4f6f9; border: 2px solid #dde2e8; border-radius: 6px; }"
            "QListView:focus { border: 2px solid #2f6fde; }"
        )
        self.verticalScrollBar().setSingleStep(24)

    empty_text = ""

    def paintEvent(self, event) -> None:  # Qt override
        super().paintEvent(event)
        if self.model() is not None and self.model().rowCount() == 0 and self.empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(QColor("#7b8794"))
            painter.drawText(
                self.viewport().rect().adjusted(24, 24, -24, -24),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                self.empty_text,
            )
            painter.end()

    def current_id(self) -> int | None:
        index = self.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_id(self, pid: int | None) -> bool:
        model = self.model()
        row = model.row_of(pid) if pid is not None and hasattr(model, "row_of") else -1
        if row < 0:
            return False
        index = model.index(row, 0)
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True

    def show_ids(self, ids: list[int], *, keep_neighbour: bool = False) -> None:
        """Replace the rows, keeping the scroll position and the current card.

        With ``keep_neighbour`` a card that went away leaves its neighbour current.
        """
        model = self.list_model
        current = self.currentIndex()
        current_id = self.current_id()
        current_row = current.row() if current.isValid() else -1
        scroll = self.verticalScrollBar().value()
        if ids == model.ids:
            model.refresh_all()
            self.doItemsLayout()
            self.verticalScrollBar().setValue(scroll)
            return
        model.set_ids(ids)
        self.doItemsLayout()
        if current_id is not None:
            row = model.row_of(current_id)
            if row < 0 and current_row >= 0 and ids and keep_neighbour:
                row = min(current_row, len(ids) - 1)
            if row >= 0:
                self.selectionModel().setCurrentIndex(
                    model.index(row, 0), self.selectionModel().SelectionFlag.ClearAndSelect
                )
        self.verticalScrollBar().setValue(scroll)

    def _scrolled_while_dragging(self) -> None:
        """The list moved under a resting mouse (subclasses update what the card under it says)."""

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # Qt override
        self.drag_scroller.stop()
        super().dragLeaveEvent(event)

    def _exec_drag(self, payload: DragPayload, label: str) -> None:
        drag = QDrag(self)
        drag.setMimeData(encode(payload))
        drag.setPixmap(drag_pixmap(label, self.font(), self.devicePixelRatioF()))
        drag.setHotSpot(QPoint(14, 15))
        drag.exec(Qt.DropAction.MoveAction, Qt.DropAction.MoveAction)


class MenteeListView(_CardList):
    """Unmatched mentees: drag them onto a mentor; drop a matched mentee here to unmatch."""

    unmatch_dropped = Signal(object)  # DragPayload
    unmatch_hover = Signal(object)  # DragPayload: a matched mentee is dragged over the list
    enter_pressed = Signal(int)  # mentee id

    def __init__(self, state: BoardState, parent: QWidget | None = None) -> None:
        super().__init__(state, parent)
        self.setObjectName("unmatchedList")
        self.list_model = MenteeListModel(state, self)
        self.setModel(self.list_model)
        self.setItemDelegate(MenteeCardDelegate(state, self))
        self.setUniformItemSizes(True)
        self.setAccessibleName("Unmatched mentees")

    def startDrag(self, supported: Qt.DropAction) -> None:  # Qt override
        pid = self.current_id()
        if pid is None or self.state.data is None:
            return
        payload = DragPayload(mentee_id=pid, cohort_id=self.state.data.cohort_id)
        self._exec_drag(payload, self.state.person(pid).titled_name)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        payload = decode(event.mimeData())
        if payload is not None and payload.match_id is not None:
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            self.unmatch_hover.emit(payload)
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # Qt override
        super().dragMoveEvent(event)
        payload = decode(event.mimeData())
        if payload is not None and payload.match_id is not None:
            self.drag_scroller.over(event.position().toPoint())
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override
        self.drag_scroller.stop()
        payload = decode(event.mimeData())
        if payload is None or payload.match_id is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.unmatch_dropped.emit(payload)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        pid = self.current_id()
        if plain_enter(event) and pid is not None:
            self.enter_pressed.emit(pid)
            return
        super().keyPressEvent(event)


class MentorListView(_CardList):
    """Mentors with their matches; drop a mentee on a card to match or move."""

    mentor_dropped = Signal(object, int)  # DragPayload, mentor id
    drag_target = Signal(object, object)  # DragPayload and mentor id under the cursor, or None, None
    slot_chosen = Signal()  # the selected match or suggestion changed
    enter_pressed = Signal()
    delete_pressed = Signal()

    def __init__(
        self, state: BoardState, hint_for: Callable[[DragPayload, int], DropHint], parent: QWidget | None = None
    ) -> None:
        super().__init__(state, parent)
        self.setObjectName("mentorList")
        self.hint_for = hint_for
        self.list_model = MentorListModel(state, self)
        self.setModel(self.list_model)
        self.setItemDelegate(MentorCardDelegate(state, self))
        self.setAccessibleName("Mentors")
        self._press: tuple[QPoint, Slot] | None = None
        self._target: tuple[DragPayload, int] | None = None
        self._drag_at: tuple[DragPayload, QPoint] | None = None  # the drag's payload and last position

    # -- slots under the mouse and the keyboard --------------------------------
    def slot_at(self, pos: QPoint) -> tuple[int, Slot] | None:
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        mentor_id = index.data(ID_ROLE)
        slots = self.state.slots(mentor_id)
        for slot, rect in zip(slots, slot_rects(self.visualRect(index), len(slots))):
            if rect.contains(pos):
                return mentor_id, slot
        return None

    def slot_rect(self, mentor_id: int, predicate: Callable[[Slot], bool]):
        """The rectangle (viewport coordinates) of the first slot matching ``predicate``."""
        row = self.list_model.row_of(mentor_id)
        if row < 0:
            return None
        rect = self.visualRect(self.list_model.index(row, 0))
        slots = self.state.slots(mentor_id)
        for slot, r in zip(slots, slot_rects(rect, len(slots))):
            if predicate(slot):
                return r
        return None

    def choose_slot(self, slot: Slot | None) -> None:
        self.state.selected_match_id = slot.match.id if slot and slot.match else None
        self.state.selected_suggestion = slot.mentee_id if slot and slot.kind == "suggested" else None
        self.viewport().update()
        self.slot_chosen.emit()

    def _filled_slots(self) -> list[Slot]:
        pid = self.current_id()
        return [s for s in self.state.slots(pid) if s.kind != "free"] if pid is not None else []

    def _step_slot(self, step: int) -> None:
        filled = self._filled_slots()
        if not filled:
            return
        keys = [(s.match.id if s.match else None, s.mentee_id if s.kind == "suggested" else None) for s in filled]
        now = (self.state.selected_match_id, self.state.selected_suggestion)
        n = keys.index(now) if now in keys else (-1 if step > 0 else len(keys))
        self.choose_slot(filled[max(0, min(len(filled) - 1, n + step))])

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override
        key = event.key()
        if key == Qt.Key.Key_Right:
            self._step_slot(1)
        elif key == Qt.Key.Key_Left:
            self._step_slot(-1)
        elif plain_enter(event):
            self.enter_pressed.emit()
        elif key in DELETE_KEYS:
            self.delete_pressed.emit()
        else:
            before = self.currentIndex()
            super().keyPressEvent(event)
            if self.currentIndex() != before:
                filled = self._filled_slots()
                self.choose_slot(filled[0] if filled else None)

    # -- mouse ---------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt override
        pos = event.position().toPoint()
        hit = self.slot_at(pos)
        super().mousePressEvent(event)
        slot = hit[1] if hit and hit[1].kind != "free" else None
        self.choose_slot(slot)
        self._press = (pos, slot) if slot is not None and event.button() == Qt.MouseButton.LeftButton else None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # Qt override
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            start, slot = self._press
            if (event.position().toPoint() - start).manhattanLength() >= QApplication.startDragDistance():
                self._press = None
                self._drag_slot(slot)
            return
        # No rubber band or item drag from the card itself.
        if not event.buttons():
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # Qt override
        self._press = None
        super().mouseReleaseEvent(event)

    def startDrag(self, supported: Qt.DropAction) -> None:  # Qt override
        """Cards themselves are not dragged; only the mentees inside them (see mouseMoveEvent)."""

    def _drag_slot(self, slot: Slot) -> None:
        if slot.mentee_id is None or self.state.data is None:
            return
        match = slot.match
        if match is not None and not match.is_current:
            return
        payload = DragPayload(
            mentee_id=slot.mentee_id,
            match_id=match.id if match else None,
            match_version=match.version_id if match else None,
            cohort_id=self.state.data.cohort_id,
        )
        self._exec_drag(payload, self.state.person(slot.mentee_id).titled_name)

    # -- dropping --------------------------------------------------------------------
    def _set_hint(self, hint: DropHint | None) -> None:
        if hint != self.state.hint:
            self.state.hint = hint
            self.viewport().update()

    def _set_target(self, payload: DragPayload | None, mentor_id: int | None) -> None:
        """Say which mentor a dragged mentee is over (None, None once it leaves or drops)."""
        target = (payload, mentor_id) if payload is not None and mentor_id is not None else None
        if target != self._target:
            self._target = target
            self.drag_target.emit(payload if target else None, mentor_id if target else None)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt override
        if decode(event.mimeData()) is not None:
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # Qt override
        super().dragMoveEvent(event)
        payload = decode(event.mimeData())
        pos = event.position().toPoint()
        if payload is not None:
            self.drag_scroller.over(pos)
            self._drag_at = (payload, pos)
        self._hover(payload, pos, event)

    def _scrolled_while_dragging(self) -> None:
        if self._drag_at is not None:
            self._hover(*self._drag_at)

    def _hover(self, payload: DragPayload | None, pos: QPoint, event: QDragMoveEvent | None = None) -> None:
        """The hint and the compare pane for the card at ``pos``; ``event`` is accepted or ignored to match."""
        index = self.indexAt(pos)
        if payload is None or not index.isValid():
            self._set_hint(None)
            self._set_target(None, None)
            if event is not None:
                event.ignore()
            return
        self._set_hint(self.hint_for(payload, index.data(ID_ROLE)))
        self._set_target(payload, index.data(ID_ROLE))
        if event is not None:
            # Refused targets still accept the drop so that the refusal can be explained.
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # Qt override
        self._drag_at = None
        self._set_hint(None)
        self._set_target(None, None)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # Qt override
        self.drag_scroller.stop()
        self._drag_at = None
        self._set_hint(None)
        self._set_target(None, None)
        payload = decode(event.mimeData())
        index = self.indexAt(event.position().toPoint())
        if payload is None or not index.isValid():
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.mentor_dropped.emit(payload, index.data(ID_ROLE))
