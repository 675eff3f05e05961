"""The instrument and responses: validation, save/replace, delete and undo snapshots, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from mentorapp.errors import ConflictError, UserError
from mentorapp.evaluation.instrument import (
    BENEFITS,
    ITEMS,
    ResponseData,
    clean_answer,
    delete_response,
    get_response,
    items_for,
    parse_stage,
    restore,
    save_response,
    snapshot,
)
from mentorapp.store.models import AuditEvent, EvaluationAnswer, EvaluationResponse
from tests.support.evaluation_data import build_small_cohort

pytestmark = pytest.mark.both_databases


def test_instrument_has_the_six_benefits_and_unique_keys() -> None:
    assert len(BENEFITS) == 6
    assert len({i.key for i in ITEMS}) == len(ITEMS)
    assert [i.key for i in items_for("mentee", "baseline")] == [b.key for b in BENEFITS]
    mentor_six = {i.key for i in items_for("mentor", "six_month")}
    assert {"mentor_learning", "mentor_learning_rating", "satisfaction", "meetings"} <= mentor_six
    assert "mentor_learning" not in {i.key for i in items_for("mentee", "six_month")}
    assert "mentor_learning" in {i.key for i in items_for("both", "six_month")}


@pytest.mark.parametrize(
    ("key", "raw", "stored", "ok"),
    [
        ("satisfaction", "4", 4, True),
        ("satisfaction", 5.0, 5, True),
        ("satisfaction", "4 - Very", 4, True),
        ("satisfaction", 6, None, False),
        ("satisfaction", "0", None, False),
        ("meetings", "12", 12, True),
        ("meetings", -1, None, False),
        ("meetings", 2.5, None, False),
        ("would_recommend", "Yes", True, True),
        ("would_recommend", "n", False, True),
        ("would_recommend", "maybe", None, False),
        ("went_well", "  fine  ", "fine", True),
        ("went_well", "x" * 6000, None, False),
    ],
)
def test_clean_answer(key: str, raw, stored, ok: bool) -> None:
    from mentorapp.evaluation.instrument import ITEMS_BY_KEY

    value, problem = clean_answer(ITEMS_BY_KEY[key], raw)
    assert value == stored
    assert (problem is None) == ok


def test_parse_stage_spellings() -> None:
    assert parse_stage("six-month") == parse_stage("Six_Month") == "six_month"
    assert parse_stage("baseline") == "baseline"
    with pytest.raises(UserError, match="not an evaluation stage"):
        parse_stage("later")


def test_save_replaces_instead_of_duplicating(db) -> None:
    small = build_small_cohort(db, responses=False)
    with db.transaction() as s:
        _row, created = save_response(s, ResponseData(small.alice, "baseline", {"benefit_confidence": 2}))
    with db.transaction() as s:
        _row, created_again = save_response(s, ResponseData(small.alice, "baseline", {"benefit_leadership": "3"}))
    assert (created, created_again) == (True, False)
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(EvaluationResponse)) == 1
        assert get_response(s, small.alice, "baseline").answers == {"benefit_leadership": 3}
        actions = list(s.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions[-2:] == ["evaluation saved", "evaluation edited"]


def test_save_refuses_bad_answers_and_questions_not_asked(db) -> None:
    small = build_small_cohort(db, responses=False)
    with db.transaction() as s, pytest.raises(UserError, match="not a rating from 1 to 5"):
        save_response(s, ResponseData(small.alice, "baseline", {"benefit_confidence": 9}))
    with db.transaction() as s, pytest.raises(UserError, match="not asked of a mentee"):
        save_response(s, ResponseData(small.alice, "six_month", {"mentor_learning": "x"}))
    with db.transaction() as s, pytest.raises(UserError, match="not asked of a mentee"):
        save_response(s, ResponseData(small.alice, "baseline", {"satisfaction": 4}))
    with db.transaction() as s, pytest.raises(UserError, match="no answers"):
        save_response(s, ResponseData(small.alice, "baseline", {"benefit_confidence": ""}))
    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(EvaluationResponse)) == 0


def test_delete_and_restore_give_back_the_same_rows(db) -> None:
    small = build_small_cohort(db)
    with db.session() as s:
        before = snapshot(s, small.alice, "six_month")
    with db.transaction() as s:
        snap = delete_response(s, small.alice, "six_month")
    with db.session() as s:
        assert get_response(s, small.alice, "six_month") is None
        assert (
            s.scalar(
                select(func.count())
                .select_from(EvaluationAnswer)
                .where(EvaluationAnswer.response_id == snap.response["id"])
            )
            == 0
        )
    with db.transaction() as s:
        restore(s, small.alice, "six_month", snap)
    with db.session() as s:
        after = snapshot(s, small.alice, "six_month")
        response = get_response(s, small.alice, "six_month")
    assert after == before
    assert response.answers["would_recommend"] is True
    assert response.submitted_on == dt.date(2022, 3, 5)
    with db.transaction() as s, pytest.raises(ConflictError):
        delete_response(s, small.cara, "six_month")


def test_undo_of_an_edit_puts_the_old_answers_back(db) -> None:
    small = build_small_cohort(db)
    with db.transaction() as s:
        old = snapshot(s, small.bob, "baseline")
        save_response(s, ResponseData(small.bob, "baseline", {"benefit_confidence": 5}))
    with db.transaction() as s:
        restore(s, small.bob, "baseline", old)
    with db.session() as s:
        assert get_response(s, small.bob, "baseline").answers == {"benefit_confidence": 3}
    # Undo of a first entry: no snapshot, so the response goes away.
    with db.transaction() as s:
        restore(s, small.bob, "baseline", None)
    with db.session() as s:
        assert get_response(s, small.bob, "baseline") is None
