"""Matching knows the past: the pilot's pairs come back next year; avoid, prefer, ignore; early ends hold.

The trial: the demo pilot is matched and confirmed, then a second cohort is made with
the same people (same names and e-mails, so the same persons), and matched again.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from mentorapp.cli.main import main
from mentorapp.matching import actions
from mentorapp.matching.board import load_board
from mentorapp.matching.history import AVOIDED, load_history
from mentorapp.matching.rules import RuleContext, violations
from mentorapp.matching.solver import suggest
from mentorapp.matching.weights import set_former_pairs
from mentorapp.people.cohorts import find_cohort
from mentorapp.people.participants import ParticipantData, create_participant, list_participants
from mentorapp.store.models import Match, Participant

pytestmark = pytest.mark.both_databases

NEXT = "Future Leaders 2022"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def _copy(p: ParticipantData) -> ParticipantData:
    """The same person applying again: same name and e-mail; a new job title, the rest as before."""
    data = ParticipantData(**{k: getattr(p, k) for k in ParticipantData.__dataclass_fields__})
    data.id = data.cohort_id = data.version_id = data.person_id = None
    data.job_title = (p.job_title + " (2022)").strip()
    return data


@pytest.fixture
def two_years(demo_db, db_path, capsys) -> dict[str, object]:
    """The pilot matched (applied and confirmed); next year's cohort with every pilot person again."""
    code, _out, _err = run(capsys, "--db", db_path, "match", "--apply", "--format", "json")
    assert code == 0
    with demo_db.transaction() as s:
        pilot = find_cohort(s, None)
        actions.confirm_all_proposed(s, pilot.id)
        pilot_id = pilot.id
        pilot_pairs = {
            (m.mentee.person_id, m.mentor.person_id)
            for m in s.scalars(select(Match).where(Match.cohort_id == pilot_id))
        }
        start = pilot.start_date
    code, _out, err = run(
        capsys, "--db", db_path, "cohorts", "add", NEXT, "--start", (start + dt.timedelta(days=365)).isoformat()
    )
    assert code == 0, err
    with demo_db.transaction() as s:
        nxt = find_cohort(s, NEXT)
        for p in list_participants(s, pilot_id):
            create_participant(s, nxt.id, _copy(p))
        next_id = nxt.id
    return {"path": db_path, "db": demo_db, "pilot": pilot_id, "next": next_id, "pairs": pilot_pairs}


def _person_pairs(db, cohort_id: int, data: dict) -> set[tuple[int, int]]:
    with db.session() as s:
        rows = s.execute(select(Participant.id, Participant.person_id).where(Participant.cohort_id == cohort_id))
        person = {pid: person_id for pid, person_id in rows}
    return {(person[m["mentee"]["id"]], person[m["mentor"]["id"]]) for m in data["matches"]}


def test_returning_people_are_the_same_persons_and_history_finds_every_pilot_pair(two_years):
    db = two_years["db"]
    with db.session() as s:
        history = load_history(s, two_years["next"])
        mentee = {p.person_id: p.id for p in list_participants(s, two_years["next"])}
    assert len(history.worked) == len(two_years["pairs"]) > 10
    a, b = next(iter(two_years["pairs"]))
    former = history.get(mentee[a], mentee[b])
    assert former is not None and former.cohort_name == "Future Leaders pilot"
    assert former.sentence() == f"Worked together in {former.year} (Future Leaders pilot)"
    with db.session() as s:
        assert load_history(s, two_years["pilot"]).worked == {}  # the pilot has no earlier cohort


def test_match_avoids_former_pairs_by_default_and_prefer_repeats_them(two_years, capsys):
    path, db = two_years["path"], two_years["db"]
    code, out, _ = run(capsys, "--db", path, "match", "--cohort", NEXT, "--format", "json")
    assert code == 0
    avoided = json.loads(out)
    assert avoided["former_pairs"] == "avoid" and avoided["matches"]
    assert not _person_pairs(db, two_years["next"], avoided) & two_years["pairs"]

    code, out, _ = run(capsys, "--db", path, "match", "--cohort", NEXT, "--former-pairs", "prefer", "--format", "json")
    preferred = json.loads(out)
    repeated = _person_pairs(db, two_years["next"], preferred) & two_years["pairs"]
    assert len(repeated) == len(two_years["pairs"])  # every pilot pair is possible again, and each is chosen
    texts = [r["text"] for m in preferred["matches"] for r in m["reasons"]]
    assert any(t.startswith("Worked together in ") and "(Future Leaders pilot) (+1.00)" in t for t in texts)
    for m in preferred["matches"]:
        assert sum(r["contribution"] for r in m["reasons"]) == pytest.approx(m["score"], abs=1e-3)

    code, out, _ = run(capsys, "--db", path, "match", "--cohort", NEXT, "--former-pairs", "ignore", "--format", "json")
    ignored = json.loads(out)
    assert ignored["former_pairs"] == "ignore"
    shown = [r for m in ignored["matches"] for r in m["reasons"] if r["text"].startswith("Worked together")]
    assert all(r["contribution"] == 0 for r in shown)


