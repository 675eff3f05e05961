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

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from mentorapp.errors import ConflictError, UserError
from mentorapp.importing import values as v
from mentorapp.importing.fields import IGNORE, LABELS, TARGET_KEYS, auto_map, normalise_header
from mentorapp.importing.readers import Cell, Table, cell_text, close_rows, is_blank, open_table, read_preview
from mentorapp.people.cohorts import add_focus_area, update_settings
from mentorapp.people.participants import (
    ExpertiseData,
    GoalData,
    ParticipantData,
    participant_row,
    stored_goals,
    update_participant,
    validate_participant,
)
from mentorapp.people.validation import FieldError, normalise_email
from mentorapp.store import audit
from mentorapp.store.db import Database
from mentorapp.store.models import HORIZONS, AuditEvent, Cohort, Expertise, Goal, Participant

DUPLICATE_POLICIES = ("skip", "update", "error")
SETTINGS_KEY = "import_mapping"
CHUNK = 1000
ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

TEXT_TARGETS = (
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "organisation",
    "job_title",
    "region",
    "membership_number",
    "notes",
    "availability",
    "experience",
)
GOAL_TARGETS = {"short": "goal_short", "medium": "goal_medium", "long": "goal_long"}
FOCUS_TARGETS = {"short": "focus_short", "medium": "focus_medium", "long": "focus_long"}
AREA_TARGETS = (*FOCUS_TARGETS.values(), "focus_areas", "expertise_areas")
# Which columns a validation message about a participant field points at.
ERROR_COLUMNS: dict[str, tuple[str, ...]] = {
    "first_name": ("first_name", "full_name"),
    "last_name": ("last_name", "full_name"),
    "title": ("title", "full_name"),
    "goals": (*GOAL_TARGETS.values(), *FOCUS_TARGETS.values(), "focus_areas"),
    "focus_areas": AREA_TARGETS,
    "expertise": ("expertise_areas", "expertise_years", "focus_areas"),
    "career_stage": ("career_stage",),
}


class ImportCancelledError(UserError):
    """The coordinator cancelled; nothing was written."""


class ImportRefusedError(UserError):
    """Rows have problems and skipping them was not chosen; nothing was written."""


@dataclass
class ImportOptions:
    on_duplicate: str = "skip"
    add_focus_areas: bool = False
    default_role: str | None = None
    day_first: bool = True

    def to_json(self) -> dict[str, Any]:
        return {
            "on_duplicate": self.on_duplicate,
            "add_focus_areas": self.add_focus_areas,
            "default_role": self.default_role,
            "day_first": self.day_first,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> ImportOptions:
        data = data or {}
        opts = cls()
        if data.get("on_duplicate") in DUPLICATE_POLICIES:
            opts.on_duplicate = data["on_duplicate"]
        opts.add_focus_areas = bool(data.get("add_focus_areas", False))
        if data.get("default_role") in ("mentor", "mentee", "both"):
            opts.default_role = data["default_role"]
        opts.day_first = bool(data.get("day_first", True))
        return opts


@dataclass
class Problem:
    """One thing wrong with one cell, in the spreadsheet's own terms."""

    row: int
    column: str
    value: str
    message: str
    column_index: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


@dataclass
class PlannedRow:
    row: int
    action: str  # create, update, skip or error
    data: ParticipantData | None
    reason: str = ""
    problems: list[Problem] = field(default_factory=list)
    # What the file has columns for: attributes, "goal:<horizon>" and "expertise".
    touched: set[str] = field(default_factory=set)
    # The row's cells as read, for showing the row next to its problems.
    cells: list[Cell] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.data.full_name if self.data else ""


@dataclass
class ImportPlan:
    """Exactly what an import would do; nothing has been written yet."""

    cohort_id: int
    cohort_name: str
    path: Path
    sheet: str | None
    source: str
    headers: list[str]
    fields: list[str]
    options: ImportOptions
    rows: list[PlannedRow] = field(default_factory=list)
    # Focus areas not in the cohort, with the rows that use them.
    unknown_areas: dict[str, list[int]] = field(default_factory=dict)
    blank_rows: int = 0
    warnings: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def problems(self) -> list[Problem]:
        return [p for r in self.rows for p in r.problems]

    @property
    def has_errors(self) -> bool:
        return any(r.action == "error" for r in self.rows)

    def mapping(self) -> dict[str, str]:
        """Header -> field key for the columns that are imported."""
        return {h: f for h, f in zip(self.headers, self.fields) if f != IGNORE}

    def summary(self) -> str:
        parts = [
            f"{self.count('create')} to create",
            f"{self.count('update')} to update",
            f"{self.count('skip')} to skip",
            f"{self.count('error')} with problems",
        ]
        return ", ".join(parts) + "."

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "sheet": self.sheet,
            "cohort": self.cohort_name,
            "mapping": {h: (f if f != IGNORE else None) for h, f in zip(self.headers, self.fields)},
            "create": self.count("create"),
            "update": self.count("update"),
            "skip": self.count("skip"),
            "errors": self.count("error"),
            "blank_rows": self.blank_rows,
            "unknown_focus_areas": sorted(self.unknown_areas),
            "rows": [
                {
                    "row": r.row,
                    "action": r.action,
                    "name": r.name,
                    "email": r.data.email if r.data else "",
                    "reason": r.reason,
                }
                for r in self.rows
            ],
            "problems": [p.to_json() for p in self.problems],
            "warnings": self.warnings,
        }


