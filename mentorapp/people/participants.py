"""Participants: mentors and mentees, their goals and expertise.

Screens and commands work with :class:`ParticipantData`, plain values that
outlive a session; the functions here turn them into rows in one unit of work.
Deleting returns a snapshot that :func:`restore_participant` puts back exactly
(same id, goals, expertise, matches, exclusions and evaluations), which is what
undo needs.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Text, cast, func, inspect, select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from mentorapp.errors import ConflictError, UserError
from mentorapp.people.persons import find_returning
from mentorapp.people.validation import (
    FIELD_LIMITS,
    MAX_CAPACITY,
    FieldError,
    check_length,
    date_range_problem,
    is_valid_email,
    normalise_email,
    visible,
)
from mentorapp.people.vocabulary import is_focus_area
from mentorapp.store import audit
from mentorapp.store.models import (
    HORIZONS,
    PERSON_FIELDS,
    ROLES,
    EvaluationAnswer,
    EvaluationResponse,
    ExcludedPair,
    Expertise,
    Goal,
    Match,
    Participant,
    Person,
    utcnow,
)
from mentorapp.store.sequences import fix_sequences

TEXT_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "organisation",
    "job_title",
    "career_stage",
    "region",
    "membership_number",
    "notes",
    "availability",
    "experience",
)

_AS_WRITTEN = frozenset(("notes", "experience"))  # kept with their spaces and line breaks
_TEXT_LIMITS = tuple((name, FIELD_LIMITS[name]) for name in TEXT_FIELDS if name in FIELD_LIMITS)


@dataclass
class GoalData:
    horizon: str
    text: str = ""
    focus_areas: list[str] = field(default_factory=list)


@dataclass
class ExpertiseData:
    focus_area: str
    years: int = 0

    @property
    def label(self) -> str:
        return expertise_label(self.focus_area, self.years)


def expertise_label(area: str, years: int) -> str:
    """'Leadership (12 y)', or 'Leadership' when the years are not known (a form that asked only for areas
    stores 0): nobody is shown as having '0 y' of their own expertise."""
    return f"{area} ({years} y)" if years else area


def titled_name(p: ParticipantData | Participant) -> str:
    """A participant's name with their title, as every screen and message shows it ("Dr Thomas Adeyemi");
    ``full_name`` alone is for sorting and matching names."""
    return f"{p.title} {p.full_name}".strip()


@dataclass
class ParticipantData:
    """A participant as plain values."""

    first_name: str
    last_name: str
    email: str
    role: str = "mentee"
    title: str = ""
    phone: str = ""
    organisation: str = ""
    job_title: str = ""
    career_stage: str = ""
    region: str = ""
    membership_number: str = ""
    consent: bool = False
    consent_date: dt.date | None = None
    notes: str = ""
    capacity: int = 1
    availability: str = ""
    meeting_preference: str = "either"
    experience: str = ""
    goals: list[GoalData] = field(default_factory=list)
    expertise: list[ExpertiseData] = field(default_factory=list)
    id: int | None = None
    cohort_id: int | None = None
    version_id: int | None = None
    person_id: int | None = None  # the same person in every cohort

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def titled_name(self) -> str:
        """The name as people are shown: with the title ("Dr Thomas Adeyemi")."""
        return titled_name(self)

    @property
    def is_mentor(self) -> bool:
        return self.role in ("mentor", "both")

    @property
    def is_mentee(self) -> bool:
        return self.role in ("mentee", "both")

    def goal(self, horizon: str) -> GoalData | None:
        return next((g for g in self.goals if g.horizon == horizon), None)

    def goal_focus_areas(self) -> list[str]:
        """All focus areas of the goals, each once, in horizon order."""
        seen: dict[str, None] = {}
        for g in sorted(self.goals, key=lambda g: HORIZONS.index(g.horizon) if g.horizon in HORIZONS else 9):
            for area in g.focus_areas:
                seen.setdefault(area, None)
        return list(seen)

    @classmethod
    def from_model(cls, p: Participant) -> ParticipantData:
        return cls(
            id=p.id,
            cohort_id=p.cohort_id,
            version_id=p.version_id,
            person_id=p.person_id,
            **{name: getattr(p, name) for name in TEXT_FIELDS},
            role=p.role,
            consent=bool(p.consent),
            consent_date=p.consent_date,
            capacity=p.capacity,
            meeting_preference=p.meeting_preference,
            goals=[GoalData(g.horizon, g.text, list(g.focus_areas or [])) for g in p.goals],
            expertise=[ExpertiseData(e.focus_area, e.years) for e in p.expertise],
        )

    def to_json(self) -> dict[str, Any]:
        """The stable shape scripts rely on (``participants --format json``)."""
        return {
            "id": self.id,
            "person_id": self.person_id,
            "title": self.title,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "email": self.email,
            "phone": self.phone,
            "organisation": self.organisation,
            "job_title": self.job_title,
            "career_stage": self.career_stage,
            "region": self.region,
            "membership_number": self.membership_number,
            "role": self.role,
            "capacity": self.capacity if self.is_mentor else None,
            "consent": self.consent,
            "consent_date": self.consent_date.isoformat() if self.consent_date else None,
            # Plain dicts by hand: dataclasses.asdict deep-copies and costs more than the rest of the row.
            "goals": [{"horizon": g.horizon, "text": g.text, "focus_areas": list(g.focus_areas)} for g in self.goals],
            "expertise": [{"focus_area": e.focus_area, "years": e.years} for e in self.expertise],
        }


def validate_participant(
    data: ParticipantData,
    vocabulary: list[str] | None = None,
    *,
    session: Session | None = None,
    cohort_id: int | None = None,
) -> list[FieldError]:
    """Every problem with ``data``; with a session, also a clashing email in the cohort."""
    errors: list[FieldError] = []
    if not visible(data.first_name):
        errors.append(FieldError("first_name", "First name is required."))
    if not visible(data.last_name):  # a name of direction marks alone is no name
        errors.append(FieldError("last_name", "Last name is required."))
    if not data.email.strip():
        errors.append(FieldError("email", "Email is required."))
    elif not is_valid_email(data.email):
        errors.append(FieldError("email", f"'{data.email.strip()}' is not a valid email address."))
    for name, limit in _TEXT_LIMITS:
        value = getattr(data, name) or ""
        if len(value) > limit:  # the sentence only for a text too long (this runs for each row of an import)
            errors.append(check_length(name, value))  # type: ignore[arg-type]
    if data.role not in ROLES:
        errors.append(FieldError("role", f"Role must be mentor, mentee or both, not '{data.role}'."))
    bad_capacity = (
        not isinstance(data.capacity, int) or isinstance(data.capacity, bool) or not 1 <= data.capacity <= MAX_CAPACITY
    )
    if data.is_mentor and bad_capacity:
        errors.append(FieldError("capacity", f"A mentor's capacity must be a whole number from 1 to {MAX_CAPACITY}."))
    if data.is_mentee and not any(g.text.strip() or g.focus_areas for g in data.goals):
        errors.append(FieldError("goals", "A mentee needs at least one goal."))
    horizons = [g.horizon for g in data.goals]
    for h in horizons:
        if h not in HORIZONS:
            errors.append(FieldError("goals", f"'{h}' is not a goal horizon (short, medium, long)."))
    if len(set(horizons)) != len(horizons):
        errors.append(FieldError("goals", "Each goal horizon may be given only once."))
    for g in data.goals:
        problem = check_length("goal_text", g.text)
        if problem:
            errors.append(FieldError("goals", problem.message))
    areas_seen: set[str] = set()
    for e in data.expertise:
        if e.years < 0 or e.years > 80:
            errors.append(FieldError("expertise", f"Years in {e.focus_area} must be between 0 and 80."))
        if e.focus_area.casefold() in areas_seen:
            errors.append(FieldError("expertise", f"The focus area {e.focus_area} is listed twice."))
        areas_seen.add(e.focus_area.casefold())
    if vocabulary is not None:
        used = [a for g in data.goals for a in g.focus_areas] + [e.focus_area for e in data.expertise]
        for area in used:
            if not is_focus_area(area, vocabulary):
                errors.append(FieldError("focus_areas", f"'{area}' is not in the cohort's focus areas."))
    if data.consent_date is not None and data.consent_date > dt.date.today() + dt.timedelta(days=1):
        errors.append(FieldError("consent_date", "The consent date is in the future."))
    elif data.consent_date is not None and (far := date_range_problem("The consent date", data.consent_date)):
        errors.append(FieldError("consent_date", far))
    if session is not None and cohort_id is not None and data.email.strip():
        clash = session.scalar(
            select(Participant.id).where(
                Participant.cohort_id == cohort_id, Participant.email == normalise_email(data.email)
            )
        )
        if clash is not None and clash != data.id:
            errors.append(FieldError("email", f"{normalise_email(data.email)} is already used in this cohort."))
    return errors


def participant_row(data: ParticipantData) -> dict[str, Any]:
    """The participant's columns exactly as stored (the ORM path and the importer's bulk path)."""
    row: dict[str, Any] = {
        name: (getattr(data, name) or "") if name in _AS_WRITTEN else (getattr(data, name) or "").strip()
        for name in TEXT_FIELDS
    }
    row.update(
        email=normalise_email(data.email),
        role=data.role,
        consent=data.consent,
        consent_date=data.consent_date,
        capacity=data.capacity if data.is_mentor else 0,
        meeting_preference=data.meeting_preference or "either",
    )
    return row


def stored_goals(data: ParticipantData) -> list[GoalData]:
    """The goals as stored: trimmed text, empty ones left out."""
    return [
        GoalData(g.horizon, g.text.strip(), list(g.focus_areas)) for g in data.goals if g.text.strip() or g.focus_areas
    ]


def _apply(p: Participant, data: ParticipantData) -> None:
    for name, value in participant_row(data).items():
        setattr(p, name, value)
    # The membership's version counts every edit, the person's fields too (stale copies are refused by it).
    p.updated_at = utcnow()
    # Existing rows are updated in place: replacing them would insert the new goal before
    # the old one is deleted and break the one-goal-per-horizon unique constraint.
    old_goals = {g.horizon: g for g in p.goals}
    goals = []
    for g in stored_goals(data):
        row = old_goals.get(g.horizon) or Goal(horizon=g.horizon)
        row.text, row.focus_areas = g.text, g.focus_areas
        goals.append(row)
    p.goals = goals
    old_expertise = {e.focus_area: e for e in p.expertise}
    expertise = []
    for e in data.expertise:
        row = old_expertise.get(e.focus_area) or Expertise(focus_area=e.focus_area)
        row.years = e.years
        expertise.append(row)
    p.expertise = expertise


def _check(session: Session, data: ParticipantData, cohort_id: int) -> None:
    from mentorapp.store.models import Cohort

    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    errors = validate_participant(data, cohort.focus_areas, session=session, cohort_id=cohort_id)
    if errors:
        raise UserError(" ".join(e.message for e in errors))


def create_participant(
    session: Session, cohort_id: int, data: ParticipantData, *, validate: bool = True
) -> Participant:
    if validate:
        _check(session, data, cohort_id)
    p = Participant(cohort_id=cohort_id)
    if data.id is not None:  # redo re-creates the same row
        p.id = data.id
    returning = find_returning(session, participant_row(data))
    if returning is not None:  # the same email and name as someone of another cohort: the same person
        p.person = returning
    _apply(p, data)
    session.add(p)
    session.flush()
    if data.id is not None:
        fix_sequences(session, [Participant])
    audit.record(
        session,
        "participant created",
        f"{p.full_name} (#{p.id}) added as {p.role}",
        cohort_id=cohort_id,
        entity_type="participant",
        entity_id=p.id,
    )
    return p


def update_participant(session: Session, data: ParticipantData, *, validate: bool = True) -> Participant:
    if data.id is None:
        raise UserError("The participant to update has no id.")
    p = session.get(
        Participant, data.id, options=[selectinload(Participant.goals), selectinload(Participant.expertise)]
    )
    if p is None:
        raise ConflictError("This participant was deleted by someone else; reload the list.")
    if data.version_id is not None and p.version_id != data.version_id:
        raise ConflictError(f"{p.full_name} was changed by someone else since you opened it; reload and try again.")
    if validate:
        _check(session, data, p.cohort_id)
    name = p.full_name  # read now: after a failed flush the session can no longer load it
    _apply(p, data)
    try:
        session.flush()
    except StaleDataError as exc:
        raise ConflictError(f"{name} was changed by someone else; reload and try again.") from exc
    audit.record(
        session,
        "participant edited",
        f"{p.full_name} (#{p.id}) edited",
        cohort_id=p.cohort_id,
        entity_type="participant",
        entity_id=p.id,
    )
    return p


def get_participant(session: Session, participant_id: int) -> ParticipantData | None:
    p = session.get(Participant, participant_id)
    return ParticipantData.from_model(p) if p else None


def list_participants(session: Session, cohort_id: int, role: str | None = None) -> list[ParticipantData]:
    """All participants of a cohort with goals and expertise, sorted by name.

    Reads plain rows (three Core queries, no ORM objects): the participants page
    (at start-up) and every export call this for cohorts of up to tens of thousands.
    """
    conn = session.connection()
    columns = (
        *("id", "cohort_id", "version_id", "person_id", *TEXT_FIELDS),
        *("role", "consent", "consent_date", "capacity", "meeting_preference"),
    )
    table, person = Participant.__table__.c, Person.__table__.c
    people = (
        select(*((person if name in PERSON_FIELDS else table)[name] for name in columns))
        .join_from(Participant.__table__, Person.__table__, person.id == table.person_id)
        .where(table.cohort_id == cohort_id)
    )
    if role == "mentor":
        people = people.where(table.role.in_(("mentor", "both")))
    elif role == "mentee":
        people = people.where(table.role.in_(("mentee", "both")))
    people = people.order_by(func.lower(person.last_name), func.lower(person.first_name), table.id)
    ids = select(Participant.id).where(Participant.cohort_id == cohort_id)
    goals: dict[int, list[GoalData]] = {}
    # The same few focus-area lists recur across goals: decode each stored text once.
    decoded: dict[str, list[str]] = {}
    for pid, horizon, text, stored in conn.execute(
        select(Goal.participant_id, Goal.horizon, Goal.text, cast(Goal.focus_areas, Text))
        .where(Goal.participant_id.in_(ids))
        .order_by(Goal.id)
    ):
        areas = decoded.get(stored) if stored else []
        if areas is None:
            areas = decoded[stored] = json.loads(stored) or []
        goals.setdefault(pid, []).append(GoalData(horizon, text, list(areas)))
    expertise: dict[int, list[ExpertiseData]] = {}
    for pid, area, years in conn.execute(
        select(Expertise.participant_id, Expertise.focus_area, Expertise.years)
        .where(Expertise.participant_id.in_(ids))
        .order_by(Expertise.id)
    ):
        expertise.setdefault(pid, []).append(ExpertiseData(area, years))
    result = []
    for row in conn.execute(people):
        fields = dict(zip(columns, row, strict=True))
        pid = fields["id"]
        fields["consent"] = bool(fields["consent"])
        result.append(ParticipantData(**fields, goals=goals.get(pid, []), expertise=expertise.get(pid, [])))
    return result


def _row(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in inspect(obj).mapper.column_attrs}


@dataclass
class DeletedParticipant:
    """Everything a delete removed, so that undo can put it back as it was."""

    participant: dict[str, Any]
    person: dict[str, Any] | None  # the person row, when the delete left them with no membership
    goals: list[dict[str, Any]]
    expertise: list[dict[str, Any]]
    matches: list[dict[str, Any]]
    exclusions: list[dict[str, Any]]
    responses: list[dict[str, Any]]
    answers: list[dict[str, Any]]

    @property
    def id(self) -> int:
        return int(self.participant["id"])


def delete_participant(session: Session, participant_id: int) -> DeletedParticipant:
    p = session.get(Participant, participant_id)
    if p is None:
        raise ConflictError("This participant was already deleted; reload the list.")
    either = (Match.mentor_id == participant_id) | (Match.mentee_id == participant_id)
    # A person left with no membership goes too (with their exclusions); undo puts them back.
    last = session.scalar(select(func.count()).where(Participant.person_id == p.person_id)) == 1
    person = session.get(Person, p.person_id) if last else None
    either_person = (ExcludedPair.person_a_id == p.person_id) | (ExcludedPair.person_b_id == p.person_id)
    responses = list(
        session.scalars(select(EvaluationResponse).where(EvaluationResponse.participant_id == participant_id))
    )
    snapshot = DeletedParticipant(
        participant=_row(p),
        person=_row(person) if person is not None else None,
        goals=[_row(g) for g in p.goals],
        expertise=[_row(e) for e in p.expertise],
        matches=[_row(m) for m in session.scalars(select(Match).where(either))],
        exclusions=[_row(x) for x in session.scalars(select(ExcludedPair).where(either_person))] if last else [],
        responses=[_row(r) for r in responses],
        answers=[_row(a) for r in responses for a in r.answers],
    )
    name, cohort_id = p.full_name, p.cohort_id
    session.delete(p)
    session.flush()
    if person is not None:
        session.delete(person)
        session.flush()
    audit.record(
        session,
        "participant deleted",
        f"{name} (#{participant_id}) deleted",
        cohort_id=cohort_id,
        entity_type="participant",
        entity_id=participant_id,
    )
    return snapshot


def restore_participant(session: Session, snap: DeletedParticipant) -> Participant:
    """Undo a delete: the same rows with the same ids."""
    if snap.person is not None:
        session.add(Person(**snap.person))
        session.flush()
    p = Participant(**snap.participant)
    session.add(p)
    session.flush()
    for model, rows in (
        (Goal, snap.goals),
        (Expertise, snap.expertise),
        (Match, snap.matches),
        (ExcludedPair, snap.exclusions),
        (EvaluationResponse, snap.responses),
        (EvaluationAnswer, snap.answers),
    ):
        for row in rows:
            session.add(model(**row))
        session.flush()
    fix_sequences(
        session, [Person, Participant, Goal, Expertise, Match, ExcludedPair, EvaluationResponse, EvaluationAnswer]
    )
    audit.record(
        session,
        "participant restored",
        f"{p.full_name} (#{p.id}) restored",
        cohort_id=p.cohort_id,
        entity_type="participant",
        entity_id=p.id,
    )
    return p
