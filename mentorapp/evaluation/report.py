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

from mentorapp.evaluation.stats import EvaluationStats, Quote
from mentorapp.outputs.bundled import default_logo
from mentorapp.people.cohorts import update_settings
from mentorapp.store import audit
from mentorapp.store.models import AppSetting, Cohort

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
    default = default_logo()
    if not logo and default.is_file():
        logo = str(default)
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


def method_notes(stats: EvaluationStats, meta: ReportMeta) -> list[tuple[str, str]]:
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
