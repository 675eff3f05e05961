"""Importing applications: mapping, interpretation, validation, duplicates, all-or-nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from mentorapp.errors import ConflictError, UserError
from mentorapp.importing import (
    IGNORE,
    ImportCancelledError,
    ImportOptions,
    ImportRefusedError,
    apply_plan,
    auto_map,
    build_plan,
    load_mapping_file,
    mapping_problems,
    preview,
    saved_settings,
    suggest_mapping,
)
from mentorapp.importing import values as v
from mentorapp.importing.fields import TEMPLATE_HEADERS
from mentorapp.importing.template import TEMPLATE_ORDER, write_template
from mentorapp.outputs.safe_text import set_text
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.participants import ParticipantData, create_participant, list_participants
from mentorapp.store.models import AuditEvent, Cohort, Participant
from tests.support.import_fixtures import FORM_HEADERS, SIMPLE_HEADERS, simple_rows, write_csv, write_form_xlsx

pytestmark = pytest.mark.both_databases


@pytest.fixture
def cohort_id(db) -> int:
    with db.transaction() as s:
        return create_cohort(s, CohortData(name="Pilot 2021", start_date=dt.date(2021, 9, 1))).id


def plan_for(db, cohort_id, path, options=None, sheet=None, fields=None):
    table, rows = preview(path, sheet)
    with db.session() as s:
        saved, _ = saved_settings(s, cohort_id)
        fields = fields or suggest_mapping(table.headers, rows, saved)
        return build_plan(s, cohort_id, path, fields, options or ImportOptions(), sheet=sheet)


def snapshot(db) -> tuple:
    """Everything an import may touch, to prove that a failed one changed nothing."""
    with db.session() as s:
        people = [(p.id, p.email, p.version_id) for p in s.scalars(select(Participant).order_by(Participant.id))]
        events = s.scalar(select(func.count()).select_from(AuditEvent))
        cohorts = [
            (c.id, json.dumps(c.settings, sort_keys=True), list(c.focus_areas)) for c in s.scalars(select(Cohort))
        ]
    return people, events, cohorts


# ---------------------------------------------------------------- mapping


def test_form_headers_map_to_fields():
    fields = auto_map(
        FORM_HEADERS,
        samples=[["1", "", "", "anonymous", "", "Dr", "A", "B", "a@example.org"]],
    )
    mapped = dict(zip(FORM_HEADERS, fields))
    assert mapped["ID"] == IGNORE
    assert mapped["Start time"] == IGNORE
    # The form asks for consent but not its date: the time the form was sent is that date.
    assert mapped["Completion time"] == "consent_date"
    assert mapped["Email"] == IGNORE  # the form's respondent column ('anonymous') loses to the real one
    assert mapped["Email address"] == "email"
    assert mapped["Are you applying as a mentor or a mentee?"] == "role"
    assert mapped["What are your short-term goals (next 6-12 months)?"] == "goal_short"
    assert mapped["Which focus areas does your short-term goal relate to?"] == "focus_short"
    assert mapped["What are your medium-term goals (1-3 years)?"] == "goal_medium"
    assert mapped["What are your long-term goals (3-5 years)?"] == "goal_long"
    assert mapped["Mentors: which areas can you offer mentoring in?"] == "expertise_areas"
    assert mapped["Mentors: how many mentees could you take on?"] == "capacity"
    assert mapped["Do you consent to the society processing your data for the scheme?"] == "consent"
    assert mapped["Surname"] == "last_name"
    assert mapped["Organisation / employer"] == "organisation"


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("E-mail", "email"),
        ("EMAIL ADDRESS:", "email"),
        ("Emial adress", "email"),
        ("Frist name", "first_name"),
        ("Full name", "full_name"),
        ("Your name", "full_name"),
        ("Membership no.", "membership_number"),
        ("How would you prefer to meet?", "meeting_preference"),
        ("Date of consent", "consent_date"),
        ("How many years of experience do you have?", "expertise_years"),
        ("Focus areas", "focus_areas"),
        ("Anything else you'd like us to know?", "notes"),
        ("Favourite colour", IGNORE),
        ("Agenda for Change band", "career_stage"),
        ("Goals - In the next 12 months", "goal_short"),
        ("Goals - In 1 to 3 years", "goal_medium"),
        ("Goals - In 3 to 5 years", "goal_long"),
        ("Which topics would you like mentoring on? - Selected Choice", "focus_areas"),
        ("Which topics could you mentor others on? - Selected Choice", "expertise_areas"),
        ("What's your role at work?", "job_title"),
        ("Where are you on your career path?", "career_stage"),
        ("Which part of the country are you in?", "region"),
        ("What would you like to achieve within a year?", "goal_short"),
        ("...and in 2-3 years?", "goal_medium"),
        ("...and in 5 years?", "goal_long"),
        ("Stage Date (UTC)", IGNORE),
    ],
)
def test_single_headers(header, field):
    assert auto_map([header]) == [field]


def test_a_survey_tools_own_columns_lose_to_the_applicants_answers():
    """Qualtrics adds an empty 'Recipient First Name' and a 'Location Latitude' of numbers before the questions."""
    headers = ["Recipient First Name", "Location Latitude", "Your first name", "Which region do you work in?"]
    fields = auto_map(headers, samples=[["", "51.5074", "Ama", "North West"], ["", "53.48", "Bo", "Yorkshire"]])
    assert fields == [IGNORE, IGNORE, "first_name", "region"]
    assert auto_map(["Recorded Date", "I agree to the privacy notice"]) == ["consent_date", "consent"]
    assert auto_map(["Submit Date (UTC)", "I agree to the privacy notice"]) == ["consent_date", "consent"]


def test_a_column_of_dates_is_never_an_answer_in_words():
    """Typeform's 'Stage Date (UTC)' says 'stage', yet holds when the form was last saved."""
    headers = ["Stage Date (UTC)", "Your grade"]
    fields = auto_map(headers, samples=[["2024-02-12 09:08:00", "ST4"], ["12/02/2024 10:15", "CT2"]])
    assert fields == [IGNORE, "career_stage"]


