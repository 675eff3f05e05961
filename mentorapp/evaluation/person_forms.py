"""A form per person: one workbook each, naming nobody else, to send to that participant.

Each workbook is addressed to its participant: why they are asked, who reads the
answers and how they are reported, their own questions with scale words that fit
each question, and (only where a question needs it) their own mentor or mentees
by name. At six months it can show their own baseline answers beside the
questions. Nothing about any other participant is in the file, hidden or not:
the details sheet holds the cohort, the stage, this participant's id and when
the form was made. Files are named ``Last First stage id.xlsx`` (safe, unique by
the id) and written all or none into a folder (:func:`mentorapp.outputs.files.folder_export`).
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.evaluation.answer_dates import date_problem
from mentorapp.evaluation.form_checks import parse_exported
from mentorapp.evaluation.form_reading import FormProblem, FormReading, FormRow, plan_rows
from mentorapp.evaluation.forms import META_SHEET, cell_text, check_meta, form_cohort, read_date, read_meta
from mentorapp.evaluation.instrument import (
    ITEMS_BY_KEY,
    MAX_MEETINGS,
    MAX_TEXT,
    STAGE_LABELS,
    Item,
    ResponseData,
    clean_answer,
    cohort_options,
    get_response,
    items_for,
)
from mentorapp.evaluation.stats import TAKEN_UP, asked_participants
from mentorapp.outputs.files import folder_export, person_filename
from mentorapp.outputs.safe_text import set_text
from mentorapp.store import audit
from mentorapp.store.ids import row_id
from mentorapp.store.models import Cohort, Match, Participant, utcnow
from mentorapp.words import listing

PERSON_FORM_KIND = "mentorapp personal evaluation form"
PERSON_FORM_VERSION = 1
SHEET = "Your evaluation"
KEY_COL, QUESTION_COL, ANSWER_COL, HOW_COL, BEFORE_COL = 1, 2, 3, 4, 5
DATE_KEY = "date_answered"
PARTNER_ITEMS = ("meetings",)  # questions that refer to the mentoring partner

HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
ANSWER_FILL = PatternFill("solid", fgColor="FFFDE7")
THIN = Side(style="thin", color="BFBFBF")


@dataclass
class PersonForm:
    """Everything one participant's form says (plain values, for writing and for tests)."""

    participant_id: int
    name: str
    first_name: str
    last_name: str
    role: str
    partners: list[str]
    items: list[Item]
    answers: dict[str, Any]
    baseline: dict[str, Any] | None
    submitted_on: Any


def _partners(session: Session, person_id: int, role: str) -> list[str]:
    """The names of this person's own mentor(s) or mentees, in matches that ran."""
    rows = session.execute(
        select(Match.mentor_id, Match.mentee_id).where(
            Match.status.in_(TAKEN_UP), or_(Match.mentor_id == person_id, Match.mentee_id == person_id)
        )
    ).all()
    ids = [mentee if mentor == person_id else mentor for mentor, mentee in rows]
    if not ids:
        return []
    people = session.execute(
        select(Participant.id, Participant.first_name, Participant.last_name).where(Participant.id.in_(ids))
    ).all()
    return sorted(f"{first} {last}" for _id, first, last in people)


