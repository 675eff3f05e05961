"""What may be done to a match: the refusals the board shows and the actions raise are the same."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from mentorapp.errors import UserError
from mentorapp.matching import actions as mx
from mentorapp.matching.checks import (
    exclusion_refusal,
    lock_refusal,
    pairing_refusal,
    removal_refusal,
    status_refusal,
)
from mentorapp.matching.rules import RuleContext
from mentorapp.people.participants import ParticipantData
from mentorapp.store.models import Match, Participant


def person(pid: int, role: str, org: str = "", capacity: int = 1, cohort: int = 1) -> ParticipantData:
    return ParticipantData(
        id=pid, first_name="P", last_name=str(pid), email=f"p{pid}@example.org", role=role, organisation=org,
        capacity=capacity, cohort_id=cohort,
    )  # fmt: skip


@dataclass
class Shown:
    """A match as the board holds it."""

    mentor_id: int
    status: str = "proposed"
    locked: bool = False


MENTEE, MENTOR, OTHER = person(1, "mentee", "A"), person(2, "mentor", "B", capacity=2), person(3, "mentor", "C")


def rules(**current: int) -> RuleContext:
    matched = {int(k[1:]): v for k, v in current.items()}
    load: dict[int, int] = {}
    for mentor in matched.values():
        load[mentor] = load.get(mentor, 0) + 1
    return RuleContext(excluded=set(), load=load, current=matched)


def test_a_free_pair_is_allowed_and_a_matched_mentee_is_not():
    assert pairing_refusal(MENTEE, MENTOR, rules()) is None
    refusal = pairing_refusal(MENTEE, OTHER, rules(m1=2), mentor_name=lambda pid: f"Mentor {pid}")
    assert refusal is not None and not refusal.violations and not refusal.overridable
    assert refusal.message == "P 1 is already matched with Mentor 2; move or remove that match first."
    assert "drag them from their mentor's card" in refusal.phrase


@pytest.mark.parametrize(
    ("shown", "phrase"),
    [
        (Shown(2), "P 1 is already with this mentor"),
        (Shown(3, locked=True), "the match is locked; unlock it first"),
        (Shown(3, status="active"), "the match is active"),
        (Shown(3, status="completed"), "the match is completed"),
    ],
)
def test_moving_is_refused_for_the_same_mentor_a_locked_or_a_running_match(shown, phrase):
    refusal = pairing_refusal(MENTEE, MENTOR, rules(m1=shown.mentor_id), moving=shown)
    assert refusal is not None and refusal.phrase == phrase and not refusal.overridable


def test_moving_does_not_count_the_mentees_own_place_twice():
    full = person(2, "mentor", "B", capacity=1)
    assert pairing_refusal(MENTEE, full, rules(m1=3), moving=Shown(3)) is None
    refusal = pairing_refusal(MENTEE, full, rules(m1=3, m5=2), moving=Shown(3))
    assert refusal is not None and [v.code for v in refusal.violations] == ["full"]
    assert refusal.phrase.endswith("no place left") and refusal.message.endswith("no place left.")


def test_same_organisation_alone_may_be_overridden():
    same = person(2, "mentor", "A")
    refusal = pairing_refusal(MENTEE, same, rules())
    assert refusal is not None and refusal.overridable and "both work at A" in refusal.message
    assert isinstance(refusal.error(), mx.RuleBrokenError)
    ctx = rules()
    ctx.excluded.add((2, 1))
    both = pairing_refusal(MENTEE, same, ctx)
    assert both is not None and not both.overridable and "; " in both.phrase
    other_cohort = pairing_refusal(MENTEE, person(2, "mentor", "B", cohort=9), rules())
    assert other_cohort is not None and "different cohorts" in other_cohort.message


def test_removal_locking_and_lifecycle():
    assert removal_refusal(Shown(2), "Ann") is None
    assert removal_refusal(Shown(2, locked=True), "Ann").message.endswith("unlock it before you remove it.")
    assert "end it early" in removal_refusal(Shown(2, status="active"), "Ann").message
    assert lock_refusal(Shown(2, status="active"), "Ann") is None
    assert lock_refusal(Shown(2, status="completed"), "Ann") is not None
    assert status_refusal(Shown(2), "confirmed", "Ann") is None
    assert status_refusal(Shown(2), "completed", "Ann").message.endswith("cannot become completed.")
    assert status_refusal(Shown(2), "maybe", "Ann") is not None
    allowed = {s for s in ("confirmed", "active", "completed", "ended_early") if not status_refusal(Shown(2), s, "")}
    assert allowed == {"confirmed", "active", "ended_early"}


def test_exclusion():
    assert exclusion_refusal(MENTEE, MENTOR, set(), None) is None
    assert exclusion_refusal(MENTEE, MENTOR, set(), Shown(2)) is None  # a proposed match goes with it
    assert "already excluded" in exclusion_refusal(MENTEE, MENTOR, {(2, 1)}, None).message
    assert "end or unlock" in exclusion_refusal(MENTEE, MENTOR, set(), Shown(2, locked=True)).message
    assert "themself" in exclusion_refusal(MENTEE, person(1, "both"), set(), None).message


@pytest.mark.both_databases
def test_the_actions_raise_the_refusal_the_board_would_show(demo_db, demo_cohort_id):
    """One rule, two askers: the action's error is the refusal's message."""
    with demo_db.session() as s:
        people = list(s.scalars(select(Participant).where(Participant.cohort_id == demo_cohort_id)))
        mentee = next(p for p in people if p.role == "mentee")
        mentor = next(p for p in people if p.role == "mentor" and p.organisation != mentee.organisation)
        ids = mentee.id, mentor.id
    with demo_db.transaction() as s:
        match_id = mx.create_match(s, *ids).match_ids[0]
        mx.set_status(s, match_id, "active")
    with demo_db.session() as s:
        m = s.get(Match, match_id)
        expected = removal_refusal(m, m.mentee.full_name).message
        locked_only = lock_refusal(m, m.mentee.full_name)
    with demo_db.transaction() as s, pytest.raises(UserError) as info:
        mx.unmatch(s, match_id)
    assert str(info.value) == expected and locked_only is None
    with demo_db.transaction() as s:
        mx.set_status(s, match_id, "completed")
    with demo_db.transaction() as s, pytest.raises(UserError, match="only current matches"):
        mx.set_locked(s, match_id, True)


@pytest.mark.both_databases
def test_the_board_asks_the_rules_against_what_it_shows(demo_db, demo_cohort_id):
    """The board's rule context, built from its own data, equals the one the actions read from the database."""
    from mentorapp.matching.board import load_board

    with demo_db.session() as s:
        people = list(s.scalars(select(Participant).where(Participant.cohort_id == demo_cohort_id)))
    mentees = [p.id for p in people if p.role == "mentee"]
    mentors = [p for p in people if p.role == "mentor"]
    with demo_db.transaction() as s:
        first = mx.create_match(s, mentees[0], mentors[0].id, override_same_org=True).match_ids[0]
        mx.set_status(s, first, "active")
        ended = mx.create_match(s, mentees[1], mentors[1].id, override_same_org=True).match_ids[0]
        mx.set_status(s, ended, "ended_early", reason="Not a good fit")
        mx.exclude_pair(s, mentees[2], mentors[2].id)
    with demo_db.session() as s:
        shown = load_board(s, demo_cohort_id).rule_context()
        stored = RuleContext.load_from(s, demo_cohort_id)
    assert (shown.excluded, shown.load, shown.current) == (stored.excluded, stored.load, stored.current)
    assert shown.current == {mentees[0]: mentors[0].id}
    # One pair of people each: the hand-set exclusion, and the pair that ended early (never proposed again).
    assert shown.excluded == {
        (mentors[2].id, mentees[2]),
        (mentees[2], mentors[2].id),
        (mentors[1].id, mentees[1]),
        (mentees[1], mentors[1].id),
    }
