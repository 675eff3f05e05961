"""Erase finds the short forms of a name (a title or initial before the surname, names in brackets) and an email
written with ' at '; a surname alone, or after someone else's initial, is left."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from mentorapp import privacy
from mentorapp.store.models import AuditEvent, Participant

pytestmark = pytest.mark.both_databases

NOTES = {
    "Dr Chen said hi": "[erased] said hi",
    "D. Chen": "[erased]",
    "Dafydd (Chen)": "[erased]",
    "Chen [Dafydd] rang": "[erased] rang",
    "write to dafydd.chen25 at example.org": "write to [erased]",
    "or dafydd.chen25(at)example(dot)org.": "or [erased].",
    "and dafydd.chen25 [at] example.org": "and [erased]",
    "Prof. D. Chen agreed": "[erased] agreed",
    # Left alone: the surname with no title, initial or first name; someone else's initial; another surname.
    "Chen is a common name": "Chen is a common name",
    "J. Chen and Dr J. Chen": "J. Chen and Dr J. Chen",
    "Mr Cheng at example.org": "Mr Cheng at example.org",
}


def test_short_forms_of_the_name_and_written_out_email_go_and_unrelated_words_stay(demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        people = list(
            s.scalars(select(Participant).where(Participant.cohort_id == demo_cohort_id).order_by(Participant.id))
        )
        person, writers = people[0], people[1 : 1 + len(NOTES)]
        person.first_name, person.last_name, person.email = "Dafydd", "Chen", "dafydd.chen25@example.org"
        for writer, note in zip(writers, NOTES, strict=True):
            writer.notes = note
        pid, writer_ids = person.id, [w.id for w in writers]
        s.flush()
        s.add(AuditEvent(action="note", description="Spoke to Dr Chen about D. Chen's goals"))
    with demo_db.transaction() as s:
        privacy.erase_participant(s, pid)
    with demo_db.session() as s:
        got = {note: s.get(Participant, wid).notes for note, wid in zip(NOTES, writer_ids, strict=True)}
        assert got == NOTES
        lines = [e.description for e in s.scalars(select(AuditEvent))]
        assert "Spoke to [erased] participant about [erased] participant's goals" in lines
