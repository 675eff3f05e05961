"""The import itself: a dry-run plan first, then all of it in one transaction.

:func:`build_plan` reads the file and decides, row by row, create, update, skip
or error, checking each row with :func:`mentorapp.people.participants.validate_participant`
(the same checks as the participant dialog) plus duplicates inside the file and
against the cohort. :func:`apply_plan` writes the plan in one transaction and
refuses to write anything while a row has a problem, unless the coordinator
chose to skip those rows. Cancelling, a clash with a change made in the
meantime, or any failure rolls everything back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mentorapp.errors import UserError
from mentorapp.importing.cells import Cell, is_blank_row
from mentorapp.importing.plan_data import (
    DUPLICATE_POLICIES,
    CancelFn,
    ImportCancelledError,
    ImportOptions,
    ImportPlan,
    PlannedRow,
    Problem,
    ProgressFn,
)
from mentorapp.importing.readers import Table, close_rows, open_table, read_preview
from mentorapp.importing.reconcile import propose_values, resolve
from mentorapp.importing.returning import find_returning_rows
from mentorapp.importing.row_reader import RowReader
from mentorapp.importing.values import infer_day_first
from mentorapp.importing.vocabulary import adopted_cohort
from mentorapp.people.participants import ParticipantData, validate_participant
from mentorapp.people.validation import FIELD_LABELS, normalise_email
from mentorapp.store.models import HORIZONS, Cohort, Participant


def preview(path: str | Path, sheet: str | None = None, limit: int = 5) -> tuple[Table, list[list[Cell]]]:
    return read_preview(path, sheet, limit)


def build_plan(
    session: Session,
    cohort_id: int,
    path: str | Path | Table,
    fields: Sequence[str],
    options: ImportOptions | None = None,
    *,
    sheet: str | None = None,
    progress: ProgressFn | None = None,
    cancelled: CancelFn | None = None,
) -> ImportPlan:
    """Read the whole file and decide what each row would do (a dry run).

    ``path`` may be a table already opened (and peeked at) with :func:`open_table`.
    """
    options = options or ImportOptions()
    if options.on_duplicate not in DUPLICATE_POLICIES:
        raise UserError(f"'{options.on_duplicate}' is not a duplicate policy ({', '.join(DUPLICATE_POLICIES)}).")
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    table = path if isinstance(path, Table) else open_table(path, sheet)
    path = table.path
    fields = list(fields)
    if len(fields) != len(table.headers):
        close_rows(table)
        raise UserError("The mapping does not fit this file's columns; choose the file again.")
    plan = ImportPlan(
        cohort_id=cohort_id,
        cohort_name=cohort.name,
        path=Path(path),
        sheet=table.sheet,
        source=table.describe(),
        headers=table.headers,
        fields=fields,
        options=options,
    )
    if "role" not in fields and options.default_role is None:
        plan.warnings.append("No column is mapped to Role and no default role was chosen.")
    total = max(table.estimated_rows or 0, 1)
    # Read once, then look at the answers of the whole file before reading any row.
    rows: list[tuple[int, list[Cell]]] = []
    for n, (number, cells) in enumerate(table.rows, start=1):
        if cancelled and n % 200 == 0 and cancelled():
            close_rows(table)
            raise ImportCancelledError("The check was cancelled.")
        if progress and n % 400 == 0:
            progress(n // 2, max(total, n))
        if is_blank_row(cells):
            plan.blank_rows += 1
            continue
        rows.append((number, list(cells)))
    if "consent_date" in fields:
        column = fields.index("consent_date")
        evidence = infer_day_first(cells[column] for _n, cells in rows if column < len(cells))
        if evidence is not None and evidence != options.day_first:
            plan.options = options = replace(options, day_first=evidence)
            plan.warnings.append(
                f"The dates in '{plan.headers[column]}' are read {'day' if evidence else 'month'} first, "
                "as some of them can only be read that way."
            )
    scheme = cohort
    if options.adopt_vocabulary:
        scheme, plan.adopted = adopted_cohort(session, cohort, plan, rows)
    plan.formulas = table.formulas  # complete now that every row was read
    plan.values = propose_values(plan.headers, rows, fields, scheme, options.values)
    plan.resolution = resolve(
        plan.values,
        options.values,
        threshold=options.accept_threshold,
        add_new=options.add_new_values,
        add_new_areas=options.add_focus_areas,
    )
    reader = RowReader(plan, list(scheme.focus_areas or []))
    for n, (number, cells) in enumerate(rows, start=1):
        if cancelled and n % 200 == 0 and cancelled():
            raise ImportCancelledError("The check was cancelled.")
        if progress and n % 400 == 0:
            progress((len(rows) + n) // 2, len(rows))
        plan.rows.append(reader.read(number, cells))
    if not plan.rows:
        raise UserError(f"{plan.source} has a header row but no applications under it.")
    _resolve_duplicates(session, plan)
    plan.vocabulary = {
        "career_stage": list(plan.adopted.get("career_stages") or scheme.career_stages or [])
        + plan.resolution.added.get("career_stage", []),
        "region": list(plan.adopted.get("regions") or scheme.regions or []) + plan.resolution.added.get("region", []),
    }
    find_returning_rows(session, plan)
    if progress:
        progress(total, total)
    return plan


def _what_differs(earlier: PlannedRow, later: PlannedRow) -> str:
    """', whose answers differ (Job title, Goals); --on-duplicate update keeps this later one' or ''.

    A second application with the same email is often the person's correction: kept silently,
    the first one's older answers would be imported without a word."""
    assert earlier.data is not None and later.data is not None
    differ = [
        label
        for key, label in FIELD_LABELS.items()
        if key != "email" and getattr(earlier.data, key, None) != getattr(later.data, key, None)
    ]
    if not differ:
        return ""
    named = ", ".join(differ[:4]) + (" ..." if len(differ) > 4 else "")
    return f", whose answers differ ({named}); --on-duplicate update keeps this later one"


