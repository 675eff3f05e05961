"""What an import would do, and what it did: the options, the planned rows with their problems,
the plan as a whole and the result. :mod:`mentorapp.importing.plan` makes a plan,
:mod:`mentorapp.importing.apply` writes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mentorapp.errors import UserError
from mentorapp.importing.cells import Cell
from mentorapp.importing.fields import IGNORE
from mentorapp.importing.reconcile import ColumnValues, Resolution, ValueMapping, values_block
from mentorapp.people.participants import ParticipantData
from mentorapp.words import listing

DUPLICATE_POLICIES = ("skip", "update", "error")
SETTINGS_KEY = "import_mapping"
CHUNK = 1000
ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


class ImportCancelledError(UserError):
    """The coordinator cancelled; nothing was written."""


class ImportRefusedError(UserError):
    """Rows have problems and skipping them was not chosen; nothing was written."""


@dataclass
class ImportOptions:
    """How to import. Only the first four are remembered with the cohort; the value choices are
    remembered separately (``settings["import_mapping"]["values"]``), the permissions never."""

    on_duplicate: str = "skip"
    add_focus_areas: bool = False
    default_role: str | None = None
    day_first: bool = True
    # Confirmed value choices (a values file, or the wizard's tables): applied before any proposal.
    values: ValueMapping = field(default_factory=ValueMapping)
    # Apply proposals at or above this confidence (None: only sure ones).
    accept_threshold: float | None = None
    # Add answers that match nothing to the cohort's vocabulary (stages, regions, focus areas).
    add_new_values: bool = False
    # An empty cohort takes the file's answers as its vocabulary; stages in this order when given.
    adopt_vocabulary: bool = False
    stage_order: list[str] = field(default_factory=list)
    # Answers about earlier people (row numbers of the file), and fields whose old value returning people keep
    # ("organisation" for all of them, "12:organisation" for row 12): see mentorapp.importing.returning.
    same_person: set[int] = field(default_factory=set)
    new_person: set[int] = field(default_factory=set)
    keep_old: set[str] = field(default_factory=set)

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
    # Someone of an earlier cohort this application is (or may be): a Returning of mentorapp.importing.returning.
    returning: Any = None

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
    # The distinct answers of each categorical column with their proposals, and what was settled.
    values: list[ColumnValues] = field(default_factory=list)
    resolution: Resolution = field(default_factory=Resolution)
    # With adopt_vocabulary: the cohort's new vocabulary, field group -> ordered values.
    adopted: dict[str, list[str]] = field(default_factory=dict)
    # The cohort's career stages and regions as the rows were read (a kept old value must be one of them).
    vocabulary: dict[str, list[str]] = field(default_factory=dict)
    # (row number, column index) of the workbook's formula cells, read as blank (readers.Table.formulas).
    formulas: set[tuple[int, int]] = field(default_factory=set)

    @property
    def returning_rows(self) -> list[PlannedRow]:
        """Rows to create that are, or may be, someone of an earlier cohort."""
        return [r for r in self.rows if r.action == "create" and r.returning is not None]

    @property
    def questions(self) -> list:
        """Answers whose proposal was not applied: each must be confirmed, accepted or added."""
        return self.resolution.questions

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
        back = self.returning_rows
        if back:
            sure = sum(1 for r in back if not r.returning.question)
            parts.insert(1, f"{sure} of them returning from an earlier cohort")
            if len(back) > sure:
                parts.insert(2, f"{len(back) - sure} possibly returning (a question)")
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
            # --adopt-vocabulary: the lists the cohort takes from the file (career stages most junior first)
            "adopted_vocabulary": self.adopted,
            "rows": [
                {
                    "row": r.row,
                    "action": r.action,
                    "name": r.name,
                    "email": r.data.email if r.data else "",
                    "reason": r.reason,
                    "person_id": (r.returning.person_id if r.returning is not None and r.returning.linked else None),
                    "returning": r.returning.to_json() if r.returning is not None else None,
                }
                for r in self.rows
            ],
            "problems": [p.to_json() for p in self.problems],
            "warnings": self.warnings,
            "values": values_block(self.values),
            "questions": [
                {"field": q.field, "column": q.column, "value": q.value, "count": q.count, "rows": q.rows}
                | {"proposed": q.proposed, "confidence": round(q.confidence, 2), "method": q.method}
                for q in self.questions
            ],
            "new_values": {f: list(a) for f, a in self.resolution.added.items() if a},
        }


@dataclass
class ImportResult:
    created: int
    updated: int
    skipped: int
    invalid_skipped: int
    added_areas: list[str]
    created_ids: list[int]
    added_values: list[str] = field(default_factory=list)  # career stages and regions added
    returning: int = 0  # of the created: people of an earlier cohort, linked to their person

    def summary(self) -> str:
        back = f" ({self.returning:,} of them returning from an earlier cohort)" if self.returning else ""
        parts = [f"Imported {_n(self.created, 'new participant')}{back}"]
        if self.updated:
            parts.append(f"updated {_n(self.updated, 'participant')}")
        if self.skipped:
            parts.append(f"skipped {_n(self.skipped, 'row')} already in the cohort or repeated")
        if self.invalid_skipped:
            parts.append(f"left out {_n(self.invalid_skipped, 'row')} with problems")
        text = listing(parts) + "."
        if self.added_areas:
            text += f" Added focus areas: {', '.join(self.added_areas)}."
        if self.added_values:
            text += f" Added career stages and regions: {', '.join(self.added_values)}."
        return text


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
