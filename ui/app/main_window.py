"""The main window: menus, cohort selector, page navigation, status bar.

Start-up is in two steps so that the window appears at once, however large the
database: ``MainWindow(ctx)`` builds the frame (menus, toolbar, the list of
pages) from PySide6 alone; :meth:`MainWindow.open_pages` then imports and builds
the pages, once ``ctx`` has its database. ``main.py`` shows the frame between the
two; tests and scripts pass a context whose database is open, and get both at once.

Pages are listed in ``PAGES`` (:mod:`mentorapp_ui.app.pages`); each is a
:class:`mentorapp_ui.app.page.Page`. Every menu item and shortcut is declared in the
registry of actions (``ctx.actions``, :mod:`mentorapp_ui.app.actions`): the window
declares its own and places each one declared, its own or a page's, in the menus.
Nothing else sets attributes on the window. Window geometry, splitter state, the last page and cohort live in QSettings.
"""

from __future__ import annotations

# Not imported here: Qt (PySide6 builds ~90 Python enums the first time it is touched), QFileDialog,
# QMessageBox, the shortcuts table, the file dialogs, the recent databases (platformdirs, json). The frame,
# shown first, needs none of them; they are imported where used (tests/ui/test_startup.py keeps it so).
import shiboken6
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from mentorapp import __version__
from mentorapp_ui.app.actions import MENU_TITLES, MENUS, WINDOW, ActionSpec, plain
from mentorapp_ui.app.context import AppContext, remember_database
from mentorapp_ui.app.page import Page, scrolled
from mentorapp_ui.app.pages import PAGES
from mentorapp_ui.running.start import first_page

