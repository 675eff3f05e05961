"""The registry of actions: every menu item, toolbar button and shortcut, declared once.

An :class:`ActionSpec` says what an action is (text, keys, tips, enabled-when,
handler), where it goes (``places``: ``"File/import"`` is the ``import``
section of the File menu, ``"Toolbar/cohort"`` the cohort toolbar) and its
scope: the window, or one page. The main window declares its own actions and
places every declared action in its menus (:data:`MENUS` gives each menu's
sections in order, ``"|"`` a separator); a page declares its actions with
``ctx.actions.add(spec, page)`` and never touches the window.

Scope decides where a key works: a window action's keys work on every page, a
page action's only while that page has the focus (Qt's
``WidgetWithChildrenShortcut``), so two pages may use the same key but no key
may be bound twice within a scope (``tests/ui/test_actions.py`` checks it with
the keys a Linux desktop gives the standard keys, :data:`LINUX_STANDARD_KEYS`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

WINDOW = "window"


def plain(text: str) -> str:
    """A menu text as read aloud: no mnemonic ampersands ("&&" stays one "&") and no ellipsis.

    An "&" standing alone between words is an "and" ("Letters & roster"), never a mnemonic marker.
    """
    text = re.sub(r"(?<=\s)&(?=\s)", "&&", text)
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").removesuffix("…").strip()


Key = str | QKeySequence.StandardKey

# Menus in the menu bar, in order, each with its sections in order ("|": a separator).
MENUS: dict[str, tuple[str, ...]] = {
    "File": ("database", "|", "import", "safety", "exports", "|", "quit"),
    "Edit": ("undo", "|", "participants"),
    "Cohort": ("cohort", "|", "privacy"),
    "Match": ("pairs", "|", "status", "|", "lifecycle", "|", "suggestions"),
    "Running": ("scheme", "|", "meetings", "|", "checkins", "|", "chase", "|", "settings"),
    "Tools": ("log", "|", "privacy"),
    "Evaluation": ("forms", "report", "|", "settings"),
    "Help": ("about",),
}

# Each menu's Alt key is its first letter, but Edit and Evaluation cannot both have E. Pages keep clear
# of these letters (F, E, C, M, R, T, V, H): a clash leaves Alt+letter moving between the two.
MENU_TITLES = {"Evaluation": "E&valuation"}
MENU_KEYS = "fecmrtvh"

# The key each standard shortcut we use gives on a KDE or GNOME desktop (Qt's X11 key scheme;
# a standard key binds its platform's first key, as QAction.setShortcut does). The offscreen
# platform used in tests binds them as on Windows (Redo is Ctrl+Y there, Ctrl+Shift+Z on Linux),
# so the check for duplicates reads this table instead of asking Qt. Add a row before using another.
LINUX_STANDARD_KEYS: dict[QKeySequence.StandardKey, str] = {
    QKeySequence.StandardKey.New: "Ctrl+N",
    QKeySequence.StandardKey.Open: "Ctrl+O",
    QKeySequence.StandardKey.Undo: "Ctrl+Z",
    QKeySequence.StandardKey.Redo: "Ctrl+Shift+Z",
    QKeySequence.StandardKey.Find: "Ctrl+F",
    QKeySequence.StandardKey.Print: "Ctrl+P",
}


class ActionSpec(NamedTuple):
    """One action, declared once. ``places`` are ``"Menu/section"`` or ``"Toolbar/name"``.

    A named tuple, not a dataclass: importing dataclasses and making the class took ~5 ms before the window shows.
    """

    id: str  # also the QAction's object name
    text: str
    handler: Callable[[], object]
    keys: tuple[Key, ...] = ()
    places: tuple[str, ...] = ()
    status_tip: str = ""
    tool_tip: str = ""
    enabled_when: Callable[[], bool] | None = None  # None: the owner enables it
    scope: str | None = None  # WINDOW or a page's name; None: where it is declared
    role: QAction.MenuRole | None = None


def bound_keys(keys: Sequence[Key]) -> list[QKeySequence]:
    """The key sequences ``keys`` bind on this platform (a standard key: the platform's first key for it)."""
    return [QKeySequence(key) for key in keys]


def linux_keys(keys: Sequence[Key]) -> list[str]:
    """The keys as a Linux desktop binds them, in Qt's portable text ("Ctrl+Shift+Z")."""
    return [
        LINUX_STANDARD_KEYS[key]
        if isinstance(key, QKeySequence.StandardKey)
        else QKeySequence(key).toString(QKeySequence.SequenceFormat.PortableText)
        for key in keys
    ]


class ActionRegistry(QObject):
    """Every declared action by id; ``declared`` tells the main window where to place each."""

    declared = Signal(object, QAction)  # ActionSpec, its QAction

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._specs: dict[str, ActionSpec] = {}
        self._actions: dict[str, QAction] = {}
        self._scopes: dict[str, str] = {}

    def add(
        self, spec: ActionSpec, owner: QWidget, page: str | None = None, *, action: QAction | None = None
    ) -> QAction:
        """Make the QAction for ``spec``, owned by ``owner`` (the window, or the page ``page``).

        ``action`` is one Qt made already (the undo stack's Undo and Redo, whose text follows
        the stack): it is given the spec's keys and places, and keeps its own handler.
        """
        if spec.id in self._specs:
            raise ValueError(f"The action {spec.id!r} is declared twice.")
        scope = spec.scope or page or WINDOW
        made = action is None
        if action is None:
            action = QAction(spec.text, owner)
        action.setObjectName(spec.id)
        if spec.keys:
            action.setShortcuts(bound_keys(spec.keys))
            if scope != WINDOW:
                # Only while the page has the focus, so other pages can use the same keys.
                from PySide6.QtCore import Qt  # here: the window's frame, shown first, needs no Qt.* value

                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                owner.addAction(action)
        if spec.status_tip:
            action.setStatusTip(spec.status_tip)
        if spec.tool_tip:
            action.setToolTip(spec.tool_tip)
        if spec.role is not None:
            action.setMenuRole(spec.role)
        if made:
            handler = spec.handler
            action.triggered.connect(lambda _checked=False: handler())
        self._specs[spec.id] = spec
        self._actions[spec.id] = action
        self._scopes[spec.id] = scope
        if spec.enabled_when is not None:
            action.setEnabled(spec.enabled_when())
        self.declared.emit(spec, action)
        return action

    def action(self, id: str) -> QAction | None:
        return self._actions.get(id)

    def scope(self, id: str) -> str:
        return self._scopes[id]

    def specs(self) -> list[ActionSpec]:
        return list(self._specs.values())

    def update(self) -> None:
        """Enable or disable every action that has an ``enabled_when``."""
        for id, spec in self._specs.items():
            if spec.enabled_when is not None:
                self._actions[id].setEnabled(spec.enabled_when())
