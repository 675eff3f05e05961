"""A capacity is a plain whole number within the participant dialog's limit; anything else is a row problem."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from mentorapp.cli.main import main
from mentorapp.importing import values
from mentorapp.people.validation import MAX_CAPACITY
from mentorapp.store.db import open_database
from mentorapp.store.models import Participant
from tests.support.import_fixtures import SIMPLE_HEADERS, simple_rows, write_csv


@pytest.mark.parametrize("written", ["1,000", "1e3", "0x10", "1_000", "1 000", "x10", "007"])
def test_a_capacity_not_plainly_written_is_refused_not_read_as_some_of_its_digits(written):
    with pytest.raises(values.ValueProblemError, match="plain whole number"):
        values.capacity(written)


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("12345678901", "at most 50 mentees, not 12,345,678,901"),
        ("51", "at most 50 mentees, not 51"),
        (1e23, "at most 50 mentees"),
        ("99999999999999999999999", "not a number of 23 digits"),
        ("up to " + "9" * 5000, "not a number of 5,000 digits"),
    ],
)
def test_a_capacity_beyond_the_limit_is_refused(written, shown):
    with pytest.raises(values.ValueProblemError, match=shown):
        values.capacity(written)


def test_the_limit_itself_and_numbers_in_words_still_pass():
    assert values.capacity(str(MAX_CAPACITY)) == MAX_CAPACITY
    assert [values.capacity(w) for w in ("3", "3.0", "Two", "2-3", "1, possibly 2")] == [3, 3, 2, 3, 1]


@pytest.mark.both_databases
def test_a_huge_capacity_is_a_row_problem_not_a_crash(tmp_path, capsys, db_path):
    rows = simple_rows(2)
    rows[0][6] = "99999999999999999999999"
    path = write_csv(tmp_path / "caphuge.csv", SIMPLE_HEADERS, rows)
    assert main(["--db", db_path, "cohorts", "add", "C"]) == 0
    capsys.readouterr()
    assert main(["--db", db_path, "import", str(path), "--cohort", "C"]) == 1
    err = capsys.readouterr().err
    assert "caphuge.csv" in err and "Row 2, Capacity: Capacity must be a whole number, not a number of 23" in err
    db = open_database(db_path)
    try:
        with db.session() as s:
            assert s.scalar(select(func.count()).select_from(Participant)) == 0
    finally:
        db.dispose()
