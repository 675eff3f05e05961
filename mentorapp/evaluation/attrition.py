"""Who answered both times, and whether those who did not differ from those who did.

A paired analysis rests only on people who answered at the start and at six
months. If those who dropped out began lower (or their pair ended early), the
visible change says more about who stayed than about the scheme; these figures
let a reader judge that.
"""

from __future__ import annotations

import statistics as st
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mentorapp.evaluation.instrument import BENEFITS

ROLES = ("mentee", "mentor")
OUTCOMES = ("completed", "still running", "ended early")
RUNNING = ("confirmed", "active")


@dataclass
class FollowUp:
    """One role: how many were asked, answered each stage, and answered both."""

    role: str
    asked: int = 0
    baseline: int = 0
    six_month: int = 0
    both: int = 0

    @property
    def both_rate(self) -> float | None:
        return self.both / self.asked if self.asked else None


@dataclass
class BaselineComparison:
    """Mean baseline rating (over the six benefits) of those who answered again and those who did not."""

    role: str
    stayed_n: int = 0
    stayed_mean: float | None = None
    left_n: int = 0
    left_mean: float | None = None

    @property
    def difference(self) -> float | None:
        if self.stayed_mean is None or self.left_mean is None:
            return None
        return self.stayed_mean - self.left_mean


@dataclass
class OutcomeFollowUp:
    """Answered-both-times by how a person's mentoring ended."""

    role: str
    outcome: str
    asked: int = 0
    both: int = 0

    @property
    def both_rate(self) -> float | None:
        return self.both / self.asked if self.asked else None


@dataclass
class Attrition:
    follow_up: list[FollowUp] = field(default_factory=list)
    baseline: list[BaselineComparison] = field(default_factory=list)
    outcomes: list[OutcomeFollowUp] = field(default_factory=list)

    def of(self, role: str) -> FollowUp:
        return next((f for f in self.follow_up if f.role == role), FollowUp(role))


def _groups(role: str) -> tuple[str, ...]:
    return ROLES if role == "both" else (role,)


def outcome_of(statuses: Iterable[str]) -> str | None:
    """A person's outcome over their matches: ended early only if every match did."""
    found = set(statuses)
    if not found:
        return None
    if "completed" in found:
        return "completed"
    if found & set(RUNNING):
        return "still running"
    if found == {"ended_early"}:
        return "ended early"
    return None


def _baseline_mean(given: dict[str, Any]) -> float | None:
    values = [given[b.key] for b in BENEFITS if given.get(b.key) is not None]
    return st.fmean(values) if values else None


def compute_attrition(
    asked: dict[int, str],
    answered: set[tuple[int, str]],
    answers: dict[tuple[int, str], dict[str, Any]],
    matches: list[tuple[int, int, str]],
) -> Attrition:
    """``asked``: participant -> role; ``answered``: (participant, stage); ``matches``: (mentor, mentee, status)."""
    statuses: dict[int, list[str]] = {}
    for mentor, mentee, status in matches:
        statuses.setdefault(mentor, []).append(status)
        statuses.setdefault(mentee, []).append(status)
    result = Attrition()
    for role in ROLES:
        members = [pid for pid, r in asked.items() if role in _groups(r)]
        follow = FollowUp(role, asked=len(members))
        stayed: list[float] = []
        left: list[float] = []
        by_outcome = {o: OutcomeFollowUp(role, o) for o in OUTCOMES}
        for pid in members:
            base, six = (pid, "baseline") in answered, (pid, "six_month") in answered
            follow.baseline += base
            follow.six_month += six
            follow.both += base and six
            if base:
                mean = _baseline_mean(answers.get((pid, "baseline"), {}))
                if mean is not None:
                    (stayed if six else left).append(mean)
            outcome = outcome_of(statuses.get(pid, []))
            if outcome is not None:
                by_outcome[outcome].asked += 1
                by_outcome[outcome].both += base and six
        result.follow_up.append(follow)
        result.baseline.append(
            BaselineComparison(
                role,
                len(stayed),
                st.fmean(stayed) if stayed else None,
                len(left),
                st.fmean(left) if left else None,
            )
        )
        result.outcomes += [o for o in by_outcome.values() if o.asked]
    return result
