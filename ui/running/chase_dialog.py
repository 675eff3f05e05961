"""Chase e-mails: for one list, the people, the template (placeholders, preview), then the drafts.

The lists, templates, drafts and marks are the core's (:mod:`mentorapp.running.chase`,
:mod:`mentorapp.running.chase_templates`): a template with an unknown placeholder is refused at
save with its name; the drafts are written as .eml files into a folder (off the GUI thread),
opened one at a time in the mail client (mailto:), or their addresses copied for one
blind-copy message. "Mark as chased" records today's date (undoable); the dashboard shows it.
"""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from mentorapp.dates import long_date, short_date
from mentorapp.errors import UserError
from mentorapp.running.chase import (
    ChaseItem,
    Draft,
    all_addresses,
    chase_list,
    evaluation_stage,
    mailto_url,
    make_drafts,
    mark_chased,
    write_drafts,
)
from mentorapp.running.chase_templates import (
    PLACEHOLDERS,
    TOPIC_LABELS,
    ChaseTemplate,
    default_chase_template,
    load_chase_template,
    save_chase_template,
)
from mentorapp.running.settings import sender
from mentorapp.store.models import CHASE_TOPICS, Cohort
from mentorapp.words import plural
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.file_dialogs import ask_folder
from mentorapp_ui.app.tasks import Task, run_task
from mentorapp_ui.app.widgets import ErrorLabel, TableView
from mentorapp_ui.running.changes import push_change
from mentorapp_ui.running.checkins_io import ask_earlier
from mentorapp_ui.running.day import today

Index = QModelIndex | QPersistentModelIndex
# "Last chased" beside the name: at the end it was off-screen, so marking people showed no change.
COLUMNS = ("Name", "Last chased", "Why", "Partner", "Side", "E-mail")
KIND = "chase_drafts"


