"""Writing the roster: an Excel workbook that looks finished when opened, or one sheet as CSV.

``write_roster`` writes the sheets of :func:`mentorapp.outputs.roster.collect_roster` with
openpyxl's write-only mode (fast at 10,000 participants), each with a bold frozen header,
autofilter, fitted column widths, real Excel dates, wrapped long text, print titles and
landscape A4 set-up. ``write_sheet_csv`` writes any one sheet as CSV. User text always goes
through :mod:`mentorapp.outputs.safe_text`, so no participant's text becomes a formula.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.hyperlink import Hyperlink
from sqlalchemy.orm import Session

from mentorapp.outputs.files import CancelFn, Monitor, ProgressFn, atomic_path
from mentorapp.outputs.roster import EMAIL, SCORE, TEXT, WRAP, Roster, Sheet, collect_roster
from mentorapp.outputs.safe_text import MAX_CELL_CHARS, is_formula_like, spreadsheet_text, text_cell, write_csv
from mentorapp.store import audit

DATE_FORMAT = "d mmm yyyy"
HEADER_FILL = "1F4E79"
FONT = "Calibri"  # the workbook default; named so every reader picks the same face
# Printed pages should stay readable: a wide sheet is spread over several pages across.
PRINT_CHARS_PER_PAGE = 240


# ----------------------------------------------------------------------------- xlsx

THIN = Side(style="thin", color="8EA9C1")


def _cell(ws: Any, value: Any, style: Any) -> Cell:
    """A write-only cell with a copied style; formula-like text stays literal text."""
    if isinstance(value, str) and (is_formula_like(value) or not value.isprintable()):
        cell = text_cell(ws, value)
        quote = cell.quotePrefix
        cell._style = type(style)(style)
        cell.quotePrefix = quote
        return cell
    return Cell(ws, row=1, column=1, value=value, style_array=style)


class _StyledCell(Cell):
    """A Cell whose style never changes: its style id is looked up once, not for every row it writes.

    Its repr is cheap too: write-only ``append`` formats one in an error message per styled cell.
    """

    __slots__ = ("_sid",)

    @property
    def style_id(self) -> int:  # openpyxl's name; the workbook's list of styles only ever grows
        try:
            return self._sid
        except AttributeError:
            sheet = self.parent  # the cell's worksheet, whose parent is the workbook
            self._sid = sid = sheet.parent._cell_styles.add(self._style)
            return sid

    def __repr__(self) -> str:
        return "<styled cell>"


def _fast(ws: Any, value: Any, style: Any, data_type: str) -> Cell:
    """A styled cell for a value already known to be safe, skipping openpyxl's type sniffing."""
    cell = _StyledCell(ws, row=1, column=1, style_array=style)
    cell._value = value
    cell.data_type = data_type
    return cell


def _row_cells(ws: Any) -> Any:
    """A faster stand-in for openpyxl's write-only ``_values_to_row`` on ``ws``, writing the same XML.

    openpyxl tries each value as a plain value and takes a styled cell from the ValueError that
    raises (with a new cell after it); here a cell is taken as it is, and printable text of a cell's
    length is stored as text without openpyxl sniffing its type again (so it can never become a formula).
    """

    def values_to_row(values: Any, row_idx: int) -> Any:
        plain = Cell(ws)
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            if isinstance(value, Cell):
                cell = value
            else:
                cell = plain
                if type(value) is str and len(value) <= MAX_CELL_CHARS and value.isprintable():
                    cell._value, cell.data_type = value, "s"  # text, never a formula, whatever it starts with
                else:
                    cell.value = value
            cell.column, cell.row = col_idx, row_idx
            if cell.hyperlink is not None:
                cell.hyperlink.ref = cell.coordinate
            yield cell

    return values_to_row


class _Styles:
    """Prototype cells whose style arrays are copied onto each written cell (fast)."""

    def __init__(self, ws: Any) -> None:
        def proto(**kw: Any) -> Any:
            c = Cell(ws, row=1, column=1)
            for k, v in kw.items():
                setattr(c, k, v)
            return c._style

        self.header = proto(
            font=Font(name=FONT, bold=True, color="FFFFFF", size=11),
            fill=PatternFill("solid", fgColor=HEADER_FILL),
            alignment=Alignment(vertical="center", wrap_text=False),
            border=Border(bottom=THIN),
        )
        self.date = proto(number_format=DATE_FORMAT, alignment=Alignment(horizontal="left", vertical="top"))
        self.wrap = proto(alignment=Alignment(wrap_text=True, vertical="top"))
        self.top = proto(alignment=Alignment(vertical="top"))
        self.score = proto(number_format="0.00", alignment=Alignment(horizontal="center", vertical="top"))
        self.link = proto(
            font=Font(name=FONT, color="0563C1", underline="single", size=11), alignment=Alignment(vertical="top")
        )
        self.title = proto(font=Font(name=FONT, bold=True, size=16, color=HEADER_FILL))
        self.heading = proto(font=Font(name=FONT, bold=True, size=12, color=HEADER_FILL), border=Border(bottom=THIN))
        self.label = proto(font=Font(name=FONT, color="404040", size=11))
        self.value = proto(alignment=Alignment(horizontal="left"))
        self.value_date = proto(number_format=DATE_FORMAT, alignment=Alignment(horizontal="left"))


