"""The Letters & roster page, through its real buttons, keys and dialogs."""

from __future__ import annotations

import datetime as dt
import threading

import pypdf
import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from mentorapp.outputs.letters import list_letter_matches
from mentorapp.outputs.roster import SHEET_NAMES
from mentorapp_ui.outputs.letter_match_model import MENTEE, LetterMatchModel
from mentorapp_ui.outputs.page import OutputsPage
from tests.support.outputs_data import add_matches


@pytest.fixture
def page(demo_db, demo_cohort_id, make_window, qtbot, monkeypatch) -> OutputsPage:
    add_matches(demo_db, demo_cohort_id)
    # The demo keeps the default letterhead: these tests export anyway when asked (see the letterhead tests).
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window = make_window(demo_db)
    assert window.show_page("outputs")
    page = window.current_page()
    assert isinstance(page, OutputsPage)
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)  # confirmed + active by default
    return page


def save_as(monkeypatch, path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))


def wait_done(qtbot, page) -> None:
    qtbot.waitUntil(lambda: page.task is None, timeout=20_000)


def test_model(qtmodeltester, demo_db, demo_cohort_id):
    add_matches(demo_db, demo_cohort_id)
    model = LetterMatchModel()
    with demo_db.session() as s:
        model.set_matches(list_letter_matches(s, demo_cohort_id, None))
    qtmodeltester.check(model)
    assert model.rowCount() == 8 and len(model.checked_ids()) == 8
    assert model.setData(model.index(0, MENTEE), Qt.CheckState.Unchecked, Qt.ItemDataRole.CheckStateRole)
    assert len(model.checked_ids()) == 7
    assert model.headerData(4, Qt.Orientation.Horizontal) == "Letter sent"


def test_export_roster_button_and_open(page, qtbot, monkeypatch, tmp_path):
    target = tmp_path / "roster.xlsx"
    save_as(monkeypatch, target)
    qtbot.mouseClick(page.roster_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, page)
    assert load_workbook(target).sheetnames == list(SHEET_NAMES)
    assert page.open_button.isEnabled()
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    qtbot.mouseClick(page.open_button, Qt.MouseButton.LeftButton)
    assert opened == [str(target)]


def test_export_csv_of_one_sheet(page, qtbot, monkeypatch, tmp_path):
    target = tmp_path / "matches.csv"
    save_as(monkeypatch, target)
    page.sheet.setCurrentText("Mentors")
    qtbot.mouseClick(page.csv_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, page)
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    # mentorapp's mark for its own CSV (outputs/safe_text.py), then the headings and 16 mentors.
    assert (
        lines[0].startswith("# mentorapp CSV export") and lines[1].startswith("Title,First name") and len(lines) == 18
    )


def test_untick_with_space_then_export_letters(page, qtbot, monkeypatch, tmp_path):
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, MENTEE))
    qtbot.keyClick(page.table, Qt.Key.Key_Space)
    assert len(page.model.checked_ids()) == 4
    assert page.chosen_label.text().startswith("4 of 5 matches ticked: 8 letters")
    target = tmp_path / "letters.pdf"
    save_as(monkeypatch, target)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, page)
    assert len(pypdf.PdfReader(target).pages) == 8
    assert page.last_export == target


def test_default_letterhead_is_questioned_and_no_shows_the_letterhead_tab(page, qtbot, monkeypatch, tmp_path):
    asked = []

    def answer_no(_parent, title, text, *args, **kwargs):
        asked.append((title, text))
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer_no)
    target = tmp_path / "letters.pdf"
    save_as(monkeypatch, target)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1
    assert "'Mentoring Scheme'" in asked[0][1] and "'The Scheme Coordinator'" in asked[0][1]
    assert page.tabs.currentWidget() is page.letterhead
    assert page.task is None and not target.exists()


def test_a_society_letterhead_exports_without_a_question(page, demo_db, qtbot, monkeypatch, tmp_path):
    from mentorapp.outputs.letterhead import Letterhead, save_letterhead

    with demo_db.transaction() as s:
        save_letterhead(s, Letterhead(society_name="Guild of Workplace Physicians", coordinator_name="Ada Mensah"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: pytest.fail("asked about a letterhead that is set"))
    target = tmp_path / "letters.pdf"
    save_as(monkeypatch, target)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, page)
    assert len(pypdf.PdfReader(target).pages) == 10


def test_letters_into_a_folder(page, qtbot, monkeypatch, tmp_path):
    folder = tmp_path / "letters"
    folder.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    page.mode.setCurrentIndex(1)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, page)
    assert len(list(folder.glob("*.pdf"))) >= 6


def test_cancel_leaves_no_file(page, qtbot, monkeypatch, tmp_path):
    import mentorapp_ui.outputs.page as outputs

    gate = threading.Event()
    real = outputs.export_letters

    def slow(*args, **kwargs):
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(outputs, "export_letters", slow)
    folder = tmp_path / "out"
    folder.mkdir()
    save_as(monkeypatch, folder / "letters.pdf")
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    assert page.progress is not None and not page.export_button.isEnabled()
    page.progress.show()  # it would appear by itself after 0.4 s
    qtbot.mouseClick(page.progress.findChild(QPushButton), Qt.MouseButton.LeftButton)
    gate.set()
    wait_done(qtbot, page)
    assert list(folder.iterdir()) == []
    assert "cancelled" in page.window().statusBar().currentMessage()
    assert page.export_button.isEnabled()