@dataclass
class ImportResult:
    created: int
    updated: int
    skipped: int
    invalid_skipped: int
    added_areas: list[str]
    created_ids: list[int]

    def summary(self) -> str:
        parts = [f"Imported {_n(self.created, 'new participant')}"]
        if self.updated:
            parts.append(f"updated {_n(self.updated, 'participant')}")
        if self.skipped:
            parts.append(f"skipped {_n(self.skipped, 'row')} already in the cohort or repeated")
        if self.invalid_skipped:
            parts.append(f"left out {_n(self.invalid_skipped, 'row')} with problems")
        text = (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]) + "."
        if self.added_areas:
            text += f" Added focus areas: {', '.join(self.added_areas)}."
        return text


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


# ---------------------------------------------------------------- mapping


def saved_settings(session: Session, cohort_id: int) -> tuple[dict[str, str], ImportOptions]:
    """The columns and options the cohort's last import used."""
    cohort = session.get(Cohort, cohort_id)
    stored = (cohort.settings or {}).get(SETTINGS_KEY, {}) if cohort else {}
    columns = stored.get("columns", {}) if isinstance(stored, dict) else {}
    clean = {str(k): str(f) for k, f in columns.items() if f in TARGET_KEYS or f == IGNORE}
    return clean, ImportOptions.from_json(stored.get("options") if isinstance(stored, dict) else None)


def suggest_mapping(headers: Sequence[str], preview: Sequence[Sequence[Cell]], saved: dict[str, str]) -> list[str]:
    samples = [[cell_text(c) for c in row] for row in preview]
    return auto_map(headers, saved, samples)


def load_mapping_file(path: str | Path, headers: Sequence[str], fallback: Sequence[str]) -> list[str]:
    """A JSON mapping {"Header": "field" or null} over the automatic one."""
    path = Path(path)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise UserError(f"The mapping file {path} cannot be read: {exc.strerror or exc}.") from exc
    except ValueError as exc:
        raise UserError(f"The mapping file {path.name} is not valid JSON ({exc}).") from exc
    if isinstance(data, dict) and isinstance(data.get("mapping"), dict):
        data = data["mapping"]
    if not isinstance(data, dict):
        raise UserError(f"The mapping file {path.name} must be an object of column header to field name.")
    by_norm = {normalise_header(str(k)): val for k, val in data.items()}
    fields = list(fallback)
    known = {normalise_header(h) for h in headers}
    for header in data:
        if normalise_header(str(header)) not in known:
            raise UserError(
                f"The mapping file {path.name} names a column '{header}' that the spreadsheet does not have."
            )
    for i, header in enumerate(headers):
        norm = normalise_header(header)
        if norm not in by_norm:
            continue
        value = by_norm[norm]
        target = IGNORE if value in (None, "", IGNORE) else str(value)
        if target not in TARGET_KEYS and target != IGNORE:
            raise UserError(f"'{value}' in {path.name} is not a field; use one of: {', '.join(TARGET_KEYS)}.")
        if target != IGNORE:
            fields = [IGNORE if f == target and j != i else f for j, f in enumerate(fields)]
        fields[i] = target
    return fields


