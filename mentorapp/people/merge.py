"""Two records of one person become one, and a wrong merge is split again.

A merge moves every membership, exclusion and former value of one person
record onto the other and removes the first; its names, email and phone, where
they differ, are kept as former values (so erasing and subject access still
find them). Two records that are both members of one cohort are never merged:
a cohort holds a person once. A split gives one membership a person record of
its own, a copy of the details. Both are written to the activity log and return
a record from which :func:`undo_merge` / :func:`undo_split` put things back exactly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.people.exclusions import exclusions_of_person, people_key
from mentorapp.people.validation import normalise_email
from mentorapp.store import audit
from mentorapp.store.models import Cohort, ExcludedPair, FormerValue, Participant, Person
from mentorapp.store.sequences import fix_sequences

PERSON_COLUMNS = (
    "id",
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "membership_number",
    "consent",
    "consent_date",
    "created_at",
)


@dataclass
class MergeRecord:
    """What a merge changed, to undo it: the removed person as it was, and what moved."""

    kept_id: int
    removed: dict[str, Any]
    memberships: list[int]
    former_moved: list[int]
    former_added: list[int]
    exclusions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SplitRecord:
    """What a split changed: the membership and its old and new person."""

    participant_id: int
    old_person_id: int
    new_person_id: int


def find_person(session: Session, who: str) -> Person:
    """The person a coordinator names by person id or email; an email two records share is a question."""
    text = who.strip()
    if text.isascii() and text.isdigit():
        person = session.get(Person, int(text)) if int(text) < 2**31 else None
        if person is None:
            raise UserError(f"There is no person with id {text}.")
        return person
    address = normalise_email(text)
    if not address:
        raise UserError("Give a person's email address or person id.")
    found = list(session.scalars(select(Person).where(func.lower(Person.email) == address.lower()).order_by(Person.id)))
    if not found:
        raise UserError(f"No person has the email address {address}.")
    if len(found) > 1:
        ids = ", ".join(f"#{p.id} {p.full_name}" for p in found)
        raise UserError(f"{address} belongs to {len(found)} person records ({ids}); name the one you mean by its id.")
    return found[0]


def _cohorts_of(session: Session, person_id: int) -> dict[int, int]:
    """cohort id -> participant id of each membership of the person."""
    return dict(
        session.execute(select(Participant.cohort_id, Participant.id).where(Participant.person_id == person_id)).all()
    )


def merge_people(session: Session, keep_id: int, other_id: int) -> MergeRecord:
    """Make ``other_id`` part of ``keep_id`` (whose details stay); refused if both are members of one cohort."""
    if keep_id == other_id:
        raise UserError("These are the same person record already.")
    keep, other = session.get(Person, keep_id), session.get(Person, other_id)
    if keep is None or other is None:
        raise UserError("One of the two people no longer exists; reload and try again.")
    mine, theirs = _cohorts_of(session, keep_id), _cohorts_of(session, other_id)
    shared = sorted(set(mine) & set(theirs))
    if shared:
        names = ", ".join(f"'{session.get(Cohort, c).name}'" for c in shared)
        raise UserError(
            f"{keep.full_name} (#{keep_id}) and {other.full_name} (#{other_id}) are both members of {names}, "
            "so they are two people: a cohort holds a person once."
        )
    removed = {name: getattr(other, name) for name in PERSON_COLUMNS}
    # Exclusions first: the other's become the kept person's (one between the two of them goes).
    rows = list(session.scalars(select(ExcludedPair).where(exclusions_of_person(other_id))))
    snapshot = [_exclusion_dict(x) for x in rows]
    existing = {
        (x.person_a_id, x.person_b_id)
        for x in session.scalars(select(ExcludedPair).where(exclusions_of_person(keep_id)))
    }
    moves: list[tuple[ExcludedPair, tuple[int, int]]] = []
    for x in rows:
        partner = x.person_b_id if x.person_a_id == other_id else x.person_a_id
        key = people_key(keep_id, partner)
        if partner == keep_id or key in existing:
            session.delete(x)
        else:
            existing.add(key)
            moves.append((x, key))
    session.flush()
    for x, (a, b) in moves:
        x.person_a_id, x.person_b_id = a, b
    former_moved = list(session.scalars(select(FormerValue.id).where(FormerValue.person_id == other_id)))
    for value in session.scalars(select(FormerValue).where(FormerValue.person_id == other_id)):
        value.person_id = keep_id
    added = []
    for value in _differing(keep, other):
        row = FormerValue(person_id=keep_id, value=value[:320])
        session.add(row)
        added.append(row)
    memberships = sorted(theirs.values())
    for p in session.scalars(select(Participant).where(Participant.id.in_(memberships))):
        p.person_id = keep_id
    session.flush()
    session.expire(other, ["memberships"])
    session.delete(other)
    session.flush()
    session.expire(keep, ["memberships"])
    audit.record(
        session,
        "people merged",
        f"Person #{other_id} merged into person #{keep_id}: memberships "
        + ", ".join(f"#{m}" for m in memberships)
        + " now belong to one person",
        entity_type="person",
        entity_id=keep_id,
    )
    return MergeRecord(keep_id, removed, memberships, former_moved, [r.id for r in added], snapshot)


def _differing(keep: Person, other: Person) -> list[str]:
    """The other record's names and contacts that the kept one does not have."""
    values: list[str] = []
    if (other.first_name, other.last_name) != (keep.first_name, keep.last_name):
        values += [f"{other.first_name} {other.last_name}".strip(), f"{other.last_name}, {other.first_name}"]
    if other.email.casefold() != keep.email.casefold():
        values.append(other.email)
    if other.phone and other.phone != keep.phone:
        values.append(other.phone)
    return [v for v in dict.fromkeys(values) if v.strip()]


