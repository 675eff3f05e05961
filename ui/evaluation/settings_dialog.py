"""Evaluation > Evaluation settings…: the cohort's success criteria, comment themes and optional questions.

Criteria are rows of measure, question, whose answers, threshold and minimum number of
answers; the defaults are shown as defaults until changed. Themes are lines of
"Theme: keyword, keyword". OK saves everything through the core
(mentorapp.evaluation.settings) in one transaction on the undo stack.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mentorapp.errors import UserError
from mentorapp.evaluation.criteria import (
    CRITERION_KINDS,
    DEFAULT_CRITERIA,
    DEFAULT_MIN_N,
    SHARE_KINDS,
    check_criterion,
)
from mentorapp.evaluation.instrument import BENEFITS, ITEMS_BY_KEY
from mentorapp.evaluation.settings import EvaluationSettings, read_settings, write_settings
from mentorapp.evaluation.themes import DEFAULT_THEMES, check_theme
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.undo import DbCommand, push_command
from mentorapp_ui.app.widgets import ErrorLabel

KIND_LABELS = {
    "improved_share": "Share who improved",
    "mean_change": "Mean change",
    "mean": "Mean at six months",
    "yes_share": "Share answering yes",
    "response_rate": "Response rate",
}
ROLE_LABELS = {"mentee": "Mentees", "mentor": "Mentors", "all": "Everyone"}
MEAN_ITEMS = ("satisfaction", "mentor_learning_rating", *(b.key for b in BENEFITS))
KIND, ITEM, ROLE, THRESHOLD, MIN_N = range(5)


def _items_for(kind: str) -> list[tuple[str, str]]:
    if kind in ("improved_share", "mean_change"):
        return [(b.key, b.label) for b in BENEFITS]
    if kind == "mean":
        return [(k, ITEMS_BY_KEY[k].label) for k in MEAN_ITEMS]
    if kind == "yes_share":
        return [("would_recommend", ITEMS_BY_KEY["would_recommend"].label)]
    return [("baseline", "Baseline"), ("six_month", "Six months")]


class CriteriaTable(QTableWidget):
    """One criterion per row, every cell a widget with the allowed choices."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setObjectName("criteria")
        self.setHorizontalHeaderLabels(["Measure", "Question or stage", "Whose answers", "At least", "Minimum n"])
        self.horizontalHeader().setSectionResizeMode(ITEM, QHeaderView.ResizeMode.Stretch)
        for column, width in ((KIND, 190), (ROLE, 120), (THRESHOLD, 120), (MIN_N, 100)):
            self.setColumnWidth(column, width)
        self.verticalHeader().hide()
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def add(self, c: dict[str, Any]) -> None:
        row = self.rowCount()
        self.insertRow(row)
        kind = QComboBox()
        for key in CRITERION_KINDS:
            kind.addItem(KIND_LABELS[key], key)
        kind.setCurrentIndex(max(0, kind.findData(c.get("kind", "improved_share"))))
        self.setCellWidget(row, KIND, kind)
        self.setCellWidget(row, ITEM, QComboBox())
        role = QComboBox()
        for key, label in ROLE_LABELS.items():
            role.addItem(label, key)
        role.setCurrentIndex(max(0, role.findData(c.get("role", "all"))))
        self.setCellWidget(row, ROLE, role)
        threshold = QDoubleSpinBox()
        threshold.setDecimals(2)
        self.setCellWidget(row, THRESHOLD, threshold)
        min_n = QSpinBox()
        min_n.setRange(1, 100000)
        min_n.setValue(int(c.get("min_n", DEFAULT_MIN_N)))
        min_n.setToolTip("With fewer answers the criterion reads 'too few responses', never 'met'")
        self.setCellWidget(row, MIN_N, min_n)
        self._kind_changed(kind, c)
        kind.currentIndexChanged.connect(lambda _i, k=kind: self._kind_changed(k, {}))

    def _row_of(self, widget: QWidget) -> int:
        return next(r for r in range(self.rowCount()) if self.cellWidget(r, KIND) is widget)

    def _kind_changed(self, kind_combo: QComboBox, c: dict[str, Any]) -> None:
        row = self._row_of(kind_combo)
        kind = str(kind_combo.currentData())
        items: QComboBox = self.cellWidget(row, ITEM)  # type: ignore[assignment]
        items.clear()
        for key, label in _items_for(kind):
            items.addItem(label, key)
        wanted = c.get("stage") if kind == "response_rate" else c.get("item")
        items.setCurrentIndex(max(0, items.findData(wanted or ("six_month" if kind == "response_rate" else ""))))
        threshold: QDoubleSpinBox = self.cellWidget(row, THRESHOLD)  # type: ignore[assignment]
        threshold.setDecimals(0 if kind in SHARE_KINDS else 2)
        if kind in SHARE_KINDS:
            threshold.setRange(0, 100)
            threshold.setSuffix(" %")
            threshold.setSingleStep(5)
            threshold.setValue(float(c.get("threshold", 0.7)) * 100)
        elif kind == "mean":
            threshold.setRange(1, 5)
            threshold.setSuffix("")
            threshold.setSingleStep(0.1)
            threshold.setValue(float(c.get("threshold", 4.0)))
        else:
            threshold.setRange(-4, 4)
            threshold.setSuffix(" points")
            threshold.setSingleStep(0.1)
            threshold.setValue(float(c.get("threshold", 0.5)))

    def criteria(self) -> list[dict[str, Any]]:
        """Every row, checked by the core (UserError names the row)."""
        out = []
        for row in range(self.rowCount()):
            kind = str(self.cellWidget(row, KIND).currentData())  # type: ignore[union-attr]
            item = str(self.cellWidget(row, ITEM).currentData())  # type: ignore[union-attr]
            threshold = self.cellWidget(row, THRESHOLD).value()  # type: ignore[union-attr]
            raw = {
                "kind": kind,
                "role": str(self.cellWidget(row, ROLE).currentData()),  # type: ignore[union-attr]
                "threshold": threshold / 100 if kind in SHARE_KINDS else threshold,
                "min_n": self.cellWidget(row, MIN_N).value(),  # type: ignore[union-attr]
                "item" if kind != "response_rate" else "stage": item,
            }
            try:
                out.append(check_criterion(raw))
            except UserError as exc:
                raise UserError(f"Criterion {row + 1}: {exc}") from None
        return out


