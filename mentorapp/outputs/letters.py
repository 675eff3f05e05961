"""Match letters: one to the mentee and one to the mentor of each chosen match.

The body comes from a template the coordinator edits (plain text, a blank line
between paragraphs, placeholders such as ``{mentor_full_name}``); it is kept
in ``Cohort.settings["letter_template"]`` with a default in
``resources/letter_templates/default.json``. A placeholder that does not
exist is an error that lists the known ones, found before anything is printed.
The letterhead (society name, logo, address, coordinator) lives in the
``letterhead`` AppSetting, and a cohort may override any of it in its settings.

Letters are laid out with reportlab platypus on A4 in the bundled Unicode
fonts (:mod:`mentorapp.outputs.pdf_fonts`), so every name prints as typed, escaped.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from mentorapp.errors import UserError
from mentorapp.outputs.files import CancelFn, ExportCancelledError, Monitor, ProgressFn, atomic_path, safe_filename
from mentorapp.outputs.pdf_fonts import BOLD, ITALIC, REGULAR, markup, register_fonts
from mentorapp.people.cohorts import update_settings
from mentorapp.people.vocabulary import HORIZON_HINTS, HORIZON_LABELS
from mentorapp.store import audit
from mentorapp.store.models import MATCH_STATUSES, AppSetting, Cohort, Match, Participant

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
DEFAULT_TEMPLATE_FILE = RESOURCES / "letter_templates" / "default.json"
DEFAULT_LOGO = RESOURCES / "letterhead" / "default_logo.png"
DEFAULT_STATUSES = ("confirmed", "active")
SIDES = ("mentee", "mentor")
LETTERHEAD_KEY = "letterhead"
ACCENT = colors.HexColor("#1F4E79")
GREY = colors.HexColor("#555555")

# ----------------------------------------------------------------------------- placeholders

_PERSON_FIELDS = {
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
    **{f"mentee_{k}": f"mentee's {v}" for k, v in _PERSON_FIELDS.items()},
    "mentee_goals": "mentee's goals, one per line",
    "mentee_short_term_goal": "mentee's short-term goal",
    "mentee_medium_term_goal": "mentee's medium-term goal",
    "mentee_long_term_goal": "mentee's long-term goal",
    "mentee_focus_areas": "focus areas of the mentee's goals",
    **{f"mentor_{k}": f"mentor's {v}" for k, v in _PERSON_FIELDS.items()},
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
_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}\n]*)\}")


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
    for m in _TOKEN.finditer(text):
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
    with open(DEFAULT_TEMPLATE_FILE, encoding="utf-8") as fh:
        return LetterTemplate.from_dict(json.load(fh))


def load_template(session: Session, cohort_id: int) -> LetterTemplate:
    """The cohort's template, with the default for any part it has not set."""
    cohort = _cohort(session, cohort_id)
    stored = (cohort.settings or {}).get("letter_template") or {}
    return LetterTemplate.from_dict(stored, default_template())


def save_template(session: Session, cohort_id: int, template: LetterTemplate) -> None:
    """Validate and store the cohort's template (an unknown placeholder is refused)."""
    template.validate()
    cohort = _cohort(session, cohort_id)
    update_settings(session, cohort_id, letter_template=template.to_dict())
    audit.record(
        session,
        "letter template saved",
        f"Letter template of '{cohort.name}' saved",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )


def _cohort(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    return cohort


# ----------------------------------------------------------------------------- letterhead


@dataclass
class Letterhead:
    """What the top and the end of every letter show."""

    society_name: str = "Mentoring Scheme"
    address: str = ""  # one or more lines
    contact: str = ""  # e.g. email and telephone of the scheme office
    logo_path: str = ""  # empty: the bundled emblem
    coordinator_name: str = "The Scheme Coordinator"
    coordinator_role: str = "Mentoring Scheme Coordinator"
    first_meeting_days: int = 21

    def logo(self) -> Path | None:
        path = Path(self.logo_path).expanduser() if self.logo_path else DEFAULT_LOGO
        return path if path.is_file() else None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Letterhead:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known and v not in (None, "")}
        if "first_meeting_days" in values:
            try:
                values["first_meeting_days"] = max(1, int(values["first_meeting_days"]))
            except (TypeError, ValueError):
                del values["first_meeting_days"]
        return cls(**values)


