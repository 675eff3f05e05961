"""UI fixtures: a real main window over a test database."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from mentorapp.store.db import Database
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.gc_guard import GuiThreadGarbageCollector
from mentorapp_ui.app.main_window import MainWindow


@pytest.fixture(scope="session", autouse=True)
def _gc_on_gui_thread(qapp):
    """As in the application: cycles are collected on the GUI thread only."""
    guard = GuiThreadGarbageCollector()
    yield guard
    guard.timer.stop()
    gc.enable()


@pytest.fixture(autouse=True)
def _collect_between_tests(qapp):
    yield
    gc.collect()  # on the GUI thread, while the application is alive


@pytest.fixture(autouse=True)
def _qt_names(qapp) -> None:
    QCoreApplication.setOrganizationName("mentorapp-tests")
    QCoreApplication.setApplicationName("mentorapp-tests")
    QSettings().clear()  # no window state leaks from one test into the next


@pytest.fixture
def make_window(qtbot):
    """Build a MainWindow over a database; closed (and its settings saved) at the end."""

    def build(database: Database) -> MainWindow:
        window = MainWindow(AppContext(database))
        qtbot.add_widget(window)
        with qtbot.wait_exposed(window):
            window.show()
        # Shortcuts only reach the active window.
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        return window

    return build
