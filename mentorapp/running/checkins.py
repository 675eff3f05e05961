"""Check-ins: the schedule of a cohort, who is asked at each point, and the answers.

The schedule is a list of days after the scheme's start (default: day 30, then every 60
days until the evaluation; :mod:`mentorapp.running.settings`), editable with
:func:`set_checkin_days`. At each check-in both sides of every pair that had started by
then and had not ended are asked: have you met since the last check-in, how many times,
how is it going (1 to 5), would you like the coordinator to get in touch, a comment.
An answer is the coordinator's only: it is never put in anything sent to the partner.

Answers come from the per-person forms (:mod:`mentorapp.running.checkin_forms`) or are
typed in (:func:`save_checkin_answer`, undoable: it returns a MatchChange).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from mentorapp.dates import long_date
from mentorapp.errors import UserError
from mentorapp.matching.changes import MatchChange, Tracker
from mentorapp.running.settings import load_running_settings, save_running_settings, scheme_start
from mentorapp.store import audit
from mentorapp.store.models import CheckinAnswer, Cohort, Match

MAX_TIMES = 200
MAX_COMMENT = 2000
ASKED_STATUSES = ("active", "completed", "ended_early")


@dataclass(frozen=True)
class Checkpoint:
    """One check-in: its number (1, 2 ...), its day after the start and its date."""

    number: int
    day: int
    due_on: dt.date

    @property
    def label(self) -> str:
        """'Check-in 2: 1 October 2021 (day 30)', as the form a participant fills in is headed."""
        return f"Check-in {self.number}: {long_date(self.due_on)} (day {self.day})"

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "day": self.day, "date": self.due_on.isoformat()}


def checkin_schedule(session: Session, cohort_id: int) -> list[Checkpoint]:
    """The cohort's check-ins in date order."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    start = scheme_start(cohort)
    days = load_running_settings(session, cohort_id).checkin_days
    return [Checkpoint(n, d, start + dt.timedelta(days=d)) for n, d in enumerate(days, start=1)]


def set_checkin_days(session: Session, cohort_id: int, days: list[int]) -> None:
    """Change the schedule (days after the start; [] puts back the default)."""
    settings = load_running_settings(session, cohort_id)
    if len(set(days)) != len(days):
        raise UserError("Two check-ins fall on the same day; give each day once.")
    settings.checkin_days = sorted(days)
    save_running_settings(session, cohort_id, settings)


def due_checkpoint(schedule: list[Checkpoint], today: dt.date) -> Checkpoint | None:
    """The latest check-in on or before ``today`` (the one people are answering now), if any."""
    due = [c for c in schedule if c.due_on <= today]
    return due[-1] if due else None


def next_checkpoint(schedule: list[Checkpoint], today: dt.date) -> Checkpoint | None:
    """The first check-in after ``today``, if any."""
    return next((c for c in schedule if c.due_on > today), None)


def checkpoint_on(session: Session, cohort_id: int, day: dt.date) -> Checkpoint:
    """The check-in of that date, or a sentence listing the dates there are."""
    schedule = checkin_schedule(session, cohort_id)
    for c in schedule:
        if c.due_on == day:
            return c
    dates = ", ".join(long_date(c.due_on) for c in schedule)
    raise UserError(f"There is no check-in on {long_date(day)}; the check-ins are on {dates}.")


@dataclass(frozen=True)
class Asked:
    """One person asked at one check-in, about one pair."""

    participant_id: int
    match_id: int
    role: str  # "mentee" or "mentor": their side of the pair
    partner_id: int


def asked_at(session: Session, cohort_id: int, due_on: dt.date) -> list[Asked]:
    """Both sides of every pair that had started by ``due_on`` and not ended before it (one query)."""
    rows = session.execute(
        select(Match.id, Match.mentee_id, Match.mentor_id).where(
            Match.cohort_id == cohort_id,
            Match.status.in_(ASKED_STATUSES),
            Match.started_on.is_not(None),
            Match.started_on <= due_on,
            or_(Match.ended_on.is_(None), Match.ended_on >= due_on),
        )
    )
    out: list[Asked] = []
    for mid, mentee_id, mentor_id in rows:
        out.append(Asked(mentee_id, mid, "mentee", mentor_id))
        out.append(Asked(mentor_id, mid, "mentor", mentee_id))
    return out


def answered_at(session: Session, cohort_id: int, due_on: dt.date) -> set[tuple[int, int]]:
    """(participant id, match id) of everyone who answered the check-in of ``due_on``."""
    return {
        (pid, mid)
        for pid, mid in session.execute(
            select(CheckinAnswer.participant_id, CheckinAnswer.match_id).where(
                CheckinAnswer.cohort_id == cohort_id, CheckinAnswer.checkpoint_on == due_on
            )
        )
    }


