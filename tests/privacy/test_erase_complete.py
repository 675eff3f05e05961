"""Erase is complete: former names, phones in any format, first names in others' text, free pages, restores."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select, text

from mentorapp import privacy
from mentorapp.people.participants import ParticipantData, update_participant
from mentorapp.store import audit, backup
from mentorapp.store.models import AuditEvent, EvaluationAnswer, EvaluationResponse, Match, Participant

pytestmark = pytest.mark.both_databases


def _two(s, cohort_id):
    people = list(s.scalars(select(Participant).where(Participant.cohort_id == cohort_id).order_by(Participant.id)))
    return people[0], people[1]


def _all_text(s) -> str:
    """Every text column of every table, as one string."""
    parts = [e.description for e in s.scalars(select(AuditEvent))]
    for p in s.scalars(select(Participant)):
        parts += [p.full_name, p.email, p.phone, p.notes, p.experience, p.availability]
        parts += [g.text for g in p.goals]
    parts += [a.value_text or "" for a in s.scalars(select(EvaluationAnswer))]
    parts += [m.end_reason for m in s.scalars(select(Match))]
    parts += [str(v) for v in s.execute(text("SELECT value FROM former_value")).scalars()]
    return "\n".join(parts)


def test_log_lines_under_a_former_name_and_phone_go(demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        person, _other = _two(s, demo_cohort_id)
        pid = person.id
        person.phone = "+44 7700 900123"
        s.flush()
        audit.record(s, "note", "Called Zoe Oldname on 07700 900123 about Zoe's goals", entity_type="cohort")
        audit.record(s, "note", "zoe.old@example.org asked to change", entity_type="cohort")
        data = ParticipantData.from_model(person)
        data.first_name, data.last_name, data.email, data.phone = (
            "Zoe",
            "Oldname",
            "zoe.old@example.org",
            "07700 900123",
        )
        update_participant(s, data)
    with demo_db.transaction() as s:
        # An import updating a duplicate renames them: lines written under the old name must go too.
        data = ParticipantData.from_model(s.get(Participant, pid))
        data.first_name, data.last_name, data.email, data.phone = "Zoë", "Newname", "zoe@new.example", "01632 960001"
        update_participant(s, data)
        audit.record(s, "note", "Zoë Newname confirmed; phone (01632) 960-001", entity_type="cohort")
    with demo_db.transaction() as s:
        privacy.erase_participant(s, pid)
    with demo_db.session() as s:
        everything = _all_text(s)
    for gone in ("Oldname", "zoe.old@example.org", "900123", "900 123", "Newname", "zoe@new.example", "960-001"):
        assert gone not in everything, gone


def test_others_free_text_loses_names_numbers_and_a_lone_first_name(demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        person, other = _two(s, demo_cohort_id)
        person.first_name, person.last_name, person.phone = "Marguerite", "Okafor", "07700 900456"
        person.email = "m.okafor@example.org"
        other.notes = "Marguerite said to ring 07700-900-456 or +44 (0)7700 900456; M.OKAFOR@example.org"
        other.experience = "Worked with marguerite   okafor on audits. Keep 0161 496 0000 (switchboard)."
        r = EvaluationResponse(cohort_id=demo_cohort_id, participant_id=other.id, stage="six_month", role=other.role)
        r.answers = [EvaluationAnswer(item_key="went_well", value_text="Marguerite was great")]
        s.add(r)
        pid, other_id = person.id, other.id
    with demo_db.transaction() as s:
        privacy.erase_participant(s, pid)
    with demo_db.session() as s:
        other = s.get(Participant, other_id)
        assert "Marguerite" not in other.notes and "900" not in other.notes and "OKAFOR" not in other.notes
        assert other.notes.startswith("[erased] said to ring [erased]")
        assert "okafor" not in other.experience.lower()
        assert "0161 496 0000" in other.experience  # someone else's number stays
        answers = [
            a.value_text for a in s.scalars(select(EvaluationAnswer).where(EvaluationAnswer.item_key == "went_well"))
        ]
        assert "[erased] was great" in answers
        assert "Marguerite" not in _all_text(s)


def test_a_first_name_shared_with_someone_named_in_the_text_is_left(demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        people = list(
            s.scalars(select(Participant).where(Participant.cohort_id == demo_cohort_id).order_by(Participant.id))
        )
        person, namesake, writer = people[0], people[1], people[2]
        person.first_name, person.last_name = "Ines", "Alvarez"
        namesake.first_name, namesake.last_name = "Ines", "Brook"
        writer.notes = "Ines Brook and Ines Alvarez both asked; Ines will call back."
        pid, writer_id = person.id, writer.id
    with demo_db.transaction() as s:
        privacy.erase_participant(s, pid)
    with demo_db.session() as s:
        # 'Ines' alone could be Ines Brook: left; the full name goes.
        assert s.get(Participant, writer_id).notes == "Ines Brook and [erased] both asked; Ines will call back."


def test_erase_survives_a_restore_of_an_older_backup(demo_db, demo_cohort_id, tmp_path):
    if demo_db.path is None:
        pytest.skip("file backups are SQLite's")
    earlier = backup.create_backup(demo_db, tmp_path / "earlier.db")
    with demo_db.session() as s:
        ids = [p.id for p in s.scalars(select(Participant).order_by(Participant.id).limit(2))]
        emails = [s.get(Participant, i).email for i in ids]
    with demo_db.transaction() as s:
        for pid in ids:
            privacy.erase_participant(s, pid)
    ledger = (demo_db.path.parent / "backups" / f"{demo_db.path.stem}.erasures.json").read_text()
    assert all(e not in ledger for e in emails) and '"participant_id"' in ledger
    with demo_db.transaction() as s:  # a new person may take a freed id: they must not be erased
        cohort = demo_cohort_id
        s.add(
            Participant(cohort_id=cohort, first_name="New", last_name="Person", email="new@example.org", role="mentee")
        )
    result = backup.restore_backup(demo_db, earlier)
    assert result.erased_again == 2
    assert result.erased_again_sentence == "2 people erased since this backup was taken were erased again."
    restored = type(demo_db)(demo_db.url, demo_db.engine, demo_db.Session)
    with restored.session() as s:
        assert not s.scalars(select(Participant).where(Participant.id.in_(ids))).all()
        assert all(e not in _all_text(s) for e in emails)
        assert any("erased again" in e.description for e in s.scalars(select(AuditEvent)))
    restored.dispose()


@pytest.mark.sqlite_only
def test_secure_delete_leaves_no_erased_email_in_the_file(demo_db, demo_cohort_id):
    with demo_db.session() as s:
        assert s.execute(text("PRAGMA secure_delete")).scalar() == 1
        person = s.scalars(select(Participant).order_by(Participant.id)).first()
        pid, email = person.id, person.email.encode()
    with demo_db.transaction() as s:
        privacy.erase_participant(s, pid)
    wal = demo_db.path.with_name(demo_db.path.name + "-wal")
    assert email not in demo_db.path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")
    with demo_db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    demo_db.dispose()
    assert email not in demo_db.path.read_bytes()
    raw = sqlite3.connect(demo_db.path)
    assert raw.execute("SELECT count(*) FROM participant WHERE id = ?", (pid,)).fetchone()[0] == 0
    raw.close()


def test_subject_access_lists_former_names_and_finds_log_lines_under_them(demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        person, _other = _two(s, demo_cohort_id)
        data = ParticipantData.from_model(person)
        old_name = person.full_name
        data.last_name = "Renamed"
        audit.record(s, "note", f"Spoke to {old_name} today", entity_type="cohort")
        update_participant(s, data)
        email = person.email
    with demo_db.session() as s:
        data = privacy.subject_access_data(s, email)
    record = data["records"][0]
    assert privacy.subject_access_pdf(data).startswith(b"%PDF")
    assert old_name in [f["value"] for f in record["former_values"]]
    assert any(e["description"] == f"Spoke to {old_name} today" for e in record["activity_log"])
