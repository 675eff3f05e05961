"""Command line: backup, restore, backups, subject-access, erase, anonymise, retention."""

from __future__ import annotations

import json
import os
import stat

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorapp.cli.main import main
from mentorapp.demo.cohort import create_demo
from mentorapp.store import backup, locking
from mentorapp.store.db import open_database

pytestmark = pytest.mark.both_databases


@pytest.fixture
def demo_file(tmp_path):
    path = tmp_path / "live.db"
    db = open_database(path)
    with db.transaction() as s:
        create_demo(s)
    db.dispose()
    return path


def _emails(path, capsys) -> list[str]:
    assert main(["--db", str(path), "participants", "--format", "json"]) == 0
    return [p["email"] for p in json.loads(capsys.readouterr().out)]


@pytest.mark.sqlite_only
def test_backup_restore_round_trip(demo_file, tmp_path, capsys):
    out = tmp_path / "mine.db"
    assert main(["--db", str(demo_file), "backup", "-o", str(out)]) == 0
    assert "Backup written" in capsys.readouterr().out
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    emails = _emails(demo_file, capsys)
    assert main(["--db", str(demo_file), "erase", emails[0], "--yes"]) == 0
    capsys.readouterr()
    assert len(_emails(demo_file, capsys)) == 39
    assert main(["--db", str(demo_file), "restore", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "previous database was saved" in printed
    # The backup was taken before the erase: the restore erases them again, and says so.
    assert "1 person erased since this backup was taken was erased again." in printed
    assert len(_emails(demo_file, capsys)) == 39 and emails[0] not in _emails(demo_file, capsys)
    assert main(["--db", str(demo_file), "backups", "--format", "json"]) == 0
    kinds = [b["kind"] for b in json.loads(capsys.readouterr().out)]
    assert "pre-restore" in kinds


@pytest.mark.sqlite_only
def test_restore_refuses_a_text_file_with_one_sentence(demo_file, tmp_path, capsys):
    bad = tmp_path / "notes.txt"
    bad.write_text("Dear coordinator, ...")
    before = demo_file.read_bytes()
    assert main(["--db", str(demo_file), "restore", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == "notes.txt is not a mentorapp database: it is not a database file at all."
    assert demo_file.read_bytes() == before
    assert main(["--db", str(demo_file), "restore", str(tmp_path / "missing.db")]) == 1
    assert "does not exist" in capsys.readouterr().err


@pytest.mark.sqlite_only
def test_restore_refused_while_the_database_is_open_elsewhere(demo_file, tmp_path, capsys):
    copy = backup.create_backup(demo_file, tmp_path / "copy.db", record=False)
    with locking.acquire(demo_file):
        assert main(["--db", str(demo_file), "restore", str(copy)]) == 1
    assert "close it there before restoring" in capsys.readouterr().err


@pytest.fixture(scope="module")
def small_backup(tmp_path_factory) -> bytes:
    """The bytes of a healthy small backup, made once for all fuzzed examples."""
    folder = tmp_path_factory.mktemp("small")
    db = open_database(folder / "small.db")
    with db.transaction() as s:
        create_demo(s, mentees=3, mentors=2)
    good = backup.create_backup(db, folder / "good.db", record=False)
    db.dispose()
    return good.read_bytes()


@pytest.mark.sqlite_only
@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_restore_survives_fuzzed_and_truncated_backups(tmp_path_factory, small_backup, data):
    """Any damage to a backup file is refused with one sentence and never touches the database."""
    folder = tmp_path_factory.mktemp("fuzz")
    live = folder / "live.db"
    live.write_bytes(small_backup)
    raw = bytearray(small_backup)
    how = data.draw(st.sampled_from(["truncate", "flip", "splice", "random"]))
    if how == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw) - 1))]
    elif how == "flip":
        for _ in range(data.draw(st.integers(1, 40))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] = data.draw(st.integers(0, 255))
    elif how == "splice":
        start = data.draw(st.integers(0, len(raw) - 1))
        raw[start : start + 512] = data.draw(st.binary(min_size=0, max_size=512))
    else:
        raw = bytearray(data.draw(st.binary(max_size=4096)))
    fuzzed = folder / "fuzzed.db"
    fuzzed.write_bytes(bytes(raw))
    before = live.read_bytes()
    code = main(["--db", str(live), "restore", str(fuzzed)])
    if code == 0:
        # Damage that SQLite does not notice (free space, unused bytes) restores a healthy database.
        assert backup.diagnose(live) is None
    else:
        assert code == 1
        assert live.read_bytes() == before
    check = open_database(live)
    check.dispose()


