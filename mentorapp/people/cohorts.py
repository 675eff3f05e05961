"""Cohorts: one intake of a scheme, with its dates, status and vocabulary."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentorapp.errors import UserError, shown
from mentorapp.people.validation import CONTROL_CHARS, FIELD_LIMITS, FieldError, date_range_problem
from mentorapp.people.vocabulary import CAREER_STAGES, DEFAULT_FOCUS_AREAS, REGIONS, SchemeVocabulary
from mentorapp.store import audit
from mentorapp.store.models import COHORT_STATUSES, Cohort, Participant
from mentorapp.store.sequences import fix_sequences

MAX_NAME = 200
# A participant stores one of these values in a column of this size.
_LIMITS = {
    "focus_areas": FIELD_LIMITS["focus_area"],
    "career_stages": FIELD_LIMITS["career_stage"],
    "regions": FIELD_LIMITS["region"],
}


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` later, clamped to the month's end (31 Aug + 6 = 28/29 Feb)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    if not dt.MINYEAR <= year <= dt.MAXYEAR:
        raise UserError(f"{months} months after {day.isoformat()} is beyond the calendar; check the year.")
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def default_evaluation_date(start: dt.date) -> dt.date:
    return add_months(start, 6)


@dataclass
class CohortData:
    """A cohort as plain values: what dialogs edit and commands print."""

    name: str
    start_date: dt.date
    evaluation_date: dt.date | None = None
    status: str = "recruiting"
    focus_areas: list[str] = field(default_factory=lambda: list(DEFAULT_FOCUS_AREAS))
    # Most junior first: the matcher ranks seniority by position.
    career_stages: list[str] = field(default_factory=lambda: list(CAREER_STAGES))
    regions: list[str] = field(default_factory=lambda: list(REGIONS))
    settings: dict[str, Any] = field(default_factory=dict)
    id: int | None = None

    @classmethod
    def from_model(cls, cohort: Cohort) -> CohortData:
        return cls(
            id=cohort.id,
            name=cohort.name,
            start_date=cohort.start_date,
            evaluation_date=cohort.evaluation_date,
            status=cohort.status,
            focus_areas=list(cohort.focus_areas or []),
            career_stages=list(cohort.career_stages or []),
            regions=list(cohort.regions or []),
            settings=dict(cohort.settings or {}),
        )


def validate_cohort(data: CohortData, session: Session | None = None) -> list[FieldError]:
    errors: list[FieldError] = []
    name = data.name.strip()
    if not name:
        errors.append(FieldError("name", "A cohort needs a name."))
    elif len(name) > MAX_NAME:
        errors.append(FieldError("name", f"The name is longer than {MAX_NAME} characters."))
    elif CONTROL_CHARS.search(name) or "\n" in name or "\r" in name:
        errors.append(FieldError("name", "A cohort name is one line of text, without control characters."))
    elif session is not None:
        clash = session.scalar(select(Cohort.id).where(func.lower(Cohort.name) == name.lower()))
        if clash is not None and clash != data.id:
            errors.append(FieldError("name", f"There is already a cohort called '{name}'."))
    if data.status not in COHORT_STATUSES:
        errors.append(FieldError("status", f"'{data.status}' is not a cohort status ({', '.join(COHORT_STATUSES)})."))
    for field_name, label, day in (
        ("start_date", "The start date", data.start_date),
        ("evaluation_date", "The evaluation date", data.evaluation_date),
    ):
        problem = day is not None and date_range_problem(label, day)
        if problem:
            errors.append(FieldError(field_name, problem))
    if data.evaluation_date is not None and data.evaluation_date <= data.start_date:
        errors.append(FieldError("evaluation_date", "The evaluation date must be after the start date."))
    errors += vocabulary_errors("focus_areas", "focus area", data.focus_areas)
    errors += vocabulary_errors("career_stages", "career stage", data.career_stages)
    errors += vocabulary_errors("regions", "region", data.regions)
    return errors


def vocabulary_errors(field_name: str, noun: str, values: list[str]) -> list[FieldError]:
    """Blank values and values listed twice (case and spaces ignored) in one of a cohort's lists."""
    errors: list[FieldError] = []
    seen: set[str] = set()
    for value in values:
        key = " ".join(value.split()).casefold()
        if not key:
            errors.append(FieldError(field_name, f"A {noun} cannot be blank."))
        elif CONTROL_CHARS.search(value):
            errors.append(FieldError(field_name, f"A {noun} cannot hold control characters."))
        elif key in seen:
            errors.append(FieldError(field_name, f"The {noun} '{value.strip()}' is listed twice."))
        elif len(value.strip()) > _LIMITS[field_name]:
            errors.append(
                FieldError(
                    field_name, f"The {noun} '{value.strip()[:40]}…' is longer than {_LIMITS[field_name]} characters."
                )
            )
        seen.add(key)
    return errors


