"""The evaluation instrument and the responses typed in or imported for it.

Every question lives in :data:`ITEMS`, in one place, so that a cohort could
change wording later; the database keeps the ``item_key`` each answer belongs
to, never the wording. A participant answers once per stage (baseline at the
start, six months at the evaluation): saving again replaces that response, so
re-importing the same form updates instead of duplicating.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session, selectinload

from mentorapp.errors import ConflictError, UserError
from mentorapp.evaluation.answer_dates import date_problem
from mentorapp.importing.form_answers import whole, yes_no
from mentorapp.people.validation import FieldError
from mentorapp.store import audit
from mentorapp.store.models import (
    EVALUATION_STAGES,
    Cohort,
    EvaluationAnswer,
    EvaluationResponse,
    Participant,
    utcnow,
)
from mentorapp.store.sequences import fix_sequences

STAGE_LABELS = {"baseline": "Baseline", "six_month": "Six months"}
# Spellings accepted on the command line and in forms.
STAGE_ALIASES = {
    "baseline": "baseline",
    "start": "baseline",
    "six-month": "six_month",
    "six_month": "six_month",
    "six-months": "six_month",
    "6-month": "six_month",
    "six months": "six_month",
}
SCALE_MIN, SCALE_MAX = 1, 5
MAX_MEETINGS = 500
MAX_TEXT = 5000
# Words for 1 to 5 that fit the question asked: the forms, the entry screen and the report use these.
RATING_WORDS = ("Very limited", "Limited", "Adequate", "Good", "Excellent")
CONFIDENCE_WORDS = (
    "Not at all confident",
    "Slightly confident",
    "Fairly confident",
    "Very confident",
    "Extremely confident",
)
PERFORMANCE_WORDS = ("Very poorly", "Poorly", "Fairly well", "Well", "Very well")
STRENGTH_WORDS = ("Very weak", "Weak", "Moderate", "Strong", "Very strong")
SATISFACTION_WORDS = ("Very dissatisfied", "Dissatisfied", "Neither", "Satisfied", "Very satisfied")
LEARNING_WORDS = ("Nothing new", "A little", "A moderate amount", "Quite a lot", "A great deal")
# An optional question a cohort switches on (Cohort.settings["retrospective_pre"]).
RETROSPECTIVE = "retrospective"
RETRO_PREFIX = "retro_"

BOTH_ROLES = ("mentee", "mentor")


@dataclass(frozen=True)
class Item:
    """One question of the instrument.

    ``kind`` is ``scale`` (1 to 5), ``count`` (a whole number >= 0), ``yesno``
    or ``text``; ``stages`` and ``roles`` say who is asked it and when.
    """

    key: str
    label: str
    question: str
    kind: str
    stages: tuple[str, ...] = EVALUATION_STAGES
    roles: tuple[str, ...] = BOTH_ROLES
    benefit: bool = False
    scale: tuple[str, ...] = RATING_WORDS  # words for 1 to 5 (scale items)
    option: str = ""  # asked only when the cohort switches this option on

    def applies(self, role: str, stage: str, options: frozenset[str] = frozenset()) -> bool:
        if self.option and self.option not in options:
            return False
        roles = BOTH_ROLES if role == "both" else (role,)
        return stage in self.stages and any(r in self.roles for r in roles)

    def scale_text(self) -> str:
        """'1 = Very limited, 5 = Excellent': the two ends, as the forms and the report print them."""
        return f"{SCALE_MIN} = {self.scale[0]}, {SCALE_MAX} = {self.scale[-1]}"

    def scale_label(self, value: int) -> str:
        """'4 - Good': a rating with its word (the forms' dropdown)."""
        return f"{value} - {self.scale[value - SCALE_MIN]}"

    def rating_of_word(self, answer: object) -> int | None:
        """4 for 'Good' (or 'good.'): a rating written as its word alone, without the dropdown."""
        word = " ".join(str(answer).split()).casefold().rstrip(".!")
        found = [n for n, w in enumerate(self.scale, start=SCALE_MIN) if w.casefold() == word]
        return found[0] if len(found) == 1 else None


ITEMS: tuple[Item, ...] = (
    Item(
        "benefit_knowledge",
        "Knowledge and experience",
        "How would you rate your knowledge and experience in the field?",
        "scale",
        benefit=True,
    ),
    Item(
        "benefit_performance",
        "Performance and potential",
        "How well are you performing and realising your potential?",
        "scale",
        benefit=True,
        scale=PERFORMANCE_WORDS,
    ),
    Item(
        "benefit_problem_solving",
        "Problem-solving",
        "How would you rate your problem-solving skills?",
        "scale",
        benefit=True,
    ),
    Item(
        "benefit_confidence",
        "Confidence",
        "How confident are you in challenging situations?",
        "scale",
        benefit=True,
        scale=CONFIDENCE_WORDS,
    ),
    Item(
        "benefit_leadership",
        "Leadership skills",
        "How would you rate your leadership skills?",
        "scale",
        benefit=True,
    ),
    Item(
        "benefit_network",
        "Network and influence",
        "How strong are your professional network and influence?",
        "scale",
        benefit=True,
        scale=STRENGTH_WORDS,
    ),
    Item(
        "satisfaction",
        "Overall satisfaction",
        "Overall, how satisfied are you with the mentoring scheme?",
        "scale",
        stages=("six_month",),
        scale=SATISFACTION_WORDS,
    ),
    Item(
        "meetings",
        "Meetings held",
        "How many times did you meet your mentoring partner?",
        "count",
        stages=("six_month",),
    ),
    Item(
        "would_recommend",
        "Would recommend",
        "Would you recommend the scheme to a colleague?",
        "yesno",
        stages=("six_month",),
    ),
    Item(
        "mentor_learning_rating",
        "Mentor's own learning",
        "Mentors: how much have you learned yourself from mentoring?",
        "scale",
        stages=("six_month",),
        roles=("mentor",),
        scale=LEARNING_WORDS,
    ),
    Item(
        "went_well",
        "What went well",
        "What went well?",
        "text",
        stages=("six_month",),
    ),
    Item(
        "could_be_better",
        "What could be better",
        "What could be better?",
        "text",
        stages=("six_month",),
    ),
    Item(
        "mentor_learning",
        "What mentors learned",
        "Mentors: what did you learn yourself?",
        "text",
        stages=("six_month",),
        roles=("mentor",),
    ),
)
BENEFITS: tuple[Item, ...] = tuple(i for i in ITEMS if i.benefit)


def _retrospective(item: Item) -> Item:
    """'Looking back, where were you before the scheme?': asked at six months, beside the baseline."""
    question = item.question[:1].lower() + item.question[1:]
    return Item(
        RETRO_PREFIX + item.key,
        f"{item.label}: looking back",
        f"Looking back, before the scheme started: {question.rstrip('?')}, as you now see it?",
        "scale",
        stages=("six_month",),
        scale=item.scale,
        option=RETROSPECTIVE,
    )


# The retrospective questions come right before the six-month ratings they sit beside.
ITEMS = tuple(_retrospective(i) for i in BENEFITS) + ITEMS
ITEMS_BY_KEY = {item.key: item for item in ITEMS}
RETRO_OF = {RETRO_PREFIX + b.key: b.key for b in BENEFITS}
TEXT_ITEMS: tuple[Item, ...] = tuple(i for i in ITEMS if i.kind == "text")


def parse_stage(value: str) -> str:
    """``baseline`` or ``six_month`` from any accepted spelling; UserError otherwise."""
    stage = STAGE_ALIASES.get(value.strip().lower())
    if stage is None:
        raise UserError(f"'{value}' is not an evaluation stage (baseline or six-month).")
    return stage


def items_for(role: str, stage: str, options: frozenset[str] = frozenset()) -> list[Item]:
    """The questions a participant in ``role`` is asked at ``stage``, in form order."""
    return [item for item in ITEMS if item.applies(role, stage, options)]


def cohort_options(settings: dict[str, Any] | None) -> frozenset[str]:
    """The optional questions a cohort has switched on."""
    return frozenset({RETROSPECTIVE} if (settings or {}).get("retrospective_pre") else ())


def clean_answer(item: Item, value: Any) -> tuple[Any, str | None]:
    """The stored form of one answer, or an error sentence. None/blank means not answered."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if item.kind == "scale":
        n = whole(value, out_of=SCALE_MAX)
        n = item.rating_of_word(value) if n is None else n
        if n is None or not SCALE_MIN <= n <= SCALE_MAX:
            return None, f"'{value}' is not a rating from {SCALE_MIN} to {SCALE_MAX}."
        return n, None
    if item.kind == "count":
        n = whole(value)
        if n is None or n < 0:
            return None, f"'{value}' is not a number of meetings (a whole number, 0 or more)."
        if n > MAX_MEETINGS:
            return None, f"{n} meetings is more than {MAX_MEETINGS}; please check the number."
        return n, None
    if item.kind == "yesno":
        flag = yes_no(value)
        if flag is None:
            return None, f"'{value}' is not yes or no."
        return flag, None
    text = str(value).strip()
    if len(text) > MAX_TEXT:
        return None, f"The answer is longer than {MAX_TEXT} characters."
    return text, None


@dataclass
class ResponseData:
    """One participant's response at one stage, as plain values (what forms edit)."""

    participant_id: int
    stage: str
    answers: dict[str, Any] = field(default_factory=dict)
    submitted_on: dt.date | None = None
    role: str = ""

    def answered(self) -> int:
        return sum(1 for v in self.answers.values() if v is not None and v != "")


def validate_response(
    data: ResponseData, role: str, options: frozenset[str] = frozenset()
) -> tuple[dict[str, Any], list[FieldError]]:
    """Clean every answer; return the stored values and one error per bad field."""
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}
    if data.stage not in EVALUATION_STAGES:
        errors.append(FieldError("stage", f"'{data.stage}' is not an evaluation stage."))
        return clean, errors
    allowed = {i.key for i in items_for(role, data.stage, options)}
    for key, value in data.answers.items():
        item = ITEMS_BY_KEY.get(key)
        if item is None:
            errors.append(FieldError(key, f"'{key}' is not a question of the evaluation."))
            continue
        stored, problem = clean_answer(item, value)
        if problem:
            errors.append(FieldError(key, f"{item.label}: {problem}"))
        elif stored is not None:
            if key not in allowed:
                errors.append(FieldError(key, f"{item.label} is not asked of a {role} at this stage."))
            else:
                clean[key] = stored
    if not errors and not clean:
        errors.append(FieldError("answers", "The response has no answers; delete it instead."))
    return clean, errors


