"""What a column can import as, and how form headers are recognised.

Form headers are questions written for people ("Are you applying as a mentor
or a mentee?"), so recognising them takes three steps, best first: an exact
label or synonym, keyword rules (all groups of words present, none of the
excluded words), then fuzzy similarity (difflib) for typos. Each field takes
at most one column; the strongest claims win.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from mentorapp.people.validation import is_valid_email

IGNORE = "ignore"


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    hint: str = ""


TARGETS: tuple[Target, ...] = (
    Target("title", "Title", "Dr, Prof, Ms ..."),
    Target("first_name", "First name"),
    Target("last_name", "Last name"),
    Target("full_name", "Full name", "split into title, first and last name"),
    Target("email", "Email"),
    Target("phone", "Phone"),
    Target("organisation", "Organisation"),
    Target("job_title", "Job title"),
    Target("career_stage", "Career stage"),
    Target("region", "Region"),
    Target("membership_number", "Membership number"),
    Target("role", "Role", "mentor, mentee or both"),
    Target("consent", "Consent", "yes or no"),
    Target("consent_date", "Consent date"),
    Target("goal_short", "Short-term goal", "next 6-12 months"),
    Target("goal_medium", "Medium-term goal", "1-3 years"),
    Target("goal_long", "Long-term goal", "3-5 years"),
    Target("focus_short", "Short-term focus areas", "separated by ;"),
    Target("focus_medium", "Medium-term focus areas", "separated by ;"),
    Target("focus_long", "Long-term focus areas", "separated by ;"),
    Target("focus_areas", "Focus areas (all goals)", "separated by ;"),
    Target("experience", "Mentor experience"),
    Target("expertise_areas", "Mentor expertise areas", "separated by ;"),
    Target("expertise_years", "Mentor years of experience"),
    Target("capacity", "Mentor capacity", "how many mentees"),
    Target("availability", "Availability"),
    Target("meeting_preference", "Meeting preference", "in person, online or either"),
    Target("notes", "Notes"),
)
TARGET_KEYS = tuple(t.key for t in TARGETS)
LABELS = {t.key: t.label for t in TARGETS} | {IGNORE: "(ignore this column)"}
# Words of a header asking for the areas of every goal at once.
ALL_GOALS = ("all goals", "for all", "like help", "want help", "support with", "want mentoring", "like mentoring")

# Canonical header of each field in the application template; it maps to itself exactly.
TEMPLATE_HEADERS = {t.key: t.label for t in TARGETS if t.key != "full_name"}

FOCUS_WORDS = ("focus", "area", "areas", "topic", "topics", "theme", "themes", "category", "categories", "subjects")
GOAL_WORDS = (
    "goal",
    "goals",
    "aim",
    "aims",
    "objective",
    "objectives",
    "hope",
    "hoping",
    "achieve",
    "want to",
    "like to",
    "get out of",
    "develop",
    "learn",
)
SHORT = ("short", "6 12 months", "6 to 12 months", "12 months", "6 months", "next year", "this year", "1 year",
         "one year", "a year", "a years time")  # fmt: skip
MEDIUM = ("medium", "mid term", "1 3 years", "1 to 3 years", "2 3 years", "2 to 3 years", "1 2 years", "1 to 2 years",
          "2 years", "two years")  # fmt: skip
LONG = ("long", "longer term", "3 5 years", "3 to 5 years", "5 years", "5 10 years", "10 years", "five years",
        "ten years")  # fmt: skip

SYNONYMS: dict[str, tuple[str, ...]] = {
    IGNORE: (
        "id",
        "start time",
        "completion time",
        "last modified time",
        "timestamp",
        "submission id",
        "response id",
        "submitted at",
        "respondent",
        "ip address",
    ),
    "title": ("title", "salutation", "honorific", "prefix"),
    "first_name": ("first name", "given name", "forename", "first names", "given names"),
    "last_name": ("last name", "surname", "family name", "second name"),
    "full_name": ("name", "full name", "your name", "your full name", "name of applicant", "applicant name"),
    "email": ("email", "email address", "e mail", "your email", "work email", "contact email"),
    "phone": ("phone", "telephone", "mobile", "phone number", "mobile number", "telephone number"),
    "organisation": ("organisation", "organization", "employer", "company", "workplace", "institution"),
    "job_title": ("job title", "position", "current role", "job", "occupation", "post"),
    "career_stage": ("career stage", "stage", "grade", "seniority", "level"),
    "region": ("region", "location", "deanery", "county"),
    "membership_number": ("membership number", "member number", "membership no", "member id", "membership id"),
    "role": ("role", "mentor or mentee", "participant type", "applying as", "type"),
    "consent": ("consent", "gdpr consent", "data consent", "i agree"),
    "consent_date": ("consent date", "date of consent"),
    "capacity": ("capacity", "mentee capacity", "number of mentees", "max mentees"),
    "availability": ("availability", "available"),
    "meeting_preference": (
        "meeting preference",
        "meeting format",
        "preferred meeting format",
        "preferred way of meeting",
        "how would you prefer to meet",
        "how would you like to meet",
    ),
    "experience": ("experience", "mentor experience", "expertise", "background"),
    "expertise_areas": ("expertise areas", "mentor expertise areas", "areas of expertise", "mentor focus areas"),
    "expertise_years": ("years of experience", "mentor years of experience", "years experience"),
    "notes": ("notes", "comments", "other comments", "anything else"),
    "focus_areas": ("focus areas", "focus areas all goals", "areas of interest", "topics"),
}


@dataclass(frozen=True)
class Rule:
    field: str
    groups: tuple[tuple[str, ...], ...]
    exclude: tuple[str, ...] = ()
    priority: int = 50


RULES: tuple[Rule, ...] = (
    Rule("consent_date", (("consent", "agree", "permission"), ("date", "when", "dated")), priority=68),
    Rule("consent", (("consent", "agree", "permission", "gdpr", "data protection", "privacy"),), priority=60),
    Rule("expertise_years", (("years",), ("experience", "practice", "qualified", "practising")), priority=62),
    Rule("focus_short", (FOCUS_WORDS, SHORT), exclude=("mentees",), priority=58),
    Rule("focus_medium", (FOCUS_WORDS, MEDIUM), exclude=("mentees",), priority=58),
    Rule("focus_long", (FOCUS_WORDS, LONG), exclude=("mentees",), priority=58),
    Rule(
        "focus_areas",
        (
            FOCUS_WORDS,
            ALL_GOALS,
        ),
        priority=59,
    ),
    Rule(
        "expertise_areas",
        (
            FOCUS_WORDS,
            (
                "expertise",
                "experience",
                "offer",
                "mentor in",
                "help with",
                "can mentor",
                "could mentor",
                "mentor on",
                "mentor others",
            ),
        ),
        priority=57,
    ),
    Rule("expertise_areas", (("areas of expertise", "expertise areas", "specialist areas"),), priority=57),
    Rule("goal_short", (GOAL_WORDS, SHORT), priority=55),
    Rule("goal_medium", (GOAL_WORDS, MEDIUM), priority=55),
    Rule("goal_long", (GOAL_WORDS, LONG), priority=55),
    Rule("goal_short", (("short term", *SHORT[1:]),), priority=45),
    Rule("goal_medium", (("medium term", *MEDIUM[1:]),), priority=45),
    Rule("goal_long", (("long term", *LONG[1:]),), priority=45),
    Rule(
        "capacity",
        (("how many mentees", "number of mentees", "capacity", "how many people", "mentees can"),),
        priority=56,
    ),
    Rule(
        "meeting_preference",
        (
            ("meet", "meeting", "meetings"),
            ("prefer", "preferred", "preference", "online", "in person", "how", "format", "way", "ways"),
        ),
        priority=50,
    ),
    Rule(
        "role",
        (
            ("mentor", "mentee", "mentoring"),
            ("applying", "apply", "as a", "would you like", "register", "or a", "want to be", "sign up", "role"),
        ),
        exclude=(
            "experience",
            "how many",
            "goal",
            "goals",
            "focus",
            "months",
            "years",
            "term",
            "get out of",
            "topic",
            "topics",
            "areas",
            "subjects",
        ),
        priority=52,
    ),
    Rule("role", (("role",),), exclude=("job", "current", "your role in", "position", "at work"), priority=40),
    Rule(
        "membership_number", (("membership", "member number", "member no", "member id", "society number"),), priority=48
    ),
    Rule(
        "career_stage",
        (("career stage", "stage of career", "stage", "grade", "seniority", "level", "band"),),
        exclude=("goal", "goals", "date", "time"),
        priority=46,
    ),
    Rule(
        "career_stage",
        (("in your career", "stage of your career", "career level", "point in your career", "career path"),),
        exclude=("goal", "goals", "want to be"),
        priority=50,
    ),
    Rule(
        "full_name", (("full name", "your name", "name and title", "name with title", "with your title"),), priority=60
    ),
    Rule(
        "first_name",
        (("first name", "given name", "forename", "first names", "given names", "christian name"),),
        priority=47,
    ),
    Rule("last_name", (("last name", "surname", "family name"),), priority=47),
    Rule("email", (("email", "e mail", "mail address"),), priority=47),
    Rule("phone", (("phone", "telephone", "mobile", "tel", "contact number"),), priority=46),
    Rule(
        "organisation",
        (
            (
                "organisation",
                "organization",
                "employer",
                "company",
                "workplace",
                "institution",
                "work for",
                "employed by",
                "where do you work",
            ),
        ),
        exclude=("same",),
        priority=44,
    ),
    Rule(
        "job_title",
        (("job title", "job", "position", "current role", "occupation", "profession", "post", "role at work"),),
        priority=42,
    ),
    Rule(
        "region",
        (("region", "location", "deanery", "county", "based", "where are you", "part of the country"),),
        exclude=("career", "goal", "goals"),
        priority=40,
    ),
    Rule(
        "availability",
        (
            (
                "availability",
                "available",
                "when can",
                "how often",
                "time commitment",
                "days times",
                "which days",
                "what days",
                "which times",
                "what times",
            ),
        ),
        priority=38,
    ),
    Rule("focus_areas", (FOCUS_WORDS,), exclude=("mentees", "based", "where", "located"), priority=36),
    Rule("experience", (("experience", "background", "expertise", "bring", "offer"),), priority=34),
    Rule(
        "notes", (("notes", "comments", "anything else", "additional information", "other information"),), priority=30
    ),
    Rule("title", (("title", "salutation", "honorific"),), exclude=("job",), priority=28),
    Rule(
        "full_name",
        (("name",),),
        exclude=(
            "first",
            "last",
            "surname",
            "family",
            "given",
            "fore",
            "organisation",
            "company",
            "employer",
            "user",
            "mentor",
        ),
        priority=26,
    ),
)

EXACT_SCORE = 1000
FUZZY_CUTOFF = 0.82


def normalise_header(header: str) -> str:
    """Lower case, punctuation to spaces, single spaces: 'E-mail  Address:' -> 'e mail address'."""
    text = header.casefold().replace("’", "'").replace("'", "")
    text = re.sub(r"[^\w]+", " ", text)
    return " ".join(text.replace("_", " ").split())


_EXACT: dict[str, str] = {}
for _key, _label in LABELS.items():
    if _key != IGNORE:
        _EXACT[normalise_header(_label)] = _key
for _key, _words in SYNONYMS.items():
    for _w in _words:
        _EXACT.setdefault(normalise_header(_w), _key)


def _has(padded: str, phrase: str) -> bool:
    return f" {phrase} " in padded


TICKED = "Tick boxes in columns "  # the one column a run of tick-box choice columns becomes (survey_exports)
WHEN_WORDS = ("monday", "tuesday", "wednesday", "thursday", "friday", "weekend", "weekends", "morning", "mornings",
              "afternoon", "afternoons", "evening", "evenings", "lunchtime", "weekday", "weekdays")  # fmt: skip


def score_header(header: str) -> list[tuple[int, str]]:
    """(score, field) claims for one header, strongest first."""
    norm = normalise_header(header)
    if not norm:
        return []
    if header.startswith(TICKED):
        return _ticked_claims(norm)
    exact = _EXACT.get(norm)
    if exact:
        return [(EXACT_SCORE, exact)]
    padded = f" {norm} "
    claims: dict[str, int] = {}
    for rule in RULES:
        if any(_has(padded, w) for w in rule.exclude):
            continue
        if all(any(_has(padded, w) for w in group) for group in rule.groups):
            claims[rule.field] = max(claims.get(rule.field, 0), rule.priority)
    # Typos ("Frist name", "Emial adress") are close to a known header as a whole.
    best = difflib.get_close_matches(norm, list(_EXACT), n=1, cutoff=FUZZY_CUTOFF)
    if best:
        ratio = difflib.SequenceMatcher(None, norm, best[0]).ratio()
        target = _EXACT[best[0]]
        claims[target] = max(claims.get(target, 0), int(ratio * 70))
    return sorted(((s, f) for f, s in claims.items()), reverse=True)


def _ticked_claims(norm: str) -> list[tuple[int, str]]:
    """A question known only by its choices: days and times are when to meet, other choices the
    areas (a mentee's first, then a mentor's, when a form asks both)."""
    if any(_has(f" {norm} ", w) for w in WHEN_WORDS):
        return [(40, "availability")]
    return [(30, "focus_areas"), (29, "expertise_areas")]


def _content_bonus(field: str, sample: Sequence[str]) -> int:
    """Prefer the column whose answers look right (MS Forms adds a respondent 'Email' of 'anonymous')."""
    values = [v for v in sample if v.strip()]
    if field == "email" and values:
        valid = sum(1 for v in values if is_valid_email(v))
        # Microsoft Forms' respondent 'Email' of 'anonymous' is not the applicants' email.
        return int(10 * valid / len(values)) if valid else -EXACT_SCORE
    if field in IDENTITY and sample and not values:
        return -EXACT_SCORE  # an empty respondent "Name" column, the empty "Recipient First Name" of Qualtrics
    if field in WORDED and values and all(_is_number(v) or _reads_as_date(v) for v in values):
        return -EXACT_SCORE  # Qualtrics' 'Location Latitude' (51.5), Typeform's 'Stage Date (UTC)': no answer in words
    return 0


# Who the applicant is: a column left empty in the first rows is never it.
IDENTITY = frozenset(("first_name", "last_name", "full_name", "email"))
# Fields answered in words: a column of numbers is never one of them.
WORDED = frozenset(("region", "organisation", "job_title", "career_stage", "first_name", "last_name", "full_name"))


def _is_number(value: str) -> bool:
    try:
        float(value.replace(",", ""))
    except ValueError:
        return False
    return True


def _reads_as_date(value: str) -> bool:
    """'2024-02-12 09:08:00', '12/02/2024 09:08': a date as the import reads one (the value rules import late)."""
    from mentorapp.importing.values import ValueProblemError, date

    try:
        return date(value) is not None
    except ValueProblemError:
        return False


def _reads_as_role(value: str) -> bool:
    from mentorapp.importing.values import ValueProblemError, role

    try:
        role(value)
    except ValueProblemError:
        return False
    return True


def content_claims(sample: Sequence[str]) -> list[tuple[int, str]]:
    """Claims from the answers when the question says little ('Which best describes you?')."""
    values = [v for v in sample if v.strip()]
    if not values:
        return []
    claims = []
    if all(is_valid_email(v) for v in values):
        claims.append((40, "email"))
    if all(_reads_as_role(v) for v in values):
        claims.append((50, "role"))
    return claims


def auto_map(
    headers: Sequence[str],
    saved: dict[str, str] | None = None,
    samples: Sequence[Sequence[str]] | None = None,
) -> list[str]:
    """A field key (or IGNORE) for each header; ``saved`` (normalised header -> field) wins."""
    saved = saved or {}
    result = [IGNORE] * len(headers)
    used: set[str] = set()
    claims: list[tuple[int, int, str]] = []
    for i, header in enumerate(headers):
        norm = normalise_header(header)
        if norm in saved and (saved[norm] in TARGET_KEYS or saved[norm] == IGNORE):
            claims.append((EXACT_SCORE * 2, i, saved[norm]))
            continue
        sample = [row[i] for row in samples or () if i < len(row)]
        for score, field in score_header(header) + content_claims(sample):
            claims.append((score + _content_bonus(field, sample), i, field))
    taken: set[int] = set()
    for _score, i, field in sorted(claims, key=lambda c: (-c[0], c[1])):
        if i in taken or (field in used and field != IGNORE):
            continue
        result[i] = field
        taken.add(i)
        if field != IGNORE:
            used.add(field)
    return _drop_conflicts(result, headers)


def _drop_conflicts(fields: list[str], headers: Sequence[str] = ()) -> list[str]:
    """A full-name column is not needed when both name parts are mapped; a form's submission time
    is the consent date when the form asks for consent but not for its date."""
    if "full_name" in fields and "first_name" in fields and "last_name" in fields:
        fields[fields.index("full_name")] = IGNORE
    _areas_of_the_goal_before(fields, headers)
    if "consent" in fields and "consent_date" not in fields:
        for wanted in SUBMITTED:
            i = next((i for i, h in enumerate(headers) if normalise_header(h) == wanted and fields[i] == IGNORE), None)
            if i is not None:
                fields[i] = "consent_date"
                break
    return fields


def _areas_of_the_goal_before(fields: list[str], headers: Sequence[str]) -> None:
    """'Which topics does that relate to?' right after a goal question tags that goal, not all three:
    a form asking for topics after each goal would otherwise put the first goal's on every goal.
    A form with one goal question keeps them for all goals (there is no other, and a mentor's answer counts too)."""
    if sum(f.startswith("goal_") for f in fields) < 2:
        return
    for i in range(1, len(fields)):
        horizon = fields[i - 1].removeprefix("goal_")
        if fields[i] != "focus_areas" or horizon not in ("short", "medium", "long") or f"focus_{horizon}" in fields:
            continue
        if i < len(headers) and any(_has(f" {normalise_header(headers[i])} ", w) for w in ALL_GOALS):
            continue  # the header says the areas are for every goal
        fields[i] = f"focus_{horizon}"


# Headers of the time a form was sent, best first (Microsoft Forms, Google Forms, Jotform, others, Qualtrics,
# Typeform).
SUBMITTED = ("completion time", "timestamp", "submission date", "submitted at", "submitted", "recorded date",
             "submit date utc", "submit date", "date submitted")  # fmt: skip


def mapping_problems(fields: Sequence[str]) -> list[str]:
    """Sentences about a mapping that cannot work, empty when it can."""
    problems: list[str] = []
    chosen = [f for f in fields if f != IGNORE]
    for f in set(chosen):
        if chosen.count(f) > 1:
            problems.append(f"{LABELS[f]} is chosen for {chosen.count(f)} columns; choose it for one only.")
    has_names = ("first_name" in chosen and "last_name" in chosen) or "full_name" in chosen
    if not has_names:
        problems.append("Choose the columns with the first and last names (or one full-name column).")
    if "email" not in chosen:
        problems.append("Choose the column with the email addresses.")
    return sorted(problems)
