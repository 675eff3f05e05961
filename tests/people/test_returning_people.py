"""People across cohorts: returning applicants on import, merge and split with undo, history, a cohort from another."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from mentorapp.errors import UserError
from mentorapp.importing import ImportOptions, apply_plan, build_plan, suggest_mapping
from mentorapp.importing.readers import open_table, peek
from mentorapp.importing.returning import keep_old
from mentorapp.matching.actions import create_match
from mentorapp.people.cohort_from import create_cohort_from
from mentorapp.people.cohorts import CohortData, create_cohort, update_settings
from mentorapp.people.exclusions import find_exclusion, new_exclusion
from mentorapp.people.history import person_history
from mentorapp.people.merge import find_person, merge_people, split_membership, undo_merge, undo_split
from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData, create_participant
from mentorapp.store.models import AuditEvent, Cohort, FormerValue, Participant, Person
from tests.support.import_fixtures import write_csv

pytestmark = pytest.mark.both_databases

AREAS = ["Ergonomics", "Return to work", "Audit"]
STAGES = ["Band 5", "Band 6", "Band 7"]
HEADERS = [
    "Forename", "Surname", "E-mail", "Mentor/Mentee", "Trust / employer", "Membership no.", "Phone", "Grade",
    "Goal (short term)",
]  # fmt: skip


def _person(first: str, last: str, email: str, role: str, org: str, number: str = "", stage: str = "Band 5"):
    return ParticipantData(
        first_name=first,
        last_name=last,
        email=email,
        role=role,
        organisation=org,
        membership_number=number,
        phone="01632 960001",
        career_stage=stage,
        goals=[GoalData("short", "Run my first audit", ["Audit"])] if role == "mentee" else [],
        expertise=[ExpertiseData("Audit", 9)] if role == "mentor" else [],
        capacity=1,
    )


@pytest.fixture
def two_years(db):
    """A therapies network's 2024 cohort with four people (one pair), and an empty 2025 cohort from it."""
    with db.transaction() as s:
        first = create_cohort(
            s, CohortData("Therapies 2024", dt.date(2024, 3, 1), focus_areas=AREAS, career_stages=STAGES)
        )
        update_settings(s, first.id, matching={"weights": {"region": 0.3}}, letter_template={"body": "Dear {first}"})
        ids = {}
        for key, data in {
            "bronwen": _person("Bronwen", "Pryce", "b.pryce@therapies.test", "mentee", "Powys Teaching HB", "TN100"),
            "gethin": _person("Gethin", "Morse", "g.morse@therapies.test", "mentee", "Hywel Dda UHB", "TN200"),
            "ceri": _person("Ceri", "Vaughan", "ceri.v@therapies.test", "mentee", "Cwm Taf UHB", "TN300"),
            "alun": _person("Alun", "Rees", "a.rees@therapies.test", "mentor", "Aneurin Bevan UHB", "TN400", "Band 7"),
        }.items():
            ids[key] = create_participant(s, first.id, data).id
        create_match(s, ids["bronwen"], ids["alun"])
        second = create_cohort_from(s, "Therapies 2025", "Therapies 2024", dt.date(2025, 3, 1))
    return first.id, second.cohort_id, ids


def _plan(db, cohort_id: int, path, options: ImportOptions | None = None):
    table = open_table(path)
    fields = suggest_mapping(table.headers, peek(table), None)
    with db.session() as s:
        return build_plan(s, cohort_id, table, fields, options or ImportOptions())


def _next_year(tmp_path):
    return write_csv(
        tmp_path / "therapies-2025.csv",
        HEADERS,
        [
            # Bronwen returns, at a new employer, with a new phone.
            [
                "Bronwen",
                "Pryce",
                "B.Pryce@therapies.test",
                "Mentee",
                "Swansea Bay UHB",
                "TN100",
                "01632 960777",
                "Band 6",
                "Lead a ward audit",
            ],
            # Gethin's email under another spelling of his name: a question.
            [
                "Gethyn",
                "Morse",
                "g.morse@therapies.test",
                "Mentee",
                "Hywel Dda UHB",
                "TN200",
                "",
                "Band 5",
                "Lead a ward audit",
            ],
            # Ceri's membership number under a new email: a question.
            [
                "Ceri",
                "Vaughan",
                "ceri.vaughan@newmail.test",
                "Mentee",
                "Cwm Taf UHB",
                "TN300",
                "",
                "Band 5",
                "Lead a ward audit",
            ],
            # Someone new.
            [
                "Nia",
                "Lloyd",
                "nia.lloyd@therapies.test",
                "Mentee",
                "Betsi Cadwaladr UHB",
                "TN500",
                "",
                "Band 5",
                "Lead a ward audit",
            ],
        ],
    )


