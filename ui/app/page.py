"""What every workflow page has: a title, a name for --page, and a refresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from mentorapp_ui.app.context import AppContext

if TYPE_CHECKING:
    from mentorapp_ui.app.main_window import MainWindow


class Page(QWidget):
    """A workflow page. Subclasses set ``title`` and ``name`` and implement ``refresh``.

    ``refresh`` is called when the page is shown, the cohort changes or data
    changes while it is visible; ``install`` lets a page add actions to the main
    window's menus (``window.menu("Match")``) once, after it is built.
    """

    title = ""
    name = ""
    icon_name = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def refresh(self) -> None:
        """Reload what the page shows from the database (pages override this)."""

    def install(self, window: MainWindow) -> None:
        """Add this page's menu actions to the main window (optional)."""
