"""What the import wizard's pages share: the state they fill in, and small widgets."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any, Protocol

from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QLabel, QTableView
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.importing import ImportCancelledError, ImportOptions, ImportPlan, ImportResult
from mentorapp.importing.cells import Cell, is_blank
from mentorapp.importing.readers import SUPPORTED, Table, close_rows, open_table
from mentorapp.importing.reconcile import ValueMapping
from mentorapp.importing.vocabulary import adopted_cohort
from mentorapp.store.models import Cohort
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.widgets import TableView

# The steps' titles: a refusal names the step to go back to in the words the coordinator sees.
FILE_STEP = "Choose the file"
COLUMNS_STEP = "Check the columns"
WORDS_STEP = "Use the form's words"
ANSWERS_STEP = "Check the answers"


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
    preview_numbers: list[int]
    fields: list[str]
    mapped_for: tuple[Path, str | None] | None
    options: ImportOptions
    values: ValueMapping | None
    cohort_empty: bool
    adopt_vocabulary: bool
    stage_order: list[str]
    plan: ImportPlan | None
    skip_invalid: bool
    result: ImportResult | None


def wrap(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def table_view(model, *, stretch_last: bool = True) -> QTableView:
    view = TableView()
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


def read_rows(
    path: Path, sheet: str | None, report=None, cancelled=None
) -> tuple[list[str], list[tuple[int, list[Cell]]]]:
    """The headers and the non-blank rows (row number, cells) of the whole file, off the GUI thread:
    ``report(done, total)`` as it goes, stopped when ``cancelled()`` says so."""
    table = open_table(path, sheet)
    total = max(table.estimated_rows or 0, 1)
    rows: list[tuple[int, list[Cell]]] = []
    try:
        for n, (number, cells) in enumerate(table.rows, start=1):
            if n % 200 == 0:
                if cancelled is not None and cancelled():
                    raise ImportCancelledError("Reading the answers was stopped.")
                if report is not None:
                    report(n, max(total, n))
            if not all(is_blank(c) for c in cells):
                rows.append((number, list(cells)))
    finally:
        close_rows(table)
    return list(table.headers), rows


def adopted_scheme(
    session: Session, cohort_id: int, fields: list[str], rows: list[tuple[int, list[Cell]]], stage_order: list[str]
) -> tuple[Any, dict[str, list[str]]]:
    """The cohort as it will be once it takes the file's answers as its lists, and those lists (the core's
    adoption, so the wizard shows exactly what the import will do)."""
    cohort = session.get(Cohort, cohort_id)
    if cohort is None:
        raise UserError("The cohort no longer exists.")
    plan = SimpleNamespace(fields=list(fields), options=ImportOptions(stage_order=list(stage_order)))
    return adopted_cohort(session, cohort, plan, rows)
