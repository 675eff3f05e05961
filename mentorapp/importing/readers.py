"""Reading the tables that online forms and spreadsheets produce.

One shape for every format: a header row and data rows, each data row with its
spreadsheet row number (the number the coordinator sees in Excel), so every
message can point at the right line. Files are only ever read. Anything that
cannot be read becomes a :class:`UserError` with one sentence that says what to
do about it; nothing else escapes.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mentorapp.errors import UserError
from mentorapp.importing import limits
from mentorapp.importing.cells import Cell, is_blank
from mentorapp.importing.encodings import decode, detect_encoding
from mentorapp.importing.survey_exports import column_letter, survey_header
from mentorapp.outputs.safe_text import CSV_MARK_PREFIX, csv_unescape

log = logging.getLogger(__name__)

CSV_SUFFIXES = (".csv", ".txt", ".tsv", ".tab")
XLSX_SUFFIXES = (".xlsx", ".xlsm")
XLS_SUFFIXES = (".xls",)
SUPPORTED = CSV_SUFFIXES + XLSX_SUFFIXES + XLS_SUFFIXES
FILE_FILTER = "Spreadsheets and CSV (*.xlsx *.xlsm *.xls *.csv *.txt *.tsv)"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and Office's encrypted files
ZIP_MAGIC = b"PK\x03\x04"
DELIMITERS = (",", ";", "\t", "|")
# A form answer can be long; the length limits are checked per field later.
csv.field_size_limit(2**31 - 1)

Progress = Callable[[int], None]


@dataclass
class Table:
    """A sheet as read: headers, data rows with their spreadsheet row numbers."""

    path: Path
    sheet: str | None
    headers: list[str]
    header_row: int
    rows: Iterator[tuple[int, list[Cell]]]
    encoding: str | None = None
    delimiter: str | None = None
    sheets: list[str] = field(default_factory=list)
    # Rows the file says it has (for progress bars); may be None or slightly off.
    estimated_rows: int | None = None
    # (row number, column index) of the workbook cells holding a formula: read as blank, each a row problem.
    formulas: set[tuple[int, int]] = field(default_factory=set)

    def describe(self) -> str:
        if self.sheet:
            return f"{self.path.name}, sheet '{self.sheet}'"
        extra = []
        if self.encoding:
            extra.append(self.encoding)
        if self.delimiter:
            extra.append({"\t": "tab", ",": "comma", ";": "semicolon", "|": "bar"}[self.delimiter] + "-separated")
        return f"{self.path.name} ({', '.join(extra)})" if extra else self.path.name


def list_sheets(path: str | Path) -> list[str]:
    """Sheet names of a workbook; an empty list for CSV and text files."""
    path = Path(path)
    kind = _kind(path)
    if kind == "csv":
        return []
    if kind == "xlsx":
        wb = _open_xlsx(path)
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()
    book = _open_xls(path)
    try:
        return list(book.sheet_names())
    finally:
        book.release_resources()


def open_table(path: str | Path, sheet: str | None = None) -> Table:
    """Open a file for reading row by row (streaming for big workbooks).

    The rows iterator keeps the file open until it is exhausted or closed;
    callers that stop early should call ``table.rows.close()``.
    """
    path = Path(path)
    if not path.exists():
        raise UserError(f"The file {path} does not exist.")
    if path.is_dir():
        raise UserError(f"{path} is a folder; choose a spreadsheet or CSV file.")
    kind = _kind(path)
    if kind == "csv":
        table = _csv_table(path)
    elif kind == "xlsx":
        table = _xlsx_table(path, sheet)
    else:
        table = _xls_table(path, sheet)
    table.rows = limits.bounded_rows(table.rows, path, table.header_row, table.headers)
    return table


def read_preview(path: str | Path, sheet: str | None = None, limit: int = 5) -> tuple[Table, list[list[Cell]]]:
    """The headers and the first ``limit`` non-blank data rows, closing the file."""
    table = open_table(path, sheet)
    try:
        rows = peek(table, limit)
    finally:
        close_rows(table)
    return table, rows


def peek(table: Table, limit: int = 5) -> list[list[Cell]]:
    """The first ``limit`` non-blank data rows; ``table.rows`` still yields every row afterwards.

    Lets one opening of a big workbook serve both the mapping and the import.
    """
    return [row for _number, row in peek_numbered(table, limit)]


def peek_numbered(table: Table, limit: int = 5) -> list[tuple[int, list[Cell]]]:
    """:func:`peek`, each row with its number in the spreadsheet (as the import's messages name it)."""
    seen: list[tuple[int, list[Cell]]] = []
    rows: list[tuple[int, list[Cell]]] = []
    for number, row in table.rows:
        seen.append((number, row))
        if any(not is_blank(v) for v in row):
            rows.append((number, row))
            if len(rows) >= limit:
                break
    table.rows = _chain(seen, table.rows)
    return rows


def _chain(first: list[tuple[int, list[Cell]]], rest: Iterator[tuple[int, list[Cell]]]):
    try:
        yield from first
        yield from rest
    finally:
        close = getattr(rest, "close", None)
        if close:
            close()


def close_rows(table: Table) -> None:
    """Stop reading early and release the file."""
    close = getattr(table.rows, "close", None)
    if close:
        close()


def _kind(path: Path) -> str:
    suffix = path.suffix.lower()
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except PermissionError as exc:
        raise UserError(f"{path.name} cannot be read: permission denied.") from exc
    except OSError as exc:
        raise UserError(f"{path.name} cannot be read: {exc.strerror or exc}.") from exc
    if not head:
        raise UserError(f"{path.name} is empty; export the responses again and choose the new file.")
    if suffix not in SUPPORTED and (head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC)):
        raise UserError(
            f"mentorapp cannot read {suffix or 'this kind of'} files; open {path.name} in the program that made it "
            "and save it as .xlsx or .csv."
        )
    if suffix in XLSX_SUFFIXES:
        if head.startswith(OLE_MAGIC):
            raise UserError(
                f"{path.name} is password-protected; open it in Excel, remove the password "
                "(File > Info > Protect Workbook) and save it again."
            )
        return "xlsx"
    if suffix in XLS_SUFFIXES:
        if head.startswith(ZIP_MAGIC):
            return "xlsx"  # an .xlsx renamed to .xls
        if not head.startswith(OLE_MAGIC):
            return "csv"  # Excel's "web page" or text saved as .xls: try as text
        return "xls"
    if suffix in CSV_SUFFIXES or suffix not in SUPPORTED:
        if head.startswith(ZIP_MAGIC) or head.startswith(OLE_MAGIC):  # a workbook saved as .csv
            raise UserError(f"{path.name} looks like a workbook, not text; save it as .xlsx or .csv and try again.")
        return "csv"
    raise AssertionError("unreachable")


# ---------------------------------------------------------------- CSV / text


def detect_delimiter(text: str) -> str:
    """The separator that splits the first lines most consistently."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    if not lines:
        return ","
    try:
        return csv.Sniffer().sniff("\n".join(lines), delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        log.debug("the CSV sniffer could not decide the separator; counting columns instead")
    best, best_score = ",", -1
    for delim in DELIMITERS:
        counts = [len(row) for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=delim)]
        if not counts or counts[0] < 2:
            continue
        score = counts[0] * 10 + sum(1 for c in counts if c == counts[0])
        if score > best_score:
            best, best_score = delim, score
    return best


def _csv_table(path: Path) -> Table:
    limits.check_file_size(path)
    raw = path.read_bytes()
    encoding = detect_encoding(raw)
    text = decode(raw, encoding)
    if "\x00" in text:
        raise UserError(f"{path.name} is not a text file; choose the .csv or .xlsx the form exported.")
    if not text.strip():
        raise UserError(f"{path.name} is empty; export the responses again and choose the new file.")
    # mentorapp's own export (outputs/safe_text.py): comma-separated, its first line the mark,
    # every field escaped for spreadsheets; read back exactly. Anyone else's file is read as written.
    marked = text.lstrip("\ufeff").startswith(CSV_MARK_PREFIX)
    delimiter = "," if marked else detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records = _unescaped(_numbered(reader, path)) if marked else _numbered(reader, path)
    estimated = text.count("\n") + (0 if text.endswith("\n") else 1)
    header_row, headers, records = _find_header(records, path)
    return Table(
        path=path,
        sheet=None,
        headers=_clean_headers(headers),
        header_row=header_row,
        rows=records,
        encoding={"utf-8-sig": "UTF-8 with BOM", "cp1252": "Windows-1252"}.get(encoding, encoding.upper()),
        delimiter=delimiter,
        estimated_rows=estimated,
    )


def _numbered(reader: Iterator[list[str]], path: Path) -> Iterator[tuple[int, list[Cell]]]:
    # Row numbers count records, as a spreadsheet program shows them when it opens the file.
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UserError(f"{path.name} cannot be read as CSV after row {number}: {exc}.") from exc
        number += 1
        yield number, list(row)


def _unescaped(records: Iterator[tuple[int, list[Cell]]]) -> Iterator[tuple[int, list[Cell]]]:
    """The records of a marked export after its mark line, each field's escaping undone."""
    next(records, None)  # the mark
    for number, row in records:
        yield number, [csv_unescape(v) for v in row]


