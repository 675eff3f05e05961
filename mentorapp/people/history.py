"""A person's history across cohorts: every membership with its role, goals, pairs, outcome and answers.

What the person's page and ``history EMAIL`` show. A closed cohort keeps what was
true then (the organisation, role and goals of that year's membership); a partner
is named with their email and person id, so the same partner is recognised in
another year. A handful of queries whatever the number of cohorts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, aliased, selectinload

from mentorapp.people.vocabulary import MATCH_STATUS_LABELS
from mentorapp.store.models import (
    Cohort,
    EvaluationResponse,
    Match,
    Participant,
    Person,
)


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def person_history(session: Session, person_id: int) -> dict[str, Any]:
    """The person's details and one entry per cohort they were in, oldest cohort first."""
    person = session.get(Person, person_id)
    if person is None:
        from mentorapp.errors import UserError

        raise UserError(f"There is no person with id {person_id}.")
    rows = session.execute(
        select(Participant, Cohort)
        .join(Cohort, Cohort.id == Participant.cohort_id)
        .where(Participant.person_id == person_id)
        .options(selectinload(Participant.goals), selectinload(Participant.expertise))
        .order_by(Cohort.start_date, Cohort.id)
    ).all()
    ids = [p.id for p, _c in rows]
    pairs = _pairs(session, ids)
    answers = _evaluations(session, ids)
    cohorts = []
    for p, cohort in rows:
        cohorts.append(
            {
                "cohort": {
                    "id": cohort.id,
                    "name": cohort.name,
                    "start_date": _iso(cohort.start_date),
                    "status": cohort.status,
                },
                "participant_id": p.id,
                "role": p.role,
                "organisation": p.organisation,
                "job_title": p.job_title,
                "career_stage": p.career_stage,
                "region": p.region,
                "goals": [{"horizon": g.horizon, "text": g.text, "focus_areas": list(g.focus_areas)} for g in p.goals],
                "expertise": [{"focus_area": e.focus_area, "years": e.years} for e in p.expertise],
                "pairs": pairs.get(p.id, []),
                "evaluations": answers.get(p.id, []),
            }
        )
    return {
        "person_id": person.id,
        "title": person.title,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "name": person.full_name,
        "email": person.email,
        "phone": person.phone,
        "membership_number": person.membership_number,
        "cohorts": cohorts,
    }


def _pairs(session: Session, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each membership's matches, with the partner's name, email and person id."""
    if not ids:
        return {}
    mentor, mentee = aliased(Participant), aliased(Participant)
    mentor_person, mentee_person = aliased(Person), aliased(Person)
    stmt = (
        select(Match, mentor.person_id, mentor_person, mentee.person_id, mentee_person)
        .join(mentor, mentor.id == Match.mentor_id)
        .join(mentor_person, mentor_person.id == mentor.person_id)
        .join(mentee, mentee.id == Match.mentee_id)
        .join(mentee_person, mentee_person.id == mentee.person_id)
        .where(or_(Match.mentor_id.in_(ids), Match.mentee_id.in_(ids)))
        .order_by(Match.id)
    )
    found: dict[int, list[dict[str, Any]]] = {}
    for m, _mentor_pid, mentor_p, _mentee_pid, mentee_p in session.execute(stmt):
        for mine, role, partner, partner_id in (
            (m.mentor_id, "mentor", mentee_p, m.mentee_id),
            (m.mentee_id, "mentee", mentor_p, m.mentor_id),
        ):
            if mine not in ids:
                continue
            found.setdefault(mine, []).append(
                {
                    "as": role,
                    "partner": {
                        "name": partner.full_name,
                        "email": partner.email,
                        "person_id": partner.id,
                        "participant_id": partner_id,
                    },
                    "status": m.status,
                    "score": m.score,
                    "started_on": _iso(m.started_on),
                    "ended_on": _iso(m.ended_on),
                    "end_reason": m.end_reason,
                }
            )
    return found


def _evaluations(session: Session, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """Each membership's evaluation answers by stage (baseline first)."""
    if not ids:
        return {}
    found: dict[int, list[dict[str, Any]]] = {}
    stmt = (
        select(EvaluationResponse)
        .where(EvaluationResponse.participant_id.in_(ids))
        .options(selectinload(EvaluationResponse.answers))
        .order_by(EvaluationResponse.participant_id, EvaluationResponse.stage)
    )
    for r in session.scalars(stmt):
        found.setdefault(r.participant_id, []).append(
            {
                "stage": r.stage,
                "role": r.role,
                "submitted_on": _iso(r.submitted_on),
                "answers": {
                    a.item_key: a.value_text if a.value_text is not None else a.value_int
                    for a in sorted(r.answers, key=lambda a: a.item_key)
                },
            }
        )
    return found


def outcome(entry: dict[str, Any]) -> str:
    """One cohort's outcome in words: the pairs' statuses and end reasons."""
    if not entry["pairs"]:
        return "Not matched"
    parts = []
    for pair in entry["pairs"]:
        text = MATCH_STATUS_LABELS.get(pair["status"], pair["status"].replace("_", " "))
        if pair["end_reason"]:
            text += f" ({pair['end_reason']})"
        parts.append(text)
    return "; ".join(parts)
