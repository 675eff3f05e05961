"""Plausible evaluation data for the demo: matches that ran, and both stages of responses.

The demo cohort is created unmatched; to make a report at once this module
pairs mentees with mentors (capacity respected, never the same organisation,
one current match per mentee), lets most pairs complete, a few end early with
a reason, and fills baseline and six-month responses with a modest, realistic
improvement. Rows go in with bulk inserts so that 10,000 participants take
seconds (the report benchmark uses it).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from mentorapp.evaluation.instrument import BENEFITS, items_for
from mentorapp.store import audit
from mentorapp.store.models import Cohort, EvaluationAnswer, EvaluationResponse, Match, Participant
from mentorapp.store.sequences import fix_sequences

END_REASONS = (
    "Mentee changed job and could no longer take part",
    "Mentor on long-term sick leave",
    "Pair could not find times to meet",
    "Mentee on parental leave",
)
WENT_WELL = (
    "Having someone outside my own organisation to think problems through with was invaluable.",
    "My mentor helped me prepare for a difficult conversation with my manager and it went far better than I feared.",
    "Regular meetings kept me focused on my goals; I now have a clear plan for the next two years.",
    "I gained the confidence to apply for a clinical lead post, and I got it.",
    "Practical advice on my audit project and an introduction to the research group I wanted to join.",
    "Honest feedback on my leadership style that nobody at work had given me.",
    "Being introduced to people across the specialty has widened my network enormously.",
    "The structure of short, medium and long-term goals made our meetings productive.",
    "Talking through tribunal reports with an experienced colleague improved my writing.",
    "It was reassuring to hear that senior colleagues struggled with the same things early on.",
    "Online meetings made it easy to keep going despite busy rotas.",
)
WENT_WELL_MENTOR = (
    "My mentee brought fresh ideas on digital services that I have used in my own team.",
    "Seeing my mentee grow in confidence over six months was very rewarding.",
    "The goals my mentee set at the start gave our meetings a clear purpose.",
    "Meeting online every month fitted easily around clinics.",
    "It was good to give something back to the specialty.",
)
COULD_BE_BETTER = (
    "More guidance at the start on what to cover in the first meeting.",
    "It was hard to find time with clinical commitments; protected time would help.",
    "A mid-point check-in from the coordinator would have kept us on track.",
    "An opportunity to meet other pairs in the scheme.",
    "Clearer expectations about how often to meet.",
    "Six months felt short; twelve would allow more progress on longer-term goals.",
    "Nothing really - it worked well for us.",
)
COULD_BE_BETTER_MENTOR = (
    "Some training for mentors before the scheme starts.",
    "A short briefing on the training curriculum would help mentors who qualified long ago.",
    "A chance to share experience with other mentors halfway through.",
    "Clearer expectations about how often to meet.",
)
MENTOR_LEARNING = (
    "I learned how trainees experience the current training programme, which has changed a lot since my day.",
    "It made me reflect on my own leadership and listen more before giving advice.",
    "I learned about new digital tools that early-career colleagues use every day.",
    "Coaching rather than telling: I have started using the same approach with my own team.",
    "A fresh view of workplace mental health services from someone on the front line.",
    "It reminded me why I came into occupational health in the first place.",
)


@dataclass
class DemoEvaluationResult:
    matches: int
    responses: int


def _make_matches(session: Session, cohort: Cohort, rng: random.Random) -> None:
    """Pair mentees with mentors of another organisation, within capacity; statuses as at six months."""
    people = session.execute(
        select(Participant.id, Participant.role, Participant.organisation, Participant.capacity).where(
            Participant.cohort_id == cohort.id
        )
    ).all()
    mentors = [[pid, org, cap] for pid, role, org, cap in people if role == "mentor" and cap > 0]
    mentees = [(pid, org) for pid, role, org, _c in people if role == "mentee"]
    rng.shuffle(mentees)
    rows = []
    free = {m[0]: m[2] for m in mentors}
    start = cohort.start_date + dt.timedelta(days=14)
    pointer = 0
    for mentee_id, org in mentees:
        # Round-robin over mentors keeps the spread even and the demo fast at any size.
        for step in range(len(mentors)):
            mentor_id, mentor_org, _cap = mentors[(pointer + step) % len(mentors)]
            if free[mentor_id] > 0 and mentor_org != org:
                pointer = (pointer + step + 1) % len(mentors)
                free[mentor_id] -= 1
                roll = rng.random()
                status = "completed" if roll < 0.72 else "active" if roll < 0.9 else "ended_early"
                rows.append(
                    {
                        "cohort_id": cohort.id,
                        "mentor_id": mentor_id,
                        "mentee_id": mentee_id,
                        "status": status,
                        "end_reason": rng.choice(END_REASONS) if status == "ended_early" else "",
                        "score": round(rng.uniform(0.55, 0.95), 3),
                        "reasons": [],
                        "locked": False,
                        "override_same_org": False,
                        "started_on": start,
                        "ended_on": (
                            cohort.evaluation_date
                            if status == "completed"
                            else start + dt.timedelta(days=rng.randint(40, 120))
                            if status == "ended_early"
                            else None
                        ),
                        "version_id": 1,
                    }
                )
                break
        if not mentors:
            break
    if rows:
        session.execute(insert(Match), rows)


def fill_demo_evaluations(
    session: Session, cohort_id: int, *, seed: int = 2021, all_respond: bool = False
) -> DemoEvaluationResult:
    """Give a demo cohort matches that ran and baseline plus six-month responses.

    ``all_respond`` makes everyone answer both stages (the report benchmark).
    """
    rng = random.Random(seed + 7)
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise LookupError(f"no cohort {cohort_id}")
    if not session.scalar(select(func.count()).select_from(Match).where(Match.cohort_id == cohort_id)):
        _make_matches(session, cohort, rng)
    pairs = session.execute(
        select(Match.mentor_id, Match.mentee_id, Match.status).where(
            Match.cohort_id == cohort_id, Match.status.in_(("active", "completed", "ended_early"))
        )
    ).all()
    roles = {
        pid: role
        for pid, role in session.execute(
            select(Participant.id, Participant.role).where(Participant.cohort_id == cohort_id)
        )
    }
    # One figure per pair so that mentor and mentee roughly agree on how often they met.
    pair_meetings: dict[int, int] = {}
    ended: set[int] = set()
    for mentor, mentee, status in pairs:
        n = rng.randint(0, 3) if status == "ended_early" else max(1, round(rng.gauss(6, 2)))
        pair_meetings[mentee] = n
        pair_meetings.setdefault(mentor, n)
        if status == "ended_early":
            ended.update((mentor, mentee))
    next_id = (session.scalar(select(func.max(EvaluationResponse.id))) or 0) + 1
    responses, answers = [], []
    base_day = cohort.start_date + dt.timedelta(days=10)
    six_day = cohort.evaluation_date
    for pid in sorted(pair_meetings):
        role = roles[pid]
        gain_bias = 0.2 if pid in ended else 0.9 if role == "mentee" else 0.35
        baseline = {b.key: min(5, max(1, round(rng.gauss(2.7 if role == "mentee" else 3.8, 0.8)))) for b in BENEFITS}
        for stage, rate in (("baseline", 0.92), ("six_month", 0.55 if pid in ended else 0.84)):
            if not all_respond and rng.random() > rate:
                continue
            rid = next_id
            next_id += 1
            day = (base_day if stage == "baseline" else six_day) + dt.timedelta(days=rng.randint(-3, 12))
            responses.append(
                {
                    "id": rid,
                    "cohort_id": cohort_id,
                    "participant_id": pid,
                    "stage": stage,
                    "role": role,
                    "submitted_on": day,
                    "version_id": 1,
                }
            )
            for item in items_for(role, stage):
                value: int | str | None
                if item.benefit:
                    start = baseline[item.key]
                    value = start if stage == "baseline" else min(5, max(1, start + round(rng.gauss(gain_bias, 0.7))))
                elif item.key == "satisfaction":
                    value = min(5, max(1, round(rng.gauss(2.6 if pid in ended else 4.3, 0.7))))
                elif item.key == "meetings":
                    value = max(0, pair_meetings[pid] + rng.choice((0, 0, 0, -1, 1)))
                elif item.key == "would_recommend":
                    value = int(rng.random() < (0.5 if pid in ended else 0.9))
                elif item.key == "mentor_learning_rating":
                    value = min(5, max(1, round(rng.gauss(3.9, 0.8))))
                elif item.key == "went_well":
                    pool = WENT_WELL if role == "mentee" else WENT_WELL_MENTOR
                    value = rng.choice(pool) if rng.random() < 0.55 else None
                elif item.key == "could_be_better":
                    pool = COULD_BE_BETTER if role == "mentee" else COULD_BE_BETTER_MENTOR
                    value = rng.choice(pool) if rng.random() < 0.45 else None
                elif item.key == "mentor_learning":
                    value = rng.choice(MENTOR_LEARNING) if rng.random() < 0.6 else None
                else:
                    value = None
                if value is None:
                    continue
                text = isinstance(value, str)
                answers.append(
                    {
                        "response_id": rid,
                        "item_key": item.key,
                        "value_int": None if text else value,
                        "value_text": value if text else None,
                    }
                )
    if responses:
        session.execute(insert(EvaluationResponse), responses)
    if answers:
        session.execute(insert(EvaluationAnswer), answers)
    fix_sequences(session, [EvaluationResponse])  # ids were written here: PostgreSQL's sequence follows
    cohort.status = "evaluating"
    audit.record(
        session,
        "demo evaluations",
        f"Demo matches and {len(responses)} evaluation responses added to '{cohort.name}'",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )
    session.flush()
    return DemoEvaluationResult(len(pairs), len(responses))
