"""A small running cohort of its own (not the demo): four mentees, three mentors, pairs confirmed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from mentorapp.matching.actions import start_pairs
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.participants import ParticipantData, create_participant
from mentorapp.store.db import Database
from mentorapp.store.models import Match

START = dt.date(2024, 1, 8)
STARTED = dt.date(2024, 1, 15)  # the day the letters went out and the pairs started


@dataclass
class Running:
    db: Database
    cohort_id: int
    ids: dict[str, int]  # first name -> participant id
    pairs: dict[str, int]  # mentee first name -> match id

    def pid(self, first: str) -> int:
        return self.ids[first]


PEOPLE = (
    ("Zoë", "Ørsted", "mentee", "Harbour Health"),
    ("Brian", "Okonkwo-Smith", "mentee", "Fenland Trust"),
    ("Cleo", "Nnamdi", "mentee", "Severn Occupational"),
    ("Dana", "Ruiz", "mentee", "Pennine Works"),
    ("Esther", "Achterberg", "mentor", "Moorland Clinic"),
    ("Femi", "Adeyemi", "mentor", "Tyne Safety"),
    ("Grace", "Li", "mentor", "Wessex Wellbeing"),
)
# mentee -> mentor: Esther has two mentees; Dana stays unmatched.
PAIRS = {"Zoë": "Esther", "Brian": "Esther", "Cleo": "Femi"}


def build(db: Database, name: str = "Northern pilot 2024", *, start: bool = True) -> Running:
    ids: dict[str, int] = {}
    with db.transaction() as s:
        cohort = create_cohort(s, CohortData(name=name, start_date=START, status="matching"))
        for first, last, role, org in PEOPLE:
            email = f"{first.lower().replace('ë', 'e')}.{last.lower().replace('ø', 'o')}@{name.split()[0].lower()}.test"
            data = ParticipantData(
                first_name=first, last_name=last, email=email, role=role, organisation=org,
                capacity=2 if first == "Esther" else 1 if role == "mentor" else 0,
            )  # fmt: skip
            ids[first] = create_participant(s, cohort.id, data, validate=False).id
        for mentee, mentor in PAIRS.items():
            s.add(
                Match(cohort_id=cohort.id, mentee_id=ids[mentee], mentor_id=ids[mentor], status="confirmed", score=0.7)
            )
        s.flush()
        if start:
            start_pairs(s, cohort.id, STARTED)
        pairs = {
            first: s.scalar(select(Match.id).where(Match.mentee_id == pid))
            for first, pid in ids.items()
            if first in PAIRS
        }
        cohort_id = cohort.id
    return Running(db, cohort_id, ids, pairs)


@pytest.fixture
def running(db: Database) -> Running:
    return build(db)
