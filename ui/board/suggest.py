"""Suggested matches on the board: the matcher on the task runner, the banner, accepting and rejecting.

The matcher runs on :mod:`mentorapp_ui.app.tasks` in its own session and hands
back plain values; the GUI thread never waits for it. Suggestions are only
provisional (dashed outlines) until accepted, which is one call to
:func:`mentorapp.matching.actions.accept_suggestions`, one undo step.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from mentorapp.matching.actions import StoredScore, accept_suggestions
from mentorapp.store.db import Database
from mentorapp_ui.app.tasks import Job, Progress, Task, run_task
from mentorapp_ui.board.models import Suggested

BANNER_STYLE = (
    "QFrame#suggestionBanner { background: #fffbea; border: 1px dashed #c9961a; border-radius: 6px; }"
    "QFrame#suggestionBanner QLabel { color: #5c430c; }"
)
STEPS = 1000  # the matcher reports fractions; the task runner counts steps


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def suggestions_job(db: Database, cohort_id: int) -> Job:
    """The matcher for one cohort as a task: returns (suggested pairs, [(mentee id, why not placed)])."""
    # Imported here, on the GUI thread: importing scipy inside a worker thread races with PySide's import hook.
    from mentorapp.matching import solver

    solver.load_solvers()

    def job(report: Callable[..., None], _cancelled: Callable[[], bool]) -> tuple[list[Suggested], list]:
        with db.session() as session:
            result = solver.suggest(session, cohort_id, progress=lambda f: report(round(f * STEPS), STEPS))
        pairs = [
            Suggested(s.mentee.id, s.mentor.id, float(s.score.total), list(s.score.to_json()["reasons"]))
            for s in result.matches
        ]
        return pairs, [(u.mentee.id, str(u.reason)) for u in result.unmatched]

    return job


class SuggestionBanner(QFrame):
    """The strip above the board: progress while the matcher runs, then what it found with the four buttons."""

    def __init__(self, actions: list[tuple[QAction, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.label = QLabel()
        self.label.setObjectName("bannerLabel")
        self.setAccessibleName("Suggested matches")
        self.label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("suggestProgress")
        self.progress.setAccessibleName("Suggesting matches")
        self.progress.setRange(0, STEPS)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 6, 10, 6)
        row.addWidget(self.label, 1)
        row.addWidget(self.progress)
        self.buttons: list[QPushButton] = []
        for action, text in actions:
            button = QPushButton(text)
            button.setObjectName(text.replace(" ", "").lower() + "Button")
            button.setAccessibleName(text + (" suggestions" if text.endswith(" all") else " suggestion"))
            button.setToolTip(action.toolTip())
            button.clicked.connect(action.trigger)
            action.changed.connect(lambda b=button, act=action: b.setEnabled(act.isEnabled()))
            row.addWidget(button)
            self.buttons.append(button)
        self.hide()

    def show_running(self) -> None:
        self.label.setText("Looking for the best matches for everyone still unmatched…")
        self.progress.setRange(0, 0)  # busy until the matcher says how far it is
        self.progress.show()
        for button in self.buttons:
            button.hide()
        self.show()

    def show_progress(self, progress: Progress) -> None:
        if progress.fraction is not None:
            self.progress.setRange(0, STEPS)
            self.progress.setValue(round(progress.fraction * STEPS))

    def show_found(self, text: str, tip: str) -> None:
        self.label.setText(text)
        self.label.setToolTip(tip)
        self.progress.hide()
        for button in self.buttons:
            button.show()
        self.show()

    def hide_all(self) -> None:
        self.hide()
        self.progress.hide()


class SuggestionsMixin:
    """The board page's suggestions.

    Mixed into :class:`mentorapp_ui.board.page.BoardPage`, which provides
    ``ctx``, ``state``, ``banner``, ``mentor_view``, ``suggest_button``, ``run_change``,
    ``refuse``, ``selected_suggestion``, ``_apply_filters`` and ``_update_actions``.
    """

    ctx: Any
    state: Any
    banner: SuggestionBanner
    mentor_view: Any
    suggest_button: Any
    _task: Task | None
    _unplaced: list[tuple[int, str]]
    run_change: Callable[..., bool]
    refuse: Callable[[str], None]
    selected_suggestion: Callable[[], Suggested | None]
    _apply_filters: Callable[[], None]
    _update_actions: Callable[[], None]
    follow_mentee: Callable[[], None]

    def suggest(self) -> None:
        if self.state.data is None or self._task is not None:
            return
        self._task = run_task(
            suggestions_job(self.ctx.db, self.state.data.cohort_id),
            self,  # type: ignore[arg-type]
            on_done=lambda result: self._on_suggestions(*result),
            on_error=self._on_suggest_failed,
            on_progress=self.banner.show_progress,
            on_finished=self._suggest_finished,
            cancellable=False,
        )
        self.banner.show_running()
        self.suggest_button.setText("Suggesting…")  # and disabled (_update_actions) until it is done
        self.ctx.show_status("Suggesting matches…")
        self._update_actions()

    def is_suggesting(self) -> bool:
        return self._task is not None

    def _suggest_finished(self) -> None:
        self._task = None
        self.suggest_button.setText("Suggest matches")
        self._update_actions()

    def stop_worker(self) -> None:
        """Before the application quits: a running matcher's answer is no longer wanted."""
        if self._task is not None:
            self._task.abandon()
            self._task.wait()
            self._task = None

    def _on_suggest_failed(self, message: str) -> None:
        self.banner.hide_all()
        self.refuse(f"Suggesting matches failed: {message}")

    def _on_suggestions(self, pairs: list[Suggested], unmatched: list[tuple[int, str]]) -> None:
        self.state.suggestions = {s.mentee_id: s for s in pairs}
        self._prune_suggestions()
        self.follow_mentee()
        self._show_suggestion_banner(unmatched)
        self.mentor_view.doItemsLayout()
        self._apply_filters()
        n = len(self.state.suggestions)
        self.ctx.show_status(
            f"{plural(n, 'suggested match', 'suggested matches')} shown with dashed outlines."
            if n
            else "The matcher found no further pairs that keep the rules."
        )

    def _prune_suggestions(self) -> None:
        """Drop suggestions the board has overtaken (matched, excluded, mentor full) and refresh the banner."""
        data = self.state.data
        if data is None:
            self.state.suggestions.clear()
            return
        kept: dict[int, Suggested] = {}
        used: dict[int, int] = {}
        for s in self.state.suggestions.values():
            if s.mentee_id in data.by_mentee or s.mentee_id not in data.people or s.mentor_id not in data.people:
                continue
            if (s.mentor_id, s.mentee_id) in data.excluded:
                continue
            if used.get(s.mentor_id, 0) >= data.free_places(s.mentor_id):
                continue
            used[s.mentor_id] = used.get(s.mentor_id, 0) + 1
            kept[s.mentee_id] = s
        self.state.suggestions = kept
        if self.state.selected_suggestion not in kept:
            self.state.selected_suggestion = None
        if not self.is_suggesting():
            if kept:
                self._show_suggestion_banner()
            else:
                self.banner.hide_all()

    def _show_suggestion_banner(self, unmatched: list[tuple[int, str]] | None = None) -> None:
        if unmatched is not None:
            self._unplaced = unmatched
        data = self.state.data
        # Only those still unmatched and still without a suggestion.
        unmatched = [
            (pid, reason)
            for pid, reason in self._unplaced
            if data is not None and pid not in data.by_mentee and pid not in self.state.suggestions
        ]
        n = len(self.state.suggestions)
        if not n:
            self.banner.hide_all()
            return
        total = sum(s.score for s in self.state.suggestions.values())
        text = (
            f"<b>{plural(n, 'suggested match', 'suggested matches')}</b> (dashed outlines, total "
            f"compatibility {total:.2f}). Select one to accept or reject it, or take them all."
        )
        tip = ""
        if unmatched:
            text += f" {plural(len(unmatched), 'mentee')} could not be placed under the rules (hover for why)."
            lines = [
                f"{data.people[pid].titled_name}: {reason}"
                for pid, reason in unmatched[:12]
                if data and pid in data.people
            ]
            if len(unmatched) > 12:
                lines.append(f"… and {len(unmatched) - 12} more")
            tip = "\n".join(lines)
        self.banner.show_found(text, tip)
        self._update_actions()

    def _accept(self, pairs: list[Suggested]) -> bool:
        data = self.state.data
        if data is None or not pairs:
            return False
        cohort_id = data.cohort_id
        keys = [(s.mentee_id, s.mentor_id) for s in pairs]
        scores = {(s.mentee_id, s.mentor_id): StoredScore(s.score, tuple(s.reasons)) for s in pairs}
        text = (
            f"Accept the suggested match of {data.people[pairs[0].mentee_id].titled_name}"
            if len(pairs) == 1
            else f"Accept {len(pairs)} suggested matches"
        )
        ok = self.run_change(text, lambda s: accept_suggestions(s, cohort_id, keys, scores))
        if ok:
            for s in pairs:
                self.state.suggestions.pop(s.mentee_id, None)
            self._prune_suggestions()
            self._apply_filters()
        return ok

    def accept_selected_suggestion(self) -> None:
        suggestion = self.selected_suggestion()
        if suggestion is not None:
            self._accept([suggestion])

    def accept_all_suggestions(self) -> None:
        self._accept(list(self.state.suggestions.values()))

    def reject_selected_suggestion(self) -> None:
        suggestion = self.selected_suggestion()
        if suggestion is None:
            return
        self.state.suggestions.pop(suggestion.mentee_id, None)
        self.state.selected_suggestion = None
        self.ctx.show_status(f"Rejected the suggestion for {self.state.person(suggestion.mentee_id).titled_name}.")
        self._prune_suggestions()
        self._apply_filters()

    def reject_all_suggestions(self) -> None:
        n = len(self.state.suggestions)
        self.state.suggestions.clear()
        self.state.selected_suggestion = None
        self.banner.hide_all()
        self.ctx.show_status(f"Rejected {plural(n, 'suggestion')}.")
        self._apply_filters()
