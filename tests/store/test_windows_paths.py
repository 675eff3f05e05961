"""Locking, the user's name, private files and the data folder as they run on Windows (and macOS), run here.

The POSIX calls Windows lacks are removed (``fcntl``, ``os.kill``, ``os.fchmod``, ``os.getuid``), and
two Windows behaviours the code relies on are reproduced on this system's calls: ``msvcrt.locking``
(a lock per open handle on bytes from the file position, refused with OSError while another handle
holds them), over Linux's open-file-description locks; and the refusal to remove a file that is open.
"""

from __future__ import annotations

import errno
import json
import os
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import platformdirs
import pytest

from mentorapp.store import audit, erasures, locking, paths

pytestmark = pytest.mark.sqlite_only
fcntl = pytest.importorskip("fcntl")
if not hasattr(fcntl, "F_OFD_SETLK"):
    pytest.skip("needs Linux's open-file-description locks to reproduce msvcrt.locking", allow_module_level=True)


class Msvcrt:
    """``msvcrt.locking`` as Windows has it: non-blocking, per open handle, ``nbytes`` from the file position."""

    LK_UNLCK = 0
    LK_NBLCK = 2

    def __init__(self) -> None:
        self.locked_at: list[tuple[int, int]] = []  # (offset locked, the file's size then)

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        offset = os.lseek(fd, 0, os.SEEK_CUR)
        kind = fcntl.F_UNLCK if mode == self.LK_UNLCK else fcntl.F_WRLCK
        # struct flock: l_type, l_whence, l_start, l_len, l_pid (0 for these locks)
        fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack("hhqqi4x", kind, os.SEEK_SET, offset, nbytes, 0))
        if mode != self.LK_UNLCK:
            self.locked_at.append((offset, os.fstat(fd).st_size))


