"""Importing 10,000 applications from a form's CSV export, as the command line runs it.

"Ours" is the ``import`` command (reading, mapping, every row interpreted and
checked, duplicates and returning people looked for, participants, goals,
expertise and the activity log written in one transaction) on a 10,000-row CSV,
minus the same command on a 2-row CSV timed beside it: the fixed cost of any
command is measured by ``bench_cli``. Each run starts from the same fresh copy
of a database holding one empty cohort (copied before the clock starts).

The reference is what any import must at least do: the csv module reading the
file and one sqlite3 ``executemany`` of its rows into one table. Goal <= 3x.

A second row, for information, is the floor under that goal: the csv module
reading the file, as the reference does, and then the very rows the import wrote
(people, memberships, goals, expertise and the log, about 52,000; taken from the
imported database before the clock) written by bare sqlite3, one
``executemany`` per table, into the same empty database with the same pragmas as
mentorapp's connection. No import of these rows into this schema, however lean,
does less, so the floor's ratio is the least the import row can read.
"""

from __future__ import annotations

import csv
import shutil
import sqlite3
from pathlib import Path

from benchmarks.fixtures import cli, env, workdir
from benchmarks.timing import interleaved, process, ratio_row
from mentorapp.store.db import set_sqlite_pragmas

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


TABLES = ("person", "participant", "goal", "expertise", "audit_event")


def written_rows(imported: Path, template: Path) -> dict[str, tuple[list[str], list[tuple]]]:
    """Each table's rows that the import added to ``template`` (columns, rows), read from ``imported``."""
    before = sqlite3.connect(template)
    after = sqlite3.connect(imported)
    found = {}
    for name in TABLES:
        last = before.execute(f"SELECT coalesce(max(id), 0) FROM {name}").fetchone()[0]
        cursor = after.execute(f"SELECT * FROM {name} WHERE id > ? ORDER BY id", (last,))
        found[name] = ([d[0] for d in cursor.description], cursor.fetchall())
    before.close()
    after.close()
    return found


def floor(path: Path, rows: dict[str, tuple[list[str], list[tuple]]], target: Path) -> None:
    """The file read, then the import's rows written by bare sqlite3 into mentorapp's schema, an executemany a table."""
    with open(path, newline="", encoding="utf-8") as fh:
        read = list(csv.reader(fh))
    assert len(read) == ROWS + 1
    con = sqlite3.connect(target, isolation_level=None)
    set_sqlite_pragmas(con)  # mentorapp's own, so the floor cannot drift from what the import meets
    con.execute("BEGIN")
    for name, (columns, values) in rows.items():
        con.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values)
    con.execute("COMMIT")
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
    fresh()
    command(big)()  # the rows of one import, read back before the floor's clock starts
    rows = written_rows(target, template)
    best = interleaved(
        {"reference": lambda: reference(big, bare), "floor": lambda: floor(big, rows, target)}, prepare=fresh
    )
    ratio_row(
        f"floor under the import: csv reading + its {sum(len(v) for _c, v in rows.values()):,} rows "
        f"({len(rows)} tables) written by bare sqlite3 in mentorapp's schema, same reference",
        best["floor"],
        best["reference"],
        None,
    )


if __name__ == "__main__":
    main()
