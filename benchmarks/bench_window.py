"""Start-up to a shown main window on a 10,000-participant database, against a bare
PySide6 QMainWindow start; then to the participants table filled; and filling the
participants table with 10,000 rows.

Both programs print a line when their window is shown (after ``show()`` and one
``processEvents()``); ``main.py --startup-report`` prints another when the
participants page shows its rows. Times are taken from outside, from process start.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.timing import best_of, best_of_events, report

ROOT = Path(__file__).resolve().parent.parent

BARE = """
import sys
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv)
w = QMainWindow(); w.setCentralWidget(QLabel("hello")); w.resize(1400, 860); w.show()
app.processEvents()
print("shown", flush=True)
"""


def compile_bytecode() -> None:
    """Compile the project's modules as an installed application has them (PYTHONDONTWRITEBYTECODE may be set)."""
    import compileall

    for name in ("mentorapp", "ui"):
        compileall.compile_dir(ROOT / name, quiet=1)
    compileall.compile_file(ROOT / "main.py", quiet=1)


def main() -> None:
    from mentorapp.demo.cohort import create_demo
    from mentorapp.store.db import open_database

    with tempfile.TemporaryDirectory() as tmp:
        # Window settings go to a throwaway folder, not the coordinator's own.
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": tmp}
        db_path = Path(tmp) / "big.db"
        db = open_database(str(db_path))
        start = time.perf_counter()
        with db.transaction() as s:
            result = create_demo(s, mentees=6000, mentors=4000)
        print(f"demo cohort of 10,000 participants created in {time.perf_counter() - start:.2f} s")
        db.dispose()
        bare_script = Path(tmp) / "bare.py"
        bare_script.write_text(BARE)
        compile_bytecode()
        bare = best_of_events([sys.executable, str(bare_script)], ["shown"], env=env)["shown"]
        ours = best_of_events(
            [sys.executable, str(ROOT / "main.py"), "--db", str(db_path), "--page", "participants", "--startup-report"],
            ["shown", "ready"],
            env=env,
        )
        report("start-up to a shown main window (10,000 participants)", ours["shown"], bare, goal=2.0)
        report("start-up to the participants table filled (10,000 participants)", ours["ready"], bare)

        from PySide6.QtWidgets import QApplication

        from mentorapp.people.participants import list_participants
        from mentorapp_ui.people.participant_model import ParticipantTableModel

        app = QApplication.instance() or QApplication([])
        db = open_database(str(db_path))
        with db.session() as s:
            load = best_of(lambda: list_participants(s, result.cohort_id))
            rows = list_participants(s, result.cohort_id)
        model = ParticipantTableModel()
        fill = best_of(lambda: model.set_participants(rows))
        print(f"participants table: load 10,000 rows {load * 1000:.0f} ms, fill model {fill * 1000:.1f} ms")
        db.dispose()
        del app


if __name__ == "__main__":
    main()
