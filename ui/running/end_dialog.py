"""End a pair early (reason required, who ended it, the day), then offer the mentee a new mentor.

Ending runs :func:`mentorapp.matching.actions.end_pair` (the two are never proposed to each
other again); the offer runs :func:`mentorapp.matching.rematch.suggest_for_mentee` off the GUI
thread and shows the suggestion with its reasons; accepting it stores a proposed match with
:func:`~mentorapp.matching.actions.accept_suggestions`. Each is one step on the undo stack.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mentorapp.matching.actions import END_REASONS, ENDED_BY, accept_suggestions, end_pair
from mentorapp.running.screens_support import PairRef
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.tasks import Task, run_task
from mentorapp_ui.app.widgets import DateField, ErrorLabel
from mentorapp_ui.board.details import reason_items
from mentorapp_ui.running.changes import push_change
from mentorapp_ui.running.day import today

TRAILING_VALUE = re.compile(r"\s*\([+-]?\d+(?:\.\d+)?\)\s*$")  # "(+0.30)": the list shows the value itself
ENDED_BY_LABELS = {"mentee": "The mentee", "mentor": "The mentor", "coordinator": "You (the coordinator)"}


class EndDialog(QDialog):
    """Why, by whom and when a pair ended; OK ends it (undoable) and may look for a new mentor."""

    def __init__(self, ctx: AppContext, pair: PairRef, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pair = pair
        self.setObjectName("endPairDialog")
        self.setWindowTitle("End the pair early")
        intro = QLabel(
            f"End the pair of <b>{escape(pair.mentee.name)}</b> (mentee) and <b>{escape(pair.mentor.name)}</b> "
            "(mentor) early. They will not be proposed to each other again."
        )
        intro.setWordWrap(True)
        self.reason = QComboBox()
        self.reason.setObjectName("endReason")
        self.reason.setEditable(True)
        self.reason.addItems(list(END_REASONS))
        self.reason.setCurrentIndex(-1)
        self.reason.lineEdit().setPlaceholderText("Choose a reason or type your own (required)")
        self.reason.setMinimumWidth(360)
        self.ended_by = QComboBox()
        self.ended_by.setObjectName("endedBy")
        for key in ENDED_BY:
            self.ended_by.addItem(ENDED_BY_LABELS[key], key)
        self.day = DateField(today(), objectName="endDate")
        self.day.setToolTip("The day the pair ended (not in the future)")
        self.rematch = QCheckBox(f"Find a new mentor for {pair.mentee.name} now")
        self.rematch.setObjectName("offerRematch")
        self.rematch.setChecked(True)
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow("&Why did it end?", self.reason)
        form.addRow("Ended &by:", self.ended_by)
        form.addRow("&Date:", self.day)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&End the pair")
        self.ok.setEnabled(False)
        self.buttons.accepted.connect(self.end)
        self.buttons.rejected.connect(self.reject)
        self.reason.currentTextChanged.connect(lambda text: self.ok.setEnabled(bool(text.strip())))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.rematch)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.reason.setFocus()

    def end(self) -> None:
        reason = self.reason.currentText().strip()
        if not reason:
            self.error.show_error("Say why the pair ended early.")
            return
        by, day, now, pair = self.ended_by.currentData(), self.day.date(), today(), self.pair
        result = push_change(
            self.ctx,
            "End a pair early",
            lambda s: end_pair(
                s, pair.match_id, reason=reason, ended_by=by, on=day, today=now, expected_version=pair.version_id
            ),
        )
        if isinstance(result, str):
            self.error.show_error(result)
            return
        self.accept()


class RematchDialog(QDialog):
    """The new mentor the matcher suggests for one mentee, with the reasons; Propose stores it."""

    def __init__(self, ctx: AppContext, cohort_id: int, mentee_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cohort_id = cohort_id
        self.suggestion: Any = None
        self.setObjectName("rematchDialog")
        self.setWindowTitle(f"A new mentor for {mentee_name}")
        self.text = QLabel(f"Looking for the best mentor with a free place for {escape(mentee_name)}…")
        self.text.setObjectName("rematchText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # The reasons wrap; when there are more than the screen holds, they scroll instead of being cut.
        self.scroll = QScrollArea()
        self.scroll.setObjectName("rematchScroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.text)
        self.error = ErrorLabel()
        self.buttons = QDialogButtonBox()
        self.propose = self.buttons.addButton("&Propose this match", QDialogButtonBox.ButtonRole.AcceptRole)
        self.propose.setObjectName("proposeRematch")
        self.propose.setEnabled(False)
        self.buttons.addButton("&Not now", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept_suggestion)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(560)
        self.task: Task | None = None
        self._fit()

    def look(self, mentee_id: int) -> None:
        """Ask the matcher off the GUI thread; the dialog fills in when it answers."""
        from mentorapp.matching.rematch import suggest_for_mentee

        db, cohort_id = self.ctx.db, self.cohort_id

        def job(_report: Any, _cancelled: Any) -> Any:
            with db.session() as s:
                return suggest_for_mentee(s, cohort_id, mentee_id)

        self.task = run_task(job, self, on_done=self.show_suggestions, on_error=self.error.show_error)

    def show_suggestions(self, result: Any) -> None:
        if not result.matches:
            why = result.unmatched[0].reason if result.unmatched else "no mentor has a free place"
            self.text.setText(f"No mentor can be suggested now: {escape(why)}.")
            self._fit()
            return
        self.suggestion = result.matches[0]
        mentor = self.suggestion.mentor.titled_name
        reasons = "".join(
            f"<li>{escape(TRAILING_VALUE.sub('', text))} <span style='color:#5f6b7a'>({value:+.2f})</span></li>"
            for text, value in reason_items(self.suggestion.score.reasons)
        )
        mentee = self.suggestion.mentee.titled_name
        self.text.setText(
            f"For {escape(mentee)}, the suggested mentor is <b>{escape(mentor)}</b>, "
            f"score <b>{self.suggestion.score.total:.2f}</b>:"
            + (f"<ul style='margin-left:-20px'>{reasons}</ul>" if reasons else "")
            + "<span style='color:#5f6b7a'>Propose stores it as a proposed match on the board; "
            "confirm and start it there. The mentor whose pair ended is never suggested.</span>"
        )
        self._fit()
        self.propose.setEnabled(True)
        self.propose.setFocus()

    def _fit(self) -> None:
        """Tall enough for the whole text at the dialog's width, up to most of the screen (then it scrolls)."""
        width = max(self.width(), self.minimumWidth()) - 40
        needed = self.text.heightForWidth(width) + 4
        screen = self.screen().availableGeometry().height() if self.screen() is not None else 800
        self.scroll.setMinimumHeight(min(needed, int(screen * 0.6)))
        self.adjustSize()

    def accept_suggestion(self) -> None:
        s_ = self.suggestion
        if s_ is None:
            return
        pair = (s_.mentee.id, s_.mentor.id)
        cohort_id = self.cohort_id
        result = push_change(
            self.ctx, "Propose a new mentor", lambda s: accept_suggestions(s, cohort_id, [pair], {pair: s_.score})
        )
        if isinstance(result, str):
            self.error.show_error(result)
            return
        self.accept()


def end_pair_early(ctx: AppContext, pair: PairRef, parent: QWidget | None = None) -> EndDialog:
    """Open the end dialog; once the pair has ended (and the box is ticked), the rematch offer follows."""
    dialog = EndDialog(ctx, pair, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def ended() -> None:
        if dialog.rematch.isChecked():
            offer = RematchDialog(ctx, pair.cohort_id, pair.mentee.name, parent)
            offer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            offer.open()
            offer.look(pair.mentee.id)

    dialog.accepted.connect(ended)
    dialog.open()
    return dialog
