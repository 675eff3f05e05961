"""Similarity of meaning: offline from the package's own vectors, and word overlap when the model is missing."""

from __future__ import annotations

import logging
import shutil
import subprocess
import sys
import textwrap

import pytest

from mentorapp.people import meaning


@pytest.fixture
def no_model(monkeypatch):
    def broken():
        raise OSError("weights missing")

    meaning.reset_for_tests()
    monkeypatch.setattr(meaning, "_load_model", broken)
    yield
    meaning.reset_for_tests()


def test_close_meanings_score_higher_than_unrelated_ones():
    assert meaning.available()
    assert meaning.unavailable_reason() is None
    close = meaning.similarity("Quality improvement", "Improving the quality of care")
    unrelated = meaning.similarity("Quality improvement", "Occupational asthma research")
    assert close > unrelated + 0.2
    assert meaning.similarity("Negotiation", "") == 0.0


def test_best_matches_picks_the_scheme_value_each_form_value_means():
    form = ["Ethics", "Appraisal", "Running clinics"]
    scheme = ["Medical ethics and law", "Appraisal and revalidation", "Clinic management", "Toxicology"]
    found = {value: best for value, best, _ in meaning.best_matches(form, scheme)}
    assert found == {
        "Ethics": "Medical ethics and law",
        "Appraisal": "Appraisal and revalidation",
        "Running clinics": "Clinic management",
    }
    assert meaning.best_matches(["Ethics"], []) == [("Ethics", None, 0.0)]


def test_similarity_matrix_has_one_row_per_text_and_one_column_per_candidate():
    sims = meaning.similarity_matrix(["Toxicology", "Ethics", "Toxicology"], ["Law", "Poisons", "Chemistry", "Art"])
    assert sims.shape == (3, 4)
    assert (sims[0] == sims[2]).all()


def test_the_model_loads_with_the_network_unavailable(tmp_path):
    """A plain wordllama load tries to download; ours must not need to."""
    script = textwrap.dedent(
        """
        import socket
        def refuse(*args, **kwargs):
            raise OSError("network unavailable in this test")
        socket.socket.connect = refuse
        socket.create_connection = refuse
        from mentorapp.people import meaning
        assert meaning.available(), meaning.unavailable_reason()
        print(round(meaning.similarity("Teaching", "Teaching and education"), 2))
        """
    )
    env = {"HF_HUB_OFFLINE": "1", "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-c", script]
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"], capture_output=True).returncode == 0:
        command = ["unshare", "-n", *command]
    done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert float(done.stdout.strip()) > 0.8


def test_without_the_model_word_overlap_is_used_and_said_once(no_model, caplog):
    with caplog.at_level(logging.WARNING, logger="mentorapp.people.meaning"):
        assert not meaning.available()
        assert meaning.similarity("Service development", "Developing services") > 0.0
        assert meaning.similarity("Policy", "Teaching") == 0.0
        assert meaning.embed(["Policy"]) is None
        found = meaning.best_matches(["Health policy"], ["Teaching and education", "Health and work policy"])
    assert found[0][1] == "Health and work policy"
    assert meaning.unavailable_reason() == "Matching uses word overlap only: the meaning model could not be loaded"
    said = [r for r in caplog.records if "word overlap only" in r.getMessage()]
    assert len(said) == 1


# -- meaning in the compatibility score -----------------------------------------------------------


def _people():
    from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData

    mentee = ParticipantData(
        id=1,
        first_name="Ines",
        last_name="Okafor",
        email="ines@example.net",
        goals=[GoalData("long", "Set up and run a new workplace health clinic", ["Clinic operations"])],
    )
    clinic = ParticipantData(
        id=10,
        first_name="Tomas",
        last_name="Lindqvist",
        email="tomas@example.net",
        role="mentor",
        experience="Ran occupational health clinics for large employers",
        expertise=[ExpertiseData("Clinical services", 9)],
    )
    lab = ParticipantData(
        id=11,
        first_name="Ruth",
        last_name="Abara",
        email="ruth@example.net",
        role="mentor",
        experience="Analysed samples in a toxicology laboratory",
        expertise=[ExpertiseData("Laboratory toxicology", 9)],
    )
    return [mentee], [clinic, lab]


def test_a_goal_in_other_words_meets_the_mentor_whose_experience_it_means():
    from mentorapp.matching.scoring import DEFAULT_WEIGHTS, Scorer

    mentees, mentors = _people()
    scorer = Scorer(mentees, mentors, DEFAULT_WEIGHTS)
    near, far = scorer.score(1, 10), scorer.score(1, 11)
    said = [r for r in near.reasons if r.kind == "meaning"]
    assert len(said) == 1 and said[0].contribution > 0
    assert said[0].text.startswith("Long-term goal")
    assert "is close to the mentor's experience" in said[0].text
    assert near.total > far.total
    assert not [r for r in near.reasons if r.kind.startswith("focus_")]  # no tag is shared: meaning did it
    matrix = scorer.matrix()
    assert matrix[0, 0] == pytest.approx(near.total, abs=1e-5)
    assert matrix[0, 1] == pytest.approx(far.total, abs=1e-5)


def test_without_the_model_the_score_keeps_the_word_measure_only(no_model):
    from mentorapp.matching.scoring import DEFAULT_WEIGHTS, Scorer

    mentees, mentors = _people()
    scorer = Scorer(mentees, mentors, DEFAULT_WEIGHTS)
    assert not scorer.meaning_available
    assert not [r for r in scorer.score(1, 10).reasons if r.kind == "meaning"]
    assert scorer.matrix()[0, 0] == pytest.approx(scorer.score(1, 10).total, abs=1e-6)


def test_the_match_command_says_once_that_matching_uses_word_overlap_only(no_model, demo_db, db_path, capsys):
    from mentorapp.cli.main import main

    assert main(["--db", db_path, "match"]) == 0
    captured = capsys.readouterr()
    notes = [line for line in captured.err.splitlines() if "word overlap only" in line]
    assert notes == ["Note: Matching uses word overlap only: the meaning model could not be loaded."]
    assert "is close to the mentor's" not in captured.out and "score" in captured.out


def test_many_texts_are_embedded_as_the_model_itself_would():
    """From POOLED_FROM texts on, token vectors are summed in one product: the same unit vectors as the model's."""
    import numpy as np

    words = ["quality", "service", "leadership", "asthma", "policy", "teaching", "Ünïcödé", "★", "x"]
    count = meaning.POOLED_FROM + 5
    texts = [f"{words[i % len(words)]} {i} {words[i // len(words) % len(words)]}" for i in range(count)]
    texts += ["", "   "]
    ours = meaning.embed(texts, many=True)
    assert ours is not None and ours.shape == (len(texts), meaning.DIMENSIONS)
    distinct = list(dict.fromkeys(t for t in texts if t.strip()))
    assert len(distinct) >= meaning.POOLED_FROM
    theirs = np.asarray(meaning.model().embed(distinct, norm=False), dtype=np.float32)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    row = {t: k for k, t in enumerate(distinct)}
    for i, text in enumerate(texts):
        if text.strip():
            assert np.allclose(ours[i], theirs[row[text]], atol=1e-6), text
        else:
            assert not ours[i].any()
