"""The PDF evaluation report a society's board reads in five minutes: its words and figures.

Built from :func:`mentorapp.evaluation.stats.compute_stats`, so the Report page and the
PDF always agree. Names and emails are never printed: quotes are anonymised
and attributed to a role only, and the coordinator can leave any quote out
(``Cohort.settings["excluded_quotes"]``). This module holds what the report says (the
title-page details, the quotes chosen, the formatted figures, the summary and the method
notes); :mod:`mentorapp.evaluation.report_charts` draws its charts,
:mod:`mentorapp.evaluation.report_layout` lays it out and :mod:`mentorapp.evaluation.report_pdf`
writes the file.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from mentorapp.dates import long_date
from mentorapp.evaluation.stats import EvaluationStats, Quote
from mentorapp.outputs.bundled import default_logo
from mentorapp.people.cohorts import update_settings
from mentorapp.store import audit
from mentorapp.store.models import AppSetting, Cohort
from mentorapp.words import listing

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
    # The coordinator's meeting log, beside what participants reported (running.meetings; "" without a log).
    logged_meetings: str = ""


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
    default = default_logo()
    if not logo and default.is_file():
        logo = str(default)
    return ReportMeta(
        society=str(data.get("society_name") or data.get("society") or ""),
        scheme=str(data.get("scheme") or ""),
        logo_path=logo,
        logged_meetings=_logged_meetings(session, cohort_id),
    )


def _logged_meetings(session: Session, cohort_id: int) -> str:
    """The meeting log's figure for the report, when the coordinator kept one (issue 17)."""
    from mentorapp.running.meetings import logged_meetings_figure

    figure = logged_meetings_figure(session, cohort_id)
    return figure.sentence() if figure.pairs_logged else ""


# --- quotes ----------------------------------------------------------------------------------


def select_quotes(quotes: list[Quote], item_key: str, limit: int | None = None) -> list[Quote]:
    """The quotes the report prints for one question.

    Only quotes the coordinator has read and approved (and not left out), no
    repeats; if more are approved than there is room for, a fixed number in a
    fixed order (by a checksum of each quote's key), so the choice never
    depends on the order answers were typed.
    """
    limit = QUOTE_LIMITS.get(item_key, 5) if limit is None else limit
    seen: set[str] = set()
    chosen: list[Quote] = []
    for q in sorted((q for q in quotes if q.item_key == item_key), key=lambda q: zlib.crc32(q.key.encode())):
        norm = " ".join(q.text.casefold().split())
        if not q.printable or len(norm) < 12 or norm in seen:
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


