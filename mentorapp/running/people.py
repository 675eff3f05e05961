"""The people a figure or a flag is about, as plain values: id, name, e-mail, role.

Every list the dashboard, the flags and the chase drafts give names its people through
:func:`people_refs`, one query for any number of ids.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.people.vocabulary import MATCH_STATUS_LABELS
from mentorapp.store.models import Match, Participant

CHUNK = 500


@dataclass(frozen=True)
class PersonRef:
    """One participant as a list shows them."""

    id: int
    name: str
    email: str
    role: str
    first_name: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "email": self.email}


def people_refs(session: Session, ids: Iterable[int]) -> dict[int, PersonRef]:
    """The participants with these ids (in chunks, so any number of them takes a few queries)."""
    wanted = sorted(set(ids))
    out: dict[int, PersonRef] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for pid, title, first, last, email, role in session.execute(
            select(
                Participant.id,
                Participant.title,
                Participant.first_name,
                Participant.last_name,
                Participant.email,
                Participant.role,
            ).where(Participant.id.in_(chunk))
        ):
            name = " ".join(p for p in (title or "", first or "", last or "") if p)
            out[pid] = PersonRef(pid, name, email or "", role, first or "")
    return out


_MISSING = object()


def mentee_match(
    session: Session, cohort_id: int, email: str, statuses: tuple[str, ...], *, missing: object = _MISSING
) -> Match:
    """The latest pair with one of ``statuses`` of the mentee with this e-mail in the cohort.

    A sentence names what is wrong (no such person, not a mentee, no such pair) unless
    ``missing`` is given, which is returned instead when the person has no such pair.
    """
    mentee = session.scalar(
        select(Participant).where(
            Participant.cohort_id == cohort_id, func.lower(Participant.email) == email.strip().lower()
        )
    )
    if mentee is None:
        raise UserError(f"There is nobody with the e-mail address {email.strip()} in this cohort.")
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
