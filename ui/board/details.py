"""The details panel: the selected mentee and mentor side by side, the score and its reasons."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mentorapp.dates import long_date
from mentorapp.matching.board import BoardMatch
from mentorapp.people.participants import ParticipantData
from mentorapp.people.vocabulary import HORIZON_LABELS, MATCH_STATUS_LABELS
from mentorapp_ui.app.shortcuts import plain
from mentorapp_ui.board.models import DropHint

_TRAILING_VALUE = re.compile(r"\s*\([+-]?\d+(?:\.\d+)?\)\s*$")


def reason_items(reasons: Any) -> list[tuple[str, float]]:
    """(sentence, contribution) from stored JSON reasons or :class:`mentorapp.matching.scoring.Reason` objects."""
    items = []
    for r in reasons or []:
        if isinstance(r, dict):
            items.append((str(r.get("text", "")), float(r.get("contribution", 0.0) or 0.0)))
        else:
            items.append((str(getattr(r, "text", r)), float(getattr(r, "contribution", 0.0))))
    return items


def _person_html(p: ParticipantData | None, role: str) -> str:
    if p is None:
        hint = (
            "Select an unmatched mentee on the left, or a mentee inside a mentor's card."
            if role == "Mentee"
            else "Select a mentor card to compare."
        )
        return (
            f"<div style='color:#5f6b7a; font-size:9pt'>{role.upper()}</div>"
            f"<div style='color:#5f6b7a; margin-top:4px'>{hint}</div>"
        )
    rows = [
        f"<div style='color:#5f6b7a; font-size:9pt'>{role.upper()}</div>",
        f"<div style='font-size:12pt'><b>{escape(p.titled_name)}</b></div>",
    ]
    for value in (p.job_title, p.organisation, p.career_stage, p.region):
        if value:
            rows.append(f"<div>{escape(value)}</div>")
    if not p.consent:
        rows.append("<div style='color:#a15c00'><b>Consent to data processing not recorded</b></div>")
    if p.is_mentor and role == "Mentor":
        rows.append(f"<div style='margin-top:6px'><b>Capacity:</b> {p.capacity}</div>")
        if p.availability:
            rows.append(f"<div><b>Availability:</b> {escape(p.availability)}</div>")
        if p.expertise:
            tags = ", ".join(escape(e.label) for e in p.expertise)
            rows.append(f"<div style='margin-top:6px'><b>Expertise:</b> {tags}</div>")
        if p.experience:
            text = p.experience if len(p.experience) < 400 else p.experience[:397] + "…"
            rows.append(f"<div style='margin-top:6px; color:#374151'>{escape(text)}</div>")
    else:
        for horizon in ("short", "medium", "long"):
            goal = p.goal(horizon)
            if goal is None:
                continue
            tags = ", ".join(escape(a) for a in goal.focus_areas)
            rows.append(
                f"<div style='margin-top:6px'><b>{HORIZON_LABELS[horizon]} goal</b>"
                + (f" <span style='color:#2f6fde'>{tags}</span>" if tags else "")
                + f"<br><span style='color:#374151'>{escape(goal.text)}</span></div>"
            )
    if p.meeting_preference and p.meeting_preference != "either":
        rows.append(f"<div style='margin-top:6px'><b>Meets:</b> {escape(p.meeting_preference)}</div>")
    return "".join(rows)


GUIDE = (
    "<div style='color:#374151'>Select a mentee and a mentor to compare them.</div>"
    "<ul style='color:#5f6b7a; margin-left:-20px'>"
    "<li>Drag a mentee onto a mentor's card to propose a match; the card shows the score, "
    "or why the pair is not allowed.</li>"
    "<li>Drag a matched mentee to another mentor to move them, or back to the left to unmatch.</li>"
    "<li>Or select a mentee and press <b>Enter</b> to choose from mentors sorted by compatibility.</li>"
    "<li><b>Suggest matches</b> (Ctrl+G) proposes pairs for everyone still unmatched.</li>"
    "<li>Right-click a match to confirm, lock, start, complete or end it. <b>Ctrl+Z</b> undoes anything.</li>"
    "</ul>"
)


class DetailsPanel(QScrollArea):
    """Read-only comparison of a pair plus buttons for the lifecycle actions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boardDetails")
        self.setAccessibleName("Details of the selected pair")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        body.setObjectName("detailsBody")
        body.setStyleSheet("QWidget#detailsBody { background: white; }")
        layout = QVBoxLayout(body)
        layout.setContentsMargins(14, 12, 14, 12)
        self.heading = QLabel("Details")
        self.heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.status = QLabel()
        self.status.setObjectName("matchStatus")
        self.status.setWordWrap(True)
        self.flags = QLabel()  # a pair at risk: each flag with its reason and the day it became true
        self.flags.setObjectName("pairFlags")
        self.flags.setWordWrap(True)
        self.flags.hide()
        self.score = QLabel()
        self.score.setObjectName("scoreLabel")
        self.score.setWordWrap(True)
        self.score.setTextFormat(Qt.TextFormat.RichText)
        people = QGridLayout()
        people.setHorizontalSpacing(16)
        self.mentee = QLabel()
        self.mentor = QLabel()
        for n, label in enumerate((self.mentee, self.mentor)):
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.RichText)
            label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            people.addWidget(label, 0, n)
            people.setColumnStretch(n, 1)
        self.mentee.setObjectName("menteeDetails")
        self.mentor.setObjectName("mentorDetails")
        self.mentee.setAccessibleName("Mentee details")
        self.mentor.setAccessibleName("Mentor details")
        self.buttons = QGridLayout()
        self.buttons.setSpacing(6)
        self._buttons: list[tuple[QToolButton, QAction]] = []
        layout.addWidget(self.heading)
        layout.addWidget(self.status)
        layout.addWidget(self.flags)
        layout.addLayout(self.buttons)
        layout.addWidget(self.score)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet("color: #e2e6eb;")
        layout.addWidget(line)
        layout.addLayout(people)
        layout.addStretch(1)
        self.setWidget(body)
        self.setMinimumWidth(260)  # with the two lists, the board fits a 1024-pixel window

    def set_actions(self, actions: list[QAction]) -> None:
        """Buttons that mirror menu actions; only those that apply to the selection are shown."""
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setAccessibleName(plain(action.text()))
            action.changed.connect(lambda b=button, a=action: b.setAccessibleName(plain(a.text())))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.setMinimumWidth(60)
            self._buttons.append((button, action))
            action.changed.connect(self._relayout_buttons)
        self._relayout_buttons()

    def show_flags(self, flags: list[Any]) -> None:
        """The flags of the selected pair (mentorapp.running.flags.Flag), or none."""
        self.flags.setVisible(bool(flags))
        self.flags.setText(
            "".join(
                f"<div style='color:#b3261e'><b>At risk:</b> {escape(f.text)} (since {long_date(f.since)})</div>"
                for f in flags
            )
        )

    def _relayout_buttons(self) -> None:
        """Show only the actions that apply to the selection, two to a row."""
        for button, _action in self._buttons:
            self.buttons.removeWidget(button)
        shown = [button for button, action in self._buttons if action.isEnabled()]
        for button, _action in self._buttons:
            button.setVisible(button in shown)
        for n, button in enumerate(shown):
            self.buttons.addWidget(button, n // 2, n % 2)

    def show_pair(
        self,
        mentee: ParticipantData | None,
        mentor: ParticipantData | None,
        *,
        match: BoardMatch | None = None,
        suggested: bool = False,
        score: float | None = None,
        reasons: Any = None,
        problems: list[str] | None = None,
        dropping: DropHint | None = None,
        former: str = "",
        score_now: float | None = None,
    ) -> None:
        """Show a pair; ``dropping`` is the hint while a mentee is dragged over ``mentor``.

        ``former`` says how they were paired in an earlier cohort ("Worked together in 2021 (Pilot 2021)").
        """
        if dropping is not None:
            self.heading.setText("Drop here?")
            self.status.setText(
                "<span style='color:#2e6b3f'>Release to match them.</span>"
                if dropping.allowed
                else "<span style='color:#d93025'>This pair is not allowed.</span>"
            )
        elif match is not None:
            self.heading.setText("Match")
            words = [MATCH_STATUS_LABELS[match.status]]
            if match.locked:
                words.append("locked")
            if match.override_same_org:
                words.append("same organisation (confirmed by you)")
            status = ", ".join(words)
            if match.end_reason:
                status += f": {escape(match.end_reason)}"
            self.status.setText(f"<span style='color:#374151'>Status: <b>{status}</b></span>")
        elif suggested:
            self.heading.setText("Suggested match")
            self.status.setText("<span style='color:#8a6512'>Provisional: accept or reject it.</span>")
        elif mentee is not None and mentor is not None:
            self.heading.setText("Compare")
            self.status.setText(
                "<span style='color:#5f6b7a'>Not matched. Drag the mentee onto the mentor, or "
                "press Enter to choose a mentor.</span>"
            )
        else:
            self.heading.setText("Details")
            self.status.setText(GUIDE)
        if former and mentee is not None and mentor is not None:
            self.status.setText(self.status.text() + f"<br><span style='color:#8a6512'><b>{escape(former)}</b></span>")
        self.mentee.setText(_person_html(mentee, "Mentee"))
        self.mentor.setText(_person_html(mentor, "Mentor"))
        self.score.setText(self._score_html(score, reasons, problems or [], score_now) if mentee and mentor else "")

    @staticmethod
    def _score_html(score: float | None, reasons: Any, problems: list[str], now: float | None = None) -> str:
        """The score and its reasons; ``now``: today's score of a match made with another (``score``)."""
        parts = []
        if score is not None:
            parts.append(f"<div style='font-size:12pt; margin-top:6px'>Compatibility <b>{score:.2f}</b></div>")
        if score is not None and now is not None and round(now, 2) != round(score, 2):
            parts.append(
                f"<div style='color:#5f6b7a'>{score:.2f} when matched; {now:.2f} with today's answers and "
                "weights, whose reasons follow.</div>"
            )
        items = reason_items(reasons)
        if items:
            parts.append("<table cellspacing='0' cellpadding='2' style='margin-top:4px'>")
            for text, value in items:
                text = _TRAILING_VALUE.sub("", text)  # the value has its own column
                colour = "#2e9d5b" if value > 0 else ("#d93025" if value < 0 else "#5f6b7a")
                parts.append(
                    f"<tr><td style='color:{colour}; padding-right:8px' align='right'><b>{value:+.2f}</b></td>"
                    f"<td>{escape(text)}</td></tr>"
                )
            parts.append("</table>")
        elif score is not None:
            parts.append("<div style='color:#5f6b7a'>Nothing in common found.</div>")
        for problem in problems:
            parts.append(f"<div style='color:#d93025; margin-top:4px'><b>Not allowed:</b> {escape(problem)}</div>")
        return "".join(parts)
