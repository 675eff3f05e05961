"""Importing 10,000 applications from an .xlsx form export, against the bare minimum.

"Ours" is the whole import as the command line runs it: preview and mapping,
the dry-run plan (every row interpreted and validated, duplicates checked) and
the transaction that writes participants, goals, expertise and audit events.
The reference, measured in the same run on the same file, is what any import
must at least do: an openpyxl read-only load of every row plus a bare sqlite3
``executemany`` of the same rows into one table. Goal: at most 2x.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import tempfile
from pathlib import Path

from benchmarks.timing import best_of, report

ROWS = 10_000


def make_file(path: Path, rows: int) -> Path:
    from openpyxl import Workbook

    from tests.support.import_fixtures import FORM_HEADERS, form_rows

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Form1")
    ws.append(FORM_HEADERS)
    for row in form_rows(rows, seed=1):
        ws.append(row)
    wb.save(path)
    return path


def reference(path: Path, folder: Path) -> None:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    rows = [tuple("" if v is None else str(v) for v in r) for r in wb["Form1"].iter_rows(min_row=2, values_only=True)]
    wb.close()
    target = folder / "reference.db"
    target.unlink(missing_ok=True)
    con = sqlite3.connect(target)
    width = len(rows[0])
    con.execute(f"CREATE TABLE t ({', '.join(f'c{i} TEXT' for i in range(width))})")
    con.executemany(f"INSERT INTO t VALUES ({', '.join('?' * width)})", rows)
    con.commit()
    con.close()


def fresh_database(folder: Path, n: int):
    """A new database with one cohort (made before timing: every import starts from an open database)."""
    from mentorapp.people.cohorts import CohortData, create_cohort
    from mentorapp.store.db import open_database

    db = open_database(folder / f"ours{n}.db")
    with db.transaction() as s:
        cohort_id = create_cohort(s, CohortData(name="Bench", start_date=dt.date(2021, 9, 1))).id
    return db, cohort_id


def ours(path: Path, db, cohort_id: int) -> None:
    from mentorapp.importing import apply_plan, build_plan, suggest_mapping
    from mentorapp.importing.readers import open_table, peek

    table = open_table(path)  # as the command line does: one opening for mapping and import
    fields = suggest_mapping(table.headers, peek(table), {})
    with db.session() as s:
        plan = build_plan(s, cohort_id, table, fields)
    result = apply_plan(db, plan)
    assert result.created == ROWS, plan.summary()


def main(repeat: int = 3) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = make_file(folder / "applications.xlsx", ROWS)
        targets = [fresh_database(folder, n) for n in range(repeat)]
        ref = best_of(lambda: reference(path, folder), repeat)

        def timed() -> None:
            db, cohort_id = targets.pop()
            ours(path, db, cohort_id)
            db.dispose()

        report(f"import {ROWS:,} rows from xlsx", best_of(timed, repeat), ref, goal=2.0)


if __name__ == "__main__":
    main()
