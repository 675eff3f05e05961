"""Form exports the code was not written for, imported on the command line by following each refusal's message.

A Microsoft Forms-style workbook and a Google Forms-style CSV, each with its own wording,
career ladder and topics; the coordinator only does what the last message said.
"""

from __future__ import annotations

import json
import re
import shlex

import pytest
from openpyxl import Workbook

from mentorapp.cli.main import main
from mentorapp.store.db import open_database
from mentorapp.store.models import Cohort
from tests.support.import_fixtures import write_csv

MS_HEADERS = [
    "ID",
    "Start time",
    "Completion time",
    "Email",
    "Name",
    "Full name (with your title)",
    "Work email address",
    "Which option best describes you?",
    "Where are you in your career?",
    "Which area are you based in?",
    "Preferred way of meeting",
    "What would you like to achieve in the next 6-12 months?",
    "Where do you want to be in 1-3 years?",
    "And in 3-5 years?",
    "Areas you would like help with (for all goals)",
    "Which areas could you offer mentoring in?",
    "How many mentees could you support?",
    "I agree to the society holding my answers for the scheme",
]
# id, completed (Microsoft Forms, month first), full name, email, role, stage, region, meeting,
# goals x3, areas for all goals, areas offered, capacity, consent
MS_PEOPLE = [
    (
        "9/13/21 14:03:22",
        "Dr María José García López",
        "mjgl@trust-a.example",
        "I'd like to find a mentor",
        "Early career",
        "Yorkshire",
        "Video call",
        "Pass the diploma",
        "Run a clinic",
        "Lead a service",
        "Exams and qualifications; Policy",
        "",
        "",
        "Yes",
    ),
    (
        "9/14/21 09:10:00",
        "Prof. Jan van der Berg",
        "jvdb@uni-b.example",
        "I am happy to be a mentor to someone",
        "Consultant",
        "London",
        "Face to face",
        "",
        "",
        "",
        "",
        "Policy, Teaching, Business development",
        "one or two",
        "Yes",
    ),
    (
        "9/14/21 11:45:09",
        "Ms Siobhán Ní Bhriain",
        "snb@practice-c.example",
        "Looking for a mentor",
        "Mid career",
        "Wales",
        "No preference",
        "Write a business case",
        "",
        "Set up a practice",
        "Business development",
        "",
        "",
        "Yes",
    ),
    (
        "9/15/21 16:20:51",
        "Mr Tomasz Zieliński",
        "tz@group-d.example",
        "I'd like to mentor others",
        "GP with special interest",
        "Yorkshire",
        "Teams",
        "",
        "",
        "",
        "",
        "Exams and qualifications; Teaching",
        "2 (maybe 3)",
        "Yes",
    ),
]


