"""Matches: hard rules, lifecycle, exact undo/redo, conflicts and the command line."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from mentorapp.cli.main import main as cli
from mentorapp.errors import ConflictError, UserError
from mentorapp.matching import actions as mx
from mentorapp.matching.board import load_board
from mentorapp.matching.queries import table_state
from mentorapp.store.models import AuditEvent, ExcludedPair, Match, Participant

pytestmark = pytest.mark.both_databases


def people(db, cohort_id):
    with db.session() as s:
        rows = list(s.scalars(select(Participant).where(Participant.cohort_id == cohort_id).order_by(Participant.id)))
        return [p for p in rows if p.role == "mentee"], [p for p in rows if p.role == "mentor"]


def free_pair(db, cohort_id, skip=()):
    """A mentee and a mentor from different organisations with room."""
    mentees, mentors = people(db, cohort_id)
    for e in mentees:
        for r in mentors:
            if e.organisation != r.organisation and e.id not in skip and r.capacity > 0:
                return e.id, r.id
    raise AssertionError("no free pair in the demo")


def same_org_pair(db, cohort_id):
    mentees, mentors = people(db, cohort_id)
    for e in mentees:
        for r in mentors:
            if e.organisation == r.organisation:
                return e.id, r.id
    raise AssertionError("the demo has no same-organisation pair")


def state(db, cohort_id):
    with db.session() as s:
        return table_state(s, cohort_id)


def test_create_records_score_reasons_and_audit(demo_db, demo_cohort_id):
    mentee, mentor = free_pair(demo_db, demo_cohort_id)
    with demo_db.transaction() as s:
        change = mx.create_match(s, mentee, mentor)
    with demo_db.session() as s:
        m = s.get(Match, change.match_ids[0])
        assert (m.mentee_id, m.mentor_id, m.status) == (mentee, mentor, "proposed")
        assert m.score is not None and m.reasons and "text" in m.reasons[0]
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "match proposed")) is not None
    with demo_db.transaction() as s, pytest.raises(UserError, match="already matched"):
        mx.create_match(s, mentee, mentor)


def test_same_organisation_refused_unless_overridden(demo_db, demo_cohort_id):
    mentee, mentor = same_org_pair(demo_db, demo_cohort_id)
    with demo_db.transaction() as s, pytest.raises(mx.RuleBrokenError) as info:
        mx.create_match(s, mentee, mentor)
    assert info.value.overridable and "both work at" in str(info.value)
    assert state(demo_db, demo_cohort_id)["match"] == []
    with demo_db.transaction() as s:
        change = mx.create_match(s, mentee, mentor, override_same_org=True)
    with demo_db.session() as s:
        assert s.get(Match, change.match_ids[0]).override_same_org is True


def test_full_mentor_and_excluded_pair_cannot_be_overridden(demo_db, demo_cohort_id):
    mentees, mentors = people(demo_db, demo_cohort_id)
    mentor = next(r for r in mentors if r.capacity == 1)
    others = [e for e in mentees if e.organisation != mentor.organisation]
    with demo_db.transaction() as s:
        mx.create_match(s, others[0].id, mentor.id)
    with demo_db.transaction() as s, pytest.raises(mx.RuleBrokenError) as info:
        mx.create_match(s, others[1].id, mentor.id, override_same_org=True)
    assert not info.value.overridable and "no place left" in str(info.value)
    mentor2 = next(r for r in mentors if r.capacity >= 2 and r.organisation != others[1].organisation)
    with demo_db.transaction() as s:
        mx.exclude_pair(s, others[1].id, mentor2.id, reason="Worked together")
    with demo_db.transaction() as s, pytest.raises(mx.RuleBrokenError, match="excluded"):
        mx.create_match(s, others[1].id, mentor2.id)


def test_undo_and_redo_restore_exact_rows(demo_db, demo_cohort_id):
    a, b = free_pair(demo_db, demo_cohort_id), None
    mentees, mentors = people(demo_db, demo_cohort_id)
    states = [state(demo_db, demo_cohort_id)]
    changes = []
    with demo_db.transaction() as s:
        changes.append(mx.create_match(s, *a))
    states.append(state(demo_db, demo_cohort_id))
    match_id = changes[0].match_ids[0]
    b = next(
        r.id
        for r in mentors
        if r.id != a[1] and r.organisation != next(e for e in mentees if e.id == a[0]).organisation
    )
    with demo_db.transaction() as s:
        changes.append(mx.move_match(s, match_id, b))
    states.append(state(demo_db, demo_cohort_id))
    with demo_db.transaction() as s:
        changes.append(mx.set_status(s, match_id, "confirmed"))
    states.append(state(demo_db, demo_cohort_id))
    with demo_db.transaction() as s:
        changes.append(mx.set_locked(s, match_id, True))
    states.append(state(demo_db, demo_cohort_id))
    with demo_db.transaction() as s:
        changes.append(mx.set_locked(s, match_id, False))
    with demo_db.transaction() as s:
        changes.append(mx.unmatch(s, match_id))
    states.append(state(demo_db, demo_cohort_id))
    assert states[-1]["match"] == []
    # Undo everything, checking each state on the way, then redo it all.
    for n in range(len(changes) - 1, -1, -1):
        with demo_db.transaction() as s:
            mx.undo_change(s, changes[n])
    assert state(demo_db, demo_cohort_id) == states[0]
    for change in changes:
        with demo_db.transaction() as s:
            mx.redo_change(s, change)
    assert state(demo_db, demo_cohort_id) == states[-1]
    with demo_db.transaction() as s:
        mx.undo_change(s, changes[-1])
    restored = state(demo_db, demo_cohort_id)["match"]
    assert restored[0]["id"] == match_id and restored[0]["status"] == "confirmed"


def test_undo_refuses_when_someone_else_changed_the_row(demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        change = mx.create_match(s, *free_pair(demo_db, demo_cohort_id))
    with demo_db.transaction() as s:
        mx.set_status(s, change.match_ids[0], "confirmed")
    before = state(demo_db, demo_cohort_id)
    with demo_db.transaction() as s, pytest.raises(ConflictError):
        mx.undo_change(s, change)
    assert state(demo_db, demo_cohort_id) == before


def test_stale_version_is_a_conflict(demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        change = mx.create_match(s, *free_pair(demo_db, demo_cohort_id))
    match_id = change.match_ids[0]
    with demo_db.transaction() as s:
        mx.set_locked(s, match_id, True, expected_version=1)
    with demo_db.transaction() as s, pytest.raises(ConflictError):
        mx.set_locked(s, match_id, False, expected_version=1)
    with demo_db.transaction() as s, pytest.raises(UserError, match="locked"):
        mx.unmatch(s, match_id)


def test_lifecycle_rules(demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        match_id = mx.create_match(s, *free_pair(demo_db, demo_cohort_id)).match_ids[0]
    with demo_db.transaction() as s, pytest.raises(UserError, match="cannot become completed"):
        mx.set_status(s, match_id, "completed")
    with demo_db.transaction() as s, pytest.raises(UserError, match="why"):
        mx.set_status(s, match_id, "ended_early", reason="  ")
    with demo_db.transaction() as s:
        mx.set_status(s, match_id, "active")
    with demo_db.transaction() as s, pytest.raises(UserError, match="end it early"):
        mx.unmatch(s, match_id)
    with demo_db.transaction() as s:
        mx.set_status(s, match_id, "ended_early", reason="Change of job or organisation")
    with demo_db.session() as s:
        m = s.get(Match, match_id)
        assert (m.status, m.end_reason) == ("ended_early", "Change of job or organisation")
        assert m.started_on is not None and m.ended_on is not None


def test_exclude_removes_a_proposed_match_and_undo_brings_it_back(demo_db, demo_cohort_id):
    pair = free_pair(demo_db, demo_cohort_id)
    with demo_db.transaction() as s:
        mx.create_match(s, *pair)
    before = state(demo_db, demo_cohort_id)
    with demo_db.transaction() as s:
        change = mx.exclude_pair(s, *pair)
    with demo_db.session() as s:
        assert s.scalars(select(Match)).all() == []
        assert len(s.scalars(select(ExcludedPair)).all()) == 1
    with demo_db.transaction() as s:
        mx.undo_change(s, change)
    assert state(demo_db, demo_cohort_id) == before


def test_confirm_all_and_board_data(demo_db, demo_cohort_id):
    first = free_pair(demo_db, demo_cohort_id)
    second = free_pair(demo_db, demo_cohort_id, skip={first[0]})
    with demo_db.transaction() as s:
        mx.accept_suggestions(s, demo_cohort_id, [first, second])
    with demo_db.session() as s:
        board = load_board(s, demo_cohort_id)
    assert len(board.unmatched_mentee_ids()) == len(board.mentee_ids) - 2
    with demo_db.transaction() as s:
        change = mx.confirm_all_proposed(s, demo_cohort_id)
    assert len(change.match_ids) == 2
    with demo_db.session() as s:
        assert {m.status for m in s.scalars(select(Match))} == {"confirmed"}
        again = load_board(s, demo_cohort_id, board)
    assert again.people is board.people  # participants unchanged: not read again


def test_cli_matches_and_confirm(demo_db, demo_cohort_id, db_path, capsys):
    with demo_db.transaction() as s:
        mx.create_match(s, *free_pair(demo_db, demo_cohort_id))
    assert cli(["--db", db_path, "matches", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0]["status"] == "proposed" and rows[0]["score"] is not None and rows[0]["locked"] is False
    assert cli(["--db", db_path, "confirm"]) == 0
    assert "Confirmed 1 proposed match" in capsys.readouterr().out
    assert cli(["--db", db_path, "matches", "--status", "confirmed"]) == 0
    out = capsys.readouterr().out
    assert "Confirmed" in out and "Mentee" in out
    assert cli(["--db", db_path, "matches", "--cohort", "Nope"]) == 1
    assert "no cohort called" in capsys.readouterr().err
    assert cli(["--db", db_path, "matches", "--status", "maybe"]) == 2


def test_accept_suggestions_is_all_or_nothing_and_confirm_all_undoes_exactly(demo_db, demo_cohort_id):
    mentees, mentors = people(demo_db, demo_cohort_id)
    mentor = next(r for r in mentors if r.capacity == 1)
    first = free_pair(demo_db, demo_cohort_id)
    others = [e.id for e in mentees if e.organisation != mentor.organisation and e.id != first[0]]
    with demo_db.transaction() as s, pytest.raises(mx.RuleBrokenError, match="no place left"):
        mx.accept_suggestions(s, demo_cohort_id, [first, (others[0], mentor.id), (others[1], mentor.id)])
    assert state(demo_db, demo_cohort_id)["match"] == []
    second = free_pair(demo_db, demo_cohort_id, skip={first[0]})
    with demo_db.transaction() as s:
        mx.accept_suggestions(s, demo_cohort_id, [first, second])
    before = state(demo_db, demo_cohort_id)
    with demo_db.transaction() as s:
        change = mx.confirm_all_proposed(s, demo_cohort_id)
    after = state(demo_db, demo_cohort_id)
    assert [m["version_id"] for m in after["match"]] == [2, 2]
    with demo_db.transaction() as s:
        mx.undo_change(s, change)
    assert state(demo_db, demo_cohort_id) == before
    with demo_db.transaction() as s:
        mx.redo_change(s, change)
    assert state(demo_db, demo_cohort_id) == after
