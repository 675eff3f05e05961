"""A believable demo cohort: occupational health mentees and mentors.

Deterministic for a seed, and fast enough to make 10,000 participants for
scale tests (rows go in with bulk inserts, in one transaction).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.persons import insert_participants
from mentorapp.people.vocabulary import DEFAULT_FOCUS_AREAS, REGIONS
from mentorapp.store import audit
from mentorapp.store.models import Expertise, Goal, Participant
from mentorapp.store.sequences import fix_sequences

DEFAULT_NAME = "Future Leaders pilot"

FIRST_NAMES = (
    "Amelia",
    "Oliver",
    "Priya",
    "Mohammed",
    "Siobhán",
    "Łukasz",
    "Aisha",
    "James",
    "Chloe",
    "Kwame",
    "Fatima",
    "Thomas",
    "Mei",
    "Rhys",
    "Niamh",
    "Arjun",
    "Sophie",
    "Daniel",
    "Zainab",
    "Ewan",
    "Hannah",
    "Tomasz",
    "Grace",
    "Oluwaseun",
    "Isla",
    "Rahul",
    "Catriona",
    "Yusuf",
    "Eleanor",
    "Dafydd",
    "Ngozi",
    "Lucy",
    "Hamish",
    "Anjali",
    "Gareth",
    "Leah",
    "Imran",
    "Rosa",
    "Callum",
    "Xiu",
)
LAST_NAMES = (
    "Patel",
    "Smith",
    "Jones",
    "Okafor",
    "Nguyễn",
    "Kowalski",
    "O'Brien",
    "Williams",
    "Khan",
    "Taylor",
    "Brown",
    "MacDonald",
    "Evans",
    "Chen",
    "Hughes",
    "Ahmed",
    "Murphy",
    "Campbell",
    "Adeyemi",
    "Wilson",
    "Singh",
    "Thomson",
    "Davies",
    "Begum",
    "Roberts",
    "Walker",
    "Nowak",
    "Kelly",
    "Mensah",
    "Wright",
    "Fraser",
    "Morgan",
    "Li",
    "Hussain",
    "Reid",
    "Clarke",
    "Owusu",
    "Stewart",
    "Price",
    "Ali",
)
ORGANISATIONS = (
    "Leeds Teaching Hospitals NHS Trust",
    "Guy's and St Thomas' NHS Foundation Trust",
    "NHS Lothian",
    "Cardiff and Vale University Health Board",
    "Health and Safety Executive",
    "Optima Health",
    "Medigold Health",
    "Royal Mail Group",
    "Network Rail",
    "Ministry of Defence",
    "University of Manchester",
    "Imperial College London",
    "Belfast Health and Social Care Trust",
    "NHS Greater Glasgow and Clyde",
    "Transport for London",
    "BT Group",
    "Rolls-Royce",
    "University Hospitals Birmingham NHS Foundation Trust",
    "Manchester University NHS Foundation Trust",
    "Sheffield Teaching Hospitals NHS Foundation Trust",
    "Civil Aviation Authority",
    "Hampshire Hospitals NHS Foundation Trust",
    "Heathrow Airport",
    "Unilever",
)
MENTEE_JOBS = (
    ("Specialty registrar in occupational medicine", "Specialty trainee"),
    ("Occupational health nurse", "Early career specialist"),
    ("Occupational health physician", "Early career specialist"),
    ("Foundation doctor with an interest in occupational health", "Student or foundation"),
    ("Occupational health adviser", "Early career specialist"),
    ("Specialty trainee (ST4) in occupational medicine", "Specialty trainee"),
    ("Occupational physiotherapist", "Established practitioner"),
    ("Workplace health and wellbeing lead", "Established practitioner"),
)
MENTOR_JOBS = (
    ("Consultant occupational physician", "Consultant or senior practitioner"),
    ("Clinical director, occupational health", "Senior leader"),
    ("Chief medical officer", "Senior leader"),
    ("Lead occupational health nurse", "Consultant or senior practitioner"),
    ("Senior lecturer in occupational medicine", "Consultant or senior practitioner"),
    ("Head of occupational health and wellbeing", "Senior leader"),
    ("Consultant in occupational medicine and training programme director", "Consultant or senior practitioner"),
    ("Occupational health physician", "Established practitioner"),
)
GOAL_TEXT = {
    "Leadership": (
        "Lead a small project in my department and learn to bring a team with me",
        "Take on a clinical lead role for our occupational health service",
        "Become clinical director of an occupational health service",
    ),
    "Management": (
        "Understand budgets and contracts for occupational health services",
        "Manage a team of OH advisers and nurses",
        "Run an occupational health service as its head",
    ),
    "Research": (
        "Design a small audit of sickness absence referrals",
        "Publish a research study on return to work after long Covid",
        "Build a research programme in work and health",
    ),
    "Academic publishing": (
        "Write up my audit for a peer-reviewed journal",
        "Publish two first-author papers",
        "Become a journal reviewer and editor in occupational medicine",
    ),
    "Clinical practice": (
        "Grow confidence with complex fitness-for-work assessments",
        "Develop a special interest clinic in occupational dermatology",
        "Be recognised as an expert clinician in my field",
    ),
    "Health and work policy": (
        "Understand how national health and work policy is made",
        "Contribute to a society response to a government consultation",
        "Influence national policy on health and work",
    ),
    "Workplace mental health": (
        "Improve how I manage mental health referrals",
        "Set up a workplace mental health programme for our clients",
        "Lead a national initiative on mental health at work",
    ),
    "Teaching and education": (
        "Teach foundation doctors about occupational health",
        "Become an educational supervisor for trainees",
        "Lead a postgraduate teaching programme",
    ),
    "Service development": (
        "Map the gaps in our current OH service",
        "Develop a new in-house occupational health service",
        "Shape how occupational health services are commissioned",
    ),
    "Quality improvement": (
        "Complete a quality improvement project on referral waiting times",
        "Achieve SEQOHS accreditation for our service",
        "Lead quality improvement across a network of services",
    ),
    "Specialty training and exams": (
        "Pass the MFOM examination",
        "Complete specialty training and gain my CCT",
        "Take up a consultant post after training",
    ),
    "Career progression": (
        "Plan the next steps in my career",
        "Secure a substantive senior post",
        "Reach a senior leadership position in the specialty",
    ),
    "Networking and influence": (
        "Build a network beyond my own organisation",
        "Join a society committee",
        "Be a recognised voice for the specialty",
    ),
    "Work-life balance": (
        "Find a sustainable balance between work and family",
        "Move to a working pattern that keeps me well",
        "Keep a long and healthy career in the specialty",
    ),
    "Digital health": (
        "Use our electronic OH record more effectively",
        "Lead the introduction of remote consultations",
        "Shape digital occupational health services",
    ),
    "Ethics and law": (
        "Understand consent and confidentiality in OH reports",
        "Become confident giving evidence at employment tribunals",
        "Advise on ethics in occupational health nationally",
    ),
}
EXPERIENCE_TEXT = {
    "Leadership": "led a regional occupational health service through a merger",
    "Management": "managed budgets, contracts and a team of twenty staff",
    "Research": "ran research studies on sickness absence and return to work",
    "Academic publishing": "published widely and reviewed for occupational medicine journals",
    "Clinical practice": "run complex fitness-for-work and ill-health retirement clinics",
    "Health and work policy": "advised government on health and work policy",
    "Workplace mental health": "set up workplace mental health programmes for large employers",
    "Teaching and education": "supervised trainees and taught on postgraduate courses",
    "Service development": "built an in-house occupational health service from scratch",
    "Quality improvement": "led SEQOHS accreditation and quality improvement projects",
    "Specialty training and exams": "examined for the MFOM and supported trainees through it",
    "Career progression": "coached colleagues through career changes and consultant interviews",
    "Networking and influence": "chaired society committees and built networks across the specialty",
    "Work-life balance": "worked flexibly for years while raising a family",
    "Digital health": "introduced electronic records and remote consultations",
    "Ethics and law": "given evidence at employment tribunals on ethics and consent",
}
AVAILABILITY = ("Weekday evenings", "Monthly, lunchtime", "Flexible", "Friday afternoons", "Early mornings")


@dataclass
class DemoResult:
    cohort_id: int
    cohort_name: str
    mentees: int
    mentors: int


def _title(job: str) -> str:
    """Doctors are Dr; others go by their name (no guessed Mr or Ms)."""
    medical = ("physician", "doctor", "registrar", "Consultant", "trainee", "medical", "lecturer")
    return "Dr" if any(word in job for word in medical) else ""


def _email(first: str, last: str, n: int) -> str:
    def ascii_part(s: str) -> str:
        import unicodedata

        plain = unicodedata.normalize("NFKD", s.replace("Ł", "L").replace("ł", "l"))
        return "".join(c for c in plain if c.isascii() and c.isalnum()).lower()

    return f"{ascii_part(first)}.{ascii_part(last)}{n}@example.org"


def create_demo(
    session: Session,
    *,
    name: str = DEFAULT_NAME,
    mentees: int = 24,
    mentors: int = 16,
    seed: int = 2021,
    start: dt.date | None = None,
) -> DemoResult:
    """Create a demo cohort with ``mentees`` mentees and ``mentors`` mentors."""
    rng = random.Random(seed)
    cohort = create_cohort(
        session,
        CohortData(
            name=name,
            start_date=start or dt.date(2021, 9, 1),
            status="matching",
            focus_areas=list(DEFAULT_FOCUS_AREAS),
        ),
    )
    areas = list(DEFAULT_FOCUS_AREAS)
    next_id = (session.scalar(select(func.max(Participant.id))) or 0) + 1
    people: list[dict] = []
    goals: list[dict] = []
    expertise: list[dict] = []
    consent_day = cohort.start_date - dt.timedelta(days=30)
    for i in range(mentees + mentors):
        is_mentor = i >= mentees
        pid = next_id + i
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        job, stage = rng.choice(MENTOR_JOBS if is_mentor else MENTEE_JOBS)
        # About one in twelve applicants has not yet given consent: the board flags them.
        consent = rng.random() > 0.08
        people.append(
            {
                "id": pid,
                "cohort_id": cohort.id,
                "title": _title(job),
                "first_name": first,
                "last_name": last,
                "email": _email(first, last, pid),
                "phone": f"07{rng.randint(100, 999)} {rng.randint(100000, 999999)}",
                "organisation": rng.choice(ORGANISATIONS),
                "job_title": job,
                "career_stage": stage,
                "region": rng.choice(REGIONS),
                "membership_number": f"SOM{rng.randint(10000, 99999)}",
                "role": "mentor" if is_mentor else "mentee",
                "consent": consent,
                "consent_date": consent_day + dt.timedelta(days=rng.randint(0, 20)) if consent else None,
                "notes": "",
                "capacity": rng.choice((1, 1, 2, 2, 3)) if is_mentor else 0,
                "availability": rng.choice(AVAILABILITY) if is_mentor else "",
                "meeting_preference": rng.choice(("either", "either", "online", "in person")),
                "experience": "",
                "version_id": 1,
            }
        )
        if is_mentor:
            chosen = rng.sample(areas, rng.randint(2, 4))
            total = rng.randint(8, 30)
            parts = []
            for area in chosen:
                years = rng.randint(3, total)
                expertise.append({"participant_id": pid, "focus_area": area, "years": years})
                parts.append(EXPERIENCE_TEXT[area])
            people[-1]["experience"] = f"{total} years in occupational health. I have " + "; I have ".join(parts) + "."
        else:
            main_area = rng.choice(areas)
            for h_index, horizon in enumerate(("short", "medium", "long")):
                tags = [main_area] if rng.random() < 0.6 else [rng.choice(areas)]
                if rng.random() < 0.35:
                    extra = rng.choice(areas)
                    if extra not in tags:
                        tags.append(extra)
                goals.append(
                    {
                        "participant_id": pid,
                        "horizon": horizon,
                        "text": GOAL_TEXT[tags[0]][h_index],
                        "focus_areas": tags,
                    }
                )
    if people:
        insert_participants(session, people)
    if goals:
        session.execute(insert(Goal), goals)
    if expertise:
        session.execute(insert(Expertise), expertise)
    fix_sequences(session, [Participant])  # ids were written here: PostgreSQL's sequence follows
    audit.record(
        session,
        "demo created",
        f"Demo cohort '{cohort.name}' with {mentees} mentees and {mentors} mentors",
        cohort_id=cohort.id,
        entity_type="cohort",
        entity_id=cohort.id,
    )
    session.flush()
    return DemoResult(cohort.id, cohort.name, mentees, mentors)