def test_subject_access_erase_anonymise_and_retention(db_path, tmp_path, capsys):
    db = open_database(db_path)
    with db.transaction() as s:
        create_demo(s)
    db.dispose()
    emails = _emails(db_path, capsys)
    out = tmp_path / "request"
    assert main(["--db", db_path, "subject-access", emails[1], "-o", str(out)]) == 0
    assert "request.json" in capsys.readouterr().out
    assert json.loads((tmp_path / "request.json").read_text())["records"][0]["participant"]["email"] == emails[1]
    assert (tmp_path / "request.pdf").read_bytes().startswith(b"%PDF")
    assert main(["--db", db_path, "subject-access", "nobody@example.org", "-o", str(out)]) == 1
    assert "No participant has the email address nobody@example.org." in capsys.readouterr().err
    # Erase asks for confirmation when not on a terminal.
    assert main(["--db", db_path, "erase", emails[1]]) == 2
    assert "--yes" in capsys.readouterr().err
    assert main(["--db", db_path, "erase", emails[1], "--yes"]) == 0
    assert "Erased 1 participant record" in capsys.readouterr().out
    assert emails[1] not in _emails(db_path, capsys)
    assert main(["--db", db_path, "erase", "999999", "--yes"]) == 1
    capsys.readouterr()
    assert main(["--db", db_path, "anonymise", "--yes"]) == 0
    assert "Anonymised" in capsys.readouterr().out
    assert all(e.endswith("@anonymised.invalid") for e in _emails(db_path, capsys))
    assert main(["--db", db_path, "retention", "--months", "18"]) == 0
    assert "18 months" in capsys.readouterr().out
    # A number outside the option's range is wrong usage (exit 2), refused before the database is touched.
    assert main(["--db", db_path, "retention", "--months", "0"]) == 2
    assert "from 1 to 1,200" in capsys.readouterr().err


def test_backup_of_a_server_database_says_pg_dump(db_path, capsys):
    if "://" not in db_path:
        pytest.skip("PostgreSQL only")
    assert main(["--db", db_path, "backup"]) == 1
    assert "pg_dump" in capsys.readouterr().err


@pytest.mark.sqlite_only
def test_new_database_files_and_backups_stay_private(tmp_path, capsys):
    path = tmp_path / "fresh.db"
    old = os.umask(0o022)
    try:
        assert main(["--db", str(path), "demo"]) == 0
        assert main(["--db", str(path), "backup"]) == 0
    finally:
        os.umask(old)
    capsys.readouterr()
    made = backup.list_backups(path)
    # Today's automatic backup (taken as 'backup' opened the database) and the one asked for.
    assert sorted(b.kind for b in made) == ["daily", "manual"]
    assert all(stat.S_IMODE(b.path.stat().st_mode) == 0o600 for b in made)
    assert stat.S_IMODE(made[0].path.parent.stat().st_mode) == 0o700


@pytest.mark.sqlite_only
def test_commands_read_only_while_the_window_holds_the_database(demo_file, capsys):
    with locking.acquire(demo_file):
        assert main(["--db", str(demo_file), "participants"]) == 0
        captured = capsys.readouterr()
        assert len(captured.out.splitlines()) == 42  # header, rule and the 40 participants
        assert "opened read-only" in captured.err
        # A machine-readable list is an export of personal data the activity log cannot record here.
        assert main(["--db", str(demo_file), "participants", "--format", "json"]) == 1
        captured = capsys.readouterr()
        assert captured.out == "" and "refused" in captured.err
        assert main(["--db", str(demo_file), "cohorts", "add", "Second"]) == 1
        assert "is open read-only here" in capsys.readouterr().err
    assert main(["--db", str(demo_file), "cohorts", "add", "Second"]) == 0
    assert not locking.lock_path(demo_file).exists()


@pytest.mark.sqlite_only
def test_a_folder_without_write_permission_opens_read_only(demo_file, capsys, monkeypatch):
    def refuse(_db, **_kw):
        raise PermissionError(13, "Permission denied", str(locking.lock_path(demo_file)))

    monkeypatch.setattr(locking, "acquire", refuse)
    assert main(["--db", str(demo_file), "cohorts", "--format", "json"]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)[0]["mentees"] == 24
    assert "cannot be created, so the database is opened read-only" in captured.err


@pytest.mark.sqlite_only
def test_erase_confirmation_says_what_happens_to_backups(demo_file, capsys):
    emails = _emails(demo_file, capsys)
    assert main(["--db", str(demo_file), "backup"]) == 0
    capsys.readouterr()
    assert main(["--db", str(demo_file), "erase", emails[2]]) == 2
    question = capsys.readouterr().err
    assert "backup(s) in" in question and "still hold them" in question
    assert "expire within about a year" in question and "10 days" in question and "12 months" in question
    assert "kept until you delete them" in question and "Restoring any of them erases them again" in question
    assert "--yes" in question
