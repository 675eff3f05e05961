"""The Evaluation page's offline forms: the grid, a form per person, and reading them back.

The window does what the command line does (mentorapp.evaluation.forms, .person_forms,
.form_folder): nothing is written unless every form is valid; every answer that changes
is listed before the import, a cleared one as a deletion; a form older than the answers
it would change is shown with its conflicts for a decision (overwrite them, skip them,
or import nothing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QCheckBox, QMessageBox

from mentorapp.errors import UserError
from mentorapp.evaluation.form_folder import read_forms
from mentorapp.evaluation.form_reading import FormReading, FormRefusedError, folder_summary, save_readings
from mentorapp.evaluation.forms import write_evaluation_form
from mentorapp.evaluation.person_forms import export_person_forms
from mentorapp.outputs.files import earlier_exports, safe_filename
from mentorapp.store.models import Cohort
from mentorapp_ui.app.actions import WINDOW, ActionSpec
from mentorapp_ui.app.file_dialogs import ask_folder, ask_open_files, ask_save_file

LISTED = 12  # lines shown in a message box; the rest are under "Show Details…"


class OfflineForms:
    """The page's Evaluation > forms actions (it owns no widget of its own)."""

    def __init__(self, page: Any) -> None:  # the EvaluationPage (not imported: it imports this module)
        self.page = page
        self.ctx = page.ctx
        # Tests answer the dialogs by setting these (None: ask).
        self.conflict_choice: str | None = None
        self.confirm_choice: bool | None = None
        self.earlier_choice: str | None = None
        self.with_baseline_choice: bool | None = None

    def declare(self) -> None:
        page = self.page
        page.declare(
            ActionSpec(
                "evaluation.export_form",
                "&Export evaluation form…",
                self.export_grid,
                places=("Evaluation/forms",),
                tool_tip="Write the coordinator's Excel grid for the chosen stage (every participant on one sheet)",
            )
        )
        page.declare(
            ActionSpec(
                "evaluation.export_person_forms",
                "Export a form &per person…",
                lambda: self.export_per_person(),
                places=("Evaluation/forms",),
                tool_tip="One workbook per participant for the chosen stage, naming nobody else, to send to them",
            )
        )
        page.declare(
            ActionSpec(
                "evaluation.import_forms",
                "&Import filled forms…",
                self.import_files,
                keys=("Ctrl+Shift+I",),
                places=("Evaluation/forms",),
                tool_tip="Read filled Excel forms back; nothing is saved unless every form is valid",
                scope=WINDOW,
            )
        )
        page.declare(
            ActionSpec(
                "evaluation.import_folder",
                "Import a &folder of returned forms…",
                self.import_folder,
                places=("Evaluation/forms",),
                tool_tip="Read every returned form in a folder; nothing is saved unless every form is valid",
            )
        )

    def _cohort_name(self) -> str:
        with self.ctx.db.session() as s:
            cohort = s.get(Cohort, self.ctx.cohort_id)
            return cohort.name if cohort else "cohort"

    def _stage_word(self) -> str:
        return "baseline" if self.page.stage == "baseline" else "six-month"

    # -- export ----------------------------------------------------------------------------------
    def export_grid(self) -> None:
        cohort_id = self.ctx.cohort_id
        if cohort_id is None:
            return
        suggested = safe_filename(f"{self._cohort_name()} {self._stage_word()} evaluation form") + ".xlsx"
        path = ask_save_file(
            self.page, "evaluation_form", "Export evaluation form", suggested, "Excel workbook (*.xlsx)"
        )
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        try:
            with self.ctx.db.transaction() as s:
                rows = write_evaluation_form(s, cohort_id, self.page.stage, path)
        except (UserError, OSError) as exc:
            QMessageBox.warning(self.page, "Export evaluation form", str(exc))
            return
        self.ctx.show_status(f"Wrote the {self._stage_word()} evaluation form with {rows} participants to {path}.")

    def export_per_person(self, folder: str | None = None) -> list[Path]:
        """A form per participant into a folder (asked for unless given); returns the files written."""
        cohort_id = self.ctx.cohort_id
        if cohort_id is None:
            return []
        with_baseline = False
        if folder is None:
            folder = ask_folder(self.page, "evaluation_form", "Folder for the forms, one per participant")
            if not folder:
                return []
        if self.page.stage == "six_month":
            with_baseline = self._ask_with_baseline(folder)
            if with_baseline is None:
                return []
        earlier = "refuse"
        found = earlier_exports(folder)
        if found:
            earlier = self.earlier_choice or self._ask_earlier(folder, len(found))
            if earlier == "cancel":
                return []
        try:
            with self.ctx.db.transaction() as s:
                paths = export_person_forms(
                    s, cohort_id, self.page.stage, folder, with_baseline=bool(with_baseline), earlier=earlier
                )
        except (UserError, OSError) as exc:
            QMessageBox.warning(self.page, "Export a form per person", str(exc))
            return []
        self.ctx.show_status(
            f"Wrote {len(paths)} {self._stage_word()} evaluation forms, one per participant, to {folder}."
        )
        return paths

    def _ask_with_baseline(self, folder: str) -> bool | None:
        if self.with_baseline_choice is not None:
            return self.with_baseline_choice
        box = QMessageBox(QMessageBox.Icon.Question, "Export a form per person", "", parent=self.page)
        # The folder is named: a typed path in Qt's own folder dialog can come back as its parent.
        box.setText(f"Write one six-month form per participant, each naming only that person, into {folder}?")
        check = QCheckBox("Show each participant their own baseline answers beside the questions")
        box.setCheckBox(check)
        box.setStandardButtons(QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel)
        if box.exec() != QMessageBox.StandardButton.Ok:
            return None
        return check.isChecked()

    def _ask_earlier(self, folder: str, n: int) -> str:
        answer = QMessageBox.question(
            self.page,
            "Forms from an earlier export",
            f"{folder} already holds {n} form(s) from an earlier export.\n\n"
            "Yes: remove them once the new forms are written. No: keep them beside the new ones.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer == QMessageBox.StandardButton.Cancel:
            return "cancel"
        return "clear" if answer == QMessageBox.StandardButton.Yes else "keep"

    # -- import ----------------------------------------------------------------------------------
    def import_files(self) -> None:
        if self.ctx.cohort_id is None:
            return
        paths = ask_open_files(
            self.page, "evaluation_form", "Import filled evaluation forms", "Excel workbook (*.xlsx)"
        )
        for path in paths:
            if not self.import_path(path):
                break

    def import_folder(self) -> None:
        if self.ctx.cohort_id is None:
            return
        folder = ask_folder(self.page, "evaluation_form", "Folder of returned evaluation forms")
        if folder:
            self.import_path(folder)

    def import_path(self, path: str, *, confirm: bool = True) -> bool:
        """Check a form or a folder of forms, show problems, changes and conflicts, then import."""
        cohort_id = self.ctx.cohort_id
        if cohort_id is None:
            return False
        title = "Import evaluation forms"
        try:
            with self.ctx.db.session() as s:
                readings = read_forms(s, cohort_id, path)
        except UserError as exc:
            QMessageBox.warning(self.page, title, str(exc))
            return False
        problems = [f"{r.path.name}: {p}" for r in readings for p in r.problems]
        if problems:
            box = QMessageBox(QMessageBox.Icon.Warning, title, "", parent=self.page)
            n = len(problems)
            box.setText(f"Nothing was imported: {n} problem{'s' if n != 1 else ''}. Fix them and try again.")
            box.setInformativeText("\n".join(problems[:8]))
            box.setDetailedText("\n".join(problems))
            box.exec()
            return False
        conflicts = "refuse"
        if any(r.conflicts for r in readings):
            conflicts = self.conflict_choice or self._ask_conflicts(readings)
            if conflicts == "cancel":
                return False
        elif confirm and not self._confirm(readings):
            return False
        try:
            save_readings(self.ctx.db, cohort_id, readings, conflicts=conflicts)
        except FormRefusedError as exc:
            QMessageBox.warning(self.page, title, str(exc))
            return False
        self.ctx.notify_changed()
        self.ctx.show_status("Imported. " + folder_summary(readings))
        return True

    def _confirm(self, readings: list[FormReading]) -> bool:
        if self.confirm_choice is not None:
            return self.confirm_choice
        changes = [f"{r.path.name}: {line}" for r in readings for line in r.change_lines()]
        box = QMessageBox(QMessageBox.Icon.Question, "Import evaluation forms", "", parent=self.page)
        # The whole folder in one sentence, then the forms that bring new or changed answers.
        bringing = [r for r in readings if r.count("create") or r.count("update")] if len(readings) > 1 else []
        listed = [f"{r.path.name}: {r.summary()}" for r in bringing[:LISTED]]
        more = [f"... and {len(bringing) - LISTED} more forms."] if len(bringing) > LISTED else []
        box.setText("\n".join([folder_summary(readings), *listed, *more]) + "\n\nImport?")
        if changes:
            deleted = sum(r.deletions for r in readings)
            box.setInformativeText(
                (f"{deleted} stored answer(s) would be deleted. " if deleted else "")
                + "Every answer that changes is listed under Show Details."
            )
            box.setDetailedText("\n".join(changes))
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        return box.exec() == QMessageBox.StandardButton.Yes

    def _ask_conflicts(self, readings: list[FormReading]) -> str:
        lines = [f"{r.path.name}: {line}" for r in readings for line in r.conflict_lines()]
        changes = [f"{r.path.name}: {line}" for r in readings for line in r.change_lines()]
        box = QMessageBox(QMessageBox.Icon.Warning, "Older form", "", parent=self.page)
        box.setText(
            f"{len(lines)} response(s) were saved after the form was made. Importing would put older answers "
            "back over newer ones."
        )
        box.setInformativeText("\n".join(lines[:LISTED]))
        box.setDetailedText("\n".join([*lines, "", *changes]))
        overwrite = box.addButton("Overwrite newer answers", QMessageBox.ButtonRole.DestructiveRole)
        skip = box.addButton("Skip those, import the rest", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(skip)
        box.exec()
        clicked = box.clickedButton()
        return "overwrite" if clicked is overwrite else "skip" if clicked is skip else "cancel"
