"""The one way to open a database, for the window and the command line alike.

:func:`open_workspace` does, in this order:

1. resolve the database (``--db``, ``MENTORAPP_DB`` or the default file);
2. check a SQLite file for damage: a damaged file is never opened or changed;
   the caller's :class:`Questions` decide whether the newest backup is restored
   in its place (the window asks the coordinator; the command line refuses with
   one sentence naming the backup);
3. take the lock, or open read-only when another mentorapp holds it (if the
   questions agree) or the folder cannot be written to, and say so;
4. back up an existing database before a migration, then migrate;
5. take the daily backup.

A server database (PostgreSQL) has no file: steps 2, 3 and 5 do not apply.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from mentorapp.errors import UserError
from mentorapp.store import backup, checked, locking
from mentorapp.store.db import Database, connect, migrate, resolve_url, sqlite_path

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Location:
    """Where a database is: its URL, and the file behind it (None for a server database)."""

    url: str
    path: Path | None


def locate(db: str | os.PathLike[str] | Location | None = None) -> Location:
    """Resolve ``--db`` (a path or a URL), ``MENTORAPP_DB`` or the default; UserError for a bad URL."""
    if isinstance(db, Location):
        return db
    url = resolve_url(db)
    return Location(url, sqlite_path(url))


class DamagedDatabaseError(UserError):
    """The database file cannot be used; ``newest`` is the backup that could replace it."""

    def __init__(self, path: Path, problem: str, newest: backup.BackupFile | None) -> None:
        self.path = path
        self.problem = problem
        self.newest = newest
        super().__init__(damage_sentence(path, problem, newest))


class RestoreFailedError(UserError):
    """The newest backup was to replace a damaged database, but the restore failed (nothing changed)."""


def damage_sentence(path: Path, problem: str, newest: backup.BackupFile | None) -> str:
    """One sentence for the command line: what is wrong, that nothing changed, and the backup to restore."""
    if "newer version" in problem:
        return problem  # not damage: a newer mentorapp's database, which a backup would not help with
    head = problem.rstrip(".")
    if newest is None:
        return f"{head}; it was left untouched, and there is no backup of it in {backup.backup_dir(path)}."
    return (
        f"{head}; it was left untouched, and the newest backup is {newest.path} from {newest.label}: "
        f"restore it with 'mentorapp --db {path} restore {newest.path}'."
    )


class Questions(Protocol):
    """What the opener asks whoever opens the database (a dialog in the window)."""

    def restore_damaged(self, path: Path, problem: str, newest: backup.BackupFile | None) -> bool:
        """True to put ``newest`` in place of the damaged file and go on; False to stop (raise to refuse)."""
        ...

    def open_read_only(self, error: locking.DatabaseLockedError) -> bool:
        """True to open read-only a database another mentorapp holds; False to stop."""
        ...


class CommandLineAnswers:
    """No one to ask: a damaged file is refused (naming its newest backup); a held one is read read-only."""

    def restore_damaged(self, path: Path, problem: str, newest: backup.BackupFile | None) -> bool:
        raise DamagedDatabaseError(path, problem, newest)

    def open_read_only(self, error: locking.DatabaseLockedError) -> bool:
        return True


COMMAND_LINE = CommandLineAnswers()


@dataclass
class Workspace:
    """An open database with what came with opening it."""

    database: Database
    lock: locking.DatabaseLock | None
    read_only: bool
    # Why it is read-only, in one sentence (None when it is not).
    read_only_note: str | None = None
    # Why today's automatic backup could not be written (None when it was, or was not due).
    backup_problem: str | None = None
    # Whether opening made the file (nothing was there): a mistyped --db would otherwise pass unnoticed.
    created: bool = False

    def close(self) -> None:
        """Dispose of the database; a file held under our lock is recorded as closed cleanly (store.checked)."""
        self.database.dispose()
        lock, self.lock = self.lock, None
        if lock is not None:
            if lock.held and self.database.path is not None:
                checked.remember_closed(Path(self.database.path))
            lock.release()


def open_workspace(
    db: str | os.PathLike[str] | Location | None = None,
    questions: Questions = COMMAND_LINE,
    *,
    held_lock: locking.DatabaseLock | None = None,
) -> Workspace | None:
    """Open a database the one way; None when the questions chose to stop.

    ``held_lock`` is the lock of a database the caller already has open: when it
    is this file's (reopening it after a restore), the file was checked when it
    was first opened, so it is only opened and migrated under that lock.
    Raises UserError (one sentence) when it cannot be opened.
    """
    where = locate(db)
    path = where.path
    if path is None:  # a server database: no file checks, no lock file, no file backups
        return Workspace(_open_and_migrate(where.url), None, False)
    if held_lock is not None and held_lock.held and held_lock.db_path == path:
        return Workspace(_open_and_migrate(where.url), held_lock, False)
    new_file = not path.exists()
    # A file exactly as our last clean close left it needs no second check (store.checked).
    problem = None if checked.unchanged_since_closed(path) else backup.diagnose(path)
    if problem is not None:
        newest = backup.newest_backup(path)
        log.warning("the database file cannot be used; newest backup: %s", newest.path.name if newest else None)
        if not questions.restore_damaged(path, problem, newest) or newest is None:
            return None
        try:
            backup.restore_backup(path, newest.path)
        except UserError as exc:
            log.warning("restoring the newest backup over a damaged database failed: %s", exc)
            raise RestoreFailedError(str(exc)) from exc
    try:
        lock = locking.acquire(path)
    except locking.DatabaseLockedError as exc:
        if not questions.open_read_only(exc):
            return None
        where_held = exc.info.describe() if exc.info else "in another mentorapp"
        note = f"{path.name} is open {where_held}; it is opened read-only, so changes are refused."
        return _read_only(path, note)
    except PermissionError as exc:
        # A folder we may not write to (a read-only share, a backup disc): look, but do not touch.
        return _read_only(path, f"{exc.filename} cannot be created, so the database is opened read-only.")
    try:
        database = _open_and_migrate(where.url)
    except BaseException:
        lock.release()
        raise
    workspace = Workspace(database, lock, False, created=new_file)
    backup.forget_backup_mark(database)
    try:
        backup.backup_if_due(database)
    except (UserError, OSError) as exc:
        log.warning("today's automatic backup could not be written: %s", exc)
        workspace.backup_problem = str(exc)
    return workspace


def _read_only(path: Path, note: str) -> Workspace:
    log.info("opening the database read-only: %s", note)
    return Workspace(locking.open_read_only(path), None, True, read_only_note=note)


def _open_and_migrate(url: str) -> Database:
    """The engine, then a backup of an existing database before its migration, then the migration."""
    database = connect(url)
    try:
        backup.backup_before_migration(database)
        migrate(database)
    except BaseException:
        database.dispose()
        raise
    return database
