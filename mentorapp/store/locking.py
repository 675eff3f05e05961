"""One writer per database file: a lock file beside the SQLite database.

``<database>.lock`` names who holds it (process id, host, user, since). The
holder also keeps the operating system's lock on it, so a crashed holder's lock
is released by the system: ``flock`` on Linux and macOS; on Windows
``msvcrt.locking`` on one byte past the file's content (Windows locks are
mandatory, so locking the content itself would stop anyone reading who holds
it). Where neither exists, a lock whose process is no longer running on this
host is recognised as stale. Whether a process is running is asked of the
system (psutil), never by sending it a signal: on Windows ``os.kill(pid, 0)``
ends the process. A second mentorapp is told who has the database open and may
open it read-only (SQLite's ``mode=ro``), which can never write to it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.exc import SQLAlchemyError

from mentorapp.dates import short_time
from mentorapp.errors import UserError
from mentorapp.store.audit import os_user
from mentorapp.store.db import Database, connect, current_revision, head_revision, resolve_url, sqlite_path
from mentorapp.store.paths import make_private_dir

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]
try:
    import msvcrt
except ImportError:  # Linux, macOS
    msvcrt = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

# Windows: the byte locked, far past the few hundred bytes of the holder's name (a lock may lie past the end).
LOCK_OFFSET = 1 << 20


@dataclass(frozen=True)
class LockInfo:
    pid: int
    host: str
    user: str
    since: str

    def describe(self) -> str:
        when = self.since
        with contextlib.suppress(ValueError):
            when = short_time(dt.datetime.fromisoformat(self.since))
        return f"by {self.user or 'someone'} on {self.host or 'another computer'} (process {self.pid}) since {when}"


class DatabaseLockedError(UserError):
    """The database is open in another mentorapp; ``info`` says where."""

    def __init__(self, path: Path, info: LockInfo | None) -> None:
        self.path = path
        self.info = info
        where = info.describe() if info else "by another mentorapp"
        super().__init__(
            f"The database {path.name} is already open {where}. Close it there, or open it read-only here."
        )


class ReadOnlyError(UserError):
    """A change was attempted on a database opened read-only."""


def lock_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


def _this_host() -> str:
    return socket.gethostname()


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this computer, asked of the system; it is never signalled."""
    if pid <= 0:
        return False
    import psutil  # imported here: only a left-over lock needs it

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE  # a zombie has ended
    except psutil.NoSuchProcess:
        return False
    except psutil.AccessDenied:
        return True  # exists, owned by someone else


