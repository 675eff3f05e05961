"""A restore erases again in its copy BEFORE the copy replaces the database: a kill never brings erased people back."""

from __future__ import annotations

import os
import sqlite3

import pytest
from sqlalchemy import select

from mentorapp import privacy
from mentorapp.store import backup, erasures
from mentorapp.store.models import Participant

pytestmark = pytest.mark.sqlite_only


class Killed(BaseException):
    """Stands for the process dying at that moment (not an error anyone could catch and tidy up after)."""


def _ids(path) -> set[int]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT id FROM participant")}
    finally:
        con.close()


@pytest.fixture
def erased_after_backup(demo_db, tmp_path):
    """A backup holding a person who was erased afterwards: (database path, backup, erased id)."""
    earlier = backup.create_backup(demo_db, tmp_path / "earlier.db")
    with demo_db.session() as s:
        pid = s.scalars(select(Participant.id).order_by(Participant.id)).first()
    with demo_db.transaction() as s:
        privacy.erase_participant(s, pid)
    demo_db.dispose()
    return demo_db.path, earlier, pid


def test_a_kill_while_erasing_again_leaves_the_database_as_it_was(erased_after_backup, monkeypatch):
    path, earlier, pid = erased_after_backup
    before = _ids(path)

    def die(*_args, **_kwargs):
        raise Killed

    monkeypatch.setattr(erasures, "erase_again", die)
    with pytest.raises(Killed):
        backup.restore_backup(path, earlier)
    assert _ids(path) == before and pid not in before
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".mentorapp-")]  # no copy left behind


def test_the_copy_is_already_erased_again_when_it_replaces_the_database(erased_after_backup, monkeypatch):
    path, earlier, pid = erased_after_backup
    real_replace = os.replace
    seen: list[set[int]] = []

    def replace(src, dst):
        if os.fspath(dst) == os.fspath(path):
            seen.append(_ids(src))
            raise Killed  # killed at the very moment of replacing
        real_replace(src, dst)

    before = _ids(path)
    monkeypatch.setattr(backup.os, "replace", replace)
    with pytest.raises(Killed):
        backup.restore_backup(path, earlier)
    assert seen and pid not in seen[0]
    assert _ids(path) == before


def test_a_normal_restore_still_erases_again_and_keeps_one_ledger(erased_after_backup):
    path, earlier, pid = erased_after_backup
    result = backup.restore_backup(path, earlier)
    assert result.erased_again == 1
    assert pid not in _ids(path)
    ledgers = sorted(p.name for p in (path.parent / "backups").glob("*.erasures.json"))
    assert ledgers == [f"{path.stem}.erasures.json"]  # the temporary copy's erases went to the database's record
    assert [e.participant_id for e in erasures.read_ledger(path)] == [pid]
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".mentorapp-")]


def test_a_copy_left_by_a_killed_restore_is_deleted_by_the_next_one(erased_after_backup, monkeypatch):
    path, earlier, pid = erased_after_backup
    real_replace = os.replace
    copies: list[str] = []

    def replace(src, dst):
        if os.fspath(dst) == os.fspath(path):
            copies.append(os.path.basename(src))
        real_replace(src, dst)

    monkeypatch.setattr(backup.os, "replace", replace)
    # What a kill leaves (no clean-up runs): a copy of this database, named as restores name theirs, and its log.
    left = [
        path.parent / f".mentorapp-x1y2{suffix}" for suffix in (f"-{path.name}.restore", f"-{path.name}.restore-wal")
    ]
    other = path.parent / ".mentorapp-abc-other.db.restore"  # another database's copy in the same folder
    for leftover in (*left, other):
        leftover.write_bytes(b"erased people may be in here")
    backup.restore_backup(path, earlier)
    assert copies and copies[0].startswith(".mentorapp-") and copies[0].endswith(f"-{path.name}.restore")
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".mentorapp-")] == [other.name]
    assert pid not in _ids(path)
