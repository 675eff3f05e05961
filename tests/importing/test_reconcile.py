"""Proposals for the answers of a form: which scheme value each means, how sure, and what is a question."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from mentorapp.errors import UserError
from mentorapp.importing import values
from mentorapp.importing.reconcile import (
    DEFAULT_THRESHOLD,
    NEW,
    SURE,
    ValueMapping,
    check_mapping,
    propose_values,
    resolve,
    values_block,
)

AREAS = ["Mentoring skills", "Health and work policy", "Teaching and education", "Service development", "Audit"]
STAGES = ["Foundation doctor", "Registrar", "Consultant physician", "Clinical director"]
HEADERS = ["Which topics interest you?", "Grade", "How would you like to meet?", "Salutation", "Mentor or mentee?"]
FIELDS = ["focus_areas", "career_stage", "meeting_preference", "title", "role"]
ROWS = [
    ["Policy; Teaching", "Consultant", "Video call", "Dr.", "I would like a mentor"],
    ["Business development, Exams and qualifications", "registrar", "Face to face", "Professor", "Mentor"],
    ["Audti", "Staff grade", "No preference", "Dr", "I would like a mentor"],
    ["policy", "Consultant", "Zoom", "Mx", "Mentor"],
]


def cohort(**extra):
    base = {"focus_areas": AREAS, "career_stages": STAGES, "regions": ["Highlands", "Islands"], "settings": {}}
    return SimpleNamespace(**(base | extra))


def by_value(columns, field):
    col = next(c for c in columns if c.field == field)
    return {p.value: p for p in col.proposals}


def test_each_distinct_answer_is_counted_once_with_its_rows_and_proposed_by_its_method():
    columns = propose_values(HEADERS, ROWS, FIELDS, cohort())
    assert [c.field for c in columns] == FIELDS
    areas = by_value(columns, "focus_areas")
    # 'Policy' and 'policy' are one answer given on rows 2 and 5 (row 1 is the header).
    assert areas["Policy"].rows == [2, 5] and areas["Policy"].count == 2
    assert (areas["Policy"].proposed, areas["Policy"].method) == ("Health and work policy", "contains")
    assert areas["Teaching"].proposed == "Teaching and education"
    assert (areas["Audti"].proposed, areas["Audti"].method) == ("Audit", "fuzzy")
    assert areas["Exams and qualifications"].proposed is NEW
    assert areas["Business development"].confidence < DEFAULT_THRESHOLD
    stages = by_value(columns, "career_stage")
    assert stages["registrar"].proposed == "Registrar" and stages["registrar"].confidence >= SURE
    assert stages["Consultant"].proposed == "Consultant physician" and stages["Consultant"].rows == [2, 5]
    assert stages["Staff grade"].proposed is NEW
    meeting = by_value(columns, "meeting_preference")
    assert {k: p.proposed for k, p in meeting.items()} == {
        "Video call": "online",
        "Face to face": "in person",
        "No preference": "either",
        "Zoom": "online",
    }
    titles = by_value(columns, "title")
    assert titles["Dr."].proposed == "Dr" and titles["Professor"].proposed == "Prof"
    roles = by_value(columns, "role")
    assert roles["I would like a mentor"].proposed == "mentee" and roles["I would like a mentor"].count == 2


def test_a_proposal_below_sure_is_a_question_until_accepted_or_confirmed():
    columns = propose_values(HEADERS, ROWS, FIELDS, cohort())
    plain = resolve(columns)
    asked = {q.value for q in plain.questions}
    assert {"Policy", "Teaching", "Consultant", "Audti", "Staff grade", "Exams and qualifications"} <= asked
    assert plain.lookup("meeting_preference", "video CALL") == (True, "online")
    assert plain.lookup("focus_areas", "Policy") == (False, None)
    accepted = resolve(columns, threshold=DEFAULT_THRESHOLD)
    assert accepted.lookup("focus_areas", "policy") == (True, "Health and work policy")
    assert accepted.lookup("career_stage", "Consultant") == (True, "Consultant physician")
    # Nothing close: still a question unless new values may be added.
    assert {q.value for q in accepted.questions} == {"Business development", "Exams and qualifications", "Staff grade"}
    both = resolve(columns, threshold=DEFAULT_THRESHOLD, add_new=True)
    assert both.questions == []
    assert both.added["career_stage"] == ["Staff grade"]
    areas_only = resolve(columns, add_new_areas=True)
    assert "Exams and qualifications" in areas_only.added["focus_areas"]
    assert areas_only.question("career_stage", "Staff grade") is not None


def test_the_values_block_round_trips_and_an_edited_choice_wins():
    columns = propose_values(HEADERS, ROWS, FIELDS, cohort())
    block = json.loads(json.dumps({"values": values_block(columns)}))
    entry = next(e for e in block["values"]["focus_areas"]["values"] if e["value"] == "Business development")
    assert entry["count"] == 1 and entry["rows"] == [3] and 0 <= entry["confidence"] <= 1
    entry["proposed"] = "Service development"
    mapping = ValueMapping.from_json(block)
    check_mapping(mapping, columns)
    settled = resolve(columns, mapping)
    assert settled.lookup("focus_areas", "Business development") == (True, "Service development")
    # Every entry of the file is a confirmed choice, so nothing is left to ask.
    assert settled.questions == []
    again = ValueMapping.from_json(mapping.to_json())
    assert again.lookup("career_stage", "Staff grade") == (True, NEW)


def test_a_values_file_naming_an_answer_or_a_scheme_value_that_does_not_exist_is_refused_naming_the_entry():
    columns = propose_values(HEADERS, ROWS, FIELDS, cohort())
    with pytest.raises(UserError, match=r"career_stage entry 1 \('Locum'\).*no such answer"):
        check_mapping(ValueMapping({"career_stage": {"Locum": "Registrar"}}), columns)
    with pytest.raises(UserError, match=r"focus_areas entry 2 \('Teaching'\): 'Pedagogy' is not"):
        check_mapping(ValueMapping({"focus_areas": {"Policy": NEW, "Teaching": "Pedagogy"}}), columns)
    with pytest.raises(UserError, match="Meeting preference cannot take a new value"):
        check_mapping(ValueMapping({"meeting_preference": {"Zoom": NEW}}), columns)
    with pytest.raises(UserError, match="values of Region, but no column"):
        check_mapping(ValueMapping({"region": {"Skye": "Islands"}}), columns)
    with pytest.raises(UserError, match="'colour' is not a field"):
        ValueMapping.from_json({"colour": {"values": []}})


def test_choices_saved_with_the_cohort_are_applied_without_a_question():
    saved = {
        "import_mapping": {"values": {"career_stage": {"Staff grade": "Registrar"}, "focus_areas": {"Policy": "Audit"}}}
    }
    columns = propose_values(HEADERS, ROWS, FIELDS, cohort(settings=saved))
    stages = by_value(columns, "career_stage")
    assert (stages["Staff grade"].proposed, stages["Staff grade"].method) == ("Registrar", "saved")
    assert by_value(columns, "focus_areas")["Policy"].proposed == "Audit"
    assert resolve(columns).question("career_stage", "Staff grade") is None


@pytest.mark.parametrize(
    ("written", "number"),
    [("3", 3), ("Two", 2), ("up to 3", 3), ("one or two", 2), ("2-3", 3), ("2 (maybe 3)", 2), ("1, possibly 2", 1)],
)
def test_capacities_in_words_or_with_a_qualifier_become_numbers(written, number):
    assert values.capacity(written) == number


def test_a_capacity_that_is_not_a_number_says_so():
    with pytest.raises(values.ValueProblemError, match="'as many as needed'"):
        values.capacity("as many as needed")


def test_the_whole_dry_run_json_is_read_as_its_values_block_and_undecided_answers_stay_open():
    rows = [*ROWS, ["", "", "", "", "Not sure yet"]]
    columns = propose_values(HEADERS, rows, FIELDS, cohort())
    dry_run = json.loads(json.dumps({"file": "x.csv", "mapping": {}, "values": values_block(columns)}))
    mapping = ValueMapping.from_json(dry_run)
    check_mapping(mapping, columns)
    assert mapping.lookup("career_stage", "Staff grade") == (True, NEW)
    # Nothing was proposed for 'Not sure yet' as a role: passing the block back leaves it undecided.
    assert mapping.lookup("role", "Not sure yet") == (False, None)


@pytest.mark.parametrize(
    ("answer", "role"),
    [
        ("I am seeking a mentor", "mentee"),
        ("I am looking for mentoring", "mentee"),
        ("I'd like to be matched with a mentor", "mentee"),
        ("I would like to give back by mentoring someone", "mentor"),
        ("I'm interested in being a mentor", "mentor"),
        ("Both - I would like a mentor and to mentor others", "both"),
    ],
)
def test_roles_written_as_sentences_are_recognised(answer, role):
    assert values.role(answer) == role


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        ("Dr María José García López", ("Dr", "María José", "García López")),
        ("Prof. Jan van der Berg", ("Prof", "Jan", "van der Berg")),
        ("Ms Siobhán Ní Bhriain", ("Ms", "Siobhán", "Ní Bhriain")),
        ("Lucía Fernández Ortega", ("", "Lucía", "Fernández Ortega")),
        ("Anna Maria Kowalska", ("", "Anna Maria", "Kowalska")),
    ],
)
def test_a_full_name_keeps_particles_and_two_surnames_whole(written, parts):
    assert values.split_name(written) == parts


@pytest.mark.parametrize(
    ("written", "parts"),
    [
        ("Dr Jane Smith, MBChB FRCP FFOM", ("Dr", "Jane", "Smith")),
        ("Ama Owusu-Mensah MBE", ("", "Ama", "Owusu-Mensah")),
        ("Smith, Jane, FRCP", ("", "Jane", "Smith")),
        ("Jane Smith PhD", ("", "Jane", "Smith")),
        ("Prof. Sir John Smith", ("Prof Sir", "John", "Smith")),
        ("Professor Dame Carol Black", ("Professor Dame", "Carol", "Black")),
        ("Ama Owusu (she/her)", ("", "Ama", "Owusu")),
        ("James (Jim) Smith", ("", "James", "Smith")),
        ("OWUSU Ama", ("", "Ama", "OWUSU")),
        ("Anna Li Ma", ("", "Anna Li", "Ma")),  # Ma is a surname; MA would be a degree
        ("JK Rowling", ("", "JK", "Rowling")),
    ],
)
def test_a_full_name_as_members_write_it_loses_its_letters_and_keeps_its_titles(written, parts):
    """Letters after the name, several titles, pronouns in brackets, a surname first in capitals."""
    assert values.split_name(written) == parts


def test_a_surname_column_loses_the_letters_after_it_and_keeps_two_word_surnames():
    assert values.surname("Smith FRCP") == "Smith" and values.surname("Smith, MBChB, PhD") == "Smith"
    assert values.surname("García López") == "García López" and values.surname("van der Berg") == "van der Berg"
    assert values.surname("Ma") == "Ma" and values.surname("Li Ma") == "Li Ma"


def test_new_career_stages_take_their_place_on_a_medical_ladder():
    """'Core trainee' was put above 'Registrar (ST3+)': both read as 'trainee', so the file's order decided."""
    from mentorapp.importing.vocabulary import insert_by_seniority, order_stages

    ladder = ["Student or foundation", "Early career", "Established practitioner", "Senior leader"]
    placed = insert_by_seniority(ladder, ["Registrar (ST3+)", "Core trainee (CT1-3)"])
    assert placed.index("Core trainee (CT1-3)") < placed.index("Registrar (ST3+)") < placed.index("Early career")
    assert order_stages(["Registrar", "CT2", "FY1", "Consultant"]) == ["FY1", "CT2", "Registrar", "Consultant"]


