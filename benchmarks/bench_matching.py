"""Benchmark of the matching engine (issue 4, item 7), as ratios measured in the same run.

1. 2,000 mentees x 1,000 mentors of capacity 2, scoring, solving and reasons
   included, against bare ``scipy.optimize.linear_sum_assignment`` on a random
   matrix of the same assignment size (2,000 x 2,000 places). Goal: at most 2x.
2. 10,000 mentees x 5,000 mentors of capacity 2 through ``suggest`` on a SQLite
   database (loading included), in a fresh process so that its peak memory is
   its own. Goals: under 10 s and under 2 GB.
3. The 40-person demo pilot through ``suggest``. Goal: under 50 ms.

Run with ``python -m benchmarks.bench_matching`` (or ``python -m benchmarks``).
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.timing import best_of  # noqa: E402
from mentorapp.demo.synthetic import synthetic_cohort  # noqa: E402
from mentorapp.matching.rules import RuleContext  # noqa: E402
from mentorapp.matching.scoring import DEFAULT_WEIGHTS  # noqa: E402
from mentorapp.matching.solver import plan, suggest  # noqa: E402


def bench_medium(repeats: int = 3) -> tuple[float, float, int]:
    """(engine seconds, bare solver seconds, pairs) for 2,000 x 1,000 mentors of capacity 2."""
    rng = np.random.default_rng(4)
    random_matrix = rng.random((2000, 2000))
    bare = best_of(lambda: linear_sum_assignment(random_matrix), repeats)
    mentees, mentors = synthetic_cohort(2000, 1000, capacity=2, seed=4)
    ctx = RuleContext(excluded=set(), load={})
    result = []
    engine = best_of(lambda: result.append(plan(mentees, mentors, ctx, DEFAULT_WEIGHTS)), repeats)
    assert result[-1].exact
    return engine, bare, len(result[-1].matches)


def make_database(path: str, mentees: int, mentors: int, capacity: int | None) -> int:
    from sqlalchemy import update

    from mentorapp.demo.cohort import create_demo
    from mentorapp.store.db import open_database
    from mentorapp.store.models import Participant

    db = open_database(path)
    with db.transaction() as s:
        result = create_demo(s, name="Benchmark", mentees=mentees, mentors=mentors, seed=7)
        if capacity is not None:
            s.execute(update(Participant).where(Participant.role == "mentor").values(capacity=capacity))
    db.dispose()
    return result.cohort_id


def large_child(path: str) -> None:
    """Runs in its own process: builds the database, then times ``suggest`` and prints JSON."""
    from mentorapp.store.db import open_database

    cohort_id = make_database(path, 10_000, 5_000, capacity=2)
    db = open_database(path)
    start = time.perf_counter()
    with db.session() as s:
        result = suggest(s, cohort_id)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    print(json.dumps({"seconds": seconds, "peak": peak, "pairs": len(result.matches), "exact": result.exact}))


def bench_large() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        code = (
            f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
            f"from benchmarks.bench_matching import large_child; large_child({os.path.join(folder, 'large.db')!r})"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_pilot(repeats: int = 7) -> tuple[float, int]:
    from mentorapp.store.db import open_database

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "pilot.db")
        cohort_id = make_database(path, 24, 16, capacity=None)
        db = open_database(path)
        found = []

        def once() -> None:
            with db.session() as s:
                found.append(suggest(s, cohort_id))

        once()  # first use pays for imports and the connection
        seconds = best_of(once, repeats)
        db.dispose()
    return seconds, len(found[-1].matches)


def main() -> None:
    print("Matching engine")
    engine, bare, pairs = bench_medium()
    print(
        f"  2,000 x 1,000 mentors (capacity 2), scoring + exact solve + reasons: {engine:.3f} s ({pairs} pairs); "
        f"bare linear_sum_assignment on a random 2,000 x 2,000: {bare:.3f} s; ratio {engine / bare:.2f}x (goal <= 2x)"
    )
    large = bench_large()
    print(
        f"  10,000 x 5,000 mentors (capacity 2), suggest() from SQLite: {large['seconds']:.2f} s "
        f"({large['seconds'] / 10:.2f} of the 10 s budget), peak memory {large['peak'] / 2**20:.0f} MB "
        f"({large['peak'] / 2**31:.2f} of the 2 GB budget), {large['pairs']} pairs, "
        f"{'exact' if large['exact'] else 'candidate-pruned'} solve"
    )
    pilot, pilot_pairs = bench_pilot()
    print(
        f"  40-person pilot, suggest() from SQLite: {pilot * 1000:.1f} ms ({pilot_pairs} pairs); "
        f"{pilot / 0.05:.2f} of the 50 ms budget"
    )


if __name__ == "__main__":
    main()
