"""Evaluation figures against hand-computed values (see tests/support/evaluation_data.py)."""

from __future__ import annotations

import pytest

from mentorapp.evaluation.anonymise_quotes import Anonymiser, anonymise, name_pattern
from mentorapp.evaluation.criteria import describe_criterion
from mentorapp.evaluation.stats import compute_stats
from mentorapp.people.cohorts import update_settings
from tests.support.evaluation_data import GOING_WELL, build_small_cohort

pytestmark = pytest.mark.both_databases


@pytest.fixture
def small(db):
    return build_small_cohort(db)


def stats_of(db, cohort_id):
    with db.session() as s:
        return compute_stats(s, cohort_id)


def test_cohort_numbers_and_end_reasons(db, small) -> None:
    st = stats_of(db, small.cohort_id)
    n = st.numbers
    assert (n.applied, n.mentees, n.mentors, n.pairs) == (5, 3, 2, 3)
    assert (n.completed, n.active, n.ended_early) == (1, 1, 1)
    assert st.end_reasons == [("Moved abroad", 1)]


def test_response_rates_per_stage_and_role(db, small) -> None:
    st = stats_of(db, small.cohort_id)
    got = {(r.stage, r.role): (r.responded, r.asked) for r in st.rates}
    assert got[("baseline", "mentee")] == (3, 3)
    assert got[("baseline", "mentor")] == (1, 2)
    assert got[("baseline", "all")] == (4, 5)
    assert got[("six_month", "mentee")] == (2, 3)
    assert got[("six_month", "mentor")] == (1, 2)
    assert st.rate("six_month").rate == pytest.approx(0.6)


def test_benefit_means_and_paired_change(db, small) -> None:
    st = stats_of(db, small.cohort_id)
    conf = st.benefit("benefit_confidence", "mentee")
    # Stage means use everyone who answered: (2+3+1)/3 and (4+2)/2.
    assert conf.baseline_n == 3 and conf.baseline_mean == pytest.approx(2.0)
    assert conf.six_month_n == 2 and conf.six_month_mean == pytest.approx(3.0)
    # Paired: Alice +2, Bob -1; Cara (baseline only) does not count.
    assert conf.paired_n == 2
    assert conf.mean_change == pytest.approx(0.5)
    assert (conf.improved, conf.unchanged, conf.worse) == (1, 0, 1)
    assert conf.share_improved == pytest.approx(0.5)
    knowledge = st.benefit("benefit_knowledge", "mentee")
    assert (knowledge.paired_n, knowledge.unchanged, knowledge.mean_change) == (1, 1, 0)
    # Yasmin has a baseline only: no mentor change at all.
    assert st.benefit("benefit_confidence", "mentor").paired_n == 0
    assert st.benefit("benefit_confidence", "mentor").baseline_mean == pytest.approx(4.0)


def test_paired_change_ignores_people_with_one_stage(db, small) -> None:
    """Adding a six-month answer for Cara brings her into the pairs; before, she was ignored."""
    from mentorapp.evaluation.instrument import ResponseData, save_response

    before = stats_of(db, small.cohort_id).benefit("benefit_confidence")
    with db.transaction() as s:
        save_response(s, ResponseData(small.cara, "six_month", {"benefit_confidence": 5}))
    after = stats_of(db, small.cohort_id).benefit("benefit_confidence")
    assert (before.paired_n, after.paired_n) == (2, 3)
    assert after.mean_change == pytest.approx((2 - 1 + 4) / 3)
    assert after.improved == 2


