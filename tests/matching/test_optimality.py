"""Plans solved on pruned candidates are proven optimal, or said not to be (issue 19, item 2)."""

from __future__ import annotations

import math
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorapp.matching import pruned as pruning
from mentorapp.matching.optimality import left_out_improvements, prices
from mentorapp.matching.solver import solve


def total(values: np.ndarray, pairs) -> float:
    return math.fsum(float(values[i, j]) for i, j in pairs)


def test_a_plan_that_a_left_out_pair_would_improve_is_not_proven() -> None:
    values = np.array([[1.0, 0.2], [0.2, 1.0]])
    capacity = np.array([1, 1])
    edges = (np.array([0, 1]), np.array([1, 0]), np.array([0.2, 0.2]))  # the two good pairs were left out
    pairs = [(0, 1), (1, 0)]
    found = prices(edges, pairs, capacity, 2)
    assert found is not None  # optimal among the candidates
    rows, cols = left_out_improvements(values, 0.0, *found, pairs)
    assert {(int(r), int(c)) for r, c in zip(rows, cols)} == {(0, 0), (1, 1)}


def test_a_plan_that_is_not_best_among_its_own_candidates_has_no_prices() -> None:
    edges = (np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1]), np.array([1.0, 0.2, 0.2, 1.0]))
    assert prices(edges, [(0, 1), (1, 0)], np.array([1, 1]), 2) is None


def popular_mentors(seed: int, n: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Every mentee prefers the same few mentors: the case pruning gets wrong most often."""
    rng = np.random.default_rng(seed)
    values = (rng.random((n, 1)) + 3 * rng.random((1, m)) + 0.5 * rng.random((n, m))).astype(np.float32)
    values[rng.random((n, m)) < 0.1] = np.nan
    return values, rng.integers(0, 3, size=m)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), coverage=st.booleans())
def test_exact_is_said_only_of_the_optimum_even_when_pruning_is_harsh(seed, coverage) -> None:
    values, capacity = popular_mentors(seed, 40, 15)
    bonus = 100.0 if coverage else 0.0
    optimum = solve(values, capacity, bonus=bonus, method="exact")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pruning, "PRUNE_PER_MENTEE", 1)
        mp.setattr(pruning, "PRUNE_BY_PRICE", 0)
        mp.setattr(pruning, "PRUNE_PER_PLACE", 1)
        pruned = solve(values, capacity, bonus=bonus, method="pruned")
    assert pruned.exact, "the left-out pairs that beat the prices are added until the plan is proven"
    assert len(pruned.pairs) == len(optimum.pairs) or not coverage
    assert total(values, pruned.pairs) == pytest.approx(total(values, optimum.pairs), abs=1e-4)


@pytest.mark.parametrize("seed", [5, 6])
def test_a_large_pruned_solve_is_proven_and_equals_the_dense_one(seed) -> None:
    values, capacity = popular_mentors(seed, 900, 400)
    dense = solve(values, capacity, method="exact")
    pruned = solve(values, capacity, method="pruned")
    assert pruned.exact
    assert total(values, pruned.pairs) == pytest.approx(total(values, dense.pairs), rel=1e-6)


def test_without_the_lap_package_the_sparse_solve_falls_back_to_scipy(monkeypatch) -> None:
    values, capacity = popular_mentors(7, 300, 120)
    with_lap = solve(values, capacity, method="pruned")
    monkeypatch.setitem(sys.modules, "lap", None)  # `import lap` now raises ImportError
    with_scipy = solve(values, capacity, method="pruned")
    assert with_lap.exact and with_scipy.exact
    assert total(values, with_scipy.pairs) == pytest.approx(total(values, with_lap.pairs), rel=1e-9)


@pytest.mark.parametrize("seed", range(8))
def test_each_mentee_keeps_exactly_its_best_candidates(seed) -> None:
    """top_in_rows takes its threshold from a sample of columns: the result must be the rows' own k best."""
    rng = np.random.default_rng(seed)
    n, m = int(rng.integers(1, 40)), int(rng.integers(1, 700))
    values = (rng.integers(0, 5, size=(n, m)) if seed % 2 else rng.random((n, m))).astype(np.float32)
    values[rng.random((n, m)) < (0.97 if seed % 4 == 3 else 0.3)] = np.nan
    price = rng.random(m).astype(np.float32) if seed % 3 == 0 else None
    for k in (1, 6, 10, m + 1):
        rows, cols = pruning.top_in_rows(values, k, price)
        cost = -values if price is None else price - values
        for i in range(n):
            allowed = np.flatnonzero(~np.isnan(cost[i]))
            best = sorted(allowed, key=lambda j: (cost[i, j], j))[:k]  # equal ones: the lower columns first
            assert sorted(cols[rows == i].tolist()) == sorted(best)
