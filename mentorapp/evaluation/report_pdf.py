"""Writing the evaluation report's PDF: atomically, with progress and cancel, and recorded in
the activity log. With another cohort to compare with, the comparison section
(:mod:`mentorapp.evaluation.report_compare`) closes the report."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import cm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from mentorapp.evaluation.compare import Comparison, compare_cohorts
from mentorapp.evaluation.report import ReportMeta, fmt_date, report_meta
from mentorapp.evaluation.report_layout import NumberedCanvas, build_story
from mentorapp.evaluation.stats import EvaluationStats, compute_stats
from mentorapp.outputs.files import Monitor, atomic_path
from mentorapp.outputs.pdf_fonts import register_fonts
from mentorapp.store import audit
from mentorapp.store.db import Database

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


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
    comparison: Comparison | None = None,
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
        if comparison is not None:
            from mentorapp.evaluation.report_compare import comparison_story

            story += comparison_story(comparison, doc.width)
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

        def make_canvas(*args: Any, **kwargs: Any) -> NumberedCanvas:
            return NumberedCanvas(*args, header=header, right=meta.society or fmt_date(meta.produced_on), **kwargs)

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
    compare_with: int | None = None,
) -> ReportResult:
    """Compute the figures and write the report; safe to call from a worker thread (own session).

    ``compare_with``: another cohort's id, for a closing section comparing the two.
    """
    with db.session() as session:
        stats = compute_stats(session, cohort_id)
        meta = report_meta(session, cohort_id)
        comparison = compare_cohorts(session, cohort_id, compare_with) if compare_with is not None else None
    audit.check_export_allowed(db.engine)  # recorded, or refused before a file is written
    result = render_report(stats, path, meta, progress=progress, cancel=cancel, comparison=comparison)
    with db.transaction() as session:
        audit.record(
            session,
            "report exported",
            f"Evaluation report of '{stats.cohort_name}' written ({result.pages} pages)"
            + (f", compared with '{comparison.other.name}'" if comparison is not None else ""),
            cohort_id=cohort_id,
            entity_type="cohort",
            entity_id=cohort_id,
        )
    return result