def _find_header(
    records: Iterator[tuple[int, list[Cell]]], path: Path
) -> tuple[int, list[Cell], Iterator[tuple[int, list[Cell]]]]:
    """The header row and the rows after it.

    Usually the first row; a title line above it ("Applications 2021") is
    skipped: the header is the first of the first ten rows that is at least
    half as wide as the widest of them.
    """
    buffered: list[tuple[int, list[Cell]]] = []  # blank rows too: they are counted later
    filled = 0
    for number, row in records:
        buffered.append((number, row))
        if any(not is_blank(v) for v in row):
            filled += 1
            if filled >= 10:
                break
    counts = [sum(1 for v in row if not is_blank(v)) for _, row in buffered]
    if not any(counts):
        raise UserError(f"{path.name} has no header row; the first row should name the columns.")
    widest = max(counts)
    pick = next(i for i, c in enumerate(counts) if c and c * 2 >= widest)
    pick, rest, headers, reshape = survey_header(buffered, pick)
    records = _chain(buffered[rest:], records)
    return buffered[pick][0], headers, (_reshaped(reshape, records) if reshape else records)


def _reshaped(reshape: Callable[[list[Cell]], list[Cell]], records: Iterator[tuple[int, list[Cell]]]):
    """Each row reshaped as the survey's header asks; closing it closes the file."""
    try:
        for number, row in records:
            yield number, reshape(row)
    finally:
        close = getattr(records, "close", None)
        if close:
            close()


def _clean_headers(values: list[Cell]) -> list[str]:
    headers: list[str] = []
    seen: dict[str, int] = {}
    for i, value in enumerate(values):
        text = " ".join(str(value).split()) if value is not None else ""
        text = text.lstrip("\ufeff") or f"Column {column_letter(i)}"
        n = seen.get(text.casefold(), 0)
        seen[text.casefold()] = n + 1
        headers.append(text if n == 0 else f"{text} ({n + 1})")
    while headers and headers[-1].startswith("Column ") and len(headers) > 1 and values[len(headers) - 1] is None:
        headers.pop()
    return headers


# ---------------------------------------------------------------- xlsx


def _open_xlsx(path: Path):
    from openpyxl import load_workbook

    limits.check_xlsx_archive(path)  # from the zip directory, before anything is unpacked
    try:
        # Formulas as formulas, not their cached results: an answer that is a formula is refused, never stored.
        return load_workbook(path, read_only=True, data_only=False)
    except zipfile.BadZipFile as exc:
        raise UserError(
            f"{path.name} is damaged or not a real .xlsx file; open it in Excel and save it again."
        ) from exc
    except (KeyError, ValueError, OSError, TypeError, AttributeError, IndexError) as exc:
        raise UserError(
            f"{path.name} cannot be read as a workbook ({exc}); open it in Excel and save it again."
        ) from exc
    except Exception as exc:  # lxml/ElementTree parse errors of a damaged part
        raise UserError(f"{path.name} is damaged ({type(exc).__name__}); open it in Excel and save it again.") from exc


def _choose_sheet(path: Path, names: list[str], sheet: str | None) -> str:
    if not names:
        raise UserError(f"{path.name} has no sheets.")
    if sheet is None:
        return names[0]
    for name in names:
        if name == sheet or name.casefold() == sheet.strip().casefold():
            return name
    quoted = ", ".join(f"'{n}'" for n in names)
    raise UserError(f"{path.name} has no sheet called '{sheet}'; its sheets are {quoted}.")


