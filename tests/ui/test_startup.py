"""Start-up in two steps: the window frame is shown at once, then the database opens and the pages fill."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.main_window import PAGES, MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_page_list_names_each_page_as_its_class_does():
    for entry in PAGES:
        page_class = entry.load()
        assert (page_class.name, page_class.title) == (entry.name, entry.title)


def test_frame_is_shown_before_the_database_opens_then_pages_fill(qtbot, demo_db):
    ctx = AppContext()
    window = MainWindow(ctx)
    qtbot.add_widget(window)
    with qtbot.wait_exposed(window):
        window.show()
    # The frame: every page listed, an "Opening…" sign, nothing that needs the database enabled.
    assert [window.nav.item(n).text() for n in range(window.nav.count())] == [e.title for e in PAGES]
    assert not window.nav.isEnabled()
    assert isinstance(window.stack.currentWidget(), QLabel)
    assert window.stack.currentWidget().text() == "Opening the database…"
    assert window.statusBar().currentMessage() == "Opening the database…"
    assert not window.new_cohort_action.isEnabled() and not window.open_database_action.isEnabled()
    assert window.current_page() is None and window.pages == []

    window.show_page("board")  # --page, chosen before the pages exist
    ctx.db = demo_db
    window.open_pages(later=True)
    # The chosen page is built and filled at once; the other pages follow, one per event-loop turn.
    page = window.current_page()
    assert page is not None and page.name == "board"
    assert window.nav.isEnabled() and window.nav.currentRow() == 1
    assert window.cohort_combo.currentText() == "Future Leaders pilot"
    assert window.new_cohort_action.isEnabled() and window.edit_cohort_action.isEnabled()
    assert "Database:" in window.db_label.text()
    qtbot.waitUntil(lambda: len(window.pages) == len(PAGES))
    assert [p.name for p in window.pages] == [e.name for e in PAGES]
    assert window.current_page() is page
    assert "Match" in [a.text().replace("&", "") for a in window.menuBar().actions()]

    window.nav.setCurrentRow(0)
    assert window.current_page().name == "participants"
    assert window.current_page().model.rowCount() == 40


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}


def test_main_shows_the_window_then_fills_it(tmp_path, demo_db):
    """The real start-up path (with the data-safety checks), as the benchmark times it."""
    command = [sys.executable, str(ROOT / "main.py"), "--db", str(demo_db.path), "--page", "participants"]
    result = subprocess.run(
        [*command, "--startup-report"],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    events = [line.split()[0] for line in result.stdout.splitlines()]
    assert events == ["shown", "ready"]


def test_an_unknown_page_is_refused_before_anything_opens(tmp_path, demo_db):
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(demo_db.path), "--page", "nowhere"],
        capture_output=True,
        text=True,
        timeout=120,
        env=_env(tmp_path),
    )
    assert result.returncode == 2
    assert "There is no page called 'nowhere'; the pages are: participants, board" in result.stderr


def test_the_window_appears_without_importing_the_database_layer():
    """Guards start-up speed: the frame needs PySide6 alone (SQLAlchemy, openpyxl, reportlab come after)."""
    code = (
        "import sys\nfrom mentorapp_ui.app import launch as main\n"
        "app = main.make_application(sys.argv[:1])\n"
        "window = main.MainWindow(main.AppContext())\n"
        "window.show()\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'openpyxl', 'reportlab', 'numpy', 'alembic') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    assert _frame_script(code).strip() == ""


def test_the_window_appears_before_what_only_later_steps_need():
    """Guards start-up speed: the Qt namespace (PySide6 builds ~90 Python enums for it, 15-25 ms), the window
    icon's bundled files, the list of recent databases (platformdirs, json), the shortcuts table, the file
    dialogs, the log file and dataclasses are all first needed once the window is on the screen."""
    code = (
        "import enum, sys\n"
        "made = []\n"
        "create = enum.EnumType._create_\n"
        "def spy(cls, name, names=None, **kw):\n"
        "    made.append(name)\n"
        "    return create(cls, name, names, **kw)\n"
        "enum.EnumType._create_ = spy\n"
        "from mentorapp_ui.app import launch as main\n"
        "app = main.make_application(sys.argv[:1])\n"
        "window = main.MainWindow(main.AppContext())\n"
        "window.show()\n"
        "app.processEvents()\n"
        "later = ('mentorapp.store.recent', 'platformdirs', 'json', 'importlib.resources', 'mentorapp.outputs.bundled',"
        " 'mentorapp_ui.app.shortcuts', 'mentorapp_ui.app.file_dialogs', 'mentorapp.store.logs', 'dataclasses')\n"
        "print(','.join(sorted(m for m in later if m in sys.modules)))\n"
        "print(','.join(n for n in ('AlignmentFlag', 'CursorShape', 'ToolBarArea', 'WidgetAttribute') if n in made))\n"
        "print(len(made) > 0)\n"
    )
    # Nothing imported early, no Qt.* enum built; and the spy saw PySide6 build its enums (the check works).
    assert _frame_script(code).splitlines() == ["", "", "True"]


def _frame_script(code: str) -> str:
    """What ``code`` prints, run in a new Python offscreen (start-up is only seen in a process of its own)."""
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_window_icon_is_set_once_the_window_is_shown(qtbot, demo_db):
    """The SVG icon (Qt's SVG icon engine) is loaded in the second step, not before the window shows."""
    QApplication.instance().setWindowIcon(QIcon())
    assert run_main_answering(["--db", str(demo_db.path), "--startup-report"], lambda _box: False) == 0
    assert not QApplication.windowIcon().isNull()


def run_main_answering(argv: list[str], answer: Callable[[QWidget | None], bool]) -> int:
    """Run ``main.main(argv)`` in this process, offering ``answer`` the active dialog every 20 ms until it
    returns True. The run is stopped after 30 s, so that a dialog that never comes fails the test, not hangs it.
    """
    from mentorapp_ui.app import launch as app_main

    poll = QTimer()
    poll.setInterval(20)
    poll.timeout.connect(lambda: answer(QApplication.activeModalWidget()) and poll.stop())
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(QApplication.quit)
    poll.start()
    guard.start(30_000)
    try:
        return app_main.main(argv)
    finally:
        poll.stop()
        guard.stop()


def test_a_damaged_file_shown_in_the_window_then_quit_untouched(qtbot, tmp_path):
    """The start-up checks run once the frame is up; declining leaves the file as it was and exits 1."""
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"not a database at all " * 100)
    seen: list[str] = []

    def answer(box: QWidget | None) -> bool:
        if not isinstance(box, QMessageBox):
            return False
        seen.append(box.text())
        assert isinstance(box.parent(), MainWindow)  # shown over the window, not before it
        box.button(QMessageBox.StandardButton.Close).click()
        return True

    assert run_main_answering(["--db", str(damaged)], answer) == 1
    assert seen == [
        f"The database {damaged} cannot be used: damaged.db is not a mentorapp database: "
        "it is not a database file at all."
    ]
    assert damaged.read_bytes() == b"not a database at all " * 100


