"""Dates as people read them: "1 September 2021", "Sep 2021", "01 Sep 2021 14:05".

At the bottom of the core, beside ``errors.py``: every wing writes dates for people, the store too
(backup and lock labels).

The month names are written out here, not taken from ``strftime``'s %B and %b:
those follow the machine's locale, which Qt sets from the desktop's language,
so a letter, an e-mail or a report in English would carry "septembre" or "Medi"
on a French or Welsh laptop.
"""

from __future__ import annotations

import datetime as dt

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def month_name(day: dt.date) -> str:
    return MONTH_NAMES[day.month - 1]


def long_date(day: dt.date) -> str:
    """1 September 2021: letters, e-mails, reports and date fields."""
    return f"{day.day} {month_name(day)} {day.year}"


def month_year(day: dt.date, *, short: bool = False) -> str:
    """September 2021, or Sep 2021."""
    month = month_name(day)
    return f"{month[:3] if short else month} {day.year}"


def day_month(day: dt.date) -> str:
    """1 Sep: a date in a short label, where the year is plain."""
    return f"{day.day} {month_name(day)[:3]}"


def short_date(day: dt.date) -> str:
    """01 Sep 2021: a date in a table column (the same width on every row)."""
    return f"{day.day:02d} {month_name(day)[:3]} {day.year}"


def short_time(moment: dt.datetime, *, seconds: bool = False) -> str:
    """01 Sep 2021 14:05 (or 14:05:09): when something happened, in a list."""
    return f"{short_date(moment)} {moment:%H:%M:%S}" if seconds else f"{short_date(moment)} {moment:%H:%M}"
