"""Two coordinators, two sessions: the second save of the same record fails instead of overwriting.

Runs on SQLite and, with ``--pg``, on PostgreSQL (where the two sessions are
truly concurrent connections to a server).
"""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm.exc import StaleDataError

from mentorapp.errors import ConflictError
from mentorapp.people.participants import delete_participant, get_participant, update_participant
from mentorapp.store.models import Cohort, EvaluationResponse, Match, Participant

pytestmark = pytest.mark.both_databases


def _first_pair(db, cohort_id):
    with db.transaction() as s:
        mentee = s.scalars(select(Participant).where(Participant.role == "mentee").order_by(Participant.id)).first()
        mentor = s.scalars(select(Participant).where(Participant.role == "mentor").order_by(Participant.id)).first()
        m = Match(cohort_id=cohort_id, mentee_id=mentee.id, mentor_id=mentor.id)
        s.add(m)
        s.flush()
        return m.id, mentee.id


@pytest.mark.parametrize("model", [Match, Participant, Cohort, EvaluationResponse])
def test_second_writer_of_a_versioned_row_gets_stale_data(demo_db, demo_cohort_id, model):
    match_id, mentee_id = _first_pair(demo_db, demo_cohort_id)
    if model is EvaluationResponse:
        with demo_db.transaction() as s:
            r = EvaluationResponse(cohort_id=demo_cohort_id, participant_id=mentee_id, stage="baseline", role="mentee")
            s.add(r)
            s.flush()
            row_id = r.id
        field, first, second = "role", "mentor", "both"
    elif model is Match:
        row_id, field, first, second = match_id, "status", "confirmed", "active"
    elif model is Participant:
        row_id, field, first, second = mentee_id, "phone", "0111", "0222"
    else:
        row_id, field, first, second = demo_cohort_id, "status", "running", "evaluating"
    one, two = demo_db.Session(), demo_db.Session()
    try:
        a, b = one.get(model, row_id), two.get(model, row_id)
        one.commit()
        two.commit()  # both have read and hold the row, no transaction open (as a screen does)
        setattr(a, field, first)
        one.commit()
        setattr(b, field, second)
        with pytest.raises(StaleDataError):
            two.commit()
        two.rollback()
    finally:
        one.close()
        two.close()
    with demo_db.session() as s:
        assert getattr(s.get(model, row_id), field) == first


def test_update_participant_reports_a_conflict_not_an_overwrite(demo_db):
    with demo_db.session() as s:
        mine, theirs = get_participant(s, 3), get_participant(s, 3)
    theirs.organisation = "Their change"
    with demo_db.transaction() as s:
        update_participant(s, theirs)
    mine.organisation = "My change"
    with pytest.raises(ConflictError, match="changed by someone else"), demo_db.transaction() as s:
        update_participant(s, mine)
    with demo_db.session() as s:
        assert get_participant(s, 3).organisation == "Their change"


def test_update_of_a_participant_deleted_elsewhere(demo_db):
    with demo_db.session() as s:
        mine = get_participant(s, 4)
    with demo_db.transaction() as s:
        delete_participant(s, 4)
    with pytest.raises(ConflictError, match="deleted by someone else"), demo_db.transaction() as s:
        update_participant(s, mine)
