"""Every export of personal data is recorded in the activity log, or refused before any file is written."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mentorapp import privacy
from mentorapp.cli.main import main
from mentorapp.evaluation.forms import write_evaluation_form
from mentorapp.evaluation.report_pdf import export_report
from mentorapp.outputs.letters import export_letters
from mentorapp.outputs.roster_files import export_roster
from mentorapp.store import audit, backup, locking
from mentorapp.store.models import AuditEvent, Participant

pytestmark = pytest.mark.sqlite_only


@pytest.fixture
def read_only(demo_db, demo_cohort_id):
    """The demo database, with a match to write letters for, as a second window sees it: read-only."""
    from mentorapp.matching.actions import create_match

    with demo_db.transaction() as s:
        people = s.scalars(select(Participant).where(Participant.cohort_id == demo_cohort_id)).all()
        mentee = next(p.id for p in people if p.role == "mentee")
        mentor = next(p.id for p in people if p.role == "mentor")
        create_match(s, mentee, mentor, override_same_org=True)
    path = demo_db.path
    demo_db.dispose()
    db = locking.open_read_only(path)
    yield db
    db.dispose()


def _events(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(AuditEvent))


def test_exports_from_a_read_only_database_are_refused_before_writing(read_only, demo_cohort_id, tmp_path):
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    with read_only.session() as s:
        email = s.scalars(select(Participant.email).order_by(Participant.id)).first()
    before = _events(read_only)
    attempts = {
        "roster.xlsx": lambda s: export_roster(s, demo_cohort_id, tmp_path / "roster.xlsx"),
        "mentees.csv": lambda s: export_roster(s, demo_cohort_id, tmp_path / "mentees.csv", sheet="Mentees"),
        "letters.pdf": lambda s: export_letters(s, demo_cohort_id, path=tmp_path / "letters.pdf", statuses=None),
        "sar.json": lambda s: privacy.write_subject_access(s, email, tmp_path / "sar"),
        "form.xlsx": lambda s: write_evaluation_form(s, demo_cohort_id, "baseline", tmp_path / "form.xlsx"),
    }
    for name, attempt in attempts.items():
        with read_only.session() as s, pytest.raises(audit.ExportRefusedError, match="refused"):
            attempt(s)
        assert not (tmp_path / name).exists(), name
    with pytest.raises(audit.ExportRefusedError):
        export_report(read_only, demo_cohort_id, tmp_path / "report.pdf")
    with pytest.raises(audit.ExportRefusedError):
        backup.create_backup(read_only, tmp_path / "copy.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    assert _events(read_only) == before


def test_the_same_exports_are_recorded_when_the_log_can_take_them(demo_db, demo_cohort_id, tmp_path):
    with demo_db.session() as s:
        export_roster(s, demo_cohort_id, tmp_path / "roster.xlsx")
    backup.create_backup(demo_db, tmp_path / "copy.db")
    with demo_db.session() as s:
        actions = [e.action for e in audit.query(s, limit=2)]
    assert actions == ["backup", audit.EXPORTED]
    assert (tmp_path / "roster.xlsx").exists() and (tmp_path / "copy.db").exists()


def test_a_participant_list_is_not_printed_when_it_cannot_be_recorded(demo_db, capsys):
    path = demo_db.path
    demo_db.dispose()
    with locking.acquire(path):  # another window holds the database: the command reads it read-only
        assert main(["--db", str(path), "participants", "--format", "csv"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "refused because the activity log cannot record it" in captured.err
    assert main(["--db", str(path), "participants", "--format", "csv"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 42  # the mark, the headings, 40 people
