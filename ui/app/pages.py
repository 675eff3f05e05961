"""The workflow pages as the main window lists them, before any page's module is imported.

The window's frame shows this list at once; each page is imported and built only when
:meth:`PageEntry.load` is called, once the database is open (see ``main_window``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # for types only: importing a page's module is what the frame waits without
    from mentorapp_ui.app.page import Page


class PageEntry(NamedTuple):
    """A workflow page as the frame lists it before the page's module is imported (a named tuple: no dataclasses
    to import before the window shows)."""

    name: str
    title: str
    module: str
    class_name: str

    def load(self) -> type[Page]:
        return getattr(importlib.import_module(self.module), self.class_name)


# The workflow pages, in workflow order; add one here to show it (a test checks each entry's name and title).
PAGES: list[PageEntry] = [
    PageEntry("participants", "Participants", "mentorapp_ui.people.page", "ParticipantsPage"),
    PageEntry("board", "Match board", "mentorapp_ui.board.page", "BoardPage"),
    PageEntry("outputs", "Letters & roster", "mentorapp_ui.outputs.page", "OutputsPage"),
    PageEntry("dashboard", "Dashboard", "mentorapp_ui.running.dashboard_page", "DashboardPage"),
    PageEntry("evaluation", "Evaluation", "mentorapp_ui.evaluation.page", "EvaluationPage"),
    PageEntry("report", "Report", "mentorapp_ui.evaluation.report_page", "ReportPage"),
    PageEntry("cohorts", "Cohorts", "mentorapp_ui.evaluation.overview_page", "CohortsPage"),
]