def _resolve_duplicates(session: Session, plan: ImportPlan) -> None:
    """Apply the duplicate policy inside the file and against the cohort."""
    email_column = plan.fields.index("email") if "email" in plan.fields else None
    header = plan.headers[email_column] if email_column is not None else ""
    existing = {
        email: (pid, version)
        for email, pid, version in session.execute(
            select(Participant.email, Participant.id, Participant.version_id).where(
                Participant.cohort_id == plan.cohort_id
            )
        )
    }
    policy = plan.options.on_duplicate
    first_row: dict[str, PlannedRow] = {}
    for row in plan.rows:
        if row.action == "error" or row.data is None:
            continue
        email = normalise_email(row.data.email)
        earlier = first_row.get(email)
        if earlier is not None:
            if policy == "skip":
                row.action, row.reason = "skip", f"Same email as row {earlier.row}{_what_differs(earlier, row)}."
                continue
            if policy == "update":
                earlier.action, earlier.reason = "skip", f"Replaced by row {row.row}, which has the same email."
            else:
                row.action = "error"
                row.problems.append(
                    Problem(row.row, header, row.data.email, f"Row {earlier.row} has the same email.", email_column)
                )
                continue
        first_row[email] = row
    to_load: dict[int, PlannedRow] = {}
    for email, row in first_row.items():
        if row.action != "create" or email not in existing:
            continue
        pid, version = existing[email]
        if policy == "skip":
            row.action, row.reason = "skip", "Already in the cohort."
        elif policy == "error":
            row.action = "error"
            row.problems.append(
                Problem(
                    row.row,
                    header,
                    row.data.email if row.data else "",
                    "This email is already in the cohort.",
                    email_column,
                )
            )
        else:
            to_load[pid] = row
            row.reason = f"Updates participant #{pid}."
            row.action = "update"
            row.data.id, row.data.version_id = pid, version  # type: ignore[union-attr]
    if to_load:
        _merge_updates(session, plan, to_load)


def _merge_updates(session: Session, plan: ImportPlan, rows: dict[int, PlannedRow]) -> None:
    """An update changes only what the file has columns for; the rest stays as it was."""
    cohort = session.get(Cohort, plan.cohort_id)
    vocabulary = list(cohort.focus_areas or []) if cohort else []
    vocabulary += plan.adopted.get("focus_areas", []) + plan.resolution.added_areas()
    ids = list(rows)
    for start in range(0, len(ids), 500):
        stmt = (
            select(Participant)
            .where(Participant.id.in_(ids[start : start + 500]))
            .options(selectinload(Participant.goals), selectinload(Participant.expertise))
        )
        for p in session.scalars(stmt):
            row = rows[p.id]
            new = row.data
            assert new is not None
            merged = ParticipantData.from_model(p)
            touched = row.touched
            for name in touched:
                if ":" not in name and name != "expertise":
                    setattr(merged, name, getattr(new, name))
            if "capacity" not in touched and new.is_mentor and merged.capacity < 1:
                merged.capacity = 1
            goals = {g.horizon: g for g in merged.goals}
            for g_key in [t for t in touched if t.startswith("goal:")]:
                horizon = g_key.split(":")[1]
                goals.pop(horizon, None)
                fresh = new.goal(horizon)
                if fresh:
                    goals[horizon] = fresh
            merged.goals = [goals[h] for h in HORIZONS if h in goals]
            if "expertise" in touched:
                merged.expertise = list(new.expertise)
            row.data = merged
            errors = validate_participant(merged, vocabulary)
            if errors:
                row.action = "error"
                row.problems.extend(Problem(row.row, "", "", e.message) for e in errors)