def test_menus_are_the_same_whichever_page_is_built_first(qtbot, demo_db):
    def menus_after_starting_on(page: str) -> dict[str, list[str]]:
        ctx = AppContext()
        window = MainWindow(ctx)
        qtbot.add_widget(window)
        window.show_page(page)
        ctx.db = demo_db
        window.open_pages(later=True)
        qtbot.waitUntil(lambda: len(window.pages) == len(PAGES))
        return {
            bar_action.text(): [a.text() for a in bar_action.menu().actions()]
            for bar_action in window.menuBar().actions()
        }

    expected = menus_after_starting_on("participants")
    assert expected["E&valuation"][-3:] == ["Export evaluation &report…", "", "Evaluation &settings…"]
    for page in ("report", "evaluation", "outputs", "board"):
        assert menus_after_starting_on(page) == expected, page


def test_first_start_offers_the_demo_over_the_open_window(qtbot, tmp_path):
    """The README's first command on a new database: the window opens, then the welcome choice."""
    from mentorapp.people.cohorts import list_cohorts
    from mentorapp.store.db import open_database

    path = tmp_path / "new.db"
    windows: list[MainWindow] = []

    def answer(box: QWidget | None) -> bool:
        if not (isinstance(box, QMessageBox) and box.windowTitle() == "Welcome to mentorapp"):
            return False
        window = box.parent()
        assert isinstance(window, MainWindow) and window.current_page() is not None
        windows.append(window)
        next(b for b in box.buttons() if b.text() == "Explore with the demo cohort").click()
        QTimer.singleShot(0, window.close)
        return True

    assert run_main_answering(["--db", str(path)], answer) == 0
    assert windows and windows[0].cohort_combo.currentText() == "Future Leaders pilot"
    database = open_database(str(path))
    with database.session() as s:
        assert [c.name for c in list_cohorts(s)] == ["Future Leaders pilot"]
    database.dispose()
