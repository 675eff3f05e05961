"""Files for the import tests, made by the tests: form exports as coordinators receive them."""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from openpyxl import Workbook

FORM_HEADERS = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Title",
    "First name",
    "Surname",
    "Email address",
    "Are you applying as a mentor or a mentee?",
    "Organisation / employer",
    "Job title",
    "Career stage",
    "Region",
    "What are your short-term goals (next 6-12 months)?",
    "Which focus areas does your short-term goal relate to?",
    "What are your medium-term goals (1-3 years)?",
    "What are your long-term goals (3-5 years)?",
    "Mentors: which areas can you offer mentoring in?",
    "Mentors: how many mentees could you take on?",
    "Do you consent to the society processing your data for the scheme?",
]

FIRST = ["Amelia", "Oliver", "Priya", "Mohammed", "Siobhán", "Łukasz", "Aisha", "James", "Chloe", "Kwame"]
LAST = ["Okafor", "Smith", "Patel", "Nowak", "O'Brien", "Chen", "Jones", "Müller", "Khan", "Evans"]
AREAS = ["Leadership", "Research", "Management", "Clinical practice", "Career progression", "Work-life balance"]
ROLE_ANSWERS = ["I would like a mentor", "I would like to be a mentor", "Mentee", "Mentor", "Both"]


def form_rows(n: int = 40, seed: int = 7) -> list[list[object]]:
    """``n`` applications as an online form exports them (roughly 3 mentees per mentor)."""
    rng = random.Random(seed)
    rows: list[list[object]] = []
    start = dt.datetime(2021, 6, 1, 9, 0)
    for i in range(n):
        first, last = FIRST[i % len(FIRST)], f"{LAST[(i * 3) % len(LAST)]}{i // len(LAST) or ''}"
        role = ROLE_ANSWERS[i % 4] if i % 13 else "Both"
        is_mentor = role in ("I would like to be a mentor", "Mentor", "Both")
        is_mentee = not is_mentor or role == "Both"
        areas = rng.sample(AREAS, 2)
        rows.append(
            [
                i + 1,
                start + dt.timedelta(hours=i),
                start + dt.timedelta(hours=i, minutes=12),
                "anonymous",
                "",
                "Dr" if i % 3 == 0 else "",
                f" {first} ",
                last,
                f"{first}.{last}{i}@Example.org".replace("'", "").replace("ł", "l").replace("á", "a").replace("ü", "u"),
                role,
                f"NHS Trust {i % 7}",
                "Occupational physician" if is_mentor else "Specialty registrar",
                "Consultant or senior practitioner" if is_mentor else "specialty trainee",
                "London" if i % 2 else "Scotland",
                f"Publish my first audit ({i})" if is_mentee else "",
                ";".join(a.upper() if i % 5 == 0 else a for a in areas) + ";" if is_mentee else "",
                "Lead a service review" if is_mentee else "",
                "Become a consultant" if is_mentee and i % 2 else "",
                ";".join(areas) + ";" if is_mentor else "",
                str(1 + i % 3) if is_mentor else "",
                "Yes" if i % 6 else "Yes, I consent",
            ]
        )
    return rows


def write_form_xlsx(path: Path, n: int = 40, *, extra_sheet: bool = True) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Form1"
    ws.append(FORM_HEADERS)
    for row in form_rows(n):
        ws.append(row)
    if extra_sheet:
        notes = wb.create_sheet("Notes")
        notes.append(["Exported from the society's form"])
    wb.save(path)
    return path


def write_csv(path: Path, headers: list[str], rows: list[list[object]], *, encoding="utf-8", delimiter=",") -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


SIMPLE_HEADERS = ["First name", "Last name", "Email", "Role", "Short-term goal", "Focus areas", "Capacity"]


def simple_rows(n: int, prefix: str = "p") -> list[list[object]]:
    return [
        [
            f"First{i}",
            f"Last{i}",
            f"{prefix}{i}@example.org",
            "Mentor" if i % 4 == 0 else "Mentee",
            f"Goal {i}",
            "Leadership;Research",
            "2" if i % 4 == 0 else "",
        ]
        for i in range(n)
    ]
