"""Walk the match board as a new user would on the demo cohort, saving a PNG at each stage.

    python scripts/board_walkthrough.py OUTPUT_FOLDER

Five pairs are matched by dropping mentees on mentors (real drop events, the same
code path as the mouse), one match is moved, two steps are undone, the matcher's
suggestions are accepted and everything is confirmed. The pictures in
docs/screenshots/match-board*.png come from this script.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QCoreApplication, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from mentorapp.demo.cohort import create_demo
from mentorapp.store.db import open_database
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.main_window import MainWindow
from mentorapp_ui.board.mime import DragPayload, encode


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    db_path = out / "walkthrough.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    app = QApplication.instance() or QApplication([])
    QCoreApplication.setOrganizationName("mentorapp-walkthrough")
    db = open_database(str(db_path))
    with db.transaction() as s:
        create_demo(s)
    window = MainWindow(AppContext(db))
    window.resize(1400, 860)
    window.show()
    window.show_page("board")
    page = window.current_page()
    page.refresh()
    while not page.scores_ready():  # the scorer is built off the GUI thread
        app.processEvents()
    cohort_id = page.state.data.cohort_id

    def settle() -> None:
        for _ in range(5):
            app.processEvents()

    def shot(name: str) -> None:
        settle()
        window.grab().save(str(out / name))
        print("saved", out / name)

    def card(pid: int) -> QPoint:
        view = page.mentor_view
        index = view.list_model.index(view.list_model.row_of(pid), 0)
        view.scrollTo(index)
        settle()
        return view.visualRect(index).center()

    def drag(payload: DragPayload, pos: QPoint, *, drop: bool) -> None:
        mime = encode(payload)  # kept alive: the events only point at it
        args = (Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
        vp = page.mentor_view.viewport()
        # PySide6 6.11: enter and move events take a QPoint, the drop event a QPointF.
        QApplication.sendEvent(vp, QDragEnterEvent(QPoint(pos), *args))
        QApplication.sendEvent(vp, QDragMoveEvent(QPoint(pos), *args))
        if drop:
            QApplication.sendEvent(vp, QDropEvent(QPointF(pos), *args))
        settle()

    def best_mentor(mentee: int, taken: set[int]) -> int | None:
        data = page.state.data
        allowed = [
            r for r in data.mentor_ids if r not in taken and data.free_places(r) and page.refusal(mentee, r) is None
        ]
        return max(allowed, key=lambda r: page.pair_score(mentee, r).total, default=None)

    shot("01_board.png")
    taken: set[int] = set()
    for mentee in list(page.state.data.unmatched_mentee_ids()):
        if len(taken) == 5:
            break
        mentor = best_mentor(mentee, taken)
        if mentor is None:
            continue
        if len(taken) == 4:
            drag(DragPayload(mentee, cohort_id=cohort_id), card(mentor), drop=False)
            shot("02_drag_score.png")
            refused = next(r for r in page.state.data.mentor_ids if page.refusal(mentee, r) is not None)
            drag(DragPayload(mentee, cohort_id=cohort_id), card(refused), drop=False)
            shot("03_drag_not_allowed.png")
        drag(DragPayload(mentee, cohort_id=cohort_id), card(mentor), drop=True)
        taken.add(mentor)
    page.mentor_view.verticalScrollBar().setValue(0)
    shot("04_five_matched.png")
    match = next(iter(page.state.data.matches.values()))
    data = page.state.data
    target = next(
        r
        for r in data.mentor_ids
        if r != match.mentor_id and data.free_places(r) and page.refusal(match.mentee_id, r, match) is None
    )
    drag(DragPayload(match.mentee_id, match.id, match.version_id, cohort_id), card(target), drop=True)
    page.mentor_view.select_id(target)
    page.mentor_view.choose_slot(next(s for s in page.state.slots(target) if s.match and s.match.id == match.id))
    shot("05_moved.png")
    window.ctx.undo_stack.undo()
    window.ctx.undo_stack.undo()
    shot("06_undone_twice.png")
    page.suggest()
    while page.is_suggesting():
        app.processEvents()
    settle()
    first = next(iter(page.state.suggestions.values()))
    page.mentor_view.select_id(first.mentor_id)
    page.mentor_view.choose_slot(next(s for s in page.state.slots(first.mentor_id) if s.kind == "suggested"))
    page.mentor_view.verticalScrollBar().setValue(0)
    shot("07_suggestions.png")
    page.accept_all_suggestions()
    shot("08_accepted.png")
    page.confirm_all()
    page.mentor_view.verticalScrollBar().setValue(0)
    shot("09_confirmed.png")
    window.close()
    db.dispose()
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        sys.exit(2)
    code = main(Path(sys.argv[1]))
    sys.stdout.flush()
    os._exit(code)  # skip interpreter teardown of Qt objects in a throwaway process
