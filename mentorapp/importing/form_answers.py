"""Answers a participant typed into a form sent back to the coordinator (check-ins, evaluations).

The forms offer dropdowns, but a cell can be typed into, pasted over or filled in another
spreadsheet program, so the answers come back as people write them: "4 - Very", "4/5",
"twice", "3/10/2024", "3 October 2024". Each reader takes what a person would mean and
leaves anything else unread (None) or refused, for the import to name by file and cell.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from mentorapp.importing.values import ValueProblemError
from mentorapp.importing.values import date as _date

YES = ("yes", "y", "true", "1", "ja", "oui")
NO = ("no", "n", "false", "0", "nein", "non")
COUNT_WORDS = {
    **{"none": 0, "never": 0, "zero": 0, "not yet": 0, "not at all": 0, "once": 1, "twice": 2},
    **{w: n for n, w in enumerate(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"), 1)},
}
# "4", "4 - Very", "4 (good)", "4/5", "4 out of 5", "3 times": a number first, then words only.
_LEADING = re.compile(r"(\d+)(?:\s*(?:/|out of|of)\s*(\d+))?(?:\s*[-\u2013\u2014:(,.]?\s*[^\d]*)?")
_WORD_TIMES = re.compile(r"(?P<word>[a-z ]+?)(?: times?)?[.!]?")
DATE_HINT = "a date such as 3 October 2024 or 03/10/2024"


def yes_no(value: Any) -> bool | None:
    """Yes or no from a cell or a widget; None when blank or unreadable."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = " ".join(str(value or "").split()).casefold().rstrip(".!")
    if text in YES:
        return True
    if text in NO:
        return False
    return None


def whole(value: Any, out_of: int | None = None) -> int | None:
    """A whole number a person wrote: 3, '3', '3 times', 'twice', 'four', and for a rating out of
    ``out_of`` also '4 - Very' or '4/5'. None when unreadable: '2-3', 'about 3', '4/6' for a 5."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = " ".join(str(value or "").split()).casefold()
    leading = _LEADING.fullmatch(text)
    if leading:
        scale = leading.group(2)
        if scale is not None and (out_of is None or int(scale) != out_of):
            return None  # '4/5' is a rating; as a count of meetings it could be four or five
        return int(leading.group(1))
    worded = _WORD_TIMES.fullmatch(text)
    return COUNT_WORDS.get(worded.group("word").strip()) if worded else None


def answer_date(value: Any) -> dt.date | None:
    """A date typed or picked in a form; None when blank. Written with numbers it is read day first
    (03/10/2024 is 3 October), as the forms' own example shows it."""
    try:
        return _date(value, day_first=True)
    except ValueProblemError:
        raise ValueError(f"is not {DATE_HINT}") from None


def other_cohort(file_name: str, kind: str, meta: dict[str, Any], cohort: Any) -> str:
    """Why a form is not this cohort's; a name alike but another number says where such a form comes from."""
    if str(meta.get("cohort") or "").casefold() == cohort.name.casefold():
        return (
            f"{file_name} is the {kind} of another cohort called '{cohort.name}' (number {meta.get('cohort_id')}; "
            f"this one is number {cohort.id}): it comes from another database, or its hidden details sheet "
            "was changed."
        )
    return f"{file_name} is the {kind} of cohort '{meta.get('cohort')}', not of '{cohort.name}'."
