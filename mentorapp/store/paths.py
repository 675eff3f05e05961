"""Where mentorapp keeps its files: the data folder, the default database in it, ``MENTORAPP_DB``.

Kept apart from :mod:`mentorapp.store.db` (and free of SQLAlchemy) so that the log
file can be placed before the window shows, without loading the database layer.
Every folder the application creates for personal data (the data folder, a new
``--db`` parent, backups, per-person exports) is made by :func:`make_private_dir`.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "MENTORAPP_DB"
BACKUP_DIR_NAME = "backups"
PRIVATE_DIR_MODE = 0o700


def make_private_dir(folder: str | os.PathLike[str]) -> Path:
    """Create ``folder`` and any missing parents as owner-only (0700) folders, whatever the umask.

    Folders that already exist are left as they are (they are the coordinator's).
    """
    path = Path(folder).expanduser()
    missing: list[Path] = []
    walk = path
    while not walk.exists() and walk != walk.parent:
        missing.append(walk)
        walk = walk.parent
    for new in reversed(missing):
        try:
            new.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:
            if not new.is_dir():
                raise
            continue  # made by someone else meanwhile: theirs, not ours to change
        os.chmod(new, PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask; chmod is not
    if missing and not path.is_dir():
        raise NotADirectoryError(str(path))
    return path


def data_dir() -> Path:
    """The application's data folder: it holds the default database and the log file."""
    return Path(platformdirs.user_data_dir("mentorapp", appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "mentorapp.db"


def backup_dir(db_path: Path) -> Path:
    """The backups folder of a database file (it holds the erasure record too)."""
    return db_path.parent / BACKUP_DIR_NAME


def default_db_value() -> str:
    """What the database is when ``--db`` is not given: ``MENTORAPP_DB`` (a path or URL), else the default file."""
    return os.environ.get(ENV_VAR) or str(default_db_path())


def default_db_folder() -> Path:
    """The folder of the default database; the data folder when ``MENTORAPP_DB`` names a server."""
    value = default_db_value()
    if "://" in value:
        return data_dir()
    return Path(value).expanduser().resolve().parent
