"""The roster workbook: sheets, styles, dates, filters and no formula from user data."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile

import pytest
from openpyxl import load_workbook

from mentorapp.cli.main import main
from mentorapp.outputs.files import ExportCancelledError
from mentorapp.outputs.roster import SHEET_NAMES, collect_roster
from mentorapp.outputs.roster_files import export_roster, write_roster
from tests.support.outputs_data import HOSTILE, add_matches

pytestmark = pytest.mark.both_databases


@pytest.fixture
def roster_file(demo_db, demo_cohort_id, tmp_path):
    add_matches(demo_db, demo_cohort_id)
    path = tmp_path / "roster.xlsx"
    with demo_db.session() as s:
        export_roster(s, demo_cohort_id, path, mailto=True)
    return path


def test_sheets_headers_freeze_filter_and_page_setup(roster_file):
    wb = load_workbook(roster_file)
    assert wb.sheetnames == list(SHEET_NAMES)
    for name in SHEET_NAMES[1:]:
        ws = wb[name]
        header = ws[1]
        assert all(c.font.bold for c in header), name
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert ws.print_title_rows == "$1:$1"
        assert ws.page_setup.orientation == "landscape"
        assert 1 <= ws.page_setup.fitToWidth <= 3 and ws.sheet_properties.pageSetUpPr.fitToPage
        widths = [ws.column_dimensions[c.column_letter].width for c in header]
        assert all(8 <= w <= 60 for w in widths), (name, widths)
    mentees = wb["Mentees"]
    headers = [c.value for c in mentees[1]]
    assert headers[:4] == ["Title", "First name", "Last name", "Email"]
    assert mentees.max_row == 25  # 24 demo mentees
    assert wb["Mentors"].max_row == 17
    assert wb["Matches"].max_row == 9


def test_dates_are_real_excel_dates(roster_file):
    wb = load_workbook(roster_file)
    matches = wb["Matches"]
    headers = [c.value for c in matches[1]]
    started = [r[headers.index("Started")] for r in matches.iter_rows(min_row=2)]
    filled = [c for c in started if c.value is not None]
    assert filled and all(c.is_date and c.value.date() == dt.date(2021, 9, 20) for c in filled)
    assert all(c.number_format == "d mmm yyyy" for c in filled)
    summary = {r[0].value: r[1] for r in wb["Summary"].iter_rows(min_row=3) if r[0].value}
    assert summary["Start date"].is_date and summary["Start date"].value.date() == dt.date(2021, 9, 1)
    assert summary["Confirmed"].value == 3 and summary["Ended early"].value == 1
    assert summary["Mentees"].value == 24


def test_hostile_values_stay_text_and_no_formula_anywhere(roster_file):
    wb = load_workbook(roster_file)
    mentees = wb["Mentees"]
    headers = [c.value for c in mentees[1]]
    row = next(r for r in mentees.iter_rows(min_row=2) if r[headers.index("First name")].value == "A & B")
    for column, key in (("Organisation", "organisation"), ("Job title", "job_title"), ("Phone", "phone")):
        cell = row[headers.index(column)]
        assert cell.value == HOSTILE[key]
        assert cell.data_type == "s"
        assert cell.quotePrefix, column
    goal = row[headers.index("Short-term goal")]
    assert goal.value.startswith("=cmd|") and goal.data_type == "s"
    for ws in wb:
        for r in ws.iter_rows():
            for c in r:
                assert c.data_type != "f", (ws.title, c.coordinate, c.value)
    # And in the file itself: no <f> element at all.
    with zipfile.ZipFile(roster_file) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name)


def test_unicode_wrapping_and_mailto(roster_file):
    wb = load_workbook(roster_file)
    mentors = wb["Mentors"]
    names = {(r[1].value, r[2].value) for r in mentors.iter_rows(min_row=2)}
    assert ("Łukasz", "Nguyễn") in names
    email = mentors["D2"]
    assert email.hyperlink is not None and email.hyperlink.target == f"mailto:{email.value}"
    headers = [c.value for c in mentors[1]]
    experience = [r[headers.index("Experience")] for r in mentors.iter_rows(min_row=2)]
    assert any(c.alignment.wrap_text for c in experience if c.value and len(c.value) > 60)
    # Plain cells share the workbook's default format, which is top-aligned (rows grow when text wraps).
    assert mentors["B2"].alignment.vertical == "top"


def test_unmatched_sheet(roster_file):
    wb = load_workbook(roster_file)
    rows = list(wb["Unmatched"].iter_rows(min_row=2, values_only=True))
    mentees = [r for r in rows if r[0] == "Mentee"]
    # 24 mentees, 8 matched of which one ended early -> 17 unmatched.
    assert len(mentees) == 17


def test_csv_of_one_sheet_escapes_formulas(demo_db, demo_cohort_id, tmp_path):
    add_matches(demo_db, demo_cohort_id)
    out = tmp_path / "mentees.csv"
    with demo_db.session() as s:
        export_roster(s, demo_cohort_id, out, sheet="mentees")
    with open(out, encoding="utf-8-sig", newline="") as fh:
        assert fh.readline().startswith("# mentorapp CSV export v1")  # the mark, then the headings
        rows = list(csv.DictReader(fh))
    assert len(rows) == 24
    hostile = next(r for r in rows if r["First name"] == "A & B")
    assert hostile["Organisation"] == "'" + HOSTILE["organisation"]
    assert hostile["Consent date"] in ("",) or dt.date.fromisoformat(hostile["Consent date"])


def test_cancel_leaves_existing_file_untouched(demo_db, demo_cohort_id, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "roster.xlsx"
    path.write_bytes(b"old contents")
    with demo_db.session() as s:
        roster = collect_roster(s, demo_cohort_id)
    calls = []
    with pytest.raises(ExportCancelledError):
        write_roster(roster, path, progress=lambda d, t: calls.append(d), cancel=lambda: len(calls) >= 1)
    assert path.read_bytes() == b"old contents"
    assert [p.name for p in folder.iterdir()] == ["roster.xlsx"]


def test_cli_export_roster(demo_db, db_path, tmp_path, capsys):
    out = tmp_path / "r.xlsx"
    assert main(["--db", db_path, "export", "roster", "-o", str(out)]) == 0
    assert "Wrote the roster" in capsys.readouterr().out
    assert load_workbook(out).sheetnames == list(SHEET_NAMES)
    assert main(["--db", db_path, "export", "roster", "-o", str(tmp_path / "x.csv")]) == 2
    assert "--sheet" in capsys.readouterr().err
    assert main(["--db", db_path, "export", "roster", "--sheet", "Nope", "-o", str(tmp_path / "x.csv")]) == 1
    assert "no sheet called 'Nope'" in capsys.readouterr().err
    assert main(["--db", db_path, "export", "roster", "--sheet", "Matches", "--csv", "-o", str(tmp_path / "m")]) == 0


def test_scores_keep_two_decimals_as_on_the_board(tmp_path):
    """The board shows 0.61; the roster must not print 0.6 (or 1)."""
    from openpyxl import load_workbook

    from mentorapp.demo.cohort import create_demo
    from mentorapp.outputs.roster_files import export_roster
    from mentorapp.store.db import open_database
    from mentorapp.store.models import Match, Participant

    db = open_database(str(tmp_path / "s.db"))
    with db.transaction() as s:
        cohort_id = create_demo(s, mentees=1, mentors=1).cohort_id
        mentee = s.query(Participant).filter_by(role="mentee").one()
        mentor = s.query(Participant).filter_by(role="mentor").one()
        s.add(Match(cohort_id=cohort_id, mentor_id=mentor.id, mentee_id=mentee.id, score=0.614, status="confirmed"))
    out = tmp_path / "r.xlsx"
    with db.session() as s:
        export_roster(s, cohort_id, out)
    db.dispose()
    sheet = load_workbook(out)["Matches"]
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=header.index("Score") + 1)
    assert cell.value == 0.61 and cell.number_format == "0.00"
