"""Compatibility scores: each part, the reasons, and the vectorised matrix agreeing with them."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorapp.demo.synthetic import synthetic_cohort
from mentorapp.matching import scoring
from mentorapp.matching.scoring import DEFAULT_WEIGHTS, PairScore, Scorer, weights_for, years_factor
from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData

pytestmark = pytest.mark.both_databases


def mentee(pid: int = 1, goals: dict[str, list[str]] | None = None, **kw) -> ParticipantData:
    goals = {"short": ["Leadership"]} if goals is None else goals
    return ParticipantData(
        id=pid,
        first_name="Mia",
        last_name=f"Mentee{pid}",
        email=f"mentee{pid}@example.org",
        role="mentee",
        goals=[GoalData(h, kw.pop(f"{h}_text", ""), areas) for h, areas in goals.items()],
        **kw,
    )


def mentor(pid: int = 100, expertise: dict[str, int] | None = None, **kw) -> ParticipantData:
    expertise = {"Leadership": 12} if expertise is None else expertise
    return ParticipantData(
        id=pid,
        first_name="Max",
        last_name=f"Mentor{pid}",
        email=f"mentor{pid}@example.org",
        role="mentor",
        expertise=[ExpertiseData(a, y) for a, y in expertise.items()],
        **kw,
    )


def only(weights: dict[str, float], *keep: str) -> dict[str, float]:
    """Weights with every part switched off except ``keep``."""
    off = {k: 0.0 for k in weights if k != "years_full"}
    return {**weights, **off, **{k: weights[k] for k in keep}}


def test_focus_reason_reads_like_the_issue_example():
    s = Scorer([mentee()], [mentor()], DEFAULT_WEIGHTS).score(1, 100)
    focus = [r for r in s.reasons if r.kind == "focus_short"]
    assert [r.text for r in focus] == ["Short-term goal Leadership matches mentor's 12 years in Leadership (+0.30)"]
    assert focus[0].contribution == pytest.approx(0.30)


def test_a_mentor_whose_years_are_unknown_is_not_said_to_have_0_years():
    """A form asking only for areas stores 0 years; the reason names the expertise, not '0 years'."""
    s = Scorer([mentee()], [mentor(expertise={"Leadership": 0})], DEFAULT_WEIGHTS).score(1, 100)
    focus = [r.text for r in s.reasons if r.kind == "focus_short"]
    assert focus == ["Short-term goal Leadership matches mentor's expertise in Leadership (+0.15)"]


def test_focus_is_shared_across_a_goals_areas_and_weighted_per_horizon():
    w = only(DEFAULT_WEIGHTS, "focus_short", "focus_medium", "focus_long")
    person = mentee(goals={"short": ["Leadership", "Research"], "long": ["Leadership"]})
    s = Scorer([person], [mentor(expertise={"Leadership": 30})], w).score(1, 100)
    by_kind = {r.kind: r.contribution for r in s.reasons}
    assert by_kind == pytest.approx({"focus_short": 0.15, "focus_long": 0.20})
    assert s.total == pytest.approx(0.35)


def test_years_count_with_diminishing_returns():
    factors = [years_factor(y, 10) for y in (0, 1, 3, 6, 10, 40)]
    assert factors[0] == 0.5 and factors[-1] == 1.0 == factors[-2]
    steps = np.diff(factors[:5])
    assert all(steps > 0)
    assert steps[0] / 1 > steps[1] / 2 > steps[2] / 3  # each further year adds less
    novice = Scorer([mentee()], [mentor(expertise={"Leadership": 1})], DEFAULT_WEIGHTS).score(1, 100)
    veteran = Scorer([mentee()], [mentor(expertise={"Leadership": 20})], DEFAULT_WEIGHTS).score(1, 100)
    assert veteran.total > novice.total
    assert "1 year in Leadership" in novice.reasons[0].text


def test_focus_areas_match_whatever_their_case_and_spacing():
    s = Scorer([mentee(goals={"short": ["  leadership "]})], [mentor(expertise={"LEADERSHIP": 12})], DEFAULT_WEIGHTS)
    assert s.score(1, 100).reasons[0].kind == "focus_short"


@pytest.mark.parametrize(
    ("mentee_stage", "mentor_stage", "expected", "words"),
    [
        ("Specialty trainee", "Consultant or senior practitioner", 0.15, "3 career stages senior"),
        ("Specialty trainee", "Early career specialist", 0.075, "1 career stage senior"),
        ("Specialty trainee", "Specialty trainee", 0.0, "same career stage"),
        ("Senior leader", "Specialty trainee", -1.2, "4 career stages junior"),
    ],
)
def test_career_stage_gap(mentee_stage, mentor_stage, expected, words):
    w = only(DEFAULT_WEIGHTS, "stage_senior", "stage_junior")
    s = Scorer([mentee(career_stage=mentee_stage)], [mentor(career_stage=mentor_stage)], w).score(1, 100)
    assert s.total == pytest.approx(expected)
    assert words in s.reasons[0].text


def test_unknown_career_stage_adds_nothing_and_says_nothing():
    s = Scorer([mentee(career_stage="Wizard")], [mentor(career_stage="Senior leader")], DEFAULT_WEIGHTS)
    assert not [r for r in s.score(1, 100).reasons if r.kind == "stage"]


def test_region_and_meeting_preference():
    w = only(DEFAULT_WEIGHTS, "region", "meeting_match", "meeting_conflict")
    same = Scorer(
        [mentee(region="Wales", meeting_preference="online")], [mentor(region="wales", meeting_preference="online")], w
    ).score(1, 100)
    assert same.total == pytest.approx(0.15)
    assert [r.kind for r in same.reasons] == ["region", "meeting"]
    clash = Scorer(
        [mentee(region="", meeting_preference="in person")], [mentor(region="", meeting_preference="online")], w
    ).score(1, 100)
    assert clash.total == pytest.approx(-0.15)
    assert "in person" in clash.reasons[0].text and "online" in clash.reasons[0].text
    either = Scorer([mentee(meeting_preference="either")], [mentor(meeting_preference="online")], w).score(1, 100)
    assert either.total == 0 and either.reasons == ()


def test_text_similarity_prefers_the_mentor_whose_experience_matches_the_goal():
    w = only(DEFAULT_WEIGHTS, "text")
    m = mentee(goals={"short": []}, short_text="Publish research on sickness absence and return to work")
    research = mentor(100, experience="I ran research studies on sickness absence and return to work.")
    tribunal = mentor(101, experience="I gave evidence at employment tribunals about consent.")
    scorer = Scorer([m], [research, tribunal], w)
    good, poor = scorer.score(1, 100), scorer.score(1, 101)
    assert good.total > 0.2 and poor.total == 0
    assert good.reasons[0].kind == "text"
    assert "absence" in good.reasons[0].text and good.reasons[0].text.endswith("(+0.27)")


def test_a_shared_initialism_is_shown_as_written():
    """'Goal text and mentor's experience share: qi' read as unfinished; people write QI and HR."""
    w = only(DEFAULT_WEIGHTS, "text")
    m = mentee(goals={"short": []}, short_text="Lead QI projects with HR")
    scorer = Scorer([m], [mentor(100, experience="Ten years of QI projects and HR policy.")], w)
    text = scorer.score(1, 100).reasons[0].text
    assert "QI" in text and "HR" in text and "projects" in text and " qi" not in text


