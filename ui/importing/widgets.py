"""What the import wizard's pages share: the state they fill in, and small widgets."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView

from mentorapp.importing import ImportOptions, ImportPlan, ImportResult
from mentorapp.importing.readers import SUPPORTED, Table
from mentorapp_ui.app.context import AppContext


class ImportState(Protocol):
    """What the pages read and fill in on the wizard, in the order of the pages."""

    ctx: AppContext
    cohort_id: int | None
    cohort_name: str
    saved_columns: Any
    path: Path | None
    sheet: str | None
    table: Table | None
    preview_rows: list[list[Any]]
    fields: list[str]
    mapped_for: tuple[Path, str | None] | None
    options: ImportOptions
    plan: ImportPlan | None
    skip_invalid: bool
    result: ImportResult | None


def wrap(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def table_view(model, *, stretch_last: bool = True) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setWordWrap(False)
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setStretchLastSection(stretch_last)
    return view


def dropped_file(event: QDragEnterEvent | QDropEvent) -> Path | None:
    """The one spreadsheet or CSV file being dragged, else None."""
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    files = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
    if len(files) == 1 and files[0].suffix.lower() in SUPPORTED:
        return files[0]
    return None


def escape_html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
