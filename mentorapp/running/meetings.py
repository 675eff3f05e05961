"""The meeting log: dated meetings of a pair, and what the two sides reported at check-ins.

Two kinds of figure, kept apart on purpose:

- **logged meetings**: one row per meeting with its date (``meeting`` table), entered by the
  coordinator (``add_meeting``; the window, ``meetings add`` on the command line). A meeting
  dated before the pair started, after it ended, or in the future is refused with a sentence.
- **reported counts**: a check-in's "met N times since the last check-in" (``checkin_answer.times``)
  is a count for that period, never turned into dated meetings. When both sides answer one
  check-in, the period counts as the larger of their two figures: the same meetings seen from
  two sides are never added together.

``add_meeting`` and ``delete_meeting`` return a :class:`~mentorapp.matching.changes.MatchChange`;
:func:`mentorapp.matching.actions.undo_change` and ``redo_change`` undo and redo them like any
change to a match (the board's undo stack takes them as they are).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from mentorapp.errors import UserError
from mentorapp.matching.changes import MatchChange, Tracker
from mentorapp.running.people import mentee_match
from mentorapp.store import audit
from mentorapp.store.models import MEETING_MODES, REPORTERS, CheckinAnswer, Match, Meeting, Participant

MAX_MINUTES = 24 * 60
MAX_NOTE = 2000
# Matches that have started and so can have meetings.
STARTED_STATUSES = ("active", "completed", "ended_early")
MODE_LABELS = {"in-person": "In person", "video": "Video", "phone": "Phone"}


def parse_mode(text: str | None) -> str | None:
    """'in person', 'In-person', 'video call' ... as stored ('in-person', 'video', 'phone'); None for blank."""
    if text is None or not text.strip():
        return None
    key = " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    aliases = {"in person": "in-person", "face to face": "in-person", "video call": "video", "telephone": "phone"}
    mode = aliases.get(key, key)
    if mode not in MEETING_MODES:
        raise UserError(f"'{text.strip()}' is not a way of meeting; use one of {', '.join(MEETING_MODES)}.")
    return mode


def meeting_problem(match: Match, held_on: dt.date, today: dt.date) -> str | None:
    """Why a meeting on ``held_on`` cannot be logged for this pair (a sentence), or None."""
    name = f"{match.mentee.full_name} and {match.mentor.full_name}"
    if match.status not in STARTED_STATUSES or match.started_on is None:
        return f"The pair {name} has not started yet; start it before logging meetings."
    if held_on > today:
        return f"The meeting date {held_on.isoformat()} is in the future (today is {today.isoformat()})."
    if held_on < match.started_on:
        return (
            f"The meeting date {held_on.isoformat()} is before the pair {name} started "
            f"({match.started_on.isoformat()})."
        )
    if match.ended_on is not None and held_on > match.ended_on:
        return f"The meeting date {held_on.isoformat()} is after the pair {name} ended ({match.ended_on.isoformat()})."
    return None


def add_meeting(
    session: Session,
    match_id: int,
    held_on: dt.date,
    *,
    minutes: int | None = None,
    mode: str | None = None,
    reported_by: str = "coordinator",
    note: str = "",
    today: dt.date | None = None,
) -> MatchChange:
    """Log one meeting of a pair; refused with a sentence when the date or a value is impossible."""
    match = session.get(Match, match_id)
    if match is None:
        raise UserError("This pair no longer exists; reload and try again.")
    problem = meeting_problem(match, held_on, today or dt.date.today())
    if problem:
        raise UserError(problem)
    if minutes is not None and not 1 <= minutes <= MAX_MINUTES:
        raise UserError(f"The length of a meeting must be from 1 to {MAX_MINUTES} minutes, not {minutes}.")
    mode = parse_mode(mode)
    if reported_by not in REPORTERS:
        raise UserError(f"'{reported_by}' is not who reported a meeting; use one of {', '.join(REPORTERS)}.")
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise UserError(f"The note is {len(note):,} characters long; the limit is {MAX_NOTE:,}.")
    tracker = Tracker(session, match.cohort_id)
    row = Meeting(
        cohort_id=match.cohort_id,
        match_id=match.id,
        held_on=held_on,
        minutes=minutes,
        mode=mode,
        reported_by=reported_by,
        note=note,
    )
    session.add(row)
    session.flush()
    tracker.created("meeting", row.id)
    audit.record(
        session,
        "meeting logged",
        f"Meeting on {held_on.isoformat()} of pair #{match.id} (mentee #{match.mentee_id}, mentor #{match.mentor_id})",
        cohort_id=match.cohort_id,
        entity_type="meeting",
        entity_id=row.id,
    )
    return tracker.finish(f"Log a meeting of {match.mentee.full_name} and {match.mentor.full_name}")


def delete_meeting(session: Session, meeting_id: int) -> MatchChange:
    """Remove a logged meeting (undoable like adding it)."""
    row = session.get(Meeting, meeting_id)
    if row is None:
        raise UserError("This meeting was already removed; reload and try again.")
    match = session.get(Match, row.match_id)
    tracker = Tracker(session, row.cohort_id)
    tracker.touch("meeting", row.id)
    day, cohort_id = row.held_on, row.cohort_id
    session.delete(row)
    session.flush()
    audit.record(
        session,
        "meeting removed",
        f"Meeting on {day.isoformat()} of pair #{row.match_id}",
        cohort_id=cohort_id,
        entity_type="meeting",
        entity_id=meeting_id,
    )
    who = f" of {match.mentee.full_name} and {match.mentor.full_name}" if match is not None else ""
    return tracker.finish(f"Remove the meeting on {day.isoformat()}{who}")


def mentee_pair(session: Session, cohort_id: int, email: str) -> Match:
    """The pair of the mentee with this e-mail to log meetings for: the active one, else the latest started."""
    match = mentee_match(session, cohort_id, email, ("active",), missing=None)
    if match is not None:
        return match
    found = mentee_match(session, cohort_id, email, STARTED_STATUSES, missing=None)
    if found is not None:
        return found
    waiting = mentee_match(session, cohort_id, email, ("proposed", "confirmed"), missing=None)
    if waiting is not None:
        raise UserError(
            f"The pair of {waiting.mentee.full_name} and {waiting.mentor.full_name} has not started yet; "
            "start it before logging meetings."
        )
    return mentee_match(session, cohort_id, email, STARTED_STATUSES)


@dataclass(frozen=True)
class MeetingRow:
    """One logged meeting as plain values, for the log's table and ``meetings --format json``."""

    id: int
    match_id: int
    mentee_id: int
    mentee: str
    mentee_email: str
    mentor_id: int
    mentor: str
    mentor_email: str
    held_on: dt.date
    minutes: int | None
    mode: str | None
    reported_by: str
    note: str

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "match_id": self.match_id,
            "mentee": self.mentee,
            "mentee_email": self.mentee_email,
            "mentor": self.mentor,
            "mentor_email": self.mentor_email,
            "held_on": self.held_on.isoformat(),
            "minutes": self.minutes,
            "mode": self.mode,
            "reported_by": self.reported_by,
            "note": self.note,
        }


