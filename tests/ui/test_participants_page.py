"""The participants page driven through its real widgets."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QMessageBox

from mentorapp.people.vocabulary import SchemeVocabulary
from mentorapp.store.models import Participant
from mentorapp_ui.people.participant_dialog import ParticipantDialog
from mentorapp_ui.people.participant_model import EMAIL, HEADERS, NAME, ParticipantRole, ParticipantTableModel


def participants_page(window):
    window.show_page("participants")
    return window.current_page()


def count(db) -> int:
    with db.session() as s:
        return s.query(Participant).count()


def test_model_passes_qmodeltester(qtmodeltester, demo_db, demo_cohort_id):
    from mentorapp.people.participants import list_participants

    model = ParticipantTableModel()
    with demo_db.session() as s:
        model.set_participants(list_participants(s, demo_cohort_id))
    qtmodeltester.check(model)
    assert model.rowCount() == 40


def test_proxy_passes_qmodeltester(qtmodeltester, make_window, demo_db):
    page = participants_page(make_window(demo_db))
    page.search.setText("nhs")
    qtmodeltester.check(page.proxy)


def _fill_and_accept(qtbot, first: str, last: str, email: str, goal: str = "Lead a QI project"):
    """Runs inside the modal dialog: type like a user, then click OK."""
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, ParticipantDialog)
    # QTest types ASCII only; non-ASCII names go in as a paste would.
    for edit, text in ((dialog.first_name, first), (dialog.last_name, last)):
        if text.isascii():
            qtbot.keyClicks(edit, text)
        else:
            edit.insert(text)
    qtbot.keyClicks(dialog.email, email)
    qtbot.keyClicks(dialog.goal_text["short"], goal)
    dialog.goal_areas["short"].boxes[0].setChecked(True)
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    return dialog


def test_add_through_dialog_shows_row_and_undo_removes_it(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    page = participants_page(window)
    before = page.proxy.rowCount()
    state = {}
    QTimer.singleShot(
        0, lambda: state.setdefault("dialog", _fill_and_accept(qtbot, "Siobhán", "Ó Briain", "sob@example.ie"))
    )
    qtbot.mouseClick(window.findChild(type(page.edit_button), "addButton"), Qt.MouseButton.LeftButton)
    assert page.proxy.rowCount() == before + 1
    emails = [page.proxy.index(r, EMAIL).data() for r in range(page.proxy.rowCount())]
    assert "sob@example.ie" in emails
    assert page.selected().full_name == "Siobhán Ó Briain"

    window.ctx.undo_stack.undo()
    assert page.proxy.rowCount() == before
    assert count(demo_db) == before
    window.ctx.undo_stack.redo()
    assert page.proxy.rowCount() == before + 1
    with demo_db.session() as s:
        p = s.query(Participant).filter_by(email="sob@example.ie").one()
        assert [g.horizon for g in p.goals] == ["short"]


def test_invalid_email_shows_error_and_saves_nothing(qtbot, make_window, demo_db, demo_cohort_id):
    window = make_window(demo_db)
    before = count(demo_db)
    dialog = ParticipantDialog(window.ctx, demo_cohort_id, SchemeVocabulary(focus_areas=["Leadership"]), None, window)
    qtbot.add_widget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.first_name, "Ann")
    qtbot.keyClicks(dialog.last_name, "Lee")
    qtbot.keyClicks(dialog.email, "ann.lee-at-example.org")
    assert dialog.errors["email"].isVisible()
    assert "not a valid email" in dialog.errors["email"].text()
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # refused
    assert dialog.errors["goals"].text() == "A mentee needs at least one goal."
    assert count(demo_db) == before


def test_duplicate_email_is_refused_inline(qtbot, make_window, demo_db, demo_cohort_id):
    window = make_window(demo_db)
    with demo_db.session() as s:
        taken = s.query(Participant).first().email
    dialog = ParticipantDialog(window.ctx, demo_cohort_id, SchemeVocabulary(focus_areas=["Leadership"]), None, window)
    qtbot.add_widget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.email, taken.upper())
    assert "already used in this cohort" in dialog.errors["email"].text()


def test_mentor_needs_capacity(qtbot, make_window, demo_db, demo_cohort_id):
    window = make_window(demo_db)
    dialog = ParticipantDialog(window.ctx, demo_cohort_id, SchemeVocabulary(focus_areas=["Leadership"]), None, window)
    qtbot.add_widget(dialog)
    dialog.role.setCurrentIndex(dialog.role.findData("mentor"))
    dialog.capacity.setValue(0)
    errors = dialog.validate()
    assert any(e.field == "capacity" for e in errors)
    assert dialog.errors["capacity"].text()


def test_search_and_filters(qtbot, make_window, demo_db):
    page = participants_page(make_window(demo_db))
    total = page.proxy.rowCount()
    page.role_filter.setCurrentIndex(page.role_filter.findData("mentor"))
    assert page.proxy.rowCount() == 16
    page.role_filter.setCurrentIndex(0)
    qtbot.keyClicks(page.search, "NHS Lothian")
    shown = page.proxy.rowCount()
    assert 0 < shown < total
    for r in range(shown):
        assert page.proxy.index(r, 0).data(ParticipantRole).organisation == "NHS Lothian"
    assert "Showing" in page.count_label.text()
    page.search.clear()
    page.stage_filter.setCurrentIndex(page.stage_filter.findData("Senior leader"))
    assert all(
        page.proxy.index(r, 0).data(ParticipantRole).career_stage == "Senior leader"
        for r in range(page.proxy.rowCount())
    )


def test_sorting_by_name_and_email(qtbot, make_window, demo_db):
    page = participants_page(make_window(demo_db))
    page.table.sortByColumn(EMAIL, Qt.SortOrder.AscendingOrder)
    emails = [page.proxy.index(r, EMAIL).data() for r in range(page.proxy.rowCount())]
    assert emails == sorted(emails, key=str.casefold)
    page.table.sortByColumn(NAME, Qt.SortOrder.DescendingOrder)
    lasts = [page.proxy.index(r, 0).data(ParticipantRole).last_name.casefold() for r in range(page.proxy.rowCount())]
    assert lasts == sorted(lasts, reverse=True)


def test_delete_with_confirmation_then_undo(qtbot, make_window, demo_db, monkeypatch):
    window = make_window(demo_db)
    page = participants_page(window)
    page.table.selectRow(0)
    victim = page.selected()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    with demo_db.session() as s:
        assert s.get(Participant, victim.id) is None
    window.ctx.undo_stack.undo()
    with demo_db.session() as s:
        back = s.get(Participant, victim.id)
        assert back is not None and back.email == victim.email
        assert len(back.goals) == len(victim.goals)


def test_edit_then_undo_restores_old_values(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    page = participants_page(window)
    page.table.selectRow(0)
    person = page.selected()

    def change():
        dialog = QApplication.activeModalWidget()
        dialog.organisation.clear()
        qtbot.keyClicks(dialog.organisation, "New Org Ltd")
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, change)
    qtbot.mouseClick(page.edit_button, Qt.MouseButton.LeftButton)
    with demo_db.session() as s:
        assert s.get(Participant, person.id).organisation == "New Org Ltd"
    assert "New Org Ltd" in page.details.toPlainText()
    window.ctx.undo_stack.undo()
    with demo_db.session() as s:
        assert s.get(Participant, person.id).organisation == person.organisation


def test_read_only_database_disables_editing(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    page = participants_page(window)
    page.table.selectRow(0)
    assert page.edit_button.isEnabled() and page.add_button.isEnabled()
    window.ctx.read_only = True
    page.refresh()
    assert not page.edit_button.isEnabled()
    assert not page.delete_action.isEnabled()
    assert not page.add_button.isEnabled()


def test_right_click_offers_edit_delete_and_privacy_actions(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    page = participants_page(window)
    rect = page.table.visualRect(page.proxy.index(2, 0))
    menu = page.build_context_menu(rect.center())
    assert page.table.selectionModel().selectedRows()[0].row() == 2
    texts = [a.text().replace("&", "") for a in menu.actions() if a.text()]
    assert texts[:2] == ["Edit participant…", "Delete participant…"]
    assert any("Erase" in t for t in texts) and any("ubject access" in t for t in texts)
    page.search.setText("nobody is called this")
    assert page.build_context_menu(rect.center()) is None  # no row under the mouse


def test_stage_filter_sorting_and_dialog_offer_the_cohorts_own_ladder_and_regions(qtbot, make_window, db):
    import datetime as dt

    from mentorapp.people.cohorts import CohortData, create_cohort
    from mentorapp.people.participants import ExpertiseData, ParticipantData, create_participant
    from mentorapp_ui.people.participant_model import STAGE

    ladder = ["Newly qualified", "Senior practitioner", "Team lead", "Head of service"]
    with db.transaction() as s:
        cohort = create_cohort(
            s,
            CohortData("Social work 2026", dt.date(2026, 3, 2), career_stages=ladder, regions=["Fife", "Lothian"]),
        )
        for first, stage in (("Ailsa", "Head of service"), ("Brodie", "Newly qualified"), ("Cait", "Team lead")):
            create_participant(
                s,
                cohort.id,
                ParticipantData(
                    first,
                    "Gow",
                    f"{first.lower()}@sw.example",
                    role="mentor",
                    consent=True,
                    career_stage=stage,
                    expertise=[ExpertiseData("Leadership", 3)],
                ),
            )
    window = make_window(db)
    page = participants_page(window)
    offered = [page.stage_filter.itemText(i) for i in range(page.stage_filter.count())]
    assert offered == ["All career stages", *ladder]
    assert "Specialty trainee" not in offered

    page.table.sortByColumn(STAGE, Qt.SortOrder.AscendingOrder)
    shown = [page.proxy.index(r, 0).data(ParticipantRole).first_name for r in range(page.proxy.rowCount())]
    assert shown == ["Brodie", "Cait", "Ailsa"]  # junior to senior as the cohort orders them, not A-Z

    page.stage_filter.setCurrentIndex(page.stage_filter.findData("Team lead"))
    assert page.proxy.rowCount() == 1

    dialog = ParticipantDialog(window.ctx, cohort.id, page._vocabulary(), None, window)
    qtbot.add_widget(dialog)
    assert [dialog.career_stage.itemText(i) for i in range(dialog.career_stage.count())] == ["", *ladder]
    assert [dialog.region.itemText(i) for i in range(dialog.region.count())] == ["", "Fife", "Lothian"]


def test_a_refused_ok_brings_the_first_problem_into_sight_and_marks_each_tab_with_one(
    qtbot, make_window, demo_db, demo_cohort_id
):
    window = make_window(demo_db)
    page = participants_page(window)
    with demo_db.session() as s:
        taken = s.query(Participant).first().email
    dialog = ParticipantDialog(window.ctx, demo_cohort_id, page._vocabulary(), None, window)
    qtbot.add_widget(dialog)
    dialog.resize(640, 600)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(dialog.first_name, "Ann")
    qtbot.keyClicks(dialog.last_name, "Lee")
    qtbot.keyClicks(dialog.email, "ann.lee@example.org")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.tabs.currentIndex() == 1  # no goal: the Goals tab
    message = dialog.errors["goals"]
    assert message.text() == "A mentee needs at least one goal."
    assert not message.visibleRegion().isEmpty()  # scrolled into sight under the three goals
    assert dialog.focusWidget() is dialog.goal_text["short"]
    assert [not dialog.tabs.tabIcon(n).isNull() for n in range(3)] == [False, True, False]
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, taken)  # now a problem on the Person tab as well
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.tabs.currentIndex() == 0 and dialog.focusWidget() is dialog.email  # the first tab's first
    assert [not dialog.tabs.tabIcon(n).isNull() for n in range(3)] == [True, True, False]
    dialog.email.clear()
    qtbot.keyClicks(dialog.email, "ann.lee@example.org")
    assert dialog.tabs.tabIcon(0).isNull()  # the sign goes with the problem


def test_missing_consent_is_called_the_same_in_the_list_the_details_and_on_the_board(make_window, demo_db):
    """It was '⚠ Missing' in the list, '⚠ Not recorded' in the details and 'No consent' on the board."""
    from mentorapp.people.participants import list_participants

    window = make_window(demo_db)
    window.show_page("participants")
    page = window.current_page()
    with demo_db.session() as s:
        without = next(p for p in list_participants(s, window.ctx.cohort_id) if not p.consent)
    page.select_participant(without.id)
    row = page.table.currentIndex().row()
    consent = page.table.model().index(row, HEADERS.index("Consent")).data()
    assert consent == "⚠ No consent"
    assert "⚠ No consent" in page.details.toPlainText()
