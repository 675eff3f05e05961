"""Matching that knows the past: pairs of people who were matched in an earlier cohort.

A *former pair* is two people (``Participant.person_id``) who were matched in an
earlier cohort (one that started before this one) and whose match was confirmed,
active or completed. What the matcher does with them is the cohort's setting
``settings["matching"]["former_pairs"]`` (:data:`MODES`), which ``match
--former-pairs`` overrides for one run:

``avoid`` (the default)
    A repeat is never what the suggestions choose while any other choice is as good
    for the objective the coordinator asked for. Under the "score" objective a
    former pair is left out of the suggestions altogether, as an exclusion is: any
    penalty large enough to be sure it never wins against another mentor is larger
    than every score, and a pair that cannot add to the total is never proposed,
    so a penalty would be an exclusion in disguise. Under the "coverage" objective
    ("as many mentees matched as possible") a former pair costs more than any
    difference in total score (:func:`avoid_former`), so it is proposed only when
    it matches a mentee who could not be matched otherwise: more mentees matched
    first, then fewest repeats, then the best score. A mentee left unmatched
    because only former mentors would suit is told so. This is not a hard rule:
    the coordinator can still pair them by hand on the board, where the card says
    "Worked together in 2021".
``prefer`` (continuity)
    A former pair earns :data:`PREFER_BONUS`, a named part of its score.
``ignore``
    Nothing changes; the reasons still say that they worked together.

Pairs whose match ended early in an earlier cohort are never matched again,
whatever the mode: the hard rules refuse them with a sentence saying why (as the
hand-set "never again" exclusions of :mod:`mentorapp.people.exclusions`).

:func:`load_history` reads everything in two queries; the board keeps the result
for as long as the cohort's people do not change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session, aliased

from mentorapp.errors import UserError
from mentorapp.store.models import Cohort, Match, Participant

MODES = ("avoid", "prefer", "ignore")
DEFAULT_MODE = "avoid"
MODE_LABELS = {
    "avoid": "Avoid: never suggest them again while another mentor is as good",
    "prefer": "Prefer: continuity, a former pair earns a bonus",
    "ignore": "Ignore: match as if they had never met",
}
# The bonus a former pair earns under "prefer": about what a good match scores in all, so that continuity
# wins over a better-scoring stranger unless the former pair scores very poorly now.
PREFER_BONUS = 1.0
WORKED_STATUSES = ("confirmed", "active", "completed")
AVOIDED = (
    "Every mentor with a free place who would suit worked with this mentee in an earlier cohort, and former "
    "pairs are avoided (match --former-pairs ignore allows them, or pair them by hand on the board)."
)


@dataclass(frozen=True)
class FormerPair:
    """The most recent earlier cohort in which two people were a pair."""

    cohort_id: int
    cohort_name: str
    year: int
    status: str
    end_reason: str = ""

    @property
    def ended_early(self) -> bool:
        return self.status == "ended_early"

    def sentence(self) -> str:
        """'Worked together in 2021 (Pilot 2021)' or 'Their pair ended early in 2021 (Pilot 2021)'."""
        if self.ended_early:
            return f"Their pair ended early in {self.year} ({self.cohort_name})"
        return f"Worked together in {self.year} ({self.cohort_name})"

    def short(self) -> str:
        """For a card: 'Worked together in 2021'."""
        return f"Ended early in {self.year}" if self.ended_early else f"Worked together in {self.year}"

    def to_json(self) -> dict[str, Any]:
        return {"cohort_id": self.cohort_id, "cohort": self.cohort_name, "year": self.year, "status": self.status}


def _key(one: int, other: int) -> tuple[int, int]:
    return (one, other) if one < other else (other, one)


@dataclass
class PairHistory:
    """Former pairs among one cohort's participants, keyed by their participant ids (lower first)."""

    cohort_id: int
    mode: str = DEFAULT_MODE
    worked: dict[tuple[int, int], FormerPair] = field(default_factory=dict)
    ended: dict[tuple[int, int], FormerPair] = field(default_factory=dict)

    def get(self, one: int, other: int) -> FormerPair | None:
        """How two participants of the cohort were paired before (an early end first), if they were."""
        key = _key(one, other)
        return self.ended.get(key) or self.worked.get(key)

    def ended_early_pairs(self) -> set[tuple[int, int]]:
        """(participant, participant) in both orders, for the hard rules' excluded set."""
        return {pair for a, b in self.ended for pair in ((a, b), (b, a))}

    def refusals(self) -> dict[tuple[int, int], str]:
        """The sentence the hard rules give for each ended-early pair (both orders)."""
        out: dict[tuple[int, int], str] = {}
        for (a, b), former in self.ended.items():
            why = f": {former.end_reason}" if former.end_reason.strip() else ""
            text = f"Their pair ended early in {former.year} ({former.cohort_name}){why}; they are not matched again."
            out[(a, b)] = out[(b, a)] = text
        return out

    def cells(self, mentee_ids: Sequence[int | None], mentor_ids: Sequence[int | None]) -> list[tuple[int, int]]:
        """(row, column) of every worked-together pair in a mentees x mentors table."""
        if not self.worked:
            return []
        col_of: dict[int, list[int]] = {}
        for c, pid in enumerate(mentor_ids):
            if pid is not None:
                col_of.setdefault(pid, []).append(c)
        partners: dict[int, list[int]] = {}
        for a, b in self.worked:
            partners.setdefault(a, []).append(b)
            partners.setdefault(b, []).append(a)
        found = []
        for r, pid in enumerate(mentee_ids):
            for other in partners.get(pid, ()) if pid is not None else ():
                found.extend((r, c) for c in col_of.get(other, ()))
        return found


