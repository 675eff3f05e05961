"""Renaming, merging, reordering, adding and removing a cohort's words; participants and scores follow."""

from __future__ import annotations

import pytest

from mentorapp.errors import UserError
from mentorapp.matching.actions import rescore_current_matches
from mentorapp.people import vocabulary_edit as vocab
from mentorapp.people.participants import get_participant
from mentorapp.store import audit
from mentorapp.store.models import Cohort, Match


def _stored(db, cohort_id):
    with db.session() as s:
        m = s.query(Match).filter_by(cohort_id=cohort_id).one()
        return m.score, [r["text"] for r in m.reasons]


def test_merging_policy_into_health_and_work_policy(db, scheme):
    cohort_id, ids = scheme
    score_before, reasons_before = _stored(db, cohort_id)
    assert any("Short-term goal Policy matches" in r for r in reasons_before)

    with db.transaction() as s:
        change = vocab.merge(s, cohort_id, "focus", "policy", "Health and work policy")
        rescored = rescore_current_matches(s, cohort_id)
    assert change.description == "Focus area 'Policy' merged into 'Health and work policy' (3 participants follow)"
    assert rescored == 1

    with db.session() as s:
        assert s.get(Cohort, cohort_id).focus_areas == ["Health and work policy", "Audit", "Return to work"]
        mentee = get_participant(s, ids["mentee"])
        assert {g.horizon: g.focus_areas for g in mentee.goals} == {
            "short": ["Health and work policy"],  # once, not twice
            "long": ["Audit", "Health and work policy"],
        }
        both = get_participant(s, ids["both"])
        assert [(e.focus_area, e.years) for e in both.expertise] == [("Health and work policy", 11)]
        seren = get_participant(s, ids["policy"])
        assert sorted((e.focus_area, e.years) for e in seren.expertise) == [
            ("Audit", 2),
            ("Health and work policy", 6),
        ]
        [entry] = audit.query(s, cohort_id=cohort_id, action="vocabulary")
        assert entry.description == change.description

    score_after, reasons_after = _stored(db, cohort_id)
    assert not any("goal Policy" in r for r in reasons_after)
    assert any(
        "goal Health and work policy matches mentor's 6 years in Health and work policy" in r for r in reasons_after
    )
    assert score_after != score_before


def test_undo_puts_back_every_word(db, scheme):
    cohort_id, ids = scheme
    with db.session() as s:
        before = [get_participant(s, pid) for pid in ids.values()]
        lists = vocab._snapshot(s.get(Cohort, cohort_id)).lists
    score_before = _stored(db, cohort_id)
    with db.transaction() as s:
        change = vocab.merge(s, cohort_id, "focus", "Policy", "Health and work policy")
        rescore_current_matches(s, cohort_id)
    with db.transaction() as s:
        vocab.restore(s, change.before)
        rescore_current_matches(s, cohort_id)
    with db.session() as s:
        after = [get_participant(s, pid) for pid in ids.values()]
        assert vocab._snapshot(s.get(Cohort, cohort_id)).lists == lists
    for old, new in zip(before, after, strict=True):
        assert [(g.horizon, g.focus_areas) for g in new.goals] == [(g.horizon, g.focus_areas) for g in old.goals]
        assert [(e.focus_area, e.years) for e in new.expertise] == [(e.focus_area, e.years) for e in old.expertise]
    assert _stored(db, cohort_id) == score_before


def test_renaming_a_stage_and_a_region_rewrites_participants(db, scheme):
    cohort_id, ids = scheme
    with db.transaction() as s:
        stage = vocab.rename(s, cohort_id, "stage", "Band 6", "Band 6 (specialist)")
        region = vocab.rename(s, cohort_id, "region", "powys", "Powys teaching health board")
    assert stage.description == "Career stage 'Band 6' renamed to 'Band 6 (specialist)' (1 participant follows)"
    assert region.participants == 1
    with db.session() as s:
        cohort = s.get(Cohort, cohort_id)
        assert cohort.career_stages[1] == "Band 6 (specialist)"
        assert cohort.regions == ["Gwent", "Powys teaching health board", "Dyfed"]
        mentee = get_participant(s, ids["mentee"])
        assert (mentee.career_stage, mentee.region) == ("Band 6 (specialist)", "Powys teaching health board")


def test_new_order_changes_seniority_in_the_stored_reasons(db, scheme):
    cohort_id, _ids = scheme
    assert any("Mentor is 1 career stage senior (Band 7)" in r for r in _stored(db, cohort_id)[1])
    with db.transaction() as s:
        vocab.reorder(s, cohort_id, "stage", ["Band 7", "band 5", "Band 6", "Band 8a", "Director of therapies"])
        rescore_current_matches(s, cohort_id)
    with db.session() as s:
        assert s.get(Cohort, cohort_id).career_stages[:2] == ["Band 7", "Band 5"]
    assert any("Mentor is 2 career stages junior to the mentee" in r for r in _stored(db, cohort_id)[1])


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda s, c: vocab.rename(s, c, "focus", "Policy", "audit"), "There is already a focus area 'Audit'"),
        (lambda s, c: vocab.rename(s, c, "stage", "Band 9", "Band 10"), "The cohort has no career stage 'Band 9'"),
        (lambda s, c: vocab.merge(s, c, "region", "Gwent", "GWENT"), "cannot be merged into itself"),
        (lambda s, c: vocab.reorder(s, c, "stage", ["Band 5", "Band 6"]), "it leaves out 'Band 7', 'Band 8a'"),
        (
            lambda s, c: vocab.reorder(s, c, "stage", ["Band 5", "band 5", "Band 6", "Band 7", "Band 8a"]),
            "names the career stage 'Band 5' twice",
        ),
        (lambda s, c: vocab.add(s, c, "region", " dyfed "), "The region 'dyfed' is listed twice"),
        (lambda s, c: vocab.remove(s, c, "focus", "Policy"), "3 participants use the focus area 'Policy'"),
        (lambda s, c: vocab.remove(s, c, "stage", "Band 7"), "1 participant uses the career stage 'Band 7'"),
        (lambda s, c: vocab.rename(s, c, "title", "Dr", "Doctor"), "'title' is not a vocabulary"),
    ],
)
def test_bad_changes_are_refused_in_one_sentence_and_change_nothing(db, scheme, action, message):
    cohort_id, _ids = scheme
    with db.session() as s:
        lists = vocab._snapshot(s.get(Cohort, cohort_id)).lists
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)")), db.transaction() as s:
        action(s, cohort_id)
    with db.session() as s:
        assert vocab._snapshot(s.get(Cohort, cohort_id)).lists == lists
        assert audit.query(s, cohort_id=cohort_id, action="vocabulary") == []


