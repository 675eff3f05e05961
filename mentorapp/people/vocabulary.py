"""The words a scheme uses: focus areas, career stages, regions, labels.

Defaults for an occupational health scheme. A cohort keeps its own focus areas,
its own career stages (ordered most junior first: the matcher's seniority comes
from that order) and its own regions (``Cohort.focus_areas``, ``career_stages``,
``regions``); the lists below are what a new cohort starts with.

Meeting preferences are different: they stay the three canonical values of
``MEETING_PREFERENCES`` (either / in person / online), because they are meanings
the scorer acts on, not words of the scheme. A form's own wording for them
("Video call", "Face to face") is mapped onto these three when importing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

DEFAULT_FOCUS_AREAS: tuple[str, ...] = (
    "Leadership",
    "Management",
    "Research",
    "Academic publishing",
    "Clinical practice",
    "Health and work policy",
    "Workplace mental health",
    "Teaching and education",
    "Service development",
    "Quality improvement",
    "Specialty training and exams",
    "Career progression",
    "Networking and influence",
    "Work-life balance",
    "Digital health",
    "Ethics and law",
)

# Ordered from most junior to most senior: the matcher uses the positions.
CAREER_STAGES: tuple[str, ...] = (
    "Student or foundation",
    "Specialty trainee",
    "Early career specialist",
    "Established practitioner",
    "Consultant or senior practitioner",
    "Senior leader",
)

REGIONS: tuple[str, ...] = (
    "London",
    "South East",
    "South West",
    "East of England",
    "Midlands",
    "North West",
    "North East and Yorkshire",
    "Scotland",
    "Wales",
    "Northern Ireland",
)

TITLES: tuple[str, ...] = ("Dr", "Prof", "Mr", "Mrs", "Ms", "Mx", "Miss")

MEETING_PREFERENCES: tuple[str, ...] = ("either", "in person", "online")

ROLE_LABELS = {"mentee": "Mentee", "mentor": "Mentor", "both": "Mentor and mentee"}
HORIZON_LABELS = {"short": "Short-term", "medium": "Medium-term", "long": "Long-term"}
HORIZON_HINTS = {"short": "next 6-12 months", "medium": "1-3 years", "long": "3-5 years and beyond"}
COHORT_STATUS_LABELS = {
    "recruiting": "Recruiting",
    "matching": "Matching",
    "running": "Running",
    "evaluating": "Evaluating",
    "closed": "Closed",
}
MATCH_STATUS_LABELS = {
    "proposed": "Proposed",
    "confirmed": "Confirmed",
    "active": "Active",
    "completed": "Completed",
    "ended_early": "Ended early",
}


@dataclass(frozen=True)
class SchemeVocabulary:
    """One cohort's words: its focus areas, its career stages (most junior first) and its regions."""

    focus_areas: list[str] = field(default_factory=lambda: list(DEFAULT_FOCUS_AREAS))
    career_stages: list[str] = field(default_factory=lambda: list(CAREER_STAGES))
    regions: list[str] = field(default_factory=lambda: list(REGIONS))


def career_stage_rank(stage: str, stages: Sequence[str]) -> int | None:
    """Position of ``stage`` in a cohort's ordered ``stages`` (0 = most junior), None when unknown."""
    folded = " ".join(stage.split()).casefold()
    if not folded:
        return None
    for i, name in enumerate(stages):
        if name.casefold() == folded:
            return i
    return None


def canonical_focus_area(value: str, vocabulary: list[str] | tuple[str, ...]) -> str | None:
    """The vocabulary's spelling of ``value`` (case and spaces ignored), or None."""
    folded = " ".join(value.split()).casefold()
    for area in vocabulary:
        if area.casefold() == folded:
            return area
    return None


def is_focus_area(value: str, vocabulary: list[str] | tuple[str, ...]) -> bool:
    """Whether ``value`` is in the vocabulary as :func:`canonical_focus_area` finds it: one set lookup,
    the set made once per vocabulary (an import asks it for every area of every row)."""
    return " ".join(value.split()).casefold() in _folded(tuple(vocabulary))


@lru_cache(maxsize=8)
def _folded(vocabulary: tuple[str, ...]) -> frozenset[str]:
    return frozenset(area.casefold() for area in vocabulary)