def test_tick_boxes_known_only_by_their_choices_are_the_areas_or_when_to_meet():
    """A form with one header row names a tick-box column by its choice only (Typeform): the reader makes
    each question one column; the first is the mentees' areas, the second the mentors', days are availability."""
    headers = [
        "Tick boxes in columns F-H: Leadership, Research, Other",
        "Tick boxes in columns I-K: Leadership, Research, Other (2)",
        "Tick boxes in columns L-M: Monday evenings, Weekends",
    ]
    assert auto_map(headers) == ["focus_areas", "expertise_areas", "availability"]


def test_each_field_goes_to_one_column_and_saved_mapping_wins():
    headers = ["Email", "Work email", "Name"]
    fields = auto_map(headers)
    assert fields.count("email") == 1
    saved = {"work email": "email", "email": IGNORE}
    assert auto_map(headers, saved) == [IGNORE, "email", "full_name"]


def test_mapping_problems():
    assert mapping_problems(["first_name", "last_name", "email"]) == []
    assert "email" in " ".join(mapping_problems(["full_name"]))
    assert "names" in " ".join(mapping_problems(["email"]))


def test_mapping_file(tmp_path):
    headers = ["Q1", "Q2", "Q3", "Email"]
    path = tmp_path / "map.json"
    path.write_text(json.dumps({"q1": "first_name", "Q2": "last_name", "Q3": None}), encoding="utf-8")
    assert load_mapping_file(path, headers, auto_map(headers)) == ["first_name", "last_name", IGNORE, "email"]
    path.write_text(json.dumps({"Q1": "shoe_size"}), encoding="utf-8")
    with pytest.raises(UserError, match=r"'shoe_size' in map\.json is not a field"):
        load_mapping_file(path, headers, auto_map(headers))
    path.write_text(json.dumps({"Q9": "email"}), encoding="utf-8")
    with pytest.raises(UserError, match="names a column 'Q9'"):
        load_mapping_file(path, headers, auto_map(headers))
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(UserError, match="not valid JSON"):
        load_mapping_file(path, headers, auto_map(headers))


