"""Paired tests of change per benefit: what the report may claim, and how sure it is.

For each role and each of the six benefits, only people who rated the benefit at
both stages count (a pair). The Wilcoxon signed-rank test drops zero
differences (``zero_method="wilcox"``); with at most :data:`EXACT_LIMIT` non-zero
differences the p-value comes from the exact distribution of the signed-rank
sum given the (mid)ranks actually observed, counted over every sign pattern, so
tied ratings (the rule on a 1-5 scale) are handled exactly; above it,
``scipy.stats.wilcoxon``'s normal approximation with the tie correction of the
variance and no continuity correction. Holm's step-down adjustment runs over
the benefits of one role. The effect size is the matched-pairs rank-biserial
correlation (Kerby 2014): (sum of positive ranks - sum of negative ranks) /
total rank sum, zeros dropped.

:func:`cohort_tests` returns the list for one cohort, so a comparison across
cohorts can call it per cohort.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentorapp.evaluation.instrument import BENEFITS, RETRO_PREFIX
from mentorapp.store.models import EvaluationAnswer, EvaluationResponse, Participant

EXACT_LIMIT = 50  # non-zero differences up to which the exact distribution is used
ALPHA = 0.05
ROLES = ("mentee", "mentor")
EFFECT_KIND = "matched-pairs rank-biserial correlation"
METHOD_EXACT = "Wilcoxon signed-rank, exact"
METHOD_NORMAL = "Wilcoxon signed-rank, normal approximation with tie correction"
METHOD_NONE = "not tested"

Answers = dict[tuple[int, str], dict[str, Any]]


@dataclass
class PairedTest:
    """One benefit for one role: the pairs, their change, and the test of it."""

    role: str
    benefit: str  # the item's key as stored, e.g. benefit_knowledge
    label: str
    n_pairs: int
    improved: int
    unchanged: int
    worse: int
    before_mean: float | None
    after_mean: float | None
    before_median: float | None
    before_q1: float | None
    before_q3: float | None
    after_median: float | None
    after_q1: float | None
    after_q3: float | None
    mean_change: float | None
    ci_low: float | None
    ci_high: float | None
    statistic: float | None  # the smaller of the positive and negative rank sums
    p_value: float | None
    p_holm: float | None
    effect_size: float | None
    effect_size_kind: str
    method: str

    @property
    def verdict(self) -> str:
        """The words a board member reads: clear improvement, clear decline, no clear change, too few."""
        if self.p_holm is None:
            return "too few answers to test"
        if self.p_holm < ALPHA and (self.mean_change or 0) > 0:
            return "clear improvement"
        if self.p_holm < ALPHA and (self.mean_change or 0) < 0:
            return "clear decline"
        return "no clear change"

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["verdict"] = self.verdict
        return data


def signed_ranks(differences: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """Non-zero differences and the midranks of their sizes (zeros dropped first)."""
    from scipy import stats as sps  # scipy loads only when a figure is computed

    d = np.asarray([x for x in differences if x != 0], dtype=float)
    return d, sps.rankdata(np.abs(d)) if len(d) else np.zeros(0)


def exact_p(differences: list[float]) -> float:
    """Two-sided exact p-value of the signed-rank sum given the observed midranks.

    Every one of the 2**n sign patterns is equally likely under no change; the
    count of patterns by their positive rank sum is built up one rank at a time
    (midranks are halves at worst, so doubled ranks are whole numbers).
    """
    d, ranks = signed_ranks(differences)
    if len(d) == 0:
        return 1.0
    doubled = [round(2 * r) for r in ranks]
    total = sum(doubled)
    counts = [0] * (total + 1)
    counts[0] = 1
    for r in doubled:
        for s in range(total, r - 1, -1):
            counts[s] += counts[s - r]
    observed = sum(r for r, x in zip(doubled, d) if x > 0)
    distance = abs(2 * observed - total)
    extreme = sum(c for s, c in enumerate(counts) if abs(2 * s - total) >= distance)
    return min(1.0, extreme / 2 ** len(d))


def holm(p_values: list[float | None]) -> list[float | None]:
    """Holm's step-down adjusted p-values (None stays None and does not count)."""
    tested = sorted((p, i) for i, p in enumerate(p_values) if p is not None)
    m = len(tested)
    adjusted: list[float | None] = [None] * len(p_values)
    running = 0.0
    for k, (p, i) in enumerate(tested):
        running = max(running, min(1.0, (m - k) * p))
        adjusted[i] = running
    return adjusted


def _quartiles(values: list[float]) -> tuple[float, float, float]:
    q1, med, q3 = np.percentile(values, [25, 50, 75])
    return float(med), float(q1), float(q3)


