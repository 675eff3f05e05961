"""Suggested matches: the best assignment of open mentees to mentors under the hard rules.

Who is planned for
    Only *open* mentees: mentees (role mentee or both) with no match in status
    proposed, confirmed or active. Every current match (proposed, confirmed or
    active, locked or not) stays exactly as it is and uses up its mentor's
    capacity. So locked and confirmed matches are never touched, and an
    unlocked proposed match is kept too: to re-plan it, the coordinator removes
    it on the board first. Suggestions never move anyone.

Hard rules (:mod:`mentorapp.matching.rules`)
    Capacity, never the same organisation, never an excluded pair (nor one
    whose match ended early in an earlier cohort), never a person with
    themself. Forbidden pairs are not given a low score: they are left out of
    the problem, so no solver outcome can contain them.

Objectives
    ``"score"``: the largest total compatibility. A pair that scores zero or
    less would not add to the total, so it is never proposed (its mentee stays
    unmatched with that reason). ``"coverage"``: as many mentees matched as
    possible, then the largest total among those assignments (each pair earns a
    bonus larger than any possible difference in total score). ``min_score``:
    pairs scoring below it are never proposed under either objective.

Solving
    The exact optimum comes from :func:`scipy.optimize.linear_sum_assignment`
    on a dense matrix of open mentees x mentor places (each mentor repeated
    once per free place), where "not a candidate" costs the same as staying
    unmatched (zero), which is exact: dropping those assignments leaves a
    valid plan of the same value. Up to :data:`EXACT_LIMIT` cells (e.g. 1,000
    mentees x 1,000 places) this is what runs: above it the sparse solve below is quicker.

    Above it, candidate pruning, then a proof (:mod:`mentorapp.matching.pruned`):
    each mentee's best candidates are solved exactly as a sparse problem, and
    the plan is proven optimal for every pair with node prices, or the pairs
    that fail the proof join the candidates and it is solved again. ``exact``
    says whether the proof was found.

Former pairs
    Two people matched in an earlier cohort are avoided, preferred or ignored as
    the cohort (or ``former_pairs``) says: see :mod:`mentorapp.matching.history`.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.matching.history import AVOIDED, avoid_former, check_mode
from mentorapp.matching.pruned import solve_proven
from mentorapp.matching.rules import RuleContext, normalise_organisation, violations
from mentorapp.matching.scoring import PairScore, Scorer, weights_for
from mentorapp.people.participants import ParticipantData, list_participants, titled_name
from mentorapp.people.vocabulary import CAREER_STAGES
from mentorapp.store.models import Cohort


def load_solvers() -> Any:
    """The solvers (scipy's dense one, returned; scipy.sparse and ``lap``'s sparse one), imported on first use.

    Start-up stays fast, and the GUI calls this on its own thread before starting
    a matching worker: the first import of scipy should not happen inside a worker thread.
    """
    import scipy.optimize
    import scipy.sparse
    import scipy.sparse.csgraph  # the fallback of the sparse solver

    with contextlib.suppress(ImportError):  # without it, the sparse solver falls back to scipy's
        import lap  # noqa: F401
    return scipy.optimize.linear_sum_assignment


OBJECTIVES = ("score", "coverage")
OBJECTIVE_LABELS = {"score": "best total score", "coverage": "most mentees matched, then best total score"}
# Dense exact solving up to this many (open mentees x mentor places) cells.
EXACT_LIMIT = 1_000_000
# Scores are summed in float32 for the matrix: a pair exactly at the minimum score must not drop out.
SCORE_EPSILON = 1e-6
# The pruned total is at least (1 - PRUNED_TOLERANCE) x the exact optimum (tested), proven or not.
PRUNED_TOLERANCE = 0.001

NO_CAPACITY = "No mentor has a free place."
NOT_USEFUL_SCORE = "Every allowed mentor scores zero or less, so no pair would add to the total score."
TAKEN = "The mentors who would suit are needed for other mentees, who gain more from them."
TAKEN_COVERAGE = "Every allowed mentor's places are needed to match as many other mentees as possible."


@dataclass
class Suggestion:
    mentee: ParticipantData
    mentor: ParticipantData
    score: PairScore


@dataclass
class Unmatched:
    mentee: ParticipantData
    reason: str


@dataclass
class Suggestions:
    matches: list[Suggestion]
    unmatched: list[Unmatched]
    objective: str
    min_score: float | None
    # False when the plan of a very large cohort, solved on pruned candidates, could not be proven optimal.
    exact: bool = True
    former_pairs: str = "avoid"  # what was done with pairs of an earlier cohort (matching.history.MODES)
    # Whether any two of these people were a pair in an earlier cohort (else former_pairs changed nothing).
    former_pairs_met: bool = False

    @property
    def total_score(self) -> float:
        return math.fsum(s.score.total for s in self.matches)

    def to_json(self) -> dict[str, Any]:
        """The shape ``match --format json`` prints."""
        return {
            "objective": self.objective,
            "min_score": self.min_score,
            "exact": self.exact,
            "former_pairs": self.former_pairs,
            "total_score": round(self.total_score, 4),
            "matches": [
                {"mentee": person_json(s.mentee), "mentor": person_json(s.mentor), **s.score.to_json()}
                for s in self.matches
            ],
            "unmatched": [{"mentee": person_json(u.mentee), "reason": u.reason} for u in self.unmatched],
        }


def person_json(p: ParticipantData) -> dict[str, Any]:
    return {"id": p.id, "name": titled_name(p), "email": p.email, "person_id": p.person_id}


# -- loading ------------------------------------------------------------------------------------


def load_participants(session: Session, cohort_id: int) -> list[ParticipantData]:
    """Everyone in the cohort with goals and expertise, sorted by name (plain rows, fast at 15,000)."""
    return list_participants(session, cohort_id)


# -- solving ------------------------------------------------------------------------------------


@dataclass
class Assignment:
    pairs: list[tuple[int, int]]  # (row, column) positions in the value matrix
    exact: bool


def solve(
    values: np.ndarray,
    capacity: Sequence[int] | np.ndarray,
    *,
    bonus: float = 0.0,
    method: str = "auto",
    copy: bool = True,
) -> Assignment:
    """The best assignment of rows (mentees) to columns (mentors) with column capacities.

    ``values`` holds each candidate pair's score and NaN for a pair that may not
    be proposed. Every assigned pair earns ``bonus + score``: with ``bonus``
    0 this maximises the total score (only positive pairs can help); with a
    bonus larger than any difference in totals it maximises the number of
    pairs first. ``method`` is "auto", "exact" or "pruned". With ``copy``
    False, ``values`` is used as scratch space (saves memory at 10,000 x 5,000).
    """
    values = np.array(values, dtype=np.float32, copy=copy)
    cap = np.asarray(capacity, dtype=np.int64)
    n, m = values.shape
    if n == 0 or m == 0 or cap.sum() == 0:
        return Assignment([], True)
    rows, cols = _mark_candidates(values, cap, bonus)
    if len(rows) == 0 or len(cols) == 0:
        return Assignment([], True)
    places = int(cap[cols].sum())
    if method == "auto":
        method = "exact" if len(rows) * places <= EXACT_LIMIT else "pruned"
    if method == "exact":
        sub = values[np.ix_(rows, cols)].astype(np.float64)
        ok = ~np.isnan(sub)
        sub = np.where(ok, sub + bonus, 0.0)
        slot_col = np.repeat(np.arange(len(cols)), cap[cols])
        r, c = _dense_assignment(sub[:, slot_col])
        chosen = [(int(rows[i]), int(cols[slot_col[k]])) for i, k in zip(r, c) if ok[i, slot_col[k]]]
        return Assignment(chosen, True)
    if method != "pruned":
        raise ValueError(f"unknown method {method!r}")
    pairs, exact = solve_proven(values, cap, bonus)
    return Assignment(pairs, exact)


def _mark_candidates(values: np.ndarray, cap: np.ndarray, bonus: float) -> tuple[np.ndarray, np.ndarray]:
    """Set non-candidates to NaN in place (full mentors; pairs that cannot add to the total).

    Returns the rows and columns that keep at least one candidate. Works in
    blocks of rows so that no full-size temporary is made.
    """
    n, m = values.shape
    no_place = cap <= 0
    row_any = np.zeros(n, dtype=bool)
    col_any = np.zeros(m, dtype=bool)
    block = max(1, 4_000_000 // m)
    for start in range(0, n, block):
        v = values[start : start + block]
        if no_place.any():
            v[:, no_place] = np.nan
        if bonus <= 0:
            with np.errstate(invalid="ignore"):
                v[v + np.float32(bonus) <= 0] = np.nan
        ok = ~np.isnan(v)
        row_any[start : start + block] = ok.any(axis=1)
        col_any |= ok.any(axis=0)
    return np.flatnonzero(row_any), np.flatnonzero(col_any)


def _dense_assignment(gain: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of an assignment maximising ``gain`` (all gains >= 0), quicker than scipy alone.

    scipy's solver has no start-up reduction; subtracting each row's minimum
    cost and then each column's (as the Hungarian method does) often halves its
    time. Subtracting a constant from a row (or column) changes every complete
    assignment by the same amount only if that row (column) is always assigned,
    so a nearly square matrix is made square with zero-gain padding (assigned
    padding means "not used", dropped afterwards); otherwise only the side that
    is always assigned is reduced.
    """
    n, m = gain.shape
    size = max(n, m)
    if n != m and size <= 1.25 * min(n, m):
        padded = np.zeros((size, size))
        padded[:n, :m] = gain
        gain, n2, m2 = padded, size, size
    else:
        n2, m2 = n, m
    cost = gain.max() - gain
    if n2 <= m2:
        cost -= cost.min(axis=1, keepdims=True)
    if n2 >= m2:
        cost -= cost.min(axis=0, keepdims=True)
    r, c = load_solvers()(cost)
    keep = (r < n) & (c < m)
    return r[keep], c[keep]


