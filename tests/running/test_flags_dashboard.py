"""Pairs at risk (each rule, its date, editable thresholds) and the dashboard's figures with the people behind them."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorapp.running.chase import mark_chased
from mentorapp.running.checkins import CheckinData, save_checkin_answer
from mentorapp.running.dashboard import FIGURES, PIPELINE, dashboard, people_behind
from mentorapp.running.flags import CheckinSignal, PairFacts, flags_for, pairs_at_risk
from mentorapp.running.meetings import add_meeting
from mentorapp.running.settings import RunningSettings, load_running_settings, save_running_settings
from tests.running.conftest import STARTED

pytestmark = pytest.mark.both_databases
DAY30 = dt.date(2024, 2, 14)


def rules(flags):
    return [(f.rule, f.since) for f in flags]


def test_each_rule_on_plain_values():
    s = RunningSettings(first_meeting_weeks=4, quiet_weeks=8, low_rating=2)
    start = dt.date(2024, 1, 15)
    quiet = PairFacts(1, start, None, None)
    assert flags_for(quiet, s, start + dt.timedelta(days=27)) == []
    assert rules(flags_for(quiet, s, dt.date(2024, 3, 1))) == [("no_first_meeting", dt.date(2024, 2, 12))]
    met = PairFacts(1, start, dt.date(2024, 1, 20), dt.date(2024, 1, 30))
    assert rules(flags_for(met, s, dt.date(2024, 3, 25))) == []
    assert rules(flags_for(met, s, dt.date(2024, 3, 26))) == [("gone_quiet", dt.date(2024, 3, 26))]
    # A date only a check-in gave (they met, no day said) is not called the day of the last meeting.
    assert "the last was known from the check-in of 30 January 2024" in flags_for(met, s, dt.date(2024, 3, 26))[0].text
    logged = PairFacts(1, start, dt.date(2024, 1, 20), dt.date(2024, 1, 30), last_logged_on=dt.date(2024, 1, 30))
    assert "the last was on 30 January 2024." in flags_for(logged, s, dt.date(2024, 3, 26))[0].text
    unhappy = CheckinSignal("mentor", DAY30, dt.date(2024, 2, 16), 2, True)
    flags = flags_for(
        PairFacts(1, start, dt.date(2024, 1, 20), dt.date(2024, 2, 20), (unhappy,)), s, dt.date(2024, 3, 1)
    )
    assert rules(flags) == [("low_rating", dt.date(2024, 2, 16)), ("wants_contact", dt.date(2024, 2, 16))]
    assert all(f.side == "mentor" for f in flags) and "rated how it is going 2 of 5" in flags[0].text
    chased = CheckinSignal("mentor", DAY30, dt.date(2024, 2, 16), 3, True, chased_since=True)
    assert flags_for(PairFacts(1, start, dt.date(2024, 1, 20), dt.date(2024, 2, 20), (chased,)), s, DAY30) == []
    s2 = RunningSettings(first_meeting_weeks=2, quiet_weeks=3, low_rating=3)
    assert rules(flags_for(quiet, s2, dt.date(2024, 1, 29))) == [("no_first_meeting", dt.date(2024, 1, 29))]


def test_pairs_at_risk_from_the_database_as_of_a_day(running):
    db = running.db
    with db.transaction() as s:
        add_meeting(s, running.pairs["Zoë"], dt.date(2024, 1, 25), today=DAY30)
        save_checkin_answer(
            s, CheckinData(running.pid("Cleo"), running.pairs["Cleo"], DAY30, met=True, times=1, rating=1,
                           wants_contact=True, submitted_on=dt.date(2024, 2, 20)), today=DAY30 + dt.timedelta(10)
        )  # fmt: skip
    with db.session() as s:
        before = pairs_at_risk(s, running.cohort_id, dt.date(2024, 2, 11))
        at = {p.mentee.name: p for p in pairs_at_risk(s, running.cohort_id, dt.date(2024, 3, 1))}
    assert before == []
    assert set(at) == {"Brian Okonkwo-Smith", "Cleo Nnamdi"}
    assert rules(at["Brian Okonkwo-Smith"].flags) == [("no_first_meeting", STARTED + dt.timedelta(weeks=4))]
    assert [f.rule for f in at["Cleo Nnamdi"].flags] == ["low_rating", "wants_contact"]
    data = at["Cleo Nnamdi"].to_json()
    assert data["mentee"]["email"].startswith("cleo.") and data["mentor"]["name"] == "Femi Adeyemi"
    assert set(data["flags"][0]) == {"rule", "since", "text"}
    # Chased after the answer: the request for contact has been dealt with; the low rating stays.
    with db.transaction() as s:
        mark_chased(s, running.cohort_id, [running.pid("Cleo")], "at-risk", dt.date(2024, 2, 22))
    with db.session() as s:
        cleo = next(
            p for p in pairs_at_risk(s, running.cohort_id, dt.date(2024, 3, 1)) if p.mentee.name == "Cleo Nnamdi"
        )
    assert [f.rule for f in cleo.flags] == ["low_rating"]
    # Thresholds are the cohort's: six weeks for a first meeting clears Brian's flag on 2024-02-20.
    with db.transaction() as s:
        settings = load_running_settings(s, running.cohort_id)
        settings.first_meeting_weeks = 6
        save_running_settings(s, running.cohort_id, settings)
        assert all(
            p.mentee.name != "Brian Okonkwo-Smith" for p in pairs_at_risk(s, running.cohort_id, dt.date(2024, 2, 20))
        )


def test_dashboard_figures_and_the_people_behind_each(running):
    db = running.db
    with db.transaction() as s:
        add_meeting(s, running.pairs["Zoë"], dt.date(2024, 1, 25), today=DAY30)
        save_checkin_answer(
            s, CheckinData(running.pid("Esther"), running.pairs["Zoë"], DAY30, met=True, times=1), today=DAY30
        )
    with db.session() as s:
        board = dashboard(s, running.cohort_id, dt.date(2024, 3, 1))
        data = board.to_json()
        assert board.pipeline == {
            "applied": 4, "matched": 3, "letters_sent": 0, "started": 3, "first_meeting_held": 1,
            "active": 3, "ended_early": 0, "completed": 0,
        }  # fmt: skip
        for figure in PIPELINE:
            assert len(people_behind(s, running.cohort_id, figure, dt.date(2024, 3, 1))) == board.pipeline[figure]
        assert data["response_rates"]["check_in"] == {"date": "2024-02-14", "asked": 6, "answered": 1, "rate": 0.1667}
        missing = people_behind(s, running.cohort_id, "check_in_missing", dt.date(2024, 3, 1))
        assert len(missing) == 5 and all(
            r.person.name != "Esther Achterberg" or r.match_id != running.pairs["Zoë"] for r in missing
        )
        assert data["next_dates"]["next_check_in"] == "2024-04-14" and data["next_dates"]["evaluation"] == "2024-07-08"
        assert {p["mentee"]["name"] for p in data["pairs_at_risk"]} == {"Brian Okonkwo-Smith", "Cleo Nnamdi"}
        assert set(FIGURES) >= set(PIPELINE)


def test_pairs_still_active_after_the_evaluation_date_wait_to_be_completed(running, capsys):
    from mentorapp.cli.main import main
    from mentorapp.store.models import Cohort

    with running.db.session() as s:
        evaluation = s.get(Cohort, running.cohort_id).evaluation_date
        assert dashboard(s, running.cohort_id, evaluation).active_past_evaluation == 0  # the day itself
        after = dashboard(s, running.cohort_id, evaluation + dt.timedelta(days=1))
    assert after.active_past_evaluation == after.pipeline["active"] == 3
    assert after.to_json()["active_past_evaluation"] == 3
    url = str(running.db.engine.url)
    day = (evaluation + dt.timedelta(days=1)).isoformat()
    assert main(["--db", url, "dashboard", "--cohort", "Northern pilot 2024", "--today", day]) == 0
    assert "3 pairs are still active: once the six-month evaluation is in, run 'complete'" in capsys.readouterr().out
