"""Main window: menus, cohorts, settings, welcome, screenshot mode."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from mentorapp.people.cohorts import list_cohorts
from mentorapp.store.db import open_database
from mentorapp_ui.app import launch as app_main
from mentorapp_ui.people.cohort_dialog import CohortDialog

ROOT = Path(__file__).resolve().parents[2]


def test_menus_and_standard_shortcuts(make_window, demo_db):
    window = make_window(demo_db)
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles[0] == "File" and titles[-1] == "Help" and "Edit" in titles
    file_actions = {a.text().replace("&", ""): a.shortcut().toString() for a in window.menu("File").actions()}
    assert file_actions["New cohort…"] == "Ctrl+N"
    assert file_actions["Open database…"] == "Ctrl+O"
    assert file_actions["Quit"] == "Ctrl+Q"
    edit = {a.text().replace("&", ""): a.shortcut().toString() for a in window.menu("Edit").actions()}
    assert edit["Undo"] == "Ctrl+Z"
    for menu in window.menuBar().actions():
        assert menu.menu().actions(), f"menu {menu.text()} is empty"


def test_no_two_window_wide_shortcuts_share_a_key(make_window, demo_db):
    """An ambiguous shortcut fires neither action, so every window-wide key has one action."""
    window = make_window(demo_db)
    owners: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        if action.shortcutContext() in (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut):
            for key in action.shortcuts():
                owners.setdefault(key.toString(), []).append(action.text())
    assert owners["Ctrl+Shift+E"] == ["&Edit cohort…"]
    assert {key: names for key, names in owners.items() if len(names) > 1} == {}


def test_new_cohort_dialog_validates_and_undo_removes(qtbot, make_window, demo_db):
    window = make_window(demo_db)

    def fill():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CohortDialog)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, qtbot_left())
        assert dialog.isVisible() and dialog.name_error.text() == "A cohort needs a name."
        qtbot.keyClicks(dialog.name, "future leaders PILOT")  # clashes, case-insensitively
        assert "already a cohort" in dialog.name_error.text()
        dialog.name.clear()
        qtbot.keyClicks(dialog.name, "Cohort 2022")
        assert not dialog.name_error.isVisible()
        qtbot.mouseClick(ok, qtbot_left())

    QTimer.singleShot(0, fill)
    window.new_cohort_action.trigger()
    assert window.cohort_combo.currentText() == "Cohort 2022"
    with demo_db.session() as s:
        assert {c.name for c in list_cohorts(s)} == {"Future Leaders pilot", "Cohort 2022"}
    window.ctx.undo_stack.undo()
    window.reload_cohorts()
    with demo_db.session() as s:
        assert [c.name for c in list_cohorts(s)] == ["Future Leaders pilot"]


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton


def test_window_state_and_page_are_remembered(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    window.splitter.setSizes([205, 700])
    nav_width = window.splitter.sizes()[0]
    window.nav.setCurrentRow(4)
    assert window.current_page().name == "evaluation"
    window.close()
    assert QSettings().value("mainWindow/geometry") is not None
    again = make_window(demo_db)
    assert again.splitter.sizes()[0] == nav_width
    assert again.current_page().name == "evaluation" and again.nav.currentRow() == 4


def test_welcome_offers_demo_on_empty_database(qtbot, make_window, db):
    window = make_window(db)

    def choose_demo():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        demo = next(b for b in box.buttons() if b.text() == "Explore with the demo cohort")
        demo.click()

    QTimer.singleShot(0, choose_demo)
    app_main.offer_first_cohort(window)
    assert window.cohort_combo.currentText() == "Future Leaders pilot"
    assert window.current_page().model.rowCount() == 40


def test_screenshot_mode_writes_png(tmp_path, demo_db):
    out = tmp_path / "shot.png"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "--db",
            str(demo_db.path),
            "--screenshot",
            str(out),
            "--page",
            "participants",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert image.width() >= 1000 and image.height() >= 600
    bad = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(demo_db.path), "--screenshot", str(out), "--page", "nope"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert bad.returncode == 2 and "no page called 'nope'" in bad.stderr


def test_switch_database(make_window, demo_db, tmp_path):
    """After File > Open database the window shows the other file, and what is added goes into it."""
    import datetime as dt

    from sqlalchemy import select

    from mentorapp.people.cohorts import CohortData, create_cohort
    from mentorapp.people.participants import ExpertiseData, ParticipantData
    from mentorapp.store.models import Participant

    other = tmp_path / "other.db"
    second = open_database(other)
    with second.transaction() as s:
        create_cohort(s, CohortData(name="Second scheme", start_date=dt.date(2026, 9, 1)))
    second.dispose()
    window = make_window(demo_db)
    assert window.switch_database(str(other))
    assert [window.cohort_combo.itemText(i) for i in range(window.cohort_combo.count())] == ["Second scheme"]
    assert str(other) in window.db_label.text()
    window.show_page("participants")
    page = window.current_page()
    assert page.model.rowCount() == 0  # none of the demo cohort's 40 people
    person = ParticipantData(
        first_name="Ana",
        last_name="Lima",
        email="ana@example.org",
        role="mentor",
        expertise=[ExpertiseData("Leadership", 5)],
    )
    assert page.save_new(person)
    emails = select(Participant.email).where(Participant.email == "ana@example.org")
    check = open_database(other)
    try:
        with check.session() as s:
            assert s.scalars(emails).all() == ["ana@example.org"]
    finally:
        check.dispose()
    with demo_db.session() as s:
        assert s.scalars(emails).all() == []


def test_status_bar_says_what_undo_and_redo_did(make_window, demo_db):
    from mentorapp.people.participants import ExpertiseData, ParticipantData

    window = make_window(demo_db)
    page = window.current_page()
    person = ParticipantData(
        first_name="Ana",
        last_name="Lima",
        email="ana@example.org",
        role="mentor",
        expertise=[ExpertiseData("Leadership", 5)],
    )
    assert page.save_new(person)
    window.ctx.undo_stack.undo()
    assert window.statusBar().currentMessage().startswith("Undone: Add Ana Lima.")
    window.ctx.undo_stack.redo()
    assert window.statusBar().currentMessage() == "Redone: Add Ana Lima."
