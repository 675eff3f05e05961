"""A cohort with nobody in it yet: the Participants page says how to bring people in."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QPushButton

from mentorapp_ui.importing import wizard as import_wizard
from mentorapp_ui.people.cohort_dialog import CohortDialog
from mentorapp_ui.people.participant_dialog import ParticipantDialog


def create_cohort_by_hand(qtbot, window, name: str) -> None:
    def fill():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CohortDialog)
        qtbot.keyClicks(dialog.name, name)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill)
    window.new_cohort_action.trigger()
    assert window.cohort_combo.currentText() == name


def test_a_new_cohort_offers_import_and_add(qtbot, make_window, demo_db, monkeypatch):
    window = make_window(demo_db)
    window.show_page("participants")
    page = window.current_page()
    assert not page.empty_state.isVisible()  # the demo cohort has people
    create_cohort_by_hand(qtbot, window, "Cohort 2022")
    window.show_page("participants")
    assert page.empty_state.isVisible() and not page.table.isVisible()
    assert "Cohort 2022" in page.empty_state.findChild(type(page.count_label), "emptyMessage").text()

    # Import applications… opens the import wizard, as File > Import applications… does.
    opened = []
    monkeypatch.setattr(import_wizard, "open_import_wizard", lambda ctx, parent, path=None: opened.append(ctx))
    importing = page.empty_state.findChild(QPushButton, "emptyImportButton")
    qtbot.mouseClick(importing, Qt.MouseButton.LeftButton)
    assert opened == [window.ctx]

    # Add participant… opens the participant dialog; once someone is added the list is back.
    def add_one():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ParticipantDialog)
        qtbot.keyClicks(dialog.first_name, "Ada")
        qtbot.keyClicks(dialog.last_name, "Okafor")
        qtbot.keyClicks(dialog.email, "ada@example.org")
        qtbot.keyClicks(dialog.goal_text["short"], "Lead a QI project")
        dialog.goal_areas["short"].boxes[0].setChecked(True)
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, add_one)
    qtbot.mouseClick(page.empty_state.findChild(QPushButton, "emptyAddButton"), Qt.MouseButton.LeftButton)
    assert page.table.isVisible() and not page.empty_state.isVisible()
    assert page.proxy.rowCount() == 1
    # Undo takes the person away again, and the hint comes back.
    window.ctx.undo_stack.undo()
    assert page.empty_state.isVisible()
