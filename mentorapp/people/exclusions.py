"""Pairs of people the matcher never puts together again, in any cohort.

An exclusion is kept once per pair of *people* (:class:`ExcludedPair`, lower
person id first), whichever of them was mentor and in whichever cohort it was
set: a hand-set "never again", or the pair whose match ended early. The board,
the rules and the solver work with participant ids of one cohort, so
:func:`cohort_exclusions` translates the people's pairs into that cohort's
(mentor id, mentee id) pairs.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from mentorapp.store.models import ExcludedPair, Participant


def people_key(one: int, other: int) -> tuple[int, int]:
    """The stored order of a pair of person ids."""
    return (one, other) if one < other else (other, one)


def cohort_exclusions(session: Session, cohort_id: int) -> set[tuple[int, int]]:
    """Every (mentor participant id, mentee participant id) of the cohort whose people are excluded.

    Both orders are given, so a lookup by (mentor, mentee) finds the pair whichever
    of the two people was the mentor when it was set.
    """
    a, b = aliased(Participant), aliased(Participant)
    rows = session.execute(
        select(a.id, b.id)
        .select_from(ExcludedPair)
        .join(a, and_(a.person_id == ExcludedPair.person_a_id, a.cohort_id == cohort_id))
        .join(b, and_(b.person_id == ExcludedPair.person_b_id, b.cohort_id == cohort_id))
    )
    found: set[tuple[int, int]] = set()
    for one, other in rows:
        found.add((one, other))
        found.add((other, one))
    return found


def find_exclusion(session: Session, person_one: int, person_other: int) -> ExcludedPair | None:
    """The exclusion between two people, if there is one."""
    a, b = people_key(person_one, person_other)
    return session.scalar(select(ExcludedPair).where(ExcludedPair.person_a_id == a, ExcludedPair.person_b_id == b))


def new_exclusion(person_one: int, person_other: int, *, cohort_id: int | None, reason: str = "") -> ExcludedPair:
    """An exclusion row for two people (not yet added to a session)."""
    a, b = people_key(person_one, person_other)
    return ExcludedPair(person_a_id=a, person_b_id=b, cohort_id=cohort_id, reason=reason[:500])


def exclusions_of_person(person_id: int):
    """The condition selecting every exclusion that names this person."""
    return or_(ExcludedPair.person_a_id == person_id, ExcludedPair.person_b_id == person_id)
