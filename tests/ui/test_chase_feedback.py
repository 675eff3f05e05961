"""The chase dialog says in itself what its last step did, and its list shows who was chased when.

Before, "Write drafts to a folder…" and "Mark as chased" told only the main window's status bar,
hidden behind the dialog, and the "Last chased" column sat off-screen at the end of the list.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QPushButton

from mentorapp.dates import long_date, short_date
from mentorapp.demo.cohort import create_demo
from mentorapp.demo.running import demo_today, fill_demo_running
from mentorapp.store.models import Cohort
from mentorapp_ui.running.chase_dialog import COLUMNS, ChaseDialog
from mentorapp_ui.running.day import set_today


@pytest.fixture
def running_db(db):
    with db.transaction() as s:
        result = create_demo(s)
        fill_demo_running(s, result.cohort_id)
        set_today(demo_today(s.get(Cohort, result.cohort_id)))
    yield db
    set_today(None)


def _cell(dialog: ChaseDialog, row: int, column: str) -> str:
    return dialog.model.index(row, COLUMNS.index(column)).data()


def test_writing_and_marking_are_confirmed_in_the_dialog_and_the_list_shows_the_day(
    make_window, running_db, qtbot, tmp_path
):
    window = make_window(running_db)
    window.resize(1280, 800)
    page = window.current_page()
    page.findChild(QPushButton, "chase_check-in").click()
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ChaseDialog)
    qtbot.waitExposed(dialog)
    n = len(dialog.model.items)
    assert n > 1 and not dialog.outcome.isVisible()

    # "Last chased" is in sight in the list, without scrolling it sideways.
    view, header = dialog.table, dialog.table.horizontalHeader()
    last = COLUMNS.index("Last chased")
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= view.viewport().width()
    assert _cell(dialog, 0, "Last chased") == "not yet"

    folder = tmp_path / "drafts"
    dialog.ask_folder = lambda: str(folder)
    dialog.write_button.click()
    qtbot.waitUntil(lambda: dialog.outcome.isVisible(), timeout=10_000)
    assert f"Wrote {n} e-mail drafts to {folder}" in dialog.outcome.text()
    assert len(list(folder.glob("*.eml"))) == n

    dialog.mark_button.click()
    day = page.board.today
    assert dialog.outcome.isVisible()
    assert f"Marked {n} people as chased on {long_date(day)}" in dialog.outcome.text()
    assert {_cell(dialog, row, "Last chased") for row in range(n)} == {short_date(day)}
    assert header.sectionViewportPosition(last) + header.sectionSize(last) <= view.viewport().width()
    dialog.grab().save(str(tmp_path / "chase.png"))

    # Another list: the message was about the last one, so it goes.
    dialog.topic.setCurrentIndex(dialog.topic.findData("first-meeting"))
    assert not dialog.outcome.isVisible()
    dialog.reject()