def test_unknown_placeholder_blocks_saving_and_printing(page, qtbot, monkeypatch):
    editor = page.editor
    editor.body.setFocus()
    editor.body.moveCursor(editor.body.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.body, " See you at {meeting_place}.")
    assert editor.error.isVisible()
    assert "{meeting_place}" in editor.error.text()
    assert not editor.save_button.isEnabled()
    assert not page.export_button.isEnabled() and not page.print_button.isEnabled()
    warned = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    page.print_action.trigger()
    assert warned and "{meeting_place}" in warned[0] and "{mentor_full_name}" in warned[0]
    assert page.task is None
    # Fixing the text clears the error.
    for _ in " See you at {meeting_place}.":
        qtbot.keyClick(editor.body, Qt.Key.Key_Backspace)
    assert not editor.error.isVisible() and page.export_button.isEnabled()


def test_insert_placeholder_save_and_undo(page, qtbot, demo_db, demo_cohort_id):
    editor = page.editor
    editor.subject.setFocus()
    editor.subject.end(False)
    item = next(
        editor.placeholders.item(i)
        for i in range(editor.placeholders.count())
        if editor.placeholders.item(i).text() == "{mentor_first_name}"
    )
    editor.placeholders.setCurrentItem(item)
    qtbot.mouseClick(editor.findChild(type(editor.save_button), "insertPlaceholder"), Qt.MouseButton.LeftButton)
    assert editor.subject.text() == "Your mentor in the {cohort_name}{mentor_first_name}"
    assert editor.save_button.isEnabled()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    with demo_db.session() as s:
        from mentorapp.outputs.letter_template import load_template

        assert load_template(s, demo_cohort_id).mentee_subject.endswith("{mentor_first_name}")
    page.ctx.undo_stack.undo()
    with demo_db.session() as s:
        from mentorapp.outputs.letter_template import default_template, load_template

        assert load_template(s, demo_cohort_id) == default_template()


def test_live_preview_is_rendered(page, qtbot):
    editor = page.editor
    editor.update_preview()
    pixmap = editor.preview.pixmap()
    assert pixmap is not None and not pixmap.isNull() and pixmap.height() > pixmap.width()
    assert "Page 1" in editor.preview_note.text()


def test_mark_sent_and_undo(page, qtbot, demo_db, demo_cohort_id):
    qtbot.mouseClick(page.sent_button, Qt.MouseButton.LeftButton)
    with demo_db.session() as s:
        dates = {m.letter_sent_on for m in list_letter_matches(s, demo_cohort_id)}
    assert dates == {dt.date.today()}
    qtbot.waitUntil(lambda: page.model.match_at(0).letter_sent_on == dt.date.today())
    page.unsent_only.setChecked(True)
    assert page.model.rowCount() == 0 and page.empty_label.isVisible()
    page.ctx.undo_stack.undo()
    with demo_db.session() as s:
        assert {m.letter_sent_on for m in list_letter_matches(s, demo_cohort_id)} == {None}
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)


def test_print_preview_paints_the_pdf_pages(page, qtbot, monkeypatch):
    import mentorapp_ui.outputs.page as outputs

    painted = []
    real = outputs.print_pdf
    monkeypatch.setattr(
        outputs, "print_pdf", lambda path, printer, **kw: painted.append(real(path, printer, **kw)) or painted[-1]
    )
    page.model.set_all_checked(False)
    page.model.setData(page.model.index(0, MENTEE), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, page)
    qtbot.waitUntil(lambda: getattr(page, "print_preview", None) is not None and page.print_preview.isVisible())
    qtbot.waitUntil(lambda: bool(painted), timeout=10_000)
    assert painted[-1] == 2  # one match: the mentee's and the mentor's letter
    page.print_preview.close()


def test_closing_the_window_stops_a_running_export(page, qtbot, monkeypatch, tmp_path):
    import mentorapp_ui.outputs.page as outputs

    gate = threading.Event()
    real = outputs.export_letters
    monkeypatch.setattr(outputs, "export_letters", lambda *a, **k: (gate.wait(10), real(*a, **k))[1])
    folder = tmp_path / "out"
    folder.mkdir()
    save_as(monkeypatch, folder / "letters.pdf")
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    task = page.task
    assert task is not None and task.running
    threading.Timer(0.2, gate.set).start()
    page.window().close()  # waits for the worker, which sees the cancel
    assert task.cancel_requested and task.wait(0)
    assert list(folder.iterdir()) == []


def test_scores_show_two_decimals_as_on_the_board(page):
    from mentorapp_ui.outputs.letter_match_model import SCORE

    shown = [page.model.index(r, SCORE).data() for r in range(page.model.rowCount())]
    assert shown and all(len(s) == 4 and s[1] == "." for s in shown), shown
