"""Reading returned forms: one file or a folder of them, either kind, all or nothing.

A path that is a folder is read as every ``.xlsx`` in it (not its sub-folders,
not Excel's ``~$`` lock files); each file may be a participant's own form or
the coordinator's grid. The same participant and stage in two files is a
problem, as is any problem in any file: then nothing is written.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.evaluation.form_reading import FormProblem, FormReading, save_readings
from mentorapp.evaluation.forms import FORM_KIND, open_workbook, read_evaluation_form, read_meta
from mentorapp.evaluation.person_forms import PERSON_FORM_KIND, read_person_form
from mentorapp.store.db import Database

MAX_FILES = 20000


def form_files(path: Path) -> list[Path]:
    """The workbooks to read: the file itself, or a folder's ``.xlsx`` files in name order."""
    if path.is_dir():
        files = sorted(
            p
            for p in path.iterdir()
            if p.suffix.lower() == ".xlsx" and p.is_file() and not p.name.startswith(("~$", "."))
        )
        if not files:
            raise UserError(f"{path} holds no Excel workbook (.xlsx) to import.")
        if len(files) > MAX_FILES:
            raise UserError(f"{path} holds {len(files)} workbooks; at most {MAX_FILES} are read at once.")
        return files
    if not path.exists():
        raise UserError(f"The file {path} does not exist.")
    return [path]


def read_form(session: Session, cohort_id: int, path: Path) -> FormReading:
    """One returned form of either kind."""
    wb = open_workbook(path)
    kind = read_meta(wb).get("form")
    if kind == PERSON_FORM_KIND:
        return read_person_form(session, cohort_id, path, wb)
    if kind == FORM_KIND or kind is None:
        return read_evaluation_form(session, cohort_id, path, wb)
    raise UserError(f"{path.name} is not a mentorapp evaluation form.")


def read_forms(session: Session, cohort_id: int, path: str | os.PathLike[str]) -> list[FormReading]:
    """Every form at ``path``, checked; a participant answering the same stage twice is a problem."""
    readings = [read_form(session, cohort_id, p) for p in form_files(Path(path))]
    seen: dict[tuple[int, str], str] = {}
    for reading in readings:
        for row in reading.rows:
            key = (row.data.participant_id, row.data.stage)
            if key in seen:
                reading.problems.append(
                    FormProblem(
                        row.row,
                        "-",
                        str(row.data.participant_id),
                        f"{row.name or 'This participant'} also answered this stage in {seen[key]}.",
                    )
                )
            else:
                seen[key] = reading.path.name
    return readings


def import_forms(
    db: Database, cohort_id: int, path: str | os.PathLike[str], *, conflicts: str = "refuse"
) -> list[FormReading]:
    """Read every form at ``path`` and, only if none has a problem, save them all in one transaction."""
    with db.session() as session:
        readings = read_forms(session, cohort_id, path)
    save_readings(db, cohort_id, readings, conflicts=conflicts)
    return readings