def list_meetings(session: Session, cohort_id: int, match_id: int | None = None) -> list[MeetingRow]:
    """The cohort's logged meetings (or one pair's), newest first."""
    mentee, mentor = aliased(Participant), aliased(Participant)
    stmt = (
        select(
            Meeting,
            Match.mentee_id,
            Match.mentor_id,
            mentee.first_name,
            mentee.last_name,
            mentee.email,
            mentor.first_name,
            mentor.last_name,
            mentor.email,
        )
        .join(Match, Match.id == Meeting.match_id)
        .join(mentee, mentee.id == Match.mentee_id)
        .join(mentor, mentor.id == Match.mentor_id)
        .where(Meeting.cohort_id == cohort_id)
        .order_by(Meeting.held_on.desc(), Meeting.id.desc())
    )
    if match_id is not None:
        stmt = stmt.where(Meeting.match_id == match_id)
    return [
        MeetingRow(
            m.id,
            m.match_id,
            ee_id,
            f"{ef} {el}".strip(),
            ee_mail,
            or_id,
            f"{rf} {rl}".strip(),
            or_mail,
            m.held_on,
            m.minutes,
            m.mode,
            m.reported_by,
            m.note or "",
        )
        for m, ee_id, or_id, ef, el, ee_mail, rf, rl, or_mail in session.execute(stmt)
    ]