# ---------------------------------------------------------------- values


@pytest.mark.parametrize(
    ("answer", "role"),
    [
        ("Mentor", "mentor"),
        (" mentee ", "mentee"),
        ("Both", "both"),
        ("I would like a mentor", "mentee"),
        ("I would like to be a mentor", "mentor"),
        ("Mentor and mentee", "both"),
        ("I'd like to mentor others", "mentor"),
        ("Looking for a mentor", "mentee"),
        ("Mentee (I would like a mentor)", "mentee"),
        ("Mentor (I would like to mentor someone)", "mentor"),
        ("Mentor/Mentee", "both"),
        ("I would like a mentor and to mentor others", "both"),
        ("I want to be a mentee", "mentee"),
    ],
)
def test_roles(answer, role):
    assert v.role(answer) == role


@pytest.mark.parametrize("answer", ["Maybe", "", "Mentor or mentee?", None])
def test_unknown_roles_are_reported(answer):
    with pytest.raises(v.ValueProblemError, match="not understood"):
        v.role(answer)


@pytest.mark.parametrize(
    ("answer", "value"),
    [
        ("Yes", True),
        ("y", True),
        ("Yes, I consent to my data being used", True),
        ("I agree", True),
        (True, True),
        ("No", False),
        ("", False),
        (None, False),
        ("I do not agree", False),
        (0, False),
    ],
)
def test_yes_no(answer, value):
    assert v.yes_no(answer) is value


def test_yes_no_unknown():
    with pytest.raises(v.ValueProblemError, match="not a yes or no answer"):
        v.yes_no("Perhaps")


@pytest.mark.parametrize(
    ("answer", "day"),
    [
        ("2021-03-04", dt.date(2021, 3, 4)),
        ("2021-03-04 10:22:11", dt.date(2021, 3, 4)),
        ("04/03/2021", dt.date(2021, 3, 4)),
        ("4.3.21", dt.date(2021, 3, 4)),
        ("4 March 2021", dt.date(2021, 3, 4)),
        ("March 4th, 2021", dt.date(2021, 3, 4)),
        ("12/25/2021", dt.date(2021, 12, 25)),
        (dt.datetime(2021, 3, 4, 9, 30), dt.date(2021, 3, 4)),
        ("", None),
    ],
)
def test_dates(answer, day):
    assert v.date(answer) == day


@pytest.mark.parametrize("answer", ["31/02/2021", "next week", "2021-13-01"])
def test_impossible_dates(answer):
    with pytest.raises(v.ValueProblemError, match="is not a date"):
        v.date(answer)


@pytest.mark.parametrize(("answer", "n"), [("2", 2), (3.0, 3), ("up to 3", 3), ("two", 2), ("", None), (4, 4)])
def test_whole_numbers(answer, n):
    assert v.whole_number(answer, "Capacity") == n


@pytest.mark.parametrize("answer", ["2.5", 2.5, "2 or 3", "lots", True])
def test_not_whole_numbers(answer):
    with pytest.raises(v.ValueProblemError, match="whole number"):
        v.whole_number(answer, "Capacity")


def test_names_and_areas():
    assert v.split_name("Dr Jane van Dyke") == ("Dr", "Jane", "van Dyke")
    assert v.split_name("Smith, Jane") == ("", "Jane", "Smith")
    assert v.split_name("Cher") == ("", "Cher", "")
    vocab = ["Leadership", "Research", "Ethics and law"]
    assert v.split_areas("leadership;Research;;", vocab) == ["leadership", "Research"]
    assert v.split_areas("Leadership, Research", vocab) == ["Leadership", "Research"]
    assert v.area_with_years("Leadership (10 years)") == ("Leadership", 10)


# ---------------------------------------------------------------- plans and imports


