"""A new mentor for one freed mentee: suggestions for that mentee only, other pairs untouched.

After a pair ends early (:func:`mentorapp.matching.actions.end_pair`) the mentee has no
current match. :func:`suggest_for_mentee` plans for that mentee alone: every other open
mentee is left out of the problem (as if already placed, without using a mentor's place),
so the mentee gets the best mentor with a free place under the hard rules, the ended
pair's mentor never among them (the exclusion end_pair adds). ``match --apply --mentee
EMAIL`` stores the suggestion with :func:`~mentorapp.matching.actions.accept_suggestions`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.matching.rules import RuleContext
from mentorapp.matching.scoring import weights_for
from mentorapp.matching.solver import Suggestions, load_participants, plan
from mentorapp.store.models import Cohort

NOT_PLANNED = -1  # stands for "not planned now" in RuleContext.current: no mentor's place is used


def suggest_for_mentee(
    session: Session,
    cohort_id: int,
    mentee_id: int,
    *,
    objective: str = "score",
    min_score: float | None = None,
    former_pairs: str | None = None,
) -> Suggestions:
    """The best mentor for this one mentee (writes nothing); refused if they already have a pair."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    people = load_participants(session, cohort_id)
    mentee = next((p for p in people if p.id == mentee_id), None)
    if mentee is None or not mentee.is_mentee:
        raise UserError(f"Participant #{mentee_id} is not a mentee of '{cohort.name}'.")
    ctx = RuleContext.load_from(session, cohort_id)
    if mentee_id in ctx.current:
        raise UserError(f"{mentee.titled_name} already has a pair; end it before looking for a new mentor.")
    if mentee_id in ctx.finished:
        raise UserError(f"{mentee.titled_name} completed a pair in this cohort already; they are not matched again.")
    for p in people:
        if p.is_mentee and p.id != mentee_id:
            ctx.current.setdefault(p.id, NOT_PLANNED)
    return plan(
        [p for p in people if p.is_mentee],
        [p for p in people if p.is_mentor],
        ctx,
        weights_for(cohort.settings),
        objective=objective,
        min_score=min_score,
        stages=cohort.career_stages,
        former_pairs=former_pairs,  # None: the cohort's setting (matching.history)
    )


__all__ = ["suggest_for_mentee"]