@dataclass(frozen=True)
class PairMeetings:
    """What is known of one pair's meetings: the log and the check-ins' reported counts, apart."""

    logged: int
    first_on: dt.date | None  # first logged meeting
    last_on: dt.date | None  # last logged meeting
    reported: int  # sum over check-in periods of the larger of the two sides' counts


def reported_counts(session: Session, cohort_id: int) -> dict[int, int]:
    """Per match id: meetings reported at check-ins, each period counted once (the larger side's figure)."""
    per_period = (
        select(CheckinAnswer.match_id, CheckinAnswer.checkpoint_on, func.max(CheckinAnswer.times).label("n"))
        .where(CheckinAnswer.cohort_id == cohort_id, CheckinAnswer.times.is_not(None))
        .group_by(CheckinAnswer.match_id, CheckinAnswer.checkpoint_on)
        .subquery()
    )
    stmt = select(per_period.c.match_id, func.sum(per_period.c.n)).group_by(per_period.c.match_id)
    return {mid: int(n or 0) for mid, n in session.execute(stmt)}


def pair_meetings(session: Session, cohort_id: int) -> dict[int, PairMeetings]:
    """Per match id of the cohort that has any: logged meetings and reported counts (two queries)."""
    logged = {
        mid: (n, first, last)
        for mid, n, first, last in session.execute(
            select(Meeting.match_id, func.count(), func.min(Meeting.held_on), func.max(Meeting.held_on))
            .where(Meeting.cohort_id == cohort_id)
            .group_by(Meeting.match_id)
        )
    }
    reported = reported_counts(session, cohort_id)
    out = {}
    for mid in set(logged) | set(reported):
        n, first, last = logged.get(mid, (0, None, None))
        out[mid] = PairMeetings(int(n), first, last, reported.get(mid, 0))
    return out


@dataclass(frozen=True)
class LoggedMeetingsFigure:
    """The report's meetings figure from the log: pairs that started, how many have a log, meetings per pair."""

    pairs_started: int
    pairs_logged: int
    counts: tuple[int, ...]  # meetings logged per pair, for pairs with a log

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.counts) if self.counts else None

    @property
    def median(self) -> float | None:
        return float(statistics.median(self.counts)) if self.counts else None

    def sentence(self) -> str:
        """One line for the report, beside what participants reported at six months."""
        if not self.pairs_logged:
            return "No meetings were logged by the coordinator."
        return (
            f"The coordinator's meeting log covers {self.pairs_logged} of {self.pairs_started} pairs that started: "
            f"a mean of {self.mean:.1f} and a median of {self.median:.1f} logged meetings per pair."
        )


def logged_meetings_figure(session: Session, cohort_id: int) -> LoggedMeetingsFigure:
    """Meetings per pair from the log, for the evaluation report (pairs without a log are left out)."""
    started = session.scalar(
        select(func.count())
        .select_from(Match)
        .where(Match.cohort_id == cohort_id, Match.status.in_(STARTED_STATUSES), Match.started_on.is_not(None))
    )
    counts = [
        int(n)
        for (n,) in session.execute(
            select(func.count()).where(Meeting.cohort_id == cohort_id).group_by(Meeting.match_id)
        )
    ]
    return LoggedMeetingsFigure(int(started or 0), len(counts), tuple(sorted(counts)))


__all__ = [
    "LoggedMeetingsFigure",
    "MeetingRow",
    "PairMeetings",
    "add_meeting",
    "delete_meeting",
    "list_meetings",
    "logged_meetings_figure",
    "meeting_problem",
    "mentee_pair",
    "pair_meetings",
    "parse_mode",
    "reported_counts",
]
