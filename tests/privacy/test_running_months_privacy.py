"""The months between letters and evaluation hold personal data too: meetings (with the coordinator's
notes), check-in answers and reminders. Subject access shows them, erasing and anonymising clear them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from mentorapp.privacy.anonymise import anonymise_cohort
from mentorapp.privacy.erase import erase_participant
from mentorapp.privacy.subject_access import subject_access_data, subject_access_pdf
from mentorapp.running.chase import mark_chased
from mentorapp.running.checkins import CheckinData, save_checkin_answer
from mentorapp.running.meetings import add_meeting
from mentorapp.store.models import ChaseMark, CheckinAnswer, Meeting, Participant
from tests.running.conftest import build

pytestmark = pytest.mark.both_databases

DAY30 = dt.date(2024, 2, 14)
TODAY = dt.date(2024, 3, 1)


def fill(db):
    """Zoë and Esther meet and answer a check-in; Cleo's mentor writes about Zoë; Zoë is chased."""
    running = build(db)
    zoe, esther, femi = running.pid("Zoë"), running.pid("Esther"), running.pid("Femi")
    with db.transaction() as s:
        add_meeting(s, running.pairs["Zoë"], dt.date(2024, 1, 30), minutes=45, mode="video", note="Zoë is anxious")
        add_meeting(s, running.pairs["Cleo"], dt.date(2024, 2, 1), note="Cleo wants to shadow Zoë Ørsted's team")
        save_checkin_answer(
            s, CheckinData(zoe, running.pairs["Zoë"], DAY30, met=True, times=1, rating=2, comment="Slow start"),
            today=TODAY,
        )  # fmt: skip
        save_checkin_answer(
            s, CheckinData(esther, running.pairs["Zoë"], DAY30, rating=4, comment="Going well"), today=TODAY
        )
        save_checkin_answer(
            s, CheckinData(femi, running.pairs["Cleo"], DAY30, rating=5, comment="Cleo met Zoë Ørsted"), today=TODAY
        )
        mark_chased(s, running.cohort_id, [zoe], "check-in", TODAY)
    return running


def test_subject_access_holds_the_meetings_check_ins_and_reminders_of_the_person(db):
    running = fill(db)
    with db.session() as s:
        email = s.get(Participant, running.pid("Zoë")).email
        [record] = subject_access_data(s, email)["records"]
    assert [(m["held_on"], m["minutes"], m["way"], m["note"], m["partner"]) for m in record["meetings"]] == [
        ("2024-01-30", 45, "video", "Zoë is anxious", "Esther Achterberg")
    ]
    # Her own answer, not her mentor's about the same pair (that is Esther's).
    assert [(c["check_in_of"], c["how_it_is_going"], c["comment"]) for c in record["check_ins"]] == [
        ("2024-02-14", 2, "Slow start")
    ]
    assert record["reminders"] == [{"about": "check-in", "sent_on": "2024-03-01"}]
    pdf = subject_access_pdf({"email": email, "generated_at": "2024-03-01T10:00:00", "records": [record]})
    assert pdf.startswith(b"%PDF")


def test_erasing_a_person_takes_their_answers_and_reminders_and_their_name_from_other_pairs_notes(db):
    running = fill(db)
    with db.transaction() as s:
        erase_participant(s, running.pid("Zoë"))
    with db.session() as s:
        zoe = running.pid("Zoë")
        assert s.scalar(select(func.count()).where(CheckinAnswer.participant_id == zoe)) == 0
        assert s.scalar(select(func.count()).where(ChaseMark.participant_id == zoe)) == 0
        assert s.scalar(select(func.count()).select_from(Meeting).where(Meeting.note.contains("anxious"))) == 0
        texts = list(s.scalars(select(Meeting.note))) + list(s.scalars(select(CheckinAnswer.comment)))
    assert texts and not [t for t in texts if "Zoë" in t or "Ørsted" in t]
    assert "Cleo wants to shadow" in " ".join(texts)  # the rest of the note stays


def test_anonymising_a_cohort_clears_meeting_notes_and_check_in_comments_but_keeps_the_figures(db):
    running = fill(db)
    with db.transaction() as s:
        anonymise_cohort(s, running.cohort_id)
    with db.session() as s:
        assert set(s.scalars(select(Meeting.note))) == {""}
        assert set(s.scalars(select(CheckinAnswer.comment))) == {""}
        assert sorted(s.scalars(select(CheckinAnswer.rating))) == [2, 4, 5]
        assert s.scalar(select(func.count()).select_from(Meeting)) == 2
