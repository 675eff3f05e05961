"""People across cohorts: finding the person a new membership belongs to, and their columns.

A participant row is a person's membership of one cohort; who the person is
(names, email, phone, membership number, consent) is kept once in
:class:`~mentorapp.store.models.Person`. A new application is linked to an
existing person only when the email (any case) and the name agree: an email
that matches under another name is a question for the coordinator, never a
silent merge, so until it is answered the application makes a new person.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentorapp.store.bulk import insert_returning_ids
from mentorapp.store.models import PERSON_FIELDS, Participant, Person

CHUNK = 500  # values per IN (...) list
# A link that asks for a new person even where find_returning would find one (the coordinator said "not them").
NEW_PERSON = 0
_PERSON_KEYS = frozenset(PERSON_FIELDS)


def split_row(row: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A participant's stored columns, split into the person's and the membership's."""
    membership = {k: v for k, v in row.items() if k not in _PERSON_KEYS}
    return person_part(row), membership


def person_part(row: Mapping[str, Any]) -> dict[str, Any]:
    """The person's columns of a participant's stored columns."""
    return {k: row[k] for k in PERSON_FIELDS if k in row}


def same_name(a: Mapping[str, Any] | Person, b: Mapping[str, Any] | Person) -> bool:
    """Whether two records name the same person (first and last name, any case and spacing)."""

    def key(x: Mapping[str, Any] | Person) -> tuple[str, str]:
        get = x.get if isinstance(x, Mapping) else lambda k: getattr(x, k)
        return (
            " ".join(str(get("first_name") or "").split()).casefold(),
            " ".join(str(get("last_name") or "").split()).casefold(),
        )

    return key(a) == key(b)


def people_by_email(session: Session, emails: Iterable[str]) -> dict[str, list[Person]]:
    """Every person with one of these emails (compared case-insensitively), oldest first."""
    wanted = {e.strip().casefold() for e in emails if e and e.strip()}
    found: dict[str, list[Person]] = {}
    for person in _people_with(session, func.lower(Person.email), wanted):
        found.setdefault(person.email.casefold(), []).append(person)
    return found


def _people_with(session: Session, column: Any, wanted: set[str]) -> list[Person]:
    """The persons whose ``column`` (an SQL expression of one of their fields) is in ``wanted``, oldest first.

    A few values are asked for with ``IN (...)``; for more than a chunk, one pass over the column and
    the matches loaded by id: the expression has no index, so each chunk's query would read the
    whole table again (an import of 10,000 rows asked 20 times).
    """
    if len(wanted) <= CHUNK:
        return (
            list(session.scalars(select(Person).where(column.in_(sorted(wanted))).order_by(Person.id)))
            if wanted
            else []
        )
    ids = [pid for pid, value in session.execute(select(Person.id, column)) if value in wanted]
    return sorted(_people_by_id(session, ids).values(), key=lambda p: p.id)


def find_returning(
    session: Session, row: Mapping[str, Any], known: dict[str, list[Person]] | None = None
) -> Person | None:
    """The existing person an application with these columns belongs to: same email and same name."""
    email = str(row.get("email") or "").strip().casefold()
    if not email:
        return None
    candidates = (known if known is not None else people_by_email(session, [email])).get(email, [])
    return next((p for p in reversed(candidates) if same_name(p, row)), None)


def person_ids_for(
    session: Session,
    rows: Sequence[Mapping[str, Any]],
    *,
    update_existing: bool = True,
    links: Sequence[int | None] | None = None,
    known: dict[str, list[Person]] | None = None,
) -> list[int]:
    """The person id of each participant row: a returning person's, or a new person's (bulk inserted).

    ``links`` (one per row) says whom a row belongs to where the coordinator answered it:
    a person id, :data:`NEW_PERSON`, or None for the usual rule (:func:`find_returning`).
    A returning person's details are brought up to date from the new row (their
    latest application) unless ``update_existing`` is false. ``known``: the persons
    :func:`people_by_email` found for these rows' emails, when the caller looked them up already.
    """
    if known is None:
        known = people_by_email(session, [str(r.get("email") or "") for r in rows])
    linked = _people_by_id(session, [link for link in links or () if link not in (None, NEW_PERSON)])
    if not known and not linked:  # none of them is anyone known: each row makes a new person
        return insert_returning_ids(session, Person, [person_part(row) for row in rows])
    ids: list[int | None] = []
    new_rows: list[dict[str, Any]] = []
    new_at: list[int] = []
    for index, row in enumerate(rows):
        person_values = person_part(row)
        link = links[index] if links is not None else None
        if link == NEW_PERSON:
            person = None
        elif link is not None:
            person = linked.get(link)
        else:
            person = find_returning(session, row, known)
        if person is None:
            ids.append(None)
            new_rows.append(person_values)
            new_at.append(index)
            continue
        if update_existing:
            for key, value in person_values.items():
                if value not in (None, "") and getattr(person, key) != value:
                    setattr(person, key, value)
        ids.append(person.id)
    session.flush()
    for index, pid in zip(new_at, insert_returning_ids(session, Person, new_rows), strict=True):
        ids[index] = pid
    return [int(i) for i in ids if i is not None]