def load_letterhead(session: Session, cohort_id: int | None = None) -> Letterhead:
    """Defaults, then the application setting, then the cohort's own overrides."""
    data: dict[str, Any] = {}
    setting = session.get(AppSetting, LETTERHEAD_KEY)
    if setting is not None and isinstance(setting.value, dict):
        data.update(setting.value)
    if cohort_id is not None:
        cohort = session.get(Cohort, cohort_id)
        if cohort is not None and isinstance((cohort.settings or {}).get(LETTERHEAD_KEY), dict):
            data.update(cohort.settings[LETTERHEAD_KEY])
    return Letterhead.from_dict(data)


def save_letterhead(session: Session, letterhead: Letterhead) -> None:
    """Store the letterhead for every cohort (the ``letterhead`` AppSetting)."""
    if letterhead.logo_path:
        logo = Path(letterhead.logo_path).expanduser()
        if not logo.is_file():
            raise UserError(f"The logo file {logo} does not exist.")
        if logo.suffix.lower() not in (".png", ".jpg", ".jpeg", ".gif", ".bmp"):
            raise UserError("The logo must be a PNG, JPEG, GIF or BMP picture.")
    setting = session.get(AppSetting, LETTERHEAD_KEY)
    value = asdict(letterhead)
    if setting is None:
        session.add(AppSetting(key=LETTERHEAD_KEY, value=value))
    else:
        setting.value = value
    session.flush()
    audit.record(session, "letterhead saved", "Letterhead settings saved", entity_type="app_setting")


def letterhead_value(session: Session) -> dict[str, Any] | None:
    """The stored letterhead setting as saved (None: never set), for undo."""
    setting = session.get(AppSetting, LETTERHEAD_KEY)
    return dict(setting.value) if setting is not None and isinstance(setting.value, dict) else None


def restore_letterhead(session: Session, value: dict[str, Any] | None) -> None:
    """Put back a value ``letterhead_value`` returned (undo of ``save_letterhead``)."""
    setting = session.get(AppSetting, LETTERHEAD_KEY)
    if value is None:
        if setting is not None:
            session.delete(setting)
    elif setting is None:
        session.add(AppSetting(key=LETTERHEAD_KEY, value=value))
    else:
        setting.value = value
    session.flush()
    audit.record(session, "letterhead saved", "Letterhead settings restored", entity_type="app_setting")


def template_value(session: Session, cohort_id: int) -> dict[str, Any] | None:
    """The cohort's stored template as saved (None: the default), for undo."""
    stored = (_cohort(session, cohort_id).settings or {}).get("letter_template")
    return dict(stored) if isinstance(stored, dict) else None


def restore_template(session: Session, cohort_id: int, value: dict[str, Any] | None) -> None:
    """Put back a value ``template_value`` returned (undo of ``save_template``)."""
    cohort = _cohort(session, cohort_id)
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


# ----------------------------------------------------------------------------- data


@dataclass
class Person:
    """The parts of a participant a letter can print (plain values)."""

    id: int
    title: str
    first_name: str
    last_name: str
    job_title: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""
    career_stage: str = ""
    region: str = ""
    experience: str = ""
    availability: str = ""
    expertise: list[tuple[str, int]] = field(default_factory=list)
    goals: list[tuple[str, str, list[str]]] = field(default_factory=list)  # horizon, text, areas

    @property
    def full_name(self) -> str:
        return " ".join(x for x in (self.title, self.first_name, self.last_name) if x)

    @property
    def salutation(self) -> str:
        return f"{self.title} {self.last_name}" if self.title and self.last_name else self.full_name

    @classmethod
    def from_model(cls, p: Participant) -> Person:
        return cls(
            id=p.id,
            title=p.title,
            first_name=p.first_name,
            last_name=p.last_name,
            job_title=p.job_title,
            organisation=p.organisation,
            email=p.email,
            phone=p.phone,
            career_stage=p.career_stage,
            region=p.region,
            experience=p.experience,
            availability=p.availability,
            expertise=[(e.focus_area, e.years) for e in p.expertise],
            goals=[(g.horizon, g.text, list(g.focus_areas or [])) for g in p.goals],
        )


