"""The evaluation report for 10,000 participants with both stages answered.

Measures, in turns, the time to compute the statistics alone (the reference:
one pass over about 250,000 answers) and the time to write the whole PDF
(statistics, charts, layout). The ratio is the report's own cost on top of the
arithmetic, stated as it is (no goal: the PDF necessarily does more; a ratio
under 1 would mean a broken benchmark). A 100-participant report is timed too,
to show that the report grows with the data, not with pages.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.timing import interleaved, ratio_row

SIZES = (100, 10_000)


def build(size: int, folder: Path):
    from mentorapp.demo.cohort import create_demo
    from mentorapp.demo.evaluations import fill_demo_evaluations
    from mentorapp.store.db import open_database

    db = open_database(str(folder / f"report{size}.db"))
    start = time.perf_counter()
    with db.transaction() as s:
        demo = create_demo(s, mentees=size * 3 // 5, mentors=size - size * 3 // 5, seed=size)
        filled = fill_demo_evaluations(s, demo.cohort_id, seed=size, all_respond=True)
    print(
        f"{size:,} participants: {filled.matches:,} pairs and {filled.responses:,} responses made in "
        f"{time.perf_counter() - start:.1f} s"
    )
    return db, demo.cohort_id


def measure(size: int, folder: Path) -> tuple[float, float, int]:
    from mentorapp.evaluation.report_pdf import export_report
    from mentorapp.evaluation.stats import compute_stats

    db, cohort_id = build(size, folder)

    def stats() -> None:
        with db.session() as s:
            compute_stats(s, cohort_id)

    pages: list[int] = []

    def pdf() -> None:
        pages.append(export_report(db, cohort_id, folder / f"report{size}.pdf").pages)

    best = interleaved({"stats": stats, "pdf": pdf})
    db.dispose()
    return best["stats"], best["pdf"], pages[-1]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = {size: measure(size, Path(tmp)) for size in SIZES}
    for size, (stats_time, pdf_time, pages) in results.items():
        print(
            f"{size:,} participants, both stages answered: statistics {stats_time:.2f} s, "
            f"whole PDF report ({pages} pages) {pdf_time:.2f} s"
        )
        ratio_row(f"PDF report ({pages} pages) vs statistics alone, {size:,} participants", pdf_time, stats_time, None)
    big, small = results[SIZES[-1]], results[SIZES[0]]
    ratio_row(f"PDF report, {SIZES[-1]:,} vs {SIZES[0]} participants", big[1], small[1], None)


if __name__ == "__main__":
    main()
