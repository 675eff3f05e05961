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

from sqlalchemy import and_, func, or_, select, union_all
from sqlalchemy.orm import Session

from mentorapp.running.people import CHUNK, PersonRef, people_refs
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
                    f"{facts.started_on.isoformat()}.",
                )
            )
    elif facts.last_met_on is not None:
        quiet = facts.last_met_on + dt.timedelta(weeks=settings.quiet_weeks)
        if today >= quiet:
            flags.append(
                Flag(
                    "gone_quiet",
                    quiet,
                    f"No meeting for {_weeks(settings.quiet_weeks)}: the last was on {facts.last_met_on.isoformat()}.",
                )
            )
    for s in sorted(facts.signals, key=lambda s: s.role, reverse=True):  # the mentee's first
        if s.rating is not None and s.rating <= settings.low_rating:
            flags.append(
                Flag(
                    "low_rating",
                    s.answered_on,
                    f"The {s.role} rated how it is going {s.rating} of 5 at the check-in of "
                    f"{s.checkpoint_on.isoformat()}.",
                    s.role,
                )
            )
        if s.wants_contact and not s.chased_since:
            flags.append(
                Flag(
                    "wants_contact",
                    s.answered_on,
                    f"The {s.role} asked the coordinator to get in touch at the check-in of "
                    f"{s.checkpoint_on.isoformat()}.",
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


def met_dates(cohort_id: int, today: dt.date) -> Any:
    """A subquery (match_id, first_on, last_on): meetings known from the log or a check-in, up to ``today``."""
    answered_on = func.coalesce(CheckinAnswer.submitted_on, CheckinAnswer.checkpoint_on)
    evidence = union_all(
        select(Meeting.match_id.label("match_id"), Meeting.held_on.label("day")).where(
            Meeting.cohort_id == cohort_id, Meeting.held_on <= today
        ),
        select(CheckinAnswer.match_id.label("match_id"), CheckinAnswer.checkpoint_on.label("day")).where(
            CheckinAnswer.cohort_id == cohort_id,
            or_(CheckinAnswer.met.is_(True), CheckinAnswer.times > 0),
            answered_on <= today,
        ),
    ).subquery()
    return (
        select(
            evidence.c.match_id, func.min(evidence.c.day).label("first_on"), func.max(evidence.c.day).label("last_on")
        )
        .group_by(evidence.c.match_id)
        .subquery()
    )


def _signals(session: Session, cohort_id: int, today: dt.date, low: int) -> dict[int, list[CheckinSignal]]:
    """Per match id: each side's latest answer up to ``today``, when it rates low or asks for contact."""
    answered_on = func.coalesce(CheckinAnswer.submitted_on, CheckinAnswer.checkpoint_on)
    ranked = (
        select(
            CheckinAnswer.match_id,
            CheckinAnswer.participant_id,
            CheckinAnswer.checkpoint_on,
            answered_on.label("answered_on"),
            CheckinAnswer.rating,
            CheckinAnswer.wants_contact,
            func.row_number()
            .over(
                partition_by=(CheckinAnswer.match_id, CheckinAnswer.participant_id),
                order_by=CheckinAnswer.checkpoint_on.desc(),
            )
            .label("n"),
        )
        .where(CheckinAnswer.cohort_id == cohort_id, answered_on <= today)
        .subquery()
    )
    chased = (
        select(ChaseMark.participant_id, func.max(ChaseMark.sent_on).label("last_sent"))
        .where(ChaseMark.cohort_id == cohort_id, ChaseMark.sent_on <= today)
        .group_by(ChaseMark.participant_id)
        .subquery()
    )
    stmt = (
        select(
            ranked.c.match_id,
            Match.mentee_id,
            ranked.c.participant_id,
            ranked.c.checkpoint_on,
            ranked.c.answered_on,
            ranked.c.rating,
            ranked.c.wants_contact,
            chased.c.last_sent,
        )
        .join(Match, Match.id == ranked.c.match_id)
        .outerjoin(chased, chased.c.participant_id == ranked.c.participant_id)
        .where(
            ranked.c.n == 1,
            Match.status == "active",
            or_(ranked.c.rating <= low, ranked.c.wants_contact.is_(True)),
        )
    )
    out: dict[int, list[CheckinSignal]] = {}
    for mid, mentee_id, pid, cp, answered, rating, wants, last_sent in session.execute(stmt):
        answered = _as_date(answered)
        out.setdefault(mid, []).append(
            CheckinSignal(
                "mentee" if pid == mentee_id else "mentor",
                cp,
                answered,
                rating,
                bool(wants),
                last_sent is not None and _as_date(last_sent) >= answered,
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
    met = met_dates(cohort_id, today)
    first_deadline = today - dt.timedelta(weeks=settings.first_meeting_weeks)
    quiet_deadline = today - dt.timedelta(weeks=settings.quiet_weeks)
    signals = _signals(session, cohort_id, today, settings.low_rating)
    base = (
        select(Match.id, Match.mentee_id, Match.mentor_id, Match.started_on, met.c.first_on, met.c.last_on)
        .outerjoin(met, met.c.match_id == Match.id)
        .where(Match.cohort_id == cohort_id, Match.status == "active", Match.started_on <= today)
    )
    late = or_(and_(met.c.first_on.is_(None), Match.started_on <= first_deadline), met.c.last_on <= quiet_deadline)
    rows = session.execute(base.where(late)).all()
    extra = sorted(set(signals) - {r[0] for r in rows})
    for start in range(0, len(extra), CHUNK):
        rows += session.execute(base.where(Match.id.in_(extra[start : start + CHUNK]))).all()
    people = people_refs(session, [pid for r in rows for pid in (r[1], r[2])])
    out = []
    for mid, mentee_id, mentor_id, started, first, last in rows:
        facts = PairFacts(
            mid,
            started,
            _as_date(first) if first else None,
            _as_date(last) if last else None,
            tuple(signals.get(mid, ())),
        )
        flags = flags_for(facts, settings, today)
        if flags:
            out.append(PairAtRisk(mid, people[mentee_id], people[mentor_id], started, flags))
    out.sort(key=lambda p: (min(f.since for f in p.flags), p.mentee.name))
    return out


__all__ = ["RULES", "CheckinSignal", "Flag", "PairAtRisk", "PairFacts", "flags_for", "met_dates", "pairs_at_risk"]
