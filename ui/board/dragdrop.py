"""Dragging a mentee onto a mentor (or back to the unmatched list): the hint on the card, then the change.

Whether a drop is allowed is never decided here: :class:`DropGuide` asks
:func:`mentorapp.matching.actions.pairing_refusal` against what the board shows
(the card says "not allowed" and why while the mouse is over it), and the
change itself is an action of :mod:`mentorapp.matching.actions`, which asks the
same function again against the database. The guide also holds the cohort's
scorer, built on the task runner so the GUI thread never waits for it: until
it is ready, hints and the details pane show no score.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from mentorapp.matching.actions import (
    Refusal,
    create_match,
    move_match,
    pairing_refusal,
    removal_refusal,
    unmatch,
)
from mentorapp.matching.board import BoardData, BoardMatch
from mentorapp.matching.rules import RuleContext
from mentorapp.matching.scoring import PairScore, Scorer, weights_for
from mentorapp.people.participants import ParticipantData
from mentorapp_ui.app.tasks import Task, run_task
from mentorapp_ui.board.mime import DragPayload
from mentorapp_ui.board.models import DropHint

# What a card says while a mentee is dragged over it and a rule would break.
SHORT_RULES = {
    "full": "Full",
    "same_org": "Same organisation",
    "excluded": "Excluded pair",
    "self": "Same person",
    "not_mentor": "Not a mentor",
    "not_mentee": "Not a mentee",
}


class DropGuide(QObject):
    """Scores and refusals for the board as it is shown; ``scores_ready`` once the scorer is built."""

    scores_ready = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.data: BoardData | None = None
        self._rules = RuleContext(excluded=set(), load={})
        self._hints: dict[tuple[int, int | None, int], DropHint] = {}
        self._scorer: Scorer | None = None
        self._scorer_key: tuple[Any, ...] | None = None
        self._task: Task | None = None

    def set_data(self, data: BoardData | None) -> None:
        """The board was (re)loaded: rules from it, and a new scorer if the people changed."""
        self.data = data
        self._hints.clear()
        if data is None:
            return
        self._rules = data.rule_context()
        self._build_scorer(data)

    # -- scores ------------------------------------------------------------------------
    def _build_scorer(self, data: BoardData) -> None:
        """Build the scorer for ``data`` on the task runner (a second on 10,000 people)."""
        key = (data.cohort_id, data.signature, tuple(data.career_stages))
        if self._scorer_key == key:
            return
        self._scorer_key, self._scorer = key, None
        if self._task is not None:
            self._task.abandon()
        people = data.people
        mentees = [people[i] for i in data.mentee_ids]
        mentors = [people[i] for i in data.mentor_ids]
        weights = weights_for(data.settings)
        stages = list(data.career_stages)
        history = data.history  # former pairs: their reason, and the bonus where the cohort prefers them

        def done(scorer: Scorer) -> None:
            if self._scorer_key == key:
                self._scorer, self._task = scorer, None
                self._hints.clear()
                self.scores_ready.emit()

        self._task = run_task(
            lambda _report, _cancelled: Scorer(mentees, mentors, weights, stages=stages, history=history),
            self,
            on_done=done,
            cancellable=False,
        )

    def scorer(self) -> Scorer | None:
        """The cohort's scorer, or None while it is still being built."""
        return self._scorer

    def is_ready(self) -> bool:
        return self.data is None or self._scorer is not None

    def pair_score(self, mentee_id: int, mentor_id: int) -> PairScore | None:
        scorer = self._scorer
        if scorer is None or mentee_id not in scorer.mentee_index or mentor_id not in scorer.mentor_index:
            return None
        return scorer.score(mentee_id, mentor_id)

    def scores_for(self, mentee_id: int) -> dict[int, float]:
        """The mentee's score with every mentor (empty while the scorer is being built)."""
        scorer = self._scorer
        if scorer is None or mentee_id not in scorer.mentee_index:
            return {}
        row = scorer.matrix([scorer.mentee_index[mentee_id]])[0]
        return {p.id: float(row[j]) for j, p in enumerate(scorer.mentors)}

    # -- refusals and hints -----------------------------------------------------------
    def refusal(self, mentee_id: int, mentor_id: int, moving: BoardMatch | None = None) -> Refusal | None:
        """Why ``mentee_id`` may not go to ``mentor_id`` (as a new match, or ``moving`` theirs); None if allowed."""
        assert self.data is not None
        people = self.data.people
        return pairing_refusal(people[mentee_id], people[mentor_id], self._rules, moving=moving)

    def hint(self, payload: DragPayload, mentor_id: int) -> DropHint:
        """What dropping ``payload`` on ``mentor_id`` would do (kept while dragging)."""
        key = (payload.mentee_id, payload.match_id, mentor_id)
        hint = self._hints.get(key)
        if hint is None:
            hint = self._hints[key] = self.compute_hint(payload, mentor_id)
        return hint

    def compute_hint(
        self, payload: DragPayload, mentor_id: int, score: float | None = None, *, compute: bool = True
    ) -> DropHint:
        """The hint for one target; with ``compute`` False the given ``score`` is used (the chooser has them)."""
        data = self.data
        if data is None or payload.cohort_id not in (None, data.cohort_id) or payload.mentee_id not in data.people:
            return DropHint(mentor_id, False, None, "this person is not in the cohort shown")
        match = data.matches.get(payload.match_id) if payload.match_id is not None else None
        if payload.match_id is not None and match is None:
            return DropHint(mentor_id, False, None, "this match no longer exists")
        if compute:
            pair = self.pair_score(payload.mentee_id, mentor_id)
            score = pair.total if pair is not None else None
        refusal = self.refusal(payload.mentee_id, mentor_id, match)
        if refusal is None:
            return DropHint(mentor_id, True, score, "")
        short = " · ".join(dict.fromkeys(SHORT_RULES.get(v.code, v.code) for v in refusal.violations))
        return DropHint(mentor_id, False, score, refusal.phrase, refusal.overridable, short)


