"""`import` and `export application-template` on the command line, and random CSV content."""

from __future__ import annotations

import datetime as dt
import json
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from mentorapp.cli.main import main
from mentorapp.errors import UserError
from mentorapp.importing import ImportOptions, apply_plan, build_plan, preview, suggest_mapping
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.store.db import open_database
from mentorapp.store.models import AuditEvent, Participant
from tests.support.import_fixtures import SIMPLE_HEADERS, simple_rows, write_csv, write_form_xlsx

pytestmark = pytest.mark.both_databases


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def count(db_path: str) -> int:
    db = open_database(db_path)
    try:
        with db.session() as s:
            return s.scalar(select(func.count()).select_from(Participant)) or 0
    finally:
        db.dispose()


def test_import_dry_run_then_import(tmp_path, capsys, db_path):
    form = write_form_xlsx(tmp_path / "form.xlsx", n=40)
    assert run(capsys, "--db", db_path, "cohorts", "add", "Pilot 2021", "--start", "2021-09-01")[0] == 0
    code, out, err = run(capsys, "--db", db_path, "import", str(form), "--cohort", "pilot 2021", "--dry-run")
    assert code == 0, err
    assert "Mapping used for form.xlsx, sheet 'Form1':" in out
    assert "Email address" in out and "Short-term goal" in out
    assert "Dry run, nothing written: 40 to create, 0 to update, 0 to skip, 0 with problems." in out
    assert count(db_path) == 0
    code, out, err = run(capsys, "--db", db_path, "import", str(form), "--cohort", "Pilot 2021")
    assert code == 0, err
    assert "Imported 40 new participants." in out
    assert count(db_path) == 40
    code, out, _ = run(capsys, "--db", db_path, "import", str(form), "--cohort", "Pilot 2021", "--format", "json")
    data = json.loads(out)
    assert (code, data["create"], data["skip"], data["written"]) == (0, 0, 40, True)
    assert data["mapping"]["ID"] is None and data["mapping"]["Email address"] == "email"


def test_invalid_data_exits_1_and_writes_nothing(tmp_path, capsys, db_path):
    rows = simple_rows(3)
    rows[1][2] = "broken@"
    path = write_csv(tmp_path / "bad.csv", SIMPLE_HEADERS, rows)
    run(capsys, "--db", db_path, "cohorts", "add", "C")
    code, out, err = run(capsys, "--db", db_path, "import", str(path), "--cohort", "C")
    assert code == 1
    assert "3    Email   broken@" in out and "'broken@' is not a valid email address." in out
    assert err.strip() == (
        "1 row of bad.csv has problems, so nothing was imported. Row 3, Email: 'broken@' is not a valid email "
        "address. Fix it in the file or run again with --skip-invalid to import the other rows."
    )
    assert count(db_path) == 0
    code, out, _ = run(capsys, "--db", db_path, "import", str(path), "--cohort", "C", "--dry-run")
    assert code == 1 and count(db_path) == 0
    code, out, _ = run(capsys, "--db", db_path, "import", str(path), "--cohort", "C", "--skip-invalid")
    assert code == 0 and "left out 1 row with problems" in out
    assert count(db_path) == 2


def test_duplicate_policy_error(tmp_path, capsys, db_path):
    path = write_csv(tmp_path / "a.csv", SIMPLE_HEADERS, simple_rows(2) + simple_rows(1))
    run(capsys, "--db", db_path, "cohorts", "add", "C")
    code, out, _ = run(capsys, "--db", db_path, "import", str(path), "--cohort", "C", "--on-duplicate", "error")
    assert code == 1 and "Row 2 has the same email." in out
    assert count(db_path) == 0


def test_a_later_application_that_differs_is_named_where_it_is_skipped(tmp_path, capsys, db_path):
    """A resubmission ('sorry, resubmitting') was skipped with only 'Same email as row 2.'"""
    again = simple_rows(2)
    again[1][4] = "Pass the exam (resubmitting my form, sorry!)"
    path = write_csv(tmp_path / "a.csv", SIMPLE_HEADERS, [*simple_rows(2), again[1], simple_rows(1)[0]])
    run(capsys, "--db", db_path, "cohorts", "add", "C")
    code, out, _ = run(capsys, "--db", db_path, "import", str(path), "--cohort", "C", "--dry-run")
    assert code == 0
    assert "Same email as row 3, whose answers differ (Goals); --on-duplicate update keeps this later one." in out
    assert "Same email as row 2." in out  # the same answers sent twice: nothing to choose


def test_unknown_cohort_names_the_cohorts(tmp_path, capsys, db_path):
    path = write_csv(tmp_path / "a.csv", SIMPLE_HEADERS, simple_rows(1))
    run(capsys, "--db", db_path, "cohorts", "add", "Pilot 2021")
    code, _, err = run(capsys, "--db", db_path, "import", str(path), "--cohort", "Pilot 2022")
    assert code == 1
    assert err.strip() == "There is no cohort called 'Pilot 2022'; the cohorts are: 'Pilot 2021'."


def test_bad_usage_exits_2(tmp_path, capsys, db_path):
    path = write_csv(tmp_path / "a.csv", SIMPLE_HEADERS, simple_rows(1))
    assert run(capsys, "--db", db_path, "import", str(path))[0] == 2  # --cohort is required
    assert run(capsys, "--db", db_path, "import", str(path), "--cohort", "C", "--on-duplicate", "merge")[0] == 2


