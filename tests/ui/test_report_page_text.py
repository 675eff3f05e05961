"""The Report page shows every figure of its tables, written as the PDF writes it."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextDocument

from mentorapp.demo.evaluations import fill_demo_evaluations


def _plain(html: str) -> str:
    document = QTextDocument()
    document.setHtml(html)
    return document.toPlainText()


@pytest.fixture
def report(qtbot, make_window, demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        fill_demo_evaluations(s, demo_cohort_id, all_respond=True)  # strong results: several p below 0.001
    window = make_window(demo_db)
    window.ctx.set_cohort(demo_cohort_id)
    assert window.show_page("report")
    page = window.current_page()
    qtbot.waitUntil(lambda: page.stats is not None and page.charts.count() >= 3)
    return page


def test_the_strongest_p_value_reads_below_0_001_instead_of_a_blank(report):
    # "<0.001" went into the rich text as it was, so its "<" opened a tag and the cell came out empty.
    assert "&lt;0.001" in report.benefits.text()
    text = _plain(report.benefits.text())
    assert "<0.001" in text
    strongest = [t for t in report.stats.tests if t.p_holm is not None and t.p_holm < 0.001]
    assert len(strongest) >= 2 and text.count("<0.001") == len(strongest)  # each in its own row


def test_verdicts_are_capitalised_as_in_the_pdf(report):
    text = _plain(report.benefits.text())
    assert "Clear improvement" in text and "No clear change" in text
    assert "clear improvement" not in text and "no clear change" not in text
