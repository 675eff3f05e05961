"""Applying an import plan: all of it in one transaction, or (on any failure, a cancel or a
clash with a change made since the check) nothing."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentorapp.errors import ConflictError, UserError
from mentorapp.importing.mapping import remember_mapping
from mentorapp.importing.plan_data import (
    CancelFn,
    ImportCancelledError,
    ImportPlan,
    ImportRefusedError,
    ImportResult,
    PlannedRow,
    ProgressFn,
)
from mentorapp.importing.returning import effective_data, open_questions, questions_sentence
from mentorapp.importing.vocabulary import insert_by_seniority
from mentorapp.people.cohorts import add_focus_area
from mentorapp.people.participants import ParticipantData, participant_row, stored_goals, update_participant
from mentorapp.people.persons import insert_participants, people_by_email
from mentorapp.people.validation import normalise_email
from mentorapp.store import audit
from mentorapp.store.bulk import insert_rows
from mentorapp.store.db import Database, crash_point
from mentorapp.store.models import AuditEvent, Cohort, Expertise, Goal, Participant, Person

CHUNK = 1000


def apply_plan(
    db: Database,
    plan: ImportPlan,
    *,
    skip_invalid: bool = False,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> ImportResult:
    """Write the plan in one transaction: all of it, or (on any failure) nothing."""
    errors = plan.count("error")
    if errors and not skip_invalid:
        raise ImportRefusedError(
            f"{errors} row{'s' if errors != 1 else ''} of {plan.path.name} "
            f"{'have' if errors != 1 else 'has'} problems, so nothing was imported; "
            "fix them in the file or choose to skip rows with problems."
        )
    undecided = open_questions(plan)
    if undecided:
        raise ImportRefusedError(questions_sentence(plan, undecided))
    creates = [r for r in plan.rows if r.action == "create" and r.data is not None]
    updates = [r for r in plan.rows if r.action == "update" and r.data is not None]
    total = len(creates) + len(updates)
    done = 0
    with db.transaction() as s:
        cohort = s.get(Cohort, plan.cohort_id)
        if cohort is None:
            raise UserError("The cohort no longer exists.")
        if plan.adopted:
            _adopt(s, cohort, plan)
        added = _add_areas(s, plan, creates + updates)
        added_other = _add_stages_and_regions(s, cohort, plan, creates + updates)
        vocabulary = {a.casefold(): a for a in cohort.focus_areas or []}
        taken = set(s.scalars(select(Participant.email).where(Participant.cohort_id == plan.cohort_id)))
        for row in creates:
            data = row.data
            assert data is not None
            if normalise_email(data.email) in taken:
                raise ConflictError(
                    f"{normalise_email(data.email)} (row {row.row}) was added to the cohort after the check; "
                    "check the file again."
                )
            for area in _areas_of(data):
                if area.casefold() not in vocabulary:
                    raise ConflictError(f"The focus area '{area}' is no longer in the cohort; check the file again.")
        created_ids: list[int] = []
        os_user = audit.os_user()[:100]
        written = [effective_data(r) for r in creates]
        # Earlier people by email, looked up once: each batch would scan the person table again, and
        # the batches written before it too (an email is in one row to create at most: duplicates are settled).
        known = people_by_email(s, [normalise_email(d.email) for d in written])
        for start in range(0, len(creates), CHUNK):
            if cancelled and cancelled():
                raise ImportCancelledError("The import was cancelled; nothing was changed.")
            chunk = creates[start : start + CHUNK]
            batch = written[start : start + CHUNK]
            links = [r.returning.link() if r.returning is not None else None for r in chunk]
            created_ids.extend(_insert_batch(s, plan.cohort_id, batch, os_user, links, known))
            crash_point("import-batch-written")
            done += len(batch)
            if progress:
                progress(done, total)
        for row in updates:
            if cancelled and done % 50 == 0 and cancelled():
                raise ImportCancelledError("The import was cancelled; nothing was changed.")
            update_participant(s, row.data)  # type: ignore[arg-type]
            done += 1
            if progress and done % 50 == 0:
                progress(done, total)
        remember_mapping(s, plan)
        result = ImportResult(
            created=len(creates),
            updated=len(updates),
            skipped=plan.count("skip"),
            invalid_skipped=errors,
            added_areas=added,
            created_ids=created_ids,
            added_values=added_other,
            returning=sum(1 for r in creates if r.returning is not None and r.returning.linked),
        )
        audit.record(
            s,
            "participants imported",
            f"Imported {plan.path.name}: {result.created} created, {result.updated} updated, "
            f"{result.skipped} skipped, {result.invalid_skipped} rows with problems skipped",
            cohort_id=plan.cohort_id,
            entity_type="cohort",
            entity_id=plan.cohort_id,
        )
        if cancelled and cancelled():
            raise ImportCancelledError("The import was cancelled; nothing was changed.")
    if progress:
        progress(total, total)
    return result


def _insert_batch(
    s: Session,
    cohort_id: int,
    batch: list[ParticipantData],
    os_user: str,
    links: list[int | None] | None = None,
    known: dict[str, list[Person]] | None = None,
) -> list[int]:
    """Bulk path for new participants: the rows ``create_participant`` would write, in a few statements.

    Every row was checked with ``validate_participant`` while planning; the
    values come from the same ``participant_row``/``stored_goals`` that
    ``create_participant`` uses, with one audit event per participant.
    """
    people = [{**participant_row(data), "cohort_id": cohort_id} for data in batch]
    ids = insert_participants(s, people, links, known)
    goals = [
        {"participant_id": pid, "horizon": g.horizon, "text": g.text, "focus_areas": g.focus_areas}
        for pid, data in zip(ids, batch)
        for g in stored_goals(data)
    ]
    expertise = [
        {"participant_id": pid, "focus_area": e.focus_area, "years": e.years}
        for pid, data in zip(ids, batch)
        for e in data.expertise
    ]
    events = [
        {
            "action": "participant created",
            "description": (
                f"{data.full_name} (#{pid}) added as {data.role} by import"
                + (f", returning (person #{link})" if link else "")
            )[:1000],
            "cohort_id": cohort_id,
            "entity_type": "participant",
            "entity_id": pid,
            "os_user": os_user,
        }
        for pid, data, link in zip(ids, batch, links or [None] * len(batch), strict=True)
    ]
    for model, rows in ((Goal, goals), (Expertise, expertise), (AuditEvent, events)):
        insert_rows(s, model, rows)
    return ids


def _areas_of(data: ParticipantData) -> list[str]:
    return [a for g in data.goals for a in g.focus_areas] + [e.focus_area for e in data.expertise]


def _adopt(s: Session, cohort: Cohort, plan: ImportPlan) -> None:
    """The empty cohort takes the file's answers as its vocabulary (checked again: still empty)."""
    if s.scalar(select(Participant.id).where(Participant.cohort_id == cohort.id).limit(1)) is not None:
        raise ConflictError(f"{cohort.name} gained participants after the check, so it keeps its vocabulary.")
    for name, words in plan.adopted.items():
        setattr(cohort, name, list(words))
    s.flush()
    audit.record(
        s,
        "vocabulary adopted",
        "Vocabulary taken from " + plan.path.name + ": " + "; ".join(f"{k} {len(v)}" for k, v in plan.adopted.items()),
        cohort_id=cohort.id,
        entity_type="cohort",
        entity_id=cohort.id,
    )


