"""File > Open database… opens, in the current database's folder, and shows .sqlite files; New database… creates.

It was one save dialog titled "Open or create a database" with a "Save" button, starting in the home
folder, whose "*.db" filter hid the .sqlite file open at that moment.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QFileDialog, QLineEdit

from mentorapp.store.db import open_database


def answer_file_dialog(qtbot, seen: dict, choose: Path) -> None:
    """Once the file dialog shows, note what it offers, then choose ``choose`` with its own button."""

    def answer() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog) and w.isVisible()]
        dialog = shown[0] if shown else None
        if dialog is None:
            QTimer.singleShot(20, answer)
            return
        seen.update(
            title=dialog.windowTitle(),
            folder=Path(dialog.directory().absolutePath()),
            filters=dialog.nameFilters(),
            selected_filter=dialog.selectedNameFilter(),
            mode=dialog.acceptMode(),
            button=dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Open)
            or dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save),
        )
        seen["button_text"] = seen["button"].text()
        name = dialog.findChild(QLineEdit, "fileNameEdit")
        name.setText(str(choose))  # typed, as a person would, then the dialog's own button
        qtbot.mouseClick(seen["button"], Qt.MouseButton.LeftButton)

    QTimer.singleShot(20, answer)


@pytest.fixture(autouse=True)
def _qt_dialogs(monkeypatch):
    # Qt's own dialog, as on a Linux desktop without a platform file dialog: one the test can read.
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, True)
    yield
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs, False)


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_open_database_starts_beside_the_open_one_and_shows_sqlite_files(make_window, tmp_path, qtbot):
    folder = tmp_path / "scheme"
    folder.mkdir()
    current, other = folder / "pilot.sqlite", folder / "autumn.sqlite3"
    open_database(other).dispose()
    window = make_window(open_database(current))
    seen: dict = {}
    answer_file_dialog(qtbot, seen, other)
    window.ctx.actions.action("file.open_database").trigger()
    qtbot.waitUntil(lambda: window.ctx.db.path == other, timeout=10_000)
    assert seen["title"] == "Open a database"
    assert seen["mode"] == QFileDialog.AcceptMode.AcceptOpen and "Save" not in seen["button_text"]
    assert seen["folder"] == folder  # not the home folder
    assert "*.sqlite" in seen["selected_filter"] and "*.sqlite3" in seen["selected_filter"]
    assert "*.db" in seen["selected_filter"] and any("All files" in f for f in seen["filters"])
    window.data_safety.release_lock()


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_new_database_creates_an_empty_one_and_opens_it(make_window, demo_db, tmp_path, qtbot):
    window = make_window(demo_db)
    target = tmp_path / "new scheme"  # no suffix: ".db" is added
    seen: dict = {}
    answer_file_dialog(qtbot, seen, target)
    window.ctx.actions.action("file.new_database").trigger()
    qtbot.waitUntil(lambda: window.ctx.db.path == tmp_path / "new scheme.db", timeout=10_000)
    assert seen["title"] == "Create a new database" and seen["mode"] == QFileDialog.AcceptMode.AcceptSave
    assert (tmp_path / "new scheme.db").exists() and window.ctx.cohort_id is None
    window.data_safety.release_lock()
