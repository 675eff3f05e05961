"""Pairs at risk: rules with editable thresholds, each flag with its reason and the day it became true.

The rules (thresholds in :class:`mentorapp.running.settings.RunningSettings`):

- ``no_first_meeting``: an active pair has no meeting N weeks after it started (default 4);
- ``gone_quiet``: an active pair has had no meeting for 8 weeks;
- ``low_rating``: one side's latest check-in rates the pair 1 or 2;
- ``wants_contact``: one side's latest check-in asks the coordinator to get in touch, and the
  coordinator has not chased that person since.

A meeting is known from the log or from a check-in saying the pair met (its date then is the
check-in's date, whenever the answer came). Not answering a check-in is a reason to chase the person, not a flag.
Everything is as of ``today`` (``--today`` on the command line): later meetings and answers
do not count. :func:`flags_for` is the rule itself on plain values; :func:`pairs_at_risk`
reads the facts with a few set-based queries and keeps only the pairs with a flag.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from mentorapp.dates import long_date
from mentorapp.running.people import CHUNK, PersonRef, joined_people, make_ref
from mentorapp.running.settings import RunningSettings, load_running_settings
from mentorapp.store.models import ChaseMark, CheckinAnswer, Match, Meeting

RULES: dict[str, str] = {
    "no_first_meeting": "No first meeting",
    "gone_quiet": "Gone quiet",
    "low_rating": "Low check-in rating",
    "wants_contact": "Asked for contact",
}


@dataclass(frozen=True)
class Flag:
    """Why a pair needs attention: the rule, the day it became true, and a sentence."""

    rule: str
    since: dt.date
    text: str
    side: str = ""  # for a check-in's flag: whose answer it was ("mentee" or "mentor"), seen by the coordinator only

    def to_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "since": self.since.isoformat(), "text": self.text}


@dataclass(frozen=True)
class CheckinSignal:
    """One side's latest check-in answer, as far as the rules care."""

    role: str  # "mentee" or "mentor"
    checkpoint_on: dt.date
    answered_on: dt.date
    rating: int | None
    wants_contact: bool
    chased_since: bool = False  # the coordinator chased this person on or after the answer


@dataclass(frozen=True)
class PairFacts:
    """What the rules need of one active pair."""

    match_id: int
    started_on: dt.date
    first_met_on: dt.date | None
    last_met_on: dt.date | None
    signals: tuple[CheckinSignal, ...] = ()
    # The last meeting logged with its date; when last_met_on is later, a check-in reported it (no date given).
    last_logged_on: dt.date | None = None


def _weeks(n: int) -> str:
    return f"{n} week{'s' if n != 1 else ''}"


def flags_for(facts: PairFacts, settings: RunningSettings, today: dt.date) -> list[Flag]:
    """The flags of one pair as of ``today`` (the rules, on plain values)."""
    flags: list[Flag] = []
    if facts.first_met_on is None:
        deadline = facts.started_on + dt.timedelta(weeks=settings.first_meeting_weeks)
        if today >= deadline:
            flags.append(
                Flag(
                    "no_first_meeting",
                    deadline,
                    f"No first meeting {_weeks(settings.first_meeting_weeks)} after the start on "
                    f"{long_date(facts.started_on)}.",
                )
            )
    elif facts.last_met_on is not None:
        quiet = facts.last_met_on + dt.timedelta(weeks=settings.quiet_weeks)
        if today >= quiet:
            # A check-in that said they met gives its own day, not the meeting's: say where the date comes from.
            from_checkin = facts.last_logged_on != facts.last_met_on
            last = ("known from the check-in of " if from_checkin else "on ") + long_date(facts.last_met_on)
            flags.append(
                Flag("gone_quiet", quiet, f"No meeting for {_weeks(settings.quiet_weeks)}: the last was {last}.")
            )
    for s in sorted(facts.signals, key=lambda s: s.role, reverse=True):  # the mentee's first
        if s.rating is not None and s.rating <= settings.low_rating:
            flags.append(
                Flag(
                    "low_rating",
                    s.answered_on,
                    f"The {s.role} rated how it is going {s.rating} of 5 at the check-in of "
                    f"{long_date(s.checkpoint_on)}.",
                    s.role,
                )
            )
        if s.wants_contact and not s.chased_since:
            flags.append(
                Flag(
                    "wants_contact",
                    s.answered_on,
                    f"The {s.role} asked the coordinator to get in touch at the check-in of "
                    f"{long_date(s.checkpoint_on)}.",
                    s.role,
                )
            )
    return flags


