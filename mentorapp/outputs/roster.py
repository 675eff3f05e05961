"""The cohort roster as plain sheets: what a coordinator opens when the scheme is running.

``collect_roster`` reads a cohort into plain sheets (rows of values with a
kind per column): Summary, Mentees, Mentors, Matches and Unmatched.
:mod:`mentorapp.outputs.roster_files` writes them as an Excel workbook that looks finished
when opened, or any one sheet as CSV.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.people.participants import expertise_label
from mentorapp.people.vocabulary import HORIZON_LABELS, MATCH_STATUS_LABELS, ROLE_LABELS
from mentorapp.store.models import (
    HORIZONS,
    MATCH_STATUSES,
    PERSON_FIELDS,
    PLACE_STATUSES,
    Cohort,
    Expertise,
    Goal,
    Match,
    Participant,
    Person,
)

SHEET_NAMES = ("Summary", "Mentees", "Mentors", "Matches", "Unmatched")

# Column kinds: how a value is written and how wide its column may grow.
TEXT, WRAP, DATE, INT, SCORE, EMAIL = "text", "wrap", "date", "int", "score", "email"
MAX_WIDTH = {TEXT: 36, WRAP: 60, EMAIL: 40, DATE: 14, INT: 12, SCORE: 10}
MIN_WIDTH = 8
# A match that ended early frees the mentee; every other status counts as matched.
ENDED = ("ended_early",)


@dataclass
class Column:
    header: str
    kind: str = TEXT


@dataclass
class Sheet:
    """One worksheet as plain values, ready for xlsx or CSV."""

    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)

    def widths(self) -> list[float]:
        """Column widths fitted to content (longest line), within the kind's limits."""
        result = []
        for i, col in enumerate(self.columns):
            longest = len(col.header) + 3  # room for the filter button
            if col.kind == DATE:
                longest = max(longest, 12)
            else:
                limit = MAX_WIDTH[col.kind]
                for row in self.rows:
                    v = row[i]
                    if v is None:
                        continue
                    n = len(v) if isinstance(v, str) else len(str(v))
                    if n > longest:
                        longest = n
                        if longest >= limit:
                            break
            result.append(float(max(MIN_WIDTH, min(longest + 2, MAX_WIDTH[col.kind]))))
        return result


@dataclass
class Roster:
    cohort_name: str
    summary: list[tuple[str, Any]]  # (label, value); label "" = blank line, value None = heading
    sheets: list[Sheet]

    def sheet(self, name: str) -> Sheet:
        for s in self.sheets:
            if s.title.casefold() == name.strip().casefold():
                return s
        if name.strip().casefold() == "summary":
            return Sheet("Summary", [Column("Item"), Column("Value")], [[k, v] for k, v in self.summary if k])
        raise UserError(f"There is no sheet called '{name}'; the sheets are: {', '.join(SHEET_NAMES)}.")

    @property
    def cell_count(self) -> int:
        return sum(len(s.rows) * len(s.columns) for s in self.sheets) + 2 * len(self.summary)


@dataclass(slots=True)
class _Person:
    """The columns of a participant the roster prints, read as plain rows (10x faster than ORM objects)."""

    row: Any
    goals: dict[str, tuple[str, list[str]]] = field(default_factory=dict)  # horizon -> (text, areas)
    expertise: list[tuple[str, int]] = field(default_factory=list)

    @property
    def is_mentee(self) -> bool:
        return self.row.role in ("mentee", "both")

    @property
    def is_mentor(self) -> bool:
        return self.row.role in ("mentor", "both")


def _name(p: Any) -> str:
    return " ".join(x for x in (p.title, p.first_name, p.last_name) if x)


def _goal(p: _Person, horizon: str) -> str:
    return p.goals.get(horizon, ("", []))[0]


def _goal_areas(p: _Person) -> str:
    seen: dict[str, None] = {}
    for horizon in HORIZONS:
        for a in p.goals.get(horizon, ("", []))[1] or []:
            seen.setdefault(a, None)
    return "; ".join(seen)


