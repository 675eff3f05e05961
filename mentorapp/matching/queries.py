"""Reading matches without changing them: a mentee's current match, pair scores, lists for tables.

Changes to matches are :mod:`mentorapp.matching.actions`; what the match board
shows is :mod:`mentorapp.matching.board`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from mentorapp.errors import UserError
from mentorapp.matching.changes import TABLES
from mentorapp.matching.history import load_history
from mentorapp.matching.scoring import PairScore, Scorer, weights_for
from mentorapp.people.participants import list_participants
from mentorapp.store.models import CURRENT_MATCH_STATUSES, Cohort, Match, Participant


def current_match_of(session: Session, mentee_id: int) -> Match | None:
    """The mentee's proposed, confirmed or active match, if any."""
    return session.scalar(select(Match).where(Match.mentee_id == mentee_id, Match.status.in_(CURRENT_MATCH_STATUSES)))


def cohort_scorer(session: Session, cohort_id: int) -> Scorer:
    """A scorer over the whole cohort, so that a pair scores the same on the board as in suggestions.

    (Text similarity weighs words by how rare they are in the cohort, so a
    scorer built for two people alone gives slightly different text scores.)
    Former pairs of earlier cohorts count as the cohort's setting says.
    """
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    people = list_participants(session, cohort_id)
    return Scorer(
        [p for p in people if p.is_mentee],
        [p for p in people if p.is_mentor],
        weights_for(cohort.settings),
        stages=cohort.career_stages,
        history=load_history(session, cohort_id),
    )


def score_pair(session: Session, mentee: Participant, mentor: Participant) -> PairScore:
    """The compatibility of one pair under the cohort's weights."""
    return cohort_scorer(session, mentee.cohort_id).score(mentee.id, mentor.id)


@dataclass
class MatchRow:
    """One match as plain values for tables and ``matches --format json``."""

    id: int
    mentee_id: int
    mentee: str
    mentor_id: int
    mentor: str
    status: str
    score: float | None
    locked: bool
    override_same_org: bool
    end_reason: str
    created_at: dt.datetime
    started_on: dt.date | None
    ended_on: dt.date | None
    # The people behind the two memberships: the same in every cohort.
    mentee_person_id: int | None = None
    mentor_person_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "mentee_id": self.mentee_id,
            "mentee": self.mentee,
            "mentee_person_id": self.mentee_person_id,
            "mentor_id": self.mentor_id,
            "mentor": self.mentor,
            "mentor_person_id": self.mentor_person_id,
            "status": self.status,
            "score": self.score,
            "locked": self.locked,
            "override_same_org": self.override_same_org,
            "end_reason": self.end_reason,
            "created_on": self.created_at.date().isoformat() if self.created_at else None,
            "started_on": self.started_on.isoformat() if self.started_on else None,
            "ended_on": self.ended_on.isoformat() if self.ended_on else None,
        }


def list_matches(session: Session, cohort_id: int, status: str | Iterable[str] | None = None) -> list[MatchRow]:
    """The cohort's matches sorted by mentee name, optionally of some statuses only."""
    mentee, mentor = aliased(Participant), aliased(Participant)
    stmt = (
        select(
            Match,
            mentee.first_name,
            mentee.last_name,
            mentor.first_name,
            mentor.last_name,
            mentee.person_id,
            mentor.person_id,
        )
        .join(mentee, Match.mentee_id == mentee.id)
        .join(mentor, Match.mentor_id == mentor.id)
        .where(Match.cohort_id == cohort_id)
        .order_by(mentee.last_name, mentee.first_name, Match.id)
    )
    if status is not None:
        stmt = stmt.where(Match.status.in_([status] if isinstance(status, str) else list(status)))
    rows = []
    for m, ef, el, rf, rl, e_person, r_person in session.execute(stmt):
        rows.append(
            MatchRow(
                id=m.id,
                mentee_id=m.mentee_id,
                mentee=f"{ef} {el}".strip(),
                mentor_id=m.mentor_id,
                mentor=f"{rf} {rl}".strip(),
                status=m.status,
                score=m.score,
                locked=bool(m.locked),
                override_same_org=bool(m.override_same_org),
                end_reason=m.end_reason or "",
                created_at=m.created_at,
                started_on=m.started_on,
                ended_on=m.ended_on,
                mentee_person_id=e_person,
                mentor_person_id=r_person,
            )
        )
    return rows


def table_state(session: Session, cohort_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every match and excluded-pair row of a cohort, for comparing database states."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, table in TABLES.items():
        rows = session.execute(select(table).where(table.c.cohort_id == cohort_id).order_by(table.c.id)).mappings()
        out[name] = [dict(r) for r in rows]
    return out


__all__ = ["MatchRow", "cohort_scorer", "current_match_of", "list_matches", "score_pair", "table_state"]
