"""What the match board shows, read in a few plain queries so 10,000 people load fast.

The board reloads after every change; participants (with goals and expertise)
are only read again when they changed, judged by a cheap signature query, so a
drop on a large cohort re-reads just the matches. Former pairs of earlier cohorts
(:mod:`mentorapp.matching.history`) are read with the people and kept with them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentorapp.matching.history import PairHistory, load_history
from mentorapp.matching.rules import RuleContext
from mentorapp.people.exclusions import cohort_exclusions
from mentorapp.people.participants import ParticipantData, list_participants
from mentorapp.store.models import CURRENT_MATCH_STATUSES, PLACE_STATUSES, Cohort, Expertise, Goal, Match, Participant

# Matches shown on a mentor's card: those that take one of its places (current and completed).
SHOWN_STATUSES = PLACE_STATUSES


@dataclass(slots=True)
class BoardMatch:
    id: int
    mentee_id: int
    mentor_id: int
    status: str
    score: float | None
    reasons: list[Any]
    locked: bool
    override_same_org: bool
    version_id: int
    end_reason: str = ""

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_MATCH_STATUSES


@dataclass
class BoardData:
    """One cohort as the board sees it: people, matches and excluded pairs."""

    cohort_id: int
    cohort_name: str
    focus_areas: list[str]
    settings: dict[str, Any]
    people: dict[int, ParticipantData]
    mentee_ids: list[int]
    mentor_ids: list[int]
    matches: dict[int, BoardMatch]
    excluded: set[tuple[int, int]]
    signature: tuple[Any, ...] = ()
    # The cohort's own career ladder (most junior first) and regions: filters and the scorer use them.
    career_stages: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    by_mentee: dict[int, BoardMatch] = field(default_factory=dict)
    by_mentor: dict[int, list[BoardMatch]] = field(default_factory=dict)
    # Who was paired in an earlier cohort (cards say "Worked together in 2021"; early ends are refused).
    history: PairHistory | None = None

    def __post_init__(self) -> None:
        self.index_matches()

    def index_matches(self) -> None:
        self.by_mentee = {}
        by_mentor: dict[int, list[BoardMatch]] = defaultdict(list)
        for m in sorted(self.matches.values(), key=lambda m: (m.status not in CURRENT_MATCH_STATUSES, m.id)):
            if m.status in SHOWN_STATUSES:
                by_mentor[m.mentor_id].append(m)
                # A mentee's current match wins over an older completed one.
                self.by_mentee.setdefault(m.mentee_id, m)
        self.by_mentor = dict(by_mentor)

    def load(self, mentor_id: int) -> int:
        """How many of the mentor's places are taken (current and completed pairs)."""
        return len(self.by_mentor.get(mentor_id, ()))

    def free_places(self, mentor_id: int) -> int:
        return max(0, self.people[mentor_id].capacity - self.load(mentor_id))

    def loads(self) -> dict[int, int]:
        return {mentor_id: len(shown) for mentor_id, shown in self.by_mentor.items()}

    def unmatched_mentee_ids(self) -> list[int]:
        return [pid for pid in self.mentee_ids if pid not in self.by_mentee]

    def rule_context(self) -> RuleContext:
        """The cohort as the hard rules see it, from what the board shows (no query)."""
        history = self.history
        return RuleContext(
            excluded=set(self.excluded) | (history.ended_early_pairs() if history is not None else set()),
            load=self.loads(),
            current={m.mentee_id: m.mentor_id for m in self.matches.values() if m.is_current},
            finished={m.mentee_id for m in self.by_mentee.values() if m.status == "completed"},
            history=history,
            reasons=history.refusals() if history is not None else {},
        )


def participant_signature(session: Session, cohort_id: int) -> tuple[Any, ...]:
    """Changes whenever a participant, goal or expertise row of the cohort (or the cohort) changes."""
    p = session.execute(
        select(
            func.count(), func.coalesce(func.sum(Participant.version_id), 0), func.max(Participant.updated_at)
        ).where(Participant.cohort_id == cohort_id)
    ).one()
    ids = select(Participant.id).where(Participant.cohort_id == cohort_id).scalar_subquery()
    g = session.execute(select(func.count(), func.max(Goal.id)).where(Goal.participant_id.in_(ids))).one()
    e = session.execute(
        select(func.count(), func.max(Expertise.id), func.coalesce(func.sum(Expertise.years), 0)).where(
            Expertise.participant_id.in_(ids)
        )
    ).one()
    cohort_version = session.scalar(select(Cohort.version_id).where(Cohort.id == cohort_id))
    return (tuple(p), tuple(g), tuple(e), cohort_version)


def load_people(session: Session, cohort_id: int) -> dict[int, ParticipantData]:
    return {p.id: p for p in list_participants(session, cohort_id) if p.id is not None}


def _sort_key(p: ParticipantData) -> tuple[str, str, int]:
    return (p.last_name.casefold(), p.first_name.casefold(), p.id or 0)


def load_matches(session: Session, cohort_id: int) -> dict[int, BoardMatch]:
    rows = session.execute(
        select(
            Match.id,
            Match.mentee_id,
            Match.mentor_id,
            Match.status,
            Match.score,
            Match.reasons,
            Match.locked,
            Match.override_same_org,
            Match.version_id,
            Match.end_reason,
        ).where(Match.cohort_id == cohort_id)
    )
    return {
        r[0]: BoardMatch(r[0], r[1], r[2], r[3], r[4], list(r[5] or []), bool(r[6]), bool(r[7]), r[8], r[9] or "")
        for r in rows
    }


def load_board(session: Session, cohort_id: int, previous: BoardData | None = None) -> BoardData:
    """Read the board; people are reused from ``previous`` when nothing about them changed."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise LookupError(f"cohort {cohort_id} does not exist")
    signature = participant_signature(session, cohort_id)
    if previous is not None and previous.cohort_id == cohort_id and previous.signature == signature:
        people, mentee_ids, mentor_ids = previous.people, previous.mentee_ids, previous.mentor_ids
        history = previous.history or load_history(session, cohort_id)
    else:
        history = load_history(session, cohort_id)
        people = load_people(session, cohort_id)
        ordered = sorted(people.values(), key=_sort_key)
        mentee_ids = [p.id for p in ordered if p.is_mentee and p.id is not None]
        mentor_ids = [p.id for p in ordered if p.is_mentor and p.id is not None]
    excluded = cohort_exclusions(session, cohort_id)
    return BoardData(
        cohort_id=cohort_id,
        cohort_name=cohort.name,
        focus_areas=list(cohort.focus_areas or []),
        settings=dict(cohort.settings or {}),
        people=people,
        mentee_ids=mentee_ids,
        mentor_ids=mentor_ids,
        matches=load_matches(session, cohort_id),
        excluded=excluded,
        signature=signature,
        career_stages=list(cohort.career_stages or []),
        regions=list(cohort.regions or []),
        history=history,
    )
