"""Checking a database file before trusting it: for a restore, and for the damage check at start-up.

Healthy means: a SQLite file, ``integrity_check`` ok, mentorapp's tables, and a
migration level this version knows. Files are checked on a private copy and
never changed. :mod:`mentorapp.store.backup` uses these, and offers
``check_database_file`` and ``diagnose`` to the window and the workspace.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

from mentorapp.errors import UserError
from mentorapp.store.db import SQLITE_HEADER, alembic_config, head_revision

log = logging.getLogger(__name__)

# The tables every mentorapp database has had since the first revision.
REQUIRED_TABLES = frozenset({"cohort", "participant", "goal", "expertise", "match", "alembic_version"})


def check_database_file(path: Path | str) -> None:
    """Raise UserError with one sentence unless ``path`` is a healthy mentorapp database.

    Healthy means: a SQLite file, ``integrity_check`` ok, mentorapp's tables,
    and a migration level this version knows (equal to or older than its own).
    The file is opened read-only and never changed.
    """
    check_header(Path(path))
    with checked_copy(Path(path)):
        pass


def check_header(path: Path) -> None:
    if not path.exists():
        raise UserError(f"{path} does not exist.")
    if not path.is_file():
        what = "a folder" if path.is_dir() else "a device or special file"  # /dev/null is no folder
        raise UserError(f"{path} is {what}, not a database file.")
    with open(path, "rb") as fh:
        head = fh.read(100)
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        raise UserError(f"{path.name} is not a mentorapp database: it is not a database file at all.")


@contextlib.contextmanager
def checked_copy(path: Path) -> Iterator[Path]:
    """A private copy of ``path`` (with its WAL, if any) that passed every check.

    Working on a copy means the original is never written to, not even by
    SQLite replaying its write-ahead log.
    """
    with tempfile.TemporaryDirectory(prefix="mentorapp-check-") as tmpdir:
        copy = Path(tmpdir) / "check.db"
        shutil.copyfile(path, copy)
        wal = Path(f"{path}-wal")
        if wal.is_file():
            shutil.copyfile(wal, Path(f"{copy}-wal"))
        check_copy(copy, path.name)
        yield copy


def check_copy(copy: Path, shown_name: str) -> None:
    try:
        con = sqlite3.connect(copy)
    except sqlite3.Error as exc:
        raise UserError(f"{shown_name} cannot be opened as a database: {exc}.") from exc
    # A damaged file can hold any bytes where text should be: never let decoding fail.
    con.text_factory = lambda raw: raw.decode("utf-8", "replace")
    try:
        try:
            rows = con.execute("PRAGMA integrity_check").fetchall()
            tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        except (sqlite3.Error, ValueError) as exc:
            raise UserError(f"{shown_name} is damaged and cannot be read: {exc}.") from exc
        if [tuple(r) for r in rows] != [("ok",)]:
            raise UserError(f"{shown_name} is damaged: the database integrity check failed ({rows[0][0]}).")
        missing = REQUIRED_TABLES - tables
        if missing:
            raise UserError(
                f"{shown_name} is a database, but not a mentorapp database (it has no {min(missing)} table)."
            )
        try:
            revisions = [r[0] for r in con.execute("SELECT version_num FROM alembic_version")]
        except (sqlite3.Error, ValueError) as exc:
            raise UserError(f"{shown_name} is damaged: its version cannot be read ({exc}).") from exc
    finally:
        con.close()
    if len(revisions) != 1:
        raise UserError(f"{shown_name} is not a mentorapp database of a known version.")
    if not is_known_revision(revisions[0]):
        raise UserError(
            f"{shown_name} was made by a newer version of mentorapp (database version {revisions[0]!r}); "
            "update mentorapp to open it."
        )


def check_writable(copy: Path, shown_name: str) -> None:
    """Refuse a copy SQLite can read but will not write (e.g. a file-format byte from a newer SQLite)."""
    con = sqlite3.connect(copy)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise UserError(f"{shown_name} cannot be restored: it can be read but not written to ({exc}).") from exc
    finally:
        con.close()


def is_known_revision(revision: str) -> bool:
    """True when ``revision`` is this version's head or one of its ancestors."""
    if revision == head_revision():
        return True
    from alembic.script import ScriptDirectory
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    script = ScriptDirectory.from_config(alembic_config())
    try:
        return any(r.revision == revision for r in script.walk_revisions("base", head_revision()))
    except (CommandError, RevisionError):
        # Reason: our own migration scripts could not be walked; the revision is then not one we know.
        log.warning("the migration scripts could not be read to check revision %r", revision, exc_info=True)
        return False


def diagnose(db_path: Path | str) -> str | None:
    """At start-up: None when the database file is fine (or new), else one sentence saying what is wrong."""
    path = Path(db_path)
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return None
    try:
        check_database_file(path)
    except UserError as exc:
        if "newer version" in str(exc):
            return str(exc)
        return f"The database {path} cannot be used: {exc}"
    return None
