"""Large cohorts: the plan solved on each mentee's best candidates, then proven optimal for every pair.

Each mentee keeps its :data:`PRUNE_PER_MENTEE` best mentors, plus its
:data:`PRUNE_BY_PRICE` best after subtracting a rough "price" per mentor (the
score of the mentee it would have to beat, estimated from the first lists, as
in an auction), which spreads the lists over mentors a mentee can really get.
A mentor that is on fewer than ``PRUNE_PER_PLACE`` x places lists also keeps
its own best mentees. That sparse problem, with a private "unmatched" choice
per mentee, is solved exactly by the sparse Jonker-Volgenant solver of the
``lap`` package (LAPMOD; scipy's ``min_weight_full_bipartite_matching`` where
it fails). :mod:`mentorapp.matching.optimality` then proves the plan optimal for
every pair of the whole matrix with node prices; the pairs that fail, and those
within :data:`PROOF_MARGIN` of failing, join the candidates and the sparse
problem is solved again, up to :data:`PROOF_ROUNDS` times. ``exact`` says
whether the proof was found.
"""

from __future__ import annotations

import numpy as np

from mentorapp.matching.optimality import left_out_improvements, prices

# Best mentors kept per mentee, best after the mentors' prices, best mentees kept per mentor place.
PRUNE_PER_MENTEE = 6
PRUNE_BY_PRICE = 10
PRUNE_PER_PLACE = 4
# Times the candidates may be enlarged by the pairs that fail the proof before the plan is given unproven.
PROOF_ROUNDS = 6
# With the pairs that fail the proof, those within this much score of failing it join the candidates too.
PROOF_MARGIN = 0.1
# Of those, at most this many per mentee (the ones failing by most).
PROOF_PER_ROW = 10
BLOCK_CELLS = 4_000_000  # cells handled at once: temporaries stay a few tens of MB
SAMPLE_EVERY = 8  # the columns a row's threshold of its best cells is taken from (see top_in_rows)


def solve_proven(values: np.ndarray, cap: np.ndarray, bonus: float) -> tuple[list[tuple[int, int]], bool]:
    """The plan on pruned candidates and whether it is proven optimal (``values``: NaN = not a candidate)."""
    m = values.shape[1]
    er, ec = candidates(values, cap)
    pairs: list[tuple[int, int]] = []
    for _ in range(PROOF_ROUNDS):
        pairs, gain = solve_sparse(values, cap, bonus, er, ec)
        found = prices((er, ec, gain), pairs, cap, len(values))
        if found is None:
            break
        rows, cols = left_out_improvements(values, bonus, *found, pairs, per_row=PROOF_PER_ROW, margin=PROOF_MARGIN)
        if len(rows) == 0:
            return pairs, True
        key = np.unique(np.concatenate([er * m + ec, rows * m + cols]))
        er, ec = key // m, key % m
    return pairs, False


