"""The Report page's charts share the width: none is squeezed beside another."""

from __future__ import annotations

from PySide6.QtCharts import QChartView
from PySide6.QtCore import Qt

from mentorapp.demo.evaluations import fill_demo_evaluations


def test_the_charts_side_by_side_are_equally_wide(qtbot, make_window, demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        fill_demo_evaluations(s, demo_cohort_id)
    window = make_window(demo_db)
    window.resize(1000, 760)  # a laptop-sized window
    # Open the Report page as a person does: a click on its name on the left.
    row = next(i for i in range(window.nav.count()) if window.nav.item(i).text() == "Report")
    rect = window.nav.visualItemRect(window.nav.item(row))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    page = window.current_page()
    assert page.name == "report"
    qtbot.waitUntil(lambda: page.charts.count() >= 3)
    views = {v.chart().title(): v for v in page.findChildren(QChartView)}
    meetings = next(v for t, v in views.items() if t.startswith("Meetings"))
    satisfaction = next(v for t, v in views.items() if t.startswith("Overall satisfaction"))
    qtbot.waitUntil(lambda: meetings.isVisible() and meetings.width() > 0)
    assert meetings.width() >= 280
    assert abs(meetings.width() - satisfaction.width()) <= satisfaction.width() // 10
