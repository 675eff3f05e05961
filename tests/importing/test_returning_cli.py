"""`import` with returning people on the command line: answers, kept values, refusals; `people merge` refusals."""

from __future__ import annotations

import json

import pytest

from mentorapp.cli.main import main
from tests.support.import_fixtures import write_csv

pytestmark = pytest.mark.both_databases

HEADERS = ["First name", "Last name", "Email", "Role", "Short-term goal", "Focus areas", "Organisation", "Phone"]


def run(capsys, db: str, *args: str) -> tuple[int, str, str]:
    code = main(["--db", db, *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def orthoptics(db_path, tmp_path, capsys):
    """Orthoptists: a 2023 cohort imported from a file, and an empty 2024 cohort made from it."""
    run(capsys, db_path, "cohorts", "add", "Orthoptics 2023", "--start", "2023-10-02")
    first = write_csv(
        tmp_path / "2023.csv",
        HEADERS,
        [
            ["Maren", "Holt", "maren@eyes.test", "Mentee", "Run a squint clinic", "Leadership", "Derby eye unit", "1"],
            ["Kofi", "Asante", "kofi@eyes.test", "Mentee", "Audit referrals", "Research", "Hull eye unit", "2"],
        ],
    )
    code, _out, err = run(capsys, db_path, "import", str(first), "--cohort", "Orthoptics 2023")
    assert code == 0, err
    run(capsys, db_path, "cohorts", "create", "Orthoptics 2024", "--from", "Orthoptics 2023", "--start", "2024-10-07")
    return write_csv(
        tmp_path / "2024.csv",
        HEADERS,
        [
            ["Maren", "Holt", "maren@eyes.test", "Mentee", "Lead the clinic", "Leadership", "Leicester eye unit", "1"],
            ["Kwame", "Asante", "kofi@eyes.test", "Mentee", "Publish my audit", "Research", "Hull eye unit", "2"],
        ],
    )


def test_wrong_answers_and_fields_are_refused_with_a_sentence(db_path, orthoptics, capsys):
    cohort = ("--cohort", "Orthoptics 2024")
    code, out, err = run(capsys, db_path, "import", str(orthoptics), *cohort, "--same-person", "2")
    assert code == 1 and "Row 2 of 2024.csv asks no question about an earlier person" in err
    code, out, err = run(capsys, db_path, "import", str(orthoptics), *cohort, "--same-person", "3", "--new-person", "3")
    assert code == 1 and "named by both --same-person and --new-person" in err
    code, out, err = run(
        capsys, db_path, "import", str(orthoptics), *cohort, "--new-person", "3", "--keep-old", "goals"
    )
    assert code == 1 and "'goals' is not a field whose old value can be kept" in err
    code, out, err = run(capsys, db_path, "import", str(orthoptics), *cohort, "--same-person", "x")
    assert code == 2 and "not a list of row numbers" in err
    code, out, err = run(capsys, db_path, "participants", *cohort, "--format", "json")
    assert json.loads(out) == []


def test_kept_old_value_for_all_returning_people_and_a_new_person(db_path, orthoptics, capsys):
    cohort = ("--cohort", "Orthoptics 2024")
    code, out, err = run(
        capsys, db_path, "import", str(orthoptics), *cohort, "--new-person", "3", "--keep-old", "organisation",
        "--format", "json",
    )  # fmt: skip
    assert code == 0, err
    rows = json.loads(out)["rows"]
    maren = rows[0]["returning"]
    assert maren["changes"] == [
        {"field": "organisation", "old": "Derby eye unit", "new": "Leicester eye unit", "kept_old": True}
    ]
    assert rows[1]["returning"]["decision"] == "new" and rows[1]["person_id"] is None
    later = {p["email"]: p for p in json.loads(run(capsys, db_path, "participants", *cohort, "--format", "json")[1])}
    assert later["maren@eyes.test"]["organisation"] == "Derby eye unit"
    assert later["maren@eyes.test"]["person_id"] == maren["person_id"]
    # Two records now share kofi@eyes.test: an email alone no longer says which.
    code, out, err = run(capsys, db_path, "people", "merge", "kofi@eyes.test", "kofi@eyes.test")
    assert code == 1 and "belongs to 2 person records" in err
    kwame = later["kofi@eyes.test"]["person_id"]
    code, out, err = run(capsys, db_path, "people", "merge", str(kwame), str(maren["person_id"]))
    assert code == 1 and "are both members of 'Orthoptics 2024'" in err
