"""Inserting many rows at once and knowing their new ids, in the order given (the import's path).

SQLAlchemy can return the ids of a multi-row insert in order only with a
sentinel it trusts; SQLite has none for a plain integer key, so the ORM falls
back to one INSERT per row (10,000 statements for a 10,000-row import). On
SQLite the next id is always max(id) + 1 (no table uses AUTOINCREMENT, see
:mod:`mentorapp.store.sequences`), and one writer holds the file during a
transaction, so the ids are taken here and written with the rows; a writer that
slipped in would only make the insert fail (and the transaction roll back),
never mix rows. Other databases return the ids from the insert itself.

On SQLite the rows go to the driver's ``executemany`` directly, each value
converted by its column type's own bind processor, the conversion SQLAlchemy
applies: Core's per-row parameter handling costs five times the driver's work.
Python-side column defaults (``created_at``, ``version_id`` ...) are worked out
once per call, so the rows written together carry the same time.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping, Sequence
from itertools import repeat
from typing import Any

from sqlalchemy import Column, Table, func, insert, select
from sqlalchemy.orm import Session


def insert_rows(session: Session, model: type, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (dicts with the same keys) into ``model``'s table in one executemany."""
    if not rows:
        return
    session.flush()  # what the session holds goes first, as the ORM's own insert would have flushed it
    table = _table(model)
    if session.get_bind().dialect.name == "sqlite" and rows[0]:
        _executemany(session, table, rows)
    else:
        session.execute(insert(table), list(rows))


def insert_returning_ids(
    session: Session, model: type, rows: Sequence[Mapping[str, Any]], **more: Sequence[Any]
) -> list[int]:
    """Insert ``rows`` (dicts with the same keys, no id) into ``model``'s table; their new ids, in order.

    ``more``: further columns, each a sequence of values in the rows' order (saves a copy of each row).
    """
    if not rows:
        return []
    table = _table(model)
    session.flush()  # a Core statement does not flush the session by itself
    if session.get_bind().dialect.name == "sqlite":
        first = (session.scalar(select(func.max(table.c.id))) or 0) + 1
        ids = list(range(first, first + len(rows)))
        _executemany(session, table, rows, {**more, "id": ids})
        return ids
    merged = [{**row, **{key: values[i] for key, values in more.items()}} for i, row in enumerate(rows)]
    statement = insert(model).returning(table.c.id, sort_by_parameter_order=True)
    return [int(i) for i in session.scalars(statement, merged)]


def _executemany(
    session: Session, table: Table, rows: Sequence[Mapping[str, Any]], more: Mapping[str, Sequence[Any]] | None = None
) -> None:
    """One ``executemany`` of ``rows`` (and the columns ``more``) on the session's connection, values
    converted as Core converts them."""
    more = more or {}
    connection = session.connection()
    dialect = connection.dialect
    keys = list(rows[0])
    given = [table.c[key] for key in [*keys, *more]]
    defaulted = [c for c in table.columns if c.key not in rows[0] and c.key not in more and c.default is not None]
    # Column by column: the values of one column, converted by that column's processor in one pass.
    pick = operator.itemgetter(*keys) if len(keys) > 1 else (lambda row: (row[keys[0]],))
    values: list[Sequence[Any]] = [list(column) for column in zip(*map(pick, rows), strict=True)] if keys else []
    for column in more.values():
        if len(column) != len(rows):
            raise ValueError(f"{len(column)} values for a column of {len(rows)} rows")
        values.append(list(column))
    for i, column in enumerate(given):
        process = _processor(column, dialect)
        if process is not None:
            values[i] = list(map(process, values[i]))
    for column in defaulted:
        process = _processor(column, dialect)
        value = _default(column)
        values.append(repeat(process(value) if process is not None else value))  # type: ignore[arg-type]
    quote = dialect.identifier_preparer.quote
    names = ", ".join(quote(c.name) for c in given + defaulted)
    marks = ", ".join("?" * (len(given) + len(defaulted)))
    connection.exec_driver_sql(f"INSERT INTO {quote(table.name)} ({names}) VALUES ({marks})", list(zip(*values)))


def _processor(column: Column[Any], dialect: Any) -> Callable[[Any], Any] | None:
    return column.type.dialect_impl(dialect).bind_processor(dialect)


def _default(column: Column[Any]) -> Any:
    default: Any = column.default
    return default.arg(None) if default.is_callable else default.arg


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined]
