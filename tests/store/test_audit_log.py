"""The activity log: every change is recorded with time and user, and can be filtered."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from mentorapp.cli.main import main
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.participants import ParticipantData, create_participant, delete_participant, update_participant
from mentorapp.store import audit
from mentorapp.store.models import AuditEvent

pytestmark = pytest.mark.both_databases


def _person(email: str) -> ParticipantData:
    return ParticipantData(first_name="Ann", last_name="Lee", email=email, role="mentor", notes="private goal text")


@pytest.fixture
def logged_db(db):
    with db.transaction() as s:
        a = create_cohort(s, CohortData(name="Alpha", start_date=dt.date(2021, 9, 1)))
        b = create_cohort(s, CohortData(name="Beta", start_date=dt.date(2022, 9, 1)))
        p = create_participant(s, a.id, _person("ann@example.org"))
        create_participant(s, b.id, _person("ann@example.org"))
        pid, ids = p.id, (a.id, b.id)
    with db.session() as s:
        from mentorapp.people.participants import get_participant

        data = get_participant(s, pid)
    data.phone = "0123"
    with db.transaction() as s:
        update_participant(s, data)
    with db.transaction() as s:
        delete_participant(s, pid)
    return db, ids


def test_changes_are_recorded_with_user_and_without_free_text(logged_db):
    db, _ = logged_db
    with db.session() as s:
        entries = audit.query(s)
    actions = [e.action for e in entries]
    assert actions[:3] == ["participant deleted", "participant edited", "participant created"]
    assert all(e.os_user == audit.os_user() for e in entries)
    assert all("private goal text" not in e.description for e in entries)
    assert entries[0].at >= entries[-1].at


def test_filters_by_cohort_action_prefix_time_and_text(logged_db):
    db, (_alpha, beta) = logged_db
    with db.session() as s:
        assert {e.cohort_name for e in audit.query(s, cohort_id=beta)} == {"Beta"}
        assert [e.action for e in audit.query(s, action="Participant E")] == ["participant edited"]
        assert len(audit.query(s, action="participant")) == 4
        assert audit.query(s, action="100%_") == []  # LIKE wildcards are taken literally
        assert audit.query(s, since=dt.datetime.now() + dt.timedelta(hours=13)) == []
        assert len(audit.query(s, since=dt.date.today() - dt.timedelta(days=1))) == len(audit.query(s))
        assert len(audit.query(s, until=dt.date.today())) == len(audit.query(s))
        assert audit.query(s, until=dt.date.today() - dt.timedelta(days=2)) == []
        assert len(audit.query(s, text="ANN LEE")) == 4
        assert len(audit.query(s, limit=2)) == 2
        assert "participant edited" in audit.actions(s)
        assert audit.users(s) == [audit.os_user()]


def test_log_command_filters_and_formats(logged_db, capsys):
    db, _ = logged_db
    url = db.url
    assert main(["--db", url, "log", "--cohort", "beta", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {d["cohort"] for d in data} == {"Beta"} and {d["action"] for d in data} == {
        "cohort created",
        "participant created",
    }
    assert main(["--db", url, "log", "--action", "participant deleted"]) == 0
    out = capsys.readouterr().out
    assert "participant deleted" in out and "participant edited" not in out
    assert main(["--db", url, "log", "--since", "7d", "--format", "csv"]) == 0
    assert capsys.readouterr().out.splitlines()[1] == "at,user,action,cohort,description"  # after the mark
    assert main(["--db", url, "log", "--since", "7d", "--format", "csv", "--raw"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "at,user,action,cohort,description"
    assert main(["--db", url, "log", "--since", "not-a-date"]) == 2
    assert "not a date" in capsys.readouterr().err
    assert main(["--db", url, "log", "--action", "nothing-like-this"]) == 0
    assert "No activity matches." in capsys.readouterr().out


def test_log_csv_cells_never_become_formulas(db, capsys):
    with db.transaction() as s:
        audit.record(s, "note", '=HYPERLINK("http://evil","x")')
    assert main(["--db", db.url, "log", "--format", "csv"]) == 0
    assert "'=HYPERLINK" in capsys.readouterr().out


def test_description_is_capped(db):
    with db.transaction() as s:
        audit.record(s, "note", "x" * 5000)
    with db.session() as s:
        assert len(s.scalars(select(AuditEvent.description)).one()) == 1000


def test_exports_of_personal_data_are_recorded(demo_db, demo_cohort_id, tmp_path):
    from mentorapp.outputs.roster_files import export_roster

    with demo_db.session() as s:  # exports read in a session that is never committed
        export_roster(s, demo_cohort_id, tmp_path / "roster.xlsx")
        export_roster(s, demo_cohort_id, tmp_path / "mentees.csv", sheet="Mentees")
    with demo_db.session() as s:
        entries = audit.query(s, action="personal data exported")
    assert [e.description for e in entries] == [
        "The Mentees sheet of the roster of 'Future Leaders pilot' written to mentees.csv",
        "The roster of 'Future Leaders pilot' written to roster.xlsx",
    ]
    assert {e.cohort_id for e in entries} == {demo_cohort_id}
