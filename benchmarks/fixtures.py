"""Databases and an environment shared by the benchmarks of one run, made once before any clock starts.

Everything lives in one temporary folder removed when the run ends; the
command-line runs get their own data and settings folders there, so that the
coordinator's own backups, logs and window settings are never touched.
"""

from __future__ import annotations

import atexit
import compileall
import functools
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOCIETY_MENTEES, SOCIETY_MENTORS, SOCIETY_MATCHES, LETTER_MATCHES = 6_000, 4_000, 5_000, 1_000


@functools.cache
def workdir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="mentorapp-bench-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return folder


@functools.cache
def env() -> dict[str, str]:
    """The environment of every process a benchmark starts: offscreen Qt, throwaway data and settings folders."""
    home = workdir()
    compile_bytecode()
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPATH": str(ROOT),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_STATE_HOME": str(home / "state"),
        "MENTORAPP_DB": str(home / "unused.db"),
    }


def compile_bytecode() -> None:
    """Compile the project's modules as an installed application has them (PYTHONDONTWRITEBYTECODE may be set)."""
    for name in ("mentorapp", "ui", "benchmarks"):
        compileall.compile_dir(ROOT / name, quiet=1)
    compileall.compile_file(ROOT / "main.py", quiet=1)


def cli(db: Path, *args: str) -> list[str]:
    """The command line as a script runs it."""
    return [sys.executable, "-m", "mentorapp", "--db", str(db), *args]


def _made(label: str, start: float) -> None:
    print(f"  (set-up: {label} in {time.perf_counter() - start:.1f} s)", flush=True)


def demo_database(path: Path, mentees: int, mentors: int, *, seed: int, capacity: int | None = None) -> int:
    """A demo cohort in a new database; ``capacity`` gives every mentor that many places. Returns the cohort id."""
    from sqlalchemy import update

    from mentorapp.demo.cohort import create_demo
    from mentorapp.store.db import open_database
    from mentorapp.store.models import Participant

    db = open_database(str(path))
    with db.transaction() as s:
        result = create_demo(s, name="Benchmark cohort", mentees=mentees, mentors=mentors, seed=seed)
        if capacity is not None:
            s.execute(update(Participant).where(Participant.role == "mentor").values(capacity=capacity))
    db.dispose()
    return result.cohort_id


@functools.cache
def small_database() -> Path:
    """The 40-person pilot a coordinator starts with."""
    path = workdir() / "small.db"
    demo_database(path, 24, 16, seed=11)
    return path


@functools.cache
def society_database() -> tuple[Path, int]:
    """10,000 participants (6,000 mentees, 4,000 mentors) and 5,000 matches, 1,000 of them confirmed."""
    import datetime as dt

    from sqlalchemy import insert, select

    from mentorapp.store.db import open_database
    from mentorapp.store.models import Match, Participant

    start = time.perf_counter()
    path = workdir() / "society.db"
    cohort_id = demo_database(path, SOCIETY_MENTEES, SOCIETY_MENTORS, seed=7)
    db = open_database(str(path))
    with db.transaction() as s:
        ids = {
            role: list(s.scalars(select(Participant.id).where(Participant.role == role).order_by(Participant.id)))
            for role in ("mentee", "mentor")
        }
        rows = [
            {
                "cohort_id": cohort_id,
                "mentee_id": mentee,
                "mentor_id": ids["mentor"][i % len(ids["mentor"])],
                # Letters are for confirmed matches only: 1,000 of them; the rest are active or proposed.
                "status": "confirmed" if i < LETTER_MATCHES else ("active" if i % 3 else "proposed"),
                "score": 50 + i % 50,
                "reasons": [],
                "started_on": dt.date(2021, 9, 20),
            }
            for i, mentee in enumerate(ids["mentee"][:SOCIETY_MATCHES])
        ]
        s.execute(insert(Match), rows)
    db.dispose()
    _made("10,000 participants and 5,000 matches", start)
    return path, cohort_id
