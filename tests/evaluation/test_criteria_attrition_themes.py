"""Criteria set per cohort and judged honestly; attrition; comment themes; anonymising quotes."""

from __future__ import annotations

import math

import pytest

from mentorapp.cli.main import main as cli_main
from mentorapp.errors import UserError
from mentorapp.evaluation.anonymise_quotes import anonymise, make_anonymiser
from mentorapp.evaluation.criteria import (
    check_criterion,
    current_criteria,
    put_criterion,
    remove_criterion,
    wilson,
)
from mentorapp.evaluation.instrument import ResponseData, save_response
from mentorapp.evaluation.stats import compute_stats
from mentorapp.evaluation.themes import count_themes, set_themes
from mentorapp.store.models import Cohort
from tests.support.evaluation_data import build_small_cohort

pytestmark = pytest.mark.both_databases


def stats_of(db, cohort_id):
    with db.session() as s:
        return compute_stats(s, cohort_id)


# --- criteria ------------------------------------------------------------------------------------


def test_wilson_interval_by_hand() -> None:
    # 14 of 20: p = 0.7, z = 1.959964; centre (0.7 + z²/40) / (1 + z²/20).
    z = 1.959964
    centre = (0.7 + z * z / 40) / (1 + z * z / 20)
    half = z * math.sqrt(0.7 * 0.3 / 20 + z * z / 1600) / (1 + z * z / 20)
    low, high = wilson(14, 20)
    assert (low, high) == (pytest.approx(centre - half, abs=1e-6), pytest.approx(centre + half, abs=1e-6))
    assert wilson(0, 5)[0] == 0.0 and wilson(5, 5)[1] == 1.0


def test_a_criterion_below_its_minimum_is_too_few_never_met(db) -> None:
    small = build_small_cohort(db)
    with db.transaction() as s:
        put_criterion(s, small.cohort_id, check_criterion({"kind": "yes_share", "role": "all", "threshold": 0.4}), None)
    st = stats_of(db, small.cohort_id)
    recommend = st.criteria[-1]
    # 1 of 2 said yes (50% >= 40%), but 2 answers are fewer than the default minimum of 10.
    assert (recommend.value, recommend.n, recommend.min_n) == (pytest.approx(0.5), 2, 10)
    assert recommend.met is None and recommend.verdict == "Too few responses"
    assert "95% interval" in recommend.figure and "fewer than the 10 answers" in recommend.figure
    assert not st.criteria_default and not any(c.default for c in st.criteria)
    with db.transaction() as s:
        put_criterion(
            s,
            small.cohort_id,
            check_criterion({"kind": "yes_share", "role": "all", "threshold": 40, "min_n": 2}),
            len(st.criteria),
        )
    again = stats_of(db, small.cohort_id).criteria[-1]
    assert (again.met, again.verdict) == (True, "Met")
    assert (again.low, again.high) == (pytest.approx(wilson(1, 2)[0]), pytest.approx(wilson(1, 2)[1]))


def test_criteria_are_checked_field_by_field() -> None:
    for bad, words in (
        ({"kind": "share", "threshold": 1}, "not a kind of criterion"),
        ({"kind": "improved_share", "item": "benefit_confidence", "role": "all", "threshold": 0.5}, "one role"),
        ({"kind": "improved_share", "item": "satisfaction", "role": "mentee", "threshold": 0.5}, "not a benefit"),
        ({"kind": "mean", "item": "satisfaction", "threshold": 7}, "from 1 to 5"),
        ({"kind": "yes_share", "threshold": "lots"}, "not a number"),
        ({"kind": "yes_share", "threshold": 0.5, "min_n": 0}, "minimum number"),
        ({"kind": "response_rate", "stage": "later", "threshold": 0.5}, "not a stage"),
    ):
        with pytest.raises(UserError, match=words):
            check_criterion(bad)


def test_criteria_command_lists_sets_and_removes(db, db_path, capsys) -> None:
    small = build_small_cohort(db)
    assert cli_main(["--db", db_path, "criteria"]) == 0
    out = capsys.readouterr().out
    assert "default criteria" in out and "At least 70% of mentees improve in confidence" in out
    args = ["--db", db_path, "criteria", "set", "--kind", "mean_change", "--item", "benefit_leadership"]
    assert cli_main([*args, "--role", "mentee", "--threshold", "0.3", "--min-n", "12"]) == 0
    out = capsys.readouterr().out
    assert "Criterion 5: Mentees improve in leadership skills by at least 0.3 points on average." in out
    assert "default criteria" not in out
    assert cli_main(["--db", db_path, "criteria", "remove", "1"]) == 0
    capsys.readouterr()
    with db.session() as s:
        criteria, default = current_criteria(s, small.cohort_id)
    assert not default and len(criteria) == 4 and criteria[-1]["min_n"] == 12
    assert criteria[0]["kind"] == "mean"
    assert cli_main(["--db", db_path, "criteria", "set", "--kind", "mean", "--item", "satisfaction"]) == 2
    assert cli_main([*args, "--role", "all", "--threshold", "0.3"]) == 1
    assert "choose one role" in capsys.readouterr().err
    assert cli_main(["--db", db_path, "criteria", "defaults"]) == 0
    with db.session() as s:
        assert current_criteria(s, small.cohort_id)[1]
    with db.transaction() as s, pytest.raises(UserError, match="no criterion 9"):
        remove_criterion(s, small.cohort_id, 9)


