"""The database used last: one order for the window and the command line, no password written down
(issue 21, defect 10)."""

from __future__ import annotations

import pytest

from mentorapp.cli.main import main
from mentorapp.store import recent
from mentorapp.store.db import resolve_url
from mentorapp.store.paths import default_db_path
from tests.support.import_fixtures import SIMPLE_HEADERS, simple_rows, write_csv


def test_the_order_is_db_then_the_environment_then_the_last_used_then_the_default(tmp_path, monkeypatch):
    monkeypatch.delenv("MENTORAPP_DB")
    assert recent.database_value() == str(default_db_path())
    last = tmp_path / "last.db"
    last.touch()
    recent.remember(str(last))
    assert recent.database_value() == str(last)
    assert resolve_url(None) == f"sqlite:///{last}"
    monkeypatch.setenv("MENTORAPP_DB", str(tmp_path / "env.db"))
    assert recent.database_value() == str(tmp_path / "env.db")
    assert recent.database_value(str(tmp_path / "given.db")) == str(tmp_path / "given.db")
    # A file that has gone is forgotten, not created again empty.
    monkeypatch.delenv("MENTORAPP_DB")
    last.unlink()
    assert recent.database_value() == str(default_db_path())


def test_a_url_is_remembered_without_its_password(monkeypatch):
    recent.remember("postgresql+psycopg://coordinator:s3cret@db.example.org:5432/mentoring")
    text = recent.recent_file().read_text()
    assert "s3cret" not in text
    assert recent.last_used() == "postgresql+psycopg://coordinator@db.example.org:5432/mentoring"
    assert recent.recent_file().stat().st_mode & 0o077 == 0  # the data folder's files are the owner's


@pytest.mark.parametrize("content", ["not json", '{"database": 3}', "[]"])
def test_a_damaged_record_means_the_default(content, monkeypatch):
    monkeypatch.delenv("MENTORAPP_DB")
    recent.recent_file().parent.mkdir(parents=True, exist_ok=True)
    recent.recent_file().write_text(content)
    assert recent.database_value() == str(default_db_path())


def test_a_command_that_writes_names_the_database_it_wrote(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("MENTORAPP_DB")
    last = tmp_path / "last.db"
    assert main(["--db", str(last), "demo"]) == 0
    assert str(last) in capsys.readouterr().err
    recent.remember(str(last))
    assert main(["cohorts"]) == 0  # reads only: says nothing about writing
    out = capsys.readouterr()
    assert "Future Leaders pilot" in out.out and "Wrote" not in out.err
    assert main(["cohorts", "add", "Second scheme"]) == 0  # no --db: the last used, and it says so
    assert f"Wrote to the database {last}" in capsys.readouterr().err
    assert not default_db_path().exists()
    # A dry run reads and checks everything, may flush, and rolls back: it wrote nothing, so it says nothing.
    form = tmp_path / "form.csv"
    rows = simple_rows(3)
    rows[0][SIMPLE_HEADERS.index("Focus areas")] = "Occupational toxicology"  # new to the cohort: added in the plan
    write_csv(form, SIMPLE_HEADERS, rows)
    assert main(["import", str(form), "--cohort", "Second scheme", "--dry-run", "--add-new-values"]) == 0
    assert "Wrote" not in capsys.readouterr().err
    assert main(["import", str(form), "--cohort", "Second scheme", "--add-new-values"]) == 0
    assert f"Wrote to the database {last}" in capsys.readouterr().err
