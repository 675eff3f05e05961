"""The application spreadsheet: canonical columns that map themselves on import.

Dropdowns (data validation) for role, career stage, meeting preference and
focus areas; a Notes sheet that explains each column; a hidden Lists sheet
holding the dropdown values. Written to a temporary file, then renamed.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from mentorapp.importing.fields import TEMPLATE_HEADERS
from mentorapp.outputs.files import atomic_path
from mentorapp.outputs.safe_text import set_text
from mentorapp.people.vocabulary import CAREER_STAGES, DEFAULT_FOCUS_AREAS, MEETING_PREFERENCES, REGIONS, TITLES

ROWS_WITH_DROPDOWNS = 2000
# The order an applicant fills in: who, what role, goals with their areas, mentor details, consent.
TEMPLATE_ORDER = (
    "title",
    "first_name",
    "last_name",
    "email",
    "role",
    "phone",
    "organisation",
    "job_title",
    "career_stage",
    "region",
    "membership_number",
    "goal_short",
    "focus_short",
    "goal_medium",
    "focus_medium",
    "goal_long",
    "focus_long",
    "experience",
    "expertise_areas",
    "expertise_years",
    "capacity",
    "availability",
    "meeting_preference",
    "consent",
    "consent_date",
    "notes",
)
NOTES = {
    "title": "Optional. Dr, Prof, Mr, Mrs, Ms, Mx or Miss.",
    "first_name": "Required.",
    "last_name": "Required.",
    "email": "Required and unique in the cohort; used to recognise the same person on a later import.",
    "role": "Mentee, Mentor or Both.",
    "consent": "Yes or No: consent to the scheme processing the applicant's data.",
    "consent_date": "The date consent was given, as YYYY-MM-DD.",
    "goal_short": "Mentees: what they want to achieve in the next 6-12 months.",
    "goal_medium": "Mentees: goals for the next 1-3 years.",
    "goal_long": "Mentees: goals for 3-5 years and beyond.",
    "focus_short": "Focus areas of the short-term goal, separated by ; (e.g. Leadership;Research).",
    "focus_medium": "Focus areas of the medium-term goal, separated by ;.",
    "focus_long": "Focus areas of the long-term goal, separated by ;.",
    "focus_areas": "Focus areas for all goals at once, separated by ; (use instead of the three columns above).",
    "experience": "Mentors: their experience in their own words.",
    "expertise_areas": "Mentors: focus areas they can mentor in, separated by ; . Add years as 'Leadership (10)'.",
    "expertise_years": "Mentors: years of experience, used for every area without its own number.",
    "capacity": "Mentors: how many mentees they can take on (a whole number, default 1).",
    "availability": "Mentors: when and how often they can meet.",
    "meeting_preference": "In person, online or either.",
    "career_stage": "Choose from the list (most junior first).",
    "region": "Choose from the list or type another.",
}


def write_template(
    target: str | Path,
    focus_areas: list[str] | None = None,
    *,
    career_stages: list[str] | None = None,
    regions: list[str] | None = None,
) -> Path:
    """Write the application spreadsheet to ``target`` (replaced only when complete).

    Its drop-down lists are the cohort's own focus areas, career stages (most junior first) and
    regions when given, the built-in lists otherwise.
    """
    target = Path(target)
    areas = list(focus_areas or DEFAULT_FOCUS_AREAS)
    wb = Workbook()
    ws = wb.active
    ws.title = "Applications"
    keys = list(TEMPLATE_ORDER)
    header_fill = PatternFill("solid", fgColor="DDE7F0")
    for col, key in enumerate(keys, start=1):
        cell = ws.cell(row=1, column=col)
        set_text(cell, TEMPLATE_HEADERS[key])
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        wide = key.startswith(("goal_", "focus", "expertise_areas", "experience"))
        ws.column_dimensions[get_column_letter(col)].width = 40 if wide else 20
    ws.freeze_panes = "A2"

    lists = wb.create_sheet("Lists")
    columns = {
        "role": ["Mentee", "Mentor", "Both"],
        "career_stage": list(career_stages or CAREER_STAGES),
        "focus": areas,
        "consent": ["Yes", "No"],
        "meeting_preference": [m.capitalize() for m in MEETING_PREFERENCES],
        "region": list(regions or REGIONS),
        "title": list(TITLES),
    }
    ranges: dict[str, str] = {}
    for col, (name, values) in enumerate(columns.items(), start=1):
        set_text(lists.cell(row=1, column=col), name)
        for row, value in enumerate(values, start=2):
            set_text(lists.cell(row=row, column=col), value)
        letter = get_column_letter(col)
        ranges[name] = f"Lists!${letter}$2:${letter}${len(values) + 1}"
    lists.sheet_state = "hidden"

    def dropdown(key: str, source: str, *, strict: bool) -> None:
        if key not in keys:
            return
        letter = get_column_letter(keys.index(key) + 1)
        dv = DataValidation(type="list", formula1=source, allow_blank=True)
        dv.showErrorMessage = strict
        dv.errorTitle, dv.error = "Choose from the list", "Choose a value from the list."
        dv.promptTitle, dv.prompt = TEMPLATE_HEADERS[key], NOTES.get(key, "")[:250]
        dv.showInputMessage = True
        dv.add(f"{letter}2:{letter}{ROWS_WITH_DROPDOWNS}")
        ws.add_data_validation(dv)

    dropdown("role", ranges["role"], strict=True)
    dropdown("career_stage", ranges["career_stage"], strict=False)
    dropdown("consent", ranges["consent"], strict=True)
    dropdown("meeting_preference", ranges["meeting_preference"], strict=False)
    dropdown("region", ranges["region"], strict=False)
    dropdown("title", ranges["title"], strict=False)
    # Several focus areas go in one cell separated by ';', so the list only suggests.
    for key in ("focus_short", "focus_medium", "focus_long", "focus_areas", "expertise_areas"):
        dropdown(key, ranges["focus"], strict=False)

    notes = wb.create_sheet("Notes")
    set_text(notes.cell(row=1, column=1), "Column")
    set_text(notes.cell(row=1, column=2), "What to enter")
    notes["A1"].font = notes["B1"].font = Font(bold=True)
    for row, key in enumerate(keys, start=2):
        set_text(notes.cell(row=row, column=1), TEMPLATE_HEADERS[key])
        set_text(notes.cell(row=row, column=2), NOTES.get(key, "Optional."))
    last = len(keys) + 3
    set_text(notes.cell(row=last, column=1), "Focus areas")
    set_text(notes.cell(row=last, column=2), "; ".join(areas))
    set_text(
        notes.cell(row=last + 1, column=1),
        "Import",
    )
    set_text(
        notes.cell(row=last + 1, column=2),
        "One applicant per row on the Applications sheet. Import with File > Import applications "
        "or 'python -m mentorapp import FILE --cohort NAME'.",
    )
    notes.column_dimensions["A"].width = 28
    notes.column_dimensions["B"].width = 100
    with atomic_path(target) as tmp:
        wb.save(tmp)
    return target
