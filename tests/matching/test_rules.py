"""Hard rules: organisation names, every violation code, capacity when moving, and loading from the database."""

from __future__ import annotations

import pytest

from mentorapp.matching.rules import RuleContext, normalise_organisation, violations
from mentorapp.people.cohorts import find_cohort
from mentorapp.people.exclusions import new_exclusion
from mentorapp.people.participants import ParticipantData
from mentorapp.people.persons import person_of
from mentorapp.store.models import Match

pytestmark = pytest.mark.both_databases


def person(pid: int, role: str, org: str = "", capacity: int = 1) -> ParticipantData:
    return ParticipantData(
        id=pid, first_name="P", last_name=str(pid), email=f"p{pid}@example.org", role=role, organisation=org,
        capacity=capacity,
    )  # fmt: skip


def empty() -> RuleContext:
    return RuleContext(excluded=set(), load={})


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Leeds Teaching Hospitals NHS Trust", "leeds teaching hospitals nhs trust"),
        ("NHS Trust", " NHS  trust "),
        ("Guy's & St Thomas'", "Guys and St Thomas"),
        ("The Health and Safety Executive", "Health and Safety Executive."),
        ("Université de Genève", "universite de geneve"),
    ],
)
def test_spellings_of_one_organisation_compare_equal(a, b):
    assert normalise_organisation(a) == normalise_organisation(b)


def test_different_organisations_stay_different():
    assert normalise_organisation("NHS Lothian") != normalise_organisation("NHS Lanarkshire")
    assert normalise_organisation("   ") == ""
    assert normalise_organisation("The") == "the"


def test_allowed_pair_has_no_violations():
    assert violations(person(1, "mentee", "A"), person(2, "mentor", "B"), empty()) == []


def test_each_rule_has_its_code():
    ctx = RuleContext(excluded={(2, 1)}, load={2: 1})
    found = violations(person(1, "mentee", "Acme Ltd"), person(2, "mentor", "ACME  ltd", capacity=1), ctx)
    assert [v.code for v in found] == ["same_org", "excluded", "full"]
    assert "at ACME ltd." in found[0].message and "excluded" in found[1].message and "1 of 1" in found[2].message
    both = person(3, "both", capacity=2)
    assert [v.code for v in violations(both, both, empty())] == ["self"]
    codes = [v.code for v in violations(person(4, "mentor"), person(5, "mentee"), empty())]
    assert codes == ["not_mentor", "not_mentee"]


def test_empty_organisations_are_never_the_same_organisation():
    assert violations(person(1, "mentee", ""), person(2, "mentor", " "), empty()) == []


def test_moving_within_or_from_the_same_mentor_does_not_count_twice():
    ctx = RuleContext(excluded=set(), load={2: 1})
    full_mentor = person(2, "mentor", capacity=1)
    assert [v.code for v in violations(person(1, "mentee"), full_mentor, ctx)] == ["full"]
    assert violations(person(1, "mentee"), full_mentor, ctx, moving_from=2) == []
    assert [v.code for v in violations(person(1, "mentee"), full_mentor, ctx, moving_from=9)] == ["full"]


def test_load_from_counts_the_places_taken_and_exclusions(demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        from mentorapp.matching.solver import load_participants

        people = load_participants(s, demo_cohort_id)
        mentees = [p for p in people if p.is_mentee]
        mentor = next(p for p in people if p.is_mentor)
        statuses = ["proposed", "confirmed", "active", "completed", "ended_early"]
        for p, status in zip(mentees, statuses):
            s.add(Match(cohort_id=demo_cohort_id, mentor_id=mentor.id, mentee_id=p.id, status=status))
        s.add(new_exclusion(person_of(s, mentor.id), person_of(s, mentees[7].id), cohort_id=demo_cohort_id))
    with demo_db.session() as s:
        ctx = RuleContext.load_from(s, find_cohort(s, None).id)
    # A completed pair still takes its mentor's place, and its mentee is not open again; an early end frees both.
    assert ctx.load == {mentor.id: 4}
    assert ctx.current == {mentees[k].id: mentor.id for k in range(3)}
    assert ctx.finished == {mentees[3].id}
    assert ctx.excluded == {(mentor.id, mentees[7].id), (mentees[7].id, mentor.id)}
    assert ctx.free_capacity(mentor) == max(0, mentor.capacity - 4)
