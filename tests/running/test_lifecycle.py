"""Start, end early (the do-not-rematch exclusion), rematch one freed mentee, complete: through matching.actions."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from mentorapp.errors import UserError
from mentorapp.matching import actions as mx
from mentorapp.matching.queries import table_state
from mentorapp.matching.rematch import suggest_for_mentee
from mentorapp.people.exclusions import cohort_exclusions
from mentorapp.running.dashboard import pipeline_counts
from mentorapp.running.settings import scheme_start
from mentorapp.store.models import Cohort, Match
from tests.running.conftest import STARTED, build

pytestmark = pytest.mark.both_databases


def test_start_makes_confirmed_pairs_active_and_the_cohort_running(db):
    r = build(db, "Start test 2024", start=False)
    with db.transaction() as s:
        before = table_state(s, r.cohort_id)
        change = mx.start_pairs(s, r.cohort_id, STARTED, match_ids=[r.pairs["Cleo"]])
        m = s.get(Match, r.pairs["Cleo"])
        assert (m.status, m.started_on, m.letter_sent_on) == ("active", STARTED, None)
        cohort = s.get(Cohort, r.cohort_id)
        assert cohort.status == "running" and scheme_start(cohort) == STARTED
        assert s.get(Match, r.pairs["Zoë"]).status == "confirmed"
        with pytest.raises(UserError, match="only confirmed pairs can be started"):
            mx.start_pairs(s, r.cohort_id, STARTED, match_ids=[r.pairs["Cleo"]])
    with db.transaction() as s:
        mx.undo_change(s, change)
        assert table_state(s, r.cohort_id) == before
    with db.transaction() as s:
        assert len(mx.start_pairs(s, r.cohort_id, STARTED).match_ids) == 3
    with db.transaction() as s, pytest.raises(UserError, match="no confirmed pairs to start"):
        mx.start_pairs(s, r.cohort_id, STARTED)


def test_starting_on_the_letters_day_marks_the_letters_not_marked_yet_and_undo_takes_it_back(db):
    """Else the dashboard's pipeline reads 'Letters sent 0' above 'Started 3'."""
    r = build(db, "Letters day 2024", start=False)
    earlier = STARTED - dt.timedelta(days=3)
    with db.transaction() as s:
        s.get(Match, r.pairs["Zoë"]).letter_sent_on = earlier
    with db.transaction() as s:
        before = table_state(s, r.cohort_id)
        change = mx.start_pairs(s, r.cohort_id, STARTED, letters_sent=True)
    # What Edit > Undo and the status bar say, with the date as a person reads it.
    assert change.description == "Start 3 pairs on 15 January 2024, their letters marked as sent"
    assert change.newly_set("letter_sent_on") == 2  # Zoë's letter was marked before
    with db.session() as s:
        sent = {name: s.get(Match, mid).letter_sent_on for name, mid in r.pairs.items()}
        pipeline = pipeline_counts(s, r.cohort_id, STARTED)
    assert sent == {"Zoë": earlier, "Brian": STARTED, "Cleo": STARTED}  # a date already marked stays
    assert pipeline["letters_sent"] == pipeline["started"] == 3
    with db.transaction() as s:
        mx.undo_change(s, change)
        assert table_state(s, r.cohort_id) == before


def test_end_early_needs_a_reason_and_rules_the_pair_out_then_the_mentee_gets_someone_new(running):
    db, pair = running.db, running.pairs["Cleo"]
    with db.transaction() as s, pytest.raises(UserError, match="Say why"):
        mx.end_pair(s, pair, reason="  ", ended_by="mentor", today=dt.date(2024, 3, 1))
    with db.transaction() as s, pytest.raises(UserError, match="before the pair started"):
        mx.end_pair(s, pair, reason="Moved away", on=dt.date(2024, 1, 2), today=dt.date(2024, 3, 1))
    with db.transaction() as s:
        change = mx.end_pair(
            s, pair, reason="Moved away", ended_by="mentor", on=dt.date(2024, 2, 20), today=dt.date(2024, 3, 1)
        )
        m = s.get(Match, pair)
        assert (m.status, m.ended_on, m.end_reason, m.ended_by) == (
            "ended_early",
            dt.date(2024, 2, 20),
            "Moved away",
            "mentor",
        )
        assert (running.pid("Femi"), running.pid("Cleo")) in cohort_exclusions(s, running.cohort_id)
        others = {mid: s.get(Match, mid).version_id for mid in (running.pairs["Zoë"], running.pairs["Brian"])}
        result = suggest_for_mentee(s, running.cohort_id, running.pid("Cleo"), objective="coverage")
        assert [(x.mentee.id, x.mentor.id) for x in result.matches] == [(running.pid("Cleo"), running.pid("Grace"))]
        mx.accept_suggestions(s, running.cohort_id, [(running.pid("Cleo"), running.pid("Grace"))])
        assert {mid: s.get(Match, mid).version_id for mid in others} == others  # nobody else touched
        with pytest.raises(UserError, match="already has a pair"):
            suggest_for_mentee(s, running.cohort_id, running.pid("Cleo"))
    with db.session() as s:
        assert len(list(s.scalars(select(Match).where(Match.mentee_id == running.pid("Cleo"))))) == 2
    # Undo of the end puts the pair and the exclusion back as they were (after the rematch is undone).
    with db.transaction() as s:
        current = s.scalar(select(Match).where(Match.mentee_id == running.pid("Cleo"), Match.status == "proposed"))
        mx.unmatch(s, current.id)
        mx.undo_change(s, change)
        assert s.get(Match, pair).status == "active"
        assert (running.pid("Femi"), running.pid("Cleo")) not in cohort_exclusions(s, running.cohort_id)


