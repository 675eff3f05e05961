"""Field-level checks shared by the dialogs, the importer and the command line."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

# Pragmatic address check: something@domain.tld, no spaces, one @.
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")

# The most mentees one mentor can offer to take: the participant dialog's capacity box and the import agree.
MAX_CAPACITY = 50

# Longest text each field accepts; mirrors the column sizes in models.py.
FIELD_LIMITS = {
    "title": 50,
    "first_name": 200,
    "last_name": 200,
    "email": 320,
    "phone": 50,
    "organisation": 300,
    "job_title": 300,
    "career_stage": 100,
    "region": 100,
    "membership_number": 50,
    "availability": 500,
    "notes": 20_000,
    "experience": 20_000,
    "goal_text": 20_000,
    "focus_area": 100,
}

FIELD_LABELS = {
    "title": "Title",
    "first_name": "First name",
    "last_name": "Last name",
    "email": "Email",
    "phone": "Phone",
    "organisation": "Organisation",
    "job_title": "Job title",
    "career_stage": "Career stage",
    "region": "Region",
    "membership_number": "Membership number",
    "role": "Role",
    "consent": "Consent",
    "consent_date": "Consent date",
    "notes": "Notes",
    "capacity": "Capacity",
    "availability": "Availability",
    "meeting_preference": "Meeting preference",
    "experience": "Experience",
    "goals": "Goals",
    "expertise": "Expertise",
}


@dataclass(frozen=True)
class FieldError:
    """One problem with one field, in words a coordinator understands."""

    field: str
    message: str


def is_valid_email(value: str) -> bool:
    """An address as :data:`EMAIL_RE` wants it once normalised, with no invisible character in it.

    A zero-width space or joiner, a soft hyphen or a byte-order mark (Unicode's format
    characters, category Cf) would make an address that looks like another one a new person.
    """
    address = normalise_email(value)
    if not EMAIL_RE.match(address):
        return False
    # Every row of an import passes here: an ASCII address (nearly all) holds no format character.
    return address.isascii() or not any(unicodedata.category(c) == "Cf" for c in address)


def normalise_email(value: str) -> str:
    """The form addresses are stored and compared in: NFKC (fullwidth 'ｐ１' is 'p1'), trimmed, lower case."""
    return unicodedata.normalize("NFKC", value).strip().lower()


def check_length(field: str, value: str) -> FieldError | None:
    limit = FIELD_LIMITS.get(field)
    if limit is not None and len(value) > limit:
        label = FIELD_LABELS.get(field, field)
        return FieldError(field, f"{label} is {len(value):,} characters long; the limit is {limit:,}.")
    return None


# Every date a person types (a cohort's start and evaluation, a letter's date, a log's
# range) lies in these years: wide enough for any real scheme, narrow enough that adding
# months or days never leaves the calendar Python can hold (years 1 to 9999).
FIRST_DATE = dt.date(1990, 1, 1)
LAST_DATE = dt.date(2100, 12, 31)
# Control characters (other than tab, line feed and carriage return) never belong in typed text.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def visible(text: str) -> str:
    """``text`` without invisible format characters (direction marks, zero-width spaces) and outer spaces."""
    if text.isascii():  # every row of an import passes here: plain names take no walk through their letters
        return text.strip()
    return "".join(c for c in text if unicodedata.category(c) != "Cf").strip()


def date_range_problem(label: str, day: dt.date) -> str | None:
    """A sentence when ``day`` lies outside FIRST_DATE..LAST_DATE, else None."""
    if FIRST_DATE <= day <= LAST_DATE:
        return None
    return (
        f"{label} {day.isoformat()} is not between {FIRST_DATE.isoformat()} and {LAST_DATE.isoformat()}; "
        "check the year."
    )
