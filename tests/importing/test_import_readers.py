"""Reading form exports: encodings, delimiters, sheets and broken files (files made here)."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile

import pytest
from openpyxl import Workbook

from mentorapp.errors import UserError
from mentorapp.importing.cells import cell_text
from mentorapp.importing.readers import (
    column_letter,
    detect_delimiter,
    detect_encoding,
    list_sheets,
    open_table,
    read_preview,
)
from tests.support.import_fixtures import write_form_xlsx

pytestmark = pytest.mark.both_databases


def rows_of(path, sheet=None):
    table = open_table(path, sheet)
    return table, list(table.rows)


def test_windows_1252_csv_without_bom_keeps_accents(tmp_path):
    path = tmp_path / "cp1252.csv"
    text = "First name,Last name,Email,Organisation\r\nSiobhán,Müller,s@example.org,Café € Ltd\r\n"
    path.write_bytes(text.encode("cp1252"))
    table, rows = rows_of(path)
    assert table.encoding == "Windows-1252"
    assert table.headers == ["First name", "Last name", "Email", "Organisation"]
    assert rows == [(2, ["Siobhán", "Müller", "s@example.org", "Café € Ltd"])]


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-8", "utf-8")],
)
def test_utf_variants_are_detected(tmp_path, encoding, expected):
    path = tmp_path / "u.txt"
    # Excel's "Unicode text" is UTF-16 with a BOM and tabs.
    path.write_bytes("Email\tFirst name\r\nwang@example.org\t王芳\r\n".encode(encoding))
    assert detect_encoding(path.read_bytes()) == expected
    table, rows = rows_of(path)
    assert table.delimiter == "\t"
    assert table.headers == ["Email", "First name"]
    assert rows[0][1] == ["wang@example.org", "王芳"]


def test_utf16_without_bom(tmp_path):
    raw = "Email,Name\nx@example.org,Zoë\n".encode("utf-16-le")
    assert detect_encoding(raw) == "utf-16-le"


def test_semicolon_csv_with_quoted_semicolons(tmp_path):
    path = tmp_path / "semi.csv"
    path.write_text('Email;Focus areas\na@example.org;"Leadership;Research;"\n', encoding="utf-8")
    table, rows = rows_of(path)
    assert table.delimiter == ";"
    assert rows == [(2, ["a@example.org", "Leadership;Research;"])]


def test_comma_csv_whose_answers_contain_semicolons():
    text = 'Email,Areas,Name\na@x.org,"Leadership;Research",A\nb@x.org,"Research;Management",B\n'
    assert detect_delimiter(text) == ","


def test_row_numbers_follow_the_spreadsheet_with_blank_rows(tmp_path):
    path = tmp_path / "blank.csv"
    path.write_text("\n\nEmail,Name\n,\na@example.org,A\n\nb@example.org,B\n", encoding="utf-8")
    table, rows = rows_of(path)
    assert table.header_row == 3
    numbers = [n for n, cells in rows if any(cells)]
    assert numbers == [5, 7]


def test_xlsx_sheet_choice_dates_and_row_numbers(tmp_path):
    path = write_form_xlsx(tmp_path / "form.xlsx", n=3)
    assert list_sheets(path) == ["Form1", "Notes"]
    table, rows = rows_of(path, "form1")
    assert table.sheet == "Form1"
    assert table.headers[0] == "ID"
    assert [n for n, _ in rows] == [2, 3, 4]
    assert isinstance(rows[0][1][1], dt.datetime)
    notes, _ = rows_of(path, "Notes")
    assert notes.headers == ["Exported from the society's form"]
    with pytest.raises(UserError, match="no sheet called 'Sheet9'; its sheets are 'Form1', 'Notes'"):
        open_table(path, "Sheet9")


def test_preview_reads_only_the_first_rows(tmp_path):
    path = write_form_xlsx(tmp_path / "form.xlsx", n=40)
    table, rows = read_preview(path, None, 5)
    assert len(rows) == 5
    assert len(table.headers) == 21


def test_duplicate_and_empty_headers_get_distinct_names(tmp_path):
    path = tmp_path / "dup.csv"
    path.write_text("Email,Email,,Name\na@x.org,b@x.org,c,d\n", encoding="utf-8")
    table = open_table(path)
    assert table.headers == ["Email", "Email (2)", "Column C", "Name"]


def test_ten_megabyte_cell_is_refused_with_a_sentence(tmp_path):
    path = tmp_path / "huge.csv"
    big = "x" * 10_000_000
    path.write_text(f"Email,Notes\na@example.org,{big}\n", encoding="utf-8")
    with pytest.raises(UserError, match="at most 32,767"):
        rows_of(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "is empty"),
        ("blank.csv", b"\n\n  \n", "is empty"),
        ("locked.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "password-protected"),
        ("fake.xlsx", b"this is not a workbook", "damaged or not a real .xlsx"),
        ("fake.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "xls"),
        ("binary.csv", b"PK\x03\x04garbage", "looks like a workbook"),
    ],
)
def test_broken_files_get_one_clear_sentence(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=message) as info:
        table = open_table(path)
        list(table.rows)
    assert name in str(info.value)


def test_truncated_xlsx(tmp_path):
    good = write_form_xlsx(tmp_path / "good.xlsx", n=200)
    data = good.read_bytes()
    cut = tmp_path / "truncated.xlsx"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(UserError, match=r"truncated\.xlsx is damaged"):
        table = open_table(cut)
        list(table.rows)


def test_xlsx_with_a_corrupt_sheet_part(tmp_path):
    good = write_form_xlsx(tmp_path / "good.xlsx", n=5)
    bad = tmp_path / "corrupt.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            dst.writestr(item, data)
    with pytest.raises(UserError, match=r"corrupt\.xlsx"):
        table = open_table(bad)
        list(table.rows)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(UserError, match="does not exist"):
        open_table(tmp_path / "nope.csv")
    with pytest.raises(UserError, match="is a folder"):
        open_table(tmp_path)


def test_workbook_without_rows(tmp_path):
    path = tmp_path / "nothing.xlsx"
    Workbook().save(path)
    with pytest.raises(UserError, match="no header row"):
        open_table(path)


def test_text_saved_as_xls_is_read_as_text(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("Email\tName\na@example.org\tA\n", encoding="utf-8")
    table, rows = rows_of(path)
    assert table.headers == ["Email", "Name"]
    assert rows[0][1] == ["a@example.org", "A"]


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == ["A", "Z", "AA", "AB", "ZZ", "AAA"]


def test_legacy_xls_with_sheets_dates_and_numbers(tmp_path):
    import xlwt

    book = xlwt.Workbook()
    intro = book.add_sheet("Read me")
    intro.write(0, 0, "Applications are on the next sheet")
    sheet = book.add_sheet("Responses")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for col, header in enumerate(["Email", "Membership number", "Consent date", "Name"]):
        sheet.write(0, col, header)
    sheet.write(1, 0, "ann@example.org")
    sheet.write(1, 1, 12345)
    sheet.write(1, 2, dt.date(2021, 6, 1), date_style)
    sheet.write(1, 3, "Siobhán")
    path = tmp_path / "old.xls"
    book.save(str(path))
    assert list_sheets(path) == ["Read me", "Responses"]
    table, rows = rows_of(path, "Responses")
    assert table.headers == ["Email", "Membership number", "Consent date", "Name"]
    [(number, cells)] = rows
    assert number == 2
    assert cells[0] == "ann@example.org" and cells[1] == 12345.0 and cells[3] == "Siobhán"
    assert cells[2] == dt.datetime(2021, 6, 1)
    assert cell_text(cells[1]) == "12345" and cell_text(cells[2]) == "2021-06-01"


def test_title_rows_above_the_header_are_skipped(tmp_path):
    path = tmp_path / "titled.csv"
    path.write_text("Mentoring applications 2021,,\n,,\nFirst name,Last name,Email\nAnn,Lee,ann@example.org\n")
    table, rows = rows_of(path)
    assert (table.header_row, table.headers) == (3, ["First name", "Last name", "Email"])
    assert rows == [(4, ["Ann", "Lee", "ann@example.org"])]


def test_other_spreadsheet_formats_are_named(tmp_path):
    path = tmp_path / "applications.ods"
    path.write_bytes(b"PK\x03\x04 an OpenDocument spreadsheet")
    with pytest.raises(UserError, match=r"cannot read \.ods files; open applications\.ods .* save it as \.xlsx"):
        open_table(path)


def test_a_row_is_blank_only_when_every_cell_is():
    from mentorapp.importing.cells import is_blank_row

    assert is_blank_row(["", "  ", "\t", "\u00a0"])  # a CSV's texts, joined and checked at once
    assert is_blank_row([None, "", " "])  # a workbook's empty cells
    assert is_blank_row([])
    assert not is_blank_row(["", "", "x"])
    assert not is_blank_row([None, 0, ""])  # a number is an answer, even 0
    assert not is_blank_row(["", dt.date(2026, 1, 1)])


def write_rows(path, rows):
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return path


QUALTRICS = [
    ["StartDate", "ResponseId", "Q1", "Q2", "Q3"],
    ["Start Date", "Response ID", "Your first name", "Your last name", "Your work email"],
    ['{"ImportId":"startDate"}', '{"ImportId":"_recordId"}', '{"ImportId":"QID1"}', '{"ImportId":"QID2"}', ""],
    ["2024-03-01 09:00:00", "R_1", "Ama", "Owusu", "ama@trust.example"],
]


def test_a_qualtrics_export_is_headed_by_its_questions_and_its_code_rows_are_not_applications(tmp_path):
    """Qualtrics writes its codes, then the questions, then {"ImportId": ...} above the answers."""
    table, rows = rows_of(write_rows(tmp_path / "qualtrics.csv", QUALTRICS))
    assert table.headers == QUALTRICS[1]
    assert rows == [(4, QUALTRICS[3])]  # numbered as a spreadsheet shows the row
    wb = Workbook()
    for row in QUALTRICS:
        wb.active.append([c or None for c in row])
    wb.save(tmp_path / "qualtrics.xlsx")
    table, rows = rows_of(tmp_path / "qualtrics.xlsx")
    assert table.headers == QUALTRICS[1] and [n for n, _r in rows] == [4]


def test_a_second_row_that_is_only_an_answer_stays_an_application(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("First name,Last name,Email\nAma,Owusu,ama@trust.example\nBo,Li,bo@trust.example\n")
    table, rows = rows_of(path)
    assert table.headers == ["First name", "Last name", "Email"] and [n for n, _r in rows] == [2, 3]


MONKEY = [
    ["Respondent ID", "Your details", "", "Are you a mentor or a mentee?", "Areas you would like help with"] + [""] * 3,
    ["", "First name", "Email", "Response", "Leadership", "Research", "Teaching", "Other (please specify)"],
    ["11", "Ama", "ama@trust.example", "Mentee", "Leadership", "", "Teaching", "Digital health"],
    ["12", "Bo", "bo@trust.example", "Mentor", "", "Research", "", ""],
]


def test_a_surveymonkey_export_has_a_column_per_question_and_the_ticked_choices_in_one_answer(tmp_path):
    table, rows = rows_of(write_rows(tmp_path / "monkey.csv", MONKEY))
    assert table.headers == [
        "Respondent ID",
        "Your details - First name",
        "Your details - Email",
        "Are you a mentor or a mentee?",
        "Areas you would like help with",
    ]
    assert rows == [
        (3, ["11", "Ama", "ama@trust.example", "Mentee", "Leadership; Teaching; Digital health"]),
        (4, ["12", "Bo", "bo@trust.example", "Mentor", "Research"]),
    ]


def test_a_surveymonkey_export_whose_tick_boxes_outnumber_its_questions_is_read_the_same(tmp_path):
    """Twelve choices under one question: the labels row is the wider, yet the questions head the columns."""
    choices = [f"Area {n}" for n in range(12)]
    rows = [
        ["Name", "Email", "Which areas?"] + [""] * 11,
        ["Open-Ended Response", "Open-Ended Response", *choices],
        ["Ama Owusu", "ama@trust.example"] + [c if c in ("Area 3", "Area 11") else "" for c in choices],
    ]
    table, read = rows_of(write_rows(tmp_path / "wide.csv", rows))
    assert table.headers == ["Name", "Email", "Which areas?"]
    assert read == [(3, ["Ama Owusu", "ama@trust.example", "Area 3; Area 11"])]


def test_a_surveymonkey_date_question_names_its_box_yet_the_export_is_recognised(tmp_path):
    rows = [
        ["Respondent ID", "Name", "Email", "When did you qualify?", "Role"],
        ["", "Open-Ended Response", "Open-Ended Response", "Date / Time", "Response"],
        ["11", "Ama Owusu", "ama@trust.example", "01/09/2015", "Mentor"],
    ]
    table, read = rows_of(write_rows(tmp_path / "dated.csv", rows))
    assert table.headers == rows[0] and read == [(3, rows[2])]


def test_an_ordinary_form_whose_first_answer_is_the_word_response_keeps_its_header(tmp_path):
    for plain in (
        [["Name", "Email", "Type"], ["Response", "r@x.example", "Response"]],
        [["Name", "Type", "Note"], ["Response", "Response", "first reply"], ["Bo Li", "Mentor", ""]],
    ):
        table, rows = rows_of(write_rows(tmp_path / "plain.csv", plain))
        assert table.headers == plain[0] and [r for _n, r in rows] == plain[1:]


TYPEFORM = [
    ["#", "First name", "Email", "Leadership", "Research", "Teaching", "Policy", "Other", "Submit Date (UTC)"],
    ["a1", "Ama", "ama@trust.example", "Leadership", "", "Teaching", "", "Digital health", "2024-02-12 09:08:00"],
    ["b2", "Bo", "bo@trust.example", "", "Research", "", "", "", "2024-02-12 10:15:00"],
]


def test_a_typeform_export_makes_each_tick_box_question_one_column_of_the_ticked_choices(tmp_path):
    """Each choice a column headed by itself; 'Policy', ticked by nobody yet, is still one of them."""
    table, rows = rows_of(write_rows(tmp_path / "typeform.csv", TYPEFORM))
    assert table.headers == [
        "#",
        "First name",
        "Email",
        "Tick boxes in columns D-H: Leadership, Research, Teaching, Policy, Other",
        "Submit Date (UTC)",
    ]
    assert rows == [
        (2, ["a1", "Ama", "ama@trust.example", "Leadership; Teaching; Digital health", "2024-02-12 09:08:00"]),
        (3, ["b2", "Bo", "bo@trust.example", "Research", "2024-02-12 10:15:00"]),
    ]
    later = [*TYPEFORM, ["c3", "Cy", "cy@trust.example", "", "", "", "Policy", "", "2024-02-13 08:00:00"]]
    _table, rows = rows_of(write_rows(tmp_path / "later.csv", later))
    assert rows[-1] == (4, ["c3", "Cy", "cy@trust.example", "Policy", "2024-02-13 08:00:00"])


def test_columns_that_only_look_like_tick_boxes_keep_their_own_header(tmp_path):
    """One repeated answer is not a question of tick boxes, nor an empty question beside it."""
    plain = [
        ["Name", "Email", "Mentor", "Phone", "Notes"],
        ["Ama Owusu", "ama@trust.example", "Mentor", "", "Happy to help"],
        ["Bo Li", "bo@trust.example", "", "", ""],
    ]
    table, rows = rows_of(write_rows(tmp_path / "plain.csv", plain))
    assert table.headers == plain[0] and [r for _n, r in rows] == plain[1:]


def test_a_long_run_of_tick_boxes_is_named_by_its_first_choices(tmp_path):
    choices = [f"Choice {n}" for n in range(30)]
    rows = [
        ["Email", *choices],
        ["ama@trust.example", "Choice 0", *([""] * 28), "Choice 29"],
        ["bo@trust.example", "", "Choice 1"],
    ]
    table, read = rows_of(write_rows(tmp_path / "wide.csv", rows))
    assert table.headers[1] == "Tick boxes in columns B-AE: " + ", ".join(choices[:8]) + ", 22 more"
    assert read[0][1][1] == "Choice 0; Choice 29"