def test_the_cohort_setting_is_the_default_and_the_table_says_which(two_years, capsys):
    path, db = two_years["path"], two_years["db"]
    with db.transaction() as s:
        set_former_pairs(s, two_years["next"], "prefer")
    code, out, _ = run(capsys, "--db", path, "match", "--cohort", NEXT)
    assert code == 0
    assert "(People who were a pair in an earlier cohort are preferred: --former-pairs.)" in out
    assert "Worked together in " in out
    code, out, _ = run(capsys, "--db", path, "match", "--cohort", NEXT, "--former-pairs", "avoid", "--format", "json")
    assert not _person_pairs(db, two_years["next"], json.loads(out)) & two_years["pairs"]


def test_coverage_uses_a_former_pair_only_when_it_matches_one_more_mentee(two_years):
    db = two_years["db"]
    with db.transaction() as s:
        people = list_participants(s, two_years["next"])
        history = load_history(s, two_years["next"])
        # Leave one mentee with only their former mentor: every other mentor works where the mentee does.
        (low, high), _former = next(iter(history.worked.items()))
        by_id = {p.id: p for p in people}
        mentee, mentor = (by_id[low], by_id[high]) if by_id[low].is_mentee else (by_id[high], by_id[low])
        for p in people:
            if p.is_mentor and p.id != mentor.id:
                row = s.get(Participant, p.id)
                row.organisation = mentee.organisation
        s.flush()
        by_score = suggest(s, two_years["next"])
        by_coverage = suggest(s, two_years["next"], objective="coverage")
    unmatched = {u.mentee.id: u.reason for u in by_score.unmatched}
    assert unmatched.get(mentee.id) == AVOIDED
    placed = {x.mentee.id: x.mentor.id for x in by_coverage.matches}
    assert placed.get(mentee.id) == mentor.id
    repeats = [x for x in by_coverage.matches if history.get(x.mentee.id, x.mentor.id) is not None]
    assert len(repeats) == 1


def test_a_pair_that_ended_early_is_refused_next_year_with_the_reason(two_years):
    db = two_years["db"]
    with db.transaction() as s:
        m = s.scalars(select(Match).where(Match.cohort_id == two_years["pilot"]).order_by(Match.id)).first()
        # Set directly, as an older release stored it: no exclusion row, only the status.
        m.status, m.end_reason = "ended_early", "Could not agree on times"
        pair = (m.mentee.person_id, m.mentor.person_id)
    with db.session() as s:
        now = {p.person_id: p for p in list_participants(s, two_years["next"])}
        mentee, mentor = now[pair[0]], now[pair[1]]
        ctx = RuleContext.load_from(s, two_years["next"])
        found = violations(mentee, mentor, ctx)
        board = load_board(s, two_years["next"])
        result = suggest(s, two_years["next"], former_pairs="prefer")
    assert [v.code for v in found] == ["excluded"]
    assert "pair ended early in" in found[0].message and "Could not agree on times" in found[0].message
    assert [v.message for v in violations(mentee, mentor, board.rule_context())] == [found[0].message]
    assert board.history is not None and board.history.get(mentee.id, mentor.id).ended_early
    assert all((x.mentee.id, x.mentor.id) != (mentee.id, mentor.id) for x in result.matches)
    with db.transaction() as s, pytest.raises(Exception, match="ended early"):
        actions.create_match(s, mentee.id, mentor.id)


def test_cohorts_weights_sets_and_shows_the_cohort_setting_in_one_transaction(two_years, capsys):
    path, db = two_years["path"], two_years["db"]
    code, out, _ = run(capsys, "--db", path, "cohorts", "weights", "--cohort", NEXT, "--former-pairs", "ignore")
    assert code == 0 and out.startswith(f"Former pairs in '{NEXT}': ignore.")
    code, out, _ = run(capsys, "--db", path, "cohorts", "weights", "--cohort", NEXT, "--format", "json")
    assert json.loads(out)["former_pairs"] == "ignore"
    code, _out, err = run(
        capsys, "--db", path, "cohorts", "weights", "--cohort", NEXT, "--former-pairs", "prefer", "--set", "text=7"
    )
    assert code == 1 and "text" in err
    with db.session() as s:
        assert load_history(s, two_years["next"]).mode == "ignore"  # the refused weight took the setting with it


def test_one_freed_mentee_gets_the_same_treatment_of_former_pairs(two_years, capsys):
    path, db = two_years["path"], two_years["db"]
    with db.session() as s:
        now = {p.person_id: p for p in list_participants(s, two_years["next"])}
    mentee_person, mentor_person = sorted(two_years["pairs"])[0]
    email = now[mentee_person].email
    args = ("--db", path, "match", "--cohort", NEXT, "--mentee", email, "--format", "json")
    code, out, _ = run(capsys, *args)
    assert code == 0
    (avoided,) = json.loads(out)["matches"]
    assert avoided["mentor"]["person_id"] != mentor_person
    code, out, _ = run(capsys, *args, "--former-pairs", "prefer")
    (preferred,) = json.loads(out)["matches"]
    assert preferred["mentor"]["person_id"] == mentor_person
