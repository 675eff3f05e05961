"""Not checking a database file again that nobody changed since mentorapp last closed it cleanly.

The damage check at start-up (:func:`mentorapp.store.backup_check.diagnose`: a private
copy and ``PRAGMA integrity_check``) takes time in proportion to the whole file, so a
society's ten years of cohorts made every command wait most of a second for it. A
command that opened the file (checked, under its lock) and closed it cleanly records
the file's fingerprint: size, modification time to the nanosecond, inode, the SQLite
header (its change counter moves with every write) and the write-ahead log's size.
The next open skips the check only when all of these are still the same; any write
since (by anyone), a command killed before it closed, or a file put in its place
gives another fingerprint, and the full check runs. The fingerprints live in the
application's data folder, one small file, never beside the database.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from pathlib import Path

from mentorapp.store.paths import data_dir, make_private_dir

log = logging.getLogger(__name__)

FILE_NAME = "checked-databases.json"
KEEP = 20  # fingerprints kept (the most recent databases)


def _store() -> Path:
    return data_dir() / FILE_NAME


def fingerprint(path: Path) -> str | None:
    """What identifies this exact state of the file (None when it cannot be read)."""
    try:
        st = os.stat(path)
        with open(path, "rb") as fh:
            header = fh.read(100)
        wal = Path(f"{path}-wal")
        wal_size = wal.stat().st_size if wal.exists() else -1
    except OSError:
        return None
    parts = (st.st_size, st.st_mtime_ns, st.st_ino, header.hex(), wal_size)
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def _read() -> dict[str, str]:
    try:
        data = json.loads(_store().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def unchanged_since_closed(path: Path) -> bool:
    """True when the file is exactly as a clean close left it (the damage check may be skipped)."""
    known = _read().get(str(Path(path).resolve()))
    return known is not None and known == fingerprint(Path(path))


def remember_closed(path: Path) -> None:
    """Record the file's state after a clean close; a failure only means the next open checks it."""
    key, now = str(Path(path).resolve()), fingerprint(Path(path))
    if now is None:
        return
    data = _read()
    data.pop(key, None)
    data[key] = now
    data = dict(list(data.items())[-KEEP:])
    target = _store()
    try:
        make_private_dir(target.parent)
        temporary = target.with_name(target.name + f".{os.getpid()}.tmp")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        os.replace(temporary, target)
    except OSError as exc:  # the next open runs the full check: nothing is lost
        log.warning("the state of the database file could not be recorded: %s", exc)
