"""Answers typed into returned forms (check-ins, evaluations), read as people write them."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorapp.importing.form_answers import answer_date, whole, yes_no


@pytest.mark.parametrize(
    ("answer", "out_of", "number"),
    [
        (3, None, 3),
        (3.0, None, 3),
        ("3", None, 3),
        (" 3 times ", None, 3),
        ("twice", None, 2),
        ("Once.", None, 1),
        ("Never", None, 0),
        ("not yet", None, 0),
        ("four times", None, 4),
        ("4 - Very", 5, 4),
        ("4 (going well)", 5, 4),
        ("4/5", 5, 4),
        ("4 out of 5", 5, 4),
        # Not one number a person clearly meant:
        ("2-3", None, None),
        ("about 3", None, None),
        ("4.5", 5, None),
        ("4/5", None, None),  # as a count of meetings: four or five?
        ("4/6", 5, None),
        (True, None, None),
        ("", None, None),
    ],
)
def test_whole_numbers_as_people_write_them(answer, out_of, number):
    assert whole(answer, out_of=out_of) == number


@pytest.mark.parametrize(
    ("answer", "flag"),
    [("Yes", True), ("y", True), (" YES. ", True), (1, True), (True, True), ("No", False), ("n", False),
     (0, False), ("maybe", None), ("", None), (None, None)],
)  # fmt: skip
def test_yes_and_no(answer, flag):
    assert yes_no(answer) is flag


@pytest.mark.parametrize(
    "answer",
    ["2024-10-03", "03/10/2024", "3/10/24", "3 October 2024", "3rd Oct 2024", "October 3, 2024",
     dt.datetime(2024, 10, 3, 9, 30), dt.date(2024, 10, 3)],
)  # fmt: skip
def test_dates_as_people_write_them_day_first(answer):
    assert answer_date(answer) == dt.date(2024, 10, 3)


def test_a_date_that_cannot_be_read_says_how_to_write_one():
    assert answer_date("") is None and answer_date(None) is None
    with pytest.raises(ValueError, match="is not a date such as 3 October 2024 or 03/10/2024"):
        answer_date("last Tuesday")
