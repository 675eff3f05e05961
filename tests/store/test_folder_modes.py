"""Folders the application creates for personal data are owner-only (0700), whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from mentorapp.cli.main import main
from mentorapp.store import backup, locking
from mentorapp.store.paths import data_dir, make_private_dir
from mentorapp.store.workspace import open_workspace
from tests.support.outputs_data import add_matches

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def open_umask():
    """umask 000: a folder made with the default mode would be 0777."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _all_private(top: Path, leaf: Path) -> None:
    """Every folder from ``top`` down to ``leaf`` is 0700."""
    walk = leaf
    while True:
        assert _mode(walk) == 0o700, f"{walk} is {oct(_mode(walk))}"
        if walk == top:
            return
        walk = walk.parent


def test_new_db_folders_and_backups_are_private(tmp_path, open_umask):
    db_file = tmp_path / "a" / "b" / "c" / "scheme.db"
    workspace = open_workspace(db_file)
    try:
        _all_private(tmp_path / "a", db_file.parent)
        assert _mode(db_file) == 0o600
        written = backup.create_backup(workspace.database, kind="manual")
        assert _mode(written.parent) == 0o700 and _mode(written) == 0o600
        elsewhere = backup.create_backup(workspace.database, tmp_path / "x" / "y" / "copy.db")
        _all_private(tmp_path / "x", elsewhere.parent)
    finally:
        workspace.close()


def test_the_lock_coming_first_still_makes_a_private_folder(tmp_path, open_umask):
    # The lock module used to make the folder 755 before the database module could make it 700.
    db_file = tmp_path / "new" / "deeper" / "scheme.db"
    with locking.acquire(db_file):
        _all_private(tmp_path / "new", db_file.parent)


def test_default_data_folder_is_private(monkeypatch, open_umask):
    monkeypatch.delenv("MENTORAPP_DB")
    assert not data_dir().exists()
    workspace = open_workspace(None)
    try:
        _all_private(Path(os.environ["XDG_DATA_HOME"]), data_dir())
    finally:
        workspace.close()


def test_per_person_export_folders_are_private(tmp_path, open_umask, demo_db, demo_cohort_id, capsys):
    add_matches(demo_db, demo_cohort_id)
    db = demo_db.url.removeprefix("sqlite:///")
    letters = tmp_path / "out" / "letters"
    assert main(["--db", db, "export", "letters", "--out-dir", str(letters), "--status", "confirmed"]) == 0
    _all_private(tmp_path / "out", letters)
    assert list(letters.iterdir())
    email = _an_email(demo_db)
    sar = tmp_path / "sar" / "inner" / "person"
    assert main(["--db", db, "subject-access", email, "-o", str(sar)]) == 0
    _all_private(tmp_path / "sar", sar.parent)
    assert _mode(sar.with_suffix(".json")) == 0o600


def test_existing_folders_are_left_alone(tmp_path, open_umask):
    mine = tmp_path / "shared"
    mine.mkdir(mode=0o755)
    os.chmod(mine, 0o755)
    made = make_private_dir(mine / "new")
    assert _mode(mine) == 0o755 and _mode(made) == 0o700
    (tmp_path / "file").write_text("x")
    with pytest.raises(OSError):
        make_private_dir(tmp_path / "file" / "below")


def _an_email(db) -> str:
    from mentorapp.store.models import Participant

    with db.session() as s:
        return s.query(Participant.email).order_by(Participant.id).first()[0]