def _exclusion_dict(x: ExcludedPair) -> dict[str, Any]:
    return {
        "id": x.id,
        "person_a_id": x.person_a_id,
        "person_b_id": x.person_b_id,
        "cohort_id": x.cohort_id,
        "reason": x.reason,
        "created_at": x.created_at,
    }


def undo_merge(session: Session, record: MergeRecord) -> None:
    """Put the removed person back as it was, with its memberships, exclusions and former values."""
    if session.get(Person, record.removed["id"]) is not None:
        raise UserError("That person record is back already.")
    session.execute(insert(Person), [{**record.removed, "version_id": 1, "updated_at": dt.datetime.now()}])
    session.flush()
    fix_sequences(session, [Person])
    for p in session.scalars(select(Participant).where(Participant.id.in_(record.memberships))):
        p.person_id = record.removed["id"]
    for value in session.scalars(select(FormerValue).where(FormerValue.id.in_(record.former_moved))):
        value.person_id = record.removed["id"]
    if record.former_added:
        session.execute(delete(FormerValue).where(FormerValue.id.in_(record.former_added)))
    ids = [x["id"] for x in record.exclusions]
    if ids:
        session.execute(delete(ExcludedPair).where(ExcludedPair.id.in_(ids)))
        session.flush()
        session.execute(insert(ExcludedPair), record.exclusions)
    session.flush()
    session.expire_all()
    audit.record(
        session,
        "people unmerged",
        f"Merge undone: person #{record.removed['id']} is again apart from person #{record.kept_id}",
        entity_type="person",
        entity_id=record.removed["id"],
    )


def split_membership(session: Session, participant_id: int) -> SplitRecord:
    """Give one membership a person record of its own (a copy of the details): a wrong merge undone."""
    p = session.get(Participant, participant_id)
    if p is None:
        raise UserError(f"There is no participant with id {participant_id}.")
    person = p.person
    others = session.scalar(
        select(func.count()).where(Participant.person_id == person.id, Participant.id != participant_id)
    )
    if not others:
        raise UserError(
            f"{p.full_name} (#{participant_id}) is the only membership of person #{person.id}; "
            "there is nothing to split."
        )
    copy = Person(**{name: getattr(person, name) for name in PERSON_COLUMNS if name not in ("id", "created_at")})
    session.add(copy)
    session.flush()
    p.person = copy
    session.flush()
    session.expire(person, ["memberships"])
    audit.record(
        session,
        "person split",
        f"Membership #{participant_id} split from person #{person.id} into a new person #{copy.id}",
        cohort_id=p.cohort_id,
        entity_type="person",
        entity_id=copy.id,
    )
    return SplitRecord(participant_id, person.id, copy.id)


def undo_split(session: Session, record: SplitRecord) -> None:
    """The membership belongs to its earlier person again; the copy made for it goes."""
    p = session.get(Participant, record.participant_id)
    copy = session.get(Person, record.new_person_id)
    if p is None or copy is None or session.get(Person, record.old_person_id) is None:
        raise UserError("The people of that split have changed since; it cannot be undone.")
    clash = session.scalar(
        select(Participant.id).where(
            Participant.person_id == record.old_person_id, Participant.cohort_id == p.cohort_id
        )
    )
    if clash is not None:
        raise UserError("The earlier person is now a member of that cohort again; the split cannot be undone.")
    merge_people(session, record.old_person_id, record.new_person_id)
