"""Offline collection: an Excel evaluation form per stage, and reading it back.

The form has one row per participant who was asked: a hidden id column and a
hidden key row (so the form still reads back if the coordinator re-words a
heading), the name and role locked, dropdowns for every 1 to 5 rating and for
yes/no, and a first sheet of instructions. Reading it back follows the same
rules as the application import: every problem is reported with its row and
column, nothing is written unless every row is valid, and importing the same
form twice updates the responses instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.evaluation.answer_dates import date_problem
from mentorapp.evaluation.form_checks import parse_exported
from mentorapp.evaluation.form_reading import FormProblem, FormReading, FormRow, plan_rows, save_readings
from mentorapp.evaluation.instrument import (
    ITEMS,
    ITEMS_BY_KEY,
    MAX_MEETINGS,
    MAX_TEXT,
    STAGE_LABELS,
    Item,
    ResponseData,
    answer_value,
    clean_answer,
    cohort_options,
)
from mentorapp.evaluation.stats import asked_participants
from mentorapp.importing.form_answers import answer_date, other_cohort
from mentorapp.outputs.files import atomic_path
from mentorapp.outputs.safe_text import set_text
from mentorapp.people.vocabulary import ROLE_LABELS
from mentorapp.store import audit
from mentorapp.store.db import Database
from mentorapp.store.models import Cohort, EvaluationAnswer, EvaluationResponse, Participant, utcnow

FORM_SHEET = "Responses"
META_SHEET = "mentorapp"
FORM_KIND = "mentorapp evaluation form"
FORM_VERSION = 2  # 2: exported_at (UTC, to the second) and form_id
KEY_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3
ID_KEY, NAME_KEY, ROLE_KEY, DATE_KEY = "participant_id", "name", "role", "date_answered"

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
LOCKED_FILL = PatternFill("solid", fgColor="EEEEEE")
NOT_ASKED_FILL = PatternFill("solid", fgColor="D9D9D9")
THIN = Side(style="thin", color="BFBFBF")
INSTRUCTION_CHARS_PER_LINE = 80


def stage_items(stage: str, options: frozenset[str] = frozenset()) -> list[Item]:
    """The questions of a stage for any role, in form order."""
    return [i for i in ITEMS if i.applies("both", stage, options)]


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role.capitalize())


# --- export ----------------------------------------------------------------------------------


def write_evaluation_form(
    session: Session, cohort_id: int, stage: str, target: str | os.PathLike[str], *, prefill: bool = True
) -> int:
    """Write the form for ``stage``; returns the number of participant rows.

    With ``prefill`` the answers already stored are filled in, so a form can
    be sent out again and re-imported without losing anything.
    """
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    asked = asked_participants(session, cohort_id)
    people = session.execute(
        select(Participant.id, Participant.title, Participant.first_name, Participant.last_name, Participant.role)
        .where(Participant.id.in_(list(asked)) if asked else Participant.id < 0)
        .order_by(Participant.last_name, Participant.first_name, Participant.id)
    ).all()
    existing: dict[int, tuple[dt.date | None, dict[str, Any]]] = {}
    if prefill:
        rows = session.execute(
            select(
                EvaluationResponse.participant_id,
                EvaluationResponse.submitted_on,
                EvaluationAnswer.item_key,
                EvaluationAnswer.value_int,
                EvaluationAnswer.value_text,
            )
            .join(EvaluationAnswer, EvaluationAnswer.response_id == EvaluationResponse.id)
            .where(EvaluationResponse.cohort_id == cohort_id, EvaluationResponse.stage == stage)
        )
        for pid, day, key, vint, vtext in rows:
            existing.setdefault(pid, (day, {}))[1][key] = answer_value(key, vint, vtext)

    options = cohort_options(cohort.settings)
    items = stage_items(stage, options)
    wb = Workbook()
    guide = wb.active
    guide.title = "Instructions"
    _instructions(guide, cohort.name, stage, items)

    ws = wb.create_sheet(FORM_SHEET)
    keys = [ID_KEY, NAME_KEY, ROLE_KEY, DATE_KEY] + [i.key for i in items]
    headers = ["Participant id", "Name", "Role", "Date answered"] + [i.label for i in items]
    for col, (key, header) in enumerate(zip(keys, headers), start=1):
        set_text(ws.cell(row=KEY_ROW, column=col), key)
        cell = ws.cell(row=HEADER_ROW, column=col)
        set_text(cell, header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.border = Border(bottom=THIN)
        item = ITEMS_BY_KEY.get(key)
        if item is not None:
            cell.comment = Comment(item.question + _hint(item), "mentorapp", width=260, height=90)
        letter = get_column_letter(col)
        width = 8 if key == ID_KEY else 28 if key == NAME_KEY else 12 if key in (ROLE_KEY, DATE_KEY) else 14
        if item is not None and item.kind == "text":
            width = 45
        ws.column_dimensions[letter].width = width
    ws.row_dimensions[KEY_ROW].hidden = True
    ws.row_dimensions[HEADER_ROW].height = 45
    ws.column_dimensions["A"].hidden = True

    unlocked = Protection(locked=False)
    for r, (pid, title, first, last, role) in enumerate(people, start=FIRST_ROW):
        day, given = existing.get(pid, (None, {}))
        ws.cell(row=r, column=1, value=pid)
        set_text(ws.cell(row=r, column=2), " ".join(p for p in (title, first, last) if p))
        set_text(ws.cell(row=r, column=3), role_label(role))
        for col in (1, 2, 3):
            ws.cell(row=r, column=col).fill = LOCKED_FILL
        date_cell = ws.cell(row=r, column=4, value=day)
        date_cell.number_format = "yyyy-mm-dd"
        date_cell.protection = unlocked
        for col, item in enumerate(items, start=5):
            cell = ws.cell(row=r, column=col)
            if not item.applies(role, stage, options):
                cell.fill = NOT_ASKED_FILL  # locked: this question is not asked of this role
                continue
            cell.protection = unlocked
            value = given.get(item.key)
            if item.kind == "yesno" and value is not None:
                value = "Yes" if value else "No"
            if item.kind == "text":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
                set_text(cell, value)
            else:
                cell.value = value
    last_row = max(FIRST_ROW, FIRST_ROW + len(people) - 1)
    _validations(ws, items, last_row)
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=5)
    ws.auto_filter.ref = f"B{HEADER_ROW}:{get_column_letter(len(keys))}{last_row}"
    # If printed: landscape, headings on every page.
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False

    meta = wb.create_sheet(META_SHEET)
    for r, (k, v) in enumerate(
        (
            ("form", FORM_KIND),
            ("version", FORM_VERSION),
            ("cohort_id", cohort.id),
            ("cohort", cohort.name),
            ("stage", stage),
            ("exported_at", utcnow().isoformat()),
            ("form_id", uuid.uuid4().hex),
        ),
        start=1,
    ):
        set_text(meta.cell(row=r, column=1), k)
        set_text(meta.cell(row=r, column=2), v) if isinstance(v, str) else meta.cell(row=r, column=2, value=v)
    meta.sheet_state = "hidden"
    wb.active = 0
    audit.check_export_allowed(session)  # names people: recorded, or refused before a file is written
    with atomic_path(target) as tmp:
        wb.save(tmp)
    audit.record(
        session,
        "evaluation forms exported",
        f"{STAGE_LABELS[stage]} evaluation form of '{cohort.name}' exported ({len(people)} rows)",
        cohort_id=cohort.id,
        entity_type="cohort",
        entity_id=cohort.id,
    )
    return len(people)


def _hint(item: Item) -> str:
    if item.kind == "scale":
        return "\n" + "; ".join(f"{n} = {word}" for n, word in enumerate(item.scale, start=1)) + "."
    if item.kind == "count":
        return "\nA whole number, 0 or more."
    if item.kind == "yesno":
        return "\nYes or No."
    return ""


def _validations(ws: Any, items: list[Item], last_row: int) -> None:
    for col, item in enumerate(items, start=5):
        letter = get_column_letter(col)
        if item.kind == "scale":
            dv = DataValidation(type="list", formula1='"1,2,3,4,5"', allow_blank=True)
            dv.error = f"Choose a rating from 1 to 5 ({item.scale_text()})."
        elif item.kind == "yesno":
            dv = DataValidation(type="list", formula1='"Yes,No"', allow_blank=True)
            dv.error = "Choose Yes or No."
        elif item.kind == "count":
            dv = DataValidation(type="whole", operator="between", formula1="0", formula2=str(MAX_MEETINGS))
            dv.allow_blank = True
            dv.error = f"Enter a whole number from 0 to {MAX_MEETINGS}."
        else:
            dv = DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_TEXT))
            dv.allow_blank = True
            dv.error = f"Keep the answer under {MAX_TEXT} characters."
        dv.errorTitle = item.label
        dv.showErrorMessage = True
        dv.promptTitle = item.label[:32]
        dv.prompt = (item.question + (f" {item.scale_text()}." if item.kind == "scale" else ""))[:250]
        dv.showInputMessage = True
        dv.add(f"{letter}{FIRST_ROW}:{letter}{last_row}")
        ws.add_data_validation(dv)
    date_dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
    date_dv.error = "Enter the date the form was filled in (for example 3 October 2024), or leave it blank."
    date_dv.showErrorMessage = True
    date_dv.add(f"D{FIRST_ROW}:D{last_row}")
    ws.add_data_validation(date_dv)


def _instructions(ws: Any, cohort_name: str, stage: str, items: list[Item]) -> None:
    lines: list[tuple[str, bool]] = [
        (f"{'Baseline' if stage == 'baseline' else 'Six-month'} evaluation: {cohort_name}", True),
        ("", False),
        ("How to fill in this form", True),
        (
            "1. Go to the 'Responses' sheet. There is one row per participant; the grey columns cannot be changed.",
            False,
        ),
        (
            "2. Type or choose each answer. Ratings go from 1 to 5; each question's words for them are listed below.",
            False,
        ),
        ("3. Dark grey cells are questions that person is not asked (for example mentors-only questions).", False),
        (
            "4. Leave a row empty if that person did not answer; put the day they answered in 'Date answered'.",
            False,
        ),
        ("5. Do not add, delete or re-order rows, and do not change the hidden first column or row.", False),
        ("6. Save the file and import it with Evaluation > Import filled forms in mentorapp, or:", False),
        (f'   python -m mentorapp import-evaluations FILE.xlsx --cohort "{cohort_name}"', False),
        ("   Importing the same form again updates the answers; nothing is counted twice.", False),
        ("", False),
        ("Questions and their scales", True),
    ]
    for item in items:
        who = "mentors only" if item.roles == ("mentor",) else "everyone"
        scale = f" [{item.scale_text()}]" if item.kind == "scale" else ""
        lines.append((f"{item.label}: {item.question}{scale} ({who})", False))
    for r, (text, bold) in enumerate(lines, start=1):
        cell = ws.cell(row=r, column=1)
        set_text(cell, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        # openpyxl cannot measure text: give long lines the height of their wrapped lines.
        wrapped = -(-len(text) // (INSTRUCTION_CHARS_PER_LINE + 12))  # the column fits a few more
        if wrapped > 1 and not bold:
            ws.row_dimensions[r].height = 15 * wrapped
        if bold:
            cell.font = Font(bold=True, size=14 if r == 1 else 11)
    ws.column_dimensions["A"].width = INSTRUCTION_CHARS_PER_LINE
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0


# --- import ----------------------------------------------------------------------------------


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()[:10]
    return str(value)[:80]


def open_workbook(path: Path) -> Any:
    """The workbook, or UserError naming the file."""
    if not path.is_file():
        raise UserError(f"The file {path} does not exist.")
    try:
        return load_workbook(path, data_only=False)
    except (InvalidFileException, KeyError, OSError, ValueError) as exc:
        raise UserError(f"{path.name} is not an Excel workbook (.xlsx) that can be read: {exc}.") from exc
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise UserError(f"{path.name} is not an Excel workbook (.xlsx) that can be read.") from exc


def read_meta(wb: Any) -> dict[str, Any]:
    """The hidden details sheet (form kind, cohort, stage, when it was made) as a dict."""
    meta: dict[str, Any] = {}
    if META_SHEET in wb.sheetnames:
        for k, v in wb[META_SHEET].iter_rows(min_row=1, max_col=2, values_only=True):
            if k:
                meta[str(k)] = v
    return meta


def check_meta(file_name: str, meta: dict[str, Any], kind: str, version: int) -> None:
    """Refuse a form whose hidden details sheet is not one this version wrote, saying which part is wrong."""
    if meta.get("form") != kind:
        raise UserError(f"{file_name} is not a mentorapp evaluation form (its hidden details sheet is missing).")
    if meta.get("stage") not in STAGE_LABELS:
        raise UserError(f"{file_name} cannot be read: its hidden details sheet was changed (the stage).")
    try:
        made_by = int(meta.get("version") or 1)
    except (TypeError, ValueError):
        raise UserError(f"{file_name} cannot be read: its hidden details sheet was changed (the version).") from None
    if made_by > version:
        raise UserError(
            f"{file_name} was made by a newer mentorapp (form version {made_by}; this one reads up to {version}); "
            "read it with that version, or export the form again from this one."
        )


def form_cohort(session: Session, cohort_id: int, path: Path, meta: dict[str, Any]) -> Cohort:
    """The cohort a form is read into, refused with a sentence if the form is another cohort's."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    if str(meta.get("cohort_id")) != str(cohort.id):
        raise UserError(other_cohort(path.name, "form", meta, cohort))
    return cohort


