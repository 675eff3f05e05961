"""What one returned form says, and writing one or many forms' answers in one transaction.

Both kinds of form (the coordinator's grid, :mod:`.forms`, and a participant's own,
:mod:`.person_forms`) read into a :class:`FormReading`: its rows, every problem
with its row and column, and for each row the cells that change (a cleared
answer is a deletion) and whether the stored answers are newer than the form
(a conflict, :mod:`.form_checks`). Nothing is written unless every form read
has no problem, and conflicts are refused unless the caller chose to overwrite
or skip them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from mentorapp.dates import long_date
from mentorapp.errors import UserError
from mentorapp.evaluation.form_checks import CONFLICT_CHOICES, CellChange, plan_row
from mentorapp.evaluation.instrument import STAGE_LABELS, ResponseData, save_response
from mentorapp.people.cohorts import update_settings
from mentorapp.store import audit
from mentorapp.store.db import Database
from mentorapp.store.models import Cohort, utcnow
from mentorapp.words import plural

# Cohort.settings key: form id -> when that form was last imported (UTC, ISO). A response
# saved by importing a form is not newer than that form, so re-importing it is no conflict.
IMPORTS_KEY = "evaluation_form_imports"
IMPORTS_KEPT = 2000


@dataclass
class FormProblem:
    """One thing wrong with one cell, in the spreadsheet's own terms."""

    row: int
    column: str  # "F (Confidence)"
    value: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, column {self.column}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


@dataclass
class FormRow:
    row: int  # the grid's row; 0 for a participant's own form (one response, no row to name)
    data: ResponseData
    action: str = "create"  # create, update or unchanged
    name: str = ""
    changes: list[CellChange] = field(default_factory=list)
    date_change: tuple[dt.date | None, dt.date | None] | None = None
    conflict: dt.datetime | None = None  # when the newer stored answers were saved

    @property
    def who(self) -> str:
        """'Row 12, Jude Bell' in the grid; 'Jude Bell' on their own form (its 'row 1' meant nothing)."""
        name = self.name or f"#{self.data.participant_id}"
        return f"Row {self.row}, {name}" if self.row else name

    def describe(self) -> list[str]:
        """Every cell this row changes, as lines of the dry run."""
        lines = [f"{self.who}: {change}" for change in self.changes]
        if self.date_change is not None:
            old, new = self.date_change
            lines.append(
                f"{self.who}: Date answered: {long_date(old) if old else 'none'} -> {long_date(new) if new else 'none'}"
            )
        return lines


@dataclass
class FormReading:
    """What a filled form says, before anything is written."""

    path: Path
    cohort_id: int
    stage: str
    rows: list[FormRow] = field(default_factory=list)
    problems: list[FormProblem] = field(default_factory=list)
    blank_rows: int = 0
    exported_at: dt.datetime | None = None
    form_id: str = ""

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def conflicts(self) -> list[FormRow]:
        return [r for r in self.rows if r.conflict is not None and r.action == "update"]

    @property
    def deletions(self) -> int:
        return sum(1 for r in self.rows for c in r.changes if c.kind == "deleted")

    def summary(self) -> str:
        text = (
            f"{STAGE_LABELS[self.stage]} form: {plural(self.count('create'), 'new response')}, "
            f"{self.count('update')} updated, {self.count('unchanged')} unchanged"
        )
        if self.blank_rows:
            text += f", {plural(self.blank_rows, 'row')} without answers left as they are"
        if self.deletions:
            text += f"; {self.deletions} stored answer{'s' if self.deletions != 1 else ''} deleted"
        if self.conflicts:
            n = len(self.conflicts)
            text += f"; {n} response{'s' if n != 1 else ''} changed since this form was made"
        if self.count("skipped"):
            text += f" ({self.count('skipped')} of them skipped, kept as stored)"
        return text + "."

    def change_lines(self) -> list[str]:
        return [line for r in self.rows for line in r.describe()]

    def conflict_lines(self) -> list[str]:
        made = self.exported_at.strftime("%Y-%m-%d %H:%M") if self.exported_at else "an unknown time"
        return [
            f"{r.who}: answers saved "
            f"{r.conflict.strftime('%Y-%m-%d %H:%M') if r.conflict else 'at an unknown time'} UTC, after this form "
            f"was made ({made} UTC)"
            for r in self.conflicts
        ]

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "stage": self.stage,
            "new": self.count("create"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "blank_rows": self.blank_rows,
            "deleted_answers": self.deletions,
            "exported_at": self.exported_at.isoformat() if self.exported_at else None,
            "changes": [
                {"row": r.row or None, "participant_id": r.data.participant_id, **c.to_json()}
                for r in self.rows
                for c in r.changes
            ],
            "conflicts": [
                {
                    "row": r.row or None,
                    "participant_id": r.data.participant_id,
                    "stored_at": r.conflict.isoformat() if r.conflict else None,
                }
                for r in self.conflicts
            ],
            "problems": [p.to_json() for p in self.problems],
        }


