"""Every page fits the window a coordinator gets, and in a smaller one nothing is squeezed.

The window opens at 1280 x 800 and can be made as small as 900 x 600. Each page sits in a
scroll area: at the default size no page needs a horizontal scroll bar; at the smallest, a page
that needs more room keeps it and scrolls, instead of drawing its buttons and labels over each
other (the match board's buttons read "gest matc" before).
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollArea

from mentorapp_ui.app.pages import PAGES


def _holder(page) -> QScrollArea:
    holder = page.parentWidget().parentWidget()  # the page, the scroll area's viewport, the scroll area
    assert isinstance(holder, QScrollArea)
    return holder


def _show(window, qtbot, name: str):
    assert window.show_page(name)
    qtbot.waitUntil(lambda: window.current_page() is not None and window.current_page().name == name)
    QApplication.processEvents()
    return window.current_page()


@pytest.mark.parametrize("entry", PAGES, ids=[e.name for e in PAGES])
def test_each_page_fits_the_default_window_without_a_horizontal_scroll_bar(make_window, demo_db, qtbot, entry):
    window = make_window(demo_db)
    window.resize(1280, 800)
    page = _show(window, qtbot, entry.name)
    holder = _holder(page)
    qtbot.waitUntil(lambda: holder.viewport().width() >= page.minimumSizeHint().width())
    assert holder.horizontalScrollBar().maximum() == 0


def test_in_the_smallest_window_pages_scroll_and_keep_their_buttons_whole(make_window, demo_db, qtbot):
    window = make_window(demo_db)
    window.resize(window.minimumSize())
    assert window.width() == 900 and window.height() == 600
    for entry in PAGES:
        page = _show(window, qtbot, entry.name)
        holder = _holder(page)
        # A page that fills itself after it shows (the report) asks for its room a moment later.
        qtbot.waitUntil(lambda page=page: page.width() >= page.minimumSizeHint().width(), timeout=3000)
        if page.minimumSizeHint().width() > holder.viewport().width():
            assert holder.horizontalScrollBar().maximum() > 0, entry.name  # the rest is reached by scrolling
        for button in page.findChildren(QAbstractButton):
            if button.isVisibleTo(page) and button.text():
                # Each labelled button as wide as its own text asks: none cut to "gest matc".
                assert button.width() >= button.minimumSizeHint().width(), (entry.name, button.text())


def test_a_column_header_too_narrow_for_its_words_ends_in_an_ellipsis_on_every_page(make_window, demo_db, qtbot):
    """Qt clips a centred header at both ends by default ("hat would you like to d")."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTableView

    window = make_window(demo_db)
    seen = 0
    for entry in PAGES:
        page = _show(window, qtbot, entry.name)
        for view in page.findChildren(QTableView):
            if view.objectName().startswith("qt_"):
                continue  # Qt's own, such as a calendar's days
            seen += 1
            header = view.horizontalHeader()
            qtbot.waitUntil(lambda h=header: h.count() > 0, timeout=10_000)  # the cohorts' columns come off-thread
            if header.sectionResizeMode(0) == header.ResizeMode.ResizeToContents:
                # Sized to its words, a header always fits; elided, a two-line one was cut as if one line.
                assert header.textElideMode() == Qt.TextElideMode.ElideNone, (entry.name, view)
                assert header.sectionSize(0) >= header.sectionSizeHint(0)
                continue
            assert header.textElideMode() == Qt.TextElideMode.ElideRight, (entry.name, view)
    assert seen >= 5


# --- A 1024 x 700 window (a small laptop's screen) ------------------------------------------------
# Each page below was cut on the right there, with a page-wide horizontal scroll bar: the dashboard's
# "Chase e-mails…" and its tiles, the Evaluation page's form and "Delete response", the Report's
# "Export PDF…" and charts, the letters' preview, Subject and "Open exported file".
# The match board lost "Confirm all proposed" and "Suggest matches" off its right edge.


def _no_side_scrolling(page) -> None:
    """Neither the page's holder nor any scroll area inside it (a page of its own, a form, a preview)
    scrolls sideways: everything is in sight."""
    for area in [_holder(page), *page.findChildren(QScrollArea)]:
        if area.isVisibleTo(page.window()):
            assert area.horizontalScrollBar().maximum() == 0, (page.name, area.objectName() or area)


