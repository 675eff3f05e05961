"""The report's charts (reportlab.graphics), drawn from the evaluation figures, and its palette."""

from __future__ import annotations

from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import cm

from mentorapp.evaluation.instrument import ITEMS_BY_KEY, SCALE_MAX, SCALE_MIN
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
GRID = colors.HexColor("#e3e8ed")


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
    """Paired means per benefit on the 1 to 5 scale: the same people at the start and at six months.

    Each benefit has two bands (interquartile range, baseline above six months) with a dot at
    the paired mean and an arrow from one mean to the other; n and the scale's end words are
    printed beside it, so a reader sees how many people, how spread out, and on which scale.
    """
    tests = [t for t in stats.tests if t.role == role]
    row_h, top, bottom = 40.0, 14.0, 50.0
    height = top + row_h * len(tests) + bottom
    d = Drawing(width, height)
    left, right = 150.0, 52.0
    x0, x1 = left, width - right

    def x(value: float) -> float:
        return x0 + (value - SCALE_MIN) / (SCALE_MAX - SCALE_MIN) * (x1 - x0)

    for tick in range(SCALE_MIN, SCALE_MAX + 1):
        d.add(Line(x(tick), bottom - 4, x(tick), height - top + 4, strokeColor=GRID, strokeWidth=0.5))
        d.add(String(x(tick), bottom - 16, str(tick), fontName=REGULAR, fontSize=8, fillColor=INK, textAnchor="middle"))
    d.add(Line(x0, bottom - 4, x1, bottom - 4, strokeColor=RULE, strokeWidth=0.8))
    for i, t in enumerate(tests):
        y = height - top - row_h * i - row_h / 2
        item = ITEMS_BY_KEY[t.benefit]
        d.add(String(left - 8, y + 3, t.label, fontName=REGULAR, fontSize=8.5, fillColor=INK, textAnchor="end"))
        d.add(
            String(
                left - 8,
                y - 7,
                f"1 {item.scale[0].lower()} – 5 {item.scale[-1].lower()}",
                fontName=REGULAR,
                fontSize=6.5,
                fillColor=MUTED,
                textAnchor="end",
            )
        )
        if not t.n_pairs:
            d.add(String(x0 + 4, y - 3, "nobody answered both times", fontName=REGULAR, fontSize=7.5, fillColor=MUTED))
            continue
        for dy, (q1, q3, mean, colour) in (
            (5, (t.before_q1, t.before_q3, t.before_mean, BASELINE)),
            (-5, (t.after_q1, t.after_q3, t.after_mean, SIX_MONTH)),
        ):
            if q1 is not None and q3 is not None:
                width_band = max(x(q3) - x(q1), 2.0)
                d.add(Rect(x(q1), y + dy - 2.5, width_band, 5, fillColor=colour, strokeColor=None, fillOpacity=0.45))
            if mean is not None:
                d.add(Circle(x(mean), y + dy, 3.4, fillColor=colour, strokeColor=colors.white, strokeWidth=0.6))
        if t.before_mean is not None and t.after_mean is not None and abs(t.after_mean - t.before_mean) > 0.02:
            start, end = x(t.before_mean), x(t.after_mean)
            d.add(Line(start, y, end, y, strokeColor=INK, strokeWidth=0.8))
            head = 4 if end > start else -4
            d.add(Polygon([end, y, end - head, y + 2.5, end - head, y - 2.5], fillColor=INK, strokeColor=None))
        d.add(String(x1 + 8, y - 3, f"n = {t.n_pairs}", fontName=REGULAR, fontSize=8, fillColor=INK))
    legend = Legend()
    legend.x, legend.y = x0, 0
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 120
    legend.fontName, legend.fontSize = REGULAR, 7.5
    legend.boxAnchor = "sw"
    legend.dxTextSpace = 4
    legend.colorNamePairs = [(BASELINE, "Baseline (start)"), (SIX_MONTH, "Six months")]
    d.add(legend)
    d.add(
        String(
            x1 + right - 4,
            2,
            "dot: mean, band: middle half (IQR)",
            fontName=REGULAR,
            fontSize=6.5,
            fillColor=MUTED,
            textAnchor="end",
        )
    )
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
