"""The ``match`` command: table and JSON output, --apply, options and errors."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from mentorapp.cli.main import main
from mentorapp.store.models import Match

pytestmark = pytest.mark.both_databases


@pytest.fixture
def demo_path(demo_db, db_path) -> str:
    return db_path


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_has_the_documented_shape(demo_path, capsys):
    code, out, err = run(capsys, "--db", demo_path, "match", "--cohort", "future leaders PILOT", "--format", "json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert {"matches", "unmatched"} <= set(data)
    assert data["matches"]
    first = data["matches"][0]
    assert set(first) >= {"mentee", "mentor", "score", "reasons"}
    assert set(first["mentee"]) == {"id", "name", "email", "person_id"} == set(first["mentor"])
    assert all(set(r) == {"text", "contribution"} for r in first["reasons"])
    assert sum(r["contribution"] for r in first["reasons"]) == pytest.approx(first["score"], abs=1e-3)
    for u in data["unmatched"]:
        assert set(u) == {"mentee", "reason"} and u["reason"].endswith(".")


def test_table_explains_every_pair_and_stores_nothing(demo_path, demo_db, capsys):
    code, out, _ = run(capsys, "--db", demo_path, "match")
    assert code == 0
    assert "Suggested pairs for 'Future Leaders pilot' (best total score):" in out
    assert "  ->  " in out and "score " in out
    assert "matches mentor's" in out and "career stage" in out
    assert "run again with --apply" in out
    assert "earlier cohort" not in out  # the pilot has no former pairs to avoid or prefer
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Match)) == 0


def test_apply_stores_proposed_matches_then_nothing_is_left_to_suggest(demo_path, demo_db, capsys):
    code, out, _ = run(capsys, "--db", demo_path, "match", "--objective", "coverage", "--apply", "--format", "json")
    assert code == 0
    data = json.loads(out)
    ids = [m["match_id"] for m in data["matches"]]
    with demo_db.session() as s:
        rows = s.scalars(select(Match)).all()
    assert sorted(ids) == sorted(m.id for m in rows)
    assert {m.status for m in rows} == {"proposed"}
    code, out, _ = run(capsys, "--db", demo_path, "match")
    assert code == 0
    assert "already has a match" in out or "Still unmatched" in out


def test_min_score_leaves_weak_pairs_out(demo_path, capsys):
    _, out, _ = run(capsys, "--db", demo_path, "match", "--min-score", "0.7", "--format", "json")
    data = json.loads(out)
    assert data["min_score"] == 0.7
    assert all(m["score"] >= 0.7 - 1e-4 for m in data["matches"])
    assert any("below the minimum score of 0.7" in u["reason"] for u in data["unmatched"])
    _, table, _ = run(capsys, "--db", demo_path, "match", "--min-score", "0.7")
    assert "minimum score 0.7" in table and "Still unmatched" in table


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["match", "--cohort", "Nope"], 1, "There is no cohort called 'Nope'"),
        (["match", "--objective", "fastest"], 2, "invalid choice"),
        (["match", "--min-score", "high"], 2, "'high' is not a number"),
        (["match", "--min-score", "nan"], 2, "not a finite number"),
    ],
)
def test_errors_are_one_sentence(demo_path, capsys, args, code, message):
    got, out, err = run(capsys, "--db", demo_path, *args)
    assert got == code
    assert message in err and "Traceback" not in err and out == ""


def test_storing_one_suggestion_says_so_in_the_singular(demo_path, demo_db, capsys):
    with demo_db.session() as s:
        from mentorapp.store.models import Participant

        email = s.scalars(select(Participant.email).where(Participant.role == "mentee")).first()
    code, out, err = run(capsys, "--db", demo_path, "match", "--mentee", email, "--apply")
    assert code == 0, err
    assert "Stored 1 proposed match in 'Future Leaders pilot'." in out
