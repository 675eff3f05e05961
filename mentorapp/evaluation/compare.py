"""Cohorts side by side: size, match rate, completion, response rates and headline outcomes.

``cohorts --format json``, the Cohorts overview page and the report's comparison
section (``export report --compare``) all read :func:`cohort_overviews` or
:func:`compare_cohorts`, so they show the same numbers.

What each figure means:

* **match rate**: mentees with a match that was taken up (confirmed, active,
  completed or ended early) out of all mentees; proposed matches do not count.
* **completion**: pairs that completed, out of the pairs that started (active,
  completed, ended early); a running cohort's active pairs count as not (yet) completed.
* **response rates**: who answered at each stage, out of who was asked
  (:func:`mentorapp.evaluation.stats.compute_stats`).
* **outcomes**: the share of mentees who rated a benefit higher at six months
  than at the start (paired: only those who answered both), the mean overall
  satisfaction (1-5, everyone) and the share who would recommend the scheme.

The counts come from a few grouped queries over every cohort; the evaluation
figures are computed (by :func:`~mentorapp.evaluation.stats.compute_stats`, the
report's own numbers) only for cohorts that have answers, so a cohort without
any is shown as "no evaluation answers yet" and costs nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.evaluation.inference import PairedTest, cohort_tests
from mentorapp.evaluation.instrument import BENEFITS
from mentorapp.evaluation.report import fmt_mean2, fmt_pct
from mentorapp.evaluation.stats import TAKEN_UP, compute_stats
from mentorapp.store.models import Cohort, EvaluationResponse, Match, Participant

STARTED = ("active", "completed", "ended_early")
NO_ANSWERS = "No evaluation answers yet"


@dataclass
class Outcome:
    """One benefit for the mentees: how many of those who answered twice rated it higher."""

    key: str
    label: str
    improved: int
    paired_n: int

    @property
    def share(self) -> float | None:
        return self.improved / self.paired_n if self.paired_n else None


@dataclass
class CohortOverview:
    """One cohort's headline figures (see the module notes for what each means)."""

    id: int
    name: str
    start_date: dt.date
    status: str
    mentees: int = 0
    mentors: int = 0
    matched_mentees: int = 0
    proposed: int = 0  # matches still only proposed: not in the match rate, but said beside it
    pairs_started: int = 0
    completed: int = 0
    ended_early: int = 0
    has_answers: bool = False
    baseline_rate: float | None = None
    six_month_rate: float | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    satisfaction_mean: float | None = None
    satisfaction_n: int = 0
    recommend_share: float | None = None
    recommend_n: int = 0

    @property
    def match_rate(self) -> float | None:
        return self.matched_mentees / self.mentees if self.mentees else None

    @property
    def completion(self) -> float | None:
        return self.completed / self.pairs_started if self.pairs_started else None

    def to_json(self) -> dict[str, Any]:
        """The keys ``cohorts --format json`` adds to each cohort."""
        return {
            "size": {"mentees": self.mentees, "mentors": self.mentors},
            "matched_mentees": self.matched_mentees,
            "proposed_matches": self.proposed,
            "match_rate": _round(self.match_rate),
            "pairs_started": self.pairs_started,
            "completed": self.completed,
            "ended_early": self.ended_early,
            "completion": _round(self.completion),
            "has_evaluation_answers": self.has_answers,
            "response_rates": {"baseline": _round(self.baseline_rate), "six_month": _round(self.six_month_rate)},
            "outcomes": {
                "improved": {
                    o.key: {"label": o.label, "share": _round(o.share), "improved": o.improved, "n": o.paired_n}
                    for o in self.outcomes
                },
                "satisfaction": {"mean": _round(self.satisfaction_mean), "n": self.satisfaction_n},
                "would_recommend": {"share": _round(self.recommend_share), "n": self.recommend_n},
            },
        }


def _round(x: float | None) -> float | None:
    return round(x, 4) if x is not None else None


def cohort_overviews(session: Session, cohort_ids: list[int] | None = None) -> list[CohortOverview]:
    """Every cohort (or those given), oldest first: four grouped queries, plus the evaluation of those answered."""
    stmt = select(Cohort).order_by(Cohort.start_date, Cohort.id)
    if cohort_ids is not None:
        stmt = stmt.where(Cohort.id.in_(cohort_ids))
    cohorts = list(session.scalars(stmt))
    out = {c.id: CohortOverview(c.id, c.name, c.start_date, c.status) for c in cohorts}
    if not out:
        return []
    ids = list(out)
    for cid, role, n in session.execute(
        select(Participant.cohort_id, Participant.role, func.count())
        .where(Participant.cohort_id.in_(ids))
        .group_by(Participant.cohort_id, Participant.role)
    ):
        o = out[cid]
        o.mentees += n if role in ("mentee", "both") else 0
        o.mentors += n if role in ("mentor", "both") else 0
    for cid, status, n in session.execute(
        select(Match.cohort_id, Match.status, func.count())
        .where(Match.cohort_id.in_(ids))
        .group_by(Match.cohort_id, Match.status)
    ):
        o = out[cid]
        o.pairs_started += n if status in STARTED else 0
        o.completed += n if status == "completed" else 0
        o.ended_early += n if status == "ended_early" else 0
        o.proposed += n if status == "proposed" else 0
    for cid, n in session.execute(
        select(Match.cohort_id, func.count(distinct(Match.mentee_id)))
        .where(Match.cohort_id.in_(ids), Match.status.in_(TAKEN_UP))
        .group_by(Match.cohort_id)
    ):
        out[cid].matched_mentees = n
    answered = session.scalars(
        select(EvaluationResponse.cohort_id).where(EvaluationResponse.cohort_id.in_(ids)).distinct()
    )
    for cid in answered:
        _add_evaluation(session, out[cid])
    return list(out.values())


