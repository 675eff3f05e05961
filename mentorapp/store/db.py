"""Engine, sessions and migrations: how mentorapp opens its database.

The embedded default is one SQLite file in the user's data directory, made
readable by its owner only. Any SQLAlchemy URL works too (PostgreSQL for a
team). Every SQLite connection gets foreign keys, secure_delete, WAL and synchronous=NORMAL.
The schema is brought to the newest Alembic revision whenever a database is
opened, so a database made by an older version opens in a newer one.

This module makes every engine (the read-only one too) and never calls back
into backups: :mod:`mentorapp.store.workspace` is the one way the application
opens a database, with the damage check, the lock and the backups around it;
:func:`open_database` alone (engine and migration, no backup) is for tools and tests.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from mentorapp.errors import ConflictError, UsageError, UserError
from mentorapp.store.paths import make_private_dir
from mentorapp.store.recent import database_value

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

# Alembic's environment and revisions: package data, found through the package as the fonts are. A wheel,
# an editable install and the one-folder bundle all keep them as files, which Alembic needs.
MIGRATIONS_DIR = Path(str(files("mentorapp.store").joinpath("migrations")))
# Crash tests (tests/store/test_crash_safety.py) name a point where the process dies: "NAME", or
# "NAME:N" for the N-th time it is reached. Read only when set; never set outside tests.
CRASH_ENV = "MENTORAPP_CRASH_AT"
CRASH_EXIT = 86
_crash_counts: dict[str, int] = {}

# The newest migration in MIGRATIONS_DIR (tests/store/test_db.py checks it is Alembic's head).
# Kept here so that opening an up-to-date database never has to import Alembic: start-up speed.
SCHEMA_REVISION = "0006"


def crash_point(name: str) -> None:
    """End the process on the spot (no clean-up, as a power cut would) when a crash test names this point."""
    wanted = os.environ.get(CRASH_ENV)
    if not wanted:
        return
    point, _, nth = wanted.partition(":")
    if point != name:
        return
    _crash_counts[name] = _crash_counts.get(name, 0) + 1
    if _crash_counts[name] >= int(nth or 1):
        os._exit(CRASH_EXIT)


SUPPORTED_DATABASES = (
    "mentorapp works with SQLite files and PostgreSQL URLs (postgresql+psycopg://user@host/name) only."
)


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """Turn ``--db`` (a path or a URL), ``MENTORAPP_DB``, the last used or the default into a URL."""
    value = database_value(db)  # the one order, for the window and the command line (store/recent.py)
    if "://" in value:
        # A --db (or MENTORAPP_DB) that mentorapp cannot use is a wrong way of calling it: exit 2.
        try:
            parsed = make_url(value)
        except ArgumentError as exc:
            raise UsageError(f"'{value}' is not a valid database URL; {SUPPORTED_DATABASES}") from exc
        if parsed.get_backend_name() not in ("sqlite", "postgresql"):
            shown = parsed.render_as_string(hide_password=True)
            raise UsageError(f"{shown} cannot be used: {SUPPORTED_DATABASES}")
        return value
    return "sqlite:///" + str(Path(value).expanduser().resolve())


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL, or None for other databases and memory."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


SQLITE_HEADER = b"SQLite format 3\x00"


def is_sqlite_file(path: Path) -> bool:
    """True for an empty file or one that starts with SQLite's header."""
    with open(path, "rb") as fh:
        head = fh.read(16)
    return head == b"" or head == SQLITE_HEADER


def _create_private_file(path: Path) -> None:
    """Create the database file with mode 0600 before SQLite opens it.

    An existing SQLite database is tightened to 0600 too; any other file is
    left exactly as it is (and SQLite will refuse it as not a database).
    """
    make_private_dir(path.parent)  # a folder we create is private too
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
    if is_sqlite_file(path) and stat.S_IMODE(path.stat().st_mode) != 0o600:
        os.chmod(path, 0o600)


def set_sqlite_pragmas(dbapi_connection, _record=None) -> None:
    """The pragmas of every writing connection (the import benchmark's floor sets the same ones)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted content is overwritten with zeros, so an erased person leaves nothing in free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def checkpoint(engine: Engine) -> None:
    """Move a SQLite database's write-ahead log into the file and empty it (after an erase: no old copy stays).

    A no-op for other databases; when a reader keeps the log busy, it is emptied
    by SQLite's next checkpoint (the erased values are already zeroed in the file's free pages).
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
    if busy and busy[0]:
        log.info("the write-ahead log could not be emptied now (a reader has it open)")


def make_engine(url: str) -> Engine:
    path = sqlite_path(url)
    if path is not None:
        if path.exists() and path.is_dir():
            raise UserError(f"The database path {path} is a folder, not a file.")
        _create_private_file(path)
    try:
        engine = create_engine(url, future=True)
    except (ImportError, NoSuchModuleError) as exc:  # a driver mentorapp does not ship ('postgresql+pg8000')
        shown = make_url(url).render_as_string(hide_password=True)
        raise UsageError(f"{shown} needs a database driver mentorapp does not have; {SUPPORTED_DATABASES}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", set_sqlite_pragmas)
    return engine