@dataclass
class PairAtRisk:
    """One pair that needs attention, with both people and every flag."""

    match_id: int
    mentee: PersonRef
    mentor: PersonRef
    started_on: dt.date
    flags: list[Flag] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "match_id": self.match_id,
            "mentee": self.mentee.to_json(),
            "mentor": self.mentor.to_json(),
            "started_on": self.started_on.isoformat(),
            "flags": [f.to_json() for f in self.flags],
        }


def _earlier(a: Any, b: Any) -> Any:
    """The earlier of two dates that may be NULL (portable: no LEAST/GREATEST on SQLite)."""
    return case((a.is_(None), b), (b.is_(None), a), (a <= b, a), else_=b)


def _later(a: Any, b: Any) -> Any:
    return case((a.is_(None), b), (b.is_(None), a), (a >= b, a), else_=b)


def known_meeting(today: dt.date, after: dt.date | None = None) -> Any:
    """For the ``Match`` of the enclosing query: a meeting is known on or before ``today`` (and after ``after``).

    Two index seeks per pair (``meeting (match_id, held_on)``, ``checkin_answer (match_id)``),
    so a whole cohort costs one pass over its matches, never a sort of every meeting.
    """
    answered_on = func.coalesce(CheckinAnswer.submitted_on, CheckinAnswer.checkpoint_on)
    logged = select(Meeting.id).where(Meeting.match_id == Match.id, Meeting.held_on <= today)
    reported = select(CheckinAnswer.id).where(
        CheckinAnswer.match_id == Match.id,
        or_(CheckinAnswer.met.is_(True), CheckinAnswer.times > 0),
        answered_on <= today,
    )
    if after is not None:
        logged = logged.where(Meeting.held_on > after)
        reported = reported.where(CheckinAnswer.checkpoint_on > after)
    return or_(logged.correlate(Match).exists(), reported.correlate(Match).exists())


def met_bounds(today: dt.date) -> tuple[Any, Any, Any]:
    """(first, last) day a meeting is known for the enclosing query's ``Match``, up to ``today``, and the last logged.

    Correlated min/max seeks: computed only for the rows a query returns.
    """
    answered_on = func.coalesce(CheckinAnswer.submitted_on, CheckinAnswer.checkpoint_on)

    def logged(fn: Any) -> Any:
        return (
            select(fn(Meeting.held_on))
            .where(Meeting.match_id == Match.id, Meeting.held_on <= today)
            .correlate(Match)
            .scalar_subquery()
        )

    def reported(fn: Any) -> Any:
        return (
            select(fn(CheckinAnswer.checkpoint_on))
            .where(
                CheckinAnswer.match_id == Match.id,
                or_(CheckinAnswer.met.is_(True), CheckinAnswer.times > 0),
                answered_on <= today,
            )
            .correlate(Match)
            .scalar_subquery()
        )

    last_logged = logged(func.max)
    return _earlier(logged(func.min), reported(func.min)), _later(last_logged, reported(func.max)), last_logged


