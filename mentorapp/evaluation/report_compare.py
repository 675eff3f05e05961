"""The report's comparison section (``export report --compare OTHER``): two cohorts side by side.

The same measures for both cohorts (:mod:`mentorapp.evaluation.compare`), then each
cohort's own paired tests of change per benefit (the evaluation's Wilcoxon tests,
:func:`mentorapp.evaluation.inference.cohort_tests`), then what such a comparison
can and cannot show. A cohort with no evaluation answers yet is shown as such.
No test is made *between* the cohorts: see :data:`LIMITS`.
"""

from __future__ import annotations

from typing import Any

from reportlab.platypus import CondPageBreak, Paragraph, Spacer

from mentorapp.dates import month_year
from mentorapp.evaluation.compare import NO_ANSWERS, Comparison, measure_column, measure_labels
from mentorapp.evaluation.inference import PairedTest
from mentorapp.evaluation.report import fmt_change_ci, fmt_p
from mentorapp.evaluation.report_layout import _styles as report_styles  # the report's own styles
from mentorapp.evaluation.report_sections import VERDICT_WORDS, table
from mentorapp.outputs.pdf_fonts import markup

LIMITS = (
    "The two cohorts are different groups of people, chosen and "
    "measured at different times. The figures show how the groups differ; they cannot show that the scheme, "
    "or a change to it, caused the difference. The groups may differ in who applied (returning members, career "
    "stages, regions), in who was matched and who answered, and in what else happened that year. Each "
    "cohort's change is tested within its own people (the same person at the start and at six months), which is "
    "sound; no test is made between the two cohorts, because people who took part in both years are not "
    "independent and a few dozen answers a year can differ this much by chance. Read a difference between the "
    "years as a question worth asking, not as a finding."
)


def _test_cells(t: PairedTest | None, has_answers: bool) -> list[str]:
    """Pairs, change (95% CI), p (Holm) and verdict of one cohort's test of one benefit."""
    if not has_answers:
        return ["–", NO_ANSWERS, "", ""]
    if t is None or not t.n_pairs:
        return ["0", "–", "–", VERDICT_WORDS["too few answers to test"]]
    change = fmt_change_ci(t.mean_change, t.ci_low, t.ci_high)
    return [str(t.n_pairs), change, fmt_p(t.p_holm), VERDICT_WORDS.get(t.verdict, t.verdict)]


def _cells(rows: list[list[Any]], s: dict[str, Any]) -> list[list[Any]]:
    return [[Paragraph(markup(str(x)), s["cellb" if i == 0 else "cell"]) for x in r] for i, r in enumerate(rows)]


def comparison_story(c: Comparison, width: float) -> list[Any]:
    """The flowables of the comparison section, for the end of the report."""
    s = report_styles()
    this, other = c.this, c.other
    story: list[Any] = [CondPageBreak(12 * 28), Paragraph(markup(f"Compared with {other.name}"), s["h1"])]
    story.append(
        Paragraph(
            markup(
                f"{this.name} (started {month_year(this.start_date)}) beside {other.name} (started "
                f"{month_year(other.start_date)}): the same measures, each computed the same way."
            ),
            s["body"],
        )
    )
    story += [Paragraph("What a comparison of two cohorts can and cannot show", s["h2"])]
    story += [Paragraph(markup(LIMITS), s["body"]), Spacer(1, 4)]
    labels = measure_labels([this, other])
    rows: list[list[Any]] = [["Measure", this.name, other.name]]
    rows += [[label, a, b] for label, a, b in zip(labels, measure_column(this), measure_column(other))]
    story += [table(_cells(rows, s), [0.40 * width, 0.30 * width, 0.30 * width]), Spacer(1, 8)]

    story.append(Paragraph("Change within each cohort (mentees)", s["h2"]))
    by_key = {which: {t.benefit: t for t in c.tests(which)} for which in ("this", "other")}
    keys = [o.key for o in (this.outcomes or other.outcomes)]
    if not keys:
        from mentorapp.evaluation.instrument import BENEFITS

        keys = [b.key for b in BENEFITS]
    label_of = {b.key: b.label for b in (this.outcomes or other.outcomes)}
    test_rows: list[list[Any]] = [["Benefit", "Cohort", "Pairs", "Change (95% CI)", "p (Holm)", "Verdict"]]
    for key in keys:
        tests = (by_key["this"].get(key), by_key["other"].get(key))
        label = label_of.get(key) or next((t.label for t in tests if t is not None), key)
        for n, (cohort, test) in enumerate(zip((this, other), tests)):
            test_rows.append([label if n == 0 else "", cohort.name, *_test_cells(test, cohort.has_answers)])
    widths = [0.2, 0.19, 0.09, 0.24, 0.1, 0.18]
    story.append(table(_cells(test_rows, s), [w * width for w in widths], align_right_from=2))
    story.append(
        Paragraph(
            "Each cohort's own paired test (Wilcoxon signed-rank, Holm-adjusted over the six benefits), as in "
            "the evaluation: the people of that cohort who answered at the start and at six months.",
            s["small"],
        )
    )
    return story


__all__ = ["LIMITS", "NO_ANSWERS", "comparison_story"]