# -- planning -----------------------------------------------------------------------------------


def _check_options(objective: str, min_score: float | None) -> None:
    if objective not in OBJECTIVES:
        raise UserError(f"The objective must be one of {', '.join(OBJECTIVES)}, not '{objective}'.")
    if min_score is not None and not math.isfinite(min_score):
        raise UserError("The minimum score must be a number.")


def plan(
    mentees: list[ParticipantData],
    mentors: list[ParticipantData],
    ctx: RuleContext,
    weights: dict[str, float],
    *,
    objective: str = "score",
    min_score: float | None = None,
    progress: Callable[[float], None] | None = None,
    method: str = "auto",
    stages: Sequence[str] = CAREER_STAGES,
    former_pairs: str | None = None,
) -> Suggestions:
    """Suggestions for plain participant data (what :func:`suggest` runs after loading).

    ``stages`` is the cohort's career ladder, most junior first (``Cohort.career_stages``).
    ``former_pairs`` overrides the cohort's setting kept in ``ctx.history`` (avoid, prefer, ignore).
    """
    _check_options(objective, min_score)
    mode = check_mode(former_pairs or (ctx.history.mode if ctx.history is not None else "ignore"))

    def report(fraction: float) -> None:
        if progress is not None:
            progress(min(1.0, fraction))

    mentees = [p for p in mentees if p.is_mentee]
    mentors = [p for p in mentors if p.is_mentor]
    scorer = Scorer(mentees, mentors, weights, stages=stages, history=ctx.history, former_mode=mode)
    open_rows = [i for i, p in enumerate(mentees) if p.id not in ctx.current and p.id not in ctx.finished]
    free = np.array([ctx.free_capacity(p) for p in mentors], dtype=np.int64)
    free_cols = np.flatnonzero(free > 0)
    report(0.05)
    values = scorer.matrix(open_rows, free_cols, progress=lambda f: report(0.05 + 0.55 * f))
    allowed_count = _forbid(values, [mentees[i] for i in open_rows], [mentors[j] for j in free_cols], ctx)
    if min_score is not None:
        with np.errstate(invalid="ignore"):
            values[values < min_score - SCORE_EPSILON] = np.nan
    avoided = np.zeros(len(open_rows), dtype=np.int64)
    if mode == "avoid":
        ids = ([mentees[i].id for i in open_rows], [mentors[j].id for j in free_cols])
        avoided = avoid_former(values, ctx.history, *ids, objective)
    bonus = 0.0
    if objective == "coverage" and values.size:
        finite = values[~np.isnan(values)]
        if finite.size:
            spread = float(finite.max()) - min(float(finite.min()), 0.0)
            bonus = 1.0 + len(open_rows) * spread
    report(0.65)
    candidates_per_row = (~np.isnan(values)).sum(axis=1) if values.size else np.zeros(len(open_rows), dtype=int)
    positive_per_row = (values > 0).sum(axis=1) if values.size else np.zeros(len(open_rows), dtype=int)
    result = solve(values, free[free_cols], bonus=bonus, method=method, copy=False)
    report(0.9)
    matched_rows: set[int] = set()
    matches = []
    for r, c in sorted(result.pairs):
        mentee, mentor = mentees[open_rows[r]], mentors[free_cols[c]]
        matched_rows.add(r)
        matches.append(Suggestion(mentee, mentor, scorer.score(mentee.id, mentor.id)))
    unmatched = []
    for r, i in enumerate(open_rows):
        if r in matched_rows:
            continue
        mentee = mentees[i]
        if len(free_cols) == 0:
            reason = NO_CAPACITY
        elif allowed_count[r] == 0:
            reason = _rule_reason(mentee, [mentors[j] for j in free_cols], ctx)
        elif avoided[r] and (candidates_per_row[r] == 0 or (objective == "score" and positive_per_row[r] == 0)):
            reason = AVOIDED
        elif candidates_per_row[r] == 0 and min_score is not None:
            reason = f"Every allowed mentor with a free place scores below the minimum score of {min_score:g}."
        elif objective == "score" and positive_per_row[r] == 0:
            reason = NOT_USEFUL_SCORE
        else:
            reason = TAKEN_COVERAGE if objective == "coverage" else TAKEN
        unmatched.append(Unmatched(mentee, reason))
    report(1.0)
    met = ctx.history is not None and bool(ctx.history.worked or ctx.history.ended)
    return Suggestions(
        matches, unmatched, objective, min_score, exact=result.exact, former_pairs=mode, former_pairs_met=met
    )


