"""The database opened last is the one the window reopens; what was exported from another goes with it
(issue 21, defect 10)."""

from __future__ import annotations

import argparse
import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.store import recent
from mentorapp.store.db import open_database
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.launch import open_database_in
from mentorapp_ui.app.main_window import MainWindow
from tests.support.outputs_data import add_matches
from tests.ui.test_outputs_page import save_as, wait_done


def other_database(path):
    second = open_database(path)
    with second.transaction() as s:
        create_cohort(s, CohortData(name="Second scheme", start_date=dt.date(2026, 9, 1)))
    second.dispose()


def test_open_database_is_reopened_after_a_restart_and_its_exports_are_not_shown_for_another(
    make_window, demo_db, demo_cohort_id, qtbot, monkeypatch, tmp_path
):
    add_matches(demo_db, demo_cohort_id)
    other = tmp_path / "other.db"
    other_database(other)
    window = make_window(demo_db)

    # An export from the first database: the page says where it went.
    assert window.show_page("outputs")
    outputs = window.current_page()
    save_as(monkeypatch, tmp_path / "roster.xlsx")
    qtbot.mouseClick(outputs.roster_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, outputs)
    assert "roster.xlsx" in outputs.last_label.text() and outputs.open_button.isEnabled()

    # File > Open database (Ctrl+O) the other one.
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(other), ""))
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.ctx.db.path == other)
    assert window.cohort_combo.currentText() == "Second scheme"
    assert "roster.xlsx" not in outputs.last_label.text() and not outputs.open_button.isEnabled()
    window.close()  # and quit, as launch.main ends
    window.ctx.db.dispose()
    window.data_safety.release_lock()

    # A restart without --db and without MENTORAPP_DB reopens the other database, not the default.
    monkeypatch.delenv("MENTORAPP_DB")
    again = MainWindow(AppContext())
    qtbot.add_widget(again)
    again.show()
    assert open_database_in(again, argparse.Namespace(db=None, startup_report=False))
    assert again.ctx.db.path == other
    assert again.cohort_combo.currentText() == "Second scheme"
    assert str(other) in again.db_label.text()
    assert recent.last_used() == str(other)