def _page_setup(ws: Any, landscape: bool = True, pages_wide: int = 1) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = 9  # A4
    ws.page_setup.fitToWidth = pages_wide
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.oddFooter.center.text = "Page &P of &N"
    ws.oddFooter.center.size = 9


def _write_summary(wb: Workbook, roster: Roster) -> None:
    ws = wb.create_sheet("Summary")
    st = _Styles(ws)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = max(20, min(60, len(roster.cohort_name) + 4))
    _page_setup(ws, landscape=False)
    ws.oddHeader.left.text = _header_text(roster.cohort_name)
    ws.append([_cell(ws, spreadsheet_text(f"Mentoring roster: {roster.cohort_name}"), st.title)])
    ws.append([])
    for label, value in roster.summary:
        if not label:
            ws.append([])
        elif value is None:
            ws.append([_cell(ws, label, st.heading), _cell(ws, "", st.heading)])
        else:
            style = st.value_date if isinstance(value, dt.date) else st.value
            ws.append([_cell(ws, label, st.label), _cell(ws, spreadsheet_text(value), style)])


def _write_sheet(wb: Workbook, roster: Roster, sheet: Sheet, mailto: bool, monitor: Monitor) -> None:
    ws = wb.create_sheet(sheet.title)
    ws._values_to_row = _row_cells(ws)  # openpyxl's own method name, taken over for this sheet
    st = _Styles(ws)
    widths = sheet.widths()
    for i, width in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last = get_column_letter(len(sheet.columns))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last}{len(sheet.rows) + 1}"
    ws.print_title_rows = "1:1"
    pages_wide = max(1, math.ceil(sum(widths) / PRINT_CHARS_PER_PAGE))
    if pages_wide > 1 and sheet.title in ("Mentees", "Mentors"):
        ws.print_title_cols = "A:C"  # names repeat on every page across
    _page_setup(ws, pages_wide=pages_wide)
    ws.oddHeader.left.text = _header_text(roster.cohort_name)
    ws.oddHeader.right.text = sheet.title
    ws.append([_cell(ws, c.header, st.header) for c in sheet.columns])

    # Per column: how to turn a value into a cell. Plain text that cannot be
    # read as a formula is appended raw (the fastest path in write-only mode).
    kinds = [c.kind for c in sheet.columns]
    date_style, wrap_style, top_style, score_style, link_style = st.date, st.wrap, st.top, st.score, st.link
    # One reusable cell per column and style: write-only ``append`` writes a
    # row's cells before it returns, so the next row may refill the same cells
    # (no style array copied per cell, which keeps the roster near raw speed).
    reusable: dict[tuple[int, int], Cell] = {}

    def fast(col: int, value: Any, style: Any, data_type: str) -> Cell:
        cell = reusable.get((col, id(style)))
        if cell is None:
            cell = reusable[(col, id(style))] = _StyledCell(ws, row=1, column=1, style_array=style)
        cell._value = value
        cell.data_type = data_type
        return cell

    for n, row in enumerate(sheet.rows, 1):
        out: list[Any] = []
        lines = 1
        plain: list[int] = []  # columns written unstyled (bottom-aligned if the row grows)
        for col, (value, kind, width) in enumerate(zip(row, kinds, widths)):
            if value is None or value == "":
                out.append(None)
            elif isinstance(value, str):
                if is_formula_like(value) or not value.isprintable():
                    out.append(_cell(ws, value, wrap_style if kind in (WRAP, TEXT) else top_style))
                    if kind in (WRAP, TEXT):
                        lines = max(lines, wrapped_lines(value, width))
                elif len(value) > width and kind in (WRAP, TEXT):
                    out.append(fast(col, value, wrap_style, "s"))
                    lines = max(lines, wrapped_lines(value, width))
                elif kind == EMAIL and mailto:
                    cell = _fast(ws, value, link_style, "s")
                    cell._hyperlink = Hyperlink(ref="", target=f"mailto:{value}")
                    out.append(cell)
                else:
                    plain.append(col)
                    out.append(value)  # plain and safe: no style needed in a one-line row
            elif isinstance(value, dt.date):
                out.append(fast(col, value, date_style, "d"))
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                if kind == SCORE:
                    out.append(fast(col, value, score_style, "n"))
                else:
                    plain.append(col)
                    out.append(value)
            else:
                out.append(_cell(ws, value, top_style))
        if lines > 1:  # spreadsheet programs do not all grow rows for wrapped text on opening
            ws.row_dimensions[n + 1].height = min(LINE_HEIGHT * lines + 2, 409)
            for col in plain:  # a tall row reads best with every cell at the top
                value = out[col]
                out[col] = fast(col, value, top_style, "s" if isinstance(value, str) else "n")
        ws.append(out)
        if n % 500 == 0:
            monitor.step(500)
    monitor.step(len(sheet.rows) % 500)


