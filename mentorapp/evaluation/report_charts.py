"""The report's charts (reportlab.graphics), drawn from the evaluation figures, and its palette."""

from __future__ import annotations

from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import cm

from mentorapp.evaluation.stats import EvaluationStats
from mentorapp.outputs.pdf_fonts import REGULAR

INK = colors.HexColor("#1d2733")
MUTED = colors.HexColor("#5b6773")
ACCENT = colors.HexColor("#1f5f8b")
BASELINE = colors.HexColor("#a9bfd0")
SIX_MONTH = colors.HexColor("#1f5f8b")
MENTOR_COLOUR = colors.HexColor("#d08c2e")
RULE = colors.HexColor("#c9d3dc")
MET_BG, MET_INK = colors.HexColor("#dcefd9"), colors.HexColor("#1e6b2a")
NOT_MET_BG, NOT_MET_INK = colors.HexColor("#f8d9d5"), colors.HexColor("#9b2a1f")
UNKNOWN_BG = colors.HexColor("#eceff2")


def _wrap_label(text: str, width: int = 16) -> str:
    words, lines, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    return "\n".join(lines)


def benefit_chart(stats: EvaluationStats, role: str = "mentee", width: float = 16 * cm) -> Drawing:
    """Grouped horizontal bars: baseline vs six-month mean per benefit (1-5)."""
    benefits = list(reversed(stats.benefits[role]))  # the chart draws its first category at the bottom
    height = 44 + 36 * len(benefits) + 12
    d = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 118, 44
    chart.width, chart.height = width - chart.x - 22, height - chart.y - 10
    # Series 0 is drawn lowest in each group: six months first puts the baseline bar on top.
    chart.data = [[b.six_month_mean for b in benefits], [b.baseline_mean for b in benefits]]
    chart.categoryAxis.categoryNames = [_wrap_label(b.label, 18) for b in benefits]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.textAnchor = "end"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 5, 1
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e3e8ed")
    chart.bars[0].fillColor = SIX_MONTH
    chart.bars[1].fillColor = BASELINE
    chart.bars.strokeColor = None
    chart.barSpacing, chart.groupSpacing = 1.5, 9
    chart.barLabelFormat = "%.1f"
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    chart.barLabels.fillColor = INK
    d.add(chart)
    legend = Legend()
    legend.x, legend.y = chart.x, 2
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 110
    legend.fontName, legend.fontSize = REGULAR, 8
    legend.boxAnchor = "sw"
    legend.dxTextSpace = 4
    legend.colorNamePairs = [(BASELINE, "Baseline (start)"), (SIX_MONTH, "Six months")]
    d.add(legend)
    d.add(String(width - 22, 6, "mean rating, 1 to 5", fontName=REGULAR, fontSize=7, fillColor=MUTED, textAnchor="end"))
    return d


def column_chart(
    labels: list[str],
    series: list[list[float]],
    names: list[str],
    fills: list[Any],
    *,
    width: float = 8 * cm,
    height: float = 5.2 * cm,
    value_label: str = "people",
) -> Drawing:
    """A small vertical bar chart with value labels (counts)."""
    d = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 42 if len(series) > 1 else 26
    chart.width, chart.height = width - chart.x - 8, height - chart.y - 14
    chart.data = series
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.dy = -2
    chart.categoryAxis.strokeColor = RULE
    top = max([v for s in series for v in s] + [1])
    step = max(1, round(top / 4)) if top > 4 else 1
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, top + step - (top % step or step) + step
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#e3e8ed")
    chart.bars.strokeColor = None
    for i, fill in enumerate(fills):
        chart.bars[i].fillColor = fill
    chart.barSpacing, chart.groupSpacing = 1, 6
    chart.barLabelFormat = _count_label
    chart.barLabels.fontName = REGULAR
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    d.add(chart)
    d.add(String(4, height - 8, value_label, fontName=REGULAR, fontSize=7, fillColor=MUTED))
    if len(series) > 1:
        legend = Legend()
        legend.x, legend.y = chart.x, 2
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.deltax = 70
        legend.fontName, legend.fontSize = REGULAR, 7.5
        legend.boxAnchor = "sw"
        legend.dxTextSpace = 3
        legend.colorNamePairs = list(zip(fills, names))
        d.add(legend)
    return d


def _count_label(value: float | None) -> str:
    """Bar labels for counts: zero bars stay unlabelled so small charts stay readable."""
    return "" if not value else f"{value:.0f}"


def satisfaction_chart(stats: EvaluationStats, **kw: Any) -> Drawing:
    labels = ["1", "2", "3", "4", "5"]
    series = [[stats.satisfaction[r].counts[k] for k in range(1, 6)] for r in ("mentee", "mentor")]
    return column_chart(labels, series, ["Mentees", "Mentors"], [SIX_MONTH, MENTOR_COLOUR], **kw)


def meetings_chart(stats: EvaluationStats, **kw: Any) -> Drawing:
    buckets = stats.meetings.buckets()
    return column_chart(
        [b for b, _n in buckets], [[n for _b, n in buckets]], ["Pairs"], [SIX_MONTH], value_label="pairs", **kw
    )


def learning_chart(stats: EvaluationStats, **kw: Any) -> Drawing:
    labels = ["1", "2", "3", "4", "5"]
    return column_chart(
        labels,
        [[stats.mentor_learning.counts[k] for k in range(1, 6)]],
        ["Mentors"],
        [MENTOR_COLOUR],
        value_label="mentors",
        **kw,
    )
