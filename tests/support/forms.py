"""Realistic application-form exports, each worded its own way and with its own vocabulary.

None of these words come from the demo: other focus areas, other career ladders,
regions as cities or deaneries, roles written as sentences, names with titles,
capacities in words. Each builder writes one file and returns a :class:`FormExport`
describing what a complete import must store for every applicant.

* :func:`microsoft_forms_xlsx`: a Microsoft Forms export (ID, Start time,
  Completion time, Email, Name with titles, sentence roles, choices joined by
  ``;`` with the trailing ``;`` Forms writes, no free-text experience question).
* :func:`google_forms_csv`: a Google Forms CSV (Timestamp, comma-joined
  checkboxes, cities as regions, a nursing career ladder).
* :func:`society_spreadsheet_xlsx`: a society's own spreadsheet (training
  grades, deaneries, semicolons, years of experience, membership numbers).
* :func:`qualtrics_csv`: a Qualtrics CSV (three header rows: codes, questions,
  ImportId; the survey's own columns first, among them empty recipient names and
  a latitude; pay bands as career stages; goals as "In 1 to 3 years").
* :func:`surveymonkey_xlsx`: a SurveyMonkey workbook (a second header row of
  "Response" and box labels, tick boxes a column per choice, names and goals as
  several boxes of one question).
* :func:`typeform_csv`: a Typeform CSV (one header row; each tick box a column
  headed by its choice alone, the mentees' and the mentors' questions offering the
  same choices, each followed by "Other"; its contact block; goals "in 2-3 years";
  consent as 1; its own columns last, "Submit Date (UTC)" among them).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy.orm import Session

from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData, create_participant

FIRST = (
    "Amara", "Bethan", "Chidi", "Dagny", "Eilidh", "Farid", "Greta", "Hamza", "Ifeoma", "Jonas", "Keira", "Lorcan",
    "Mairead", "Nkechi", "Oskar", "Pavani", "Quentin", "Rhiannon", "Saoirse", "Tobias", "Uma", "Vikram", "Wanjiru",
    "Xander", "Yasmin", "Zofia", "Callum", "Deepa", "Emeka", "Fenella",
)  # fmt: skip
LAST = (
    "van der Merwe", "de la Cruz", "Ní Bhriain", "García Márquez", "Okonkwo", "Lindqvist", "Fairweather",
    "Ó Súilleabháin", "Abernethy", "Chaudhry", "Kowalczyk", "MacLeod", "Nakamura", "Osei-Bonsu", "Pemberton",
    "Quaresma", "Rautenbach", "Sandoval", "Thistlewood", "Underhill", "Vasquez", "Whitcombe", "Yeboah", "Zielinski",
)  # fmt: skip
ORGANISATIONS = (
    "Northgate NHS Trust", "Severnside Health Board", "Kestrel Logistics", "Brightwater Council",
    "Harbour Ports Ltd", "St Aidan's Hospital", "Meridian Rail", "Calder Valley Practice", "Ironbridge Foundry",
    "Lakeside University", "Pennine Water", "Coastline Care Homes", "Tor Occupational Health", "Wrekin Police",
)  # fmt: skip

# Goals and experience per focus-area meaning (the key), worded for people, not for the code.
GOALS = {
    "policy": ("Understand how national work and health policy is made", "Respond to a government consultation",
               "Influence health at work policy in my region"),
    "teaching": ("Run a teaching session for GP trainees", "Design a short course for nurses",
                 "Become a recognised educator and programme lead"),
    "business": ("Write a business case for an in-house service",
                 "Price and tender for an occupational health contract",
                 "Set up and grow my own occupational health business"),
    "exams": ("Pass the diploma examination this year", "Prepare for the membership exam",
              "Become an examiner for the faculty"),
    "wellbeing": ("Look after my own wellbeing on a busy rota", "Build resilience in my team",
                  "Lead a staff wellbeing programme"),
    "return": ("Get better at return to work plans after long sickness", "Handle complex return to work cases",
               "Lead the rehabilitation service for a large employer"),
    "ergonomics": ("Assess workstations and manual handling risks", "Reduce musculoskeletal injuries on site",
                   "Advise a manufacturer on ergonomic design"),
    "surveillance": ("Run a health surveillance clinic", "Interpret lung function and audiometry results",
                     "Lead health surveillance for a national employer"),
    "management": ("Manage a small team for the first time", "Take on budget responsibility for the clinic",
                   "Become the head of an occupational health service"),
    "education": ("Supervise my first trainee", "Get involved in teaching medical students",
                  "Become a training programme director"),
    "quality": ("Lead a clinical audit", "Run a quality improvement project on referrals",
                "Build a culture of improvement across the department"),
    "research": ("Write up my audit as a paper", "Apply for a small research grant",
                 "Lead a multi-centre research study"),
}  # fmt: skip
EXPERIENCE = {
    "policy": "I sat on a national working group on fit notes and advise ministers on work and health",
    "teaching": "I have taught GP trainees and nurses for many years",
    "business": "I built an occupational health company from scratch and win contracts",
    "exams": "I examine for the diploma and coach candidates through the exams",
    "wellbeing": "I set up a staff wellbeing service and a peer support scheme",
    "return": "I run a rehabilitation and return to work service for a large employer",
    "ergonomics": "I assess workplaces for manual handling and ergonomic risks",
    "surveillance": "I lead health surveillance programmes for noise and respiratory hazards",
    "management": "I manage a team of twenty and hold the service budget",
    "education": "I am a training programme director and supervise trainees",
    "quality": "I lead the quality improvement programme for our hospital",
    "research": "I have led funded research studies and published widely",
}


@dataclass
class Applicant:
    """What a complete import must store for one person (in the form's own words)."""

    email: str
    title: str
    first_name: str
    last_name: str
    role: str  # mentee or mentor
    career_stage: str
    region: str
    organisation: str
    job_title: str
    areas: list[str]
    meeting: str  # in person, online or either
    capacity: int = 1
    goals: dict[str, str] = field(default_factory=dict)  # horizon -> text
    experience: str = ""


@dataclass
class FormExport:
    name: str
    path: Path
    applicants: list[Applicant]
    stage_order: list[str]  # the form's career ladder, junior first
    areas: list[str]  # the form's focus areas
    regions: list[str]

    @property
    def mentees(self) -> list[Applicant]:
        return [a for a in self.applicants if a.role == "mentee"]

    @property
    def mentors(self) -> list[Applicant]:
        return [a for a in self.applicants if a.role == "mentor"]


def _people(
    rng: random.Random,
    n_mentees: int,
    n_mentors: int,
    areas: dict[str, str],
    mentee_stages: list[str],
    mentor_stages: list[str],
    regions: list[str],
    titles: tuple[str, ...],
    domain: str,
    meeting_words: dict[str, str],
) -> list[Applicant]:
    """Applicants: mentees junior with two or three areas, mentors senior with two to four."""
    keys = list(areas)
    people = []
    used: set[tuple[str, str]] = set()
    for k in range(n_mentees + n_mentors):
        role = "mentee" if k < n_mentees else "mentor"
        while True:
            first, last = rng.choice(FIRST), rng.choice(LAST)
            if (first, last) not in used:
                used.add((first, last))
                break
        chosen = rng.sample(keys, rng.randint(2, 3) if role == "mentee" else rng.randint(2, 4))
        stage = rng.choice(mentee_stages if role == "mentee" else mentor_stages)
        meeting = rng.choice(list(meeting_words))
        email_last = "".join(ch for ch in last.casefold() if ch.isalpha() and ch.isascii()) or "x"
        person = Applicant(
            email=f"{first.casefold()}.{email_last}{k}@{domain}",
            title=rng.choice(titles),
            first_name=first,
            last_name=last,
            role=role,
            career_stage=stage,
            region=rng.choice(regions),
            organisation=rng.choice(ORGANISATIONS),
            job_title="Occupational health adviser" if role == "mentee" else "Lead occupational physician",
            areas=[areas[c] for c in chosen],
            meeting=meeting,
        )
        if role == "mentee":
            for h, horizon in enumerate(("short", "medium", "long")):
                person.goals[horizon] = GOALS[chosen[h % len(chosen)]][h]
        else:
            person.capacity = rng.choice((1, 1, 2, 2, 3))
            person.experience = "; ".join(EXPERIENCE[c] for c in chosen) + "."
        people.append(person)
    rng.shuffle(people)
    return people


MS_AREAS = {
    "policy": "Policy",
    "teaching": "Teaching",
    "business": "Business development",
    "exams": "Exams and qualifications",
    "wellbeing": "Wellbeing",
    "return": "Return to work",
}
MS_STAGES = ["Early career", "Mid career", "GP with special interest", "Consultant"]
MS_MEETING = {"online": "Video call", "in person": "Face to face", "either": "No preference"}
MS_CAPACITY = {1: "One", 2: "Two", 3: "Up to three"}
MS_ROLE = {"mentee": "I would like to be mentored (mentee)", "mentor": "I would like to be a mentor"}


def microsoft_forms_xlsx(folder: Path, *, mentees: int = 25, mentors: int = 16, seed: int = 13) -> FormExport:
    rng = random.Random(seed)
    regions = ["London", "South West", "Midlands", "North East", "Wales"]
    people = _people(
        rng, mentees, mentors, MS_AREAS, MS_STAGES[:2], MS_STAGES[2:], regions, ("Dr", "Mr", "Ms", "Mrs", "Prof"),
        "ms-forms.example.org", MS_MEETING,
    )  # fmt: skip
    headers = [
        "ID", "Start time", "Completion time", "Email", "Name",
        "Are you applying to be a mentor or a mentee?", "Employer", "Job title",
        "Which best describes your career stage?", "Region", "Preferred way of meeting",
        "Which areas would you like mentoring in?",
        "Which areas can you offer mentoring in?",
        "What would you like to achieve in the next 6-12 months?",
        "What would you like to achieve in the next 1-3 years?",
        "What would you like to achieve in the next 3-5 years?",
        "If you are applying as a mentor, how many mentees could you take on?",
        "I agree to my data being used to run the mentoring scheme",
    ]  # fmt: skip
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(headers)
    start = dt.datetime(2024, 2, 5, 9, 0)
    for k, p in enumerate(people, start=1):
        began = start + dt.timedelta(hours=7 * k, minutes=rng.randint(0, 59))
        ws.append([
            k, began, began + dt.timedelta(minutes=rng.randint(4, 15)), p.email,
            f"{p.title} {p.first_name} {p.last_name}", MS_ROLE[p.role], p.organisation, p.job_title,
            p.career_stage, p.region, MS_MEETING[p.meeting],
            ";".join(p.areas) + ";" if p.role == "mentee" else "",
            ";".join(p.areas) + ";" if p.role == "mentor" else "",
            p.goals.get("short", ""), p.goals.get("medium", ""), p.goals.get("long", ""),
            MS_CAPACITY[p.capacity] if p.role == "mentor" else "", "Yes",
        ])  # fmt: skip
        p.experience = ""  # this form asks no free-text experience question
    path = folder / "Mentoring applications(1-41).xlsx"
    wb.save(path)
    return FormExport("Microsoft Forms", path, people, MS_STAGES, list(MS_AREAS.values()), regions)


G_AREAS = {
    "return": "Return to work",
    "ergonomics": "Ergonomics",
    "surveillance": "Health surveillance",
    "management": "Leading a team",
    "wellbeing": "Resilience",
}
G_STAGES = ["Newly qualified", "Staff nurse", "Senior nurse", "Nurse manager", "Head of service"]
G_MEETING = {"online": "Online (Teams or Zoom)", "in person": "In person", "either": "Either is fine"}
G_ROLE = {"mentee": "Someone looking for a mentor", "mentor": "An experienced nurse offering to mentor"}


def google_forms_csv(folder: Path, *, mentees: int = 30, mentors: int = 18, seed: int = 29) -> FormExport:
    rng = random.Random(seed)
    regions = ["Leeds", "Bristol", "Manchester", "Glasgow", "Cardiff", "Norwich"]
    people = _people(
        rng, mentees, mentors, G_AREAS, G_STAGES[:2], G_STAGES[2:], regions, ("", "Mr", "Ms", "Miss"),
        "gforms.example.net", G_MEETING,
    )  # fmt: skip
    headers = [
        "Timestamp", "Email address", "First name", "Surname", "I am applying as", "Where do you work?",
        "Current role", "Career stage", "Location (nearest city)", "How would you prefer to meet?",
        "Topics you would like support with", "Mentors: topics you can help with",
        "What do you hope to achieve in the next year?",
        "Where would you like to be in 1-3 years?", "Long term (3-5 years), what is your ambition?",
        "Mentors: tell us about your experience", "Mentors: how many mentees can you support?",
        "Do you consent to us storing your answers?",
    ]  # fmt: skip
    path = folder / "Nurse mentoring sign-up (Responses) - Form responses 1.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(headers)
        for k, p in enumerate(people):
            when = dt.datetime(2024, 4, 2, 8, 30) + dt.timedelta(hours=5 * k, minutes=rng.randint(0, 59))
            out.writerow([
                f"{when.day:02d}/{when.month:02d}/{when.year} {when:%H:%M:%S}", p.email, p.first_name, p.last_name,
                G_ROLE[p.role], p.organisation, p.job_title, p.career_stage, p.region, G_MEETING[p.meeting],
                ", ".join(p.areas) if p.role == "mentee" else "", ", ".join(p.areas) if p.role == "mentor" else "",
                p.goals.get("short", ""), p.goals.get("medium", ""), p.goals.get("long", ""),
                p.experience, str(p.capacity) if p.role == "mentor" else "", "Yes, I consent",
            ])  # fmt: skip
    for p in people:
        p.title = ""  # the form does not ask for a title
    return FormExport("Google Forms", path, people, G_STAGES, list(G_AREAS.values()), regions)


S_AREAS = {
    "education": "Medical education",
    "quality": "Quality improvement",
    "research": "Research",
    "management": "Management",
    "wellbeing": "Wellbeing",
    "exams": "Exams",
}
S_STAGES = [
    "FY1/FY2", "Core trainee", "Registrar (ST3+)", "Consultant < 5 years", "Consultant 5+ years", "Clinical director",
]  # fmt: skip
S_MEETING = {"online": "Virtual", "in person": "In person", "either": "Either"}


def society_spreadsheet_xlsx(folder: Path, *, mentees: int = 22, mentors: int = 14, seed: int = 41) -> FormExport:
    rng = random.Random(seed)
    regions = ["Wessex", "Severn", "Northern", "Mersey", "East of England"]
    people = _people(
        rng, mentees, mentors, S_AREAS, S_STAGES[:3], S_STAGES[3:], regions, ("Dr", "Mr", "Miss", "Prof"),
        "society.example.com", S_MEETING,
    )  # fmt: skip
    headers = [
        "Membership no.", "Title", "Forename", "Surname", "E-mail", "Mentor/Mentee", "Trust / employer", "Post",
        "Grade", "Deanery", "Meeting format", "Areas of interest", "Areas of expertise", "Goal (short term)",
        "Goal (medium term)", "Goal (long term)", "Experience summary", "Years of experience", "Max mentees", "Consent",
    ]  # fmt: skip
    wb = Workbook()
    ws = wb.active
    ws.title = "Applications 2024"
    ws.append(headers)
    for k, p in enumerate(people):
        years = rng.randint(6, 25) if p.role == "mentor" else ""
        ws.append([
            f"SOM{4100 + k}", p.title, p.first_name, p.last_name, p.email, p.role.capitalize(), p.organisation,
            p.job_title, p.career_stage, p.region, S_MEETING[p.meeting],
            "; ".join(p.areas) if p.role == "mentee" else "", "; ".join(p.areas) if p.role == "mentor" else "",
            p.goals.get("short", ""), p.goals.get("medium", ""), p.goals.get("long", ""), p.experience, years,
            p.capacity if p.role == "mentor" else "", "Y",
        ])  # fmt: skip
    path = folder / "mentoring_applications_2024.xlsx"
    wb.save(path)
    return FormExport("Society spreadsheet", path, people, S_STAGES, list(S_AREAS.values()), regions)


Q_AREAS = {
    "research": "Clinical research",
    "teaching": "Teaching and supervision",
    "quality": "Service improvement",
    "wellbeing": "Staff wellbeing",
    "policy": "Health policy",
}
Q_STAGES = ["Band 5", "Band 6", "Band 7", "Band 8a", "Band 8b+"]
Q_MEETING = {"online": "Remotely", "in person": "Face-to-face", "either": "Happy with either"}
Q_ROLE = {"mentee": "Mentee (I would like a mentor)", "mentor": "Mentor (I can offer mentoring)"}
# Qualtrics' own columns before the questions: (code, question text), as its CSV export writes them.
Q_META = [
    ("StartDate", "Start Date"), ("EndDate", "End Date"), ("Status", "Response Type"), ("IPAddress", "IP Address"),
    ("Progress", "Progress"), ("Duration (in seconds)", "Duration (in seconds)"), ("Finished", "Finished"),
    ("RecordedDate", "Recorded Date"), ("ResponseId", "Response ID"), ("RecipientLastName", "Recipient Last Name"),
    ("RecipientFirstName", "Recipient First Name"), ("RecipientEmail", "Recipient Email"),
    ("ExternalReference", "External Data Reference"), ("LocationLatitude", "Location Latitude"),
    ("LocationLongitude", "Location Longitude"), ("DistributionChannel", "Distribution Channel"),
    ("UserLanguage", "User Language"),
]  # fmt: skip


def qualtrics_csv(folder: Path, *, mentees: int = 18, mentors: int = 14, seed: int = 53) -> FormExport:
    """A Qualtrics export: three header rows (codes, the questions, {"ImportId": ...}), its own columns first."""
    rng = random.Random(seed)
    regions = ["North West", "Yorkshire and the Humber", "East Midlands", "South Central"]
    people = _people(
        rng, mentees, mentors, Q_AREAS, Q_STAGES[:2], Q_STAGES[2:], regions, ("",), "nhs-allied.example.org",
        Q_MEETING,
    )  # fmt: skip
    questions = [
        "Your first name", "Your last name", "Your work email", "Which role are you applying for?",
        "Employing organisation", "Job title", "Agenda for Change band", "Which region do you work in?",
        "How would you like to meet?", "Which topics would you like mentoring on? - Selected Choice",
        "Which topics could you mentor others on? - Selected Choice",
        "Goals - In the next 12 months", "Goals - In 1 to 3 years", "Goals - In 3 to 5 years",
        "Briefly describe your experience (mentors)", "How many mentees could you take on?",
        "Privacy notice: I agree to my answers being used to run the scheme",
    ]  # fmt: skip
    codes = [code for code, _q in Q_META] + [f"Q{n}" for n in range(1, len(questions) + 1)]
    path = folder / "Mentoring+Scheme+Application_April+3,+2024_10.15.csv"
    with path.open("w", newline="", encoding="utf-8-sig") as f:
        out = csv.writer(f)
        out.writerow(codes)
        out.writerow([q for _c, q in Q_META] + questions)
        import_ids = [c.lower() for c, _q in Q_META] + [f"QID{n}" for n in range(1, len(questions) + 1)]
        out.writerow([json.dumps({"ImportId": i}, separators=(",", ":")) for i in import_ids])
        for k, p in enumerate(people):
            began = dt.datetime(2024, 3, 1, 9, 0) + dt.timedelta(hours=9 * k, minutes=rng.randint(0, 59))
            ended = began + dt.timedelta(minutes=rng.randint(5, 20))
            out.writerow([
                f"{began:%Y-%m-%d %H:%M:%S}", f"{ended:%Y-%m-%d %H:%M:%S}", "IP Address", f"10.1.{k}.7", "100",
                str(int((ended - began).total_seconds())), "True", f"{ended:%Y-%m-%d %H:%M:%S}", f"R_{k:015d}",
                "", "", "", "", f"{rng.uniform(50, 55):.4f}", f"{rng.uniform(-3, 0):.4f}", "anonymous", "EN",
                p.first_name, p.last_name, p.email, Q_ROLE[p.role], p.organisation, p.job_title, p.career_stage,
                p.region, Q_MEETING[p.meeting],
                ",".join(p.areas) if p.role == "mentee" else "", ",".join(p.areas) if p.role == "mentor" else "",
                p.goals.get("short", ""), p.goals.get("medium", ""), p.goals.get("long", ""), p.experience,
                str(p.capacity) if p.role == "mentor" else "", "I agree",
            ])  # fmt: skip
    return FormExport("Qualtrics", path, people, Q_STAGES, list(Q_AREAS.values()), regions)


M_AREAS = {
    "management": "Managing people",
    "research": "Research and audit",
    "education": "Education",
    "business": "Business skills",
    "exams": "Exams and CPD",
    "wellbeing": "Wellbeing at work",
}
M_STAGES = ["Specialty trainee", "Associate specialist", "Consultant", "Senior consultant"]
M_MEETING = {"online": "Video (Zoom or Teams)", "in person": "In person", "either": "No preference"}
M_ROLE = {"mentee": "Mentee", "mentor": "Mentor"}
M_META = [
    "Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address", "Email Address", "First Name",
    "Last Name", "Custom Data 1",
]  # fmt: skip


def surveymonkey_xlsx(folder: Path, *, mentees: int = 18, mentors: int = 13, seed: int = 67) -> FormExport:
    """A SurveyMonkey export: the questions, then a row saying what each column holds ("Response",
    "Open-Ended Response", a tick box's choice, a box's label); tick boxes a column per choice."""
    rng = random.Random(seed)
    regions = ["Thames Valley", "Kent, Surrey and Sussex", "West Midlands", "Scotland"]
    people = _people(
        rng, mentees, mentors, M_AREAS, M_STAGES[:2], M_STAGES[2:], regions, ("",), "monkey.example.org", M_MEETING
    )  # fmt: skip
    areas = list(M_AREAS.values())
    # (question, [labels of its columns])
    layout = [(name, [""]) for name in M_META] + [
        ("Your details", ["First name", "Last name", "Work email address"]),
        ("Are you signing up as a mentor or a mentee?", ["Response"]),
        ("Where do you work?", ["Open-Ended Response"]),
        ("What is your job title?", ["Open-Ended Response"]),
        ("What is your grade?", ["Response", "Other (please specify)"]),
        ("Which region do you work in?", ["Response"]),
        ("How would you prefer to meet?", ["Response"]),
        ("Mentees: which areas would you like support with? (tick all that apply)", [*areas, "Other (please specify)"]),
        ("Mentors: which areas could you mentor others on? (tick all that apply)", [*areas, "Other (please specify)"]),
        ("Your goals", ["In the next 12 months", "In 1-3 years", "In 3-5 years"]),
        ("Mentors: please describe your experience", ["Open-Ended Response"]),
        ("Mentors: how many mentees could you take on?", ["Response"]),
        ("Do you agree to the society keeping your answers to run the scheme?", ["Response"]),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet"
    ws.append([q if n == 0 else None for q, labels in layout for n, _l in enumerate(labels)])
    ws.append([label or None for _q, labels in layout for label in labels])
    for k, p in enumerate(people):
        began = dt.datetime(2024, 3, 4, 9, 0) + dt.timedelta(hours=6 * k, minutes=rng.randint(0, 59))
        ticks = [a if a in p.areas else None for a in areas] + [None]
        ws.append([
            118_000_000 + k, 4_200_001, f"{began:%m/%d/%Y %I:%M:%S %p}", f"{began:%m/%d/%Y %I:%M:%S %p}",
            f"10.2.{k}.9", None, None, None, None,
            p.first_name, p.last_name, p.email, M_ROLE[p.role], p.organisation, p.job_title, p.career_stage, None,
            p.region, M_MEETING[p.meeting],
            *(ticks if p.role == "mentee" else [None] * len(ticks)),
            *(ticks if p.role == "mentor" else [None] * len(ticks)),
            p.goals.get("short") or None, p.goals.get("medium") or None, p.goals.get("long") or None,
            p.experience or None, p.capacity if p.role == "mentor" else None, "Yes",
        ])  # fmt: skip
    path = folder / "Mentoring scheme sign-up 2024.xlsx"
    wb.save(path)
    return FormExport("SurveyMonkey", path, people, M_STAGES, areas, regions)


T_AREAS = {
    "management": "Leading people",
    "quality": "Quality and safety",
    "teaching": "Teaching",
    "research": "Research",
    "wellbeing": "Looking after yourself",
}
T_STAGES = ["Foundation doctor", "Specialty registrar", "New consultant", "Established consultant"]
T_MEETING = {"online": "On a video call", "in person": "Meeting in person", "either": "Either is fine"}
T_ROLE = {"mentee": "Find a mentor", "mentor": "Become a mentor"}


def typeform_csv(folder: Path, *, mentees: int = 17, mentors: int = 12, seed: int = 71) -> FormExport:
    """A Typeform export: one header row, a tick box a column each headed by its choice, "Other" after."""
    rng = random.Random(seed)
    regions = ["London", "North East", "South West", "Wales"]
    people = _people(
        rng, mentees, mentors, T_AREAS, T_STAGES[:2], T_STAGES[2:], regions, ("",), "typeform.example.org", T_MEETING
    )  # fmt: skip
    areas = list(T_AREAS.values())
    header = [
        "#", "First name", "Last name", "Email", "Phone number", "Company",
        "What would you like to do?", "What's your role at work?", "Where are you on your career path?",
        "Which part of the country are you in?", "How do you like to meet?",
        *areas, "Other", *areas, "Other",
        "What would you like to achieve within a year?", "...and in 2-3 years?", "...and in 5 years?",
        "What experience would you bring to a mentee?", "How many people could you mentor at once?",
        "I agree to the privacy notice", "Response Type", "Start Date (UTC)", "Stage Date (UTC)",
        "Submit Date (UTC)", "Network ID", "Tags",
    ]  # fmt: skip
    path = folder / "responses-Xa1b2C3d-2024.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(header)
        for k, p in enumerate(people):
            began = dt.datetime(2024, 2, 12, 8, 30) + dt.timedelta(hours=7 * k, minutes=rng.randint(0, 59))
            submitted = began + dt.timedelta(minutes=rng.randint(4, 15))
            ticks = [a if a in p.areas else "" for a in areas] + [""]
            nothing = [""] * len(ticks)
            out.writerow([
                f"{rng.getrandbits(64):016x}", p.first_name, p.last_name, p.email, "", p.organisation,
                T_ROLE[p.role], p.job_title, p.career_stage, p.region, T_MEETING[p.meeting],
                *(ticks if p.role == "mentee" else nothing), *(ticks if p.role == "mentor" else nothing),
                p.goals.get("short", ""), p.goals.get("medium", ""), p.goals.get("long", ""), p.experience,
                str(p.capacity) if p.role == "mentor" else "", "1", "completed",
                f"{began:%Y-%m-%d %H:%M:%S}", f"{submitted:%Y-%m-%d %H:%M:%S}", f"{submitted:%Y-%m-%d %H:%M:%S}",
                f"{rng.getrandbits(40):010x}", "",
            ])  # fmt: skip
    return FormExport("Typeform", path, people, T_STAGES, areas, regions)


BUILDERS = {
    "microsoft": microsoft_forms_xlsx,
    "google": google_forms_csv,
    "society": society_spreadsheet_xlsx,
    "qualtrics": qualtrics_csv,
    "surveymonkey": surveymonkey_xlsx,
    "typeform": typeform_csv,
}


def expected_participant(a: Applicant) -> ParticipantData:
    """The participant a complete import stores for an applicant (areas for all goals on every goal)."""
    return ParticipantData(
        first_name=a.first_name,
        last_name=a.last_name,
        email=a.email,
        role=a.role,
        title=a.title,
        organisation=a.organisation,
        job_title=a.job_title,
        career_stage=a.career_stage,
        region=a.region,
        consent=True,
        capacity=a.capacity,
        meeting_preference=a.meeting,
        experience=a.experience,
        goals=[GoalData(h, t, list(a.areas)) for h, t in a.goals.items()] if a.role == "mentee" else [],
        expertise=[ExpertiseData(area, 0) for area in a.areas] if a.role == "mentor" else [],
    )


def store_directly(session: Session, export: FormExport, cohort_name: str) -> int:
    """The cohort as a complete import of ``export`` leaves it, written without the importer (for benchmarks)."""
    cohort = create_cohort(
        session,
        CohortData(
            name=cohort_name,
            start_date=dt.date(2024, 9, 1),
            status="matching",
            focus_areas=list(export.areas),
            career_stages=list(export.stage_order),
            regions=list(export.regions),
        ),
    )
    for a in export.applicants:
        create_participant(session, cohort.id, expected_participant(a))
    return cohort.id


IMPORT_OPTIONS = ("--adopt-vocabulary", "--accept-suggested-values", "--add-new-values")


def import_through_cli(db: str, export: FormExport, cohort_name: str) -> tuple[int, str, str]:
    """Create the cohort and import the file the way a user would, in a ``python -m mentorapp`` process.

    Returns (exit status, stdout, stderr) of the import (or of ``cohorts add`` if that failed). The
    career ladder is given with ``--stage-order``, as a coordinator states it.
    """
    base = [sys.executable, "-m", "mentorapp", "--db", db]
    add = [*base, "cohorts", "add", cohort_name, "--start", "2024-09-01"]
    done = subprocess.run(add, capture_output=True, text=True)
    if done.returncode == 0:
        stages = ",".join(export.stage_order)
        command = [*base, "import", str(export.path), "--cohort", cohort_name, *IMPORT_OPTIONS, "--stage-order", stages]
        done = subprocess.run(command, capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr
