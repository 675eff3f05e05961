"""The activity log: who changed what, when. Ids and names only, never goals or comments."""

from __future__ import annotations

import datetime as dt
import getpass
import os
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentorapp.store.models import AuditEvent


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return os.environ.get("USER", "") or str(os.getuid())


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


def record_export(session: Session, description: str, *, cohort_id: int | None = None) -> None:
    """Record an export of personal data from inside a read-only unit of work.

    Exports read in a plain session that is never committed, so the log line is
    written in a short transaction of its own, after the file is safely written.
    A database opened read-only cannot take it; the export itself still counts.
    """
    import contextlib

    with contextlib.suppress(Exception), Session(session.get_bind()) as own, own.begin():
        record(own, "personal data exported", description, cohort_id=cohort_id, entity_type="export")
