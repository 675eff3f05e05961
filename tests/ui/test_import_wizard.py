"""The import wizard walked with real clicks, and its hook in the main window."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QWizard

from mentorapp.importing import saved_settings
from mentorapp.people.cohorts import CohortData, create_cohort
from mentorapp.people.participants import list_participants
from mentorapp.store.models import Participant
from mentorapp_ui.importing import wizard as import_wizard
from mentorapp_ui.importing.models import MappingModel
from mentorapp_ui.importing.wizard import ImportWizard
from tests.support.import_fixtures import SIMPLE_HEADERS, simple_rows, write_csv, write_form_xlsx

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def cohort_db(db):
    with db.transaction() as s:
        create_cohort(s, CohortData(name="Future Leaders pilot 2021", start_date=dt.date(2021, 9, 1)))
    return db


@pytest.fixture
def wizard(qtbot, make_window, cohort_db):
    window = make_window(cohort_db)
    wiz = ImportWizard(window.ctx, parent=window)
    qtbot.add_widget(wiz)
    with qtbot.wait_exposed(wiz):
        wiz.show()
    yield wiz
    wiz.done(0)


def count(db) -> int:
    with db.session() as s:
        return s.query(Participant).count()


def click(qtbot, wiz: QWizard, which: QWizard.WizardButton) -> None:
    button = wiz.button(which)
    assert button.isEnabled(), f"{button.text()} is disabled"
    qtbot.mouseClick(button, LEFT)


def next_when_ready(qtbot, wiz: QWizard, page) -> None:
    """Wait until ``page`` is complete and the wizard has heard so (completeChanged arrives queued), then Next."""
    qtbot.waitUntil(page.isComplete, timeout=20_000)
    qtbot.waitUntil(wiz.button(QWizard.WizardButton.NextButton).isEnabled, timeout=20_000)
    click(qtbot, wiz, QWizard.WizardButton.NextButton)


def through_the_answers(qtbot, wiz: ImportWizard) -> None:
    """From the columns to the check: past "Use the form's words" (an empty cohort keeps the built-in lists)
    and "Check the answers", which asks nothing for a form in the cohort's own words."""
    click(qtbot, wiz, QWizard.WizardButton.NextButton)
    if wiz.currentId() == wiz.VOCABULARY:
        qtbot.waitUntil(wiz.vocabulary_page.isComplete, timeout=20_000)
        assert not wiz.vocabulary_page.adopt.isChecked()
        next_when_ready(qtbot, wiz, wiz.vocabulary_page)
    assert wiz.currentId() == wiz.VALUES
    page = wiz.values_page
    qtbot.waitUntil(page.isComplete, timeout=20_000)
    assert sum(m.open_questions for m in page.models) == 0
    next_when_ready(qtbot, wiz, page)


def send_drop(widget, path) -> bool:
    """Drag ``path`` over ``widget`` and drop it, as a file manager would."""
    mime = QMimeData()  # kept alive here: the events do not own it
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    copy, none = Qt.DropAction.CopyAction, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(10, 10), copy, mime, LEFT, none)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(QPointF(10, 10), copy, mime, LEFT, none)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted() and drop.isAccepted()