class OpenFiles:
    """Windows refuses to remove a file that any handle has open; this keeps count of the lock files' handles."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.open: dict[int, str] = {}
        real_open, real_close, real_unlink = os.open, os.close, os.unlink

        def tracked_open(path, flags, mode=0o777, **kw):
            fd = real_open(path, flags, mode, **kw)
            if str(path).endswith(".lock"):
                self.open[fd] = os.path.abspath(path)
            return fd

        def tracked_close(fd):
            self.open.pop(fd, None)
            real_close(fd)

        def windows_unlink(path, **kw):
            if os.path.abspath(path) in self.open.values():
                raise PermissionError(errno.EACCES, "The process cannot access the file", str(path))
            real_unlink(path, **kw)

        monkeypatch.setattr(os, "open", tracked_open)
        monkeypatch.setattr(os, "close", tracked_close)
        monkeypatch.setattr(os, "unlink", windows_unlink)


def _never_signal(*args: object) -> None:
    raise AssertionError(f"os.kill{args}: on Windows this ends the other process")


@pytest.fixture
def windows(monkeypatch):
    """This process as Windows sees it: msvcrt locks, no fcntl, kill, fchmod or getuid, USERNAME not USER."""
    stand_in = Msvcrt()
    monkeypatch.setattr(locking, "fcntl", None)
    monkeypatch.setattr(locking, "msvcrt", stand_in)
    monkeypatch.setattr(os, "kill", _never_signal)
    monkeypatch.delattr(os, "fchmod")
    monkeypatch.delattr(os, "getuid")
    for name in ("LOGNAME", "USER", "LNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("USERNAME", "r.okafor")
    stand_in.files = OpenFiles(monkeypatch)
    return stand_in


def _live_process() -> subprocess.Popen:
    """A process that runs until its input is closed (ended without a signal: os.kill is gone here)."""
    return subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)


def _end(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    proc.wait(timeout=30)


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def _write_lock(db: Path, pid: int, user: str = "s.lindqvist") -> None:
    info = {"pid": pid, "host": socket.gethostname(), "user": user, "since": "2026-10-05T08:30:00"}
    locking.lock_path(db).write_text(json.dumps(info))


def test_the_lock_is_on_a_byte_past_the_holders_name_which_others_can_read(tmp_path, windows):
    db = tmp_path / "scheme.db"
    with locking.acquire(db) as lock:
        ((offset, size_then),) = windows.locked_at
        assert offset == locking.LOCK_OFFSET and offset >= size_then
        assert lock.path.stat().st_size < offset  # the name written is before the locked byte
        with pytest.raises(locking.DatabaseLockedError, match=r"by r\.okafor on .* \(process \d+\)"):
            locking.acquire(db)  # another handle: refused, and told who holds it from the file
        assert locking.read_lock(db).user == "r.okafor"
    assert not lock.path.exists()  # nobody else had it open: removed once closed
    locking.acquire(db).release()


def test_release_never_removes_a_lock_file_someone_has_open(tmp_path, windows):
    db = tmp_path / "scheme.db"
    lock = locking.acquire(db)
    reader = os.open(lock.path, os.O_RDONLY)  # another mentorapp, about to read or lock it
    try:
        lock.release()
        assert lock.path.exists() and lock.path.read_bytes() == b""  # Windows refused; our name is gone
        assert locking.read_lock(db) is None
        with locking.acquire(db) as second:
            assert json.loads(second.path.read_text())["pid"] == os.getpid()
    finally:
        os.close(reader)


def test_a_lock_file_nobody_holds_is_taken_over_whoever_it_names(tmp_path, windows):
    """Windows drops a dead holder's lock, so a name with no lock behind it is a crash's left-over."""
    db = tmp_path / "scheme.db"
    other = _live_process()
    try:
        _write_lock(db, other.pid)
        with locking.acquire(db) as lock:
            assert json.loads(lock.path.read_text())["user"] == "r.okafor"
        assert other.poll() is None  # and the process named was never touched
    finally:
        _end(other)


def test_without_any_system_lock_the_process_is_asked_about_never_signalled(tmp_path, windows, monkeypatch):
    monkeypatch.setattr(locking, "msvcrt", None)
    db = tmp_path / "scheme.db"
    other = _live_process()
    try:
        _write_lock(db, other.pid)
        assert locking.pid_alive(other.pid) and not locking.is_stale(locking.read_lock(db))
        with pytest.raises(locking.DatabaseLockedError, match=r"by s\.lindqvist"):
            locking.acquire(db)
        assert other.poll() is None
    finally:
        _end(other)
    _write_lock(db, _dead_pid())
    assert not locking.pid_alive(locking.read_lock(db).pid)
    with locking.acquire(db) as lock:
        assert json.loads(lock.path.read_text())["pid"] == os.getpid()


def test_a_zombie_holder_counts_as_ended(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    try:
        stat = Path(f"/proc/{proc.pid}/stat")
        give_up = time.monotonic() + 60  # a guard against a hang, not a measure of speed
        while stat.read_text().rsplit(")", 1)[1].split()[0] != "Z":
            assert time.monotonic() < give_up, "the child never ended"
            time.sleep(0.01)  # wait for it to end; it is not reaped until proc.wait()
        assert not locking.pid_alive(proc.pid)
    finally:
        proc.wait()


def test_the_user_is_named_without_getuid(windows, monkeypatch):
    def no_login_name() -> str:
        raise OSError("no username set in the environment")

    monkeypatch.setattr(audit.getpass, "getuser", no_login_name)
    assert audit.os_user() == "r.okafor"
    monkeypatch.delenv("USERNAME")
    assert audit.os_user() == ""


def test_the_erasure_record_is_written_without_fchmod(tmp_path, windows):
    record = tmp_path / "backups" / "erasures.json"
    erasures._write(record, [{"participant_id": 7, "created_at": "2026-09-01T10:00:00"}])
    assert json.loads(record.read_text())[0]["participant_id"] == 7
    assert record.stat().st_mode & 0o077 == 0  # private all the same (mkstemp)


def test_the_data_folder_is_the_users_own_application_data(monkeypatch, tmp_path):
    """Where the database lives on each system: per user, never a shared or program folder."""
    monkeypatch.delenv(paths.ENV_VAR, raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)  # the test session's own data folder (conftest)
    macos = pytest.importorskip("platformdirs.macos")
    monkeypatch.setattr(platformdirs, "PlatformDirs", macos.MacOS)
    assert paths.data_dir() == Path.home() / "Library" / "Application Support" / "mentorapp"

    windows_dirs = pytest.importorskip("platformdirs.windows")
    if not hasattr(windows_dirs, "get_win_folder_from_env_vars"):
        pytest.skip("this platformdirs cannot be asked for Windows folders off Windows")
    monkeypatch.setattr(windows_dirs, "_RESOLVE_WIN_FOLDER", windows_dirs.get_win_folder_from_env_vars, raising=False)
    monkeypatch.setattr(windows_dirs, "get_win_folder", windows_dirs.get_win_folder_from_env_vars)
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Users" / "r.okafor" / "AppData" / "Local"))
    monkeypatch.setattr(platformdirs, "PlatformDirs", windows_dirs.Windows)
    assert paths.data_dir() == tmp_path / "Users" / "r.okafor" / "AppData" / "Local" / "mentorapp"
    assert paths.default_db_path().parent == paths.data_dir()