# What File > Open database… shows: mentorapp's own name for its files, and the names SQLite files often have.
DATABASE_FILES = "Databases (*.db *.sqlite *.sqlite3);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("mentorapp")
        self.setMinimumSize(900, 600)
        self._menus: dict[str, QMenu] = {}
        self._menu_items: dict[str, list[tuple[int, QAction]]] = {}  # menu -> (place in MENUS, action), in order
        self._toolbars: dict[str, QToolBar] = {}
        self._built: dict[int, Page] = {}  # row in PAGES -> its page, once built
        self._chosen_row: int | None = None  # a page chosen before the pages were built
        self._building = True  # one refresh at the end of open_pages, not one per step
        self._closed = False  # once closed, the pages not built yet never are
        ctx.actions.declared.connect(self._place)
        self._build_toolbar()
        self._declare_actions()
        self._build_frame()
        self._build_status_bar()
        # Bound methods, not lambdas: Qt drops them when the window is destroyed.
        ctx.status_message.connect(self._show_status)
        ctx.page_requested.connect(self.show_page)
        self._undo_index = ctx.undo_stack.index()
        ctx.undo_stack.indexChanged.connect(self._undo_index_changed)
        self._restore_geometry()
        if ctx.has_database:
            self.open_pages()

    def open_pages(self, *, later: bool = False) -> None:
        """Second step of start-up: build the pages on the open database and fill the visible one.

        With ``later`` only the visible page is built now; the others are built one per
        turn of the event loop after it (their menu actions appear then), so that the
        coordinator sees the data as early as possible.
        """
        from mentorapp_ui.app.data_safety import DataSafety
        from mentorapp_ui.importing.actions import ImportDropFilter, declare_import_actions

        self._building = True
        # File > Import applications… (Ctrl+I), Export application template…, and file drops.
        self.import_action, self.template_action = declare_import_actions(self.ctx, self)
        self.setAcceptDrops(True)
        self.installEventFilter(ImportDropFilter(self.ctx, self))
        # Back up / restore, activity log, erase / anonymise / subject access, read-only banner.
        self.data_safety = DataSafety(self.ctx, self, self.switch_database)
        self.ctx.data_changed.connect(self._refresh_current)
        self.ctx.cohort_changed.connect(self._refresh_current)
        self.ctx.data_changed.connect(self.ctx.actions.update)
        self.ctx.cohort_changed.connect(self.ctx.actions.update)
        self._update_db_label()
        self.reload_cohorts()
        row = self._first_row()
        self.page_at(row)
        self.nav.setEnabled(True)
        self.nav.setCurrentRow(row)
        self.nav.currentRowChanged.connect(self._page_chosen)
        self._page_chosen(row)
        self._building = False
        self._refresh_current()
        self.statusBar().clearMessage()
        if later:
            QTimer.singleShot(0, self, self._build_next_page)
        else:
            for n in range(len(PAGES)):
                self.page_at(n)

    @property
    def pages(self) -> list[Page]:
        """The pages built so far, in workflow order."""
        return [self._built[n] for n in sorted(self._built)]

    def page_at(self, row: int) -> Page:
        """The page in ``row`` of ``PAGES``, built now (in place of its "Opening…" sign) if it was not yet."""
        if row not in self._built:
            page = PAGES[row].load()(self.ctx, self)
            sign = self.stack.widget(row)
            was_current = self.stack.currentIndex() == row
            self.stack.insertWidget(row, scrolled(page))
            self.stack.removeWidget(sign)
            sign.deleteLater()
            if was_current:
                self.stack.setCurrentIndex(row)
            self._built[row] = page
            # Compatibility, for the match board only until its actions are declared in the
            # registry: it still adds them to the Match menu itself through menu().
            install = getattr(page, "install", None)
            if install is not None:
                install(self)
        return self._built[row]

    def _build_next_page(self) -> None:
        missing = [n for n in range(len(PAGES)) if n not in self._built]
        if missing and not self._closed:  # a page built after the window closed kept the application running
            self.page_at(missing[0])
            QTimer.singleShot(0, self, self._build_next_page)

    # -- menus -------------------------------------------------------------
    def menu(self, name: str) -> QMenu:
        """The top-level menu called ``name``, created in the order of ``MENUS`` with its separators.

        Only the registry's placing and the match board's compatibility hook use it.
        """
        if name in self._menus:
            return self._menus[name]
        menu = QMenu(MENU_TITLES.get(name, f"&{name}"), self)
        order = list(MENUS)
        # Known menus keep their order; any other goes just before Help.
        after = order.index(name) + 1 if name in MENUS else order.index("Help")
        later = [self._menus[n] for n in order[after:] if n in self._menus]
        if later:
            self.menuBar().insertMenu(later[0].menuAction(), menu)
        else:
            self.menuBar().addMenu(menu)
        self._menus[name] = menu
        items = self._menu_items[name] = []
        for n, section in enumerate(MENUS.get(name, ())):
            if section == "|":
                items.append((n, menu.addSeparator()))
        return menu

    def _place(self, spec: ActionSpec, action: QAction) -> None:
        """Put a declared action where it says: its menu sections and toolbars; a window key works anywhere."""
        if self.ctx.actions.scope(spec.id) == WINDOW and spec.keys:
            self.addAction(action)
        for place in spec.places:
            where, section = place.split("/")
            if where == "Toolbar":
                bar = self._toolbars[section]
                bar.addAction(action)
                button = bar.widgetForAction(action)
                if button is not None:
                    button.setAccessibleName(plain(action.text()))
                continue
            menu = self.menu(where)
            index = MENUS[where].index(section)
            items = self._menu_items[where]
            later = [n for n, (at, _a) in enumerate(items) if at > index]
            if later:
                menu.insertAction(items[later[0]][1], action)
                items.insert(later[0], (index, action))
            else:
                menu.addAction(action)
                items.append((index, action))

    def _declare_actions(self) -> None:
        ctx = self.ctx
        add = ctx.actions.add
        tip = "Edit the cohort's name, dates, status and focus areas"
        self.edit_cohort_action = add(
            ActionSpec(
                "cohort.edit",
                "&Edit cohort…",
                self.edit_current_cohort,
                keys=("Ctrl+Shift+E",),
                places=("Cohort/cohort", "Toolbar/cohort"),
                status_tip=tip,
                tool_tip=tip,
                enabled_when=lambda: ctx.has_database and ctx.cohort_id is not None,
            ),
            self,
        )
        tip = "How much each part of a pair's score counts in this cohort (focus areas, words, region…)"
        add(
            ActionSpec(
                "cohort.weights",
                "Matching &weights…",
                self.edit_matching_weights,
                places=("Cohort/cohort",),
                status_tip=tip,
                tool_tip=tip,
                enabled_when=lambda: ctx.has_database and ctx.cohort_id is not None and not ctx.read_only,
            ),
            self,
        )
        self.new_cohort_action = add(
            ActionSpec(
                "cohort.new",
                "&New cohort…",
                self.create_cohort,
                keys=(QKeySequence.StandardKey.New,),
                places=("File/database", "Cohort/cohort", "Toolbar/cohort"),
                status_tip="Create a new cohort",
                tool_tip="Create a new cohort",
                enabled_when=lambda: ctx.has_database,
            ),
            self,
        )
        tip = "Open another mentorapp database file"
        self.open_database_action = add(
            ActionSpec(
                "file.open_database",
                "&Open database…",
                self.choose_database,
                keys=(QKeySequence.StandardKey.Open,),
                places=("File/database",),
                status_tip=tip,
                tool_tip=tip,
                enabled_when=lambda: ctx.has_database,
            ),
            self,
        )
        tip = "Create a new, empty mentorapp database file and open it"
        spec = ActionSpec("file.new_database", "New &database…", self.create_database, places=("File/database",))
        add(spec._replace(status_tip=tip, tool_tip=tip, enabled_when=lambda: ctx.has_database), self)
        tip = "Open a mentorapp database on a PostgreSQL server, shared with other coordinators"
        add(
            ActionSpec(
                "file.open_shared_database",
                "Open &shared database…",
                self.choose_shared_database,
                places=("File/database",),
                status_tip=tip,
                tool_tip=tip,
                enabled_when=lambda: ctx.has_database,
            ),
            self,
        )
        add(
            ActionSpec(
                "file.quit",
                "&Quit",
                self.close,
                keys=("Ctrl+Q",),
                places=("File/quit",),
                status_tip="Quit mentorapp",
                tool_tip="Quit mentorapp",
                role=QAction.MenuRole.QuitRole,
            ),
            self,
        )
        stack = ctx.undo_stack
        undo = stack.createUndoAction(self, "&Undo")  # its text follows the stack: "Undo Add Ana Lima"
        add(
            ActionSpec("edit.undo", "&Undo", stack.undo, keys=(QKeySequence.StandardKey.Undo,), places=("Edit/undo",)),
            self,
            action=undo,
        )
        # Ctrl+Shift+Z, as the status bar says, and Ctrl+Y, on every platform. Not StandardKey.Redo
        # beside Ctrl+Shift+Z: on a Linux desktop that is Ctrl+Shift+Z again, and a key bound twice
        # is ambiguous, so neither fired.
        redo = stack.createRedoAction(self, "&Redo")
        add(
            ActionSpec("edit.redo", "&Redo", stack.redo, keys=("Ctrl+Shift+Z", "Ctrl+Y"), places=("Edit/undo",)),
            self,
            action=redo,
        )
        add(
            ActionSpec(
                "help.about",
                "&About mentorapp",
                self.show_about,
                places=("Help/about",),
                status_tip="About this application",
                tool_tip="About this application",
                role=QAction.MenuRole.AboutRole,
            ),
            self,
        )
        add(
            ActionSpec(
                "help.shortcuts",
                "&Keyboard shortcuts",
                self.show_shortcuts,
                keys=("F1",),
                places=("Help/about",),
                status_tip="Every action and the keys that reach it",
            ),
            self,
        )
        for n, entry in enumerate(PAGES):
            add(
                ActionSpec(
                    f"go.{entry.name}", entry.title, lambda i=n: self.nav.setCurrentRow(i), keys=(f"Ctrl+{n + 1}",)
                ),
                self,
            )

    # -- toolbar and pages ---------------------------------------------------
    def _build_toolbar(self) -> None:
        """The cohort selector; the registry places Edit cohort… and New cohort… after it."""
        bar = QToolBar("Cohort", self)
        bar.setObjectName("cohortToolbar")
        bar.setMovable(False)
        label = QLabel("  Cohort: ")
        self.cohort_combo = QComboBox()
        self.cohort_combo.setObjectName("cohortCombo")
        self.cohort_combo.setAccessibleName("Cohort")
        self.cohort_combo.setMinimumWidth(260)
        self.cohort_combo.setToolTip("The cohort you are working on")
        self.cohort_combo.currentIndexChanged.connect(self._cohort_chosen)
        label.setBuddy(self.cohort_combo)
        bar.addWidget(label)
        bar.addWidget(self.cohort_combo)
        self._toolbars["cohort"] = bar
        self.addToolBar(bar)  # at the top

    def _build_frame(self) -> None:
        """The page list and an "Opening…" sign where the pages will be: all the frame shows at first."""
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName("Pages")
        self.nav.setMaximumWidth(220)
        self.nav.setMinimumWidth(150)
        self.nav.setStyleSheet(
            "QListWidget#navigation { font-size: 11pt; border: none; background: palette(window); }"
            "QListWidget#navigation::item { padding: 10px 12px; }"
            "QListWidget#navigation::item:selected { background: palette(highlight); color: palette(highlighted-text);"
            " border-radius: 4px; }"
        )
        for n, entry in enumerate(PAGES):
            item = QListWidgetItem(entry.title)
            item.setToolTip(f"{entry.title} (Ctrl+{n + 1})")
            self.nav.addItem(item)
        self.nav.setEnabled(False)  # until the pages are there
        self.stack = QStackedWidget()
        for _entry in PAGES:  # each page's place, until the page is built
            sign = QLabel("Opening the database…")
            sign.setObjectName("openingLabel")
            sign.setProperty("alignment", "AlignCenter")  # by name, as a style sheet would: no Qt.* enum yet
            sign.setStyleSheet("color: palette(mid); font-size: 13pt;")
            self.stack.addWidget(sign)
        self.splitter = QSplitter()
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([180, 1000])
        self.setCentralWidget(self.splitter)
        splitter = QSettings().value("mainWindow/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def _build_status_bar(self) -> None:
        self.db_label = QLabel()
        self.db_label.setObjectName("databaseLabel")
        self.statusBar().addPermanentWidget(self.db_label)
        if not self.ctx.has_database:
            self.statusBar().showMessage("Opening the database…")

    def _update_db_label(self) -> None:
        where = self.ctx.db.path or self.ctx.db.engine.url.render_as_string(hide_password=True)
        self.db_label.setText(f"Database: {where}" + ("  (read-only)" if self.ctx.read_only else ""))
        self.db_label.setToolTip(str(where))

    def _update_title(self) -> None:
        name = self.cohort_combo.currentText()
        self.setWindowTitle(f"{name} — mentorapp" if name else "mentorapp")

    def current_page(self) -> Page | None:
        holder = self.stack.currentWidget()
        widget = holder.widget() if isinstance(holder, QScrollArea) else holder
        return widget if isinstance(widget, Page) else None

    def show_page(self, name: str) -> bool:
        """Show the page whose ``name`` (or title) is ``name``; False if there is none."""
        for n, entry in enumerate(PAGES):
            if name.casefold() in (entry.name.casefold(), entry.title.casefold()):
                self._chosen_row = n
                self.nav.setCurrentRow(n)
                return True
        return False

    def page_names(self) -> list[str]:
        return [entry.name for entry in PAGES]

    def _page_chosen(self, row: int) -> None:
        if row != self.stack.currentIndex() and not all(page.can_leave() for page in self.pages):
            return self.nav.setCurrentRow(self.stack.currentIndex())  # stay: a page kept its unsaved edits
        if 0 <= row < len(PAGES):
            self.page_at(row)
            self.stack.setCurrentIndex(row)
            self._refresh_current()

    def _undo_index_changed(self, index: int) -> None:
        """Say in the status bar what Ctrl+Z or Ctrl+Shift+Z just did."""
        stack = self.ctx.undo_stack
        if not shiboken6.isValid(stack):  # the stack is being destroyed with its context
            return
        if index < self._undo_index and 0 <= index < stack.count():
            self._show_status(f"Undone: {stack.text(index)}. Ctrl+Shift+Z does it again.")
        elif index > self._undo_index and index - 1 < stack.count():
            self._show_status(f"Redone: {stack.text(index - 1)}.")
        self._undo_index = index

    def _show_status(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _refresh_current(self, *_args: object) -> None:
        """Reload the visible page (not while the window is still being built)."""
        page = self.current_page()
        if page is not None and not self._building:
            page.refresh()

    # -- cohorts -------------------------------------------------------------
    def reload_cohorts(self, select_id: int | None = None) -> None:
        """Fill the cohort selector; keep (or choose) the current cohort."""
        from mentorapp.people.cohorts import list_cohorts

        with self.ctx.db.session() as s:
            cohorts = [(c.id, c.name) for c in list_cohorts(s)]
        wanted = select_id if select_id is not None else self.ctx.cohort_id
        self.cohort_combo.blockSignals(True)
        self.cohort_combo.clear()
        for cid, name in cohorts:
            self.cohort_combo.addItem(name, cid)
        index = self.cohort_combo.findData(wanted) if wanted is not None else -1
        self.cohort_combo.setCurrentIndex(index if index >= 0 else (0 if cohorts else -1))
        self.cohort_combo.blockSignals(False)
        self._cohort_chosen(self.cohort_combo.currentIndex())
        self.ctx.actions.update()

    def _cohort_chosen(self, index: int) -> None:
        cohort_id = self.cohort_combo.itemData(index) if index >= 0 else None
        if cohort_id != self.ctx.cohort_id and not all(page.can_leave() for page in self.pages):
            return self.cohort_combo.setCurrentIndex(self.cohort_combo.findData(self.ctx.cohort_id))  # stay
        self.ctx.set_cohort(cohort_id)
        self._update_title()

    def create_cohort(self) -> None:
        from mentorapp_ui.people.cohort_dialog import new_cohort

        cohort_id = new_cohort(self.ctx, self)
        if cohort_id is not None:
            self.reload_cohorts(cohort_id)

    def edit_current_cohort(self) -> None:
        from mentorapp_ui.people.cohort_dialog import edit_cohort

        if self.ctx.cohort_id is not None and edit_cohort(self.ctx, self.ctx.cohort_id, self):
            self.reload_cohorts(self.ctx.cohort_id)

    def edit_matching_weights(self) -> None:
        from mentorapp_ui.people.weights_dialog import edit_weights

        if self.ctx.cohort_id is not None:
            edit_weights(self.ctx, self.ctx.cohort_id, self)

    # -- database ------------------------------------------------------------
    def choose_database(self) -> None:
        """Open a database file, starting in the folder of the one open now (File > New database… creates one)."""
        from mentorapp_ui.app.file_dialogs import ask_open_file

        current = self.ctx.db.path if self.ctx.has_database else None
        start = current.parent if current is not None and current.parent.is_dir() else None
        path = ask_open_file(self, "database", "Open a database", DATABASE_FILES, start)
        if path:
            self.switch_database(path)

    def create_database(self) -> None:
        """Create a new, empty database file and open it."""
        from mentorapp_ui.app.file_dialogs import ask_save_file

        path = ask_save_file(self, "database", "Create a new database", "mentorapp.db", "mentorapp databases (*.db)")
        if path:
            from pathlib import Path

            self.switch_database(path if Path(path).suffix else path + ".db")

    def choose_shared_database(self) -> None:
        from mentorapp_ui.app.shared_database import SharedDatabaseDialog

        dialog = SharedDatabaseDialog(self)
        # Refused (the opener said why): the details stay in the dialog for another try.
        while dialog.exec() and not self.switch_database(dialog.url()):
            pass
        dialog.deleteLater()

    def switch_database(self, path_or_url: str) -> bool:
        from mentorapp.store.recent import without_password

        # Damaged-file check, the lock (or the read-only offer) and the daily backup: ui.data_safety.
        opened = self.data_safety.open_other(path_or_url)
        if opened is None:
            return False
        database = opened.database
        old = self.ctx.db
        self.ctx.undo_stack.clear()
        self.ctx.db = database
        old.dispose()
        self.ctx.read_only = opened.read_only
        self.data_safety.update_read_only()
        self.ctx.cohort_id = None
        self._update_db_label()
        self.ctx.database_changed.emit()  # what pages kept from the other database goes
        self.reload_cohorts()
        self._refresh_current()
        remember_database(database)
        self.ctx.show_status(f"Opened {database.path or without_password(path_or_url)}")
        return True

    def show_shortcuts(self) -> None:
        """Help ▸ Keyboard shortcuts, from the registry (every page built first, so all are declared)."""
        from PySide6.QtCore import Qt

        from mentorapp_ui.app.shortcuts import ShortcutsDialog

        for n in range(len(PAGES)):
            self.page_at(n)
        dialog = ShortcutsDialog(self.ctx.actions, {entry.name: entry.title for entry in PAGES}, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(
            self,
            "About mentorapp",
            f"<h3>mentorapp {__version__}</h3>"
            "<p>Run a professional mentoring scheme offline: participants, matching, "
            "letters, rosters and the six-month evaluation.</p>"
            "<p>Your data stays in one private database file on this computer.</p>",
        )

    # -- settings --------------------------------------------------------------
    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value("mainWindow/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = settings.value("mainWindow/state")
        if state is not None:
            self.restoreState(state)

    def _first_row(self) -> int:
        """The page to show first: one chosen (``--page``), the dashboard once started, the last one used, the first."""
        if self._chosen_row is not None:
            return self._chosen_row
        name = first_page(self.ctx) or str(QSettings().value("mainWindow/page", "")).casefold()
        return next((n for n, entry in enumerate(PAGES) if entry.name == name), 0)

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue("mainWindow/geometry", self.saveGeometry())
        settings.setValue("mainWindow/state", self.saveState())
        settings.setValue("mainWindow/splitter", self.splitter.saveState())
        page = self.current_page()
        if page is not None:  # not if the window closes before its pages were built
            settings.setValue("mainWindow/page", page.name)

    def closeEvent(self, event: QCloseEvent) -> None:  # Qt override
        self._closed = True
        self.save_settings()
        for page in self.pages:
            page.shutdown()
        super().closeEvent(event)
