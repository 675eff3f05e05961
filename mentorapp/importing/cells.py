"""A cell of a form's file as the import reads it, at the bottom of the import: every reader
writes cells, and the mapping and the value rules read them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

Cell = Any  # str, int, float, bool, date, datetime or None

# A workbook cell holding a formula is read as blank and refused with this sentence (as returned forms are).
FORMULA_PROBLEM = "The cell holds a formula; type the answer."


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def is_blank_row(cells: Sequence[Cell]) -> bool:
    """Whether every cell is blank; a CSV's row of texts is joined and checked in C."""
    try:
        return not "".join(cells).strip()  # type: ignore[arg-type]
    except TypeError:  # a number, a date or an empty cell among them (a workbook's row)
        return all(is_blank(c) for c in cells)


def cell_text(value: Cell) -> str:
    """A cell as the text a coordinator would read in it."""
    if type(value) is str:  # most cells (every CSV cell): checked first, as this runs for each cell of each row
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)
