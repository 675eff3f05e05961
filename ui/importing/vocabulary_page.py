"""The "Use the form's words" step, shown only for a cohort with no participants yet.

The cohort may take the file's answers as its own focus areas, career stages and
regions instead of the built-in lists (the core's ``adopt_vocabulary``); then
"Check the answers" maps the answers onto those lists. Career stages are
ordered, most junior first (the matcher's seniority comes from that order): the
core proposes an order from seniority words, and the coordinator drags lines, or
moves the chosen one with Ctrl+Up and Ctrl+Down or the buttons.
"""

from __future__ import annotations

from PySide6.QtCore import QStringListModel, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWizardPage,
)

from mentorapp.importing.reconcile import AREA_FIELDS
from mentorapp_ui.app.progress import ProgressRow
from mentorapp_ui.app.tasks import Task, run_task
from mentorapp_ui.importing.widgets import (
    FILE_STEP,
    WORDS_STEP,
    ImportState,
    adopted_scheme,
    escape_html,
    read_rows,
    wrap,
)

ADOPTED_FIELDS = ("career_stage", "region", *AREA_FIELDS)


class StageListModel(QStringListModel):
    """Career stages, reordered by dragging inside the list (never dropped onto each other)."""

    def flags(self, index) -> Qt.ItemFlag:  # Qt override
        base = super().flags(index) & ~Qt.ItemFlag.ItemIsEditable
        if index.isValid():
            return (base | Qt.ItemFlag.ItemIsDragEnabled) & ~Qt.ItemFlag.ItemIsDropEnabled
        return base | Qt.ItemFlag.ItemIsDropEnabled

    def move(self, row: int, step: int) -> int:
        """Move line ``row`` up (-1) or down (+1); the row it lands on."""
        target = row + step
        if not (0 <= row < self.rowCount() and 0 <= target < self.rowCount()):
            return row
        self.moveRows(self.index(0).parent(), row, 1, self.index(0).parent(), target + (1 if step > 0 else 0))
        return target