# --- attrition -----------------------------------------------------------------------------------


def test_answered_both_times_and_who_dropped_out(db) -> None:
    small = build_small_cohort(db)
    a = stats_of(db, small.cohort_id).attrition
    mentees, mentors = a.of("mentee"), a.of("mentor")
    # Mentees: Alice and Bob both times, Cara baseline only. Mentors: Xavier six months only, Yasmin baseline.
    assert (mentees.asked, mentees.baseline, mentees.six_month, mentees.both) == (3, 3, 2, 2)
    assert (mentors.asked, mentors.both) == (2, 0)
    base = next(b for b in a.baseline if b.role == "mentee")
    # Alice's baseline mean (2+3)/2 = 2.5, Bob's 3: stayed 2.75; Cara 1 left.
    assert (base.stayed_n, base.stayed_mean, base.left_n, base.left_mean) == (2, 2.75, 1, 1.0)
    assert base.difference == pytest.approx(1.75)
    outcomes = {(o.role, o.outcome): (o.asked, o.both) for o in a.outcomes}
    assert outcomes[("mentee", "completed")] == (1, 1)  # Alice
    assert outcomes[("mentee", "ended early")] == (1, 1)  # Bob
    assert outcomes[("mentee", "still running")] == (1, 0)  # Cara
    assert outcomes[("mentor", "completed")] == (1, 0)  # Xavier: one completed, one ended early


# --- themes --------------------------------------------------------------------------------------


def test_themes_count_comments_by_keyword_prefix() -> None:
    comments = {
        "went_well": [
            "I became more confident at work.",
            "Confidence and a clear career plan.",
            "Nothing in particular.",
        ]
    }
    groups = {"Confidence": ["confiden"], "Career": ["career", "promotion"], "Time": ["time"]}
    (q,) = count_themes(comments, groups)
    assert q.comments == 3 and q.unthemed == 1
    assert [(t.theme, t.count) for t in q.themes] == [("Confidence", 2), ("Career", 1)]


def test_coordinators_themes_replace_the_defaults(db, db_path, capsys) -> None:
    small = build_small_cohort(db)
    assert cli_main(["--db", db_path, "evaluation-themes", "--set", "Meeting time=time,meet"]) == 0
    capsys.readouterr()
    st = stats_of(db, small.cohort_id)
    assert "Meeting time" in st.theme_groups and "Time and scheduling" in st.theme_groups
    better = next(q for q in st.themes if q.item_key == "could_be_better")
    assert better.comments == 1 and next((t.theme, t.count) for t in better.themes) == ("Meeting time", 1)
    with db.transaction() as s:
        set_themes(s, small.cohort_id, {"Only": ["zzz"]})
    assert list(stats_of(db, small.cohort_id).theme_groups) == ["Only"]
    assert cli_main(["--db", db_path, "evaluation-themes", "--set", "bad"]) == 1


# --- anonymising ---------------------------------------------------------------------------------


def test_names_are_replaced_as_names_not_as_words() -> None:
    anon = make_anonymiser(["Grace", "Hopper", "Will", "Mary-Jane", "Li"], ["North Trust"])
    text = (
        "Grace showed grace under pressure; GRACE and Mary met Jane. Will will help. "
        "Dr Patel at St Mary's Hospital and the north trust team; mail grace@x.org or +44 7700 900123. "
        "Li's advice was reliable and Leeds Teaching Hospitals NHS Trust agreed."
    )
    out = anonymise(text, anon)
    # "Mary" and "Jane" are parts of a participant's name (Mary-Jane), so each counts alone too.
    assert out.startswith("[name] showed grace under pressure; [name] and [name] met [name]. [name] will help.")
    assert "[name] at [organisation] and the [organisation] team" in out
    assert "mail [email] or [phone]" in out
    assert "[name]'s advice was reliable and [organisation] agreed." in out
    for secret in ("Grace", "GRACE", "Patel", "Hospital", "north trust", "7700", "Leeds"):
        assert secret not in out, secret


def test_quotes_in_the_report_use_the_cohorts_names_and_organisations(db) -> None:
    small = build_small_cohort(db)
    with db.transaction() as s:
        save_response(
            s,
            ResponseData(
                small.cara,
                "six_month",
                {"went_well": "Yasmin from Central Trust was kind; yasmin said the same as Dr Okafor."},
            ),
        )
    quote = next(q for q in stats_of(db, small.cohort_id).quotes if q.key.startswith(f"{small.cara}:"))
    assert quote.text == "[name] from [organisation] was kind; yasmin said the same as [name]."
    with db.session() as s:
        assert "approved_quotes" not in (s.get(Cohort, small.cohort_id).settings or {})
