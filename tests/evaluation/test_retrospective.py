"""The retrospective 'looking back' question: switched on per cohort, asked at six months, beside the baseline."""

from __future__ import annotations

import pytest

from mentorapp.cli.main import main as cli_main
from mentorapp.errors import UserError
from mentorapp.evaluation.forms import FORM_SHEET, write_evaluation_form
from mentorapp.evaluation.instrument import ResponseData, items_for, save_response
from mentorapp.evaluation.stats import compute_stats
from tests.support.evaluation_data import build_small_cohort

pytestmark = pytest.mark.both_databases


def test_off_by_default_then_asked_and_analysed(db, db_path, tmp_path, capsys) -> None:
    small = build_small_cohort(db)
    assert not any(i.key.startswith("retro_") for i in items_for("mentee", "six_month"))
    with db.transaction() as s, pytest.raises(UserError, match="not asked of a mentee"):
        save_response(s, ResponseData(small.alice, "six_month", {"retro_benefit_confidence": 1}))
    assert cli_main(["--db", db_path, "evaluation-options", "--retrospective-pre", "on"]) == 0
    assert "questions at six months: on" in capsys.readouterr().out
    # Alice now says she started at 1 (her baseline said 2) and is at 4; Bob started at 3, is at 2.
    with db.transaction() as s:
        for pid, retro in ((small.alice, 1), (small.bob, 3)):
            save_response(
                s,
                ResponseData(
                    pid,
                    "six_month",
                    {"benefit_confidence": 4 if pid == small.alice else 2, "retro_benefit_confidence": retro},
                ),
            )
    with db.session() as s:
        st = compute_stats(s, small.cohort_id)
    assert st.retrospective_asked
    retro = next(t for t in st.retrospective_tests if t.role == "mentee" and t.benefit == "benefit_confidence")
    assert (retro.n_pairs, retro.before_mean, retro.after_mean, retro.mean_change) == (2, 2.0, 3.0, 1.0)
    base = next(t for t in st.tests if t.role == "mentee" and t.benefit == "benefit_confidence")
    assert base.before_mean == 2.5  # the baseline itself is unchanged beside it
    form = tmp_path / "six.xlsx"
    with db.transaction() as s:
        write_evaluation_form(s, small.cohort_id, "six_month", form)
    from openpyxl import load_workbook

    keys = [c.value for c in load_workbook(form)[FORM_SHEET][1] if c.value]
    assert "retro_benefit_confidence" in keys
    assert keys.index("retro_benefit_knowledge") < keys.index("benefit_knowledge")