@dataclass
class LetterMatch:
    """A match as the letters page lists it."""

    id: int
    status: str
    mentee: Person
    mentor: Person
    score: float | None = None
    letter_sent_on: dt.date | None = None


@dataclass
class CohortInfo:
    id: int
    name: str
    start_date: dt.date
    evaluation_date: dt.date

    @classmethod
    def load(cls, session: Session, cohort_id: int) -> CohortInfo:
        c = _cohort(session, cohort_id)
        return cls(c.id, c.name, c.start_date, c.evaluation_date)


def list_letter_matches(
    session: Session,
    cohort_id: int,
    statuses: Sequence[str] | None = DEFAULT_STATUSES,
    match_ids: Sequence[int] | None = None,
    *,
    details: bool = True,
) -> list[LetterMatch]:
    """The matches to write letters for, by mentee name (``statuses=None``: every status).

    ``details=False`` leaves out goals, expertise and experience: one quick
    query, enough for listing thousands of matches on screen.
    """
    if statuses is not None:
        bad = [s for s in statuses if s not in MATCH_STATUSES]
        if bad:
            raise UserError(f"'{bad[0]}' is not a match status ({', '.join(MATCH_STATUSES)}).")
    if not details:
        return _list_light(session, cohort_id, statuses, match_ids)
    stmt = (
        select(Match)
        .where(Match.cohort_id == cohort_id)
        .options(
            selectinload(Match.mentee).selectinload(Participant.goals),
            selectinload(Match.mentor).selectinload(Participant.expertise),
        )
    )
    if statuses is not None:
        stmt = stmt.where(Match.status.in_(list(statuses)))
    if match_ids is not None:
        stmt = stmt.where(Match.id.in_(list(match_ids)))
    result = [
        LetterMatch(
            id=m.id,
            status=m.status,
            mentee=Person.from_model(m.mentee),
            mentor=Person.from_model(m.mentor),
            score=m.score,
            letter_sent_on=m.letter_sent_on,
        )
        for m in session.scalars(stmt)
    ]
    result.sort(key=lambda lm: (lm.mentee.last_name.casefold(), lm.mentee.first_name.casefold(), lm.id))
    return result


def _list_light(
    session: Session, cohort_id: int, statuses: Sequence[str] | None, match_ids: Sequence[int] | None
) -> list[LetterMatch]:
    mentee, mentor = aliased(Participant), aliased(Participant)
    person_cols = ("id", "title", "first_name", "last_name", "job_title", "organisation", "email", "phone")
    stmt = (
        select(
            Match.id,
            Match.status,
            Match.score,
            Match.letter_sent_on,
            *(getattr(mentee, c) for c in person_cols),
            *(getattr(mentor, c) for c in person_cols),
        )
        .join(mentee, Match.mentee_id == mentee.id)
        .join(mentor, Match.mentor_id == mentor.id)
        .where(Match.cohort_id == cohort_id)
    )
    if statuses is not None:
        stmt = stmt.where(Match.status.in_(list(statuses)))
    if match_ids is not None:
        stmt = stmt.where(Match.id.in_(list(match_ids)))
    n = len(person_cols)
    result = [
        LetterMatch(
            id=row[0],
            status=row[1],
            score=row[2],
            letter_sent_on=row[3],
            mentee=Person(*row[4 : 4 + n]),
            mentor=Person(*row[4 + n : 4 + 2 * n]),
        )
        for row in session.execute(stmt)
    ]
    result.sort(key=lambda lm: (lm.mentee.last_name.casefold(), lm.mentee.first_name.casefold(), lm.id))
    return result


def mark_letters_sent(session: Session, match_ids: Sequence[int], on: dt.date | None) -> dict[int, dt.date | None]:
    """Record the sending date on the matches; returns the previous dates (for undo)."""
    previous: dict[int, dt.date | None] = {}
    cohort_id = None
    for m in session.scalars(select(Match).where(Match.id.in_(list(match_ids)))):
        previous[m.id] = m.letter_sent_on
        m.letter_sent_on = on
        cohort_id = m.cohort_id
    if previous:
        when = on.isoformat() if on else "not sent"
        audit.record(
            session,
            "letters marked sent",
            f"Letters of {len(previous)} match(es) marked as sent: {when}",
            cohort_id=cohort_id,
            entity_type="match",
            entity_id=next(iter(previous)) if len(previous) == 1 else None,
        )
    session.flush()
    return previous


