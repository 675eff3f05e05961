"""Check-in forms: one small workbook per person, sent out and read back.

A person's form names only them and their partner(s): one column of answers per pair
(a mentor with two mentees answers for each), the questions down the side, a hidden
sheet saying which cohort, person, pairs and check-in it belongs to. Reading a folder
back is all or nothing: every problem is named by file, cell and question, and a form of
another cohort, of a person no longer in that pair, or for a check-in that is not on the
schedule is refused. Importing the same form again replaces that person's answer.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from mentorapp.dates import long_date
from mentorapp.errors import UserError
from mentorapp.importing.form_answers import answer_date, other_cohort, whole, yes_no
from mentorapp.outputs.files import folder_export, person_filename
from mentorapp.outputs.safe_text import set_text
from mentorapp.running.checkins import (
    MAX_COMMENT,
    MAX_TIMES,
    CheckinData,
    Checkpoint,
    asked_at,
    checkin_schedule,
    due_checkpoint,
    save_checkin_answer,
    side_of,
)
from mentorapp.running.people import people_refs
from mentorapp.store import audit
from mentorapp.store.db import Database
from mentorapp.store.ids import row_id
from mentorapp.store.models import CheckinAnswer, Cohort, Match
from mentorapp.words import plural

FORM_KIND = "mentorapp check-in form"
SHEET, META = "Check-in", "mentorapp"
FIRST_COL = 2  # answers start in column B
QUESTIONS: tuple[tuple[str, str], ...] = (
    ("met", "Have you met since the last check-in (or since the start)? Yes or No"),
    ("times", "How many times?"),
    ("rating", "How is it going? 1 (not well) to 5 (very well)"),
    ("wants_contact", "Would you like the coordinator to get in touch? Yes or No"),
    ("comment", "Anything you would like to tell the coordinator (only they see it)"),
    ("submitted_on", "Date answered (for example 3 October 2024)"),
)
ROW_OF = {key: n for n, (key, _q) in enumerate(QUESTIONS, start=4)}
HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
SHOWN_PROBLEMS = 20  # listed one a line; the rest counted


def _cohort(session: Session, cohort_id: int) -> Cohort:
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    return cohort


def choose_checkpoint(session: Session, cohort_id: int, today: dt.date, day: dt.date | None = None) -> Checkpoint:
    """The check-in of ``day``, else the one due on ``today``, else the first one."""
    schedule = checkin_schedule(session, cohort_id)
    if day is not None:
        for c in schedule:
            if c.due_on == day:
                return c
        raise UserError(f"There is no check-in on {long_date(day)}; they are on {_dates(schedule)}.")
    return due_checkpoint(schedule, today) or schedule[0]


def _dates(schedule: list[Checkpoint]) -> str:
    return ", ".join(long_date(c.due_on) for c in schedule)


def form_workbook(session: Session, cohort_id: int, participant_id: int, checkpoint: Checkpoint) -> Workbook:
    """The form of one person for one check-in (their stored answers filled in)."""
    cohort = _cohort(session, cohort_id)
    pairs = [a for a in asked_at(session, cohort_id, checkpoint.due_on) if a.participant_id == participant_id]
    if not pairs:
        raise UserError(f"Participant #{participant_id} is not asked at the check-in of {checkpoint.due_on}.")
    people = people_refs(session, [participant_id, *(a.partner_id for a in pairs)])
    stored = {
        a.match_id: a
        for a in session.scalars(
            select(CheckinAnswer).where(
                CheckinAnswer.participant_id == participant_id, CheckinAnswer.checkpoint_on == checkpoint.due_on
            )
        )
    }
    me = people[participant_id]
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    set_text(ws.cell(row=1, column=1), f"{cohort.name} — {checkpoint.label}")
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    set_text(ws.cell(row=2, column=1), f"For {me.name}. Only the coordinator sees your answers.")
    ws.column_dimensions["A"].width = 62
    unlocked = Protection(locked=False)
    for n, (_key, question) in enumerate(QUESTIONS, start=4):
        set_text(ws.cell(row=n, column=1), question)
        ws.cell(row=n, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[ROW_OF["comment"]].height = 90
    for col, asked in enumerate(pairs, start=FIRST_COL):
        partner = people[asked.partner_id]
        head = ws.cell(row=3, column=col)
        set_text(head, f"With your {'mentor' if asked.role == 'mentee' else 'mentee'} {partner.name}")
        head.font, head.fill = Font(bold=True), HEADER_FILL
        head.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[head.column_letter].width = 34
        answer = stored.get(asked.match_id)
        values = {
            "met": None if answer is None or answer.met is None else ("Yes" if answer.met else "No"),
            "times": answer.times if answer else None,
            "rating": answer.rating if answer else None,
            "wants_contact": "Yes" if answer and answer.wants_contact else ("No" if answer else None),
            "comment": answer.comment if answer and answer.comment else None,
            "submitted_on": answer.submitted_on if answer else None,
        }
        for key, row in ROW_OF.items():
            cell = ws.cell(row=row, column=col)
            cell.protection = unlocked
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if key == "comment":
                set_text(cell, values[key])
            else:
                cell.value = values[key]
            if key == "submitted_on":
                cell.number_format = "yyyy-mm-dd"
    last = ws.cell(row=3, column=FIRST_COL + len(pairs) - 1).column_letter
    _validations(ws, last)
    ws.protection.sheet = True
    meta = wb.create_sheet(META)
    rows: list[tuple[str, Any]] = [
        ("form", FORM_KIND),
        ("cohort_id", cohort.id),
        ("cohort", cohort.name),
        ("participant_id", participant_id),
        ("checkpoint", checkpoint.due_on.isoformat()),
        ("match_ids", ",".join(str(a.match_id) for a in pairs)),
    ]
    for r, (k, v) in enumerate(rows, start=1):
        set_text(meta.cell(row=r, column=1), k)
        set_text(meta.cell(row=r, column=2), v) if isinstance(v, str) else meta.cell(row=r, column=2, value=v)
    meta.sheet_state = "hidden"
    return wb


def _validations(ws: Any, last: str) -> None:
    def add(key: str, dv: DataValidation, error: str) -> None:
        dv.error, dv.showErrorMessage, dv.allow_blank = error, True, True
        dv.add(f"B{ROW_OF[key]}:{last}{ROW_OF[key]}")
        ws.add_data_validation(dv)

    for key in ("met", "wants_contact"):
        add(key, DataValidation(type="list", formula1='"Yes,No"'), "Choose Yes or No.")
    add("times", DataValidation(type="whole", operator="between", formula1="0", formula2=str(MAX_TIMES)), "A number.")
    add("rating", DataValidation(type="list", formula1='"1,2,3,4,5"'), "Choose from 1 to 5.")
    add("comment", DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(MAX_COMMENT)), "Shorter.")
    add(
        "submitted_on",
        DataValidation(type="date", operator="greaterThan", formula1="36526"),
        "A date, for example 3 October 2024.",
    )


def form_bytes(session: Session, cohort_id: int, participant_id: int, checkpoint: Checkpoint) -> bytes:
    """The form as the bytes of an .xlsx file (to attach to a chase e-mail)."""
    buffer = io.BytesIO()
    form_workbook(session, cohort_id, participant_id, checkpoint).save(buffer)
    return buffer.getvalue()


def form_filename(label: str, participant_id: int, checkpoint: Checkpoint) -> str:
    return person_filename(label, participant_id, ".xlsx", detail=f" check-in {checkpoint.due_on.isoformat()}")


def export_checkin_forms(
    session: Session, cohort_id: int, folder: str | os.PathLike[str], checkpoint: Checkpoint, *, earlier: str = "refuse"
) -> list[Path]:
    """One form per person asked at ``checkpoint`` into ``folder`` (all or none of them)."""
    cohort = _cohort(session, cohort_id)
    ids = sorted({a.participant_id for a in asked_at(session, cohort_id, checkpoint.due_on)})
    if not ids:
        raise UserError(f"Nobody is asked at the check-in of {long_date(checkpoint.due_on)}: no pair had started.")
    people = people_refs(session, ids)
    names = [form_filename(people[pid].file_label, pid, checkpoint) for pid in ids]
    audit.check_export_allowed(session)
    with folder_export(folder, names, earlier=earlier) as temps:
        for pid, tmp in zip(ids, temps):
            form_workbook(session, cohort_id, pid, checkpoint).save(tmp)
    audit.record_export(
        session,
        f"{len(ids)} check-in forms ({long_date(checkpoint.due_on)}) of '{cohort.name}' written to {Path(folder).name}",
        cohort_id=cohort_id,
    )
    return [Path(folder) / n for n in names]


@dataclass
class CheckinReading:
    """What a folder of returned forms says, before anything is written."""

    answers: list[CheckinData] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    blank: int = 0  # answers left blank: a form's column for one pair (a mentor of two answers twice)
    copies: int = 0  # answers found again, the same, in a copy of a form ('Form (1).xlsx' saved twice)
    files: list[str] = field(default_factory=list)  # the file of each answer, in the order of ``answers``

    def summary(self, folder: str | os.PathLike[str]) -> str:
        """What an import of the folder did, in one sentence."""
        text = f"Imported {plural(len(self.answers), 'check-in answer')} from {folder}"
        if self.blank:
            text += f"; {self.blank} {'were' if self.blank != 1 else 'was'} left blank"
        if self.copies:
            text += f"; {plural(self.copies, 'copy', 'copies')} of a form said the same and counted once"
        return text + "."


def _yes_no(value: Any) -> bool | None:
    if value is None or str(value).strip() == "":
        return None
    answer = yes_no(value)
    if answer is None:
        raise ValueError("is not Yes or No")
    return answer


def _number(value: Any, low: int, high: int, *, rating: bool = False) -> int | None:
    """A count ('twice', '3 times') or a rating ('4 - well', '4/5') as people write it; None when blank."""
    if value is None or str(value).strip() == "":
        return None
    number = whole(value, out_of=high if rating else None)
    if number is None or not low <= number <= high:
        raise ValueError(f"is not a whole number from {low} to {high}")
    return number


def read_checkin_form(session: Session, cohort_id: int, path: Path, today: dt.date, reading: CheckinReading) -> None:
    """Add what one returned form says (or its problems, each naming the file and cell) to ``reading``."""
    cohort = _cohort(session, cohort_id)
    try:
        wb = load_workbook(path)
    except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
        reading.problems.append(f"{path.name}: not an Excel workbook that can be read ({type(exc).__name__}).")
        return
    meta = {}
    if META in wb.sheetnames:
        meta = {str(k): v for k, v in wb[META].iter_rows(max_col=2, values_only=True) if k}
    if meta.get("form") != FORM_KIND or SHEET not in wb.sheetnames:
        reading.problems.append(f"{path.name}: not a mentorapp check-in form.")
        return
    if str(meta.get("cohort_id")) != str(cohort.id):
        reading.problems.append(other_cohort(path.name, "check-in form", meta, cohort))
        return
    try:
        pid = row_id(meta["participant_id"])
        due = dt.date.fromisoformat(str(meta["checkpoint"]))
        match_ids = [row_id(x) for x in str(meta["match_ids"]).split(",")]
    except (KeyError, ValueError, TypeError):
        reading.problems.append(f"{path.name}: its hidden details sheet was changed; send the person a new form.")
        return
    if due not in {c.due_on for c in checkin_schedule(session, cohort_id)}:
        reading.problems.append(f"{path.name}: the check-in of {long_date(due)} is no longer on the schedule.")
        return
    ws = wb[SHEET]
    for col, mid in enumerate(match_ids, start=FIRST_COL):
        match = session.get(Match, mid)
        if match is None or match.cohort_id != cohort.id or side_of(match, pid) is None:
            reading.problems.append(f"{path.name}: participant #{pid} is not in pair #{mid} of '{cohort.name}'.")
            continue
        raw = {key: ws.cell(row=row, column=col).value for key, row in ROW_OF.items()}
        formulas = [
            ws.cell(row=row, column=col) for row in ROW_OF.values() if ws.cell(row=row, column=col).data_type == "f"
        ]
        if formulas:
            for cell in formulas:
                reading.problems.append(
                    f"{path.name}, cell {cell.coordinate}: the cell holds a formula; type the answer."
                )
            continue
        if all(v is None or str(v).strip() == "" for v in raw.values()):
            reading.blank += 1
            continue
        data = CheckinData(pid, mid, due)
        ok = True
        for key, convert in (
            ("met", _yes_no),
            ("wants_contact", _yes_no),
            ("times", lambda v: _number(v, 0, MAX_TIMES)),
            ("rating", lambda v: _number(v, 1, 5, rating=True)),
            ("submitted_on", answer_date),
        ):
            try:
                value = convert(raw[key])
            except ValueError as exc:
                cell = ws.cell(row=ROW_OF[key], column=col).coordinate
                reading.problems.append(f"{path.name}, cell {cell} ({key.replace('_', ' ')}): '{raw[key]}' {exc}.")
                ok = False
                continue
            setattr(data, key, bool(value) if key == "wants_contact" else value)
        data.comment = str(raw["comment"] or "").strip()
        if data.met is None and data.times:
            data.met = True
        for key, message in data.problems(today) if ok else []:
            cell = ws.cell(row=ROW_OF[key], column=col).coordinate
            reading.problems.append(f"{path.name}, cell {cell}: {message}")
            ok = False
        if ok:
            reading.answers.append(data)
            reading.files.append(path.name)


def read_checkin_folder(
    session: Session, cohort_id: int, folder: str | os.PathLike[str], today: dt.date
) -> CheckinReading:
    """Check every returned form in ``folder``; nothing is written."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(f"The folder {folder} does not exist.")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() == ".xlsx" and not p.name.startswith(("~$", ".")))
    if not files:
        raise UserError(f"There are no .xlsx forms in {folder}.")
    reading = CheckinReading()
    for path in files:
        read_checkin_form(session, cohort_id, path, today, reading)
    _one_answer_each(session, reading, folder)
    return reading