class DragDropMixin:
    """The board page's drops and the changes they ask for.

    Mixed into :class:`mentorapp_ui.board.page.BoardPage`, which provides
    ``ctx``, ``state``, ``guide`` (a :class:`DropGuide`), ``details`` (the compare
    pane), ``_show_details``, ``run_change``, ``refresh`` and ``refuse``.
    """

    ctx: Any
    state: Any
    guide: DropGuide
    details: Any
    _show_details: Callable[[], None]
    _status_key: tuple[int, int | None, int] | None
    run_change: Callable[..., bool]
    refresh: Callable[[], None]
    refuse: Callable[[str], None]
    mentee_view: Any
    mentor_view: Any
    _update_actions: Callable[[], None]

    def hint_for(self, payload: DragPayload, mentor_id: int) -> DropHint:
        """What dropping ``payload`` on ``mentor_id`` would do; the status bar says it in full."""
        hint = self.guide.hint(payload, mentor_id)
        key = (payload.mentee_id, payload.match_id, mentor_id)
        if key != self._status_key:
            self._status_key = key
            self._say_hint(hint)
        return hint

    def preview_drop(self, payload: DragPayload | None, mentor_id: int | None) -> None:
        """While dragging, the compare pane shows the dragged mentee with the mentor under the cursor;
        once the drag leaves the mentors (or drops), the selection again."""
        data = self.state.data
        mentee = data.people.get(payload.mentee_id) if data is not None and payload is not None else None
        mentor = data.people.get(mentor_id) if data is not None and mentor_id is not None else None
        if mentee is None or mentor is None or payload is None or mentor_id is None:
            self._show_details()
            return
        hint = self.guide.hint(payload, mentor_id)
        pair = self.guide.pair_score(mentee.id, mentor.id)
        self.details.show_pair(
            mentee,
            mentor,
            dropping=hint,
            score=pair.total if pair is not None else None,
            reasons=pair.reasons if pair is not None else None,
            problems=[] if hint.allowed else [hint.message],
        )

    def _say_hint(self, hint: DropHint) -> None:
        """The card has room for a word or two; the status bar says it in full."""
        if hint.allowed:
            mentor = self.state.person(hint.mentor_id).titled_name
            score = f" (compatibility {hint.score:.2f})" if hint.score is not None else ""
            self.ctx.show_status(f"Drop to match with {mentor}{score}.")
        elif hint.overridable:
            self.ctx.show_status(f"{hint.message}. Drop to decide whether to match them anyway.")
        else:
            self.ctx.show_status(f"Not allowed: {hint.message}.")

    def say_unmatch(self, payload: DragPayload) -> None:
        """A matched mentee dragged over the unmatched list: the status bar says what a drop there does."""
        self._status_key = None  # back over a mentor, its hint is said again
        data = self.state.data
        match = data.matches.get(payload.match_id) if data is not None and payload.match_id is not None else None
        if match is None:
            return
        mentee, mentor = data.people[match.mentee_id].titled_name, data.people[match.mentor_id].titled_name
        refusal = removal_refusal(match, mentee)
        if refusal is not None:
            self.ctx.show_status(f"Not allowed: {refusal.message}")
        else:
            self.ctx.show_status(f"Drop to unmatch {mentee} from {mentor}.")

    def confirm_override(self, mentee: ParticipantData, mentor: ParticipantData) -> bool:
        """Ask before matching two people from the same organisation (tests replace this)."""
        answer = QMessageBox.question(
            self,  # type: ignore[arg-type]
            "Same organisation",
            f"{mentee.titled_name} and {mentor.titled_name} both work at {mentor.organisation}.\n\n"
            "The scheme avoids such pairs because of possible line-management relationships. "
            "Match them anyway? The match will record that you decided this.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _check_drop(self, payload: DragPayload, mentor_id: int) -> bool | None:
        """None to refuse; otherwise whether the same-organisation override was confirmed."""
        hint = self.guide.compute_hint(payload, mentor_id)
        if hint.allowed:
            return False
        data = self.state.data
        assert data is not None
        mentee, mentor = data.people.get(payload.mentee_id), data.people.get(mentor_id)
        if hint.overridable and mentee is not None and mentor is not None:
            if self.confirm_override(mentee, mentor):
                return True
            self.refuse(f"Not matched: {mentee.titled_name} and {mentor.titled_name} work at the same organisation.")
            return None
        who = f"{mentee.titled_name} with {mentor.titled_name}" if mentee and mentor else "this pair"
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
        score = self.guide.pair_score(mentee_id, mentor_id)
        return self.run_change(
            f"Match {mentee.titled_name} with {mentor.titled_name}",
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
        score = self.guide.pair_score(match.mentee_id, mentor_id)
        mentee, mentor = data.people[match.mentee_id], data.people[mentor_id]
        return self.run_change(
            f"Move {mentee.titled_name} to {mentor.titled_name}",
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
        name = data.people[match.mentee_id].titled_name
        refusal = removal_refusal(match, name)
        if refusal is not None:
            self.refuse(refusal.message)
            return False
        return self.run_change(f"Unmatch {name}", lambda s: unmatch(s, match_id, expected_version=version))

    def _dropped_on_mentor(self, payload: DragPayload, mentor_id: int) -> None:
        if payload.match_id is not None:
            done = self.move(payload.match_id, payload.match_version, mentor_id)
        else:
            done = self.match_pair(payload.mentee_id, mentor_id)
        if not done:
            self.show_refused_drop(payload, mentor_id)

    def show_refused_drop(self, payload: DragPayload, mentor_id: int) -> None:
        """After a refused drop the compare pane keeps the mentee with the mentor it was dropped on
        (and why not), not with whichever mentor was selected before the drag."""
        data = self.state.data
        if data is None or payload.mentee_id not in data.people or mentor_id not in data.people:
            return
        if payload.match_id is None:  # an unmatched mentee: the pair shown is the one selected
            self.mentee_view.select_id(payload.mentee_id)
            self.state.selected_match_id = self.state.selected_suggestion = None
        self.mentor_view.select_id(mentor_id)
        self.mentor_view.viewport().update()
        self._update_actions()
        hint = self.guide.compute_hint(payload, mentor_id)
        pair = self.guide.pair_score(payload.mentee_id, mentor_id)
        self.details.show_pair(
            data.people[payload.mentee_id],
            data.people[mentor_id],
            score=pair.total if pair is not None else None,
            reasons=pair.reasons if pair is not None else None,
            problems=[] if hint.allowed else [hint.message],
            former=former.sentence() if (former := self.state.former(payload.mentee_id, mentor_id)) else "",
        )

    def _dropped_on_unmatched(self, payload: DragPayload) -> None:
        if payload.match_id is not None:
            self.remove(payload.match_id, payload.match_version)