def _forbid(
    values: np.ndarray, rows: list[ParticipantData], cols: list[ParticipantData], ctx: RuleContext
) -> np.ndarray:
    """Set pairs that break a hard rule to NaN; returns how many allowed mentors each row keeps."""
    n, m = values.shape
    if n == 0 or m == 0:
        return np.zeros(n, dtype=np.int64)
    codes: dict[str, int] = {}
    org_r = np.array(
        [codes.setdefault(k, len(codes)) if (k := normalise_organisation(p.organisation)) else -1 for p in rows]
    )
    org_c = np.array(
        [codes.setdefault(k, len(codes)) if (k := normalise_organisation(p.organisation)) else -2 for p in cols]
    )
    block = max(1, 4_000_000 // m)
    for start in range(0, n, block):
        stop = min(n, start + block)
        values[start:stop][org_r[start:stop, None] == org_c[None, :]] = np.nan
    row_of = {p.id: r for r, p in enumerate(rows)}
    col_of = {p.id: c for c, p in enumerate(cols)}
    for pid, r in row_of.items():
        if pid in col_of:
            values[r, col_of[pid]] = np.nan
    for mentor_id, mentee_id in ctx.excluded:
        if mentee_id in row_of and mentor_id in col_of:
            values[row_of[mentee_id], col_of[mentor_id]] = np.nan
    counts = np.empty(n, dtype=np.int64)
    for start in range(0, n, block):
        stop = min(n, start + block)
        counts[start:stop] = (~np.isnan(values[start:stop])).sum(axis=1)
    return counts


def _rule_reason(mentee: ParticipantData, mentors: list[ParticipantData], ctx: RuleContext) -> str:
    found = {v.code for m in mentors for v in violations(mentee, m, ctx)} - {"full"}
    names = {
        "same_org": "works at the mentee's organisation",
        "excluded": "was ruled out for this mentee (an exclusion or an early end)",
        "self": "is the mentee",
    }
    parts = [names[c] for c in ("same_org", "excluded", "self") if c in found]
    return (
        f"No mentor with a free place is allowed: each {' or '.join(parts or ['breaks a rule'])}. "
        "Raising another mentor's capacity makes room."
    )


def suggest(
    session: Session,
    cohort_id: int,
    *,
    objective: str = "score",
    min_score: float | None = None,
    progress: Callable[[float], None] | None = None,
    former_pairs: str | None = None,
) -> Suggestions:
    """The best suggestions for the cohort's open mentees (see the module notes); writes nothing.

    ``former_pairs`` (avoid, prefer, ignore) overrides the cohort's setting for this run.
    """
    _check_options(objective, min_score)
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    people = load_participants(session, cohort_id)
    ctx = RuleContext.load_from(session, cohort_id)
    return plan(
        [p for p in people if p.is_mentee],
        [p for p in people if p.is_mentor],
        ctx,
        weights_for(cohort.settings),
        objective=objective,
        min_score=min_score,
        progress=progress,
        stages=cohort.career_stages,
        former_pairs=former_pairs,
    )


__all__ = [
    "OBJECTIVES",
    "Assignment",
    "Suggestion",
    "Suggestions",
    "Unmatched",
    "load_participants",
    "plan",
    "solve",
    "suggest",
]
