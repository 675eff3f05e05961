"""Start the scheme (the whole cohort or chosen pairs, on a day) and complete it: both undoable.

"Start the scheme…" makes confirmed pairs active from a day, usually the day the letters
went out (:func:`mentorapp.matching.actions.start_pairs`); "Complete the scheme…" marks the
active pairs completed at the evaluation date (:func:`~mentorapp.matching.actions.complete_pairs`).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from mentorapp.dates import long_date
from mentorapp.matching.actions import complete_pairs, start_pairs
from mentorapp.running.screens_support import PairRef, pairs_with_status
from mentorapp.store.models import Cohort
from mentorapp.words import plural
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.widgets import DateField, ErrorLabel
from mentorapp_ui.running.changes import push_change
from mentorapp_ui.running.day import today


class StartDialog(QDialog):
    """Which confirmed pairs start, and on which day (default today)."""

    def __init__(self, ctx: AppContext, cohort_id: int, pairs: list[PairRef], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cohort_id = cohort_id
        self.setObjectName("startDialog")
        self.setWindowTitle("Start the scheme")
        intro = QLabel(
            "Confirmed pairs become <b>active</b> from the day you give, usually the day the letters went out. "
            "The check-ins and the pairs-at-risk rules count from it."
        )
        intro.setWordWrap(True)
        self.everyone = QRadioButton(f"&Every confirmed pair ({len(pairs)})")
        self.everyone.setObjectName("startEveryone")
        self.chosen = QRadioButton("Only the pairs &ticked below")
        self.chosen.setObjectName("startChosen")
        self.everyone.setChecked(True)
        self.list = QListWidget()
        self.list.setObjectName("startPairs")
        self.list.setAccessibleName("Confirmed pairs")
        for pair in pairs:
            item = QListWidgetItem(f"{pair.mentee.name}  with  {pair.mentor.name}")
            item.setData(Qt.ItemDataRole.UserRole, pair.match_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.list.setEnabled(False)
        self.chosen.toggled.connect(self.list.setEnabled)
        self.day = DateField(today(), objectName="startDate")
        self.day.setToolTip("The day the pairs start (the letters' day)")
        # The pipeline counts letters sent: a pair started without its letter marked would leave a gap there.
        self.unsent = sum(1 for pair in pairs if pair.letter_sent_on is None)
        self.letters = QCheckBox(
            f"Their &letters went out that day: mark as sent the {plural(self.unsent, 'letter')} not marked yet"
        )
        self.letters.setObjectName("startLettersSent")
        self.letters.setChecked(True)
        self.letters.setVisible(self.unsent > 0)
        self.error = ErrorLabel()
        form = QFormLayout()
        form.addRow("Start &on:", self.day)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("&Start")
        self.ok.setEnabled(bool(pairs))
        buttons.accepted.connect(self.start)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.everyone)
        layout.addWidget(self.chosen)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.letters)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        if not pairs:
            self.error.show_error("There are no confirmed pairs to start; confirm the matches on the board first.")
        self.resize(560, 460)

    def chosen_ids(self) -> list[int] | None:
        """None for every confirmed pair, else the ticked ones."""
        if self.everyone.isChecked():
            return None
        return [
            self.list.item(n).data(Qt.ItemDataRole.UserRole)
            for n in range(self.list.count())
            if self.list.item(n).checkState() == Qt.CheckState.Checked
        ]

    def start(self) -> None:
        ids, day, cohort_id = self.chosen_ids(), self.day.date(), self.cohort_id
        letters = self.unsent > 0 and self.letters.isChecked()
        if ids == []:
            self.error.show_error("Tick at least one pair to start, or choose every confirmed pair.")
            return
        result = push_change(
            self.ctx, "Start pairs", lambda s: start_pairs(s, cohort_id, day, match_ids=ids, letters_sent=letters)
        )
        if isinstance(result, str):
            self.error.show_error(result)
            return
        self.accept()


def start_scheme(ctx: AppContext, parent: QWidget | None = None) -> StartDialog | None:
    """Open the start dialog for the current cohort."""
    if ctx.cohort_id is None:
        return None
    with ctx.db.session() as s:
        pairs = pairs_with_status(s, ctx.cohort_id, ("confirmed",))
    dialog = StartDialog(ctx, ctx.cohort_id, pairs, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def complete_question(name: str, active: int, day: dt.date, today: dt.date) -> str:
    """What completing asks; before the evaluation date it says so first (completing then is rarely meant)."""
    pairs = plural(active, "active pair")
    early = ""
    if today < day:
        days = (day - today).days
        early = (
            f"The evaluation date, {long_date(day)}, is still {plural(days, 'day')} away, "
            "and these pairs are still running.\n\n"
        )
    return (
        f"{early}Mark the {pairs} of '{name}' completed on {long_date(day)}, the evaluation date?\n\n"
        "Pairs that ended early stay as they are. Ctrl+Z takes it back."
    )


def ask_complete(parent: QWidget | None, question: str, early: bool) -> bool:
    """Confirm completing the active pairs (tests replace this); before the evaluation date as a warning."""
    ask = QMessageBox.warning if early else QMessageBox.question
    answer = ask(
        parent,
        "Complete the scheme",
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


def complete_scheme(ctx: AppContext, parent: QWidget | None = None, *, ask=ask_complete) -> bool:
    """Complete the active pairs of the current cohort at its evaluation date, after asking."""
    cohort_id = ctx.cohort_id
    if cohort_id is None:
        return False
    with ctx.db.session() as s:
        cohort = s.get(Cohort, cohort_id)
        if cohort is None:
            return False
        name, day = cohort.name, cohort.evaluation_date
        active = len(pairs_with_status(s, cohort_id, ("active",)))
    if not active:
        ctx.show_status(f"There are no active pairs to complete in '{name}'.")
        return False
    now = today()
    if not ask(parent, complete_question(name, active, day, now), now < day):
        return False
    return not isinstance(push_change(ctx, "Complete pairs", lambda s: complete_pairs(s, cohort_id)), str)


__all__ = ["StartDialog", "complete_scheme", "start_scheme"]
