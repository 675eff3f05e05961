"""One writer per file: the lock file, stale locks, and opening read-only."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from mentorapp.store import locking
from mentorapp.store.audit import os_user
from mentorapp.store.db import open_database
from mentorapp.store.models import Participant

pytestmark = pytest.mark.sqlite_only
ROOT = Path(__file__).resolve().parents[2]


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_lock_names_the_holder_and_a_second_opener_is_told(tmp_path):
    path = tmp_path / "m.db"
    with locking.acquire(path) as lock:
        data = json.loads(lock.path.read_text())
        assert data["pid"] == os.getpid()
        assert data["host"] == socket.gethostname()
        assert data["user"] == os_user()
        with pytest.raises(locking.DatabaseLockedError) as caught:
            locking.acquire(path)
        message = str(caught.value)
        assert "already open" in message and "read-only" in message and os_user() in message
        assert caught.value.info.pid == os.getpid()
    assert not locking.lock_path(path).exists()
    locking.acquire(path).release()


def test_lock_file_is_private(tmp_path):
    with locking.acquire(tmp_path / "m.db") as lock:
        assert lock.path.stat().st_mode & 0o077 == 0


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    path = tmp_path / "m.db"
    info = {"pid": _dead_pid(), "host": socket.gethostname(), "user": "someone", "since": "2026-01-01T09:00:00"}
    locking.lock_path(path).write_text(json.dumps(info))
    assert locking.is_stale(locking.read_lock(path))
    with locking.acquire(path) as lock:
        assert json.loads(lock.path.read_text())["pid"] == os.getpid()


def test_garbage_lock_file_is_stale(tmp_path, monkeypatch):
    """A lock file left half-written by a crash never keeps the coordinator out, even where only the file counts."""
    path = tmp_path / "m.db"
    # Without flock (Windows, or a shared drive): the file's contents are all there is to go by.
    monkeypatch.setattr(locking, "fcntl", None)
    live = {"pid": os.getpid(), "host": socket.gethostname(), "user": "jo", "since": "2026-11-20T10:15:00"}
    locking.lock_path(path).write_text(json.dumps(live))
    with pytest.raises(locking.DatabaseLockedError, match="by jo"):
        locking.acquire(path)  # a readable lock of a live process is respected...
    locking.lock_path(path).write_bytes(b"\x00\xff half written")
    assert locking.read_lock(path) is None and locking.is_stale(None)
    with locking.acquire(path) as lock:  # ...a garbage one is not, and is replaced by ours
        assert json.loads(lock.path.read_text())["pid"] == os.getpid()


def test_lock_from_another_computer_is_respected_unless_forced(tmp_path):
    path = tmp_path / "m.db"
    info = {"pid": 4242, "host": "coordinator-laptop-2", "user": "jo", "since": "2026-11-20T10:15:00"}
    locking.lock_path(path).write_text(json.dumps(info))
    with pytest.raises(locking.DatabaseLockedError, match=r"by jo on coordinator-laptop-2 .*20 Nov 2026 10:15"):
        locking.acquire(path)
    with locking.acquire(path, force=True) as lock:
        assert json.loads(lock.path.read_text())["host"] == socket.gethostname()


def test_lock_held_by_another_process_is_freed_when_it_is_killed(tmp_path):
    path = tmp_path / "m.db"
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from mentorapp.store import locking
        lock = locking.acquire({str(path)!r})
        print("locked", flush=True)
        time.sleep(60)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        with pytest.raises(locking.DatabaseLockedError) as caught:
            locking.acquire(path)
        assert caught.value.info.pid == proc.pid
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    # The process died without releasing: its lock file is still there, but stale.
    assert locking.read_lock(path).pid == proc.pid
    with locking.acquire(path):
        pass


def test_read_only_open_reads_but_never_writes(demo_db):
    path = demo_db.path
    demo_db.dispose()
    writer = open_database(path)  # someone else has it open and writes
    with writer.transaction() as s:
        s.execute(text("UPDATE participant SET notes = 'from the writer' WHERE id = 1"))
    ro = locking.open_read_only(path)
    try:
        with ro.session() as s:
            assert s.scalar(select(func.count()).select_from(Participant)) == 40
            assert s.get(Participant, 1).notes == "from the writer"
        with pytest.raises(locking.ReadOnlyError, match=r"is open read-only here"), ro.transaction() as s:
            s.execute(text("UPDATE participant SET notes = 'sneaky' WHERE id = 1"))
        with writer.transaction() as s:
            s.execute(text("UPDATE participant SET notes = 'second write' WHERE id = 1"))
        with ro.session() as s:
            assert s.get(Participant, 1).notes == "second write"
    finally:
        ro.dispose()
        writer.dispose()
    check = open_database(path)
    with check.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    check.dispose()


def test_read_only_needs_an_existing_current_database(tmp_path):
    from mentorapp.errors import UserError

    with pytest.raises(UserError, match="no database"):
        locking.open_read_only(tmp_path / "missing.db")