def _settled(qtbot, page) -> None:
    holder = _holder(page)
    qtbot.waitUntil(lambda: holder.viewport().width() >= page.minimumSizeHint().width(), timeout=3000)
    QApplication.processEvents()


@pytest.fixture
def evaluated_db(demo_db, demo_cohort_id):
    from mentorapp.demo.evaluations import fill_demo_evaluations

    with demo_db.transaction() as s:
        fill_demo_evaluations(s, demo_cohort_id)
    return demo_db


@pytest.mark.parametrize("name", ["board", "outputs", "dashboard", "evaluation", "report"])
def test_each_page_fits_a_1024_wide_window_without_a_horizontal_scroll_bar(make_window, evaluated_db, qtbot, name):
    window = make_window(evaluated_db)
    window.resize(1024, 700)
    page = _show(window, qtbot, name)
    if name == "report":
        qtbot.waitUntil(lambda: page.charts.count() >= 3)
    if name == "outputs":
        from pathlib import Path

        # After an export the row also names the file and offers to open it.
        page._remember(Path("/tmp/Future Leaders pilot roster 2026-12-03.xlsx"), "the roster")
        qtbot.waitUntil(lambda: page.editor.preview.pixmap() is not None and not page.editor.preview.pixmap().isNull())
    _settled(qtbot, page)
    assert page.width() <= _holder(page).viewport().width()
    _no_side_scrolling(page)
    for button in page.findChildren(QAbstractButton):
        if button.isVisibleTo(page) and button.text():
            right = button.mapTo(page, button.rect().topRight()).x()
            assert right <= _holder(page).viewport().width(), (name, button.text())  # whole and in sight


@pytest.fixture
def running_db(db):
    from mentorapp.demo.cohort import create_demo
    from mentorapp.demo.running import demo_today, fill_demo_running
    from mentorapp.store.models import Cohort
    from mentorapp_ui.running.day import set_today

    with db.transaction() as s:
        result = create_demo(s)
        fill_demo_running(s, result.cohort_id)
        set_today(demo_today(s.get(Cohort, result.cohort_id)))  # the scheme in its third month
    yield db
    set_today(None)


def test_the_running_dashboard_fits_a_1024_wide_window(make_window, running_db, qtbot):
    window = make_window(running_db)
    window.resize(1024, 700)
    page = _show(window, qtbot, "dashboard")
    _settled(qtbot, page)
    _no_side_scrolling(page)
    body = page.scroll.widget()
    assert body.width() <= page.scroll.viewport().width()
    chase = page.findChild(QAbstractButton, "dashboardChase")
    assert chase.mapTo(page, chase.rect().topRight()).x() <= page.width()
    # The eight pipeline tiles go on two rows rather than past the window's edge.
    assert page.tile_row.columns < 8
    for tile in page.tiles.values():
        assert tile.mapTo(body, tile.rect().topRight()).x() <= body.width(), tile.objectName()


def test_the_dashboard_keeps_to_the_window_once_people_are_chased(make_window, running_db, qtbot):
    """ "13 chased, last on 20 November 2021" did not wrap: the page grew past the window and its
    "Chase e-mails…" button was cut, at the default 1280 wide too."""
    from mentorapp_ui.running.chase_dialog import ChaseDialog

    window = make_window(running_db)
    for width, height in ((1280, 800), (1024, 700)):
        window.resize(width, height)
        page = _show(window, qtbot, "dashboard")
        for about in ("check-in", "first-meeting", "evaluation", "at-risk"):
            page.findChild(QAbstractButton, f"chase_{about}").click()
            dialog = QApplication.activeModalWidget()
            assert isinstance(dialog, ChaseDialog)
            assert dialog.mark()
            dialog.reject()
        qtbot.waitUntil(lambda page=page: "chased, last on" in page.findChild(QLabel, "chased_check-in").text())
        _settled(qtbot, page)
        _no_side_scrolling(page)
        body = page.scroll.widget()
        assert body.width() <= page.scroll.viewport().width(), width
        chase = page.findChild(QAbstractButton, "dashboardChase")
        assert chase.mapTo(page, chase.rect().topRight()).x() <= page.scroll.viewport().width(), width
