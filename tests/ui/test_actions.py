"""The registry of actions: each key bound once within a scope, as a Linux desktop binds the standard keys."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox, QWidget

from mentorapp_ui.app.actions import WINDOW, ActionRegistry, ActionSpec, linux_keys
from mentorapp_ui.app.main_window import PAGES
from mentorapp_ui.app.shortcuts import ShortcutsDialog, plain


def clashes(registry: ActionRegistry, pages: list[str]) -> dict[str, dict[str, list[str]]]:
    """Per scope, each key bound more than once and the actions binding it.

    A page's scope holds its own keys and the window's, which work on every page;
    an action listing the same key twice clashes with itself (Qt then fires neither).
    """
    keys: dict[str, list[tuple[str, str]]] = {scope: [] for scope in [WINDOW, *pages]}
    for spec in registry.specs():
        for key in linux_keys(spec.keys):
            keys.setdefault(registry.scope(spec.id), []).append((key, spec.id))
    found = {}
    for scope, bound in keys.items():
        seen = bound if scope == WINDOW else bound + keys[WINDOW]
        counts = Counter(key for key, _id in seen)
        twice = {key: [id for k, id in seen if k == key] for key, n in counts.items() if n > 1}
        if twice:
            found[scope] = twice
    return found


def test_no_key_is_bound_twice_in_any_scope(make_window, demo_db):
    window = make_window(demo_db)
    registry = window.ctx.actions
    assert {registry.scope(spec.id) for spec in registry.specs()} >= {WINDOW, "participants", "outputs"}
    assert clashes(registry, [entry.name for entry in PAGES]) == {}


def test_redo_is_ctrl_shift_z_once_on_a_linux_desktop(make_window, demo_db):
    window = make_window(demo_db)
    redo = next(spec for spec in window.ctx.actions.specs() if spec.id == "edit.redo")
    assert linux_keys(redo.keys) == ["Ctrl+Shift+Z", "Ctrl+Y"]
    assert [key.toString() for key in window.ctx.actions.action("edit.redo").shortcuts()] == ["Ctrl+Shift+Z", "Ctrl+Y"]


def test_the_check_sees_keys_that_clash_only_on_a_linux_desktop(qtbot):
    """Yesterday's Redo: Ctrl+Shift+Z and StandardKey.Redo, which is Ctrl+Shift+Z again on Linux
    (under the offscreen platform it is Ctrl+Y, so asking Qt would not see the clash)."""
    owner, page = QWidget(), QWidget()
    qtbot.add_widget(owner)
    qtbot.add_widget(page)
    registry = ActionRegistry()
    registry.add(ActionSpec("redo", "&Redo", lambda: None, keys=("Ctrl+Shift+Z", QKeySequence.StandardKey.Redo)), owner)
    registry.add(ActionSpec("find", "Find", lambda: None, keys=(QKeySequence.StandardKey.Find,)), page, "people")
    registry.add(ActionSpec("search", "Search", lambda: None, keys=("Ctrl+F",)), owner, "board")
    registry.add(ActionSpec("again", "Again", lambda: None, keys=("Ctrl+F",)), page, "people")
    assert clashes(registry, ["people", "board"]) == {
        WINDOW: {"Ctrl+Shift+Z": ["redo", "redo"]},
        "people": {"Ctrl+F": ["find", "again"], "Ctrl+Shift+Z": ["redo", "redo"]},
        "board": {"Ctrl+Shift+Z": ["redo", "redo"]},
    }


def test_actions_are_placed_in_their_menu_sections_and_enabled_when_they_say(make_window, demo_db):
    window = make_window(demo_db)
    file_menu = [a.text() or "----" for a in window.menu("File").actions()]
    assert file_menu == [
        "&New cohort…",
        "&Open database…",
        "New &database…",
        "Open &shared database…",
        "----",
        "&Import applications…",
        "Export application &template…",
        "&Back up now",
        "&Restore from backup…",
        "Export &roster…",
        "Export match &letters…",
        "----",
        "&Quit",
    ]
    edit_cohort = window.ctx.actions.action("cohort.edit")
    assert edit_cohort is window.edit_cohort_action and edit_cohort.isEnabled()
    window.ctx.set_cohort(None)
    assert not edit_cohort.isEnabled()


def test_an_action_is_declared_once(qtbot):
    owner = QWidget()
    qtbot.add_widget(owner)
    registry = ActionRegistry()
    registry.add(ActionSpec("x", "X", lambda: None), owner)
    try:
        registry.add(ActionSpec("x", "X again", lambda: None), owner)
    except ValueError as exc:
        assert "declared twice" in str(exc)
    else:
        raise AssertionError("a second declaration was accepted")


def test_del_fires_only_the_action_of_the_page_that_has_the_focus(make_window, demo_db, qtbot, monkeypatch):
    """Del is Unmatch on the board and Delete participant on the Participants page, never both."""
    window = make_window(demo_db)
    fired: list[str] = []
    for id in ("board.unmatch", "participants.delete"):
        window.ctx.actions.action(id).triggered.connect(lambda _checked=False, id=id: fired.append(id))
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[1]) or QMessageBox.StandardButton.No)

    # The board, a match selected in a mentor's card: Del unmatches, and asks nothing.
    assert window.show_page("board")
    board = window.current_page()
    board.refresh()
    qtbot.waitUntil(board.scores_ready)
    data = board.state.data
    mentee = data.unmatched_mentee_ids()[0]
    mentor = next(r for r in data.mentor_ids if board.refusal(mentee, r) is None)
    assert board.match_pair(mentee, mentor)
    view = board.mentor_view
    view.setFocus()
    view.setCurrentIndex(view.list_model.index(view.list_model.row_of(mentor), 0))
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert board.selected_match() is not None
    qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert mentee not in board.state.data.by_mentee
    assert asked == [] and "participants.delete" not in fired

    # The Participants page, a participant selected: Del asks to delete them; the board's match stays.
    assert board.match_pair(mentee, mentor)
    fired.clear()
    assert window.show_page("participants")
    people = window.current_page()
    people.table.selectRow(0)
    people.table.setFocus()
    qtbot.keyClick(people.table, Qt.Key.Key_Delete)
    assert asked == ["Delete participant"] and fired == ["participants.delete"]
    assert mentee in board.state.data.by_mentee


def test_help_keyboard_shortcuts_lists_every_action_reachable_by_keyboard(make_window, demo_db, qtbot):
    window = make_window(demo_db)
    assert "&Keyboard shortcuts" in [a.text() for a in window.menu("Help").actions()]
    qtbot.keyClick(window.focusWidget() or window, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog, "keyboardShortcuts")
    assert dialog is not None and dialog.isVisible()
    rows = dialog.rows()
    registry = window.ctx.actions
    titles = {entry.name: entry.title for entry in PAGES}
    # Every page's actions are there, although the pages are built one by one after start-up.
    assert {registry.scope(spec.id) for spec in registry.specs()} >= {entry.name for entry in PAGES} - {"report"}
    for spec in registry.specs():
        if not spec.keys and not spec.places:
            continue
        keys = ", ".join(linux_keys(spec.keys))
        where = "Everywhere" if registry.scope(spec.id) == WINDOW else f"On {titles[registry.scope(spec.id)]}"
        assert all(row[0] for row in rows)  # every row names its action
        names = (plain(spec.text), spec.tool_tip, spec.status_tip, spec.id.rsplit(".")[-1].capitalize())
        assert any(row[0] in names and row[1:3] == (keys, where) for row in rows), spec.id
    assert ("Unmatch", "Del", "On Match board", "Match") in rows
    assert ("Delete participant", "Del", "On Participants", "Edit") in rows
    assert ("Keyboard shortcuts", "F1", "Everywhere", "Help") in rows
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
