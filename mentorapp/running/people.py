"""The people a figure or a flag is about, as plain values: id, name, e-mail, role.

Every list the dashboard, the flags and the chase drafts give names its people through
:func:`people_refs`, one query for any number of ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from mentorapp.errors import UserError
from mentorapp.people.vocabulary import MATCH_STATUS_LABELS
from mentorapp.store.models import Match, Participant, Person

CHUNK = 500


@dataclass(frozen=True)
class PersonRef:
    """One participant as a list shows them."""

    id: int
    name: str
    email: str
    role: str
    first_name: str = ""
    last_name: str = ""

    @property
    def file_label(self) -> str:
        """'Chen Dafydd': how a per-person file begins, so a folder sorts by surname (as letters do)."""
        return " ".join(p for p in (self.last_name, self.first_name) if p) or self.name

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "email": self.email}


def make_ref(
    pid: int, title: str | None, first: str | None, last: str | None, email: str | None, role: str
) -> PersonRef:
    """A PersonRef from the six values :func:`ref_columns` selects."""
    name = " ".join(p for p in (title or "", first or "", last or "") if p)
    return PersonRef(pid, name, email or "", role, first or "", last or "")


def ref_columns(participant: Any, person: Any) -> list[Any]:
    """The columns of a PersonRef, for a query that joins ``person`` onto ``participant`` (aliases)."""
    return [participant.id, person.title, person.first_name, person.last_name, person.email, participant.role]


def joined_people(stmt: Any, *participant_ids: Any) -> tuple[Any, list[Any]]:
    """``stmt`` joined to the participant and person of each id column, and the columns to add for them."""
    columns: list[Any] = []
    for column in participant_ids:
        part, person = aliased(Participant), aliased(Person)
        stmt = stmt.join(part, part.id == column).join(person, person.id == part.person_id)
        columns += ref_columns(part, person)
    return stmt, columns


def people_refs(session: Session, ids: Iterable[int]) -> dict[int, PersonRef]:
    """The participants with these ids (in chunks, so any number of them takes a few queries)."""
    wanted = sorted(set(ids))
    out: dict[int, PersonRef] = {}
    columns = ref_columns(Participant, Person)
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        stmt = select(*columns).join(Person, Person.id == Participant.person_id).where(Participant.id.in_(chunk))
        for row in session.execute(stmt):
            out[row[0]] = make_ref(*row)
    return out


_MISSING = object()


def participant_by_email(session: Session, cohort_id: int, email: str) -> Participant:
    """The participant of the cohort with this e-mail address (any case), or a sentence saying there is none."""
    found = session.scalar(
        select(Participant).where(
            Participant.cohort_id == cohort_id, func.lower(Participant.email) == email.strip().lower()
        )
    )
    if found is None:
        raise UserError(f"There is nobody with the e-mail address {email.strip()} in this cohort.")
    return found


def mentee_match(
    session: Session, cohort_id: int, email: str, statuses: tuple[str, ...], *, missing: object = _MISSING
) -> Match:
    """The latest pair with one of ``statuses`` of the mentee with this e-mail in the cohort.

    A sentence names what is wrong (no such person, not a mentee, no such pair) unless
    ``missing`` is given, which is returned instead when the person has no such pair.
    """
    mentee = participant_by_email(session, cohort_id, email)
    if not mentee.is_mentee:
        raise UserError(f"{mentee.full_name} is a mentor; give the e-mail address of the mentee of the pair.")
    match = session.scalar(
        select(Match)
        .where(Match.mentee_id == mentee.id, Match.status.in_(statuses))
        .order_by(Match.started_on.desc(), Match.id.desc())
        .limit(1)
    )
    if match is not None:
        return match
    if missing is not _MISSING:
        return missing  # type: ignore[return-value]
    which = " or ".join(MATCH_STATUS_LABELS[s].lower() for s in statuses)
    raise UserError(f"{mentee.full_name} has no {which} pair in this cohort.")


__all__ = ["PersonRef", "mentee_match", "people_refs"]