class ChaseItemsModel(QAbstractTableModel):
    """The people of one list."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.items: list[ChaseItem] = []

    def set_items(self, items: list[ChaseItem]) -> None:
        self.beginResetModel()
        self.items = list(items)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        i = self.items[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            partners = i.partners or ((i.partner,) if i.partner else ())
            return (
                i.person.name,
                short_date(i.last_chased) if i.last_chased else "not yet",
                i.reason,
                " and ".join(p.name for p in partners),
                i.role.title(),
                i.person.email,
            )[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 1 and not i.last_chased:
            return QColor("#5f6b7a")
        return None


def evaluation_attach(session: Any, cohort_id: int, about: str) -> Any:
    """Each person's own evaluation form for an evaluation draft (None for the other lists).

    The command line's helper is the one way this is done; it lives in mentorapp/cli/running.py
    until the core moves it beside make_drafts.
    """
    if about != "evaluation":
        return None
    from mentorapp.cli.running import _evaluation_attachment

    cohort = session.get(Cohort, cohort_id)
    return _evaluation_attachment(session, cohort_id, evaluation_stage(cohort, today()))


class ChaseDialog(QDialog):
    """Chase the people of one list: template, preview, drafts, addresses, marks."""

    def __init__(self, ctx: AppContext, cohort_id: int, about: str = "first-meeting", parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.cohort_id = cohort_id
        self.task: Task | None = None
        self.next_row = 0
        self.open_url = QDesktopServices.openUrl  # tests replace this
        self.ask_folder = lambda: ask_folder(self, KIND, "Folder for the e-mail drafts")
        self.ask_earlier = lambda folder: ask_earlier(self, folder, "e-mail drafts")
        self.setObjectName("chaseDialog")
        self.setWindowTitle("Chase e-mails")

        self.topic = QComboBox()
        self.topic.setObjectName("chaseTopic")
        for key in CHASE_TOPICS:
            self.topic.addItem(TOPIC_LABELS[key], key)
        self.count = QLabel()
        self.count.setObjectName("chaseCount")
        top = QHBoxLayout()
        top.addWidget(QLabel("&List:", buddy=self.topic))
        top.addWidget(self.topic)
        top.addWidget(self.count, 1)

        self.model = ChaseItemsModel(self)
        self.table = TableView()
        self.table.setObjectName("chasePeople")
        self.table.setAccessibleName("People to chase")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)  # one line a person; the reason in full in its tooltip
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setResizeContentsPrecision(100)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.horizontalHeader().setStretchLastSection(True)

        self.subject = QLineEdit()
        self.subject.setObjectName("chaseSubject")
        self.body = QPlainTextEdit()
        self.body.setObjectName("chaseBody")
        self.attach = QCheckBox("Attach the person's own form")
        self.attach.setObjectName("chaseAttach")
        self.placeholders = QListWidget()
        self.placeholders.setObjectName("chasePlaceholders")
        self.placeholders.setToolTip("Double-click (or Enter) to put a placeholder where the cursor is")
        for name, meaning in PLACEHOLDERS.items():
            self.placeholders.addItem("{" + name + "}")
            self.placeholders.item(self.placeholders.count() - 1).setToolTip(meaning)
        self.placeholders.itemActivated.connect(lambda item: self.body.insertPlainText(item.text()))
        self.placeholders.setMaximumWidth(220)
        save = QPushButton("Sa&ve template")
        save.setObjectName("saveChaseTemplate")
        save.setAutoDefault(False)
        save.clicked.connect(self.save_template)
        restore = QPushButton("Restore &defaults")
        restore.setAutoDefault(False)
        restore.clicked.connect(self.restore_default)
        editor = QGroupBox("Template")
        grid = QGridLayout(editor)
        grid.addWidget(QLabel("S&ubject:", buddy=self.subject), 0, 0)
        grid.addWidget(self.subject, 0, 1)
        grid.addWidget(self.body, 1, 0, 1, 2)
        grid.addWidget(self.placeholders, 0, 2, 2, 1)
        row = QHBoxLayout()
        row.addWidget(self.attach, 1)
        row.addWidget(restore)
        row.addWidget(save)
        grid.addLayout(row, 2, 0, 1, 3)

        self.sender_label = QLabel()
        self.sender_label.setObjectName("chaseSender")
        self.sender_label.setWordWrap(True)
        self.preview = QPlainTextEdit()
        self.preview.setObjectName("chasePreview")
        self.preview.setReadOnly(True)
        preview_box = QGroupBox("Preview for the selected person")
        sender_button = self._button("Sender and &signature…", "editSender", self.edit_sender)
        sender_button.setToolTip("Your name, address and signature in these e-mails (Running settings)")
        sender_row = QHBoxLayout()
        sender_row.addWidget(self.sender_label, 1)
        sender_row.addWidget(sender_button)
        preview_layout = QVBoxLayout(preview_box)
        preview_layout.addLayout(sender_row)
        preview_layout.addWidget(self.preview)

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(editor)
        right.addWidget(preview_box)
        split = QSplitter()
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([560, 620])

        self.error = ErrorLabel()
        self.error.setObjectName("chaseError")
        # What the last step did, here in the dialog: the window's status bar is hidden behind it.
        self.outcome = QLabel()
        self.outcome.setObjectName("chaseOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.setStyleSheet("background: #e3f1e5; color: #1e5c2b; padding: 6px; border-radius: 4px;")
        self.outcome.hide()
        self.write_button = self._button("&Write drafts to a folder…", "writeDrafts", self.write)
        self.open_button = self._button("&Open next in mail client", "openDraft", self.open_next)
        self.open_button.setToolTip("Opens one draft at a time as a new message (attachments cannot go this way)")
        self.copy_button = self._button("&Copy all addresses", "copyAddresses", self.copy_addresses)
        self.copy_button.setToolTip("Every address of the list, for one blind-copy (Bcc) message")
        self.mark_button = self._button("&Mark as chased", "markChased", self.mark)
        self.mark_button.setToolTip("Record today as the day these people were chased; the dashboard shows it")
        close = self._button("Close", "closeChase", self.reject)
        buttons = QHBoxLayout()
        for b in (self.write_button, self.open_button, self.copy_button, self.mark_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.outcome)
        layout.addLayout(buttons)
        self.resize(1180, 680)

        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.update_preview)
        for signal in (self.subject.textChanged, self.body.textChanged):
            signal.connect(self._timer.start)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.update_preview())
        self.topic.currentIndexChanged.connect(lambda _i: (self.tell(""), self.load()))
        self.topic.setCurrentIndex(max(0, self.topic.findData(about)))
        self.load()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    @property
    def about(self) -> str:
        return str(self.topic.currentData())

    # -- loading -------------------------------------------------------------------------
    def load(self) -> None:
        """The list and the stored template of the chosen topic."""
        with self.ctx.db.session() as s:
            items = chase_list(s, self.cohort_id, self.about, today())
            template = load_chase_template(s, self.cohort_id, self.about)
            who = sender(s, self.cohort_id)
        self.model.set_items(items)
        self.table.resizeColumnsToContents()
        self.table.setColumnWidth(2, min(self.table.columnWidth(2), 260))  # the reason: its tooltip has it all
        self.next_row = 0
        n = len(items)
        self.count.setText(f"{n} {'person' if n == 1 else 'people'} to chase as of {long_date(today())}")
        for b in (self.write_button, self.open_button, self.copy_button, self.mark_button):
            b.setEnabled(bool(items))
        self.show_template(template)
        address = f" &lt;{escape(who.email)}&gt;" if who.email else " (no address: set one in Running settings)"
        self.sender_label.setText(f"From: <b>{escape(who.name or 'you')}</b>{address}")
        if items:
            self.table.selectRow(0)
        self.update_preview()

    def show_template(self, template: ChaseTemplate) -> None:
        self.subject.setText(template.subject)
        self.body.setPlainText(template.body)
        self.attach.setChecked(template.attach_form)

    def template(self) -> ChaseTemplate:
        return ChaseTemplate(self.subject.text(), self.body.toPlainText(), self.attach.isChecked())

    def selected_items(self) -> list[ChaseItem]:
        rows = self.table.selectionModel().selectedRows()
        return [self.model.items[rows[0].row()]] if rows else self.model.items[:1]

    def drafts(self, items: list[ChaseItem], *, attach: bool = True) -> list[Draft]:
        """Drafts from the template as it is in the editor (its placeholders checked first)."""
        template = self.template()
        if not attach:
            template = ChaseTemplate(template.subject, template.body, False)
        with self.ctx.db.session() as s:
            extra = evaluation_attach(s, self.cohort_id, self.about) if attach else None
            return make_drafts(s, self.cohort_id, self.about, items, template=template, attach=extra)

    def update_preview(self) -> None:
        items = self.selected_items()
        if not items:
            self.preview.setPlainText("Nobody is on this list today.")
            return
        try:
            draft = self.drafts(items, attach=False)[0]
        except UserError as exc:
            self.error.show_error(str(exc))
            return
        self.error.show_error("")
        files = " (with their form attached)" if self.attach.isChecked() else ""
        self.preview.setPlainText(f"To: {draft.item.person.name} <{draft.item.person.email}>{files}\n"
                                  f"Subject: {draft.subject}\n\n{draft.body}")  # fmt: skip

    # -- the template ----------------------------------------------------------------------
    def save_template(self) -> bool:
        template, about, cohort_id = self.template(), self.about, self.cohort_id
        try:
            with self.ctx.db.transaction() as s:
                save_chase_template(s, cohort_id, about, template)
        except UserError as exc:
            self.error.show_error(str(exc))
            return False
        self.error.show_error("")
        self.ctx.show_status(f"The '{TOPIC_LABELS[about]}' e-mail template is saved.")
        return True

    def edit_sender(self) -> None:
        """The running settings (sender, signature); the preview follows once they are saved."""
        from mentorapp_ui.running.settings_dialog import RunningSettingsDialog

        dialog = RunningSettingsDialog(self.ctx, self.cohort_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(self._sender_saved)
        dialog.open()

    def _sender_saved(self) -> None:
        template = self.template()  # unsaved edits of the template stay
        self.load()
        self.show_template(template)
        self.update_preview()

    def restore_default(self) -> None:
        self.show_template(default_chase_template(self.about))

    # -- sending ---------------------------------------------------------------------------
    def write(self) -> Task | None:
        """Every draft as an .eml file in a chosen folder (all or none), off the GUI thread."""
        try:
            self.template().validate(self.about)
        except UserError as exc:
            self.error.show_error(str(exc))
            return None
        folder = self.ask_folder()
        if not folder:
            return None
        earlier = self.ask_earlier(Path(folder))
        if earlier is None:
            return None
        db, cohort_id, about, items = self.ctx.db, self.cohort_id, self.about, list(self.model.items)
        template = self.template()

        def job(_report: Any, _cancelled: Any) -> int:
            with db.session() as s:
                attach = evaluation_attach(s, cohort_id, about)
                drafts = make_drafts(s, cohort_id, about, items, template=template, attach=attach)
                return len(write_drafts(s, cohort_id, about, drafts, folder, earlier=earlier))

        def done(n: int) -> None:
            self.error.show_error("")
            message = f"Wrote {plural(n, 'e-mail draft')} to {folder}: open each and send it."
            self.ctx.show_status(message)
            self.tell(message)

        self.task = run_task(job, self, on_done=done, on_error=self.error.show_error)
        return self.task

    def open_next(self) -> None:
        """Open the next person's draft in the mail client, then select the one after."""
        if not self.model.items:
            return
        row = self.next_row % len(self.model.items)
        try:
            draft = self.drafts([self.model.items[row]], attach=False)[0]
        except UserError as exc:
            self.error.show_error(str(exc))
            return
        self.open_url(QUrl(mailto_url(draft)))
        self.next_row = row + 1
        self.table.selectRow(self.next_row % len(self.model.items))
        self.open_button.setText(f"&Open next in mail client ({self.next_row} of {len(self.model.items)} opened)")

    def copy_addresses(self) -> None:
        QGuiApplication.clipboard().setText(all_addresses(self.model.items))
        self.ctx.show_status("Every address of the list is on the clipboard: paste it into Bcc.")

    def mark(self) -> bool:
        ids = [i.person.id for i in self.model.items]
        cohort_id, about, day = self.cohort_id, self.about, today()
        result = push_change(self.ctx, "Mark as chased", lambda s: mark_chased(s, cohort_id, ids, about, day))
        if isinstance(result, str):
            self.error.show_error(result)
            return False
        self.load()
        n = len(ids)
        self.tell(
            f"Marked {plural(n, 'person')} as chased on {long_date(day)}: the Last chased column "
            "and the dashboard show it (Edit ▸ Undo takes it back)."
        )
        return True

    def tell(self, message: str) -> None:
        """Say in the dialog what the last step did (nothing: hide the line)."""
        self.outcome.setText(message)
        self.outcome.setVisible(bool(message))


def open_chase(ctx: AppContext, about: str = "first-meeting", parent: QWidget | None = None) -> ChaseDialog | None:
    if ctx.cohort_id is None:
        return None
    dialog = ChaseDialog(ctx, ctx.cohort_id, about, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


__all__ = ["ChaseDialog", "ChaseItemsModel", "open_chase"]
