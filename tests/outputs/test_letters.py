"""Match letters: text, escaping, Unicode, templates, output modes, cancel and 'sent' dates."""

from __future__ import annotations

import datetime as dt

import pypdf
import pytest

from mentorapp.cli.main import main
from mentorapp.outputs.files import MANIFEST, ExportCancelledError
from mentorapp.outputs.letter_template import (
    PLACEHOLDERS,
    LetterTemplate,
    TemplateError,
    default_template,
    load_template,
    save_template,
    unknown_placeholders,
)
from mentorapp.outputs.letters import (
    export_letters,
    list_letter_matches,
    mark_letters_sent,
    preview_pdf,
    restore_letters_sent,
)
from mentorapp.store.models import Match
from tests.support.outputs_data import add_matches

pytestmark = pytest.mark.both_databases

DAY = dt.date(2021, 9, 6)


@pytest.fixture
def matched(demo_db, demo_cohort_id):
    return add_matches(demo_db, demo_cohort_id)


def pdf_pages(path_or_stream) -> list[str]:
    reader = pypdf.PdfReader(path_or_stream)
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_one_pdf_has_a_page_per_letter_with_names_goals_and_escaping(demo_db, demo_cohort_id, matched, tmp_path):
    out = tmp_path / "letters.pdf"
    with demo_db.session() as s:
        result = export_letters(s, demo_cohort_id, path=out, letter_date=DAY)
    # Default statuses: 3 confirmed + 2 active matches, two letters each.
    assert result.letters == 10 and len(result.match_ids) == 5
    pages = pdf_pages(out)
    assert len(pages) == result.pages == 10
    text = "\n".join(pages)
    assert "Dear Dr <Ltd>," in text  # escaped markup printed as typed
    assert "A & B <Ltd>" in text
    assert "Łukasz Nguyễn" in text
    assert "王" in text and "秀英" in text
    assert "=cmd|'/C calc'!A0 and <b>lead</b> a team" in text  # goal text, tags shown literally
    assert "6 September 2021" in text
    assert "Your mentor in the Future Leaders pilot" in text
    assert "Your mentee in the Future Leaders pilot" in text
    # Every page is one letter starting with the letterhead.
    assert all(p.startswith("Mentoring Scheme") for p in pages)


def test_fonts_are_embedded_unicode_fonts(demo_db, demo_cohort_id, matched, tmp_path):
    out = tmp_path / "letters.pdf"
    with demo_db.session() as s:
        export_letters(s, demo_cohort_id, path=out, letter_date=DAY)
    fonts: set[str] = set()

    def visit(text, _cm, _tm, font_dict, _size):
        if text.strip() and font_dict:
            fonts.add(str(font_dict["/BaseFont"]))

    for page in pypdf.PdfReader(out).pages:
        page.extract_text(visitor_text=visit)
    # Every piece of text is drawn in a bundled font (subset names look like AAAAAA+DejaVuSans).
    assert fonts and all("DejaVuSans" in f or "Fallback" in f for f in fonts), fonts
    assert any("Fallback" in f for f in fonts)


def test_one_pdf_per_participant(demo_db, demo_cohort_id, matched, tmp_path):
    folder = tmp_path / "letters"
    with demo_db.session() as s:
        result = export_letters(s, demo_cohort_id, out_dir=folder, statuses=None, letter_date=DAY)
    files = sorted(p for p in folder.iterdir() if p.name != MANIFEST)  # the manifest lists them
    assert files == sorted(result.files)
    # 8 matches: 8 mentees and the mentors they share; each person gets one file.
    with demo_db.session() as s:
        people = {m.mentee.id for m in list_letter_matches(s, demo_cohort_id, None)} | {
            m.mentor.id for m in list_letter_matches(s, demo_cohort_id, None)
        }
    assert len(files) == len(people)
    assert sum(len(pypdf.PdfReader(f).pages) for f in files) == 16
    assert [f.name for f in folder.iterdir() if f.suffix != ".pdf"] == [MANIFEST]


def test_status_filter_and_sides(demo_db, demo_cohort_id, matched, tmp_path):
    out = tmp_path / "l.pdf"
    with demo_db.session() as s:
        result = export_letters(s, demo_cohort_id, path=out, statuses=["ended_early"], sides=["mentor"])
    assert result.letters == 1
    assert "Your mentee" in pdf_pages(out)[0]


def test_unknown_placeholder_is_an_error_listing_the_known_ones(demo_db, demo_cohort_id, matched, tmp_path):
    template = default_template()
    template.mentor_body += "\n\nSee you at {meeting_place} and {mentor_nmae}."
    assert unknown_placeholders(template.mentor_body) == ["meeting_place", "mentor_nmae"]
    with pytest.raises(TemplateError) as err:
        template.validate()
    message = str(err.value)
    assert "{meeting_place}" in message and "{mentor_nmae}" in message and "mentor letter" in message
    assert "{mentor_full_name}" in message  # the known ones are listed
    with demo_db.transaction() as s, pytest.raises(TemplateError):
        save_template(s, demo_cohort_id, template)
    with demo_db.session() as s, pytest.raises(TemplateError):
        export_letters(s, demo_cohort_id, path=tmp_path / "x.pdf", template=template)
    assert not (tmp_path / "x.pdf").exists()


