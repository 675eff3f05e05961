"""Keeping data safe in the window: start-up checks, backups, restore, privacy duties, activity log.

Start-up (:func:`open_for_gui`): a damaged file is never opened or replaced
silently: the coordinator is told what is wrong and offered the newest backup.
A database open in another mentorapp can be opened read-only. Once the window
is up, the main window makes a :class:`DataSafety`, which declares File > Back up
now / Restore from backup…, Tools > Activity log… / Subject access export… / Erase
participant…, Cohort > Anonymise cohort…, and adds the read-only banner and the
retention check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from mentorapp import privacy
from mentorapp.dates import short_date
from mentorapp.errors import UserError
from mentorapp.store import audit, backup, locking
from mentorapp.store.models import Cohort
from mentorapp.store.workspace import Location, RestoreFailedError, Workspace, locate, open_workspace
from mentorapp_ui.app.actions import ActionSpec
from mentorapp_ui.app.activity_log import ActivityLogDialog
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.file_dialogs import ask_open_file, ask_save_file

SNOOZE_DAYS = 30


# --- start-up ------------------------------------------------------------------------------


# What the window gets from opening a database (mentorapp.store.workspace): database, lock, read_only.
Opened = Workspace


class WindowQuestions:
    """The workspace opener's questions, asked of the coordinator in message boxes."""

    def __init__(self, parent: QWidget | None) -> None:
        self.parent = parent

    def restore_damaged(self, path: Path, problem: str, newest: backup.BackupFile | None) -> bool:
        return offer_restore_of_damaged(problem, newest, self.parent)

    def open_read_only(self, error: locking.DatabaseLockedError) -> bool:
        return _offer_read_only(error, self.parent)


def open_for_gui(db_arg: str | Location | None, parent: QWidget | None = None) -> Opened | None:
    """Open the database the way the window needs it; None when the coordinator chose to quit.

    The one opener (mentorapp.store.workspace) does the work, in its order: refuse
    to touch a damaged file (offer the newest backup), take the lock (or offer
    read-only), open and migrate (a backup is taken first), then the daily backup.
    """
    try:
        opened = open_workspace(db_arg, WindowQuestions(parent))
    except RestoreFailedError as exc:
        QMessageBox.critical(parent, "Restore failed", str(exc))
        return None
    except UserError as exc:
        QMessageBox.critical(parent, "Cannot open the database", str(exc))
        return None
    if opened is not None and opened.backup_problem is not None:
        QMessageBox.warning(
            parent,
            "Daily backup failed",
            f"Today's automatic backup could not be written: {opened.backup_problem}",
        )
    return opened