def _answer_row(key: str, value: Any) -> EvaluationAnswer:
    item = ITEMS_BY_KEY[key]
    if item.kind == "text":
        return EvaluationAnswer(item_key=key, value_text=str(value))
    return EvaluationAnswer(item_key=key, value_int=int(value))


def answer_value(item_key: str, value_int: int | None, value_text: str | None) -> Any:
    """The plain value of a stored answer (bool for yes/no)."""
    item = ITEMS_BY_KEY.get(item_key)
    if item is not None and item.kind == "yesno" and value_int is not None:
        return bool(value_int)
    return value_text if value_text is not None else value_int


def _find(session: Session, participant_id: int, stage: str) -> EvaluationResponse | None:
    return session.scalar(
        select(EvaluationResponse)
        .options(selectinload(EvaluationResponse.answers))
        .where(EvaluationResponse.participant_id == participant_id, EvaluationResponse.stage == stage)
    )


def get_response(session: Session, participant_id: int, stage: str) -> ResponseData | None:
    row = _find(session, participant_id, stage)
    if row is None:
        return None
    return ResponseData(
        participant_id=row.participant_id,
        stage=row.stage,
        role=row.role,
        submitted_on=row.submitted_on,
        answers={a.item_key: answer_value(a.item_key, a.value_int, a.value_text) for a in row.answers},
    )


