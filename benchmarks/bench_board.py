"""The match board at 100, 1,000 and 10,000 participants: time to show it and to complete a drop.

"Show" is a fresh board page loading the cohort, laying out both card lists and
painting the visible cards; "drop" is a real QDropEvent on a mentor card, which
saves the match in its own transaction and reloads the board. Each is reported
as a ratio against the 100-participant board measured in the same run, so a
board that stays fluid grows far slower than the cohort (100x more people).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.timing import clock, ratio_row

SIZES = (100, 1_000, 10_000)


def _drop(page, mentee_id: int, mentor_id: int) -> None:
    from PySide6.QtCore import QPointF, Qt
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    from mentorapp_ui.board.mime import DragPayload, encode

    view = page.mentor_view
    index = view.list_model.index(view.list_model.row_of(mentor_id), 0)
    view.scrollTo(index)
    QApplication.processEvents()
    point = view.visualRect(index).center()
    pos = QPointF(point)
    mime = encode(DragPayload(mentee_id, cohort_id=page.state.data.cohort_id))
    args = (Qt.DropAction.MoveAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    vp = view.viewport()
    QApplication.sendEvent(vp, QDragEnterEvent(point, *args))
    QApplication.sendEvent(vp, QDragMoveEvent(point, *args))
    QApplication.sendEvent(vp, QDropEvent(pos, *args))
    QApplication.processEvents()


def measure(size: int, tmp: Path) -> tuple[float, float]:
    from PySide6.QtWidgets import QApplication

    from mentorapp.demo.cohort import create_demo
    from mentorapp.store.db import open_database
    from mentorapp_ui.app.context import AppContext
    from mentorapp_ui.board.page import BoardPage

    app = QApplication.instance() or QApplication([])
    db = open_database(str(tmp / f"board{size}.db"))
    with db.transaction() as s:
        result = create_demo(s, mentees=size * 2 // 3, mentors=size - size * 2 // 3, seed=size)
    ctx = AppContext(db)
    ctx.cohort_id = result.cohort_id
    pages: list[BoardPage] = []

    def show() -> None:
        page = BoardPage(ctx)
        page.resize(1400, 800)
        page.show()
        page.refresh()
        page.grab()  # paints the visible cards
        pages.append(page)

    shown = min(clock(show) for _ in range(5))
    page = pages[-1]
    for other in pages[:-1]:
        other.close()
        other.deleteLater()
    while not page.scores_ready():  # the scorer is built off the GUI thread; drops show its scores
        app.processEvents()
    data = page.state.data
    pairs = []
    for mentee in data.unmatched_mentee_ids():
        mentor = next(
            (
                r
                for r in data.mentor_ids
                if data.free_places(r) and r not in {p[1] for p in pairs} and page.refusal(mentee, r) is None
            ),
            None,
        )
        if mentor is not None:
            pairs.append((mentee, mentor))
        if len(pairs) == 3:
            break
    messages: list[str] = []
    ctx.status_message.connect(messages.append)
    times = []
    for mentee, mentor in pairs:
        start = time.perf_counter()
        _drop(page, mentee, mentor)
        times.append(time.perf_counter() - start)
        match = page.state.data.by_mentee.get(mentee)
        assert match is not None and match.mentor_id == mentor, (size, messages[-1:])
    page.close()
    db.dispose()
    return shown, min(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        results = {size: measure(size, Path(tmp)) for size in SIZES}
    base_show, base_drop = results[SIZES[0]]
    for size in SIZES[1:]:
        show, drop = results[size]
        ratio_row(f"show the board, {size:,} vs {SIZES[0]} participants", show, base_show, None)
        ratio_row(f"complete a drop, {size:,} vs {SIZES[0]} participants", drop, base_drop, None)
    show, drop = results[1_000]
    print(f"1,000 participants: board shown in {show * 1000:.0f} ms, drop completed in {drop * 1000:.0f} ms")
    show, drop = results[10_000]
    print(f"10,000 participants: board shown in {show * 1000:.0f} ms, drop completed in {drop * 1000:.0f} ms")


if __name__ == "__main__":
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    main()
