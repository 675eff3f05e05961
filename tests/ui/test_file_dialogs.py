"""Save and open dialogs start in the documents folder, then where that kind of file went last."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QStandardPaths, Qt, QTimer
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QPushButton

from mentorapp.people.cohorts import CohortData, create_cohort
from tests.support.evaluation_data import build_small_cohort
from tests.ui.test_evaluation_pages import open_page
from tests.ui.test_outputs_page import page  # noqa: F401


def documents() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found and Path(found).is_dir() else Path.home()


class FakeDialogs:
    """Stands in for the platform's file dialog: records where it opened, answers the next path."""

    def __init__(self, monkeypatch) -> None:
        self.opened_in: list[Path] = []
        self.answers: list[str] = []
        save = lambda _parent, _title, start, _pattern="", *a, **k: self._answer(start)  # noqa: E731
        monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", save)
        many = lambda _parent, _title, start, _pattern="", *a, **k: ([self._answer(start)[0]], "")  # noqa: E731
        monkeypatch.setattr(QFileDialog, "getOpenFileNames", many)

    def _answer(self, start: str) -> tuple[str, str]:
        self.opened_in.append(Path(start))
        return self.answers.pop(0), ""


def click_menu_item(qtbot, window, menu_name: str, text: str) -> None:
    """Open a menu of the menu bar with the mouse and click one of its items."""
    bar = window.menuBar()
    menu = window.menu(menu_name)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.actionGeometry(menu.menuAction()).center())
    qtbot.waitUntil(menu.isVisible)
    item = next(a for a in menu.actions() if a.text() == text)
    qtbot.mouseClick(menu, Qt.MouseButton.LeftButton, pos=menu.actionGeometry(item).center())


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_evaluation_forms_and_report_start_in_documents_then_remember(qtbot, make_window, db, tmp_path, monkeypatch):
    small = build_small_cohort(db)
    window = make_window(db)
    evaluation = open_page(window, "evaluation", small.cohort_id)
    dialogs = FakeDialogs(monkeypatch)
    forms, reports = tmp_path / "forms", tmp_path / "reports"
    forms.mkdir()
    reports.mkdir()

    dialogs.answers.append(str(forms / "six-month.xlsx"))
    click_menu_item(qtbot, window, "Evaluation", "&Export evaluation form…")
    assert dialogs.opened_in[-1].parent == documents() and dialogs.opened_in[-1].suffix == ".xlsx"
    assert (forms / "six-month.xlsx").exists()
    dialogs.answers.append(str(forms / "again.xlsx"))
    click_menu_item(qtbot, window, "Evaluation", "&Export evaluation form…")
    assert dialogs.opened_in[-1].parent == forms

    # Filled forms come back where the forms went (Ctrl+Shift+I).
    monkeypatch.setattr(evaluation.offline, "import_path", lambda path, confirm=True: True)
    dialogs.answers.append(str(forms / "six-month.xlsx"))
    qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert dialogs.opened_in[-1] == forms

    # The report is another kind of file: documents first, then its own folder (Ctrl+Shift+R).
    report = open_page(window, "report", small.cohort_id)
    report.ask_to_open = False
    for answer in (reports / "report.pdf", reports / "report2.pdf"):
        dialogs.answers.append(str(answer))
        window.activateWindow()  # the progress dialog of the last export was the active window
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        assert not report.export_button.isEnabled()  # writing the PDF
        qtbot.waitUntil(lambda: not report.task.running, timeout=20_000)
    assert [p.parent for p in dialogs.opened_in[-2:]] == [documents(), reports]
    assert dialogs.opened_in[-2].name.endswith("evaluation report.pdf")


def test_print_to_file_suggests_a_full_path_in_the_letters_folder(page, qtbot, tmp_path, monkeypatch):  # noqa: F811
    dialogs = FakeDialogs(monkeypatch)
    letters = tmp_path / "letters"
    letters.mkdir()
    suggested: list[str] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QPrintDialog):
            QTimer.singleShot(20, look)
            return
        suggested.append(dialog.findChild(QLineEdit, "filename").text())
        dialog.reject()

    QTimer.singleShot(20, look)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(suggested), timeout=20_000)
    first = Path(suggested[-1])
    assert first.is_absolute() and first.parent == documents() and first.name.endswith("letters.pdf")

    # Once letters were saved in a folder, printing to a file suggests that folder.
    dialogs.answers.append(str(letters / "letters.pdf"))
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.task is None, timeout=20_000)
    QTimer.singleShot(20, look)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(suggested) == 2, timeout=20_000)
    assert Path(suggested[-1]).parent == letters


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_import_wizard_template_and_open_database_start_in_documents_then_remember(
    qtbot, make_window, db, tmp_path, monkeypatch
):
    from tests.support.import_fixtures import SIMPLE_HEADERS, simple_rows, write_csv

    with db.transaction() as s:
        create_cohort(s, CohortData(name="Pilot", start_date=dt.date(2021, 9, 1)))
    window = make_window(db)
    dialogs = FakeDialogs(monkeypatch)
    applications, templates, databases = tmp_path / "applications", tmp_path / "templates", tmp_path / "databases"
    for folder in (applications, templates, databases):
        folder.mkdir()
    csv = applications / "applications.csv"
    write_csv(csv, SIMPLE_HEADERS, simple_rows(3))

    # The import wizard's Browse… (Ctrl+I opens the wizard, modal): documents, then the file's folder.
    def browse_in_wizard() -> None:
        wizard = QApplication.activeModalWidget()
        if wizard is None:
            QTimer.singleShot(20, browse_in_wizard)
            return
        try:
            qtbot.mouseClick(wizard.findChild(QPushButton, "importBrowse"), Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: wizard.table is not None, timeout=20_000)
        finally:
            wizard.reject()

    for _ in range(2):
        dialogs.answers.append(str(csv))
        QTimer.singleShot(20, browse_in_wizard)
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        qtbot.keyClick(window, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert dialogs.opened_in == [documents(), applications]

    # File > Export application template…: its own kind of file.
    for name in ("applications.xlsx", "again.xlsx"):
        dialogs.answers.append(str(templates / name))
        click_menu_item(qtbot, window, "File", "Export application &template…")
    assert (templates / "applications.xlsx").exists()
    assert [p.parent for p in dialogs.opened_in[2:]] == [documents(), templates]
    assert dialogs.opened_in[2].name == "applications.xlsx"

    # File > Open database… (Ctrl+O): in the folder of the database open now (the test's own), then that of
    # the database opened last.
    for name in ("other.db", "third.db"):
        dialogs.answers.append(str(databases / name))
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda n=name: window.ctx.db.path is not None and window.ctx.db.path.name == n)
    assert dialogs.opened_in[4:] == [db.path.parent, databases]
