"""A new cohort that starts from an earlier one: same vocabulary, mappings, weights, criteria and templates.

Next year's form then imports without questions (the remembered column and
answer mappings come along), the matcher weighs as it did, and two years are
compared like with like (the same focus areas, career ladder and success
criteria). Only what configures a cohort is copied; what records its own year
(quotes chosen for the report, evaluation forms read back) is not. The
letterhead shared by every cohort (an application setting) needs no copy; a
cohort's own letterhead override is copied.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from mentorapp.people.cohorts import CohortData, create_cohort, find_cohort
from mentorapp.store import audit
from mentorapp.store.models import Cohort

# The cohort settings that configure a cohort, with what a coordinator calls them.
COPIED_SETTINGS = {
    "import_mapping": "the form's column and answer mappings",
    "matching": "matching weights and the former-pairs rule",
    "success_criteria": "success criteria",
    "letter_template": "letter template",
    "letterhead": "the cohort's own letterhead",
    "report": "report title and wording",
    "quote_themes": "quote themes",
    "retrospective_pre": "the 'looking back' question",
    "running": "check-in and meeting settings",
    "chase_templates": "reminder e-mail templates",
}
VOCABULARY = {
    "focus_areas": "focus areas",
    "career_stages": "career stages in their order",
    "regions": "regions",
}


@dataclass
class CopiedFrom:
    """The new cohort and what it took over from the earlier one (labels for a sentence)."""

    cohort_id: int
    name: str
    earlier: str
    copied: list[str] = field(default_factory=list)

    def sentence(self) -> str:
        return f"'{self.name}' takes over from '{self.earlier}': {', '.join(self.copied)}."


def settings_from(earlier: Cohort) -> tuple[dict[str, Any], list[str]]:
    """The settings a new cohort takes from ``earlier``, and the labels of what they are."""
    source = dict(earlier.settings or {})
    settings = {key: copy.deepcopy(source[key]) for key in COPIED_SETTINGS if source.get(key) not in (None, {}, [])}
    return settings, [COPIED_SETTINGS[key] for key in settings]


def cohort_data_from(earlier: Cohort, name: str, start: dt.date, evaluation: dt.date | None = None) -> CohortData:
    """A new cohort's values with the earlier cohort's vocabulary and settings (what the dialog shows)."""
    settings, _labels = settings_from(earlier)
    return CohortData(
        name=name,
        start_date=start,
        evaluation_date=evaluation,
        focus_areas=list(earlier.focus_areas or []),
        career_stages=list(earlier.career_stages or []),
        regions=list(earlier.regions or []),
        settings=settings,
    )


def copied_labels(earlier: Cohort) -> list[str]:
    """Everything a new cohort takes from ``earlier``, as a coordinator would list it."""
    vocabulary = [label for key, label in VOCABULARY.items() if getattr(earlier, key)]
    return vocabulary + settings_from(earlier)[1]


def create_cohort_from(
    session: Session, name: str, earlier_name: str, start: dt.date, evaluation: dt.date | None = None
) -> CopiedFrom:
    """Create ``name`` starting ``start`` with everything that configures the cohort ``earlier_name``."""
    earlier = find_cohort(session, earlier_name)
    cohort = create_cohort(session, cohort_data_from(earlier, name, start, evaluation))
    return note_copied(session, cohort, earlier)


def note_copied(session: Session, cohort: Cohort, earlier: Cohort) -> CopiedFrom:
    """Say in the activity log what a cohort just created took over from ``earlier``."""
    result = CopiedFrom(cohort.id, cohort.name, earlier.name, copied_labels(earlier))
    audit.record(
        session,
        "cohort created from earlier",
        f"Cohort '{cohort.name}' took over from '{earlier.name}': {', '.join(result.copied) or 'nothing to copy'}",
        cohort_id=cohort.id,
        entity_type="cohort",
        entity_id=cohort.id,
    )
    return result
