"""The board names people as they are called: with their title, on the cards and in what it says."""

from __future__ import annotations

from PySide6.QtGui import QPainter

from tests.ui.test_board import board, card_pos, drop, payload_for, statuses  # noqa: F401  (the board fixture)


def titled(page, pid) -> str:
    p = page.state.person(pid)
    return f"{p.title} {p.full_name}".strip()


def painted_texts(view, monkeypatch) -> list[str]:
    """Every text the view's cards draw, as a person sees them."""
    texts: list[str] = []
    original = QPainter.drawText

    def spy(painter, *args):
        texts.append(args[-1])
        return original(painter, *args)

    monkeypatch.setattr(QPainter, "drawText", spy)
    view.viewport().repaint()
    monkeypatch.undo()
    return texts


def a_titled_pair(page):
    """A mentee with a title ("Dr") and a mentor with a free place the rules allow."""
    data = page.state.data
    for e in data.unmatched_mentee_ids():
        if not page.state.person(e).title:
            continue
        for r in data.mentor_ids:
            if data.free_places(r) and page.refusal(e, r) is None:
                return e, r
    raise AssertionError("no titled mentee with an allowed mentor")


def test_a_matched_mentee_keeps_their_title_on_the_card_and_in_undo(board, monkeypatch):  # noqa: F811
    window, page = board
    mentee, mentor = a_titled_pair(page)
    name, mentor_name = titled(page, mentee), titled(page, mentor)
    assert name.startswith("Dr ")
    messages = statuses(page)
    drop(page.mentor_view, payload_for(page, mentee), card_pos(page.mentor_view, mentor))
    assert page.state.data.by_mentee[mentee].mentor_id == mentor

    # The line under the mentor's card says "Dr Thomas Adeyemi", not "Thomas Adeyemi".
    card_pos(page.mentor_view, mentor)  # scrolled into view
    assert any(t.startswith(name) for t in painted_texts(page.mentor_view, monkeypatch))
    # What the status bar and Edit > Undo say.
    assert messages[-1].startswith(f"Match {name} with {mentor_name}")
    assert window.ctx.undo_stack.undoText() == f"Match {name} with {mentor_name}"


def test_a_refused_drop_names_the_mentor_with_their_title(board):  # noqa: F811
    _window, page = board
    data = page.state.data
    mentee = data.unmatched_mentee_ids()[0]
    full = next(r for r in data.mentor_ids if page.state.person(r).title and page.refusal(mentee, r) is None)
    # Fill the titled mentor's places, then drop one more mentee on them.
    others = [e for e in data.unmatched_mentee_ids() if e != mentee]
    for e in others[: data.free_places(full)]:
        assert page.match_pair(e, full)
    messages = statuses(page)
    drop(page.mentor_view, payload_for(page, mentee), card_pos(page.mentor_view, full))
    assert page.state.data.by_mentee.get(mentee) is None
    assert any(titled(page, full) + " already has" in m for m in messages), messages
