"""The dashboard's charts (QtCharts): the pipeline, and who answered the check-in and the evaluation.

A click on a bar names its figure (one of :data:`mentorapp.running.dashboard.FIGURES`), so the
page opens the people behind it, as a click on a number does.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QHorizontalStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QSizePolicy

from mentorapp.dates import day_month
from mentorapp.running.dashboard import PIPELINE, PIPELINE_LABELS, Rate

BAR = QColor("#1f5f8b")
ANSWERED = QColor("#2e9d5b")
MISSING = QColor("#d9a441")
LABEL = QColor("#1d2733")

OnClick = Callable[[str], object]


def _view(chart: QChart, height: int) -> QChartView:
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(height)
    view.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
    view.setMinimumWidth(300)
    view.setCursor(Qt.CursorShape.PointingHandCursor)
    return view


def _bar_set(name: str, values: list[float], colour: QColor) -> QBarSet:
    bars = QBarSet(name)
    bars.append([float(v) for v in values])
    bars.setColor(colour)
    bars.setBorderColor(colour)
    bars.setLabelColor(LABEL)
    return bars


def _value_axis(top: float) -> QValueAxis:
    axis = QValueAxis()
    top = max(top, 1)
    step = max(1, round(top / 5))
    axis.setRange(0, (int(top) // step + 1) * step)
    axis.setTickType(QValueAxis.TickType.TicksDynamic)
    axis.setTickAnchor(0)
    axis.setTickInterval(step)
    axis.setLabelFormat("%d")
    return axis


def pipeline_chart(pipeline: dict[str, int], on_click: OnClick) -> QChartView:
    """Mentees at each stage, Applied at the top; a click on a bar lists them."""
    keys = list(reversed(PIPELINE))  # a horizontal chart draws its first category at the bottom
    bars = _bar_set("Mentees", [pipeline.get(k, 0) for k in keys], BAR)
    bars.clicked.connect(lambda i: on_click(keys[i]))
    series = QHorizontalBarSeries()
    series.append(bars)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    series.setLabelsPosition(QHorizontalBarSeries.LabelsPosition.LabelsOutsideEnd)
    chart = QChart()
    chart.addSeries(series)
    chart.setTitle("Mentees at each stage (click a bar for the names)")
    categories = QBarCategoryAxis()
    categories.append([PIPELINE_LABELS[k] for k in keys])
    values = _value_axis(max(pipeline.values(), default=0) * 1.1)
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(categories)
    series.attachAxis(values)
    chart.legend().hide()
    return _view(chart, 300)


def responses_chart(check_in: Rate | None, evaluation: Rate, stage_label: str, on_click: OnClick) -> QChartView:
    """Answered and not answered, for the check-in due now and the evaluation stage due."""
    rows: list[tuple[str, Rate, str]] = [(f"Evaluation ({stage_label})", evaluation, "evaluation")]
    if check_in is not None:
        day = day_month(check_in.date) if check_in.date else ""
        rows.append((f"Check-in of {day}", check_in, "check_in"))
    answered = _bar_set("Answered", [r.answered for _l, r, _k in rows], ANSWERED)
    missing = _bar_set("Not answered yet", [max(r.asked - r.answered, 0) for _l, r, _k in rows], MISSING)
    answered.clicked.connect(lambda i: on_click(f"{rows[i][2]}_answered"))
    missing.clicked.connect(lambda i: on_click(f"{rows[i][2]}_missing"))
    series = QHorizontalStackedBarSeries()
    series.append(answered)
    series.append(missing)
    series.setLabelsVisible(True)
    series.setLabelsFormat("@value")
    chart = QChart()
    chart.addSeries(series)
    chart.setTitle("Answers (click a bar for the names)")
    categories = QBarCategoryAxis()
    categories.append([label for label, _r, _k in rows])
    values = _value_axis(max((r.asked for _l, r, _k in rows), default=0))
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(categories)
    series.attachAxis(values)
    return _view(chart, 220)
