"""QtCharts views of the evaluation figures: the same charts as the PDF, on screen.

Each function takes :class:`mentorapp.evaluation.stats.EvaluationStats` and
returns a ready QChartView; colours match the PDF so the page and the report
look alike.
"""

from __future__ import annotations

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QLocale, QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy

from mentorapp.evaluation.instrument import ITEMS_BY_KEY, SCALE_MAX, SCALE_MIN
from mentorapp.evaluation.stats import EvaluationStats

BASELINE = QColor("#a9bfd0")
SIX_MONTH = QColor("#1f5f8b")
MENTOR = QColor("#d08c2e")


def _view(chart: QChart, height: int) -> QChartView:
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(height)
    # The width comes from the page's grid, not from the chart's hint: a long title (satisfaction's)
    # made a wide hint that squeezed the chart beside it (meetings) to a sliver.
    view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    view.setMinimumWidth(260)
    return view


def _bar_set(name: str, values: list[float], colour: QColor) -> QBarSet:
    bar_set = QBarSet(name)
    bar_set.append([float(v) for v in values])
    bar_set.setColor(colour)
    bar_set.setBorderColor(colour)
    bar_set.setLabelColor(QColor("#1d2733"))
    return bar_set


def benefit_chart(stats: EvaluationStats, role: str = "mentee") -> QChartView:
    """Paired means per benefit on the 1 to 5 axis: the same people at the start and at six months.

    Each category names its n; the six-month bar is drawn with the change's 95% interval in the
    label, so spread and numbers are on screen as in the PDF.
    """
    tests = list(reversed([t for t in stats.tests if t.role == role]))
    series = QHorizontalBarSeries()
    # Appended first is drawn lowest: six months first keeps the baseline bar on top, as in the PDF.
    series.append(_bar_set("Six months", [t.after_mean or SCALE_MIN for t in tests], SIX_MONTH))
    series.append(_bar_set("Baseline (start)", [t.before_mean or SCALE_MIN for t in tests], BASELINE))
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    series.setLabelsPrecision(2)  # two figures: one decimal on the 1 to 5 scale
    series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
    chart = QChart()
    # Labels with their trailing zero, "3.0" beside "2.6" (Qt's own format wrote "3").
    one_decimal = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)
    one_decimal.setNumberOptions(
        QLocale.NumberOption.IncludeTrailingZeroesAfterDot | QLocale.NumberOption.OmitGroupSeparator
    )
    chart.setLocale(one_decimal)
    chart.setLocalizeNumbers(True)
    chart.addSeries(series)
    chart.legend().setReverseMarkers(True)  # the legend in the bars' order, top to bottom: baseline, six months
    who = "Mentees" if role == "mentee" else "Mentors"
    chart.setTitle(f"{who} who answered both times: mean self-rating, 1 to 5")
    categories = QBarCategoryAxis()
    categories.append([f"{t.label} (n={t.n_pairs})" for t in tests])
    values = QValueAxis()
    values.setRange(SCALE_MIN, SCALE_MAX)
    values.setTickCount(SCALE_MAX - SCALE_MIN + 1)
    values.setLabelFormat("%.0f")  # with the chart's own number format ("%d" drew no labels)
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(categories)
    series.attachAxis(values)
    return _view(chart, 380)


def _column_chart(title: str, labels: list[str], sets: list[tuple[str, list[int], QColor]]) -> QChartView:
    series = QBarSeries()
    for name, values, colour in sets:
        series.append(_bar_set(name, values, colour))
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
    chart = QChart()
    chart.addSeries(series)
    chart.setTitle(title)
    categories = QBarCategoryAxis()
    categories.append(labels)
    top = max([v for _n, values, _c in sets for v in values] + [1])
    step = max(1, round(top / 4)) if top > 4 else 1
    values_axis = QValueAxis()
    values_axis.setRange(0, (top // step + 1) * step)
    values_axis.setTickType(QValueAxis.TickType.TicksDynamic)
    values_axis.setTickAnchor(0)
    values_axis.setTickInterval(step)
    values_axis.setLabelFormat("%d")
    chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(values_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    series.attachAxis(values_axis)
    if len(sets) == 1:
        chart.legend().hide()
    return _view(chart, 260)


def satisfaction_chart(stats: EvaluationStats) -> QChartView:
    labels = ["1", "2", "3", "4", "5"]
    return _column_chart(
        f"Overall satisfaction ({ITEMS_BY_KEY['satisfaction'].scale_text()})",
        labels,
        [
            ("Mentees", [stats.satisfaction["mentee"].counts[k] for k in range(1, 6)], SIX_MONTH),
            ("Mentors", [stats.satisfaction["mentor"].counts[k] for k in range(1, 6)], MENTOR),
        ],
    )


def meetings_chart(stats: EvaluationStats) -> QChartView:
    buckets = stats.meetings.buckets()
    return _column_chart(
        "Meetings per pair in six months", [b for b, _n in buckets], [("Pairs", [n for _b, n in buckets], SIX_MONTH)]
    )


def learning_chart(stats: EvaluationStats) -> QChartView:
    return _column_chart(
        f"Mentors' own learning ({ITEMS_BY_KEY['mentor_learning_rating'].scale_text()})",
        ["1", "2", "3", "4", "5"],
        [("Mentors", [stats.mentor_learning.counts[k] for k in range(1, 6)], MENTOR)],
    )
