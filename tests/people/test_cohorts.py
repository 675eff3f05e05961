"""A cohort keeps its own ordered career stages and regions, checked like its focus areas."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorapp.errors import UserError
from mentorapp.people.cohorts import CohortData, create_cohort, update_cohort, validate_cohort
from mentorapp.people.vocabulary import CAREER_STAGES, REGIONS
from mentorapp.store.models import Cohort

LADDER = ["Band 5", "Band 6", "Band 7 lead", "Band 8a manager", "Head of therapies"]


def test_a_new_cohort_starts_with_the_built_in_stages_and_regions(db):
    with db.transaction() as s:
        cohort = create_cohort(s, CohortData("Physio network 2025", dt.date(2025, 2, 3)))
        cohort_id = cohort.id
    with db.session() as s:
        stored = s.get(Cohort, cohort_id)
        assert stored.career_stages == list(CAREER_STAGES)
        assert stored.regions == list(REGIONS)


def test_a_cohort_keeps_its_own_ladder_in_order_and_its_own_regions(db):
    data = CohortData("Therapies 2025", dt.date(2025, 2, 3), career_stages=LADDER, regions=["Gwent", "Powys"])
    with db.transaction() as s:
        cohort_id = create_cohort(s, data).id
    with db.transaction() as s:
        edited = CohortData.from_model(s.get(Cohort, cohort_id))
        assert edited.career_stages == LADDER
        edited.career_stages = list(reversed(LADDER))
        edited.regions = ["Powys", "Gwent", "Ceredigion"]
        update_cohort(s, edited)
    with db.session() as s:
        stored = s.get(Cohort, cohort_id)
        assert stored.career_stages[0] == "Head of therapies"
        assert stored.regions == ["Powys", "Gwent", "Ceredigion"]


@pytest.mark.parametrize(
    ("stages", "regions", "message"),
    [
        (["Band 5", "  band 5 "], ["Gwent"], "The career stage 'band 5' is listed twice."),
        (["Band 5", "   "], ["Gwent"], "A career stage cannot be blank."),
        (["Band 5"], ["Gwent", "GWENT"], "The region 'GWENT' is listed twice."),
        (["Band 5"], [""], "A region cannot be blank."),
    ],
)
def test_blank_or_repeated_stages_and_regions_are_refused_and_nothing_is_stored(db, stages, regions, message):
    data = CohortData("Therapies 2025", dt.date(2025, 2, 3), career_stages=stages, regions=regions)
    assert [e.message for e in validate_cohort(data)] == [message]
    with pytest.raises(UserError, match=message), db.transaction() as s:
        create_cohort(s, data)
    with db.session() as s:
        assert s.query(Cohort).count() == 0
