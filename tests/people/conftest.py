"""A cohort with its own words, shared by the vocabulary tests."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorapp.matching.actions import create_match
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData, create_participant

AREAS = ["Policy", "Health and work policy", "Audit", "Return to work"]
LADDER = ["Band 5", "Band 6", "Band 7", "Band 8a", "Director of therapies"]


@pytest.fixture
def scheme(db):
    """A therapies cohort: a mentee who wrote both policy areas, two mentors, one proposed match."""
    with db.transaction() as s:
        cohort = create_cohort(
            s,
            CohortData(
                "Therapies network 2026",
                dt.date(2026, 4, 6),
                focus_areas=AREAS,
                career_stages=LADDER,
                regions=["Gwent", "Powys", "Dyfed"],
            ),
        )
        people = {
            "mentee": ParticipantData(
                "Nia",
                "Bowen",
                "nia@therapies.example",
                role="mentee",
                consent=True,
                career_stage="band 6",
                region="Powys",
                goals=[
                    GoalData("short", "Shape the trust's fit-note policy", ["Policy", "Health and work policy"]),
                    GoalData("long", "Run the audit programme", ["Audit", "policy"]),
                ],
            ),
            "both": ParticipantData(
                "Owain",
                "Price",
                "owain@therapies.example",
                role="mentor",
                consent=True,
                career_stage="Band 8a",
                region="Gwent",
                organisation="Gwent Therapies",
                expertise=[ExpertiseData("Policy", 4), ExpertiseData("Health and work policy", 11)],
            ),
            "policy": ParticipantData(
                "Seren",
                "Lloyd",
                "seren@therapies.example",
                role="mentor",
                consent=True,
                career_stage="Band 7",
                region="Dyfed",
                organisation="Dyfed Therapies",
                expertise=[ExpertiseData("Policy", 6), ExpertiseData("Audit", 2)],
            ),
        }
        ids = {key: create_participant(s, cohort.id, data).id for key, data in people.items()}
        create_match(s, ids["mentee"], ids["policy"])
        return cohort.id, ids