def restore_letters_sent(session: Session, previous: dict[int, dt.date | None]) -> None:
    """Put back the dates ``mark_letters_sent`` returned (undo)."""
    for m in session.scalars(select(Match).where(Match.id.in_(list(previous)))):
        m.letter_sent_on = previous[m.id]
    if previous:
        audit.record(session, "letters marked sent", f"Sent dates of {len(previous)} match(es) restored")
    session.flush()


# ----------------------------------------------------------------------------- text


def long_date(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _goal_lines(person: Person) -> list[str]:
    order = {h: i for i, h in enumerate(HORIZON_LABELS)}
    lines = []
    for horizon, text, _areas in sorted(person.goals, key=lambda g: order.get(g[0], 9)):
        if text.strip():
            hint = HORIZON_HINTS.get(horizon, "")
            label = HORIZON_LABELS.get(horizon, horizon)
            lines.append(f"{label} ({hint}): {text.strip()}" if hint else f"{label}: {text.strip()}")
    return lines or ["(no goals recorded)"]


def placeholder_values(
    match: LetterMatch, side: str, cohort: CohortInfo, letterhead: Letterhead, letter_date: dt.date
) -> dict[str, str | list[str]]:
    """The value of every placeholder for the letter to ``side`` of ``match``."""
    recipient, other = (match.mentee, match.mentor) if side == "mentee" else (match.mentor, match.mentee)
    deadline = max(letter_date, cohort.start_date) + dt.timedelta(days=letterhead.first_meeting_days)
    values: dict[str, str | list[str]] = {
        "recipient_full_name": recipient.full_name,
        "recipient_first_name": recipient.first_name,
        "other_full_name": other.full_name,
        "other_first_name": other.first_name,
        "other_job_title": other.job_title,
        "other_organisation": other.organisation,
        "other_email": other.email,
        "other_phone": other.phone or "(no telephone number given)",
    }
    for prefix, person in (("mentee", match.mentee), ("mentor", match.mentor)):
        for key in _PERSON_FIELDS:
            values[f"{prefix}_{key}"] = getattr(person, key)
        values[f"{prefix}_phone"] = person.phone or "(no telephone number given)"
    goals = {h: t for h, t, _ in match.mentee.goals}
    areas: dict[str, None] = {}
    for _h, _t, tags in match.mentee.goals:
        for a in tags:
            areas.setdefault(a, None)
    values.update(
        {
            "mentee_goals": _goal_lines(match.mentee),
            "mentee_short_term_goal": goals.get("short", ""),
            "mentee_medium_term_goal": goals.get("medium", ""),
            "mentee_long_term_goal": goals.get("long", ""),
            "mentee_focus_areas": ", ".join(areas),
            "mentor_experience": match.mentor.experience.strip() or "(not described)",
            "mentor_expertise": ", ".join(f"{a} ({y} years)" if y else a for a, y in match.mentor.expertise),
            "mentor_availability": match.mentor.availability,
            "cohort_name": cohort.name,
            "start_date": long_date(cohort.start_date),
            "evaluation_date": long_date(cohort.evaluation_date),
            "first_meeting_deadline": long_date(deadline),
            "letter_date": long_date(letter_date),
            "coordinator_name": letterhead.coordinator_name,
            "society_name": letterhead.society_name,
        }
    )
    return values


def fill(text: str, values: dict[str, str | list[str]]) -> str:
    """Paragraph markup: template text and values escaped, placeholders filled in."""
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
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

    return _TOKEN.sub(sub, text)


# ----------------------------------------------------------------------------- layout


class _Styles:
    def __init__(self) -> None:
        register_fonts()
        base = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14, spaceAfter=7, alignment=TA_LEFT)
        self.body = base
        self.society = ParagraphStyle(
            "society",
            parent=base,
            fontName=BOLD,
            fontSize=17,
            leading=21,
            textColor=ACCENT,
            alignment=TA_RIGHT,
            spaceAfter=2,
        )
        self.small_right = ParagraphStyle(
            "small_right", parent=base, fontSize=8.5, leading=11.5, textColor=GREY, alignment=TA_RIGHT, spaceAfter=0
        )
        self.address = ParagraphStyle("address", parent=base, spaceAfter=0, leading=14)
        self.date = ParagraphStyle("date", parent=base, alignment=TA_RIGHT, spaceAfter=0)
        self.subject = ParagraphStyle("subject", parent=base, fontName=BOLD, fontSize=11, spaceBefore=4, spaceAfter=10)
        self.goal = ParagraphStyle(
            "goal", parent=base, leftIndent=14, bulletIndent=2, spaceAfter=3, bulletFontName=REGULAR
        )
        self.sign = ParagraphStyle("sign", parent=base, spaceAfter=0)
        self.sign_name = ParagraphStyle("sign_name", parent=base, fontName=BOLD, spaceAfter=0)
        self.sign_role = ParagraphStyle("sign_role", parent=base, fontName=ITALIC, textColor=GREY, spaceAfter=0)


