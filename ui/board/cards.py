"""Card painting: delegates draw mentee and mentor cards so thousands of them cost nothing.

Only visible rows are painted, and geometry comes from pure functions
(:func:`slot_rects`), which the views use for hit-testing as well.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from mentorapp.people.vocabulary import MATCH_STATUS_LABELS
from mentorapp_ui.board.models import ID_ROLE, BoardState, Slot

Index = QModelIndex | QPersistentModelIndex

MARGIN = 5
PAD = 10
LINE = 18
MENTEE_HEIGHT = 78
MENTOR_HEADER = 70
SLOT_HEIGHT = 28
SLOT_GAP = 4

INK = QColor("#1f2937")
MUTED = QColor("#5f6b7a")
BORDER = QColor("#d5dbe3")
CARD = QColor("#ffffff")
SELECTED = QColor("#2f6fde")
SELECTED_BG = QColor("#f3f7ff")
CHIP = QColor("#eef2f7")
CHIP_TEXT = QColor("#334155")
WARN_BG = QColor("#fff4e5")
WARN_TEXT = QColor("#a15c00")
GOOD = QColor("#2e9d5b")
BAD = QColor("#d93025")
BAD_BG = QColor("#fdecea")

STATUS_COLOURS: dict[str, tuple[str, str]] = {
    "proposed": ("#e8f0fe", "#8fb0ee"),
    "confirmed": ("#e6f4ea", "#7cc091"),
    "active": ("#d3efdc", "#3f9f62"),
    "completed": ("#f1f3f4", "#c4c9cf"),
    "ended_early": ("#f1f3f4", "#c4c9cf"),
}
SUGGESTED_COLOURS = ("#fffbea", "#c9961a")
AT_RISK = "At risk"  # the badge of a pair with a flag (mentorapp.running.flags)


def score_colour(score: float | None) -> QColor:
    if score is None:
        return MUTED
    if score >= 0.6:
        return GOOD
    if score >= 0.3:
        return QColor("#b7791f")
    return QColor("#8a94a3")


def card_rect(rect: QRect) -> QRect:
    return rect.adjusted(MARGIN, MARGIN // 2 + 1, -MARGIN, -(MARGIN // 2 + 1))


def slot_rects(rect: QRect, count: int) -> list[QRect]:
    """Where each slot of a mentor card (drawn in ``rect``) sits."""
    card = card_rect(rect)
    top = card.top() + MENTOR_HEADER
    return [
        QRect(card.left() + PAD, top + i * (SLOT_HEIGHT + SLOT_GAP), card.width() - 2 * PAD, SLOT_HEIGHT)
        for i in range(count)
    ]


def mentor_height(slot_count: int) -> int:
    return MENTOR_HEADER + slot_count * (SLOT_HEIGHT + SLOT_GAP) + PAD + MARGIN


def _fonts(base: QFont) -> tuple[QFont, QFont, QFont]:
    name = QFont(base)
    name.setBold(True)
    name.setPointSizeF(base.pointSizeF() + 0.5)
    small = QFont(base)
    small.setPointSizeF(max(7.0, base.pointSizeF() - 1))
    bold_small = QFont(small)
    bold_small.setBold(True)
    return name, small, bold_small


def draw_chips(
    painter: QPainter, x: int, y: int, right: int, chips: list[tuple[str, QColor, QColor]], font: QFont
) -> int:
    """Rounded tags from left to right, as many as fit; returns the x after the last one."""
    fm = QFontMetrics(font)
    painter.setFont(font)
    for n, (text, bg, fg) in enumerate(chips):
        width = fm.horizontalAdvance(text) + 14
        remaining = len(chips) - n
        if x + width > right:
            if remaining and x + fm.horizontalAdvance(f"+{remaining}") + 14 <= right:
                text, width, bg, fg = f"+{remaining}", fm.horizontalAdvance(f"+{remaining}") + 14, CHIP, MUTED
            else:
                break
        chip = QRectF(x, y, width, 18)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(bg)
        painter.drawRoundedRect(chip, 9, 9)
        painter.setPen(fg)
        painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, text)
        x += width + 5
        if text.startswith("+"):
            break
    return x


def draw_badge(painter: QPainter, rect: QRectF, text: str, colour: QColor, font: QFont, *, filled: bool = True) -> None:
    painter.setFont(font)
    painter.setPen(QPen(colour, 1))
    painter.setBrush(colour if filled else Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
    painter.setPen(QColor("white") if filled else colour)
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)


class _CardDelegate(QStyledItemDelegate):
    def __init__(self, state: BoardState, parent=None) -> None:
        super().__init__(parent)
        self.state = state

    def _frame(self, painter: QPainter, option: QStyleOptionViewItem, *, bg: QColor | None = None) -> QRect:
        card = card_rect(option.rect)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.setPen(QPen(SELECTED if selected else BORDER, 2 if selected else 1))
        painter.setBrush(bg or (SELECTED_BG if selected else CARD))
        painter.drawRoundedRect(QRectF(card).adjusted(0.5, 0.5, -0.5, -0.5), 8, 8)
        if option.state & QStyle.StateFlag.State_HasFocus and option.state & QStyle.StateFlag.State_Selected:
            painter.setPen(QPen(SELECTED, 1, Qt.PenStyle.DotLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(QRectF(card).adjusted(3, 3, -3, -3), 6, 6)
        return card


class MenteeCardDelegate(_CardDelegate):
    """An unmatched mentee: name, career stage and region, focus areas, consent marker."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # Qt override
        return QSize(260, MENTEE_HEIGHT)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:  # Qt override
        pid = index.data(ID_ROLE)
        if pid is None or self.state.data is None:
            return
        p = self.state.person(pid)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = self._frame(painter, option)
        name_font, small, bold_small = _fonts(option.font)
        x, right = card.left() + PAD, card.right() - PAD
        suggestion = self.state.suggestions.get(pid)
        if suggestion is not None:
            # A left edge in the suggestion colour says "provisionally placed".
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(SUGGESTED_COLOURS[1]))
            painter.drawRoundedRect(QRectF(card.left() + 1, card.top() + 6, 4, card.height() - 12), 2, 2)
        right_edge = right
        if not p.consent:
            fm = QFontMetrics(bold_small)
            w = fm.horizontalAdvance("No consent") + 14
            draw_badge(
                painter, QRectF(right - w, card.top() + 8, w, 18), "No consent", WARN_TEXT, bold_small, filled=False
            )
            right_edge = right - w - 6
        painter.setFont(name_font)
        painter.setPen(INK)
        title = p.titled_name
        painter.drawText(
            QRect(x, card.top() + 7, right_edge - x, LINE + 2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(name_font).elidedText(title, Qt.TextElideMode.ElideRight, right_edge - x),
        )
        painter.setFont(small)
        painter.setPen(MUTED)
        if suggestion is not None:
            mentor = self.state.person(suggestion.mentor_id)
            second = f"Suggested: {mentor.titled_name} · {suggestion.score:.2f}"
            painter.setPen(QColor("#8a6512"))
        else:
            second = " · ".join(v for v in (p.career_stage, p.region) if v) or "Career stage not given"
        painter.drawText(
            QRect(x, card.top() + 29, right - x, LINE),
            Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(small).elidedText(second, Qt.TextElideMode.ElideRight, right - x),
        )
        areas = p.goal_focus_areas()
        chips = [(a, CHIP, CHIP_TEXT) for a in areas] or [("No focus areas given", WARN_BG, WARN_TEXT)]
        draw_chips(painter, x, card.top() + 50, right, chips, small)
        painter.restore()


class MentorCardDelegate(_CardDelegate):
    """A mentor: header, expertise, then one line per match, suggestion and free place."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # Qt override
        pid = index.data(ID_ROLE)
        count = len(self.state.slots(pid)) if pid is not None and self.state.data is not None else 0
        return QSize(320, mentor_height(count))

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:  # Qt override
        pid = index.data(ID_ROLE)
        if pid is None or self.state.data is None:
            return
        p = self.state.person(pid)
        hint = self.state.hint if self.state.hint and self.state.hint.mentor_id == pid else None
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = self._frame(painter, option, bg=BAD_BG if hint and not hint.allowed else None)
        name_font, small, bold_small = _fonts(option.font)
        x, right = card.left() + PAD, card.right() - PAD
        free = self.state.data.free_places(pid)
        cap_text = f"{free} of {p.capacity} free" if p.capacity else "No places"
        fm_b = QFontMetrics(bold_small)
        cap_w = fm_b.horizontalAdvance(cap_text) + 16
        draw_badge(
            painter,
            QRectF(right - cap_w, card.top() + 8, cap_w, 18),
            cap_text,
            GOOD if free else QColor("#8a94a3"),
            bold_small,
            filled=free > 0,
        )
        name_right = right - cap_w - 8
        if not p.consent:
            w = fm_b.horizontalAdvance("No consent") + 14
            draw_badge(
                painter,
                QRectF(name_right - w, card.top() + 8, w, 18),
                "No consent",
                WARN_TEXT,
                bold_small,
                filled=False,
            )
            name_right -= w + 6
        painter.setFont(name_font)
        painter.setPen(INK)
        title = p.titled_name
        painter.drawText(
            QRect(x, card.top() + 7, name_right - x, LINE + 2),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(name_font).elidedText(title, Qt.TextElideMode.ElideRight, name_right - x),
        )
        painter.setFont(small)
        painter.setPen(MUTED)
        second = " · ".join(v for v in (p.career_stage, p.organisation, p.region) if v)
        painter.drawText(
            QRect(x, card.top() + 28, right - x, LINE),
            Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(small).elidedText(second, Qt.TextElideMode.ElideRight, right - x),
        )
        chips = [(e.label, CHIP, CHIP_TEXT) for e in p.expertise]
        draw_chips(painter, x, card.top() + 47, right, chips, small)
        slots = self.state.slots(pid)
        for slot, rect in zip(slots, slot_rects(option.rect, len(slots))):
            self._paint_slot(painter, rect, slot, small, bold_small)
        if hint is not None:
            self._paint_hint(painter, card, hint, bold_small)
        painter.restore()

    def _paint_slot(self, painter: QPainter, rect: QRect, slot: Slot, font: QFont, bold: QFont) -> None:
        r = QRectF(rect).adjusted(0.5, 0.5, -0.5, -0.5)
        fm = QFontMetrics(font)
        if slot.kind == "free":
            painter.setPen(QPen(QColor("#c3cad4"), 1, Qt.PenStyle.DashLine))
            painter.setBrush(QColor("#fafbfc"))
            painter.drawRoundedRect(r, 6, 6)
            painter.setFont(font)
            painter.setPen(QColor("#9aa4b2"))
            painter.drawText(r, Qt.AlignmentFlag.AlignCenter, "Free place: drop a mentee here")
            return
        assert slot.mentee_id is not None
        mentee = self.state.person(slot.mentee_id)
        selected = (slot.match is not None and slot.match.id == self.state.selected_match_id) or (
            slot.suggestion is not None and slot.mentee_id == self.state.selected_suggestion
        )
        if slot.kind == "suggested":
            assert slot.suggestion is not None
            bg, edge = SUGGESTED_COLOURS
            painter.setPen(QPen(QColor(edge), 2 if selected else 1.3, Qt.PenStyle.DashLine))
            label, score, status = mentee.titled_name, slot.suggestion.score, "Suggested"
            mentor_id = slot.suggestion.mentor_id
        else:
            assert slot.match is not None
            bg, edge = STATUS_COLOURS[slot.match.status]
            painter.setPen(QPen(SELECTED if selected else QColor(edge), 2 if selected else 1))
            label, score, status = mentee.titled_name, slot.match.score, MATCH_STATUS_LABELS[slot.match.status]
            if slot.match.locked:
                status = "Locked · " + status
            if slot.match.override_same_org:
                status = "Same org. · " + status
            mentor_id = slot.match.mentor_id
        former = self.state.former(slot.mentee_id, mentor_id)
        if former is not None:  # "Worked together in 2021 · Proposed"
            status = f"{former.short()} · {status}"
        painter.setBrush(QColor(bg))
        painter.drawRoundedRect(r, 6, 6)
        inner = rect.adjusted(8, 0, -6, 0)
        score_w = 0
        if score is not None:
            score_w = 40
            draw_badge(
                painter,
                QRectF(inner.right() - score_w, inner.top() + 5, score_w, 18),
                f"{score:.2f}",
                score_colour(score),
                bold,
            )
        status_w = fm.horizontalAdvance(status) + 8
        painter.setFont(font)
        painter.setPen(MUTED if slot.kind != "suggested" else QColor("#8a6512"))
        status_rect = QRect(inner.right() - score_w - status_w - 4, inner.top(), status_w, inner.height())
        painter.drawText(status_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, status)
        if slot.match is not None and self.state.at_risk.get(slot.match.id):  # reasons: the details panel
            badge_w = QFontMetrics(bold).horizontalAdvance(AT_RISK) + 14
            badge = QRectF(status_rect.left() - badge_w - 2, inner.top() + 5, badge_w, 18)
            draw_badge(painter, badge, AT_RISK, BAD, bold)
            status_rect.setLeft(int(badge.left()))
        painter.setFont(bold)
        painter.setPen(INK)
        name_w = status_rect.left() - inner.left() - 6
        consent = "" if mentee.consent else "  (no consent)"
        painter.drawText(
            QRect(inner.left(), inner.top(), name_w, inner.height()),
            Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(bold).elidedText(label + consent, Qt.TextElideMode.ElideRight, name_w),
        )

    def _paint_hint(self, painter: QPainter, card: QRect, hint, font: QFont) -> None:
        colour = GOOD if hint.allowed else BAD
        painter.setPen(QPen(colour, 3))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(card).adjusted(1.5, 1.5, -1.5, -1.5), 8, 8)
        if hint.allowed:
            text = f"Score {hint.score:.2f} · drop to match" if hint.score is not None else "Drop to match"
        elif hint.overridable:
            text = "Same organisation · drop to decide"
        else:
            text = f"Not allowed: {hint.short or hint.message}"
        fm = QFontMetrics(font)
        w = min(card.width() - 2 * PAD, fm.horizontalAdvance(text) + 20)
        badge = QRectF(card.right() - PAD - w, card.top() + 27, w, 20)
        painter.setFont(font)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(badge, 10, 10)
        painter.setPen(QColor("white"))
        painter.drawText(
            badge.adjusted(8, 0, -8, 0),
            Qt.AlignmentFlag.AlignCenter,
            fm.elidedText(text, Qt.TextElideMode.ElideRight, int(w) - 16),
        )
