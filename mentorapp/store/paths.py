"""Where mentorapp keeps its files: the data folder, the default database in it, ``MENTORAPP_DB``.

Kept apart from :mod:`mentorapp.store.db` (and free of SQLAlchemy) so that the log
file can be placed before the window shows, without loading the database layer.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

ENV_VAR = "MENTORAPP_DB"


def data_dir() -> Path:
    """The application's data folder: it holds the default database and the log file."""
    return Path(platformdirs.user_data_dir("mentorapp", appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "mentorapp.db"


def default_db_value() -> str:
    """What the database is when ``--db`` is not given: ``MENTORAPP_DB`` (a path or URL), else the default file."""
    return os.environ.get(ENV_VAR) or str(default_db_path())


def default_db_folder() -> Path:
    """The folder of the default database; the data folder when ``MENTORAPP_DB`` names a server."""
    value = default_db_value()
    if "://" in value:
        return data_dir()
    return Path(value).expanduser().resolve().parent
