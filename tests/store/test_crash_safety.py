"""Crash safety: a separate mentorapp process dies at a named point in the middle of work.

The point is named in ``MENTORAPP_CRASH_AT`` (see ``mentorapp.store.db.crash_point``):
the process ends there with ``os._exit``, no clean-up, as a power cut would leave it.
Afterwards the database must pass ``PRAGMA integrity_check`` and hold the state
before or after each transaction, never a mix: a 10,000-row import is all there
or not there at all, and a series of board edits stops cleanly between two edits.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mentorapp.demo.cohort import create_demo
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.vocabulary import DEFAULT_FOCUS_AREAS
from mentorapp.store.db import CRASH_ENV, CRASH_EXIT, open_database

pytestmark = [pytest.mark.sqlite_only, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
ROWS = 10_000


def _env(crash_at: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != CRASH_ENV}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    if crash_at:
        env[CRASH_ENV] = crash_at
    return env


def _integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def _scalar(path: Path, sql: str, *params) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchone()[0]
    finally:
        con.close()


def _write_applications(path: Path) -> None:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["First name", "Last name", "Email", "Role", "Short-term goal", "Short-term focus areas"])
        for i in range(ROWS):
            w.writerow(
                [
                    f"Applicant{i}",
                    f"Łukasz-Zoë {i}",
                    f"applicant{i}@example.org",
                    "mentee",
                    f"Goal number {i}: grow as a leader",
                    DEFAULT_FOCUS_AREAS[i % len(DEFAULT_FOCUS_AREAS)],
                ]
            )


def test_import_killed_midway_leaves_nothing_half_imported(tmp_path):
    db_path = tmp_path / "crash.db"
    db = open_database(db_path)
    with db.transaction() as s:
        cohort_id = create_cohort(s, CohortData(name="Big", start_date=dt.date(2026, 9, 1))).id
    db.dispose()
    before_events = _scalar(db_path, "SELECT count(*) FROM audit_event WHERE action != 'backup'")
    applications = tmp_path / "applications.csv"
    _write_applications(applications)
    # Dies once the first 500 rows are written into the import's transaction.
    crashed = subprocess.run(
        [sys.executable, "-m", "mentorapp", "--db", str(db_path), "import", str(applications), "--cohort", "Big"],
        env=_env("import-batch-written"),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert crashed.returncode == CRASH_EXIT, crashed.stderr
    assert _integrity(db_path) == "ok"
    people = _scalar(db_path, "SELECT count(*) FROM participant WHERE cohort_id = ?", cohort_id)
    goals = _scalar(db_path, "SELECT count(*) FROM goal")
    events = _scalar(db_path, "SELECT count(*) FROM audit_event WHERE action != 'backup'")
    # Killed mid-transaction: the state before it, all of it.
    assert (people, goals, events) == (0, 0, before_events)
    # The next start opens it normally and the same import then succeeds in full.
    done = subprocess.run(
        [sys.executable, "-m", "mentorapp", "--db", str(db_path), "import", str(applications), "--cohort", "Big"],
        env=_env(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert _scalar(db_path, "SELECT count(*) FROM participant WHERE cohort_id = ?", cohort_id) == ROWS
    assert _integrity(db_path) == "ok"


def test_large_demo_transaction_killed_leaves_state_before(tmp_path):
    """The same with the core directly: 10,000 participants written in one transaction."""
    db_path = tmp_path / "demo.db"
    open_database(db_path).dispose()
    script = textwrap.dedent(
        f"""
        from mentorapp.store.db import open_database
        from mentorapp.demo.cohort import create_demo
        db = open_database({str(db_path)!r})
        with db.transaction() as s:
            create_demo(s, name="Huge", mentees=8000, mentors=2000)
        print("committed", flush=True)
        """
    )
    # Dies with all 10,000 participants flushed into the transaction, just before its commit.
    crashed = subprocess.run(
        [sys.executable, "-c", script], env=_env("before-commit"), capture_output=True, text=True, timeout=300
    )
    assert crashed.returncode == CRASH_EXIT, crashed.stderr
    assert "committed" not in crashed.stdout
    assert os.path.getsize(f"{db_path}-wal") > 1024 * 1024  # megabytes written, none of them committed
    assert _integrity(db_path) == "ok"
    people = _scalar(db_path, "SELECT count(*) FROM participant")
    cohorts = _scalar(db_path, "SELECT count(*) FROM cohort")
    assert (people, cohorts) == (0, 0), "a half-written demo survived"
    # Without the crash point the same transaction commits all of it.
    done = subprocess.run([sys.executable, "-c", script], env=_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "committed" in done.stdout, done.stderr
    assert _scalar(db_path, "SELECT count(*) FROM participant") == 10_000


BOARD_SCRIPT = """
import sys
from sqlalchemy import select
from mentorapp.store.db import open_database
from mentorapp.store.models import Match, Participant
from mentorapp.matching import actions as matches

