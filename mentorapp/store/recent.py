"""The database used last, so that the window (and the command line) reopen it.

One order for the window and the command line picks the database
(:func:`database_value`): ``--db``, then ``MENTORAPP_DB``, then the database
the window opened last, then the default file in the data folder. The last one
is kept in a small file in the data folder, written by the window whenever it
opens a database; a URL is kept without its password (the server asks again,
or reads it from its own password file), and a file that has since gone is
forgotten rather than created anew, empty.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path

from mentorapp.store.paths import ENV_VAR, data_dir, default_db_path, make_private_dir

log = logging.getLogger(__name__)

RECENT_FILE_NAME = "last-database.json"


def recent_file() -> Path:
    return data_dir() / RECENT_FILE_NAME


def without_password(value: str) -> str:
    """``value`` as it may be written down: a file as its full path, a URL without its password."""
    if "://" not in value:
        return str(Path(value).expanduser().resolve())
    from sqlalchemy.engine import URL, make_url  # only when a URL is remembered: start-up stays light

    url = make_url(value)
    if url.password is not None:
        url = URL.create(
            url.drivername, url.username, None, url.host, url.port, url.database, url.query
        )  # set(password=None) would keep it: None there means "unchanged"
    return url.render_as_string(hide_password=False)


def remember(value: str) -> None:
    """Record ``value`` (a path or URL the window opened) as the database used last."""
    target = recent_file()
    make_private_dir(target.parent)
    temporary = target.with_name(target.name + ".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump({"database": without_password(value)}, fh)
    os.replace(temporary, target)


def last_used() -> str | None:
    """The database the window opened last, or None (never recorded, unreadable, or a file that is gone)."""
    target = recent_file()
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("the record of the last database could not be read (%s); using the default", type(exc).__name__)
        return None
    value = data.get("database") if isinstance(data, dict) else None
    if not isinstance(value, str) or not value:
        return None
    if "://" not in value and not Path(value).is_file():
        log.info("the database used last is no longer there; using the default")
        return None
    return value


def database_value(db: str | os.PathLike[str] | None = None) -> str:
    """The database to open: ``db`` (``--db``), else ``MENTORAPP_DB``, else the last used, else the default file."""
    if db:
        return str(db)
    return os.environ.get(ENV_VAR) or last_used() or str(default_db_path())
