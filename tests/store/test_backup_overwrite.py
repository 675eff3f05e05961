"""backup -o writes only to a new file or over an earlier backup of the same database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mentorapp.cli.main import main
from mentorapp.demo.cohort import create_demo
from mentorapp.store import locking
from mentorapp.store.db import open_database

pytestmark = pytest.mark.sqlite_only


def _demo(path):
    db = open_database(path)
    with db.transaction() as s:
        create_demo(s)
    db.dispose()
    return path


@pytest.fixture
def live(tmp_path):
    return _demo(tmp_path / "live.db")


def _refused(args, capsys) -> str:
    assert main(args) == 1
    err = capsys.readouterr().err.strip()
    assert "Traceback" not in err and err.count("\n") == 0
    return err


def test_new_file_then_over_its_own_earlier_backup(live, tmp_path, capsys):
    out = tmp_path / "mine.db"
    assert main(["--db", str(live), "backup", "-o", str(out)]) == 0
    assert main(["--db", str(live), "backup", "-o", str(out)]) == 0
    assert "Backup written" in capsys.readouterr().out


@pytest.mark.parametrize("content", [b"Dear coordinator", b"", b"SQLite format 3\x00" + b"\x00" * 200])
def test_any_other_file_is_left_untouched(live, tmp_path, capsys, content):
    other = tmp_path / "notes.txt"
    other.write_bytes(content)
    err = _refused(["--db", str(live), "backup", "-o", str(other)], capsys)
    assert str(other) in err and "choose another file name" in err and "not made by mentorapp" in err
    assert other.read_bytes() == content


def test_another_mentorapp_database_is_left_untouched(live, tmp_path, capsys):
    other = _demo(tmp_path / "other.db")
    before = other.read_bytes()
    err = _refused(["--db", str(live), "backup", "-o", str(other)], capsys)
    assert "another mentorapp database" in err and "choose another file name" in err
    assert other.read_bytes() == before


def test_a_backup_of_a_different_database_is_left_untouched(live, tmp_path, capsys):
    other = _demo(tmp_path / "other.db")
    theirs = tmp_path / "theirs-backup.db"
    assert main(["--db", str(other), "backup", "-o", str(theirs)]) == 0
    before = theirs.read_bytes()
    err = _refused(["--db", str(live), "backup", "-o", str(theirs)], capsys)
    assert "backup of another database" in err
    assert theirs.read_bytes() == before


def test_a_database_open_in_another_process_is_left_untouched(live, tmp_path, capsys):
    # A backup of this same database, opened as a database by another mentorapp process (its lock held).
    out = tmp_path / "mine.db"
    assert main(["--db", str(live), "backup", "-o", str(out)]) == 0
    capsys.readouterr()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from mentorapp.store import locking; lock = locking.acquire(sys.argv[1]); "
            "print('held', flush=True); sys.stdin.read()",
            str(out),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        before = out.read_bytes()
        err = _refused(["--db", str(live), "backup", "-o", str(out)], capsys)
        assert "is open by" in err and "choose another file name" in err
        assert out.read_bytes() == before
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert locking.read_lock(out) is None


def test_a_link_is_never_followed(live, tmp_path, capsys):
    precious = tmp_path / "precious.txt"
    precious.write_text("keep me")
    link = tmp_path / "link.db"
    os.symlink(precious, link)
    err = _refused(["--db", str(live), "backup", "-o", str(link)], capsys)
    assert "is a link" in err
    dangling = tmp_path / "dangling.db"
    os.symlink(tmp_path / "nowhere" / "x.db", dangling)
    _refused(["--db", str(live), "backup", "-o", str(dangling)], capsys)
    assert precious.read_text() == "keep me" and not (tmp_path / "nowhere").exists()


def test_the_live_database_restored_from_a_backup_is_no_longer_a_backup(live, tmp_path, capsys):
    out = tmp_path / "mine.db"
    assert main(["--db", str(live), "backup", "-o", str(out)]) == 0
    assert main(["--db", str(live), "restore", str(out)]) == 0
    capsys.readouterr()
    # The restored live file is a database, not a backup: a backup of another database cannot go over it.
    other = _demo(tmp_path / "other.db")
    _refused(["--db", str(other), "backup", "-o", str(live)], capsys)


def test_a_backup_opened_as_the_database_is_no_longer_overwritten(live, tmp_path, capsys):
    out = tmp_path / "mine.db"
    assert main(["--db", str(live), "backup", "-o", str(out)]) == 0
    # Someone works in the backup file itself: from then on it is a database, not a backup.
    assert main(["--db", str(out), "participants", "--format", "json"]) == 0
    capsys.readouterr()
    before = out.read_bytes()
    err = _refused(["--db", str(live), "backup", "-o", str(out)], capsys)
    assert "another mentorapp database" in err
    assert out.read_bytes() == before