def _add_stages_and_regions(s: Session, cohort: Cohort, plan: ImportPlan, rows: list[PlannedRow]) -> list[str]:
    """Career stages and regions added as new: stages placed on the ladder by their seniority words, regions last."""
    added: list[str] = []
    for field_key, attr in (("career_stage", "career_stages"), ("region", "regions")):
        used = {getattr(r.data, field_key).casefold() for r in rows if r.data}
        current = list(getattr(cohort, attr) or [])
        known = {w.casefold() for w in current}
        fresh = [
            w for w in plan.resolution.added.get(field_key, []) if w.casefold() in used and w.casefold() not in known
        ]
        if fresh:
            setattr(cohort, attr, insert_by_seniority(current, fresh) if attr == "career_stages" else current + fresh)
            added += fresh
    if added:
        s.flush()
        audit.record(
            s,
            "vocabulary added",
            f"Career stages and regions added by import: {', '.join(added)}",
            cohort_id=plan.cohort_id,
            entity_type="cohort",
            entity_id=plan.cohort_id,
        )
    return added


def _add_areas(s: Session, plan: ImportPlan, rows: list[PlannedRow]) -> list[str]:
    new_areas = plan.resolution.added_areas()
    if not new_areas:
        return []
    used = {a.casefold() for r in rows if r.data for a in _areas_of(r.data)}
    added = []
    for area in new_areas:
        if area.casefold() in used:
            stored = add_focus_area(s, plan.cohort_id, area)
            added.append(stored)
    if added:
        audit.record(
            s,
            "focus areas added",
            f"Focus areas added by import: {', '.join(added)}",
            cohort_id=plan.cohort_id,
            entity_type="cohort",
            entity_id=plan.cohort_id,
        )
    return added
