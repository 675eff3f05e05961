"""The running scheme on screen: the dashboard on `demo --running`'s data, its figures, the meeting log.

The demo scheme is seen on day 80 (its third month): two pairs have not met, one has gone
quiet, one mentee rated the pair 2 and asked for contact, one pair ended early.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mentorapp.demo.cohort import create_demo
from mentorapp.demo.running import demo_today, fill_demo_running
from mentorapp.running.meetings import list_meetings
from mentorapp.store.models import Cohort
from mentorapp_ui.running.day import set_today
from mentorapp_ui.running.meeting_dialog import PairDialog
from mentorapp_ui.running.people_list import PeopleDialog


@pytest.fixture
def running_db(db):
    with db.transaction() as s:
        result = create_demo(s, name="Autumn scheme 2021", mentees=12, mentors=9, seed=7)
        fill_demo_running(s, result.cohort_id, seed=7)
        set_today(demo_today(s.get(Cohort, result.cohort_id)))
    yield db
    set_today(None)


@pytest.fixture
def dashboard(make_window, running_db):
    window = make_window(running_db)
    page = window.current_page()
    return window, page


def modal(kind):
    widget = QApplication.activeModalWidget()
    assert isinstance(widget, kind), widget
    return widget


def test_the_window_opens_on_the_dashboard_once_the_scheme_has_started(dashboard):
    window, page = dashboard
    assert page.name == "dashboard" and window.nav.currentItem().text() == "Dashboard"
    b = page.board
    assert page.tiles["applied"].text() == f"{b.pipeline['applied']}\nApplied" == "12\nApplied"
    assert page.tiles["ended_early"].text() == "1\nEnded early"
    assert page.tiles["first_meeting_held"].text() == f"{b.pipeline['first_meeting_held']}\nFirst meeting held"
    # Each pair at risk with each flag, its reason and the day it became true.
    rows = [(p.mentee.name, f.text, f.since) for p, f in page.risk_model.rows]
    assert rows and len({r[0] for r in rows}) == len(b.at_risk)
    assert any("No first meeting" in text for _n, text, _s in rows)
    assert page.risk_model.index(0, 3).data() and "since" not in page.risk_model.index(0, 3).data()
    assert "Evaluation:" in page.dates.text() and "Next check-in" in page.dates.text()
    assert page.charts.count() == 1 and page.answer_chart.count() == 1  # both charts are there


def test_a_figure_clicked_lists_the_people_behind_it(dashboard, qtbot):
    _window, page = dashboard
    expected = page.board.pipeline["first_meeting_held"]
    qtbot.mouseClick(page.tiles["first_meeting_held"], Qt.MouseButton.LeftButton)
    dialog = modal(PeopleDialog)
    assert dialog.model.rowCount() == expected
    assert dialog.view.model().rowCount() == expected
    assert all(r.status in ("active", "completed", "ended_early") for r in dialog.model.rows)
    dialog.copy_button.click()
    assert QApplication.clipboard().text().count("@") == len({r.person.email for r in dialog.model.rows})
    dialog.reject()
    qtbot.mouseClick(page.tiles["at_risk"], Qt.MouseButton.LeftButton)
    at_risk = modal(PeopleDialog)
    assert {r.person.name for r in at_risk.model.rows} == {p.mentee.name for p in page.board.at_risk}
    at_risk.reject()


def test_a_meeting_typed_in_with_the_keyboard_is_logged_and_undone(dashboard, qtbot):
    window, page = dashboard
    row = next(n for n, (_p, f) in enumerate(page.risk_model.rows) if f.rule == "no_first_meeting")
    pair = page.risk_model.rows[row][0]
    page.risk_view.selectRow(row)
    page.risk_view.setFocus()
    at_risk_before = len(page.board.at_risk)
    held_before = page.board.pipeline["first_meeting_held"]
    qtbot.keyClick(page.risk_view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    dialog = modal(PairDialog)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.date_field.edit)  # the date field comes first
    day = page.board.today.replace(day=1) if page.board.today.day > 1 else page.board.today
    qtbot.keyClick(dialog.date_field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.date_field.edit, day.isoformat())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.minutes
    qtbot.keyClicks(dialog.minutes, "45")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.mode
    qtbot.keyClicks(dialog.mode, "V")  # Video
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.note
    qtbot.keyClicks(dialog.note, "Met over coffee at the regional meeting")
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    with page.ctx.db.session() as s:
        logged = list_meetings(s, page.ctx.cohort_id, pair.match_id)
    assert [(m.held_on, m.minutes, m.mode, m.reported_by, m.note) for m in logged] == [
        (day, 45, "video", "coordinator", "Met over coffee at the regional meeting")
    ]
    assert dialog.model.rowCount() == 1 and "1 meeting logged" in dialog.summary.text()
    assert dialog.isVisible() and dialog.note.text() == ""  # ready for the next one
    assert page.board.pipeline["first_meeting_held"] == held_before + 1
    assert len(page.board.at_risk) == at_risk_before - 1  # no first meeting any more
    # A date the pair cannot have met on is refused with a sentence, and nothing is written.
    qtbot.keyClick(dialog.date_field.edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.date_field.edit, page.board.today.replace(year=page.board.today.year + 1).isoformat())
    qtbot.keyClick(dialog.date_field.edit, Qt.Key.Key_Return)
    assert "in the future" in dialog.error.text() and dialog.model.rowCount() == 1
    # Undo (Ctrl+Z in the dialog, outside a text field: the window's undo stack) takes the meeting back.
    assert dialog.undo_button.text().startswith("&Undo: Log a meeting of")
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert dialog.model.rowCount() == 0
    with page.ctx.db.session() as s:
        assert list_meetings(s, page.ctx.cohort_id, pair.match_id) == []
    assert window.ctx.undo_stack.canRedo()
    dialog.reject()
    page.refresh()
    assert len(page.board.at_risk) == at_risk_before


def test_after_the_evaluation_date_the_dashboard_says_to_complete_the_scheme(dashboard, running_db):
    import datetime as dt

    from mentorapp_ui.running.lifecycle import complete_scheme

    window, page = dashboard
    assert page.notice.isHidden()  # day 80: nothing to do but run it
    with running_db.session() as s:
        evaluation = s.get(Cohort, window.ctx.cohort_id).evaluation_date
    set_today(evaluation + dt.timedelta(days=1))
    page.refresh()
    active = page.board.pipeline["active"]
    assert active > 0 and not page.notice.isHidden()
    assert f"{evaluation.day} {evaluation:%B} {evaluation.year}, has passed and {active} pairs are still active" in (
        page.notice.text()
    )
    assert "Complete the scheme" in page.notice.text()
    assert complete_scheme(window.ctx, window, ask=lambda *_a: True)
    page.refresh()
    assert page.board.pipeline["active"] == 0 and page.notice.isHidden()


def test_the_people_behind_a_figure_show_dates_as_read_and_sort_them_as_dates(qtbot):
    import datetime as dt

    from mentorapp.running.dashboard import FigureRow
    from mentorapp.running.people import PersonRef

    def row(name: str, started: dt.date) -> FigureRow:
        return FigureRow(PersonRef(len(name), name, f"{name}@x.example", "mentee"), None, 1, "active", started, None)

    dialog = PeopleDialog("Started", "", [row("Ann", dt.date(2024, 10, 3)), row("Bo", dt.date(2024, 9, 30))])
    qtbot.add_widget(dialog)
    view = dialog.view
    view.sortByColumn(5, Qt.SortOrder.AscendingOrder)
    shown = [(view.model().index(r, 0).data(), view.model().index(r, 5).data()) for r in range(2)]
    assert shown == [("Bo", "30 Sep 2024"), ("Ann", "03 Oct 2024")]  # "03 Oct" would sort first as text
