"""What every workflow page has: a title, a name for --page, a refresh, and its actions."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QScrollArea, QWidget

from mentorapp_ui.app.actions import ActionSpec
from mentorapp_ui.app.context import AppContext


class Page(QWidget):
    """A workflow page. Subclasses set ``title`` and ``name`` and implement ``refresh``.

    ``refresh`` is called when the page is shown, the cohort changes or data
    changes while it is visible. A page declares its menu items and shortcuts
    with :meth:`declare` (the main window places them); it never sees the window.
    """

    title = ""
    name = ""
    icon_name = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx

    def declare(self, spec: ActionSpec) -> QAction:
        """Register one of this page's actions (its keys work while the page has the focus)."""
        return self.ctx.actions.add(spec, self, self.name)

    def refresh(self) -> None:
        """Reload what the page shows from the database (pages override this)."""

    def can_leave(self) -> bool:
        """May the page be left (another page, cohort or database)? The window asks before each.

        A page holding unsaved edits asks Save / Discard / Cancel and answers False on Cancel; one
        that must also hold the window open watches its close event itself (the Evaluation page).
        """
        return True

    def shutdown(self) -> None:
        """The window is closing: stop any work that must not outlive it (pages override this)."""


def scrolled(page: Page) -> QScrollArea:
    """The page in a frameless scroll area, as the main window holds it: the page fills the window,
    and in a window narrower or lower than the page needs, scroll bars reach the rest instead of
    squeezing its buttons and labels into each other (tests/ui/test_page_widths.py)."""
    from PySide6.QtCore import Qt  # after the first paint: the frame stays clear of Qt's enums

    holder = QScrollArea()
    holder.setObjectName(f"{page.name or 'page'}Scroll")
    holder.setWidgetResizable(True)
    holder.setFrameShape(QScrollArea.Shape.NoFrame)
    holder.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # tabbing goes through the page, never stops on its frame
    holder.setWidget(page)
    return holder
