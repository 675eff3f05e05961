"""The Report's benefit chart: every bar label with one decimal ("3.0", not "3"), the legend in the bars' order."""

from __future__ import annotations

import dataclasses

from mentorapp.demo.evaluations import fill_demo_evaluations
from mentorapp.evaluation.stats import compute_stats
from mentorapp_ui.evaluation.report_charts import benefit_chart


def test_bar_labels_have_one_decimal_and_the_legend_follows_the_bars(qtbot, demo_db, demo_cohort_id):
    with demo_db.transaction() as s:
        fill_demo_evaluations(s, demo_cohort_id)
    with demo_db.session() as s:
        stats = compute_stats(s, demo_cohort_id)
    first = next(t for t in stats.tests if t.role == "mentee")
    stats.tests[stats.tests.index(first)] = dataclasses.replace(first, before_mean=3.0, after_mean=3.6667)
    view = benefit_chart(stats, "mentee")
    qtbot.add_widget(view)
    view.resize(800, 420)
    view.show()
    qtbot.waitExposed(view)
    # QtCharts paints its labels itself: a label is the chart's number format of the value, with the series'
    # precision; without its own locale, Qt wrote 3.0 as "3".
    chart = view.chart()
    series = chart.series()[0]
    assert chart.localizeNumbers()
    label = lambda value: chart.locale().toString(value, "g", series.labelsPrecision())  # noqa: E731
    assert [label(v) for v in (3.0, 3.6667, 2.6, 5.0)] == ["3.0", "3.7", "2.6", "5.0"]
    legend = view.chart().legend()
    assert legend.reverseMarkers()
    names = [m.label() for m in legend.markers()]
    assert names == ["Six months", "Baseline (start)"]  # appended in this order; shown reversed, as the bars stand
