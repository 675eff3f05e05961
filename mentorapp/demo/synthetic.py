"""Made-up cohorts in memory, for tests and benchmarks of the matcher at any size.

The people look like the demo cohort's (same focus areas, goal and experience
texts, stages, regions and organisations) but never touch a database, so a
10,000 x 5,000 cohort is built in a second.
"""

from __future__ import annotations

import random

from mentorapp.demo.cohort import EXPERIENCE_TEXT, GOAL_TEXT, MENTEE_JOBS, MENTOR_JOBS, ORGANISATIONS
from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData
from mentorapp.people.vocabulary import DEFAULT_FOCUS_AREAS, MEETING_PREFERENCES, REGIONS


def synthetic_cohort(
    mentees: int, mentors: int, *, capacity: int | None = 2, seed: int = 0, organisations: int | None = None
) -> tuple[list[ParticipantData], list[ParticipantData]]:
    """``mentees`` mentees and ``mentors`` mentors with ids 1..n; ``capacity`` None draws 1-3.

    ``organisations`` limits how many organisations people come from (more
    same-organisation conflicts); by default the demo's 24.
    """
    rng = random.Random(seed)
    areas = list(DEFAULT_FOCUS_AREAS)
    orgs = list(ORGANISATIONS)
    if organisations is not None:
        orgs = [orgs[k % len(orgs)] + ("" if k < len(orgs) else f" {k}") for k in range(organisations)]
    mentee_list: list[ParticipantData] = []
    mentor_list: list[ParticipantData] = []
    for k in range(mentees + mentors):
        is_mentor = k >= mentees
        job, stage = rng.choice(MENTOR_JOBS if is_mentor else MENTEE_JOBS)
        p = ParticipantData(
            id=k + 1,
            first_name=f"Person{k + 1}",
            last_name="Synthetic",
            email=f"p{k + 1}@example.org",
            role="mentor" if is_mentor else "mentee",
            organisation=rng.choice(orgs),
            job_title=job,
            career_stage=stage,
            region=rng.choice(REGIONS),
            meeting_preference=rng.choice(MEETING_PREFERENCES),
            capacity=(capacity if capacity is not None else rng.choice((1, 1, 2, 3))) if is_mentor else 0,
        )
        if is_mentor:
            chosen = rng.sample(areas, rng.randint(2, 4))
            p.expertise = [ExpertiseData(a, rng.randint(1, 25)) for a in chosen]
            p.experience = "I have " + "; I have ".join(EXPERIENCE_TEXT[a] for a in chosen) + "."
            mentor_list.append(p)
        else:
            main_area = rng.choice(areas)
            for h_index, horizon in enumerate(("short", "medium", "long")):
                tags = [main_area] if rng.random() < 0.6 else [rng.choice(areas)]
                if rng.random() < 0.35 and (extra := rng.choice(areas)) not in tags:
                    tags.append(extra)
                p.goals.append(GoalData(horizon, GOAL_TEXT[tags[0]][h_index], tags))
            mentee_list.append(p)
    return mentee_list, mentor_list
