"""Reading what a person types into a command's options: dates, day counts and numbers.

Every option that takes a date or a number names one of these as its argparse ``type=``.
A value that is not one, or lies outside its range, is refused with a sentence before the
command runs (argparse hands the sentence to ``Parser.error``: a usage error, exit status 2),
so no value reaches the database or the calendar arithmetic that would overflow there.

Ranges: dates lie in mentorapp.people.validation's FIRST_DATE..LAST_DATE (1990 to 2100),
"N days back" at most MAX_DAYS_BACK, ids from 1 to the largest an INTEGER column
holds, and counts in the range each option names.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
from collections.abc import Callable

from mentorapp.errors import shown as _shown
from mentorapp.people.validation import FIRST_DATE, LAST_DATE, date_range_problem
from mentorapp.store.ids import MAX_ID

MAX_DAYS_BACK = (LAST_DATE - FIRST_DATE).days


def date_value(text: str) -> dt.date:
    """A date YYYY-MM-DD between FIRST_DATE and LAST_DATE."""
    try:
        day = dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{_shown(text)}' is not a date in the form YYYY-MM-DD") from None
    problem = date_range_problem("the date", day)
    if problem:
        raise argparse.ArgumentTypeError(problem.rstrip("."))
    return day


def since_value(text: str) -> dt.datetime:
    """YYYY-MM-DD, YYYY-MM-DDTHH:MM, or N days back from now (7d), within the date range."""
    clean = text.strip().lower()
    if clean.endswith("d") and clean[:-1].isdigit() and clean[:-1].isascii():
        days = int(clean[:-1])
        if days > MAX_DAYS_BACK:
            raise argparse.ArgumentTypeError(f"'{_shown(text)}' goes back more than {MAX_DAYS_BACK:,} days")
        return dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=days)
    try:
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{_shown(text)}' is not a date (YYYY-MM-DD) or a number of days (7d)"
        ) from None
    problem = date_range_problem("the date", moment.date())
    if problem:
        raise argparse.ArgumentTypeError(problem.rstrip("."))
    return moment.replace(tzinfo=None) if moment.tzinfo is None else moment.astimezone(dt.UTC).replace(tzinfo=None)


def whole_number(low: int, high: int, what: str = "a whole number") -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        clean = text.strip()
        digits = clean[1:] if clean[:1] in "+-" else clean
        if not (digits.isascii() and digits.isdigit()):
            raise argparse.ArgumentTypeError(f"'{_shown(text)}' is not {what}")
        # Longer than any limit here, and int() refuses numbers of thousands of digits.
        number = int(clean) if len(digits) <= 30 else None
        if number is None or not low <= number <= high:
            raise argparse.ArgumentTypeError(f"{what} must be from {low:,} to {high:,}, not {_shown(clean)}")
        return number

    parse.__name__ = "whole number"  # argparse names the type in its own messages
    return parse


def id_value(text: str) -> int:
    return whole_number(1, MAX_ID, "an id")(text)


def finite_number(low: float, high: float) -> Callable[[str], float]:
    """An argparse type: a finite number from ``low`` to ``high``."""

    def parse(text: str) -> float:
        try:
            number = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{_shown(text)}' is not a number") from None
        if not math.isfinite(number):
            raise argparse.ArgumentTypeError(f"'{_shown(text)}' is not a finite number")
        if not low <= number <= high:
            raise argparse.ArgumentTypeError(f"the number must be from {low:,.0f} to {high:,.0f}, not {_shown(text)}")
        return number

    parse.__name__ = "number"
    return parse