def mode_of(settings: dict[str, Any] | None) -> str:
    """The cohort's ``former_pairs`` setting (a missing or unknown value reads as the default)."""
    matching = (settings or {}).get("matching") or {}
    value = matching.get("former_pairs") if isinstance(matching, dict) else None
    return value if value in MODES else DEFAULT_MODE


def check_mode(mode: str) -> str:
    if mode not in MODES:
        raise UserError(f"Former pairs must be one of {', '.join(MODES)}, not '{mode}'.")
    return mode


def load_history(session: Session, cohort_id: int) -> PairHistory:
    """Former pairs among the cohort's people, from every cohort that started before it (two queries)."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    history = PairHistory(cohort_id, mode_of(cohort.settings))
    members = {
        person_id: pid
        for pid, person_id in session.execute(
            select(Participant.id, Participant.person_id).where(Participant.cohort_id == cohort_id)
        )
    }
    if len(members) < 2:
        return history
    mentor, mentee = aliased(Participant), aliased(Participant)
    here = select(Participant.person_id).where(Participant.cohort_id == cohort_id)
    earlier = or_(
        Cohort.start_date < cohort.start_date, and_(Cohort.start_date == cohort.start_date, Cohort.id < cohort_id)
    )
    rows = session.execute(
        select(
            mentor.person_id,
            mentee.person_id,
            Match.status,
            Match.end_reason,
            Cohort.id,
            Cohort.name,
            Cohort.start_date,
        )
        .join(mentor, mentor.id == Match.mentor_id)
        .join(mentee, mentee.id == Match.mentee_id)
        .join(Cohort, Cohort.id == Match.cohort_id)
        .where(
            Match.cohort_id != cohort_id,
            Match.status.in_((*WORKED_STATUSES, "ended_early")),
            earlier,
            mentor.person_id.in_(here),
            mentee.person_id.in_(here),
        )
        .order_by(Cohort.start_date, Cohort.id, Match.id)
    )
    for mentor_person, mentee_person, status, reason, cid, name, start in rows:
        a, b = members.get(mentor_person), members.get(mentee_person)
        if a is None or b is None or a == b:
            continue
        former = FormerPair(cid, name, _year(start), status, " ".join((reason or "").split()))
        # Ordered oldest first, so the most recent earlier cohort is what stays.
        (history.ended if former.ended_early else history.worked)[_key(a, b)] = former
    return history


def _year(day: dt.date | None) -> int:
    return day.year if day is not None else 0


def avoid_former(
    values: np.ndarray,
    history: PairHistory | None,
    mentee_ids: Sequence[int | None],
    mentor_ids: Sequence[int | None],
    objective: str,
) -> np.ndarray:
    """Apply "avoid" to a score table in place (see the module notes); how many former pairs each row had.

    NaN marks a pair that may not be proposed. Under "score" a former pair becomes
    NaN; under "coverage" it costs more than any difference in total score, so it
    is chosen only when it matches one more mentee.
    """
    counts = np.zeros(values.shape[0], dtype=np.int64)
    cells = history.cells(mentee_ids, mentor_ids) if history is not None else []
    cells = [(r, c) for r, c in cells if not np.isnan(values[r, c])]
    if not cells:
        return counts
    rows, cols = np.array([r for r, _ in cells]), np.array([c for _, c in cells])
    np.add.at(counts, rows, 1)
    if objective == "coverage":
        finite = values[~np.isnan(values)]
        spread = float(finite.max()) - min(float(finite.min()), 0.0)
        values[rows, cols] -= np.float32(1.0 + values.shape[0] * spread)
    else:
        values[rows, cols] = np.nan
    return counts


__all__ = [
    "AVOIDED",
    "DEFAULT_MODE",
    "MODES",
    "PREFER_BONUS",
    "FormerPair",
    "PairHistory",
    "avoid_former",
    "load_history",
    "mode_of",
]
