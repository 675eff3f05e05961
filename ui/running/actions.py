"""The Running menu: start and complete the scheme, check-in forms out and back, chase e-mails, settings.

Declared once in the registry (:mod:`mentorapp_ui.app.actions`) by the dashboard page, as
window actions, so they work from every page; each opens a dialog of this package on the
current cohort.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from mentorapp_ui.app.actions import WINDOW, ActionSpec
from mentorapp_ui.app.context import AppContext
from mentorapp_ui.running.checkins_io import CheckinForms


def declare_running_actions(ctx: AppContext, owner: QWidget) -> CheckinForms:
    """Declare the Running menu's window actions; the check-in jobs object is returned (it holds the task)."""
    from mentorapp_ui.running.chase_dialog import open_chase
    from mentorapp_ui.running.lifecycle import complete_scheme, start_scheme
    from mentorapp_ui.running.settings_dialog import edit_running_settings

    forms = CheckinForms(ctx, owner)

    def writable() -> bool:
        return ctx.has_database and ctx.cohort_id is not None and not ctx.read_only

    def readable() -> bool:
        return ctx.has_database and ctx.cohort_id is not None

    specs = (
        ("running.start", "&Start the scheme…", lambda: start_scheme(ctx, owner), "scheme", writable,
         "Make confirmed pairs active from a day (usually the day the letters went out)"),
        ("running.complete", "&Complete the scheme…", lambda: complete_scheme(ctx, owner), "scheme", writable,
         "Mark the pairs still active completed at the evaluation date"),
        ("running.checkins_export", "&Export check-in forms…", forms.export, "checkins", readable,
         "One short check-in form per person, into a folder, to send out"),
        ("running.checkins_import", "&Import returned check-in forms…", forms.import_folder, "checkins", writable,
         "Read a folder of returned check-in forms: answers feed the meeting log and the pairs at risk"),
        ("running.chase", "C&hase e-mails…", lambda: open_chase(ctx, parent=owner), "chase", readable,
         "One e-mail draft per person to remind: no first meeting, no check-in or evaluation answer, at risk"),
        ("running.settings", "Running &settings…", lambda: edit_running_settings(ctx, owner), "settings", writable,
         "Check-in days, the pairs-at-risk thresholds and the sender of chase e-mails"),
    )  # fmt: skip
    for id, text, handler, section, when, tip in specs:
        ctx.actions.add(
            ActionSpec(
                id,
                text,
                handler,
                places=(f"Running/{section}",),
                status_tip=tip,
                tool_tip=tip,
                enabled_when=when,
                scope=WINDOW,
            ),
            owner,
        )
    return forms
