"""While the letter template has an error, no stale page is shown and no letters can be marked as sent.

Typing {mentor_nmae} showed the red error and "No preview: fix the placeholder…", but the last page
image stayed beside it, and "Mark letters as sent" stayed enabled while Print and Export were not.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.test_outputs_page import page  # noqa: F401  (the page fixture)


def shows_a_page(editor) -> bool:
    pixmap = editor.preview.pixmap()
    return pixmap is not None and not pixmap.isNull()


def test_a_misspelt_placeholder_clears_the_preview_and_holds_back_marking_as_sent(page, qtbot):  # noqa: F811
    editor = page.editor
    qtbot.waitUntil(lambda: shows_a_page(editor), timeout=10_000)
    assert page.sent_button.isEnabled()
    editor.body.setFocus()
    editor.body.moveCursor(editor.body.textCursor().MoveOperation.End)
    qtbot.keyClicks(editor.body, " {mentor_nmae}")
    assert editor.error.isVisible() and "{mentor_nmae}" in editor.error.text()
    assert not shows_a_page(editor)  # at once, not only when the preview's timer fires
    qtbot.wait(600)  # and still after it has
    assert not shows_a_page(editor)
    assert "fix the placeholder" in editor.preview_note.text()
    for button in (page.sent_button, page.print_button, page.preview_button, page.export_button):
        assert not button.isEnabled(), button.text()
    for _ in " {mentor_nmae}":
        qtbot.keyClick(editor.body, Qt.Key.Key_Backspace)
    assert not editor.error.isVisible() and page.sent_button.isEnabled()
    qtbot.waitUntil(lambda: shows_a_page(editor), timeout=10_000)  # the page comes back
