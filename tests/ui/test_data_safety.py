"""Data safety in the window: activity log, back up now, restore, erase, read-only and start-up checks."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox
from sqlalchemy import func, select

from mentorapp.demo.cohort import create_demo
from mentorapp.store import audit, backup, locking
from mentorapp.store.db import open_database
from mentorapp.store.models import Participant
from mentorapp_ui.app import data_safety
from mentorapp_ui.app.activity_log import ACTION, ActivityLogDialog, LogFilterProxy, LogTableModel
from mentorapp_ui.app.context import AppContext


def _click_role(role: QMessageBox.ButtonRole):
    """Replace QMessageBox.exec: press the first button with ``role``, as the coordinator would."""

    def fake_exec(box: QMessageBox) -> int:
        for button in box.buttons():
            if box.buttonRole(button) == role:
                button.click()
                return 0
        raise AssertionError(f"no {role} button in {[b.text() for b in box.buttons()]}")

    return fake_exec


def _people(db) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Participant))


def test_log_models_pass_the_model_tester(qtmodeltester, demo_db):
    model = LogTableModel()
    with demo_db.session() as s:
        model.set_entries(audit.query(s))
    qtmodeltester.check(model)
    proxy = LogFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_filters(action="demo")
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 1


def test_activity_log_dialog_filters(qtbot, demo_db):
    with demo_db.transaction() as s:
        audit.record(s, "match proposed", "Ann Lee (#1) with Bo Chan (#30)", entity_type="match")
        audit.record(s, "match removed", "Ann Lee (#1) with Bo Chan (#30)", entity_type="match")
    ctx = AppContext(demo_db)
    dialog = ActivityLogDialog(ctx)
    qtbot.add_widget(dialog)
    dialog.show()
    total = dialog.model.rowCount()
    assert total == 4 and dialog.proxy.rowCount() == total
    dialog.action.setCurrentIndex(dialog.action.findData("match removed"))
    assert dialog.proxy.rowCount() == 1
    assert dialog.proxy.index(0, ACTION).data() == "match removed"
    assert dialog.count.text() == "1 of 4 entries"
    dialog.action.setCurrentIndex(0)
    qtbot.keyClicks(dialog.search, "bo chan")
    assert dialog.proxy.rowCount() == 2
    dialog.search.clear()
    dialog.use_since.setChecked(True)
    dialog.since.setDate(dt.date.today() + dt.timedelta(days=1))
    assert dialog.proxy.rowCount() == 0
    dialog.use_since.setChecked(False)
    dialog.cohort.setCurrentIndex(1)
    assert dialog.proxy.rowCount() == 2  # the cohort's own events


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the offscreen platform's limit
def test_tools_menu_opens_the_activity_log(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    actions = {a.text(): a for a in window.menu("Tools").actions()}
    actions["&Activity log…"].trigger()
    dialog = window.data_safety.log_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.model.rowCount() >= 2
    dialog.close()


def test_back_up_now_and_restore_through_the_menu(qtbot, make_window, demo_db, monkeypatch):
    window = make_window(demo_db)
    file_actions = {a.text(): a for a in window.menu("File").actions()}
    file_actions["&Back up now"].trigger()
    (made,) = backup.list_backups(demo_db.path)
    assert made.kind == "manual"
    with window.ctx.db.transaction() as s:
        s.query(Participant).delete()
    assert _people(window.ctx.db) == 0

    def choose_newest(dialog: data_safety.RestoreDialog) -> int:
        assert dialog.list.count() == 1 and dialog.restore.isEnabled()
        dialog._accept_selected()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(data_safety.RestoreDialog, "exec", choose_newest)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    file_actions["&Restore from backup…"].trigger()
    assert _people(window.ctx.db) == 40
    assert "Restored from" in window.statusBar().currentMessage()
    kinds = sorted(b.kind for b in backup.list_backups(demo_db.path))
    assert kinds == ["manual", "pre-restore"]


def test_restore_refuses_a_file_that_is_not_a_backup(qtbot, make_window, demo_db, monkeypatch, tmp_path):
    window = make_window(demo_db)
    bad = tmp_path / "letter.db"
    bad.write_text("not a database")
    warnings = []

    def choose_bad(dialog: data_safety.RestoreDialog) -> int:
        dialog.chosen = bad
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(data_safety.RestoreDialog, "exec", choose_bad)
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text, *a: warnings.append(text))
    window.data_safety.restore_from_backup()
    assert warnings == ["letter.db is not a mentorapp database: it is not a database file at all."]
    assert _people(window.ctx.db) == 40


def test_restore_dialog_lists_backups_newest_first(qtbot, demo_db):
    backup.create_backup(demo_db.path, kind="daily", now=dt.datetime(2026, 3, 1, 9, 0), record=False)
    backup.create_backup(demo_db.path, kind="manual", now=dt.datetime(2026, 3, 2, 9, 30), record=False)
    dialog = data_safety.RestoreDialog(demo_db.path)
    qtbot.add_widget(dialog)
    labels = [dialog.list.item(i).text() for i in range(dialog.list.count())]
    assert labels == ["02 Mar 2026 09:30 (manual)", "01 Mar 2026 09:00 (daily)"]
    dialog.list.setCurrentRow(1)
    qtbot.mouseClick(dialog.restore, Qt.MouseButton.LeftButton)
    assert dialog.chosen.name.endswith("-daily.db")


def test_erase_selected_participant_after_confirmation(qtbot, make_window, demo_db, monkeypatch):
    window = make_window(demo_db)
    from mentorapp.people.participants import get_participant

    with demo_db.session() as s:
        chosen = get_participant(s, 5)
    monkeypatch.setattr(window.data_safety, "_selected_participant", lambda: chosen)
    monkeypatch.setattr(QMessageBox, "exec", _click_role(QMessageBox.ButtonRole.RejectRole))
    window.data_safety.erase_participant()
    assert _people(demo_db) == 40
    monkeypatch.setattr(QMessageBox, "exec", _click_role(QMessageBox.ButtonRole.DestructiveRole))
    window.data_safety.erase_participant()
    assert _people(demo_db) == 39
    assert window.ctx.undo_stack.count() == 0
    with demo_db.session() as s:
        assert audit.query(s, limit=1)[0].action == "participant erased"


def test_read_only_window_shows_the_banner_and_disables_changes(qtbot, make_window, demo_db, monkeypatch):
    path = demo_db.path
    demo_db.dispose()
    ro = locking.open_read_only(path)
    from mentorapp_ui.app.main_window import MainWindow

    ctx = AppContext(ro)
    ctx.read_only = True
    window = MainWindow(ctx)
    qtbot.add_widget(window)
    window.show()
    safety = window.data_safety
    assert safety.banner.isVisible()
    assert "Read-only" in safety.banner_label.text()
    assert not safety.restore_action.isEnabled() and not safety.erase_action.isEnabled()
    # A backup is an export of personal data the activity log cannot record here: refused, nothing written.
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, title, text, *a: warnings.append((title, text)))
    safety.back_up_now()
    safety.subject_access()
    assert [title for title, _ in warnings] == ["Backup failed", "Subject access export"]
    assert all("refused because the activity log cannot record it" in text for _, text in warnings)
    assert backup.list_backups(path) == []
    window.close()
    ro.dispose()


def test_start_up_offers_read_only_when_open_elsewhere(qtbot, demo_db, monkeypatch):
    path = demo_db.path
    demo_db.dispose()
    with locking.acquire(path):
        monkeypatch.setattr(QMessageBox, "exec", _click_role(QMessageBox.ButtonRole.AcceptRole))
        opened = data_safety.open_for_gui(str(path))
        assert opened is not None and opened.read_only and opened.lock is None
        opened.database.dispose()
        monkeypatch.setattr(QMessageBox, "exec", _click_role(QMessageBox.ButtonRole.RejectRole))
        assert data_safety.open_for_gui(str(path)) is None


def test_start_up_takes_the_lock_and_the_daily_backup(qtbot, demo_db):
    path = demo_db.path
    demo_db.dispose()
    opened = data_safety.open_for_gui(str(path))
    try:
        assert opened is not None and not opened.read_only
        assert locking.read_lock(path).pid == os.getpid()
        assert [b.kind for b in backup.list_backups(path)] == ["daily"]
    finally:
        opened.lock.release()
        opened.database.dispose()


@pytest.mark.parametrize("choice", ["restore", "quit"])
def test_start_up_with_a_damaged_database_offers_the_newest_backup(qtbot, tmp_path, monkeypatch, choice):
    path = tmp_path / "live.db"
    db = open_database(path)
    with db.transaction() as s:
        create_demo(s)
    backup.create_backup(db)
    db.dispose()
    path.write_bytes(b"PK\x03\x04 this is a zip file, not a database")
    texts = []

    def answer(box: QMessageBox) -> int:
        texts.append(box.text() + " " + box.informativeText())
        role = QMessageBox.ButtonRole.AcceptRole if choice == "restore" else QMessageBox.ButtonRole.RejectRole
        return _click_role(role)(box)

    monkeypatch.setattr(QMessageBox, "exec", answer)
    opened = data_safety.open_for_gui(str(path))
    assert "cannot be used" in texts[0] and "newest backup is from" in texts[0]
    if choice == "quit":
        assert opened is None
        assert path.read_bytes().startswith(b"PK\x03\x04")  # never overwritten
        return
    try:
        assert _people(opened.database) == 40
        damaged = [b for b in backup.list_backups(path) if b.kind == "damaged"]
        assert damaged[0].path.read_bytes().startswith(b"PK\x03\x04")
    finally:
        opened.lock.release()
        opened.database.dispose()


def test_retention_prompt_offers_to_anonymise(qtbot, make_window, db, monkeypatch):
    from mentorapp.people.cohorts import CohortData, create_cohort

    with db.transaction() as s:
        create_cohort(s, CohortData(name="Pilot 2019", start_date=dt.date(2019, 9, 1), status="closed"))
    window = make_window(db)
    shown = []

    def answer(box: QMessageBox) -> int:
        shown.append(box.text())
        return _click_role(QMessageBox.ButtonRole.RejectRole)(box)

    monkeypatch.setattr(QMessageBox, "exec", answer)
    window.data_safety.check_retention()
    assert shown == ["The closed cohort 'Pilot 2019' was evaluated on 01 Mar 2020."]
    window.data_safety.check_retention()  # snoozed: not asked again today
    assert len(shown) == 1


def test_open_database_takes_the_lock_and_offers_read_only(qtbot, make_window, demo_db, tmp_path, monkeypatch):
    window = make_window(demo_db)
    other = tmp_path / "other.db"
    assert window.switch_database(str(other))
    assert window.data_safety.lock.db_path == other and locking.read_lock(other).pid == os.getpid()
    third = tmp_path / "third.db"
    open_database(third).dispose()
    with locking.acquire(third):
        monkeypatch.setattr(QMessageBox, "exec", _click_role(QMessageBox.ButtonRole.AcceptRole))
        assert window.switch_database(str(third))
        assert window.ctx.read_only and window.data_safety.banner.isVisibleTo(window)
        assert window.data_safety.lock is None
    assert not locking.lock_path(other).exists()  # the file left behind is free again
    assert window.switch_database(str(other))
    assert not window.ctx.read_only and not window.data_safety.banner.isVisibleTo(window)
    window.data_safety.release_lock()


def test_subject_access_from_the_tools_menu(qtbot, make_window, demo_db, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog, QInputDialog

    from mentorapp.people.participants import get_participant

    window = make_window(demo_db)
    with demo_db.session() as s:
        person = get_participant(s, 7)
    monkeypatch.setattr(window.data_safety, "_selected_participant", lambda: person)
    asked = {}

    def get_text(_parent, _title, _label, text=""):
        asked["prefilled"] = text
        return text, True

    monkeypatch.setattr(QInputDialog, "getText", get_text)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "sar.pdf"), "PDF (*.pdf)"))
    actions = {a.text(): a for a in window.menu("Tools").actions()}
    actions["&Subject access export…"].trigger()
    assert asked["prefilled"] == person.email
    assert (tmp_path / "sar.pdf").read_bytes().startswith(b"%PDF") and (tmp_path / "sar.json").exists()
    assert "sar.pdf" in window.statusBar().currentMessage()
    with demo_db.session() as s:
        assert audit.query(s, limit=1)[0].action == "personal data exported"


def test_open_activity_log_follows_new_changes_and_keeps_filters(qtbot, demo_db):
    ctx = AppContext(demo_db)
    dialog = ActivityLogDialog(ctx)
    qtbot.add_widget(dialog)
    dialog.show()
    dialog.action.setCurrentIndex(dialog.action.findData("demo created"))
    assert dialog.proxy.rowCount() == 1
    with demo_db.transaction() as s:
        audit.record(s, "demo created", "A second demo")
    ctx.notify_changed()
    assert dialog.action.currentData() == "demo created"
    assert dialog.proxy.rowCount() == 2


def test_an_edit_in_a_read_only_window_is_refused_with_one_sentence(qtbot, demo_db):
    from mentorapp_ui.app.undo import DbCommand, push_command

    path = demo_db.path
    demo_db.dispose()
    ro = locking.open_read_only(path)
    ctx = AppContext(ro)
    ctx.read_only = True
    messages = []
    ctx.status_message.connect(messages.append)

    def rename(s, _cmd):
        s.get(Participant, 1).first_name = "Changed"

    assert not push_command(ctx, DbCommand(ctx, "Rename", rename, lambda s, _cmd: None))
    assert messages == [
        f"{path.name} is open read-only here (another mentorapp has it open), so changes cannot be saved."
    ]
    ro.dispose()
