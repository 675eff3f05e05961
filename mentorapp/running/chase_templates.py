"""Chase e-mail templates: one per list (no first meeting, check-in, evaluation, at risk).

Like the letters' template (:mod:`mentorapp.outputs.letter_template`): plain text with
placeholders such as ``{recipient_first_name}``, kept per cohort in
``Cohort.settings["chase_templates"][ABOUT]``, the default below for any part not set.
:func:`save_chase_template` refuses a template naming an unknown placeholder, with its
name, before anything is stored. ``attach_form`` says whether the draft carries the
person's own form (their check-in form, or their evaluation form where one can be made).

A draft is addressed to one person and holds only what concerns them and their
partner: no placeholder gives anyone's check-in answers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.outputs.letter_template import TOKEN, fill_plain
from mentorapp.people.cohorts import update_settings
from mentorapp.store import audit
from mentorapp.store.models import CHASE_TOPICS, Cohort

SETTINGS_KEY = "chase_templates"
MAX_SUBJECT = 200
MAX_BODY = 20_000

TOPIC_LABELS = {
    "first-meeting": "No first meeting",
    "check-in": "No check-in answer",
    "evaluation": "No evaluation answer",
    "at-risk": "Pairs at risk",
}

PLACEHOLDERS: dict[str, str] = {
    "recipient_first_name": "first name of the person the e-mail is to",
    "recipient_full_name": "name with title of the person the e-mail is to",
    "recipient_role": "their side of the pair: mentee or mentor",
    "partner_first_name": "first name of their mentor or mentee",
    "partner_full_name": "name with title of their mentor or mentee",
    "partner_email": "e-mail address of their mentor or mentee",
    "cohort_name": "name of the cohort",
    "started_on": "the day their pair started",
    "first_meeting_weeks": "weeks within which pairs should first meet",
    "checkin_date": "date of the check-in they are asked to answer",
    "evaluation_date": "evaluation date of the cohort",
    "sender_name": "your name as the e-mail's sender (running settings, else the letterhead)",
    "signature": "your signature (running settings, else the letterhead)",
}

DEFAULTS: dict[str, dict[str, Any]] = {
    "first-meeting": {
        "subject": "Your first mentoring meeting",
        "body": (
            "Dear {recipient_first_name},\n\n"
            "Your mentoring pair with {partner_full_name} started on {started_on}. Pairs usually meet for the "
            "first time within {first_meeting_weeks} weeks, and I have not yet heard that you have met.\n\n"
            "Could you get in touch with {partner_first_name} ({partner_email}) to arrange a first meeting? "
            "If anything stands in the way, just reply to this e-mail and I will help.\n\n"
            "With best wishes,\n\n{signature}"
        ),
        "attach_form": False,
    },
    "check-in": {
        "subject": "A two-minute check-in on your mentoring",
        "body": (
            "Dear {recipient_first_name},\n\n"
            "It is time for the check-in of {checkin_date}: a few short questions on how your mentoring with "
            "{partner_full_name} is going. The form is attached; please fill it in and send it back to me. "
            "Your answers are seen by me only.\n\n"
            "Thank you,\n\n{signature}"
        ),
        "attach_form": True,
    },
    "evaluation": {
        "subject": "Your mentoring scheme evaluation",
        "body": (
            "Dear {recipient_first_name},\n\n"
            "The evaluation of {cohort_name} helps the society decide the future of the scheme, and your "
            "answers count. I have not yet received yours; please fill in the attached form and send it back "
            "to me.\n\n"
            "With thanks,\n\n{signature}"
        ),
        "attach_form": True,
    },
    "at-risk": {
        "subject": "How is your mentoring going?",
        "body": (
            "Dear {recipient_first_name},\n\n"
            "I am getting in touch to see how things are going with your mentoring pair with {partner_full_name}, "
            "and whether I can help in any way. Would you have ten minutes for a short call in the next "
            "week or two? Just reply with a time that suits you.\n\n"
            "With best wishes,\n\n{signature}"
        ),
        "attach_form": False,
    },
}


class ChaseTemplateError(UserError):
    """A chase template names a placeholder that does not exist."""

    def __init__(self, unknown: list[str], where: str) -> None:
        self.unknown = unknown
        names = ", ".join("{" + u + "}" for u in unknown)
        super().__init__(
            f"Unknown placeholder{'s' if len(unknown) > 1 else ''} {names} in the {where}; "
            f"the placeholders are: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}."
        )


def unknown_placeholders(text: str) -> list[str]:
    """Names in braces that are not chase placeholders, each once, in order."""
    seen: dict[str, None] = {}
    for m in TOKEN.finditer(text):
        name = m.group(1)
        if name is not None and name.strip() not in PLACEHOLDERS:
            seen.setdefault(name, None)
    return list(seen)


@dataclass
class ChaseTemplate:
    """Subject and body of one kind of chase e-mail, and whether the person's form goes with it."""

    subject: str
    body: str
    attach_form: bool = False

    def validate(self, about: str) -> None:
        """Raise ChaseTemplateError naming the first unknown placeholder; UserError for a bad length."""
        label = TOPIC_LABELS.get(about, about).lower()
        for part, text in (("subject", self.subject), ("text", self.body)):
            unknown = unknown_placeholders(text)
            if unknown:
                raise ChaseTemplateError(unknown, f"{part} of the '{label}' e-mail")
        if not self.subject.strip():
            raise UserError(f"The '{label}' e-mail needs a subject.")
        if len(self.subject) > MAX_SUBJECT or "\n" in self.subject.strip():
            raise UserError(
                f"The subject of the '{label}' e-mail must be one line of at most {MAX_SUBJECT} characters."
            )
        if len(self.body) > MAX_BODY:
            raise UserError(f"The text of the '{label}' e-mail is longer than {MAX_BODY:,} characters.")

    def fill(self, values: dict[str, str]) -> tuple[str, str]:
        """(subject, body) with the placeholders filled in, as plain text."""
        return " ".join(fill_plain(self.subject, values).split()), fill_plain(self.body, values)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_topic(about: str) -> None:
    if about not in CHASE_TOPICS:
        raise UserError(f"'{about}' is not a list to chase; use one of {', '.join(CHASE_TOPICS)}.")


