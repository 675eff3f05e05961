"""Date fields: typed in the usual ways, or picked from a calendar, everywhere in the application."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCalendarWidget

from mentorapp.people.cohorts import CohortData
from mentorapp_ui.people.cohort_dialog import CohortDialog


@pytest.fixture
def cohort_dialog(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    dialog = CohortDialog(window.ctx, CohortData(name="Cohort 2022", start_date=dt.date(2022, 3, 14)), window)
    qtbot.add_widget(dialog)
    with qtbot.wait_exposed(dialog):
        dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    return dialog


def type_date(qtbot, field, text: str) -> None:
    """Click into the field, select its text (Ctrl+A), type, and Tab away, as a person does."""
    pos = QPoint(12, field.height() // 2)
    target = field.childAt(pos) or field  # where the window sends a click at that point
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton, pos=target.mapFrom(field, pos))
    typing = QApplication.focusWidget()
    assert typing is field or field.isAncestorOf(typing)
    qtbot.keyClick(typing, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(typing, text)
    qtbot.keyClick(typing, Qt.Key.Key_Tab)


@pytest.mark.parametrize(
    "typed",
    [
        "1 September 2021",
        "1 Sep 2021",
        "01/09/2021",
        "1.9.2021",
        "2021-09-01",
        "September 1, 2021",
        "1st September 2021",
    ],
)
def test_a_typed_date_is_the_date_typed(qtbot, cohort_dialog, typed):
    type_date(qtbot, cohort_dialog.start, typed)
    assert cohort_dialog.current_data().start_date == dt.date(2021, 9, 1)
    # The evaluation date follows the start, as before.
    assert cohort_dialog.current_data().evaluation_date == dt.date(2022, 3, 1)


def test_a_date_that_cannot_be_read_keeps_the_last_one_and_says_why(qtbot, cohort_dialog):
    type_date(qtbot, cohort_dialog.start, "the first of Smarch")
    assert cohort_dialog.current_data().start_date == dt.date(2022, 3, 14)
    assert "not a date" in cohort_dialog.start.toolTip()
    type_date(qtbot, cohort_dialog.start, "2 October 2021")
    assert cohort_dialog.current_data().start_date == dt.date(2021, 10, 2)
    assert "not a date" not in cohort_dialog.start.toolTip()


def test_a_year_out_of_range_keeps_the_last_date_and_says_the_range(qtbot, cohort_dialog):
    for typed in ("25 December 9999", "1 January 0001", "31/12/1989"):
        type_date(qtbot, cohort_dialog.start, "2 October 2021")
        type_date(qtbot, cohort_dialog.start, typed)
        assert cohort_dialog.current_data().start_date == dt.date(2021, 10, 2)
        assert "not between 1990-01-01 and 2100-12-31" in cohort_dialog.start.toolTip()


@pytest.mark.qt_log_ignore("This plugin does not support raise", "This plugin does not support grabbing the keyboard")
def test_the_calendar_button_picks_a_day(qtbot, cohort_dialog):
    field = cohort_dialog.evaluation
    before = cohort_dialog.current_data().evaluation_date
    qtbot.mouseClick(field.calendar_button, Qt.MouseButton.LeftButton)
    calendar = field.findChild(QCalendarWidget)
    qtbot.waitUntil(calendar.isVisible)
    assert calendar.selectedDate().toPython() == before
    view = QApplication.focusWidget()
    assert calendar.isAncestorOf(view)
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the next day
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not calendar.isVisible())
    assert cohort_dialog.current_data().evaluation_date == before + dt.timedelta(days=1)


def test_every_date_field_is_the_one_date_widget():
    ui = Path(__file__).resolve().parents[2] / "ui"
    offenders = [
        str(path.relative_to(ui))
        for path in ui.rglob("*.py")
        if "QDateEdit" in path.read_text(encoding="utf-8") and path.parts[-2] != "importing"
    ]
    assert offenders == []