db = open_database(sys.argv[1])
mentees, mentors = [int(x) for x in sys.argv[2].split(",")], [int(x) for x in sys.argv[3].split(",")]
op = 0
while True:
    phase = op % 3
    with db.transaction() as s:
        if phase == 0:  # accept five proposals at once
            for mentee, mentor in zip(mentees, mentors[:5]):
                matches.create_match(s, mentee, mentor, override_same_org=True)
        elif phase == 1:  # move each mentee to another mentor
            for m in s.scalars(select(Match).where(Match.mentee_id.in_(mentees)).order_by(Match.mentee_id)):
                target = mentors[5 + mentees.index(m.mentee_id)]
                matches.move_match(s, m.id, target, override_same_org=True)
        else:  # unmatch them all
            for m in s.scalars(select(Match).where(Match.mentee_id.in_(mentees))):
                matches.unmatch(s, m.id)
    op += 1
    print(op, flush=True)
"""


def _board_state(db_path: Path, mentees: list[int]) -> list[tuple[int, int]]:
    con = sqlite3.connect(db_path)
    try:
        marks = ",".join("?" * len(mentees))
        rows = con.execute(
            f"SELECT mentee_id, mentor_id FROM match WHERE mentee_id IN ({marks}) ORDER BY mentee_id", mentees
        ).fetchall()
    finally:
        con.close()
    return [tuple(r) for r in rows]


def test_board_edits_killed_midway_stop_between_two_edits(tmp_path):
    db_path = tmp_path / "board.db"
    db = open_database(db_path)
    with db.transaction() as s:
        result = create_demo(s)
    with db.session() as s:
        from sqlalchemy import select

        from mentorapp.store.models import Participant

        people = list(s.scalars(select(Participant).where(Participant.cohort_id == result.cohort_id)))
    db.dispose()
    mentees = sorted(p.id for p in people if p.role == "mentee")[:5]
    mentors = sorted(p.id for p in people if p.role == "mentor")[:10]
    base_events = _scalar(db_path, "SELECT count(*) FROM audit_event WHERE action LIKE 'match %'")

    def expected(ops: int) -> list[tuple[int, int]]:
        phase = ops % 3
        if phase == 1:
            return list(zip(mentees, mentors[:5]))
        if phase == 2:
            return list(zip(mentees, mentors[5:]))
        return []

    # Dies inside an edit (its changes flushed, not committed) or just after one was committed.
    for point, edits in (("before-commit:8", 7), ("after-commit:20", 20), ("before-commit:42", 41)):
        crashed = subprocess.run(
            [
                sys.executable,
                "-c",
                BOARD_SCRIPT,
                str(db_path),
                ",".join(map(str, mentees)),
                ",".join(map(str, mentors)),
            ],
            env=_env(point),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert crashed.returncode == CRASH_EXIT, crashed.stderr
        printed = crashed.stdout.split()
        # An edit is reported once committed: the one committed as it died had no time to say so.
        assert int(printed[-1]) == (edits - 1 if point.startswith("after") else edits)
        assert _integrity(db_path) == "ok"
        state = _board_state(db_path, mentees)
        events = _scalar(db_path, "SELECT count(*) FROM audit_event WHERE action LIKE 'match %'") - base_events
        # Each edit writes five log lines with its five changes, in the same transaction.
        assert events % 5 == 0, f"a partial edit left {events % 5} stray log lines"
        ops = events // 5
        assert ops == edits, f"{edits} edits were committed when it died; the log holds {ops}"
        assert state == expected(ops), f"after {ops} edits the board is {state}"
        # Bring the board back to the start of a cycle for the next round.
        db = open_database(db_path)
        with db.transaction() as s:
            from mentorapp.matching import actions as matches
            from mentorapp.store.models import Match

            for m in s.scalars(select(Match).where(Match.mentee_id.in_(mentees))):
                matches.unmatch(s, m.id)
        db.dispose()
        base_events = _scalar(db_path, "SELECT count(*) FROM audit_event WHERE action LIKE 'match %'")
