"""Cohort > Vocabulary…: driven through its real widgets (clicks, a drag, the keyboard) over a real database."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QInputDialog, QLineEdit

from mentorapp.matching.actions import create_match
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.participants import ExpertiseData, GoalData, ParticipantData, create_participant
from mentorapp.store.models import Cohort, Match, Participant
from mentorapp_ui.people.vocabulary_dialog import ValueRole, VocabularyDialog

LADDER = ["Apprentice", "Technician", "Senior technician", "Workshop lead"]


@pytest.fixture
def workshop(db):
    with db.transaction() as s:
        cohort = create_cohort(
            s,
            CohortData(
                "Orthotics workshop 2026",
                dt.date(2026, 5, 4),
                focus_areas=["Casting", "Plaster casting", "Scanning"],
                career_stages=LADDER,
                regions=["Leeds", "Bradford"],
            ),
        )
        mentee = create_participant(
            s,
            cohort.id,
            ParticipantData(
                "Tom",
                "Hirst",
                "tom@workshop.example",
                role="mentee",
                consent=True,
                career_stage="Technician",
                region="Leeds",
                goals=[GoalData("short", "Get faster at casts", ["Casting"])],
            ),
        )
        mentor = create_participant(
            s,
            cohort.id,
            ParticipantData(
                "Ruth",
                "Akroyd",
                "ruth@workshop.example",
                role="mentor",
                consent=True,
                career_stage="Workshop lead",
                region="Bradford",
                organisation="Bradford Limbs",
                expertise=[ExpertiseData("Plaster casting", 15)],
            ),
        )
        create_match(s, mentee.id, mentor.id)
        return cohort.id, mentee.id


def _dialog(qtbot, make_window, db, cohort_id):
    window = make_window(db)
    window.ctx.set_cohort(cohort_id)
    dialog = VocabularyDialog(window.ctx, cohort_id, window)
    qtbot.add_widget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return window, dialog


def _answer_input(qtbot, text: str | None = None, item: str | None = None) -> None:
    """Answer the next QInputDialog like a person: type a name (or pick an item) and press Enter."""

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QInputDialog)
        if item is not None:
            combo = box.findChild(QComboBox)
            combo.setCurrentIndex(combo.findText(item))
        else:
            edit = box.findChild(QLineEdit)
            edit.selectAll()
            qtbot.keyClicks(edit, text)
        qtbot.keyClick(box, Qt.Key.Key_Return)

    QTimer.singleShot(0, answer)


def _texts(widget) -> list[str]:
    return [widget.list.item(i).data(ValueRole) for i in range(widget.list.count())]


def test_merge_through_the_buttons_rewrites_people_and_rescores_and_ctrl_z_undoes(qtbot, make_window, db, workshop):
    cohort_id, mentee_id = workshop
    _window, dialog = _dialog(qtbot, make_window, db, cohort_id)
    focus = dialog.lists["focus"]
    assert [focus.list.item(i).text() for i in range(3)] == [
        "Casting   (1 participant)",
        "Plaster casting   (1 participant)",
        "Scanning   (not used yet)",
    ]
    with db.session() as s:
        assert not any("matches mentor's" in r["text"] for r in s.query(Match).one().reasons)  # no shared area yet

    focus.list.setCurrentRow(0)
    _answer_input(qtbot, item="Plaster casting")
    qtbot.mouseClick(focus.merge_button, Qt.MouseButton.LeftButton)

    assert _texts(focus) == ["Plaster casting", "Scanning"]
    assert focus.list.item(0).text() == "Plaster casting   (2 participants)"
    with db.session() as s:
        goal = s.get(Participant, mentee_id).goals[0]
        assert goal.focus_areas == ["Plaster casting"]
        reasons = [r["text"] for r in s.query(Match).one().reasons]
    assert "Short-term goal Plaster casting matches mentor's 15 years in Plaster casting (+0.30)" in reasons

    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    assert _texts(focus) == ["Casting", "Plaster casting", "Scanning"]
    assert not dialog.undo_button.isEnabled()  # nothing more of this dialog's to take back
    with db.session() as s:
        assert s.get(Participant, mentee_id).goals[0].focus_areas == ["Casting"]


def test_stages_reorder_by_drag_and_by_keyboard_and_the_match_is_rescored(qtbot, make_window, db, workshop):
    cohort_id, _mentee = workshop
    window, dialog = _dialog(qtbot, make_window, db, cohort_id)
    dialog.tabs.setCurrentIndex(1)
    stages = dialog.lists["stage"]
    assert _texts(stages) == LADDER

    # Drop "Workshop lead" at the top. The offscreen platform used by the tests runs no drag loop
    # (QDrag.exec returns at once), so the drop is the row move QListWidget makes on an internal drop.
    view = stages.list
    assert view.dragDropMode() == QAbstractItemView.DragDropMode.InternalMove
    assert view.model().moveRow(QModelIndex(), 3, QModelIndex(), 0)
    qtbot.waitUntil(lambda: window.ctx.undo_stack.count() == 1)  # saved once the drop has finished
    assert window.ctx.undo_stack.undoText() == "Reorder career stages"
    assert _texts(stages)[0] == "Workshop lead"
    with db.session() as s:
        assert s.get(Cohort, cohort_id).career_stages == [
            "Workshop lead",
            "Apprentice",
            "Technician",
            "Senior technician",
        ]
        assert any("junior to the mentee" in r["text"] for r in s.query(Match).one().reasons)

    # Alt+Down once and the Move down button once take it back down past Apprentice and Technician.
    view.setCurrentRow(0)
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert _texts(stages)[:2] == ["Apprentice", "Workshop lead"]
    qtbot.mouseClick(stages.down_button, Qt.MouseButton.LeftButton)
    assert _texts(stages) == ["Apprentice", "Technician", "Workshop lead", "Senior technician"]
    assert stages.selected() == "Workshop lead"
    with db.session() as s:
        assert s.get(Cohort, cohort_id).career_stages == _texts(stages)
        assert any("1 career stage senior (Workshop lead)" in r["text"] for r in s.query(Match).one().reasons)
    dialog.grab().save("/tmp/vocab.png")


def test_refusals_show_under_the_lists_and_change_nothing(qtbot, make_window, db, workshop):
    cohort_id, _mentee = workshop
    _window, dialog = _dialog(qtbot, make_window, db, cohort_id)
    dialog.tabs.setCurrentIndex(2)
    regions = dialog.lists["region"]
    regions.list.setCurrentRow(0)
    qtbot.mouseClick(regions.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.error.isVisible()
    assert dialog.error.text() == (
        "1 participant uses the region 'Leeds': merge it into another region instead, or change them first."
    )
    _answer_input(qtbot, text="bradford")
    qtbot.mouseClick(regions.rename_button, Qt.MouseButton.LeftButton)
    assert "There is already a region 'Bradford'" in dialog.error.text()
    with db.session() as s:
        assert s.get(Cohort, cohort_id).regions == ["Leeds", "Bradford"]

    _answer_input(qtbot, text="Wakefield")
    qtbot.mouseClick(regions.add_button, Qt.MouseButton.LeftButton)
    assert not dialog.error.isVisible()
    assert _texts(regions) == ["Leeds", "Bradford", "Wakefield"]


def test_editing_the_cohort_keeps_its_ladder_and_the_menu_offers_vocabulary(qtbot, make_window, db, workshop):
    from PySide6.QtWidgets import QDialogButtonBox

    from mentorapp_ui.people.cohort_dialog import CohortDialog, edit_cohort

    cohort_id, _mentee = workshop
    window = make_window(db)
    window.ctx.set_cohort(cohort_id)
    window.ctx.actions.update()
    action = window.ctx.actions.action("cohort.vocabulary")
    assert action.isEnabled() and action in window.menu("Cohort").actions()

    def rename_and_ok() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CohortDialog)
        assert not dialog.areas.item(0).flags() & Qt.ItemFlag.ItemIsEditable  # renamed only where people follow
        dialog.name.selectAll()
        qtbot.keyClicks(dialog.name, "Orthotics workshop 2026-27")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, rename_and_ok)
    assert edit_cohort(window.ctx, cohort_id, window)
    with db.session() as s:
        cohort = s.get(Cohort, cohort_id)
        assert cohort.name == "Orthotics workshop 2026-27"
        assert cohort.career_stages == LADDER
        assert cohort.regions == ["Leeds", "Bradford"]


def test_board_filters_offer_the_cohorts_own_stages_and_regions_and_follow_a_new_order(
    qtbot, make_window, db, workshop
):
    from mentorapp_ui.board.page import BoardPage

    cohort_id, _mentee = workshop
    window = make_window(db)
    window.ctx.set_cohort(cohort_id)
    assert window.show_page("board")
    page = window.current_page()
    assert isinstance(page, BoardPage)
    page.refresh()
    qtbot.waitUntil(page.scores_ready)

    def offered(combo) -> list[str]:
        return [combo.itemText(i) for i in range(combo.count())]

    assert offered(page.filters.stage_filter) == ["All career stages", *LADDER]
    assert offered(page.filters.region_filter) == ["All regions", "Leeds", "Bradford"]
    page.filters.stage_filter.setCurrentIndex(page.filters.stage_filter.findData("Workshop lead"))

    dialog = VocabularyDialog(window.ctx, cohort_id, window)
    qtbot.add_widget(dialog)
    dialog.lists["stage"].list.setCurrentRow(3)
    assert dialog.lists["stage"].move_selected(-3)  # Workshop lead to the top
    page.refresh()
    assert offered(page.filters.stage_filter) == ["All career stages", "Workshop lead", *LADDER[:3]]
    assert page.filters.stage_filter.currentData() == "Workshop lead"  # the choice is kept
