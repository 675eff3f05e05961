"""Letters and the roster at society scale, each against the library doing the same heavy part bare.

Letters: 1,000 confirmed matches, so 2,000 letters in one PDF, reading the
cohort included. The reference is reportlab platypus alone writing the same
letters' paragraphs (the same amount of text, one letter a page) in the same
embedded Unicode font at the same size (laying out text in a TrueType font is
the library's heavy part, for both), with no letterhead, logo, table, bullets,
signature or footer. Goal <= 2x.

Roster: 10,000 participants and 5,000 matches, reading the cohort from the
database included. The reference is openpyxl's write-only mode dumping exactly
the same cells as plain values, with no styles, widths, filters or page set-up
(its cells are read before the clock starts). Goal <= 1.5x.
"""

from __future__ import annotations

import datetime as dt

from benchmarks.fixtures import LETTER_MATCHES, society_database, workdir
from benchmarks.timing import interleaved, ratio_row


def letter_paragraphs(session, cohort_id: int) -> list[list[str]]:
    """The text of every letter (address, date, salutation, subject, paragraphs, as markup), for the reference."""
    from mentorapp.outputs.letter_template import load_template
    from mentorapp.outputs.letter_text import CohortInfo, compose, long_date
    from mentorapp.outputs.letterhead import load_letterhead
    from mentorapp.outputs.letters import SIDES, list_letter_matches
    from mentorapp.outputs.pdf_fonts import markup

    cohort = CohortInfo.load(session, cohort_id)
    template = load_template(session, cohort_id)
    letterhead = load_letterhead(session, cohort_id)
    day = dt.date(2026, 9, 1)
    letters = []
    for match in list_letter_matches(session, cohort_id, ["confirmed"]):
        for side in SIDES:
            letter = compose(match, side, template, cohort, letterhead, day)
            person = letter.recipient
            address = "<br/>".join(markup(x) for x in (person.full_name, person.job_title, person.organisation) if x)
            texts = [address, long_date(day), markup(f"Dear {person.salutation},"), letter.subject]
            for para in letter.paragraphs:
                texts += para if isinstance(para, list) else [para]
            letters.append(texts)
    return letters


def reference_letters(letters: list[list[str]], path) -> int:
    """platypus alone: the same paragraphs, one letter a page, the letters' font and size, nothing else."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate

    from mentorapp.outputs.pdf_fonts import REGULAR, register_fonts

    register_fonts()  # before the clock: the fonts are registered once per process for both
    style = ParagraphStyle("body", fontName=REGULAR, fontSize=10, leading=14, spaceAfter=7)
    doc = SimpleDocTemplate(str(path), pagesize=A4)
    story: list = []
    for texts in letters:
        if story:
            story.append(PageBreak())
        story += [Paragraph(text, style) for text in texts]
    doc.build(story)
    return doc.page


def reference_roster(roster, path) -> None:
    """openpyxl write-only, same cells, plain values: the fastest way openpyxl can write them."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Summary")
    for label, value in roster.summary:
        ws.append([label, value])
    for sheet in roster.sheets:
        ws = wb.create_sheet(sheet.title)
        ws.append([c.header for c in sheet.columns])
        for row in sheet.rows:
            ws.append(row)
    wb.save(path)


def main() -> None:
    from mentorapp.outputs.letters import export_letters
    from mentorapp.outputs.roster import collect_roster
    from mentorapp.outputs.roster_files import write_roster
    from mentorapp.store.db import open_database

    path, cohort_id = society_database()
    tmp = workdir()
    db = open_database(str(path))
    with db.session() as s:
        letters = letter_paragraphs(s, cohort_id)
        roster = collect_roster(s, cohort_id)
    assert len(letters) == 2 * LETTER_MATCHES
    pages: dict[str, int] = {}

    def ours_letters() -> None:
        target = tmp / "letters.pdf"
        target.unlink(missing_ok=True)
        with db.session() as s:
            pages["ours"] = export_letters(s, cohort_id, path=target, statuses=["confirmed"]).pages

    def bare_letters() -> None:
        pages["reference"] = reference_letters(letters, tmp / "reference.pdf")

    best = interleaved({"reference": bare_letters, "ours": ours_letters})
    print(f"  ({pages['ours']:,} pages of letters; the reference wrote {pages['reference']:,})")
    ratio_row(
        f"letters for {LETTER_MATCHES:,} pairs ({pages['ours']:,} pages) vs platypus alone, same text",
        best["ours"],
        best["reference"],
        2.0,
    )

    def ours_roster() -> None:
        with db.session() as s:
            write_roster(collect_roster(s, cohort_id), tmp / "roster.xlsx")

    best = interleaved({"reference": lambda: reference_roster(roster, tmp / "reference.xlsx"), "ours": ours_roster})
    ratio_row(
        f"roster of 10,000 participants ({roster.cell_count:,} cells), reading included, vs openpyxl write-only",
        best["ours"],
        best["reference"],
        1.5,
    )
    db.dispose()


if __name__ == "__main__":
    main()
