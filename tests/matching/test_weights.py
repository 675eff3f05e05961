"""A cohort's scoring weights: saved over the defaults, refused with a sentence when wrong."""

from __future__ import annotations

import pytest

from mentorapp.errors import UserError
from mentorapp.matching.scoring import DEFAULT_WEIGHTS
from mentorapp.matching.weights import cohort_weights, set_weights
from mentorapp.store.models import Cohort


def test_weights_are_saved_penalties_negative_and_defaults_not_kept(demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        set_weights(s, demo_cohort_id, {"region": 0.5, "stage_junior": 0.2})
    with demo_db.session() as s:
        weights = cohort_weights(s, demo_cohort_id)
        assert weights["region"] == 0.5 and weights["stage_junior"] == -0.2
        assert weights["text"] == DEFAULT_WEIGHTS["text"]
        assert set(s.get(Cohort, demo_cohort_id).settings["matching"]["weights"]) == {"region", "stage_junior"}
    with demo_db.transaction() as s:
        set_weights(s, demo_cohort_id, dict(DEFAULT_WEIGHTS))
    with demo_db.session() as s:
        assert "weights" not in s.get(Cohort, demo_cohort_id).settings["matching"]


@pytest.mark.parametrize(
    ("weights", "says"),
    [
        ({"colour": 0.1}, "There is no weight called 'colour'"),
        ({"text": 1.5}, "between 0 and 1"),
        ({"years_full": 0}, "between 1 and 50"),
        ({"region": float("nan")}, "must be a number"),
    ],
)
def test_wrong_weights_are_refused_with_a_sentence(demo_db, demo_cohort_id, weights, says):
    with pytest.raises(UserError, match=says), demo_db.transaction() as s:
        set_weights(s, demo_cohort_id, weights)