def test_answers_written_as_initials_or_sharing_a_telling_word_get_a_proposal():
    """'SE England' was proposed as East of England; 'QI projects' and 'Yorkshire & Humber' got nothing."""
    from mentorapp.importing.reconcile import DEFAULT_THRESHOLD, propose_for
    from mentorapp.people.vocabulary import DEFAULT_FOCUS_AREAS, REGIONS

    regions = {p.value: p for p in propose_for("region", ["SE England", "NW", "Yorkshire & Humber"], list(REGIONS))}
    assert {k: p.proposed for k, p in regions.items()} == {
        "SE England": "South East",
        "NW": "North West",
        "Yorkshire & Humber": "North East and Yorkshire",
    }
    areas = list(DEFAULT_FOCUS_AREAS)
    found = {p.value: p for p in propose_for("focus_short", ["QI projects", "Getting through exams", "HR"], areas)}
    assert found["QI projects"].proposed == "Quality improvement"
    assert found["Getting through exams"].proposed == "Specialty training and exams"
    assert found["HR"].proposed is None  # no value's initials, no shared word: a new value
    # Guesses from initials or one shared word are asked about, never applied on their own.
    guessed = (regions["Yorkshire & Humber"], found["Getting through exams"])
    assert all(p.confidence < DEFAULT_THRESHOLD for p in guessed)
    assert all(not p.sure for p in (*regions.values(), *found.values()))
    ladder = ["Student", "Early career specialist", "Consultant"]
    assert propose_for("career_stage", ["Mid career"], ladder)[0].proposed is None  # 'career' says nothing of rank
