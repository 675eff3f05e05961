"""A small evaluation cohort whose figures are computed by hand in the tests.

Mentees Alice, Bob and Cara; mentors Xavier and Yasmin.
Pairs: Alice-Xavier completed, Bob-Xavier ended early ("Moved abroad"), Cara-Yasmin active.

Answers (confidence unless named):
  Alice   baseline 2 (knowledge 3)  six months 4 (knowledge 3), satisfaction 5, 6 meetings, recommends
  Bob     baseline 3                six months 2, satisfaction 3, 2 meetings, does not recommend
  Cara    baseline 1                no six-month answer
  Xavier  no baseline               six months satisfaction 4, 8 meetings, learning 4
  Yasmin  baseline 4                no six-month answer
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mentorapp.evaluation.instrument import ResponseData, save_response
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.participants import ParticipantData, create_participant
from mentorapp.store.db import Database
from mentorapp.store.models import Match

GOING_WELL = "Alice here: a great chat with Xavier every month, mail xavier.xu@example.org or 07700 900123"


@dataclass
class SmallCohort:
    cohort_id: int
    alice: int
    bob: int
    cara: int
    xavier: int
    yasmin: int

    @property
    def names(self) -> list[str]:
        return ["Alice", "Archer", "Bob", "Baker", "Cara", "Cole", "Xavier", "Xu", "Yasmin", "Young"]

    @property
    def emails(self) -> list[str]:
        return [f"{n}@example.org" for n in ("alice.archer", "bob.baker", "cara.cole", "xavier.xu", "yasmin.young")]


def build_small_cohort(db: Database, *, responses: bool = True) -> SmallCohort:
    with db.transaction() as s:
        cohort = create_cohort(s, CohortData(name="Evaluation test", start_date=dt.date(2021, 9, 1), status="running"))
        ids = {}
        for first, last, role, org in (
            ("Alice", "Archer", "mentee", "North Trust"),
            ("Bob", "Baker", "mentee", "South Trust"),
            ("Cara", "Cole", "mentee", "East Trust"),
            ("Xavier", "Xu", "mentor", "West Trust"),
            ("Yasmin", "Young", "mentor", "Central Trust"),
        ):
            p = create_participant(
                s,
                cohort.id,
                ParticipantData(
                    first_name=first,
                    last_name=last,
                    email=f"{first.lower()}.{last.lower()}@example.org",
                    role=role,
                    organisation=org,
                    consent=True,
                    capacity=2 if role == "mentor" else 0,
                ),
                validate=False,
            )
            ids[first.lower()] = p.id
        s.add_all(
            [
                Match(cohort_id=cohort.id, mentor_id=ids["xavier"], mentee_id=ids["alice"], status="completed"),
                Match(
                    cohort_id=cohort.id,
                    mentor_id=ids["xavier"],
                    mentee_id=ids["bob"],
                    status="ended_early",
                    end_reason="Moved abroad",
                ),
                Match(cohort_id=cohort.id, mentor_id=ids["yasmin"], mentee_id=ids["cara"], status="active"),
            ]
        )
        s.flush()
        small = SmallCohort(cohort.id, ids["alice"], ids["bob"], ids["cara"], ids["xavier"], ids["yasmin"])
        if responses:
            day0, day6 = dt.date(2021, 9, 10), dt.date(2022, 3, 5)
            for pid, stage, answers, day in (
                (small.alice, "baseline", {"benefit_confidence": 2, "benefit_knowledge": 3}, day0),
                (
                    small.alice,
                    "six_month",
                    {
                        "benefit_confidence": 4,
                        "benefit_knowledge": 3,
                        "satisfaction": 5,
                        "meetings": 6,
                        "would_recommend": True,
                        "went_well": GOING_WELL,
                    },
                    day6,
                ),
                (small.bob, "baseline", {"benefit_confidence": 3}, day0),
                (
                    small.bob,
                    "six_month",
                    {
                        "benefit_confidence": 2,
                        "satisfaction": 3,
                        "meetings": 2,
                        "would_recommend": False,
                        "could_be_better": "More time to meet.",
                    },
                    day6,
                ),
                (small.cara, "baseline", {"benefit_confidence": 1}, day0),
                (
                    small.xavier,
                    "six_month",
                    {
                        "satisfaction": 4,
                        "meetings": 8,
                        "mentor_learning_rating": 4,
                        "mentor_learning": "I learned how trainees see the new curriculum.",
                    },
                    day6,
                ),
                (small.yasmin, "baseline", {"benefit_confidence": 4}, day0),
            ):
                save_response(s, ResponseData(pid, stage, answers, submitted_on=day))
    return small


def approve_all_quotes(db: Database, cohort_id: int) -> int:
    """The coordinator has read every quote and lets the report print it; returns how many."""
    from mentorapp.evaluation.report import set_quote_approved
    from mentorapp.evaluation.stats import compute_stats

    with db.session() as s:
        stamps = [q.stamp for q in compute_stats(s, cohort_id).quotes]
    with db.transaction() as s:
        for stamp in stamps:
            set_quote_approved(s, cohort_id, stamp, True)
    return len(stamps)
