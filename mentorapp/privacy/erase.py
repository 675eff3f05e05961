"""Erasing a person: their rows, and their name and contact details wherever else they appear."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy import delete, event, func, or_, select
from sqlalchemy.orm import Session, selectinload

from mentorapp.errors import UserError
from mentorapp.people.exclusions import exclusions_of_person
from mentorapp.people.validation import normalise_email
from mentorapp.privacy.scrub import ERASED, name_forms, personal_strings, phones, scrub, scrub_audit, scrub_first_name
from mentorapp.store import audit, erasures
from mentorapp.store.db import checkpoint
from mentorapp.store.models import (
    CheckinAnswer,
    EvaluationAnswer,
    EvaluationResponse,
    ExcludedPair,
    FormerValue,
    Goal,
    Match,
    Meeting,
    Participant,
)

log = logging.getLogger(__name__)


# --- erase ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureSummary:
    participant_id: int
    matches: int
    evaluations: int
    log_entries: int


def erase_participant(session: Session, participant_id: int) -> ErasureSummary:
    """Remove a participant everywhere, for good (no undo). The log keeps only '#id erased'.

    Their names, emails and phones, now and former, go from the activity log and
    from everyone else's free text (a first name alone too, where the text cannot
    mean someone else by it); the erase is recorded by id outside the database
    (:mod:`mentorapp.store.erasures`) so that restoring an older backup erases them again.
    """
    p = session.get(Participant, participant_id)
    if p is None:
        raise UserError("This participant no longer exists; reload the list.")
    cohort_id = p.cohort_id
    erasures.remember(session, p)
    log_entries = scrub_audit(session, [p], lambda person: f"{ERASED} participant")
    _scrub_others_text(session, p)
    either = or_(Match.mentor_id == p.id, Match.mentee_id == p.id)
    matches = session.execute(delete(Match).where(either)).rowcount or 0
    # The person goes with their last membership (their exclusions and former values with them).
    person = p.person
    last = session.scalar(select(func.count()).where(Participant.person_id == person.id)) == 1
    if last:
        session.execute(delete(ExcludedPair).where(exclusions_of_person(person.id)))
    response_ids = list(session.scalars(select(EvaluationResponse.id).where(EvaluationResponse.participant_id == p.id)))
    if response_ids:
        session.execute(delete(EvaluationAnswer).where(EvaluationAnswer.response_id.in_(response_ids)))
        session.execute(delete(EvaluationResponse).where(EvaluationResponse.id.in_(response_ids)))
    session.flush()  # the scrubbed texts first, then nothing of theirs may remain
    if last:
        session.execute(delete(FormerValue).where(FormerValue.person_id == person.id))
    session.delete(p)
    session.flush()
    if last:
        session.delete(person)
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
    # Once committed, the old versions of the pages still in the write-ahead log go too.
    engine = session.get_bind().engine
    event.listen(session, "after_commit", lambda _s: checkpoint(engine), once=True)
    return ErasureSummary(participant_id, matches, len(response_ids), log_entries)


def _scrub_others_text(session: Session, p: Participant) -> None:
    """Everyone else's free text, in every cohort: notes, experience, goals, evaluation answers, reasons,
    meeting notes and check-in comments."""
    needles = personal_strings(session, p)
    tails = phones(session, p)
    forms = name_forms(p)
    people = {o.id: o for o in session.scalars(select(Participant).where(Participant.id != p.id))}
    first_names: dict[str, list[Participant]] = {}
    for o in people.values():
        first_names.setdefault(o.first_name.strip().casefold(), []).append(o)
    namesakes = first_names.get(p.first_name.strip().casefold(), [])

    def clean(text: str | None, author: Participant | None) -> str | None:
        if not text:
            return text
        out = scrub(text, needles, ERASED, tails, forms)
        # A namesake who wrote the text, or is named in it in full, makes the first name alone ambiguous.
        others = [o.first_name for o in namesakes if o is author or o.full_name.casefold() in out.casefold()]
        return scrub_first_name(out, p.first_name, others, ERASED)

    for o in people.values():
        for field in ("notes", "experience", "availability"):
            value = getattr(o, field)
            if value and (new := clean(value, o)) != value:
                setattr(o, field, new)
    for goal in session.scalars(select(Goal).where(Goal.participant_id != p.id, Goal.text != "")):
        goal.text = clean(goal.text, people.get(goal.participant_id)) or ""
    answers = (
        select(EvaluationAnswer, EvaluationResponse.participant_id)
        .join(EvaluationResponse)
        .where(EvaluationResponse.participant_id != p.id, EvaluationAnswer.value_text.is_not(None))
    )
    for answer, author_id in session.execute(answers):
        answer.value_text = clean(answer.value_text, people.get(author_id))
    for m in session.scalars(select(Match).where(Match.end_reason != "")):
        m.end_reason = clean(m.end_reason, None) or ""
    for x in session.scalars(select(ExcludedPair).where(ExcludedPair.reason != "")):
        x.reason = clean(x.reason, None) or ""
    # The running months: the coordinator's notes on other pairs' meetings, other people's check-in comments.
    for meeting in session.scalars(select(Meeting).where(Meeting.note != "")):
        meeting.note = clean(meeting.note, None) or ""
    for answer in session.scalars(
        select(CheckinAnswer).where(CheckinAnswer.participant_id != p.id, CheckinAnswer.comment != "")
    ):
        answer.comment = clean(answer.comment, people.get(answer.participant_id)) or ""


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


# A restore of an older backup erases again the people erased since (the eraser lives here, above the store).
erasures.set_eraser(erase_participant)
