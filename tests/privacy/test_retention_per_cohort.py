"""Retention per cohort: a cohort's own period, and each closed cohort anonymised on its own."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorapp import privacy
from mentorapp.cli.main import main
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.participants import ParticipantData, create_participant
from mentorapp.store.models import Participant

pytestmark = pytest.mark.both_databases


def test_a_cohorts_own_period_and_anonymising_keeps_the_open_year(db):
    with db.transaction() as s:
        old = create_cohort(s, CohortData("Dietetics 2022", dt.date(2022, 1, 10), status="closed"))
        short = create_cohort(s, CohortData("Dietetics 2024", dt.date(2024, 1, 8), status="closed"))
        open_ = create_cohort(s, CohortData("Dietetics 2026", dt.date(2026, 1, 12), status="running"))
        mentor = ParticipantData("Saskia", "Brandt", "saskia@diet.test", role="mentor", organisation="Bath")
        kept = create_participant(s, old.id, mentor)
        now = create_participant(
            s, open_.id, ParticipantData("Saskia", "Brandt", "saskia@diet.test", role="mentor", organisation="Bath")
        )
        assert kept.person_id == now.person_id
        ids = (old.id, short.id, open_.id, now.id)
    today = dt.date(2026, 6, 1)
    with db.session() as s:
        assert [c.name for c in privacy.cohorts_due_for_anonymising(s, today)] == ["Dietetics 2022"]
    with db.transaction() as s:
        privacy.set_retention_months(s, 12, ids[1])
    with db.session() as s:
        assert [c.name for c in privacy.cohorts_due_for_anonymising(s, today)] == ["Dietetics 2022", "Dietetics 2024"]
        assert privacy.retention_months(s) == privacy.DEFAULT_RETENTION_MONTHS  # the general period is unchanged
    with db.transaction() as s:
        privacy.anonymise_cohort(s, ids[0])
    with db.session() as s:
        assert [c.name for c in privacy.cohorts_due_for_anonymising(s, today)] == ["Dietetics 2024"]
        assert s.get(Participant, ids[3]).full_name == "Saskia Brandt"  # the open year keeps its person
    with db.transaction() as s:
        privacy.set_retention_months(s, None, ids[1])
    with db.session() as s:
        assert [c.name for c in privacy.cohorts_due_for_anonymising(s, today)] == []


def test_retention_per_cohort_on_the_command_line(db_path, capsys):
    assert main(["--db", db_path, "cohorts", "add", "Speech 2023", "--start", "2023-02-06"]) == 0
    capsys.readouterr()
    assert main(["--db", db_path, "retention", "--cohort", "Speech 2023", "--months", "6"]) == 0
    out = capsys.readouterr().out
    assert "'Speech 2023' keeps it for 6 months." in out
    assert main(["--db", db_path, "retention", "--cohort", "Speech 2023"]) == 2
    assert "give --months N or --general" in capsys.readouterr().err
    assert main(["--db", db_path, "retention", "--cohort", "Speech 2023", "--general"]) == 0
    assert "keeps it for" not in capsys.readouterr().out
