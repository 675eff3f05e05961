"""File > Open shared database…: typed details make the URL, a refused server says so in a sentence."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton
from sqlalchemy.engine import make_url

from mentorapp.store import recent
from mentorapp_ui.app import data_safety
from mentorapp_ui.app.shared_database import SharedDatabaseDialog
from tests.ui.test_file_dialogs import click_menu_item

MENU_ITEM = "Open &shared database…"


def fill_in(qtbot, dialog: SharedDatabaseDialog, host: str, port: str, database: str, user: str, password: str):
    """Type the details as a person does: into the first field, Tab to each next one, Enter to open."""
    qtbot.keyClicks(dialog.host, host)
    qtbot.keyClick(dialog.host, Qt.Key.Key_Tab)
    assert dialog.port.hasFocus()
    qtbot.keyClick(dialog.port, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(dialog.port, port)
    for field, text in ((dialog.database, database), (dialog.user, user), (dialog.password, password)):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert field.hasFocus()
        qtbot.keyClicks(field, text)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)


def when_dialog_shows(then) -> None:
    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SharedDatabaseDialog):
            QTimer.singleShot(20, look)
            return
        try:
            then(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(20, look)


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_typed_details_open_the_quoted_url_and_the_password_is_not_kept(qtbot, make_window, db, monkeypatch, tmp_path):
    window = make_window(db)
    opened: list[str] = []
    monkeypatch.setattr(window, "switch_database", lambda url: opened.append(url) or True)
    seen: list[SharedDatabaseDialog] = []

    def type_details(dialog: SharedDatabaseDialog) -> None:
        seen.append(dialog)
        assert dialog.port.value() == 5432
        assert dialog.password.echoMode() == QLineEdit.EchoMode.Password
        open_button = dialog.buttons.findChildren(QPushButton)[0]
        assert not open_button.isEnabled()  # nothing typed yet
        fill_in(qtbot, dialog, "db.example.org", "5433", "mentoring 2021", "ana lima", "p@ss:w/rd")

    when_dialog_shows(type_details)
    click_menu_item(qtbot, window, "File", MENU_ITEM)
    qtbot.waitUntil(lambda: bool(opened))
    url = "postgresql+psycopg://ana%20lima:p%40ss%3Aw%2Frd@db.example.org:5433/mentoring%202021"
    assert opened == [url]
    assert make_url(url).password == "p@ss:w/rd"

    # The record of the database used last keeps the server and the account, never the password.
    recent.remember(url)
    kept = json.loads(recent.recent_file().read_text(encoding="utf-8"))["database"]
    parts = make_url(kept)
    assert (parts.username, parts.password, parts.host, parts.port) == ("ana lima", None, "db.example.org", 5433)
    assert parts.database == "mentoring 2021"
    assert "p%40ss" not in recent.recent_file().read_text(encoding="utf-8")


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_a_refused_connection_says_so_in_a_sentence_and_keeps_the_details(qtbot, make_window, db, monkeypatch):
    window = make_window(db)
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(
        data_safety.QMessageBox, "critical", lambda _parent, title, text, *a, **k: said.append((title, text))
    )
    tries: list[str] = []

    def after_refusal() -> None:
        dialog = QApplication.activeModalWidget()
        if not said or not isinstance(dialog, SharedDatabaseDialog):
            QTimer.singleShot(20, after_refusal)
            return
        tries.append(dialog.host.text())  # shown again, the details kept for another try
        dialog.reject()

    def type_details(dialog: SharedDatabaseDialog) -> None:
        tries.append(dialog.host.text())
        QTimer.singleShot(20, after_refusal)
        fill_in(qtbot, dialog, "127.0.0.1", "1", "mentoring", "ana", "secret")  # nothing listens on port 1

    when_dialog_shows(type_details)
    click_menu_item(qtbot, window, "File", MENU_ITEM)
    qtbot.waitUntil(lambda: len(tries) == 2, timeout=20_000)
    assert tries == ["", "127.0.0.1"]
    ((title, text),) = said
    assert title == "Cannot open the database"
    assert "cannot be opened" in text and "Connection refused" in text
    assert "Traceback" not in text and "secret" not in text and text.count("\n") == 0
    assert window.ctx.db is db  # still the database it had
