"""The board's commands: menu items, shortcuts, context menus, and the changes they ask for.

Every command asks :mod:`mentorapp.matching.actions` (the ``*_refusal``
functions) whether it applies to the selection, to enable it, and runs one of
its actions as an undoable change; nothing here decides a rule.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QPoint
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QInputDialog, QMenu
from sqlalchemy.orm import Session

from mentorapp.errors import UserError
from mentorapp.matching.actions import (
    confirm_all_proposed,
    exclude_pair,
    exclusion_refusal,
    lock_refusal,
    moving_refusal,
    removal_refusal,
    set_locked,
    set_status,
    status_refusal,
)
from mentorapp.matching.board import BoardMatch
from mentorapp.matching.changes import MatchChange
from mentorapp.people.participants import ParticipantData
from mentorapp_ui.app.actions import ActionSpec
from mentorapp_ui.board.chooser import ChoiceRow, MentorChooser
from mentorapp_ui.board.dragdrop import DropGuide
from mentorapp_ui.board.mime import DragPayload
from mentorapp_ui.board.models import Suggested
from mentorapp_ui.running.board_support import LOGGABLE, end_early, open_meetings

# The Match menu's groups (ui/app/actions.py MENUS puts a separator between them).
MENU_SECTIONS = {
    **dict.fromkeys(("match", "move", "unmatch"), "pairs"),
    **dict.fromkeys(("confirm", "confirm_all", "lock"), "status"),
    **dict.fromkeys(("active", "complete", "end_early", "log_meeting", "exclude"), "lifecycle"),
    **dict.fromkeys(("suggest", "accept", "reject", "accept_all", "reject_all"), "suggestions"),
}


class BoardCommandsMixin:
    """The board page's actions.

    Mixed into :class:`mentorapp_ui.board.page.BoardPage`, which provides
    ``ctx``, ``state``, ``guide``, the two views, ``filters``, the selection
    (``selected_match`` …), ``run_change``, ``refuse``, ``match_pair``, ``move``
    and ``remove``, and the suggestion commands.
    """

    ctx: Any
    state: Any
    guide: DropGuide
    mentee_view: Any
    mentor_view: Any
    filters: Any
    confirm_all_button: Any
    suggest_button: Any
    _task: Any
    run_change: Callable[..., bool]
    refuse: Callable[[str], None]
    match_pair: Callable[[int, int], bool]
    move: Callable[[int, int | None, int], bool]
    remove: Callable[[int, int | None], bool]
    selected_match: Callable[[], BoardMatch | None]
    selected_suggestion: Callable[[], Suggested | None]
    selected_mentee_id: Callable[[], int | None]
    selected_mentor_id: Callable[[], int | None]
    suggest: Callable[[], None]
    accept_selected_suggestion: Callable[[], None]
    reject_selected_suggestion: Callable[[], None]
    accept_all_suggestions: Callable[[], None]
    reject_all_suggestions: Callable[[], None]
    declare: Callable[[ActionSpec], QAction]
    isVisible: Callable[[], bool]

    # -- declaring -----------------------------------------------------------------------
    def _action(
        self, id: str, text: str, slot: Callable[[], object], shortcut: str | None = None, tip: str = ""
    ) -> QAction:
        """Declare one of the board's actions in the registry: in the Match menu, its key on this page only."""
        native = QKeySequence(shortcut).toString(QKeySequence.SequenceFormat.NativeText) if shortcut else ""
        return self.declare(
            ActionSpec(
                f"board.{id}",
                text,
                slot,
                keys=(shortcut,) if shortcut else (),
                places=(f"Match/{MENU_SECTIONS[id]}",),
                status_tip=tip,
                tool_tip=f"{tip} ({native})" if shortcut and tip else tip,
            )
        )

    def _build_actions(self) -> None:
        """The Match menu, in this order (the registry places them; their keys work while the board has the focus)."""
        a = self._action
        self.match_action = a(
            "match",
            "&Match with a mentor…",
            self.match_selected,
            "Ctrl+M",
            "Choose a mentor for the selected mentee, best matches first",
        )
        self.move_action = a(
            "move",
            "Mo&ve to another mentor…",
            self.move_selected,
            "Ctrl+Shift+M",
            "Give the selected mentee another mentor",
        )
        self.unmatch_action = a(
            "unmatch",
            "&Unmatch",
            self.unmatch_selected,
            "Del",
            "Remove the selected match; the mentee goes back to the unmatched list",
        )
        self.confirm_action = a(
            "confirm",
            "&Confirm match",
            lambda: self.change_status("confirmed"),
            "Ctrl+K",
            "Confirm the selected proposed match",
        )
        self.confirm_all_action = a(
            "confirm_all",
            "Confirm &all proposed",
            self.confirm_all,
            "Ctrl+Shift+K",
            "Confirm every proposed match of the cohort",
        )
        self.lock_action = a(
            "lock",
            "&Lock match",
            self.toggle_lock,
            "Ctrl+L",
            "Locked matches cannot be moved and are kept by suggestions",
        )
        self.active_action = a(
            "active", "Mark &active", lambda: self.change_status("active"), None, "The pair has started meeting"
        )
        self.complete_action = a(
            "complete", "Co&mplete", lambda: self.change_status("completed"), None, "The mentoring has run its course"
        )
        self.end_action = a(
            "end_early", "&End early…", self.end_early, None, "End the pair early (why, who, when), then rematch"
        )
        self.log_meeting_action = a(
            "log_meeting", "Log a mee&ting…", self.log_meeting, "Ctrl+T", "The pair's meeting log: log a meeting"
        )
        self.exclude_action = a(
            "exclude",
            "E&xclude this pair…",
            self.exclude_selected,
            None,
            "Never match these two; suggestions will avoid them",
        )
        self.suggest_action = a(
            "suggest",
            "&Suggest matches",
            self.suggest,
            "Ctrl+G",
            "Let the matcher propose the best pairs for everyone still unmatched",
        )
        self.accept_action = a(
            "accept",
            "Acce&pt suggestion",
            self.accept_selected_suggestion,
            "Ctrl+Return",
            "Turn the selected suggestion into a proposed match",
        )
        self.reject_action = a(
            "reject",
            "&Reject suggestion",
            self.reject_selected_suggestion,
            "Ctrl+Backspace",
            "Drop the selected suggestion",
        )
        self.accept_all_action = a(
            "accept_all",
            "Accept all su&ggestions",
            self.accept_all_suggestions,
            "Ctrl+Shift+Return",
            "Turn every suggestion into a proposed match (one undo step)",
        )
        self.reject_all_action = a(
            "reject_all", "Reject all suggestions", self.reject_all_suggestions, None, "Drop every suggestion"
        )
        # Ctrl+F: the search field, in no menu.
        self.declare(
            ActionSpec("board.find", "Search the board", self.filters_focus, keys=(QKeySequence.StandardKey.Find,))
        )

    def filters_focus(self) -> None:
        self.filters.focus_search()

    # -- context menus --------------------------------------------------------------------
    def popup(self, menu: QMenu, where: QPoint) -> None:
        """Show a context menu and wait for the choice (tests replace this)."""
        menu.exec(where)

    def _mentee_menu(self, pos: QPoint) -> None:
        index = self.mentee_view.indexAt(pos)
        if not index.isValid():
            return
        self.mentee_view.setCurrentIndex(index)
        menu = QMenu(self)  # type: ignore[call-overload]
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
        menu = QMenu(self)  # type: ignore[call-overload]
        if self.selected_suggestion() is not None:
            actions = [self.accept_action, self.reject_action, None, self.exclude_action]
        elif self.selected_match() is not None:
            actions = [
                self.confirm_action,
                self.active_action,
                self.complete_action,
                self.end_action,
                self.log_meeting_action,
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

    # -- enabled state ------------------------------------------------------------------------
    def _update_actions(self) -> None:
        data = self.state.data
        live = data is not None and self.isVisible()
        match = self.selected_match() if live else None
        suggestion = self.selected_suggestion() if live else None
        mentee_id = self.selected_mentee_id() if live else None
        mentor_id = self.selected_mentor_id() if live else None

        def allows(refusal: Callable[[BoardMatch], object]) -> bool:
            return match is not None and refusal(match) is None

        name = data.people[match.mentee_id].titled_name if match is not None else ""
        self.match_action.setEnabled(live and mentee_id is not None and match is None)
        self.move_action.setEnabled(allows(lambda m: moving_refusal(m, name)))
        self.unmatch_action.setEnabled(allows(lambda m: removal_refusal(m, name)))
        self.confirm_action.setEnabled(allows(lambda m: status_refusal(m, "confirmed", name)))
        self.lock_action.setEnabled(allows(lambda m: lock_refusal(m, name)))
        self.lock_action.setText("Un&lock match" if match is not None and match.locked else "&Lock match")
        self.active_action.setEnabled(allows(lambda m: status_refusal(m, "active", name)))
        self.complete_action.setEnabled(allows(lambda m: status_refusal(m, "completed", name)))
        self.end_action.setEnabled(allows(lambda m: status_refusal(m, "ended_early", name)))
        self.log_meeting_action.setEnabled(match is not None and match.status in LOGGABLE)
        # The selected pair's flags (pairs at risk), with the actions that apply to it.
        self.details.show_flags(self.state.at_risk.get(match.id, []) if match is not None else [])
        excludable = (
            live
            and mentee_id is not None
            and mentor_id is not None
            and exclusion_refusal(data.people[mentee_id], data.people[mentor_id], data.excluded, match) is None
        )
        self.exclude_action.setEnabled(bool(excludable))
        proposed = live and any(m.status == "proposed" for m in data.matches.values())
        self.confirm_all_action.setEnabled(bool(proposed))
        self.confirm_all_button.setEnabled(bool(proposed))
        self.suggest_action.setEnabled(live and self._task is None and bool(data.unmatched_mentee_ids()))
        self.suggest_button.setEnabled(self.suggest_action.isEnabled())
        self.accept_action.setEnabled(suggestion is not None)
        self.reject_action.setEnabled(suggestion is not None)
        self.accept_all_action.setEnabled(live and bool(self.state.suggestions))
        self.reject_all_action.setEnabled(live and bool(self.state.suggestions))

    # -- the keyboard path: choosing a mentor -------------------------------------------------
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
        scores = self.guide.scores_for(mentee_id)
        rows = []
        payload = DragPayload(
            mentee_id, match.id if match else None, match.version_id if match else None, data.cohort_id
        )
        for pid in data.mentor_ids:
            if pid == mentee_id or (match is not None and pid == match.mentor_id):
                continue
            p = data.people[pid]
            hint = self.guide.compute_hint(payload, pid, scores.get(pid), compute=False)
            rows.append(
                ChoiceRow(
                    pid,
                    p.titled_name,
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
            data.people[mentee_id].titled_name,
            self.choice_rows(mentee_id, match),
            moving=match is not None,
            parent=self,  # type: ignore[arg-type]
        )
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        chosen = dialog.chosen()
        if chosen is None:
            return
        if match is not None:
            done = self.move(match.id, match.version_id, chosen.mentor_id)
        else:
            done = self.match_pair(mentee_id, chosen.mentor_id)
        if done:  # the new match may be far down the mentors' list: bring its card into view
            row = self.mentor_view.list_model.row_of(chosen.mentor_id)
            if row >= 0:
                self.mentor_view.scrollTo(self.mentor_view.list_model.index(row, 0))

    # -- the selected match's lifecycle ---------------------------------------------------------
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

    def end_early(self) -> None:
        """Why, who and when in one dialog (mentorapp_ui.running), then the offer of a new mentor."""
        match = self.selected_match()
        if match is not None:
            end_early(self.ctx, match.id, self)  # type: ignore[arg-type]

    def log_meeting(self) -> None:
        match = self.selected_match()
        if match is not None:
            open_meetings(self.ctx, match.id, self)  # type: ignore[arg-type]

    def ask_exclude_reason(self, mentee: ParticipantData, mentor: ParticipantData) -> str | None:
        """Confirm an exclusion and ask for an optional note; None to cancel (tests replace this)."""
        text, ok = QInputDialog.getText(
            self,  # type: ignore[arg-type]
            "Exclude this pair",
            f"{mentee.titled_name} will never be matched with {mentor.titled_name}, and suggestions will avoid "
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

        def confirm(session: Session) -> MatchChange:
            change = confirm_all_proposed(session, cohort_id)
            if not change.match_ids:  # confirmed elsewhere meanwhile: no undo step for nothing
                raise UserError("There are no proposed matches to confirm any more; the board shows the cohort now.")
            return change

        self.run_change("Confirm all proposed matches", confirm)
