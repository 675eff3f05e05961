"""Crash safety: a separate mentorapp process is killed (SIGKILL) in the middle of work.

Afterwards the database must pass ``PRAGMA integrity_check`` and hold the state
before or after each transaction, never a mix: a 10,000-row import is all there
or not there at all, and a series of board edits stops cleanly between two edits.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mentorapp.demo.cohort import create_demo
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.vocabulary import DEFAULT_FOCUS_AREAS
from mentorapp.store.db import open_database

pytestmark = [pytest.mark.sqlite_only, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
ROWS = 10_000


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
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


def _wal_size(path: Path) -> int:
    try:
        return os.path.getsize(f"{path}-wal")
    except OSError:
        return 0


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


def _kill_when_writing(proc: subprocess.Popen, db_path: Path, baseline: int, timeout: float = 120) -> bool:
    """SIGKILL ``proc`` as soon as it has written well into the database's WAL; False if it finished first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if _wal_size(db_path) > baseline + 512 * 1024:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.002)
    proc.kill()
    proc.wait()
    pytest.fail("the import neither wrote nor finished in time")


def test_import_killed_midway_leaves_nothing_half_imported(tmp_path):
    db_path = tmp_path / "crash.db"
    db = open_database(db_path)
    with db.transaction() as s:
        cohort_id = create_cohort(s, CohortData(name="Big", start_date=dt.date(2026, 9, 1))).id
    db.dispose()
    before_events = _scalar(db_path, "SELECT count(*) FROM audit_event")
    applications = tmp_path / "applications.csv"
    _write_applications(applications)
    proc = subprocess.Popen(
        [sys.executable, "-m", "mentorapp", "--db", str(db_path), "import", str(applications), "--cohort", "Big"],
        env=_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    killed = _kill_when_writing(proc, db_path, _wal_size(db_path))
    assert killed, f"the import finished before it could be killed: {proc.stderr.read().decode()}"
    assert _integrity(db_path) == "ok"
    people = _scalar(db_path, "SELECT count(*) FROM participant WHERE cohort_id = ?", cohort_id)
    goals = _scalar(db_path, "SELECT count(*) FROM goal")
    events = _scalar(db_path, "SELECT count(*) FROM audit_event")
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
    for attempt in range(3):
        proc = subprocess.Popen([sys.executable, "-c", script], env=_env(), stdout=subprocess.PIPE, text=True)
        killed = _kill_when_writing(proc, db_path, _wal_size(db_path))
        assert _integrity(db_path) == "ok"
        people = _scalar(db_path, "SELECT count(*) FROM participant")
        cohorts = _scalar(db_path, "SELECT count(*) FROM cohort")
        if killed:
            assert (people, cohorts) == (0, 0), f"attempt {attempt}: a half-written demo survived"
            return
        assert (people, cohorts) == (10_000, 1)
        pytest.fail("the demo transaction finished before it could be killed")


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

    for kill_after in (7, 20, 41):
        proc = subprocess.Popen(
            [
                sys.executable,
                "-c",
                BOARD_SCRIPT,
                str(db_path),
                ",".join(map(str, mentees)),
                ",".join(map(str, mentors)),
            ],
            env=_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        last = 0
        try:
            for line in proc.stdout:
                last = int(line)
                if last >= kill_after:
                    break
            else:
                pytest.fail(f"the edit loop stopped by itself: {proc.stderr.read()}")
            # Kill while the loop runs on, at some point inside or between transactions.
            time.sleep(0.003 * kill_after)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait()
        assert _integrity(db_path) == "ok"
        state = _board_state(db_path, mentees)
        events = _scalar(db_path, "SELECT count(*) FROM audit_event WHERE action LIKE 'match %'") - base_events
        # Each edit writes five log lines with its five changes, in the same transaction.
        assert events % 5 == 0, f"a partial edit left {events % 5} stray log lines"
        ops = events // 5
        assert ops >= last, "an edit reported as saved was lost"
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