def _add_evaluation(session: Session, o: CohortOverview) -> None:
    """The evaluation's figures for a cohort with answers: the report's own numbers."""
    stats = compute_stats(session, o.id)
    o.has_answers = stats.has_responses
    o.baseline_rate = stats.rate("baseline").rate
    o.six_month_rate = stats.rate("six_month").rate
    o.outcomes = [Outcome(b.key, b.label, b.improved, b.paired_n) for b in stats.benefits.get("mentee", [])]
    overall = stats.satisfaction["all"]
    o.satisfaction_mean, o.satisfaction_n = overall.mean, overall.n
    o.recommend_share, o.recommend_n = stats.recommend_share, stats.recommend_n


def cohort_overview(session: Session, cohort_id: int) -> CohortOverview:
    found = cohort_overviews(session, [cohort_id])
    if not found:
        raise UserError("The cohort no longer exists.")
    return found[0]


@dataclass
class Comparison:
    """Two cohorts' figures and their paired tests (each cohort's change within its own people)."""

    this: CohortOverview
    other: CohortOverview
    this_tests: list[PairedTest]
    other_tests: list[PairedTest]

    def tests(self, which: str, role: str = "mentee") -> list[PairedTest]:
        return [t for t in (self.this_tests if which == "this" else self.other_tests) if t.role == role]

    def to_json(self) -> dict[str, Any]:
        return {
            "cohorts": [
                {"id": o.id, "name": o.name, **o.to_json(), "tests": [t.to_json() for t in tests]}
                for o, tests in ((self.this, self.this_tests), (self.other, self.other_tests))
            ]
        }


def compare_cohorts(session: Session, cohort_id: int, other_id: int) -> Comparison:
    """The report's comparison of a cohort with another (the tests are the evaluation's, per cohort)."""
    if cohort_id == other_id:
        raise UserError("Choose another cohort to compare with; a cohort compared with itself shows nothing.")
    this, other = cohort_overview(session, cohort_id), cohort_overview(session, other_id)
    return Comparison(
        this,
        other,
        cohort_tests(session, cohort_id) if this.has_answers else [],
        cohort_tests(session, other_id) if other.has_answers else [],
    )


# -- the measures as text, one column per cohort (the overview page and the report) -----------------


def _pct(x: float | None, n: int | None = None) -> str:
    if x is None:
        return "–"
    return f"{fmt_pct(x)} (n={n})" if n is not None else fmt_pct(x)


def measure_labels(overviews: list[CohortOverview]) -> list[str]:
    """The name of each measure, in the order of :func:`measure_column`."""
    outcomes = next((o.outcomes for o in overviews if o.outcomes), None)
    benefits = [o.label for o in outcomes] if outcomes else [b.label for b in BENEFITS]
    return [
        "Mentees",
        "Mentors",
        "Match rate (mentees matched)",
        "Completion (of pairs that started)",
        "Response rate at the start",
        "Response rate at six months",
        *[f"Mentees improved: {label}" for label in benefits],
        "Satisfaction (mean, 1-5)",
        "Would recommend",
    ]


def measure_column(o: CohortOverview) -> list[str]:
    """One cohort's figures as text, in the order of :func:`measure_labels`; unanswered ones say so."""
    asked = o.has_answers
    empty = "–" if asked else NO_ANSWERS
    column = [
        str(o.mentees),
        str(o.mentors),
        _pct(o.match_rate)
        + (f" ({o.matched_mentees} of {o.mentees})" if o.mentees else "")
        # The board counts a proposed match as matched: say how many wait to be confirmed.
        + (f"; {o.proposed} proposed" if o.proposed else ""),
        _pct(o.completion) + (f" ({o.completed} of {o.pairs_started})" if o.pairs_started else ""),
        _pct(o.baseline_rate) if asked else NO_ANSWERS,
        _pct(o.six_month_rate) if asked else NO_ANSWERS,
    ]
    if o.outcomes:
        column += [_pct(out.share, out.paired_n) if out.paired_n else "–" for out in o.outcomes]
    else:
        column += [empty] * len(BENEFITS)
    column.append(f"{fmt_mean2(o.satisfaction_mean)} (n={o.satisfaction_n})" if o.satisfaction_n else empty)
    column.append(_pct(o.recommend_share, o.recommend_n) if o.recommend_n else empty)
    return column


__all__ = [
    "NO_ANSWERS",
    "CohortOverview",
    "Comparison",
    "Outcome",
    "cohort_overview",
    "cohort_overviews",
    "compare_cohorts",
    "measure_column",
    "measure_labels",
]
