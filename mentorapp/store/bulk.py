"""Inserting many rows at once and knowing their new ids, in the order given.

SQLAlchemy can return the ids of a multi-row insert in order only with a
sentinel it trusts; SQLite has none for a plain integer key, so the ORM falls
back to one INSERT per row (10,000 statements for a 10,000-row import). On
SQLite the next id is always max(id) + 1 (no table uses AUTOINCREMENT, see
:mod:`mentorapp.store.sequences`), and one writer holds the file during a
transaction, so the ids are taken here and written with the rows in one
executemany; a writer that slipped in would only make the insert fail (and the
transaction roll back), never mix rows. Other databases return the ids from
the insert itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.orm import Session


def insert_rows(session: Session, model: type, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``model``'s table in one executemany, through Core.

    The ORM's bulk insert costs a good deal of Python per row for nothing a plain
    table insert does not do (column defaults are applied by Core all the same).
    """
    if rows:
        session.flush()  # what the session holds goes first, as the ORM's own insert would have flushed it
        session.execute(insert(_table(model)), list(rows))


def insert_returning_ids(session: Session, model: type, rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Insert ``rows`` (dicts with the same keys, no id) into ``model``'s table; their new ids, in order."""
    if not rows:
        return []
    table = _table(model)
    session.flush()  # a Core statement does not flush the session by itself
    if session.get_bind().dialect.name == "sqlite":
        first = (session.scalar(select(func.max(table.c.id))) or 0) + 1
        ids = list(range(first, first + len(rows)))
        session.execute(insert(table), [{**row, "id": new_id} for row, new_id in zip(rows, ids, strict=True)])
        return ids
    return [int(i) for i in session.scalars(insert(model).returning(table.c.id, sort_by_parameter_order=True), rows)]


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined]
