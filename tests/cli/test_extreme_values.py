"""Extreme values typed into every command's options: a sentence and exit 1 or 2, never a traceback.

One demo database (with matches and evaluations) is built once; every example runs on a
fresh copy of it, through ``mentorapp.cli.main.main`` with stderr captured.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorapp.cli.main import main
from mentorapp.cli.values import MAX_DAYS_BACK
from mentorapp.demo.cohort import DEFAULT_NAME, create_demo
from mentorapp.demo.evaluations import fill_demo_evaluations
from mentorapp.people.cohorts import CohortData, create_cohort, validate_cohort
from mentorapp.people.validation import FIRST_DATE, LAST_DATE
from mentorapp.store.db import open_database

# A message openpyxl or any other library prints while cleaning up ("Exception ignored ...
# Traceback") reaches a person's terminal after the command returns: it fails the test too.
pytestmark = [pytest.mark.sqlite_only, pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")]

COHORT = DEFAULT_NAME
EXAMPLES = settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("extreme") / "demo.db"
    db = open_database(path)
    with db.transaction() as s:
        cohort_id = create_demo(s, mentees=6, mentors=4).cohort_id
        fill_demo_evaluations(s, cohort_id, seed=1)
    db.dispose()
    return path


def run_on_copy(template: Path, argv: list[str]) -> tuple[int, str]:
    """Run the command on a copy of the demo database; the exit status and what went to stderr."""
    folder = Path(tempfile.mkdtemp(prefix="extreme-"))
    try:
        db = folder / "demo.db"
        shutil.copyfile(template, db)
        args = [a.replace("{dir}", str(folder)) for a in argv]
        err, out = io.StringIO(), io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(["--db", str(db), *args])
        return code, err.getvalue()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- the values ---------------------------------------------------------------------------

ODD_TEXT = st.text(
    alphabet=st.sampled_from(
        [
            "a",
            "Z",
            "0",
            "-",
            " ",
            "\t",
            "\n",
            "\r",
            "\x01",
            "\x1b",
            "\x7f",
            "\u200b",
            "\u202e",
            "\ufeff",
            "é",
            "王",
            "\U0001f600",
            "\ud7ff",
            "=",
            "'",
            "/",
            "\\",
            ".",
            "%",
            "\u0660",
        ]
    ),
    max_size=30,
)
BIG_TEXT = st.sampled_from(["x" * 10_000, "é" * 10_000, "\u202e" * 5_000, "a/" * 3_000, "\x01" * 10_000])
NUL_TEXT = st.builds(lambda a, b: f"{a}\x00{b}", ODD_TEXT, ODD_TEXT)
TEXT = st.one_of(ODD_TEXT, BIG_TEXT, NUL_TEXT)
# Never a number or a date: a letter first, then anything.
JUNK = st.one_of(ODD_TEXT.map(lambda t: "x" + t), BIG_TEXT, NUL_TEXT, st.sampled_from(["", " ", "-", "nan", "inf"]))
HUGE = st.integers(min_value=10**20, max_value=10**400).map(str)
NEGATIVE = st.integers(max_value=-1, min_value=-(10**400)).map(str)
BAD_NUMBER = st.one_of(HUGE, NEGATIVE, JUNK, st.sampled_from(["1e400", "-0x10", "1_000", "٣", "²", "1.5"]))
OUT_OF_RANGE_DATE = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1), max_value=FIRST_DATE - dt.timedelta(days=1)),
    st.dates(min_value=LAST_DATE + dt.timedelta(days=1), max_value=dt.date(9999, 12, 31)),
).map(dt.date.isoformat)
BAD_DATE = st.one_of(
    OUT_OF_RANGE_DATE,
    st.sampled_from(["9999-12-31", "0001-01-01", "2024-02-30", "2024-13-01", "99999-01-01", "２０２４-01-01"]),
    JUNK,
    HUGE,
)
BAD_SINCE = st.one_of(
    BAD_DATE, st.integers(min_value=MAX_DAYS_BACK + 1, max_value=10**400).map(lambda n: f"{n}d"), st.just("-5d")
)
BAD_SCORE = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).filter(lambda f: not abs(f) <= 1_000_000).map(repr),
    HUGE,
    JUNK,
)

# A date or a number out of range is refused: exit 1 or 2 with a sentence.
REFUSED = [
    (["cohorts", "add", "New", "--start", "{v}"], BAD_DATE),
    (["cohorts", "add", "New", "--start", "2024-01-01", "--evaluation", "{v}"], BAD_DATE),
    (["log", "--since", "{v}"], BAD_SINCE),
    (["log", "--until", "{v}"], BAD_SINCE),
    (["log", "--limit", "{v}"], st.one_of(BAD_NUMBER, st.just("0"))),
    (["export", "letters", "--date", "{v}", "-o", "{dir}/l.pdf"], BAD_DATE),
    (["export", "letters", "--match", "{v}", "-o", "{dir}/l.pdf"], st.one_of(BAD_NUMBER, st.just("0"))),
    (["export", "letters", "--match", "{v}", "--out-dir", "{dir}/l"], st.integers(1000, 2**31 - 1).map(str)),
    (["demo", "--mentees", "{v}"], BAD_NUMBER),
    (["demo", "--mentors", "{v}"], BAD_NUMBER),
    (["demo", "--seed", "{v}"], BAD_NUMBER),
    (["match", "--min-score", "{v}"], BAD_SCORE),
    (["match", "--min-score={v}"], BAD_SCORE),
    (["retention", "--months", "{v}"], st.one_of(BAD_NUMBER, st.just("0"), st.just("1201"))),
    (["erase", "{v}", "--yes"], st.one_of(HUGE, st.integers(10**6, 2**31 - 1).map(str))),
    (["import", "{dir}/people.csv", "--cohort", COHORT, "--threshold", "{v}"], BAD_SCORE),
]

# Free text may be accepted (exit 0) or refused, but is never a traceback.
TEXT_OPTIONS = [
    ["cohorts", "add", "{v}", "--start", "2024-01-01"],
    ["cohorts", "vocabulary", "--cohort", COHORT, "add", "region", "{v}"],
    ["cohorts", "vocabulary", "--cohort", COHORT, "rename", "region", "{v}", "Elsewhere"],
    ["participants", "--cohort", "{v}"],
    ["matches", "--cohort", "{v}"],
    ["match", "--cohort", "{v}"],
    ["log", "--action", "{v}"],
    ["log", "--user", "{v}", "--format", "csv"],
    ["log", "--cohort", "{v}"],
    ["subject-access", "{v}", "-o", "{dir}/sa"],
    ["subject-access", "nobody@example.org", "-o", "{dir}/{v}"],
    ["erase", "{v}", "--yes"],
    ["export", "roster", "--cohort", COHORT, "-o", "{dir}/{v}.xlsx"],
    ["export", "roster", "--cohort", COHORT, "--sheet", "{v}", "-o", "{dir}/r.csv"],
    ["export", "letters", "--cohort", COHORT, "-o", "{dir}/{v}.pdf"],
    ["export", "letters", "--cohort", COHORT, "--out-dir", "{dir}/{v}"],
    ["export", "evaluation-forms", "--cohort", COHORT, "--stage", "{v}", "-o", "{dir}/f.xlsx"],
    ["export", "evaluation-forms", "--cohort", COHORT, "--stage", "baseline", "-o", "{dir}/{v}.xlsx"],
    ["export", "report", "--cohort", "{v}", "-o", "{dir}/r.pdf"],
    ["import-evaluations", "{dir}/{v}.xlsx", "--dry-run"],
    ["import", "{dir}/{v}.csv", "--cohort", COHORT, "--dry-run"],
    ["backup", "-o", "{dir}/{v}"],
    ["restore", "{dir}/{v}"],
]


def _check(code: int, err: str, *, may_succeed: bool) -> None:
    assert "Traceback" not in err
    if may_succeed and code == 0:
        return
    assert code in (1, 2), (code, err)
    assert err.strip(), "a refusal says why on stderr"
    assert len(err.strip().splitlines()) <= 6


@pytest.mark.parametrize(("argv", "values"), REFUSED, ids=[" ".join(a[:3]) for a, _v in REFUSED])
def test_dates_and_numbers_out_of_range_are_refused(demo_template, argv, values):
    @EXAMPLES
    @given(value=values)
    def check(value):
        code, err = run_on_copy(demo_template, [a.replace("{v}", value) for a in argv])
        _check(code, err, may_succeed=False)

    check()


@pytest.mark.parametrize("argv", TEXT_OPTIONS, ids=[" ".join(a[:3]) for a in TEXT_OPTIONS])
def test_odd_text_in_any_option_never_gives_a_traceback(demo_template, argv):
    @EXAMPLES
    @given(value=TEXT)
    def check(value):
        code, err = run_on_copy(demo_template, [a.replace("{v}", value) for a in argv])
        _check(code, err, may_succeed=True)

    check()


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["cohorts", "add", "Y", "--start", "9999-12-31"], "between 1990-01-01 and 2100-12-31"),
        (["cohorts", "add", "Y", "--start", "0001-01-01"], "between 1990-01-01 and 2100-12-31"),
        (["log", "--since", "99999999d"], "more than"),
        (["export", "letters", "--date", "9999-12-25", "-o", "{dir}/l.pdf"], "check the year"),
        (["log", "--limit", "99999999999999999999999"], "must be from 1"),
        (["erase", "99999999999999999999999", "--yes"], "no participant with id"),
    ],
)
def test_the_reported_cases_get_a_sentence(demo_template, argv, words):
    code, err = run_on_copy(demo_template, argv)
    assert code in (1, 2) and words in err and "Traceback" not in err


def test_cohort_dates_outside_the_range_are_refused_in_the_core(db):
    for start, evaluation in (
        (dt.date(1, 1, 1), None),
        (dt.date(9999, 12, 31), None),
        (dt.date(2024, 1, 1), dt.date(9999, 1, 1)),
    ):
        errors = validate_cohort(CohortData(name="Y", start_date=start, evaluation_date=evaluation))
        assert any("between 1990-01-01 and 2100-12-31" in e.message for e in errors)
    with db.transaction() as s:
        assert create_cohort(s, CohortData(name="Edge", start_date=FIRST_DATE)).start_date == FIRST_DATE
    assert validate_cohort(CohortData(name="a\x00b", start_date=dt.date(2024, 1, 1)))
    assert validate_cohort(CohortData(name="a\nb", start_date=dt.date(2024, 1, 1)))


def test_a_value_with_control_characters_is_shown_on_one_line_and_cannot_drive_the_terminal(demo_template):
    code, err = run_on_copy(demo_template, ["matches", "--cohort", "a\r\rb\x1b[2Jc"])
    assert code == 1
    assert err.strip() == "There is no cohort called 'a\\r\\rb\\x1b[2Jc'; the cohorts are: 'Future Leaders pilot'."
