"""The database opens, is private, migrates from older revisions, and keeps rules in the schema."""

from __future__ import annotations

import datetime as dt
import os
import stat

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from mentorapp.errors import ConflictError, UserError
from mentorapp.store.db import (
    alembic_config,
    current_revision,
    head_revision,
    make_engine,
    open_database,
    resolve_url,
    upgrade,
)
from mentorapp.store.models import Cohort, Match, Participant

pytestmark = pytest.mark.both_databases

# A row the schema refuses: SQLite's IntegrityError; on a server, where another writer could have
# taken the key meanwhile, the unique ones reach the coordinator as the conflict sentence (from it).
REFUSED = (IntegrityError, ConflictError)


def test_new_database_file_is_owner_only(tmp_path):
    os.chmod(tmp_path, 0o755)
    path = tmp_path / "sub" / "m.db"
    db = open_database(str(path))
    with db.transaction() as s:
        s.add(Cohort(name="A", start_date=dt.date(2021, 9, 1), evaluation_date=dt.date(2022, 3, 1)))
    db.dispose()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700  # the folder it made for it
    assert stat.S_IMODE(os.stat(tmp_path).st_mode) == 0o755  # an existing folder is left as it is


def test_existing_database_is_tightened_but_other_files_untouched(tmp_path):
    path = tmp_path / "m.db"
    open_database(str(path)).dispose()
    os.chmod(path, 0o644)
    open_database(str(path)).dispose()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    other = tmp_path / "notes.txt"
    other.write_text("not a database")
    os.chmod(other, 0o644)
    with pytest.raises(UserError, match="cannot be opened"):
        open_database(str(other))
    assert stat.S_IMODE(os.stat(other).st_mode) == 0o644
    assert other.read_text() == "not a database"


@pytest.mark.sqlite_only
def test_pragmas_on_every_connection(db):
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_new_database_is_stamped_at_head(db):
    assert current_revision(db.engine) == head_revision()


def test_schema_revision_is_alembics_head_and_read_as_alembic_reads_it(db):
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()
    with db.engine.connect() as conn:
        assert current_revision(db.engine) == MigrationContext.configure(conn).get_current_revision()


def test_a_new_database_has_no_revision(tmp_path):
    engine = make_engine(resolve_url(str(tmp_path / "new.db")))
    assert current_revision(engine) is None
    engine.dispose()


def test_database_at_first_revision_upgrades_and_keeps_data(tmp_path):
    url = resolve_url(str(tmp_path / "old.db"))
    engine = make_engine(url)
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    assert "audit_event" not in inspect(engine).get_table_names()
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cohort (name, start_date, evaluation_date, status, focus_areas, settings) "
                "VALUES ('Old', '2021-09-01', '2022-03-01', 'recruiting', '[]', '{}')"
            )
        )
    engine.dispose()
    db = open_database(url)
    assert current_revision(db.engine) == head_revision()
    with db.session() as s:
        assert s.query(Cohort).one().name == "Old"
    assert "audit_event" in inspect(db.engine).get_table_names()
    db.dispose()


def test_database_at_0002_opens_with_each_cohort_given_the_built_in_stages_and_regions(tmp_path):
    url = resolve_url(str(tmp_path / "before-vocabulary.db"))
    engine = make_engine(url)
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cohort (id, name, start_date, evaluation_date, status, focus_areas, settings) "
                "VALUES (7, 'Allied health 2024', '2024-01-15', '2024-07-15', 'matching', "
                """'["Audit", "Return to work"]', '{"import_mapping": {"Surname": "last_name"}}')"""
            )
        )
        conn.execute(
            text(
                "INSERT INTO participant (id, cohort_id, title, first_name, last_name, email, phone, organisation, "
                "job_title, career_stage, region, membership_number, role, consent, notes, capacity, availability, "
                "meeting_preference, experience) VALUES (31, 7, 'Mx', 'Rowan', 'Ilves', 'rowan@ot.example', '', "
                "'Harbour Trust', 'Occupational therapist', 'Specialty trainee', 'Wales', '', 'mentee', 1, '', 1, "
                "'', 'online', '')"
            )
        )
    engine.dispose()

    db = open_database(url)
    assert current_revision(db.engine) == head_revision()
    with db.session() as s:
        cohort = s.get(Cohort, 7)
        assert cohort.career_stages[0] == "Student or foundation"
        assert cohort.career_stages[-1] == "Senior leader"
        assert len(cohort.career_stages) == 6
        assert "Wales" in cohort.regions and "Northern Ireland" in cohort.regions
        assert cohort.focus_areas == ["Audit", "Return to work"]
        assert cohort.settings == {"import_mapping": {"Surname": "last_name"}}
        assert cohort.status == "matching"
        person = s.get(Participant, 31)
        assert (person.first_name, person.career_stage, person.region) == ("Rowan", "Specialty trainee", "Wales")
        assert person.meeting_preference == "online"
    db.dispose()


