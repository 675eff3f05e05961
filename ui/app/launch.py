"""Start the mentorapp desktop application.

``python main.py [--db PATH_OR_URL] [--screenshot FILE.png [--page NAME]]``

The window is shown first, built from PySide6 alone, and the database is opened
(and the pages built) right after it appears: a coordinator sees mentorapp at
once, however large the database. Only PySide6 and the window's frame are imported
before the window shows (tests/ui/test_startup.py keeps it so).
"""

from __future__ import annotations

import gc

# Collected on the GUI thread only, from a timer (gc_guard), once the application exists; paused from
# here, before the imports that are most of start-up, so that it does not scan their objects again and again.
gc.disable()

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Sequence  # noqa: E402

# Not Qt (PySide6 builds ~90 Python enums the first time it is touched), QIcon, QMessageBox or the bundled
# files: the frame needs none of them, so they are imported where used, once the window is on the screen.
from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from mentorapp_ui.app.context import AppContext, remember_database  # noqa: E402
from mentorapp_ui.app.gc_guard import GuiThreadGarbageCollector  # noqa: E402
from mentorapp_ui.app.main_window import MainWindow  # noqa: E402

STARTED = time.perf_counter()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mentorapp", description="Run a professional mentoring scheme offline.")
    parser.add_argument("--db", metavar="PATH_OR_URL", help="database file or SQLAlchemy URL")
    parser.add_argument("--screenshot", metavar="FILE.png", help="save a picture of the main window and exit")
    parser.add_argument("--page", metavar="NAME", help="the page to show first (e.g. participants, board)")
    parser.add_argument(
        "--startup-report",
        action="store_true",
        help="print when the window is shown and when its page is filled, then quit (for benchmarks)",
    )
    return parser.parse_args(argv)


def make_application(argv: list[str]) -> QApplication:
    """The application, without its icon (:func:`set_window_icon`, once the window is shown)."""
    app = QApplication.instance() or QApplication(argv)
    QCoreApplication.setOrganizationName("mentorapp")
    QCoreApplication.setApplicationName("mentorapp")
    app.setApplicationDisplayName("mentorapp")
    if not hasattr(app, "gc_guard"):
        app.gc_guard = GuiThreadGarbageCollector(app)  # collect only on the GUI thread
    return app


def set_window_icon(app: QApplication) -> None:
    """The window icon: an SVG (Qt's SVG icon engine and the bundled files), loaded after the first paint."""
    from PySide6.QtGui import QIcon

    from mentorapp_ui.app.resources import icon_path

    app.setWindowIcon(QIcon(str(icon_path("mentorapp.svg"))))


