"""Backups: consistent copies of the SQLite database, made before it is at risk.

A backup is taken with SQLite's online backup API (a consistent snapshot even
while the application is writing) into a ``backups`` folder beside the
database, as ``<name>-YYYYmmdd-HHMMSS-<kind>.db`` with mode 0600. Automatic
backups happen before every migration and at most once a day at start-up;
rotation keeps the newest backup of each of the last 10 days that have one and
the newest of each month for a year.

A restore never trusts its file: it must be a SQLite database that passes
``PRAGMA integrity_check``, holds mentorapp's tables and was made by this
version or an older one. The current database is backed up first (or, if it is
damaged, moved aside untouched) and the checked copy replaces it atomically.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete
from sqlalchemy.exc import SQLAlchemyError

from mentorapp.dates import short_time
from mentorapp.errors import UserError
from mentorapp.store import audit, erasures, locking
from mentorapp.store.backup_check import (
    check_copy,
    check_database_file,
    check_header,
    check_writable,
    checked_copy,
    diagnose,
)
from mentorapp.store.db import (
    SQLITE_HEADER,
    Database,
    cannot_open,
    connect,
    has_tables,
    migrate,
    needs_upgrade,
)
from mentorapp.store.paths import backup_dir, make_private_dir

# The checks before trusting a file live in backup_check; these two are offered here too.
__all__ = ["check_database_file", "diagnose"]

log = logging.getLogger(__name__)

KEEP_DAILY = 10
KEEP_MONTHLY = 12
KINDS = ("daily", "manual", "pre-migration", "pre-restore", "damaged")
# Every database knows its identity (migration 0004); every backup carries a mark naming it, which a
# restore removes: so a backup can be told from a live database and from a file mentorapp did not make.
IDENTITY_KEY = "database_id"
BACKUP_MARK = "backup_of"
_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}-\d{6})(?:-(?P<n>\d+))?-(?P<kind>[a-z-]+)\.db$")


@dataclass(frozen=True)
class BackupFile:
    """One file in the backups folder, with the time and kind read from its name."""

    path: Path
    taken_at: dt.datetime
    kind: str

    @property
    def label(self) -> str:
        """How the file is shown to the coordinator, e.g. '25 Nov 2026 09:14 (daily)'."""
        return f"{short_time(self.taken_at)} ({self.kind.replace('-', ' ')})"


def _require_file(db: Database | Path | str) -> Path:
    if isinstance(db, Database):
        path = db.path
        if path is None:
            raise UserError(
                "Backups and restores work on the embedded SQLite database; a shared PostgreSQL "
                "database is backed up by its administrator with pg_dump."
            )
        return path
    return Path(db)


def list_backups(db: Database | Path | str) -> list[BackupFile]:
    """The backups of this database in its backups folder, newest first."""
    path = _require_file(db)
    folder = backup_dir(path)
    if not folder.is_dir():
        return []
    found: list[BackupFile] = []
    for entry in folder.iterdir():
        m = _NAME_RE.match(entry.name)
        if not m or m["stem"] != path.stem or not entry.is_file():
            continue
        try:
            taken = dt.datetime.strptime(m["stamp"], "%Y%m%d-%H%M%S")
        except ValueError:
            continue
        found.append(BackupFile(entry, taken.replace(microsecond=int(m["n"] or 0)), m["kind"]))
    found.sort(key=lambda b: (b.taken_at, b.path.name), reverse=True)
    return found


def newest_backup(db: Database | Path | str) -> BackupFile | None:
    """The most recent backup that is not a damaged original, if any."""
    return next((b for b in list_backups(db) if b.kind != "damaged"), None)


def _new_backup_path(db_path: Path, kind: str, now: dt.datetime) -> Path:
    folder = backup_dir(db_path)
    make_private_dir(folder)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    candidate = folder / f"{db_path.stem}-{stamp}-{kind}.db"
    n = 1
    while candidate.exists():
        candidate = folder / f"{db_path.stem}-{stamp}-{n}-{kind}.db"
        n += 1
    return candidate


@contextlib.contextmanager
def _private_temp(folder: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """A mode-0600 temp file in ``folder``, removed unless the caller moved it away."""
    fd, name = tempfile.mkstemp(prefix=".mentorapp-", suffix=suffix, dir=folder)
    os.close(fd)
    os.chmod(name, 0o600)
    tmp = Path(name)
    try:
        yield tmp
    finally:
        for leftover in (tmp, Path(name + "-wal"), Path(name + "-shm"), Path(name + "-journal")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def _connect_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _sqlite_backup(source: Path, dest: Path, *, mark: bool = True) -> None:
    """Copy ``source`` into ``dest`` through the backup API; ``dest`` ends up a self-contained file."""
    src = _connect_ro(source)
    try:
        out = sqlite3.connect(dest)
        try:
            src.backup(out)
            # A backup is one file: no WAL beside it that a copy could leave behind.
            out.execute("PRAGMA journal_mode=DELETE")
            if mark:
                _mark_backup(out)
        finally:
            out.close()
    finally:
        src.close()


def _mark_backup(con: sqlite3.Connection) -> None:
    """Write into a fresh copy which database it is a backup of, and when it was taken."""
    try:
        row = con.execute("SELECT value FROM app_setting WHERE key = ?", (IDENTITY_KEY,)).fetchone()
        mark = {"database": json.loads(row[0]) if row else None, "taken_at": dt.datetime.now().isoformat()}
        con.execute("DELETE FROM app_setting WHERE key = ?", (BACKUP_MARK,))
        con.execute("INSERT INTO app_setting (key, value) VALUES (?, ?)", (BACKUP_MARK, json.dumps(mark)))
        con.commit()
    except sqlite3.OperationalError:
        log.info("the database copied has no settings table yet (an old revision): backup not marked")


def _marks(path: Path) -> dict[str, object] | None:
    """The identity and backup mark of a mentorapp database file; None when it is not one."""
    try:
        with open(path, "rb") as fh:
            if fh.read(16) != SQLITE_HEADER:
                return None
        con = _connect_ro(path)
        try:
            rows = con.execute(
                "SELECT key, value FROM app_setting WHERE key IN (?, ?)", (IDENTITY_KEY, BACKUP_MARK)
            ).fetchall()
        finally:
            con.close()
        return {key: json.loads(value) for key, value in rows}
    except (OSError, sqlite3.Error, ValueError):
        return None


def _check_overwrite(target: Path, source: Path) -> None:
    """Refuse to write a backup over anything but an earlier backup of this same database."""
    way_out = "it was left untouched; choose another file name for the backup."
    if target.is_symlink():
        raise UserError(f"{target} is a link, so {way_out}")
    if not target.exists():
        return
    if target.is_dir():
        raise UserError(f"{target} is a folder; give a file name for the backup.")
    found = _marks(target)
    if found is None:
        raise UserError(f"{target} already exists and was not made by mentorapp, so {way_out}")
    mark = found.get(BACKUP_MARK)
    if not isinstance(mark, dict):
        raise UserError(f"{target} is another mentorapp database, so {way_out}")
    ours = (_marks(source) or {}).get(IDENTITY_KEY)
    if ours is None or mark.get("database") != ours:
        raise UserError(f"{target} is a backup of another database, so {way_out}")


def create_backup(
    db: Database | Path | str,
    dest: Path | str | None = None,
    *,
    kind: str = "manual",
    now: dt.datetime | None = None,
    record: bool = True,
) -> Path:
    """Write a consistent copy of the database; returns its path.

    Without ``dest`` the copy goes into the backups folder and the folder is
    rotated. The file is written beside its final name and renamed into place,
    so a crash never leaves half a backup under a backup's name. A backup holds
    personal data: one that is recorded (``record``) is refused before anything
    is written if the activity log cannot take its line (a read-only database).
    """
    path = _require_file(db)
    record = record and isinstance(db, Database)
    if record:
        audit.check_export_allowed(db.engine)
    if not path.is_file():
        raise UserError(f"There is no database at {path} to back up.")
    when = now or dt.datetime.now()
    target = Path(dest).expanduser() if dest else _new_backup_path(path, kind, when)
    if target.resolve() == path.resolve():
        raise UserError("A backup cannot be written over the database itself; choose another file name.")
    _check_overwrite(target, path)
    make_private_dir(target.parent)
    # Whoever has the target open as a database keeps it: its lock is respected, and held while writing.
    try:
        target_lock = locking.acquire(target)
    except locking.DatabaseLockedError as exc:
        where = exc.info.describe() if exc.info else "in another mentorapp"
        raise UserError(f"{target} is open {where}, so it was left untouched; choose another file name.") from exc
    with target_lock, _private_temp(target.parent) as tmp:
        _check_overwrite(target, path)  # again, under the lock: it may have changed meanwhile
        try:
            _sqlite_backup(path, tmp)
        except sqlite3.DatabaseError as exc:
            raise UserError(f"The database {path} could not be backed up: {exc}.") from exc
        os.replace(tmp, target)
    os.chmod(target, 0o600)
    if dest is None and kind == "daily":
        rotate(path, now=when)
    log.info("%s backup written (%s)", kind, target.name)
    if record:
        try:
            with db.transaction() as s:
                audit.record(
                    s, "backup", f"{kind.capitalize()} backup written to {target.name}", entity_type="database"
                )
        except (SQLAlchemyError, UserError) as exc:
            log.exception("a backup was written but its activity-log line failed")
            raise audit.ExportRefusedError(
                f"The backup {target} was written, but the activity log could not record it; "
                "delete it, or back up again once the database can be changed."
            ) from exc
    return target


def rotate(db: Database | Path | str, *, now: dt.datetime | None = None) -> list[Path]:
    """Delete daily backups beyond the newest per day (last 10 days) and per month (last 12 months).

    Only the automatic daily backups rotate: backups the coordinator asked for,
    the ones taken before a migration or a restore, and damaged originals moved
    aside are rare and kept until deleted by hand. Returns the deleted paths.
    """
    today = (now or dt.datetime.now()).date()
    year_ago = today - dt.timedelta(days=366)
    keep: set[Path] = set()
    days: list[dt.date] = []
    months: list[tuple[int, int]] = []
    backups = [b for b in list_backups(db) if b.kind == "daily"]
    for b in backups:  # newest first
        day = b.taken_at.date()
        if day not in days and len(days) < KEEP_DAILY:
            days.append(day)
            keep.add(b.path)
        month = (day.year, day.month)
        if day >= year_ago and month not in months and len(months) < KEEP_MONTHLY:
            months.append(month)
            keep.add(b.path)
    deleted = []
    for b in backups:
        if b.path not in keep:
            with contextlib.suppress(FileNotFoundError):
                b.path.unlink()
            deleted.append(b.path)
    return deleted


def erase_note(db: Database | Path | str | None) -> str:
    """What an erase means for the backups, for the erase confirmation (window and command line alike)."""
    path = db.path if isinstance(db, Database) else (Path(db) if db is not None else None)
    if path is None:
        return (
            "Backups of this server database are made and kept by its administrator; "
            "restoring one taken before now would bring them back."
        )
    held = len(list_backups(path))
    which = "Backups made before now hold them"
    if held:
        which = f"The {held} backup(s) in {backup_dir(path)} still hold them"
    return (
        f"{which}: the automatic daily backups expire within about a year (one a day is kept for "
        f"{KEEP_DAILY} days, one a month for {KEEP_MONTHLY} months); backups you made yourself and those "
        "taken before an update or a restore are kept until you delete them. Restoring any of them erases "
        "them again."
    )


def forget_backup_mark(db: Database) -> None:
    """A backup opened as the database is a live database now: no backup may be written over it any more."""
    from mentorapp.store.models import AppSetting

    with db.session() as s:
        marked = s.get(AppSetting, BACKUP_MARK) is not None
    if marked:
        with db.transaction() as s:
            s.execute(delete(AppSetting).where(AppSetting.key == BACKUP_MARK))
        log.info("a backup file was opened as the database: it is no longer marked as a backup")


def backup_if_due(db: Database, *, now: dt.datetime | None = None) -> Path | None:
    """The start-up backup: at most one a day, and none for an empty new database."""
    path = db.path
    if path is None or not path.is_file() or path.stat().st_size == 0:
        return None
    when = now or dt.datetime.now()
    latest = newest_backup(path)
    if latest is not None and latest.taken_at.date() == when.date():
        return None
    with db.session() as s:
        from mentorapp.store.models import AuditEvent, Cohort

        if s.query(Cohort.id).first() is None and s.query(AuditEvent.id).first() is None:
            return None
    return create_backup(db, kind="daily", now=when)


def backup_before_migration(db: Database, *, named_for: Path | None = None) -> Path | None:
    """Before a migration changes an existing database, keep its data as it was (the workspace calls this).

    None when no migration is due, the database is new (no tables yet) or not a file.
    ``named_for``: the database whose backups folder and name the backup takes (a restore's copy is
    migrated before it becomes the database).
    """
    if db.path is None or not db.path.is_file():
        return None
    try:
        due = needs_upgrade(db.engine) and has_tables(db.engine)
    except SQLAlchemyError as exc:
        db.dispose()
        raise cannot_open(db.url, exc) from exc
    if not due:
        return None
    log.info("backing up before a migration")
    if named_for is None:
        return create_backup(db.path, kind="pre-migration")
    return create_backup(db.path, _new_backup_path(named_for, "pre-migration", dt.datetime.now()), record=False)


# --- restore ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    previous: Path | None  # where the database that was replaced now lives
    erased_again: int = 0  # people erased since the backup was taken, erased again

    @property
    def erased_again_sentence(self) -> str:
        return erasures.again_sentence(self.erased_again)


def restore_backup(db: Database | Path | str, source: Path | str, *, now: dt.datetime | None = None) -> RestoreResult:
    """Replace the database with the checked contents of ``source``.

    The caller must have closed every connection to the database (``dispose``).
    Order matters for safety: check the file, copy it beside the database, save
    the current database, bring the copy to this version and erase again in it
    the people erased since, and only then rename it over the database in one
    step. A kill at any moment leaves the old database or the finished restore,
    never a restored file that still holds erased people.
    """
    path = _require_file(db)
    if isinstance(db, Database):
        db.dispose()
    src = Path(source).expanduser()
    check_header(src)
    if path.exists() and src.resolve() == path.resolve():
        raise UserError("That file is the database itself; choose a backup file to restore.")
    make_private_dir(path.parent)
    when = now or dt.datetime.now()
    ledger = erasures.read_ledger(path)
    if ledger and erasures.eraser() is None:
        raise UserError("This restore cannot erase again the people erased since; nothing was changed.")
    _remove_stale_copies(path)
    with checked_copy(src) as checked, _private_temp(path.parent, suffix=_restore_suffix(path)) as tmp:
        _sqlite_backup(checked, tmp, mark=False)
        _unmark(tmp)  # restored, it is the live database again, no longer a backup
        check_copy(tmp, src.name)  # the copy we are about to install, checked again
        check_writable(tmp, src.name)
        previous = _save_current(path, when)
        again = _finish_restored_copy(tmp, path, ledger, src.name, previous)
        for side in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
            # The old database's journal must never be replayed into the restored one.
            with contextlib.suppress(FileNotFoundError):
                side.unlink()
        os.replace(tmp, path)
    os.chmod(path, 0o600)
    log.info("database restored from %s", src.name)
    if again:
        log.info("%d erased participant(s) erased again after the restore", again)
    return RestoreResult(src, previous, again)


def _restore_suffix(path: Path) -> str:
    """The end of the name of a restore's copy of ``path``: it names the database, so leftovers can be told apart."""
    return f"-{path.name}.restore"


