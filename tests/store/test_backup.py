"""Backups: consistent, private, rotated, taken before migrations; restores check before replacing."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from mentorapp.demo.cohort import create_demo
from mentorapp.errors import UserError
from mentorapp.store import backup
from mentorapp.store.db import current_revision, head_revision, make_engine, open_database, resolve_url, upgrade
from mentorapp.store.models import AuditEvent, Cohort, Participant

pytestmark = pytest.mark.sqlite_only


def _count(db, model) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_backup_is_consistent_private_and_audited(demo_db):
    path = backup.create_backup(demo_db)
    assert path.parent == demo_db.path.parent / "backups"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    con = sqlite3.connect(path)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM participant").fetchone()[0] == 40
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    finally:
        con.close()
    assert not Path(f"{path}-wal").exists()
    with demo_db.session() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last.action == "backup" and path.name in last.description


def test_backup_to_chosen_file_and_refuses_the_database_itself(demo_db, tmp_path):
    out = tmp_path / "elsewhere" / "copy.db"
    assert backup.create_backup(demo_db, out) == out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    backup.check_database_file(out)
    with pytest.raises(UserError, match="over the database itself"):
        backup.create_backup(demo_db, demo_db.path)


def test_backup_sees_committed_data_while_another_connection_writes(demo_db):
    # A reader mid-transaction elsewhere does not stop a consistent copy.
    with demo_db.engine.connect() as conn:
        conn.execute(text("BEGIN"))
        conn.execute(text("UPDATE person SET first_name = 'Uncommitted' WHERE id = 1"))
        path = backup.create_backup(demo_db.path)
        conn.rollback()
    con = sqlite3.connect(path)
    assert con.execute("SELECT first_name FROM person WHERE id = 1").fetchone()[0] != "Uncommitted"
    con.close()


def test_daily_backup_at_most_once_a_day(demo_db):
    day1 = dt.datetime(2026, 3, 2, 9, 0)
    first = backup.backup_if_due(demo_db, now=day1)
    assert first is not None and first.name.endswith("-daily.db")
    assert backup.backup_if_due(demo_db, now=day1 + dt.timedelta(hours=5)) is None
    assert backup.backup_if_due(demo_db, now=day1 + dt.timedelta(days=1)) is not None
    assert len(backup.list_backups(demo_db)) == 2


def test_no_startup_backup_of_an_empty_new_database(db):
    assert backup.backup_if_due(db) is None
    assert backup.list_backups(db) == []


def _fake_backup(db_path: Path, kind: str, when: dt.datetime) -> Path:
    """A file named as a backup (rotation only reads names), without the cost of a real copy."""
    path = backup._new_backup_path(db_path, kind, when)
    path.write_bytes(b"")
    return path


def test_rotation_keeps_ten_days_and_one_per_month_for_a_year(demo_db):
    start = dt.datetime(2025, 1, 1, 8, 0)
    for n in range(500):  # a daily backup every day for 500 days, some days twice
        when = start + dt.timedelta(days=n)
        _fake_backup(demo_db.path, "daily", when)
        if n % 7 == 0:
            _fake_backup(demo_db.path, "daily", when + dt.timedelta(hours=3))
        backup.rotate(demo_db.path, now=when)
    manual = _fake_backup(demo_db.path, "manual", start)
    # A real daily backup rotates the folder by itself.
    last = start + dt.timedelta(days=500)
    real = backup.create_backup(demo_db.path, kind="daily", now=last, record=False)
    kept = backup.list_backups(demo_db.path)
    daily = [b for b in kept if b.kind == "daily"]
    assert real in [b.path for b in daily]
    days = sorted({b.taken_at.date() for b in daily}, reverse=True)
    # The last ten days, one file each.
    assert days[:10] == [(last - dt.timedelta(days=i)).date() for i in range(10)]
    assert len({b.taken_at.date() for b in daily}) == len(daily)
    # Older ones: at most one per month, none older than a year.
    older = [b for b in daily if b.taken_at.date() < days[9]]
    months = [(b.taken_at.year, b.taken_at.month) for b in older]
    assert len(months) == len(set(months))
    assert all(b.taken_at >= last - dt.timedelta(days=366) for b in daily)
    assert len({(b.taken_at.year, b.taken_at.month) for b in daily}) == 12
    assert manual in [b.path for b in kept]  # asked-for backups are never rotated away


def test_restore_replaces_after_saving_current(demo_db):
    saved = backup.create_backup(demo_db)
    with demo_db.transaction() as s:
        s.execute(text("DELETE FROM participant"))
    assert _count(demo_db, Participant) == 0
    result = backup.restore_backup(demo_db, saved)
    db = open_database(demo_db.path)
    try:
        assert _count(db, Participant) == 40
        with db.session() as s:
            assert s.scalars(select(AuditEvent.action).order_by(AuditEvent.id.desc())).first() == "restore"
    finally:
        db.dispose()
    assert result.previous is not None and result.previous.name.endswith("-pre-restore.db")
    con = sqlite3.connect(result.previous)
    assert con.execute("SELECT count(*) FROM participant").fetchone()[0] == 0
    con.close()
    assert stat.S_IMODE(os.stat(demo_db.path).st_mode) == 0o600


def test_restore_of_older_version_is_migrated(tmp_path):
    old = tmp_path / "old.db"
    engine = make_engine(resolve_url(str(old)))
    upgrade(engine, "0001")
    engine.dispose()
    target = tmp_path / "live.db"
    open_database(target).dispose()
    backup.restore_backup(target, old)
    db = open_database(target)
    assert current_revision(db.engine) == head_revision()
    db.dispose()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "not a database file"),
        (b"name,email\nAnn,ann@example.org\n", "not a database file"),
        (b"SQLite format 3\x00" + b"\x00" * 84, "not a database|damaged"),
        (b"SQLite format 3\x00" + b"\xff" * 5000, "damaged|cannot"),
    ],
)
def test_restore_refuses_files_that_are_not_databases(demo_db, tmp_path, content, message):
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    before = demo_db.path.read_bytes()
    with pytest.raises(UserError, match=message):
        backup.restore_backup(demo_db.path, bad)
    assert demo_db.path.read_bytes() == before
    assert backup.list_backups(demo_db.path) == []


def test_restore_refuses_other_sqlite_databases_and_newer_versions(demo_db, tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE notes (x)")
    con.commit()
    con.close()
    with pytest.raises(UserError, match="not a mentorapp database"):
        backup.restore_backup(demo_db.path, other)
    newer = backup.create_backup(demo_db, tmp_path / "newer.db")
    con = sqlite3.connect(newer)
    con.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    con.commit()
    con.close()
    with pytest.raises(UserError, match="newer version of mentorapp"):
        backup.restore_backup(demo_db.path, newer)


def test_restore_refuses_a_damaged_backup(demo_db, tmp_path):
    copy = backup.create_backup(demo_db, tmp_path / "copy.db")
    data = bytearray(copy.read_bytes())
    page = 4096
    # Wreck the second page (a table's b-tree page) but keep the header intact.
    data[page + 8 : page * 2] = b"\x07" * (page - 8)
    copy.write_bytes(bytes(data))
    with pytest.raises(UserError, match=r"damaged|cannot"):
        backup.restore_backup(demo_db.path, copy)
    assert _count(demo_db, Cohort) == 1


def test_damaged_database_is_moved_aside_not_overwritten_by_restore(tmp_path):
    live = tmp_path / "live.db"
    db = open_database(live)
    with db.transaction() as s:
        create_demo(s)
    good = backup.create_backup(db)
    db.dispose()
    live.write_bytes(b"garbage that used to be a database")
    assert "cannot be used" in backup.diagnose(live)
    assert backup.newest_backup(live).path == good
    result = backup.restore_backup(live, good)
    assert result.previous.name.endswith("-damaged.db")
    assert result.previous.read_bytes() == b"garbage that used to be a database"
    assert backup.diagnose(live) is None


def test_diagnose_new_and_healthy_files(tmp_path, demo_db):
    assert backup.diagnose(tmp_path / "missing.db") is None
    assert backup.diagnose(demo_db.path) is None


def test_postgres_database_cannot_use_file_backups():
    from mentorapp.store.db import Database

    fake = Database.__new__(Database)
    fake.url = "postgresql+psycopg://u@localhost/x"
    with pytest.raises(UserError, match="pg_dump"):
        backup.create_backup(fake)


def test_restore_refuses_a_backup_sqlite_can_read_but_not_write(demo_db, tmp_path):
    copy = backup.create_backup(demo_db, tmp_path / "copy.db")
    data = bytearray(copy.read_bytes())
    data[18] = 3  # the file-format write version of a SQLite this one does not know
    copy.write_bytes(bytes(data))
    before = demo_db.path.read_bytes()
    with pytest.raises(UserError, match="can be read but not written"):
        backup.restore_backup(demo_db.path, copy)
    assert demo_db.path.read_bytes() == before


def test_a_device_or_a_folder_is_named_for_what_it_is(tmp_path):
    """'/dev/null is a folder, not a database file.'"""
    from mentorapp.errors import UserError
    from mentorapp.store.backup_check import check_header

    with pytest.raises(UserError, match="is a folder, not a database file"):
        check_header(tmp_path)
    if Path("/dev/null").exists():
        with pytest.raises(UserError, match="/dev/null is a device or special file, not a database file"):
            check_header(Path("/dev/null"))