def _raise_first(errors: list[FieldError]) -> None:
    if errors:
        raise UserError(errors[0].message)


def create_cohort(session: Session, data: CohortData) -> Cohort:
    _raise_first(validate_cohort(data, session))
    cohort = Cohort(
        name=data.name.strip(),
        start_date=data.start_date,
        evaluation_date=data.evaluation_date or default_evaluation_date(data.start_date),
        status=data.status,
        focus_areas=[a.strip() for a in data.focus_areas],
        career_stages=[s.strip() for s in data.career_stages],
        regions=[r.strip() for r in data.regions],
        settings=dict(data.settings),
    )
    if data.id is not None:  # re-creating a cohort on redo keeps its id
        cohort.id = data.id
    session.add(cohort)
    session.flush()
    if data.id is not None:
        fix_sequences(session, [Cohort])
    audit.record(
        session,
        "cohort created",
        f"Cohort '{cohort.name}' created",
        cohort_id=cohort.id,
        entity_type="cohort",
        entity_id=cohort.id,
    )
    return cohort


def update_cohort(session: Session, data: CohortData) -> Cohort:
    if data.id is None:
        raise UserError("The cohort to update has no id.")
    cohort = session.get(Cohort, data.id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    _raise_first(validate_cohort(data, session))
    cohort.name = data.name.strip()
    cohort.start_date = data.start_date
    cohort.evaluation_date = data.evaluation_date or default_evaluation_date(data.start_date)
    cohort.status = data.status
    cohort.focus_areas = [a.strip() for a in data.focus_areas]
    cohort.career_stages = [s.strip() for s in data.career_stages]
    cohort.regions = [r.strip() for r in data.regions]
    cohort.settings = dict(data.settings)
    audit.record(
        session,
        "cohort edited",
        f"Cohort '{cohort.name}' edited",
        cohort_id=cohort.id,
        entity_type="cohort",
        entity_id=cohort.id,
    )
    session.flush()
    return cohort


def delete_cohort(session: Session, cohort_id: int) -> None:
    """Delete a cohort and everything in it (used to undo creating one)."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        return
    name = cohort.name
    session.delete(cohort)
    session.flush()
    audit.record(session, "cohort deleted", f"Cohort '{name}' deleted", entity_type="cohort", entity_id=cohort_id)


def update_settings(session: Session, cohort_id: int, **changes: Any) -> dict[str, Any]:
    """Merge top-level keys into a cohort's settings (a new dict, so the change is saved)."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    settings = dict(cohort.settings or {})
    settings.update(changes)
    cohort.settings = settings
    session.flush()
    return settings


def add_focus_area(session: Session, cohort_id: int, area: str) -> str:
    """Add a focus area to a cohort's vocabulary; returns the stored spelling."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    clean = " ".join(area.split())
    if not clean:
        raise UserError("A focus area cannot be blank.")
    for existing in cohort.focus_areas:
        if existing.casefold() == clean.casefold():
            return existing
    cohort.focus_areas = [*cohort.focus_areas, clean]
    session.flush()
    return clean


def cohort_vocabulary(session: Session, cohort_id: int) -> SchemeVocabulary:
    """The cohort's focus areas, career stages and regions, as the screens offer them."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    return SchemeVocabulary(list(cohort.focus_areas), list(cohort.career_stages), list(cohort.regions))


def list_cohorts(session: Session) -> list[Cohort]:
    return list(session.scalars(select(Cohort).order_by(Cohort.start_date.desc(), Cohort.name)))


def participant_counts(session: Session) -> dict[int, dict[str, int]]:
    """Per cohort id: how many mentees, mentors and 'both'."""
    counts: dict[int, dict[str, int]] = {}
    rows = session.execute(
        select(Participant.cohort_id, Participant.role, func.count()).group_by(Participant.cohort_id, Participant.role)
    )
    for cohort_id, role, n in rows:
        counts.setdefault(cohort_id, {})[role] = n
    return counts


def find_cohort(session: Session, name: str | None) -> Cohort:
    """The cohort called ``name`` (case-insensitive), or the only cohort when None."""
    cohorts = list_cohorts(session)
    if name is None:
        if len(cohorts) == 1:
            return cohorts[0]
        if not cohorts:
            raise UserError("There is no cohort yet: create one with 'cohorts add NAME' or 'demo'.")
        raise UserError(f"There are several cohorts, choose one with --cohort: {_names(cohorts)}.")
    for cohort in cohorts:
        if cohort.name.casefold() == name.strip().casefold():
            return cohort
    if not cohorts:
        raise UserError(f"There is no cohort called '{shown(name)}', and no cohort at all yet.")
    raise UserError(f"There is no cohort called '{shown(name)}'; the cohorts are: {_names(cohorts)}.")


def _names(cohorts: list[Cohort]) -> str:
    return ", ".join(f"'{c.name}'" for c in cohorts)
