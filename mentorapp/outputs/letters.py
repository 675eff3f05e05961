"""Match letters: one to the mentee and one to the mentor of each chosen match.

This module chooses the matches, writes the PDFs (one file, or one per participant) and
records the sending date. What a letter says comes from :mod:`mentorapp.outputs.letter_template`
(the template a coordinator edits), :mod:`mentorapp.outputs.letterhead` and
:mod:`mentorapp.outputs.letter_text` (the template filled in for one match); how it looks, from
:mod:`mentorapp.outputs.letter_layout`.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, selectinload

from mentorapp.errors import UserError
from mentorapp.outputs.files import CancelFn, Monitor, ProgressFn, atomic_path, folder_export, person_filename
from mentorapp.outputs.letter_layout import render_letters
from mentorapp.outputs.letter_template import LetterTemplate, load_template
from mentorapp.outputs.letter_text import SAMPLE_MATCH, CohortInfo, Letter, LetterMatch, Person, compose
from mentorapp.outputs.letterhead import load_letterhead
from mentorapp.store import audit
from mentorapp.store.models import MATCH_STATUSES, Match, Participant

DEFAULT_STATUSES = ("confirmed", "active")
SIDES = ("mentee", "mentor")


def list_letter_matches(
    session: Session,
    cohort_id: int,
    statuses: Sequence[str] | None = DEFAULT_STATUSES,
    match_ids: Sequence[int] | None = None,
    *,
    details: bool = True,
) -> list[LetterMatch]:
    """The matches to write letters for, by mentee name (``statuses=None``: every status).

    ``details=False`` leaves out goals, expertise and experience: one quick
    query, enough for listing thousands of matches on screen.
    """
    if statuses is not None:
        bad = [s for s in statuses if s not in MATCH_STATUSES]
        if bad:
            raise UserError(f"'{bad[0]}' is not a match status ({', '.join(MATCH_STATUSES)}).")
    if not details:
        return _list_light(session, cohort_id, statuses, match_ids)
    stmt = (
        select(Match)
        .where(Match.cohort_id == cohort_id)
        .options(
            # Person.from_model reads both goals and expertise of both sides: loaded here, never one by one.
            selectinload(Match.mentee).options(selectinload(Participant.goals), selectinload(Participant.expertise)),
            selectinload(Match.mentor).options(selectinload(Participant.goals), selectinload(Participant.expertise)),
        )
    )
    if statuses is not None:
        stmt = stmt.where(Match.status.in_(list(statuses)))
    if match_ids is not None:
        stmt = stmt.where(Match.id.in_(list(match_ids)))
    result = [
        LetterMatch(
            id=m.id,
            status=m.status,
            mentee=Person.from_model(m.mentee),
            mentor=Person.from_model(m.mentor),
            score=m.score,
            letter_sent_on=m.letter_sent_on,
            started_on=m.started_on,
        )
        for m in session.scalars(stmt)
    ]
    result.sort(key=lambda lm: (lm.mentee.last_name.casefold(), lm.mentee.first_name.casefold(), lm.id))
    return result


def _list_light(
    session: Session, cohort_id: int, statuses: Sequence[str] | None, match_ids: Sequence[int] | None
) -> list[LetterMatch]:
    mentee, mentor = aliased(Participant), aliased(Participant)
    person_cols = ("id", "title", "first_name", "last_name", "job_title", "organisation", "email", "phone")
    stmt = (
        select(
            Match.id,
            Match.status,
            Match.score,
            Match.letter_sent_on,
            Match.started_on,
            *(getattr(mentee, c) for c in person_cols),
            *(getattr(mentor, c) for c in person_cols),
        )
        .join(mentee, Match.mentee_id == mentee.id)
        .join(mentor, Match.mentor_id == mentor.id)
        .where(Match.cohort_id == cohort_id)
    )
    if statuses is not None:
        stmt = stmt.where(Match.status.in_(list(statuses)))
    if match_ids is not None:
        stmt = stmt.where(Match.id.in_(list(match_ids)))
    n = len(person_cols)
    result = [
        LetterMatch(
            id=row[0],
            status=row[1],
            score=row[2],
            letter_sent_on=row[3],
            started_on=row[4],
            mentee=Person(*row[5 : 5 + n]),
            mentor=Person(*row[5 + n : 5 + 2 * n]),
        )
        for row in session.execute(stmt)
    ]
    result.sort(key=lambda lm: (lm.mentee.last_name.casefold(), lm.mentee.first_name.casefold(), lm.id))
    return result


def mark_letters_sent(session: Session, match_ids: Sequence[int], on: dt.date | None) -> dict[int, dt.date | None]:
    """Record the sending date on the matches; returns the previous dates (for undo)."""
    previous: dict[int, dt.date | None] = {}
    cohort_id = None
    for m in session.scalars(select(Match).where(Match.id.in_(list(match_ids)))):
        previous[m.id] = m.letter_sent_on
        m.letter_sent_on = on
        cohort_id = m.cohort_id
    if previous:
        when = on.isoformat() if on else "not sent"
        audit.record(
            session,
            "letters marked sent",
            f"Letters of {len(previous)} match(es) marked as sent: {when}",
            cohort_id=cohort_id,
            entity_type="match",
            entity_id=next(iter(previous)) if len(previous) == 1 else None,
        )
    session.flush()
    return previous


def restore_letters_sent(session: Session, previous: dict[int, dt.date | None]) -> None:
    """Put back the dates ``mark_letters_sent`` returned (undo)."""
    for m in session.scalars(select(Match).where(Match.id.in_(list(previous)))):
        m.letter_sent_on = previous[m.id]
    if previous:
        audit.record(session, "letters marked sent", f"Sent dates of {len(previous)} match(es) restored")
    session.flush()


@dataclass
class LettersResult:
    files: list[Path]
    letters: int
    pages: int
    match_ids: list[int]


def export_letters(
    session: Session,
    cohort_id: int,
    *,
    path: str | os.PathLike[str] | None = None,
    out_dir: str | os.PathLike[str] | None = None,
    statuses: Sequence[str] | None = DEFAULT_STATUSES,
    match_ids: Sequence[int] | None = None,
    sides: Sequence[str] = SIDES,
    letter_date: dt.date | None = None,
    template: LetterTemplate | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    earlier: str = "refuse",
    record: bool = True,
) -> LettersResult:
    """Write the letters as one PDF (``path``) or one PDF per participant (``out_dir``).

    An export is recorded in the activity log (and refused if it could not be); ``record=False`` lays
    them out for a print preview or for the printer instead, which is no export of a file: the caller
    records what is printed.

    Nothing half-written survives a cancel or an error: every file is written under a
    temporary name and moved into place only once all are complete. One file per
    participant is named after them and ends with their id, so no two share a name;
    the files of an earlier export in ``out_dir`` are refused (``earlier="refuse"``,
    EarlierExportsError), cleared ("clear") or kept beside the new ones ("keep").
    """
    if (path is None) == (out_dir is None):
        raise UserError("Give either one PDF file or a folder for the letters.")
    cohort = CohortInfo.load(session, cohort_id)
    template = template or load_template(session, cohort_id)
    template.validate()
    letterhead = load_letterhead(session, cohort_id)
    day = letter_date or dt.date.today()
    matches = list_letter_matches(session, cohort_id, statuses, match_ids)
    letters = [compose(m, side, template, cohort, letterhead, day) for m in matches for side in sides]
    if not letters:
        raise UserError("There are no matches with the chosen statuses, so there are no letters to print.")
    if record:
        audit.check_export_allowed(session)  # recorded, or refused before a file is written
    monitor = Monitor(len(letters), progress, cancel)
    monitor.check()
    title = f"Match letters: {cohort.name}"
    if path is not None:
        with atomic_path(path) as tmp:
            pages = render_letters(letters, tmp, letterhead, letter_date=day, monitor=monitor, title=title)
        monitor.finish()
        if record:
            audit.record_export(
                session,
                f"{len(letters)} match letters of '{cohort.name}' written to {Path(path).name}",
                cohort_id=cohort_id,
            )
        return LettersResult([Path(path)], len(letters), pages, [m.id for m in matches])

    folder = Path(out_dir)  # type: ignore[arg-type]
    by_person: dict[int, list[Letter]] = {}
    for letter in letters:
        by_person.setdefault(letter.recipient.id, []).append(letter)
    groups = list(by_person.values())
    people = [g[0].recipient for g in groups]
    names = [person_filename(f"{p.last_name} {p.first_name}", p.id) for p in people]
    pages = 0
    # One file per person, in a folder created owner-only; all or none of them.
    with folder_export(folder, names, earlier=earlier) as temps:
        for person_letters, tmp in zip(groups, temps):
            pages += render_letters(person_letters, tmp, letterhead, letter_date=day, monitor=monitor, title=title)
    written = [folder / name for name in names]
    monitor.finish()
    if record:
        audit.record_export(
            session, f"{len(letters)} match letters of '{cohort.name}' written to {folder.name}", cohort_id=cohort_id
        )
    return LettersResult(written, len(letters), pages, [m.id for m in matches])


def preview_pdf(
    session: Session,
    cohort_id: int,
    template: LetterTemplate,
    side: str,
    *,
    match_id: int | None = None,
    letter_date: dt.date | None = None,
) -> bytes:
    """One letter as PDF bytes for the live preview: a real match if there is one, else a sample.

    Raises TemplateError for an unknown placeholder, before any layout.
    """
    template.validate()
    cohort = CohortInfo.load(session, cohort_id)
    letterhead = load_letterhead(session, cohort_id)
    if match_id is None:  # the first confirmed or active match, else any
        for statuses in (DEFAULT_STATUSES, MATCH_STATUSES):
            match_id = session.scalar(
                select(Match.id).where(Match.cohort_id == cohort_id, Match.status.in_(statuses)).limit(1)
            )
            if match_id is not None:
                break
    found = list_letter_matches(session, cohort_id, None, [match_id]) if match_id is not None else []
    match = found[0] if found else SAMPLE_MATCH
    day = letter_date or dt.date.today()
    buffer = io.BytesIO()
    render_letters([compose(match, side, template, cohort, letterhead, day)], buffer, letterhead, letter_date=day)
    return buffer.getvalue()
