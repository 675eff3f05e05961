"""CSV for spreadsheets: formula-like text and a real leading apostrophe are escaped, the
file is marked as mentorapp's own, and reading a marked file back gives exactly what was written."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from mentorapp.outputs.safe_text import CSV_MARK, csv_text, csv_unescape, is_marked_csv, needs_csv_escape, write_csv


def _read_back(text: str) -> list[list[str]]:
    """What a reader that knows the mark gets: the mark skipped, every field unescaped."""
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert is_marked_csv(rows[0])
    return [[csv_unescape(v) for v in row] for row in rows[1:]]


def test_what_a_spreadsheet_would_evaluate_is_escaped_and_nothing_else():
    escaped = {
        "=1+1": "'=1+1",
        "+44 7700 900123": "'+44 7700 900123",  # Excel reads it as =+44 7700 900123 (an error)
        "-2+3": "'-2+3",
        "@SUM(A1)": "'@SUM(A1)",
        "\tx": "'\tx",
        "\rx": "'\rx",
        "'t Hooft": "''t Hooft",  # a real apostrophe survives the spreadsheet
        "''": "'''",
    }
    for value, expected in escaped.items():
        assert csv_text(value) == expected and csv_unescape(expected) == value
    for plain in ("-", "Ann", "O'Neil", "07700 900123", "x=1", " =1", "", "＝1"):
        assert csv_text(plain) == plain and not needs_csv_escape(plain)
    assert csv_text(None) == "" and csv_text(-5) == "'-5" and csv_text(3) == "3"


def test_raw_output_is_plain_and_unmarked():
    out = io.StringIO()
    write_csv(out, ["Name", "Phone"], [["'t Hooft", "+44 7700 900123"], ["=1", None]], raw=True)
    assert out.getvalue().splitlines() == ["Name,Phone", "'t Hooft,+44 7700 900123", "=1,"]
    assert not is_marked_csv(next(csv.reader(io.StringIO(out.getvalue()))))


def test_the_mark_is_one_field_on_the_first_line():
    out = io.StringIO()
    write_csv(out, ["Name"], [["-"]])
    first, *rest = out.getvalue().splitlines()
    assert first == CSV_MARK and "," not in CSV_MARK and rest == ["Name", "-"]
    assert is_marked_csv(["\ufeff" + CSV_MARK]) and not is_marked_csv(["# my own notes"]) and not is_marked_csv([])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.text(), min_size=1, max_size=4), min_size=1, max_size=5))
def test_a_marked_file_reads_back_exactly(rows):
    headers = [f"c{i}" for i in range(max(len(r) for r in rows))]
    rows = [r + [""] * (len(headers) - len(r)) for r in rows]
    out = io.StringIO(newline="")
    write_csv(out, headers, rows)
    assert _read_back(out.getvalue()) == [headers, *rows]
    # ... and no field of it starts with what a spreadsheet would evaluate.
    for row in list(csv.reader(io.StringIO(out.getvalue(), newline="")))[1:]:
        assert not any(v.startswith(("=", "+", "@", "\t", "\r")) for v in row)
        assert not any(v.startswith("-") and v != "-" for v in row)
