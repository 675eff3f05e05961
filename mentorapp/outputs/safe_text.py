"""User text made safe for spreadsheets, CSV files and PDF paragraphs.

One place decides how participant text leaves mentorapp, so that no export
ever turns what somebody typed into a spreadsheet formula or into PDF markup:

- ``spreadsheet_text`` cleans a value for openpyxl; ``set_text`` /
  ``text_cell`` write it as a *string* cell (data type ``s``) and, when it
  looks like a formula, give it Excel's quote-prefix style so the cell shows
  exactly what was typed and Excel never re-evaluates it on edit.
- ``csv_text`` prefixes formula-like values with an apostrophe (the OWASP
  advice for CSV, which has no cell types), and ``write_csv`` writes
  mentorapp's own CSV files, marked so that mentorapp reads them back exactly.
- ``pdf_text`` escapes text for reportlab's Paragraph mini-markup.

CSV files for spreadsheets
--------------------------
A CSV has no cell types: Excel evaluates a field that starts with ``=``, ``+``,
``-`` or ``@`` (and one starting with a tab or a carriage return after its
trimming) as a formula, and LibreOffice does so for ``=`` (and for the others
when "Evaluate formulas" is ticked in its CSV import). So such a field gets a
leading apostrophe, which both take as "this is text" and do not show. That
includes phone numbers: Excel reads ``+44 7700 900123`` as the formula
``=+44 7700 900123`` (a space is its intersection operator) and shows an error,
so they are escaped too. A field that is only ``-`` is left as it is: it is no
formula in Excel or LibreOffice (there is nothing to compute) and shows as typed.
A field whose text really starts with an apostrophe (``'t Hooft``) gets a
second one, so the spreadsheet shows exactly one and the escaping can be undone.

mentorapp's own CSV exports are marked: their first line is ``CSV_MARK`` (one
field, so a spreadsheet shows it in the first cell above the headings and
opens the rest as usual), and every field after it, headings included, is
escaped as above. mentorapp's importer recognises the mark, skips that line
and undoes the escaping (``csv_unescape``: one leading apostrophe removed), so
an export read back gives exactly the text that was exported. A file without
the mark is someone else's and is read as written, apostrophes included.
Scripts that want plain values ask for them with ``--raw``: no mark and no
escaping (never meant for a spreadsheet).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

from openpyxl.cell.cell import Cell
from openpyxl.cell.cell import WriteOnlyCell as _WriteOnlyCell
from openpyxl.utils.exceptions import IllegalCharacterError  # noqa: F401  (re-exported for callers)

# A spreadsheet treats a cell that starts with one of these as a formula (or DDE).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Characters XML 1.0 forbids (openpyxl refuses them; reportlab chokes on them).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Excel's limit for one cell.
MAX_CELL_CHARS = 32_767


def is_formula_like(value: object) -> bool:
    """True when a spreadsheet would read ``value`` as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def spreadsheet_text(value: object) -> Any:
    """A value openpyxl can store: strings lose XML-illegal characters and are cut at Excel's limit.

    Non-strings (numbers, dates, None) pass through unchanged. The result still
    has to be written with ``set_text``/``text_cell`` so that it stays text.
    """
    if not isinstance(value, str):
        return value
    cleaned = _ILLEGAL_XML.sub("", value)
    if len(cleaned) > MAX_CELL_CHARS:
        cleaned = cleaned[: MAX_CELL_CHARS - 1] + "…"
    return cleaned


def set_text(cell: Cell, value: object) -> Cell:
    """Put ``value`` in ``cell`` so it is shown literally and never evaluated.

    openpyxl turns any string starting with ``=`` into a formula when assigned;
    forcing the data type back to ``s`` stores it as a plain shared string, and
    the quote prefix keeps Excel from re-parsing it when the cell is edited.
    """
    cleaned = spreadsheet_text(value)
    cell.value = cleaned
    if isinstance(cleaned, str):
        cell.data_type = "s"
        if is_formula_like(cleaned):
            cell.quotePrefix = True
    return cell


def text_cell(worksheet: Any, value: object) -> Cell:
    """A write-only-mode cell holding ``value`` as literal text (see ``set_text``)."""
    return set_text(_WriteOnlyCell(worksheet), value)


# The first line of every CSV file or listing mentorapp writes for spreadsheets (see above).
CSV_MARK = "# mentorapp CSV export v1: text that began with = + - @ or ' has one more ' in front"
CSV_MARK_PREFIX = "# mentorapp CSV export v"


def needs_csv_escape(text: str) -> bool:
    """True when a spreadsheet would evaluate ``text``, or it starts with an apostrophe of its own."""
    return text != "-" and (text.startswith(FORMULA_TRIGGERS) or text.startswith("'"))


def csv_text(value: object) -> str:
    """A CSV field for a spreadsheet: formula-like text and a real leading apostrophe get one more apostrophe.

    The exact inverse is :func:`csv_unescape`, for files that carry ``CSV_MARK``.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if needs_csv_escape(text) else text


def csv_unescape(text: str) -> str:
    """The field as it was before :func:`csv_text`: one leading apostrophe fewer."""
    return text[1:] if text.startswith("'") else text


def is_marked_csv(first_row: Sequence[str]) -> bool:
    """True when a CSV's first row is mentorapp's mark: the file is mentorapp's own export."""
    return len(first_row) >= 1 and first_row[0].lstrip("\ufeff").startswith(CSV_MARK_PREFIX)


def write_csv(
    fh: TextIO, headers: Sequence[object], rows: Iterable[Sequence[object]], *, raw: bool = False, **csv_options: Any
) -> None:
    """Write a CSV for spreadsheets: the mark, then every field escaped; ``raw`` writes plain values for scripts."""
    writer = csv.writer(fh, **csv_options)
    field = (lambda v: "" if v is None else str(v)) if raw else csv_text
    if not raw:
        writer.writerow([CSV_MARK])
    writer.writerow([field(h) for h in headers])
    for row in rows:
        writer.writerow([field(v) for v in row])


def pdf_text(value: object, *, line_breaks: bool = True) -> str:
    """Escape ``value`` for a reportlab Paragraph: ``A & B <Ltd>`` prints as typed.

    With ``line_breaks`` each newline becomes ``<br/>`` so multi-line text
    (goals, addresses) keeps its lines.
    """
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = _ILLEGAL_XML.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    if line_breaks:
        text = text.replace("\n", "<br/>")
    return text