def test_walk_the_wizard_with_clicks(qtbot, qtmodeltester, wizard, cohort_db, tmp_path, monkeypatch):
    form = write_form_xlsx(tmp_path / "form.xlsx", n=40)
    wb = load_workbook(form)
    wb["Form1"].cell(row=5, column=9).value = "not-an-email"  # row 5's email address
    wb.save(form)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(form), ""))

    # 1. File: Browse, then the sheet list shows both sheets.
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    qtbot.mouseClick(wizard.file_page.browse, LEFT)
    # Read off the GUI thread: generous time-outs keep a busy CI machine from failing the walk.
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=20_000)
    qtbot.waitUntil(lambda: "21 columns" in wizard.file_page.info.text(), timeout=20_000)
    assert wizard.file_page.sheet_combo.isVisible()
    assert [wizard.file_page.sheet_combo.itemText(i) for i in range(2)] == ["Form1", "Notes"]
    sheets = wizard.file_page.sheet_combo
    sheets.setFocus()
    qtbot.keyClick(sheets, Qt.Key.Key_Down)
    qtbot.waitUntil(lambda: "Sheet “Notes”: 1 column, no rows" in wizard.file_page.info.text(), timeout=20_000)
    qtbot.keyClick(sheets, Qt.Key.Key_Up)
    qtbot.waitUntil(lambda: "Sheet “Form1”: 21 columns" in wizard.file_page.info.text(), timeout=20_000)
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled(), timeout=20_000)
    click(qtbot, wizard, QWizard.WizardButton.NextButton)

    # 2. Mapping: every column has a drop-down; ignore Region with the keyboard.
    page = wizard.mapping_page
    qtmodeltester.check(page.model)
    qtmodeltester.check(page.preview_model)
    headers = page.model.headers
    region = headers.index("Region")
    assert page.model.fields[headers.index("Email address")] == "email"
    combo = page.combo_for(region)
    assert combo.currentText() == "Region"
    combo.setFocus()
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    assert page.model.fields[region] == "ignore"
    assert "Region" not in [
        page.preview_model.headerData(c, Qt.Orientation.Horizontal) for c in range(page.preview_model.columnCount())
    ]
    # Rows are numbered as the spreadsheet numbers them (the header is row 1), as the check's problems are.
    numbers = [page.preview_model.headerData(r, Qt.Orientation.Vertical) for r in range(4)]
    assert numbers == ["2", "3", "4", "5"]
    through_the_answers(qtbot, wizard)

    # 3. Check: one row with a problem, highlighted; Import needs "skip".
    check = wizard.check_page
    qtbot.waitUntil(lambda: wizard.plan is not None and not check.task.running, timeout=30_000)
    qtmodeltester.check(check.rows_model)
    qtmodeltester.check(check.problems_model)
    assert "39</b> new participants" in check.summary.text()
    [problem] = wizard.plan.problems
    assert (problem.row, problem.column, problem.value) == (5, "Email address", "not-an-email")
    email_col = check.rows_model.columns.index(headers.index("Email address")) + 2
    assert check.rows_model.problem_at(0, email_col) == "'not-an-email' is not a valid email address."
    import_button = wizard.button(QWizard.WizardButton.CommitButton)
    assert import_button.isVisible() and not import_button.isEnabled()
    qtbot.mouseClick(
        check.problems_view.viewport(),
        LEFT,
        pos=check.problems_view.visualRect(check.problems_model.index(0, 0)).center(),
    )
    assert check.rows_view.currentIndex().column() == email_col
    # A check box only reacts to clicks on its box and label, so click at its left edge.
    qtbot.mouseClick(check.skip_invalid, LEFT, pos=QPoint(8, check.skip_invalid.height() // 2))
    assert import_button.isEnabled()
    assert count(cohort_db) == 0  # nothing written while checking
    qtbot.mouseClick(import_button, LEFT)

    # 4. Done: imported in one go.
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=30_000)
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.FinishButton).isEnabled())
    assert "Imported 39 new participants and left out 1 row with problems." in wizard.done_page.message.text()
    with cohort_db.session() as s:
        people = list_participants(s, wizard.cohort_id)
    assert len(people) == 39 and all(p.region == "" for p in people)
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)


def test_broken_file_then_dropping_a_good_one(qtbot, wizard, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    wizard.file_page.path_edit.setFocus()
    qtbot.keyClicks(wizard.file_page.path_edit, str(broken))
    qtbot.keyClick(wizard.file_page.path_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: wizard.file_page.error.isVisible())
    assert "broken.xlsx is damaged" in wizard.file_page.error.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    good = write_csv(tmp_path / "good.csv", SIMPLE_HEADERS, simple_rows(3))
    assert send_drop(wizard, good)
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled())
    assert not wizard.file_page.error.isVisible()
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    assert wizard.file_page.path_edit.text() == str(good)
    assert not wizard.file_page.sheet_combo.isVisible()


