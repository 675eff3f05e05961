"""The dashboard's figures: pipeline, response rates, pairs at risk, next dates, chasing.

:func:`dashboard` gives every figure as of ``today`` in a handful of set-based queries
(one pass over the matches with an index seek for their meetings, one over check-ins, one
over evaluation responses, the at-risk rules), so it stays quick at 10,000 participants
and 50,000 meetings. ``dashboard --format json`` prints :meth:`Dashboard.to_json`.

The pipeline counts mentees (a mentee has one pair at a time): ``applied`` (mentees in the
cohort), ``matched`` (a confirmed or later pair), ``letters_sent``, ``started``,
``first_meeting_held`` (a meeting logged or reported at a check-in), ``active``,
``ended_early`` and ``completed``. A rematched mentee counts once in each stage they
reached. :func:`people_behind` lists the people behind any figure, for the screen's
click-through (``FIGURES`` names them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, case, distinct, func, or_, select
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.running.chase import evaluation_stage, last_chased
from mentorapp.running.checkins import Checkpoint, checkin_schedule, due_checkpoint, next_checkpoint
from mentorapp.running.flags import PairAtRisk, known_meeting, pairs_at_risk
from mentorapp.running.people import PersonRef, people_refs
from mentorapp.store.models import (
    CHASE_TOPICS,
    ChaseMark,
    CheckinAnswer,
    Cohort,
    EvaluationResponse,
    Match,
    Participant,
)

PIPELINE = ("applied", "matched", "letters_sent", "started", "first_meeting_held", "active", "ended_early", "completed")
PIPELINE_LABELS = {
    "applied": "Applied",
    "matched": "Matched",
    "letters_sent": "Letters sent",
    "started": "Started",
    "first_meeting_held": "First meeting held",
    "active": "Active",
    "ended_early": "Ended early",
    "completed": "Completed",
}
MATCHED_STATUSES = ("confirmed", "active", "completed", "ended_early")
STARTED_STATUSES = ("active", "completed", "ended_early")
# Every figure people_behind can list: the pipeline, then the response lists.
FIGURES = (*PIPELINE, "check_in_answered", "check_in_missing", "evaluation_answered", "evaluation_missing", "at_risk")


@dataclass(frozen=True)
class Rate:
    """Of ``asked`` people, ``answered`` answered."""

    asked: int
    answered: int
    date: dt.date | None = None

    @property
    def rate(self) -> float | None:
        return self.answered / self.asked if self.asked else None

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat() if self.date else None,
            "asked": self.asked,
            "answered": self.answered,
            "rate": None if self.rate is None else round(self.rate, 4),
        }


@dataclass
class Dashboard:
    """Every figure of the dashboard as of ``today``."""

    cohort_id: int
    cohort_name: str
    today: dt.date
    pipeline: dict[str, int]
    check_in: Rate | None  # the check-in due now
    evaluation_stage: str
    evaluation: Rate
    at_risk: list[PairAtRisk]
    schedule: list[Checkpoint]
    evaluation_date: dt.date
    chased: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def due_check_in(self) -> Checkpoint | None:
        return due_checkpoint(self.schedule, self.today)

    @property
    def next_check_in(self) -> Checkpoint | None:
        return next_checkpoint(self.schedule, self.today)

    @property
    def active_past_evaluation(self) -> int:
        """Pairs still active after the evaluation date (0 before it): they wait for the scheme to be completed,
        and the at-risk rules keep flagging them until it is."""
        return self.pipeline.get("active", 0) if self.today > self.evaluation_date else 0

    def to_json(self) -> dict[str, Any]:
        nxt, due = self.next_check_in, self.due_check_in
        return {
            "cohort": self.cohort_name,
            "today": self.today.isoformat(),
            "pipeline": dict(self.pipeline),
            "response_rates": {
                "check_in": self.check_in.to_json() if self.check_in else None,
                "evaluation": {"stage": self.evaluation_stage, **self.evaluation.to_json()},
            },
            "pairs_at_risk": [p.to_json() for p in self.at_risk],
            "next_dates": {
                "next_check_in": nxt.due_on.isoformat() if nxt else None,
                "current_check_in": due.due_on.isoformat() if due else None,
                "evaluation": self.evaluation_date.isoformat(),
                "days_to_evaluation": (self.evaluation_date - self.today).days,
                "check_ins": [c.to_json() for c in self.schedule],
            },
            "chased": self.chased,
            "active_past_evaluation": self.active_past_evaluation,
        }


def _cohort(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    return cohort


def _mentee_filter(cohort_id: int) -> Any:
    return and_(Participant.cohort_id == cohort_id, Participant.role.in_(("mentee", "both")))


def pipeline_counts(session: Session, cohort_id: int, today: dt.date) -> dict[str, int]:
    """The pipeline in three aggregate queries (mentees; their pairs; the pairs known to have met)."""
    applied = session.scalar(select(func.count()).select_from(Participant).where(_mentee_filter(cohort_id))) or 0
    started = and_(Match.started_on.is_not(None), Match.status.in_(STARTED_STATUSES))
    conditions = (
        Match.status.in_(MATCHED_STATUSES),
        Match.letter_sent_on.is_not(None),
        started,
        Match.status == "active",
        Match.status == "ended_early",
        Match.status == "completed",
    )
    row = session.execute(
        select(*(func.count(distinct(case((c, Match.mentee_id)))) for c in conditions)).where(
            Match.cohort_id == cohort_id
        )
    ).one()
    # A meeting known: asked in WHERE, where the two index seeks per pair stop at the first found.
    held = session.scalar(
        select(func.count(distinct(Match.mentee_id))).where(Match.cohort_id == cohort_id, started, known_meeting(today))
    )
    matched, letters, begun, active, ended, completed = (int(n or 0) for n in row)
    return dict(zip(PIPELINE, (int(applied), matched, letters, begun, int(held or 0), active, ended, completed)))


def _asked_pairs(cohort_id: int, due_on: dt.date) -> Any:
    return and_(
        Match.cohort_id == cohort_id,
        Match.status.in_(STARTED_STATUSES),
        Match.started_on.is_not(None),
        Match.started_on <= due_on,
        or_(Match.ended_on.is_(None), Match.ended_on >= due_on),
    )


def checkin_rate(session: Session, cohort_id: int, checkpoint: Checkpoint) -> Rate:
    """Both sides of each pair running at the check-in are asked; answers are counted per person and pair."""
    pairs = session.scalar(select(func.count()).select_from(Match).where(_asked_pairs(cohort_id, checkpoint.due_on)))
    answered = session.scalar(
        select(func.count())
        .select_from(CheckinAnswer)
        .join(Match, Match.id == CheckinAnswer.match_id)
        .where(CheckinAnswer.checkpoint_on == checkpoint.due_on, _asked_pairs(cohort_id, checkpoint.due_on))
    )
    return Rate(2 * int(pairs or 0), int(answered or 0), checkpoint.due_on)


def _evaluated_people(cohort_id: int) -> Any:
    """The people of every started pair (both sides), as a subquery of participant ids."""
    base = and_(Match.cohort_id == cohort_id, Match.status.in_(STARTED_STATUSES), Match.started_on.is_not(None))
    return select(Match.mentee_id.label("pid")).where(base).union(select(Match.mentor_id.label("pid")).where(base))


def evaluation_rate(session: Session, cohort_id: int, stage: str) -> Rate:
    """Both sides of every started pair are asked to evaluate; how many answered ``stage``."""
    people = _evaluated_people(cohort_id).subquery()
    asked = session.scalar(select(func.count()).select_from(people)) or 0
    answered = session.scalar(
        select(func.count(distinct(EvaluationResponse.participant_id))).where(
            EvaluationResponse.cohort_id == cohort_id,
            EvaluationResponse.stage == stage,
            EvaluationResponse.participant_id.in_(select(people.c.pid)),
        )
    )
    return Rate(int(asked), int(answered or 0))


def chased_summary(session: Session, cohort_id: int) -> dict[str, dict[str, Any]]:
    """Per list: how many people were chased and the last day."""
    out = {about: {"people": 0, "last_sent_on": None} for about in CHASE_TOPICS}
    for about, n, last in session.execute(
        select(ChaseMark.about, func.count(distinct(ChaseMark.participant_id)), func.max(ChaseMark.sent_on))
        .where(ChaseMark.cohort_id == cohort_id)
        .group_by(ChaseMark.about)
    ):
        out[about] = {"people": int(n), "last_sent_on": last.isoformat() if last else None}
    return out


def dashboard(session: Session, cohort_id: int, today: dt.date | None = None) -> Dashboard:
    """Every figure of the dashboard as of ``today`` (default: the real today)."""
    today = today or dt.date.today()
    cohort = _cohort(session, cohort_id)
    schedule = checkin_schedule(session, cohort_id)
    due = due_checkpoint(schedule, today)
    stage = evaluation_stage(cohort, today)
    return Dashboard(
        cohort_id=cohort.id,
        cohort_name=cohort.name,
        today=today,
        pipeline=pipeline_counts(session, cohort_id, today),
        check_in=checkin_rate(session, cohort_id, due) if due else None,
        evaluation_stage=stage,
        evaluation=evaluation_rate(session, cohort_id, stage),
        at_risk=pairs_at_risk(session, cohort_id, today),
        schedule=schedule,
        evaluation_date=cohort.evaluation_date,
        chased=chased_summary(session, cohort_id),
    )


@dataclass(frozen=True)
class FigureRow:
    """One person behind a figure, with their partner in the pair that put them there."""

    person: PersonRef
    partner: PersonRef | None
    match_id: int | None
    status: str
    started_on: dt.date | None
    last_chased: dt.date | None

    def to_json(self) -> dict[str, Any]:
        return {
            **self.person.to_json(),
            "partner": self.partner.to_json() if self.partner else None,
            "match_id": self.match_id,
            "status": self.status,
            "started_on": self.started_on.isoformat() if self.started_on else None,
            "last_chased": self.last_chased.isoformat() if self.last_chased else None,
        }


def people_behind(session: Session, cohort_id: int, figure: str, today: dt.date | None = None) -> list[FigureRow]:
    """The people behind one figure (see ``FIGURES``), by name: the click-through of the dashboard."""
    if figure not in FIGURES:
        raise UserError(f"'{figure}' is not a figure of the dashboard; use one of {', '.join(FIGURES)}.")
    today = today or dt.date.today()
    cohort = _cohort(session, cohort_id)
    rows: list[tuple[int, int | None, int | None, str, dt.date | None]] = []  # person, partner, match, status, start
    if figure == "applied":
        ids = session.scalars(select(Participant.id).where(_mentee_filter(cohort_id)))
        current = {
            mentee: (mid, mentor, status, started)
            for mid, mentee, mentor, status, started in session.execute(
                select(Match.id, Match.mentee_id, Match.mentor_id, Match.status, Match.started_on)
                .where(Match.cohort_id == cohort_id)
                .order_by(Match.id)
            )
        }
        for pid in ids:
            mid, mentor, status, started = current.get(pid, (None, None, "unmatched", None))
            rows.append((pid, mentor, mid, status, started))
    elif figure in PIPELINE:
        started = and_(Match.started_on.is_not(None), Match.status.in_(STARTED_STATUSES))
        condition = {
            "matched": Match.status.in_(MATCHED_STATUSES),
            "letters_sent": Match.letter_sent_on.is_not(None),
            "started": started,
            "first_meeting_held": and_(started, known_meeting(today)),
            "active": Match.status == "active",
            "ended_early": Match.status == "ended_early",
            "completed": Match.status == "completed",
        }[figure]
        for mid, mentee, mentor, status, start in session.execute(
            select(Match.id, Match.mentee_id, Match.mentor_id, Match.status, Match.started_on).where(
                Match.cohort_id == cohort_id, condition
            )
        ):
            rows.append((mentee, mentor, mid, status, start))
    elif figure == "at_risk":
        for pair in pairs_at_risk(session, cohort_id, today):
            rows.append((pair.mentee.id, pair.mentor.id, pair.match_id, "active", pair.started_on))
    elif figure.startswith("check_in"):
        due = due_checkpoint(checkin_schedule(session, cohort_id), today)
        if due is not None:
            answered = {
                (pid, mid)
                for pid, mid in session.execute(
                    select(CheckinAnswer.participant_id, CheckinAnswer.match_id).where(
                        CheckinAnswer.cohort_id == cohort_id, CheckinAnswer.checkpoint_on == due.due_on
                    )
                )
            }
            want = figure == "check_in_answered"
            for mid, mentee, mentor, status, start in session.execute(
                select(Match.id, Match.mentee_id, Match.mentor_id, Match.status, Match.started_on).where(
                    _asked_pairs(cohort_id, due.due_on)
                )
            ):
                for me, other in ((mentee, mentor), (mentor, mentee)):
                    if ((me, mid) in answered) == want:
                        rows.append((me, other, mid, status, start))
    else:
        stage = evaluation_stage(cohort, today)
        answered_ids = set(
            session.scalars(
                select(EvaluationResponse.participant_id).where(
                    EvaluationResponse.cohort_id == cohort_id, EvaluationResponse.stage == stage
                )
            )
        )
        want = figure == "evaluation_answered"
        seen: set[int] = set()
        for mid, mentee, mentor, status, start in session.execute(
            select(Match.id, Match.mentee_id, Match.mentor_id, Match.status, Match.started_on).where(
                Match.cohort_id == cohort_id, Match.status.in_(STARTED_STATUSES), Match.started_on.is_not(None)
            )
        ):
            for me, other in ((mentee, mentor), (mentor, mentee)):
                if (me in answered_ids) == want and me not in seen:
                    seen.add(me)
                    rows.append((me, other, mid, status, start))
    people = people_refs(session, [r[0] for r in rows] + [r[1] for r in rows if r[1] is not None])
    chased = last_chased(session, cohort_id)
    out = [
        FigureRow(people[pid], people.get(other) if other else None, mid, status, start, chased.get(pid))
        for pid, other, mid, status, start in rows
    ]
    return sorted(out, key=lambda r: (r.person.name.casefold(), r.person.id, r.match_id or 0))


__all__ = [
    "FIGURES",
    "PIPELINE",
    "PIPELINE_LABELS",
    "Dashboard",
    "FigureRow",
    "Rate",
    "checkin_rate",
    "dashboard",
    "evaluation_rate",
    "people_behind",
    "pipeline_counts",
]
