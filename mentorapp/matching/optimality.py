"""A proof that a plan solved on a pruned set of candidate pairs is optimal for every pair.

Too large a cohort is solved on each mentee's best candidates only (see
:mod:`mentorapp.matching.solver`). That plan is the best of the whole problem
exactly when no pair left out could improve it. The proof is the one of
min-cost flow: the plan is a flow (each mentee to a mentor place or to
"unmatched", each mentor to the sink up to its capacity), it is optimal for the
candidates exactly when its residual graph has no negative cycle, and node
prices ``d`` with ``d[b] <= d[a] + cost(a, b)`` on every residual arc prove it
(they are shortest distances, found here by Bellman-Ford on the candidates).

A left-out pair (mentee i, mentor j) would add the arc i -> j with cost
``-gain``; the same prices still prove optimality if ``gain <= d[i] - d[j]``
(its reduced cost is not negative). :func:`left_out_improvements` checks that
for every allowed pair of the full matrix at once, in blocks; the solver adds
the pairs that fail to the candidates and solves again, until none fails (the
plan is then exact) or it gives up and says so (``exact`` False).
"""

from __future__ import annotations

import numpy as np

# Relaxation rounds Bellman-Ford may take before the prices are given up (then the plan is not proven).
MAX_ROUNDS = 3_000
BLOCK_CELLS = 4_000_000


def prices(
    edges: tuple[np.ndarray, np.ndarray, np.ndarray],
    pairs: list[tuple[int, int]],
    capacity: np.ndarray,
    n: int,
) -> tuple[np.ndarray, np.ndarray] | None:
    """Node prices (mentees, mentors) proving ``pairs`` optimal on the candidate ``edges``, or None.

    ``edges`` are (mentee rows, mentor columns, gains) of the candidates (each pair once); ``pairs`` the
    plan as (row, column). None when the prices do not settle (the plan is then not proven optimal).
    """
    er, ec, gain = edges
    m = len(capacity)
    sink = n + m
    plan = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    matched = np.isin(er * m + ec, plan[:, 0] * m + plan[:, 1])
    mentee_matched = np.zeros(n, dtype=bool)
    mentee_matched[plan[:, 0]] = True
    load = np.bincount(plan[:, 1], minlength=m)
    mentees, mentors = np.arange(n), np.arange(m)
    src = [er[~matched], n + ec[matched]]
    dst = [n + ec[~matched], er[matched]]
    cost = [-gain[~matched], gain[matched]]
    # Each mentee sends one unit: to "unmatched" (the sink) or through a mentor.
    src += [mentees[mentee_matched], np.full(int((~mentee_matched).sum()), sink)]
    dst += [np.full(int(mentee_matched.sum()), sink), mentees[~mentee_matched]]
    cost += [np.zeros(n)]
    free, used = load < capacity, load > 0
    src += [n + mentors[free], np.full(int(used.sum()), sink)]
    dst += [np.full(int(free.sum()), sink), n + mentors[used]]
    cost += [np.zeros(int(free.sum()) + int(used.sum()))]
    d = _shortest(np.concatenate(src), np.concatenate(dst), np.concatenate(cost).astype(np.float64), sink + 1)
    if d is None:
        return None
    return d[:n], d[n : n + m]


def _shortest(src: np.ndarray, dst: np.ndarray, cost: np.ndarray, nodes: int) -> np.ndarray | None:
    """Bellman-Ford from a virtual root joined to every node at cost 0; None if it does not settle."""
    order = np.argsort(dst, kind="stable")
    src, dst, cost = src[order], dst[order], cost[order]
    heads, starts = np.unique(dst, return_index=True)
    d = np.zeros(nodes)
    tolerance = 1e-12 * (1.0 + float(np.abs(cost).max(initial=0.0)))
    for _ in range(MAX_ROUNDS):
        best = np.minimum.reduceat(d[src] + cost, starts)
        better = best < d[heads] - tolerance
        if not better.any():
            return d
        d[heads[better]] = best[better]
    return None


def left_out_improvements(
    values: np.ndarray,
    bonus: float,
    mentee_price: np.ndarray,
    mentor_price: np.ndarray,
    pairs: list[tuple[int, int]],
    per_row: int = 5,
    margin: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """Allowed pairs (NaN: not allowed) whose gain beats the prices: up to ``per_row`` of the worst per mentee.

    Empty arrays prove the plan optimal for the whole matrix. When some pair beats them, the pairs
    within ``margin`` of beating them are returned too (for the candidates of the next solve: the
    next prices differ a little, and such pairs are the ones that would fail them).
    """
    n, m = values.shape
    scale = 1.0 + abs(bonus) + float(np.abs(mentee_price).max(initial=0.0))
    tolerance = 1e-9 * scale
    rounding = 1e-6 * scale  # how far float32 sums may be from float64 ones: a first look in float32 is enough
    near_bar = np.float32(tolerance - max(margin, rounding))
    plan = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    own = np.full(n, -1, dtype=np.int64)
    own[plan[:, 0]] = plan[:, 1]
    row_price = (mentee_price - bonus).astype(np.float32)
    col_price = mentor_price.astype(np.float32)
    rows_out, cols_out = [], []
    failed = False
    block = max(1, BLOCK_CELLS // max(m, 1))
    for start in range(0, n, block):
        stop = min(n, start + block)
        slack = np.add(values[start:stop], col_price[None, :])
        slack -= row_price[start:stop, None]
        mine = np.flatnonzero(own[start:stop] >= 0)
        slack[mine, own[start:stop][mine]] = np.nan  # its own pair: the prices hold it the other way round
        with np.errstate(invalid="ignore"):
            r, c = np.nonzero(slack > near_bar)
        if not len(r):
            continue
        if not failed:  # whether a pair really beats the prices is decided in float64
            suspect = slack[r, c] > np.float32(tolerance - rounding)
            rs, cs = r[suspect] + start, c[suspect]
            exact = values[rs, cs].astype(np.float64) + bonus - mentee_price[rs] + mentor_price[cs]
            failed = bool((exact > tolerance).any())
        order = np.lexsort((-slack[r, c], r))  # by row, the pairs failing by most first
        r, c = r[order], c[order]
        first = np.arange(len(r)) - np.searchsorted(r, r) < per_row
        rows_out.append(r[first] + start)
        cols_out.append(c[first])
    if not failed or not rows_out:
        empty = np.empty(0, dtype=np.int64)
        return empty, empty
    return np.concatenate(rows_out).astype(np.int64), np.concatenate(cols_out).astype(np.int64)
