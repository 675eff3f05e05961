"""The PDF evaluation report a society's board reads in five minutes.

Built with reportlab platypus and reportlab.graphics charts from
:func:`mentorapp.evaluation.stats.compute_stats`, so the Report page and the
PDF always agree. Names and emails are never printed: quotes are anonymised
and attributed to a role only, and the coordinator can leave any quote out
(``Cohort.settings["excluded_quotes"]``). Every piece of user text goes
through :func:`mentorapp.outputs.pdf_fonts.markup` (escaped, Unicode fonts).
"""

from __future__ import annotations

import datetime as dt
import os
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy.orm import Session

from mentorapp.evaluation.instrument import ITEMS, STAGE_LABELS
from mentorapp.evaluation.stats import EvaluationStats, Quote, compute_stats
from mentorapp.outputs.files import Monitor, atomic_path
from mentorapp.outputs.pdf_fonts import BOLD, ITALIC, REGULAR, markup, register_fonts
from mentorapp.people.cohorts import update_settings
from mentorapp.store import audit
from mentorapp.store.db import Database
from mentorapp.store.models import AppSetting, Cohort

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]

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

DEFAULT_LOGO = Path(__file__).resolve().parents[2] / "resources" / "letterhead" / "default_logo.png"
QUOTE_LIMITS = {"went_well": 6, "could_be_better": 5, "mentor_learning": 4}
QUOTE_MAX_CHARS = 350
SMALL_SAMPLE = 30


@dataclass
class ReportMeta:
    """What the title page says besides the cohort: society, scheme, logo."""

    society: str = ""
    scheme: str = ""
    logo_path: str = ""
    produced_on: dt.date = field(default_factory=dt.date.today)


def report_meta(session: Session, cohort_id: int) -> ReportMeta:
    """Title-page details: the cohort's ``report`` settings, else the letterhead the letters use.

    The ``letterhead`` setting (society name, logo) is read as plain data so the
    report and the letters share one letterhead without importing each other.
    """
    cohort = session.get(Cohort, cohort_id)
    settings = dict(cohort.settings or {}) if cohort else {}
    data: dict[str, Any] = {}
    row = session.get(AppSetting, "letterhead")
    if row is not None and isinstance(row.value, dict):
        data.update(row.value)
    if isinstance(settings.get("letterhead"), dict):
        data.update(settings["letterhead"])
    data.update({k: v for k, v in dict(settings.get("report") or {}).items() if v})
    logo = str(data.get("logo_path") or "")
    if not logo and DEFAULT_LOGO.is_file():
        logo = str(DEFAULT_LOGO)
    return ReportMeta(
        society=str(data.get("society_name") or data.get("society") or ""),
        scheme=str(data.get("scheme") or ""),
        logo_path=logo,
    )


# --- quotes ----------------------------------------------------------------------------------


def select_quotes(quotes: list[Quote], item_key: str, limit: int | None = None) -> list[Quote]:
    """The quotes the report prints for one question: not excluded, no repeats, a stable spread."""
    limit = QUOTE_LIMITS.get(item_key, 5) if limit is None else limit
    seen: set[str] = set()
    chosen: list[Quote] = []
    for q in sorted((q for q in quotes if q.item_key == item_key), key=lambda q: zlib.crc32(q.key.encode())):
        norm = " ".join(q.text.casefold().split())
        if q.excluded or len(norm) < 12 or norm in seen:
            continue
        seen.add(norm)
        chosen.append(q)
        if len(chosen) >= limit:
            break
    return chosen


def set_quote_excluded(session: Session, cohort_id: int, key: str, excluded: bool) -> None:
    """Leave a quote out of the report (or put it back); stored in the cohort settings."""
    cohort = session.get(Cohort, cohort_id)
    current = set((cohort.settings or {}).get("excluded_quotes") or []) if cohort else set()
    if excluded:
        current.add(key)
    else:
        current.discard(key)
    update_settings(session, cohort_id, excluded_quotes=sorted(current))
    audit.record(
        session,
        "quote excluded" if excluded else "quote included",
        f"Report quote {key} {'left out' if excluded else 'put back'}",
        cohort_id=cohort_id,
        entity_type="cohort",
        entity_id=cohort_id,
    )