def make_read_only_engine(url: str) -> Engine:
    """An engine on an existing SQLite file that can never write to it (``mode=ro``, ``query_only``)."""
    path = sqlite_path(url)
    if path is None:
        raise UserError("Only a SQLite database file can be opened read-only.")
    uri = f"{path.resolve().as_uri()}?mode=ro"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    engine = create_engine(url, creator=connect)
    event.listen(engine, "connect", _set_read_only_pragmas)
    return engine


def _set_read_only_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA query_only=ON")
    cursor.close()


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    return cfg


def head_revision() -> str:
    return SCHEMA_REVISION


def current_revision(engine: Engine) -> str | None:
    """The revision the database is stamped with (None for a new database), read as Alembic keeps it."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to ``revision``; a new database is created and stamped."""
    from alembic import command

    cfg = alembic_config(engine)
    if engine.dialect.name != "sqlite":
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
        return
    # SQLite changes a table's shape by copying it and dropping the old one. With foreign keys on,
    # that drop would cascade-delete every row that points at the table, so they are switched off
    # (possible only outside a transaction), every step runs in one explicit transaction, and the
    # references are checked before it commits: the upgrade completes or leaves the file as it was.
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert isinstance(raw, sqlite3.Connection)
        saved = raw.isolation_level
        raw.isolation_level = None  # the driver's own implicit transactions off: ours is explicit
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").first()
                if broken is not None:
                    raise DatabaseError("PRAGMA foreign_key_check", None, Exception(f"broken reference in {broken[0]}"))
                conn.commit()
                raw.commit()
            except BaseException:
                conn.rollback()
                if raw.in_transaction:
                    raw.rollback()
                raise
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            raw.isolation_level = saved


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision()


def has_tables(engine: Engine) -> bool:
    return bool(inspect(engine).get_table_names())


@dataclass
class Database:
    """An open database: the engine and a session factory for units of work."""

    url: str
    engine: Engine
    Session: sessionmaker[Session]

    @property
    def path(self) -> Path | None:
        return sqlite_path(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error.

        Two writers changing the same rows at once (PostgreSQL) end in the
        sentence of a stale edit (:class:`ConflictError`), never in SQL.
        """
        try:
            with self.Session.begin() as session:
                yield session
                if CRASH_ENV in os.environ:  # a crash test: all of it written to the file, not yet committed
                    session.flush()
                    crash_point("before-commit")
        except (SQLAlchemyError, StaleDataError) as exc:
            if is_write_conflict(exc):
                constraint = getattr(getattr(getattr(exc, "orig", None), "diag", None), "constraint_name", None)
                log.warning("a write conflicted with another writer: %s %s", type(exc).__name__, constraint or "")
                raise ConflictError(CONFLICT_SENTENCE) from exc
            raise
        crash_point("after-commit")

    def session(self) -> Session:
        """A session for reading; callers use it as a context manager."""
        return self.Session()

    def dispose(self) -> None:
        self.engine.dispose()


CONFLICT_SENTENCE = "This was changed by someone else at the same moment, so nothing was saved; reload and try again."
# PostgreSQL's codes for a unique key taken meanwhile, a serialization failure and a deadlock.
_CONFLICT_CODES = {"23505", "40001", "40P01"}


def is_write_conflict(exc: BaseException) -> bool:
    """True when ``exc`` (or what it came from) is another writer's change winning the race.

    A stale version (optimistic locking), a duplicate key or a serialization
    failure on a server database; a session left unusable by one of those too.
    Integrity errors on SQLite are not conflicts: one writer holds the file.
    """
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, StaleDataError):
            return True
        code = getattr(getattr(current, "orig", None), "sqlstate", None) or getattr(current, "sqlstate", None)
        if code in _CONFLICT_CODES:
            return True
        current = current.__cause__ or current.__context__
    return False


def connect(db: str | os.PathLike[str] | None = None, *, read_only: bool = False) -> Database:
    """The engine and sessions for a database, not migrated; created if needed unless ``read_only``."""
    url = resolve_url(db)
    engine = make_read_only_engine(url) if read_only else make_engine(url)
    return Database(url, engine, sessionmaker(engine, expire_on_commit=False))


def migrate(database: Database) -> None:
    """Bring an open database to the newest schema; one sentence (UserError) if it cannot be read."""
    try:
        revision = current_revision(database.engine)
        if revision != head_revision():
            log.info("migrating the database from revision %s to %s", revision, head_revision())
            upgrade(database.engine)
    except DatabaseError as exc:
        database.dispose()
        raise cannot_open(database.url, exc) from exc


def cannot_open(url: str, exc: BaseException) -> UserError:
    """The one sentence for a database that SQL cannot read."""
    where = sqlite_path(url) or make_url(url).render_as_string(hide_password=True)
    return UserError(f"The database {where} cannot be opened: {_first_line(exc)}.")


def open_database(db: str | os.PathLike[str] | None = None) -> Database:
    """Open (creating if needed) a database and migrate it to the newest schema.

    No damage check, lock or backup: the application opens databases through
    :func:`mentorapp.store.workspace.open_workspace`; this is for tools and tests.
    """
    database = connect(db)
    migrate(database)
    return database


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0].rstrip(".") if str(orig).strip() else type(orig).__name__