def test_resolve_url(tmp_path, monkeypatch):
    assert resolve_url("postgresql+psycopg://u:p@localhost/x") == "postgresql+psycopg://u:p@localhost/x"
    assert resolve_url(str(tmp_path / "a.db")) == f"sqlite:///{tmp_path / 'a.db'}"
    monkeypatch.setenv("MENTORAPP_DB", str(tmp_path / "env.db"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'env.db'}"


def _cohort_with_two(db):
    with db.transaction() as s:
        c = Cohort(name="C", start_date=dt.date(2021, 9, 1), evaluation_date=dt.date(2022, 3, 1))
        s.add(c)
        s.flush()
        a = Participant(cohort_id=c.id, first_name="A", last_name="A", email="a@x.org", role="both")
        b = Participant(cohort_id=c.id, first_name="B", last_name="B", email="b@x.org", role="mentee")
        s.add_all([a, b])
        s.flush()
        return c.id, a.id, b.id


def test_schema_refuses_the_same_person_twice_in_a_cohort(db):
    cid, a, _ = _cohort_with_two(db)
    with pytest.raises(REFUSED) as refused, db.transaction() as s:
        s.add(Participant(cohort_id=cid, person_id=s.get(Participant, a).person_id, role="mentee"))
    assert isinstance(refused.value, IntegrityError) or isinstance(refused.value.__cause__, IntegrityError)


def test_schema_refuses_self_match_and_second_current_match(db):
    cid, a, b = _cohort_with_two(db)
    with pytest.raises(IntegrityError), db.transaction() as s:
        s.add(Match(cohort_id=cid, mentor_id=a, mentee_id=a))
    with db.transaction() as s:
        s.add(Match(cohort_id=cid, mentor_id=a, mentee_id=b))
    with pytest.raises(REFUSED), db.transaction() as s:
        s.add(Match(cohort_id=cid, mentor_id=a, mentee_id=b, status="proposed"))
    with db.transaction() as s:  # an ended match does not block a new one
        s.query(Match).one().status = "ended_early"
        s.add(Match(cohort_id=cid, mentor_id=a, mentee_id=b))


def test_the_models_make_the_one_current_match_index_partial_on_both_kinds_of_database() -> None:
    """The models' own DDL (metadata.create_all) says what migration 0001 says, PostgreSQL included,
    though the PostgreSQL dialect is no longer loaded to read the models (issue 19, item 1)."""
    from sqlalchemy import create_mock_engine

    from mentorapp.store.models import Base

    def ddl_of(url: str) -> list[str]:
        made: list[str] = []
        engine = create_mock_engine(url, lambda sql, *_a, **_k: made.append(str(sql.compile(dialect=engine.dialect))))
        Base.metadata.create_all(engine, checkfirst=False)
        return [ddl for ddl in made if "uq_match_current_mentee" in ddl]

    where = "WHERE status IN ('proposed', 'confirmed', 'active')"
    for url in ("postgresql+psycopg2://", "sqlite://"):
        index = ddl_of(url)
        assert len(index) == 1 and index[0].startswith("CREATE UNIQUE INDEX") and index[0].endswith(where), (url, index)


def test_deleting_a_cohort_cascades(db):
    cid, a, b = _cohort_with_two(db)
    with db.transaction() as s:
        s.add(Match(cohort_id=cid, mentor_id=a, mentee_id=b))
    with db.transaction() as s:
        s.delete(s.get(Cohort, cid))
    with db.session() as s:
        assert s.query(Participant).count() == 0
        assert s.query(Match).count() == 0


@pytest.mark.sqlite_only
def test_a_database_at_0003_gets_an_identity_of_its_own_and_the_former_values_table(tmp_path):
    from mentorapp.store.db import make_engine, upgrade
    from mentorapp.store.models import AppSetting

    identities = []
    for name in ("one.db", "two.db"):
        url = f"sqlite:///{tmp_path / name}"
        engine = make_engine(url)
        upgrade(engine, "0003")
        assert "former_value" not in inspect(engine).get_table_names()
        engine.dispose()
        db = open_database(url)
        assert "former_value" in inspect(db.engine).get_table_names()
        with db.session() as s:
            identities.append(s.get(AppSetting, "database_id").value)
        db.dispose()
    assert all(isinstance(i, str) and len(i) == 32 for i in identities) and identities[0] != identities[1]
