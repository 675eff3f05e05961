"""Letters into a folder that holds an earlier export's letters: the window asks to clear or keep them."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from mentorapp.outputs.files import MANIFEST
from mentorapp_ui.outputs.page import OutputsPage
from tests.support.outputs_data import add_matches


@pytest.fixture
def page(demo_db, demo_cohort_id, make_window, qtbot) -> OutputsPage:
    add_matches(demo_db, demo_cohort_id)
    window = make_window(demo_db)
    assert window.show_page("outputs")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.model.rowCount() == 5)
    return page


def _export(page, qtbot, monkeypatch, folder, answers: list) -> list[str]:
    """Export into ``folder``, answering the questions in turn; the questions asked."""
    asked: list[str] = []

    def question(_parent, title, *_args, **_kwargs):
        asked.append(title)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(folder))
    page.mode.setCurrentIndex(1)
    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.task is None, timeout=20_000)
    return asked


def _letters(folder) -> set[str]:
    return {p.name for p in folder.iterdir() if p.name != MANIFEST}


def test_the_window_asks_to_clear_or_keep_earlier_letters(page, qtbot, monkeypatch, tmp_path):
    folder = tmp_path / "letters"
    yes, no, cancel = (QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No, QMessageBox.StandardButton.Cancel)
    _export(page, qtbot, monkeypatch, folder, [yes])  # the default-letterhead question only
    first = _letters(folder)
    assert first
    stray = folder / "Someone Earlier 999999.pdf"
    stray.write_bytes(b"%PDF earlier")
    # Pretend the stray file came from an earlier export too: it is listed in the folder's manifest.
    manifest = (folder / MANIFEST).read_text(encoding="utf-8")
    (folder / MANIFEST).write_text(manifest.replace('"files": [', '"files": ["Someone Earlier 999999.pdf", '))
    assert _export(page, qtbot, monkeypatch, folder, [yes, cancel])[-1] == "Letters from an earlier export"
    assert _letters(folder) == first | {stray.name}  # Cancel: nothing written, nothing removed
    _export(page, qtbot, monkeypatch, folder, [yes, no])  # keep
    assert _letters(folder) == first | {stray.name}
    _export(page, qtbot, monkeypatch, folder, [yes, yes])  # clear
    assert _letters(folder) == first and not stray.exists()
