"""The activity log: who changed what, when. Ids and names only, never goals or comments.

Every export of personal data is recorded here or refused: :func:`check_export_allowed`
runs before any file is written and refuses when no log line could be written (a
database opened read-only), and :func:`record_export` records it once written.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.store.models import AuditEvent

log = logging.getLogger(__name__)

EXPORTED = "personal data exported"


class ExportRefusedError(UserError):
    """A personal-data export that the activity log could not record, so it was not made."""


def os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        # No passwd entry for this uid (containers) and no login name: fall back to the environment,
        # then the user id (which Windows does not have).
        named = os.environ.get("USER") or os.environ.get("USERNAME")
        return named or (str(os.getuid()) if hasattr(os, "getuid") else "")


def record(
    session: Session,
    action: str,
    description: str,
    *,
    cohort_id: int | None = None,
    entity_type: str = "",
    entity_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to the current unit of work (committed with it)."""
    event = AuditEvent(
        action=action,
        description=description[:1000],
        cohort_id=cohort_id,
        entity_type=entity_type,
        entity_id=entity_id,
        os_user=os_user()[:100],
    )
    session.add(event)
    return event


# --- reading the log (Tools > Activity log, ``mentorapp log``) ---------------------------


@dataclass(frozen=True)
class LogEntry:
    """One row of the activity log as plain values, safe to keep after the session closes."""

    id: int
    at: dt.datetime
    os_user: str
    action: str
    description: str
    cohort_id: int | None
    cohort_name: str
    entity_type: str
    entity_id: int | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at.isoformat(timespec="seconds"),
            "user": self.os_user,
            "action": self.action,
            "cohort": self.cohort_name or None,
            "entity_type": self.entity_type or None,
            "entity_id": self.entity_id,
            "description": self.description,
        }


def query(
    session: Session,
    *,
    cohort_id: int | None = None,
    action: str | None = None,
    since: dt.datetime | dt.date | None = None,
    until: dt.datetime | dt.date | None = None,
    user: str | None = None,
    text: str | None = None,
    limit: int | None = None,
) -> list[LogEntry]:
    """Log entries, newest first, filtered; ``action`` matches a prefix ('match' finds 'match moved')."""
    from mentorapp.store.models import Cohort

    stmt = (
        select(AuditEvent, Cohort.name)
        .outerjoin(Cohort, Cohort.id == AuditEvent.cohort_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    if cohort_id is not None:
        stmt = stmt.where(AuditEvent.cohort_id == cohort_id)
    if action:
        stmt = stmt.where(func.lower(AuditEvent.action).startswith(action.strip().lower(), autoescape=True))
    if since is not None:
        stmt = stmt.where(AuditEvent.at >= _as_datetime(since))
    if until is not None:
        end = _as_datetime(until)
        if not isinstance(until, dt.datetime):
            end += dt.timedelta(days=1)  # a date means "up to the end of that day"
        stmt = stmt.where(AuditEvent.at < end)
    if user:
        stmt = stmt.where(AuditEvent.os_user == user)
    if text:
        stmt = stmt.where(func.lower(AuditEvent.description).contains(text.lower(), autoescape=True))
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        LogEntry(
            e.id,
            e.at,
            e.os_user,
            e.action,
            e.description,
            e.cohort_id,
            name or "",
            e.entity_type,
            e.entity_id,
        )
        for e, name in session.execute(stmt)
    ]


def actions(session: Session) -> list[str]:
    """Every action name used so far, for a filter list."""
    return list(session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)))


def users(session: Session) -> list[str]:
    return list(session.scalars(select(AuditEvent.os_user).distinct().order_by(AuditEvent.os_user)))


def _as_datetime(value: dt.datetime | dt.date) -> dt.datetime:
    if isinstance(value, dt.datetime):
        # Stored times are naive UTC.
        return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
    return dt.datetime.combine(value, dt.time())


def _bind(where: Session | Engine | Connection) -> Engine | Connection:
    return where.get_bind() if isinstance(where, Session) else where


def check_export_allowed(where: Session | Engine | Connection) -> None:
    """Refuse a personal-data export, before any file is written, if its log line could not be written.

    A trial line is written and rolled back in a transaction of its own: a
    database opened read-only (another window holds it) refuses it, and so
    does any other reason the log cannot take a line.
    """
    try:
        with Session(_bind(where)) as trial:
            record(trial, EXPORTED, "(trial)", entity_type="export")
            trial.flush()
            trial.rollback()
    except (SQLAlchemyError, UserError) as exc:
        log.warning("personal-data export refused: the activity log cannot be written (%s)", type(exc).__name__)
        raise ExportRefusedError(
            "This export of personal data was refused because the activity log cannot record it "
            "(the database is open read-only here); nothing was written."
        ) from exc


def record_export(
    where: Session | Engine | Connection,
    description: str,
    *,
    cohort_id: int | None = None,
    entity_type: str = "export",
    entity_id: int | None = None,
) -> None:
    """Record a personal-data export once its file is written, in a short transaction of its own.

    Exports read in a plain session that is never committed, so the line is
    committed on its own. The caller has run :func:`check_export_allowed` before
    writing; should the line still fail (the database went away meanwhile), the
    export is reported as failed rather than left unlogged.
    """
    try:
        with Session(_bind(where)) as own, own.begin():
            record(own, EXPORTED, description, cohort_id=cohort_id, entity_type=entity_type, entity_id=entity_id)
    except (SQLAlchemyError, UserError) as exc:
        log.exception("a personal-data export was written but its activity-log line failed")
        raise ExportRefusedError(
            "The export was written, but the activity log could not record it; delete the file, "
            "or export again once the database can be changed."
        ) from exc