class FormRefusedError(UserError):
    """The form has problems (or conflicts); nothing was written. ``reading`` says which."""

    def __init__(self, reading: FormReading, message: str) -> None:
        super().__init__(message)
        self.reading = reading


def last_import(cohort: Cohort, form_id: str) -> dt.datetime | None:
    value = dict((cohort.settings or {}).get(IMPORTS_KEY) or {}).get(form_id) if form_id else None
    try:
        return dt.datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def plan_rows(session: Session, reading: FormReading) -> None:
    """Fill in each row's changes and conflict (the form counts as made when it was last imported)."""
    cohort = session.get(Cohort, reading.cohort_id)
    made = reading.exported_at
    imported = last_import(cohort, reading.form_id) if cohort is not None else None
    if imported is not None and (made is None or imported > made):
        made = imported
    for row in reading.rows:
        plan = plan_row(session, row.data, made)
        row.action, row.changes, row.date_change, row.conflict = (
            plan.action,
            plan.changes,
            plan.date_change,
            plan.conflict,
        )


def _record_import(session: Session, cohort_id: int, form_id: str) -> None:
    if not form_id:
        return
    cohort = session.get(Cohort, cohort_id)
    imports = dict((cohort.settings or {}).get(IMPORTS_KEY) or {}) if cohort else {}
    imports[form_id] = utcnow().isoformat()
    if len(imports) > IMPORTS_KEPT:  # keep the newest
        imports = dict(sorted(imports.items(), key=lambda kv: kv[1])[-IMPORTS_KEPT:])
    update_settings(session, cohort_id, **{IMPORTS_KEY: imports})


def refuse_problems(readings: list[FormReading], conflicts: str) -> None:
    """FormRefusedError for the first form with problems, or with conflicts the caller did not decide."""
    if conflicts not in CONFLICT_CHOICES:
        raise ValueError(f"conflicts must be one of {CONFLICT_CHOICES}")
    for reading in readings:
        if reading.problems:
            n = len(reading.problems)
            raise FormRefusedError(
                reading, f"Nothing was imported: {reading.path.name} has {n} problem{'s' if n != 1 else ''}."
            )
    for reading in readings:
        if reading.conflicts and conflicts == "refuse":
            n = len(reading.conflicts)
            raise FormRefusedError(
                reading,
                f"Nothing was imported: {reading.path.name} is older than the answers it would change for {n} "
                f"participant{'s' if n != 1 else ''} (saved after the form was made). Export a new form, or "
                "choose to overwrite or skip them.",
            )


def save_readings(db: Database, cohort_id: int, readings: list[FormReading], *, conflicts: str = "refuse") -> None:
    """Write every reading's rows in one transaction (all or nothing); one activity-log line per form."""
    refuse_problems(readings, conflicts)
    with db.transaction() as session:
        for reading in readings:
            for row in reading.rows:
                if row.action == "unchanged":
                    continue
                if row.conflict is not None and row.action == "update" and conflicts == "skip":
                    row.action = "skipped"
                    continue
                save_response(session, row.data, record=False)
            audit.record(
                session,
                "evaluations imported",
                f"{reading.summary()} From {reading.path.name}",
                cohort_id=cohort_id,
                entity_type="cohort",
                entity_id=cohort_id,
            )
            if not reading.count("skipped"):  # a skipped conflict stays a conflict next time
                _record_import(session, cohort_id, reading.form_id)


def folder_summary(readings: list[FormReading]) -> str:
    """One sentence for the forms of a folder: what they bring in all, and how many came back empty."""
    if len(readings) == 1:
        return readings[0].summary()

    def count(action: str) -> int:
        return sum(r.count(action) for r in readings)

    empty = sum(1 for r in readings if not r.rows)
    text = (
        f"{plural(len(readings), 'form')}: {plural(count('create'), 'new response')}, {count('update')} updated, "
        f"{count('unchanged')} unchanged"
    )
    if empty:
        text += f"; {empty} came back empty, which changes nothing"
    deleted = sum(r.deletions for r in readings)
    if deleted:
        text += f"; {plural(deleted, 'stored answer')} deleted"
    changed = sum(len(r.conflicts) for r in readings)
    if changed:
        text += f"; {plural(changed, 'response')} changed since its form was made"
    if count("skipped"):
        text += f" ({count('skipped')} of them skipped, kept as stored)"
    return text + "."
