"""The demo's second year: the application form of the year after a demo cohort, as a CSV.

Another online form, worded its own way, filled in by new applicants and by
people of the earlier cohort who come back: mentors again (some at a new
organisation or in a new post), a former mentee now offering to mentor, a
mentee applying again with new goals, and one whose email is known but whose
name is spelled differently (a question for the coordinator, never a silent
merge). Importing it into a cohort made with ``cohorts create NAME --from
EARLIER`` shows returning people as a coordinator meets them.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from mentorapp.demo.cohort import (
    AVAILABILITY,
    EXPERIENCE_TEXT,
    FIRST_NAMES,
    GOAL_TEXT,
    LAST_NAMES,
    MENTEE_JOBS,
    MENTOR_JOBS,
    ORGANISATIONS,
    _email,
    _title,
)
from mentorapp.errors import UserError
from mentorapp.outputs.files import atomic_path
from mentorapp.store.models import Cohort, Participant

HEADERS = (
    "Submission Date",
    "Society membership number",
    "Title",
    "First Name",
    "Last Name",
    "Email Address",
    "Phone Number",
    "Employer",
    "Job title",
    "Career stage",
    "Region",
    "Are you applying to be a mentor or a mentee?",
    "Preferred way of meeting",
    "Topics you would like help with",
    "Topics you can offer as a mentor",
    "Goal for the next 6-12 months",
    "Medium-term goal (1-2 years)",
    "Goal for 3-5 years from now",
    "Your experience in brief (mentors)",
    "How many mentees could you take on?",
    "Availability (when are you usually free?)",
    "I agree to the society keeping my answers for the scheme",
)
ROLE_WORDS = {"mentee": "Mentee - I would like a mentor", "mentor": "Mentor - I would like to mentor someone"}
MEETING_WORDS = {"online": "Video call", "in person": "Face to face", "either": "No preference"}


@dataclass(frozen=True)
class NextYearForm:
    """What was written: the file, and how many of each kind of applicant it holds."""

    path: Path
    returning: int
    new: int
    spelled_differently_row: int  # the file's row number (the header is row 1)


@dataclass
class _Applicant:
    title: str
    first: str
    last: str
    email: str
    phone: str
    organisation: str
    job: str
    stage: str
    region: str
    number: str
    role: str
    meeting: str
    areas: list[str]
    goals: tuple[str, str, str]
    experience: str
    capacity: int
    availability: str


def _plain(text: str) -> str:
    """The name as typed on a keyboard without accents (Siobhán -> Siobhan)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.replace("Ł", "L")) if not unicodedata.combining(c))