def test_missing_columns_and_mapping_file(tmp_path, capsys, db_path):
    run(capsys, "--db", db_path, "cohorts", "add", "C")
    no_email = write_csv(tmp_path / "no_email.csv", ["First name", "Last name"], [["Ann", "Lee"]])
    code, _, err = run(capsys, "--db", db_path, "import", str(no_email), "--cohort", "C")
    assert code == 1 and err.strip() == (
        "no_email.csv: Choose the column with the email addresses. Nothing was imported; name the columns "
        "with --mapping FILE.json (see the mapping above)."
    )
    path = write_csv(tmp_path / "odd.csv", ["Q1", "Q2", "Q3", "Q4"], [["Ann", "Lee", "ann@example.org", "Mentee"]])
    code, out, err = run(capsys, "--db", db_path, "import", str(path), "--cohort", "C", "--format", "json")
    # Emails and roles are recognised by their answers; the names need a mapping.
    assert json.loads(out)["mapping"] == {"Q1": None, "Q2": None, "Q3": "email", "Q4": "role"}
    assert code == 1 and "first and last names" in err
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"Q1": "first_name", "Q2": "last_name", "Q3": "email", "Q4": "role"}))
    code, out, err = run(
        capsys,
        "--db",
        db_path,
        "import",
        str(path),
        "--cohort",
        "C",
        "--mapping",
        str(mapping),
        "--default-role",
        "mentee",
    )
    # A mentee needs a goal: the row is reported, nothing written.
    assert code == 1 and "A mentee needs at least one goal." in out
    assert count(db_path) == 0


def test_broken_file_message(tmp_path, capsys, db_path):
    path = tmp_path / "form.xlsx"
    path.write_bytes(b"PK\x03\x04 truncated")
    run(capsys, "--db", db_path, "cohorts", "add", "C")
    code, _, err = run(capsys, "--db", db_path, "import", str(path), "--cohort", "C")
    assert code == 1
    assert err.strip() == "form.xlsx is damaged or not a real .xlsx file; open it in Excel and save it again."


def test_export_application_template(tmp_path, capsys, db_path):
    target = tmp_path / "applications.xlsx"
    code, out, _ = run(capsys, "--db", db_path, "export", "application-template", "-o", str(target))
    assert code == 0 and target.exists() and "Wrote the application spreadsheet" in out
    assert [p.name for p in tmp_path.iterdir()] == ["applications.xlsx"]  # no temporary file left
    code, _, err = run(capsys, "--db", db_path, "export", "application-template", "-o", str(tmp_path / "no" / "x.xlsx"))
    assert code == 1 and "does not exist" in err


# ---------------------------------------------------------------- property test

cell_text = st.text(alphabet=string.printable + "éß王;,\"'\t=", max_size=30)
csv_content = st.one_of(
    st.binary(max_size=400),
    st.lists(st.lists(cell_text, min_size=1, max_size=8), max_size=8).map(
        lambda rows: "\n".join(",".join(r) for r in rows)
    ),
    st.lists(
        st.tuples(
            cell_text,
            cell_text,
            st.sampled_from(["a@example.org", "b@example.org", "bad", ""]),
            st.sampled_from(["Mentor", "Mentee", "Both", "x", ""]),
            cell_text,
            cell_text,
            cell_text,
        ),
        max_size=6,
    ).map(
        lambda rows: (
            "First name,Last name,Email,Role,Short-term goal,Focus areas,Capacity\n"
            + "\n".join(",".join(f'"{c.replace(chr(34), "")}"' for c in r) for r in rows)
        )
    ),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=csv_content, skip_invalid=st.booleans(), add_areas=st.booleans())
def test_random_csv_never_tracebacks_and_is_all_or_nothing(tmp_path_factory, content, skip_invalid, add_areas):
    folder = tmp_path_factory.mktemp("prop")
    path = folder / "random.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    db = open_database(folder / "p.db")
    try:
        with db.transaction() as s:
            cohort_id = create_cohort(s, CohortData(name="C", start_date=dt.date(2021, 9, 1))).id

        def state():
            with db.session() as s:
                return (
                    s.scalar(select(func.count()).select_from(Participant)),
                    s.scalar(select(func.count()).select_from(AuditEvent)),
                )

        before = state()
        plan = None
        try:
            table, rows = preview(path)
            fields = suggest_mapping(table.headers, rows, {})
            with db.session() as s:
                plan = build_plan(s, cohort_id, path, fields, ImportOptions(add_focus_areas=add_areas))
            result = apply_plan(db, plan, skip_invalid=skip_invalid)
        except UserError:
            assert state() == before  # refused: nothing changed
            return
        assert state()[0] == before[0] + result.created
        assert result.created == plan.count("create")
    finally:
        db.dispose()


def test_impossible_years_are_reported_under_the_years_column(tmp_path, capsys, db_path):
    """'Mentor years of experience = -5' was reported under the expertise areas' column and value."""
    headers = ["First name", "Last name", "Email", "Role", "Mentor expertise areas", "Years of experience"]
    path = write_csv(tmp_path / "y.csv", headers, [["Ann", "Lee", "ann@x.org", "Mentor", "Leadership", "-5"]])
    run(capsys, "--db", db_path, "cohorts", "add", "C")
    code, out, _ = run(capsys, "--db", db_path, "import", str(path), "--cohort", "C", "--dry-run")
    assert code == 1
    problem = next(line for line in out.splitlines() if "Years in Leadership" in line)
    assert problem.split()[1:5] == ["Years", "of", "experience", "-5"]
