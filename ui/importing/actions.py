"""The import's actions and drops in the main window: File > Import applications… (Ctrl+I),
File > Export application template…, and a spreadsheet dropped on the window opens the wizard.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from mentorapp.errors import UserError
from mentorapp.store.models import Cohort
from mentorapp_ui.app.actions import ActionSpec
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.file_dialogs import ask_save_file
from mentorapp_ui.importing import wizard
from mentorapp_ui.importing.widgets import dropped_file


def declare_import_actions(ctx: AppContext, window: QWidget) -> tuple[QAction, QAction]:
    """Declare File > Import applications… (Ctrl+I) and Export application template…; both are returned."""
    tip = "Import applications from a spreadsheet or CSV file (you can also drop the file on the window)"
    import_action = ctx.actions.add(
        ActionSpec(
            "importApplicationsAction",
            "&Import applications…",
            # Through the module, so that a test can replace open_import_wizard.
            lambda: wizard.open_import_wizard(ctx, window),
            keys=("Ctrl+I",),
            places=("File/import",),
            status_tip=tip,
            tool_tip=tip,
        ),
        window,
    )
    template_action = ctx.actions.add(
        ActionSpec(
            "exportTemplateAction",
            "Export application &template…",
            lambda: export_template(ctx, window),
            places=("File/import",),
            status_tip="Save a ready application spreadsheet with dropdowns, whose columns import by themselves",
        ),
        window,
    )
    return import_action, template_action


class ImportDropFilter(QObject):
    """Opens the wizard when a spreadsheet is dropped on the widget it watches (the main window)."""

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.parent_widget = parent

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # Qt override
        if event.type() in (QEvent.Type.DragEnter, QEvent.Type.DragMove):
            if dropped_file(event) is not None:  # type: ignore[arg-type]
                event.acceptProposedAction()  # type: ignore[attr-defined]
                return True
        elif event.type() == QEvent.Type.Drop:
            path = dropped_file(event)  # type: ignore[arg-type]
            if path is not None:
                event.acceptProposedAction()  # type: ignore[attr-defined]
                # Open after the drop finishes, so the source application is not kept waiting.
                QTimer.singleShot(0, lambda: wizard.open_import_wizard(self.ctx, self.parent_widget, path))
                return True
        return False


def export_template(ctx: AppContext, parent: QWidget | None = None) -> Path | None:
    """Save the application spreadsheet (the current cohort's focus areas in its dropdowns)."""
    from mentorapp.importing.template import write_template  # openpyxl: not at start-up

    title, pattern = "Save the application template", "Excel workbook (*.xlsx)"
    chosen = ask_save_file(parent, "template", title, "applications.xlsx", pattern)
    if not chosen:
        return None
    target = Path(chosen if chosen.lower().endswith(".xlsx") else chosen + ".xlsx")
    areas = stages = regions = None
    if ctx.cohort_id is not None:
        with ctx.db.session() as s:
            cohort = s.get(Cohort, ctx.cohort_id)
            if cohort is not None:
                areas, stages, regions = list(cohort.focus_areas), list(cohort.career_stages), list(cohort.regions)
    try:
        write_template(target, areas, career_stages=stages, regions=regions)
    except (UserError, OSError) as exc:
        QMessageBox.warning(parent, "Application template", f"The template could not be saved: {exc}")
        return None
    ctx.show_status(f"Saved the application template {target}")
    return target