def _people_by_id(session: Session, person_ids: Iterable[int]) -> dict[int, Person]:
    """The persons with these ids, loaded in a few queries instead of one per row."""
    ids = sorted(set(person_ids))
    found: dict[int, Person] = {}
    for start in range(0, len(ids), CHUNK):
        found.update(
            (p.id, p) for p in session.scalars(select(Person).where(Person.id.in_(ids[start : start + CHUNK])))
        )
    return found


def insert_participants(
    session: Session,
    rows: Sequence[Mapping[str, Any]],
    links: Sequence[int | None] | None = None,
    known: dict[str, list[Person]] | None = None,
) -> list[int]:
    """Insert participant rows given with their person's columns; the new participant ids, in order.

    ``known`` as for :func:`person_ids_for` (an import in batches looks up all its emails at once).
    """
    parts = [split_row(row) for row in rows]  # each row split once: the person's columns, the membership's
    person_ids = person_ids_for(session, [person for person, _ in parts], links=links, known=known)
    return insert_returning_ids(session, Participant, [member for _, member in parts], person_id=person_ids)


def person_of(session: Session, participant_id: int) -> int | None:
    """The person id behind a participant (membership) id."""
    return session.scalar(select(Participant.person_id).where(Participant.id == participant_id))


def memberships_of(session: Session, person_ids: Iterable[int]) -> dict[int, list[int]]:
    """Each person's participant ids, oldest membership first."""
    ids = sorted(set(person_ids))
    found: dict[int, list[int]] = {}
    for start in range(0, len(ids), CHUNK):
        for pid, person_id in session.execute(
            select(Participant.id, Participant.person_id)
            .where(Participant.person_id.in_(ids[start : start + CHUNK]))
            .order_by(Participant.id)
        ):
            found.setdefault(person_id, []).append(pid)
    return found


def pairs_of_people(session: Session, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], tuple[int, int]]:
    """For (participant, participant) pairs, the (person, person) pair behind each."""
    wanted = list(pairs)
    ids = {i for pair in wanted for i in pair}
    person: dict[int, int] = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), CHUNK):
        person.update(
            session.execute(
                select(Participant.id, Participant.person_id).where(Participant.id.in_(ordered[start : start + CHUNK]))
            ).tuples()
        )
    return {pair: (person[pair[0]], person[pair[1]]) for pair in wanted if pair[0] in person and pair[1] in person}


@dataclass(frozen=True)
class Candidate:
    """The earlier person an application may belong to, and how sure that is.

    ``sure`` when the email and the name agree (the usual rule); otherwise ``why`` says
    what the coordinator must decide (the email under another name, or the membership
    number under another email).
    """

    person: Person
    sure: bool
    why: str = ""


def people_by_membership_number(session: Session, numbers: Iterable[str]) -> dict[str, list[Person]]:
    """Every person with one of these membership numbers (spaces and case ignored), oldest first."""
    wanted = {n.strip().casefold() for n in numbers if n and n.strip()}
    found: dict[str, list[Person]] = {}
    for person in _people_with(session, func.lower(func.trim(Person.membership_number)), wanted):
        found.setdefault(person.membership_number.strip().casefold(), []).append(person)
    return found


def candidates_for(session: Session, rows: Sequence[Mapping[str, Any]]) -> list[Candidate | None]:
    """For each application (person columns), the known person it may be: by email first, then membership number.

    Never a silent merge: only the same email with the same name is ``sure``.
    """
    by_email = people_by_email(session, [str(r.get("email") or "") for r in rows])
    by_number = people_by_membership_number(session, [str(r.get("membership_number") or "") for r in rows])
    if not by_email and not by_number:
        return [None] * len(rows)  # nobody known: a new society's first import, 10,000 rows asked nothing
    found: list[Candidate | None] = []
    for row in rows:
        email = str(row.get("email") or "").strip().casefold()
        sure = find_returning(session, row, by_email)
        if sure is not None:
            found.append(Candidate(sure, True))
            continue
        if by_email.get(email):
            person = by_email[email][-1]
            found.append(
                Candidate(person, False, f"The email {person.email} belongs to {person.full_name}, under another name")
            )
            continue
        number = str(row.get("membership_number") or "").strip().casefold()
        others = [p for p in by_number.get(number, []) if p.email.casefold() != email] if number else []
        if others:
            person = others[-1]
            found.append(
                Candidate(
                    person,
                    False,
                    f"Membership number {person.membership_number} belongs to {person.full_name} "
                    f"({person.email}), under another email",
                )
            )
            continue
        found.append(None)
    return found


__all__ = [
    "NEW_PERSON",
    "Candidate",
    "candidates_for",
    "find_returning",
    "insert_participants",
    "memberships_of",
    "pairs_of_people",
    "people_by_email",
    "people_by_membership_number",
    "person_ids_for",
    "person_of",
    "person_part",
    "same_name",
    "split_row",
]
