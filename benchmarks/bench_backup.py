"""Backups and restore checks on a database of 10,000 participants, against copying the file.

A backup goes through SQLite's backup API (a consistent snapshot) and a restore
checks the whole file (integrity check, tables, version) before it replaces the
database; both are compared with a plain file copy of the same database in the
same run, so the figure says what the safety costs on this machine. The
start-up check (``diagnose``) runs on every start, so it must stay cheap too.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from benchmarks.timing import interleaved, ratio_row


def main() -> None:
    from mentorapp.demo.cohort import create_demo
    from mentorapp.store import backup
    from mentorapp.store.db import open_database

    with tempfile.TemporaryDirectory(prefix="mentorapp-bench-") as tmp:
        folder = Path(tmp)
        path = folder / "big.db"
        db = open_database(path)
        with db.transaction() as s:
            create_demo(s, mentees=7_000, mentors=3_000)
        db.dispose()
        size = path.stat().st_size
        print(f"database of 10,000 participants: {size / 1e6:.1f} MB")
        n = iter(range(1000))
        best = interleaved(
            {
                "copy": lambda: shutil.copyfile(path, folder / "plain-copy.db"),
                "backup": lambda: backup.create_backup(path, folder / f"b{next(n)}.db", record=False),
                "check": lambda: backup.check_database_file(folder / "b0.db"),
                "diagnose": lambda: backup.diagnose(path),
            }
        )
        copy_time = best["copy"]
        ratio_row("backup (SQLite backup API) vs file copy, 10,000 participants", best["backup"], copy_time, 10)
        ratio_row("restore check (integrity, tables, version) vs file copy", best["check"], copy_time, 25)
        ratio_row("start-up check vs file copy", best["diagnose"], copy_time, 25)
        target = folder / "restored.db"

        def restore() -> None:
            backup.restore_backup(target, folder / "b0.db")

        best = interleaved(
            {"copy": lambda: shutil.copyfile(path, folder / "plain-copy.db"), "restore": restore},
            prepare=lambda: shutil.copyfile(path, target),
        )
        # A restore reads the file several times (check it, copy it, check and back up the current
        # database, open it): a rare action, so up to 100 plain copies is fine.
        ratio_row(
            "full restore (check, save current, replace, reopen) vs file copy", best["restore"], best["copy"], 100
        )


if __name__ == "__main__":
    main()
