"""The Participants page: the cohort's mentors and mentees, searchable, editable, undoable."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelectionModel, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mentorapp.dates import short_date
from mentorapp.people.cohorts import add_focus_area, cohort_vocabulary
from mentorapp.people.participants import (
    ParticipantData,
    create_participant,
    delete_participant,
    get_participant,
    list_participants,
    restore_participant,
    update_participant,
)
from mentorapp.people.vocabulary import HORIZON_LABELS, ROLE_LABELS, SchemeVocabulary
from mentorapp.store.models import HORIZONS, Cohort
from mentorapp_ui.app.actions import WINDOW, ActionSpec
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.app.page import Page
from mentorapp_ui.app.undo import DbCommand, push_command
from mentorapp_ui.app.widgets import TableView
from mentorapp_ui.people.participant_dialog import ParticipantDialog
from mentorapp_ui.people.participant_model import NAME, ParticipantFilterProxy, ParticipantRole, ParticipantTableModel


class ParticipantsPage(Page):
    title = "Participants"
    name = "participants"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = ParticipantTableModel(self)
        self.proxy = ParticipantFilterProxy(self)
        self.proxy.setSourceModel(self.model)

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText("Search name, email or organisation  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter_changed)
        self.role_filter = QComboBox()
        self.role_filter.setObjectName("roleFilter")
        self.role_filter.addItem("All roles", None)
        self.role_filter.addItem("Mentees", "mentee")
        self.role_filter.addItem("Mentors", "mentor")
        self.role_filter.currentIndexChanged.connect(self._filter_changed)
        self.stage_filter = QComboBox()
        self.stage_filter.setObjectName("stageFilter")
        self.stage_filter.addItem("All career stages", None)  # the cohort's own stages: refresh() fills them
        self.stage_filter.currentIndexChanged.connect(self._filter_changed)

        # Add and Edit work on every page (as today); Delete and Find only while this page has the focus.
        self.add_action = self.declare(
            ActionSpec(
                "participants.add",
                "&Add participant…",
                self.add_participant,
                keys=("Ctrl+Shift+A",),
                places=("Edit/participants",),
                status_tip="Add a mentor or mentee by hand",
                scope=WINDOW,
            )
        )
        self.edit_action = self.declare(
            ActionSpec(
                "participants.edit",
                "&Edit participant…",
                self.edit_selected,
                keys=("Ctrl+E",),
                places=("Edit/participants",),
                scope=WINDOW,
            )
        )
        self.delete_action = self.declare(
            ActionSpec(
                "participants.delete",
                "&Delete participant…",
                self.delete_selected,
                keys=("Del",),
                places=("Edit/participants",),
            )
        )
        self.history_action = self.declare(
            ActionSpec(
                "participants.history",
                "Person's &history…",
                self.show_history,
                keys=("Ctrl+H",),
                places=("Edit/participants",),
                status_tip="Every cohort of the selected person: role, goals, pairs, outcome, answers; merge or split",
            )
        )
        tip = "Rename, merge, reorder, add and remove the cohort's focus areas, career stages and regions"
        self.vocabulary_action = self.declare(
            ActionSpec(
                "cohort.vocabulary",
                "&Vocabulary…",
                self.edit_vocabulary,
                keys=("Ctrl+Shift+V",),
                places=("Cohort/cohort",),
                status_tip=tip,
                tool_tip=tip,
                enabled_when=lambda: ctx.has_database and ctx.cohort_id is not None and not ctx.read_only,
                scope=WINDOW,
            )
        )
        self.declare(
            ActionSpec(
                "participants.find",
                "",
                lambda: (self.search.setFocus(), self.search.selectAll()),
                keys=(QKeySequence.StandardKey.Find,),
            )
        )

        self.add_button = add_button = QPushButton("Add…")
        add_button.setObjectName("addButton")
        add_button.setToolTip("Add a participant (Ctrl+Shift+A)")
        add_button.clicked.connect(self.add_participant)
        self.edit_button = QPushButton("Edit…")
        self.edit_button.setObjectName("editButton")
        self.edit_button.setToolTip("Edit the selected participant (Enter or double-click)")
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button = QPushButton("Delete…")
        self.delete_button.setObjectName("deleteButton")
        self.delete_button.setToolTip("Delete the selected participant (Delete); Ctrl+Z brings them back")
        self.delete_button.clicked.connect(self.delete_selected)

        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.role_filter)
        top.addWidget(self.stage_filter)
        top.addStretch(1)
        top.addWidget(add_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)

        self.table = TableView()
        self.table.setObjectName("participantsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(NAME, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((190, 70, 230, 230, 190, 130, 260, 70)):
            self.table.setColumnWidth(column, width)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        # activated covers a double-click and Enter alike (doubleClicked as well opened the dialog twice).
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_details())

        self.details = QTextBrowser()
        self.details.setObjectName("details")
        self.details.setOpenExternalLinks(False)
        self.details.setMinimumWidth(260)

        self.count_label = QLabel()
        self.count_label.setObjectName("countLabel")
        self.splitter = QSplitter()
        self.splitter.setObjectName("participantsSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.details)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([900, 340])
        self.empty_state = self._build_empty_state()
        self.body = QStackedWidget()
        self.body.addWidget(self.splitter)
        self.body.addWidget(self.empty_state)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.count_label)
        state = QSettings().value("participants/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        self.splitter.splitterMoved.connect(
            lambda *_: QSettings().setValue("participants/splitter", self.splitter.saveState())
        )
        self._update_buttons()

    def _build_empty_state(self) -> QWidget:
        """What a cohort with nobody in it shows: how to bring people in, through the menus' own actions."""
        box = QWidget()
        box.setObjectName("emptyState")
        self.empty_message = QLabel()
        self.empty_message.setObjectName("emptyMessage")
        self.empty_message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_message.setWordWrap(True)
        self.empty_message.setStyleSheet("font-size: 13pt;")
        hint = QLabel(
            "Import the applications from a spreadsheet or CSV file (a form's export will do; you can also "
            "drop the file on the window), or add people one by one."
        )
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #5b6773;")
        self.empty_import_button = QPushButton("Import applications…")
        self.empty_import_button.setObjectName("emptyImportButton")
        self.empty_import_button.setToolTip("File > Import applications… (Ctrl+I)")
        self.empty_import_button.clicked.connect(lambda: self._trigger("importApplicationsAction"))
        self.empty_add_button = QPushButton("Add participant…")
        self.empty_add_button.setObjectName("emptyAddButton")
        self.empty_add_button.setToolTip("Edit > Add participant… (Ctrl+Shift+A)")
        self.empty_add_button.clicked.connect(self.add_action.trigger)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.empty_import_button)
        buttons.addWidget(self.empty_add_button)
        buttons.addStretch(1)
        column = QVBoxLayout(box)
        column.addStretch(1)
        column.addWidget(self.empty_message)
        column.addWidget(hint)
        column.addSpacing(12)
        column.addLayout(buttons)
        column.addStretch(2)
        return box

    def _trigger(self, action_id: str) -> None:
        action = self.ctx.actions.action(action_id)
        if action is not None:
            action.trigger()

    def _show_empty_state(self) -> None:
        """The list, or (a cohort with nobody in it yet) the way to bring people in."""
        empty = self.ctx.cohort_id is not None and self.model.rowCount() == 0
        if empty:
            with self.ctx.db.session() as s:
                cohort = s.get(Cohort, self.ctx.cohort_id)
                name = cohort.name if cohort is not None else "this cohort"
            self.empty_message.setText(f"There is nobody in {name} yet.")
            importing = self.ctx.actions.action("importApplicationsAction")
            self.empty_import_button.setEnabled(importing is not None and importing.isEnabled())
            self.empty_add_button.setEnabled(self.add_action.isEnabled())
        self.body.setCurrentWidget(self.empty_state if empty else self.splitter)

    # -- loading -----------------------------------------------------------
    def refresh(self) -> None:
        selected = self.selected()
        if self.ctx.cohort_id is None:
            self.model.set_participants([], [])
            self._fill_stage_filter([])
        else:
            stages = self._vocabulary().career_stages  # none while the cohort is gone (its creation undone)
            with self.ctx.db.session() as s:
                self.model.set_participants(list_participants(s, self.ctx.cohort_id), stages)
            self._fill_stage_filter(stages)
            self.proxy.resort()
        if selected is not None:
            self.select_participant(selected.id)
        self._update_counts()
        self._show_details()
        self._show_empty_state()

    def _fill_stage_filter(self, stages: list[str]) -> None:
        """The cohort's career stages, most junior first; the chosen stage is kept while it still exists."""
        chosen = self.stage_filter.currentData()
        if [self.stage_filter.itemData(i) for i in range(1, self.stage_filter.count())] == stages:
            return
        self.stage_filter.blockSignals(True)
        self.stage_filter.clear()
        self.stage_filter.addItem("All career stages", None)
        for stage in stages:
            self.stage_filter.addItem(stage, stage)
        self.stage_filter.setCurrentIndex(max(0, self.stage_filter.findData(chosen)) if chosen else 0)
        self.stage_filter.blockSignals(False)
        self._filter_changed()

    def _filter_changed(self) -> None:
        self.proxy.set_search(self.search.text())
        self.proxy.set_role(self.role_filter.currentData())
        self.proxy.set_stage(self.stage_filter.currentData())
        self._update_counts()

    def _update_counts(self) -> None:
        total = self.model.rowCount()
        shown = self.proxy.rowCount()
        rows = [self.model.participant(r) for r in range(total)]
        mentees = sum(p.is_mentee for p in rows)
        mentors = sum(p.is_mentor for p in rows)
        missing = sum(not p.consent for p in rows)
        text = f"{mentees} mentees · {mentors} mentors"
        if shown != total:
            text = f"Showing {shown} of {total} · " + text
        if missing:
            text += f" · ⚠ {missing} without recorded consent"
        self.count_label.setText(text)

    def selected(self) -> ParticipantData | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return rows[0].data(ParticipantRole)

    def select_participant(self, participant_id: int | None) -> None:
        row = self.model.row_of(participant_id) if participant_id is not None else -1
        if row < 0:
            self.table.clearSelection()
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectionModel().select(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            self.table.setCurrentIndex(index)
            self.table.scrollTo(index)

    def _update_buttons(self) -> None:
        writable = not self.ctx.read_only
        has = self.selected() is not None and writable
        for widget in (self.edit_button, self.delete_button, self.edit_action, self.delete_action):
            widget.setEnabled(has)
        self.history_action.setEnabled(self.selected() is not None)
        self.add_action.setEnabled(self.ctx.cohort_id is not None and writable)
        self.add_button.setEnabled(self.add_action.isEnabled())

    def _context_menu(self, pos) -> None:
        menu = self.build_context_menu(pos)
        if menu is not None:
            menu.exec(self.table.viewport().mapToGlobal(pos))

    def build_context_menu(self, pos) -> QMenu | None:
        """Right-click: select the participant under the mouse and offer what can be done to them."""
        index = self.table.indexAt(pos)
        if not index.isValid():
            return None
        self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.addAction(self.edit_action)
        menu.addAction(self.delete_action)
        menu.addAction(self.history_action)
        privacy = [self.ctx.actions.action(id) for id in ("tools.subject_access", "tools.erase")]
        if all(privacy):
            menu.addSeparator()
            menu.addActions(privacy)
        return menu

    def _show_details(self) -> None:
        self._update_buttons()
        p = self.selected()
        self.details.setHtml(
            participant_html(p)
            if p
            else "<p style='color:gray'>Select a participant to see their goals or expertise.</p>"
        )

    # -- actions -------------------------------------------------------------
    def _vocabulary(self) -> SchemeVocabulary:
        with self.ctx.db.session() as s:
            if self.ctx.cohort_id is None or s.get(Cohort, self.ctx.cohort_id) is None:
                return SchemeVocabulary([], [], [])
            return cohort_vocabulary(s, self.ctx.cohort_id)

    def show_history(self) -> None:
        from mentorapp_ui.people.person_history import show_history

        current = self.selected()
        if current is not None and current.id is not None:
            self.history_dialog = show_history(self.ctx, current.id, self)

    def edit_vocabulary(self) -> None:
        from mentorapp_ui.people.vocabulary_dialog import edit_vocabulary

        if self.ctx.cohort_id is not None:
            edit_vocabulary(self.ctx, self.ctx.cohort_id, self)

    def add_participant(self) -> None:
        if self.ctx.cohort_id is None:
            self.ctx.show_status("Create a cohort first (File > New cohort).")
            return
        dialog = ParticipantDialog(self.ctx, self.ctx.cohort_id, self._vocabulary(), None, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.save_new(dialog.current_data(), dialog.new_areas)

    def save_new(self, data: ParticipantData, new_areas: list[str] | None = None) -> bool:
        cohort_id = self.ctx.cohort_id
        areas = list(new_areas or [])

        def do(session, _cmd: DbCommand) -> int:
            for area in areas:
                add_focus_area(session, cohort_id, area)
            p = create_participant(session, cohort_id, data)
            data.id = p.id  # redo brings back the same row
            return p.id

        def undo(session, cmd: DbCommand) -> None:
            delete_participant(session, cmd.result)

        command = DbCommand(self.ctx, f"Add {data.full_name}", do, undo)
        if push_command(self.ctx, command):
            self.select_participant(command.result)
            return True
        QMessageBox.warning(self, "Not saved", str(command.error))
        return False

    def edit_selected(self) -> None:
        current = self.selected()
        if current is None or current.id is None:
            return
        with self.ctx.db.session() as s:
            before = get_participant(s, current.id)
        if before is None:
            self.refresh()
            return
        dialog = ParticipantDialog(self.ctx, self.ctx.cohort_id, self._vocabulary(), before, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        after = dialog.current_data()
        areas = list(dialog.new_areas)
        cohort_id = self.ctx.cohort_id

        def do(session, cmd: DbCommand) -> None:
            for area in areas:
                add_focus_area(session, cohort_id, area)
            # The first run checks nobody else changed the record; undo/redo own it.
            update_participant(session, after)
            after.version_id = None

        def undo(session, _cmd: DbCommand) -> None:
            restore = ParticipantData(**{**before.__dict__, "version_id": None})
            update_participant(session, restore, validate=False)

        command = DbCommand(self.ctx, f"Edit {after.full_name}", do, undo)
        if not push_command(self.ctx, command):
            QMessageBox.warning(self, "Not saved", str(command.error))
        self.select_participant(before.id)

    def delete_selected(self) -> None:
        current = self.selected()
        if current is None or current.id is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete participant",
            f"Delete {current.full_name} and their goals, matches and evaluation answers?\n\n"
            "You can undo this with Edit > Undo (Ctrl+Z).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.delete_participant(current)

    def delete_participant(self, current: ParticipantData) -> bool:
        pid = current.id

        def do(session, _cmd: DbCommand):
            return delete_participant(session, pid)

        def undo(session, cmd: DbCommand) -> None:
            restore_participant(session, cmd.result)

        command = DbCommand(self.ctx, f"Delete {current.full_name}", do, undo)
        ok = push_command(self.ctx, command)
        if not ok:
            QMessageBox.warning(self, "Not deleted", str(command.error))
        return ok


def participant_html(p: ParticipantData) -> str:
    """The detail panel: who they are, then goals (mentee) and expertise (mentor)."""
    e = escape
    lines = [f"<h3 style='margin-bottom:2px'>{e(p.title + ' ' + p.full_name).strip()}</h3>"]
    sub = " · ".join(x for x in (p.job_title, p.organisation) if x)
    if sub:
        lines.append(f"<div style='color:#555'>{e(sub)}</div>")
    facts = [
        ("Role", ROLE_LABELS.get(p.role, p.role)),
        ("Email", p.email),
        ("Phone", p.phone),
        ("Career stage", p.career_stage),
        ("Region", p.region),
        ("Membership no.", p.membership_number),
        (
            "Consent",
            (f"Given {short_date(p.consent_date)}" if p.consent_date else "Given") if p.consent else "⚠ No consent",
        ),
    ]
    lines.append("<table cellspacing='2'>")
    for label, value in facts:
        if value:
            # An address or a number is never split across lines ("…@exampl" / "e.org"): a narrow panel scrolls.
            keep = " style='white-space:nowrap'" if label in ("Email", "Phone", "Membership no.") else ""
            lines.append(
                f"<tr><td style='color:#666;padding-right:8px;white-space:nowrap'>{e(label)}</td>"
                f"<td{keep}>{e(value)}</td></tr>"
            )
    lines.append("</table>")
    if p.is_mentee:
        lines.append("<h4>Goals</h4>")
        goals = sorted(p.goals, key=lambda g: HORIZONS.index(g.horizon))
        if not goals:
            lines.append("<p style='color:gray'>No goals yet.</p>")
        for g in goals:
            tags = "".join(
                f"<span style='background:#e8eef7;color:#1d3a6e'>&nbsp;{e(a)}&nbsp;</span> " for a in g.focus_areas
            )
            lines.append(f"<p><b>{e(HORIZON_LABELS[g.horizon])}:</b> {e(g.text)}<br/>{tags}</p>")
    if p.is_mentor:
        lines.append(
            f"<h4>Experience</h4><p>Capacity: {p.capacity} mentee{'s' if p.capacity != 1 else ''}"
            + (f" · {e(p.availability)}" if p.availability else "")
            + (f" · meets {e(p.meeting_preference)}" if p.meeting_preference != "either" else "")
            + "</p>"
        )
        if p.expertise:
            items = "".join(f"<li>{e(x.focus_area)}: {x.years} years</li>" for x in p.expertise)
            lines.append(f"<ul>{items}</ul>")
        if p.experience:
            lines.append(f"<p>{e(p.experience)}</p>")
    if p.notes:
        lines.append(f"<h4>Notes</h4><p>{e(p.notes)}</p>")
    return "\n".join(lines)
