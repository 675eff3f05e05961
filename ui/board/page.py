"""The match board: the coordinator's main workspace.

Unmatched mentees on the left, mentors with their places in the middle, the
selected pair side by side on the right. Every change (drop, key, menu, context
menu) runs as one :class:`mentorapp_ui.app.undo.DbCommand` built from a
:mod:`mentorapp.matching.actions` action, so Ctrl+Z and Ctrl+Shift+Z work anywhere and
the database always equals what is shown. Hard rules are checked in memory
while dragging (the card shows the score or "not allowed") and again by the
core when the change is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPoint, QSettings, Qt, QThread
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from mentorapp.matching.actions import (
    END_REASONS,
    MatchChange,
    StoredScore,
    accept_suggestions,
    confirm_all_proposed,
    create_match,
    exclude_pair,
    move_match,
    redo_change,
    set_locked,
    set_status,
    undo_change,
    unmatch,
)
from mentorapp.matching.board import BoardData, BoardMatch, load_board
from mentorapp.matching.rules import RuleContext, violations
from mentorapp.matching.scoring import Scorer, weights_for
from mentorapp.people.participants import ParticipantData
from mentorapp.people.vocabulary import CAREER_STAGES, REGIONS
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.page import Page
from mentorapp_ui.app.undo import DbCommand, push_command
from mentorapp_ui.board.chooser import ChoiceRow, MentorChooser
from mentorapp_ui.board.details import DetailsPanel
from mentorapp_ui.board.mime import DragPayload
from mentorapp_ui.board.models import ID_ROLE, BoardState, DropHint, Suggested
from mentorapp_ui.board.suggest import SuggestWorker, start_worker
from mentorapp_ui.board.views import MenteeListView, MentorListView

if TYPE_CHECKING:
    from mentorapp_ui.app.main_window import MainWindow

MOVABLE = ("proposed", "confirmed")
# Builds scorers (pure computation on plain values) so the GUI thread never waits for one.
_SCORER_POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="board-scorer")
# What a card says while a mentee is dragged over it and a rule would break.
SHORT_RULES = {
    "full": "Full",
    "same_org": "Same organisation",
    "excluded": "Excluded pair",
    "self": "Same person",
    "not_mentor": "Not a mentor",
    "not_mentee": "Not a mentee",
}

BANNER_STYLE = (
    "QFrame#suggestionBanner { background: #fffbea; border: 1px dashed #c9961a; border-radius: 6px; }"
    "QFrame#suggestionBanner QLabel { color: #5c430c; }"
)


def _plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


class BoardPage(Page):
    title = "Match board"
    name = "board"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.setObjectName("boardPage")
        self.state = BoardState()
        self._scorer_future: Future[Scorer] | None = None
        self._scorer_key: tuple | None = None
        self._rules: RuleContext | None = None
        self._hints: dict[tuple[int, int | None, int], DropHint] = {}
        self._status_key: tuple[int, int | None, int] | None = None
        self._unplaced: list[tuple[int, str]] = []  # mentees the matcher could not place, with why
        self._thread: QThread | None = None
        self._worker: SuggestWorker | None = None
        self._people_key: tuple | None = None
        self._build_actions()
        self._build_ui()
        ctx.data_changed.connect(self._data_changed)
        ctx.cohort_changed.connect(self._cohort_changed)
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop_worker)
        self._update_actions()

    # -- building --------------------------------------------------------------------
    def _action(self, text: str, slot: Callable[[], object], shortcut: str | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
            # Only while the board has the focus, so other pages can use the same keys.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(
                f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})" if shortcut else tip
            )
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.match_action = a(
            "&Match with a mentor…",
            self.match_selected,
            "Ctrl+M",
            "Choose a mentor for the selected mentee, best matches first",
        )
        self.move_action = a(
            "Mo&ve to another mentor…", self.move_selected, "Ctrl+Shift+M", "Give the selected mentee another mentor"
        )
        self.unmatch_action = a(
            "&Unmatch",
            self.unmatch_selected,
            "Del",
            "Remove the selected match; the mentee goes back to the unmatched list",
        )
        self.confirm_action = a(
            "&Confirm match", lambda: self.change_status("confirmed"), "Ctrl+K", "Confirm the selected proposed match"
        )
        self.confirm_all_action = a(
            "Confirm &all proposed", self.confirm_all, "Ctrl+Shift+K", "Confirm every proposed match of the cohort"
        )
        self.lock_action = a(
            "&Lock match", self.toggle_lock, "Ctrl+L", "Locked matches cannot be moved and are kept by suggestions"
        )
        self.active_action = a(
            "Mark &active", lambda: self.change_status("active"), None, "The pair has started meeting"
        )
        self.complete_action = a(
            "Co&mplete", lambda: self.change_status("completed"), None, "The mentoring has run its course"
        )
        self.end_action = a("&End early…", self.end_early, None, "End the match early, with a reason")
        self.exclude_action = a(
            "E&xclude this pair…", self.exclude_selected, None, "Never match these two; suggestions will avoid them"
        )
        self.suggest_action = a(
            "&Suggest matches",
            self.suggest,
            "Ctrl+G",
            "Let the matcher propose the best pairs for everyone still unmatched",
        )
        self.accept_action = a(
            "Acce&pt suggestion",
            self.accept_selected_suggestion,
            "Ctrl+Return",
            "Turn the selected suggestion into a proposed match",
        )
        self.reject_action = a(
            "&Reject suggestion", self.reject_selected_suggestion, "Ctrl+Backspace", "Drop the selected suggestion"
        )
        self.accept_all_action = a(
            "Accept all su&ggestions",
            self.accept_all_suggestions,
            "Ctrl+Shift+Return",
            "Turn every suggestion into a proposed match (one undo step)",
        )
        self.reject_all_action = a("Reject all suggestions", self.reject_all_suggestions, None, "Drop every suggestion")
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.triggered.connect(lambda: (self.search.setFocus(), self.search.selectAll()))
        self.addAction(find)

    def _combo(self, name: str, first: str, tip: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        # "" rather than None: PySide6 6.12 returns a None it does not own for empty item data.
        combo.addItem(first, "")
        combo.setToolTip(tip)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(14)
        combo.currentIndexChanged.connect(lambda _i: self._apply_filters())
        return combo

    def _build_ui(self) -> None:
        self.search = QLineEdit()
        self.search.setObjectName("boardSearch")
        self.search.setPlaceholderText("Search names, organisations, job titles  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.search.textChanged.connect(lambda _t: self._apply_filters())
        self.focus_filter = self._combo("focusFilter", "All focus areas", "Show people with this focus area")
        self.region_filter = self._combo("regionFilter", "All regions", "Show people in this region")
        for region in REGIONS:
            self.region_filter.addItem(region, region)
        self.stage_filter = self._combo("stageFilter", "All career stages", "Show people at this career stage")
        for stage in CAREER_STAGES:
            self.stage_filter.addItem(stage, stage)
        self.free_only = QCheckBox("Only mentors with free places")
        self.free_only.setObjectName("freeOnly")
        self.free_only.toggled.connect(lambda _c: self._apply_filters())
        suggest = QPushButton("Suggest matches")
        suggest.setObjectName("suggestButton")
        suggest.setToolTip(self.suggest_action.toolTip())
        suggest.clicked.connect(self.suggest_action.trigger)
        suggest.setDefault(True)
        suggest.setStyleSheet(
            "QPushButton { background: #2f6fde; color: white; border: none; border-radius: 5px; padding: 6px 14px; "
            "font-weight: 600; } QPushButton:disabled { background: #a9bde6; } "
            "QPushButton:hover { background: #255fc4; }"
        )
        self.suggest_button = suggest
        confirm_all = QPushButton("Confirm all proposed")
        confirm_all.setObjectName("confirmAllButton")
        confirm_all.setToolTip(self.confirm_all_action.toolTip())
        confirm_all.clicked.connect(self.confirm_all_action.trigger)
        self.confirm_all_button = confirm_all

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.focus_filter)
        top.addWidget(self.region_filter)
        top.addWidget(self.stage_filter)
        top.addWidget(self.free_only)
        top.addStretch(1)
        top.addWidget(confirm_all)
        top.addWidget(suggest)

        self.banner = QFrame()
        self.banner.setObjectName("suggestionBanner")
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner_label = QLabel()
        self.banner_label.setObjectName("bannerLabel")
        self.banner_label.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("suggestProgress")
        self.progress.setRange(0, 1000)
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(False)
        banner_row = QHBoxLayout(self.banner)
        banner_row.setContentsMargins(10, 6, 10, 6)
        banner_row.addWidget(self.banner_label, 1)
        banner_row.addWidget(self.progress)
        self.banner_buttons: list[QPushButton] = []
        for action, label in (
            (self.accept_action, "Accept"),
            (self.reject_action, "Reject"),
            (self.accept_all_action, "Accept all"),
            (self.reject_all_action, "Reject all"),
        ):
            button = QPushButton(label)
            button.setObjectName(label.replace(" ", "").lower() + "Button")
            button.setToolTip(action.toolTip())
            button.clicked.connect(action.trigger)
            action.changed.connect(lambda b=button, act=action: b.setEnabled(act.isEnabled()))
            banner_row.addWidget(button)
            self.banner_buttons.append(button)
        self.banner.hide()

        self.mentee_view = MenteeListView(self.state)
        self.mentor_view = MentorListView(self.state, self.hint_for)
        self.mentee_view.selectionModel().currentChanged.connect(self._mentee_selected)
        self.mentor_view.selectionModel().currentChanged.connect(lambda *_: self._show_details())
        self.mentor_view.slot_chosen.connect(self._slot_chosen)
        self.mentee_view.enter_pressed.connect(self.choose_mentor_for)
        self.mentee_view.doubleClicked.connect(lambda index: self.choose_mentor_for(index.data(ID_ROLE)))
        self.mentee_view.unmatch_dropped.connect(self._dropped_on_unmatched)
        self.mentor_view.mentor_dropped.connect(self._dropped_on_mentor)
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
        self.summary.setStyleSheet("color: #374151; padding: 2px 2px;")
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

    def install(self, window: MainWindow) -> None:
        menu = window.menu("Match")
        for group in (
            (self.match_action, self.move_action, self.unmatch_action),
            (self.confirm_action, self.confirm_all_action, self.lock_action),
            (self.active_action, self.complete_action, self.end_action, self.exclude_action),
            (
                self.suggest_action,
                self.accept_action,
                self.reject_action,
                self.accept_all_action,
                self.reject_all_action,
            ),
        ):
            if not menu.isEmpty():
                menu.addSeparator()
            for action in group:
                menu.addAction(action)

    # -- loading -------------------------------------------------------------------------
    def _data_changed(self) -> None:
        if self.isVisible():
            self.refresh()

    def _cohort_changed(self, _cohort_id: object) -> None:
        self.state.suggestions.clear()
        self._hide_banner()
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
        if (
            previous is not None
            and data.people is previous.people
            and data.matches == previous.matches
            and data.excluded == previous.excluded
            and data.settings == previous.settings
        ):
            return  # nothing changed (a second refresh for the same change)
        if previous is None or previous.cohort_id != data.cohort_id:
            self.state.suggestions.clear()
            self._hide_banner()
        self.state.data = data
        self._rules = RuleContext(
            excluded=set(data.excluded),
            load=data.loads(),
            current={m.mentee_id: m.mentor_id for m in data.matches.values() if m.is_current},
        )
        self._hints.clear()
        self._status_key = None
        if self.state.selected_match_id not in data.matches:
            self.state.selected_match_id = None
        self._prune_suggestions()
        if previous is None or data.people is not previous.people:
            self._fill_focus_filter(data)
            self._warm_scorer(data)
        self._apply_filters()

    def _fill_focus_filter(self, data: BoardData) -> None:
        current = self.focus_filter.currentData()
        areas = list(data.focus_areas)
        for p in data.people.values():
            for area in [*p.goal_focus_areas(), *(e.focus_area for e in p.expertise)]:
                if area not in areas:
                    areas.append(area)
        self.focus_filter.blockSignals(True)
        self.focus_filter.clear()
        self.focus_filter.addItem("All focus areas", "")
        for area in areas:
            self.focus_filter.addItem(area, area)
        index = self.focus_filter.findData(current) if current else 0
        self.focus_filter.setCurrentIndex(max(0, index))
        self.focus_filter.blockSignals(False)

    def _prune_suggestions(self) -> None:
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
        if self._thread is None:
            if kept:
                self._show_suggestion_banner()
            else:
                self._hide_banner()

    # -- filtering -------------------------------------------------------------------------
    def _filters(self) -> tuple[str, str, str, str]:
        """The search text and the chosen focus area, region and career stage ("" for all)."""
        return (
            self.search.text().casefold().strip(),
            self.focus_filter.currentData() or "",
            self.region_filter.currentData() or "",
            self.stage_filter.currentData() or "",
        )

    @staticmethod
    def _matches_filters(p: ParticipantData, filters: tuple[str, str, str, str], *, mentor: bool) -> bool:
        text, area, region, stage = filters
        if text and text not in f"{p.title} {p.full_name} {p.organisation} {p.job_title} {p.region}".casefold():
            return False
        if area:
            areas = [e.focus_area for e in p.expertise] if mentor else p.goal_focus_areas()
            if area not in areas:
                return False
        if region and p.region != region:
            return False
        return not (stage and p.career_stage != stage)

    def _filtering(self) -> bool:
        return any(self._filters()) or self.free_only.isChecked()

    def _apply_filters(self) -> None:
        data = self.state.data
        if data is None:
            return
        filters = self._filters()
        mentees = [
            pid for pid in data.unmatched_mentee_ids() if self._matches_filters(data.people[pid], filters, mentor=False)
        ]
        free_only = self.free_only.isChecked()
        mentors = [
            pid
            for pid in data.mentor_ids
            if self._matches_filters(data.people[pid], filters, mentor=True)
            and (not free_only or data.free_places(pid))
        ]
        filtered = self._filtering()
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
        self._set_ids(self.mentee_view, mentees)
        self._set_ids(self.mentor_view, mentors)
        self._update_headings(mentees, mentors)
        self._show_details()
        self._update_actions()

    @staticmethod
    def _set_ids(view: MenteeListView | MentorListView, ids: list[int]) -> None:
        """Replace the rows, keeping the scroll position and the current card (or its neighbour)."""
        model = view.list_model
        current = view.currentIndex()
        current_id = view.current_id()
        current_row = current.row() if current.isValid() else -1
        scroll = view.verticalScrollBar().value()
        if ids == model.ids:
            model.refresh_all()
            view.doItemsLayout()
            view.verticalScrollBar().setValue(scroll)
            return
        model.set_ids(ids)
        view.doItemsLayout()
        if current_id is not None:
            row = model.row_of(current_id)
            if row < 0 and current_row >= 0 and ids and isinstance(view, MenteeListView):
                row = min(current_row, len(ids) - 1)
            if row >= 0:
                view.selectionModel().setCurrentIndex(
                    model.index(row, 0), view.selectionModel().SelectionFlag.ClearAndSelect
                )
        view.verticalScrollBar().setValue(scroll)

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
        self.mentor_heading.setText(f"Mentors  ({shown})  ·  {_plural(free, 'free place')}")
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
            parts.append(f"{_plural(no_consent, 'person', 'people')} without recorded consent")
        if self.state.suggestions:
            parts.append(f"{_plural(len(self.state.suggestions), 'suggestion')} waiting")
        self.summary.setText("   ·   ".join(parts))

    # -- selection and details -------------------------------------------------------
    def _mentee_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.state.selected_match_id = None
            self.state.selected_suggestion = None
            self.mentor_view.viewport().update()
        self._show_details()

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
        score, reasons, problems = None, None, []
        if match is not None and match.score is not None and match.reasons:
            score, reasons = match.score, match.reasons
        elif mentee is not None and mentor is not None:
            pair = self.pair_score(mentee.id, mentor.id)
            if pair is not None:
                score, reasons = pair.total, pair.reasons
            if match is None and suggestion is None:
                problems = [v.message for v in self._violations(mentee.id, mentor.id, None)]
        self.details.show_pair(
            mentee,
            mentor,
            match=match,
            suggested=suggestion is not None,
            score=score,
            reasons=reasons,
            problems=problems,
        )
        self._update_actions()

    # -- scores and rules -------------------------------------------------------------
    def scorer(self) -> Scorer | None:
        """The cohort's scorer; built in the background after a load, waited for only if still running."""
        data = self.state.data
        if data is None:
            return None
        key = (data.cohort_id, data.signature)
        if self._scorer_key != key:
            self._warm_scorer(data)
        assert self._scorer_future is not None
        return self._scorer_future.result()

    def _warm_scorer(self, data: BoardData) -> None:
        """Start building the scorer for ``data`` off the GUI thread (a second on 10,000 people)."""
        key = (data.cohort_id, data.signature)
        if self._scorer_key == key:
            return
        people = data.people
        mentees = [people[i] for i in data.mentee_ids]
        mentors = [people[i] for i in data.mentor_ids]
        self._scorer_future = _SCORER_POOL.submit(Scorer, mentees, mentors, weights_for(data.settings))
        self._scorer_key = key

    def pair_score(self, mentee_id: int, mentor_id: int):
        scorer = self.scorer()
        if scorer is None or mentee_id not in scorer.mentee_index or mentor_id not in scorer.mentor_index:
            return None
        return scorer.score(mentee_id, mentor_id)

    def _violations(self, mentee_id: int, mentor_id: int, moving_from: int | None):
        data = self.state.data
        assert data is not None and self._rules is not None
        return violations(data.people[mentee_id], data.people[mentor_id], self._rules, moving_from=moving_from)

    def hint_for(self, payload: DragPayload, mentor_id: int) -> DropHint:
        """What dropping ``payload`` on ``mentor_id`` would do (cached while dragging)."""
        key = (payload.mentee_id, payload.match_id, mentor_id)
        hint = self._hints.get(key)
        if hint is None:
            hint = self._hints[key] = self._compute_hint(payload, mentor_id)
        if key != self._status_key:
            self._status_key = key
            self._say_hint(hint)
        return hint

    def _say_hint(self, hint: DropHint) -> None:
        """The card has room for a word or two; the status bar says it in full."""
        if hint.allowed:
            mentor = self.state.person(hint.mentor_id).full_name
            score = f" (compatibility {hint.score:.2f})" if hint.score is not None else ""
            self.ctx.show_status(f"Drop to match with {mentor}{score}.")
        elif hint.overridable:
            self.ctx.show_status(f"{hint.message}. Drop to decide whether to match them anyway.")
        else:
            self.ctx.show_status(f"Not allowed: {hint.message}.")

    def _compute_hint(
        self, payload: DragPayload, mentor_id: int, score: float | None = None, *, compute: bool = True
    ) -> DropHint:
        """The hint for one target; with ``compute`` False the given ``score`` is used (the chooser has them)."""
        data = self.state.data
        if data is None or payload.cohort_id not in (None, data.cohort_id) or payload.mentee_id not in data.people:
            return DropHint(mentor_id, False, None, "this person is not in the cohort shown")
        mentee = data.people[payload.mentee_id]
        match = data.matches.get(payload.match_id) if payload.match_id is not None else None
        if payload.match_id is not None and match is None:
            return DropHint(mentor_id, False, None, "this match no longer exists")
        current = data.by_mentee.get(mentee.id)
        if match is None and current is not None and current.is_current:
            return DropHint(
                mentor_id,
                False,
                None,
                f"{mentee.full_name} is already matched; drag them from their mentor's card to move them",
            )
        moving_from = match.mentor_id if match is not None else None
        if compute:
            pair = self.pair_score(mentee.id, mentor_id)
            score = pair.total if pair is not None else None
        if moving_from == mentor_id:
            return DropHint(mentor_id, False, score, f"{mentee.full_name} is already with this mentor")
        if match is not None and match.locked:
            return DropHint(mentor_id, False, score, "the match is locked; unlock it first")
        if match is not None and match.status not in MOVABLE:
            return DropHint(mentor_id, False, score, f"the match is {match.status.replace('_', ' ')}")
        found = self._violations(mentee.id, mentor_id, moving_from)
        if not found:
            return DropHint(mentor_id, True, score, "")
        overridable = all(v.code == "same_org" for v in found)
        message = "; ".join(v.message.rstrip(".") for v in found)
        short = " · ".join(dict.fromkeys(SHORT_RULES.get(v.code, v.code) for v in found))
        return DropHint(mentor_id, False, score, message, overridable, short)

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

    def refuse(self, message: str) -> None:
        self.ctx.show_status(message)

    def confirm_override(self, mentee: ParticipantData, mentor: ParticipantData) -> bool:
        """Ask before matching two people from the same organisation (tests replace this)."""
        answer = QMessageBox.question(
            self,
            "Same organisation",
            f"{mentee.full_name} and {mentor.full_name} both work at {mentor.organisation}.\n\n"
            "The scheme avoids such pairs because of possible line-management relationships. "
            "Match them anyway? The match will record that you decided this.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _check_drop(self, payload: DragPayload, mentor_id: int) -> bool | None:
        """None to refuse; otherwise whether the same-organisation override was confirmed."""
        hint = self._compute_hint(payload, mentor_id)
        if hint.allowed:
            return False
        data = self.state.data
        assert data is not None
        mentee, mentor = data.people.get(payload.mentee_id), data.people.get(mentor_id)
        if hint.overridable and mentee is not None and mentor is not None:
            if self.confirm_override(mentee, mentor):
                return True
            self.refuse(f"Not matched: {mentee.full_name} and {mentor.full_name} work at the same organisation.")
            return None
        who = f"{mentee.full_name} with {mentor.full_name}" if mentee and mentor else "this pair"
        self.refuse(f"Cannot match {who}: {hint.message}.")
        return None

    def match_pair(self, mentee_id: int, mentor_id: int) -> bool:
        data = self.state.data
        if data is None:
            return False
        override = self._check_drop(DragPayload(mentee_id, cohort_id=data.cohort_id), mentor_id)
        if override is None:
            return False
        mentee, mentor = data.people[mentee_id], data.people[mentor_id]
        score = self.pair_score(mentee_id, mentor_id)
        return self.run_change(
            f"Match {mentee.full_name} with {mentor.full_name}",
            lambda s: create_match(s, mentee_id, mentor_id, override_same_org=override, score=score),
        )

    def move(self, match_id: int, version: int | None, mentor_id: int) -> bool:
        data = self.state.data
        if data is None or match_id not in data.matches:
            self.refuse("That match no longer exists; the board has been reloaded.")
            self.refresh()
            return False
        match = data.matches[match_id]
        override = self._check_drop(DragPayload(match.mentee_id, match_id, version, data.cohort_id), mentor_id)
        if override is None:
            return False
        score = self.pair_score(match.mentee_id, mentor_id)
        mentee, mentor = data.people[match.mentee_id], data.people[mentor_id]
        return self.run_change(
            f"Move {mentee.full_name} to {mentor.full_name}",
            lambda s: move_match(
                s, match_id, mentor_id, expected_version=version, override_same_org=override, score=score
            ),
        )

    def remove(self, match_id: int, version: int | None) -> bool:
        data = self.state.data
        match = data.matches.get(match_id) if data else None
        if data is None or match is None:
            self.refuse("That match no longer exists; the board has been reloaded.")
            self.refresh()
            return False
        name = data.people[match.mentee_id].full_name
        if match.locked:
            self.refuse(f"The match of {name} is locked; unlock it before removing it.")
            return False
        return self.run_change(f"Unmatch {name}", lambda s: unmatch(s, match_id, expected_version=version))

    # -- drops ---------------------------------------------------------------------------
    def _dropped_on_mentor(self, payload: DragPayload, mentor_id: int) -> None:
        if payload.match_id is not None:
            self.move(payload.match_id, payload.match_version, mentor_id)
        else:
            self.match_pair(payload.mentee_id, mentor_id)

    def _dropped_on_unmatched(self, payload: DragPayload) -> None:
        if payload.match_id is not None:
            self.remove(payload.match_id, payload.match_version)

    # -- keyboard and menu actions ---------------------------------------------------------
    def match_selected(self) -> None:
        mentee_id = self.selected_mentee_id()
        if mentee_id is not None and self.selected_match() is None:
            self.choose_mentor_for(mentee_id)

    def move_selected(self) -> None:
        match = self.selected_match()
        if match is not None:
            self.choose_mentor_for(match.mentee_id, match=match)

    def _mentor_enter(self) -> None:
        if self.selected_suggestion() is not None:
            self.accept_selected_suggestion()
        elif self.selected_match() is not None:
            self.move_selected()
        else:
            self.refuse("Select a mentee inside the card (Left and Right arrows), or an unmatched mentee on the left.")

    def choice_rows(self, mentee_id: int, match: BoardMatch | None = None) -> list[ChoiceRow]:
        data = self.state.data
        assert data is not None
        scorer = self.scorer()
        scores: dict[int, float] = {}
        if scorer is not None and mentee_id in scorer.mentee_index:
            row = scorer.matrix([scorer.mentee_index[mentee_id]])[0]
            scores = {p.id: float(row[j]) for j, p in enumerate(scorer.mentors)}
        rows = []
        payload = DragPayload(
            mentee_id, match.id if match else None, match.version_id if match else None, data.cohort_id
        )
        for pid in data.mentor_ids:
            if pid == mentee_id or (match is not None and pid == match.mentor_id):
                continue
            p = data.people[pid]
            hint = self._compute_hint(payload, pid, scores.get(pid), compute=False)
            rows.append(
                ChoiceRow(
                    pid,
                    f"{p.title} {p.full_name}".strip(),
                    scores.get(pid),
                    data.free_places(pid),
                    p.capacity,
                    p.organisation,
                    p.region,
                    hint.allowed,
                    hint.message,
                    hint.overridable,
                )
            )
        return rows

    def choose_mentor_for(self, mentee_id: int, match: BoardMatch | None = None) -> None:
        """The keyboard path: a list of mentors sorted by compatibility."""
        data = self.state.data
        if data is None or mentee_id not in data.people:
            return
        dialog = MentorChooser(
            data.people[mentee_id].full_name, self.choice_rows(mentee_id, match), moving=match is not None, parent=self
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.chosen()
        if chosen is None:
            return
        if match is not None:
            self.move(match.id, match.version_id, chosen.mentor_id)
        else:
            self.match_pair(mentee_id, chosen.mentor_id)

    def unmatch_selected(self) -> None:
        if self.selected_suggestion() is not None:
            self.reject_selected_suggestion()
            return
        match = self.selected_match()
        if match is not None:
            self.remove(match.id, match.version_id)

    def change_status(self, status: str, reason: str = "") -> bool:
        match = self.selected_match()
        if match is None:
            return False
        return self.run_change(
            f"Set match status to {status}",
            lambda s: set_status(s, match.id, status, reason=reason, expected_version=match.version_id),
        )

    def toggle_lock(self) -> None:
        match = self.selected_match()
        if match is not None:
            locked = not match.locked
            self.run_change(
                "Lock match" if locked else "Unlock match",
                lambda s: set_locked(s, match.id, locked, expected_version=match.version_id),
            )

    def ask_end_reason(self) -> str | None:
        """The reason a match ended early: chosen from a list or typed (tests replace this)."""
        text, ok = QInputDialog.getItem(
            self,
            "End match early",
            "Why did the match end early? Choose a reason or type your own:",
            list(END_REASONS),
            0,
            True,
        )
        return text.strip() if ok and text.strip() else None

    def end_early(self) -> None:
        if self.selected_match() is None:
            return
        reason = self.ask_end_reason()
        if reason:
            self.change_status("ended_early", reason)

    def ask_exclude_reason(self, mentee: ParticipantData, mentor: ParticipantData) -> str | None:
        """Confirm an exclusion and ask for an optional note; None to cancel (tests replace this)."""
        text, ok = QInputDialog.getText(
            self,
            "Exclude this pair",
            f"{mentee.full_name} will never be matched with {mentor.full_name}, and suggestions will avoid "
            "the pair.\nWhy? (optional, for your records)",
        )
        return text.strip() if ok else None

    def exclude_selected(self) -> None:
        data = self.state.data
        mentee_id, mentor_id = self.selected_mentee_id(), self.selected_mentor_id()
        if data is None or mentee_id is None or mentor_id is None:
            return
        reason = self.ask_exclude_reason(data.people[mentee_id], data.people[mentor_id])
        if reason is None:
            return
        suggestion = self.state.suggestions.get(mentee_id)
        if suggestion is not None and suggestion.mentor_id == mentor_id:
            del self.state.suggestions[mentee_id]
        self.run_change("Exclude pair", lambda s: exclude_pair(s, mentee_id, mentor_id, reason=reason))

    def confirm_all(self) -> None:
        data = self.state.data
        if data is None:
            return
        cohort_id = data.cohort_id
        self.run_change("Confirm all proposed matches", lambda s: confirm_all_proposed(s, cohort_id))

    # -- suggestions -------------------------------------------------------------------------
    def suggest(self) -> None:
        if self.state.data is None or self._thread is not None:
            return
        self._thread, self._worker = start_worker(self.ctx.db, self.state.data.cohort_id, self)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_suggestions)
        self._worker.failed.connect(self._on_suggest_failed)
        self._thread.finished.connect(self._thread_done)
        self.banner_label.setText("Looking for the best matches for everyone still unmatched…")
        self.progress.setValue(0)
        self.progress.show()
        for button in self.banner_buttons:
            button.hide()
        self.banner.show()
        self.ctx.show_status("Suggesting matches…")
        self._update_actions()

    def is_suggesting(self) -> bool:
        return self._thread is not None

    def _on_progress(self, fraction: float) -> None:
        self.progress.setValue(int(fraction * 1000))

    def _thread_done(self) -> None:
        if self._thread is not None:
            self._thread.deleteLater()
        self._thread, self._worker = None, None
        self._update_actions()

    def stop_worker(self) -> None:
        """Wait for a running matcher before the application quits."""
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()

    def _on_suggest_failed(self, message: str) -> None:
        self._hide_banner()
        self.refuse(f"Suggesting matches failed: {message}")

    def _on_suggestions(self, pairs: list[Suggested], unmatched: list[tuple[int, str]]) -> None:
        self.state.suggestions = {s.mentee_id: s for s in pairs}
        self._prune_suggestions()
        self._show_suggestion_banner(unmatched)
        self.mentor_view.doItemsLayout()
        self._apply_filters()
        n = len(self.state.suggestions)
        self.ctx.show_status(
            f"{_plural(n, 'suggested match', 'suggested matches')} shown with dashed outlines."
            if n
            else "The matcher found no further pairs that keep the rules."
        )

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
            self._hide_banner()
            return
        total = sum(s.score for s in self.state.suggestions.values())
        text = (
            f"<b>{_plural(n, 'suggested match', 'suggested matches')}</b> (dashed outlines, total "
            f"compatibility {total:.2f}). Select one to accept or reject it, or take them all."
        )
        tip = ""
        if unmatched:
            text += f" {_plural(len(unmatched), 'mentee')} could not be placed under the rules (hover for why)."
            lines = [
                f"{data.people[pid].full_name}: {reason}"
                for pid, reason in unmatched[:12]
                if data and pid in data.people
            ]
            if len(unmatched) > 12:
                lines.append(f"… and {len(unmatched) - 12} more")
            tip = "\n".join(lines)
        self.banner_label.setText(text)
        self.banner_label.setToolTip(tip)
        self.progress.hide()
        for button in self.banner_buttons:
            button.show()
        self.banner.show()
        self._update_actions()

    def _hide_banner(self) -> None:
        self.banner.hide()
        self.progress.hide()

    def _accept(self, pairs: list[Suggested]) -> bool:
        data = self.state.data
        if data is None or not pairs:
            return False
        cohort_id = data.cohort_id
        keys = [(s.mentee_id, s.mentor_id) for s in pairs]
        scores = {(s.mentee_id, s.mentor_id): StoredScore(s.score, tuple(s.reasons)) for s in pairs}
        text = (
            f"Accept the suggested match of {data.people[pairs[0].mentee_id].full_name}"
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
        self.ctx.show_status(f"Rejected the suggestion for {self.state.person(suggestion.mentee_id).full_name}.")
        self._prune_suggestions()
        self._apply_filters()

    def reject_all_suggestions(self) -> None:
        n = len(self.state.suggestions)
        self.state.suggestions.clear()
        self.state.selected_suggestion = None
        self._hide_banner()
        self.ctx.show_status(f"Rejected {_plural(n, 'suggestion')}.")
        self._apply_filters()

    # -- menus and enabled state ---------------------------------------------------------------
    def popup(self, menu: QMenu, where: QPoint) -> None:
        """Show a context menu and wait for the choice (tests replace this)."""
        menu.exec(where)

    def _mentee_menu(self, pos: QPoint) -> None:
        index = self.mentee_view.indexAt(pos)
        if not index.isValid():
            return
        self.mentee_view.setCurrentIndex(index)
        menu = QMenu(self)
        menu.addAction(self.match_action)
        menu.addAction(self.exclude_action)
        self.popup(menu, self.mentee_view.viewport().mapToGlobal(pos))

    def _mentor_menu(self, pos: QPoint) -> None:
        index = self.mentor_view.indexAt(pos)
        if not index.isValid():
            return
        self.mentor_view.setCurrentIndex(index)
        hit = self.mentor_view.slot_at(pos)
        self.mentor_view.choose_slot(hit[1] if hit and hit[1].kind != "free" else None)
        menu = QMenu(self)
        if self.selected_suggestion() is not None:
            actions = [self.accept_action, self.reject_action, None, self.exclude_action]
        elif self.selected_match() is not None:
            actions = [
                self.confirm_action,
                self.active_action,
                self.complete_action,
                self.end_action,
                None,
                self.lock_action,
                self.move_action,
                self.unmatch_action,
                None,
                self.exclude_action,
            ]
        else:
            actions = [self.match_action, self.exclude_action]
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        self.popup(menu, self.mentor_view.viewport().mapToGlobal(pos))

    def _update_actions(self) -> None:
        data = self.state.data
        live = data is not None and self.isVisible()
        match = self.selected_match() if live else None
        suggestion = self.selected_suggestion() if live else None
        mentee_id = self.selected_mentee_id() if live else None
        mentor_id = self.selected_mentor_id() if live else None
        current = match is not None and match.is_current
        movable = current and match.status in MOVABLE and not match.locked
        self.match_action.setEnabled(live and mentee_id is not None and match is None)
        self.move_action.setEnabled(movable)
        self.unmatch_action.setEnabled(movable)
        self.confirm_action.setEnabled(match is not None and match.status == "proposed")
        self.lock_action.setEnabled(current)
        self.lock_action.setText("Un&lock match" if match is not None and match.locked else "&Lock match")
        self.active_action.setEnabled(match is not None and match.status in ("proposed", "confirmed"))
        self.complete_action.setEnabled(match is not None and match.status in ("confirmed", "active"))
        self.end_action.setEnabled(current)
        excludable = (
            live
            and mentee_id is not None
            and mentor_id is not None
            and mentee_id != mentor_id
            and (mentor_id, mentee_id) not in data.excluded
            and (match is None or (match.status == "proposed" and not match.locked))
        )
        self.exclude_action.setEnabled(bool(excludable))
        proposed = live and any(m.status == "proposed" for m in data.matches.values())
        self.confirm_all_action.setEnabled(bool(proposed))
        self.confirm_all_button.setEnabled(bool(proposed))
        self.suggest_action.setEnabled(live and self._thread is None and bool(data.unmatched_mentee_ids()))
        self.suggest_button.setEnabled(self.suggest_action.isEnabled())
        self.accept_action.setEnabled(suggestion is not None)
        self.reject_action.setEnabled(suggestion is not None)
        self.accept_all_action.setEnabled(live and bool(self.state.suggestions))
        self.reject_all_action.setEnabled(live and bool(self.state.suggestions))