def test_form_export_imports_every_field_where_it_belongs(db, cohort_id, tmp_path):
    path = write_form_xlsx(tmp_path / "form.xlsx", n=40)
    before = path.read_bytes()
    plan = plan_for(db, cohort_id, path)
    assert plan.summary() == "40 to create, 0 to update, 0 to skip, 0 with problems."
    result = apply_plan(db, plan)
    assert result.created == 40
    assert path.read_bytes() == before  # the source file is only read
    with db.session() as s:
        people = {p.email: p for p in list_participants(s, cohort_id)}
        saved, _ = saved_settings(s, cohort_id)
        events = list(s.scalars(select(AuditEvent.action).where(AuditEvent.action == "participants imported")))
    assert len(people) == 40
    first = people["amelia.okafor0@example.org"]  # stray spaces and upper case cleaned
    assert (first.title, first.first_name, first.last_name) == ("Dr", "Amelia", "Okafor")
    assert first.role == "both"  # row 0 answers "Both"
    assert first.goal("short").text == "Publish my first audit (0)"
    # upper-case answers are matched to the cohort's spelling
    assert all(
        a in ("Leadership", "Research", "Management", "Clinical practice", "Career progression", "Work-life balance")
        for a in first.goal("short").focus_areas
    )
    assert first.consent is True
    mentee = people["priya.jones2@example.org"]  # "Mentee"
    assert mentee.role == "mentee" and mentee.expertise == [] and mentee.career_stage == "Specialty trainee"
    assert people["siobhan.patel4@example.org"].role == "mentee"  # "I would like a mentor"
    mentor = people["oliver.nowak1@example.org"]  # "I would like to be a mentor"
    assert mentor.role == "mentor" and mentor.capacity == 2 and len(mentor.expertise) == 2 and mentor.goals == []
    assert mentor.career_stage == "Consultant or senior practitioner"
    assert saved["email address"] == "email" and saved["id"] == IGNORE
    assert events == ["participants imported"]


def test_saved_mapping_is_used_next_time(db, cohort_id, tmp_path):
    path = write_csv(
        tmp_path / "a.csv",
        ["Who", "Surname", "Mail", "Role", "Short-term goal"],
        [["Ann", "Lee", "ann@example.org", "Mentee", "Write"]],
    )
    table, rows = preview(path)
    fields = suggest_mapping(table.headers, rows, {})
    assert fields[0] == IGNORE  # "Who" is not recognised
    fields[0] = "first_name"
    with db.session() as s:
        plan = build_plan(s, cohort_id, path, fields)
    apply_plan(db, plan)
    nxt = write_csv(tmp_path / "b.csv", ["WHO", "Surname", "Mail", "Role", "Short-term goal"], [])
    table, rows = preview(nxt)
    with db.session() as s:
        saved, options = saved_settings(s, cohort_id)
    assert suggest_mapping(table.headers, rows, saved)[0] == "first_name"
    assert options.on_duplicate == "skip"


def test_invalid_rows_are_reported_with_row_column_and_value_and_nothing_is_written(db, cohort_id, tmp_path):
    rows = simple_rows(5)
    rows[1][2] = "not-an-email"
    rows[2][3] = "Maybe"
    rows[3][6] = "lots"  # row 3 is not a mentor: its capacity is not read
    rows[4][6] = "0"  # row 4 is a mentor
    rows[0][0] = ""
    path = write_csv(tmp_path / "bad.csv", SIMPLE_HEADERS, rows)
    before = snapshot(db)
    plan = plan_for(db, cohort_id, path)
    problems = {(p.row, p.column, p.value): p.message for p in plan.problems}
    assert problems == {
        (2, "First name", ""): "First name is required.",
        (3, "Email", "not-an-email"): "'not-an-email' is not a valid email address.",
        (4, "Role", "Maybe"): "The role 'Maybe' is not understood; write Mentor, Mentee or Both.",
        (6, "Capacity", "0"): "A mentor's capacity must be a whole number from 1 to 50.",
    }
    with pytest.raises(ImportRefusedError, match=r"4 rows of bad\.csv have problems, so nothing was imported"):
        apply_plan(db, plan)
    assert snapshot(db) == before
    result = apply_plan(db, plan, skip_invalid=True)
    assert (result.created, result.invalid_skipped) == (1, 4)