def test_weights_for_merges_cohort_settings_over_defaults_and_ignores_junk():
    assert weights_for({}) == DEFAULT_WEIGHTS
    assert weights_for(None) == DEFAULT_WEIGHTS
    custom = weights_for(
        {"matching": {"weights": {"region": 0.5, "text": "lots", "bogus": 3, "focus_short": float("nan")}}}
    )
    assert custom["region"] == 0.5
    assert custom["text"] == DEFAULT_WEIGHTS["text"]
    assert custom["focus_short"] == DEFAULT_WEIGHTS["focus_short"]
    assert "bogus" not in custom
    assert weights_for({"matching": "broken"}) == DEFAULT_WEIGHTS


def test_pair_score_json_shape():
    s = Scorer([mentee()], [mentor()], DEFAULT_WEIGHTS).score(1, 100)
    data = s.to_json()
    assert set(data) == {"score", "reasons"}
    assert data["score"] == pytest.approx(s.total, abs=1e-4)
    assert all(set(r) == {"text", "contribution"} for r in data["reasons"])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 12), m=st.integers(1, 8))
def test_reasons_add_up_and_matrix_equals_score(seed, n, m):
    mentees, mentors = synthetic_cohort(n, m, seed=seed, capacity=None)
    scorer = Scorer(mentees, mentors, DEFAULT_WEIGHTS)
    matrix = scorer.matrix()
    assert matrix.shape == (n, m) and matrix.dtype == np.float32
    for i, a in enumerate(mentees):
        for j, b in enumerate(mentors):
            s: PairScore = scorer.score(a.id, b.id)
            assert math.fsum(r.contribution for r in s.reasons) == s.total
            assert matrix[i, j] == pytest.approx(s.total, abs=1e-5)


def test_matrix_of_some_rows_and_columns_and_the_sparse_text_path(monkeypatch):
    mentees, mentors = synthetic_cohort(30, 20, seed=3)
    scorer = Scorer(mentees, mentors, DEFAULT_WEIGHTS)
    full = scorer.matrix()
    rows, cols = [0, 5, 29], [19, 2]
    assert np.allclose(scorer.matrix(rows, cols), full[np.ix_(rows, cols)])
    monkeypatch.setattr(scoring, "FUSED_TEXT_TERMS", 0)
    assert np.allclose(scorer.matrix(), full, atol=1e-6)


def test_matrix_reports_progress_and_handles_empty_sides():
    mentees, mentors = synthetic_cohort(50, 10, seed=1)
    seen: list[float] = []
    Scorer(mentees, mentors, DEFAULT_WEIGHTS).matrix(progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen)
    assert Scorer([], mentors, DEFAULT_WEIGHTS).matrix().shape == (0, 10)
    assert Scorer(mentees, [], DEFAULT_WEIGHTS).matrix().shape == (50, 0)