class VocabularyPage(QWizardPage):
    def __init__(self, wizard: ImportState) -> None:
        super().__init__()
        self.wiz = wizard
        self.task: Task | None = None
        self._read_for: tuple | None = None
        self.setTitle(WORDS_STEP)
        self.setSubTitle(
            "This cohort has no participants yet, so it can take the form's answers as its own lists "
            "instead of the built-in ones. The matcher reads seniority from the order of the career stages."
        )
        self.adopt = QCheckBox("&Make the form's answers this cohort's focus areas, career stages and regions")
        self.adopt.setObjectName("adoptVocabulary")
        self.adopt.setToolTip(
            "Replaces the built-in lists of this cohort; you can rename, merge and reorder them later"
        )
        self.adopt.setChecked(False)  # offered, not imposed: the built-in lists stay unless the coordinator ticks
        self.adopt.toggled.connect(self._adopt_toggled)
        self.stages_model = StageListModel(self)
        self.stages = QListView()
        self.stages.setObjectName("stageOrder")
        self.stages.setModel(self.stages_model)
        self.stages.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.stages.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.stages.setDragEnabled(True)
        self.stages.setAcceptDrops(True)
        self.stages.setDropIndicatorShown(True)
        self.stages.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stages.setSpacing(3)
        self.stages.setToolTip("Most junior at the top. Drag a stage, or press Ctrl+Up / Ctrl+Down to move it")
        self.up = QPushButton("Move &up")
        self.up.setObjectName("stageUp")
        self.up.setToolTip("Move the chosen stage up: more junior (Ctrl+Up)")
        self.up.clicked.connect(lambda: self.move_stage(-1))
        self.down = QPushButton("Move &down")
        self.down.setObjectName("stageDown")
        self.down.setToolTip("Move the chosen stage down: more senior (Ctrl+Down)")
        self.down.clicked.connect(lambda: self.move_stage(1))
        for keys, step in (("Ctrl+Up", -1), ("Ctrl+Down", 1)):
            QShortcut(QKeySequence(keys), self.stages, lambda s=step: self.move_stage(s))
        moves = QVBoxLayout()
        moves.addWidget(self.up)
        moves.addWidget(self.down)
        moves.addStretch(1)
        stage_row = QHBoxLayout()
        stage_row.addWidget(self.stages, 1)
        stage_row.addLayout(moves)
        self.areas = wrap("")
        self.areas.setObjectName("adoptedAreas")
        self.regions = wrap("")
        self.regions.setObjectName("adoptedRegions")
        stages_label = QLabel("&Career stages, most junior first. Drag a stage to its place, or choose it and move it:")
        stages_label.setBuddy(self.stages)
        form = QFormLayout()
        form.addRow("Focus areas:", self.areas)
        form.addRow("Regions:", self.regions)
        for label in (self.areas, self.regions):
            label.setTextFormat(Qt.TextFormat.RichText)
        self.progress = ProgressRow("&Stop")
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.adopt)
        layout.addSpacing(6)
        layout.addWidget(stages_label)
        layout.addLayout(stage_row, 1)
        layout.addSpacing(6)
        layout.addLayout(form)

    def initializePage(self) -> None:  # Qt override
        wiz = self.wiz
        key = (wiz.path, wiz.sheet, tuple(wiz.fields))
        if key == self._read_for:
            return  # Back and Next again: the coordinator's order stays
        self._read_for = None
        self.stages_model.setStringList([])
        self.areas.setText("Reading the answers…")
        self.regions.setText("")
        db, cohort_id, path, sheet, fields = wiz.ctx.db, wiz.cohort_id, wiz.path, wiz.sheet, list(wiz.fields)

        def job(report, cancelled) -> dict[str, list[str]]:
            _headers, rows = read_rows(path, sheet, report, cancelled)
            with db.session() as s:
                return adopted_scheme(s, cohort_id, fields, rows, [])[1]

        self.task = run_task(
            job,
            self,
            on_done=lambda found, k=key: self._read(k, found),
            on_error=self._failed,
            on_finished=self._finished,
        )
        self.progress.follow(self.task)

    def cleanupPage(self) -> None:  # Qt override (Back)
        if self.task is not None and self.task.running:
            self.task.abandon()  # only reads: its answer is no longer wanted
            self.progress.hide()

    @Slot()
    def _finished(self) -> None:
        self.progress.hide()
        self.completeChanged.emit()

    @Slot(str)
    def _failed(self, message: str) -> None:
        self.areas.setText(
            f"<span style='color:#b3261e'>{escape_html(message)}</span> Go back to “{FILE_STEP}” "
            "and choose another file."
        )

    def _read(self, key: tuple, found: dict[str, list[str]]) -> None:
        self._read_for = key
        self.stages_model.setStringList(found.get("career_stages", []))  # proposed order: by seniority words
        areas, regions = found.get("focus_areas", []), found.get("regions", [])
        none = "<i>(none in the file: the built-in list stays)</i>"
        self.areas.setText(escape_html(", ".join(areas)) if areas else none)
        self.regions.setText(escape_html(", ".join(regions)) if regions else none)
        if self.stages_model.rowCount():
            self.stages.setCurrentIndex(self.stages_model.index(0))
        self._adopt_toggled(self.adopt.isChecked())

    def isComplete(self) -> bool:  # Qt override
        return self._read_for is not None

    @Slot(bool)
    def _adopt_toggled(self, on: bool) -> None:
        has_stages = self.stages_model.rowCount() > 0
        for widget in (self.stages, self.up, self.down):
            widget.setEnabled(on and has_stages)

    def move_stage(self, step: int) -> None:
        row = self.stages.currentIndex().row()
        if row < 0:
            return
        self.stages.setCurrentIndex(self.stages_model.index(self.stages_model.move(row, step)))

    def stage_order(self) -> list[str]:
        return self.stages_model.stringList()

    def validatePage(self) -> bool:  # Qt override
        self.wiz.adopt_vocabulary = self.adopt.isChecked()
        self.wiz.stage_order = self.stage_order() if self.adopt.isChecked() else []
        return True