def test_saved_template_is_used_and_braces_escape(demo_db, demo_cohort_id, matched, tmp_path):
    template = LetterTemplate(
        mentee_subject="Hello {recipient_first_name}",
        mentee_body="Your mentor is {other_full_name} of {other_organisation}. Literal {{braces}}.",
        mentor_subject="Mentee news",
        mentor_body="Your mentee's goals:\n\n{mentee_goals}",
    )
    with demo_db.transaction() as s:
        save_template(s, demo_cohort_id, template)
    with demo_db.session() as s:
        assert load_template(s, demo_cohort_id) == template
        export_letters(s, demo_cohort_id, path=tmp_path / "l.pdf", letter_date=DAY)
    text = "\n".join(pdf_pages(tmp_path / "l.pdf"))
    assert "Literal {braces}." in text
    assert "Hello A & B" in text
    assert "Short-term (next 6-12 months): =cmd|" in text
    assert set(PLACEHOLDERS) >= {"mentor_full_name", "mentee_goals", "first_meeting_deadline", "other_email"}


def test_cancel_leaves_no_file(demo_db, demo_cohort_id, matched, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    seen = []
    with demo_db.session() as s, pytest.raises(ExportCancelledError):
        export_letters(
            s, demo_cohort_id, path=out / "l.pdf", progress=lambda d, t: seen.append(d), cancel=lambda: len(seen) >= 3
        )
    assert list(out.iterdir()) == []
    with demo_db.session() as s, pytest.raises(ExportCancelledError):
        export_letters(
            s, demo_cohort_id, out_dir=out / "d", progress=lambda d, t: seen.append(d), cancel=lambda: len(seen) >= 8
        )
    assert list((out / "d").iterdir()) == []


def test_mark_sent_and_undo(demo_db, demo_cohort_id, matched):
    with demo_db.session() as s:
        ids = [m.id for m in list_letter_matches(s, demo_cohort_id)]
    with demo_db.transaction() as s:
        previous = mark_letters_sent(s, ids, DAY)
    assert previous == dict.fromkeys(ids)
    with demo_db.session() as s:
        assert {s.get(Match, i).letter_sent_on for i in ids} == {DAY}
    with demo_db.transaction() as s:
        restore_letters_sent(s, previous)
    with demo_db.session() as s:
        assert {s.get(Match, i).letter_sent_on for i in ids} == {None}


def test_preview_uses_a_sample_when_there_are_no_matches(demo_db, demo_cohort_id):
    import io

    with demo_db.session() as s:
        data = preview_pdf(s, demo_cohort_id, default_template(), "mentor")
    text = pdf_pages(io.BytesIO(data))[0]
    assert "Dear Prof Nowak," in text and "Siobhán" in text


def test_cli_export_letters(demo_db, db_path, matched, tmp_path, capsys):
    out = tmp_path / "l.pdf"
    rc = main(["--db", db_path, "export", "letters", "--status", "active", "-o", str(out), "--mark-sent"])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "Wrote 4 letters (4 pages) for 2 matches" in printed and "marked" in printed.lower()
    assert len(pypdf.PdfReader(out).pages) == 4
    with demo_db.session() as s:
        sent = [m.letter_sent_on for m in list_letter_matches(s, 1, ["active"])]
    assert sent == [dt.date.today()] * 2
    assert main(["--db", db_path, "export", "letters", "--status", "nope", "-o", str(out)]) == 2
    assert main(["--db", db_path, "export", "letters", "-o", str(tmp_path / "x.txt")]) == 2
    assert main(["--db", db_path, "export", "letters", "--match", "999", "-o", str(tmp_path / "new.pdf")]) == 1
    assert "no match 999" in capsys.readouterr().err
    before = out.read_bytes()
    assert main(["--db", db_path, "export", "letters", "--status", "active", "-o", str(out)]) == 1
    assert "already exists and was left unchanged" in capsys.readouterr().err and out.read_bytes() == before
    assert main(["--db", db_path, "export", "letters", "--status", "active", "-o", str(out), "--replace"]) == 0
    assert main(["--db", db_path, "export", "letters", "--out-dir", str(tmp_path / "d"), "--match", "1"]) == 0
    assert len([p for p in (tmp_path / "d").iterdir() if p.name != MANIFEST]) == 2


def test_light_listing_matches_the_detailed_one(demo_db, demo_cohort_id, matched):
    with demo_db.session() as s:
        full = list_letter_matches(s, demo_cohort_id, None)
        light = list_letter_matches(s, demo_cohort_id, None, details=False)
    assert [(m.id, m.status, m.mentee.full_name, m.mentor.email) for m in light] == [
        (m.id, m.status, m.mentee.full_name, m.mentor.email) for m in full
    ]
    assert light[0].mentee.goals == [] and full[0].mentee.goals
