"""Cohort > Vocabulary…: rename, merge, reorder, add and remove the cohort's words.

One tab per list (focus areas, career stages, regions). Career stages are
ordered most junior first, and that order is the matcher's seniority: drag a
stage, or move it with Alt+Up / Alt+Down. Every change goes through
:mod:`mentorapp.people.vocabulary_edit` on the undo stack (one transaction,
participants follow, current matches rescored) and can be undone with Ctrl+Z.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from mentorapp.matching.actions import rescore_current_matches
from mentorapp.people import vocabulary_edit as vocab
from mentorapp.store.models import Cohort
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.undo import DbCommand, push_command
from mentorapp_ui.app.widgets import ErrorLabel

ValueRole = Qt.ItemDataRole.UserRole + 1

HINTS = {
    "focus": "The areas mentees choose for their goals and mentors for their experience.",
    "stage": "Most junior at the top. Drag a stage (or Alt+Up / Alt+Down) to reorder: "
    "the matcher's seniority follows this order.",
    "region": "Where participants work; the same region adds to a pair's score.",
}
TAB_TITLES = {"focus": "Focus areas", "stage": "Career stages", "region": "Regions"}


Change = Callable[[Session, int], vocab.VocabularyChange]


def _change(function: Callable[..., vocab.VocabularyChange], *args: object) -> Change:
    """One change as the undo stack keeps it: plain values only, never a widget (the stack outlives the dialog)."""
    return lambda session, cohort_id: function(session, cohort_id, *args)


class VocabularyList(QWidget):
    """One list with its buttons. Stages and focus areas can be reordered; regions keep their order."""

    def __init__(self, dialog: VocabularyDialog, kind: str) -> None:
        super().__init__(dialog)
        self.dialog = dialog
        self.kind = vocab.KINDS[kind]
        self.values: list[str] = []
        self.list = QListWidget()
        self.list.setObjectName(f"{kind}List")
        self.list.setAccessibleName(TAB_TITLES[kind])
        if kind != "region":
            self.list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
            self.list.setDefaultDropAction(Qt.DropAction.MoveAction)
            # After the drop has finished (reloading inside Qt's drop handler would pull the rows from under it).
            self.list.model().rowsMoved.connect(lambda *_: QTimer.singleShot(0, self, self._dropped))
            for keys, step in (("Alt+Up", -1), ("Alt+Down", 1)):
                shortcut = QShortcut(QKeySequence(keys), self.list)
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
                shortcut.activated.connect(lambda step=step: self.move_selected(step))
        self.list.currentRowChanged.connect(lambda _r: self._update_buttons())

        noun = self.kind.noun
        self.rename_button = self._button("Rename…", f"Give the selected {noun} another name; participants follow")
        self.merge_button = self._button("Merge into…", f"Fold the selected {noun} into another one")
        self.add_button = self._button("Add…", f"Add a {noun} at the end of the list")
        self.remove_button = self._button("Remove", f"Remove the selected {noun} (only when nobody uses it)")
        self.up_button = self._button("Move up", f"Move the selected {noun} up (Alt+Up)")
        self.down_button = self._button("Move down", f"Move the selected {noun} down (Alt+Down)")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.up_button.setVisible(kind != "region")
        self.down_button.setVisible(kind != "region")
        self.rename_button.clicked.connect(lambda: self.rename_selected())
        self.merge_button.clicked.connect(lambda: self.merge_selected())
        self.add_button.clicked.connect(lambda: self.add_value())
        self.remove_button.clicked.connect(self.remove_selected)

        hint = QLabel(HINTS[kind])
        hint.setWordWrap(True)
        buttons = QVBoxLayout()
        for button in (self.rename_button, self.merge_button, self.add_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addSpacing(12)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        column = QVBoxLayout(self)
        column.addWidget(hint)
        column.addLayout(row)

    def _button(self, text: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(f"{self.kind.key}{text.strip('…').replace(' ', '')}")
        button.setToolTip(tip)
        return button

    # -- showing -------------------------------------------------------------------------
    def fill(self, usage: dict[str, int]) -> None:
        selected = self.selected()
        self.values = list(usage)
        self.list.blockSignals(True)
        self.list.model().blockSignals(True)
        self.list.clear()
        for value, n in usage.items():
            used = "not used yet" if n == 0 else ("1 participant" if n == 1 else f"{n} participants")
            item = QListWidgetItem(f"{value}   ({used})")
            item.setData(ValueRole, value)
            item.setToolTip(f"{value}: {used}")
            self.list.addItem(item)
        self.list.model().blockSignals(False)
        self.list.blockSignals(False)
        if selected in self.values:
            self.list.setCurrentRow(self.values.index(selected))
        self._update_buttons()

    def selected(self) -> str | None:
        item = self.list.currentItem()
        return item.data(ValueRole) if item is not None else None

    def shown_order(self) -> list[str]:
        return [self.list.item(i).data(ValueRole) for i in range(self.list.count())]

    def _update_buttons(self) -> None:
        has = self.selected() is not None
        self.rename_button.setEnabled(has)
        self.merge_button.setEnabled(has and len(self.values) > 1)
        self.remove_button.setEnabled(has)
        row = self.list.currentRow()
        self.up_button.setEnabled(has and row > 0)
        self.down_button.setEnabled(has and row < len(self.values) - 1)

    # -- changes (each asks only what it needs; tests pass the answer) ----------------------
    def rename_selected(self, new: str | None = None) -> bool:
        old = self.selected()
        if old is None:
            return False
        if new is None:
            new, ok = QInputDialog.getText(self, f"Rename {self.kind.noun}", f"New name for '{old}':", text=old)
            if not ok:
                return False
        return self.dialog.apply(f"Rename {self.kind.noun} '{old}'", _change(vocab.rename, self.kind.key, old, new))

    def merge_selected(self, target: str | None = None) -> bool:
        source = self.selected()
        if source is None:
            return False
        if target is None:
            others = [v for v in self.values if v != source]
            target, ok = QInputDialog.getItem(
                self, f"Merge {self.kind.noun}", f"Merge '{source}' into:", others, 0, False
            )
            if not ok:
                return False
        return self.dialog.apply(
            f"Merge {self.kind.noun} '{source}' into '{target}'",
            _change(vocab.merge, self.kind.key, source, target),
        )

    def add_value(self, value: str | None = None) -> bool:
        if value is None:
            value, ok = QInputDialog.getText(self, f"Add {self.kind.noun}", f"New {self.kind.noun}:")
            if not ok:
                return False
        return self.dialog.apply(f"Add {self.kind.noun} '{value}'", _change(vocab.add, self.kind.key, value))

    def remove_selected(self) -> bool:
        value = self.selected()
        if value is None:
            return False
        return self.dialog.apply(f"Remove {self.kind.noun} '{value}'", _change(vocab.remove, self.kind.key, value))

    def move_selected(self, step: int) -> bool:
        row = self.list.currentRow()
        if row < 0 or not 0 <= row + step < len(self.values):
            return False
        order = list(self.values)
        order.insert(row + step, order.pop(row))
        return self._reorder(order)

    def _dropped(self) -> None:
        order = self.shown_order()
        if order != self.values:
            self._reorder(order)

    def _reorder(self, order: list[str]) -> bool:
        return self.dialog.apply(f"Reorder {self.kind.plural}", _change(vocab.reorder, self.kind.key, order))


class VocabularyDialog(QDialog):
    """The cohort's three lists; every change is saved at once and is undoable."""

    def __init__(self, ctx: AppContext, cohort_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.cohort_id = cohort_id
        self.setWindowTitle("Vocabulary")
        self.setMinimumSize(620, 460)
        self.tabs = QTabWidget()
        self.lists = {key: VocabularyList(self, key) for key in vocab.KINDS}
        for key, widget in self.lists.items():
            self.tabs.addTab(widget, TAB_TITLES[key])
        self.error = ErrorLabel()
        self.error.setObjectName("vocabularyError")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        # Undo here takes back only changes made in this dialog (the rest of the stack is the window's).
        self._commands: set[int] = set()  # ids only: holding the commands would tie them to this dialog
        self.undo_button = close.addButton("Undo", QDialogButtonBox.ButtonRole.ActionRole)
        self.undo_button.setObjectName("vocabularyUndo")
        self.undo_button.setToolTip("Take back the last change made here (Ctrl+Z)")
        self.undo_button.clicked.connect(self.undo_last)
        self.undo_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Undo), self)
        self.undo_shortcut.activated.connect(self.undo_last)
        note = QLabel("Changes are saved at once; participants follow and current matches are rescored.")
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(note)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        with self.ctx.db.session() as s:
            usage = vocab.usage_all(s, self.cohort_id)
            cohort = s.get(Cohort, self.cohort_id)
            name = cohort.name if cohort is not None else ""
        self.setWindowTitle(f"Vocabulary of {name}")
        for key, widget in self.lists.items():
            widget.fill(usage[key])
        self.undo_button.setEnabled(self._last_is_mine())

    def _last_is_mine(self) -> bool:
        stack = self.ctx.undo_stack
        return stack.index() > 0 and id(stack.command(stack.index() - 1)) in self._commands

    def undo_last(self) -> None:
        if self._last_is_mine():
            self.ctx.undo_stack.undo()
            self.error.show_error("")
            self.reload()

    def apply(self, text: str, change: Change) -> bool:
        """Run one change on the undo stack; a refusal is shown under the lists and nothing changes."""
        cohort_id = self.cohort_id

        def do(session: Session, _cmd: DbCommand) -> vocab.VocabularySnapshot:
            before = change(session, cohort_id).before
            rescore_current_matches(session, cohort_id)
            return before

        def undo(session: Session, cmd: DbCommand) -> None:
            vocab.restore(session, cmd.result)
            rescore_current_matches(session, cohort_id)

        command = DbCommand(self.ctx, text, do, undo)
        done = push_command(self.ctx, command)
        if done:
            self._commands.add(id(command))
        self.error.show_error("" if done else str(command.error))
        self.reload()  # also puts a refused drag back where it was
        return done


def edit_vocabulary(ctx: AppContext, cohort_id: int, parent: QWidget | None = None) -> None:
    dialog = VocabularyDialog(ctx, cohort_id, parent)
    dialog.exec()