def test_complete_marks_the_remaining_active_pairs_completed_at_the_evaluation_date(running):
    with running.db.transaction() as s:
        mx.end_pair(s, running.pairs["Brian"], reason="Mentee left", ended_by="mentee", today=dt.date(2024, 3, 1))
        change = mx.complete_pairs(s, running.cohort_id)
        assert sorted(change.match_ids) == sorted([running.pairs["Zoë"], running.pairs["Cleo"]])
        statuses = {mid: (s.get(Match, mid).status, s.get(Match, mid).ended_on) for mid in running.pairs.values()}
        assert statuses[running.pairs["Zoë"]] == ("completed", dt.date(2024, 7, 8))
        assert statuses[running.pairs["Brian"]] == ("ended_early", dt.date(2024, 3, 1))
        assert s.get(Cohort, running.cohort_id).status == "evaluating"


def test_a_completed_pair_keeps_its_mentee_and_its_mentors_place(running):
    """After 'complete', suggestions left the finished mentees open and proposed them all again."""
    from mentorapp.matching.board import load_board
    from mentorapp.matching.solver import suggest

    with running.db.transaction() as s:
        mx.end_pair(s, running.pairs["Brian"], reason="Mentee left", ended_by="mentee", today=dt.date(2024, 3, 1))
        mx.complete_pairs(s, running.cohort_id)
    with running.db.session() as s:
        found = suggest(s, running.cohort_id, objective="coverage")  # these people have nothing to score
        proposed = {(p.mentee.first_name, p.mentor.first_name) for p in found.matches}
        board = load_board(s, running.cohort_id)
        with pytest.raises(UserError, match="completed a pair in this cohort already"):
            suggest_for_mentee(s, running.cohort_id, running.pid("Zoë"))
    # Only the mentees without a completed pair are open (Brian's pair ended early; Dana never had one),
    # and a completed pair keeps its mentor's place: Femi's one place is taken, Esther has one of two left.
    assert {mentee for mentee, _mentor in proposed} == {"Brian", "Dana"}
    assert "Femi" not in {mentor for _mentee, mentor in proposed}
    assert sorted(board.unmatched_mentee_ids()) == sorted([running.pid("Brian"), running.pid("Dana")])
    assert (board.free_places(running.pid("Femi")), board.free_places(running.pid("Esther"))) == (0, 1)
    with pytest.raises(UserError, match="completed a pair in this cohort already"), running.db.transaction() as s:
        mx.create_match(s, running.pid("Zoë"), running.pid("Grace"))


def test_the_roster_of_a_completed_cohort_counts_the_completed_pairs_as_places_taken(running):
    """After 'complete' the Mentors sheet read 0 mentees and every place free, beside 'Mentors without a mentee 0'."""
    from mentorapp.outputs.roster import collect_roster

    with running.db.transaction() as s:
        mx.complete_pairs(s, running.cohort_id)
    with running.db.session() as s:
        roster = collect_roster(s, running.cohort_id)
    mentors = roster.sheet("Mentors")
    names = [c.header for c in mentors.columns]
    by_name = {row[names.index("First name")]: row for row in mentors.rows}
    esther = by_name["Esther"]
    assert (esther[names.index("Mentees")], esther[names.index("Free places")]) == (2, 0)
    summary = dict(roster.summary)
    assert summary["Free mentor places"] == 1  # Grace's, the one mentor without a mentee
    assert summary["Mentors without a mentee"] == 1