def ms_forms_xlsx(path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws.append(MS_HEADERS)
    for i, person in enumerate(MS_PEOPLE, start=1):
        (done, name, email, role, stage, region, meet, g1, g2, g3, areas, offered, capacity, consent) = person
        ws.append(
            [
                i,
                done,
                done,
                "anonymous",
                "",
                name,
                email,
                role,
                stage,
                region,
                meet,
                g1,
                g2,
                g3,
                areas,
                offered,
                capacity,
                consent,
            ]
        )
    wb.save(path)
    return path


GOOGLE_HEADERS = [
    "Timestamp",
    "Email address",
    "Your name",
    "Are you signing up as a mentor or mentee?",
    "Career stage",
    "How would you prefer to meet?",
    "Topics you want mentoring on",
    "Topics you can mentor on",
    "How many mentees can you take?",
    "Consent",
]
GOOGLE_ROWS = [
    [
        "01/09/2021 14:03:22",
        "ada@clinic.example",
        "Ada Byrne",
        "Mentee",
        "Early career",
        "Video call",
        "Teaching, Policy",
        "",
        "",
        "Yes",
    ],
    [
        "02/09/2021 08:00:00",
        "ben@hospital.example",
        "Dr Ben Okoro",
        "Mentor",
        "Consultant",
        "In person",
        "",
        "Teaching; Exams and qualifications",
        "Two",
        "Yes",
    ],
    [
        "13/09/2021 19:30:00",
        "cy@surgery.example",
        "Cy Laine",
        "Mentee",
        "GP with special interest",
        "Zoom",
        "Exams and qualifications",
        "",
        "",
        "Yes",
    ],
    [
        "14/09/2021 10:00:00",
        "dee@board.example",
        "Dee Ward",
        "Mentor",
        "Mid career",
        "Either",
        "",
        "Policy",
        "up to 3",
        "Yes",
    ],
]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def options_named(message: str) -> list[str]:
    """The options a refusal tells the coordinator to run again with."""
    found = re.search(r"Run again with ((?:--[a-z-]+ ?)+) to", message)
    assert found, message
    return found.group(1).split()


def people(capsys, db_path, cohort):
    code, out, err = run(capsys, "--db", db_path, "participants", "--cohort", cohort, "--format", "json")
    assert code == 0, err
    return {p["email"]: p for p in json.loads(out)}


def stored_vocabulary(db_path, name):
    db = open_database(db_path)
    try:
        with db.session() as s:
            cohort = next(c for c in s.query(Cohort).all() if c.name == name)
            return list(cohort.focus_areas), list(cohort.career_stages), list(cohort.regions)
    finally:
        db.dispose()


def test_a_microsoft_forms_export_imports_completely_by_following_the_refusal(tmp_path, capsys, db_path):
    form = ms_forms_xlsx(tmp_path / "Mentoring applications(1-4).xlsx")
    run(capsys, "--db", db_path, "cohorts", "add", "Allied Health 2022")
    base = ("--db", db_path, "import", str(form), "--cohort", "Allied Health 2022")
    code, out, err = run(capsys, *base)
    assert code == 1
    # Every open answer is listed with how many rows give it and which.
    assert re.search(r"Yorkshire\s+2 \(2, 5\)\s+North East and Yorkshire\s+0\.90", out), out
    assert re.search(r"Mid career\s+1 \(4\)\s+\(add as new\)", out), out
    assert "nothing was imported" in err and "--accept-suggested-values" in err and "--add-new-values" in err
    assert people(capsys, db_path, "Allied Health 2022") == {}

    code, out, err = run(capsys, *base, *options_named(err))
    assert code == 0, err
    assert "Imported 4 new participants." in out
    found = people(capsys, db_path, "Allied Health 2022")
    maria = found["mjgl@trust-a.example"]
    assert (maria["title"], maria["first_name"], maria["last_name"]) == ("Dr", "María José", "García López")
    assert (maria["role"], maria["career_stage"], maria["meeting_preference"]) == (
        "mentee",
        "Early career specialist",
        "online",
    )
    assert maria["consent_date"] == "2021-09-13"  # Microsoft Forms writes the month first
    # The areas for all goals are on each goal she wrote.
    assert {g["horizon"]: g["focus_areas"] for g in maria["goals"]} == {
        "short": ["Exams and qualifications", "Health and work policy"],
        "medium": ["Exams and qualifications", "Health and work policy"],
        "long": ["Exams and qualifications", "Health and work policy"],
    }
    jan = found["jvdb@uni-b.example"]
    assert (jan["title"], jan["first_name"], jan["last_name"]) == ("Prof", "Jan", "van der Berg")
    assert (jan["role"], jan["capacity"], jan["career_stage"]) == ("mentor", 2, "Consultant or senior practitioner")
    assert [e["focus_area"] for e in jan["expertise"]] == [
        "Health and work policy",
        "Teaching and education",
        "Business development",
    ]
    assert jan["meeting_preference"] == "in person"
    siobhan = found["snb@practice-c.example"]
    assert (siobhan["first_name"], siobhan["last_name"], siobhan["career_stage"]) == (
        "Siobhán",
        "Ní Bhriain",
        "Mid career",
    )
    assert siobhan["meeting_preference"] == "either"
    tomasz = found["tz@group-d.example"]
    assert (tomasz["capacity"], tomasz["career_stage"], tomasz["meeting_preference"]) == (
        2,
        "GP with special interest",
        "online",
    )
    areas, stages, regions = stored_vocabulary(db_path, "Allied Health 2022")
    assert {"Business development", "Exams and qualifications"} <= set(areas) and "Policy" not in areas
    # New stages join the ladder where their words say: above established practitioners, below consultants.
    at = stages.index("Established practitioner")
    assert stages[at : at + 3] == ["Established practitioner", "Mid career", "GP with special interest"]
    assert stages[at + 3] == "Consultant or senior practitioner"
    assert "Yorkshire" not in regions  # it meant 'North East and Yorkshire'

    # Next year's form of the same shape: the choices were remembered, nothing is asked.
    next_year = tmp_path / "Mentoring applications 2023.xlsx"
    MS_PEOPLE.append(MS_PEOPLE[0])
    try:
        MS_PEOPLE[-1] = (MS_PEOPLE[0][0], "Dr Ana Ruiz", "ana@trust-a.example", *MS_PEOPLE[0][3:])
        ms_forms_xlsx(next_year)
    finally:
        MS_PEOPLE.pop()
    code, out, err = run(capsys, "--db", db_path, "import", str(next_year), "--cohort", "Allied Health 2022")
    assert code == 0, err
    assert "Imported 1 new participant" in out
    ana = people(capsys, db_path, "Allied Health 2022")["ana@trust-a.example"]
    assert ana["career_stage"] == "Early career specialist"
    assert ana["goals"][0]["focus_areas"] == ["Exams and qualifications", "Health and work policy"]


def test_a_google_forms_export_with_a_values_file_edited_from_the_dry_run(tmp_path, capsys, db_path):
    form = write_csv(tmp_path / "Mentoring sign-up (Responses).csv", GOOGLE_HEADERS, GOOGLE_ROWS)
    run(capsys, "--db", db_path, "cohorts", "add", "Primary care 2021")
    base = ("--db", db_path, "import", str(form), "--cohort", "Primary care 2021")
    code, _out, err = run(capsys, *base)
    assert code == 1 and "--values FILE.json" in err
    code, out, _ = run(capsys, *base, "--dry-run", "--format", "json")
    values = json.loads(out)["values"]
    stages = {e["value"]: e for e in values["career_stage"]["values"]}
    assert stages["GP with special interest"]["count"] == 1 and stages["GP with special interest"]["rows"] == [4]
    assert all(0 <= e["confidence"] <= 1 for block in values.values() for e in block["values"])
    # The coordinator reviews the proposals and writes their own choices into the block.
    stages["Mid career"]["proposed"] = "Established practitioner"
    stages["GP with special interest"]["proposed"] = "Established practitioner"
    for block in ("focus_areas", "expertise_areas"):
        for entry in values.get(block, {}).get("values", []):
            if entry["value"] == "Exams and qualifications":
                entry["proposed"] = "Specialty training and exams"
            elif entry["value"] == "Policy":
                entry["proposed"] = "Health and work policy"
            elif entry["value"] == "Teaching":
                entry["proposed"] = "Teaching and education"
    values_file = tmp_path / "values.json"
    values_file.write_text(json.dumps(values, indent=2), encoding="utf-8")

    code, out, err = run(capsys, *base, "--values", str(values_file))
    assert code == 0, err
    found = people(capsys, db_path, "Primary care 2021")
    assert found["cy@surgery.example"]["career_stage"] == "Established practitioner"
    assert found["cy@surgery.example"]["consent_date"] == "2021-09-13"
    assert found["cy@surgery.example"]["meeting_preference"] == "online"
    assert found["ada@clinic.example"]["goals"][0]["focus_areas"] == [
        "Teaching and education",
        "Health and work policy",
    ]
    assert found["ben@hospital.example"]["capacity"] == 2 and found["dee@board.example"]["capacity"] == 3
    assert [e["focus_area"] for e in found["ben@hospital.example"]["expertise"]] == [
        "Teaching and education",
        "Specialty training and exams",
    ]
    assert found["ben@hospital.example"]["title"] == "Dr"


def test_a_values_file_naming_what_does_not_exist_is_refused_with_its_line(tmp_path, capsys, db_path):
    form = write_csv(tmp_path / "responses.csv", GOOGLE_HEADERS, GOOGLE_ROWS)
    run(capsys, "--db", db_path, "cohorts", "add", "Refusals")
    bad = {
        "career_stage": {
            "values": [
                {"value": "Early career", "proposed": "Early career specialist"},
                {"value": "Locum", "proposed": "Early career specialist"},
            ]
        }
    }
    path = tmp_path / "bad-values.json"
    path.write_text(json.dumps(bad, indent=2), encoding="utf-8")
    code, _out, err = run(capsys, "--db", db_path, "import", str(form), "--cohort", "Refusals", "--values", str(path))
    assert code == 1
    assert "bad-values.json line 9, career_stage entry 2 ('Locum')" in err and "no such answer" in err
    bad["career_stage"]["values"][1] = {"value": "Mid career", "proposed": "Mid-grade"}
    path.write_text(json.dumps(bad, indent=2), encoding="utf-8")
    code, _out, err = run(capsys, "--db", db_path, "import", str(form), "--cohort", "Refusals", "--values", str(path))
    assert code == 1 and "'Mid-grade' is not a career stage of the scheme" in err
    assert people(capsys, db_path, "Refusals") == {}


def test_an_empty_cohort_adopts_the_forms_vocabulary_with_stages_in_seniority_order(tmp_path, capsys, db_path):
    form = write_csv(tmp_path / "responses.csv", GOOGLE_HEADERS, GOOGLE_ROWS)
    run(capsys, "--db", db_path, "cohorts", "add", "New scheme")
    # The dry run shows the ladder it would take, so its order can be checked before anything is written.
    args = ("--db", db_path, "import", str(form), "--cohort", "New scheme", "--adopt-vocabulary")
    code, out, err = run(capsys, *args, "--dry-run")
    assert code == 0, err
    assert "The cohort would take the file's answers as its vocabulary:" in out
    assert "1. Early career\n    2. Mid career\n    3. GP with special interest\n    4. Consultant" in out
    assert "Focus areas: Exams and qualifications, Policy, Teaching" in out
    code, out, _ = run(capsys, *args, "--dry-run", "--format", "json")
    assert json.loads(out)["adopted_vocabulary"]["career_stages"][0] == "Early career"
    code, _out, err = run(capsys, *args)
    assert code == 0, err
    areas, stages, _regions = stored_vocabulary(db_path, "New scheme")
    assert stages == ["Early career", "Mid career", "GP with special interest", "Consultant"]  # by seniority words
    assert areas == ["Exams and qualifications", "Policy", "Teaching"]
    found = people(capsys, db_path, "New scheme")
    assert found["cy@surgery.example"]["career_stage"] == "GP with special interest"
    # A second import cannot adopt again: the cohort has participants now.
    code, _out, err = run(capsys, "--db", db_path, "import", str(form), "--cohort", "New scheme", "--adopt-vocabulary")
    assert code == 1 and "only for a cohort with no participants" in err


def test_stage_order_puts_the_ladder_as_the_coordinator_says(tmp_path, capsys, db_path):
    form = write_csv(tmp_path / "responses.csv", GOOGLE_HEADERS, GOOGLE_ROWS)
    run(capsys, "--db", db_path, "cohorts", "add", "Ordered")
    order = "GP with special interest,Early career,Mid career,Consultant"
    args = ("--db", db_path, "import", str(form), "--cohort", "Ordered", "--adopt-vocabulary")
    code, _out, err = run(capsys, *args, "--stage-order", "Early career,Consultant")
    assert code == 1 and "--stage-order does not place" in err and "'Mid career'" in err
    code, _out, err = run(capsys, *args, "--stage-order", order)
    assert code == 0, err
    assert stored_vocabulary(db_path, "Ordered")[1] == order.split(",")


def test_help_states_the_default_threshold(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "--accept-suggested-values" in out and "(default: 0.8)" in out
    assert shlex.split("--values FILE.json")[0] in out


def test_accepting_suggestions_alone_refuses_the_rest_listing_them_and_naming_the_next_option(
    tmp_path, capsys, db_path
):
    form = write_csv(tmp_path / "responses.csv", GOOGLE_HEADERS, GOOGLE_ROWS)
    run(capsys, "--db", db_path, "cohorts", "add", "Stepwise")
    base = ("--db", db_path, "import", str(form), "--cohort", "Stepwise")
    code, out, err = run(capsys, *base, "--accept-suggested-values")
    assert code == 1
    # 'Policy' was accepted (0.90); what matches nothing is still listed with its rows, and named.
    assert not re.search(r"Policy\s+1 \(\d\)\s+Health and work policy", out), out
    assert re.search(r"Career stage\s+Mid career\s+1 \(5\)\s+\(add as new\)", out), out
    assert options_named(err) == ["--add-new-values"] and "'Mid career'" in err
    assert people(capsys, db_path, "Stepwise") == {}
    # A threshold above every proposal accepts nothing: 'Policy' is asked again.
    code, out, err = run(capsys, *base, "--accept-suggested-values", "--threshold", "0.95")
    assert code == 1 and re.search(r"Policy\s+1 \(\d\)\s+Health and work policy\s+0\.90", out), out
    code, out, err = run(capsys, *base, "--accept-suggested-values", "--add-new-values")
    assert code == 0, err
    assert "Career stage: 'GP with special interest', 'Mid career'" in out
    assert people(capsys, db_path, "Stepwise")["dee@board.example"]["expertise"][0]["focus_area"] == (
        "Health and work policy"
    )


def test_add_focus_areas_still_adds_the_forms_topics_as_they_are_written(tmp_path, capsys, db_path):
    rows = [[*r[:4], "Consultant", *r[5:]] for r in GOOGLE_ROWS]
    form = write_csv(tmp_path / "responses.csv", GOOGLE_HEADERS, rows)
    run(capsys, "--db", db_path, "cohorts", "add", "Topics")
    base = ("--db", db_path, "import", str(form), "--cohort", "Topics", "--accept-suggested-values")
    code, _out, err = run(capsys, *base, "--add-focus-areas")
    assert code == 0, err
    assert "Exams and qualifications" in stored_vocabulary(db_path, "Topics")[0]


def test_the_cohort_takes_each_answer_as_most_rows_spell_it_not_as_the_first_row(tmp_path, capsys, db_path):
    # The first applicant wrote in capitals and with stray spaces; the three after them did not.
    rows = [list(r) for r in GOOGLE_ROWS]
    rows[0][4], rows[0][6] = "EARLY  CAREER", "TEACHING, POLICY"
    rows.append(["15/09/2021 10:00:00", "eve@ward.example", "Eve Moss", "Mentee", "Early career", "Either",
                 "Teaching; Policy", "", "", "Yes"])  # fmt: skip
    rows.append(["16/09/2021 10:00:00", "fay@ward.example", "Fay Moss", "Mentee", "Early career", "Either",
                 "Exams and qualifications", "", "", "Yes"])  # fmt: skip
    form = write_csv(tmp_path / "responses.csv", GOOGLE_HEADERS, rows)
    run(capsys, "--db", db_path, "cohorts", "add", "Spelling")
    code, out, err = run(
        capsys, "--db", db_path, "import", str(form), "--cohort", "Spelling", "--adopt-vocabulary", "--dry-run"
    )
    assert code == 0, err
    assert "TEACHING" not in out and "EARLY" not in out  # the answers the check shows, as most rows spell them
    code, _out, err = run(capsys, "--db", db_path, "import", str(form), "--cohort", "Spelling", "--adopt-vocabulary")
    assert code == 0, err
    areas, stages, _regions = stored_vocabulary(db_path, "Spelling")
    assert areas == ["Exams and qualifications", "Policy", "Teaching"]
    assert stages == ["Early career", "Mid career", "GP with special interest", "Consultant"]
    found = people(capsys, db_path, "Spelling")
    assert found["ada@clinic.example"]["career_stage"] == "Early career"
    assert [g["focus_areas"] for g in found["ada@clinic.example"]["goals"]] == [["Teaching", "Policy"]] * len(
        found["ada@clinic.example"]["goals"]
    )


def test_an_answer_added_as_new_is_stored_in_every_row_as_the_cohort_list_spells_it(tmp_path, capsys, db_path):
    rows = [list(r) for r in GOOGLE_ROWS]
    rows[2][4], rows[2][6] = "GP WITH SPECIAL INTEREST", "EXAMS AND QUALIFICATIONS"  # the first to write them
    for n, name in enumerate(("Gil", "Hal")):
        rows.append([f"2{n}/09/2021 10:00:00", f"{name.lower()}@ward.example", f"{name} Moss", "Mentee",
                     "GP with special interest", "Either", "Exams and qualifications", "", "", "Yes"])  # fmt: skip
    form = write_csv(tmp_path / "responses.csv", GOOGLE_HEADERS, rows)
    run(capsys, "--db", db_path, "cohorts", "add", "Plain")
    code, _out, err = run(capsys, "--db", db_path, "import", str(form), "--cohort", "Plain")
    assert code == 1 and err.count("'Exams and qualifications'") == 1  # new in two columns, one area to add
    args = ("--db", db_path, "import", str(form), "--cohort", "Plain", "--accept-suggested-values", "--add-new-values")
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert "Added focus areas: Exams and qualifications." in out
    areas, stages, _regions = stored_vocabulary(db_path, "Plain")
    assert "Exams and qualifications" in areas and "EXAMS AND QUALIFICATIONS" not in areas
    assert "GP with special interest" in stages and "GP WITH SPECIAL INTEREST" not in stages
    cy = people(capsys, db_path, "Plain")["cy@surgery.example"]
    assert cy["career_stage"] == "GP with special interest"
    assert {a for g in cy["goals"] for a in g["focus_areas"]} == {"Exams and qualifications"}