def top_in_rows(values: np.ndarray, k: int, price: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(row, col) of the k highest non-NaN ``values - price`` of each row (equal ones: the lower columns first).

    A threshold comes from every :data:`SAMPLE_EVERY`-th column: the k-th best of
    a part of the row is no better than the row's own k-th best, so the cells at
    least as good as it hold the row's k best (and about ``SAMPLE_EVERY`` x k in
    all), which are then sorted. Selecting within whole rows would cost several
    times more.
    """
    n, m = values.shape
    k = min(k, m)
    out_r, out_c = [], []
    block = max(1, BLOCK_CELLS // max(m, 1))
    for start in range(0, n, block):
        v = values[start : start + block]
        cost = np.negative(v) if price is None else np.subtract(price[None, :], v, dtype=np.float32)
        sample = cost[:, ::SAMPLE_EVERY] if m >= 4 * SAMPLE_EVERY * k else cost
        if k < sample.shape[1]:
            bar = np.partition(sample, k - 1, axis=1)[:, k - 1 : k]
            np.copyto(bar, np.float32(np.inf), where=np.isnan(bar))  # fewer than k in the sample: all allowed
        else:  # k is the whole row: every allowed cell
            bar = np.full((len(cost), 1), np.inf, dtype=np.float32)
        with np.errstate(invalid="ignore"):
            r, c = np.nonzero(cost <= bar)  # NaN (not a candidate) is never <= anything
        order = np.lexsort((c, cost[r, c], r))  # by row, then best first
        r, c = r[order], c[order]
        rank = np.arange(len(r)) - np.searchsorted(r, r)
        out_r.append(r[rank < k] + start)
        out_c.append(c[rank < k])
    return np.concatenate(out_r), np.concatenate(out_c)


def mentor_prices(values: np.ndarray, er: np.ndarray, ec: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """A rough price per mentor: the ``wanted``-th best score among the edges pointing at it.

    Popular mentors get a high price, so the second candidate pass spreads each
    mentee's list over mentors it could really get (like the prices of an auction).
    """
    m = values.shape[1]
    scores = values[er, ec]
    order = np.lexsort((-scores, ec))
    cols, ranked = ec[order], scores[order]
    first = np.searchsorted(cols, np.arange(m))
    counts = np.bincount(ec, minlength=m)
    floor = np.float32(np.nanmin(scores)) if len(scores) else np.float32(0)
    price = np.full(m, floor, dtype=np.float32)
    has = counts >= wanted
    price[has] = ranked[first[has] + wanted[has] - 1]
    return price


def candidates(values: np.ndarray, cap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pruned candidate pairs (rows, columns), each once (see the module notes); NaN = not allowed."""
    n, m = values.shape
    wanted = PRUNE_PER_PLACE * cap
    er, ec = top_in_rows(values, PRUNE_PER_MENTEE)
    if PRUNE_BY_PRICE:
        pr, pc = top_in_rows(values, PRUNE_BY_PRICE, mentor_prices(values, er, ec, np.maximum(wanted, 1)))
        er, ec = np.concatenate([er, pr]), np.concatenate([ec, pc])
    # Mentors few mentees rank highly also keep their own best mentees, so no place is wasted for want of edges.
    needy = np.flatnonzero((np.bincount(ec, minlength=m) < wanted) & (cap > 0))
    extra = [er * m + ec]
    block = max(1, BLOCK_CELLS // max(n, 1))
    for start in range(0, len(needy), block):
        cols = needy[start : start + block]
        c_idx, r_idx = top_in_rows(np.ascontiguousarray(values[:, cols].T), int(wanted[cols].max()))
        extra.append(r_idx * m + cols[c_idx])
    key = np.unique(np.concatenate(extra))
    return key // m, key % m


def solve_sparse(
    values: np.ndarray, cap: np.ndarray, bonus: float, er: np.ndarray, ec: np.ndarray
) -> tuple[list[tuple[int, int]], np.ndarray]:
    """The best plan using only the candidate pairs (er, ec); returns it and the candidates' gains.

    A square problem of mentees and mentor places: each candidate pair goes to
    every place of its mentor, each mentee has a private "unmatched" column, and
    the place of mentor ``j`` has a stand-in row that either leaves the place
    empty or takes the "unmatched" column of a mentee who wants ``j`` (so every
    mentee's choice can be completed into a full assignment).
    """
    from scipy.sparse import csr_matrix

    n, m = values.shape
    gain = values[er, ec].astype(np.float64) + bonus
    slot_start = np.concatenate([[0], np.cumsum(cap)])
    places = int(slot_start[-1])
    reps = cap[ec]
    edge_of_slot = np.repeat(np.arange(len(er)), reps)
    slot = slot_start[ec[edge_of_slot]] + np.arange(len(edge_of_slot)) - np.repeat(np.cumsum(reps) - reps, reps)
    mentee = er[edge_of_slot]
    top = float(gain.max()) + 2.0 if len(gain) else 2.0  # every cost >= 1: none is mistaken for "no edge"
    size = n + places
    rows = np.concatenate([mentee, np.arange(n), n + slot, n + np.arange(places)])
    cols = np.concatenate([slot, places + np.arange(n), places + mentee, np.arange(places)])
    cost = np.concatenate([top - gain[edge_of_slot], np.full(n, top), np.ones(len(slot) + places)])
    graph = csr_matrix((cost, (rows, cols)), shape=(size, size))
    graph.sum_duplicates()  # also sorts each row's columns, as LAPMOD needs
    column = _assignment(graph)[:n]
    chosen = np.flatnonzero(column < places)
    slot_mentor = np.repeat(np.arange(m), cap)
    return list(zip(chosen.tolist(), slot_mentor[column[chosen]].tolist())), gain


def _assignment(graph) -> np.ndarray:
    """The column of each row in a minimum-cost full assignment of the square sparse ``graph``."""
    try:
        import lap

        column, _row = lap.lapmod(graph.shape[0], graph.data, graph.indptr, graph.indices, return_cost=False)
        return np.asarray(column, dtype=np.int64)
    except (ImportError, ValueError, MemoryError):  # scipy's solver: slower, always there
        from scipy.sparse.csgraph import min_weight_full_bipartite_matching

        rows, cols = min_weight_full_bipartite_matching(graph)
        column = np.empty(graph.shape[0], dtype=np.int64)
        column[rows] = cols
        return column