def save_response(session: Session, data: ResponseData, *, record: bool = True) -> tuple[EvaluationResponse, bool]:
    """Create or replace a participant's response at a stage; returns (row, created).

    The caller's transaction is the unit of work: answers are replaced as a
    whole, so a response never mixes an old and a new form. ``record=False``
    is for bulk imports, which write one audit event for the whole file.
    """
    person = session.get(Participant, data.participant_id)
    if person is None:
        raise ConflictError("This participant no longer exists; reload the list.")
    cohort = session.get(Cohort, person.cohort_id)
    clean, errors = validate_response(data, person.role, cohort_options(cohort.settings if cohort else None))
    if errors:
        raise UserError(errors[0].message)
    problem = date_problem(data.submitted_on, cohort) if cohort is not None else None
    if problem:
        raise UserError(f"Date answered: {problem}")
    row = _find(session, data.participant_id, data.stage)
    created = row is None
    if row is None:
        row = EvaluationResponse(cohort_id=person.cohort_id, participant_id=person.id, stage=data.stage)
        session.add(row)
    else:
        row.answers.clear()
        session.flush()
    row.role = person.role
    row.submitted_on = data.submitted_on or row.submitted_on or dt.date.today()
    # Saved now, even when only answers changed: an older form must see these answers as newer.
    row.updated_at = utcnow()
    row.answers.extend(_answer_row(k, v) for k, v in clean.items())
    session.flush()
    if not record:
        return row, created
    audit.record(
        session,
        "evaluation saved" if created else "evaluation edited",
        f"{STAGE_LABELS[data.stage]} evaluation of {person.full_name} (#{person.id}) "
        + ("entered" if created else "edited"),
        cohort_id=person.cohort_id,
        entity_type="evaluation_response",
        entity_id=row.id,
    )
    return row, created


