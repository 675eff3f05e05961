"""What reading a returned form would change, cell by cell, and whether it is safe to.

A form carries the moment it was made (``exported_at``, UTC). If a stored
response it would change was saved after that moment, the form is older than
the data: importing it would silently put back older answers, so the change is
a conflict, refused unless the coordinator decides otherwise. Every cell that
changes is listed, a cleared answer as a deletion. Answer dates are kept to a
window around the cohort: from 3 months before its start (baselines are often
collected early) to 6 months after its evaluation date (late answers),
:mod:`.answer_dates`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mentorapp.evaluation.instrument import ITEMS_BY_KEY, ResponseData, answer_value
from mentorapp.store.models import EvaluationResponse

CONFLICT_CHOICES = ("refuse", "overwrite", "skip")


@dataclass
class CellChange:
    """One answer that an import changes: old and new value (None: no answer)."""

    item_key: str
    old: Any
    new: Any

    @property
    def kind(self) -> str:
        return "added" if self.old is None else "deleted" if self.new is None else "changed"

    def __str__(self) -> str:
        label = ITEMS_BY_KEY[self.item_key].label if self.item_key in ITEMS_BY_KEY else self.item_key
        if self.kind == "deleted":
            return f"{label}: {_show(self.old)} deleted"
        if self.kind == "added":
            return f"{label}: {_show(self.new)} added"
        return f"{label}: {_show(self.old)} -> {_show(self.new)}"

    def to_json(self) -> dict[str, Any]:
        return {"item": self.item_key, "old": self.old, "new": self.new, "kind": self.kind}


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    text = str(value)
    return f"'{text[:40]}…'" if len(text) > 40 else f"'{text}'" if isinstance(value, str) else text


@dataclass
class StoredResponse:
    answers: dict[str, Any]
    submitted_on: dt.date | None
    updated_at: dt.datetime | None


def stored_response(session: Session, participant_id: int, stage: str) -> StoredResponse | None:
    row = session.scalar(
        select(EvaluationResponse)
        .options(selectinload(EvaluationResponse.answers))
        .where(EvaluationResponse.participant_id == participant_id, EvaluationResponse.stage == stage)
    )
    if row is None:
        return None
    answers = {a.item_key: answer_value(a.item_key, a.value_int, a.value_text) for a in row.answers}
    return StoredResponse(answers, row.submitted_on, row.updated_at)


def cell_changes(old: dict[str, Any], new: dict[str, Any]) -> list[CellChange]:
    """Every answer that differs, in the instrument's order; a missing new answer is a deletion."""
    order = list(ITEMS_BY_KEY)
    keys = sorted(set(old) | set(new), key=lambda k: order.index(k) if k in order else len(order))
    return [CellChange(k, old.get(k), new.get(k)) for k in keys if old.get(k) != new.get(k)]


@dataclass
class RowPlan:
    action: str  # create, update or unchanged
    changes: list[CellChange]
    date_change: tuple[dt.date | None, dt.date | None] | None = None
    conflict: dt.datetime | None = None  # when the stored answers were saved, if after the form was made


def plan_row(session: Session, data: ResponseData, exported_at: dt.datetime | None) -> RowPlan:
    """What saving ``data`` would change, and whether the stored answers are newer than the form."""
    current = stored_response(session, data.participant_id, data.stage)
    if current is None:
        return RowPlan("create", cell_changes({}, data.answers))
    changes = cell_changes(current.answers, data.answers)
    day_changes = data.submitted_on is not None and data.submitted_on != current.submitted_on
    if not changes and not day_changes:
        return RowPlan("unchanged", [])
    plan = RowPlan("update", changes, (current.submitted_on, data.submitted_on) if day_changes else None)
    if exported_at is None or (current.updated_at is not None and current.updated_at > exported_at):
        plan.conflict = current.updated_at
    return plan


def parse_exported(value: Any) -> dt.datetime | None:
    """The moment a form was made, from its details sheet (a date alone: the start of that day, UTC)."""
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    try:
        parsed = dt.datetime.fromisoformat(str(value).strip())
    except ValueError:
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed
