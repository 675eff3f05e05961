"""Printing for commands: aligned tables, CSV and JSON on stdout; the one check before writing a file."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from mentorapp.errors import UserError

REPLACE_HELP = "write over FILE if it already exists (without it, an existing file is refused and left unchanged)"

RAW_HELP = (
    "with --format csv: plain values for scripts, without the first line that marks mentorapp's CSV and without "
    "the apostrophe that keeps spreadsheets from reading text as a formula (never open it in a spreadsheet)"
)


def refuse_existing(path: str | Path | None, replace: bool) -> None:
    """An export never writes over a file that is already there unless the coordinator said so (--replace)."""
    if path is None or replace:
        return
    target = Path(path)
    if target.exists() or target.is_symlink():
        raise UserError(
            f"{target} already exists and was left unchanged; choose another file name, "
            "or add --replace to write over it."
        )


def _default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def print_json(data: Any) -> None:
    """JSON for scripts and people: one item of each list on a line (:func:`json_lines`), written in one piece."""
    sys.stdout.write(json_lines(data) + "\n")


def json_lines(data: Any) -> str:
    """``data`` as JSON with the top-level object's keys, and the items of lists at the first two levels,
    each on its own line, every item itself compact.

    Readable and diffable line by line, and made by the json module's C encoder: ``indent=`` makes
    it fall back to pure Python, 20 times slower on 10,000 participants.
    """

    def compact(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False, default=_default)

    def lay(value: Any, depth: int) -> str:
        pad = "  " * (depth + 1)
        if isinstance(value, list) and value and depth <= 1:
            return "[\n" + ",\n".join(pad + lay(v, depth + 1) for v in value) + "\n" + pad[2:] + "]"
        if isinstance(value, dict) and value and depth == 0:
            items = (f"{pad}{compact(str(k))}: {lay(v, depth + 1)}" for k, v in value.items())
            return "{\n" + ",\n".join(items) + "\n" + pad[2:] + "}"
        return compact(value)

    return lay(data, 0)


def print_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], max_width: int = 40) -> None:
    """A plain aligned table; long cells are shortened with an ellipsis, except in the last column.

    The last column (a problem, a reason, what changed) is printed whole: nothing is aligned
    after it, and cutting it hid the very advice a row gave ("...; it may mean 'South East'").
    """

    def cell(v: Any, whole: bool = False) -> str:
        text = "" if v is None else str(v)
        text = " ".join(text.split())
        return text if whole or len(text) <= max_width else text[: max_width - 1] + "…"

    last = len(headers) - 1
    table = [[cell(h) for h in headers]] + [[cell(v, i == last) for i, v in enumerate(row)] for row in rows]
    widths = [max(len(r[i]) for r in table) for i in range(len(headers))]
    widths[last] = len(table[0][last])  # the whole last column does not widen the rule under the headers
    for n, row in enumerate(table):
        print("  ".join(v.ljust(w) for v, w in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def print_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, raw: bool = False) -> None:
    """CSV for a spreadsheet: marked, formula-like text escaped (outputs/safe_text.py); ``raw``: plain, for scripts."""
    from mentorapp.outputs.safe_text import write_csv

    write_csv(sys.stdout, headers, rows, raw=raw, lineterminator="\n")