def offer_restore_of_damaged(problem: str, newest: backup.BackupFile | None, parent: QWidget | None) -> bool:
    """Tell the coordinator the file cannot be used; True only if they chose to restore the newest backup."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle("The database cannot be opened")
    box.setText(problem)
    if newest is None:
        box.setInformativeText(
            "The file has not been changed. There is no backup of it in the backups folder beside it; "
            "start mentorapp with another database (--db) or ask for help with this file."
        )
        box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        return False
    box.setInformativeText(
        f"The file has not been changed. The newest backup is from {newest.label}.\n\n"
        "Restoring puts that backup in its place; the damaged file is kept, unchanged, in the backups folder."
    )
    restore = box.addButton("Restore the newest backup", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    box.exec()
    return box.clickedButton() is restore


def _offer_read_only(exc: locking.DatabaseLockedError, parent: QWidget | None) -> bool:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("The database is open elsewhere")
    box.setText(str(exc).replace(" Close it there, or open it read-only here.", ""))
    box.setInformativeText(
        "Only one mentorapp at a time may change a database. You can look at it read-only now, "
        "or quit and close the other one first."
    )
    read_only = box.addButton("Open read-only", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(read_only)
    box.exec()
    return box.clickedButton() is read_only


# --- the main window -----------------------------------------------------------------------


class DataSafety:
    """The data-safety actions (declared in the registry) and the read-only banner of a main window.

    ``switch_database`` is the window's: it shows another database file (after a restore).
    """

    def __init__(self, ctx: AppContext, window: QMainWindow, switch_database: Callable[[str], bool]) -> None:
        self.window = window
        self.ctx = ctx
        self.switch_database = switch_database
        self.log_dialog: ActivityLogDialog | None = None
        # The lock on the open database file, held while the window shows it.
        self.lock: locking.DatabaseLock | None = None
        a = self._action
        self.backup_action = a("file.backup", "&Back up now", self.back_up_now, "Ctrl+Shift+B", "Write a backup now")
        self.restore_action = a(
            "file.restore",
            "&Restore from backup…",
            self.restore_from_backup,
            None,
            "Replace the database with a backup",
        )
        self.log_action = a(
            "tools.activity_log", "&Activity log…", self.show_activity_log, "Ctrl+Shift+L", "Who changed what, and when"
        )
        self.access_action = a(
            "tools.subject_access",
            "&Subject access export…",
            self.subject_access,
            None,
            "Write everything held about one person (JSON and PDF)",
        )
        self.erase_action = a(
            "tools.erase",
            "&Erase participant…",
            self.erase_participant,
            None,
            "Remove a participant everywhere, for good",
        )
        self.retention_action = a(
            "tools.retention",
            "Data &retention…",
            self.edit_retention,
            None,
            "How long closed cohorts keep personal data",
        )
        self.anonymise_action = a(
            "cohort.anonymise",
            "&Anonymise cohort…",
            self.anonymise_cohort,
            None,
            "Replace names, contact details and free text; keep the statistics",
        )
        self.banner = self._banner()
        self.update_read_only()
        # The window restores its saved toolbar state after this; the banner must follow the database.
        QTimer.singleShot(0, self.update_read_only)

    def adopt_lock(self, lock: locking.DatabaseLock | None) -> None:
        """Hold ``lock`` for the database now shown (releasing the previous one)."""
        if self.lock is not None and self.lock is not lock:
            self.lock.release()
        self.lock = lock

    def release_lock(self) -> None:
        self.adopt_lock(None)

    def open_other(self, path_or_url: str) -> Opened | None:
        """File > Open database… and restores: the start-up checks for another file; None if refused.

        Reopening the file this window already holds keeps its lock.
        """
        if not all(page.can_leave() for page in getattr(self.window, "pages", [])):
            return None  # a page kept its unsaved edits (Cancel)
        try:
            where = locate(path_or_url)
        except UserError as exc:
            QMessageBox.warning(self.window, "Cannot open the database", str(exc))
            return None
        held = self.lock if self.lock is not None and self.lock.held and self.lock.db_path == where.path else None
        if held is not None:
            try:
                return open_workspace(where, held_lock=held)
            except UserError as exc:
                QMessageBox.warning(self.window, "Cannot open the database", str(exc))
                return None
        opened = open_for_gui(where, self.window)
        if opened is not None:
            self.adopt_lock(opened.lock)
        return opened

    PLACES = {
        "file.backup": "File/safety",
        "file.restore": "File/safety",
        "tools.activity_log": "Tools/log",
        "tools.subject_access": "Tools/privacy",
        "tools.erase": "Tools/privacy",
        "tools.retention": "Tools/privacy",
        "cohort.anonymise": "Cohort/privacy",
    }

    def _action(self, id: str, text: str, slot, shortcut: str | None, tip: str):
        """Declare one of the data-safety actions in the registry; the window places it."""
        keys = (shortcut,) if shortcut else ()
        spec = ActionSpec(id, text, slot, keys=keys, places=(self.PLACES[id],), status_tip=tip, tool_tip=tip)
        return self.ctx.actions.add(spec, self.window)

    def _banner(self) -> QToolBar:
        bar = QToolBar("Read-only", self.window)
        bar.setObjectName("readOnlyBanner")
        bar.setMovable(False)
        bar.setStyleSheet("QToolBar#readOnlyBanner { background: #fff4ce; border-bottom: 1px solid #e0c060; }")
        label = QLabel()
        label.setObjectName("readOnlyText")
        label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        label.setContentsMargins(8, 4, 8, 4)
        bar.addWidget(label)
        self.banner_label = label
        self.window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        self.window.addToolBar(Qt.ToolBarArea.TopToolBarArea, bar)
        return bar

    def update_read_only(self) -> None:
        read_only = bool(self.ctx.read_only)
        path = self.ctx.db.path
        holder = locking.read_lock(path) if (read_only and path is not None) else None
        where = f" It is open {holder.describe()}." if holder else ""
        self.banner_label.setText(
            f"<b>Read-only.</b>{where} You can look, but changes cannot be saved here, and personal data "
            "cannot be exported (the activity log could not record it)."
        )
        self.banner.setVisible(read_only)
        for action in (self.restore_action, self.erase_action, self.anonymise_action, self.retention_action):
            action.setEnabled(not read_only)
        self.backup_action.setEnabled(path is not None)
        self.restore_action.setEnabled(path is not None and not read_only)

    # -- backups ---------------------------------------------------------------------------
    def back_up_now(self) -> None:
        try:
            target = backup.create_backup(self.ctx.db, kind="manual")
        except UserError as exc:
            QMessageBox.warning(self.window, "Backup failed", str(exc))
            return
        self.ctx.show_status(f"Backup written to {target}.")

    def restore_from_backup(self) -> None:
        path = self.ctx.db.path
        if path is None:
            return
        dialog = RestoreDialog(path, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen is None:
            return
        source = dialog.chosen
        try:
            backup.check_database_file(source)
        except UserError as exc:
            QMessageBox.warning(self.window, "Cannot restore this file", str(exc))
            return
        answer = QMessageBox.question(
            self.window,
            "Restore from backup",
            f"Replace the current database with {source.name}?\n\n"
            "The current database is saved as a backup first, so this can be reversed.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.ctx.undo_stack.clear()
        self.ctx.db.dispose()
        try:
            result = backup.restore_backup(path, source)
        except UserError as exc:
            QMessageBox.critical(self.window, "Restore failed", f"{exc} Nothing was changed.")
            return
        self.switch_database(str(path))
        kept = f" The previous database was saved as {result.previous.name}." if result.previous else ""
        self.ctx.show_status(f"Restored from {source.name}.{kept}")
        if result.erased_again:
            QMessageBox.information(self.window, "Restore from backup", result.erased_again_sentence)

    # -- activity log ------------------------------------------------------------------------
    def show_activity_log(self) -> None:
        if self.log_dialog is None:
            self.log_dialog = ActivityLogDialog(self.ctx, self.window)
        else:
            self.log_dialog.reload()
        self.log_dialog.show()
        self.log_dialog.raise_()
        self.log_dialog.activateWindow()

    # -- privacy -----------------------------------------------------------------------------
    def _selected_participant(self):
        for page in getattr(self.window, "pages", []):
            if page.name == "participants" and hasattr(page, "selected"):
                return page.selected()
        return None

    def subject_access(self) -> None:
        try:
            # Refused at once, not after the questions, when the activity log cannot record it.
            audit.check_export_allowed(self.ctx.db.engine)
        except UserError as exc:
            QMessageBox.warning(self.window, "Subject access export", str(exc))
            return
        selected = self._selected_participant()
        email, ok = QInputDialog.getText(
            self.window,
            "Subject access export",
            "Email address of the person who asked for their data:",
            text=selected.email if selected else "",
        )
        if not ok or not email.strip():
            return
        name = f"subject-access-{email.strip().split('@')[0]}.pdf"
        target = ask_save_file(self.window, "subject_access", "Save the subject access export", name, "PDF (*.pdf)")
        if not target:
            return
        try:
            with self.ctx.db.transaction() as s:
                # The save dialog has asked before replacing a file of that name.
                json_path, pdf_path = privacy.write_subject_access(s, email, target, replace=True)
        except (UserError, OSError) as exc:
            QMessageBox.warning(self.window, "Subject access export", str(exc))
            return
        self.ctx.show_status(f"Wrote {pdf_path.name} and {json_path.name} in {pdf_path.parent}.")

    def erase_participant(self) -> None:
        selected = self._selected_participant()
        if selected is None or selected.id is None:
            QMessageBox.information(
                self.window,
                "Erase participant",
                "Select the participant on the Participants page first, then choose Erase participant again.",
            )
            return
        box = QMessageBox(self.window)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Erase participant")
        box.setText(f"Erase {selected.full_name} for good?")
        box.setInformativeText(
            "Their details, goals, matches and evaluation answers are removed, and their names, email and "
            "phone are taken out of the activity log and of everyone else's notes and answers. This cannot "
            f"be undone.\n\n{backup.erase_note(self.ctx.db)}"
        )
        erase = box.addButton("Erase for good", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.exec()
        if box.clickedButton() is not erase:
            return
        try:
            with self.ctx.db.transaction() as s:
                privacy.erase_participant(s, selected.id)
        except UserError as exc:
            QMessageBox.warning(self.window, "Erase participant", str(exc))
            return
        # Undo steps could bring the erased person back: they go.
        self.ctx.undo_stack.clear()
        self.ctx.notify_changed()
        self.ctx.show_status(f"Participant #{selected.id} erased.")

    def anonymise_cohort(self, cohort_id: int | None = None) -> bool:
        cohort_id = cohort_id if isinstance(cohort_id, int) else self.ctx.cohort_id
        if cohort_id is None:
            return False
        with self.ctx.db.session() as s:
            cohort = s.get(Cohort, cohort_id)
            name = cohort.name if cohort else ""
        answer = QMessageBox.warning(
            self.window,
            "Anonymise cohort",
            f"Anonymise '{name}'?\n\nNames, contact details, notes, goal texts and evaluation comments are "
            "replaced for good. Roles, career stages, regions, focus areas, matches and ratings stay, so the "
            "statistics and the report still work.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            with self.ctx.db.transaction() as s:
                result = privacy.anonymise_cohort(s, cohort_id)
        except UserError as exc:
            QMessageBox.warning(self.window, "Anonymise cohort", str(exc))
            return False
        self.ctx.undo_stack.clear()
        self.ctx.notify_changed()
        self.ctx.show_status(f"'{name}' anonymised: {result.participants} participants.")
        return True

    def edit_retention(self) -> None:
        with self.ctx.db.session() as s:
            months = privacy.retention_months(s)
        value, ok = QInputDialog.getInt(
            self.window,
            "Data retention",
            "Offer to anonymise a closed cohort this many months after its evaluation date:",
            months,
            1,
            1200,
        )
        if not ok:
            return
        with self.ctx.db.transaction() as s:
            privacy.set_retention_months(s, value)
        self.ctx.show_status(f"Closed cohorts are flagged {value} months after their evaluation.")

    def check_retention(self) -> None:
        """At start-up: offer to anonymise closed cohorts past the retention period (snoozed 30 days)."""
        if self.ctx.read_only:
            return
        with self.ctx.db.session() as s:
            due = [(c.id, c.name, c.evaluation_date) for c in privacy.cohorts_due_for_anonymising(s)]
            months = privacy.retention_months(s)
        settings = QSettings()
        today = dt.date.today()
        for cohort_id, name, evaluated in due:
            key = f"retention/snoozed/{cohort_id}"
            snoozed = str(settings.value(key, "") or "")
            if snoozed and snoozed >= today.isoformat():
                continue
            box = QMessageBox(self.window)
            box.setIcon(QMessageBox.Icon.Information)
            box.setWindowTitle("Personal data past its retention period")
            box.setText(f"The closed cohort '{name}' was evaluated on {short_date(evaluated)}.")
            box.setInformativeText(
                f"Personal data is kept for {months} months after a cohort's evaluation. Anonymise it now? "
                "Statistics are kept; names, contact details and free text are replaced."
            )
            now = box.addButton("Anonymise…", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Remind me later", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is now and self.anonymise_cohort(cohort_id):
                continue
            settings.setValue(key, (today + dt.timedelta(days=SNOOZE_DAYS)).isoformat())


class RestoreDialog(QDialog):
    """Pick a backup of this database (newest first) or any backup file."""

    def __init__(self, db_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.setObjectName("restoreDialog")
        self.resize(520, 380)
        self.db_path = db_path
        self.chosen: Path | None = None
        intro = QLabel(
            "Choose the backup to go back to. The current database is saved as a backup before it is replaced."
        )
        intro.setWordWrap(True)
        self.list = QListWidget(objectName="backupList")
        for b in backup.list_backups(db_path):
            if b.kind == "damaged":
                continue
            item = QListWidgetItem(b.label)
            item.setData(Qt.ItemDataRole.UserRole, str(b.path))
            item.setToolTip(str(b.path))
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.list.addItem(QListWidgetItem("No backups yet in the backups folder."))
            self.list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
        self.other = QPushButton("Other file…", objectName="otherFile")
        self.other.setToolTip("Restore a backup file from somewhere else, e.g. a USB stick")
        self.other.clicked.connect(self._choose_file)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore = self.buttons.addButton("Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore.setObjectName("restoreButton")
        self.restore.setEnabled(self.list.currentItem() is not None and bool(self.list.currentItem().flags()))
        self.buttons.accepted.connect(self._accept_selected)
        self.buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda _item: self._accept_selected())
        self.list.currentItemChanged.connect(
            lambda item, _old: self.restore.setEnabled(item is not None and bool(item.flags()))
        )
        row = QHBoxLayout()
        row.addWidget(self.other)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)

    def _accept_selected(self) -> None:
        item = self.list.currentItem()
        path = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if path:
            self.chosen = Path(path)
            self.accept()

    def _choose_file(self) -> None:
        start = backup.backup_dir(self.db_path)  # where the backups are, whatever was opened last
        path = ask_open_file(self, "backup", "Choose a backup", "mentorapp backups (*.db);;All files (*)", start)
        if path:
            self.chosen = Path(path)
            self.accept()
