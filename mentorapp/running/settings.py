"""A cohort's settings for running the scheme, kept in ``Cohort.settings["running"]``.

Check-in days (after the start: day 30, then every 60 days until the evaluation),
the thresholds of the at-risk rules, and who chase e-mails come from. Anything not
set falls back to the default; the sender's name and signature fall back to the
letterhead's coordinator, so drafts are signed as the letters are.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.outputs.letterhead import load_letterhead
from mentorapp.people.cohorts import update_settings
from mentorapp.people.validation import is_valid_email
from mentorapp.store import audit
from mentorapp.store.models import Cohort

SETTINGS_KEY = "running"
FIRST_CHECKIN_DAY = 30
CHECKIN_EVERY_DAYS = 60
MAX_WEEKS = 52


def default_checkin_days(start: dt.date, evaluation: dt.date) -> list[int]:
    """Day 30, then every 60 days, while before the evaluation date (at least day 30)."""
    last = (evaluation - start).days
    days, day = [], FIRST_CHECKIN_DAY
    while day < last or not days:
        days.append(day)
        day += CHECKIN_EVERY_DAYS
    return days


@dataclass
class RunningSettings:
    """What the coordinator may change about running one cohort."""

    checkin_days: list[int] = field(default_factory=list)  # days after the start; [] = the default schedule
    first_meeting_weeks: int = 4  # flag a pair with no first meeting this long after it started
    quiet_weeks: int = 8  # flag a pair with no meeting for this long
    low_rating: int = 2  # a check-in rating at or below this flags the pair
    sender_name: str = ""  # "" = the letterhead's coordinator name
    sender_email: str = ""
    signature: str = ""  # "" = coordinator name, role and society from the letterhead

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> RunningSettings:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in (data or {}).items() if k in known}
        out = cls(**values)
        out.checkin_days = sorted({d for d in out.checkin_days if isinstance(d, int)})
        return out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def problems(self) -> list[str]:
        """Every value out of its range, as sentences naming the setting."""
        out = []
        if not 1 <= self.first_meeting_weeks <= MAX_WEEKS:
            out.append(f"The weeks allowed before a first meeting must be from 1 to {MAX_WEEKS}.")
        if not 1 <= self.quiet_weeks <= MAX_WEEKS:
            out.append(f"The weeks without a meeting before a pair is flagged must be from 1 to {MAX_WEEKS}.")
        if not 1 <= self.low_rating <= 4:
            out.append("The low check-in rating must be from 1 to 4.")
        if any(not 1 <= d <= 3660 for d in self.checkin_days):
            out.append("Check-in days must be from day 1 to day 3660 after the start.")
        if self.sender_email.strip() and not is_valid_email(self.sender_email.strip()):
            out.append(f"The sender's e-mail address '{self.sender_email.strip()}' is not a valid address.")
        return out


@dataclass(frozen=True)
class Sender:
    """Who chase e-mails come from, settings and letterhead combined."""

    name: str
    email: str
    signature: str


def _cohort(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    return cohort


def load_running_settings(session: Session, cohort_id: int) -> RunningSettings:
    """The cohort's settings with defaults filled in (the check-in days too)."""
    cohort = _cohort(session, cohort_id)
    settings = RunningSettings.from_dict((cohort.settings or {}).get(SETTINGS_KEY))
    if not settings.checkin_days:
        settings.checkin_days = default_checkin_days(scheme_start(cohort), cohort.evaluation_date)
    return settings


def save_running_settings(session: Session, cohort_id: int, settings: RunningSettings) -> None:
    """Check and store the settings; a value out of range is refused with a sentence naming it."""
    problems = settings.problems()
    if problems:
        raise UserError(problems[0])
    cohort = _cohort(session, cohort_id)
    stored = settings.to_dict()
    if stored["checkin_days"] == default_checkin_days(scheme_start(cohort), cohort.evaluation_date):
        stored["checkin_days"] = []  # the default schedule follows the start and evaluation dates
    started = ((cohort.settings or {}).get(SETTINGS_KEY) or {}).get("started_on")
    if started:
        stored["started_on"] = started  # set by start_pairs: kept
    update_settings(session, cohort_id, **{SETTINGS_KEY: stored})
    audit.record(
        session,
        "running settings saved",
        f"Check-in days and at-risk thresholds of '{cohort.name}' saved",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )


def scheme_start(cohort: Cohort) -> dt.date:
    """The day the scheme started (set by ``start``), else the cohort's start date."""
    raw = ((cohort.settings or {}).get(SETTINGS_KEY) or {}).get("started_on")
    try:
        return dt.date.fromisoformat(raw) if isinstance(raw, str) else cohort.start_date
    except ValueError:
        return cohort.start_date


def sender(session: Session, cohort_id: int) -> Sender:
    """The sender of chase e-mails: the settings, else the letterhead's coordinator."""
    settings = load_running_settings(session, cohort_id)
    head = load_letterhead(session, cohort_id)
    name = settings.sender_name.strip() or head.coordinator_name
    signature = settings.signature.strip() or "\n".join(
        line for line in (head.coordinator_name, head.coordinator_role, head.society_name) if line.strip()
    )
    return Sender(name, settings.sender_email.strip(), signature)


__all__ = [
    "RunningSettings",
    "Sender",
    "default_checkin_days",
    "load_running_settings",
    "save_running_settings",
    "scheme_start",
    "sender",
]