@dataclass
class ResponseSnapshot:
    """A response exactly as stored (same ids), so that undo can put it back."""

    response: dict[str, Any]
    answers: list[dict[str, Any]]


def _row(obj: Any) -> dict[str, Any]:
    return {c.key: getattr(obj, c.key) for c in inspect(obj).mapper.column_attrs}


def snapshot(session: Session, participant_id: int, stage: str) -> ResponseSnapshot | None:
    row = _find(session, participant_id, stage)
    if row is None:
        return None
    return ResponseSnapshot(_row(row), [_row(a) for a in row.answers])


def restore(session: Session, participant_id: int, stage: str, snap: ResponseSnapshot | None) -> None:
    """Make the stored response equal ``snap`` (None: no response). Undo uses this."""
    current = _find(session, participant_id, stage)
    if current is not None:
        session.delete(current)
        session.flush()
    if snap is not None:
        session.add(EvaluationResponse(**snap.response))
        session.flush()
        for answer in snap.answers:
            session.add(EvaluationAnswer(**answer))
        session.flush()
        fix_sequences(session, [EvaluationResponse, EvaluationAnswer])
    person = session.get(Participant, participant_id)
    audit.record(
        session,
        "evaluation restored",
        f"{STAGE_LABELS.get(stage, stage)} evaluation of #{participant_id} "
        + ("restored" if snap is not None else "removed"),
        cohort_id=person.cohort_id if person else None,
        entity_type="evaluation_response",
        entity_id=snap.response["id"] if snap else None,
    )


def delete_response(session: Session, participant_id: int, stage: str) -> ResponseSnapshot:
    """Delete a response; returns the snapshot that :func:`restore` puts back."""
    row = _find(session, participant_id, stage)
    if row is None:
        raise ConflictError("This response was already deleted; reload the list.")
    snap = ResponseSnapshot(_row(row), [_row(a) for a in row.answers])
    cohort_id, response_id = row.cohort_id, row.id
    session.delete(row)
    session.flush()
    audit.record(
        session,
        "evaluation deleted",
        f"{STAGE_LABELS[stage]} evaluation of #{participant_id} deleted",
        cohort_id=cohort_id,
        entity_type="evaluation_response",
        entity_id=response_id,
    )
    return snap


def responded(session: Session, cohort_id: int) -> dict[tuple[int, str], dt.date | None]:
    """(participant id, stage) -> submitted date, for every response in a cohort."""
    rows = session.execute(
        select(EvaluationResponse.participant_id, EvaluationResponse.stage, EvaluationResponse.submitted_on).where(
            EvaluationResponse.cohort_id == cohort_id
        )
    )
    return {(pid, stage): day for pid, stage, day in rows}


def set_retrospective_pre(session: Session, cohort_id: int, on: bool) -> None:
    """Switch the retrospective-pre questions of a cohort on or off (answers already given stay); logged."""
    from mentorapp.people.cohorts import update_settings

    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    update_settings(session, cohort_id, retrospective_pre=bool(on))
    audit.record(
        session,
        "evaluation options changed",
        f"Retrospective 'looking back' questions of '{cohort.name}' switched {'on' if on else 'off'}",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )
