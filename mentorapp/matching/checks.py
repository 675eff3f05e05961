"""What may be done to a match, and why not: the rules for every change, decided once.

Each ``*_refusal`` function works on plain values (no session) and returns a
:class:`Refusal` saying why a change is not allowed, or None when it is. The
actions in :mod:`mentorapp.matching.actions` ask them against the database
before they write (and re-export them: screens and commands import everything
from ``actions``); the board asks them against what it shows, to mark a drop
target or enable a menu item. The hard pairing rules themselves (capacity,
organisation, exclusions) are :func:`mentorapp.matching.rules.violations`.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Protocol

from mentorapp.errors import UserError
from mentorapp.matching.rules import RuleContext, Violation, violations
from mentorapp.people.participants import ParticipantData, titled_name
from mentorapp.people.vocabulary import MATCH_STATUS_LABELS
from mentorapp.store.models import CURRENT_MATCH_STATUSES, MATCH_STATUSES

# Which statuses each lifecycle action may start from.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "confirmed": ("proposed",),
    "active": ("proposed", "confirmed"),
    "completed": ("confirmed", "active"),
    "ended_early": ("proposed", "confirmed", "active"),
    "proposed": ("confirmed",),
}

# Only these matches may be moved to another mentor or removed.
MOVABLE: tuple[str, ...] = ("proposed", "confirmed")


class RuleBrokenError(UserError):
    """A hard rule forbids this pair; ``overridable`` when only the same-organisation rule does."""

    def __init__(self, message: str, found: list[Violation]) -> None:
        super().__init__(message)
        self.violations = found

    @property
    def overridable(self) -> bool:
        return bool(self.violations) and all(v.code == "same_org" for v in self.violations)


class MatchState(Protocol):
    """What the rules need to know of an existing match (a stored Match or the board's copy)."""

    @property
    def mentor_id(self) -> int: ...
    @property
    def status(self) -> str: ...
    @property
    def locked(self) -> bool: ...


@dataclass(frozen=True)
class Refusal:
    """Why a change is not allowed.

    ``message`` is a sentence (an error's text); ``phrase`` the same in a few
    words that follow "Not allowed: " on the board; ``violations`` the hard
    rules broken, if that is the reason.
    """

    message: str
    phrase: str
    violations: tuple[Violation, ...] = ()

    @property
    def overridable(self) -> bool:
        """Only the same-organisation rule stands in the way: the coordinator may decide to match anyway."""
        return bool(self.violations) and all(v.code == "same_org" for v in self.violations)

    def error(self) -> UserError:
        if self.violations:
            return RuleBrokenError(self.message, list(self.violations))
        return UserError(self.message)


def _label(status: str) -> str:
    return MATCH_STATUS_LABELS[status].lower()


def pairing_refusal(
    mentee: ParticipantData,
    mentor: ParticipantData,
    rules: RuleContext,
    *,
    moving: MatchState | None = None,
    mentor_name: Callable[[int], str] | None = None,
) -> Refusal | None:
    """Why ``mentee`` may not be given ``mentor``: a new match, or ``moving`` the mentee's match there.

    None when it is allowed. ``rules`` is the cohort as it is now;
    ``mentor_name`` names the mentor of a match that is in the way (optional).
    """
    if moving is None:
        current = rules.current.get(mentee.id or -1)
        if current is not None:
            with_whom = f" with {mentor_name(current)}" if mentor_name is not None else ""
            return Refusal(
                f"{titled_name(mentee)} is already matched{with_whom}; move or remove that match first.",
                f"{titled_name(mentee)} is already matched; drag them from their mentor's card to move them",
            )
        if mentee.id in rules.finished:
            return Refusal(
                f"{titled_name(mentee)} completed a pair in this cohort already; they are not matched again.",
                f"{titled_name(mentee)} completed a pair in this cohort already",
            )
    else:
        if moving.mentor_id == mentor.id:
            return Refusal(
                f"{titled_name(mentee)} is already matched with {titled_name(mentor)}.",
                f"{titled_name(mentee)} is already with this mentor",
            )
        held = moving_refusal(moving, titled_name(mentee))
        if held is not None:
            return held
    if mentee.cohort_id != mentor.cohort_id:
        return Refusal(
            f"{titled_name(mentee)} and {titled_name(mentor)} are in different cohorts.",
            "they are in different cohorts",
        )
    found = violations(mentee, mentor, rules, moving_from=moving.mentor_id if moving is not None else None)
    if not found:
        return None
    return Refusal("; ".join(v.message for v in found), "; ".join(v.message.rstrip(".") for v in found), tuple(found))


def moving_refusal(match: MatchState, mentee_name: str) -> Refusal | None:
    """Why the match may not go to another mentor at all (whoever that is); None when it may."""
    if match.locked:
        return Refusal(
            f"The match of {mentee_name} is locked; unlock it before you move it.",
            "the match is locked; unlock it first",
        )
    if match.status not in MOVABLE:
        return Refusal(
            f"The match of {mentee_name} is {_label(match.status)}; only proposed or confirmed matches can be moved.",
            f"the match is {match.status.replace('_', ' ')}",
        )
    return None


def removal_refusal(match: MatchState, mentee_name: str) -> Refusal | None:
    """Why the match may not be removed (the mentee unmatched again); None when it may."""
    if match.locked:
        return Refusal(
            f"The match of {mentee_name} is locked; unlock it before you remove it.",
            "the match is locked; unlock it first",
        )
    if match.status not in MOVABLE:
        return Refusal(
            f"The match of {mentee_name} is {_label(match.status)}; end it early instead of removing it.",
            f"the match is {match.status.replace('_', ' ')}",
        )
    return None


def status_refusal(match: MatchState, status: str, mentee_name: str) -> Refusal | None:
    """Why the match may not move to ``status`` in its lifecycle; None when it may."""
    if status not in MATCH_STATUSES:
        return Refusal(
            f"'{status}' is not a match status; use one of {', '.join(MATCH_STATUSES)}.", "that is not a status"
        )
    if match.status not in TRANSITIONS.get(status, ()):
        return Refusal(
            f"The match of {mentee_name} is {_label(match.status)}, so it cannot become {_label(status)}.",
            f"the match is {match.status.replace('_', ' ')}",
        )
    return None


def lock_refusal(match: MatchState, mentee_name: str) -> Refusal | None:
    """Only current matches (proposed, confirmed, active) are locked or unlocked."""
    if match.status not in CURRENT_MATCH_STATUSES:
        return Refusal(
            f"The match of {mentee_name} is {_label(match.status)}; only current matches can be locked or unlocked.",
            f"the match is {match.status.replace('_', ' ')}",
        )
    return None


def exclusion_refusal(
    mentee: ParticipantData,
    mentor: ParticipantData,
    excluded: Collection[tuple[int, int]],
    match: MatchState | None,
) -> Refusal | None:
    """Why the pair may not be excluded; ``match`` is the match between them, if any; None when it may."""
    if mentee.cohort_id != mentor.cohort_id:
        return Refusal(
            f"{titled_name(mentee)} and {titled_name(mentor)} are in different cohorts.",
            "they are in different cohorts",
        )
    if mentee.id == mentor.id:
        return Refusal("A participant cannot be excluded from being matched with themself.", "the same person")
    if (mentor.id, mentee.id) in excluded:
        return Refusal(
            f"{titled_name(mentee)} and {titled_name(mentor)} are already excluded as a pair.", "the pair is excluded"
        )
    if match is not None and (match.status != "proposed" or match.locked):
        state = _label(match.status) + (", locked" if match.locked else "")
        return Refusal(
            f"{titled_name(mentee)} and {titled_name(mentor)} are matched ({state}); "
            "end or unlock that match before excluding the pair.",
            f"they are matched ({state})",
        )
    return None


__all__ = [
    "MOVABLE",
    "TRANSITIONS",
    "MatchState",
    "Refusal",
    "RuleBrokenError",
    "exclusion_refusal",
    "lock_refusal",
    "moving_refusal",
    "pairing_refusal",
    "removal_refusal",
    "status_refusal",
]
