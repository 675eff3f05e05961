"""Start, end early with a rematch, and complete, through the real dialogs; each undoable."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from mentorapp.dates import long_date
from mentorapp.demo.cohort import create_demo
from mentorapp.demo.running import demo_today, fill_demo_running
from mentorapp.store.models import Cohort, ExcludedPair, Match, Participant
from mentorapp_ui.running.day import set_today
from mentorapp_ui.running.end_dialog import EndDialog, RematchDialog
from mentorapp_ui.running.lifecycle import StartDialog, complete_scheme

LETTERS_DAY = dt.date(2022, 2, 14)


@pytest.fixture
def confirmed_db(db):
    """A cohort of its own with four confirmed pairs and nothing started."""
    with db.transaction() as s:
        result = create_demo(s, name="Spring pilot 2022", mentees=6, mentors=5, seed=11, start=LETTERS_DAY)
        mentees = s.scalars(select(Participant.id).where(Participant.role == "mentee").order_by(Participant.id))
        mentors = s.scalars(select(Participant).where(Participant.role == "mentor").order_by(Participant.id)).all()
        for mentee, mentor in zip(list(mentees)[:4], mentors):
            s.add(Match(cohort_id=result.cohort_id, mentee_id=mentee, mentor_id=mentor.id, status="confirmed"))
    set_today(LETTERS_DAY + dt.timedelta(days=3))
    yield db
    set_today(None)


@pytest.fixture
def running_db(db):
    with db.transaction() as s:
        result = create_demo(s, name="Autumn scheme 2021", mentees=12, mentors=9, seed=7)
        fill_demo_running(s, result.cohort_id, seed=7)
        set_today(demo_today(s.get(Cohort, result.cohort_id)))
    yield db
    set_today(None)


def statuses(db) -> list[tuple[str, dt.date | None]]:
    with db.session() as s:
        return sorted((tuple(r) for r in s.execute(select(Match.status, Match.started_on))), key=str)


def modal(kind):
    widget = QApplication.activeModalWidget()
    assert isinstance(widget, kind), widget
    return widget


def test_start_chosen_pairs_on_the_letters_day_then_undo(make_window, confirmed_db, qtbot):
    window = make_window(confirmed_db)
    assert window.current_page().name != "dashboard"  # not started: the window opens where it did
    window.ctx.actions.action("running.start").trigger()
    dialog = modal(StartDialog)
    assert dialog.list.count() == 4 and not dialog.list.isEnabled()
    dialog.chosen.click()
    dialog.list.item(3).setCheckState(Qt.CheckState.Unchecked)
    # Their letters went out that day: offered, ticked, for the letters not marked yet.
    assert dialog.letters.isVisibleTo(dialog) and dialog.letters.isChecked()
    assert "mark as sent the 4 letters not marked yet" in dialog.letters.text().replace("&", "")
    dialog.day.setDate(LETTERS_DAY)
    dialog.ok.click()
    assert statuses(confirmed_db) == sorted([("active", LETTERS_DAY)] * 3 + [("confirmed", None)], key=str)
    with confirmed_db.session() as s:
        assert sorted(map(str, s.scalars(select(Match.letter_sent_on)))) == [str(LETTERS_DAY)] * 3 + ["None"]
    with confirmed_db.session() as s:
        assert s.scalar(select(Cohort.status)) == "running"
    window.ctx.undo_stack.undo()
    assert statuses(confirmed_db) == [("confirmed", None)] * 4
    window.ctx.undo_stack.redo()
    assert [st for st, _d in statuses(confirmed_db)].count("active") == 3


def demo_today_of(db) -> dt.date:
    with db.session() as s:
        return demo_today(s.scalars(select(Cohort)).one())


def test_complete_marks_the_active_pairs_completed_at_the_evaluation_date(make_window, running_db):
    window = make_window(running_db)
    with running_db.session() as s:
        evaluation = s.scalar(select(Cohort.evaluation_date))
        active = len(s.scalars(select(Match.id).where(Match.status == "active")).all())
    # Three months in, completing is asked as a warning that the evaluation date is still ahead.
    asked = []
    assert not complete_scheme(window.ctx, window, ask=lambda _p, text, early: asked.append((text, early)) and False)
    (question, early), days = asked.pop(), (evaluation - demo_today_of(running_db)).days
    assert early and question.startswith(f"The evaluation date, {long_date(evaluation)}, is still {days} days away")
    assert f"Mark the {active} active pairs of" in question
    set_today(evaluation)
    assert complete_scheme(window.ctx, window, ask=lambda _p, text, early: asked.append((text, early)) or True)
    assert asked[0][1] is False and asked[0][0].startswith(f"Mark the {active} active pairs")
    with running_db.session() as s:
        assert s.scalars(select(Match.ended_on).where(Match.status == "completed")).all() == [evaluation] * active
        assert not s.scalars(select(Match.id).where(Match.status == "active")).all()
    window.ctx.undo_stack.undo()
    with running_db.session() as s:
        assert len(s.scalars(select(Match.id).where(Match.status == "active")).all()) == active


def test_end_a_pair_early_then_propose_a_new_mentor_for_that_mentee_only(make_window, running_db, qtbot):
    window = make_window(running_db)
    page = window.current_page()
    assert page.name == "dashboard"
    pair, _flag = page.risk_model.rows[0]
    page.risk_view.selectRow(0)
    page.end_selected_pair()
    dialog = modal(EndDialog)
    assert not dialog.ok.isEnabled()  # the reason is required
    qtbot.keyClicks(dialog.reason.lineEdit(), "Mentor moved abroad")
    dialog.ended_by.setCurrentIndex(dialog.ended_by.findData("mentor"))
    assert dialog.rematch.isChecked()
    before = statuses(running_db)
    dialog.ok.click()
    with running_db.session() as s:
        ended = s.get(Match, pair.match_id)
        assert (ended.status, ended.end_reason, ended.ended_by, ended.ended_on) == (
            "ended_early",
            "Mentor moved abroad",
            "mentor",
            page.board.today,
        )
        assert s.scalar(select(ExcludedPair.id).where(ExcludedPair.reason.contains("Mentor moved abroad")))
    offer = modal(RematchDialog)
    qtbot.waitUntil(lambda: offer.propose.isEnabled() or "No mentor" in offer.text.text(), timeout=15000)
    assert offer.suggestion is not None, offer.text.text()
    assert offer.suggestion.mentee.id == pair.mentee.id and offer.suggestion.mentor.id != pair.mentor.id
    assert f"the suggested mentor is <b>{offer.suggestion.mentor.full_name}" in offer.text.text()
    offer.propose.click()
    with running_db.session() as s:
        new = s.scalars(select(Match).where(Match.mentee_id == pair.mentee.id, Match.status == "proposed")).all()
        assert [m.mentor_id for m in new] == [offer.suggestion.mentor.id]
    assert len(statuses(running_db)) == len(before) + 1  # other pairs untouched, one new
    window.ctx.undo_stack.undo()  # the proposal
    window.ctx.undo_stack.undo()  # the end
    assert statuses(running_db) == before