@dataclass
class CheckinData:
    """One answer to one check-in, before it is stored."""

    participant_id: int
    match_id: int
    checkpoint_on: dt.date
    met: bool | None = None
    times: int | None = None
    rating: int | None = None
    wants_contact: bool = False
    comment: str = ""
    submitted_on: dt.date | None = None

    def problems(self, today: dt.date) -> list[tuple[str, str]]:
        """(field, sentence) for every impossible value."""
        out = []
        if self.times is not None and not 0 <= self.times <= MAX_TIMES:
            out.append(("times", f"The number of meetings must be from 0 to {MAX_TIMES}, not {self.times}."))
        if self.met is False and self.times:
            out.append(("times", f"The answer says they have not met, yet gives {self.times} meetings."))
        if self.rating is not None and not 1 <= self.rating <= 5:
            out.append(("rating", f"The rating must be from 1 to 5, not {self.rating}."))
        if len(self.comment) > MAX_COMMENT:
            out.append(
                ("comment", f"The comment is {len(self.comment):,} characters long; the limit is {MAX_COMMENT:,}.")
            )
        if self.submitted_on is not None and self.submitted_on > today:
            out.append(("submitted_on", f"The date answered {long_date(self.submitted_on)} is in the future."))
        return out

    def values(self) -> dict[str, Any]:
        return {
            "met": self.met,
            "times": self.times,
            "rating": self.rating,
            "wants_contact": bool(self.wants_contact),
            "comment": self.comment.strip(),
            "submitted_on": self.submitted_on,
        }


def side_of(match: Match, participant_id: int) -> str | None:
    """'mentee' or 'mentor' when the participant is in the pair, else None."""
    return "mentee" if match.mentee_id == participant_id else "mentor" if match.mentor_id == participant_id else None


def save_checkin_answer(session: Session, data: CheckinData, *, today: dt.date | None = None) -> MatchChange:
    """Store (or replace) one person's answer to one check-in; undoable."""
    match = session.get(Match, data.match_id)
    if match is None or side_of(match, data.participant_id) is None:
        raise UserError(f"Participant #{data.participant_id} is not in pair #{data.match_id}.")
    checkpoint_on(session, match.cohort_id, data.checkpoint_on)
    problems = data.problems(today or dt.date.today())
    if problems:
        raise UserError(problems[0][1])
    tracker = Tracker(session, match.cohort_id)
    row = session.scalar(
        select(CheckinAnswer).where(
            and_(
                CheckinAnswer.participant_id == data.participant_id,
                CheckinAnswer.match_id == data.match_id,
                CheckinAnswer.checkpoint_on == data.checkpoint_on,
            )
        )
    )
    if row is not None:
        tracker.touch("checkin_answer", row.id)
        for key, value in data.values().items():
            setattr(row, key, value)
    else:
        row = CheckinAnswer(
            cohort_id=match.cohort_id,
            match_id=data.match_id,
            participant_id=data.participant_id,
            checkpoint_on=data.checkpoint_on,
            **data.values(),
        )
        session.add(row)
    session.flush()
    tracker.created("checkin_answer", row.id)
    audit.record(
        session,
        "check-in answer saved",
        f"Check-in of {data.checkpoint_on.isoformat()} answered by #{data.participant_id} about pair #{data.match_id}",
        cohort_id=match.cohort_id,
        entity_type="checkin_answer",
        entity_id=row.id,
    )
    who = match.mentee if side_of(match, data.participant_id) == "mentee" else match.mentor
    return tracker.finish(f"Check-in answer of {who.full_name}")


@dataclass(frozen=True)
class AnswerRow:
    """One stored answer as plain values (the coordinator's eyes only)."""

    id: int
    participant_id: int
    match_id: int
    checkpoint_on: dt.date
    met: bool | None
    times: int | None
    rating: int | None
    wants_contact: bool
    comment: str
    submitted_on: dt.date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "participant_id": self.participant_id,
            "match_id": self.match_id,
            "checkpoint": self.checkpoint_on.isoformat(),
            "met": self.met,
            "times": self.times,
            "rating": self.rating,
            "wants_contact": self.wants_contact,
            "comment": self.comment,
            "submitted_on": self.submitted_on.isoformat() if self.submitted_on else None,
        }


def list_checkin_answers(session: Session, cohort_id: int, match_id: int | None = None) -> list[AnswerRow]:
    """The cohort's check-in answers (or one pair's), by date then participant."""
    stmt = select(CheckinAnswer).where(CheckinAnswer.cohort_id == cohort_id)
    if match_id is not None:
        stmt = stmt.where(CheckinAnswer.match_id == match_id)
    stmt = stmt.order_by(CheckinAnswer.checkpoint_on, CheckinAnswer.participant_id)
    return [
        AnswerRow(
            a.id,
            a.participant_id,
            a.match_id,
            a.checkpoint_on,
            a.met,
            a.times,
            a.rating,
            bool(a.wants_contact),
            a.comment or "",
            a.submitted_on,
        )
        for a in session.scalars(stmt)
    ]


__all__ = [
    "AnswerRow",
    "Asked",
    "CheckinData",
    "Checkpoint",
    "answered_at",
    "asked_at",
    "checkin_schedule",
    "checkpoint_on",
    "due_checkpoint",
    "list_checkin_answers",
    "next_checkpoint",
    "save_checkin_answer",
    "set_checkin_days",
    "side_of",
]
