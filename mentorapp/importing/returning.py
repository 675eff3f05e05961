"""Returning people in an import: who applied before, what changed, and the coordinator's answers.

Each new application is looked up among the people of earlier cohorts
(:func:`mentorapp.people.persons.candidates_for`: by email, then membership
number). The same email with the same name is a returning person: the row is
linked to them and shows what changed against their person record and their
latest membership, and the coordinator may keep the old value of any field.
The same email under another name, or the same membership number under another
email, is a question: until it is answered (same person: link, taking the new
name or email; different person: a new person) the import is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.people.participants import ParticipantData, participant_row
from mentorapp.people.persons import NEW_PERSON, candidates_for
from mentorapp.people.validation import FIELD_LABELS, normalise_email
from mentorapp.store.models import Cohort, Participant

# The fields shown as changed: who the person is, then what their membership was.
PERSON_COMPARED = ("title", "first_name", "last_name", "email", "phone", "membership_number")
MEMBERSHIP_COMPARED = (
    "role",
    "organisation",
    "job_title",
    "career_stage",
    "region",
    "meeting_preference",
    "availability",
    "capacity",
)
COMPARED = PERSON_COMPARED + MEMBERSHIP_COMPARED
DECISIONS = ("same", "new")


@dataclass
class Change:
    """One field whose new application differs from what was known."""

    field: str
    old: Any
    new: Any

    @property
    def label(self) -> str:
        return FIELD_LABELS.get(self.field, self.field)

    @property
    def of_person(self) -> bool:
        return self.field in PERSON_COMPARED

    def to_json(self, kept: bool) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new, "kept_old": kept}


@dataclass
class Returning:
    """The earlier person a row may be, with what changed and what the coordinator chose."""

    person_id: int
    name: str
    email: str
    last_cohort: str
    last_participant_id: int | None
    changes: list[Change] = field(default_factory=list)
    question: str = ""  # empty when sure (same email and name)
    decision: str | None = None  # for a question: "same" or "new"
    keep_old: set[str] = field(default_factory=set)

    @property
    def open(self) -> bool:
        """A question not answered yet."""
        return bool(self.question) and self.decision is None

    @property
    def linked(self) -> bool:
        """Whether the row becomes a membership of this person."""
        return not self.question or self.decision == "same"

    def link(self) -> int | None:
        """The link :func:`mentorapp.people.persons.insert_participants` takes for this row."""
        if self.open:
            return None
        return self.person_id if self.linked else NEW_PERSON

    def describe(self) -> str:
        """One line for a table: what changed, with the kept ones marked."""
        if not self.linked:
            return "A new person (not the earlier one)."
        if not self.changes:
            return "No changes."
        return "; ".join(
            f"{c.label}: {_shown(c.old)} → {_shown(c.new)}" + (" (kept old)" if c.field in self.keep_old else "")
            for c in self.changes
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "email": self.email,
            "last_cohort": self.last_cohort,
            "question": self.question,
            "decision": self.decision,
            "changes": [c.to_json(c.field in self.keep_old) for c in self.changes],
        }


def _shown(value: Any) -> str:
    if value in (None, ""):
        return "(blank)"
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def find_returning_rows(session: Session, plan: Any) -> None:
    """Mark every row to create that matches a person of another cohort, with its changes.

    The coordinator's answers in ``plan.options`` (``same_person``, ``new_person``,
    ``keep_old``) are applied; rows they name that are not questions are refused.
    """
    rows = [r for r in plan.rows if r.action == "create" and r.data is not None]
    candidates = candidates_for(session, [_identity(r.data) for r in rows])
    latest = _latest_memberships(session, [c.person.id for c in candidates if c is not None], plan.cohort_id)
    for row, candidate in zip(rows, candidates, strict=True):
        row.returning = None
        if candidate is None:
            continue
        person = candidate.person
        member = latest.get(person.id)
        if member is None and not candidate.sure:
            continue  # only a person of this cohort (a duplicate is the duplicate rule's business)
        if member is not None and member[0].cohort_id == plan.cohort_id:
            if candidate.sure:
                row.action = "error"
                row.problems.append(_problem(row, f"{person.full_name} is already in this cohort (#{member[0].id})."))
            continue  # a membership number of someone already in this cohort cannot be them: a new person
        row.returning = Returning(
            person_id=person.id,
            name=person.full_name,
            email=person.email,
            last_cohort=member[1] if member else "",
            last_participant_id=member[0].id if member else None,
            changes=_changes(row, person, member[0] if member else None),
            question="" if candidate.sure else candidate.why + ".",
        )
    _apply_answers(plan)


def _identity(data: ParticipantData) -> dict[str, str]:
    """What tells who an application is, stored as :func:`participant_row` stores it (the rest of its columns
    would cost more to make than the whole search)."""
    return {
        "first_name": (data.first_name or "").strip(),
        "last_name": (data.last_name or "").strip(),
        "email": normalise_email(data.email),
        "membership_number": (data.membership_number or "").strip(),
    }


def _latest_memberships(session: Session, person_ids: list[int], cohort_id: int) -> dict[int, tuple[Participant, str]]:
    """Each person's membership of this cohort if any, else of the latest other cohort (by start date)."""
    found: dict[int, tuple[Participant, str]] = {}
    ids = sorted(set(person_ids))
    for start in range(0, len(ids), 500):
        stmt = (
            select(Participant, Cohort.name, Cohort.start_date)
            .join(Cohort, Cohort.id == Participant.cohort_id)
            .where(Participant.person_id.in_(ids[start : start + 500]))
            .order_by(Cohort.start_date, Participant.id)
        )
        for p, name, _start in session.execute(stmt):
            if p.person_id in found and found[p.person_id][0].cohort_id == cohort_id:
                continue
            found[p.person_id] = (p, name)
    return found