def test_duplicates_and_blank_rows(db, cohort_id, tmp_path):
    with db.transaction() as s:
        create_participant(
            s,
            cohort_id,
            ParticipantData(
                "Old",
                "Entry",
                "p1@example.org",
                role="mentee",
                phone="0123",
                goals=[__import__("mentorapp.people.participants").people.participants.GoalData("long", "Keep me")],
            ),
        )
    rows = simple_rows(4)
    rows.insert(2, ["", "", "", "", "", "", ""])
    rows.append(["Again", "Twice", " P0@Example.org ", "Mentee", "Second go", "", ""])
    path = write_csv(tmp_path / "dups.csv", SIMPLE_HEADERS, rows)

    skip = plan_for(db, cohort_id, path, ImportOptions(on_duplicate="skip"))
    assert skip.blank_rows == 1
    assert [(r.row, r.action) for r in skip.rows] == [
        (2, "create"),
        (3, "skip"),
        (5, "create"),
        (6, "create"),
        (7, "skip"),
    ]
    assert skip.rows[1].reason == "Already in the cohort."
    assert skip.rows[4].reason == (
        "Same email as row 2, whose answers differ (First name, Last name, Role, Capacity ...); "
        "--on-duplicate update keeps this later one."
    )

    stop = plan_for(db, cohort_id, path, ImportOptions(on_duplicate="error"))
    assert {(p.row, p.message) for p in stop.problems} == {
        (3, "This email is already in the cohort."),
        (7, "Row 2 has the same email."),
    }

    update = plan_for(db, cohort_id, path, ImportOptions(on_duplicate="update"))
    assert [(r.row, r.action) for r in update.rows] == [
        (2, "skip"),
        (3, "update"),
        (5, "create"),
        (6, "create"),
        (7, "create"),
    ]
    result = apply_plan(db, update)
    assert (result.created, result.updated, result.skipped) == (3, 1, 1)
    with db.session() as s:
        people = {p.email: p for p in list_participants(s, cohort_id)}
    assert people["p0@example.org"].first_name == "Again"  # the later row wins
    updated = people["p1@example.org"]
    assert updated.first_name == "First1" and updated.phone == "0123"  # unmapped fields are kept
    assert updated.goal("short").text == "Goal 1" and updated.goal("long").text == "Keep me"


def test_formula_looking_values_stay_plain_text(db, cohort_id, tmp_path):
    formula = '=HYPERLINK("http://evil.example","Click me")'
    wb = Workbook()
    ws = wb.active
    ws.append(["First name", "Last name", "Email", "Role", "Short-term goal", "Organisation"])
    ws.append(["A", "B", "a@example.org", "Mentee", "Goal", None])
    set_text(ws.cell(row=2, column=6), formula)  # stored as a string cell, as a form export would
    path = tmp_path / "formula.xlsx"
    wb.save(path)
    csv_path = write_csv(
        tmp_path / "formula.csv",
        ["First name", "Last name", "Email", "Role", "Short-term goal", "Organisation"],
        [["C", "D", "c@example.org", "Mentee", "Goal", formula]],
    )
    apply_plan(db, plan_for(db, cohort_id, path))
    apply_plan(db, plan_for(db, cohort_id, csv_path))
    with db.session() as s:
        assert [p.organisation for p in list_participants(s, cohort_id)] == [formula, formula]


def test_ten_megabyte_cell_is_refused_with_its_row_and_column(db, cohort_id, tmp_path):
    rows = simple_rows(2)
    path = write_csv(
        tmp_path / "huge.csv", [*SIMPLE_HEADERS, "Notes"], [[*rows[0], "x" * 10_000_000], [*rows[1], "fine"]]
    )
    before = snapshot(db)
    # Above Excel's 32,767 characters a cell is past the import's limits (importing/limits.py): the file
    # is refused with the cell's row and column. Up to it, the field's own limit is a problem of that row.
    with pytest.raises(UserError, match=r"Row 2, column 'Notes' of huge.csv holds 10,000,000 characters"):
        plan_for(db, cohort_id, path)
    path = write_csv(tmp_path / "long.csv", [*SIMPLE_HEADERS, "Notes"], [[*rows[0], "x" * 30_000], [*rows[1], "fine"]])
    plan = plan_for(db, cohort_id, path)
    [problem] = plan.problems
    assert (problem.row, problem.column) == (2, "Notes")
    assert problem.message == "Notes is 30,000 characters long; the limit is 20,000."
    assert len(problem.value) <= 200
    with pytest.raises(ImportRefusedError):
        apply_plan(db, plan)
    assert snapshot(db) == before


