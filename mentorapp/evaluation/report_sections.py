"""The report's tables of tests, follow-up, themes and questions (reportlab platypus flowables).

Split from :mod:`mentorapp.evaluation.report_layout`, which puts them in order; every piece
of user text goes through :func:`mentorapp.outputs.pdf_fonts.markup`.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from mentorapp.evaluation.inference import PairedTest
from mentorapp.evaluation.instrument import ITEMS, ITEMS_BY_KEY, RETROSPECTIVE
from mentorapp.evaluation.report import fmt_change_ci, fmt_mean, fmt_median, fmt_p, fmt_pct
from mentorapp.evaluation.report_charts import ACCENT, INK, MET_BG, MET_INK, RULE, UNKNOWN_BG
from mentorapp.evaluation.stats import EvaluationStats
from mentorapp.outputs.pdf_fonts import BOLD, REGULAR, markup

VERDICT_WORDS = {
    "clear improvement": "Clear improvement",
    "clear decline": "Clear decline",
    "no clear change": "No clear change",
    "too few answers to test": "Too few to test",
}


def table(rows: list[list[Any]], widths: list[float], *, header: bool = True, align_right_from: int = 1) -> Table:
    """The report's plain table: bold shaded header, thin rules, numbers right-aligned."""
    t = Table(rows, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
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
    t.setStyle(TableStyle(style))
    return t


def _verdict_style(tests: list[PairedTest], column: int) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for i, t in enumerate(tests, start=1):
        if t.verdict == "clear improvement":
            out += [("BACKGROUND", (column, i), (column, i), MET_BG), ("TEXTCOLOR", (column, i), (column, i), MET_INK)]
        else:
            out += [("BACKGROUND", (column, i), (column, i), UNKNOWN_BG)]
    return out


def summary_tests_table(stats: EvaluationStats, role: str, width: float, s: dict[str, ParagraphStyle]) -> Table:
    """The summary's table: per benefit, who moved which way, the change with its interval, the verdict."""
    tests = [t for t in stats.tests if t.role == role]
    rows: list[list[Any]] = [["Benefit", "n", "Up / same / down", "Mean change (95% CI)", "Verdict"]]
    for t in tests:
        rows.append(
            [
                t.label,
                t.n_pairs,
                f"{t.improved} / {t.unchanged} / {t.worse}",
                fmt_change_ci(t.mean_change, t.ci_low, t.ci_high),
                VERDICT_WORDS[t.verdict],
            ]
        )
    w = width
    out = table(rows, [w * 0.29, w * 0.06, w * 0.19, w * 0.26, w * 0.20])
    out.setStyle(TableStyle([("ALIGN", (4, 0), (4, -1), "CENTER"), *_verdict_style(tests, 4)]))
    return out


def tests_table(tests: list[PairedTest], width: float, s: dict[str, ParagraphStyle], *, before: str) -> Table:
    """The full table of paired tests for one role."""
    rows: list[list[Any]] = [
        [
            Paragraph("<b>Benefit</b>", s["cell"]),
            Paragraph("<b>n</b>", s["cell"]),
            Paragraph(f"<b>{before}: median (IQR)</b>", s["cell"]),
            Paragraph("<b>Six months: median (IQR)</b>", s["cell"]),
            Paragraph("<b>Mean change (95% interval)</b>", s["cell"]),
            # "(Holm-adjusted)" is wider than its column and broke inside the word; the methods page says Holm.
            Paragraph("<b>p (Holm)</b>", s["cell"]),
            Paragraph("<b>Effect r</b>", s["cell"]),
        ]
    ]
    for t in tests:
        rows.append(
            [
                Paragraph(markup(t.label), s["cell"]),
                t.n_pairs,
                fmt_median(t.before_median, t.before_q1, t.before_q3),
                fmt_median(t.after_median, t.after_q1, t.after_q3),
                fmt_change_ci(t.mean_change, t.ci_low, t.ci_high),
                f"{fmt_p(t.p_value)} ({fmt_p(t.p_holm)})",
                "–" if t.effect_size is None else f"{t.effect_size:+.2f}",
            ]
        )
    w = width
    out = table(rows, [w * 0.19, w * 0.05, w * 0.15, w * 0.15, w * 0.22, w * 0.15, w * 0.09])
    out.setStyle(TableStyle([("FONTSIZE", (1, 1), (-1, -1), 7.8), ("LEFTPADDING", (1, 0), (-1, -1), 3)]))
    return out


def retrospective_table(stats: EvaluationStats, role: str, width: float, s: dict[str, ParagraphStyle]) -> Table:
    """Baseline, 'looking back' and six months side by side (means of the people who gave each pair)."""
    by_key = {t.benefit: t for t in stats.retrospective_tests if t.role == role}
    heads = ("Benefit", "Baseline (n)", "Looking back (n)", "Six months", "Change from looking back", "p (Holm)")
    rows: list[list[Any]] = [[Paragraph(f"<b>{h}</b>", s["cell"]) for h in heads]]
    for t in (t for t in stats.tests if t.role == role):
        r = by_key.get(t.benefit)
        rows.append(
            [
                Paragraph(markup(t.label), s["cell"]),
                f"{fmt_mean(t.before_mean)} ({t.n_pairs})",
                f"{fmt_mean(r.before_mean)} ({r.n_pairs})" if r and r.n_pairs else "–",
                fmt_mean(r.after_mean) if r and r.n_pairs else "–",
                fmt_change_ci(r.mean_change, r.ci_low, r.ci_high) if r else "–",
                fmt_p(r.p_holm) if r else "–",
            ]
        )
    w = width
    return table(rows, [w * 0.22, w * 0.13, w * 0.15, w * 0.11, w * 0.26, w * 0.13])


def attrition_tables(stats: EvaluationStats, width: float, s: dict[str, ParagraphStyle]) -> list[Any]:
    a = stats.attrition
    w = width
    rows: list[list[Any]] = [["", "Asked", "Baseline", "Six months", "Both times"]]
    for f in a.follow_up:
        rows.append([f"{f.role.capitalize()}s", f.asked, f.baseline, f.six_month, f"{f.both} ({fmt_pct(f.both_rate)})"])
    out: list[Any] = [table(rows, [w * 0.28, w * 0.15, w * 0.17, w * 0.17, w * 0.23])]
    rows = [["", "Answered again: n, mean", "Did not: n, mean", "Difference"]]
    for b in a.baseline:
        diff = b.difference
        rows.append(
            [
                f"{b.role.capitalize()}s",
                f"{b.stayed_n}, {fmt_mean(b.stayed_mean)}",
                f"{b.left_n}, {fmt_mean(b.left_mean)}",
                "–" if diff is None else f"{diff:+.2f}",
            ]
        )
    out += [
        Paragraph(
            "Mean baseline rating over the six benefits, for those who answered again at six months and those "
            "who did not. A higher mean among those who stayed would inflate the visible change.",
            s["small"],
        ),
        table(rows, [w * 0.28, w * 0.27, w * 0.25, w * 0.20]),
    ]
    if a.outcomes:
        rows = [["", "How the mentoring ended", "People", "Answered both times"]]
        for o in a.outcomes:
            rows.append([f"{o.role.capitalize()}s", o.outcome, o.asked, f"{o.both} ({fmt_pct(o.both_rate)})"])
        out += [
            Paragraph("Answered both times, by how their mentoring ended.", s["small"]),
            table(rows, [w * 0.2, w * 0.35, w * 0.15, w * 0.30], align_right_from=2),
        ]
    return out


def themes_table(stats: EvaluationStats, key: str, width: float, s: dict[str, ParagraphStyle]) -> list[Any]:
    """How many commented on one question, and how many comments fall in each theme."""
    q = next((q for q in stats.themes if q.item_key == key), None)
    if q is None or not q.comments:
        return []
    rows: list[list[Any]] = [["Theme (keyword groups, see methods)", "Comments"]]
    rows += [[Paragraph(markup(t.theme), s["cell"]), t.count] for t in q.themes]
    rows.append([Paragraph("<i>None of these themes</i>", s["cell"]), q.unthemed])
    return [
        Paragraph(markup(f"{q.comments} comment{'s' if q.comments != 1 else ''} in all."), s["small"]),
        table(rows, [width * 0.75, width * 0.25]),
    ]


def theme_groups_table(stats: EvaluationStats, width: float, s: dict[str, ParagraphStyle]) -> Table:
    rows: list[list[Any]] = [["Theme", "Keywords (a word starting with any of them)"]]
    rows += [
        [Paragraph(markup(name), s["cell"]), Paragraph(markup(", ".join(words)), s["cell"])]
        for name, words in stats.theme_groups.items()
    ]
    return table(rows, [width * 0.3, width * 0.7], align_right_from=2)


def questions_table(stats: EvaluationStats, width: float, s: dict[str, ParagraphStyle]) -> Table:
    """Every question asked, with the scale words the forms used (the same words, item by item)."""
    rows: list[list[Any]] = [["Question", "Answer scale", "Asked"]]
    kinds = {"count": "number", "yesno": "yes / no", "text": "free text"}
    for item in ITEMS:
        if item.option == RETROSPECTIVE and not stats.retrospective_asked:
            continue
        who = "mentors" if item.roles == ("mentor",) else "everyone"
        when = "start and six months" if len(item.stages) == 2 else "six months"
        scale = item.scale_text() if item.kind == "scale" else kinds[item.kind]
        rows.append(
            [
                Paragraph(markup(item.question), s["cell"]),
                Paragraph(markup(scale), s["cell"]),
                Paragraph(f"{who}, {when}", s["cell"]),
            ]
        )
    return table(rows, [width * 0.5, width * 0.27, width * 0.23], align_right_from=3)


def scale_caption(key: str) -> str:
    """'1 = Very dissatisfied, 5 = Very satisfied': a chart's caption in the forms' words."""
    item = ITEMS_BY_KEY[key]
    return item.scale_text()
