"""Undo and redo of a :class:`~mentorapp.matching.changes.MatchChange`: write the rows back.

Undo writes the *before* rows of a change back and redo the *after* rows (same ids,
same versions), after checking that nobody changed those rows meanwhile, so the
database always equals what the screens show. Every table in
:data:`mentorapp.matching.changes.TABLES` can be put back this way: matches, excluded
pairs, and the running scheme's meeting log, check-in answers and chase marks.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, insert, update
from sqlalchemy.orm import Session

from mentorapp.errors import ConflictError
from mentorapp.matching.changes import CHUNK, TABLES, MatchChange, RowKey, read_rows
from mentorapp.store import audit
from mentorapp.store.sequences import fix_sequences


def _same(current: dict[str, Any] | None, expected: dict[str, Any] | None) -> bool:
    if current is None or expected is None:
        return current is None and expected is None
    if "version_id" in expected:
        return current.get("version_id") == expected["version_id"]
    return current == expected


def put_rows(
    session: Session,
    expect: dict[RowKey, dict[str, Any] | None],
    target: dict[RowKey, dict[str, Any] | None],
) -> None:
    """Make the rows ``target`` (None: absent), refusing if any is no longer as ``expect`` says."""
    session.flush()
    current = read_rows(session, target)
    if any(not _same(current[key], expect.get(key)) for key in target):
        raise ConflictError(
            "Someone else changed these matches since; the board has been reloaded and nothing was changed."
        )
    # Deletes first (rows that point at others before those), then updates, then inserts (in
    # TABLES order, rows pointed at first), so one-current-match-per-mentee holds at every step.
    for name, table in reversed(TABLES.items()):
        gone = [key[1] for key, row in target.items() if key[0] == name and row is None and current[key] is not None]
        for start in range(0, len(gone), CHUNK):
            session.execute(delete(table).where(table.c.id.in_(gone[start : start + CHUNK])))
    for name, table in TABLES.items():
        changed = [
            row for key, row in target.items() if key[0] == name and row is not None and current[key] is not None
        ]
        if changed:
            columns = [c.name for c in table.c if c.name != "id"]
            stmt = (
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values({c: bindparam(f"new_{c}") for c in columns})
            )
            session.execute(stmt, [{"row_id": r["id"], **{f"new_{c}": r[c] for c in columns}} for r in changed])
    for name, table in TABLES.items():
        added = [row for key, row in target.items() if key[0] == name and row is not None and current[key] is None]
        if added:
            session.execute(insert(table), added)
            fix_sequences(session, [table])  # rows put back with their ids
    session.expire_all()


def undo_change(session: Session, change: MatchChange) -> None:
    """Put back the rows as they were before the action (same ids and versions)."""
    put_rows(session, change.after, change.before)
    audit.record(session, "undo", change.description, cohort_id=change.cohort_id, entity_type="match")


def redo_change(session: Session, change: MatchChange) -> None:
    """Put the rows back as the action left them."""
    put_rows(session, change.before, change.after)
    audit.record(session, "redo", change.description, cohort_id=change.cohort_id, entity_type="match")


__all__ = ["redo_change", "undo_change"]