def test_unknown_focus_areas_reported_or_added(db, cohort_id, tmp_path):
    rows = [
        ["Ann", "Lee", "ann@example.org", "Mentee", "Goal", "leadership;Quantum physics;", ""],
        ["Bo", "Ng", "bo@example.org", "Mentor", "", "quantum PHYSICS", "1"],
    ]
    path = write_csv(tmp_path / "areas.csv", SIMPLE_HEADERS, rows)
    plan = plan_for(db, cohort_id, path)
    assert plan.unknown_areas == {"Quantum physics": [2, 3]}
    assert {p.message for p in plan.problems} == {
        "'Quantum physics' matches none of the cohort's focus areas; it can be added as a new one."
    }
    assert {p.column for p in plan.problems} == {"Focus areas"}
    plan = plan_for(db, cohort_id, path, ImportOptions(add_focus_areas=True))
    result = apply_plan(db, plan)
    assert result.added_areas == ["Quantum physics"]
    with db.session() as s:
        cohort = s.get(Cohort, cohort_id)
        assert cohort.focus_areas[-1] == "Quantum physics"
        people = {p.email: p for p in list_participants(s, cohort_id)}
    assert people["ann@example.org"].goal("short").focus_areas == ["Leadership", "Quantum physics"]
    assert [e.focus_area for e in people["bo@example.org"].expertise] == ["Quantum physics"]


def test_full_name_column_and_default_role(db, cohort_id, tmp_path):
    path = write_csv(
        tmp_path / "names.csv",
        ["Name", "Email", "Goals for the next 6-12 months"],
        [["Dr Jane van Dyke", "jane@example.org", "Lead"]],
    )
    plan = plan_for(db, cohort_id, path)
    assert plan.problems[0].message == "The role is missing; write Mentor, Mentee or Both."
    plan = plan_for(db, cohort_id, path, ImportOptions(default_role="mentee"))
    apply_plan(db, plan)
    with db.session() as s:
        [p] = list_participants(s, cohort_id)
    assert (p.title, p.first_name, p.last_name, p.role) == ("Dr", "Jane", "van Dyke", "mentee")


def test_names_with_letters_after_them_are_stored_without_them(db, cohort_id, tmp_path):
    path = write_csv(
        tmp_path / "letters.csv",
        ["Name", "First name", "Surname", "Email", "Role", "Goals for the next 6-12 months"],
        [
            ["Prof Sir Ian Lee, MBChB FRCP", "", "", "ian@example.org", "Mentee", "Lead"],
            ["", "Jane", "Smith FFOM", "jane@example.org", "Mentee", "Teach"],
        ],
    )
    plan = plan_for(db, cohort_id, path, fields=["full_name", "first_name", "last_name", "email", "role", "goal_short"])
    apply_plan(db, plan)
    with db.session() as s:
        people = sorted((p.title, p.first_name, p.last_name) for p in list_participants(s, cohort_id))
    assert people == [("", "Jane", "Smith"), ("Prof Sir", "Ian", "Lee")]


def test_cancel_and_conflicts_leave_the_database_unchanged(db, cohort_id, tmp_path):
    path = write_csv(tmp_path / "many.csv", SIMPLE_HEADERS, simple_rows(1200))
    plan = plan_for(db, cohort_id, path)
    before = snapshot(db)
    seen = []
    with pytest.raises(ImportCancelledError, match="nothing was changed"):
        apply_plan(db, plan, progress=lambda d, t: seen.append(d), cancelled=lambda: len(seen) >= 1)
    assert snapshot(db) == before
    with db.transaction() as s:  # someone adds a participant after the check
        create_participant(s, cohort_id, ParticipantData("X", "Y", "p700@example.org", role="mentor"))
    before = snapshot(db)
    with pytest.raises(ConflictError, match=r"p700@example.org \(row 702\) was added to the cohort after the check"):
        apply_plan(db, plan)
    assert snapshot(db) == before