class _Logo(Flowable):
    """The letterhead logo, drawn from one shared ImageReader (embedded once in the PDF)."""

    def __init__(self, reader: ImageReader, width: float, height: float) -> None:
        super().__init__()
        self.reader, self.width, self.height = reader, width, height

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:  # reportlab's name
        return self.width, self.height

    def draw(self) -> None:
        self.canv.drawImage(self.reader, 0, 0, self.width, self.height, mask="auto")


class _Tick(Flowable):
    """A zero-size flowable that reports progress when laid out (and lets Cancel stop the build)."""

    def __init__(self, monitor: Monitor) -> None:
        super().__init__()
        self.monitor = monitor

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:  # reportlab's name
        return 0, 0

    def draw(self) -> None:
        self.monitor.step()


@dataclass
class Letter:
    """One letter, ready to lay out."""

    match_id: int
    side: str
    recipient: Person
    subject: str  # markup
    paragraphs: list[str | list[str]]  # markup; a list is a bulleted list


def compose(
    match: LetterMatch,
    side: str,
    template: LetterTemplate,
    cohort: CohortInfo,
    letterhead: Letterhead,
    letter_date: dt.date,
) -> Letter:
    """Fill the template for one side of one match."""
    values = placeholder_values(match, side, cohort, letterhead, letter_date)
    paragraphs: list[str | list[str]] = []
    for block in re.split(r"\n\s*\n", template.body(side).replace("\r\n", "\n").strip()):
        if not block.strip():
            continue
        only = _TOKEN.fullmatch(block.strip())
        if only and only.group(1) and isinstance(values.get(only.group(1).strip()), list):
            paragraphs.append([markup(v) for v in values[only.group(1).strip()]])
        else:
            paragraphs.append(fill(block.strip(), values))
    recipient = match.mentee if side == "mentee" else match.mentor
    return Letter(match.id, side, recipient, fill(template.subject(side), values), paragraphs)