# --- formatting ------------------------------------------------------------------------------


def fmt_mean(x: float | None) -> str:
    return "–" if x is None else f"{x:.1f}"


def fmt_mean2(x: float | None) -> str:
    """Two decimals, where a mean is judged against a threshold (3.97 must not read as 4.0)."""
    return "–" if x is None else f"{x:.2f}"


def fmt_change(x: float | None) -> str:
    return "–" if x is None else f"{x:+.1f}"


def fmt_pct(x: float | None) -> str:
    return "–" if x is None else f"{round(x * 100)}%"


def fmt_date(day: dt.date | None) -> str:
    return "–" if day is None else f"{day.day} {day:%B %Y}"


def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=REGULAR, fontSize=9.5, leading=13.5, textColor=INK, spaceAfter=5)
    return {
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11, spaceAfter=0),
        "cellb": ParagraphStyle("cellb", parent=base, fontName=BOLD, fontSize=8.5, leading=11, spaceAfter=0),
        "h1": ParagraphStyle(
            "h1", parent=base, fontName=BOLD, fontSize=16, leading=20, textColor=ACCENT, spaceBefore=0, spaceAfter=8
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=BOLD, fontSize=11.5, leading=15, textColor=INK, spaceBefore=10, spaceAfter=4
        ),
        "quote": ParagraphStyle(
            "quote", parent=base, fontName=ITALIC, leftIndent=12, rightIndent=12, spaceAfter=1, textColor=INK
        ),
        "attrib": ParagraphStyle("attrib", parent=base, fontSize=8, leftIndent=12, textColor=MUTED, spaceAfter=7),
        "title": ParagraphStyle("title", parent=base, fontName=BOLD, fontSize=28, leading=34, textColor=ACCENT),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=15, leading=20, textColor=INK),
        "tile_n": ParagraphStyle(
            "tile_n", parent=base, fontName=BOLD, fontSize=20, leading=24, alignment=TA_CENTER, textColor=ACCENT
        ),
        "tile_l": ParagraphStyle(
            "tile_l", parent=base, fontSize=8, leading=10, alignment=TA_CENTER, textColor=MUTED, spaceAfter=0
        ),
    }


def _table(rows: list[list[Any]], widths: list[float], *, header: bool = True, align_right_from: int = 1) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("FONTNAME", (0, 0), (-1, -1), REGULAR),
        ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (align_right_from, 0), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, -1), (-1, -1), 0.5, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style += [
            ("FONTNAME", (0, 0), (-1, 0), BOLD),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef3f7")),
            ("LINEBELOW", (0, 0), (-1, 0), 0.8, ACCENT),
        ]
    style += [("LINEBELOW", (0, i), (-1, i), 0.25, RULE) for i in range(1 if header else 0, len(rows) - 1)]
    table.setStyle(TableStyle(style))
    return table


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


# --- charts ----------------------------------------------------------------------------------


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


# --- the document ----------------------------------------------------------------------------


class _NumberedCanvas(rl_canvas.Canvas):
    """A canvas that knows the page count, for 'Page 3 of 7' footers."""

    def __init__(self, *args: Any, header: str = "", right: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self._header, self._right = header, right

    def showPage(self) -> None:  # reportlab override
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:  # reportlab override
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            if self._pageNumber > 1:
                self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        width, height = self._pagesize
        self.saveState()
        self.setStrokeColor(RULE)
        self.setLineWidth(0.5)
        self.line(2 * cm, height - 1.45 * cm, width - 2 * cm, height - 1.45 * cm)
        self.line(2 * cm, 1.45 * cm, width - 2 * cm, 1.45 * cm)
        self.setFillColor(MUTED)
        self.setFont(REGULAR, 7.5)
        self.drawString(2 * cm, height - 1.25 * cm, self._header)
        self.drawRightString(width - 2 * cm, height - 1.25 * cm, self._right)
        self.drawString(2 * cm, 1.05 * cm, "Anonymised summary: no participant is named.")
        self.drawRightString(width - 2 * cm, 1.05 * cm, f"Page {self._pageNumber} of {total}")
        self.restoreState()


def _title_page(stats: EvaluationStats, meta: ReportMeta, s: dict[str, ParagraphStyle]) -> list[Any]:
    story: list[Any] = [Spacer(1, 2.5 * cm)]
    logo = Path(meta.logo_path) if meta.logo_path else None
    if logo is not None and logo.is_file():
        try:
            img = Image(str(logo))
            ratio = img.imageHeight / img.imageWidth if img.imageWidth else 1
            img.drawWidth, img.drawHeight = 4.5 * cm, 4.5 * cm * ratio
            img.hAlign = "LEFT"
            story += [img, Spacer(1, 1 * cm)]
        except Exception:  # a broken logo must not stop the report
            pass
    if meta.society:
        story.append(Paragraph(markup(meta.society), s["subtitle"]))
        story.append(Spacer(1, 0.4 * cm))
    story += [
        Paragraph("Six-month evaluation", s["title"]),
        Spacer(1, 0.3 * cm),
        Paragraph(markup(f"{meta.scheme}: {stats.cohort_name}" if meta.scheme else stats.cohort_name), s["subtitle"]),
        Paragraph("Mentoring scheme evaluation report", s["body"]),
        Spacer(1, 1.4 * cm),
    ]
    rows = [
        ["Cohort started", fmt_date(stats.start_date)],
        ["Evaluation date", fmt_date(stats.evaluation_date)],
        ["Participants", f"{stats.numbers.mentees} mentees, {stats.numbers.mentors} mentors"],
        ["Report produced", fmt_date(meta.produced_on)],
    ]
    table = Table(rows, colWidths=[4.2 * cm, 9 * cm], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), REGULAR),
                ("FONTNAME", (0, 0), (0, -1), BOLD),
                ("FONTSIZE", (0, 0), (-1, -1), 10),
                ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ("LINEABOVE", (0, 0), (-1, 0), 1.2, ACCENT),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 5 * cm),
        Paragraph(
            "This report summarises what mentees and mentors said about the scheme at the start and after six "
            "months. All figures are self-reported. No participant is named; quotes are anonymised.",
            s["small"],
        ),
        NextPageTemplate("body"),
        PageBreak(),
    ]
    return story


def summary_sentences(stats: EvaluationStats) -> list[str]:
    n = stats.numbers
    six = stats.rate("six_month")
    parts = [
        f"{n.pairs} mentoring pairs were formed from {n.mentees} mentees and {n.mentors} mentors. "
        f"By the evaluation {n.completed} pairs had completed the six months, {n.active} were still meeting "
        f"and {n.ended_early} had ended early."
    ]
    if six.asked:
        parts.append(
            f"{six.responded} of {six.asked} participants ({fmt_pct(six.rate)}) answered the six-month "
            f"evaluation; {stats.rate('baseline').responded} had answered at the start."
        )
    mentee = [b for b in stats.benefits["mentee"] if b.mean_change is not None]
    if mentee:
        up = [b for b in mentee if (b.mean_change or 0) > 0]
        best = max(mentee, key=lambda b: b.mean_change or 0)
        paired = max(b.paired_n for b in mentee)
        parts.append(
            f"The {paired} mentees who answered both times rated themselves higher after six months on "
            f"{len(up)} of the {len(mentee)} benefits the scheme set out to deliver; the largest gain was in "
            f"{best.label.lower()} ({fmt_change(best.mean_change)} on a 1 to 5 scale, "
            f"{fmt_pct(best.share_improved)} improved)."
        )
    sat = stats.satisfaction["all"]
    if sat.n:
        parts.append(
            f"Mean overall satisfaction was {fmt_mean2(sat.mean)} out of 5 ({fmt_pct(sat.share_at_least(4))} "
            f"satisfied or very satisfied), and {fmt_pct(stats.recommend_share)} would recommend the scheme "
            "to a colleague."
        )
    judged = [c for c in stats.criteria if c.met is not None]
    if stats.criteria:
        met = sum(1 for c in judged if c.met)
        parts.append(f"{met} of the {len(stats.criteria)} success criteria set for the pilot were met.")
    return parts


