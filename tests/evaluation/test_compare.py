"""Across cohorts: `cohorts --format json` keeps its keys and adds each cohort's figures; the report compares two."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pypdf import PdfReader
from sqlalchemy import distinct, func, select

from mentorapp.cli.main import main
from mentorapp.demo.cohort import create_demo
from mentorapp.demo.evaluations import fill_demo_evaluations
from mentorapp.errors import UserError
from mentorapp.evaluation.compare import cohort_overviews, compare_cohorts
from mentorapp.evaluation.inference import cohort_tests
from mentorapp.evaluation.report_compare import LIMITS, NO_ANSWERS
from mentorapp.evaluation.stats import compute_stats
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.participants import ParticipantData, create_participant, list_participants
from mentorapp.store.models import Match

pytestmark = pytest.mark.both_databases

OLD_KEYS = {"id", "name", "start_date", "evaluation_date", "status", "mentees", "mentors"}


def _again(p: ParticipantData) -> ParticipantData:
    data = ParticipantData(**{k: getattr(p, k) for k in ParticipantData.__dataclass_fields__})
    data.id = data.cohort_id = data.version_id = data.person_id = None
    return data


@pytest.fixture
def years(db) -> dict[str, int]:
    """A small pilot with evaluations (seed unlike the demo's), and a second year of the same people, unanswered."""
    with db.transaction() as s:
        pilot = create_demo(s, name="Pilot 2021", mentees=14, mentors=9, seed=77)
        fill_demo_evaluations(s, pilot.cohort_id, seed=77)
        nxt = create_cohort(s, CohortData(name="Second year 2022", start_date=dt.date(2022, 9, 1)))
        for p in list_participants(s, pilot.cohort_id)[:12]:
            create_participant(s, nxt.id, _again(p))
        return {"pilot": pilot.cohort_id, "next": nxt.id}


def test_overview_figures_are_the_evaluations_own(db, years) -> None:
    with db.session() as s:
        pilot, nxt = cohort_overviews(s)
        stats = compute_stats(s, years["pilot"])
        matched = s.scalar(
            select(func.count(distinct(Match.mentee_id))).where(
                Match.cohort_id == years["pilot"], Match.status.in_(("confirmed", "active", "completed", "ended_early"))
            )
        )
    assert (pilot.name, nxt.name) == ("Pilot 2021", "Second year 2022")  # oldest first
    assert (pilot.mentees, pilot.mentors) == (stats.numbers.mentees, stats.numbers.mentors) == (14, 9)
    assert pilot.match_rate == pytest.approx(matched / 14) and matched > 0
    started = stats.numbers.active + stats.numbers.completed + stats.numbers.ended_early
    assert pilot.completion == pytest.approx(stats.numbers.completed / started)
    assert pilot.baseline_rate == stats.rate("baseline").rate and pilot.six_month_rate == stats.rate("six_month").rate
    assert [o.share for o in pilot.outcomes] == [b.share_improved for b in stats.benefits["mentee"]]
    assert pilot.satisfaction_mean == stats.satisfaction["all"].mean and pilot.recommend_share == stats.recommend_share
    assert not nxt.has_answers and nxt.baseline_rate is None and nxt.outcomes == []
    assert nxt.mentees + nxt.mentors == 12 and nxt.match_rate == 0


def test_cohorts_json_keeps_its_keys_and_adds_the_figures(db, db_path, years, capsys) -> None:
    assert main(["--db", db_path, "cohorts", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    rows.sort(key=lambda r: r["start_date"])  # in the order the command always listed them; here by start
    assert [r["name"] for r in rows] == ["Pilot 2021", "Second year 2022"]
    for r in rows:
        assert set(r) >= OLD_KEYS
        assert {"size", "match_rate", "completion", "response_rates", "outcomes", "has_evaluation_answers"} <= set(r)
        assert r["size"] == {"mentees": r["mentees"], "mentors": r["mentors"]}
    pilot, nxt = rows
    assert pilot["has_evaluation_answers"] and 0 < pilot["response_rates"]["six_month"] <= 1
    assert set(pilot["outcomes"]["improved"]) == {t.benefit for t in _tests(db, years["pilot"])}
    assert nxt["has_evaluation_answers"] is False and nxt["response_rates"] == {"baseline": None, "six_month": None}
    assert nxt["outcomes"]["satisfaction"] == {"mean": None, "n": 0}


def _tests(db, cohort_id: int):
    with db.session() as s:
        return [t for t in cohort_tests(s, cohort_id) if t.role == "mentee"]


def test_report_compare_adds_the_section_and_shows_an_unanswered_cohort_as_such(db, db_path, years, tmp_path, capsys):
    out = tmp_path / "second.pdf"
    code = main(
        ["--db", db_path, "export", "report", "--cohort", "Second year 2022", "--compare", "Pilot 2021", "-o", str(out)]
    )
    assert code == 0, capsys.readouterr().err
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(out)).pages)
    assert "Compared with Pilot 2021" in text
    assert NO_ANSWERS in text and "cannot show that the scheme" in text
    assert " ".join(LIMITS.split()[:8]) in text
    knowledge = next(t for t in _tests(db, years["pilot"]) if t.benefit == "benefit_knowledge")
    assert f"+{knowledge.mean_change:.2f}" in text  # the pilot's own paired test, as in its evaluation

    plain = tmp_path / "plain.pdf"
    assert main(["--db", db_path, "export", "report", "--cohort", "Second year 2022", "-o", str(plain)]) == 0
    plain_text = " ".join((p.extract_text() or "") for p in PdfReader(str(plain)).pages)
    assert "Compared with" not in plain_text


def test_comparison_refuses_the_same_cohort_and_an_unknown_one(db, db_path, years, tmp_path, capsys) -> None:
    with db.session() as s, pytest.raises(UserError, match="another cohort"):
        compare_cohorts(s, years["pilot"], years["pilot"])
    out = tmp_path / "x.pdf"
    code = main(["--db", db_path, "export", "report", "--cohort", "Pilot 2021", "--compare", "Nope", "-o", str(out)])
    assert code == 1 and not out.exists()
    assert "Nope" in capsys.readouterr().err


def test_proposed_matches_are_said_beside_the_match_rate(db, years) -> None:
    """The board said '15 of 15 mentees matched · 15 proposed' where the Cohorts page said only '0% (0 of 15)'."""
    from mentorapp.evaluation.compare import measure_column
    from mentorapp.matching.actions import accept_suggestions
    from mentorapp.matching.solver import suggest

    with db.transaction() as s:
        found = suggest(s, years["next"], objective="coverage")
        accept_suggestions(s, years["next"], [(m.mentee.id, m.mentor.id) for m in found.matches])
    with db.session() as s:
        _pilot, nxt = cohort_overviews(s)
    assert nxt.match_rate == 0 and nxt.proposed == len(found.matches) > 0
    assert measure_column(nxt)[2] == f"0% (0 of {nxt.mentees}); {nxt.proposed} proposed"
    assert nxt.to_json()["proposed_matches"] == nxt.proposed