def write_next_year_form(session: Session, cohort_id: int, path: Path | str, *, seed: int = 2022) -> NextYearForm:
    """Write the next year's applications for the cohort ``cohort_id`` (returning people and new ones) to ``path``."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    target = Path(path).expanduser()
    rng = random.Random(seed)
    members = list(
        session.scalars(
            select(Participant)
            .where(Participant.cohort_id == cohort_id)
            .options(selectinload(Participant.goals), selectinload(Participant.expertise))
            .order_by(Participant.id)
        )
    )
    mentors = [p for p in members if p.is_mentor]
    mentees = [p for p in members if p.is_mentee and not p.is_mentor]
    if len(mentors) < 4 or len(mentees) < 6:
        raise UserError(f"'{cohort.name}' is too small for a second year (4 mentors and 6 mentees at least).")
    areas = list(cohort.focus_areas or GOAL_TEXT)
    applicants: list[_Applicant] = []
    # Mentors come back: two at a new organisation, one in a new post.
    for k, p in enumerate(mentors[: max(4, len(mentors) // 2)]):
        a = _from_member(p, rng, areas)
        if k in (0, 1):
            a.organisation = next(o for o in rng.sample(ORGANISATIONS, 5) if o != p.organisation)
        if k == 2:
            a.job, a.stage = next((j, s) for j, s in MENTOR_JOBS if j != p.job_title and s == "Senior leader")
        applicants.append(a)
    # A former mentee now offers to mentor.
    grown = _from_member(mentees[0], rng, areas)
    grown.role, grown.job, grown.stage, grown.capacity = "mentor", "Consultant occupational physician", "", 1
    grown.stage = "Consultant or senior practitioner"
    grown.goals = ("", "", "")
    grown.experience = "Two years since my training. I have " + EXPERIENCE_TEXT[grown.areas[0]] + "."
    grown.availability = rng.choice(AVAILABILITY)
    applicants.append(grown)
    # Mentees apply again: one at a new organisation, one with a new phone.
    again = _from_member(mentees[1], rng, areas)
    again.organisation = next(o for o in ORGANISATIONS if o != mentees[1].organisation)
    applicants.append(again)
    moved = _from_member(mentees[2], rng, areas)
    moved.phone = f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}"
    applicants.append(moved)
    # One known email under a name spelled another way.
    odd = next((p for p in mentees[3:] if _plain(p.first_name) != p.first_name), mentees[3])
    spelled = _from_member(odd, rng, areas)
    spelled.first = (
        _plain(odd.first_name) if _plain(odd.first_name) != odd.first_name else odd.first_name + odd.first_name[-1]
    )
    applicants.append(spelled)
    returning = len(applicants)
    spelled_row = returning + 1  # rows are numbered from the header's row 1
    # New applicants.
    new_mentees, new_mentors = max(8, len(mentees) // 2), max(3, len(mentors) // 4)
    for i in range(new_mentees + new_mentors):
        is_mentor = i >= new_mentees
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        job, stage = rng.choice(MENTOR_JOBS if is_mentor else MENTEE_JOBS)
        chosen = rng.sample(areas, 3)
        applicants.append(
            _Applicant(
                title=_title(job),
                first=first,
                last=last,
                email=_email(first, last, 5000 + i).replace("example.org", "example.net"),
                phone=f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
                organisation=rng.choice(ORGANISATIONS),
                job=job,
                stage=stage,
                region=rng.choice(cohort.regions) if cohort.regions else "",
                number=f"SOM{rng.randint(100000, 999999)}",
                role="mentor" if is_mentor else "mentee",
                meeting=rng.choice(("either", "online", "in person")),
                areas=chosen,
                goals=("", "", "") if is_mentor else _goals(chosen, areas),
                experience=(
                    f"{rng.randint(8, 25)} years in occupational health. I have " + EXPERIENCE_TEXT[chosen[0]] + "."
                    if is_mentor and chosen[0] in EXPERIENCE_TEXT
                    else ""
                ),
                capacity=rng.choice((1, 2)) if is_mentor else 0,
                availability=rng.choice(AVAILABILITY) if is_mentor else "",
            )
        )
    start = dt.datetime.combine(cohort.start_date.replace(year=cohort.start_date.year + 1), dt.time(9)) - dt.timedelta(
        days=60
    )
    with atomic_path(target) as tmp, tmp.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(HEADERS)
        for k, a in enumerate(applicants):
            when = start + dt.timedelta(hours=7 * k, minutes=rng.randint(0, 59))
            out.writerow(
                [
                    when.strftime("%d/%m/%Y %H:%M"),
                    a.number,
                    a.title,
                    a.first,
                    a.last,
                    a.email,
                    a.phone,
                    a.organisation,
                    a.job,
                    a.stage,
                    a.region,
                    ROLE_WORDS[a.role],
                    MEETING_WORDS.get(a.meeting, "No preference"),
                    "; ".join(a.areas) if a.role == "mentee" else "",
                    "; ".join(a.areas) if a.role == "mentor" else "",
                    *a.goals,
                    a.experience,
                    str(a.capacity) if a.role == "mentor" else "",
                    a.availability,
                    "I agree",
                ]
            )
    return NextYearForm(target, returning, len(applicants) - returning, spelled_row)


def _goals(chosen: list[str], areas: list[str]) -> tuple[str, str, str]:
    texts = GOAL_TEXT.get(chosen[0]) or next(iter(GOAL_TEXT.values()))
    return texts[0], texts[1], texts[2]


def _from_member(p: Participant, rng: random.Random, areas: list[str]) -> _Applicant:
    """The earlier participant applying again, with this year's goals."""
    if p.is_mentor:
        chosen = [e.focus_area for e in p.expertise] or rng.sample(areas, 2)
    else:
        chosen = [a for g in p.goals for a in g.focus_areas][:3] or rng.sample(areas, 2)
        chosen = list(dict.fromkeys(chosen))
    known = [a for a in chosen if a in GOAL_TEXT]
    goals = ("", "", "")
    if p.is_mentee:
        texts = GOAL_TEXT[known[0]] if known else next(iter(GOAL_TEXT.values()))
        goals = (texts[1], texts[2], "Lead and teach others in the field")
    return _Applicant(
        title=p.title,
        first=p.first_name,
        last=p.last_name,
        email=p.email,
        phone=p.phone,
        organisation=p.organisation,
        job=p.job_title,
        stage=p.career_stage,
        region=p.region,
        number=p.membership_number,
        role=p.role,
        meeting=p.meeting_preference,
        areas=chosen,
        goals=goals,
        experience=p.experience,
        capacity=max(p.capacity, 1) if p.is_mentor else 0,
        availability=p.availability,
    )
