"""The match board: the coordinator's main workspace.

Unmatched mentees on the left, mentors with their places in the middle, the
selected pair side by side on the right. Every change (drop, key, menu, context
menu) runs as one :class:`mentorapp_ui.app.undo.DbCommand` built from a
:mod:`mentorapp.matching.actions` action, so Ctrl+Z and Ctrl+Shift+Z work anywhere and
the database always equals what is shown. While dragging, the card shows the
score or "not allowed" and why, as :mod:`mentorapp.matching.actions` decides it
for what is shown; the action decides it again when the change is saved.

This module lays the page out, loads it and follows the selection; the rest is
split by job: :mod:`~mentorapp_ui.board.filters`, :mod:`~mentorapp_ui.board.dragdrop`,
:mod:`~mentorapp_ui.board.commands` (menus and shortcuts), :mod:`~mentorapp_ui.board.suggest`
and :mod:`~mentorapp_ui.board.details` (the compare pane).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QSettings, Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget
from sqlalchemy.orm import Session

from mentorapp.matching.actions import MatchChange, Refusal, redo_change, undo_change
from mentorapp.matching.board import BoardMatch, load_board
from mentorapp.matching.scoring import PairScore, Scorer
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.flow import FlowLayout
from mentorapp_ui.app.page import Page
from mentorapp_ui.app.tasks import Task
from mentorapp_ui.app.undo import DbCommand, push_command
from mentorapp_ui.board.commands import BoardCommandsMixin
from mentorapp_ui.board.details import DetailsPanel
from mentorapp_ui.board.dragdrop import DragDropMixin, DropGuide
from mentorapp_ui.board.filters import BoardFilters
from mentorapp_ui.board.models import ID_ROLE, BoardState, Suggested
from mentorapp_ui.board.suggest import SuggestionBanner, SuggestionsMixin, plural
from mentorapp_ui.board.views import MenteeListView, MentorListView
from mentorapp_ui.running.board_support import flags_by_match


class BoardPage(BoardCommandsMixin, DragDropMixin, SuggestionsMixin, Page):
    title = "Match board"
    name = "board"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("boardPage")
        self.state = BoardState()
        self.guide = DropGuide(self)
        self.guide.scores_ready.connect(self._scores_ready)
        self._status_key: tuple[int, int | None, int] | None = None
        self._unplaced: list[tuple[int, str]] = []  # mentees the matcher could not place, with why
        self._task: Task | None = None  # the matcher, while it runs
        self._build_actions()
        self._build_ui()
        ctx.data_changed.connect(self._data_changed)
        ctx.cohort_changed.connect(self._cohort_changed)
        self._update_actions()

    # -- building --------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.filters = BoardFilters(self)
        self.filters.changed.connect(self._apply_filters)
        # The filter widgets by name, for the tests and the walkthrough.
        self.search, self.free_only = self.filters.search, self.filters.free_only
        self.focus_filter, self.region_filter = self.filters.focus_filter, self.filters.region_filter
        self.stage_filter = self.filters.stage_filter
        suggest = QPushButton("Suggest matches")
        suggest.setObjectName("suggestButton")
        suggest.setToolTip(self.suggest_action.toolTip())
        suggest.clicked.connect(self.suggest_action.trigger)
        suggest.setDefault(True)
        suggest.setAccessibleName("Suggest matches")
        # The button paints itself, so it draws its own focus ring (the style's is gone with the border).
        suggest.setStyleSheet(
            "QPushButton { background: #2f6fde; color: white; border: 2px solid #2f6fde; border-radius: 5px; "
            "padding: 4px 12px; font-weight: 600; } QPushButton:disabled { background: #a9bde6; "
            "border-color: #a9bde6; } QPushButton:hover { background: #255fc4; border-color: #255fc4; } "
            "QPushButton:focus { border: 2px solid #ffb000; }"
        )
        self.suggest_button = suggest
        confirm_all = QPushButton("Confirm all proposed")
        confirm_all.setObjectName("confirmAllButton")
        confirm_all.setAccessibleName("Confirm all proposed matches")
        confirm_all.setToolTip(self.confirm_all_action.toolTip())
        confirm_all.clicked.connect(self.confirm_all_action.trigger)
        self.confirm_all_button = confirm_all

        # The filters wrap on to a second line in a narrow window (1024 wide cut the buttons off the page);
        # the two buttons keep their place at the right.
        bar = QWidget()
        self.filters.add_to(FlowLayout(bar))
        top = QHBoxLayout()
        top.addWidget(bar, 1)
        top.addWidget(confirm_all, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(suggest, 0, Qt.AlignmentFlag.AlignTop)

        self.banner = SuggestionBanner(
            [
                (self.accept_action, "Accept"),
                (self.reject_action, "Reject"),
                (self.accept_all_action, "Accept all"),
                (self.reject_all_action, "Reject all"),
            ]
        )

        self.mentee_view = MenteeListView(self.state)
        self.mentor_view = MentorListView(self.state, self.hint_for)
        self.mentee_view.selectionModel().currentChanged.connect(self._mentee_selected)
        self.mentor_view.selectionModel().currentChanged.connect(lambda *_: self._show_details())
        self.mentor_view.slot_chosen.connect(self._slot_chosen)
        self.mentee_view.enter_pressed.connect(self.choose_mentor_for)
        self.mentee_view.doubleClicked.connect(lambda index: self.choose_mentor_for(index.data(ID_ROLE)))
        self.mentee_view.unmatch_dropped.connect(self._dropped_on_unmatched)
        self.mentee_view.unmatch_hover.connect(self.say_unmatch)
        self.mentor_view.mentor_dropped.connect(self._dropped_on_mentor)
        self.mentor_view.drag_target.connect(self.preview_drop)
        self.mentor_view.enter_pressed.connect(self._mentor_enter)
        self.mentor_view.delete_pressed.connect(self.unmatch_selected)
        for view in (self.mentee_view, self.mentor_view):
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.mentee_view.customContextMenuRequested.connect(self._mentee_menu)
        self.mentor_view.customContextMenuRequested.connect(self._mentor_menu)

        self.mentee_heading = QLabel()
        self.mentee_heading.setObjectName("menteeHeading")
        self.mentor_heading = QLabel()
        self.mentor_heading.setObjectName("mentorHeading")
        for label in (self.mentee_heading, self.mentor_heading):
            label.setStyleSheet("font-weight: 600; font-size: 11pt; padding: 2px 4px;")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.mentee_heading)
        left_layout.addWidget(self.mentee_view, 1)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.mentor_heading)
        middle_layout.addWidget(self.mentor_view, 1)

        self.details = DetailsPanel()
        self.details.set_actions(
            [
                self.match_action,
                self.move_action,
                self.unmatch_action,
                self.confirm_action,
                self.lock_action,
                self.active_action,
                self.complete_action,
                self.end_action,
                self.log_meeting_action,
                self.exclude_action,
            ]
        )
        self.splitter = QSplitter()
        self.splitter.setObjectName("boardSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(middle)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([320, 520, 380])
        saved = QSettings().value("board/splitter")
        if saved is not None:
            self.splitter.restoreState(saved)
        self.splitter.splitterMoved.connect(
            lambda *_: QSettings().setValue("board/splitter", self.splitter.saveState())
        )

        self.summary = QLabel()
        self.summary.setObjectName("boardSummary")
        self.summary.setStyleSheet("padding: 2px 2px;")  # the palette's text colour: readable when dark too
        self.empty = QLabel("Choose a cohort in the toolbar, or create one with File ▸ New cohort, to start matching.")
        self.empty.setObjectName("boardEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #5f6b7a; font-size: 12pt; padding: 40px;")
        self.empty.hide()

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.banner)
        layout.addWidget(self.empty)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.summary)

    # -- loading -------------------------------------------------------------------------
    def _data_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    def _cohort_changed(self, _cohort_id: object) -> None:
        self.state.suggestions.clear()
        self.banner.hide_all()
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:  # Qt override
        super().showEvent(event)
        self._update_actions()

    def hideEvent(self, event) -> None:  # Qt override
        super().hideEvent(event)
        self._update_actions()

    def refresh(self) -> None:
        cohort_id = self.ctx.cohort_id
        if cohort_id is None:
            self.state.data = None
            self.guide.set_data(None)
            self.state.suggestions.clear()
            self.mentee_view.list_model.set_ids([])
            self.mentor_view.list_model.set_ids([])
            self.empty.show()
            self.splitter.hide()
            self.summary.setText("")
            self._show_details()
            self._update_actions()
            return
        self.empty.hide()
        self.splitter.show()
        previous = self.state.data
        with self.ctx.db.session() as s:
            try:
                data = load_board(s, cohort_id, previous)
            except LookupError:
                self.ctx.set_cohort(None)
                return
            at_risk = flags_by_match(s, cohort_id)  # the cards' "At risk" badges
        same_flags, self.state.at_risk = at_risk == self.state.at_risk, at_risk
        if (
            previous is not None
            and data.people is previous.people
            and data.matches == previous.matches
            and data.excluded == previous.excluded
            and data.settings == previous.settings
            and same_flags
        ):
            return  # nothing changed (a second refresh for the same change)
        if previous is None or previous.cohort_id != data.cohort_id:
            self.state.suggestions.clear()
            self.banner.hide_all()
        self.state.data = data
        self.guide.set_data(data)
        self._status_key = None
        if self.state.selected_match_id not in data.matches:
            self.state.selected_match_id = None
        self._prune_suggestions()
        if previous is None or data.people is not previous.people or data.career_stages != previous.career_stages:
            self.filters.fill_lists(data)
        self._apply_filters()

    # -- filtering -------------------------------------------------------------------------
    def _apply_filters(self) -> None:
        data = self.state.data
        if data is None:
            return
        mentees, mentors = self.filters.shown(data)
        filtered = self.filters.active()
        if filtered:
            self.mentee_view.empty_text = "No unmatched mentee fits the search and filters."
        else:
            self.mentee_view.empty_text = (
                "Every mentee is matched.\n\nDrag a mentee from a mentor's card back here to unmatch them."
                if data.mentee_ids
                else "No mentees in this cohort yet. Add or import participants first."
            )
        self.mentor_view.empty_text = (
            "No mentor fits the search and filters." if filtered else "No mentors in this cohort yet."
        )
        self.mentee_view.show_ids(mentees, keep_neighbour=True)
        self.mentor_view.show_ids(mentors)
        self._update_headings(mentees, mentors)
        self._show_details()
        self._update_actions()

    def _update_headings(self, mentees: list[int], mentors: list[int]) -> None:
        data = self.state.data
        assert data is not None
        unmatched = len(data.unmatched_mentee_ids())
        filtered = len(mentees) != unmatched
        self.mentee_heading.setText(
            f"Unmatched mentees  ({len(mentees)} of {unmatched})" if filtered else f"Unmatched mentees  ({unmatched})"
        )
        free = sum(data.free_places(pid) for pid in data.mentor_ids)
        shown = f"{len(mentors)} of {len(data.mentor_ids)}" if len(mentors) != len(data.mentor_ids) else len(mentors)
        self.mentor_heading.setText(f"Mentors  ({shown})  ·  {plural(free, 'free place')}")
        counts: dict[str, int] = {}
        for m in data.matches.values():
            counts[m.status] = counts.get(m.status, 0) + 1
        matched = len(data.mentee_ids) - unmatched
        parts = [f"{matched} of {len(data.mentee_ids)} mentees matched"]
        for status, label in (
            ("proposed", "proposed"),
            ("confirmed", "confirmed"),
            ("active", "active"),
            ("completed", "completed"),
            ("ended_early", "ended early"),
        ):
            if counts.get(status):
                parts.append(f"{counts[status]} {label}")
        no_consent = sum(1 for p in data.people.values() if not p.consent)
        if no_consent:
            parts.append(f"{plural(no_consent, 'person', 'people')} without recorded consent")
        if self.state.suggestions:
            parts.append(f"{plural(len(self.state.suggestions), 'suggestion')} waiting")
        self.summary.setText("   ·   ".join(parts))

    # -- selection and details -------------------------------------------------------
    def _mentee_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            # A mentee with a suggestion selects it: the pane shows it, Ctrl+Return accepts it.
            mentee_id = current.data(ID_ROLE)
            self.state.selected_match_id = None
            self.state.selected_suggestion = mentee_id if mentee_id in self.state.suggestions else None
            self.mentor_view.viewport().update()
        self._show_details()

    def follow_mentee(self) -> None:
        """Suggestions arrived: a mentee selected in the list selects their own suggestion."""
        current = self.mentee_view.currentIndex()
        if current.isValid():
            self._mentee_selected(current, current)

    def _slot_chosen(self) -> None:
        if self.state.selected_match_id is not None or self.state.selected_suggestion is not None:
            self.mentee_view.selectionModel().clearCurrentIndex()
            self.mentee_view.clearSelection()
        self._show_details()

    def selected_match(self) -> BoardMatch | None:
        data = self.state.data
        if data is None or self.state.selected_match_id is None:
            return None
        return data.matches.get(self.state.selected_match_id)

    def selected_suggestion(self) -> Suggested | None:
        if self.state.selected_suggestion is None:
            return None
        return self.state.suggestions.get(self.state.selected_suggestion)

    def selected_mentee_id(self) -> int | None:
        match, suggestion = self.selected_match(), self.selected_suggestion()
        if match is not None:
            return match.mentee_id
        if suggestion is not None:
            return suggestion.mentee_id
        return self.mentee_view.current_id()

    def selected_mentor_id(self) -> int | None:
        match, suggestion = self.selected_match(), self.selected_suggestion()
        if match is not None:
            return match.mentor_id
        if suggestion is not None:
            return suggestion.mentor_id
        return self.mentor_view.current_id()

    def _show_details(self) -> None:
        data = self.state.data
        if data is None:
            self.details.show_pair(None, None)
            self._update_actions()
            return
        mentee_id, mentor_id = self.selected_mentee_id(), self.selected_mentor_id()
        mentee = data.people.get(mentee_id) if mentee_id is not None else None
        mentor = data.people.get(mentor_id) if mentor_id is not None else None
        match, suggestion = self.selected_match(), self.selected_suggestion()
        score, reasons, problems, now = None, None, [], None
        if match is not None and match.score is not None and match.reasons:
            score, reasons = match.score, match.reasons
        elif mentee is not None and mentor is not None:
            pair = self.pair_score(mentee.id, mentor.id)
            if pair is not None:
                score, reasons = pair.total, pair.reasons
            if match is not None and match.score is not None:
                # The card shows the score the match was made with; say both when today's differs.
                score, now = match.score, score
            if match is None and suggestion is None:
                refusal = self.refusal(mentee.id, mentor.id)
                problems = [v.message for v in refusal.violations] if refusal is not None else []
        self.details.show_pair(
            mentee,
            mentor,
            match=match,
            suggested=suggestion is not None,
            score=score,
            reasons=reasons,
            problems=problems,
            score_now=now,
            former=former.sentence() if (former := self.state.former(mentee_id, mentor_id)) is not None else "",
        )
        self._update_actions()

    # -- scores and rules, as the drop guide has them --------------------------------------
    def _scores_ready(self) -> None:
        """The scorer is built: show scores in the details and on the cards."""
        self._status_key = None
        self._show_details()
        self.mentor_view.viewport().update()

    def scores_ready(self) -> bool:
        """Whether the cohort's scorer is built (it is built off the GUI thread after a load)."""
        return self.guide.is_ready()

    def scorer(self) -> Scorer | None:
        return self.guide.scorer()

    def pair_score(self, mentee_id: int, mentor_id: int) -> PairScore | None:
        return self.guide.pair_score(mentee_id, mentor_id)

    def refusal(self, mentee_id: int, mentor_id: int, moving: BoardMatch | None = None) -> Refusal | None:
        """Why the pair may not be made (or ``moving`` may not go there), as the board shows it."""
        return self.guide.refusal(mentee_id, mentor_id, moving)

    # -- running changes ------------------------------------------------------------------
    def run_change(self, text: str, action: Callable[[Session], MatchChange]) -> bool:
        """Run one board action as an undoable command; False (with a status message) if it failed."""

        def do(session: Session, cmd: DbCommand) -> MatchChange:
            if cmd.result is None:
                return action(session)
            redo_change(session, cmd.result)
            return cmd.result

        def undo(session: Session, cmd: DbCommand) -> None:
            undo_change(session, cmd.result)

        command = DbCommand(self.ctx, text, do, undo)
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            ok = push_command(self.ctx, command)
        finally:
            QApplication.restoreOverrideCursor()
        if ok and isinstance(command.result, MatchChange):
            command.setText(command.result.description)
            self.ctx.show_status(f"{command.result.description}. Ctrl+Z takes it back.")
        if not ok:
            self.refresh()
        return ok

    def shutdown(self) -> None:  # the window is closing
        self.stop_worker()

    def refuse(self, message: str) -> None:
        self.ctx.show_status(message)
