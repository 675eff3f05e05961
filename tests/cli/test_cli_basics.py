"""The command line: demo, cohorts, participants; exit codes and one-sentence errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from mentorapp.cli.main import main

pytestmark = pytest.mark.both_databases

JSON_KEYS = {
    "id",
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "organisation",
    "job_title",
    "career_stage",
    "region",
    "membership_number",
    "role",
    "capacity",
    "consent",
    "goals",
    "expertise",
}


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_then_list(capsys, db_path):
    code, out, _ = run(capsys, "--db", db_path, "demo", "--mentees", "5", "--mentors", "3", "--seed", "7")
    assert code == 0 and "5 mentees and 3 mentors" in out
    code, out, _ = run(capsys, "--db", db_path, "cohorts", "--format", "json")
    assert json.loads(out)[0]["mentees"] == 5
    code, out, _ = run(capsys, "--db", db_path, "participants", "--format", "json")
    rows = json.loads(out)
    assert len(rows) == 8 and set(rows[0]) >= JSON_KEYS
    mentee = next(r for r in rows if r["role"] == "mentee")
    assert {g["horizon"] for g in mentee["goals"]} == {"short", "medium", "long"}
    assert set(mentee["goals"][0]) == {"horizon", "text", "focus_areas"}
    code, out, _ = run(capsys, "--db", db_path, "participants", "--role", "mentor", "--format", "csv")
    assert out.splitlines()[0].startswith("# mentorapp CSV export")
    assert out.splitlines()[1].startswith("id,title,first_name") and len(out.splitlines()) == 5
    code, out, _ = run(capsys, "--db", db_path, "participants", "--role", "mentor", "--format", "csv", "--raw")
    assert out.splitlines()[0].startswith("id,title,first_name") and len(out.splitlines()) == 4


def test_demo_is_deterministic(capsys, tmp_path):
    outs = []
    for name in ("a.db", "b.db"):
        path = str(tmp_path / name)
        run(capsys, "--db", path, "demo", "--seed", "3")
        outs.append(run(capsys, "--db", path, "participants", "--format", "json")[1])
    assert outs[0] == outs[1]


def test_cohorts_add_and_errors(capsys, db_path):
    code, out, _ = run(capsys, "--db", db_path, "cohorts", "add", "Pilot 2021", "--start", "2021-09-01")
    assert code == 0 and "evaluation 2022-03-01" in out
    code, _, err = run(capsys, "--db", db_path, "cohorts", "add", "pilot 2021")
    assert code == 1 and err.strip() == "There is already a cohort called 'pilot 2021'."
    code, _, err = run(capsys, "--db", db_path, "cohorts", "add", "X", "--start", "2021-02-30")
    assert code == 2 and "not a date" in err
    code, _, err = run(capsys, "--db", db_path, "participants", "--cohort", "Nope")
    assert code == 1 and err.strip() == "There is no cohort called 'Nope'; the cohorts are: 'Pilot 2021'."
    code, _, err = run(capsys, "--db", db_path, "participants", "--role", "boss")
    assert code == 2 and "invalid choice" in err


def test_unreadable_database_is_one_sentence_exit_1(tmp_path):
    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not a database at all" * 100)
    result = subprocess.run(
        [sys.executable, "-m", "mentorapp", "--db", str(bad), "cohorts"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert str(bad) in result.stderr


def test_env_var_selects_database(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("MENTORAPP_DB", str(tmp_path / "env.db"))
    run(capsys, "cohorts", "add", "Env")
    assert (tmp_path / "env.db").exists()


def test_participant_exports_are_logged(capsys, db_path):
    from mentorapp.store.audit import AuditEvent
    from mentorapp.store.db import open_database

    run(capsys, "--db", db_path, "demo", "--mentees", "2", "--mentors", "1")
    run(capsys, "--db", db_path, "participants", "--format", "csv")
    run(capsys, "--db", db_path, "participants")  # a table on screen is not an export
    db = open_database(db_path)
    with db.session() as s:
        exports = [e.description for e in s.query(AuditEvent).filter_by(action="personal data exported")]
    db.dispose()
    assert exports == ["Participant list of 'Future Leaders pilot' (3 people) as csv"]


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["export", "roster"], "roster.xlsx"),
        (["export", "roster", "--sheet", "Matches"], "matches.csv"),
        (["export", "report"], "report.pdf"),
        (["export", "evaluation-forms", "--stage", "baseline"], "forms.xlsx"),
    ],
)
def test_an_export_never_writes_over_an_existing_file_without_replace(
    demo_db, db_path, tmp_path, capsys, command, name
):
    """Someone else's file (or an earlier export) with the same name is refused and kept, byte for byte
    (letters: tests/outputs/test_letters.py::test_cli_export_letters)."""
    target = tmp_path / name
    target.write_bytes(b"not made by mentorapp")
    assert main(["--db", db_path, *command, "-o", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"{target} already exists and was left unchanged" in err and "--replace" in err and "Traceback" not in err
    assert target.read_bytes() == b"not made by mentorapp"
    assert main(["--db", db_path, *command, "-o", str(target), "--replace"]) == 0
    assert target.read_bytes() != b"not made by mentorapp"


def test_tables_print_their_last_column_whole(capsys):
    """The import's problems table cut each message at 60 characters, hiding the proposed value."""
    from mentorapp.cli.output import print_table

    advice = "'Greater London' is not one of the cohort's regions; it may mean 'London' (85% sure)."
    print_table(("Row", "Value", "Problem"), [(2, "x" * 80, advice)], max_width=30)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["Row", "Value", "Problem"]
    assert lines[2].endswith(advice) and ("x" * 29 + "…") in lines[2]  # the middle column is still shortened
    assert lines[1].endswith("-" * len("Problem"))