def default_chase_template(about: str) -> ChaseTemplate:
    _check_topic(about)
    return ChaseTemplate(**DEFAULTS[about])


def load_chase_template(session: Session, cohort_id: int, about: str) -> ChaseTemplate:
    """The cohort's template for ``about``, the default for any part not set."""
    _check_topic(about)
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    stored = ((cohort.settings or {}).get(SETTINGS_KEY) or {}).get(about) or {}
    data = {**DEFAULTS[about], **{k: v for k, v in stored.items() if k in DEFAULTS[about]}}
    return ChaseTemplate(str(data["subject"]), str(data["body"]), bool(data["attach_form"]))


def save_chase_template(session: Session, cohort_id: int, about: str, template: ChaseTemplate) -> None:
    """Check and store the cohort's template for ``about``: an unknown placeholder is refused with its name."""
    _check_topic(about)
    template.validate(about)
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    stored = dict((cohort.settings or {}).get(SETTINGS_KEY) or {})
    stored[about] = template.to_dict()
    update_settings(session, cohort_id, **{SETTINGS_KEY: stored})
    audit.record(
        session,
        "chase template saved",
        f"The '{TOPIC_LABELS[about]}' e-mail template of '{cohort.name}' saved",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )


__all__ = [
    "DEFAULTS",
    "PLACEHOLDERS",
    "TOPIC_LABELS",
    "ChaseTemplate",
    "ChaseTemplateError",
    "default_chase_template",
    "load_chase_template",
    "save_chase_template",
    "unknown_placeholders",
]