def _signals(session: Session, cohort_id: int, today: dt.date, low: int) -> dict[int, list[CheckinSignal]]:
    """Per match id: each side's latest answer up to ``today``, when it rates low or asks for contact.

    Only answers that would flag are read, each kept when no later answer of that person about
    that pair exists (an index seek), so the cost follows the flags, not every answer.
    """
    answered_on = func.coalesce(CheckinAnswer.submitted_on, CheckinAnswer.checkpoint_on)
    later = aliased(CheckinAnswer)
    newer = (
        select(later.id)
        .where(
            later.participant_id == CheckinAnswer.participant_id,
            later.match_id == CheckinAnswer.match_id,
            later.checkpoint_on > CheckinAnswer.checkpoint_on,
            func.coalesce(later.submitted_on, later.checkpoint_on) <= today,
        )
        .exists()
    )
    last_sent = (
        select(func.max(ChaseMark.sent_on))
        .where(ChaseMark.participant_id == CheckinAnswer.participant_id, ChaseMark.sent_on <= today)
        .scalar_subquery()
    )
    stmt = (
        select(
            CheckinAnswer.match_id,
            Match.mentee_id,
            CheckinAnswer.participant_id,
            CheckinAnswer.checkpoint_on,
            answered_on,
            CheckinAnswer.rating,
            CheckinAnswer.wants_contact,
            last_sent,
        )
        .join(Match, Match.id == CheckinAnswer.match_id)
        .where(
            CheckinAnswer.cohort_id == cohort_id,
            answered_on <= today,
            or_(CheckinAnswer.rating <= low, CheckinAnswer.wants_contact.is_(True)),
            Match.status == "active",
            ~newer,
        )
    )
    out: dict[int, list[CheckinSignal]] = {}
    for mid, mentee_id, pid, cp, answered, rating, wants, sent in session.execute(stmt):
        answered = _as_date(answered)
        out.setdefault(mid, []).append(
            CheckinSignal(
                "mentee" if pid == mentee_id else "mentor",
                cp,
                answered,
                rating,
                bool(wants),
                sent is not None and _as_date(sent) >= answered,
            )
        )
    return out


def _as_date(value: Any) -> dt.date:
    """A date from what the database gives back for a computed date (SQLite: text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def pairs_at_risk(session: Session, cohort_id: int, today: dt.date | None = None) -> list[PairAtRisk]:
    """Every active pair with at least one flag as of ``today``, the longest-standing first."""
    today = today or dt.date.today()
    settings = load_running_settings(session, cohort_id)
    first_deadline = today - dt.timedelta(weeks=settings.first_meeting_weeks)
    quiet_deadline = today - dt.timedelta(weeks=settings.quiet_weeks)
    signals = _signals(session, cohort_id, today, settings.low_rating)
    first_on, last_on, logged_on = met_bounds(today)
    base, people = joined_people(
        select(Match.id, Match.started_on, first_on, last_on, logged_on).select_from(Match),
        Match.mentee_id,
        Match.mentor_id,
    )
    base = base.add_columns(*people).where(
        Match.cohort_id == cohort_id, Match.status == "active", Match.started_on <= today
    )
    late = or_(
        and_(Match.started_on <= first_deadline, ~known_meeting(today)),
        and_(Match.started_on <= quiet_deadline, ~known_meeting(today, after=quiet_deadline)),
    )
    if len(signals) <= CHUNK:  # one pass: the pairs past a deadline and those a check-in flags
        rows = session.execute(base.where(or_(late, Match.id.in_(list(signals))))).all()
    else:
        rows = session.execute(base.where(late)).all()
        extra = sorted(set(signals) - {r[0] for r in rows})
        for start in range(0, len(extra), CHUNK):
            rows += session.execute(base.where(Match.id.in_(extra[start : start + CHUNK]))).all()
    out = []
    for row in rows:
        mid, started, first, last, logged = row[:5]
        facts = PairFacts(
            mid,
            started,
            _as_date(first) if first else None,
            _as_date(last) if last else None,
            tuple(signals.get(mid, ())),
            _as_date(logged) if logged else None,
        )
        flags = flags_for(facts, settings, today)
        if flags:
            out.append(PairAtRisk(mid, make_ref(*row[5:11]), make_ref(*row[11:17]), started, flags))
    out.sort(key=lambda p: (min(f.since for f in p.flags), p.mentee.name))
    return out


__all__ = [
    "RULES",
    "CheckinSignal",
    "Flag",
    "PairAtRisk",
    "PairFacts",
    "flags_for",
    "known_meeting",
    "met_bounds",
    "pairs_at_risk",
]
