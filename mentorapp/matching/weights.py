"""A cohort's scoring weights, in words a coordinator understands, read and saved in one place.

The weights live in ``cohort.settings["matching"]["weights"]`` and are read by
:func:`mentorapp.matching.scoring.weights_for`. :func:`set_weights` saves them, records the
change in the activity log and rescores the cohort's proposed and confirmed matches, all in
the caller's transaction, so the board shows what the pairs score under the new weights.
:func:`set_former_pairs` does the same for what to do with former pairs
(:mod:`mentorapp.matching.history`).

Penalties (a mentor junior to the mentee, meeting preferences that conflict) are stored as
negative numbers, as the scorer adds them; :data:`WEIGHTS` says which, so that a screen can
show and take every weight as a positive "how much".
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.matching.history import check_mode, mode_of
from mentorapp.matching.scoring import DEFAULT_WEIGHTS, weights_for
from mentorapp.people.cohorts import update_settings
from mentorapp.store import audit
from mentorapp.store.models import Cohort


@dataclass(frozen=True)
class Weight:
    key: str
    label: str
    explanation: str
    penalty: bool = False  # stored negative: it takes from the score
    low: float = 0.0
    high: float = 1.0


WEIGHTS: tuple[Weight, ...] = (
    Weight("focus_short", "Short-term goal areas", "Mentor's expertise in the areas of the mentee's short-term goal."),
    Weight("focus_medium", "Medium-term goal areas", "The same for the medium-term goal."),
    Weight("focus_long", "Long-term goal areas", "The same for the long-term goal."),
    Weight("text", "Shared words", "Words of the mentee's goals that appear in the mentor's experience."),
    Weight("meaning", "Similar meaning", "Goals and experience that mean the same thing in other words."),
    Weight("stage_senior", "More senior mentor", "Mentor two or more career stages senior (one stage: half)."),
    Weight("stage_junior", "Junior mentor (penalty)", "Taken off per career stage the mentor is junior.", True),
    Weight("region", "Same region", "Mentor and mentee are in the same region."),
    Weight("meeting_match", "Same way of meeting", "Both want to meet in person, or both online."),
    Weight("meeting_conflict", "Conflicting way of meeting (penalty)", "One wants in person, the other online.", True),
    Weight("years_full", "Years for full credit", "Years in an area at which expertise counts fully.", False, 1, 50),
)
BY_KEY = {w.key: w for w in WEIGHTS}


def shown(key: str, value: float) -> float:
    """A stored weight as a screen shows it: a penalty as a positive amount."""
    return -value if BY_KEY[key].penalty else value


def stored(key: str, value: float) -> float:
    """A weight as a screen took it, as the scorer adds it: a penalty negative."""
    return -abs(value) if BY_KEY[key].penalty else value


def cohort_weights(session: Session, cohort_id: int) -> dict[str, float]:
    """The weights the cohort's matches are scored with (its own over the defaults)."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    return weights_for(cohort.settings)


def check_weights(weights: dict[str, Any]) -> dict[str, float]:
    """``weights`` as stored (penalties negative); UserError naming the first unknown key or value out of range."""
    checked: dict[str, float] = {}
    for key, value in weights.items():
        weight = BY_KEY.get(key)
        if weight is None:
            raise UserError(f"There is no weight called '{key}'; the weights are {', '.join(BY_KEY)}.")
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise UserError(f"The weight {key} must be a number.")
        amount = shown(key, float(value)) if weight.penalty and value < 0 else float(value)
        if not weight.low <= amount <= weight.high:
            raise UserError(f"The weight {key} must be between {weight.low:g} and {weight.high:g}.")
        checked[key] = stored(key, amount)
    return checked


def set_weights(session: Session, cohort_id: int, weights: dict[str, Any]) -> int:
    """Save ``weights`` (any of the keys; the rest keep their value), log it, rescore; how many matches were rescored.

    Weights equal to the default are not kept, so a later change of a default reaches this cohort.
    """
    from mentorapp.matching.actions import rescore_current_matches  # actions imports the scorer too

    checked = check_weights(weights)
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    before = weights_for(cohort.settings)
    after = {**before, **checked}
    changed = [k for k in BY_KEY if not math.isclose(before[k], after[k])]
    matching = dict((cohort.settings or {}).get("matching") or {})
    own = {k: v for k, v in after.items() if not math.isclose(v, DEFAULT_WEIGHTS[k])}
    if own:
        matching["weights"] = own
    else:
        matching.pop("weights", None)
    update_settings(session, cohort_id, matching=matching)
    if changed:
        words = "; ".join(f"{BY_KEY[k].label} {shown(k, before[k]):g} → {shown(k, after[k]):g}" for k in changed)
        audit.record(
            session,
            "matching weights changed",
            f"Matching weights of '{cohort.name}' changed: {words}",
            cohort_id=cohort_id,
            entity_type="cohort",
            entity_id=cohort_id,
        )
    return rescore_current_matches(session, cohort_id)


def set_former_pairs(session: Session, cohort_id: int, mode: str) -> str:
    """Save the cohort's ``former_pairs`` setting (logged); the mode it had before.

    Proposed and confirmed matches are rescored, since "prefer" is part of a score.
    """
    from mentorapp.matching.actions import rescore_current_matches  # actions imports the scorer too

    check_mode(mode)
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    before = mode_of(cohort.settings)
    if before == mode:
        return before
    matching = dict((cohort.settings or {}).get("matching") or {})
    matching["former_pairs"] = mode
    update_settings(session, cohort_id, matching=matching)
    audit.record(
        session,
        "former pairs setting changed",
        f"Former pairs in '{cohort.name}': {before} → {mode}",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )
    rescore_current_matches(session, cohort_id)
    return before
