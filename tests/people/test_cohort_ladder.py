"""Seniority comes from the cohort's own career ladder, in the cohort's order."""

from __future__ import annotations

import datetime as dt

from mentorapp.matching.queries import cohort_scorer
from mentorapp.matching.solver import suggest
from mentorapp.people.cohorts import CohortData, create_cohort, update_cohort
from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData, create_participant
from mentorapp.store.models import Cohort

LADDER = [
    "FY1/FY2",
    "Core trainee",
    "Registrar (ST3+)",
    "Consultant < 5 years",
    "Consultant 5+ years",
    "Clinical director",
]


def _people(db):
    """A registrar mentee and two consultant mentors, in a cohort with its own ladder and regions."""
    with db.transaction() as s:
        cohort = create_cohort(
            s,
            CohortData(
                "Anaesthesia mentoring 2026",
                dt.date(2026, 1, 12),
                focus_areas=["Rota design", "Theatre safety"],
                career_stages=LADDER,
                regions=["Tayside", "Grampian"],
            ),
        )
        mentee = create_participant(
            s,
            cohort.id,
            ParticipantData(
                "Isla",
                "Marr",
                "isla.marr@tayside.example",
                role="mentee",
                consent=True,
                career_stage="Registrar (ST3+)",
                region="Tayside",
                goals=[GoalData("short", "Take on the department rota", ["Rota design"])],
            ),
        )
        senior = create_participant(
            s,
            cohort.id,
            ParticipantData(
                "Calum",
                "Reid",
                "c.reid@grampian.example",
                role="mentor",
                consent=True,
                career_stage="consultant 5+ YEARS",  # as a form might spell it
                region="Grampian",
                organisation="Grampian Health",
                expertise=[ExpertiseData("Rota design", 9)],
            ),
        )
        peer = create_participant(
            s,
            cohort.id,
            ParticipantData(
                "Mairi",
                "Dunn",
                "m.dunn@fife.example",
                role="mentor",
                consent=True,
                career_stage="Registrar (ST3+)",
                region="Grampian",
                organisation="Fife Health",
                expertise=[ExpertiseData("Rota design", 9)],
            ),
        )
        return cohort.id, mentee.id, senior.id, peer.id


def test_career_stage_reasons_use_the_cohorts_ladder(db):
    cohort_id, mentee, senior, peer = _people(db)
    with db.session() as s:
        scorer = cohort_scorer(s, cohort_id)
        senior_reasons = [r.text for r in scorer.score(mentee, senior).reasons if r.kind == "stage"]
        peer_reasons = [r.text for r in scorer.score(mentee, peer).reasons if r.kind == "stage"]
    assert senior_reasons == ["Mentor is 2 career stages senior (Consultant 5+ years) (+0.15)"]
    assert peer_reasons == ["Mentor is at the same career stage (Registrar (ST3+)) (+0.00)"]


def test_suggestions_prefer_the_senior_mentor_and_follow_a_new_order(db):
    cohort_id, mentee, senior, peer = _people(db)
    with db.session() as s:
        first = suggest(s, cohort_id)
    [pick] = first.matches
    assert (pick.mentee.id, pick.mentor.id) == (mentee, senior)
    assert any("career stages senior (Consultant 5+ years)" in r.text for r in pick.score.reasons)

    # Turned upside down, the consultant is now junior to the registrar and the peer is preferred.
    with db.transaction() as s:
        data = CohortData.from_model(s.get(Cohort, cohort_id))
        data.career_stages = list(reversed(LADDER))
        update_cohort(s, data)
    with db.session() as s:
        second = suggest(s, cohort_id)
        junior = [r.text for r in cohort_scorer(s, cohort_id).score(mentee, senior).reasons if r.kind == "stage"]
    [pick] = second.matches
    assert pick.mentor.id == peer
    assert junior == ["Mentor is 2 career stages junior to the mentee (-0.60)"]
