"""The Evaluation and Report pages driven through their real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox

from mentorapp.evaluation.instrument import get_response
from mentorapp_ui.evaluation.model import NOT_RESPONDED, EvaluationTableModel, ParticipantIdRole
from tests.support.evaluation_data import build_small_cohort


def open_page(window, name: str, cohort_id: int):
    window.ctx.set_cohort(cohort_id)
    assert window.show_page(name)
    page = window.current_page()
    page.refresh()
    return page


def test_pages_are_registered_with_an_evaluation_menu(make_window, db) -> None:
    window = make_window(db)
    assert {"evaluation", "report"} <= set(window.page_names())
    texts = [a.text() for a in window.menu("Evaluation").actions()]
    assert "&Export evaluation form…" in texts and "Export evaluation &report…" in texts


def test_models_pass_qmodeltester(qtmodeltester, make_window, db) -> None:
    small = build_small_cohort(db)
    page = open_page(make_window(db), "evaluation", small.cohort_id)
    assert isinstance(page.model, EvaluationTableModel)
    assert page.model.rowCount() == 5
    qtmodeltester.check(page.model)
    page.show_combo.setCurrentIndex(page.show_combo.findData(NOT_RESPONDED))
    qtmodeltester.check(page.proxy)


def test_filter_counts_who_has_not_answered(make_window, db) -> None:
    small = build_small_cohort(db)
    page = open_page(make_window(db), "evaluation", small.cohort_id)
    assert page.count_label.text() == "Six months: 3 of 5 answered (60%)."
    page.show_combo.setCurrentIndex(page.show_combo.findData(NOT_RESPONDED))
    shown = {page.proxy.index(r, 0).data() for r in range(page.proxy.rowCount())}
    assert shown == {"Cara Cole", "Yasmin Young"}
    page.role_combo.setCurrentIndex(page.role_combo.findData("mentor"))
    assert page.proxy.rowCount() == 1
    assert "Showing 1, of whom 0 answered." in page.count_label.text()
    page.stage_combo.setCurrentIndex(page.stage_combo.findData("baseline"))
    page.show_combo.setCurrentIndex(0)
    page.role_combo.setCurrentIndex(0)
    assert page.count_label.text() == "Baseline: 4 of 5 answered (80%)."


def type_keys(qtbot, keys: str) -> None:
    widget = QApplication.focusWidget()
    assert widget is not None
    qtbot.keyClicks(widget, keys)


def tab(qtbot) -> None:
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


def test_digit_tab_fills_one_question_after_another(qtbot, make_window, db) -> None:
    """The usual 'digit, Tab': 1 Tab 2 Tab 3 Tab 4 fills the first four questions with 1 to 4 (none skipped)."""
    small = build_small_cohort(db)
    window = make_window(db)
    page = open_page(window, "evaluation", small.cohort_id)
    assert page.select_participant(small.cara)
    page.form.focus_first()
    for digit in "1234":
        type_keys(qtbot, digit)
        # Typing alone never moves the focus on.
        assert QApplication.focusWidget() is page.form.fields[list(page.form.answers())[-1]]
        tab(qtbot)
    got = {k: page.form.fields[k].text() for k in ("benefit_knowledge", "benefit_performance")}
    got |= {k: page.form.fields[k].text() for k in ("benefit_problem_solving", "benefit_confidence")}
    assert got == {
        "benefit_knowledge": "1",
        "benefit_performance": "2",
        "benefit_problem_solving": "3",
        "benefit_confidence": "4",
    }
    assert page.form.fields["benefit_leadership"].text() == ""
    assert QApplication.focusWidget() is page.form.fields["benefit_leadership"]
    page.ask_unsaved = lambda: QMessageBox.StandardButton.Discard


def test_enter_a_response_with_the_keyboard_then_undo_and_redo(qtbot, make_window, db) -> None:
    small = build_small_cohort(db)
    window = make_window(db)
    page = open_page(window, "evaluation", small.cohort_id)
    assert page.select_participant(small.cara)
    assert page.form.status.text().startswith("No answers yet")
    page.form.focus_first()
    # Six ratings, each a digit then Tab.
    for digit in "345234":
        type_keys(qtbot, digit)
        tab(qtbot)
    assert QApplication.focusWidget() is page.form.fields["satisfaction"]
    type_keys(qtbot, "5")
    tab(qtbot)
    assert QApplication.focusWidget() is page.form.fields["meetings"]
    type_keys(qtbot, "7")
    tab(qtbot)
    assert QApplication.focusWidget() is page.form.fields["would_recommend"]
    type_keys(qtbot, "Y")
    tab(qtbot)
    type_keys(qtbot, "Clear goals from the start")
    # The mentor-only question is hidden for a mentee.
    assert page.form.fields["mentor_learning"].isHidden()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    with db.session() as s:
        saved = get_response(s, small.cara, "six_month")
    assert saved is not None
    assert saved.answers == {
        "benefit_knowledge": 3,
        "benefit_performance": 4,
        "benefit_problem_solving": 5,
        "benefit_confidence": 2,
        "benefit_leadership": 3,
        "benefit_network": 4,
        "satisfaction": 5,
        "meetings": 7,
        "would_recommend": True,
        "went_well": "Clear goals from the start",
    }
    assert page.count_label.text() == "Six months: 4 of 5 answered (80%)."
    # Saving moved on to the next person, ready to type.
    assert page.current_participant() != small.cara
    assert isinstance(QApplication.focusWidget(), QLineEdit)

    window.ctx.undo_stack.undo()
    with db.session() as s:
        assert get_response(s, small.cara, "six_month") is None
    assert page.count_label.text() == "Six months: 3 of 5 answered (60%)."
    window.ctx.undo_stack.redo()
    with db.session() as s:
        assert get_response(s, small.cara, "six_month").answers["meetings"] == 7


def test_edit_and_delete_with_undo(qtbot, make_window, db) -> None:
    small = build_small_cohort(db)
    window = make_window(db)
    page = open_page(window, "evaluation", small.cohort_id)
    assert page.select_participant(small.bob)
    assert page.form.fields["satisfaction"].text() == "3"
    assert page.form.delete_button.isEnabled()
    page.form.fields["satisfaction"].setText("")
    qtbot.keyClicks(page.form.fields["satisfaction"], "4")
    qtbot.mouseClick(page.form.save_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert get_response(s, small.bob, "six_month").answers["satisfaction"] == 4
    window.ctx.undo_stack.undo()
    with db.session() as s:
        assert get_response(s, small.bob, "six_month").answers["satisfaction"] == 3

    assert page.select_participant(small.bob)
    qtbot.mouseClick(page.form.delete_button, Qt.MouseButton.LeftButton)
    with db.session() as s:
        assert get_response(s, small.bob, "six_month") is None
    assert page.form.status.text().startswith("No answers yet")
    window.ctx.undo_stack.undo()
    with db.session() as s:
        assert get_response(s, small.bob, "six_month").answers["would_recommend"] is False


def test_a_bad_answer_is_shown_and_nothing_saved(qtbot, make_window, db) -> None:
    small = build_small_cohort(db)
    page = open_page(make_window(db), "evaluation", small.cohort_id)
    assert page.select_participant(small.cara)
    qtbot.mouseClick(page.form.save_button, Qt.MouseButton.LeftButton)
    assert "at least one answer" in page.form.error.text()
    page.form.fields["meetings"].setText("999")
    qtbot.mouseClick(page.form.save_button, Qt.MouseButton.LeftButton)
    assert "more than 500" in page.form.error.text()
    with db.session() as s:
        assert get_response(s, small.cara, "six_month") is None
    page.ask_unsaved = lambda: QMessageBox.StandardButton.Discard


def _type_rating(qtbot, page, key: str, digit: str) -> None:
    page.form.fields[key].setFocus()
    qtbot.keyClicks(page.form.fields[key], digit)


def test_unsaved_answers_ask_before_another_person_is_shown(qtbot, make_window, db) -> None:
    small = build_small_cohort(db)
    page = open_page(make_window(db), "evaluation", small.cohort_id)
    asked: list[str] = []
    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Discard])

    def ask() -> QMessageBox.StandardButton:
        asked.append(page.form.heading.text())
        return next(answers)

    page.ask_unsaved = ask
    assert page.select_participant(small.cara)
    _type_rating(qtbot, page, "satisfaction", "2")
    assert page.form.is_dirty()
    # Cancel: still Cara, with her answer.
    page.select_participant(small.bob)
    assert page.current_participant() == small.cara and page.form.participant_id == small.cara
    assert page.form.fields["satisfaction"].text() == "2"
    # Discard: Bob is shown, nothing was saved for Cara.
    page.select_participant(small.bob)
    assert page.form.participant_id == small.bob and len(asked) == 2
    with db.session() as s:
        assert get_response(s, small.cara, "six_month") is None


def test_save_from_the_prompt_when_the_stage_or_page_changes(qtbot, make_window, db) -> None:
    small = build_small_cohort(db)
    window = make_window(db)
    page = open_page(window, "evaluation", small.cohort_id)
    page.ask_unsaved = lambda: QMessageBox.StandardButton.Save
    assert page.select_participant(small.cara)
    _type_rating(qtbot, page, "satisfaction", "4")
    page.stage_combo.setCurrentIndex(page.stage_combo.findData("baseline"))
    assert page.stage == "baseline"
    with db.session() as s:
        assert get_response(s, small.cara, "six_month").answers == {"satisfaction": 4}
    # Another page: Cancel keeps the Evaluation page and the typed answer.
    _type_rating(qtbot, page, "benefit_network", "3")
    page.ask_unsaved = lambda: QMessageBox.StandardButton.Cancel
    window.show_page("report")
    assert window.current_page() is page
    assert page.form.fields["benefit_network"].text() == "3"
    page.ask_unsaved = lambda: QMessageBox.StandardButton.Discard


def test_closing_the_window_asks_and_cancel_keeps_it_open(qtbot, make_window, db) -> None:
    small = build_small_cohort(db)
    window = make_window(db)
    page = open_page(window, "evaluation", small.cohort_id)
    assert page.select_participant(small.cara)
    _type_rating(qtbot, page, "satisfaction", "5")
    page.ask_unsaved = lambda: QMessageBox.StandardButton.Cancel
    assert not window.close()
    assert window.isVisible() and page.form.fields["satisfaction"].text() == "5"
    page.ask_unsaved = lambda: QMessageBox.StandardButton.Save
    assert window.close()
    with db.session() as s:
        assert get_response(s, small.cara, "six_month").answers == {"satisfaction": 5}


def test_report_page_shows_figures_and_a_quote_is_printed_only_once_approved(qtbot, make_window, db) -> None:
    from mentorapp.evaluation.stats import compute_stats

    small = build_small_cohort(db)
    window = make_window(db)
    page = open_page(window, "report", small.cohort_id)
    assert "3 of 5 participants (60%)" in page.summary.text()
    assert "Too few responses" in page.summary.text() and "(default)" in page.summary.text()
    assert "Mentees who answered both times" in page.benefits.text()
    assert page.charts.count() >= 3
    texts = [page.quotes.item(i).text() for i in range(page.quotes.count())]
    assert any("More time to meet." in t for t in texts)
    assert not any("Alice" in t or "xavier.xu@example.org" in t for t in texts)
    row = next(i for i, t in enumerate(texts) if "More time to meet." in t)
    assert page.quotes.item(row).checkState() == Qt.CheckState.Unchecked
    with db.session() as s:
        assert not any(q.printable for q in compute_stats(s, small.cohort_id).quotes)
    page.quotes.item(row).setCheckState(Qt.CheckState.Checked)
    with db.session() as s:
        printable = [q.text for q in compute_stats(s, small.cohort_id).quotes if q.printable]
    assert printable == ["More time to meet."]
    window.ctx.undo_stack.undo()
    with db.session() as s:
        assert not any(q.printable for q in compute_stats(s, small.cohort_id).quotes)


def test_report_page_draws_no_chart_before_anyone_has_answered_it(make_window, db) -> None:
    """Baseline answers only: a benefit chart would have drawn every mean at 1 (n=0)."""
    from mentorapp.evaluation.instrument import ResponseData, save_response

    small = build_small_cohort(db, responses=False)
    with db.transaction() as s:
        save_response(s, ResponseData(small.alice, "baseline", {"benefit_confidence": 2}))
    page = open_page(make_window(db), "report", small.cohort_id)
    assert "1 had answered at the start" in page.summary.text()
    assert page.charts.count() == 0


def test_report_page_exports_the_pdf_off_the_gui_thread(qtbot, make_window, db, tmp_path) -> None:
    small = build_small_cohort(db)
    page = open_page(make_window(db), "report", small.cohort_id)
    page.ask_to_open = False
    target = tmp_path / "report.pdf"
    page.export_pdf(str(target))
    assert not page.export_button.isEnabled()
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=20_000)
    assert target.read_bytes().startswith(b"%PDF")
    assert page.last_result.pages >= 5
    assert page.export_button.isEnabled()
    page.task.wait()


def test_evaluation_rows_carry_ids(make_window, db) -> None:
    small = build_small_cohort(db)
    page = open_page(make_window(db), "evaluation", small.cohort_id)
    ids = {page.proxy.index(r, 0).data(ParticipantIdRole) for r in range(page.proxy.rowCount())}
    assert ids == {small.alice, small.bob, small.cara, small.xavier, small.yasmin}


def test_import_a_filled_form_from_the_page(make_window, db, tmp_path) -> None:
    from openpyxl import load_workbook

    from mentorapp.evaluation.forms import FORM_SHEET, write_evaluation_form

    small = build_small_cohort(db)
    path = tmp_path / "form.xlsx"
    with db.transaction() as s:
        write_evaluation_form(s, small.cohort_id, "six_month", path)
    wb = load_workbook(path)
    ws = wb[FORM_SHEET]
    keys = {c.value: c.column for c in ws[1] if c.value}
    row = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == small.cara)
    ws.cell(row=row, column=keys["satisfaction"]).value = 2
    wb.save(path)
    page = open_page(make_window(db), "evaluation", small.cohort_id)
    assert page.import_form(str(path), confirm=False)
    assert page.count_label.text() == "Six months: 4 of 5 answered (80%)."
    with db.session() as s:
        assert get_response(s, small.cara, "six_month").answers == {"satisfaction": 2}


def test_settings_dialog_sets_criteria_themes_and_the_retrospective_question(qtbot, make_window, db) -> None:
    from mentorapp.evaluation.settings import read_settings
    from mentorapp_ui.evaluation.settings_dialog import KIND, MIN_N, THRESHOLD, edit_evaluation_settings

    small = build_small_cohort(db)
    window = make_window(db)
    page = open_page(window, "evaluation", small.cohort_id)
    assert "Evaluation &settings…" in [a.text() for a in window.menu("Evaluation").actions()]
    shown: list[object] = []

    def fill(dialog) -> bool:
        shown.append(dialog)
        dialog.grab().save("/tmp/b16-settings.png")
        assert dialog.default_note.isVisibleTo(dialog) and dialog.table.rowCount() == 4
        dialog.table.cellWidget(0, MIN_N).setValue(2)  # improved_share of mentees in confidence
        dialog.table.cellWidget(0, THRESHOLD).setValue(40)  # percent
        dialog.table.removeRow(3)
        dialog.themes.setPlainText("Time: time, meet\nNot a theme line")
        dialog.accept()
        assert "Themes, line 2" in dialog.error.text() and dialog.result() == 0  # still open
        dialog.themes.setPlainText("Time: time, meet")
        dialog.retrospective.setChecked(True)
        dialog.accept()
        return dialog.result() == 1

    assert edit_evaluation_settings(window.ctx, page, dialog_hook=fill)
    with db.session() as s:
        saved = read_settings(s, small.cohort_id)
    assert len(saved.criteria) == 3 and saved.criteria[0] == {
        "kind": "improved_share",
        "role": "mentee",
        "item": "benefit_confidence",
        "threshold": pytest.approx(0.4),
        "min_n": 2,
    }
    assert saved.themes == {"Time": ["time", "meet"]} and saved.retrospective_pre
    # The evaluation form now asks the 'looking back' questions; the report judges the criterion.
    page.refresh()
    assert page.select_participant(small.cara)
    assert not page.form.fields["retro_benefit_confidence"].isHidden()
    report = open_page(window, "report", small.cohort_id)
    assert "Met" in report.summary.text() and "(default)" not in report.summary.text()
    window.ctx.undo_stack.undo()
    with db.session() as s:
        assert read_settings(s, small.cohort_id).criteria is None
    assert shown[0].table.cellWidget(0, KIND).currentData() == "improved_share"


def test_the_question_before_writing_a_form_per_person_names_the_folder(qtbot, make_window, db, tmp_path) -> None:
    """Qt's own folder dialog can hand back the parent of a path typed into it: the question shows where forms go."""
    small = build_small_cohort(db)
    window = make_window(db)
    page = open_page(window, "evaluation", small.cohort_id)
    asked: list[str] = []

    def read_and_cancel() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(QMessageBox.StandardButton.Cancel).click()

    QTimer.singleShot(0, read_and_cancel)
    assert page.offline.export_per_person(str(tmp_path / "forms")) == []
    assert asked and f"into {tmp_path / 'forms'}?" in asked[0]
    assert not (tmp_path / "forms").exists()