def read_lock(db_path: Path) -> LockInfo | None:
    """Who the lock file names, or None when there is none or it is unreadable."""
    try:
        data = json.loads(lock_path(db_path).read_text(encoding="utf-8"))
        return LockInfo(int(data["pid"]), str(data["host"]), str(data["user"]), str(data["since"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def is_stale(info: LockInfo | None) -> bool:
    """A lock nobody can be holding: unreadable, or its process is gone from this host."""
    if info is None:
        return True
    return info.host == _this_host() and not pid_alive(info.pid)


class DatabaseLock:
    """A held lock; ``release()`` (or leaving the ``with`` block) gives it up."""

    def __init__(self, db_path: Path, fd: int) -> None:
        self.db_path = db_path
        self.path = lock_path(db_path)
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if fcntl is not None:
            # Remove the file while still holding the flock, so nobody sees our name after we leave
            # (acquire() notices a file removed under it and starts again).
            with contextlib.suppress(OSError):
                if os.fstat(fd).st_ino == os.stat(self.path).st_ino:
                    os.unlink(self.path)
            os.close(fd)
            return
        # Windows: an open file cannot be removed (ours, or another's who is about to lock it). Our
        # name is wiped while we hold the lock, closing gives the lock back, and the empty file (free to
        # take) is removed only if nobody has it open; if someone has, Windows refuses and it stays.
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)
            if msvcrt is not None:  # given back explicitly: Windows frees a closed file's locks in its own time
                os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(self.path)

    def __enter__(self) -> DatabaseLock:
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def __del__(self) -> None:
        # Reason: a lock forgotten at interpreter exit, when modules may already be torn down
        # (logging included); the operating system drops the flock with the process anyway.
        with contextlib.suppress(Exception):
            self.release()


def acquire(db: Database | Path | str, *, force: bool = False) -> DatabaseLock | None:
    """Take the lock for a SQLite database file; None for other databases.

    Raises :class:`DatabaseLockedError` when another live mentorapp holds it.
    ``force`` takes over a lock the coordinator knows to be left over (for
    instance from a computer that crashed while the file was on a shared drive).
    """
    path = db.path if isinstance(db, Database) else sqlite_path(resolve_url(db))
    if path is None:
        return None
    make_private_dir(path.parent)  # the lock may come first: the database's folder is private
    lock = lock_path(path)
    for _attempt in range(20):
        fd = os.open(lock, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
        try:
            if not _lock_file(fd):
                raise DatabaseLockedError(path, read_lock(path))
            if fcntl is not None:
                # The holder may have removed the file between our open and flock: start again.
                try:
                    if os.fstat(fd).st_ino != os.stat(lock).st_ino:
                        os.close(fd)
                        continue
                except FileNotFoundError:
                    os.close(fd)
                    continue
            info = read_lock(path)
            # Without a system lock, or for another computer on a shared drive (whose lock may not
            # reach us), the file is all we know: trust it unless its process is gone.
            untrusted_lock = not system_locks() or (info is not None and info.host != _this_host())
            if info is not None and untrusted_lock and not force and not is_stale(info):
                raise DatabaseLockedError(path, info)
            _write_info(fd)
            return DatabaseLock(path, fd)
        except BaseException:
            with contextlib.suppress(OSError):
                os.close(fd)
            raise
    raise DatabaseLockedError(path, read_lock(path))


def system_locks() -> bool:
    """Whether the operating system keeps the lock (and drops it when the holder's process ends)."""
    return fcntl is not None or msvcrt is not None


def _lock_file(fd: int) -> bool:
    """Take the system's lock on the open lock file without waiting; False when someone holds it."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    if msvcrt is not None:
        os.lseek(fd, LOCK_OFFSET, os.SEEK_SET)  # msvcrt locks from the file position
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    return True  # nothing to lock with: the file's content is all there is (see acquire)


def _write_info(fd: int) -> None:
    info = {
        "pid": os.getpid(),
        "host": _this_host(),
        "user": os_user(),
        "since": dt.datetime.now().isoformat(timespec="seconds"),
    }
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, json.dumps(info).encode("utf-8"))
    os.fsync(fd)


def open_read_only(db: str | os.PathLike[str] | None) -> Database:
    """Open a SQLite database so that nothing can be written to it.

    No migration happens (that would be a write); a database of an older
    schema must first be opened normally by the one who holds it.
    """
    path = sqlite_path(resolve_url(db))
    if path is None:
        raise UserError("Only a SQLite database file can be opened read-only.")
    if not path.is_file():
        raise UserError(f"There is no database at {path}.")
    database = connect(path, read_only=True)

    @event.listens_for(database.engine, "handle_error")
    def _explain_refused_write(context) -> None:
        # Any write is refused by SQLite; say so in the coordinator's words, not SQL.
        if "readonly database" in str(context.original_exception):
            raise ReadOnlyError(
                f"{path.name} is open read-only here (another mentorapp has it open), so changes cannot be saved."
            ) from context.original_exception

    try:
        revision = current_revision(database.engine)
    except SQLAlchemyError as exc:
        database.dispose()
        raise UserError(f"The database {path} cannot be opened read-only: {exc}.") from exc
    if revision != head_revision():
        database.dispose()
        raise UserError(
            f"The database {path.name} needs updating to this version of mentorapp, "
            "which cannot be done read-only; open it normally once it is free."
        )
    log.info("database opened read-only")
    return database