def _one_answer_each(session: Session, reading: CheckinReading, folder: Path) -> None:
    """A copy of a form saying the same is let go; two forms answering one check-in differently are a problem."""
    first: dict[tuple[int, int, dt.date], tuple[CheckinData, str]] = {}
    kept: list[tuple[CheckinData, str]] = []
    for data, name in zip(reading.answers, reading.files, strict=True):
        key = (data.participant_id, data.match_id, data.checkpoint_on)
        if key not in first:
            first[key] = (data, name)
            kept.append((data, name))
        elif first[key][0] == data:
            reading.copies += 1
        else:
            who = people_refs(session, [data.participant_id])[data.participant_id].name
            reading.problems.append(
                f"{first[key][1]} and {name} in {folder.name} both answer {who}'s check-in of "
                f"{long_date(data.checkpoint_on)}, differently; keep the right one in the folder."
            )
    reading.answers = [d for d, _n in kept]
    reading.files = [n for _d, n in kept]


def import_checkin_folder(
    db: Database, cohort_id: int, folder: str | os.PathLike[str], today: dt.date | None = None
) -> CheckinReading:
    """Read a folder of returned forms and, when every one is right, store all answers in one transaction."""
    today = today or dt.date.today()
    with db.session() as session:
        reading = read_checkin_folder(session, cohort_id, folder, today)
    if reading.problems:
        n = len(reading.problems)
        shown = reading.problems[:SHOWN_PROBLEMS]
        more = [f"... and {n - len(shown)} more."] if n > len(shown) else []
        lines = [f"Nothing was imported: {n} problem{'s' if n != 1 else ''}.", *(f"- {p}" for p in shown), *more]
        raise UserError("\n".join(lines))
    with db.transaction() as session:
        for data in reading.answers:
            save_checkin_answer(session, data, today=today)
    return reading


__all__ = [
    "CheckinReading",
    "choose_checkpoint",
    "export_checkin_forms",
    "form_bytes",
    "form_workbook",
    "import_checkin_folder",
    "read_checkin_folder",
]
