"""The dates an evaluation answer may carry: a window around the cohort.

From 3 months before the cohort's start (baselines are often collected before
it) to 6 months after its evaluation date (late answers come after it); a date
outside is a typing slip (2202 for 2022) and is refused with a sentence.
"""

from __future__ import annotations

import datetime as dt

from mentorapp.people.cohorts import add_months
from mentorapp.store.models import Cohort

MONTHS_BEFORE_START = 3
MONTHS_AFTER_EVALUATION = 6


def date_window(cohort: Cohort) -> tuple[dt.date, dt.date]:
    return (
        add_months(cohort.start_date, -MONTHS_BEFORE_START),
        add_months(cohort.evaluation_date, MONTHS_AFTER_EVALUATION),
    )


def date_problem(day: dt.date | None, cohort: Cohort) -> str | None:
    """A sentence if an answer date lies outside the cohort's window, else None."""
    if day is None:
        return None
    first, last = date_window(cohort)
    if day < first:
        return (
            f"{day.isoformat()} is more than {MONTHS_BEFORE_START} months before the cohort started "
            f"({cohort.start_date.isoformat()}); the earliest date accepted is {first.isoformat()}."
        )
    if day > last:
        return (
            f"{day.isoformat()} is more than {MONTHS_AFTER_EVALUATION} months after the evaluation date "
            f"({cohort.evaluation_date.isoformat()}); the latest date accepted is {last.isoformat()}."
        )
    return None
