"""User text made safe for spreadsheets, CSV files and PDF paragraphs.

One place decides how participant text leaves mentorapp, so that no export
ever turns what somebody typed into a spreadsheet formula or into PDF markup:

- ``spreadsheet_text`` cleans a value for openpyxl; ``set_text`` /
  ``text_cell`` write it as a *string* cell (data type ``s``) and, when it
  looks like a formula, give it Excel's quote-prefix style so the cell shows
  exactly what was typed and Excel never re-evaluates it on edit.
- ``csv_text`` prefixes formula-like values with an apostrophe (the OWASP
  advice for CSV, which has no cell types).
- ``pdf_text`` escapes text for reportlab's Paragraph mini-markup.
"""

from __future__ import annotations

import re
from typing import Any

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


def csv_text(value: object) -> str:
    """A CSV field: formula-like text gets a leading apostrophe so spreadsheets show it as text."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    text = _ILLEGAL_XML.sub("", text)
    return "'" + text if is_formula_like(text) else text


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
