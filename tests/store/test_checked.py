"""A file exactly as a clean close left it is not checked again; any change since, or no clean close, is."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mentorapp.cli.main import main
from mentorapp.demo.cohort import create_demo
from mentorapp.store import backup, checked
from mentorapp.store.db import open_database
from mentorapp.store.workspace import DamagedDatabaseError, open_workspace

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def demo_file(tmp_path) -> Path:
    path = tmp_path / "society.db"
    db = open_database(path)
    with db.transaction() as s:
        create_demo(s, mentees=5, mentors=4, seed=31)
    db.dispose()
    return path


@pytest.fixture
def diagnoses(monkeypatch) -> list[Path]:
    """Every full damage check the workspace runs."""
    seen: list[Path] = []
    real = backup.diagnose

    def counting(path):
        seen.append(Path(path))
        return real(path)

    monkeypatch.setattr(backup, "diagnose", counting)
    return seen


def test_a_second_command_skips_the_check_only_while_nothing_changed(demo_file, diagnoses, capsys):
    assert main(["--db", str(demo_file), "cohorts"]) == 0
    assert main(["--db", str(demo_file), "participants"]) == 0
    assert len(diagnoses) == 1  # the second found the file as the first closed it
    with sqlite3.connect(demo_file) as con:  # someone else writes to it
        con.execute("UPDATE cohort SET name = name || ' (edited)'")
    assert main(["--db", str(demo_file), "cohorts"]) == 0
    assert len(diagnoses) == 2
    assert "(edited)" in capsys.readouterr().out


def test_damage_after_a_clean_close_is_still_found(demo_file, diagnoses, capsys):
    assert main(["--db", str(demo_file), "cohorts"]) == 0
    size = demo_file.stat().st_size
    with open(demo_file, "r+b") as fh:  # the same size, the schema's page overwritten (a sync tool, a disk)
        fh.seek(100)
        fh.write(b"\xff" * 400)
    assert demo_file.stat().st_size == size
    with pytest.raises(DamagedDatabaseError):
        open_workspace(demo_file)
    assert len(diagnoses) == 2


def test_a_command_that_did_not_close_leaves_the_file_to_be_checked(demo_file, diagnoses):
    workspace = open_workspace(demo_file)  # checked, then killed before closing: nothing recorded
    assert workspace is not None
    with workspace.database.transaction() as s:
        create_demo(s, name="Second", mentees=2, mentors=2, seed=32)
    assert not checked.unchanged_since_closed(demo_file)
    workspace.database.dispose()
    workspace.lock.release()
    second = open_workspace(demo_file)
    assert second is not None and len(diagnoses) == 2
    second.close()
    assert checked.unchanged_since_closed(demo_file)


def test_a_read_only_open_records_nothing(demo_file, diagnoses):
    holder = open_workspace(demo_file)
    assert holder is not None

    class ReadOnly:
        def open_read_only(self, _error) -> bool:
            return True

        def restore_damaged(self, *_args) -> bool:
            return False

    looker = open_workspace(demo_file, ReadOnly())
    assert looker is not None and looker.read_only
    looker.close()
    assert not checked.unchanged_since_closed(demo_file)
    holder.close()
    assert checked.unchanged_since_closed(demo_file)