def test_check_can_be_cancelled(db, cohort_id, tmp_path):
    path = write_csv(tmp_path / "many.csv", SIMPLE_HEADERS, simple_rows(1000))
    table, rows = preview(path)
    with db.session() as s, pytest.raises(ImportCancelledError):
        build_plan(s, cohort_id, path, suggest_mapping(table.headers, rows, {}), cancelled=lambda: True)


def test_mapping_that_does_not_fit_the_file(db, cohort_id, tmp_path):
    path = write_csv(tmp_path / "a.csv", SIMPLE_HEADERS, simple_rows(1))
    with db.session() as s, pytest.raises(UserError, match="does not fit"):
        build_plan(s, cohort_id, path, ["email"])


def test_application_template_round_trip(db, cohort_id, tmp_path):
    path = write_template(tmp_path / "template.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Applications", "Lists", "Notes"]
    ws = wb["Applications"]
    headers = [c.value for c in ws[1]]
    assert headers == [TEMPLATE_HEADERS[k] for k in TEMPLATE_ORDER]
    assert set(TEMPLATE_ORDER) == set(TEMPLATE_HEADERS) - {"focus_areas"}
    assert ws.freeze_panes == "A2"
    lists = [dv.formula1 for dv in ws.data_validations.dataValidation]
    assert "Lists!$A$2:$A$4" in lists  # role: Mentee, Mentor, Both
    assert len(lists) == 10
    row = {h: "" for h in headers}
    row.update(
        {
            "First name": "Ada",
            "Last name": "Byron",
            "Email": "ada@example.org",
            "Role": "Both",
            "Short-term goal": "Publish",
            "Short-term focus areas": "Research;Leadership",
            "Mentor expertise areas": "Leadership (12)",
            "Mentor capacity": "2",
            "Consent": "Yes",
            "Consent date": "2021-06-01",
            "Meeting preference": "Online",
        }
    )
    ws.append([row[h] or None for h in headers])
    filled = tmp_path / "filled.xlsx"
    wb.save(filled)
    table, rows = preview(filled)
    assert IGNORE not in suggest_mapping(table.headers, rows, {})
    apply_plan(db, plan_for(db, cohort_id, filled))
    with db.session() as s:
        [p] = list_participants(s, cohort_id)
    assert p.role == "both" and p.capacity == 2 and p.consent_date == dt.date(2021, 6, 1)
    assert p.expertise[0].focus_area == "Leadership" and p.expertise[0].years == 12
    assert p.meeting_preference == "online"


def test_bulk_path_stores_what_create_participant_stores(db, cohort_id, tmp_path):
    headers = [
        "Title",
        "First name",
        "Last name",
        "Email",
        "Role",
        "Phone",
        "Notes",
        "Short-term goal",
        "Short-term focus areas",
        "Long-term goal",
        "Mentor expertise areas",
        "Mentor capacity",
        "Meeting preference",
        "Consent",
        "Consent date",
        "Mentor experience",
    ]
    row = [
        " Dr ",
        " Zoë ",
        " Ng ",
        " Zoe.Ng@Example.ORG ",
        "Both",
        " 0123 ",
        "  keep my spaces  ",
        " Lead ",
        "Research;leadership",
        "",
        "Leadership (7);Research",
        "2",
        "online",
        "yes",
        "2021-05-01",
        " lots ",
    ]
    path = write_csv(tmp_path / "one.csv", headers, [row])
    plan = plan_for(db, cohort_id, path)
    [planned] = plan.rows
    apply_plan(db, plan)
    with db.transaction() as s:
        other = create_cohort(s, CohortData(name="Other", start_date=dt.date(2021, 9, 1))).id
        create_participant(s, other, planned.data)
    with db.session() as s:
        [bulk] = list_participants(s, cohort_id)
        [orm] = list_participants(s, other)
    for p in (bulk, orm):
        p.id = p.cohort_id = None
    assert bulk == orm
    assert bulk.notes == "  keep my spaces  " and bulk.email == "zoe.ng@example.org"
    assert [(e.focus_area, e.years) for e in bulk.expertise] == [("Leadership", 7), ("Research", 0)]
    with db.session() as s:
        described = [
            e.description for e in s.scalars(select(AuditEvent).where(AuditEvent.entity_type == "participant"))
        ]
    assert described[0].startswith("Zoë Ng (#1) added as both")


