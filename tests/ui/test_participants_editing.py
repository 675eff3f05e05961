"""Editing a participant from the list: opened once, and only what was changed is saved."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox
from sqlalchemy import select

from mentorapp.store.models import Participant
from mentorapp_ui.people.participant_dialog import ParticipantDialog


def participants_page(window):
    window.show_page("participants")
    return window.current_page()


def row_centre(page, row: int):
    index = page.proxy.index(row, 0)
    page.table.scrollTo(index)
    return page.table.visualRect(index).center()


def double_click(qtbot, widget, pos) -> None:
    """What a mouse sends: press, release, then the second press as a double-click, release."""
    left = Qt.MouseButton.LeftButton
    qtbot.mousePress(widget, left, pos=pos)
    qtbot.mouseRelease(widget, left, pos=pos)
    qtbot.mouseDClick(widget, left, pos=pos)
    qtbot.mouseRelease(widget, left, pos=pos)


def test_double_click_opens_the_edit_dialog_once(qtbot, make_window, demo_db):
    page = participants_page(make_window(demo_db))
    opened: list[str] = []

    def cancel_any_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, ParticipantDialog) and dialog.isVisible() and not dialog.property("seen"):
            dialog.setProperty("seen", True)
            opened.append(dialog.windowTitle())
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    closer = QTimer()
    closer.setInterval(20)
    closer.timeout.connect(cancel_any_dialog)
    closer.start()
    try:  # each dialog runs modally inside the event that opened it: all are counted when the click returns
        double_click(qtbot, page.table.viewport(), row_centre(page, 2))
    finally:
        closer.stop()
    assert len(opened) == 1
    # Enter on a row opens it too (once).
    opened.clear()
    closer.start()
    try:
        page.table.setFocus()
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    finally:
        closer.stop()
    assert len(opened) == 1


def edit_row(qtbot, page, row: int, in_dialog) -> None:
    """Double-click a row; ``in_dialog`` drives the dialog like a user and ends it."""
    done = []

    def run() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ParticipantDialog)
        in_dialog(dialog)
        done.append(dialog)

    QTimer.singleShot(0, run)
    double_click(qtbot, page.table.viewport(), row_centre(page, row))
    assert done


def test_editing_another_field_keeps_an_unknown_consent_date_unknown(qtbot, make_window, demo_db):
    with demo_db.transaction() as s:  # consent given, on a day nobody recorded (as many imports have it)
        person = s.scalars(select(Participant).where(Participant.consent.is_(True)).order_by(Participant.id)).first()
        person.consent_date = None
        pid, email = person.id, person.email
    page = participants_page(make_window(demo_db))
    page.search.setText(email)
    assert page.proxy.rowCount() == 1

    def change_phone(dialog) -> None:
        dialog.phone.selectAll()
        qtbot.keyClicks(dialog.phone, "01632 960001")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    edit_row(qtbot, page, 0, change_phone)
    with demo_db.session() as s:
        saved = s.get(Participant, pid)
        assert saved.phone == "01632 960001"
        assert saved.consent and saved.consent_date is None
    # A known consent date is kept as it was.
    with demo_db.transaction() as s:
        s.get(Participant, pid).consent_date = dt.date(2021, 8, 3)
    page.refresh()
    edit_row(qtbot, page, 0, change_phone)
    with demo_db.session() as s:
        assert s.get(Participant, pid).consent_date == dt.date(2021, 8, 3)


def test_ticking_consent_records_the_day_it_was_given(qtbot, make_window, demo_db):
    with demo_db.transaction() as s:
        person = s.scalars(select(Participant).where(Participant.consent.is_(False)).order_by(Participant.id)).first()
        pid, email = person.id, person.email
    page = participants_page(make_window(demo_db))
    page.search.setText(email)

    def tick(dialog) -> None:
        qtbot.mouseClick(dialog.consent, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.consent.height() // 2))
        assert dialog.consent.isChecked()
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    edit_row(qtbot, page, 0, tick)
    with demo_db.session() as s:
        saved = s.get(Participant, pid)
        assert saved.consent and saved.consent_date == dt.date.today()