def test_returning_people_are_shown_with_changes_and_questions_refuse_the_import(db, two_years, tmp_path):
    _first, second, _ids = two_years
    path = _next_year(tmp_path)
    plan = _plan(db, second, path)
    by_name = {r.data.first_name: r for r in plan.rows}
    bronwen = by_name["Bronwen"].returning
    assert bronwen is not None and not bronwen.question and bronwen.last_cohort == "Therapies 2024"
    assert {c.field: (c.old, c.new) for c in bronwen.changes} == {
        "organisation": ("Powys Teaching HB", "Swansea Bay UHB"),
        "phone": ("01632 960001", "01632 960777"),
        "career_stage": ("Band 5", "Band 6"),
    }
    assert "another name" in by_name["Gethyn"].returning.question
    assert "Membership number TN300" in by_name["Ceri"].returning.question
    assert by_name["Nia"].returning is None
    assert plan.to_json()["rows"][0]["person_id"] == bronwen.person_id
    with pytest.raises(UserError, match=r"2 rows of therapies-2025.csv may be someone who applied before"):
        apply_plan(db, plan)
    with db.session() as s:
        assert s.scalar(select(func.count()).where(Participant.cohort_id == second)) == 0


def test_answers_link_or_separate_and_kept_values_stay(db, two_years, tmp_path):
    first, second, ids = two_years
    path = _next_year(tmp_path)
    plan = _plan(db, second, path, ImportOptions(same_person={3}, new_person={4}))
    bronwen_row = next(r for r in plan.rows if r.data.first_name == "Bronwen")
    keep_old(plan, bronwen_row, "organisation")
    result = apply_plan(db, plan)
    assert result.created == 4 and result.returning == 2
    with db.session() as s:
        members = {p.first_name: p for p in s.scalars(select(Participant).where(Participant.cohort_id == second))}
        old = {p.id: p for p in s.scalars(select(Participant).where(Participant.cohort_id == first))}
        # Bronwen: the same person; the organisation kept, the new phone and grade taken.
        assert members["Bronwen"].person_id == old[ids["bronwen"]].person_id
        assert members["Bronwen"].organisation == "Powys Teaching HB"
        assert members["Bronwen"].career_stage == "Band 6"
        assert old[ids["bronwen"]].phone == "01632 960777"  # one person: the new phone everywhere
        # Gethin answered "same person": linked, the name updated and the old one kept as a former value.
        assert members["Gethyn"].person_id == old[ids["gethin"]].person_id
        assert old[ids["gethin"]].first_name == "Gethyn"
        gethin_pid = old[ids["gethin"]].person_id
        assert "Gethin Morse" in set(s.scalars(select(FormerValue.value).where(FormerValue.person_id == gethin_pid)))
        # Ceri's membership number answered "a new person": two people now.
        assert members["Ceri"].person_id != old[ids["ceri"]].person_id
        assert members["Nia"].person_id not in {p.person_id for p in old.values()}
        log = list(s.scalars(select(AuditEvent.description).where(AuditEvent.cohort_id == second)))
        assert any("returning (person #" in d for d in log)


def test_an_answer_for_a_row_that_asks_nothing_is_refused(db, two_years, tmp_path):
    _first, second, _ids = two_years
    with pytest.raises(UserError, match=r"Row 5 of therapies-2025\.csv asks no question"):
        _plan(db, second, _next_year(tmp_path), ImportOptions(same_person={5}))


