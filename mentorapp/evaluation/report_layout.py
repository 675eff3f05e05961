"""The report laid out with reportlab platypus: styles, tables, the title page, the summary
tiles, every section in order, and a canvas that numbers the pages. Every piece of user text
goes through :func:`mentorapp.outputs.pdf_fonts.markup` (escaped, Unicode fonts)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    CondPageBreak,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from mentorapp.evaluation.instrument import STAGE_LABELS
from mentorapp.evaluation.report import (
    QUOTE_MAX_CHARS,
    ReportMeta,
    fmt_date,
    fmt_mean,
    fmt_mean2,
    fmt_pct,
    method_notes,
    role_sentence,
    select_quotes,
    summary_sentences,
)
from mentorapp.evaluation.report_charts import (
    ACCENT,
    INK,
    MET_BG,
    MET_INK,
    MUTED,
    NOT_MET_BG,
    NOT_MET_INK,
    RULE,
    UNKNOWN_BG,
    benefit_chart,
    learning_chart,
    meetings_chart,
    satisfaction_chart,
)
from mentorapp.evaluation.report_sections import (
    attrition_tables,
    questions_table,
    retrospective_table,
    scale_caption,
    summary_tests_table,
    table,
    tests_table,
    theme_groups_table,
    themes_table,
)
from mentorapp.evaluation.stats import EvaluationStats
from mentorapp.outputs.pdf_fonts import BOLD, ITALIC, REGULAR, markup, register_fonts

log = logging.getLogger(__name__)


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


class NumberedCanvas(rl_canvas.Canvas):
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
        except Exception:
            # Reason: a broken logo (any image error reportlab raises) must not stop the report.
            log.warning("the report's logo could not be drawn; the report goes without it", exc_info=True)
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


def _criteria_table(stats: EvaluationStats, s: dict[str, ParagraphStyle], width: float) -> Table:
    rows: list[list[Any]] = [["Success criterion", "Result", "Verdict"]]
    style_extra = []
    for i, c in enumerate(stats.criteria, start=1):
        description = c.description + (" (default)" if c.default else "")
        rows.append(
            [
                Paragraph(markup(description), s["cell"]),
                Paragraph(markup(c.figure), s["cell"]),
                Paragraph(markup(c.verdict), s["cellb"]),
            ]
        )
        bg, ink = (MET_BG, MET_INK) if c.met else (NOT_MET_BG, NOT_MET_INK) if c.met is False else (UNKNOWN_BG, MUTED)
        style_extra += [
            ("BACKGROUND", (2, i), (2, i), bg),
            ("TEXTCOLOR", (2, i), (2, i), ink),
            ("FONTNAME", (2, i), (2, i), BOLD),
        ]
    out = table(rows, [width * 0.42, width * 0.40, width * 0.18], align_right_from=3)
    out.setStyle(TableStyle([("ALIGN", (2, 0), (2, -1), "CENTER"), *style_extra]))
    return out


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
    elif any(t.n_pairs for t in stats.tests if t.role == "mentee"):
        # Kept whole: a long summary pushed the table's last row alone onto the next page.
        story.append(
            KeepTogether(
                [
                    Paragraph("Mentees: what changed", s["h2"]),
                    summary_tests_table(stats, "mentee", width, s),
                    Paragraph(
                        "People who answered at the start and at six months. 'Clear improvement': a paired test "
                        "supports it after allowing for six benefits tested at once (see the methods page).",
                        s["small"],
                    ),
                ]
            )
        )
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
    story.append(table(rows, [width * 0.8, width * 0.2]))
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
    story.append(table(rows, [width * 0.25, width * 0.25, width * 0.25, width * 0.25]))
    if stats.numbers.both_note():
        story.append(Paragraph(markup(stats.numbers.both_note()), s["small"]))
    if stats.end_reasons:
        story.append(Paragraph("Why pairs ended early", s["h2"]))
        rows = [["Reason recorded by the coordinator", "Pairs"]]
        rows += [[Paragraph(markup(reason), s["cell"]), count] for reason, count in stats.end_reasons]
        story.append(table(rows, [width * 0.8, width * 0.2]))

    if stats.has_responses:
        # Benefits.
        story += [PageBreak(), Paragraph("Change in the benefits the scheme promised", s["h1"])]
        story.append(
            Paragraph(
                "Mentees rated themselves on each benefit at the start and again after six months, on 1 to 5 scales "
                "whose words differ by question (printed under each benefit). Only people who answered both times "
                "are shown, so both stages describe the same people.",
                s["body"],
            )
        )
        if not any(t.n_pairs for t in stats.tests):
            story.append(Paragraph("Nobody has answered both times yet, so there is no change to show.", s["body"]))
        for role, heading in (("mentee", "Mentees"), ("mentor", "Mentors' own development")):
            tests = [t for t in stats.tests if t.role == role]
            if not any(t.n_pairs for t in tests):
                continue
            block: list[Any] = []
            if role == "mentor":
                block += [
                    Paragraph(heading, s["h2"]),
                    Paragraph("Mentors answered the same questions about themselves.", s["body"]),
                ]
            block += [benefit_chart(stats, role, width), Spacer(1, 6), tests_table(tests, width, s, before="Start")]
            story.append(KeepTogether(block))
            sentence = role_sentence(stats, role)
            if sentence:
                story.append(Paragraph(markup(sentence), s["body"]))
        if stats.retrospective_tests and any(t.n_pairs for t in stats.retrospective_tests):
            story.append(
                KeepTogether(
                    [
                        Paragraph("Looking back: where mentees now place their start", s["h2"]),
                        Paragraph(
                            "At six months mentees also rated where they had been before the scheme. A 'looking "
                            "back' mean below the baseline suggests they now judge their start more strictly "
                            "(response shift).",
                            s["body"],
                        ),
                        retrospective_table(stats, "mentee", width, s),
                    ]
                )
            )
        story += [
            CondPageBreak(7 * cm),
            Paragraph("Who answered both times", s["h2"]),
            *attrition_tables(stats, width, s),
        ]

        # Satisfaction, meetings, learning.
        story += [PageBreak(), Paragraph("Satisfaction and meetings", s["h1"])]
        sat = stats.satisfaction["all"]
        half = width / 2 - 6
        left = _figure_block(
            "Overall satisfaction",
            (
                f"Mean {fmt_mean2(sat.mean)} out of 5 from {sat.n} answers; {fmt_pct(sat.share_at_least(4))} gave 4 "
                f"or 5. {stats.recommend_yes} of {stats.recommend_n} ({fmt_pct(stats.recommend_share)}) would "
                "recommend the scheme."
                + (
                    " Someone who is both a mentee and a mentor is in the bars of each role."
                    if stats.numbers.both
                    else ""
                )
            )
            if sat.n
            else None,
            lambda: satisfaction_chart(stats, width=half),
            markup(scale_caption("satisfaction")),
            "Nobody has rated their overall satisfaction yet.",
            s,
        )
        m = stats.meetings
        right = _figure_block(
            "Meetings per pair",
            (
                f"{m.pairs} of {m.pairs_total} pairs reported how often they met: a mean of {fmt_mean(m.mean)} "
                f"and a median of {fmt_mean(m.median)} meetings in six months."
            )
            if m.pairs
            else None,
            lambda: meetings_chart(stats, width=half),
            "Number of meetings held, as reported at six months",
            "No pair has reported its meetings yet.",
            s,
        )
        if meta.logged_meetings:  # the coordinator's log, beside what participants reported
            right.insert(2, Paragraph(markup(meta.logged_meetings), s["body"]))
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
            story.append(Paragraph(markup(scale_caption("mentor_learning_rating")), s["small"]))
        else:
            story.append(Paragraph("No mentor has rated their own learning yet.", s["body"]))
        story += themes_table(stats, "mentor_learning", width, s)
        story += _quotes_block(stats, "mentor_learning", "In their own words", s)

        # Quotes.
        story += [PageBreak(), Paragraph("What participants said", s["h1"])]
        story.append(
            Paragraph(
                "Every comment is counted and sorted into themes by keyword groups (see the methods page). The quotes "
                "were chosen and read by the coordinator, anonymised and attributed to a role only.",
                s["body"],
            )
        )
        for key, heading in (("went_well", "What went well"), ("could_be_better", "What could be better")):
            story.append(Paragraph(heading, s["h2"]))
            story += themes_table(stats, key, width, s)
            story += _quotes_block(stats, key, "", s)
        if not any(q.printable for q in stats.quotes):
            story.append(
                Paragraph("No quote is printed: the coordinator has not approved any for this report.", s["small"])
            )

    # Method.
    story += [PageBreak(), Paragraph("How the evaluation was done", s["h1"])]
    story += [Paragraph(f"<b>{lead}</b> " + markup(text), s["body"]) for lead, text in method_notes(stats, meta)]
    story += [Paragraph("Questions asked", s["h2"]), questions_table(stats, width, s)]
    story += [
        CondPageBreak(5 * cm),
        Paragraph("Keyword groups for themes", s["h2"]),
        theme_groups_table(stats, width, s),
    ]
    return story


def _quotes_block(stats: EvaluationStats, key: str, heading: str, s: dict[str, ParagraphStyle]) -> list[Any]:
    quotes = select_quotes(stats.quotes, key)
    if not quotes:
        return []
    out: list[Any] = [Paragraph(markup(heading), s["h2"])] if heading else []
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


def _figure_block(
    heading: str, sentence: str | None, chart: Callable[[], Any], caption: str, none_yet: str, s: dict[str, Any]
) -> list[Any]:
    """A figure's heading, its sentence, chart and caption; or, with no answers yet, a sentence saying so
    (a chart only where there are answers: empty axes say less than a sentence)."""
    if sentence is None:
        return [Paragraph(heading, s["h2"]), Paragraph(none_yet, s["body"])]
    return [
        Paragraph(heading, s["h2"]),
        Paragraph(markup(sentence), s["body"]),
        chart(),
        Paragraph(caption, s["small"]),
    ]
