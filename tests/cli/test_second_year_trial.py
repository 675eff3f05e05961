"""The trial a new user runs: the demo pilot, then a second year imported with returning people, on the command line.

History and subject access show both years, merge and split are logged, erasing one
year's membership keeps the other, and anonymising the closed pilot keeps the second year.
"""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from sqlalchemy import select

from mentorapp.cli.main import main
from mentorapp.privacy import cohorts_due_for_anonymising
from mentorapp.store.db import open_database
from mentorapp.store.models import Cohort, Participant, Person

pytestmark = pytest.mark.both_databases

PILOT, YEAR2 = "Future Leaders pilot", "Future Leaders 2022"


def run(capsys, db_path: str, *args: str) -> tuple[int, str, str]:
    code = main(["--db", db_path, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def trial(db_path, tmp_path, capsys):
    """The pilot with its evaluations, a second year made from it, and that year's form written."""
    assert run(capsys, db_path, "demo", "--with-evaluations")[0] == 0
    code, out, err = run(capsys, db_path, "cohorts", "create", YEAR2, "--from", PILOT, "--start", "2022-09-01")
    assert code == 0, err
    assert "focus areas, career stages in their order, regions" in out
    form = tmp_path / "applications-2022.csv"
    code, out, err = run(capsys, db_path, "demo-next-year", "-o", str(form), "--cohort", PILOT)
    assert code == 0, err
    with form.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    spelled = int(out.split("(row ")[1].split(" ")[0])
    return form, rows, spelled


def test_second_year_with_returning_people(db_path, trial, capsys, tmp_path):
    form, rows, spelled = trial
    # The dry run lists returning people with what changed, and asks about the spelled-differently one.
    code, out, err = run(capsys, db_path, "import", str(form), "--cohort", YEAR2, "--dry-run")
    assert code == 1
    assert "Returning from an earlier cohort" in out and "Organisation:" in out and "Role: mentee → mentor" in out
    assert f"answer with --same-person {spelled} or --new-person {spelled}" in out
    # Without an answer the import is refused with a sentence and nothing is written.
    code, out, err = run(capsys, db_path, "import", str(form), "--cohort", YEAR2)
    assert code == 1 and "may be someone who applied before" in err and "Traceback" not in err
    code, out, err = run(capsys, db_path, "participants", "--cohort", YEAR2, "--format", "json")
    assert json.loads(out) == []
    # JSON dry run: person ids of the returning rows.
    code, out, err = run(
        capsys, db_path, "import", str(form), "--cohort", YEAR2, "--dry-run", "--format", "json",
        "--same-person", str(spelled),
    )  # fmt: skip
    planned = json.loads(out)
    back = [r for r in planned["rows"] if r["returning"]]
    assert len(back) == 12 and all(r["person_id"] for r in back)
    code, out, err = run(
        capsys, db_path, "import", str(form), "--cohort", YEAR2, "--same-person", str(spelled),
        "--keep-old", "2:organisation",
    )  # fmt: skip
    assert code == 0, err
    assert f"Imported {len(rows)} new participants (12 of them returning from an earlier cohort)" in out

    pilot = {
        p["email"]: p
        for p in json.loads(run(capsys, db_path, "participants", "--cohort", PILOT, "--format", "json")[1])
    }
    year2 = {
        p["email"]: p
        for p in json.loads(run(capsys, db_path, "participants", "--cohort", YEAR2, "--format", "json")[1])
    }
    first = rows[0]
    # Row 2 kept its old organisation; the same person id in both years.
    assert year2[first["Email Address"]]["organisation"] == pilot[first["Email Address"]]["organisation"]
    assert year2[first["Email Address"]]["person_id"] == pilot[first["Email Address"]]["person_id"]
    assert (
        rows[1]["Employer"]
        == year2[rows[1]["Email Address"]]["organisation"]
        != pilot[rows[1]["Email Address"]]["organisation"]
    )
    odd = rows[spelled - 2]
    assert year2[odd["Email Address"]]["first_name"] == odd["First Name"]
    assert pilot[odd["Email Address"]]["first_name"] == odd["First Name"]  # one person: the new spelling everywhere

    # History: both years, the pilot's pair with the partner's email and person id.
    code, out, err = run(capsys, db_path, "history", odd["Email Address"], "--format", "json")
    history = json.loads(out)
    assert [c["cohort"]["name"] for c in history["cohorts"]] == [PILOT, YEAR2]
    partner = history["cohorts"][0]["pairs"][0]["partner"]
    assert partner["person_id"] and "@" in partner["email"]
    assert history["cohorts"][0]["evaluations"]
    code, out, err = run(capsys, db_path, "history", odd["Email Address"])
    assert PILOT in out and YEAR2 in out and partner["name"] in out
    # Subject access: one person, a record for each year.
    target = tmp_path / "sar"
    assert run(capsys, db_path, "subject-access", odd["Email Address"], "-o", str(target))[0] == 0
    sar = json.loads((tmp_path / "sar.json").read_text(encoding="utf-8"))
    assert [p["person_id"] for p in sar["people"]] == [history["person_id"]]
    assert sar["people"][0]["cohorts"] == [PILOT, YEAR2]
    assert any(f["value"].startswith(odd["Last Name"]) for f in sar["people"][0]["former_values"])
    assert [r["cohort"]["name"] for r in sar["records"]] == [PILOT, YEAR2]
    # The matches of the pilot name each side's person.
    matches = json.loads(run(capsys, db_path, "matches", "--cohort", PILOT, "--format", "json")[1])
    assert all(m["mentee_person_id"] and m["mentor_person_id"] for m in matches)


def test_merge_split_erase_and_anonymise_across_years(db_path, trial, capsys):
    form, rows, spelled = trial
    # Answered "a new person" this time: two records share the address.
    code, out, err = run(capsys, db_path, "import", str(form), "--cohort", YEAR2, "--new-person", str(spelled))
    assert code == 0, err
    email = rows[spelled - 2]["Email Address"]
    code, out, err = run(capsys, db_path, "history", email)
    assert code == 1 and "belongs to 2 person records" in err
    db = open_database(db_path)
    try:
        with db.session() as s:
            ids = sorted(s.scalars(select(Person.id).where(Person.email == email)))
            member_2022 = s.scalar(
                select(Participant.id).join(Cohort).where(Cohort.name == YEAR2, Participant.person_id == ids[1])
            )
    finally:
        db.dispose()
    code, out, err = run(capsys, db_path, "people", "merge", str(ids[0]), str(ids[1]))
    assert code == 0 and "1 membership(s) moved" in out, err
    code, out, err = run(capsys, db_path, "people", "merge", str(ids[0]), str(ids[1]))
    assert code == 1 and f"There is no person with id {ids[1]}" in err
    code, out, err = run(capsys, db_path, "people", "split", "--membership", str(member_2022))
    assert code == 0 and f"Membership #{member_2022} now belongs to a new person" in out
    log = json.loads(run(capsys, db_path, "log", "--format", "json")[1])
    actions = [e["action"] for e in log]
    assert "people merged" in actions and "person split" in actions
    # Erase one year's membership only: the person and the pilot stay.
    returning = rows[0]["Email Address"]
    code, out, err = run(capsys, db_path, "erase", returning, "--cohort", YEAR2, "--yes")
    assert code == 0, err
    code, out, err = run(capsys, db_path, "history", returning, "--format", "json")
    assert [c["cohort"]["name"] for c in json.loads(out)["cohorts"]] == [PILOT]
    # Anonymising the closed pilot keeps a returning person's second year intact.
    other = rows[1]["Email Address"]
    db = open_database(db_path)
    try:
        with db.transaction() as s:
            pilot = s.scalar(select(Cohort).where(Cohort.name == PILOT))
            pilot.status = "closed"
        with db.session() as s:
            due = [c.name for c in cohorts_due_for_anonymising(s, today=dt.date(2030, 1, 1))]
        assert due == [PILOT]  # retention per cohort: the open second year is not due
    finally:
        db.dispose()
    assert run(capsys, db_path, "anonymise", "--cohort", PILOT, "--yes")[0] == 0
    year2 = json.loads(run(capsys, db_path, "participants", "--cohort", YEAR2, "--format", "json")[1])
    assert other in {p["email"] for p in year2}
    pilot_people = json.loads(run(capsys, db_path, "participants", "--cohort", PILOT, "--format", "json")[1])
    assert other not in {p["email"] for p in pilot_people}
    # Erasing everywhere removes the person from every cohort.
    code, out, err = run(capsys, db_path, "erase", other, "--yes")
    assert code == 0, err
    code, out, err = run(capsys, db_path, "history", other)
    assert code == 1 and "No person has the email address" in err