class _LetterBuilder:
    """Turns letters into flowables; the logo is read once for all of them."""

    def __init__(self, letterhead: Letterhead, letter_date: dt.date) -> None:
        self.st = _Styles()
        self.lh = letterhead
        self.date = letter_date
        logo = letterhead.logo()
        self.logo: ImageReader | None = None
        self.logo_size = (0.0, 0.0)
        if logo is not None:
            try:
                self.logo = ImageReader(str(logo))
                w, h = self.logo.getSize()
                height = 22 * mm
                self.logo_size = (height * w / h, height)
            except Exception:  # a broken logo file must not stop the letters
                self.logo = None
        self.head_lines = [markup(line) for line in letterhead.address.splitlines() if line.strip()]
        if letterhead.contact.strip():
            self.head_lines += [markup(line) for line in letterhead.contact.splitlines() if line.strip()]

    def letterhead(self, width: float) -> list[Flowable]:
        st = self.st
        right: list[Flowable] = [Paragraph(markup(self.lh.society_name), st.society)]
        right += [Paragraph(line, st.small_right) for line in self.head_lines]
        if self.logo is not None:
            w, h = self.logo_size
            cells = [[_Logo(self.logo, w, h), right]]
            col = [w + 6 * mm, width - w - 6 * mm]
        else:
            cells, col = [[right]], [width]
        table = Table(cells, colWidths=col)
        table.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        return [table, Spacer(1, 3 * mm), HRFlowable(width="100%", thickness=1.2, color=ACCENT), Spacer(1, 7 * mm)]

    def letter(self, letter: Letter, width: float) -> list[Flowable]:
        st = self.st
        person = letter.recipient
        address = [person.full_name, person.job_title, person.organisation]
        address_block = [Paragraph(markup(line), st.address) for line in address if line]
        top = Table(
            [[address_block, Paragraph(long_date(self.date), st.date)]],
            colWidths=[width * 0.65, width * 0.35],
        )
        top.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ]
            )
        )
        story: list[Flowable] = [*self.letterhead(width), top, Spacer(1, 8 * mm)]
        story.append(Paragraph(markup(f"Dear {person.salutation},"), st.body))
        story.append(Paragraph(letter.subject, st.subject))
        for para in letter.paragraphs:
            if isinstance(para, list):
                story += [Paragraph(item, st.goal, bulletText="•") for item in para]
                story.append(Spacer(1, 4))
            else:
                story.append(Paragraph(para, st.body))
        story.append(
            KeepTogether(
                [
                    Spacer(1, 4),
                    Paragraph("Yours sincerely,", st.sign),
                    Spacer(1, 12 * mm),
                    Paragraph(markup(self.lh.coordinator_name), st.sign_name),
                    Paragraph(markup(self.lh.coordinator_role), st.sign_role),
                    Paragraph(markup(self.lh.society_name), st.sign_role),
                ]
            )
        )
        return story


def _footer(letterhead: Letterhead):
    parts = [letterhead.society_name, *letterhead.address.splitlines(), *letterhead.contact.splitlines()]
    text = " · ".join(x.strip() for x in [*parts, "Private and confidential"] if x.strip())

    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        width, _height = A4
        canvas.setStrokeColor(ACCENT)
        canvas.setLineWidth(0.5)
        canvas.line(doc.leftMargin, 16 * mm, width - doc.rightMargin, 16 * mm)
        canvas.setFillColor(GREY)
        size = 7.5
        while size > 5 and canvas.stringWidth(text, REGULAR, size) > doc.width:
            size -= 0.5
        canvas.setFont(REGULAR, size)
        canvas.drawCentredString(width / 2, 11.5 * mm, text)
        canvas.restoreState()

    return draw


def render_letters(
    letters: Sequence[Letter],
    target: str | os.PathLike[str] | io.BytesIO,
    letterhead: Letterhead,
    *,
    letter_date: dt.date,
    monitor: Monitor | None = None,
    title: str = "Match letters",
) -> int:
    """Lay out ``letters`` (each on a new page) into ``target``; returns the page count."""
    builder = _LetterBuilder(letterhead, letter_date)
    doc = SimpleDocTemplate(
        target if isinstance(target, io.BytesIO) else str(target),
        pagesize=A4,
        leftMargin=22 * mm,
        rightMargin=22 * mm,
        topMargin=15 * mm,
        bottomMargin=22 * mm,
        title=title,
        author=letterhead.society_name,
        creator="mentorapp",
    )
    story: list[Flowable] = []
    for i, letter in enumerate(letters):
        if i:
            story.append(PageBreak())
        story += builder.letter(letter, doc.width - 12)  # the frame's own padding
        if monitor is not None:
            story.append(_Tick(monitor))
    if not story:
        raise UserError("There are no letters to print: choose at least one match.")
    footer = _footer(letterhead)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return doc.page


@dataclass
class LettersResult:
    files: list[Path]
    letters: int
    pages: int
    match_ids: list[int]