def read_evaluation_form(session: Session, cohort_id: int, path: str | os.PathLike[str], wb: Any = None) -> FormReading:
    """Check a filled grid completely; nothing is written."""
    path = Path(path)
    wb = open_workbook(path) if wb is None else wb
    if FORM_SHEET not in wb.sheetnames:
        raise UserError(f"{path.name} is not a mentorapp evaluation form: it has no '{FORM_SHEET}' sheet.")
    meta = read_meta(wb)
    check_meta(path.name, meta, FORM_KIND, FORM_VERSION)
    cohort = form_cohort(session, cohort_id, path, meta)
    stage = str(meta["stage"])
    options = cohort_options(cohort.settings)
    reading = FormReading(path, cohort.id, stage)
    reading.exported_at = parse_exported(meta.get("exported_at") or meta.get("exported"))
    reading.form_id = str(meta.get("form_id") or "")
    ws = wb[FORM_SHEET]
    key_row = [c.value for c in ws[KEY_ROW]]
    header_row = [c.value for c in ws[HEADER_ROW]]
    columns: dict[str, int] = {}
    for index, key in enumerate(key_row):
        if isinstance(key, str) and key.strip():
            columns[key.strip()] = index
    if ID_KEY not in columns:
        raise UserError(f"{path.name}: the hidden participant id column is missing; export a new form.")

    def label(index: int) -> str:
        header = header_row[index] if index < len(header_row) else None
        return f"{get_column_letter(index + 1)} ({header})" if header else get_column_letter(index + 1)

    people = {}
    names = {}
    for pid, role, first, last in session.execute(
        select(Participant.id, Participant.role, Participant.first_name, Participant.last_name).where(
            Participant.cohort_id == cohort.id
        )
    ):
        people[pid], names[pid] = role, f"{first} {last}"
    item_columns = [(ITEMS_BY_KEY[k], i) for k, i in columns.items() if k in ITEMS_BY_KEY]
    unknown = [k for k in columns if k not in ITEMS_BY_KEY and k not in (ID_KEY, NAME_KEY, ROLE_KEY, DATE_KEY)]
    for key in unknown:
        reading.problems.append(
            FormProblem(KEY_ROW, label(columns[key]), key, f"'{key}' is not a question of the evaluation.")
        )
    seen: dict[int, int] = {}
    for number, cells in enumerate(ws.iter_rows(min_row=FIRST_ROW), start=FIRST_ROW):
        values = [c.value for c in cells]

        def at(index: int, values: list[Any] = values) -> Any:
            return values[index] if index < len(values) else None

        answers_given = [(item, i) for item, i in item_columns if at(i) not in (None, "")]
        raw_id = at(columns[ID_KEY])
        if not answers_given:
            if raw_id is not None or any(v not in (None, "") for v in values):
                reading.blank_rows += 1
            continue
        problems_before = len(reading.problems)
        pid = raw_id if isinstance(raw_id, int) else int(raw_id) if str(raw_id or "").strip().isdigit() else None
        if pid is None:
            reading.problems.append(
                FormProblem(
                    number,
                    label(columns[ID_KEY]),
                    cell_text(raw_id),
                    "This row has answers but no participant id; rows must not be added by hand.",
                )
            )
            continue
        role = people.get(pid)
        if role is None:
            reading.problems.append(
                FormProblem(number, label(columns[ID_KEY]), str(pid), f"No participant #{pid} in '{cohort.name}'.")
            )
            continue
        if pid in seen:
            reading.problems.append(
                FormProblem(number, label(columns[ID_KEY]), str(pid), f"This participant is also on row {seen[pid]}.")
            )
            continue
        seen[pid] = number
        answers: dict[str, Any] = {}
        for item, index in answers_given:
            cell = cells[index]
            value = cell.value
            if cell.data_type == "f":
                reading.problems.append(
                    FormProblem(number, label(index), cell_text(value), "The cell holds a formula; type the answer.")
                )
                continue
            stored, problem = clean_answer(item, value)
            if problem:
                reading.problems.append(FormProblem(number, label(index), cell_text(value), problem))
            elif not item.applies(role, stage, options):
                reading.problems.append(
                    FormProblem(number, label(index), cell_text(value), f"This question is not asked of a {role}.")
                )
            elif stored is not None:
                answers[item.key] = stored
        day = None
        if DATE_KEY in columns:
            raw_day = at(columns[DATE_KEY])
            day, problem = read_date(raw_day)
            problem = problem or date_problem(day, cohort)
            if problem:
                reading.problems.append(FormProblem(number, label(columns[DATE_KEY]), cell_text(raw_day), problem))
        if len(reading.problems) == problems_before:
            data = ResponseData(participant_id=pid, stage=stage, answers=answers, submitted_on=day, role=role)
            reading.rows.append(FormRow(number, data, name=names[pid]))
    plan_rows(session, reading)
    return reading


def read_date(value: Any) -> tuple[dt.date | None, str | None]:
    """The date a form was filled in (None when blank), or the sentence saying why it cannot be read."""
    try:
        return answer_date(value), None
    except ValueError as exc:
        return None, f"'{value}' {exc}."


def import_evaluation_form(
    db: Database, cohort_id: int, path: str | os.PathLike[str], *, conflicts: str = "refuse"
) -> FormReading:
    """Read a filled grid and, if every row is valid, save all its responses in one transaction."""
    with db.session() as session:
        reading = read_evaluation_form(session, cohort_id, path)
    save_readings(db, cohort_id, [reading], conflicts=conflicts)
    return reading
