"""The matcher: optimal (checked by brute force), never breaks a rule, keeps current matches, explains itself."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mentorapp.demo.synthetic import synthetic_cohort
from mentorapp.errors import ConflictError, UserError
from mentorapp.matching import pruned as pruning
from mentorapp.matching import solver as matching
from mentorapp.matching.actions import RuleBrokenError, accept_suggestions
from mentorapp.matching.rules import RuleContext, violations
from mentorapp.matching.scoring import DEFAULT_WEIGHTS, Scorer
from mentorapp.matching.solver import (
    NO_CAPACITY,
    NOT_USEFUL_SCORE,
    TAKEN,
    load_participants,
    plan,
    solve,
    suggest,
)
from mentorapp.people.exclusions import new_exclusion
from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData
from mentorapp.people.persons import person_of
from mentorapp.store.models import AuditEvent, Match

pytestmark = pytest.mark.both_databases

# -- the solver against brute force -------------------------------------------------------------


def brute_force(values: np.ndarray, cap: np.ndarray, coverage: bool) -> tuple[int, float]:
    """(pairs, total) of the best plan, by trying every plan."""
    n, m = values.shape
    best: tuple[int, float] = (0, 0.0)
    for choice in itertools.product(range(-1, m), repeat=n):
        pairs = [(i, j) for i, j in enumerate(choice) if j >= 0]
        if any(np.isnan(values[i, j]) for i, j in pairs):
            continue
        if any(sum(1 for _, j in pairs if j == col) > cap[col] for col in range(m)):
            continue
        total = math.fsum(float(values[i, j]) for i, j in pairs)
        key = (len(pairs), total)
        if coverage:
            if key[0] > best[0] or (key[0] == best[0] and total > best[1] + 1e-9):
                best = key
        elif total > best[1] + 1e-9:
            best = key
    return best


def check_valid(values: np.ndarray, cap: np.ndarray, pairs: list[tuple[int, int]]) -> None:
    rows = [i for i, _ in pairs]
    assert len(rows) == len(set(rows)), "a mentee got two mentors"
    for j in range(values.shape[1]):
        assert sum(1 for _, c in pairs if c == j) <= cap[j], "a mentor is over capacity"
    assert not any(np.isnan(values[i, j]) for i, j in pairs), "a forbidden pair was chosen"


def random_instance(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 6)), int(rng.integers(1, 4))
    values = rng.uniform(-0.4, 1.2, size=(n, m)).astype(np.float32)
    if rng.random() < 0.5:  # ties, as real scores have
        values = np.round(values, 1).astype(np.float32)
    values[rng.random((n, m)) < rng.uniform(0, 0.5)] = np.nan
    cap = rng.integers(0, 3, size=m)
    return values, cap


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), objective=st.sampled_from(["score", "coverage"]))
def test_solver_equals_brute_force_on_tiny_instances(seed, objective):
    values, cap = random_instance(seed)
    finite = values[~np.isnan(values)]
    bonus = 1.0 + len(values) * (float(finite.max()) - min(float(finite.min()), 0.0)) if finite.size else 0.0
    bonus = bonus if objective == "coverage" else 0.0
    want_pairs, want_total = brute_force(values, cap, objective == "coverage")
    for method in ("exact", "pruned"):  # tiny instances keep every candidate, so pruned is exact too
        pairs = solve(values, cap, bonus=bonus, method=method).pairs
        check_valid(values, cap, pairs)
        total = math.fsum(float(values[i, j]) for i, j in pairs)
        assert total == pytest.approx(want_total, abs=1e-5), method
        if objective == "coverage":
            assert len(pairs) == want_pairs, method
        else:
            assert all(values[i, j] > 0 for i, j in pairs)


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_heavily_pruned_solutions_still_keep_every_rule(seed):
    values, cap = random_instance(seed)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pruning, "PRUNE_PER_MENTEE", 1)
        mp.setattr(pruning, "PRUNE_PER_PLACE", 1)
        check_valid(values, cap, solve(values, cap, method="pruned").pairs)


def test_coverage_matches_more_mentees_than_score_when_they_disagree():
    nan = np.nan
    values = np.array([[1.0, 0.1], [0.2, nan]], dtype=np.float32)
    cap = np.array([1, 1])
    assert solve(values, cap).pairs == [(0, 0)]
    assert sorted(solve(values, cap, bonus=10.0).pairs) == [(0, 1), (1, 0)]


def test_solver_leaves_the_input_alone_and_handles_empty_problems():
    values = np.array([[0.5, np.nan]], dtype=np.float32)
    before = values.copy()
    solve(values, [1, 1])
    assert np.array_equal(values, before, equal_nan=True)
    assert solve(np.zeros((0, 3), dtype=np.float32), [1, 1, 1]).pairs == []
    assert solve(np.ones((2, 2), dtype=np.float32), [0, 0]).pairs == []
    with pytest.raises(ValueError):
        solve(np.ones((2, 2), dtype=np.float32), [1, 1], method="magic")


@pytest.mark.parametrize("objective", ["score", "coverage"])
@pytest.mark.parametrize(("seed", "n_mentors"), [(1, 300), (2, 300), (3, 200)])
def test_pruned_solve_stays_within_the_stated_tolerance_of_the_optimum(objective, seed, n_mentors):
    """Mid-size random cohorts: 600 mentees x 200-300 mentors of capacity 2, with same-organisation conflicts."""
    mentees, mentors = synthetic_cohort(600, n_mentors, seed=seed, organisations=12)
    ctx = RuleContext(excluded=set(), load={})
    exact = plan(mentees, mentors, ctx, DEFAULT_WEIGHTS, objective=objective, method="exact")
    pruned = plan(mentees, mentors, ctx, DEFAULT_WEIGHTS, objective=objective, method="pruned")
    assert exact.exact and pruned.exact  # the pruned plan is proven optimal (matching/optimality.py)
    assert pruned.total_score >= (1 - matching.PRUNED_TOLERANCE) * exact.total_score
    assert pruned.total_score == pytest.approx(exact.total_score, rel=1e-6)
    if objective == "coverage":
        assert len(pruned.matches) == len(exact.matches)


# -- planning with people and rules -------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), objective=st.sampled_from(["score", "coverage"]))
def test_plan_keeps_every_rule_and_equals_brute_force(seed, objective):
    rng = random.Random(seed)
    mentees, mentors = synthetic_cohort(rng.randint(1, 5), rng.randint(1, 3), seed=seed, capacity=None, organisations=3)
    if rng.random() < 0.3:  # someone who is both mentor and mentee
        both = mentors[0]
        both.role = "both"
        both.goals = [GoalData("short", "", ["Leadership"])]
        mentees.append(both)
    excluded = {(b.id, a.id) for a in mentees for b in mentors if rng.random() < 0.2}
    current: dict[int, int] = {}
    load: dict[int, int] = {}
    for a in mentees:
        if rng.random() < 0.2:
            b = rng.choice(mentors)
            current[a.id] = b.id
            load[b.id] = load.get(b.id, 0) + 1  # may even exceed capacity: the plan must cope
    ctx = RuleContext(excluded=excluded, load=load, current=current)
    min_score = rng.choice([None, None, 0.2, -0.5])
    result = plan(mentees, mentors, ctx, DEFAULT_WEIGHTS, objective=objective, min_score=min_score)

    open_ids = {a.id for a in mentees if a.id not in current}
    assert {s.mentee.id for s in result.matches} | {u.mentee.id for u in result.unmatched} == open_ids
    assert len(result.matches) + len(result.unmatched) == len(open_ids)
    running = RuleContext(excluded=excluded, load=dict(load), current=dict(current))
    for s in result.matches:
        assert violations(s.mentee, s.mentor, running) == []
        running.load[s.mentor.id] = running.load.get(s.mentor.id, 0) + 1
        if min_score is not None:
            assert s.score.total >= min_score - 1e-6
        assert math.fsum(r.contribution for r in s.score.reasons) == s.score.total

    # Brute force over the same scores and rules.
    scorer = Scorer(mentees, mentors, DEFAULT_WEIGHTS)
    open_list = [a for a in mentees if a.id in open_ids]
    values = np.full((len(open_list), len(mentors)), np.nan, dtype=np.float32)
    for i, a in enumerate(open_list):
        for j, b in enumerate(mentors):
            total = scorer.score(a.id, b.id).total
            rules_ok = not [v for v in violations(a, b, ctx) if v.code != "full"]
            if rules_ok and (min_score is None or total >= min_score - matching.SCORE_EPSILON):
                values[i, j] = total
    cap = np.array([ctx.free_capacity(b) for b in mentors])
    want_pairs, want_total = brute_force(values, cap, objective == "coverage")
    assert result.total_score == pytest.approx(want_total, abs=1e-4)
    if objective == "coverage":
        assert len(result.matches) == want_pairs


def person(pid: int, role: str, **kw) -> ParticipantData:
    return ParticipantData(first_name="P", last_name=str(pid), email=f"p{pid}@example.org", role=role, id=pid, **kw)


def leader(pid: int, **kw) -> ParticipantData:
    goals = [GoalData(h, "", ["Leadership"]) for h in ("short", "medium", "long")]
    return person(pid, "mentee", goals=goals, **kw)


def test_unmatched_mentees_say_why():
    mentee_a, mentee_b = leader(1, organisation="Org A"), leader(2, organisation="Org B")
    only_mentor = person(10, "mentor", organisation="Org A", expertise=[ExpertiseData("Leadership", 10)])
    ctx = RuleContext(excluded=set(), load={})
    result = plan([mentee_a, mentee_b], [only_mentor], ctx, DEFAULT_WEIGHTS)
    assert [s.mentee.id for s in result.matches] == [2]
    assert "works at the mentee's organisation" in result.unmatched[0].reason

    ctx = RuleContext(excluded={(10, 2)}, load={})
    reason = plan([mentee_b], [only_mentor], ctx, DEFAULT_WEIGHTS).unmatched[0].reason
    assert reason == (
        "No mentor with a free place is allowed: each was ruled out for this mentee (an exclusion or an early end). "
        "Raising another mentor's capacity makes room."
    )

    full = RuleContext(excluded=set(), load={10: 1})
    assert plan([mentee_b], [only_mentor], full, DEFAULT_WEIGHTS).unmatched[0].reason == NO_CAPACITY

    low = plan([mentee_b], [only_mentor], RuleContext(set(), {}), DEFAULT_WEIGHTS, min_score=5)
    assert low.unmatched[0].reason == "Every allowed mentor with a free place scores below the minimum score of 5."

    junior = person(11, "mentor", career_stage="Student or foundation")
    senior_mentee = leader(3, career_stage="Senior leader")
    useless = plan([senior_mentee], [junior], RuleContext(set(), {}), DEFAULT_WEIGHTS)
    assert useless.unmatched[0].reason == NOT_USEFUL_SCORE
    assert len(plan([senior_mentee], [junior], RuleContext(set(), {}), DEFAULT_WEIGHTS, objective="coverage").matches)

    wales = person(12, "mentor", region="Wales", expertise=[ExpertiseData("Leadership", 3)])
    two = plan([leader(4), leader(5, region="Wales")], [wales], RuleContext(set(), {}), DEFAULT_WEIGHTS)
    assert [s.mentee.id for s in two.matches] == [5]
    assert two.unmatched[0].reason == TAKEN


def test_a_leadership_mentee_gets_the_leadership_mentor():
    mentors = [
        person(10, "mentor", expertise=[ExpertiseData("Research", 20)], experience="I ran research studies."),
        person(11, "mentor", expertise=[ExpertiseData("Leadership", 6)], experience="I led a service."),
    ]
    result = plan([leader(1)], mentors, RuleContext(set(), {}), DEFAULT_WEIGHTS)
    assert result.matches[0].mentor.id == 11
    assert [r.kind for r in result.matches[0].score.reasons][:3] == ["focus_short", "focus_medium", "focus_long"]


def test_bad_options_are_one_sentence_errors():
    with pytest.raises(UserError, match="objective"):
        plan([], [], RuleContext(set(), {}), DEFAULT_WEIGHTS, objective="fastest")
    with pytest.raises(UserError, match="minimum score"):
        plan([], [], RuleContext(set(), {}), DEFAULT_WEIGHTS, min_score=float("nan"))


# -- with the database --------------------------------------------------------------------------


def test_demo_cohort_gets_sensible_pairs(demo_db, demo_cohort_id):
    with demo_db.session() as s:
        result = suggest(s, demo_cohort_id)
        people = load_participants(s, demo_cohort_id)
    mentors = [p for p in people if p.is_mentor]
    assert result.exact and len(result.matches) >= 20
    assert all(s.score.total > 0 and s.score.reasons for s in result.matches)
    used = {m.id: 0 for m in mentors}
    for s in result.matches:
        used[s.mentor.id] += 1
    single_minded = 0
    for s in result.matches:
        areas = {a for g in s.mentee.goals for a in g.focus_areas}
        if len(areas) != 1:
            continue
        (area,) = areas
        fitting = [m for m in mentors if area in {e.focus_area for e in m.expertise}]
        free_fitting = [m for m in fitting if used[m.id] < m.capacity and not violations(s.mentee, m, _no_ctx())]
        if fitting and s.mentor not in fitting:
            assert not free_fitting, f"{s.mentee.full_name} wants {area}; a free {area} mentor was passed over"
        single_minded += s.mentor in fitting
    assert single_minded >= 1


def _no_ctx() -> RuleContext:
    return RuleContext(excluded=set(), load={})


def store_suggestions(s, cohort_id, suggestions) -> list[int]:
    """Store suggestions the one way there is (``match --apply`` does the same); the new ids in order."""
    pairs = [(x.mentee.id, x.mentor.id) for x in suggestions]
    stored = accept_suggestions(s, cohort_id, pairs, {(x.mentee.id, x.mentor.id): x.score for x in suggestions})
    return [stored.match_id_by_mentee()[mentee_id] for mentee_id, _mentor_id in pairs]


def _add_match(s, cohort_id, mentee_id, mentor_id, **kw) -> int:
    m = Match(cohort_id=cohort_id, mentee_id=mentee_id, mentor_id=mentor_id, **kw)
    s.add(m)
    s.flush()
    return m.id


def test_locked_and_confirmed_matches_survive_and_use_up_capacity(demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        people = load_participants(s, demo_cohort_id)
        mentees = [p for p in people if p.is_mentee]
        mentor = max((p for p in people if p.is_mentor), key=lambda p: p.capacity)
        kept = [
            _add_match(s, demo_cohort_id, mentees[0].id, mentor.id, status="proposed", locked=True),
            _add_match(s, demo_cohort_id, mentees[1].id, mentor.id, status="confirmed"),
        ]
        before = {m.id: (m.mentor_id, m.mentee_id, m.status, m.version_id) for m in s.scalars(select(Match))}
    with demo_db.transaction() as s:
        result = suggest(s, demo_cohort_id)
        planned = {x.mentee.id for x in result.matches} | {u.mentee.id for u in result.unmatched}
        assert mentees[0].id not in planned and mentees[1].id not in planned
        assert sum(1 for x in result.matches if x.mentor.id == mentor.id) <= mentor.capacity - 2
        store_suggestions(s, demo_cohort_id, result.matches)
    with demo_db.session() as s:
        after = {m.id: (m.mentor_id, m.mentee_id, m.status, m.version_id) for m in s.scalars(select(Match))}
        for match_id in kept:
            assert after[match_id] == before[match_id]
        loads = dict(
            s.execute(
                select(Match.mentor_id, func.count()).where(Match.status != "ended_early").group_by(Match.mentor_id)
            ).all()
        )
    capacity = {p.id: p.capacity for p in people if p.is_mentor}
    assert all(n <= capacity[mid] for mid, n in loads.items())


def test_apply_stores_proposed_matches_with_reasons_in_one_go(demo_db, demo_cohort_id):
    with demo_db.session() as s:
        result = suggest(s, demo_cohort_id, objective="coverage")
    with demo_db.transaction() as s:
        ids = store_suggestions(s, demo_cohort_id, result.matches)
    assert len(ids) == len(result.matches)
    with demo_db.session() as s:
        rows = {m.id: m for m in s.scalars(select(Match).where(Match.id.in_(ids)))}
        audit = s.scalars(select(AuditEvent.action).where(AuditEvent.action.like("%propos%"))).all()
    for match_id, suggestion in zip(ids, result.matches):
        row = rows[match_id]
        assert (row.mentee_id, row.mentor_id, row.status, row.locked) == (
            suggestion.mentee.id, suggestion.mentor.id, "proposed", False
        )  # fmt: skip
        assert row.score == pytest.approx(suggestion.score.total, abs=1e-4)
        assert row.reasons == suggestion.score.to_json()["reasons"] and row.reasons
    assert audit.count("match proposed") == len(ids)

    # Applying the same (now stale) suggestions again changes nothing at all.
    with pytest.raises(ConflictError, match="already has a match"), demo_db.transaction() as s:
        store_suggestions(s, demo_cohort_id, result.matches[::-1])
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Match)) == len(ids)


def test_apply_refuses_a_pair_that_became_excluded(demo_db, demo_cohort_id):

    with demo_db.session() as s:
        result = suggest(s, demo_cohort_id)
    first = result.matches[-1]
    with demo_db.transaction() as s:
        s.add(new_exclusion(person_of(s, first.mentor.id), person_of(s, first.mentee.id), cohort_id=demo_cohort_id))
    with pytest.raises(RuleBrokenError, match=r"excluded.*Ask for new suggestions"), demo_db.transaction() as s:
        store_suggestions(s, demo_cohort_id, result.matches)
    with demo_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Match)) == 0


def test_suggest_reports_progress_and_checks_the_cohort(demo_db, demo_cohort_id):
    seen: list[float] = []
    with demo_db.session() as s:
        suggest(s, demo_cohort_id, progress=seen.append)
        with pytest.raises(UserError, match="no longer exists"):
            suggest(s, 9999)
    assert seen[-1] == 1.0 and seen == sorted(seen) and len(seen) >= 4


def test_cohort_weights_change_the_plan(demo_db, demo_cohort_id):
    from mentorapp.people.cohorts import update_settings

    with demo_db.transaction() as s:
        update_settings(s, demo_cohort_id, matching={"weights": {"region": 5.0}})
    with demo_db.session() as s:
        result = suggest(s, demo_cohort_id)
    same_region = sum(1 for x in result.matches if x.mentee.region == x.mentor.region)
    assert same_region >= len(result.matches) * 0.6


def test_cohort_scorer_scores_pairs_as_suggestions_do(demo_db, demo_cohort_id):
    from mentorapp.matching.queries import cohort_scorer

    with demo_db.session() as s:
        result = suggest(s, demo_cohort_id)
        scorer = cohort_scorer(s, demo_cohort_id)
    for x in result.matches:
        assert scorer.score(x.mentee.id, x.mentor.id) == x.score