def test_google_forms_style_export(db, cohort_id, tmp_path):
    headers = [
        "Timestamp",
        "Email Address",
        "Full name",
        "Which best describes you?",
        "Where do you work?",
        "What would you like to get out of mentoring in the next 6-12 months?",
        "Which topics interest you?",
        "How many years have you been in practice?",
        "Mentors only: how many mentees could you support?",
        "I consent to my data being stored and used for matching",
    ]
    rows = [
        [
            "2021/06/01 9:02:11 AM GMT+1",
            "ann@example.org",
            "Dr Ann Lee",
            "Mentee (I would like a mentor)",
            "Leeds Teaching Hospitals",
            "Pass my exams",
            "Leadership, Specialty training and exams",
            "",
            "",
            "Yes",
        ],
        [
            "2021/06/01 9:15:40 AM GMT+1",
            "bob@example.org",
            "Bob Stone",
            "Mentor (I would like to mentor someone)",
            "Acme Health",
            "",
            "Leadership, Research",
            "15",
            "2",
            "Yes",
        ],
    ]
    path = write_csv(tmp_path / "google.csv", headers, rows)
    plan = plan_for(db, cohort_id, path)
    assert plan.fields == [
        "consent_date",  # the form's timestamp: when the applicant consented
        "email",
        "full_name",
        "role",
        "organisation",
        "goal_short",
        "focus_areas",
        "expertise_years",
        "capacity",
        "consent",
    ]
    apply_plan(db, plan)
    with db.session() as s:
        ann, bob = list_participants(s, cohort_id)
    assert (ann.title, ann.role, ann.organisation) == ("Dr", "mentee", "Leeds Teaching Hospitals")
    assert ann.consent_date == dt.date(2021, 6, 1)
    assert ann.goal("short").focus_areas == ["Leadership", "Specialty training and exams"]
    assert (bob.role, bob.capacity, [(e.focus_area, e.years) for e in bob.expertise]) == (
        "mentor",
        2,
        [("Leadership", 15), ("Research", 15)],
    )


def test_header_without_applications(db, cohort_id, tmp_path):
    path = write_csv(tmp_path / "empty.csv", SIMPLE_HEADERS, [["", "", "", "", "", "", ""]])
    with pytest.raises(UserError, match="has a header row but no applications under it"):
        plan_for(db, cohort_id, path)


@pytest.mark.parametrize(
    ("answer", "preference"),
    [
        ("Remotely", "online"),
        ("Virtually (Teams)", "online"),
        ("By telephone", "online"),
        ("Face-to-face", "in person"),
        ("Happy with either", "either"),
        ("Face to face or remotely", "either"),
    ],
)
def test_ways_of_meeting_as_forms_word_them(answer, preference):
    assert v.meeting_preference(answer) == preference


def test_topics_asked_after_each_goal_tag_that_goal_and_days_and_times_are_availability():
    """'Which topics does that relate to?' after the first goal was read as every goal's areas, and
    'Topics for your longer-term ambitions' and 'Any days/times that suit you?' were ignored."""
    from mentorapp.importing.fields import auto_map

    headers = [
        "Email address",
        "Your full name",
        "What would you most like help with in the next 12 months?",
        "Which topics does that relate to? (tick all that apply)",
        "Longer-term ambitions (3-5 years)",
        "Topics for your longer-term ambitions",
        "Any days/times that suit you?",
    ]
    assert auto_map(headers)[2:] == ["goal_short", "focus_short", "goal_long", "focus_long", "availability"]
