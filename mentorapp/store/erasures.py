"""The erasure ledger: who was erased and when, kept OUTSIDE the database file.

A backup taken before an erase still holds the person; restoring it must not
bring them back. Each erase of a participant of a SQLite database adds a line
to ``backups/<name>.erasures.json`` (owner-only, in the owner-only backups
folder): the participant's id, when their row was created and when it was
erased; ids and times only, never a name. A restore finds the rows of the
restored file that the ledger names (same id, same creation time, so an id
used again by someone else is never mistaken for them) and erases them again.

The erase itself belongs to :mod:`mentorapp.privacy`, above this wing: it
registers itself with :func:`set_eraser` when imported, and a restore that finds
people to erase again with no eraser registered is refused before anything changes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.store.db import sqlite_path
from mentorapp.store.models import Participant
from mentorapp.store.paths import backup_dir, make_private_dir

log = logging.getLogger(__name__)

Eraser = Callable[[Session, int], object]
_eraser: Eraser | None = None


def set_eraser(eraser: Eraser) -> None:
    """Called by :mod:`mentorapp.privacy` when imported: how a restore erases someone again."""
    global _eraser
    _eraser = eraser


def eraser() -> Eraser | None:
    return _eraser


@dataclass(frozen=True)
class Erased:
    participant_id: int
    created_at: str  # the row's creation time, ISO format: tells this person from a later one with the same id
    erased_at: str


# A restore erases again in a temporary copy of the database: its erases belong to the database's ledger.
_recorded_as: dict[Path, Path] = {}


@contextlib.contextmanager
def recorded_as(copy: Path, db_path: Path) -> Iterator[None]:
    """While inside, erases in the file ``copy`` are recorded in the ledger of ``db_path``."""
    _recorded_as[copy.resolve()] = db_path
    try:
        yield
    finally:
        _recorded_as.pop(copy.resolve(), None)


def ledger_path(db_path: Path) -> Path:
    db_path = _recorded_as.get(db_path.resolve(), db_path)
    return backup_dir(db_path) / f"{db_path.stem}.erasures.json"


def read_ledger(db_path: Path) -> list[Erased]:
    """The ledger of this database file; [] when there is none. A damaged ledger is an error, never ignored."""
    path = ledger_path(db_path)
    if not path.exists():
        return []
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [Erased(int(r["participant_id"]), str(r["created_at"]), str(r["erased_at"])) for r in rows]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UserError(f"The erasure record {path} cannot be read ({exc}); it must be repaired or restored.") from exc


def _created(p: Participant) -> str:
    return p.created_at.isoformat() if p.created_at else ""


def remember(session: Session, p: Participant, *, now: dt.datetime | None = None) -> None:
    """Add ``p`` to the ledger of the session's database (SQLite files only), before the erase commits.

    Written first so that an erase is never committed without its record; should
    the erase then roll back, a later restore would erase the person again, as
    the coordinator had asked.
    """
    db_path = sqlite_path(session.get_bind().engine.url.render_as_string(hide_password=False))
    if db_path is None:
        return
    entries = [e for e in read_ledger(db_path) if e.participant_id != p.id or e.created_at != _created(p)]
    when = (now or dt.datetime.now(dt.UTC).replace(tzinfo=None)).isoformat(timespec="seconds")
    entries.append(Erased(p.id, _created(p), when))
    _write(ledger_path(db_path), [e.__dict__ for e in entries])
    log.info("participant #%d added to the erasure record", p.id)


def _write(path: Path, rows: list[dict[str, object]]) -> None:
    make_private_dir(path.parent)
    fd, name = tempfile.mkstemp(prefix=".erasures-", suffix=".part", dir=path.parent)
    try:
        if hasattr(os, "fchmod"):  # mkstemp made it 0600 already; Windows has no fchmod (nor such modes)
            os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=1)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(name)
        raise


def still_present(session: Session, ledger: list[Erased]) -> list[int]:
    """The ids of rows in this database that the ledger says were erased (same id and creation time)."""
    if not ledger:
        return []
    wanted = {(e.participant_id, e.created_at) for e in ledger}
    rows = session.execute(
        select(Participant.id, Participant.created_at).where(Participant.id.in_({e.participant_id for e in ledger}))
    )
    return sorted(pid for pid, created in rows if (pid, created.isoformat() if created else "") in wanted)


def erase_again(session: Session, ids: list[int]) -> int:
    """Erase the given people again with the registered eraser; the count."""
    if not ids:
        return 0
    if _eraser is None:
        raise UserError("People erased since this backup was taken cannot be erased again here; nothing was changed.")
    for pid in ids:
        _eraser(session, pid)
    return len(ids)


def again_sentence(count: int) -> str:
    """'2 people erased since this backup was taken were erased again.' ('' for none)."""
    if not count:
        return ""
    who = "1 person" if count == 1 else f"{count} people"
    verb = "was" if count == 1 else "were"
    return f"{who} erased since this backup was taken {verb} erased again."
