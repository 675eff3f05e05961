"""How well matching explains its suggestions on three realistic form exports, next to the demo (issue 13, item 7).

Each fixture of ``tests/support/forms.py`` (a Microsoft Forms xlsx, a Google
Forms CSV, a society's own spreadsheet with training grades) is imported through
the command line the way a user would (``cohorts add``, then ``import FILE
--cohort C --adopt-vocabulary --accept-suggested-values --add-new-values
--stage-order ...``) into a fresh database, then the suggested pairs are
measured (:func:`mentorapp.matching.figures.explanation_figures`): the share
explained by career stage (goal: at least 80%), by a shared focus area (goal: at
least 60%), by meaning, and the mean score.

Run with ``python -m benchmarks.bench_forms`` (or ``python -m benchmarks forms``).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from mentorapp.demo.cohort import create_demo  # noqa: E402
from mentorapp.matching.figures import explanation_figures  # noqa: E402
from mentorapp.people.cohorts import find_cohort  # noqa: E402
from mentorapp.people.participants import list_participants  # noqa: E402
from mentorapp.store.db import open_database  # noqa: E402
from tests.support.forms import BUILDERS, import_through_cli  # noqa: E402

COLUMNS = ("Fixture", "Applicants", "Imported", "Pairs", "Career stage", "Shared area", "Meaning", "Mean score")


def _row(name: str, applicants: int, imported: int, figures: dict | None) -> tuple[str, ...]:
    if figures is None:
        return (name, str(applicants), str(imported), "-", "-", "-", "-", "-")
    return (
        name,
        str(applicants),
        str(imported),
        str(figures["pairs"]),
        f"{figures['career_stage']:.0%}",
        f"{figures['shared_focus_area']:.0%}",
        f"{figures['meaning']:.0%}",
        f"{figures['mean_score']:.2f}",
    )


def measure(folder: Path) -> tuple[list[tuple[str, ...]], list[str]]:
    """The table's rows (demo first) and the refusals met on the way."""
    notes: list[str] = []
    demo_db = open_database(str(folder / "demo.db"))
    with demo_db.transaction() as s:
        create_demo(s)
    with demo_db.session() as s:
        cohort_id = find_cohort(s, None).id
        people = len(list_participants(s, cohort_id))
        rows = [_row("Demo (built in)", people, people, explanation_figures(s, cohort_id))]
    demo_db.dispose()
    for key, build in BUILDERS.items():
        export = build(folder)
        db_path = str(folder / f"{key}.db")
        rc, _out, err = import_through_cli(db_path, export, f"{export.name} 2024")
        imported, figures = 0, None
        if rc == 0:
            db = open_database(db_path)
            with db.session() as s:
                cohort = find_cohort(s, f"{export.name} 2024")
                imported = len(list_participants(s, cohort.id))
                figures = explanation_figures(s, cohort.id)
            db.dispose()
        if rc != 0:
            said = err.strip().splitlines()[-1] if err.strip() else f"exit status {rc}"
            notes.append(f"{export.name}: the import was refused: {said}")
        rows.append(_row(export.name, len(export.applicants), imported, figures))
    return rows, notes


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        rows, notes = measure(Path(tmp))
    widths = [max(len(c), *(len(r[k]) for r in rows)) for k, c in enumerate(COLUMNS)]
    print("  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths)))
    print("  ".join("-" * w for w in widths))
    for r in rows:
        print("  ".join(v.ljust(w) for v, w in zip(r, widths)))
    print("Goals: career stage explains at least 80% of the suggested pairs, a shared focus area at least 60%.")
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
