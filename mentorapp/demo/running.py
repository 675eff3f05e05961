"""A demo scheme in its third month: started pairs, meetings, check-in answers, pairs at risk.

``demo --running`` adds this to a new demo cohort so that the dashboard, the meeting log,
the check-ins and the chase e-mails can be seen mid-scheme (with ``--today`` at
:func:`demo_today`). Deterministic for a seed. Most pairs met within three weeks and meet
every three to five weeks; two never met (no first meeting), one met once and went quiet,
one mentee rated the pair 2 and asked for contact at the first check-in, one pair ended
early (the mentor withdrew) and that mentee waits for a new mentor.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from mentorapp.matching.actions import end_pair
from mentorapp.store import audit
from mentorapp.store.models import ChaseMark, CheckinAnswer, Cohort, Match, Meeting, Participant

DAYS_IN = 80  # "today" for the demo: day 80 of the scheme, in its third month
COMMENTS = (
    "Really useful so far; we have a plan for the next three months.",
    "Good conversations about the training pathway.",
    "Hard to find a time that suits us both, but worth it.",
    "",
    "",
)


@dataclass
class DemoRunningResult:
    pairs: int
    meetings: int
    answers: int
    today: dt.date


def demo_today(cohort: Cohort) -> dt.date:
    """The day the demo scheme is seen from: day 80 after its start."""
    return cohort.start_date + dt.timedelta(days=DAYS_IN)


def _pairs(people: list[tuple[int, str, str, int]], rng: random.Random) -> list[tuple[int, int]]:
    """Mentees with mentors of another organisation, within capacity (round-robin: even and fast)."""
    mentors = [[pid, org, cap] for pid, role, org, cap in people if role == "mentor" and cap > 0]
    mentees = [(pid, org) for pid, role, org, _c in people if role == "mentee"]
    rng.shuffle(mentees)
    pairs, pointer = [], 0
    for mentee_id, org in mentees:
        for step in range(len(mentors)):
            mentor = mentors[(pointer + step) % len(mentors)]
            if mentor[2] > 0 and mentor[1] != org:
                mentor[2] -= 1
                pointer = (pointer + step + 1) % len(mentors)
                pairs.append((mentee_id, mentor[0]))
                break
    return pairs


def fill_demo_running(session: Session, cohort_id: int, *, seed: int = 2021) -> DemoRunningResult:
    """Start the cohort's pairs and fill in its first 80 days (see the module notes)."""
    rng = random.Random(seed + 17)
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise LookupError(f"no cohort {cohort_id}")
    start, today = cohort.start_date, demo_today(cohort)
    people = [
        tuple(r)
        for r in session.execute(
            select(Participant.id, Participant.role, Participant.organisation, Participant.capacity)
            .where(Participant.cohort_id == cohort_id)
            .order_by(Participant.id)
        )
    ]
    pairs = _pairs(people, rng)  # type: ignore[arg-type]
    session.execute(
        insert(Match),
        [
            {
                "cohort_id": cohort_id,
                "mentee_id": mentee,
                "mentor_id": mentor,
                "status": "active",
                "end_reason": "",
                "score": round(rng.uniform(0.55, 0.95), 3),
                "reasons": [],
                "locked": False,
                "override_same_org": False,
                "started_on": start,
                "letter_sent_on": start - dt.timedelta(days=3),
                "version_id": 1,
            }
            for mentee, mentor in pairs
        ],
    )
    ids = dict(session.execute(select(Match.mentee_id, Match.id).where(Match.cohort_id == cohort_id)).all())
    match_of = [(ids[mentee], mentee, mentor) for mentee, mentor in pairs]
    # Roles in the story, by position: never met, never met, went quiet, unhappy, ended early.
    never = {m for m, _e, _r in match_of[:2]}
    quiet, unhappy, ended = (match_of[i][0] if len(match_of) > i else None for i in (2, 3, 4))
    meetings, answers = [], []
    checkpoint = start + dt.timedelta(days=30)
    for mid, mentee, mentor in match_of:
        if mid in never:
            continue
        days = [rng.randint(6, 20)]
        if mid == quiet:
            days = [10]
        else:
            while (nxt := days[-1] + rng.randint(21, 35)) <= DAYS_IN:
                days.append(nxt)
        if mid == ended:
            days = [d for d in days if d < 35]
        for day in days:
            meetings.append(
                {
                    "cohort_id": cohort_id,
                    "match_id": mid,
                    "held_on": start + dt.timedelta(days=day),
                    "minutes": rng.choice((30, 45, 60, 60, 90)),
                    "mode": rng.choice(("in-person", "video", "video", "phone")),
                    "reported_by": rng.choice(("mentee", "mentee", "mentor", "coordinator")),
                    "note": "",
                }
            )
        met_before = sum(1 for d in days if d <= 30)
        for pid in (mentee, mentor):
            if mid == quiet or (rng.random() > 0.75 and mid != unhappy):
                continue  # did not answer the first check-in
            rating = 2 if (mid == unhappy and pid == mentee) else rng.choice((3, 4, 4, 5, 5))
            answers.append(
                {
                    "cohort_id": cohort_id,
                    "match_id": mid,
                    "participant_id": pid,
                    "checkpoint_on": checkpoint,
                    "met": met_before > 0,
                    "times": max(0, met_before + rng.choice((0, 0, 0, 1, -1))) if met_before else 0,
                    "rating": rating,
                    "wants_contact": mid == unhappy and pid == mentee,
                    "comment": "We have not really clicked yet." if rating == 2 else rng.choice(COMMENTS),
                    "submitted_on": checkpoint + dt.timedelta(days=rng.randint(0, 9)),
                }
            )
    if meetings:
        session.execute(insert(Meeting), meetings)
    if answers:
        session.execute(insert(CheckinAnswer), answers)
    # The coordinator reminded the two pairs that had not met, a week ago.
    never_people = [p for m, e, r in match_of if m in never for p in (e, r)]
    if never_people:
        session.execute(
            insert(ChaseMark),
            [
                {
                    "cohort_id": cohort_id,
                    "participant_id": p,
                    "about": "first-meeting",
                    "sent_on": today - dt.timedelta(7),
                }
                for p in never_people
            ],
        )
    cohort.status = "running"
    cohort.settings = {**(cohort.settings or {}), "running": {"started_on": start.isoformat()}}
    session.flush()
    if ended is not None:
        end_pair(
            session,
            ended,
            reason="Mentor withdrew from the scheme",
            ended_by="mentor",
            on=start + dt.timedelta(days=40),
            today=today,
        )
    audit.record(
        session,
        "demo running",
        f"Demo scheme '{cohort.name}' started on {start.isoformat()} with {len(pairs)} pairs and "
        f"{len(meetings)} meetings",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )
    session.flush()
    return DemoRunningResult(len(pairs), len(meetings), len(answers), today)


__all__ = ["DemoRunningResult", "demo_today", "fill_demo_running"]