def person_forms(
    session: Session, cohort_id: int, stage: str, *, prefill: bool = True, with_baseline: bool = False
) -> list[PersonForm]:
    """One form per participant asked to evaluate, in name order."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    options = cohort_options(cohort.settings)
    asked = asked_participants(session, cohort_id)
    people = session.execute(
        select(Participant.id, Participant.title, Participant.first_name, Participant.last_name, Participant.role)
        .where(Participant.id.in_(list(asked)) if asked else Participant.id < 0)
        .order_by(Participant.last_name, Participant.first_name, Participant.id)
    ).all()
    forms = []
    for pid, title, first, last, role in people:
        items = items_for(role, stage, options)
        needs_partner = any(i.key in PARTNER_ITEMS for i in items)
        current = get_response(session, pid, stage) if prefill else None
        baseline = None
        if with_baseline and stage == "six_month":
            before = get_response(session, pid, "baseline")
            baseline = dict(before.answers) if before is not None else {}
        forms.append(
            PersonForm(
                participant_id=pid,
                name=" ".join(p for p in (title, first, last) if p),
                first_name=first or "",
                last_name=last or "",
                role=role,
                partners=_partners(session, pid, role) if needs_partner else [],
                items=items,
                answers=dict(current.answers) if current else {},
                baseline=baseline,
                submitted_on=current.submitted_on if current else None,
            )
        )
    return forms


def _role_words(role: str) -> str:
    return {"mentee": "a mentee", "mentor": "a mentor"}.get(role, "a mentee and a mentor")


def _partner_line(form: PersonForm) -> str:
    if not form.partners:
        return ""
    if form.role == "mentor":
        who = "your mentee" if len(form.partners) == 1 else "your mentees"
    else:
        who = "your mentor" if len(form.partners) == 1 else "your mentors"
    names = listing(form.partners)
    return f"Questions about your mentoring partner mean {who}, {names}."


def intro_lines(form: PersonForm, cohort_name: str, stage: str) -> list[str]:
    """The purpose and confidentiality text, addressed to the participant."""
    when = "at the start of the scheme" if stage == "baseline" else "after six months of the scheme"
    lines = [
        f"Dear {form.first_name or form.name},",
        f"Thank you for taking part in {cohort_name} as {_role_words(form.role)}. This short form asks how you see "
        f"yourself {when}, so that the scheme can be judged on what it set out to do and improved for those who "
        "come after you. It takes about five minutes.",
        "Your answers are confidential. Only the scheme coordinator reads this form. The evaluation report shows "
        "figures for the group as a whole, never yours alone; a comment may be quoted only without your name and "
        "after anything that could identify you or others has been removed. Answering is voluntary: leave out any "
        "question you prefer not to answer.",
    ]
    partner = _partner_line(form)
    if partner:
        lines.append(partner)
    lines.append(
        "Fill in the yellow cells (choose a rating from the list or type it), then save the file and send it "
        "back to the coordinator. Please do not rename the sheets or change the grey cells."
    )
    return lines


def _how(item: Item) -> str:
    if item.kind == "scale":
        return "; ".join(f"{n} = {word}" for n, word in enumerate(item.scale, start=1))
    if item.kind == "count":
        return f"A whole number, 0 to {MAX_MEETINGS}"
    if item.kind == "yesno":
        return "Yes or No"
    return "Your own words (optional)"


def _shown(item: Item, value: Any) -> Any:
    if value is None:
        return None
    if item.kind == "yesno":
        return "Yes" if value else "No"
    if item.kind == "scale":
        return item.scale_label(int(value))
    return value


def write_person_form(form: PersonForm, cohort: Cohort, stage: str, target: str | os.PathLike[str]) -> None:
    """One participant's workbook (not atomic by itself: :func:`export_person_forms` moves it into place)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    title = f"{'Baseline' if stage == 'baseline' else 'Six-month'} evaluation: {cohort.name}"
    set_text(ws.cell(row=1, column=QUESTION_COL), title)
    ws.cell(row=1, column=QUESTION_COL).font = Font(bold=True, size=14)
    set_text(ws.cell(row=2, column=QUESTION_COL), f"For {form.name}")
    ws.cell(row=2, column=QUESTION_COL).font = Font(bold=True)
    row = 4
    for line in intro_lines(form, cohort.name, stage):
        ws.merge_cells(start_row=row, start_column=QUESTION_COL, end_row=row, end_column=HOW_COL)
        cell = ws.cell(row=row, column=QUESTION_COL)
        set_text(cell, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = 15 * max(1, -(-len(line) // 95))
        row += 1
    row += 1
    header_row = row
    headers = ["key", "Question", "Your answer", "How to answer"]
    if form.baseline is not None:
        headers.append("Your answer at the start")
    for col, text in enumerate(headers, start=KEY_COL):
        cell = ws.cell(row=header_row, column=col)
        set_text(cell, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = Border(bottom=THIN)
    unlocked = Protection(locked=False)
    rows: list[tuple[str, Item | None]] = [(DATE_KEY, None)] + [(i.key, i) for i in form.items]
    for offset, (key, item) in enumerate(rows, start=1):
        r = header_row + offset
        set_text(ws.cell(row=r, column=KEY_COL), key)
        question = ws.cell(row=r, column=QUESTION_COL)
        set_text(question, "Date you filled in this form" if item is None else item.question)
        question.alignment = Alignment(wrap_text=True, vertical="top")
        answer = ws.cell(row=r, column=ANSWER_COL)
        answer.protection = unlocked
        answer.fill = ANSWER_FILL
        answer.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
        how = ws.cell(row=r, column=HOW_COL)
        how.alignment = Alignment(wrap_text=True, vertical="top")
        if item is None:
            answer.value = form.submitted_on
            answer.number_format = "yyyy-mm-dd"
            set_text(how, "The date, for example 3 October 2024")
            _validate(ws, f"C{r}", None)
            continue
        value = _shown(item, form.answers.get(item.key))
        if item.kind == "text":
            set_text(answer, value)
            answer.alignment = Alignment(wrap_text=True, vertical="top")
            ws.row_dimensions[r].height = 75
        elif isinstance(value, str):
            set_text(answer, value)
        else:
            answer.value = value
        set_text(how, _how(item))
        if form.baseline is not None and item.benefit:
            set_text(ws.cell(row=r, column=BEFORE_COL), _shown(item, form.baseline.get(item.key)) or "not answered")
        _validate(ws, f"C{r}", item)
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["B"].width = 58
    ws.column_dimensions["C"].width = 26
    ws.column_dimensions["D"].width = 40
    ws.column_dimensions["E"].width = 22
    ws.freeze_panes = ws.cell(row=header_row + 1, column=QUESTION_COL)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.page_setup.orientation = "portrait"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    meta = wb.create_sheet(META_SHEET)
    for r, (k, v) in enumerate(
        (
            ("form", PERSON_FORM_KIND),
            ("version", PERSON_FORM_VERSION),
            ("cohort_id", cohort.id),
            ("cohort", cohort.name),
            ("stage", stage),
            ("participant_id", form.participant_id),
            ("header_row", header_row),
            ("exported_at", utcnow().isoformat()),
            ("form_id", uuid.uuid4().hex),
        ),
        start=1,
    ):
        set_text(meta.cell(row=r, column=1), k)
        if isinstance(v, str):
            set_text(meta.cell(row=r, column=2), v)
        else:
            meta.cell(row=r, column=2, value=v)
    meta.sheet_state = "hidden"
    wb.save(target)


def _validate(ws: Any, ref: str, item: Item | None) -> None:
    if item is None:
        dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True)
        dv.error = "Enter a date, for example 3 October 2024."
    elif item.kind == "scale":
        labels = ",".join(item.scale_label(n) for n in range(1, 6))
        dv = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=True)
        dv.error = f"Choose a rating from the list ({item.scale_text()})."
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
    dv.showErrorMessage = True
    dv.add(ref)
    ws.add_data_validation(dv)


def form_filename(form: PersonForm, stage: str) -> str:
    """``Archer Alice six-month 12.xlsx``: safe, and unique by the id at its end."""
    last_first = f"{form.last_name} {form.first_name}"
    stage_label = "baseline" if stage == "baseline" else "six-month"
    return person_filename(last_first, form.participant_id, ".xlsx", detail=f" {stage_label}")


def export_person_forms(
    session: Session,
    cohort_id: int,
    stage: str,
    out_dir: str | os.PathLike[str],
    *,
    prefill: bool = True,
    with_baseline: bool = False,
    earlier: str = "refuse",
) -> list[Path]:
    """Write every participant's form into ``out_dir``, all or none; returns the paths."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    forms = person_forms(session, cohort_id, stage, prefill=prefill, with_baseline=with_baseline)
    if not forms:
        raise UserError(f"Nobody in '{cohort.name}' is to be asked yet: participants are asked once matched.")
    names = [form_filename(f, stage) for f in forms]
    audit.check_export_allowed(session)  # names people: recorded, or refused before a file is written
    folder = Path(out_dir)
    with folder_export(folder, names, earlier=earlier) as temps:
        for form, tmp in zip(forms, temps):
            write_person_form(form, cohort, stage, tmp)
    audit.record(
        session,
        "evaluation forms exported",
        f"{STAGE_LABELS[stage]} evaluation forms of '{cohort.name}' exported, one per person ({len(forms)})",
        cohort_id=cohort.id,
        entity_type="cohort",
        entity_id=cohort.id,
    )
    return [folder / n for n in names]


# --- reading one back ---------------------------------------------------------------------------


def read_person_form(session: Session, cohort_id: int, path: Path, wb: Any) -> FormReading:
    """Check one participant's returned form completely; nothing is written."""
    meta = read_meta(wb)
    check_meta(path.name, meta, PERSON_FORM_KIND, PERSON_FORM_VERSION)
    if SHEET not in wb.sheetnames:
        raise UserError(f"{path.name} is not a mentorapp evaluation form (its hidden details sheet is missing).")
    cohort = form_cohort(session, cohort_id, path, meta)
    stage = str(meta["stage"])
    reading = FormReading(path, cohort.id, stage)
    reading.exported_at = parse_exported(meta.get("exported_at"))
    reading.form_id = str(meta.get("form_id") or "")
    try:
        pid = row_id(meta.get("participant_id"))
    except (TypeError, ValueError):
        raise UserError(
            f"{path.name}: the hidden participant id is missing or was changed; export a new form."
        ) from None
    person = session.get(Participant, pid)
    if person is None or person.cohort_id != cohort.id:
        raise UserError(f"{path.name}: participant #{pid} is no longer in '{cohort.name}'.")
    options = cohort_options(cohort.settings)
    ws = wb[SHEET]
    answers: dict[str, Any] = {}
    day = None
    found_date = False
    for r in range(1, ws.max_row + 1):
        key = ws.cell(row=r, column=KEY_COL).value
        if not isinstance(key, str) or not (key == DATE_KEY or key in ITEMS_BY_KEY):
            continue
        cell = ws.cell(row=r, column=ANSWER_COL)
        column = "C (Your answer)"
        if cell.data_type == "f":
            reading.problems.append(
                FormProblem(r, column, cell_text(cell.value), "The cell holds a formula; type the answer.")
            )
            continue
        if key == DATE_KEY:
            found_date = True
            day, problem = read_date(cell.value)
            problem = problem or date_problem(day, cohort)
            if problem:
                reading.problems.append(FormProblem(r, column, cell_text(cell.value), problem))
            continue
        item = ITEMS_BY_KEY[key]
        stored, problem = clean_answer(item, cell.value)
        if problem:
            reading.problems.append(FormProblem(r, column, cell_text(cell.value), f"{item.label}: {problem}"))
        elif stored is not None:
            if not item.applies(person.role, stage, options):
                reading.problems.append(
                    FormProblem(r, column, cell_text(cell.value), f"{item.label} is not asked of a {person.role}.")
                )
            else:
                answers[item.key] = stored
    if not found_date and not answers:
        raise UserError(f"{path.name}: the form's questions are missing; export a new form.")
    if not reading.problems:
        if answers:
            data = ResponseData(pid, stage, answers, submitted_on=day, role=person.role)
            reading.rows.append(FormRow(0, data, name=f"{person.first_name} {person.last_name}"))
        else:
            reading.blank_rows = 1
    plan_rows(session, reading)
    return reading
