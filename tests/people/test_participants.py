"""Participants: validation, create/update/delete/restore, optimistic locking."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorapp.errors import ConflictError, UserError
from mentorapp.people.cohorts import CohortData, create_cohort, default_evaluation_date, find_cohort
from mentorapp.people.participants import (
    ExpertiseData,
    GoalData,
    ParticipantData,
    create_participant,
    delete_participant,
    list_participants,
    restore_participant,
    update_participant,
    validate_participant,
)
from mentorapp.store.models import Match, Participant

pytestmark = pytest.mark.both_databases


def mentee(**kw) -> ParticipantData:
    base = dict(
        first_name="Łukasz",
        last_name="Nowak",
        email="Lukasz@Example.org",
        role="mentee",
        goals=[GoalData("short", "Pass the MFOM", ["Leadership"])],
    )
    base.update(kw)
    return ParticipantData(**base)


def test_evaluation_date_defaults_to_six_months():
    assert default_evaluation_date(dt.date(2021, 9, 1)) == dt.date(2022, 3, 1)
    assert default_evaluation_date(dt.date(2021, 8, 31)) == dt.date(2022, 2, 28)


def test_validation_names_every_problem():
    bad = ParticipantData(
        first_name=" ",
        last_name="",
        email="nope",
        role="mentor",
        capacity=0,
        expertise=[ExpertiseData("Leadership", 90)],
    )
    fields = {e.field for e in validate_participant(bad, ["Leadership"])}
    assert {"first_name", "last_name", "email", "capacity", "expertise"} <= fields
    assert any(e.field == "goals" for e in validate_participant(mentee(goals=[]), ["Leadership"]))
    unknown = validate_participant(mentee(goals=[GoalData("short", "x", ["Astrology"])]), ["Leadership"])
    assert unknown[0].message == "'Astrology' is not in the cohort's focus areas."
    long = validate_participant(mentee(organisation="x" * 301), None)
    assert "limit is 300" in long[0].message


def test_create_normalises_email_and_refuses_duplicates(db):
    with db.transaction() as s:
        cohort = create_cohort(s, CohortData(name="C", start_date=dt.date(2021, 9, 1)))
        p = create_participant(s, cohort.id, mentee())
        assert p.email == "lukasz@example.org"
        cid = cohort.id
    with pytest.raises(UserError, match="already used"), db.transaction() as s:
        create_participant(s, cid, mentee(email="LUKASZ@example.org"))
    with db.session() as s:
        assert [p.first_name for p in list_participants(s, cid)] == ["Łukasz"]


def test_delete_and_restore_keep_ids_goals_and_matches(demo_db, demo_cohort_id):
    with demo_db.session() as s:
        people = list_participants(s, demo_cohort_id)
    a_mentee = next(p for p in people if p.is_mentee)
    a_mentor = next(p for p in people if p.is_mentor)
    with demo_db.transaction() as s:
        s.add(Match(cohort_id=demo_cohort_id, mentor_id=a_mentor.id, mentee_id=a_mentee.id, score=0.5))
    with demo_db.transaction() as s:
        snap = delete_participant(s, a_mentee.id)
    with demo_db.session() as s:
        assert s.get(Participant, a_mentee.id) is None
        assert s.query(Match).count() == 0
    with demo_db.transaction() as s:
        restore_participant(s, snap)
    with demo_db.session() as s:
        back = s.get(Participant, a_mentee.id)
        assert back.email == a_mentee.email and len(back.goals) == len(a_mentee.goals)
        assert s.query(Match).one().mentee_id == a_mentee.id


def test_second_save_of_a_stale_copy_is_refused(demo_db, demo_cohort_id):
    with demo_db.session() as s:
        first = list_participants(s, demo_cohort_id)[0]
    second = ParticipantData(**first.__dict__)
    first.phone = "0100"
    with demo_db.transaction() as s:
        update_participant(s, first)
    second.phone = "0200"
    with pytest.raises(ConflictError, match="changed by someone else"), demo_db.transaction() as s:
        update_participant(s, second)
    with demo_db.session() as s:
        assert s.get(Participant, first.id).phone == "0100"


def test_find_cohort_messages(db):
    with db.session() as s, pytest.raises(UserError, match="no cohort yet"):
        find_cohort(s, None)
    with db.transaction() as s:
        create_cohort(s, CohortData(name="A", start_date=dt.date(2021, 1, 1)))
        create_cohort(s, CohortData(name="B", start_date=dt.date(2022, 1, 1)))
    with db.session() as s:
        with pytest.raises(UserError, match="choose one with --cohort: 'B', 'A'"):
            find_cohort(s, None)
        assert find_cohort(s, "a").name == "A"
        with pytest.raises(UserError, match="no cohort called 'Z'; the cohorts are"):
            find_cohort(s, "Z")


def test_expertise_reads_with_its_years_and_without_them_when_unknown():
    """Forms that ask only for areas store 0 years: the board, the details and the roster show the area alone."""
    assert ExpertiseData("Teaching", 12).label == "Teaching (12 y)"
    assert ExpertiseData("Teaching", 0).label == "Teaching"


def test_a_capacity_beyond_what_the_dialog_and_import_allow_is_refused():
    """Import and dialog stop at MAX_CAPACITY; a participant saved by other means (JSON, code) had no upper limit."""
    from mentorapp.people.participants import ParticipantData, validate_participant
    from mentorapp.people.validation import MAX_CAPACITY

    mentor = ParticipantData(first_name="Ada", last_name="Lo", email="ada@x.test", role="mentor", capacity=10**12)
    errors = [e for e in validate_participant(mentor) if e.field == "capacity"]
    assert [e.message for e in errors] == [f"A mentor's capacity must be a whole number from 1 to {MAX_CAPACITY}."]
    mentor.capacity = MAX_CAPACITY
    assert not [e for e in validate_participant(mentor) if e.field == "capacity"]


def test_a_name_of_invisible_marks_or_a_consent_date_a_century_off_is_refused():
    """A last name of direction marks alone and a consent date of 1900 were accepted on import."""
    import datetime as dt

    from mentorapp.people.participants import GoalData, ParticipantData, validate_participant

    person = ParticipantData(
        first_name="Zoë", last_name="\u200f\u200e", email="z@x.test", goals=[GoalData("short", "Grow")]
    )
    person.consent_date = dt.date(1900, 1, 1)
    messages = {e.field: e.message for e in validate_participant(person)}
    assert messages["last_name"] == "Last name is required."
    assert messages["consent_date"].startswith("The consent date 1900-01-01 is not between")
    person.last_name, person.consent_date = "\u200fØrsted", dt.date(2024, 5, 1)
    assert validate_participant(person) == []