def test_a_form_per_person_and_an_older_form_shown_for_a_decision(qtbot, make_window, db, tmp_path) -> None:
    from openpyxl import load_workbook

    from mentorapp.evaluation.instrument import ResponseData, save_response
    from mentorapp.evaluation.person_forms import ANSWER_COL, KEY_COL, SHEET

    small = build_small_cohort(db)
    window = make_window(db)
    page = open_page(window, "evaluation", small.cohort_id)
    page.offline.with_baseline_choice = True
    paths = page.offline.export_per_person(str(tmp_path))
    assert len(paths) == 5
    bob = next(p for p in paths if p.stem.endswith(f" {small.bob}"))
    # Later, Bob's answers are corrected in the window; then his older form comes back.
    with db.transaction() as s:
        save_response(s, ResponseData(small.bob, "six_month", {"satisfaction": 5, "meetings": 3}))
    wb = load_workbook(bob)
    ws = wb[SHEET]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=KEY_COL).value == "satisfaction")
    ws.cell(row=row, column=ANSWER_COL).value = "2 - Dissatisfied"
    wb.save(bob)
    page.offline.conflict_choice = "skip"
    page.offline.confirm_choice = True
    assert page.import_form(str(bob))
    with db.session() as s:
        assert get_response(s, small.bob, "six_month").answers["satisfaction"] == 5
    page.offline.conflict_choice = "overwrite"
    assert page.import_form(str(bob))
    with db.session() as s:
        assert get_response(s, small.bob, "six_month").answers["satisfaction"] == 2
    # A second export into the same folder asks first; keeping the earlier forms writes beside them.
    page.offline.earlier_choice = "clear"
    assert len(page.offline.export_per_person(str(tmp_path))) == 5
