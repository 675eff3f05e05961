"""A person's page: every cohort they were in (role, goals, pairs, outcome, answers), with merge and split.

Opened from the participants page (Edit > Person's history…, Ctrl+H, or the
right-click menu). What it shows is :func:`mentorapp.people.history.person_history`,
the same as ``history EMAIL``. Merging two records of one person and splitting a
membership off a wrong merge go through the undo stack (Ctrl+Z puts them back)
and are written to the activity log by :mod:`mentorapp.people.merge`.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import func, select

from mentorapp.dates import long_date
from mentorapp.errors import UserError
from mentorapp.evaluation.instrument import STAGE_LABELS
from mentorapp.people.history import outcome, person_history
from mentorapp.people.merge import find_person, merge_people, split_membership, undo_merge, undo_split
from mentorapp.people.participants import expertise_label
from mentorapp.people.vocabulary import COHORT_STATUS_LABELS, ROLE_LABELS
from mentorapp.store.models import Participant
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.undo import DbCommand, push_command

HORIZON_LABELS = {"short": "Short term", "medium": "Medium term", "long": "Long term"}


def _day(iso: str | None) -> str:
    """'1 September 2021' for the ISO date the history holds (as the dashboard and letters write dates)."""
    return long_date(dt.date.fromisoformat(iso)) if iso else "an unknown date"


def history_html(data: dict[str, Any]) -> str:
    """The history as the dialog shows it; every value escaped."""
    from mentorapp.privacy.subject_access import answer_text

    parts = [
        f"<h2>{escape(data['name'])}</h2>",
        f"<p>{escape(data['email'])}"
        + (f" · {escape(data['phone'])}" if data["phone"] else "")
        + (f" · membership {escape(data['membership_number'])}" if data["membership_number"] else "")
        + f" · person #{data['person_id']}</p>",
    ]
    if not data["cohorts"]:
        parts.append("<p style='color:gray'>In no cohort.</p>")
    for entry in data["cohorts"]:
        cohort = entry["cohort"]
        parts.append(
            f"<h3>{escape(cohort['name'])} <span style='color:gray; font-weight:normal'>"
            f"(from {escape(_day(cohort['start_date']))}, "
            f"{escape(COHORT_STATUS_LABELS.get(cohort['status'], cohort['status']).lower())})</span></h3>"
        )
        where = ", ".join(escape(v) for v in (entry["job_title"], entry["organisation"], entry["career_stage"]) if v)
        role = ROLE_LABELS.get(entry["role"], entry["role"])
        parts.append(f"<p><b>{escape(role)}</b>{' · ' + where if where else ''}</p>")
        rows = []
        for goal in entry["goals"]:
            tags = f" <i>({escape(', '.join(goal['focus_areas']))})</i>" if goal["focus_areas"] else ""
            rows.append((HORIZON_LABELS.get(goal["horizon"], goal["horizon"]), escape(goal["text"]) + tags))
        if entry["expertise"]:
            rows.append(
                (
                    "Expertise",
                    escape(", ".join(expertise_label(e["focus_area"], e["years"]) for e in entry["expertise"])),
                )
            )
        for pair in entry["pairs"]:
            partner = pair["partner"]
            rows.append(
                (
                    "Mentor" if pair["as"] == "mentee" else "Mentee",
                    f"{escape(partner['name'])} &lt;{escape(partner['email'])}&gt;",
                )
            )
        rows.append(("Outcome", escape(outcome(entry))))
        for response in entry["evaluations"]:
            answers = [answer_text(k, v) for k, v in response["answers"].items()]
            # A sentence ending in a full stop is joined without it: "...in the scheme; Meetings held: 2".
            shown = "; ".join(f"{escape(label)}: {escape(value.rstrip('.'))}" for label, value in answers if value)
            rows.append((STAGE_LABELS.get(response["stage"], response["stage"]), shown or "(no answers)"))
        parts.append(
            "<table cellspacing='0' cellpadding='3'>"
            + "".join(f"<tr><td valign='top' style='color:#555'>{k}</td><td>{v}</td></tr>" for k, v in rows)
            + "</table>"
        )
    return "".join(parts)


class HistoryDialog(QDialog):
    """The person behind one membership: their history, and merge/split for the coordinator."""

    def __init__(self, ctx: AppContext, participant_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.participant_id = participant_id
        self.setObjectName("personHistory")
        self.setWindowTitle("Person's history")
        self.resize(720, 620)
        self.view = QTextBrowser()
        self.view.setObjectName("historyView")
        self.note = QLabel(
            "Every cohort this person was in: what was true of them that year, whom they were paired with, "
            "how it ended and what they answered."
        )
        self.note.setWordWrap(True)
        self.merge_button = QPushButton("Merge with another record…")
        self.merge_button.setObjectName("mergeButton")
        self.merge_button.setToolTip("Another person record is the same person: make the two one (Ctrl+Z undoes it)")
        self.merge_button.clicked.connect(self.merge)
        self.split_button = QPushButton("Split this membership off…")
        self.split_button.setObjectName("splitButton")
        self.split_button.setToolTip(
            "This cohort's membership is someone else (a wrong merge): give it a person record of its own"
        )
        self.split_button.clicked.connect(self.split)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.split_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)
        self.refresh()
        # Any change (an undo of a merge, an edit on the participants page) shows at once.
        ctx.data_changed.connect(self.refresh)

    def person_id(self) -> int | None:
        with self.ctx.db.session() as s:
            return s.scalar(select(Participant.person_id).where(Participant.id == self.participant_id))

    def refresh(self) -> None:
        with self.ctx.db.session() as s:
            person_id = s.scalar(select(Participant.person_id).where(Participant.id == self.participant_id))
            if person_id is None:
                self.data = None
                self.view.setHtml("<p style='color:gray'>This participant no longer exists.</p>")
                for button in (self.merge_button, self.split_button):
                    button.setEnabled(False)
                return
            self.data = person_history(s, person_id)
            memberships = s.scalar(select(func.count()).where(Participant.person_id == person_id)) or 0
        self.view.setHtml(history_html(self.data))
        writable = not self.ctx.read_only
        self.merge_button.setEnabled(writable)
        self.split_button.setEnabled(writable and memberships > 1)

    def merge(self) -> None:
        if self.data is None:
            return
        text, ok = QInputDialog.getText(
            self,
            "Merge with another record",
            f"The other record of {self.data['name']}: its email address or person id.",
        )
        if not ok or not text.strip():
            return
        try:
            with self.ctx.db.session() as s:
                other = find_person(s, text)
                other_text = f"{other.full_name} <{other.email}> (person #{other.id})"
                other_id = other.id
        except UserError as exc:
            QMessageBox.warning(self, "Not merged", str(exc))
            return
        answer = QMessageBox.question(
            self,
            "Merge two records",
            f"Make {other_text} part of {self.data['name']} (person #{self.data['person_id']})?\n\n"
            f"{self.data['name']}'s name and contact details are kept; the other's become earlier values. "
            "Edit > Undo (Ctrl+Z) separates them again.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if merge_records(self.ctx, self.data["person_id"], other_id, self):
            self.refresh()

    def split(self) -> None:
        if self.data is None:
            return
        answer = QMessageBox.question(
            self,
            "Split this membership off",
            "Give this cohort's membership a person record of its own (a copy of the details), "
            "so it is no longer the same person as the other cohorts'?\n\nEdit > Undo (Ctrl+Z) joins them again.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        if split_record(self.ctx, self.participant_id, self):
            self.refresh()


def merge_records(ctx: AppContext, keep_id: int, other_id: int, parent: QWidget | None = None) -> bool:
    """Merge two person records on the undo stack; a refusal is shown in a sentence."""
    command = DbCommand(
        ctx,
        f"Merge person #{other_id} into #{keep_id}",
        lambda s, _c: merge_people(s, keep_id, other_id),
        lambda s, c: undo_merge(s, c.result),
    )
    if push_command(ctx, command):
        return True
    QMessageBox.warning(parent, "Not merged", str(command.error))
    return False


def split_record(ctx: AppContext, participant_id: int, parent: QWidget | None = None) -> bool:
    """Split one membership off its person on the undo stack."""
    command = DbCommand(
        ctx,
        f"Split membership #{participant_id} off",
        lambda s, _c: split_membership(s, participant_id),
        lambda s, c: undo_split(s, c.result),
    )
    if push_command(ctx, command):
        return True
    QMessageBox.warning(parent, "Not split", str(command.error))
    return False


def show_history(ctx: AppContext, participant_id: int, parent: QWidget | None = None) -> HistoryDialog:
    """Open the person's page for one membership (modeless, so the participants stay usable)."""
    dialog = HistoryDialog(ctx, participant_id, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.show()
    return dialog
