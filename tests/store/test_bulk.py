"""Bulk inserts (the import's path): the same rows the ORM writes, ids in order, nothing written out of turn."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import delete, select

from mentorapp.store import audit
from mentorapp.store.bulk import insert_returning_ids, insert_rows
from mentorapp.store.db import Database
from mentorapp.store.models import AuditEvent, Person

pytestmark = pytest.mark.both_databases

ROWS = [
    {"title": "Dr", "first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.org", "phone": "",
     "membership_number": "M1", "consent": True, "consent_date": dt.date(2026, 1, 2)},
    {"title": "", "first_name": "Alan", "last_name": "Turing", "email": "alan@example.org", "phone": "0123",
     "membership_number": "", "consent": False, "consent_date": None},
    {"title": "Prof", "first_name": "Grace", "last_name": "Hopper", "email": "grace@example.org", "phone": "",
     "membership_number": "M3", "consent": True, "consent_date": dt.date(2025, 12, 31)},
]  # fmt: skip


def _stored(db: Database, ids: list[int]) -> list[dict]:
    """The rows as stored, in the order of ``ids``, without what differs by design (id, time written)."""
    with db.session() as s:
        people = {p.id: p for p in s.scalars(select(Person).where(Person.id.in_(ids)))}
        skip = {"id", "created_at", "updated_at"}
        return [{c.key: getattr(people[i], c.key) for c in Person.__table__.columns if c.key not in skip} for i in ids]


def test_bulk_rows_are_the_rows_the_orm_writes(db: Database) -> None:
    with db.transaction() as s:
        made = [Person(**row) for row in ROWS]
        s.add_all(made)
        s.flush()
        orm_ids = [p.id for p in made]
        bulk_ids = insert_returning_ids(s, Person, ROWS)
    assert len(bulk_ids) == len(ROWS)
    assert bulk_ids == sorted(bulk_ids) and min(bulk_ids) > max(orm_ids)
    assert _stored(db, bulk_ids) == _stored(db, orm_ids)
    with db.session() as s:
        assert [p.version_id for p in s.scalars(select(Person).where(Person.id.in_(bulk_ids)))] == [1, 1, 1]
        assert all(p.created_at is not None for p in s.scalars(select(Person)))


def test_ids_follow_the_largest_and_the_next_ordinary_insert_follows_them(db: Database) -> None:
    with db.transaction() as s:
        first = insert_returning_ids(s, Person, ROWS)
        s.execute(delete(Person).where(Person.id == first[-1]))  # the highest id gone, as after an erase
    with db.transaction() as s:
        again = insert_returning_ids(s, Person, ROWS[:2])
        later = Person(**ROWS[2])
        s.add(later)
        s.flush()
        later_id = later.id
    assert again[0] > first[1]
    assert later_id > again[-1]
    assert _stored(db, again) == _stored(db, first[:2])


def test_what_the_session_holds_is_written_first(db: Database) -> None:
    with db.transaction() as s:
        audit.record(s, "before", "added through the session")
        insert_rows(s, AuditEvent, [{"action": "bulk", "description": f"row {i}", "os_user": ""} for i in range(3)])
        insert_returning_ids(s, Person, [])  # nothing to write: nothing written
    with db.session() as s:
        actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-4:] == ["before", "bulk", "bulk", "bulk"]


def test_goals_and_log_lines_are_stored_as_the_orm_stores_them(db: Database) -> None:
    """JSON lists, defaults left to the column (an empty list, a blank text) and the log's own defaults."""
    from mentorapp.people.cohorts import CohortData, create_cohort
    from mentorapp.store.models import Goal, Participant

    with db.transaction() as s:
        cohort = create_cohort(s, CohortData(name="Bulk", start_date=dt.date(2026, 9, 1)))
        people = insert_returning_ids(s, Person, ROWS[:2])
        member = insert_returning_ids(
            s, Participant, [{"cohort_id": cohort.id, "person_id": p, "role": "mentee"} for p in people]
        )
        goals = [
            {"participant_id": member[0], "horizon": "short", "text": "Lead a review", "focus_areas": ["Research"]},
            {"participant_id": member[0], "horizon": "medium", "text": "Publish (ü, ł)", "focus_areas": []},
        ]
        s.add_all([Goal(**g) for g in goals])
        s.flush()
        insert_rows(s, Goal, [{**g, "participant_id": member[1]} for g in goals])
        insert_rows(s, Goal, [{"participant_id": member[1], "horizon": "long"}])  # text and areas left to defaults
        s.add(AuditEvent(action="made", entity_id=7))
        s.flush()
        insert_rows(s, AuditEvent, [{"action": "made", "entity_id": 7}])
    with db.session() as s:
        stored = [(g.horizon, g.text, g.focus_areas) for g in s.scalars(select(Goal).order_by(Goal.id))]
        events = [(e.action, e.os_user, e.entity_type, e.description) for e in s.scalars(select(AuditEvent))]
        membership = s.get(Participant, member[0])
        assert (membership.capacity, membership.meeting_preference, membership.version_id) == (1, "either", 1)
    assert stored[:2] == [("short", "Lead a review", ["Research"]), ("medium", "Publish (ü, ł)", [])]
    assert stored[2:] == [*stored[:2], ("long", "", [])]
    assert events[-1] == events[-2]