def _criteria_table(stats: EvaluationStats, s: dict[str, ParagraphStyle], width: float) -> Table:
    rows: list[list[Any]] = [["Success criterion", "Result", "Verdict"]]
    style_extra = []
    for i, c in enumerate(stats.criteria, start=1):
        verdict = "Met" if c.met else "Not met" if c.met is False else "No data"
        rows.append([Paragraph(markup(c.description), s["cell"]), Paragraph(markup(c.figure), s["cell"]), verdict])
        bg, ink = (MET_BG, MET_INK) if c.met else (NOT_MET_BG, NOT_MET_INK) if c.met is False else (UNKNOWN_BG, MUTED)
        style_extra += [
            ("BACKGROUND", (2, i), (2, i), bg),
            ("TEXTCOLOR", (2, i), (2, i), ink),
            ("FONTNAME", (2, i), (2, i), BOLD),
        ]
    table = _table(rows, [width * 0.48, width * 0.36, width * 0.16], align_right_from=3)
    table.setStyle(TableStyle([("ALIGN", (2, 0), (2, -1), "CENTER"), *style_extra]))
    return table


def _tiles(stats: EvaluationStats, s: dict[str, ParagraphStyle], width: float) -> Table:
    six = stats.rate("six_month")
    sat = stats.satisfaction["all"]
    tiles = [
        (str(stats.numbers.pairs), "pairs matched"),
        (fmt_pct(six.rate), "answered at six months"),
        (f"{fmt_mean2(sat.mean)} / 5" if sat.n else "–", "mean satisfaction"),
        (fmt_pct(stats.recommend_share), "would recommend"),
    ]
    cells = [[Paragraph(markup(n), s["tile_n"]), Paragraph(markup(label), s["tile_l"])] for n, label in tiles]
    table = Table([cells], colWidths=[width / 4] * 4, hAlign="LEFT")
    inner = [Table([[a], [b]], colWidths=[width / 4 - 8]) for a, b in cells]
    table = Table([inner], colWidths=[width / 4] * 4, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f2f6f9")),
                ("LINEBEFORE", (1, 0), (-1, 0), 2, colors.white),
                ("TOPPADDING", (0, 0), (-1, -1), 8),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return table


def build_story(stats: EvaluationStats, meta: ReportMeta, width: float) -> list[Any]:
    """Every flowable of the report, in order."""
    s = _styles()
    story = _title_page(stats, meta, s)

    # Executive summary: one page.
    story += [Paragraph("Executive summary", s["h1"]), _tiles(stats, s, width), Spacer(1, 10)]
    story += [Paragraph(markup(p), s["body"]) for p in summary_sentences(stats)]
    story += [Spacer(1, 4), Paragraph("Success criteria", s["h2"])]
    if stats.criteria:
        story.append(_criteria_table(stats, s, width))
    else:
        story.append(Paragraph("No success criteria were set for this cohort.", s["body"]))
    if not stats.has_responses:
        story.append(Spacer(1, 8))
        story.append(
            Paragraph(
                "No evaluation responses have been entered yet, so the sections on change, satisfaction and "
                "quotes are left out. Enter responses on the Evaluation page or import the filled forms.",
                s["body"],
            )
        )
    elif any(b.paired_n for b in stats.benefits["mentee"]):
        story += [
            Paragraph("Mentees' self-ratings at a glance", s["h2"]),
            _benefit_table(stats, "mentee", width, s),
            Paragraph(
                "Mean ratings from 1 (lowest) to 5 (highest); change over those who answered both times.", s["small"]
            ),
        ]
    story.append(PageBreak())

    # The numbers.
    n = stats.numbers
    story.append(Paragraph("The cohort in numbers", s["h1"]))
    rows = [
        ["", "Number"],
        ["Applied (mentees and mentors)", n.applied],
        ["Mentees", n.mentees],
        ["Mentors", n.mentors],
        ["Pairs matched", n.pairs],
        ["Still meeting at six months", n.active + n.confirmed],
        ["Completed six months", n.completed],
        ["Ended early", n.ended_early],
    ]
    story.append(_table(rows, [width * 0.8, width * 0.2]))
    story.append(Paragraph("Response rates", s["h2"]))
    rows = [["Stage", "Mentees", "Mentors", "All participants"]]
    for stage in ("baseline", "six_month"):
        rows.append(
            [STAGE_LABELS[stage]]
            + [
                f"{r.responded} of {r.asked} ({fmt_pct(r.rate)})"
                for r in (stats.rate(stage, g) for g in ("mentee", "mentor", "all"))
            ]
        )
    story.append(_table(rows, [width * 0.25, width * 0.25, width * 0.25, width * 0.25]))
    if stats.end_reasons:
        story.append(Paragraph("Why pairs ended early", s["h2"]))
        rows = [["Reason recorded by the coordinator", "Pairs"]]
        rows += [[Paragraph(markup(reason), s["cell"]), count] for reason, count in stats.end_reasons]
        story.append(_table(rows, [width * 0.8, width * 0.2]))

    if stats.has_responses:
        # Benefits.
        story += [PageBreak(), Paragraph("Change in the benefits the scheme promised", s["h1"])]
        story.append(
            Paragraph(
                "Mentees rated themselves on each benefit from 1 (lowest) to 5 (highest) when the scheme started and "
                "again after six months. The chart shows the mean at each stage; the table gives the change for the "
                "people who answered both times.",
                s["body"],
            )
        )
        story.append(benefit_chart(stats, "mentee", width))
        story.append(Spacer(1, 6))
        story.append(_benefit_table(stats, "mentee", width, s))
        mentors = stats.benefits["mentor"]
        if any(b.paired_n for b in mentors):
            story.append(
                KeepTogether(
                    [
                        Paragraph("Mentors' own development", s["h2"]),
                        Paragraph(
                            "Mentors answered the same questions about themselves: learning flows both ways.", s["body"]
                        ),
                        _benefit_table(stats, "mentor", width, s),
                    ]
                )
            )

        # Satisfaction, meetings, learning.
        story += [PageBreak(), Paragraph("Satisfaction and meetings", s["h1"])]
        sat = stats.satisfaction["all"]
        half = width / 2 - 6
        left = [
            Paragraph("Overall satisfaction", s["h2"]),
            Paragraph(
                markup(
                    f"Mean {fmt_mean2(sat.mean)} out of 5 from {sat.n} answers; {fmt_pct(sat.share_at_least(4))} gave "
                    f"4 or 5. {stats.recommend_yes} of {stats.recommend_n} ({fmt_pct(stats.recommend_share)}) would "
                    "recommend the scheme."
                ),
                s["body"],
            ),
            satisfaction_chart(stats, width=half),
            Paragraph("1 = very dissatisfied, 5 = very satisfied", s["small"]),
        ]
        m = stats.meetings
        right = [
            Paragraph("Meetings per pair", s["h2"]),
            Paragraph(
                markup(
                    f"{m.pairs} of {m.pairs_total} pairs reported how often they met: a mean of {fmt_mean(m.mean)} "
                    f"and a median of {fmt_mean(m.median)} meetings in six months."
                ),
                s["body"],
            ),
            meetings_chart(stats, width=half),
            Paragraph("Number of meetings held, as reported at six months", s["small"]),
        ]
        grid = Table([[left, right]], colWidths=[width / 2, width / 2], hAlign="LEFT")
        grid.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(grid)

        learn = stats.mentor_learning
        story.append(Paragraph("What mentors learned", s["h2"]))
        if learn.n:
            story.append(
                Paragraph(
                    markup(
                        f"Mentors rated how much they had learned themselves: mean {fmt_mean2(learn.mean)} out of 5 "
                        f"from {learn.n} mentors; {fmt_pct(learn.share_at_least(4))} said 4 or 5."
                    ),
                    s["body"],
                )
            )
            story.append(learning_chart(stats, width=half))
            story.append(Paragraph("1 = learned nothing new, 5 = learned a great deal", s["small"]))
        else:
            story.append(Paragraph("No mentor has rated their own learning yet.", s["body"]))
        story += _quotes_block(stats, "mentor_learning", "In their own words", s)

        # Quotes.
        story += [PageBreak(), Paragraph("What participants said", s["h1"])]
        story.append(
            Paragraph(
                "A selection of comments from the six-month evaluation, anonymised and attributed to a role only.",
                s["body"],
            )
        )
        story += _quotes_block(stats, "went_well", "What went well", s)
        story += _quotes_block(stats, "could_be_better", "What could be better", s)

    # Method.
    story += [CondPageBreak(9 * cm), Paragraph("How the evaluation was done", s["h1"])]
    story += [Paragraph(f"<b>{lead}</b> " + markup(text), s["body"]) for lead, text in _method_notes(stats, meta)]
    story.append(Paragraph("Questions asked", s["h2"]))
    rows = [["Question", "Scale", "Asked"]]
    kinds = {"scale": "1 to 5", "count": "number", "yesno": "yes / no", "text": "free text"}
    for item in ITEMS:
        who = "mentors" if item.roles == ("mentor",) else "everyone"
        when = "start and six months" if len(item.stages) == 2 else "six months"
        rows.append(
            [Paragraph(markup(item.question), s["cell"]), kinds[item.kind], Paragraph(f"{who}, {when}", s["cell"])]
        )
    table = _table(rows, [width * 0.56, width * 0.13, width * 0.31], align_right_from=3)
    story.append(table)
    return story


def _benefit_table(stats: EvaluationStats, role: str, width: float, s: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[Any]] = [["Benefit", "Baseline", "Six months", "Both times", "Change", "Improved"]]
    for b in stats.benefits[role]:
        rows.append(
            [
                b.label,
                f"{fmt_mean(b.baseline_mean)} (n={b.baseline_n})",
                f"{fmt_mean(b.six_month_mean)} (n={b.six_month_n})",
                b.paired_n,
                fmt_change(b.mean_change),
                f"{fmt_pct(b.share_improved)}" + (f" ({b.improved})" if b.paired_n else ""),
            ]
        )
    w = width
    return _table(rows, [w * 0.29, w * 0.15, w * 0.16, w * 0.13, w * 0.11, w * 0.16])


def _quotes_block(stats: EvaluationStats, key: str, heading: str, s: dict[str, ParagraphStyle]) -> list[Any]:
    quotes = select_quotes(stats.quotes, key)
    if not quotes:
        return []
    out: list[Any] = [Paragraph(markup(heading), s["h2"])]
    for q in quotes:
        text = q.text if len(q.text) <= QUOTE_MAX_CHARS else q.text[: QUOTE_MAX_CHARS - 1].rstrip() + "…"
        out.append(
            KeepTogether(
                [
                    Paragraph("“" + markup(text) + "”", s["quote"]),
                    Paragraph("– " + ("Mentor" if q.role == "mentor" else "Mentee"), s["attrib"]),
                ]
            )
        )
    return out


def _method_notes(stats: EvaluationStats, meta: ReportMeta) -> list[tuple[str, str]]:
    base, six = stats.rate("baseline"), stats.rate("six_month")
    notes = [
        (
            "Who was asked.",
            f"The {six.asked} participants in a mentoring pair that went ahead "
            f"({stats.rate('six_month', 'mentee').asked} mentees and {stats.rate('six_month', 'mentor').asked} "
            "mentors). Each was asked the same ratings at the start of the scheme (baseline) and after six months, "
            "with further questions on satisfaction, meetings and recommendation at six months.",
        ),
        (
            "When.",
            f"The cohort started on {fmt_date(stats.start_date)} and was evaluated on "
            f"{fmt_date(stats.evaluation_date)}. Responses were received between {fmt_date(stats.first_response)} "
            f"and {fmt_date(stats.last_response)}.",
        ),
        (
            "Response rates.",
            f"{fmt_pct(base.rate)} at baseline ({base.responded} of {base.asked}) and "
            f"{fmt_pct(six.rate)} at six months ({six.responded} of {six.asked}). People who did not answer may "
            "differ from those who did.",
        ),
        (
            "Self-reported, paired change.",
            "All ratings are self-reported, on a scale from 1 (lowest) to 5 (highest). Change is measured only for "
            "people who answered both times (paired); the means at each stage include everyone who answered that "
            "stage, so the difference between the two means can differ slightly from the paired change. 'Improved' "
            "means a higher rating at six months than at the start.",
        ),
        (
            "Meetings.",
            "Meetings per pair are as reported by the mentee, or by the mentor where the mentee did not answer and "
            "the mentor had only that mentee.",
        ),
        (
            "Quotes.",
            "Quotes are anonymised: names, email addresses and phone numbers are removed and each quote is "
            "attributed to a role only. The coordinator may leave quotes out; repeated comments are shown once.",
        ),
    ]
    if 0 < six.responded < SMALL_SAMPLE:
        notes.append(
            (
                "Small numbers.",
                f"With {six.responded} six-month responses, each person moves a percentage by several points; "
                "small differences should be read with care.",
            )
        )
    notes.append(("Source.", f"Produced with mentorapp on {fmt_date(meta.produced_on)} from the cohort's records."))
    return notes


@dataclass
class ReportResult:
    path: Path
    pages: int


def render_report(
    stats: EvaluationStats,
    path: str | os.PathLike[str],
    meta: ReportMeta | None = None,
    *,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ReportResult:
    """Write the PDF atomically (temp file, then rename); progress in steps of flowables laid out."""
    meta = meta or ReportMeta()
    register_fonts()
    monitor = Monitor(100, progress, cancel)
    monitor.step(5)
    pages = 0
    with atomic_path(path) as tmp:
        doc = BaseDocTemplate(
            str(tmp),
            pagesize=A4,
            leftMargin=2 * cm,
            rightMargin=2 * cm,
            topMargin=2.1 * cm,
            bottomMargin=2 * cm,
            title=f"Six-month evaluation: {stats.cohort_name}",
            author=meta.society or "mentorapp",
            subject="Mentoring scheme evaluation report",
            creator="mentorapp",
        )
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="main")
        doc.addPageTemplates([PageTemplate("title", [frame]), PageTemplate("body", [frame])])
        story = build_story(stats, meta, doc.width)
        monitor.step(5)
        total = max(len(story), 1)

        def on_progress(kind: str, value: int) -> None:
            if kind == "PROGRESS":
                done = 10 + int(85 * min(value, total) / total)
                if done > monitor.done:
                    monitor.step(done - monitor.done)
                else:
                    monitor.check()

        doc.setProgressCallBack(on_progress)
        header = f"{meta.scheme + ': ' if meta.scheme else ''}{stats.cohort_name} · Six-month evaluation"

        def make_canvas(*args: Any, **kwargs: Any) -> _NumberedCanvas:
            return _NumberedCanvas(*args, header=header, right=meta.society or fmt_date(meta.produced_on), **kwargs)

        doc.build(story, canvasmaker=make_canvas)
        pages = doc.page
    monitor.finish()
    return ReportResult(Path(path), pages)


def export_report(
    db: Database,
    cohort_id: int,
    path: str | os.PathLike[str],
    *,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> ReportResult:
    """Compute the figures and write the report; safe to call from a worker thread (own session)."""
    with db.session() as session:
        stats = compute_stats(session, cohort_id)
        meta = report_meta(session, cohort_id)
    result = render_report(stats, path, meta, progress=progress, cancel=cancel)
    with db.transaction() as session:
        audit.record(
            session,
            "report exported",
            f"Evaluation report of '{stats.cohort_name}' written ({result.pages} pages)",
            cohort_id=cohort_id,
            entity_type="cohort",
            entity_id=cohort_id,
        )
    return result