def test_merge_refused_within_one_cohort_then_merge_and_undo(db, two_years):
    _first, second, ids = two_years
    with db.transaction() as s:
        people = {k: s.get(Participant, v).person_id for k, v in ids.items()}
        with pytest.raises(UserError, match="both members of 'Therapies 2024'"):
            merge_people(s, people["bronwen"], people["gethin"])
    with db.transaction() as s:
        # Gethin applies in 2025 under another address: a second record of him.
        other = create_participant(s, second, _person("Gethin", "Morse", "gethin@home.test", "mentor", "Self", "TN200"))
        s.add(new_exclusion(other.person_id, people["ceri"], cohort_id=second, reason="Same practice"))
        s.flush()
        other_person = other.person_id
        record = merge_people(s, people["gethin"], other_person)
    with db.session() as s:
        assert s.get(Person, other_person) is None
        assert s.get(Participant, other.id).person_id == people["gethin"]
        assert find_exclusion(s, people["gethin"], people["ceri"]) is not None
        assert "gethin@home.test" in set(s.scalars(select(FormerValue.value)))
        assert s.scalar(select(func.count()).where(AuditEvent.action == "people merged")) == 1
        assert find_person(s, "G.MORSE@therapies.test").id == people["gethin"]
    with db.transaction() as s:
        undo_merge(s, record)
    with db.session() as s:
        assert s.get(Person, other_person).email == "gethin@home.test"
        assert s.get(Participant, other.id).person_id == other_person
        assert find_exclusion(s, people["gethin"], people["ceri"]) is None
        assert find_exclusion(s, other_person, people["ceri"]).reason == "Same practice"
        assert "gethin@home.test" not in set(s.scalars(select(FormerValue.value)))


def test_split_gives_a_membership_its_own_person_and_undo_joins_them_again(db, two_years):
    _first, second, ids = two_years
    with db.transaction() as s:
        again = create_participant(s, second, _person("Alun", "Rees", "a.rees@therapies.test", "mentor", "Self"))
        joint = again.person_id
        assert joint == s.get(Participant, ids["alun"]).person_id  # recognised: same email and name
        with pytest.raises(UserError, match="nothing to split"):
            split_membership(s, ids["bronwen"])
        record = split_membership(s, again.id)
    with db.session() as s:
        assert s.get(Participant, again.id).person_id == record.new_person_id != joint
        assert s.get(Person, record.new_person_id).email == "a.rees@therapies.test"
        assert find_person(s, str(joint)).id == joint
        with pytest.raises(UserError, match="belongs to 2 person records"):
            find_person(s, "a.rees@therapies.test")
    with db.transaction() as s:
        undo_split(s, record)
    with db.session() as s:
        assert s.get(Participant, again.id).person_id == joint
        assert s.get(Person, record.new_person_id) is None


def test_history_lists_every_cohort_with_pairs_and_partners(db, two_years):
    _first, second, ids = two_years
    with db.transaction() as s:
        again = create_participant(s, second, _person("Bronwen", "Pryce", "b.pryce@therapies.test", "mentor", "X"))
        history = person_history(s, again.person_id)
        alun_person = s.get(Participant, ids["alun"]).person_id
    assert [c["cohort"]["name"] for c in history["cohorts"]] == ["Therapies 2024", "Therapies 2025"]
    assert [c["role"] for c in history["cohorts"]] == ["mentee", "mentor"]
    pair = history["cohorts"][0]["pairs"][0]
    assert pair["partner"] == {
        "name": "Alun Rees",
        "email": "a.rees@therapies.test",
        "person_id": alun_person,
        "participant_id": ids["alun"],
    }
    assert pair["as"] == "mentee" and pair["status"] == "proposed"
    assert history["cohorts"][0]["goals"][0]["text"] == "Run my first audit"


def test_a_cohort_from_an_earlier_one_takes_its_vocabulary_and_settings(db, two_years):
    first, second, _ids = two_years
    with db.session() as s:
        earlier, later = s.get(Cohort, first), s.get(Cohort, second)
        assert later.focus_areas == AREAS and later.career_stages == STAGES
        assert later.settings["matching"] == {"weights": {"region": 0.3}}
        assert later.settings["letter_template"] == {"body": "Dear {first}"}
        assert later.start_date == dt.date(2025, 3, 1) and earlier.name == "Therapies 2024"
        log = s.scalar(select(AuditEvent.description).where(AuditEvent.action == "cohort created from earlier"))
    assert "matching weights" in log and "letter template" in log
