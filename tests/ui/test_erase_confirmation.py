"""The window's erase confirmation says what happens to backups; a restore says who was erased again."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from mentorapp.people.participants import get_participant
from mentorapp.store import backup


def test_erase_confirmation_names_the_backups_and_their_expiry(qtbot, make_window, demo_db, monkeypatch):
    window = make_window(demo_db)
    backup.create_backup(demo_db, kind="manual")
    with demo_db.session() as s:
        chosen = get_participant(s, 5)
    monkeypatch.setattr(window.data_safety, "_selected_participant", lambda: chosen)
    seen: list[str] = []

    def cancel(box: QMessageBox) -> int:
        seen.append(box.informativeText())
        for button in box.buttons():
            if box.buttonRole(button) == QMessageBox.ButtonRole.RejectRole:
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", cancel)
    window.data_safety.erase_participant()
    assert len(seen) == 1
    assert "The 1 backup(s) in" in seen[0] and "expire within about a year" in seen[0]
    assert "Restoring any of them erases them again" in seen[0]


def test_restoring_a_backup_from_before_an_erase_says_who_was_erased_again(qtbot, make_window, demo_db, monkeypatch):
    from PySide6.QtWidgets import QDialog
    from sqlalchemy import func, select

    from mentorapp import privacy
    from mentorapp.store.models import Participant
    from mentorapp_ui.app import data_safety

    window = make_window(demo_db)
    earlier = backup.create_backup(demo_db, kind="manual")
    with window.ctx.db.transaction() as s:
        privacy.erase_participant(s, 5)
        privacy.erase_participant(s, 6)

    def choose(dialog: data_safety.RestoreDialog) -> int:
        dialog.chosen = earlier
        return QDialog.DialogCode.Accepted

    told: list[str] = []
    monkeypatch.setattr(data_safety.RestoreDialog, "exec", choose)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text, *a: told.append(text))
    window.data_safety.restore_from_backup()
    assert told == ["2 people erased since this backup was taken were erased again."]
    with window.ctx.db.session() as s:
        assert s.scalar(select(func.count(Participant.id))) == 38
        assert s.get(Participant, 5) is None
