"""PostgreSQL: sequences after explicit ids, and two writers at once ending in the conflict sentence.

These need a real server (``pg_url``: skipped without MENTORAPP_TEST_PG_URL; scripts/test.sh starts one).
The second writer is started only once the first has written and holds its locks, and the first
commits only once the server shows the second waiting for them: the race happens every time.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from mentorapp.demo.cohort import create_demo
from mentorapp.demo.evaluations import fill_demo_evaluations
from mentorapp.errors import ConflictError
from mentorapp.matching.actions import accept_suggestions
from mentorapp.matching.solver import suggest
from mentorapp.people.cohorts import find_cohort
from mentorapp.people.participants import ParticipantData, create_participant, update_participant
from mentorapp.store.db import CONFLICT_SENTENCE, open_database
from mentorapp.store.models import EvaluationResponse, Match, Participant

pytestmark = pytest.mark.both_databases


def _wait_until_someone_waits_for_a_lock(url: str) -> None:
    """Poll the server until a session of this database is blocked on a lock (the race is set up)."""
    name = make_url(url).database
    engine = create_engine(url, poolclass=NullPool)
    try:
        for _ in range(2000):
            with engine.connect() as conn:
                waiting = conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE datname = :n AND wait_event_type = 'Lock'"),
                    {"n": name},
                ).scalar()
            if waiting:
                return
            time.sleep(0.01)
        raise AssertionError("the second writer never reached the lock")
    finally:
        engine.dispose()


@pytest.fixture
def demo_pg(pg_url):
    db = open_database(pg_url)
    with db.transaction() as s:
        create_demo(s)
    yield db
    db.dispose()


def test_after_the_demo_new_rows_get_fresh_ids(demo_pg):
    with demo_pg.transaction() as s:
        fill_demo_evaluations(s, find_cohort(s, None).id)
    with demo_pg.transaction() as s:
        cohort_id = find_cohort(s, None).id
        top = s.scalar(select(Participant.id).order_by(Participant.id.desc()).limit(1))
        p = create_participant(
            s, cohort_id, ParticipantData(first_name="New", last_name="Person", email="new@x.example", role="mentor")
        )
        assert p.id == top + 1
        r = EvaluationResponse(cohort_id=cohort_id, participant_id=p.id, stage="baseline", role="mentor")
        s.add(r)
        s.flush()
        assert r.id is not None


def test_a_second_demo_and_a_recreated_row_keep_the_sequence_right(demo_pg):
    with demo_pg.transaction() as s:
        create_demo(s, name="Second demo")
    with demo_pg.transaction() as s:
        cohort_id = find_cohort(s, "Second demo").id
        gone = s.scalar(select(Participant).where(Participant.cohort_id == cohort_id).limit(1))
        data = ParticipantData.from_model(gone)
        s.delete(gone)
    with demo_pg.transaction() as s:  # redo/undo puts the row back with its id
        create_participant(s, cohort_id, data, validate=False)
    with demo_pg.transaction() as s:
        fresh = create_participant(
            s, cohort_id, ParticipantData(first_name="A", last_name="B", email="ab@x.example", role="mentor")
        )
        assert fresh.id > data.id


def test_two_simultaneous_saves_of_one_participant(demo_pg, pg_url):
    with demo_pg.session() as s:
        original = ParticipantData.from_model(s.scalars(select(Participant).order_by(Participant.id)).first())
    second_db = open_database(pg_url)
    outcome: list[BaseException | None] = []

    def second() -> None:
        try:
            with second_db.transaction() as s:
                data = ParticipantData.from_model(s.get(Participant, original.id))
                data.version_id = original.version_id
                data.job_title = "Second writer"
                update_participant(s, data)
            outcome.append(None)
        except BaseException as exc:  # the test reports whatever the writer ended in
            outcome.append(exc)

    try:
        with demo_pg.transaction() as s:
            mine = ParticipantData.from_model(s.get(Participant, original.id))
            mine.job_title = "First writer"
            update_participant(s, mine)
            s.flush()
            writer = threading.Thread(target=second)
            writer.start()
            _wait_until_someone_waits_for_a_lock(pg_url)
        writer.join(timeout=120)
    finally:
        second_db.dispose()
    assert len(outcome) == 1 and isinstance(outcome[0], ConflictError), repr(outcome)
    assert "changed by someone else" in str(outcome[0])
    with demo_pg.session() as s:
        assert s.get(Participant, original.id).job_title == "First writer"


def test_two_simultaneous_match_apply_end_in_the_conflict_sentence(demo_pg, pg_url):
    with demo_pg.session() as s:
        cohort_id = find_cohort(s, None).id
    env = {**os.environ, "MENTORAPP_DB": pg_url}
    with demo_pg.transaction() as s:
        result = suggest(s, cohort_id)
        pairs = [(x.mentee.id, x.mentor.id) for x in result.matches]
        assert pairs
        accept_suggestions(s, cohort_id, pairs, {(x.mentee.id, x.mentor.id): x.score for x in result.matches})
        s.flush()
        # The same command from another process, while these matches are written but not committed.
        other = subprocess.Popen(
            [sys.executable, "-m", "mentorapp", "--db", pg_url, "match", "--apply"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        _wait_until_someone_waits_for_a_lock(pg_url)
    out, err = other.communicate(timeout=300)
    assert other.returncode == 1, (out, err)
    assert "Traceback" not in err and "duplicate key" not in err and "InvalidRequestError" not in err
    assert CONFLICT_SENTENCE in err
    with demo_pg.session() as s:
        assert len(s.scalars(select(Match).where(Match.cohort_id == cohort_id)).all()) >= len(pairs)
