"""`cohorts vocabulary` on the command line: lists, edits, rescoring and one-sentence refusals."""

from __future__ import annotations

import json

from mentorapp.cli.main import main
from mentorapp.store.models import Cohort, Match, Participant

COHORT = "Therapies network 2026"


def run(capsys, db_path, *args):
    code = main(["--db", db_path, "cohorts", "vocabulary", "--cohort", COHORT, *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_lists_the_three_lists_with_how_many_use_each(capsys, db, db_path, scheme):
    code, out, _ = run(capsys, db_path)
    assert code == 0
    assert "Career stages (most junior first" in out
    lines = out.splitlines()
    assert lines.index("   1. Band 5                 not used") < lines.index("   5. Director of therapies  not used")
    assert "   1. Policy                  3 participants" in lines
    code, out, _ = run(capsys, db_path, "--format", "json")
    data = json.loads(out)
    assert data["cohort"] == COHORT
    assert [v["value"] for v in data["career_stages"]] == [
        "Band 5",
        "Band 6",
        "Band 7",
        "Band 8a",
        "Director of therapies",
    ]
    assert {"value": "Powys", "participants": 1} in data["regions"]


def test_merge_rename_and_order_change_the_data_and_rescore_the_proposed_match(capsys, db, db_path, scheme):
    cohort_id, ids = scheme
    code, out, _ = run(capsys, db_path, "merge", "focus", "Policy", "Health and work policy")
    assert code == 0
    assert out.splitlines() == [
        "Focus area 'Policy' merged into 'Health and work policy' (3 participants follow).",
        "1 proposed or confirmed match rescored.",
    ]
    code, out, _ = run(
        capsys, db_path, "order", "stage", "Band 7", "Band 5", "Band 6", "Band 8a", "Director of therapies"
    )
    assert code == 0
    code, out, _ = run(capsys, db_path, "rename", "region", "Powys", "Powys Teaching HB")
    assert code == 0 and out.startswith("Region 'Powys' renamed to 'Powys Teaching HB' (1 participant follows).")
    with db.session() as s:
        assert s.get(Cohort, cohort_id).career_stages[0] == "Band 7"
        assert s.get(Participant, ids["mentee"]).region == "Powys Teaching HB"
        reasons = [r["text"] for r in s.query(Match).one().reasons]
    assert any("junior to the mentee" in r for r in reasons)
    assert any("Health and work policy matches mentor's 6 years" in r for r in reasons)


def test_refusals_are_one_sentence_with_exit_1_for_data_and_2_for_usage(capsys, db, db_path, scheme):
    cohort_id, _ids = scheme
    code, out, err = run(capsys, db_path, "remove", "stage", "Band 7")
    assert (code, out) == (1, "")
    assert err.strip() == (
        "1 participant uses the career stage 'Band 7': merge it into another career stage instead, "
        "or change them first."
    )
    code, _, err = run(capsys, db_path, "order", "stage", "Band 7", "Band 5")
    assert code == 1 and "it leaves out 'Band 6', 'Band 8a', 'Director of therapies'" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, db_path, "rename", "stages", "Band 5", "Band five")
    assert code == 2 and "invalid choice: 'stages'" in err
    code, _, err = run(capsys, db_path, "merge", "focus", "Policy")
    assert code == 2 and "required" in err
    with db.session() as s:
        assert s.get(Cohort, cohort_id).career_stages == [
            "Band 5",
            "Band 6",
            "Band 7",
            "Band 8a",
            "Director of therapies",
        ]
