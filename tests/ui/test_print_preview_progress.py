"""Print preview of many letters: the progress says what happens until the preview shows (issue 21, defect 4)."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QProgressDialog

import mentorapp_ui.outputs.page as outputs
import mentorapp_ui.outputs.pdf_render as pdf_render
from tests.ui.test_outputs_page import page, wait_done  # noqa: F401  (the page fixture)


def visible_progress(widget) -> list[QProgressDialog]:
    return [d for d in widget.window().findChildren(QProgressDialog) if d.isVisible()]


def test_print_preview_progress_follows_the_pages_until_the_preview_shows(page, qtbot, monkeypatch):  # noqa: F811
    seen: list[tuple[str, int, int]] = []
    real, real_print = pdf_render.render_page, outputs.print_pdf
    printing = []

    def watched(pdf, index, dpi):
        if not printing or sys._getframe(1).f_code.co_name != "print_pdf":
            return real(pdf, index, dpi)  # the template editor's live preview (its timer may fire meanwhile)
        # While a page is laid out for the preview, what does the coordinator see?
        shown = visible_progress(page)
        assert len(shown) == 1, "no progress shown while the preview's pages are laid out"
        seen.append((shown[0].labelText(), shown[0].value(), shown[0].maximum()))
        return real(pdf, index, dpi)

    def print_pdf(*args, **kwargs):
        printing.append(1)
        try:
            return real_print(*args, **kwargs)
        finally:
            printing.pop()

    monkeypatch.setattr(pdf_render, "render_page", watched)
    monkeypatch.setattr(outputs, "print_pdf", print_pdf)
    page.model.set_all_checked(True)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, page)
    qtbot.waitUntil(lambda: getattr(page, "print_preview", None) is not None and page.print_preview.isVisible())
    pages = len(seen)
    assert pages >= 10  # five matches: ten letters
    for n, (label, value, maximum) in enumerate(seen):
        assert f"page {n + 1} of {pages}" in label
        assert maximum == pages and value == n < maximum  # never "100%" while work remains
    qtbot.waitUntil(lambda: not visible_progress(page))  # gone once the preview is there
    page.print_preview.close()
