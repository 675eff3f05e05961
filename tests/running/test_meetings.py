"""The meeting log: dated meetings apart from counts reported at check-ins, undoable, impossible dates refused."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from mentorapp.errors import UserError
from mentorapp.matching.actions import redo_change, undo_change
from mentorapp.running.checkins import CheckinData, save_checkin_answer
from mentorapp.running.meetings import (
    add_meeting,
    delete_meeting,
    list_meetings,
    logged_meetings_figure,
    mentee_pair,
    pair_meetings,
    parse_mode,
    reported_counts,
)
from mentorapp.store.models import Meeting
from tests.running.conftest import STARTED

pytestmark = pytest.mark.both_databases
TODAY = dt.date(2024, 4, 1)


def count(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Meeting))


def test_a_meeting_is_logged_listed_and_undone(running):
    db = running.db
    with db.transaction() as s:
        change = add_meeting(
            s, running.pairs["Zoë"], dt.date(2024, 2, 1), minutes=50, mode="In person", reported_by="mentor",
            note="Talked about the MSc", today=TODAY,
        )  # fmt: skip
    with db.session() as s:
        rows = list_meetings(s, running.cohort_id)
    assert [(r.mentee, r.mentor, r.held_on, r.minutes, r.mode, r.reported_by, r.note) for r in rows] == [
        ("Zoë Ørsted", "Esther Achterberg", dt.date(2024, 2, 1), 50, "in-person", "mentor", "Talked about the MSc")
    ]
    assert rows[0].to_json()["mentee_email"].startswith("zoe.")
    with db.transaction() as s:
        undo_change(s, change)
    assert count(db) == 0
    with db.transaction() as s:
        redo_change(s, change)
    assert count(db) == 1
    with db.transaction() as s:
        gone = delete_meeting(s, rows[0].id)
    assert count(db) == 0
    with db.transaction() as s:
        undo_change(s, gone)
    assert count(db) == 1


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (STARTED - dt.timedelta(days=1), "before the pair Zoë Ørsted and Esther Achterberg started (2024-01-15)"),
        (TODAY + dt.timedelta(days=1), "is in the future (today is 2024-04-01)"),
    ],
)
def test_impossible_dates_are_refused_with_a_sentence_and_nothing_is_written(running, day, words):
    with running.db.transaction() as s, pytest.raises(UserError, match=words.replace("(", r"\(").replace(")", r"\)")):
        add_meeting(s, running.pairs["Zoë"], day, today=TODAY)
    assert count(running.db) == 0


def test_a_pair_not_started_or_bad_values_are_refused(db):
    from tests.running.conftest import build

    pending = build(db, "Not started 2024", start=False)
    with db.transaction() as s, pytest.raises(UserError, match="has not started yet"):
        add_meeting(s, pending.pairs["Cleo"], dt.date(2024, 2, 1), today=TODAY)
    with db.session() as s, pytest.raises(UserError, match="has not started yet"):
        mentee_pair(s, pending.cohort_id, "cleo.nnamdi@not.test")
    with pytest.raises(UserError, match="'skype' is not a way of meeting"):
        parse_mode("skype")
    assert parse_mode("Video call") == "video" and parse_mode(" ") is None


def test_the_two_sides_reports_of_one_period_are_not_added_together(running):
    db, pair = running.db, running.pairs["Zoë"]
    first, second = dt.date(2024, 2, 14), dt.date(2024, 4, 14)  # day 30 and 90 of the scheme's start (2024-01-15)
    with db.transaction() as s:
        for who, day, times in (("Zoë", first, 3), ("Esther", first, 2), ("Zoë", second, 1)):
            save_checkin_answer(s, CheckinData(running.pid(who), pair, day, met=True, times=times), today=second)
        add_meeting(s, pair, dt.date(2024, 1, 20), today=TODAY)
    with db.session() as s:
        assert reported_counts(s, running.cohort_id) == {pair: 4}  # max(3, 2) + 1, never 3 + 2 + 1
        summary = pair_meetings(s, running.cohort_id)[pair]
        assert (summary.logged, summary.reported, summary.first_on) == (1, 4, dt.date(2024, 1, 20))
        figure = logged_meetings_figure(s, running.cohort_id)
    assert (figure.pairs_started, figure.pairs_logged, figure.counts) == (3, 1, (1,))
    assert "covers 1 of 3 pairs" in figure.sentence()


def test_the_report_shows_the_log_beside_what_participants_reported(running):
    from mentorapp.evaluation.report import report_meta

    with running.db.transaction() as s:
        assert report_meta(s, running.cohort_id).logged_meetings == ""
        add_meeting(s, running.pairs["Cleo"], dt.date(2024, 2, 1), today=TODAY)
        add_meeting(s, running.pairs["Cleo"], dt.date(2024, 3, 1), today=TODAY)
        assert report_meta(s, running.cohort_id).logged_meetings == (
            "The coordinator's meeting log covers 1 of 3 pairs that started: a mean of 2.0 and a median of 2.0 "
            "logged meetings per pair."
        )