def paired_test(role: str, key: str, label: str, pairs: list[tuple[float, float]]) -> PairedTest:
    """Describe and test one benefit's pairs (before, after); Holm's p is filled in by :func:`tests_for`."""
    from scipy import stats as sps  # scipy loads only when a figure is computed

    diffs = [after - before for before, after in pairs]
    n = len(pairs)
    test = PairedTest(
        role=role,
        benefit=key,
        label=label,
        n_pairs=n,
        improved=sum(1 for x in diffs if x > 0),
        unchanged=sum(1 for x in diffs if x == 0),
        worse=sum(1 for x in diffs if x < 0),
        before_mean=None,
        after_mean=None,
        before_median=None,
        before_q1=None,
        before_q3=None,
        after_median=None,
        after_q1=None,
        after_q3=None,
        mean_change=None,
        ci_low=None,
        ci_high=None,
        statistic=None,
        p_value=None,
        p_holm=None,
        effect_size=None,
        effect_size_kind=EFFECT_KIND,
        method=METHOD_NONE,
    )
    if not n:
        return test
    before = [b for b, _a in pairs]
    after = [a for _b, a in pairs]
    test.before_mean, test.after_mean = float(np.mean(before)), float(np.mean(after))
    test.before_median, test.before_q1, test.before_q3 = _quartiles(before)
    test.after_median, test.after_q1, test.after_q3 = _quartiles(after)
    test.mean_change = float(np.mean(diffs))
    if n >= 2:
        sd = float(np.std(diffs, ddof=1))
        half = float(sps.t.ppf(0.975, n - 1)) * sd / math.sqrt(n)
        test.ci_low, test.ci_high = test.mean_change - half, test.mean_change + half
    d, ranks = signed_ranks(diffs)
    if len(d) == 0:
        # Nobody changed: nothing to test, and certainly no evidence of change.
        test.p_value, test.statistic, test.effect_size, test.method = 1.0, 0.0, 0.0, METHOD_EXACT
        return test
    plus = float(sum(r for r, x in zip(ranks, d) if x > 0))
    minus = float(sum(r for r, x in zip(ranks, d) if x < 0))
    test.statistic = min(plus, minus)
    test.effect_size = (plus - minus) / (plus + minus)
    if len(d) <= EXACT_LIMIT:
        test.p_value, test.method = exact_p(diffs), METHOD_EXACT
    else:
        result = sps.wilcoxon(diffs, zero_method="wilcox", method="approx", correction=False)
        test.p_value, test.method = float(result.pvalue), METHOD_NORMAL
    return test


def _groups(role: str) -> tuple[str, ...]:
    return ROLES if role == "both" else (role,)


def tests_for(answers: Answers, role_of: dict[int, str], *, retrospective: bool = False) -> list[PairedTest]:
    """Every role's six benefit tests, Holm-adjusted within a role (mentees first).

    ``retrospective``: the 'before' rating is the six-month 'looking back' answer instead of the baseline.
    """
    before_stage, prefix = ("six_month", RETRO_PREFIX) if retrospective else ("baseline", "")
    out: list[PairedTest] = []
    for role in ROLES:
        members = [pid for pid, r in role_of.items() if role in _groups(r)]
        tests = []
        for item in BENEFITS:
            pairs = []
            for pid in members:
                before = answers.get((pid, before_stage), {}).get(prefix + item.key)
                after = answers.get((pid, "six_month"), {}).get(item.key)
                if before is not None and after is not None:
                    pairs.append((float(before), float(after)))
            tests.append(paired_test(role, item.key, item.label, pairs))
        for test, adjusted in zip(tests, holm([t.p_value for t in tests])):
            test.p_holm = adjusted
        out += tests
    return out


def load_answers(session: Session, cohort_id: int, keys: list[str] | None = None) -> tuple[Answers, dict[int, str]]:
    """(participant, stage) -> {item key: value} for a cohort, and each participant's role."""
    query = (
        select(
            EvaluationResponse.participant_id,
            EvaluationResponse.stage,
            EvaluationAnswer.item_key,
            EvaluationAnswer.value_int,
            EvaluationAnswer.value_text,
        )
        .join(EvaluationAnswer, EvaluationAnswer.response_id == EvaluationResponse.id)
        .where(EvaluationResponse.cohort_id == cohort_id)
    )
    if keys is not None:
        query = query.where(EvaluationAnswer.item_key.in_(keys))
    answers: Answers = defaultdict(dict)
    for pid, stage, key, vint, vtext in session.execute(query):
        answers[(pid, stage)][key] = vtext if vtext is not None else vint
    role_of = {
        pid: role
        for pid, role in session.execute(
            select(Participant.id, Participant.role).where(Participant.cohort_id == cohort_id)
        )
    }
    return answers, role_of


def cohort_tests(session: Session, cohort_id: int) -> list[PairedTest]:
    """The paired tests of one cohort (for the report, ``evaluation --format json`` and comparisons)."""
    answers, role_of = load_answers(session, cohort_id, [b.key for b in BENEFITS])
    return tests_for(answers, role_of)


def cohort_retrospective_tests(session: Session, cohort_id: int) -> list[PairedTest]:
    """The same tests with the 'looking back' rating as the before (cohorts that asked it)."""
    answers, role_of = load_answers(session, cohort_id, [k for b in BENEFITS for k in (b.key, RETRO_PREFIX + b.key)])
    return tests_for(answers, role_of, retrospective=True)
