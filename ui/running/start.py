"""The page the window opens on: the dashboard once the current cohort has started."""

from __future__ import annotations

import logging

from mentorapp_ui.app.context import AppContext

log = logging.getLogger(__name__)


def first_page(ctx: AppContext) -> str:
    """ "dashboard" when the current cohort is running or evaluating or has an active pair, else ""."""
    if not ctx.has_database or ctx.cohort_id is None:
        return ""
    from mentorapp.running.screens_support import cohort_has_started

    try:
        with ctx.db.session() as s:
            return "dashboard" if cohort_has_started(s, ctx.cohort_id) else ""
    except Exception as exc:  # Reason: an older database without the running tables opens on its last page instead
        log.warning("could not tell whether the cohort has started (%s)", type(exc).__name__)
        return ""