def offer_first_cohort(window: MainWindow) -> None:
    """On an empty database: start empty, or explore the demo cohort."""
    from PySide6.QtWidgets import QMessageBox

    box = QMessageBox(window)
    box.setWindowTitle("Welcome to mentorapp")
    box.setText("<h3>Welcome to mentorapp</h3>There is no cohort in this database yet.")
    box.setInformativeText(
        "Create an empty cohort for your scheme, or explore mentorapp with a demo cohort of "
        "24 mentees and 16 mentors in occupational health (you can delete it later)."
    )
    empty = box.addButton("Create an empty cohort", QMessageBox.ButtonRole.AcceptRole)
    demo = box.addButton("Explore with the demo cohort", QMessageBox.ButtonRole.ActionRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(demo)
    box.exec()
    clicked = box.clickedButton()
    if clicked is empty:
        window.create_cohort()
    elif clicked is demo:
        load_demo(window)


def load_demo(window: MainWindow) -> None:
    from mentorapp.demo.cohort import create_demo

    with window.ctx.db.transaction() as s:
        result = create_demo(s)
    window.reload_cohorts(result.cohort_id)
    window.ctx.show_status(f"Created the demo cohort '{result.cohort_name}'.")


def choose_page(window: MainWindow, page: str | None) -> bool:
    """Show ``page`` first (``--page``); False, with a sentence on stderr, if there is no such page."""
    if page and not window.show_page(page):
        print(f"There is no page called '{page}'; the pages are: {', '.join(window.page_names())}.", file=sys.stderr)
        return False
    return True


def take_screenshot(window: MainWindow, path: str, page: str | None) -> int:
    if not choose_page(window, page):
        return 2
    window.resize(1400, 860)
    window.show()
    for _ in range(5):
        QApplication.processEvents()
    if not window.grab().save(path):
        print(f"Could not save the screenshot to {path}.", file=sys.stderr)
        return 1
    return 0


def screenshot(args: argparse.Namespace) -> int:
    """No one to ask: the database is opened as the command line opens it (mentorapp.store.workspace)."""
    from mentorapp.errors import UserError
    from mentorapp.store.workspace import open_workspace

    try:
        workspace = open_workspace(args.db)
    except UserError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    assert workspace is not None  # the command line's answers never stop quietly
    set_window_icon(QApplication.instance())
    ctx = AppContext(workspace.database)
    ctx.read_only = workspace.read_only
    window = MainWindow(ctx)
    code = take_screenshot(window, args.screenshot, args.page)
    window.close()
    workspace.close()
    return code


def configure_logging() -> None:
    """The log file (mentorapp.store.logs): set up after the first paint, its imports (logging.handlers, socket,
    pickle, platformdirs) and its folder took ~12 ms that the window's frame does not need."""
    from mentorapp.store import logs

    logs.configure()


def report_startup(event: str) -> None:
    print(f"{event} {(time.perf_counter() - STARTED) * 1000:.0f} ms", flush=True)


class _WhenExposed(QObject):
    """Calls ``then`` once, after the window's first expose (when it has been painted)."""

    def __init__(self, window: MainWindow, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then = then
        window.installEventFilter(self)
        QTimer.singleShot(1000, self._go)  # in case no expose ever comes (a minimised start)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() in (QEvent.Type.Paint, QEvent.Type.Expose) and self._then is not None:
            QTimer.singleShot(0, self._go)  # after the paint that goes with the expose
        return False

    def _go(self) -> None:
        then, self._then = self._then, None
        if then is not None:
            self.parent().removeEventFilter(self)
            then()


def open_database_in(window: MainWindow, args: argparse.Namespace) -> bool:
    """Second step: open the database with the start-up checks, then build and fill the pages.

    The checks (mentorapp.store.workspace, asking through ui.app.data_safety): a damaged file is
    never touched (the newest backup is offered), a database open elsewhere may be opened
    read-only, the daily backup is taken.
    False when the coordinator chose to quit.
    """
    from PySide6.QtCore import Qt

    from mentorapp_ui.app.data_safety import open_for_gui

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        opened = open_for_gui(args.db, window)
        if opened is None:
            return False
        window.ctx.db = opened.database
        window.ctx.read_only = opened.read_only
        remember_database(opened.database)
        window.open_pages(later=True)
        window.data_safety.adopt_lock(opened.lock)
    finally:
        QApplication.restoreOverrideCursor()
    empty = window.cohort_combo.count() == 0  # the selector holds every cohort
    if args.startup_report:
        window.repaint()  # "ready" once the filled page is on the screen
        report_startup("ready")
        QTimer.singleShot(0, window.close)
    elif empty and not opened.read_only:
        QTimer.singleShot(0, lambda: offer_first_cohort(window))
    elif not empty:
        QTimer.singleShot(0, window.data_safety.check_retention)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    app = make_application(sys.argv[:1])
    if args.screenshot:
        configure_logging()
        return screenshot(args)
    ctx = AppContext()
    window = MainWindow(ctx)
    if not choose_page(window, args.page):
        return 2
    failed = False

    def second_step() -> None:
        nonlocal failed
        configure_logging()  # the frame logs nothing
        set_window_icon(app)
        if not open_database_in(window, args):
            failed = True
            window.close()

    _WhenExposed(window, second_step)
    window.show()
    if args.startup_report:
        QApplication.processEvents()
        report_startup("shown")
    code = app.exec()
    if ctx.has_database:
        ctx.db.dispose()
        window.data_safety.release_lock()
    return 1 if failed else code


if __name__ == "__main__":
    sys.exit(main())
