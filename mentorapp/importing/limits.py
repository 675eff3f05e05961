"""What an import reads at most, and reading a file so that it never takes more.

Real schemes stay far below these: a society has thousands of members, not millions.
A file above a limit is refused with a sentence before its content is read (file and
unpacked sizes), or at the row that crosses it (rows, cell size):

- ``MAX_ROWS`` data rows (100,000) in the sheet or CSV read;
- ``MAX_CELL_CHARS`` characters in one cell (32,767, Excel's own limit);
- ``MAX_TEXT_FILE_BYTES`` for a CSV or text file (100 MB), and for an old .xls;
- an .xlsx is a zip archive: its parts unpack to at most ``MAX_UNPACKED_BYTES``
  (300 MB) together, and its shared strings (where a workbook keeps its text, all
  of which openpyxl holds in memory) to at most ``MAX_SHARED_STRINGS_BYTES`` (64 MB).
  The sizes are read from the archive's directory before openpyxl opens it, and they
  bound what is read: Python's zipfile never yields more of a part than its directory
  entry declares, so a part that claims little and holds a gigabyte is cut off (and
  then fails its checksum) instead of filling the memory.

The README's import section and ``import --help`` list the same limits.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mentorapp.errors import UserError

MAX_ROWS = 100_000
MAX_CELL_CHARS = 32_767
MAX_TEXT_FILE_BYTES = 100 * 1024 * 1024
MAX_UNPACKED_BYTES = 300 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024

LIMITS_SENTENCE = (
    "An import reads at most 100,000 rows, 32,767 characters in one cell (as Excel), a CSV or .xls file "
    "of 100 MB, and an .xlsx that unpacks to 300 MB (64 MB of text)."
)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):,.0f} MB"


def check_file_size(path: Path, limit: int | None = None) -> None:
    """Refuse a text or .xls file larger than the limit, before reading it."""
    limit = MAX_TEXT_FILE_BYTES if limit is None else limit
    size = path.stat().st_size
    if size > limit:
        raise UserError(
            f"{path.name} is {_mb(size)}; an import reads files of at most {_mb(limit)}. "
            "Split it, or leave out columns the scheme does not use."
        )


def check_xlsx_archive(path: Path) -> None:
    """Refuse an .xlsx whose parts unpack to more than the limits, from the zip directory alone."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise UserError(
            f"{path.name} is damaged or not a real .xlsx file; open it in Excel and save it again."
        ) from exc
    total = sum(m.file_size for m in members)
    if total > MAX_UNPACKED_BYTES:
        raise UserError(
            f"{path.name} unpacks to {_mb(total)}; an import reads workbooks that unpack to at most "
            f"{_mb(MAX_UNPACKED_BYTES)}. Save only the sheet with the answers, or export them as CSV."
        )
    text = sum(m.file_size for m in members if m.filename.lower().endswith("sharedstrings.xml"))
    if text > MAX_SHARED_STRINGS_BYTES:
        raise UserError(
            f"{path.name} holds {_mb(text)} of text; an import reads workbooks with at most "
            f"{_mb(MAX_SHARED_STRINGS_BYTES)} of it. Save only the sheet with the answers, or export them as CSV."
        )


def bounded_rows(
    rows: Iterator[tuple[int, list[Any]]], path: Path, header_row: int, headers: list[str]
) -> Iterator[tuple[int, list[Any]]]:
    """The rows, refused with a sentence at the first row past MAX_ROWS or the first cell past MAX_CELL_CHARS."""
    try:
        for number, row in rows:
            if number - header_row > MAX_ROWS:
                raise UserError(
                    f"{path.name} has more than {MAX_ROWS:,} rows below its header; an import reads at most "
                    f"{MAX_ROWS:,}. Split it into smaller files."
                )
            if _longest(row) <= MAX_CELL_CHARS:
                yield number, row
                continue
            for index, value in enumerate(row):
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    column = f"'{headers[index]}'" if index < len(headers) else f"number {index + 1}"
                    raise UserError(
                        f"Row {number}, column {column} of {path.name} holds {len(value):,} characters; "
                        f"a cell may hold at most {MAX_CELL_CHARS:,} (as in Excel)."
                    )
            yield number, row
    finally:
        close = getattr(rows, "close", None)
        if close:
            close()


def _longest(row: list[Any]) -> int:
    """The length of the row's longest text cell (each cell of a 10,000-row CSV passes here: len in C first)."""
    try:
        return max(map(len, row), default=0)
    except TypeError:  # a number, a date or None among the cells: only the texts count
        return max((len(v) for v in row if isinstance(v, str)), default=0)
