"""The new-mentor offer after ending a pair early shows every reason: wrapped, and scrollable when long."""

from __future__ import annotations

from mentorapp_ui.running.end_dialog import EndDialog, RematchDialog
from tests.ui.test_running_lifecycle import modal, running_db  # noqa: F401  (the fixture)


def test_the_suggested_mentors_reasons_are_all_there_to_read(make_window, running_db, qtbot):  # noqa: F811
    window = make_window(running_db)
    page = window.current_page()
    page.risk_view.selectRow(0)
    page.end_selected_pair()
    dialog = modal(EndDialog)
    qtbot.keyClicks(dialog.reason.lineEdit(), "Mentor moved abroad")
    dialog.ok.click()
    offer = modal(RematchDialog)
    qtbot.waitUntil(lambda: offer.propose.isEnabled(), timeout=15000)
    qtbot.waitExposed(offer)
    offer.grab().save("/tmp/exD/rematch.png")

    text, scroll = offer.text, offer.scroll
    assert text.text().count("<li>") >= 4  # a long list of reasons
    # The label has the height its wrapped lines need: no line is cut off at the bottom.
    assert text.height() >= text.heightForWidth(text.width())
    # All of it is in view, or the rest is reached by scrolling.
    bar = scroll.verticalScrollBar()
    assert scroll.viewport().height() + bar.maximum() >= text.height()
    # Nothing runs off to the right either: the lines wrap at the dialog's width.
    assert text.width() <= scroll.viewport().width()

    # On a small screen the same reasons scroll rather than push the buttons off it.
    scroll.setMinimumHeight(60)
    offer.layout().activate()
    offer.resize(offer.width(), 150)
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    assert scroll.viewport().height() + bar.value() >= text.height()