def test_mapping_a_taken_field_frees_the_other_column(qtmodeltester):
    model = MappingModel()
    model.set_mapping(["Mail", "Email"], ["email", "ignore"], [["a@x.org", "b@x.org"]])
    qtmodeltester.check(model)
    assert model.setData(model.index(1, MappingModel.FIELD), "Email")
    assert model.fields == ["ignore", "email"]
    assert not model.setData(model.index(0, MappingModel.COLUMN), "Email")


def test_stop_the_check_and_the_import(qtbot, wizard, cohort_db, tmp_path):
    path = write_csv(tmp_path / "big.csv", SIMPLE_HEADERS, simple_rows(6000))
    wizard.file_page.set_file(path)
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled())
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    through_the_answers(qtbot, wizard)
    check = wizard.check_page
    qtbot.mouseClick(check.progress.stop, LEFT)
    qtbot.waitUntil(lambda: not check.task.running, timeout=10_000)
    assert "cancelled" in check.summary.text()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    click(qtbot, wizard, QWizard.WizardButton.BackButton)
    assert wizard.currentId() == wizard.VALUES
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    qtbot.waitUntil(lambda: wizard.plan is not None and not check.task.running, timeout=20_000)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    done = wizard.done_page
    qtbot.mouseClick(done.progress.stop, LEFT)
    qtbot.waitUntil(lambda: not done.task.running, timeout=20_000)
    assert "cancelled" in done.message.text() and "exactly as it was" in done.message.text()
    assert count(cohort_db) == 0


def test_main_window_menu_shortcut_and_drop(qtbot, make_window, cohort_db, tmp_path, monkeypatch):
    window = make_window(cohort_db)
    calls = []
    monkeypatch.setattr(import_wizard, "open_import_wizard", lambda ctx, parent, path=None: calls.append(path))
    action = window.import_action
    assert action in window.menu("File").actions()
    assert action.shortcut().toString() == "Ctrl+I"
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert calls == [None]  # Ctrl+I opens the wizard without a file
    good = write_csv(tmp_path / "apps.csv", SIMPLE_HEADERS, simple_rows(2))
    assert send_drop(window, good)
    qtbot.waitUntil(lambda: calls == [None, good])
    other = tmp_path / "notes.pdf"
    other.write_bytes(b"%PDF")
    assert not send_drop(window, other)


def test_export_template_from_the_file_menu(qtbot, make_window, cohort_db, tmp_path, monkeypatch):
    window = make_window(cohort_db)
    target = tmp_path / "applications"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    assert window.template_action in window.menu("File").actions()
    window.template_action.trigger()
    saved = tmp_path / "applications.xlsx"
    assert saved.exists()
    assert load_workbook(saved).sheetnames == ["Applications", "Lists", "Notes"]
    assert window.statusBar().currentMessage() == f"Saved the application template {saved}"


def test_month_first_dates_and_options_are_remembered(qtbot, wizard, cohort_db, tmp_path):
    path = write_csv(
        tmp_path / "us.csv",
        [*SIMPLE_HEADERS, "Consent date"],
        [[*row, "03/04/2021"] for row in simple_rows(2)],
    )
    wizard.file_page.set_file(path)
    qtbot.waitUntil(lambda: wizard.button(QWizard.WizardButton.NextButton).isEnabled())
    click(qtbot, wizard, QWizard.WizardButton.NextButton)
    dates = wizard.mapping_page.dates
    dates.setFocus()
    qtbot.keyClick(dates, Qt.Key.Key_Down)
    assert dates.currentText().startswith("March 4")
    through_the_answers(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.plan is not None and not wizard.check_page.task.running)
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    qtbot.waitUntil(lambda: wizard.result is not None)
    with cohort_db.session() as s:
        people = list_participants(s, wizard.cohort_id)
        _columns, options = saved_settings(s, wizard.cohort_id)
    assert {p.consent_date for p in people} == {dt.date(2021, 3, 4)}
    assert options.day_first is False  # the next import starts from the same choice
