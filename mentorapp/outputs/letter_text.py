"""What a letter says: the people and the match it is about, the value of every placeholder, and
the template filled in for one side of one match (a ``Letter``, ready to lay out)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from mentorapp.dates import long_date
from mentorapp.outputs.letter_template import PERSON_FIELDS, TOKEN, LetterTemplate, fill, letter_cohort
from mentorapp.outputs.letterhead import Letterhead
from mentorapp.outputs.pdf_fonts import markup
from mentorapp.people.vocabulary import HORIZON_HINTS, HORIZON_LABELS
from mentorapp.store.models import Participant
from mentorapp.words import listing


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
    started_on: dt.date | None = None


@dataclass
class CohortInfo:
    id: int
    name: str
    start_date: dt.date
    evaluation_date: dt.date

    @classmethod
    def load(cls, session: Session, cohort_id: int) -> CohortInfo:
        c = letter_cohort(session, cohort_id)
        return cls(c.id, c.name, c.start_date, c.evaluation_date)


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
        only = TOKEN.fullmatch(block.strip())
        if only and only.group(1) and isinstance(values.get(only.group(1).strip()), list):
            paragraphs.append([markup(v) for v in values[only.group(1).strip()]])
        else:
            paragraphs.append(fill(block.strip(), values))
    recipient = match.mentee if side == "mentee" else match.mentor
    return Letter(match.id, side, recipient, fill(template.subject(side), values), paragraphs)


def _article(words: str) -> str:
    return "an" if words[:1].casefold() in "aeiou" else "a"


def _areas(areas: list[str]) -> list[str]:
    return list(dict.fromkeys(a.strip() for a in areas if a.strip()))


def goal_text(text: str, areas: list[str]) -> str:
    """A goal as written, or, with no text, in words from its focus areas ("" when neither is known)."""
    if text.strip():
        return text.strip()
    named = _areas(areas)
    return f"To develop in {listing(named)}" if named else ""


def _goal_lines(person: Person) -> list[str]:
    order = {h: i for i, h in enumerate(HORIZON_LABELS)}
    lines = []
    for horizon, text, areas in sorted(person.goals, key=lambda g: order.get(g[0], 9)):
        said = goal_text(text, areas)
        if said:
            hint = HORIZON_HINTS.get(horizon, "")
            label = HORIZON_LABELS.get(horizon, horizon)
            lines.append(f"{label} ({hint}): {said}" if hint else f"{label}: {said}")
    return lines or ["Goals to be agreed together at the first meeting."]


def describe_mentor(person: Person) -> str:
    """The mentor's own description, or one written from what is known about them.

    "Dr Priya Nair is a Consultant occupational physician at Northgate NHS Trust,
    with 12 years in Leadership and 8 in Workplace mental health."
    """
    if person.experience.strip():
        return person.experience.strip()
    name = person.full_name
    job, org, stage = person.job_title.strip(), person.organisation.strip(), person.career_stage.strip()
    if job:
        who = f"{name} is {_article(job)} {job}" + (f" at {org}" if org else "")
    elif org:
        who = f"{name} works at {org}" + (f" ({stage})" if stage else "")
    elif stage:
        who = f"{name} is at the '{stage}' stage of their career"
    else:
        who = name
    with_years = sorted(((a.strip(), y) for a, y in person.expertise if a.strip() and y > 0), key=lambda t: -t[1])
    without = [a for a in _areas([a for a, y in person.expertise if y <= 0]) if a not in dict(with_years)]
    parts = []
    if with_years:
        first_area, first_years = with_years[0]
        spans = [f"{first_years} year{'s' if first_years != 1 else ''} in {first_area}"]
        spans += [f"{y} in {a}" for a, y in with_years[1:]]
        parts.append(listing(spans))
    if without:
        parts.append(f"experience in {listing(without)}")
    if parts:
        joiner = ", with " if who != name else " brings "
        return f"{who}{joiner}{' and '.join(parts)}."
    if who != name:
        return f"{who}."
    return f"{name} will tell you about their experience at your first meeting."


def name_and_post(person: Person) -> str:
    """'Dr Priya Nair, Consultant at Northgate NHS Trust', with only the parts that are known."""
    job, org = person.job_title.strip(), person.organisation.strip()
    post = f"{job} at {org}" if job and org else job or (f"of {org}" if org else "")
    return f"{person.full_name}, {post}" if post else person.full_name


def contact_details(person: Person) -> str:
    """'priya@example.org or 01632 960001': the telephone only when one was given."""
    email, phone = person.email.strip(), person.phone.strip()
    return f"{email} or {phone}" if email and phone else email or phone


def first_meeting_deadline(
    match: LetterMatch, cohort: CohortInfo, letterhead: Letterhead, letter_date: dt.date
) -> dt.date:
    """The day by which the pair should first meet: the letterhead's number of days after the pair's start.

    A pair that has started counts from the day it started; one that has not, from the day its letter
    went out (the day recorded, else the day of this letter), never before the cohort starts. Counting
    from the day of printing alone put "before 24 December 2026" into a letter of a scheme whose
    evaluation was on 1 March 2022.
    """
    start = match.started_on or max(match.letter_sent_on or letter_date, cohort.start_date)
    return start + dt.timedelta(days=letterhead.first_meeting_days)


def placeholder_values(
    match: LetterMatch, side: str, cohort: CohortInfo, letterhead: Letterhead, letter_date: dt.date
) -> dict[str, str | list[str]]:
    """The value of every placeholder for the letter to ``side`` of ``match``."""
    recipient, other = (match.mentee, match.mentor) if side == "mentee" else (match.mentor, match.mentee)
    deadline = first_meeting_deadline(match, cohort, letterhead, letter_date)
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
        for key in PERSON_FIELDS:
            values[f"{prefix}_{key}"] = getattr(person, key)
        values[f"{prefix}_phone"] = person.phone or "(no telephone number given)"
        values[f"{prefix}_name_and_post"] = name_and_post(person)
        values[f"{prefix}_contact_details"] = contact_details(person)
    goals = {h: goal_text(t, a) for h, t, a in match.mentee.goals}
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
            "mentor_experience": describe_mentor(match.mentor),
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