def _header_text(text: str) -> str:
    """Header/footer text treats '&' as a code; double it so names print as typed."""
    return spreadsheet_text(text).replace("&", "&&")[:200]


def write_roster(
    roster: Roster,
    path: str | os.PathLike[str],
    *,
    mailto: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> None:
    """Write the workbook to ``path`` atomically; raises ExportCancelledError if ``cancel()`` turns true."""
    monitor = Monitor(sum(len(s.rows) for s in roster.sheets) + 1, progress, cancel)
    monitor.check()
    wb = Workbook(write_only=True)
    wb.properties.title = spreadsheet_text(f"Mentoring roster: {roster.cohort_name}")
    wb.properties.creator = "mentorapp"
    try:
        _write_summary(wb, roster)
        for sheet in roster.sheets:
            _write_sheet(wb, roster, sheet, mailto, monitor)
    except BaseException:
        _discard(wb)
        raise
    try:
        with atomic_path(path) as tmp:
            monitor.check()
            wb.save(tmp)
            monitor.check()
    except BaseException:
        _discard(wb)  # a target refused before saving leaves the sheets' temporary files open
        raise
    monitor.finish()


LINE_HEIGHT = 15  # points per line of 11 pt Calibri


def wrapped_lines(text: str, width: float) -> int:
    """How many lines ``text`` takes in a column ``width`` characters wide (greedy word wrap)."""
    per_line = max(int(width * 1.15) - 1, 4)  # text averages narrower than the "0" a width counts
    total = 0
    for paragraph in text.splitlines() or [""]:
        used, count = 0, 1
        for word in paragraph.split():
            need = len(word) if used == 0 else used + 1 + len(word)
            if need <= per_line:
                used = need
            else:
                count += 1 + (len(word) - 1) // per_line
                used = len(word) % per_line or per_line
        total += count
    return total


def _discard(wb: Workbook) -> None:
    """Close a write-only workbook's half-written sheets and delete their temporary files.

    Best effort: it runs while an export is abandoned (an error, or Cancel), and that error,
    re-raised by the caller, is the one a person needs to see; a sheet that cannot be closed
    here leaves at most a temporary file behind."""
    for ws in wb.worksheets:
        rows, writer = getattr(ws, "_rows", None), getattr(ws, "_writer", None)
        with contextlib.suppress(Exception):
            if rows is not None:
                rows.close()
        with contextlib.suppress(Exception):
            if writer is not None:
                writer.close()
                os.remove(writer.out)


def write_sheet_csv(
    roster: Roster,
    sheet_name: str,
    path: str | os.PathLike[str],
    *,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    raw: bool = False,
) -> Sheet:
    """Write one sheet as UTF-8 CSV (with BOM, so Excel reads the accents), atomically.

    For spreadsheets, marked and escaped (safe_text.write_csv); ``raw``: plain values for scripts.
    """
    sheet = roster.sheet(sheet_name)
    monitor = Monitor(len(sheet.rows), progress, cancel)

    def rows():
        for n, row in enumerate(sheet.rows, 1):
            yield [v.isoformat() if isinstance(v, dt.date) else v for v in row]
            if n % 1000 == 0:
                monitor.step(1000)

    with atomic_path(path) as tmp:
        with open(tmp, "w", newline="", encoding="utf-8-sig") as fh:
            write_csv(fh, [c.header for c in sheet.columns], rows(), raw=raw)
        monitor.check()
    monitor.finish()
    return sheet


def export_roster(
    session: Session,
    cohort_id: int,
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    mailto: bool = False,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
    raw: bool = False,
) -> Roster:
    """Collect and write the roster (or one sheet as CSV when ``sheet`` is given; ``raw``: unescaped, for scripts)."""
    roster = collect_roster(session, cohort_id)
    audit.check_export_allowed(session)  # recorded, or refused before a file is written
    if sheet:
        write_sheet_csv(roster, sheet, path, progress=progress, cancel=cancel, raw=raw)
    else:
        write_roster(roster, path, mailto=mailto, progress=progress, cancel=cancel)
    what = f"The {sheet} sheet of the roster" if sheet else "The roster"
    audit.record_export(session, f"{what} of '{roster.cohort_name}' written to {Path(path).name}", cohort_id=cohort_id)
    return roster
