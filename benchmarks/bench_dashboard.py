"""The dashboard at 10,000 participants and 50,000 meetings, against one SQL aggregate pass.

The reference is what any dashboard must at least do: one aggregate query over each table
the figures come from (matches with their meetings' first and last dates, check-in
answers, evaluation responses, participants by role). The dashboard
(:func:`mentorapp.running.dashboard.dashboard`, which ``dashboard --format json`` prints)
computes every figure, the pairs at risk and their people. Both run in the same process on
the same database, interleaved, best of 5; start-up and imports are taken off both by
measuring inside one process after a first warm-up run of each. Goal: within 3x.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
import time
from pathlib import Path

PARTICIPANTS = 10_000
MEETINGS = 50_000
REPEAT = 5
GOAL = 3.0


def build(folder: Path):
    from sqlalchemy import delete, func, insert, select

    from mentorapp.demo.cohort import create_demo
    from mentorapp.demo.running import demo_today, fill_demo_running
    from mentorapp.store.db import open_database
    from mentorapp.store.models import CheckinAnswer, Cohort, Match, Meeting

    db = open_database(str(folder / "dashboard.db"))
    start = time.perf_counter()
    with db.transaction() as s:
        demo = create_demo(s, mentees=PARTICIPANTS * 3 // 5, mentors=PARTICIPANTS * 2 // 5, seed=PARTICIPANTS)
        fill_demo_running(s, demo.cohort_id, seed=5)
        cohort = s.get(Cohort, demo.cohort_id)
        today = demo_today(cohort)
        pairs = list(
            s.execute(
                select(Match.id, Match.started_on).where(Match.cohort_id == demo.cohort_id, Match.status == "active")
            )
        )
        rng = random.Random(3)
        meeting_pairs = pairs[: len(pairs) * 9 // 10]  # one pair in ten has not met: at risk, as in life
        silent = [mid for mid, _started in pairs[len(meeting_pairs) :]]
        for start in range(0, len(silent), 500):
            chunk = silent[start : start + 500]
            s.execute(delete(Meeting).where(Meeting.match_id.in_(chunk)))
            s.execute(delete(CheckinAnswer).where(CheckinAnswer.match_id.in_(chunk)))
        have = s.scalar(select(func.count()).select_from(Meeting)) or 0
        span = (today - cohort.start_date).days
        extra = [
            {
                "cohort_id": demo.cohort_id,
                "match_id": mid,
                "held_on": started + dt.timedelta(days=rng.randint(0, span)),
                "minutes": 60,
                "mode": "video",
                "reported_by": "mentee",
                "note": "",
            }
            for mid, started in (rng.choice(meeting_pairs) for _ in range(MEETINGS - have))
        ]
        s.execute(insert(Meeting), extra)
        n_pairs = len(pairs)
    print(
        f"{PARTICIPANTS:,} participants, {n_pairs:,} active pairs and {MEETINGS:,} meetings made in "
        f"{time.perf_counter() - start:.1f} s"
    )
    return db, demo.cohort_id, today


def main() -> None:
    from sqlalchemy import func, select

    from mentorapp.running.dashboard import dashboard
    from mentorapp.store.models import CheckinAnswer, EvaluationResponse, Match, Meeting, Participant

    with tempfile.TemporaryDirectory() as tmp:
        db, cohort_id, today = build(Path(tmp))

        def ours() -> None:
            with db.session() as s:
                dashboard(s, cohort_id, today).to_json()

        def reference() -> None:
            with db.session() as s:
                met = (
                    select(
                        Meeting.match_id,
                        func.min(Meeting.held_on).label("first"),
                        func.max(Meeting.held_on).label("last"),
                    )
                    .where(Meeting.cohort_id == cohort_id)
                    .group_by(Meeting.match_id)
                    .subquery()
                )
                s.execute(
                    select(Match.status, func.count(), func.count(met.c.first), func.max(met.c.last))
                    .outerjoin(met, met.c.match_id == Match.id)
                    .where(Match.cohort_id == cohort_id)
                    .group_by(Match.status)
                ).all()
                s.execute(
                    select(CheckinAnswer.checkpoint_on, func.count(), func.min(CheckinAnswer.rating))
                    .where(CheckinAnswer.cohort_id == cohort_id)
                    .group_by(CheckinAnswer.checkpoint_on)
                ).all()
                s.execute(
                    select(EvaluationResponse.stage, func.count())
                    .where(EvaluationResponse.cohort_id == cohort_id)
                    .group_by(EvaluationResponse.stage)
                ).all()
                s.execute(
                    select(Participant.role, func.count())
                    .where(Participant.cohort_id == cohort_id)
                    .group_by(Participant.role)
                ).all()

        ours()
        reference()  # warm-up: imports, caches and the first connection are fixed costs, off both
        best_ours = best_ref = float("inf")
        for _ in range(REPEAT):  # interleaved, so both see the same machine
            t = time.perf_counter()
            ours()
            best_ours = min(best_ours, time.perf_counter() - t)
            t = time.perf_counter()
            reference()
            best_ref = min(best_ref, time.perf_counter() - t)
        with db.session() as s:
            board = dashboard(s, cohort_id, today)
        print(f"Pairs at risk: {len(board.at_risk):,}; pipeline: {board.pipeline}")
        db.dispose()
    ratio = best_ours / best_ref
    print(
        f"dashboard vs one SQL aggregate pass, {PARTICIPANTS:,} participants, {MEETINGS:,} meetings: "
        f"{best_ours * 1000:.0f} ms vs {best_ref * 1000:.0f} ms = {ratio:.2f}x "
        f"(goal <= {GOAL:.0f}x: {'met' if ratio <= GOAL else 'NOT met'})"
    )


if __name__ == "__main__":
    main()
