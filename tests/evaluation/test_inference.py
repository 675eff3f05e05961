"""Paired tests against p-values worked out by hand: every sign pattern enumerated, not scipy."""

from __future__ import annotations

import itertools
import json
import math
import random
import re
from fractions import Fraction

import pytest

from mentorapp.cli.main import main as cli_main
from mentorapp.evaluation.inference import (
    EFFECT_KIND,
    METHOD_EXACT,
    METHOD_NORMAL,
    cohort_tests,
    exact_p,
    holm,
    paired_test,
)
from tests.support.evaluation_data import build_small_cohort


def midranks(sizes: list[int]) -> list[Fraction]:
    """Ranks of the sizes, ties sharing the mean of the ranks they span (written out, no library)."""
    order = sorted(sizes)
    rank_of = {}
    for value in set(order):
        places = [i + 1 for i, v in enumerate(order) if v == value]
        rank_of[value] = Fraction(sum(places), len(places))
    return [rank_of[s] for s in sizes]


def enumerated_p(differences: list[int]) -> float:
    """Two-sided signed-rank p: the share of all 2**n sign patterns at least as far from the centre."""
    changed = [d for d in differences if d != 0]
    ranks = midranks([abs(d) for d in changed])
    total = sum(ranks)
    observed = sum(r for r, d in zip(ranks, changed) if d > 0)
    distance = abs(2 * observed - total)
    hits = sum(
        1
        for signs in itertools.product((0, 1), repeat=len(changed))
        if abs(2 * sum(r for r, s in zip(ranks, signs) if s) - total) >= distance
    )
    return hits / 2 ** len(changed)


CASES = [
    [1, 2, 3, 4, 5],  # all up, no ties: 2/32
    [1, 1, 2, -1, 1, 2, 0, 3, 1, 1],  # ties and a zero
    [2, -1, 0, 0, 1, 1, -2, 3, 1, 0, 2, 1],
    [-1, -1, -2, -1, 0, -3, 1],
    [1, -1, 1, -1],  # balanced: p = 1
    [0, 0, 1],  # one change
]


@pytest.mark.parametrize("diffs", CASES)
def test_exact_p_equals_the_enumeration_of_every_sign_pattern(diffs) -> None:
    assert exact_p(diffs) == pytest.approx(enumerated_p(diffs), abs=1e-12)
    pairs = [(3.0, 3.0 + d) for d in diffs]
    test = paired_test("mentee", "benefit_knowledge", "Knowledge", pairs)
    assert test.p_value == pytest.approx(enumerated_p(diffs), abs=1e-12)
    assert test.method == METHOD_EXACT


def test_random_small_samples_with_ties_match_the_enumeration() -> None:
    rng = random.Random(16)
    for _ in range(25):
        n = rng.randint(3, 13)
        diffs = [rng.choice([-2, -1, -1, 0, 1, 1, 2, 3]) for _ in range(n)]
        assert exact_p(diffs) == pytest.approx(enumerated_p(diffs), abs=1e-12), diffs


def test_all_up_without_ties_is_two_in_two_to_the_n() -> None:
    assert exact_p([1, 2, 3, 4, 5]) == pytest.approx(2 / 32)
    assert exact_p([1, 2, 3, 4, 5, 6]) == pytest.approx(2 / 64)


def test_counts_medians_interval_and_effect_by_hand() -> None:
    pairs = [(2, 4), (3, 3), (2, 3), (4, 3), (1, 3), (3, 5)]  # changes +2 0 +1 -1 +2 +2
    t = paired_test("mentee", "benefit_confidence", "Confidence", [(float(a), float(b)) for a, b in pairs])
    assert (t.n_pairs, t.improved, t.unchanged, t.worse) == (6, 4, 1, 1)
    assert t.before_median == 2.5 and (t.before_q1, t.before_q3) == (2.0, 3.0)
    assert t.after_median == 3.0 and (t.after_q1, t.after_q3) == (3.0, 3.75)
    assert t.mean_change == pytest.approx(1.0)
    # Non-zero changes +2 +1 -1 +2 +2: sizes 1,1,2,2,2 -> ranks 1.5,1.5,4,4,4; up 1.5+4+4+4 = 13.5, down 1.5.
    assert t.statistic == pytest.approx(1.5)
    assert t.effect_size == pytest.approx((13.5 - 1.5) / 15)
    assert t.effect_size_kind == EFFECT_KIND
    # t interval: sd of (2,0,1,-1,2,2) = sqrt(1.6); t(0.975, 5) = 2.570582.
    half = 2.570582 * math.sqrt(1.6) / math.sqrt(6)
    assert (t.ci_low, t.ci_high) == (pytest.approx(1 - half, abs=1e-5), pytest.approx(1 + half, abs=1e-5))


