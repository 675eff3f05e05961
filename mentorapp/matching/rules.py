"""Hard matching rules: what may never be paired, whatever the score.

The matcher, the match board and the command line all ask :func:`violations`,
so a rule means the same everywhere. The rules: a mentor takes no more mentees
than their capacity; never two people from the same organisation (to avoid
line-management relationships; names are compared after
:func:`normalise_organisation`); never a pair the coordinator excluded; never a
person with themself (role "both"); the mentor must mentor and the mentee must
be a mentee. A pair whose match ended early in an earlier cohort counts as
excluded, with its own sentence (:mod:`mentorapp.matching.history`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from mentorapp.matching.history import PairHistory, load_history
from mentorapp.people.exclusions import cohort_exclusions
from mentorapp.people.participants import ParticipantData, titled_name
from mentorapp.store.models import CURRENT_MATCH_STATUSES, PLACE_STATUSES, Match

_PUNCTUATION = re.compile(r"[^\w\s]")
# Spellings of the same thing: "&" and "and", "St." and "St", a leading "The".
_AMPERSAND = re.compile(r"\s*&\s*")


@functools.lru_cache(maxsize=65536)
def normalise_organisation(name: str) -> str:
    """A key under which spellings of one organisation compare equal.

    Case, accents, punctuation, runs of spaces, "&" versus "and" and a leading
    "The" are ignored: "NHS Trust", " nhs  trust" and "The NHS Trust." give the
    same key. An empty name gives "", which never counts as the same organisation.
    """
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = _AMPERSAND.sub(" and ", text).replace("'", "").replace("\u2019", "")
    text = _PUNCTUATION.sub(" ", text)
    words = text.split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


@dataclass(frozen=True)
class Violation:
    """A broken hard rule: a stable ``code`` for programs and a sentence for people."""

    code: str  # "full", "same_org", "excluded", "self", "not_mentor", "not_mentee"
    message: str


@dataclass
class RuleContext:
    """The cohort state the rules need beyond the two people themselves."""

    excluded: set[tuple[int, int]]  # (mentor_id, mentee_id)
    load: dict[int, int]  # mentor_id -> places taken (proposed, confirmed, active and completed pairs)
    # mentee_id -> mentor_id of the mentee's current match (proposed/confirmed/active).
    current: dict[int, int] = field(default_factory=dict)
    # Mentees whose pair in this cohort completed: they are not matched again.
    finished: set[int] = field(default_factory=set)
    # Former pairs of earlier cohorts; a refusal's own sentence by (mentor_id, mentee_id) (an early end).
    history: PairHistory | None = None
    reasons: dict[tuple[int, int], str] = field(default_factory=dict)

    @classmethod
    def load_from(cls, session: Session, cohort_id: int) -> RuleContext:
        history = load_history(session, cohort_id)
        excluded = cohort_exclusions(session, cohort_id) | history.ended_early_pairs()
        current: dict[int, int] = {}
        finished: set[int] = set()
        load: dict[int, int] = {}
        placed = select(Match.mentee_id, Match.mentor_id, Match.status).where(
            Match.cohort_id == cohort_id, Match.status.in_(PLACE_STATUSES)
        )
        for mentee_id, mentor_id, status in session.execute(placed):
            load[mentor_id] = load.get(mentor_id, 0) + 1
            if status in CURRENT_MATCH_STATUSES:
                current[mentee_id] = mentor_id
            else:
                finished.add(mentee_id)
        return cls(
            excluded=excluded,
            load=load,
            current=current,
            finished=finished - current.keys(),
            history=history,
            reasons=history.refusals(),
        )

    def free_capacity(self, mentor: ParticipantData) -> int:
        """Places the mentor has left (never below zero)."""
        return max(0, mentor.capacity - self.load.get(mentor.id or -1, 0))


def violations(
    mentee: ParticipantData,
    mentor: ParticipantData,
    ctx: RuleContext,
    *,
    moving_from: int | None = None,
) -> list[Violation]:
    """Every hard rule that pairing ``mentee`` with ``mentor`` would break ([] when allowed).

    ``moving_from`` is the mentor the mentee is matched with now: moving within
    the same mentor, or away from one, does not count twice against capacity.
    """
    found: list[Violation] = []
    if mentee.id is not None and mentee.id == mentor.id:
        found.append(Violation("self", f"{titled_name(mentee)} cannot mentor themself."))
    if not mentor.is_mentor:
        found.append(Violation("not_mentor", f"{titled_name(mentor)} is not a mentor."))
    if not mentee.is_mentee:
        found.append(Violation("not_mentee", f"{titled_name(mentee)} is not a mentee."))
    org = normalise_organisation(mentee.organisation)
    if org and org == normalise_organisation(mentor.organisation):
        found.append(
            Violation(
                "same_org",
                f"{titled_name(mentee)} and {titled_name(mentor)} both work at "
                f"{' '.join(mentor.organisation.split())}.",
            )
        )
    if (mentor.id, mentee.id) in ctx.excluded:
        why = ctx.reasons.get((mentor.id, mentee.id))
        text = f"{titled_name(mentee)} and {titled_name(mentor)}: {why}" if why else None
        found.append(
            Violation(
                "excluded",
                text or f"The pair {titled_name(mentee)} and {titled_name(mentor)} was excluded by the coordinator.",
            )
        )
    if mentor.is_mentor:
        load = ctx.load.get(mentor.id or -1, 0)
        if moving_from is not None and moving_from == mentor.id:
            load -= 1
        if load >= mentor.capacity:
            places = "mentee" if mentor.capacity == 1 else "mentees"
            found.append(
                Violation(
                    "full", f"{titled_name(mentor)} already has {load} of {mentor.capacity} {places}; no place left."
                )
            )
    return found