def _changes(row: Any, person: Any, member: Participant | None) -> list[Change]:
    data: ParticipantData = row.data
    new = participant_row(data)
    changes = []
    for name in COMPARED:
        if name not in row.touched and name != "email":
            continue
        source = person if name in PERSON_COMPARED else member
        if source is None:
            continue
        old, fresh = getattr(source, name), new.get(name)
        if name == "capacity" and not data.is_mentor:
            continue
        same = str(old or "").strip().casefold() == str(fresh or "").strip().casefold()
        if not same and fresh not in (None, ""):
            changes.append(Change(name, old, fresh))
    return changes


def _problem(row: Any, message: str) -> Any:
    from mentorapp.importing.plan_data import Problem

    return Problem(row.row, "", row.data.email if row.data else "", message)


def _apply_answers(plan: Any) -> None:
    options = plan.options
    by_row = {r.row: r for r in plan.rows}
    for number in sorted(set(options.same_person) | set(options.new_person)):
        if number in options.same_person and number in options.new_person:
            raise UserError(f"Row {number} is named by both --same-person and --new-person; choose one.")
        row = by_row.get(number)
        if row is None or row.returning is None or not row.returning.question:
            raise UserError(f"Row {number} of {plan.path.name} asks no question about an earlier person to answer.")
        row.returning.decision = "same" if number in options.same_person else "new"
    for key in options.keep_old:
        number, _, name = key.rpartition(":")
        if name not in COMPARED:
            raise UserError(f"'{name}' is not a field whose old value can be kept ({', '.join(COMPARED)}).")
        targets = [by_row[int(number)]] if number else [r for r in plan.rows if r.returning is not None]
        if number and (int(number) not in by_row or by_row[int(number)].returning is None):
            raise UserError(f"Row {number} of {plan.path.name} is not a returning person.")
        for row in targets:
            if any(c.field == name for c in row.returning.changes):
                keep_old(plan, row, name)


def keep_old(plan: Any, row: Any, name: str, keep: bool = True) -> None:
    """Keep (or stop keeping) the earlier value of one field of a returning row."""
    returning: Returning = row.returning
    if not keep:
        returning.keep_old.discard(name)
        return
    change = next((c for c in returning.changes if c.field == name), None)
    if change is None:
        return
    if name in ("career_stage", "region"):
        cohort_lists = plan.vocabulary.get(name, [])
        if cohort_lists and str(change.old).casefold() not in {v.casefold() for v in cohort_lists}:
            raise UserError(
                f"Row {row.row}: the earlier {change.label.lower()} '{change.old}' is not in this cohort's list; "
                "take the new one or add it to the cohort first."
            )
    returning.keep_old.add(name)


def effective_data(row: Any) -> ParticipantData:
    """The row as it is written: the application, with the old values the coordinator kept."""
    data: ParticipantData = row.data
    returning: Returning | None = row.returning
    if returning is None or not returning.linked or not returning.keep_old:
        return data
    kept = {c.field: c.old for c in returning.changes if c.field in returning.keep_old}
    return replace(data, **kept)


def open_questions(plan: Any) -> list[Any]:
    """The rows to create whose earlier person is still a question."""
    return [r for r in plan.rows if r.action == "create" and r.returning is not None and r.returning.open]


def questions_sentence(plan: Any, rows: list[Any]) -> str:
    """Why an import with unanswered questions about people was refused."""
    first = rows[0]
    numbers = ",".join(str(r.row) for r in rows)
    return (
        f"{len(rows)} row{'s' if len(rows) != 1 else ''} of {plan.path.name} may be someone who applied before "
        f"(row {first.row}: {first.returning.question.rstrip('.')}), so nothing was imported; "
        f"answer with --same-person {numbers} or --new-person {numbers} (each row either)."
    )