def _xlsx_table(path: Path, sheet: str | None) -> Table:
    wb = _open_xlsx(path)
    names = list(wb.sheetnames)
    try:
        chosen = _choose_sheet(path, names, sheet)
        ws = wb[chosen]
        estimated = ws.max_row if isinstance(getattr(ws, "max_row", None), int) else None
        formulas: set[tuple[int, int]] = set()
        rows = _xlsx_rows(wb, ws, path, formulas)
        header_row, headers, rows = _find_header(rows, path)
    except UserError:
        wb.close()
        raise
    except Exception as exc:
        wb.close()
        raise UserError(f"{path.name} is damaged ({type(exc).__name__}); open it in Excel and save it again.") from exc
    return Table(
        path=path,
        sheet=chosen,
        headers=_clean_headers(headers),
        header_row=header_row,
        rows=rows,
        sheets=names,
        estimated_rows=estimated,
        formulas=formulas,
    )


def _xlsx_rows(wb, ws, path: Path, formulas: set[tuple[int, int]]) -> Iterator[tuple[int, list[Cell]]]:
    """The sheet's rows of values; a formula cell is read as blank and noted in ``formulas`` as it is read."""
    try:
        with contextlib.suppress(AttributeError):
            ws.reset_dimensions()  # forms write wrong dimensions; read what is really there
        expected = 1
        # Read-only sheets yield an empty row for every row missing from the file,
        # so counting from 1 gives the row numbers Excel shows.
        for number, row in enumerate(ws.iter_rows(), start=1):
            expected = number + 1
            values = [c.value for c in row]
            for index, c in enumerate(row):
                if c.data_type == "f":
                    formulas.add((number, index))
                    values[index] = None
            yield number, values
    except UserError:
        raise
    except GeneratorExit:
        raise
    except Exception as exc:
        raise UserError(
            f"{path.name} is damaged after row {expected - 1} ({type(exc).__name__}); "
            "open it in Excel and save it again."
        ) from exc
    finally:
        wb.close()


# ---------------------------------------------------------------- xls


def _open_xls(path: Path):
    import xlrd

    limits.check_file_size(path)  # xlrd reads the whole workbook into memory
    try:
        return xlrd.open_workbook(str(path), on_demand=True)
    except xlrd.biffh.XLRDError as exc:
        if "encrypt" in str(exc).lower():
            raise UserError(
                f"{path.name} is password-protected; open it in Excel, remove the password and save it again."
            ) from exc
        raise UserError(f"{path.name} cannot be read as an .xls workbook ({exc}); save it as .xlsx and retry.") from exc
    except Exception as exc:
        raise UserError(
            f"{path.name} is damaged ({type(exc).__name__}); open it in Excel and save it as .xlsx."
        ) from exc


def _xls_table(path: Path, sheet: str | None) -> Table:
    import xlrd

    book = _open_xls(path)
    names = list(book.sheet_names())
    try:
        chosen = _choose_sheet(path, names, sheet)
        ws = book.sheet_by_name(chosen)
        rows_list: list[tuple[int, list[Cell]]] = []
        for r in range(ws.nrows):
            values: list[Cell] = []
            for c in range(ws.ncols):
                cell = ws.cell(r, c)
                if cell.ctype == xlrd.XL_CELL_DATE:
                    try:
                        values.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    except (ValueError, OverflowError):  # xlrd's XLDateError is a ValueError
                        # An impossible date serial: the raw number goes on, and the row check reports it.
                        values.append(cell.value)
                elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    values.append(None)
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    values.append(bool(cell.value))
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    values.append(None)
                else:
                    values.append(cell.value)
            rows_list.append((r + 1, values))
    except UserError:
        raise
    except Exception as exc:
        raise UserError(
            f"{path.name} is damaged ({type(exc).__name__}); open it in Excel and save it as .xlsx."
        ) from exc
    finally:
        book.release_resources()
    header_row, headers, rows = _find_header(iter(rows_list), path)
    return Table(
        path=path,
        sheet=chosen,
        headers=_clean_headers(headers),
        header_row=header_row,
        rows=rows,
        sheets=names,
        estimated_rows=len(rows_list),
    )
