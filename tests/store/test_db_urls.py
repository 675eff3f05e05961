"""--db or MENTORAPP_DB naming a database mentorapp cannot use: one sentence and exit 2, never a traceback."""

from __future__ import annotations

import pytest

from mentorapp.cli.main import main
from mentorapp.errors import UsageError
from mentorapp.store.db import connect, resolve_url

SUPPORTED = "mentorapp works with SQLite files and PostgreSQL URLs (postgresql+psycopg://user@host/name) only."


@pytest.mark.parametrize(
    ("url", "sentence"),
    [
        ("mysql://a@b/c", "mysql://a@b/c cannot be used: "),
        ("bogus://", "bogus:// cannot be used: "),
        ("mssql+pyodbc://a:secret@h/c", "mssql+pyodbc://a:***@h/c cannot be used: "),  # no password shown
        ("postgresql+pg8000://a@h/c", "postgresql+pg8000://a@h/c needs a database driver mentorapp does not have; "),
    ],
)
def test_an_unsupported_database_url_is_bad_usage_in_one_sentence(url, sentence, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    assert main(["--db", url, "cohorts"]) == 2
    err = capsys.readouterr().err
    assert err == sentence + SUPPORTED + "\n"
    monkeypatch.setenv("MENTORAPP_DB", url)
    assert main(["cohorts"]) == 2
    assert capsys.readouterr().err == sentence + SUPPORTED + "\n"


def test_the_store_refuses_them_as_usage_errors_too():
    with pytest.raises(UsageError, match="cannot be used"):
        resolve_url("mysql://x")
    with pytest.raises(UsageError, match="driver"):
        connect("postgresql+pg8000://a@h/c")
    assert resolve_url("postgresql+psycopg://a@h/c") == "postgresql+psycopg://a@h/c"