# ---------------------------------------------------------------- planning


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
    reader = _RowReader(plan, list(cohort.focus_areas or []))
    if "role" not in fields and options.default_role is None:
        plan.warnings.append("No column is mapped to Role and no default role was chosen.")
    total = max(table.estimated_rows or 0, 1)
    for n, (number, cells) in enumerate(table.rows, start=1):
        if cancelled and n % 200 == 0 and cancelled():
            close_rows(table)
            raise ImportCancelledError("The check was cancelled.")
        if progress and n % 200 == 0:
            progress(n, max(total, n))
        if all(is_blank(c) for c in cells):
            plan.blank_rows += 1
            continue
        plan.rows.append(reader.read(number, cells))
    if not plan.rows:
        raise UserError(f"{plan.source} has a header row but no applications under it.")
    _resolve_duplicates(session, plan)
    if progress:
        progress(total, total)
    return plan


class _RowReader:
    """Turns one row of cells into a planned row (create or error)."""

    def __init__(self, plan: ImportPlan, vocabulary: list[str]) -> None:
        self.plan = plan
        self.vocabulary = vocabulary
        self.columns = {f: i for i, f in enumerate(plan.fields) if f != IGNORE}
        self.unknown_spelling: dict[str, str] = {}
        self.known = {a.casefold(): a for a in vocabulary}

    def cell(self, cells: Sequence[Cell], target: str) -> Cell:
        i = self.columns.get(target)
        return cells[i] if i is not None and i < len(cells) else None

    def problem(self, number: int, target: str | None, cells: Sequence[Cell], message: str) -> Problem:
        i = self.columns.get(target) if target else None
        value = cell_text(cells[i]) if i is not None and i < len(cells) else ""
        header = self.plan.headers[i] if i is not None else ""
        return Problem(number, header, value[:200], message, i)

    def read(self, number: int, cells: Sequence[Cell]) -> PlannedRow:
        problems: list[Problem] = []
        data = ParticipantData(first_name="", last_name="", email="")
        touched: set[str] = set()

        def interpret(target: str, fn: Callable[[], Any]) -> Any:
            try:
                return fn()
            except v.ValueProblemError as exc:
                problems.append(self.problem(number, target, cells, str(exc)))
                return None

        if "full_name" in self.columns:
            title, first, last = v.split_name(self.cell(cells, "full_name"))
            data.title, data.first_name, data.last_name = title, first, last
            touched |= {"title", "first_name", "last_name"}
        for target in TEXT_TARGETS:
            if target in self.columns:
                value = (
                    v.text(self.cell(cells, target))
                    if target not in ("notes", "experience")
                    else cell_text(self.cell(cells, target))
                )
                if target in ("title", "first_name", "last_name") and not value and "full_name" in self.columns:
                    continue
                setattr(data, target, value.rstrip(".") if target == "title" else value)
                touched.add(target)
        if "career_stage" in self.columns:
            data.career_stage = v.career_stage(self.cell(cells, "career_stage"))
            touched.add("career_stage")
        role_cell = self.cell(cells, "role")
        role = None
        if "role" in self.columns and not is_blank(role_cell):
            role = interpret("role", lambda: v.role(role_cell))
        elif self.plan.options.default_role:
            role = self.plan.options.default_role
        else:
            problems.append(self.problem(number, "role", cells, "The role is missing; write Mentor, Mentee or Both."))
        # Without a role the goal and capacity rules do not apply; the role problem says enough.
        role_known = role is not None
        data.role = role or "mentee"
        touched.add("role")
        if "consent" in self.columns:
            data.consent = bool(interpret("consent", lambda: v.yes_no(self.cell(cells, "consent"))))
            touched.add("consent")
        if "consent_date" in self.columns:
            data.consent_date = interpret(
                "consent_date", lambda: v.date(self.cell(cells, "consent_date"), day_first=self.plan.options.day_first)
            )
            touched.add("consent_date")
        if "meeting_preference" in self.columns:
            data.meeting_preference = (
                interpret("meeting_preference", lambda: v.meeting_preference(self.cell(cells, "meeting_preference")))
                or "either"
            )
            touched.add("meeting_preference")
        if data.is_mentor and "capacity" in self.columns:
            capacity = interpret("capacity", lambda: v.whole_number(self.cell(cells, "capacity"), "Capacity"))
            data.capacity = 1 if capacity is None else capacity
            touched.add("capacity")
        self._goals_and_expertise(number, cells, data, touched, problems, interpret)
        for error in validate_participant(data, self._vocabulary()):
            if role_known or error.field not in ("goals", "capacity", "expertise"):
                problems.append(self._locate(number, cells, error))
        return PlannedRow(
            number,
            "error" if problems else "create",
            data,
            problems=_unique(problems),
            touched=touched,
            cells=list(cells),
        )

    def _vocabulary(self) -> list[str]:
        if self.plan.options.add_focus_areas:
            return self.vocabulary + list(self.unknown_spelling.values())
        return self.vocabulary

    def _areas(self, number: int, target: str, cells: Sequence[Cell]) -> list[str]:
        result: list[str] = []
        for part in v.split_areas(self.cell(cells, target), self.vocabulary):
            result.append(self._canonical(number, part))
        return result

    def _canonical(self, number: int, area: str) -> str:
        known = self.known.get(" ".join(area.split()).casefold())
        if known:
            return known
        key = " ".join(area.split()).casefold()
        spelling = self.unknown_spelling.setdefault(key, " ".join(area.split()))
        rows = self.plan.unknown_areas.setdefault(spelling, [])
        if not rows or rows[-1] != number:
            rows.append(number)
        return spelling

    def _goals_and_expertise(self, number, cells, data, touched, problems, interpret) -> None:
        goals: dict[str, GoalData] = {}
        for horizon in HORIZONS:
            text_target, focus_target = GOAL_TARGETS[horizon], FOCUS_TARGETS[horizon]
            if not data.is_mentee:
                continue
            text = cell_text(self.cell(cells, text_target)).strip() if text_target in self.columns else ""
            areas = self._areas(number, focus_target, cells) if focus_target in self.columns else []
            if text_target in self.columns or focus_target in self.columns:
                touched.add(f"goal:{horizon}")
            if text or areas:
                goals[horizon] = GoalData(horizon, text, areas)
        shared_wanted = data.is_mentee or ("expertise_areas" not in self.columns and data.role == "mentor")
        shared = self._areas(number, "focus_areas", cells) if "focus_areas" in self.columns and shared_wanted else []
        years_default = 0
        if "expertise_years" in self.columns and data.is_mentor:
            years_default = (
                interpret(
                    "expertise_years",
                    lambda: v.whole_number(self.cell(cells, "expertise_years"), "Years of experience"),
                )
                or 0
            )
        expertise_parts: list[str] = []
        if "expertise_areas" in self.columns:
            expertise_parts = v.split_areas(self.cell(cells, "expertise_areas"), self.vocabulary)
            touched.add("expertise")
        elif shared and data.role == "mentor":
            expertise_parts = shared
            touched.add("expertise")
        if shared and data.is_mentee:
            first = next((goals[h] for h in HORIZONS if h in goals and goals[h].text), None)
            if first is None:
                first = goals.setdefault("short", GoalData("short", "", []))
                touched.add("goal:short")
            for area in shared:
                if area not in first.focus_areas:
                    first.focus_areas.append(area)
        data.goals = [goals[h] for h in HORIZONS if h in goals] if data.is_mentee else []
        if data.is_mentor:
            for part in expertise_parts:
                name, years = v.area_with_years(part)
                if v.canonical_focus_area(part, self.vocabulary):
                    name, years = part, None
                name = self._canonical(number, name)
                if all(e.focus_area.casefold() != name.casefold() for e in data.expertise):
                    data.expertise.append(ExpertiseData(name, years_default if years is None else years))

    def _locate(self, number: int, cells: Sequence[Cell], error: FieldError) -> Problem:
        candidates = ERROR_COLUMNS.get(error.field, (error.field,))
        mapped = [c for c in candidates if c in self.columns]
        target = mapped[0] if mapped else None
        if error.field == "focus_areas" and "'" in error.message:
            area = error.message.split("'")[1].casefold()
            target = next((c for c in mapped if area in cell_text(self.cell(cells, c)).casefold()), target)
        elif error.field == "goals" and "characters" in error.message and mapped:
            target = max(mapped, key=lambda c: len(cell_text(self.cell(cells, c))))
        return self.problem(number, target, cells, error.message)


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[tuple[str, str]] = set()
    result = []
    for p in problems:
        if (p.column, p.message) not in seen:
            seen.add((p.column, p.message))
            result.append(p)
    return result


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
                row.action, row.reason = "skip", f"Same email as row {earlier.row}."
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
    if plan.options.add_focus_areas:
        vocabulary += list(plan.unknown_areas)
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


