"""The Cohorts page: every cohort side by side, the same figures as `cohorts --format json`, copied on request."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from mentorapp.demo.evaluations import fill_demo_evaluations
from mentorapp.evaluation.compare import NO_ANSWERS, cohort_overviews
from mentorapp.people.cohorts import CohortData, create_cohort, find_cohort
from mentorapp.people.participants import ParticipantData, create_participant, list_participants
from mentorapp_ui.evaluation.overview_page import CohortsPage


def _again(p: ParticipantData) -> ParticipantData:
    data = ParticipantData(**{k: getattr(p, k) for k in ParticipantData.__dataclass_fields__})
    data.id = data.cohort_id = data.version_id = data.person_id = None
    return data


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_page_shows_each_cohort_side_by_side_and_copies_them(qtbot, make_window, demo_db):
    with demo_db.transaction() as s:
        pilot = find_cohort(s, None)
        fill_demo_evaluations(s, pilot.id, seed=5)
        nxt = create_cohort(s, CohortData(name="Future Leaders 2022", start_date=dt.date(2022, 9, 1)))
        for p in list_participants(s, pilot.id)[:20]:
            create_participant(s, nxt.id, _again(p))
        pilot_id, next_id = pilot.id, nxt.id
    with demo_db.session() as s:
        expected = cohort_overviews(s)
    window = make_window(demo_db)
    window.resize(1200, 760)
    window.ctx.set_cohort(next_id)
    qtbot.keyClick(window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)  # Ctrl+7: the seventh page
    page = window.current_page()
    assert isinstance(page, CohortsPage)
    qtbot.waitUntil(lambda: page.is_loaded() and page.model.columnCount() == 2)
    model = page.model
    # The table ends with its last row: no empty strip of grey row headers runs on below it.
    table = page.table
    rows = sum(table.rowHeight(r) for r in range(model.rowCount()))
    assert 0 <= table.viewport().height() - rows <= 2
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(2)]
    assert headers[0].startswith("Future Leaders pilot\n") and headers[1].startswith("Future Leaders 2022\n")
    labels = [model.headerData(r, Qt.Orientation.Vertical) for r in range(model.rowCount())]
    assert labels[:3] == ["Mentees", "Mentors", "Match rate (mentees matched)"]
    pilot_col = [model.index(r, 0).data() for r in range(model.rowCount())]
    next_col = [model.index(r, 1).data() for r in range(model.rowCount())]
    first = next(o for o in expected if o.id == pilot_id)
    assert pilot_col[0] == str(first.mentees) and pilot_col[2].startswith(f"{round(first.match_rate * 100)}%")
    share = first.outcomes[0].share
    assert pilot_col[labels.index("Mentees improved: Knowledge and experience")].startswith(f"{round(share * 100)}%")
    assert next_col[labels.index("Response rate at the start")] == NO_ANSWERS
    assert model.index(0, 1).data(Qt.ItemDataRole.FontRole).bold()  # the current cohort
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole) is None
    page.grab().save("/tmp/cohorts_page.png")

    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    copied = QApplication.clipboard().text().splitlines()
    assert copied[0] == "Measure\tFuture Leaders pilot\tFuture Leaders 2022"
    assert copied[1] == f"Mentees\t{first.mentees}\t{next_col[0]}"


@pytest.mark.qt_log_ignore("This plugin does not support")
def test_the_report_page_exports_a_comparison_with_the_chosen_cohort(qtbot, make_window, demo_db, tmp_path):
    from pypdf import PdfReader

    from mentorapp_ui.evaluation.report_page import ReportPage

    with demo_db.transaction() as s:
        pilot = find_cohort(s, None)
        fill_demo_evaluations(s, pilot.id, seed=6)
        nxt = create_cohort(s, CohortData(name="Future Leaders 2022", start_date=dt.date(2022, 9, 1)))
        pilot_id, next_id = pilot.id, nxt.id
    window = make_window(demo_db)
    window.ctx.set_cohort(next_id)
    assert window.show_page("report")
    page = window.current_page()
    assert isinstance(page, ReportPage)
    page.refresh()
    names = [page.compare.itemText(i) for i in range(page.compare.count())]
    assert names == ["No other cohort", "Future Leaders pilot"]
    page.compare.setCurrentIndex(page.compare.findData(pilot_id))
    page.grab().save("/tmp/report_compare_page.png")
    page.ask_to_open = False
    target = tmp_path / "compared.pdf"
    page.export_pdf(str(target))
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=30000)
    text = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(str(target)).pages)
    assert "Compared with Future Leaders pilot" in text and NO_ANSWERS in text
