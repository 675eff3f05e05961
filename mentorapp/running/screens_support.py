"""What the running screens ask of the database besides the dashboard's figures: pairs by name, has it started.

The window's dashboard, start dialog and pair dialog read through these (plain values, no
Qt), so the screens hold no query of their own. Every change still goes through
:mod:`mentorapp.matching.actions` and :mod:`mentorapp.running.meetings`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.running.people import PersonRef, people_refs
from mentorapp.store.models import Cohort, Match

RUNNING_STATUSES = ("running", "evaluating")


@dataclass(frozen=True)
class PairRef:
    """One pair as a dialog names it."""

    match_id: int
    cohort_id: int
    mentee: PersonRef
    mentor: PersonRef
    status: str
    started_on: dt.date | None
    ended_on: dt.date | None
    end_reason: str
    version_id: int
    letter_sent_on: dt.date | None = None

    @property
    def names(self) -> str:
        return f"{self.mentee.name} and {self.mentor.name}"


def cohort_has_started(session: Session, cohort_id: int) -> bool:
    """Running or evaluating, or any active pair: the window then opens on the dashboard."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        return False
    if cohort.status in RUNNING_STATUSES:
        return True
    return bool(session.scalar(select(exists().where(Match.cohort_id == cohort_id, Match.status == "active"))))


def _refs(session: Session, matches: list[Match]) -> list[PairRef]:
    people = people_refs(session, [m.mentee_id for m in matches] + [m.mentor_id for m in matches])
    return [
        PairRef(
            m.id,
            m.cohort_id,
            people[m.mentee_id],
            people[m.mentor_id],
            m.status,
            m.started_on,
            m.ended_on,
            m.end_reason or "",
            m.version_id,
            m.letter_sent_on,
        )
        for m in matches
    ]


def pairs_with_status(session: Session, cohort_id: int, statuses: tuple[str, ...]) -> list[PairRef]:
    """The cohort's pairs with one of ``statuses``, by the mentee's name."""
    matches = list(session.scalars(select(Match).where(Match.cohort_id == cohort_id, Match.status.in_(statuses))))
    return sorted(_refs(session, matches), key=lambda p: (p.mentee.name.casefold(), p.match_id))


def pair_ref(session: Session, match_id: int) -> PairRef:
    """One pair by id; a sentence when it is gone."""
    match = session.get(Match, match_id)
    if match is None:
        raise UserError("This pair no longer exists; reload and try again.")
    return _refs(session, [match])[0]


__all__ = ["PairRef", "cohort_has_started", "pair_ref", "pairs_with_status"]
