"""Alt+letter reaches one thing: no two controls of a page, nor a control and a menu, share a letter.

With two, Qt moves the focus between them on each press instead of acting, so a keyboard
user's Alt+E on the letters page went to the Edit menu or to "Export letters…" by turns.
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QApplication, QGroupBox, QLabel, QTabWidget, QWidget

from mentorapp_ui.app.pages import PAGES

LETTER = re.compile(r"&([^&\s])")


def letter(text: str) -> str | None:
    found = LETTER.search(text.replace("&&", ""))
    return found.group(1).casefold() if found else None


def page_letters(root: QWidget) -> dict[str, list[str]]:
    """Each Alt letter of the controls shown in ``root``, with the texts that carry it."""
    texts: list[str] = []
    for w in root.findChildren(QWidget):
        if not w.isVisibleTo(root):
            continue
        if isinstance(w, QAbstractButton) or (isinstance(w, QLabel) and w.buddy() is not None):
            texts.append(w.text())
        elif isinstance(w, QGroupBox):
            texts.append(w.title())
        elif isinstance(w, QTabWidget):
            texts += [w.tabText(i) for i in range(w.count())]
    found: dict[str, list[str]] = {}
    for text in texts:
        key = letter(text)
        if key:
            found.setdefault(key, []).append(text)
    return found


def letters_of_each_tab(root: QWidget):
    """The Alt letters of ``root`` with each tab of its tab widgets shown in turn."""
    tabs = [t for t in root.findChildren(QTabWidget) if t.isVisibleTo(root)]
    for n in range(max([t.count() for t in tabs] or [1])):
        for t in tabs:
            t.setCurrentIndex(min(n, t.count() - 1))
        QApplication.processEvents()
        yield page_letters(root)


def test_no_page_shares_an_alt_letter_within_itself_or_with_the_menus(make_window, demo_db, qtbot):
    window = make_window(demo_db)
    menus: dict[str, list[str]] = {}
    for action in window.menuBar().actions():
        key = letter(action.text())
        if key:
            menus.setdefault(key, []).append(action.text())
    assert {k: v for k, v in menus.items() if len(v) > 1} == {}
    for entry in PAGES:
        assert window.show_page(entry.name)
        qtbot.waitUntil(lambda name=entry.name: window.current_page().name == name)
        for letters in letters_of_each_tab(window.current_page()):
            assert {k: v for k, v in letters.items() if len(v) > 1} == {}, entry.name
            assert {k: (menus[k], v) for k, v in letters.items() if k in menus} == {}, entry.name


def test_the_start_dialog_gives_each_control_its_own_letter(make_window, demo_db, qtbot):
    from mentorapp_ui.running.lifecycle import StartDialog

    window = make_window(demo_db)
    dialog = StartDialog(window.ctx, window.ctx.cohort_id, [], window)
    qtbot.add_widget(dialog)
    dialog.letters.setVisible(True)  # shown when some letters are not marked as sent
    letters = page_letters(dialog)
    assert {"o", "e", "t", "l", "s"} <= set(letters)
    assert {k: v for k, v in letters.items() if len(v) > 1} == {}


def test_the_participant_dialog_the_chase_dialog_and_the_running_settings_give_each_control_its_own_letter(
    make_window, demo_db, qtbot
):
    from mentorapp.people.vocabulary import SchemeVocabulary
    from mentorapp_ui.people.participant_dialog import ParticipantDialog
    from mentorapp_ui.running.chase_dialog import ChaseDialog
    from mentorapp_ui.running.settings_dialog import RunningSettingsDialog

    window = make_window(demo_db)
    cohort_id = window.ctx.cohort_id
    for dialog in (
        ParticipantDialog(window.ctx, cohort_id, SchemeVocabulary(focus_areas=["Leadership"]), None, window),
        ChaseDialog(window.ctx, cohort_id, "first-meeting", parent=window),
        RunningSettingsDialog(window.ctx, cohort_id, parent=window),
    ):
        qtbot.add_widget(dialog)
        dialog.show()
        for letters in letters_of_each_tab(dialog):
            assert {k: v for k, v in letters.items() if len(v) > 1} == {}, type(dialog).__name__
