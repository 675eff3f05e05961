"""Erasing a person: their rows, and their name and contact details wherever else they appear."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session, selectinload

from mentorapp.errors import UserError
from mentorapp.people.validation import normalise_email
from mentorapp.privacy.scrub import ERASED, personal_strings, scrub, scrub_audit
from mentorapp.store import audit
from mentorapp.store.models import EvaluationAnswer, EvaluationResponse, ExcludedPair, Match, Participant

log = logging.getLogger(__name__)


# --- erase ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureSummary:
    participant_id: int
    matches: int
    evaluations: int
    log_entries: int


def erase_participant(session: Session, participant_id: int) -> ErasureSummary:
    """Remove a participant everywhere, for good (no undo). The log keeps only '#id erased'."""
    p = session.get(Participant, participant_id)
    if p is None:
        raise UserError("This participant no longer exists; reload the list.")
    cohort_id = p.cohort_id
    log_entries = scrub_audit(session, [p], lambda person: f"{ERASED} participant")
    # Other people's comments and notes in the cohort may name them too.
    needles = personal_strings(p)
    others_text = (
        select(EvaluationAnswer)
        .join(EvaluationResponse)
        .where(
            EvaluationResponse.cohort_id == cohort_id,
            EvaluationResponse.participant_id != p.id,
            EvaluationAnswer.value_text.is_not(None),
        )
    )
    for answer in session.scalars(others_text):
        answer.value_text = scrub(answer.value_text or "", needles, ERASED)
    for other in session.scalars(
        select(Participant).where(Participant.cohort_id == cohort_id, Participant.id != p.id, Participant.notes != "")
    ):
        other.notes = scrub(other.notes, needles, ERASED)
    either = or_(Match.mentor_id == p.id, Match.mentee_id == p.id)
    matches = session.execute(delete(Match).where(either)).rowcount or 0
    session.execute(delete(ExcludedPair).where(or_(ExcludedPair.mentor_id == p.id, ExcludedPair.mentee_id == p.id)))
    response_ids = list(session.scalars(select(EvaluationResponse.id).where(EvaluationResponse.participant_id == p.id)))
    if response_ids:
        session.execute(delete(EvaluationAnswer).where(EvaluationAnswer.response_id.in_(response_ids)))
        session.execute(delete(EvaluationResponse).where(EvaluationResponse.id.in_(response_ids)))
    session.delete(p)
    session.flush()
    audit.record(
        session,
        "participant erased",
        f"Participant #{participant_id} erased with {matches} match(es) and {len(response_ids)} evaluation(s)",
        cohort_id=cohort_id,
        entity_type="participant",
        entity_id=participant_id,
    )
    log.info("participant #%d erased (%d matches, %d evaluations)", participant_id, matches, len(response_ids))
    return ErasureSummary(participant_id, matches, len(response_ids), log_entries)


def find_by_email(session: Session, email: str) -> list[Participant]:
    """Every participant row with this email, in any cohort."""
    address = normalise_email(email)
    if not address:
        raise UserError("Give the email address of the person.")
    return list(
        session.scalars(
            select(Participant)
            .where(func.lower(Participant.email) == address.lower())
            .options(selectinload(Participant.goals), selectinload(Participant.expertise))
            .order_by(Participant.cohort_id, Participant.id)
        )
    )
