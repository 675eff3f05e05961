"""The day the running screens take as today: the real day, or a fixed one.

The core's running functions take ``today``; the screens pass :func:`today`. A fixed day
(``MENTORAPP_TODAY=2021-11-20`` in the environment, or :func:`set_today` in tests) shows
a scheme as on that day, as ``--today`` does on the command line.
"""

from __future__ import annotations

import datetime as dt
import os

_fixed: dt.date | None = None


def set_today(day: dt.date | None) -> None:
    """Fix the day the screens see (None: the real day again)."""
    global _fixed
    _fixed = day


def today() -> dt.date:
    """The fixed day if there is one, else MENTORAPP_TODAY if it is a date, else the real day."""
    if _fixed is not None:
        return _fixed
    raw = os.environ.get("MENTORAPP_TODAY", "").strip()
    if raw:
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            pass  # a wrong value is ignored: the real day is the safe one
    return dt.date.today()