# ---------------------------------------------------------------- applying


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
    creates = [r for r in plan.rows if r.action == "create" and r.data is not None]
    updates = [r for r in plan.rows if r.action == "update" and r.data is not None]
    total = len(creates) + len(updates)
    done = 0
    with db.transaction() as s:
        cohort = s.get(Cohort, plan.cohort_id)
        if cohort is None:
            raise UserError("The cohort no longer exists.")
        added = _add_areas(s, plan, creates + updates)
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
        for start in range(0, len(creates), CHUNK):
            if cancelled and cancelled():
                raise ImportCancelledError("The import was cancelled; nothing was changed.")
            batch = [r.data for r in creates[start : start + CHUNK] if r.data is not None]
            created_ids.extend(_insert_batch(s, plan.cohort_id, batch, os_user))
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
        _save_mapping(s, plan)
        result = ImportResult(
            created=len(creates),
            updated=len(updates),
            skipped=plan.count("skip"),
            invalid_skipped=errors,
            added_areas=added,
            created_ids=created_ids,
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


def _insert_batch(s: Session, cohort_id: int, batch: list[ParticipantData], os_user: str) -> list[int]:
    """Bulk path for new participants: the rows ``create_participant`` would write, in a few statements.

    Every row was checked with ``validate_participant`` while planning; the
    values come from the same ``participant_row``/``stored_goals`` that
    ``create_participant`` uses, with one audit event per participant.
    """
    people = [{**participant_row(data), "cohort_id": cohort_id} for data in batch]
    ids = list(s.scalars(insert(Participant).returning(Participant.id, sort_by_parameter_order=True), people))
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
            "description": f"{data.full_name} (#{pid}) added as {data.role} by import"[:1000],
            "cohort_id": cohort_id,
            "entity_type": "participant",
            "entity_id": pid,
            "os_user": os_user,
        }
        for pid, data in zip(ids, batch)
    ]
    for model, rows in ((Goal, goals), (Expertise, expertise), (AuditEvent, events)):
        if rows:
            s.execute(insert(model), rows)
    return ids


def _areas_of(data: ParticipantData) -> list[str]:
    return [a for g in data.goals for a in g.focus_areas] + [e.focus_area for e in data.expertise]


def _add_areas(s: Session, plan: ImportPlan, rows: list[PlannedRow]) -> list[str]:
    if not plan.options.add_focus_areas or not plan.unknown_areas:
        return []
    used = {a for r in rows if r.data for a in _areas_of(r.data)}
    added = []
    for area in plan.unknown_areas:
        if area in used:
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


def _save_mapping(s: Session, plan: ImportPlan) -> None:
    """Remember the mapping per cohort, so next year's form maps itself."""
    columns, _options = saved_settings(s, plan.cohort_id)
    for header, target in zip(plan.headers, plan.fields):
        if not header.startswith("Column "):
            columns[normalise_header(header)] = target
    update_settings(s, plan.cohort_id, **{SETTINGS_KEY: {"columns": columns, "options": plan.options.to_json()}})


def describe_mapping(plan: ImportPlan) -> list[tuple[str, str]]:
    return [(h, LABELS.get(f, f)) for h, f in zip(plan.headers, plan.fields)]