def test_someone_who_is_both_shows_the_side_listed(db_path, capsys):
    """'participants --role mentor' showed a mentee-and-mentor's goal areas where their expertise belongs."""
    import datetime as dt

    from mentorapp.people.cohorts import CohortData, create_cohort
    from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData, create_participant
    from mentorapp.store.db import open_database

    db = open_database(db_path)
    with db.transaction() as s:
        cohort = create_cohort(s, CohortData(name="Both ways 2025", start_date=dt.date(2025, 3, 1)))
        create_participant(
            s,
            cohort.id,
            ParticipantData(
                first_name="Nadia",
                last_name="Rahman",
                email="nadia@x.test",
                role="both",
                goals=[GoalData("short", "Lead a team", ["Leadership"])],
                expertise=[ExpertiseData("Teaching and education", 0)],
            ),
        )
    db.dispose()
    code, out, _ = run(capsys, "--db", db_path, "participants")
    assert code == 0 and "Mentor and mentee" in out and "wants Leadership; offers Teaching and education" in out
    code, out, _ = run(capsys, "--db", db_path, "participants", "--role", "mentor")
    assert out.rstrip().endswith("Teaching and education") and "Leadership" not in out
    code, out, _ = run(capsys, "--db", db_path, "participants", "--role", "mentee")
    assert out.rstrip().endswith("Leadership") and "Teaching and education" not in out
    code, out, _ = run(capsys, "--db", db_path, "participants", "--format", "csv")
    assert "(0 y)" not in out and out.rstrip().endswith("Teaching and education")  # unknown years are not '0 y'


def test_one_participant_is_shown_and_changed_on_the_command_line(db_path, capsys):
    """Raising a mentor's capacity took a re-import of a one-row file; now 'participant EMAIL --set'."""
    assert run(capsys, "--db", db_path, "demo")[0] == 0
    mentors = json.loads(run(capsys, "--db", db_path, "participants", "--role", "mentor", "--format", "json")[1])
    email = mentors[0]["email"]
    code, out, _ = run(capsys, "--db", db_path, "participant", email.upper())
    assert code == 0 and "Role                Mentor" in out and email in out
    code, out, err = run(
        capsys, "--db", db_path, "participant", email, "--set", "capacity=3", "--set", "job-title=Clinical lead"
    )
    assert code == 0, err
    assert "Capacity 1 → 3; Job title " in out and "→ Clinical lead." in out
    after = json.loads(run(capsys, "--db", db_path, "participants", "--role", "mentor", "--format", "json")[1])[0]
    assert (after["capacity"], after["job_title"]) == (3, "Clinical lead")
    assert "participant edited" in run(capsys, "--db", db_path, "log")[1]
    # Bad values are one sentence each and change nothing; a field that does not exist is wrong usage.
    code, _out, err = run(capsys, "--db", db_path, "participant", email, "--set", "capacity=lots")
    assert code == 1 and err.strip() == "Capacity must be a whole number, not 'lots'."
    code, _out, err = run(capsys, "--db", db_path, "participant", email, "--set", "colour=blue")
    assert code == 2 and "FIELD one of title" in err
    code, _out, err = run(capsys, "--db", db_path, "participant", email, "--set", "email=not an address")
    assert code == 1 and "not a valid email address" in err
    still = json.loads(run(capsys, "--db", db_path, "participants", "--role", "mentor", "--format", "json")[1])[0]
    assert (still["email"], still["capacity"]) == (email, 3)


def test_a_database_made_because_nothing_was_there_is_said_once(tmp_path, capsys):
    """A mistyped --db made a new, empty database without a word ('No cohorts yet')."""
    typo = tmp_path / "mentorap.sqlite"
    code, out, err = run(capsys, "--db", str(typo), "cohorts")
    assert code == 0 and "No cohorts yet" in out
    assert f"Note: there was no database at {typo}, so a new, empty one was made there." in err
    code, _out, err = run(capsys, "--db", str(typo), "cohorts")
    assert code == 0 and "no database at" not in err
