"""Letter templates: the placeholders, the template a coordinator edits, and filling it in.

The body comes from a template the coordinator edits (plain text, a blank line
between paragraphs, placeholders such as ``{mentor_full_name}``); it is kept
in ``Cohort.settings["letter_template"]`` with a default bundled in
``resources/letter_templates/default.json``. A placeholder that does not
exist is an error that lists the known ones, found before anything is printed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.outputs.bundled import default_letter_template_text
from mentorapp.outputs.pdf_fonts import markup
from mentorapp.people.cohorts import update_settings
from mentorapp.store import audit
from mentorapp.store.models import Cohort

PERSON_FIELDS = {
    "full_name": "name with title, e.g. Dr Amina Khan",
    "first_name": "first name",
    "last_name": "last name",
    "title": "title (Dr, Ms ...)",
    "job_title": "job title",
    "organisation": "organisation",
    "email": "email address",
    "phone": "telephone number",
    "career_stage": "career stage",
    "region": "region",
}

PLACEHOLDERS: dict[str, str] = {
    "recipient_full_name": "the person the letter is addressed to",
    "recipient_first_name": "the recipient's first name",
    "other_full_name": "the other person in the match",
    "other_first_name": "the other person's first name",
    "other_job_title": "the other person's job title",
    "other_organisation": "the other person's organisation",
    "other_email": "the other person's email address",
    "other_phone": "the other person's telephone number",
    **{f"mentee_{k}": f"mentee's {v}" for k, v in PERSON_FIELDS.items()},
    "mentee_name_and_post": "mentee's name with job title and organisation, as far as known",
    "mentee_contact_details": "mentee's email address, and telephone number when given",
    "mentee_goals": "mentee's goals, one per line",
    "mentee_short_term_goal": "mentee's short-term goal",
    "mentee_medium_term_goal": "mentee's medium-term goal",
    "mentee_long_term_goal": "mentee's long-term goal",
    "mentee_focus_areas": "focus areas of the mentee's goals",
    **{f"mentor_{k}": f"mentor's {v}" for k, v in PERSON_FIELDS.items()},
    "mentor_name_and_post": "mentor's name with job title and organisation, as far as known",
    "mentor_contact_details": "mentor's email address, and telephone number when given",
    "mentor_experience": "mentor's experience, as they described it",
    "mentor_expertise": "mentor's focus areas with years",
    "mentor_availability": "when the mentor can meet",
    "cohort_name": "name of the cohort",
    "start_date": "start date of the cohort",
    "evaluation_date": "evaluation date of the cohort",
    "first_meeting_deadline": "date by which the pair should first meet",
    "letter_date": "date printed on the letter",
    "coordinator_name": "coordinator's name (letterhead settings)",
    "society_name": "society's name (letterhead settings)",
}

# {name}; {{ and }} print a literal brace. Anything else in braces is checked too.
TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}")


class TemplateError(UserError):
    """A template names placeholders that do not exist."""

    def __init__(self, unknown: Sequence[str], where: str = "") -> None:
        self.unknown = list(unknown)
        names = ", ".join("{" + u + "}" for u in self.unknown)
        place = f" in the {where}" if where else ""
        super().__init__(
            f"Unknown placeholder{'s' if len(self.unknown) > 1 else ''} {names}{place}; "
            f"the placeholders are: {', '.join('{' + p + '}' for p in PLACEHOLDERS)}."
        )


def unknown_placeholders(text: str) -> list[str]:
    """Names in braces that are not placeholders, each once, in order."""
    seen: dict[str, None] = {}
    for m in TOKEN.finditer(text):
        name = m.group(1)
        if name is not None and name.strip() not in PLACEHOLDERS:
            seen.setdefault(name, None)
    return list(seen)


@dataclass
class LetterTemplate:
    """Subject and body for each side of a match."""

    mentee_subject: str
    mentee_body: str
    mentor_subject: str
    mentor_body: str

    def subject(self, side: str) -> str:
        return self.mentee_subject if side == "mentee" else self.mentor_subject

    def body(self, side: str) -> str:
        return self.mentee_body if side == "mentee" else self.mentor_body

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], fallback: LetterTemplate | None = None) -> LetterTemplate:
        base = fallback.to_dict() if fallback else {}
        values = {f.name: str(data.get(f.name, base.get(f.name, ""))) for f in fields(cls)}
        return cls(**values)

    def validate(self) -> None:
        """Raise TemplateError naming the first part with an unknown placeholder."""
        labels = {
            "mentee_subject": "mentee letter's subject",
            "mentee_body": "mentee letter",
            "mentor_subject": "mentor letter's subject",
            "mentor_body": "mentor letter",
        }
        for name, label in labels.items():
            unknown = unknown_placeholders(getattr(self, name))
            if unknown:
                raise TemplateError(unknown, label)


def default_template() -> LetterTemplate:
    return LetterTemplate.from_dict(json.loads(default_letter_template_text()))


def load_template(session: Session, cohort_id: int) -> LetterTemplate:
    """The cohort's template, with the default for any part it has not set."""
    cohort = letter_cohort(session, cohort_id)
    stored = (cohort.settings or {}).get("letter_template") or {}
    return LetterTemplate.from_dict(stored, default_template())


def save_template(session: Session, cohort_id: int, template: LetterTemplate) -> None:
    """Validate and store the cohort's template (an unknown placeholder is refused)."""
    template.validate()
    cohort = letter_cohort(session, cohort_id)
    update_settings(session, cohort_id, letter_template=template.to_dict())
    audit.record(
        session,
        "letter template saved",
        f"Letter template of '{cohort.name}' saved",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )


def template_value(session: Session, cohort_id: int) -> dict[str, Any] | None:
    """The cohort's stored template as saved (None: the default), for undo."""
    stored = (letter_cohort(session, cohort_id).settings or {}).get("letter_template")
    return dict(stored) if isinstance(stored, dict) else None


def restore_template(session: Session, cohort_id: int, value: dict[str, Any] | None) -> None:
    """Put back a value ``template_value`` returned (undo of ``save_template``)."""
    cohort = letter_cohort(session, cohort_id)
    settings = dict(cohort.settings or {})
    if value is None:
        settings.pop("letter_template", None)
    else:
        settings["letter_template"] = value
    cohort.settings = settings
    session.flush()
    audit.record(
        session,
        "letter template saved",
        f"Letter template of '{cohort.name}' restored",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )


def letter_cohort(session: Session, cohort_id: int) -> Cohort:
    """The cohort, or a UserError when it no longer exists."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    return cohort


def fill(text: str, values: dict[str, str | list[str]]) -> str:
    """Paragraph markup: template text and values escaped, placeholders filled in."""
    out: list[str] = []
    pos = 0
    for m in TOKEN.finditer(text):
        out.append(markup(text[pos : m.start()]))
        token = m.group(0)
        if token in ("{{", "}}"):
            out.append(token[0])
        else:
            name = m.group(1).strip()
            if name not in values:
                raise TemplateError([name])
            value = values[name]
            out.append(markup("; ".join(value) if isinstance(value, list) else value))
        pos = m.end()
    out.append(markup(text[pos:]))
    return "".join(out)


def fill_plain(text: str, values: dict[str, str | list[str]]) -> str:
    """The filled-in text without markup (for previews in plain text and tests)."""

    def sub(m: re.Match[str]) -> str:
        if m.group(0) in ("{{", "}}"):
            return m.group(0)[0]
        value = values.get(m.group(1).strip(), m.group(0))
        return "; ".join(value) if isinstance(value, list) else value

    return TOKEN.sub(sub, text)
