"""PostgreSQL id sequences after rows were written with explicit ids.

A row inserted with its own id (the demo, an undo putting rows back with their
ids, a redo re-creating a row) does not move PostgreSQL's sequence, and the next
ordinary insert would then collide with it. Every such write path calls
:func:`fix_sequences` right after, in the same transaction; on SQLite, whose
next id is always max(id) + 1, it does nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, func, select, text
from sqlalchemy.orm import Session


def fix_sequences(session: Session, tables: Iterable[Table | type]) -> None:
    """Move the id sequence of each table (or model) past its largest id; a no-op outside PostgreSQL."""
    if session.get_bind().dialect.name != "postgresql":
        return
    session.flush()
    for table in tables:
        t: Table = getattr(table, "__table__", table)
        top = session.scalar(select(func.max(t.c.id)))
        if top is None:
            continue
        # The sequence only ever moves forward: a concurrent insert that took a higher id keeps it.
        session.execute(
            text(
                "SELECT setval(pg_get_serial_sequence(:name, 'id'), "
                "GREATEST(:top, (SELECT last_value FROM pg_sequences "
                "WHERE schemaname || '.' || sequencename = pg_get_serial_sequence(:name, 'id'))))"
            ),
            {"name": f'"{t.name}"', "top": top},
        )
