"""Erase, anonymise, subject access and retention: personal data goes where it should, statistics stay."""

from __future__ import annotations

import datetime as dt
import json
import stat

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from mentorapp import privacy
from mentorapp.errors import UserError
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.exclusions import new_exclusion
from mentorapp.people.participants import ParticipantData, create_participant, update_participant
from mentorapp.store import audit
from mentorapp.store.models import (
    AuditEvent,
    Cohort,
    EvaluationAnswer,
    EvaluationResponse,
    ExcludedPair,
    Goal,
    Match,
    Participant,
    Person,
)

pytestmark = pytest.mark.both_databases


def _pair(s, cohort_id):
    mentee = s.scalars(
        select(Participant).where(Participant.cohort_id == cohort_id, Participant.role == "mentee")
    ).first()
    mentor = s.scalars(
        select(Participant).where(Participant.cohort_id == cohort_id, Participant.role == "mentor")
    ).first()
    return mentee, mentor


@pytest.fixture
def rich_db(demo_db, demo_cohort_id):
    """The demo cohort with a match, an exclusion, evaluations and log lines naming the mentee."""
    with demo_db.transaction() as s:
        mentee, mentor = _pair(s, demo_cohort_id)
        s.add(Match(cohort_id=demo_cohort_id, mentee_id=mentee.id, mentor_id=mentor.id, status="active"))
        other_mentor = s.scalars(
            select(Participant).where(Participant.role == "mentor", Participant.id != mentor.id)
        ).first()
        s.add(new_exclusion(mentee.person_id, other_mentor.person_id, cohort_id=demo_cohort_id, reason="line manager"))
        for who in (mentee, mentor):
            r = EvaluationResponse(cohort_id=demo_cohort_id, participant_id=who.id, stage="six_month", role=who.role)
            r.answers = [
                EvaluationAnswer(item_key="satisfaction", value_int=5),
                EvaluationAnswer(item_key="went_well", value_text=f"{who.first_name} said it went well"),
                EvaluationAnswer(item_key="could_be_better", value_text=f"More time with {mentee.full_name}"),
            ]
            s.add(r)
        audit.record(
            s,
            "match proposed",
            f"{mentee.full_name} (#{mentee.id}) with {mentor.full_name} (#{mentor.id})",
            cohort_id=demo_cohort_id,
            entity_type="match",
        )
        audit.record(s, "note", f"Phoned {mentee.email.upper()} about dates", cohort_id=demo_cohort_id)
        ids = (mentee.id, mentor.id, mentee.full_name, mentee.email, mentor.full_name)
    return demo_db, demo_cohort_id, ids


def test_erase_removes_the_person_everywhere_and_scrubs_the_log(rich_db):
    db, _cohort_id, (mentee_id, mentor_id, name, email, mentor_name) = rich_db
    with db.transaction() as s:
        summary = privacy.erase_participant(s, mentee_id)
    assert summary.matches == 1 and summary.evaluations == 1 and summary.log_entries >= 2
    with db.session() as s:
        assert s.get(Participant, mentee_id) is None
        assert s.scalar(select(func.count()).select_from(Goal).where(Goal.participant_id == mentee_id)) == 0
        assert s.scalar(select(func.count()).select_from(Match).where(Match.mentee_id == mentee_id)) == 0
        assert s.scalar(select(func.count()).select_from(ExcludedPair)) == 0  # the only exclusion named them
        assert s.scalar(select(func.count()).select_from(Person)) == s.scalar(
            select(func.count()).select_from(Participant)
        )
        assert (
            s.scalar(
                select(func.count())
                .select_from(EvaluationResponse)
                .where(EvaluationResponse.participant_id == mentee_id)
            )
            == 0
        )
        log = [e.description for e in s.scalars(select(AuditEvent))]
        # The mentor keeps their evaluation and is still named.
        assert s.scalar(
            select(func.count()).select_from(EvaluationResponse).where(EvaluationResponse.participant_id == mentor_id)
        )
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert all(name.lower() not in d.lower() and email.lower() not in d.lower() for d in log)
    with db.session() as s:
        texts = [a.value_text for a in s.scalars(select(EvaluationAnswer)) if a.value_text]
    assert "More time with [erased]" in texts and not any(name in t for t in texts)
    assert any(mentor_name in d for d in log)
    assert last.action == "participant erased" and last.description.startswith(f"Participant #{mentee_id} erased")


def test_erase_of_missing_participant_is_a_clear_error(db):
    with pytest.raises(UserError, match="no longer exists"), db.transaction() as s:
        privacy.erase_participant(s, 999)