def test_above_fifty_changes_the_normal_approximation_with_tie_correction() -> None:
    rng = random.Random(7)
    diffs = [rng.choice([-1, 1, 1, 2, 0, 3]) for _ in range(70)]
    changed = [d for d in diffs if d]
    assert len(changed) > 50
    t = paired_test("mentor", "benefit_network", "Network", [(2.0, 2.0 + d) for d in diffs])
    assert t.method == METHOD_NORMAL
    n = len(changed)
    ranks = midranks([abs(d) for d in changed])
    plus = float(sum(r for r, d in zip(ranks, changed) if d > 0))
    ties = [sum(1 for d in changed if abs(d) == v) for v in {abs(d) for d in changed}]
    variance = n * (n + 1) * (2 * n + 1) / 24 - sum(c**3 - c for c in ties) / 48
    z = (plus - n * (n + 1) / 4) / math.sqrt(variance)
    expected = math.erfc(abs(z) / math.sqrt(2))  # two-sided normal p, no continuity correction
    assert t.p_value == pytest.approx(expected, rel=1e-9)


def test_holm_by_hand() -> None:
    # Sorted 0.01, 0.02, 0.03, 0.04 (m = 4): 0.04, 0.06, 0.06 (monotone), 0.06; None is not a test.
    assert holm([0.03, None, 0.01, 0.04, 0.02]) == [
        pytest.approx(0.06),
        None,
        pytest.approx(0.04),
        pytest.approx(0.06),
        pytest.approx(0.06),
    ]
    assert holm([0.5, 0.9]) == [pytest.approx(1.0), pytest.approx(1.0)]


def test_nobody_changed_or_nobody_paired() -> None:
    same = paired_test("mentee", "benefit_network", "Network", [(3.0, 3.0)] * 4)
    same.p_holm = holm([same.p_value])[0]  # tests_for adjusts over the six benefits
    assert (same.p_value, same.effect_size, same.verdict) == (1.0, 0.0, "no clear change")
    none = paired_test("mentor", "benefit_network", "Network", [])
    assert (none.n_pairs, none.p_value, none.method, none.verdict) == (0, None, "not tested", "too few answers to test")


@pytest.mark.both_databases
def test_cohort_tests_of_the_small_cohort(db) -> None:
    small = build_small_cohort(db)
    with db.session() as s:
        tests = cohort_tests(s, small.cohort_id)
    assert len(tests) == 12 and {t.role for t in tests} == {"mentee", "mentor"}
    conf = next(t for t in tests if t.role == "mentee" and t.benefit == "benefit_confidence")
    # Alice +2, Bob -1: ranks 2 and 1, up 2 down 1; 4 sign patterns, 2 as extreme: p = 1.
    assert (conf.n_pairs, conf.improved, conf.worse, conf.p_value) == (2, 1, 1, 1.0)
    assert conf.effect_size == pytest.approx(1 / 3)
    assert all(t.n_pairs == 0 for t in tests if t.role == "mentor")


@pytest.mark.both_databases
def test_evaluation_json_keeps_its_keys_and_adds_tests(demo_db, db_path, capsys) -> None:
    from mentorapp.demo.evaluations import fill_demo_evaluations
    from mentorapp.people.cohorts import find_cohort

    with demo_db.transaction() as s:
        fill_demo_evaluations(s, find_cohort(s, None).id)
    assert cli_main(["--db", db_path, "evaluation", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("numbers", "rates", "benefits", "satisfaction", "criteria", "quotes", "meetings"):
        assert key in data
    assert len(data["tests"]) == 12
    for test in data["tests"]:
        for key in ("role", "benefit", "n_pairs", "improved", "unchanged", "worse", "p_value", "p_holm"):
            assert key in test
        assert test["effect_size_kind"] == EFFECT_KIND and test["method"] in (METHOD_EXACT, METHOD_NORMAL)
        same = next(b for b in data["benefits"][test["role"]] if b["key"] == test["benefit"])
        assert (same["improved"], same["unchanged"], same["worse"]) == (
            test["improved"],
            test["unchanged"],
            test["worse"],
        )
    mentees = [t for t in data["tests"] if t["role"] == "mentee"]
    assert next(t["benefit"] for t in mentees) == "benefit_knowledge"
    assert all(t["p_holm"] >= t["p_value"] for t in data["tests"])
    assert cli_main(["--db", db_path, "evaluation"]) == 0
    out = capsys.readouterr().out
    assert "p Holm" in out and "Mentees who answered both times" in out
    # The satisfaction line agrees with the criterion judged on it, to two decimals; no criterion is cut short.
    mean = re.search(r"Satisfaction: mean (\d\.\d\d) of 5", out).group(1)
    assert f"mean {mean} from" in out
    criteria = out[out.index("Success criterion") :]
    assert "…" not in criteria