def set_quote_approved(session: Session, cohort_id: int, stamp: str, approved: bool) -> None:
    """Record that the coordinator read a quote's anonymised text and lets it be printed (or no longer).

    ``stamp`` is :attr:`Quote.stamp` (key and text checksum), so a changed answer needs reading again.
    """
    cohort = session.get(Cohort, cohort_id)
    current = set((cohort.settings or {}).get("approved_quotes") or []) if cohort else set()
    key = stamp.split("#", 1)[0]
    current = {s for s in current if s.split("#", 1)[0] != key}
    if approved:
        current.add(stamp)
    update_settings(session, cohort_id, approved_quotes=sorted(current))
    audit.record(
        session,
        "quote approved" if approved else "quote withdrawn",
        f"Report quote {key} {'approved for printing' if approved else 'no longer approved'}",
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
    return "–" if day is None else long_date(day)


def fmt_p(p: float | None) -> str:
    """A p-value as a reader expects it: three decimals, and never 0."""
    if p is None:
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def fmt_median(median: float | None, q1: float | None, q3: float | None) -> str:
    """'3 (2–4)': a median and its interquartile range."""
    if median is None:
        return "–"
    return f"{median:g} ({q1:g}–{q3:g})"


def fmt_change_ci(change: float | None, low: float | None, high: float | None) -> str:
    if change is None:
        return "–"
    if low is None or high is None:
        return f"{change:+.2f}"
    return f"{change:+.2f} ({low:+.2f} to {high:+.2f})"


def role_sentence(stats: EvaluationStats, role: str) -> str | None:
    """What the paired tests of one role support, in a board member's words, without claiming a cause."""
    tests = [t for t in stats.tests if t.role == role and t.n_pairs]
    if not tests:
        return None
    plural = "mentees" if role == "mentee" else "mentors"
    n = max(t.n_pairs for t in tests)
    clear = [t for t in tests if t.verdict == "clear improvement"]
    worse = [t for t in tests if t.verdict == "clear decline"]
    unclear = [t for t in tests if t.verdict in ("no clear change", "too few answers to test")]
    parts = [f"Among the {n} {plural} who answered both times"]
    if clear:
        parts.append(
            f", ratings showed a clear improvement in {len(clear)} of the {len(tests)} benefits "
            f"({listing([t.label.lower() for t in clear])})"
        )
        if unclear:
            parts.append(f" and no clear change in {listing([t.label.lower() for t in unclear])}")
    else:
        parts.append(f", no benefit showed a clear change (of {len(tests)} tested)")
    if worse:
        parts.append(f"; ratings clearly fell in {listing([t.label.lower() for t in worse])}")
    text = "".join(parts) + "."
    if clear:
        best = max(clear, key=lambda t: t.mean_change or 0)
        text += (
            f" The largest was in {best.label.lower()}: {fmt_change_ci(best.mean_change, best.ci_low, best.ci_high)} "
            f"points on the 1 to 5 scale (95% interval), {best.improved} of {best.n_pairs} rating themselves higher."
        )
    if n < SMALL_SAMPLE:
        text += f" With {n} people a real but modest change can go undetected."
    return text


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
    for role in ("mentee", "mentor"):
        sentence = role_sentence(stats, role)
        if sentence:
            parts.append(sentence)
    if any(t.n_pairs for t in stats.tests):
        parts.append(
            "'Clear' means a paired test supports it after allowing for six benefits tested at once. These are "
            "self-ratings before and after, with no comparison group, so they describe change among those who "
            "answered; they do not show that the scheme caused it."
        )
    sat = stats.satisfaction["all"]
    if sat.n:
        parts.append(
            f"Mean overall satisfaction was {fmt_mean2(sat.mean)} out of 5 ({fmt_pct(sat.share_at_least(4))} "
            f"satisfied or very satisfied), and {fmt_pct(stats.recommend_share)} would recommend the scheme "
            "to a colleague."
        )
    if stats.criteria:
        met = sum(1 for c in stats.criteria if c.met)
        too_few = sum(1 for c in stats.criteria if c.status == "too few responses")
        whose = (
            "default success criteria (offered as a starting point; the coordinator has not set the scheme's own)"
            if stats.criteria_default
            else "success criteria the coordinator set"
        )
        text = f"{met} of the {len(stats.criteria)} {whose} were met"
        if too_few:
            text += f"; {too_few} had too few responses to judge"
        parts.append(text + ".")
    return parts


def small_numbers(stats: EvaluationStats) -> list[str]:
    """One line per analysis that rests on fewer than :data:`SMALL_SAMPLE` people, with its own n."""
    lines = []
    for role in ("mentee", "mentor"):
        n = max((t.n_pairs for t in stats.tests if t.role == role), default=0)
        if 0 < n < SMALL_SAMPLE:
            lines.append(f"the paired change of {role}s rests on {n} people")
    sat = stats.satisfaction["all"]
    if 0 < sat.n < SMALL_SAMPLE:
        lines.append(f"satisfaction on {sat.n} answers")
    if 0 < stats.recommend_n < SMALL_SAMPLE:
        lines.append(f"'would recommend' on {stats.recommend_n} answers")
    if 0 < stats.meetings.pairs < SMALL_SAMPLE:
        lines.append(f"meetings on {stats.meetings.pairs} pairs")
    if 0 < stats.mentor_learning.n < SMALL_SAMPLE:
        lines.append(f"mentors' learning on {stats.mentor_learning.n} answers")
    return lines


def method_notes(stats: EvaluationStats, meta: ReportMeta) -> list[tuple[str, str]]:
    """The methods page: what was asked, how change was tested, and what the design cannot show."""
    base, six = stats.rate("baseline"), stats.rate("six_month")
    mentees, mentors = stats.attrition.of("mentee"), stats.attrition.of("mentor")
    notes = [
        (
            "Who was asked.",
            f"The {six.asked} participants in a mentoring pair that went ahead ({mentees.asked} mentees and "
            f"{mentors.asked} mentors). Each was asked the same self-ratings at the start (baseline) and after six "
            "months, with questions on satisfaction, meetings and recommendation at six months.",
        ),
        (
            "When.",
            f"The cohort started on {fmt_date(stats.start_date)} and was evaluated on "
            f"{fmt_date(stats.evaluation_date)}. Responses were received between {fmt_date(stats.first_response)} "
            f"and {fmt_date(stats.last_response)}.",
        ),
        (
            "Response and follow-up.",
            f"{fmt_pct(base.rate)} answered at baseline ({base.responded} of {base.asked}) and {fmt_pct(six.rate)} at "
            f"six months ({six.responded} of {six.asked}). {mentees.both} of {mentees.asked} mentees "
            f"({fmt_pct(mentees.both_rate)}) and {mentors.both} of {mentors.asked} mentors "
            f"({fmt_pct(mentors.both_rate)}) answered both times; the tests of change use only them. Those who did not "
            "answer again may differ from those who did (see 'Who answered both times').",
        ),
        (
            "Paired test.",
            "For each benefit, each person's six-month rating is compared with their own baseline rating. The "
            "Wilcoxon signed-rank test asks whether ratings moved up more than down; people whose rating did not "
            "change are left out of the test (Wilcoxon's zero-difference rule) but counted as 'same'. With up to 50 "
            "people whose rating changed, the p-value is exact: it counts every equally likely pattern of ups and "
            "downs given the ranks observed (tied ratings share a rank). Above 50, the normal approximation is used, "
            "with the variance corrected for ties and no continuity correction.",
        ),
        (
            "Six benefits at once.",
            "Testing six benefits gives six chances of a chance finding, so the p-values of each role's six tests "
            "are adjusted by Holm's method. A 'clear improvement' is an adjusted p-value below 0.05 with ratings "
            "moving up; 'no clear change' means the data cannot tell a change from chance, not that there was none.",
        ),
        (
            "Size of change.",
            "The mean change comes with a 95% interval (Student's t over the paired differences). The effect size is "
            "the matched-pairs rank-biserial correlation: +1 when every changed rating went up, -1 when every one "
            "went down, 0 when ups and downs balance. Medians with interquartile ranges describe each stage; the "
            "charts show the means of the same people at both stages.",
        ),
        (
            "What this design cannot show.",
            "Ratings are self-reported, before and after, with no comparison group of people who were not mentored, "
            "so a change cannot be attributed to the scheme: people may rate themselves higher after six months of "
            "their career anyway, regress towards the middle of the scale, or judge themselves by a different "
            "standard once they know more (response shift).",
        ),
    ]
    if stats.retrospective_asked or stats.retrospective_tests:
        notes.append(
            (
                "Looking back.",
                "At six months participants also rated where they had been before the scheme, as they now see it "
                "(a retrospective pre-test). Set beside the baseline it shows response shift: a 'looking back' "
                "rating below the baseline means people now judge their start more harshly. The same paired test "
                "compares it with the six-month rating.",
            )
        )
    notes += [
        (
            "Success criteria.",
            (
                "The criteria are the defaults mentorapp offers as a starting point: the coordinator has not yet set "
                "the scheme's own. "
                if stats.criteria_default
                else "The criteria were set by the coordinator for this cohort. "
            )
            + "A criterion is judged only when at least its minimum number of answers (10 unless set otherwise) is "
            "available; otherwise it reads 'too few responses'. Shares come with Wilson's 95% interval, means with "
            "Student's t interval.",
        ),
        (
            "Meetings.",
            "Meetings per pair are as reported by the mentee, or by the mentor where the mentee did not answer and "
            "the mentor had only that mentee.",
        ),
        (
            "Comments and quotes.",
            "Every comment is counted. Themes are counted with keyword groups the coordinator can edit (listed "
            "below): a comment counts towards a theme when one of its words starts with a keyword; a comment can "
            "count towards several themes or none. Quotes are printed only after the coordinator has read and "
            "approved each one; names of participants (also first names alone), titled names, organisations, "
            "e-mail addresses and phone numbers are removed first, and each quote is attributed to a role only.",
        ),
    ]
    small = small_numbers(stats)
    if small:
        notes.append(
            (
                "Small numbers.",
                "Each figure rests on few people: " + "; ".join(small) + ". One person more or less moves a "
                "percentage by several points, and intervals are wide.",
            )
        )
    notes.append(("Source.", f"Produced with mentorapp on {fmt_date(meta.produced_on)} from the cohort's records."))
    return notes
