"""A print preview of the letters is no export: the activity log does not say it is.

The preview wrote "personal data exported — 8 match letters … written to letters-….pdf" (a temporary
file) into the activity log; printing is what hands the letters out, and the log says that instead.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from mentorapp.store import audit
from tests.ui.test_outputs_page import page, wait_done  # noqa: F401  (the page fixture)


def exports(db) -> list[str]:
    with db.session() as s:
        return [e.description for e in audit.query(s, action=audit.EXPORTED)]


def test_a_print_preview_is_not_logged_as_an_export(page, qtbot):  # noqa: F811
    before = exports(page.ctx.db)
    page.model.set_all_checked(True)
    qtbot.mouseClick(page.preview_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, page)
    qtbot.waitUntil(lambda: getattr(page, "print_preview", None) is not None and page.print_preview.isVisible())
    page.print_preview.close()
    assert exports(page.ctx.db) == before
    assert not any("letters-" in line for line in exports(page.ctx.db))


def test_printing_is_logged_as_printed_not_as_a_temporary_file(page, qtbot, tmp_path):  # noqa: F811
    target = tmp_path / "printed.pdf"

    def accept_print_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "letterPrintDialog":
            QTimer.singleShot(50, accept_print_dialog)
            return
        dialog.findChild(QLineEdit, "filename").setText(str(target))  # to a file: no printer here
        dialog.accept()

    QTimer.singleShot(50, accept_print_dialog)
    qtbot.mouseClick(page.print_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, page)
    qtbot.waitUntil(lambda: target.exists() and target.stat().st_size > 0, timeout=20_000)
    lines = exports(page.ctx.db)
    assert lines and "printed" in lines[0] and "10 match letters" in lines[0]  # five matches, two letters each
    assert not any("letters-" in line for line in lines)
