"""The undo record of a match action: the exact rows it touched, before and after.

Every action in :mod:`mentorapp.matching.actions` returns a :class:`MatchChange`
built by a :class:`Tracker`; undo writes the *before* rows back and redo the
*after* rows (same ids, same versions). This module only reads rows; writing
them back is :func:`mentorapp.matching.actions.undo_change` and ``redo_change``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from mentorapp.store.models import ChaseMark, CheckinAnswer, ExcludedPair, Match, Meeting

RowKey = tuple[str, int]  # (table name, row id)

# The tables a match action may touch, by the name used in a RowKey.
# The running scheme's rows (the meeting log, check-in answers, chase marks) are undone the same way.
# Rows that point at others come after them: undo inserts in this order and deletes in reverse.
TABLES: dict[str, Table] = {  # type: ignore[dict-item]
    "match": Match.__table__,
    "excluded_pair": ExcludedPair.__table__,
    "meeting": Meeting.__table__,
    "checkin_answer": CheckinAnswer.__table__,
    "chase_mark": ChaseMark.__table__,
}

CHUNK = 500  # ids per IN (...) list, well under every database's parameter limit


@dataclass
class MatchChange:
    """The rows one action touched: None means "did not exist"."""

    description: str
    cohort_id: int
    before: dict[RowKey, dict[str, Any] | None] = field(default_factory=dict)
    after: dict[RowKey, dict[str, Any] | None] = field(default_factory=dict)

    @property
    def match_ids(self) -> list[int]:
        return sorted(rid for (table, rid), row in self.after.items() if table == "match" and row is not None)

    def newly_set(self, column: str) -> int:
        """How many matches the action gave a ``column`` they had not had (letters marked sent on starting)."""
        return sum(
            1
            for (table, rid), row in self.after.items()
            if table == "match" and row is not None and row[column] is not None
            and (self.before.get((table, rid)) or {}).get(column) is None
        )  # fmt: skip

    def match_id_by_mentee(self) -> dict[int, int]:
        """The id of each match the action left, by mentee id."""
        return {
            row["mentee_id"]: rid for (table, rid), row in self.after.items() if table == "match" and row is not None
        }


def read_rows(session: Session, keys: Iterable[RowKey]) -> dict[RowKey, dict[str, Any] | None]:
    """The current rows for many keys in a few queries; None for rows that do not exist."""
    wanted = list(keys)
    found: dict[RowKey, dict[str, Any] | None] = dict.fromkeys(wanted)
    by_table: dict[str, list[int]] = {}
    for table, rid in wanted:
        by_table.setdefault(table, []).append(rid)
    for name, ids in by_table.items():
        table = TABLES[name]
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            for row in session.execute(select(table).where(table.c.id.in_(chunk))).mappings():
                found[(name, row["id"])] = dict(row)
    return found


class Tracker:
    """Remembers rows before an action so the change can be described exactly."""

    def __init__(self, session: Session, cohort_id: int) -> None:
        self.session = session
        self.cohort_id = cohort_id
        self.before: dict[RowKey, dict[str, Any] | None] = {}

    def touch(self, table: str, row_id: int) -> None:
        self.touch_many(table, [row_id])

    def touch_many(self, table: str, row_ids: Iterable[int]) -> None:
        keys = [(table, rid) for rid in row_ids if (table, rid) not in self.before]
        if keys:
            self.session.flush()
            self.before.update(read_rows(self.session, keys))

    def created(self, table: str, row_id: int) -> None:
        self.before.setdefault((table, row_id), None)

    def finish(self, description: str) -> MatchChange:
        self.session.flush()
        after = read_rows(self.session, self.before)
        return MatchChange(description, self.cohort_id, dict(self.before), after)


__all__ = ["CHUNK", "TABLES", "MatchChange", "RowKey", "Tracker", "read_rows"]
