"""A match's details say the score it was made with, as its card does, beside today's when they differ."""

from __future__ import annotations

from mentorapp.store.models import Match
from tests.ui.test_board import board, card_pos, drop, payload_for  # noqa: F401  (the board fixture)
from tests.ui.test_board_names import a_titled_pair


def test_a_match_made_with_another_score_shows_both_with_todays_reasons(board):  # noqa: F811
    """The card said 0.81 and the details 'Compatibility 0.33', with nothing to say why they differ."""
    _window, page = board
    mentee, mentor = a_titled_pair(page)
    drop(page.mentor_view, payload_for(page, mentee), card_pos(page.mentor_view, mentor))
    match_id = page.state.data.by_mentee[mentee].id
    with page.ctx.db.transaction() as s:  # as a match stored by an older version: its score, no reasons
        stored = s.get(Match, match_id)
        stored.score, stored.reasons = 0.99, None
    page.refresh()
    page.state.selected_match_id = match_id
    page._show_details()
    text = page.details.score.text()
    today = page.pair_score(mentee, mentor).total
    assert "Compatibility <b>0.99</b>" in text
    assert f"0.99 when matched; {today:.2f} with today's answers and weights" in text
