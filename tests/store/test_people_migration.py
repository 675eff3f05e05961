"""A database made by the release before people and memberships opens with everything kept.

The old database is built here at revision 0004 with plain SQL (the schema that
release wrote): two yearly cohorts, a person in both (their email typed in
another case the second year), matches, an exclusion, evaluation answers, a
former name and log lines. After the upgrade every row is still there, the two
memberships share one person, and the participant ids are unchanged.
"""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select, text

from mentorapp.cli.main import main
from mentorapp.people.exclusions import cohort_exclusions
from mentorapp.store.db import current_revision, head_revision, make_engine, open_database, upgrade
from mentorapp.store.models import (
    AuditEvent,
    EvaluationAnswer,
    ExcludedPair,
    FormerValue,
    Goal,
    Match,
    Participant,
    Person,
)

pytestmark = pytest.mark.sqlite_only

COLUMNS = (
    "id, cohort_id, title, first_name, last_name, email, phone, organisation, job_title, career_stage, region, "
    "membership_number, role, consent, notes, capacity, availability, meeting_preference, experience"
)
PEOPLE = [
    # id, cohort, first, last, email, organisation, role
    (11, 1, "Ngozi", "Adeyemi", "ngozi.adeyemi@trust.example", "Riverside Trust", "mentee"),
    (12, 1, "Henrik", "Dahl", "h.dahl@uni.example", "North University", "mentor"),
    (13, 1, "Priya", "Raman", "priya@clinic.example", "Hill Clinic", "mentor"),
    (21, 2, "Ngozi", "Adeyemi", "Ngozi.Adeyemi@Trust.example", "Coastal Health Board", "mentor"),
    (22, 2, "Tomás", "Ibarra", "tomas@ibarra.example", "Coastal Health Board", "mentee"),
]


def _old_database(path):
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine, "0004")
    with engine.begin() as conn:
        for cid, name, year in ((1, "Pilot 2025", 2025), (2, "Scheme 2026", 2026)):
            conn.execute(
                text(
                    "INSERT INTO cohort (id, name, start_date, evaluation_date, status, focus_areas, settings, "
                    "career_stages, regions, version_id) VALUES (:id, :name, :start, :end, 'matching', '[]', '{}', "
                    "'[]', '[]', 1)"
                ),
                {"id": cid, "name": name, "start": f"{year}-01-15", "end": f"{year}-07-15"},
            )
        for pid, cid, first, last, email, org, role in PEOPLE:
            conn.execute(
                text(
                    f"INSERT INTO participant ({COLUMNS}) VALUES (:id, :cid, 'Dr', :first, :last, :email, "
                    "'0161 555 0101', :org, 'Registrar', '', '', 'M-1', :role, 1, '', 2, '', 'either', '')"
                ),
                {"id": pid, "cid": cid, "first": first, "last": last, "email": email, "org": org, "role": role},
            )
        conn.execute(
            text(
                "INSERT INTO goal (participant_id, horizon, text, focus_areas) "
                "VALUES (11, 'short', 'Lead a ward round', '[]')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO match (id, cohort_id, mentor_id, mentee_id, status, end_reason, reasons, locked, "
                "override_same_org, version_id) VALUES (5, 1, 12, 11, 'completed', '', '[]', 0, 0, 1)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO excluded_pair (cohort_id, mentor_id, mentee_id, reason, created_at) "
                "VALUES (1, 13, 11, 'same department', '2025-01-10 09:00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO evaluation_response (id, cohort_id, participant_id, stage, role, version_id) "
                "VALUES (7, 1, 11, 'baseline', 'mentee', 1)"
            )
        )
        conn.execute(
            text("INSERT INTO evaluation_answer (response_id, item_key, value_int) VALUES (7, 'benefit_knowledge', 2)")
        )
        conn.execute(
            text(
                "INSERT INTO former_value (participant_id, value, recorded_at) "
                "VALUES (11, 'Ngozi Okafor', '2025-02-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO audit_event (at, os_user, action, cohort_id, entity_type, entity_id, description) "
                "VALUES ('2025-01-20 10:00:00', 'coord', 'match created', 1, 'match', 5, 'Ngozi Adeyemi (#11)')"
            )
        )
    engine.dispose()


def test_an_old_database_opens_with_people_and_memberships(tmp_path, capsys):
    path = tmp_path / "old.db"
    _old_database(path)
    db = open_database(path)
    assert current_revision(db.engine) == head_revision()
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(Person)) == 4  # Ngozi once, for both years
        ngozi_2025, ngozi_2026 = s.get(Participant, 11), s.get(Participant, 21)
        assert ngozi_2025.person_id == ngozi_2026.person_id
        # The person's details come from the newest application; each year keeps its own organisation.
        assert ngozi_2025.email == "Ngozi.Adeyemi@Trust.example"
        assert (ngozi_2025.organisation, ngozi_2026.organisation) == ("Riverside Trust", "Coastal Health Board")
        assert (ngozi_2026.role, ngozi_2025.role) == ("mentor", "mentee")
        assert s.scalar(select(Goal.text).where(Goal.participant_id == 11)) == "Lead a ward round"
        match = s.get(Match, 5)
        assert (match.mentor_id, match.mentee_id, match.status) == (12, 11, "completed")
        assert s.scalar(select(EvaluationAnswer.value_int)) == 2
        assert s.scalar(select(AuditEvent.description)) == "Ngozi Adeyemi (#11)"
        former = s.scalars(select(FormerValue)).one()
        assert (former.person_id, former.value) == (ngozi_2025.person_id, "Ngozi Okafor")
        exclusion = s.scalars(select(ExcludedPair)).one()
        priya = s.get(Participant, 13).person_id
        assert {exclusion.person_a_id, exclusion.person_b_id} == {priya, ngozi_2025.person_id}
        assert exclusion.reason == "same department"
        assert cohort_exclusions(s, 1) == {(13, 11), (11, 13)}
        assert s.scalar(text("PRAGMA foreign_key_check")) is None
    db.dispose()

    assert main(["--db", str(path), "participants", "--cohort", "Pilot 2025", "--format", "json"]) == 0
    pilot = {p["id"]: p for p in json.loads(capsys.readouterr().out)}
    assert main(["--db", str(path), "participants", "--cohort", "Scheme 2026", "--format", "json"]) == 0
    scheme = {p["id"]: p for p in json.loads(capsys.readouterr().out)}
    assert set(pilot) == {11, 12, 13} and set(scheme) == {21, 22}
    assert pilot[11]["person_id"] == scheme[21]["person_id"] != pilot[12]["person_id"]
    assert pilot[11]["first_name"] == "Ngozi" and pilot[11]["organisation"] == "Riverside Trust"


def test_the_upgrade_goes_back_down_with_every_row(tmp_path):
    path = tmp_path / "old.db"
    _old_database(path)
    db = open_database(path)
    upgrade_to = "0004"
    from alembic import command

    from mentorapp.store.db import alembic_config

    cfg = alembic_config(db.engine)
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
        command.downgrade(cfg, upgrade_to)
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT id, email, organisation FROM participant ORDER BY id")).all()
        assert [r[0] for r in rows] == [11, 12, 13, 21, 22]
        assert rows[0][1] == rows[3][1] == "Ngozi.Adeyemi@Trust.example"
        assert conn.execute(text("SELECT mentor_id, mentee_id FROM excluded_pair")).all() == [(13, 11)]
        assert conn.execute(text("SELECT participant_id, value FROM former_value ORDER BY participant_id")).all() == [
            (11, "Ngozi Okafor"),
            (21, "Ngozi Okafor"),
        ]
    db.dispose()
