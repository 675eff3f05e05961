"""The participants page's details keep an e-mail address on one line, however narrow the panel."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mentorapp_ui.people.participant_model import EMAIL
from tests.ui.test_participants_page import participants_page


def lines_of(browser, text: str) -> set[int]:
    """The layout lines (of its block) that ``text`` is drawn on in ``browser``."""
    doc = browser.document()
    cursor = doc.find(text)
    assert not cursor.isNull(), f"{text!r} is not shown"
    block = cursor.block()
    layout = block.layout()
    start, end = cursor.selectionStart() - block.position(), cursor.selectionEnd() - block.position() - 1
    return {layout.lineForTextPosition(start).lineNumber(), layout.lineForTextPosition(end).lineNumber()}


def test_a_long_email_is_never_split_in_the_details(qtbot, make_window, demo_db):
    window = make_window(demo_db)
    window.resize(1200, 700)
    page = participants_page(window)
    emails = [page.proxy.index(r, EMAIL).data() for r in range(page.proxy.rowCount())]
    row = max(range(len(emails)), key=lambda r: len(emails[r]))
    email = emails[row]
    total = sum(page.splitter.sizes())
    page.splitter.setSizes([total - 260, 260])  # the narrowest the panel goes
    page.table.scrollTo(page.proxy.index(row, 0))
    qtbot.mouseClick(
        page.table.viewport(), Qt.MouseButton.LeftButton, pos=page.table.visualRect(page.proxy.index(row, 0)).center()
    )
    details = page.details
    assert email in details.toPlainText()
    window.grab().save("/tmp/exD/participant_email.png")
    assert len(lines_of(details, email)) == 1
    assert len(lines_of(details, "Membership no.")) == 1  # nor its label, to make room for it
    # Where it is wider than the panel, the panel scrolls sideways to show the rest.
    if details.document().idealWidth() > details.viewport().width():
        assert details.horizontalScrollBar().maximum() > 0
