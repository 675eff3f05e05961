"""The words a scheme uses: focus areas, career stages, regions, labels.

Defaults for an occupational health scheme; a cohort keeps its own focus-area
vocabulary (and may later keep its own stages), so these are starting points.
"""

from __future__ import annotations

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


def career_stage_rank(stage: str) -> int | None:
    """Position of a career stage (0 = most junior), None when unknown."""
    folded = stage.strip().casefold()
    for i, name in enumerate(CAREER_STAGES):
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
