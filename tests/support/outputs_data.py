"""Test data for rosters and letters: matches in every status and hostile or Unicode names."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from mentorapp.store.db import Database
from mentorapp.store.models import Goal, Match, Participant

STATUSES = ("confirmed", "active", "proposed", "completed", "ended_early", "confirmed", "active", "confirmed")
HOSTILE = {
    "organisation": '=HYPERLINK("http://evil.example","A & B <Ltd>")',
    "job_title": "+44 cmd|' /C calc'!A0",
    "phone": "-1+2",
    "region": "@SUM(1,2)",
    "notes": "\tTabbed",
}


def add_matches(db: Database, cohort_id: int) -> dict[str, int]:
    """Match the first mentees to mentors in STATUSES order; returns useful participant ids."""
    with db.transaction() as s:
        mentees = list(
            s.scalars(
                select(Participant)
                .where(Participant.cohort_id == cohort_id, Participant.role == "mentee")
                .order_by(Participant.id)
            )
        )
        mentors = list(
            s.scalars(
                select(Participant)
                .where(Participant.cohort_id == cohort_id, Participant.role == "mentor")
                .order_by(Participant.id)
            )
        )
        hostile, cjk = mentees[0], mentees[1]
        for key, value in HOSTILE.items():
            setattr(hostile, key, value)
        hostile.first_name, hostile.last_name, hostile.title = "A & B", "<Ltd>", "Dr"
        cjk.first_name, cjk.last_name, cjk.title = "秀英", "王", ""
        mentors[0].first_name, mentors[0].last_name = "Łukasz", "Nguyễn"
        mentors[1].first_name, mentors[1].last_name = "Siobhán", "Ó Briain"
        for goal in list(hostile.goals):
            s.delete(goal)
        s.flush()
        hostile.goals.append(Goal(horizon="short", text="=cmd|'/C calc'!A0 and <b>lead</b> a team", focus_areas=[]))
        for i, mentee in enumerate(mentees[: len(STATUSES)]):
            status = STATUSES[i]
            s.add(
                Match(
                    cohort_id=cohort_id,
                    mentee_id=mentee.id,
                    mentor_id=mentors[i % len(mentors)].id,
                    status=status,
                    score=0.6 + i / 100,
                    reasons=["shares Leadership"],
                    started_on=dt.date(2021, 9, 20) if status in ("active", "completed", "ended_early") else None,
                    ended_on=dt.date(2022, 1, 10) if status == "ended_early" else None,
                    end_reason="=Moved abroad" if status == "ended_early" else "",
                )
            )
        return {"hostile": hostile.id, "cjk": cjk.id, "mentor0": mentors[0].id, "mentor1": mentors[1].id}
