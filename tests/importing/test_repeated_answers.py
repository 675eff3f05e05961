"""An answer repeated in many rows is worked out once, yet each row still says what it says about it."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorapp.importing import ImportOptions, build_plan, preview, saved_settings, suggest_mapping
from mentorapp.importing.reconcile import AnswerCache
from mentorapp.people.cohorts import CohortData, create_cohort
from tests.support.import_fixtures import SIMPLE_HEADERS, write_csv

pytestmark = pytest.mark.both_databases

HEADERS = [*SIMPLE_HEADERS, "Career stage", "Expertise"]


def _plan(db, tmp_path, rows):
    with db.transaction() as s:
        cohort = create_cohort(
            s,
            CohortData(
                name="Repeats",
                start_date=dt.date(2026, 9, 1),
                focus_areas=["Leadership", "Research"],
                career_stages=["Registrar", "Consultant physician"],
            ),
        )
        cohort_id = cohort.id
    path = write_csv(tmp_path / "repeats.csv", HEADERS, rows)
    table, first = preview(path)
    with db.session() as s:
        saved, _ = saved_settings(s, cohort_id)
        fields = suggest_mapping(table.headers, first, saved)
        fields[HEADERS.index("Expertise")] = "expertise_areas"
        return build_plan(s, cohort_id, path, fields, ImportOptions())


def test_each_row_with_a_repeated_unknown_answer_has_its_own_problem(db, tmp_path):
    rows = [
        [f"F{i}", f"L{i}", f"p{i}@example.org", "Mentee", "A goal", "Leadership;Quantum physics", "", "Registrar", ""]
        for i in range(4)
    ] + [[f"M{i}", f"N{i}", f"m{i}@example.org", "Mentor", "", "", "2", "Consultnt physician", ""] for i in range(3)]
    plan = _plan(db, tmp_path, rows)
    assert plan.unknown_areas == {"Quantum physics": [2, 3, 4, 5]}
    area_rows = [p.row for p in plan.problems if "Quantum physics" in p.message]
    stage_rows = [p.row for p in plan.problems if "Consultnt" in p.message]
    assert area_rows == [2, 3, 4, 5]
    assert stage_rows == [6, 7, 8]
    assert all(p.value == "Consultnt physician" for p in plan.problems if p.row in stage_rows)


def test_each_mentor_gets_the_years_written_beside_a_repeated_area(db, tmp_path):
    rows = [
        [f"M{i}", f"N{i}", f"m{i}@example.org", "Mentor", "", "", "1", "Registrar", "Research (10 years); leadership"]
        for i in range(3)
    ]
    plan = _plan(db, tmp_path, rows)
    assert not plan.problems
    for row in plan.rows:
        assert [(e.focus_area, e.years) for e in row.data.expertise] == [("Research", 10), ("Leadership", 0)]
    # Each row has its own list: changing one leaves the others as read.
    plan.rows[0].data.expertise.clear()
    assert len(plan.rows[1].data.expertise) == 2


def test_cells_that_compare_equal_but_read_differently_are_kept_apart():
    read = AnswerCache({})
    assert read("role", True) == [("true", "TRUE")]
    assert read("role", 1) == [("1", "1")]
    assert read("role", 1.0) == [("1", "1")]
    assert read("role", True) == [("true", "TRUE")]