def test_add_then_remove_an_unused_value_and_usage_counts(db, scheme):
    cohort_id, _ids = scheme
    with db.transaction() as s:
        vocab.add(s, cohort_id, "stage", "Consultant therapist")
        assert vocab.usage(s, cohort_id, "stage")["Consultant therapist"] == 0
        assert vocab.usage(s, cohort_id, "focus") == {
            "Policy": 3,
            "Health and work policy": 2,
            "Audit": 2,
            "Return to work": 0,
        }
    with db.transaction() as s:
        assert s.get(Cohort, cohort_id).career_stages[-1] == "Consultant therapist"
        vocab.remove(s, cohort_id, "stage", "consultant therapist")
        vocab.remove(s, cohort_id, "focus", "Return to work")
    with db.session() as s:
        cohort = s.get(Cohort, cohort_id)
        assert cohort.career_stages == ["Band 5", "Band 6", "Band 7", "Band 8a", "Director of therapies"]
        assert "Return to work" not in cohort.focus_areas


def test_answers_remembered_from_last_years_form_follow_and_undo_puts_them_back(db, scheme):
    cohort_id, _ids = scheme
    remembered = {
        "columns": {"grade": "career_stage"},
        "values": {
            "career_stage": {"values": [{"value": "Senior OT", "proposed": "Band 6", "confidence": 1.0}]},
            "focus_short": {"values": [{"value": "Fit notes", "proposed": "Policy"}]},
            "expertise_areas": {"values": [{"value": "Audit & QI", "proposed": "Audit"}]},
        },
    }
    with db.transaction() as s:
        cohort = s.get(Cohort, cohort_id)
        cohort.settings = {**cohort.settings, "import_mapping": remembered}
    with db.transaction() as s:
        vocab.rename(s, cohort_id, "stage", "Band 6", "Band 6 specialist")
        merged = vocab.merge(s, cohort_id, "focus", "Policy", "Health and work policy")
    with db.session() as s:
        values = s.get(Cohort, cohort_id).settings["import_mapping"]["values"]
        assert values["career_stage"]["values"][0] == {
            "value": "Senior OT",
            "proposed": "Band 6 specialist",
            "confidence": 1.0,
        }
        assert values["focus_short"]["values"][0]["proposed"] == "Health and work policy"
        assert values["expertise_areas"]["values"][0]["proposed"] == "Audit"
    with db.transaction() as s:
        vocab.restore(s, merged.before)
    with db.session() as s:
        values = s.get(Cohort, cohort_id).settings["import_mapping"]["values"]
        assert values["focus_short"]["values"][0]["proposed"] == "Policy"
        assert values["career_stage"]["values"][0]["proposed"] == "Band 6 specialist"  # the rename stays


def test_removing_a_value_forgets_the_remembered_answers_that_pointed_at_it(db, scheme):
    cohort_id, _ids = scheme
    with db.transaction() as s:
        cohort = s.get(Cohort, cohort_id)
        cohort.settings = {
            **cohort.settings,
            "import_mapping": {"values": {"region": {"values": [{"value": "Ceredigion", "proposed": "dyfed"}]}}},
        }
        s.flush()
        vocab.add(s, cohort_id, "region", "Ceredigion")
    with db.transaction() as s:
        # Dyfed merged into Ceredigion: the answer remembered for Dyfed now lands on Ceredigion.
        vocab.merge(s, cohort_id, "region", "Dyfed", "Ceredigion")
    with db.session() as s:
        values = s.get(Cohort, cohort_id).settings["import_mapping"]["values"]
        assert values["region"]["values"] == [{"value": "Ceredigion", "proposed": "Ceredigion"}]
    with db.transaction() as s:
        vocab.add(s, cohort_id, "region", "Pembrokeshire")
        cohort = s.get(Cohort, cohort_id)
        cohort.settings = {
            **cohort.settings,
            "import_mapping": {"values": {"region": {"values": [{"value": "Pembs", "proposed": "Pembrokeshire"}]}}},
        }
        s.flush()
        removed = vocab.remove(s, cohort_id, "region", "pembrokeshire")
    assert (
        removed.description == "Region 'Pembrokeshire' removed (the next import asks again about 1 remembered answer)"
    )
    with db.session() as s:
        assert s.get(Cohort, cohort_id).settings["import_mapping"]["values"]["region"]["values"] == []