def _expertise(p: _Person) -> str:
    return "; ".join(expertise_label(area, years) for area, years in p.expertise)


PERSON_COLUMNS = [
    Column("Title"),
    Column("First name"),
    Column("Last name"),
    Column("Email", EMAIL),
    Column("Phone"),
    Column("Organisation"),
    Column("Job title"),
    Column("Career stage"),
    Column("Region"),
    Column("Membership no."),
    Column("Consent"),
    Column("Consent date", DATE),
]


def _person(p: Any) -> list[Any]:
    return [
        p.title,
        p.first_name,
        p.last_name,
        p.email,
        p.phone,
        p.organisation,
        p.job_title,
        p.career_stage,
        p.region,
        p.membership_number,
        "Yes" if p.consent else "No",
        p.consent_date,
    ]


# The membership's columns the roster prints or needs (not its notes, versions or timestamps).
_MEMBERSHIP = (
    *("id", "role", "capacity", "availability", "meeting_preference", "experience"),
    *("organisation", "job_title", "career_stage", "region"),
)


def collect_roster(session: Session, cohort_id: int, *, today: dt.date | None = None) -> Roster:
    """Read a cohort into the roster's sheets (one query per table)."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    people = [
        _Person(row)
        for row in session.execute(
            select(
                *(Participant.__table__.c[name] for name in _MEMBERSHIP),
                *(Person.__table__.c[n] for n in PERSON_FIELDS),
            )
            .join_from(Participant.__table__, Person.__table__, Person.id == Participant.person_id)
            .where(Participant.cohort_id == cohort_id)
            .order_by(func.lower(Person.last_name), func.lower(Person.first_name), Participant.id)
        )
    ]
    by_id = {p.row.id: p for p in people}
    goals = select(Goal.participant_id, Goal.horizon, Goal.text, Goal.focus_areas).join(Participant)
    for pid, horizon, text, areas in session.execute(goals.where(Participant.cohort_id == cohort_id)):
        if pid in by_id:
            by_id[pid].goals[horizon] = (text, areas or [])
    expertise = select(Expertise.participant_id, Expertise.focus_area, Expertise.years).join(Participant)
    for pid, area, years in session.execute(expertise.where(Participant.cohort_id == cohort_id).order_by(Expertise.id)):
        if pid in by_id:
            by_id[pid].expertise.append((area, years))
    matches = list(session.execute(select(Match.__table__).where(Match.cohort_id == cohort_id).order_by(Match.id)))

    # The latest match of each mentee, and each mentor's matches that still take a place.
    mentee_match: dict[int, Any] = {}
    mentor_load: Counter[int] = Counter()
    mentor_any: set[int] = set()
    for m in matches:
        mentee_match[m.mentee_id] = m
        if m.status not in ENDED:
            mentor_any.add(m.mentor_id)
        if m.status in PLACE_STATUSES:
            mentor_load[m.mentor_id] += 1

    mentees = Sheet(
        "Mentees",
        [
            *PERSON_COLUMNS,
            Column(f"{HORIZON_LABELS['short']} goal", WRAP),
            Column(f"{HORIZON_LABELS['medium']} goal", WRAP),
            Column(f"{HORIZON_LABELS['long']} goal", WRAP),
            Column("Focus areas", WRAP),
            Column("Match status"),
            Column("Mentor"),
        ],
    )
    mentors = Sheet(
        "Mentors",
        [
            *PERSON_COLUMNS,
            Column("Capacity", INT),
            Column("Mentees", INT),
            Column("Free places", INT),
            Column("Availability"),
            Column("Meeting preference"),
            Column("Expertise", WRAP),
            Column("Experience", WRAP),
        ],
    )
    unmatched = Sheet(
        "Unmatched",
        [
            Column("Role"),
            Column("Name"),
            Column("Email", EMAIL),
            Column("Organisation"),
            Column("Career stage"),
            Column("Region"),
            Column("Focus areas or expertise", WRAP),
            Column("Free places", INT),
            Column("Consent"),
        ],
    )
    for person in people:
        p = person.row
        if person.is_mentee:
            m = mentee_match.get(p.id)
            mentor = by_id.get(m.mentor_id) if m else None
            mentees.rows.append(
                [
                    *_person(p),
                    _goal(person, "short"),
                    _goal(person, "medium"),
                    _goal(person, "long"),
                    _goal_areas(person),
                    MATCH_STATUS_LABELS.get(m.status, m.status) if m else "Unmatched",
                    _name(mentor.row) if mentor else "",
                ]
            )
            if m is None or m.status in ENDED:
                unmatched.rows.append(
                    [
                        "Mentee",
                        _name(p),
                        p.email,
                        p.organisation,
                        p.career_stage,
                        p.region,
                        _goal_areas(person),
                        None,
                        "Yes" if p.consent else "No",
                    ]
                )
        if person.is_mentor:
            load = mentor_load[p.id]
            free = max(p.capacity - load, 0)
            mentors.rows.append(
                [
                    *_person(p),
                    p.capacity,
                    load,
                    free,
                    p.availability,
                    p.meeting_preference,
                    _expertise(person),
                    p.experience,
                ]
            )
            if p.id not in mentor_any:
                unmatched.rows.append(
                    [
                        "Mentor",
                        _name(p),
                        p.email,
                        p.organisation,
                        p.career_stage,
                        p.region,
                        _expertise(person),
                        free,
                        "Yes" if p.consent else "No",
                    ]
                )

    match_sheet = Sheet(
        "Matches",
        [
            Column("Mentee"),
            Column("Mentee email", EMAIL),
            Column("Mentor"),
            Column("Mentor email", EMAIL),
            Column("Score", SCORE),
            Column("Status"),
            Column("Started", DATE),
            Column("Ended", DATE),
            Column("End reason", WRAP),
            Column("Letter sent", DATE),
        ],
    )
    ordered = sorted(
        matches,
        key=lambda m: (
            MATCH_STATUSES.index(m.status) if m.status in MATCH_STATUSES else 9,
            by_id[m.mentee_id].row.last_name.casefold() if m.mentee_id in by_id else "",
        ),
    )
    for m in ordered:
        mentee, mentor = by_id.get(m.mentee_id), by_id.get(m.mentor_id)
        match_sheet.rows.append(
            [
                _name(mentee.row) if mentee else "",
                mentee.row.email if mentee else "",
                _name(mentor.row) if mentor else "",
                mentor.row.email if mentor else "",
                round(m.score, 2) if m.score is not None else None,
                MATCH_STATUS_LABELS.get(m.status, m.status),
                m.started_on,
                m.ended_on,
                m.end_reason,
                m.letter_sent_on,
            ]
        )

    roles = Counter(p.row.role for p in people)
    statuses = Counter(m.status for m in matches)
    summary: list[tuple[str, Any]] = [
        ("Cohort", None),
        ("Name", cohort.name),
        ("Status", cohort.status.capitalize()),
        ("Start date", cohort.start_date),
        ("Evaluation date", cohort.evaluation_date),
        ("Roster exported on", today or dt.date.today()),
        ("", None),
        ("Participants", None),
        ("Mentees", len(mentees.rows)),
        ("Mentors", len(mentors.rows)),
    ]
    if roles.get("both"):
        summary.append((ROLE_LABELS["both"], roles["both"]))
    summary += [
        ("Unmatched mentees", sum(1 for r in unmatched.rows if r[0] == "Mentee")),
        ("Mentors without a mentee", sum(1 for r in unmatched.rows if r[0] == "Mentor")),
        ("Free mentor places", sum(r[len(PERSON_COLUMNS) + 2] for r in mentors.rows)),
        ("", None),
        ("Matches by status", None),
    ]
    summary += [(MATCH_STATUS_LABELS[s], statuses.get(s, 0)) for s in MATCH_STATUSES]
    summary += [
        ("All matches", len(matches)),
        ("Letters sent", sum(1 for m in matches if m.letter_sent_on)),
    ]
    return Roster(cohort.name, summary, [mentees, mentors, match_sheet, unmatched])