def test_anonymise_keeps_statistics_and_removes_identity(rich_db):
    db, cohort_id, (mentee_id, _mentor_id, name, email, _) = rich_db
    with db.session() as s:
        before = {
            p.id: (p.role, p.career_stage, p.region, p.capacity, p.consent, [tuple(g.focus_areas) for g in p.goals])
            for p in s.scalars(select(Participant).where(Participant.cohort_id == cohort_id))
        }
        orgs_before = {
            p.id: p.organisation for p in s.scalars(select(Participant).where(Participant.cohort_id == cohort_id))
        }
        matches_before = s.scalar(select(func.count()).select_from(Match))
    with db.transaction() as s:
        summary = privacy.anonymise_cohort(s, cohort_id)
    assert summary.participants == 40 and summary.answers_removed == 4
    with db.session() as s:
        people = list(s.scalars(select(Participant).where(Participant.cohort_id == cohort_id)))
        after = {
            p.id: (p.role, p.career_stage, p.region, p.capacity, p.consent, [tuple(g.focus_areas) for g in p.goals])
            for p in people
        }
        assert after == before
        for p in people:
            assert p.first_name in ("Mentor", "Mentee") and p.last_name == f"#{p.id}"
            assert p.email.endswith("@anonymised.invalid") and not p.phone and not p.notes
            assert not p.membership_number and not p.experience and not p.job_title
            assert all(g.text == "" for g in p.goals)
        # Same-organisation structure survives under pseudonyms.
        org_after = {p.id: p.organisation for p in people}
        for a in people:
            for b in people:
                assert (orgs_before[a.id] == orgs_before[b.id]) == (org_after[a.id] == org_after[b.id])
        assert s.scalar(select(func.count()).select_from(Match)) == matches_before
        assert s.scalar(select(func.count()).select_from(ExcludedPair).where(ExcludedPair.reason != "")) == 0
        assert s.scalar(select(func.count()).select_from(EvaluationAnswer).where(EvaluationAnswer.value_int == 5)) == 2
        assert (
            s.scalar(select(func.count()).select_from(EvaluationAnswer).where(EvaluationAnswer.value_text.is_not(None)))
            == 0
        )
        log = " ".join(e.description for e in s.scalars(select(AuditEvent)))
        cohort = s.get(Cohort, cohort_id)
        assert privacy.is_anonymised(cohort)
    assert name not in log and email not in log.lower()
    assert f"Mentee #{mentee_id}" in log


def test_subject_access_holds_everything_and_writes_private_json_and_pdf(rich_db, tmp_path):
    db, _cohort_id, (mentee_id, _mentor_id, name, email, mentor_name) = rich_db
    with db.transaction() as s:
        json_path, pdf_path = privacy.write_subject_access(s, email.upper(), tmp_path / "sar.pdf")
    assert json_path == tmp_path / "sar.json" and pdf_path == tmp_path / "sar.pdf"
    for path in (json_path, pdf_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    data = json.loads(json_path.read_text(encoding="utf-8"))
    (record,) = data["records"]
    assert record["participant"]["id"] == mentee_id and record["participant"]["email"] == email
    assert record["participant"]["goals"] and record["matches"][0]["partner"] == mentor_name
    assert record["excluded_pairs"][0]["reason"] == "line manager"
    assert record["evaluations"][0]["answers"]["satisfaction"] == 5
    assert any(e["action"] == "participant created" or "with" in e["description"] for e in record["activity_log"])
    text = "".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    assert name.split()[0] in text and "Evaluation answers" in text and "line manager" in text
    with db.session() as s:
        last = s.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert last.action == "personal data exported" and name not in last.description


def test_subject_access_pdf_escapes_markup_and_handles_any_unicode(db, tmp_path):
    with db.transaction() as s:
        cohort = create_cohort(s, CohortData(name="C", start_date=dt.date(2021, 9, 1)))
        create_participant(
            s,
            cohort.id,
            ParticipantData(
                first_name="<b>Zoë</b> & 王秀英",
                last_name="O'Brien </para><para>",
                email="zoe@example.org",
                role="mentor",
                notes='=HYPERLINK("http://x")\n' + "ł" * 10000,
            ),
            validate=False,
        )
    with db.transaction() as s:
        _, pdf_path = privacy.write_subject_access(s, "zoe@example.org", tmp_path / "zoe")
    text = "".join(page.extract_text() for page in PdfReader(pdf_path).pages)
    assert "<b>Zoë</b> & 王秀英" in text.replace("\n", "")


def test_subject_access_unknown_email(db, tmp_path):
    with pytest.raises(UserError, match=r"No participant has the email address nobody@example\.org"), db.session() as s:
        privacy.write_subject_access(s, "Nobody@Example.org", tmp_path / "x")
    assert not (tmp_path / "x.json").exists()


def test_retention_flags_closed_cohorts_past_the_period(db):
    with db.transaction() as s:
        old = create_cohort(s, CohortData(name="Old", start_date=dt.date(2020, 1, 1), status="closed"))
        create_cohort(s, CohortData(name="Running", start_date=dt.date(2020, 1, 1), status="running"))
        create_cohort(s, CohortData(name="Recent", start_date=dt.date(2025, 10, 1), status="closed"))
        old_id = old.id
    today = dt.date(2026, 11, 25)
    with db.session() as s:
        assert privacy.retention_months(s) == privacy.DEFAULT_RETENTION_MONTHS
        assert [c.name for c in privacy.cohorts_due_for_anonymising(s, today)] == ["Old"]
    with db.transaction() as s:
        privacy.set_retention_months(s, 7)
    with db.session() as s:
        assert privacy.retention_months(s) == 7
        assert [c.name for c in privacy.cohorts_due_for_anonymising(s, today)] == ["Old", "Recent"]
    with db.transaction() as s:
        privacy.anonymise_cohort(s, old_id)
    with db.session() as s:
        assert [c.name for c in privacy.cohorts_due_for_anonymising(s, today)] == ["Recent"]
    for bad in (0, -1, 1201, True):
        with pytest.raises(UserError, match="whole number of months"), db.transaction() as s:
            privacy.set_retention_months(s, bad)


def test_concurrent_edit_of_the_same_participant_is_refused(demo_db, demo_cohort_id):
    """Two coordinators load the same person; the second save is told to reload."""
    from mentorapp.errors import ConflictError
    from mentorapp.people.participants import get_participant

    with demo_db.session() as s:
        mine = get_participant(s, 1)
    with demo_db.session() as s:
        theirs = get_participant(s, 1)
    theirs.phone = "01234 000000"
    with demo_db.transaction() as s:
        update_participant(s, theirs)
    mine.notes = "my note"
    with pytest.raises(ConflictError, match="changed by someone else"), demo_db.transaction() as s:
        update_participant(s, mine)
    with demo_db.session() as s:
        stored = get_participant(s, 1)
    assert stored.phone == "01234 000000" and stored.notes == ""
