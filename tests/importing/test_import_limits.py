"""Imports refuse, with a sentence, files above the documented limits, without using the memory
a hostile file asks for; and a CSV that mixes two encodings is refused at the row where it changes,
never read as mangled text."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorapp.cli.main import main
from mentorapp.errors import UserError
from mentorapp.importing import limits
from mentorapp.importing.readers import list_sheets, open_table
from mentorapp.outputs.safe_text import write_csv

pytestmark = pytest.mark.sqlite_only


def read_all(path):
    table = open_table(path)
    return table, list(table.rows)


# --- encodings -------------------------------------------------------------------------------

HEADER = "First name,Last name,Email\r\n"


def _file(tmp_path, lines: list[bytes], name="people.csv"):
    path = tmp_path / name
    path.write_bytes(b"".join(lines))
    return path


def test_a_csv_part_utf8_part_windows_1252_is_refused_at_the_row_where_it_changes(tmp_path):
    utf8 = "Zoë,Müller,zoe@example.org\r\n".encode()
    cp1252 = "Zoë,Müller,zoe2@example.org\r\n".encode("cp1252")
    plain = b"Ann,Smith,ann@example.org\r\n"
    cases = {
        "utf8 then cp1252": ([HEADER.encode(), plain, utf8, plain, cp1252], "row 5", "UTF-8"),
        "cp1252 then utf8": ([HEADER.encode(), cp1252, plain, utf8], "row 4", "Windows-1252"),
        "bom then cp1252": ([b"\xef\xbb\xbf" + HEADER.encode(), utf8, cp1252], "row 3", "UTF-8"),
    }
    for name, (lines, row, first) in cases.items():
        path = _file(tmp_path, lines, f"{name}.csv")
        with pytest.raises(UserError) as refused:
            read_all(path)
        sentence = str(refused.value)
        assert row in sentence and first in sentence and "Windows-1252" in sentence, (name, sentence)
        assert "Ã" not in sentence


def test_one_encoding_throughout_is_read_exactly(tmp_path):
    for encoding in ("utf-8", "utf-8-sig", "cp1252"):
        path = _file(tmp_path, [(HEADER + "Zoë,Müller,zoe@example.org\r\n").encode(encoding)], f"{encoding}.csv")
        _table, rows = read_all(path)
        assert rows == [(2, ["Zoë", "Müller", "zoe@example.org"])], encoding


LETTERS = "abcxyzàáâäçèéêëìíîïñòóôöùúûüýÿ"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(LETTERS, min_size=1, max_size=12), st.sampled_from(["utf-8", "cp1252"])),
        min_size=1,
        max_size=8,
    )
)
def test_never_mangled_refused_or_exact(tmp_path_factory, rows):
    folder = tmp_path_factory.mktemp("enc")
    path = _file(folder, [HEADER.encode()] + [f"{n},X,x{i}@example.org\r\n".encode(e) for i, (n, e) in enumerate(rows)])
    used = {e for n, e in rows if not n.isascii()}
    try:
        _table, read = read_all(path)
    except UserError as exc:
        assert used == {"utf-8", "cp1252"} and "row " in str(exc)
        return
    assert len(used) <= 1
    assert [cells[0] for _n, cells in read] == [n for n, _e in rows]


# --- mentorapp's own CSV reads back exactly; other people's as written ----------------------

TEXT = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=20)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=6))
def test_a_marked_export_reads_back_exactly(tmp_path_factory, rows):
    path = tmp_path_factory.mktemp("marked") / "export.csv"
    rows = [[f"r{i}", a, b] for i, (a, b) in enumerate(rows)]  # the first column is never blank
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        write_csv(fh, ["Id", "Name", "Phone"], rows)
    table, read = read_all(path)
    assert table.headers == ["Id", "Name", "Phone"]
    assert [cells for _n, cells in read] == rows


def test_the_reported_values_round_trip_and_other_files_keep_their_apostrophes(tmp_path):
    values = [["'t Hooft", "+44 7700 900123", "-", "=1+1", "@home", "O'Neil", "-5"]]
    headers = ["A", "B", "C", "D", "E", "F", "G"]
    mine = tmp_path / "mine.csv"
    with open(mine, "w", newline="", encoding="utf-8-sig") as fh:
        write_csv(fh, headers, values)
    assert [cells for _n, cells in read_all(mine)[1]] == values
    theirs = tmp_path / "theirs.csv"
    with open(theirs, "w", newline="", encoding="utf-8") as fh:
        write_csv(fh, headers, [["'t Hooft", "'+44 7700 900123", "''x", "-", "=1", "a", "b"]], raw=True)
    assert [cells for _n, cells in read_all(theirs)[1]] == [
        ["'t Hooft", "'+44 7700 900123", "''x", "-", "=1", "a", "b"]
    ]


# --- limits ----------------------------------------------------------------------------------


def test_rows_above_the_limit_are_refused_at_the_row_that_crosses_it(tmp_path):
    path = tmp_path / "many.csv"
    buffer = io.StringIO()
    buffer.write("Email,Name\n")
    for i in range(limits.MAX_ROWS):
        buffer.write(f"p{i}@example.org,P{i}\n")
    path.write_text(buffer.getvalue(), encoding="utf-8")
    assert len(read_all(path)[1]) == limits.MAX_ROWS  # the largest allowed file is read
    with open(path, "a", encoding="utf-8") as fh:
        fh.write("one@too-many.org,X\n")
    with pytest.raises(UserError, match="more than 100,000 rows"):
        read_all(path)


def test_a_cell_above_excels_limit_is_refused_with_its_row_and_column(tmp_path):
    ok, big = "x" * limits.MAX_CELL_CHARS, "y" * (limits.MAX_CELL_CHARS + 1)
    path = tmp_path / "cells.csv"
    path.write_text(f"Email,Notes\na@example.org,{ok}\nb@example.org,{big}\n", encoding="utf-8")
    table = open_table(path)
    assert next(table.rows) == (2, ["a@example.org", ok])
    with pytest.raises(UserError, match=r"Row 3, column 'Notes'.*32,768 characters.*32,767"):
        next(table.rows)


def test_a_text_file_above_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_FILE_BYTES", 1000)
    path = tmp_path / "big.csv"
    path.write_text("Email,Name\n" + "a@example.org,A\n" * 100, encoding="utf-8")
    with pytest.raises(UserError, match="at most"):
        open_table(path)


_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
        'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
        '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        '<sheet name="Answers" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
        '2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>"
    ),
    "xl/worksheets/sheet1.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
        '2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v>'
        "</c></row></sheetData></worksheet>"
    ),
}


def _xlsx_with_shared_string(path, size: int) -> None:
    """A workbook whose second cell's text is ``size`` bytes: a zip bomb, written as a streaming zip."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for name, text in _PARTS.items():
            bomb.writestr(name, text)
        info = zipfile.ZipInfo("xl/sharedStrings.xml")
        info.compress_type = zipfile.ZIP_DEFLATED
        with bomb.open(info, "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/')
            part.write(b'spreadsheetml/2006/main" count="2" uniqueCount="2"><si><t>Email</t></si><si><t>')
            chunk = b"a" * (1 << 20)
            for _ in range(size // len(chunk)):
                part.write(chunk)
            part.write(b"a" * (size % len(chunk)))
            part.write(b"</t></si></sst>")


def test_the_bomb_is_a_real_workbook_and_its_cells_are_limited_too(tmp_path):
    path = tmp_path / "small.xlsx"
    _xlsx_with_shared_string(path, 100)
    table, rows = read_all(path)
    assert table.headers == ["Email"] and rows == [(2, ["a" * 100])]
    _xlsx_with_shared_string(path, 40_000)
    with pytest.raises(UserError, match=r"Row 2, column 'Email' of small.xlsx holds 40,000 characters"):
        read_all(path)


def test_a_zip_bomb_workbook_is_refused_without_using_the_memory(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_SHARED_STRINGS_BYTES", 8 * 1024 * 1024)
    path = tmp_path / "bomb.xlsx"
    _xlsx_with_shared_string(path, 16 * 1024 * 1024)
    assert path.stat().st_size < 200_000
    tracemalloc.start()
    try:
        for attempt in (lambda: open_table(path), lambda: list_sheets(path)):
            with pytest.raises(UserError, match="of text"):
                attempt()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024


def test_a_workbook_unpacking_beyond_the_default_limit_is_refused_by_the_import_command(tmp_path, capsys, db_path):
    path = tmp_path / "bomb.xlsx"
    _xlsx_with_shared_string(path, limits.MAX_UNPACKED_BYTES + (1 << 20))
    assert main(["--db", db_path, "cohorts", "add", "C", "--start", "2024-01-01"]) == 0
    assert main(["--db", db_path, "import", str(path), "--cohort", "C", "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "unpacks to" in err and "Traceback" not in err