def test_satisfaction_recommend_meetings_learning(db, small) -> None:
    st = stats_of(db, small.cohort_id)
    assert st.satisfaction["all"].counts == {1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    assert st.satisfaction["all"].mean == pytest.approx(4.0)
    assert st.satisfaction["mentee"].mean == pytest.approx(4.0)
    assert st.satisfaction["mentor"].n == 1
    assert (st.recommend_yes, st.recommend_n) == (1, 2)
    # Pairs: Alice-Xavier 6 (mentee's figure), Bob-Xavier 2, Cara-Yasmin unreported.
    assert (st.meetings.pairs, st.meetings.pairs_total) == (2, 3)
    assert st.meetings.mean == pytest.approx(4.0)
    assert st.meetings.median == pytest.approx(4.0)
    assert st.mentor_learning.counts[4] == 1 and st.mentor_learning.mean == pytest.approx(4.0)


def test_default_criteria_verdicts(db, small) -> None:
    """Five people: every default criterion has fewer answers than its minimum of 10, so none is met."""
    st = stats_of(db, small.cohort_id)
    verdicts = {c.description: (c.met, c.value, c.status) for c in st.criteria}
    too_few = "too few responses"
    assert verdicts["At least 70% of mentees improve in confidence"] == (None, pytest.approx(0.5), too_few)
    assert verdicts["Mean overall satisfaction of participants at least 4"] == (None, pytest.approx(4.0), too_few)
    assert verdicts["At least 80% of participants answer yes: would recommend"] == (None, pytest.approx(0.5), too_few)
    assert verdicts["Six-month response rate of participants at least 60%"] == (None, pytest.approx(0.6), too_few)
    assert "50% of 2 mentees" in st.criteria[0].figure
    assert all(c.default for c in st.criteria) and st.criteria_default
    # With a minimum the answers reach, the same figures are judged.
    criteria = [dict(c, min_n=2) for c in ({"kind": "mean", "item": "satisfaction", "role": "all", "threshold": 4},)]
    with db.transaction() as s:
        update_settings(s, small.cohort_id, success_criteria=criteria)
    st = stats_of(db, small.cohort_id)
    assert (st.criteria[0].met, st.criteria[0].status, st.criteria[0].default) == (True, "met", False)


def test_cohort_criteria_replace_the_defaults(db, small) -> None:
    criteria = [
        {"kind": "mean_change", "item": "benefit_confidence", "role": "mentee", "threshold": 0.5},
        {"kind": "improved_share", "item": "benefit_leadership", "role": "mentee", "threshold": 0.5},
        {"kind": "mean", "item": "satisfaction", "role": "mentor", "threshold": 4.5, "label": "Mentors are happy"},
    ]
    with db.transaction() as s:
        update_settings(s, small.cohort_id, success_criteria=criteria)
    st = stats_of(db, small.cohort_id)
    assert [c.status for c in st.criteria] == ["too few responses", "no data", "too few responses"]
    assert [c.met for c in st.criteria] == [None, None, None]
    assert st.criteria[1].figure == "no answers yet"
    assert st.criteria[2].description == "Mentors are happy"
    assert describe_criterion(criteria[0]) == "Mentees improve in confidence by at least 0.5 points on average"


def test_quotes_are_anonymised_and_excludable(db, small) -> None:
    st = stats_of(db, small.cohort_id)
    quote = next(q for q in st.quotes if q.item_key == "went_well")
    assert quote.text == "[name] here: a great chat with [name] every month, mail [email] or [phone]"
    assert not quote.approved and not quote.printable
    for word in ("Alice", "Xavier", "xavier.xu@example.org", "07700"):
        assert word not in " ".join(q.text for q in st.quotes)
    with db.transaction() as s:
        update_settings(s, small.cohort_id, excluded_quotes=[quote.key])
    again = next(q for q in stats_of(db, small.cohort_id).quotes if q.key == quote.key)
    assert again.excluded


def test_anonymise_keeps_words_that_only_contain_a_name() -> None:
    pattern = Anonymiser(name_pattern({"Li", "Ali"}), None)
    assert anonymise("Ali said the quality of Li's advice was reliable", pattern) == (
        "[name] said the quality of [name]'s advice was reliable"
    )
    assert GOING_WELL.startswith("Alice")


def test_empty_cohort_has_no_figures(db) -> None:
    small = build_small_cohort(db, responses=False)
    st = stats_of(db, small.cohort_id)
    assert not st.has_responses
    # Nobody answered: five asked is fewer than the minimum, the others have no answers at all.
    assert [c.status for c in st.criteria] == ["no data", "no data", "no data", "too few responses"]
    assert st.benefit("benefit_confidence").baseline_mean is None


def test_someone_who_is_both_a_mentee_and_a_mentor_is_explained_where_the_roles_add_up_to_more(db):
    """'Mentees 23/26, Mentors 13/15, All 35/40' read as a mistake with nothing to say one person is both."""
    import datetime as dt

    from mentorapp.evaluation.stats import CohortNumbers, compute_stats
    from mentorapp.people.cohorts import CohortData, create_cohort
    from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData, create_participant

    assert CohortNumbers().both_note() == ""
    with db.transaction() as s:
        cohort = create_cohort(s, CohortData(name="Both 2025", start_date=dt.date(2025, 3, 1)))
        for n, role in enumerate(("mentee", "mentor", "both")):
            create_participant(
                s,
                cohort.id,
                ParticipantData(
                    first_name=f"P{n}",
                    last_name="Q",
                    email=f"p{n}@x.test",
                    role=role,
                    goals=[GoalData("short", "Grow", ["Leadership"])] if role != "mentor" else [],
                    expertise=[ExpertiseData("Leadership", 3)] if role != "mentee" else [],
                ),
            )
    with db.session() as s:
        numbers = compute_stats(s, cohort.id).numbers
    assert (numbers.applied, numbers.mentees, numbers.mentors, numbers.both) == (3, 2, 2, 1)
    assert numbers.both_note().startswith("1 participant is both a mentee and a mentor: counted under each role")
