"""Importing 10,000 applications from a form's CSV export, as the command line runs it.

"Ours" is the ``import`` command (reading, mapping, every row interpreted and
checked, duplicates and returning people looked for, participants, goals,
expertise and the activity log written in one transaction) on a 10,000-row CSV,
minus the same command on a 2-row CSV timed beside it: the fixed cost of any
command is measured by ``bench_cli``. Each run starts from the same fresh copy
of a database holding one empty cohort (copied before the clock starts).

The reference is what any import must at least do: the csv module reading the
file and one sqlite3 ``executemany`` of its rows into one table. Goal <= 3x.
"""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

from benchmarks.fixtures import cli, env, workdir
from benchmarks.timing import interleaved, process, ratio_row

ROWS = 10_000


def make_files(folder: Path) -> tuple[Path, Path, Path]:
    """(10,000-row CSV, 2-row CSV, a database with the empty cohort 'Bench')."""
    import datetime as dt

    from mentorapp.people.cohorts import CohortData, create_cohort
    from mentorapp.store.db import open_database
    from tests.support.import_fixtures import FORM_HEADERS, form_rows, write_csv

    big = write_csv(folder / "applications.csv", FORM_HEADERS, form_rows(ROWS, seed=5))
    small = write_csv(folder / "two.csv", FORM_HEADERS, form_rows(2, seed=5))
    template = folder / "import-template.db"
    db = open_database(str(template))
    with db.transaction() as s:
        create_cohort(s, CohortData(name="Bench", start_date=dt.date(2026, 9, 1)))
    db.dispose()
    return big, small, template


def reference(path: Path, target: Path) -> None:
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        width = len(next(reader))
        rows = list(reader)
    con = sqlite3.connect(target)
    con.execute(f"CREATE TABLE t ({', '.join(f'c{i} TEXT' for i in range(width))})")
    con.executemany(f"INSERT INTO t VALUES ({', '.join('?' * width)})", rows)
    con.commit()
    con.close()


def main() -> None:
    folder = workdir()
    big, small, template = make_files(folder)
    target, bare = folder / "import.db", folder / "import-reference.db"
    environment = env()

    def fresh() -> None:
        shutil.copyfile(template, target)
        bare.unlink(missing_ok=True)

    def command(path: Path):
        return process(cli(target, "import", str(path), "--cohort", "Bench", "--adopt-vocabulary"), environment)

    fresh()
    command(small)()  # first run: the daily backup, compiled files
    best = interleaved(
        {"reference": lambda: reference(big, bare), "two": command(small), "ours": command(big)}, prepare=fresh
    )
    ratio_row(
        f"import of a {ROWS:,}-row CSV, fixed cost off, vs csv + one sqlite executemany",
        best["ours"] - best["two"],
        best["reference"],
        3.0,
    )


if __name__ == "__main__":
    main()
