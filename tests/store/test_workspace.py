"""The one way to open a database (mentorapp.store.workspace), for the command line as for the window."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from mentorapp.cli.main import main
from mentorapp.demo.cohort import create_demo
from mentorapp.store import backup, locking
from mentorapp.store.db import current_revision, head_revision, make_engine, open_database, resolve_url, upgrade
from mentorapp.store.workspace import DamagedDatabaseError, open_workspace

pytestmark = pytest.mark.sqlite_only
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo_file(tmp_path) -> Path:
    path = tmp_path / "live.db"
    db = open_database(path)
    with db.transaction() as s:
        create_demo(s)
    db.dispose()
    return path


def _kinds(path: Path) -> list[str]:
    return [b.kind for b in backup.list_backups(path)]


def test_a_command_takes_the_daily_backup_once_a_day(demo_file, capsys):
    assert _kinds(demo_file) == []
    assert main(["--db", str(demo_file), "cohorts"]) == 0
    assert _kinds(demo_file) == ["daily"]
    assert main(["--db", str(demo_file), "cohorts"]) == 0
    assert _kinds(demo_file) == ["daily"]  # not a second one the same day
    assert "Future Leaders pilot" in capsys.readouterr().out


def test_a_command_refuses_a_damaged_database_naming_the_newest_backup(demo_file, capsys):
    db = open_database(demo_file)
    newest = backup.create_backup(db, kind="manual")
    db.dispose()
    demo_file.write_bytes(b"PK\x03\x04 a zip file saved over the database")
    assert main(["--db", str(demo_file), "cohorts"]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert captured.out == ""
    assert "\n" not in err and err.endswith(".")
    assert "cannot be used" in err and "left untouched" in err
    assert str(newest) in err and f"restore {newest}" in err
    # Nothing was changed: not the file, not the backups folder.
    assert demo_file.read_bytes().startswith(b"PK\x03\x04")
    assert _kinds(demo_file) == ["manual"]
    # The restore the sentence names works, and the next command runs.
    assert main(["--db", str(demo_file), "restore", str(newest)]) == 0
    assert main(["--db", str(demo_file), "cohorts"]) == 0


def test_a_damaged_database_without_a_backup_says_so(demo_file, capsys):
    demo_file.write_bytes(b"not a database at all" * 10)
    with pytest.raises(DamagedDatabaseError, match=r"there is no backup of it in .*backups"):
        open_workspace(demo_file)
    assert main(["--db", str(demo_file), "participants"]) == 1
    assert "no backup" in capsys.readouterr().err


def test_read_only_when_another_process_holds_the_lock(demo_file, capsys):
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from mentorapp.store import locking
        lock = locking.acquire({str(demo_file)!r})
        print("locked", flush=True)
        time.sleep(60)
        """
    )
    holder = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        workspace = open_workspace(demo_file)
        try:
            assert workspace.read_only and workspace.lock is None
            assert f"(process {holder.pid})" in workspace.read_only_note
            with pytest.raises(locking.ReadOnlyError), workspace.database.transaction() as s:
                s.execute(text("UPDATE participant SET notes = 'x' WHERE id = 1"))
        finally:
            workspace.close()
        # The command line says so, reads, and refuses changes.
        assert main(["--db", str(demo_file), "participants"]) == 0
        captured = capsys.readouterr()
        assert "opened read-only, so changes are refused" in captured.err
        assert len(captured.out.splitlines()) > 40  # the 40 participants, read
        assert main(["--db", str(demo_file), "retention", "--months", "12"]) == 1
        assert "read-only" in capsys.readouterr().err
        assert _kinds(demo_file) == []  # no daily backup of a database someone else holds
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()


def _old_database(path: Path) -> None:
    """A database at the first revision, with a cohort in it, as an older mentorapp left it."""
    engine = make_engine(resolve_url(str(path)))
    upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cohort (name, start_date, evaluation_date, status, focus_areas, settings) "
                "VALUES ('Old', '2021-09-01', '2022-03-01', 'recruiting', '[]', '{}')"
            )
        )
    engine.dispose()


def test_migration_is_preceded_by_a_backup(tmp_path):
    path = tmp_path / "old.db"
    _old_database(path)
    workspace = open_workspace(path)
    try:
        assert current_revision(workspace.database.engine) == head_revision()
    finally:
        workspace.close()
    # The backup before the migration counts as today's: no daily one beside it.
    backups = backup.list_backups(path)
    assert [b.kind for b in backups] == ["pre-migration"]
    con = sqlite3.connect(backups[0].path)
    try:
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
        assert con.execute("SELECT name FROM cohort").fetchone()[0] == "Old"
    finally:
        con.close()


def test_a_command_on_an_old_database_backs_it_up_before_migrating(tmp_path, capsys):
    path = tmp_path / "old.db"
    _old_database(path)
    assert main(["--db", str(path), "cohorts"]) == 0
    assert "Old" in capsys.readouterr().out
    assert _kinds(path) == ["pre-migration"]


def test_the_engine_alone_never_calls_back_into_backups(tmp_path):
    # Tools and tests may open a database without the workspace: no backups appear behind their back.
    path = tmp_path / "old.db"
    _old_database(path)
    open_database(path).dispose()
    assert _kinds(path) == []


def test_a_new_database_is_created_without_any_backup(tmp_path):
    workspace = open_workspace(tmp_path / "new.db")
    try:
        assert not workspace.read_only and workspace.lock is not None and workspace.lock.held
        assert locking.read_lock(tmp_path / "new.db") is not None
    finally:
        workspace.close()
    assert _kinds(tmp_path / "new.db") == []
    assert not locking.lock_path(tmp_path / "new.db").exists()