def _remove_stale_copies(path: Path) -> None:
    """Delete the copies (and their journals) that a restore of this database killed midway left beside it.

    Such a copy may still hold people erased since its backup was taken. The caller holds the
    database, so no other restore of it is running; other databases' copies are left alone.
    """
    end = _restore_suffix(path)
    for entry in path.parent.iterdir():
        name = entry.name
        for side in ("", "-wal", "-shm", "-journal"):
            if name.startswith(".mentorapp-") and name.endswith(end + side):
                with contextlib.suppress(FileNotFoundError):
                    entry.unlink()
                log.info("a copy left by an interrupted restore was deleted (%s)", name)
                break


def _finish_restored_copy(
    tmp: Path, path: Path, ledger: list[erasures.Erased], shown: str, previous: Path | None
) -> int:
    """Migrate the copy, erase again in it the people of the ledger and log the restore; the count erased again.

    Done to the copy before it replaces the database, so that no moment exists
    when the database holds people the coordinator erased.
    """
    restored = connect(tmp)
    try:
        # An older backup is brought to this version, with a backup of it as restored first.
        backup_before_migration(restored, named_for=path)
        migrate(restored)
        kept = f"; the previous database was saved as {previous.name}" if previous else ""
        # The eraser records each erase again in the ledger of the database, not of the temporary copy.
        with erasures.recorded_as(tmp, path), restored.transaction() as s:
            again = erasures.erase_again(s, erasures.still_present(s, ledger))
            audit.record(s, "restore", f"Database restored from {shown}{kept}", entity_type="database")
            if again:
                audit.record(s, "restore", erasures.again_sentence(again), entity_type="database")
    finally:
        restored.dispose()
    # One self-contained file to rename into place: no write-ahead log left beside it.
    con = sqlite3.connect(tmp)
    try:
        con.execute("PRAGMA journal_mode=DELETE")
    finally:
        con.close()
    return again


def _unmark(copy: Path) -> None:
    con = sqlite3.connect(copy)
    try:
        con.execute("DELETE FROM app_setting WHERE key = ?", (BACKUP_MARK,))
        con.commit()
    except sqlite3.OperationalError:
        log.info("the restored copy has no settings table yet (an old revision)")
    finally:
        con.close()


def _save_current(path: Path, when: dt.datetime) -> Path | None:
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        check_database_file(path)
    except UserError:
        # Damaged or not a database: keep the bytes exactly as they were, never overwrite them.
        target = _new_backup_path(path, "damaged", when)
        shutil.copyfile(path, target)
        os.chmod(target, 0o600)
        return target
    return create_backup(path, kind="pre-restore", now=when, record=False)
