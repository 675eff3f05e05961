"""Anonymising a cohort (statistics survive) and the retention period that says when it is due."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, selectinload

from mentorapp.errors import UserError
from mentorapp.people.cohorts import add_months
from mentorapp.privacy.scrub import scrub_audit
from mentorapp.store import audit
from mentorapp.store.models import (
    AppSetting,
    CheckinAnswer,
    Cohort,
    EvaluationAnswer,
    EvaluationResponse,
    ExcludedPair,
    FormerValue,
    Match,
    Meeting,
    Participant,
    Person,
)

RETENTION_KEY = "retention_months"
DEFAULT_RETENTION_MONTHS = 24
ANONYMISED_KEY = "anonymised_on"


# --- anonymise -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AnonymisationSummary:
    cohort_id: int
    participants: int
    answers_removed: int


def _text_item_keys() -> set[str] | None:
    try:
        from mentorapp.evaluation.instrument import TEXT_ITEMS
    except ImportError:
        return None
    return {item.key for item in TEXT_ITEMS}


def anonymise_cohort(session: Session, cohort_id: int) -> AnonymisationSummary:
    """Replace names, contact details and free text in a cohort; keep what statistics need."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    people = list(
        session.scalars(
            select(Participant)
            .where(Participant.cohort_id == cohort_id)
            .options(selectinload(Participant.goals))
            .order_by(Participant.id)
        )
    )
    scrub_audit(session, people, lambda person: _pseudonym(person))
    organisations: dict[str, str] = {}
    for p in people:
        org = p.organisation.strip().casefold()
        if org and org not in organisations:
            organisations[org] = f"Organisation {len(organisations) + 1}"
    shared = set(
        session.scalars(
            select(Participant.person_id).where(
                Participant.person_id.in_([p.person_id for p in people]), Participant.cohort_id != cohort_id
            )
        )
    )
    in_place: list[int] = []
    for p in people:
        pseudonym_first, pseudonym_last = _pseudonym_parts(p)
        if p.person_id in shared:  # they are also in another cohort: that membership keeps the real person
            p.person = Person(first_name="", last_name="", email="")
        else:
            in_place.append(p.person_id)
        p.title = ""
        p.first_name, p.last_name = pseudonym_first, pseudonym_last
        p.email = f"participant-{p.id}@anonymised.invalid"
        p.phone = ""
        p.membership_number = ""
        p.organisation = organisations.get(p.organisation.strip().casefold(), "")
        p.job_title = ""
        p.notes = ""
        p.availability = ""
        p.experience = ""
        for g in p.goals:
            g.text = ""  # focus-area tags stay: they feed the statistics
    for m in session.scalars(select(Match).where(Match.cohort_id == cohort_id)):
        m.end_reason = ""
    for x in session.scalars(select(ExcludedPair).where(ExcludedPair.cohort_id == cohort_id)):
        x.reason = ""
    # The coordinator's notes on meetings and the comments of check-ins: dates, counts and ratings stay.
    session.execute(update(Meeting).where(Meeting.cohort_id == cohort_id, Meeting.note != "").values(note=""))
    commented = CheckinAnswer.cohort_id == cohort_id, CheckinAnswer.comment != ""
    session.execute(update(CheckinAnswer).where(*commented).values(comment=""))
    keys = _text_item_keys()
    answers = (
        select(EvaluationAnswer.id)
        .join(EvaluationResponse)
        .where(EvaluationResponse.cohort_id == cohort_id, EvaluationAnswer.value_text.is_not(None))
    )
    if keys is not None:
        answers = answers.where(EvaluationAnswer.item_key.in_(keys))
    answer_ids = list(session.scalars(answers))
    if answer_ids:
        session.execute(delete(EvaluationAnswer).where(EvaluationAnswer.id.in_(answer_ids)))
    settings = dict(cohort.settings or {})
    settings[ANONYMISED_KEY] = dt.date.today().isoformat()
    cohort.settings = settings
    session.flush()
    # The real names the pseudonyms replaced were just kept as former values: they go too.
    session.execute(delete(FormerValue).where(FormerValue.person_id.in_(in_place)))
    audit.record(
        session,
        "cohort anonymised",
        f"Cohort '{cohort.name}' anonymised: {len(people)} participants, {len(answer_ids)} free-text answers removed",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )
    return AnonymisationSummary(cohort_id, len(people), len(answer_ids))


def _pseudonym_parts(p: Participant) -> tuple[str, str]:
    word = {"mentor": "Mentor", "mentee": "Mentee"}.get(p.role, "Participant")
    return word, f"#{p.id}"


def _pseudonym(p: Participant) -> str:
    return " ".join(_pseudonym_parts(p))


def is_anonymised(cohort: Cohort) -> bool:
    return bool((cohort.settings or {}).get(ANONYMISED_KEY))


# --- retention -----------------------------------------------------------------------------


def retention_months(session: Session) -> int:
    setting = session.get(AppSetting, RETENTION_KEY)
    try:
        value = int(setting.value) if setting is not None else DEFAULT_RETENTION_MONTHS
    except (TypeError, ValueError):
        return DEFAULT_RETENTION_MONTHS
    return value if value > 0 else DEFAULT_RETENTION_MONTHS


def set_retention_months(session: Session, months: int | None, cohort_id: int | None = None) -> None:
    """Set how long closed cohorts keep personal data: for every cohort, or for one (None: back to the general one).

    Each cohort is anonymised on its own when its time comes; a person who is also in an
    open cohort keeps that membership as it is.
    """
    if months is not None and (isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= 1200):
        raise UserError("The retention period must be a whole number of months between 1 and 1200.")
    if cohort_id is not None:
        cohort = session.get(Cohort, cohort_id)
        if cohort is None:
            raise UserError("The cohort no longer exists.")
        settings = dict(cohort.settings or {})
        if months is None:
            settings.pop(RETENTION_KEY, None)
        else:
            settings[RETENTION_KEY] = months
        cohort.settings = settings
        said = f"{months} months" if months is not None else "the general period"
        audit.record(
            session,
            "setting changed",
            f"Retention period of '{cohort.name}' set to {said}",
            cohort_id=cohort.id,
            entity_type="cohort",
            entity_id=cohort.id,
        )
        session.flush()
        return
    if months is None:
        raise UserError("Give the retention period in months.")
    setting = session.get(AppSetting, RETENTION_KEY)
    if setting is None:
        session.add(AppSetting(key=RETENTION_KEY, value=months))
    else:
        setting.value = months
    audit.record(session, "setting changed", f"Retention period set to {months} months", entity_type="setting")
    session.flush()


def cohort_retention_months(cohort: Cohort, general: int) -> int:
    """The cohort's own retention period if it has one, else the general one."""
    own = (cohort.settings or {}).get(RETENTION_KEY)
    return own if isinstance(own, int) and not isinstance(own, bool) and own > 0 else general


def cohorts_due_for_anonymising(session: Session, today: dt.date | None = None) -> list[Cohort]:
    """Closed cohorts whose evaluation date is more than the retention period ago, not yet anonymised."""
    today = today or dt.date.today()
    months = retention_months(session)
    due = []
    for cohort in session.scalars(select(Cohort).where(Cohort.status == "closed").order_by(Cohort.start_date)):
        if is_anonymised(cohort):
            continue
        if add_months(cohort.evaluation_date, cohort_retention_months(cohort, months)) <= today:
            due.append(cohort)
    return due
