"""The import check's returning people: who applied before, what changed, and the coordinator's answers.

One line per application that is (or may be) a person of an earlier cohort
(:mod:`mentorapp.importing.returning`). A returning person's changed fields are
listed under them, each with a box to keep the earlier value instead of the
new one. An email known under another name (or a membership number under
another email) is a question: "Same person" links the application to them
(taking the new name or email), "A new person" keeps them apart. The import
waits until every question is answered.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from mentorapp.errors import UserError
from mentorapp.importing import ImportPlan
from mentorapp.importing.returning import keep_old

FIELD_ROLE = Qt.ItemDataRole.UserRole + 1
ANSWERS = (("Not answered yet", None), ("Same person: link them", "same"), ("A new person", "new"))


class ReturningPanel(QWidget):
    """Returning people of a plan; ``answered`` is emitted whenever an answer or a kept value changes."""

    answered = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan: ImportPlan | None = None
        self.heading = QLabel()
        self.heading.setObjectName("returningHeading")
        self.heading.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("returningTree")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(("Row", "Name in the file", "Applied before", "What to do"))
        self.tree.setColumnWidth(0, 70)
        self.tree.setColumnWidth(1, 200)
        self.tree.setColumnWidth(2, 300)
        self.tree.itemChanged.connect(self._kept_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        self.combos: dict[int, QComboBox] = {}

    def set_plan(self, plan: ImportPlan | None) -> None:
        self.plan = plan
        self.tree.blockSignals(True)
        self.tree.clear()
        self.combos = {}
        rows = plan.returning_rows if plan is not None else []
        for row in rows:
            back = row.returning
            item = QTreeWidgetItem(
                [str(row.row), row.name, f"{back.name} <{back.email}>, {back.last_cohort or 'an earlier cohort'}", ""]
            )
            item.setData(0, FIELD_ROLE, row.row)
            self.tree.addTopLevelItem(item)
            if back.question:
                item.setToolTip(2, back.question)
                item.setText(2, back.question)
                combo = QComboBox()
                combo.setObjectName(f"answerRow{row.row}")
                for text, value in ANSWERS:
                    combo.addItem(text, value)
                combo.setCurrentIndex(max(0, combo.findData(back.decision)))
                combo.currentIndexChanged.connect(lambda _i, r=row, c=combo: self._decided(r, c))
                self.tree.setItemWidget(item, 3, combo)
                self.combos[row.row] = combo
            else:
                item.setText(3, "Returning: linked" + ("" if back.changes else " (nothing changed)"))
            for change in back.changes:
                child = QTreeWidgetItem(["", change.label, f"{_shown(change.old)} → {_shown(change.new)}", ""])
                child.setData(0, FIELD_ROLE, change.field)
                child.setFlags(child.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                child.setCheckState(
                    3, Qt.CheckState.Checked if change.field in back.keep_old else Qt.CheckState.Unchecked
                )
                child.setText(3, "Keep the old value")
                item.addChild(child)
            item.setExpanded(bool(back.question) or bool(back.changes))
        self.tree.blockSignals(False)
        self._update_heading()
        self.setVisible(bool(rows))

    def open_questions(self) -> int:
        if self.plan is None:
            return 0
        return sum(1 for r in self.plan.returning_rows if r.returning.open)

    def _update_heading(self) -> None:
        if self.plan is None:
            return
        rows = self.plan.returning_rows
        sure = sum(1 for r in rows if not r.returning.question)
        asked = len(rows) - sure
        text = (
            f"<b>{sure}</b> applicant{'s' if sure != 1 else ''} applied before: they are linked to their "
            "earlier record, with the application's new values unless you keep the old ones."
        )
        if asked:
            still = self.open_questions()
            text += (
                f" <b style='color:#8a4b00'>{asked} may be someone who applied before</b>: say whether each "
                f"is the same person{f' ({still} still to answer)' if still else ''}."
            )
        self.heading.setText(text)

    def _row(self, number: int):
        assert self.plan is not None
        return next(r for r in self.plan.rows if r.row == number)

    def _decided(self, row, combo: QComboBox) -> None:
        row.returning.decision = combo.currentData()
        self._update_heading()
        self.answered.emit()

    def _kept_changed(self, item: QTreeWidgetItem, column: int) -> None:
        parent = item.parent()
        if parent is None or column != 3 or self.plan is None:
            return
        row = self._row(int(parent.data(0, FIELD_ROLE)))
        field = item.data(0, FIELD_ROLE)
        try:
            keep_old(self.plan, row, field, item.checkState(3) == Qt.CheckState.Checked)
        except UserError as exc:
            self.tree.blockSignals(True)
            item.setCheckState(3, Qt.CheckState.Unchecked)
            item.setToolTip(3, str(exc))
            self.tree.blockSignals(False)
            self.heading.setText(f"<span style='color:#b3261e'>{exc}</span>")
            return
        self.answered.emit()


def _shown(value) -> str:
    return "(blank)" if value in (None, "") else str(value)
