"""Cohort > Matching weights…: how much each part of a pair's score counts, for one cohort.

Each weight (mentorapp.matching.weights.WEIGHTS) has a label, a spin box and a line saying
what it rewards; penalties are shown as positive amounts. OK saves them through the core in
one transaction on the undo stack (the activity log records it and the cohort's proposed and
confirmed matches are rescored, so the board shows the new scores); Undo puts the old back.
Below the weights, what to do with people who were a pair in an earlier cohort (avoid,
prefer, ignore: mentorapp.matching.history), saved with them as one step.
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from mentorapp.matching.history import DEFAULT_MODE, MODE_LABELS, MODES, mode_of
from mentorapp.matching.scoring import DEFAULT_WEIGHTS
from mentorapp.matching.weights import WEIGHTS, cohort_weights, set_former_pairs, set_weights, shown
from mentorapp.store.models import Cohort
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.undo import DbCommand, push_command
from mentorapp_ui.app.widgets import ErrorLabel


class WeightsDialog(QDialog):
    """One spin box per weight; ``chosen()`` gives them as the core takes them."""

    def __init__(
        self,
        cohort_name: str,
        weights: dict[str, float],
        parent: QWidget | None = None,
        former_mode: str = DEFAULT_MODE,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("weightsDialog")
        self.setWindowTitle(f"Matching weights — {cohort_name}")
        intro = QLabel(
            "How much each part counts in a pair's score (0 leaves it out). Saving rescores the proposed "
            "and confirmed matches; active and ended matches keep the score they were made with."
        )
        intro.setWordWrap(True)
        grid = QGridLayout()
        grid.setColumnStretch(2, 1)
        self.spins: dict[str, QDoubleSpinBox] = {}
        for row, weight in enumerate(WEIGHTS):
            spin = QDoubleSpinBox()
            spin.setObjectName(f"weight_{weight.key}")
            whole = weight.high > 1
            spin.setRange(weight.low, weight.high)
            spin.setDecimals(0 if whole else 2)
            spin.setSingleStep(1 if whole else 0.05)
            spin.setValue(shown(weight.key, weights[weight.key]))
            spin.setAccessibleName(weight.label)
            spin.setAccessibleDescription(weight.explanation)
            label = QLabel(weight.label + ":")
            label.setBuddy(spin)
            explanation = QLabel(weight.explanation)
            explanation.setStyleSheet("color: palette(placeholder-text);")
            grid.addWidget(label, row, 0)
            grid.addWidget(spin, row, 1)
            grid.addWidget(explanation, row, 2)
            self.spins[weight.key] = spin
        self.former = QComboBox()
        self.former.setObjectName("formerPairs")
        for mode in MODES:
            self.former.addItem(MODE_LABELS[mode], mode)
        self.former.setCurrentIndex(MODES.index(former_mode))
        self.former.setAccessibleName("People paired in an earlier cohort")
        former_label = QLabel("People paired in an earlier cohort:")
        former_label.setBuddy(self.former)
        former_note = QLabel("A pair whose match ended early is never proposed again, whatever this says.")
        former_note.setStyleSheet("color: palette(placeholder-text);")
        row = len(WEIGHTS)
        grid.addWidget(former_label, row, 0)
        grid.addWidget(self.former, row, 1, 1, 2)
        grid.addWidget(former_note, row + 1, 1, 1, 2)
        self.error = ErrorLabel()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.restore_button = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        self.restore_button.setText("Restore &defaults")  # as every dialog says it (Qt's is "Restore Defaults")
        self.restore_button.clicked.connect(self.restore_defaults)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    @Slot()
    def restore_defaults(self) -> None:
        for key, spin in self.spins.items():
            spin.setValue(shown(key, DEFAULT_WEIGHTS[key]))
        self.former.setCurrentIndex(MODES.index(DEFAULT_MODE))

    def former_mode(self) -> str:
        """What to do with former pairs (avoid, prefer, ignore)."""
        return str(self.former.currentData())

    def chosen(self) -> dict[str, float]:
        """The weights as typed (penalties positive: the core stores them negative)."""
        return {key: spin.value() for key, spin in self.spins.items()}


def edit_weights(ctx: AppContext, cohort_id: int, parent: QWidget | None = None) -> bool:
    """Show the dialog; True when new weights were saved (one step on the undo stack)."""
    with ctx.db.session() as s:
        cohort = s.get(Cohort, cohort_id)
        if cohort is None:
            return False
        name, before, mode_before = cohort.name, cohort_weights(s, cohort_id), mode_of(cohort.settings)
    dialog = WeightsDialog(name, before, parent, mode_before)
    try:
        while dialog.exec():
            chosen, mode = dialog.chosen(), dialog.former_mode()
            if mode == mode_before and all(abs(shown(k, before[k]) - v) < 1e-9 for k, v in chosen.items()):
                return False  # nothing changed: no step to undo

            def do(session: Session, _cmd: DbCommand, chosen: dict[str, float] = chosen, mode: str = mode) -> None:
                set_weights(session, cohort_id, chosen)
                set_former_pairs(session, cohort_id, mode)

            def undo(session: Session, _cmd: DbCommand) -> None:
                set_weights(session, cohort_id, before)
                set_former_pairs(session, cohort_id, mode_before)

            command = DbCommand(ctx, f"Change the matching weights of {name}", do, undo)
            if push_command(ctx, command):
                return True
            dialog.error.show_error(str(command.error))
        return False
    finally:
        dialog.deleteLater()
