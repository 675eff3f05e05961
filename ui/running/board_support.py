"""What the match board shows of the running scheme: pairs at risk as badges, the meeting log, ending a pair.

The board's cards draw an "At risk" badge on each pair with a flag (:func:`flags_by_match`),
its details panel lists the flags, and its Match menu and context menu open the pair's
meeting log and the end-early dialog of this package.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget
from sqlalchemy.orm import Session

from mentorapp.running.flags import Flag, pairs_at_risk
from mentorapp.running.screens_support import pair_ref
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.running.day import today

# Pairs whose meetings can be logged (as mentorapp.running.meetings.STARTED_STATUSES).
LOGGABLE = ("active", "completed", "ended_early")


def flags_by_match(session: Session, cohort_id: int) -> dict[int, list[Flag]]:
    """The flags of every pair at risk today, by match id (none before the scheme starts)."""
    return {pair.match_id: list(pair.flags) for pair in pairs_at_risk(session, cohort_id, today())}


def open_meetings(ctx: AppContext, match_id: int, parent: QWidget | None) -> Any:
    from mentorapp_ui.running.meeting_dialog import open_pair

    return open_pair(ctx, match_id, parent)


def end_early(ctx: AppContext, match_id: int, parent: QWidget | None) -> Any:
    """The end dialog (reason, who, date), then the offer of a new mentor."""
    from mentorapp_ui.running.end_dialog import end_pair_early

    with ctx.db.session() as s:
        pair = pair_ref(s, match_id)
    return end_pair_early(ctx, pair, parent)
