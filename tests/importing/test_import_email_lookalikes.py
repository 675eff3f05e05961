"""Email lookalikes: a fullwidth address is the same address (NFKC); one holding an invisible character is invalid."""

from __future__ import annotations

import pytest

from mentorapp.cli.main import main
from mentorapp.people.validation import is_valid_email, normalise_email
from tests.support.import_fixtures import SIMPLE_HEADERS, simple_rows, write_csv


@pytest.mark.parametrize(
    "written", ["ｐ1@example.org", "p1＠example.org", "P1@EXAMPLE.ORG ", "ｐ１＠ｅｘａｍｐｌｅ．ｏｒｇ"]
)
def test_fullwidth_and_cased_addresses_normalise_to_the_plain_one(written):
    assert normalise_email(written) == "p1@example.org"
    assert is_valid_email(written)


@pytest.mark.parametrize("invisible", ["\u200b", "\u200d", "\ufeff", "\u00ad", "\u2060"])
def test_an_address_holding_an_invisible_character_is_invalid(invisible):
    assert not is_valid_email(f"p1{invisible}@example.org")


@pytest.mark.both_databases
def test_lookalike_addresses_are_not_new_people_on_import(tmp_path, capsys, db_path):
    rows = simple_rows(3)
    rows[2][2] = "ｐ1@example.org"  # fullwidth p: the same address as row 3's p1@example.org
    extra = simple_rows(5)[4]
    extra[2] = "p1\u200b@example.org"  # a zero-width space: looks like p1@example.org, and is refused
    path = write_csv(tmp_path / "emails.csv", SIMPLE_HEADERS, [*rows, extra])
    assert main(["--db", db_path, "cohorts", "add", "C"]) == 0
    capsys.readouterr()
    assert main(["--db", db_path, "import", str(path), "--cohort", "C", "--dry-run"]) == 1
    out = capsys.readouterr().out
    assert "Same email as row 3, whose answers differ (First name, Last name" in out
    assert "Row 5, Email: 'p1\u200b@example.org' is not a valid email address." in out
    assert "0 with problems" not in out and "1 to skip" in out
