"""The log file: in the data folder, rotating, --verbose on stderr, and never a person's name or e-mail."""

from __future__ import annotations

import logging
import stat

from mentorapp.cli.main import main
from mentorapp.store import logs
from tests.support.import_fixtures import SIMPLE_HEADERS, simple_rows, write_csv

NAME, SURNAME, EMAIL = "Zebedee", "Quillfeather-Vantongeren", "zebedee.quillfeather@example.org"


def _log_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(logs.log_dir().glob(logs.LOG_FILE + "*")))


def test_the_log_is_beside_the_default_database(tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORAPP_DB", str(tmp_path / "folder" / "my.db"))
    assert logs.log_path() == tmp_path / "folder" / "mentorapp.log"
    monkeypatch.delenv("MENTORAPP_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert logs.log_path() == tmp_path / "xdg" / "mentorapp" / "mentorapp.log"


def test_an_erased_person_survives_in_no_log_line(tmp_path, capsys):
    db = str(tmp_path / "live.db")
    rows = simple_rows(6)
    rows[2][:3] = [NAME, SURNAME, EMAIL]
    rows[4][2] = "not an address"  # a row the import reports, quoting its cell
    applications = write_csv(tmp_path / "applications.csv", SIMPLE_HEADERS, rows)
    assert main(["--db", db, "cohorts", "add", "Spring"]) == 0
    assert main(["--verbose", "--db", db, "import", str(applications), "--cohort", "Spring"]) == 1
    assert main(["--verbose", "--db", db, "import", str(applications), "--cohort", "Spring", "--skip-invalid"]) == 0
    assert main(["--verbose", "--db", db, "participants", "--format", "json"]) == 0
    assert EMAIL in capsys.readouterr().out  # imported, and printed where it was asked for
    assert main(["--verbose", "--db", db, "erase", EMAIL, "--yes"]) == 0
    assert main(["--verbose", "--db", db, "erase", EMAIL, "--yes"]) == 1  # the refusal quotes the address
    err = capsys.readouterr().err
    assert EMAIL in err  # to the person at the terminal, yes
    text = _log_text()
    assert "command import finished" in text and "command erase finished" in text
    assert "participant #" in text and "erased" in text  # the erasure is logged, by id
    assert "command erase stopped: UserError" in text
    for needle in (NAME, SURNAME, EMAIL, "zebedee"):
        assert needle.lower() not in text.lower()
    assert "not an address" not in text  # nor a cell value
    assert stat.S_IMODE(logs.log_path().stat().st_mode) == 0o600


def test_verbose_writes_debug_lines_to_stderr(tmp_path, capsys):
    assert main(["--verbose", "--db", str(tmp_path / "v.db"), "cohorts"]) == 0
    assert "INFO mentorapp.cli.main: command cohorts started" in capsys.readouterr().err
    assert main(["--db", str(tmp_path / "v.db"), "cohorts"]) == 0
    assert capsys.readouterr().err == ""
    assert "command cohorts finished" in _log_text()


def test_a_logged_exception_keeps_its_traceback_but_not_its_message(tmp_path):
    logs.configure()
    try:
        raise ValueError(f"cell value {EMAIL}")
    except ValueError:
        logging.getLogger("mentorapp.test").exception("reading a row failed")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = _log_text()
    assert "reading a row failed" in text and "ValueError (message omitted)" in text
    assert "test_a_logged_exception_keeps_its_traceback" in text
    assert EMAIL not in text