def export_letters(
    session: Session,
    cohort_id: int,
    *,
    path: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    statuses: Sequence[str] | None = DEFAULT_STATUSES,
    match_ids: Sequence[int] | None = None,
    sides: Sequence[str] = SIDES,
    letter_date: dt.date | None = None,
    template: LetterTemplate | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> LettersResult:
    """Write the letters as one PDF (``path``) or one PDF per participant (``out_dir``).

    Nothing half-written survives a cancel or an error: each file is written
    under a temporary name and renamed; the files of a cancelled folder export
    are removed again.
    """
    if (path is None) == (out_dir is None):
        raise UserError("Give either one PDF file or a folder for the letters.")
    cohort = CohortInfo.load(session, cohort_id)
    template = template or load_template(session, cohort_id)
    template.validate()
    letterhead = load_letterhead(session, cohort_id)
    day = letter_date or dt.date.today()
    matches = list_letter_matches(session, cohort_id, statuses, match_ids)
    letters = [compose(m, side, template, cohort, letterhead, day) for m in matches for side in sides]
    if not letters:
        raise UserError("There are no matches with the chosen statuses, so there are no letters to print.")
    monitor = Monitor(len(letters), progress, cancel)
    monitor.check()
    title = f"Match letters: {cohort.name}"
    if path is not None:
        with atomic_path(path) as tmp:
            pages = render_letters(letters, tmp, letterhead, letter_date=day, monitor=monitor, title=title)
        monitor.finish()
        audit.record_export(
            session,
            f"{len(letters)} match letters of '{cohort.name}' written to {Path(path).name}",
            cohort_id=cohort_id,
        )
        return LettersResult([Path(path)], len(letters), pages, [m.id for m in matches])

    folder = Path(out_dir)  # type: ignore[arg-type]
    folder.mkdir(parents=True, exist_ok=True)
    by_person: dict[int, list[Letter]] = {}
    for letter in letters:
        by_person.setdefault(letter.recipient.id, []).append(letter)
    written: list[Path] = []
    pages = 0
    try:
        for person_letters in by_person.values():
            person = person_letters[0].recipient
            name = safe_filename(f"{person.last_name} {person.first_name} {person.id}", f"participant {person.id}")
            target = folder / f"{name}.pdf"
            with atomic_path(target) as tmp:
                pages += render_letters(person_letters, tmp, letterhead, letter_date=day, monitor=monitor, title=title)
            written.append(target)
    except ExportCancelledError:
        for f in written:
            f.unlink(missing_ok=True)
        raise
    monitor.finish()
    audit.record_export(
        session, f"{len(letters)} match letters of '{cohort.name}' written to {folder.name}", cohort_id=cohort_id
    )
    return LettersResult(written, len(letters), pages, [m.id for m in matches])


SAMPLE_MATCH = LetterMatch(
    id=0,
    status="confirmed",
    mentee=Person(
        id=-1,
        title="Dr",
        first_name="Siobhán",
        last_name="Ní Bhriain",
        job_title="Specialty registrar in occupational medicine",
        organisation="Example Health Trust",
        email="siobhan.example@example.org",
        phone="07700 900123",
        goals=[
            ("short", "Pass the membership examination", ["Specialty training and exams"]),
            ("medium", "Lead a workplace mental health service", ["Workplace mental health", "Leadership"]),
        ],
    ),
    mentor=Person(
        id=-2,
        title="Prof",
        first_name="Łukasz",
        last_name="Nowak",
        job_title="Consultant occupational physician",
        organisation="Example University",
        email="lukasz.example@example.org",
        phone="07700 900456",
        experience="Twenty years in occupational medicine, including ten leading a regional service.",
        expertise=[("Leadership", 12)],
    ),
)


def preview_pdf(
    session: Session,
    cohort_id: int,
    template: LetterTemplate,
    side: str,
    *,
    match_id: int | None = None,
    letter_date: dt.date | None = None,
) -> bytes:
    """One letter as PDF bytes for the live preview: a real match if there is one, else a sample.

    Raises TemplateError for an unknown placeholder, before any layout.
    """
    template.validate()
    cohort = CohortInfo.load(session, cohort_id)
    letterhead = load_letterhead(session, cohort_id)
    if match_id is None:  # the first confirmed or active match, else any
        for statuses in (DEFAULT_STATUSES, MATCH_STATUSES):
            match_id = session.scalar(
                select(Match.id).where(Match.cohort_id == cohort_id, Match.status.in_(statuses)).limit(1)
            )
            if match_id is not None:
                break
    found = list_letter_matches(session, cohort_id, None, [match_id]) if match_id is not None else []
    match = found[0] if found else SAMPLE_MATCH
    day = letter_date or dt.date.today()
    buffer = io.BytesIO()
    render_letters([compose(match, side, template, cohort, letterhead, day)], buffer, letterhead, letter_date=day)
    return buffer.getvalue()