def themes_text(groups: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {', '.join(words)}" for name, words in groups.items())


def parse_themes(text: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        name, sep, words = line.partition(":")
        if not sep:
            raise UserError(f"Themes, line {number}: write 'Theme: keyword, keyword'.")
        try:
            clean, keywords = check_theme(name, words.split(","))
        except UserError as exc:
            raise UserError(f"Themes, line {number}: {exc}") from None
        groups[clean] = keywords
    return groups


class EvaluationSettingsDialog(QDialog):
    def __init__(self, current: EvaluationSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Evaluation settings")
        self.resize(860, 520)
        self.current = current
        tabs = QTabWidget()

        crit_page = QWidget()
        self.default_note = QLabel(
            "These are mentorapp's default criteria, offered as a starting point: the report labels them as "
            "defaults until you change them."
        )
        self.default_note.setWordWrap(True)
        self.default_note.setVisible(current.criteria is None)
        self.table = CriteriaTable()
        for c in current.criteria if current.criteria is not None else DEFAULT_CRITERIA:
            self.table.add(dict(c))
        add = QPushButton("&Add criterion")
        add.clicked.connect(lambda: self.table.add({"kind": "improved_share", "role": "mentee"}))
        remove = QPushButton("&Remove criterion")
        remove.clicked.connect(lambda: self.table.removeRow(self.table.currentRow()))
        defaults = QPushButton("Restore &defaults")
        defaults.clicked.connect(self._restore_defaults)
        buttons = QHBoxLayout()
        for b in (add, remove, defaults):
            buttons.addWidget(b)
        buttons.addStretch(1)
        column = QVBoxLayout(crit_page)
        column.addWidget(self.default_note)
        column.addWidget(self.table, 1)
        column.addLayout(buttons)
        tabs.addTab(crit_page, "Success &criteria")

        theme_page = QWidget()
        self.themes = QPlainTextEdit(themes_text(current.themes if current.themes is not None else DEFAULT_THEMES))
        self.themes.setObjectName("themes")
        column = QVBoxLayout(theme_page)
        column.addWidget(
            QLabel(
                "One theme a line, 'Theme: keyword, keyword'. A comment counts towards a theme when one of its "
                "words starts with a keyword (case ignored).",
                wordWrap=True,
            )
        )
        column.addWidget(self.themes, 1)
        tabs.addTab(theme_page, "Comment &themes")

        question_page = QWidget()
        self.retrospective = QCheckBox(
            "At six months also ask 'looking back, where were you before the scheme?' for each benefit"
        )
        self.retrospective.setChecked(current.retrospective_pre)
        column = QVBoxLayout(question_page)
        column.addWidget(self.retrospective)
        column.addWidget(
            QLabel(
                "The report sets these answers beside the baseline: they show whether people now judge their "
                "start differently (response shift).",
                wordWrap=True,
            )
        )
        column.addStretch(1)
        tabs.addTab(question_page, "&Questions")

        self.error = ErrorLabel()
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(box)
        self._defaults_restored = current.criteria is None

    def _restore_defaults(self) -> None:
        self.table.setRowCount(0)
        for c in DEFAULT_CRITERIA:
            self.table.add(dict(c))
        self._defaults_restored = True
        self.default_note.setVisible(True)

    def result_settings(self) -> EvaluationSettings:
        """What OK would store (UserError names the part that is wrong)."""
        criteria: list[dict[str, Any]] | None = self.table.criteria()
        defaults = [check_criterion(c) for c in DEFAULT_CRITERIA]
        if self._defaults_restored and criteria == defaults:
            criteria = None  # still the defaults, and labelled so
        themes: dict[str, list[str]] | None = parse_themes(self.themes.toPlainText())
        if themes == DEFAULT_THEMES and self.current.themes is None:
            themes = None
        return EvaluationSettings(criteria, themes, self.retrospective.isChecked())

    def accept(self) -> None:  # Qt override: stay open with the problem named
        try:
            self.chosen = self.result_settings()
        except UserError as exc:
            self.error.show_error(str(exc))
            return
        super().accept()


def edit_evaluation_settings(ctx: AppContext, parent: QWidget | None = None, *, dialog_hook: Any = None) -> bool:
    """Show the dialog for the current cohort; on OK save on the undo stack. ``dialog_hook`` is for tests."""
    cohort_id = ctx.cohort_id
    if cohort_id is None:
        return False
    with ctx.db.session() as s:
        before = read_settings(s, cohort_id)
    dialog = EvaluationSettingsDialog(before, parent)
    accepted = dialog_hook(dialog) if dialog_hook is not None else dialog.exec() == QDialog.DialogCode.Accepted
    if not accepted:
        return False
    after = dialog.chosen
    if after == before:
        return False

    def do(s, _cmd) -> None:
        write_settings(s, cohort_id, after)

    def undo(s, _cmd) -> None:
        write_settings(s, cohort_id, before)

    return push_command(ctx, DbCommand(ctx, "Change the evaluation settings", do, undo))
